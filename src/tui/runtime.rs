//! The effect runtime: runs what [`update()`] asks for off the UI thread and
//! brings the results back as [`Msg`]s, so the UI answers keys while a write
//! waits for a lock or a slow pre-commit hook.
//!
//! - Writes (triage, status, log, undo) and reloads go, in order, to one
//!   worker thread that owns the [`Backend`]: a reload asked for after a
//!   write sees it. Each answers with a message ([`Msg::WriteDone`] with a
//!   typed [`super::WriteOutcome`], [`Msg::Reloaded`]).
//! - A document's git history is read on a thread of its own, so it never
//!   waits behind a write.
//! - The first load of a repository opened with only its configuration
//!   ([`Effect::Load`]) runs on a thread of its own and streams batches of
//!   documents back ([`Msg::Load`]), so rows show as they are read.
//! - Effects that need the terminal (the editor, the clipboard) and quitting
//!   are handed to the caller's `local` function, whose answer is applied in
//!   turn.
//!
//! The terminal runner (`super::run()`) and the tests drive this same
//! runtime: [`Runtime::dispatch`] applies a message and starts its effects,
//! [`Runtime::next`] takes a result when one is back, and
//! [`Runtime::settle`] applies results until nothing runs.

use super::app::App;
use super::backend::{load_history, perform, Backend};
use super::msg::{Effect, LoadStep, Msg, WriteOutcome};
use super::update;
use crate::store::Repo;
use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::Duration;

/// Writes being performed on the write thread right now, for the hang-up
/// watch (`tui/hangup.rs`), which must not exit in the middle of one.
static PERFORMING: AtomicUsize = AtomicUsize::new(0);

/// Whether the write thread is performing a write right now.
pub(crate) fn performing() -> bool {
    PERFORMING.load(Ordering::SeqCst) > 0
}

/// What the caller does with the effects the runtime does not run (the
/// editor, the clipboard, quitting): perform it, and return the message
/// that reports it, if any.
pub(crate) type Local<'a> = dyn FnMut(&mut App, Effect) -> Option<Msg> + 'a;

/// Runs effects on worker threads; see the module documentation.
pub struct Runtime {
    results_tx: Sender<Msg>,
    results: Receiver<Msg>,
    /// To the worker that owns the backend (`None` when it could not start).
    jobs: Option<Sender<Effect>>,
    /// Why the worker could not start.
    no_worker: Option<String>,
    /// Writes sent and not answered yet.
    writes: usize,
    /// Jobs of any kind sent and not answered yet.
    running: usize,
    /// A reload was started since [`Runtime::take_reload_started`].
    reload_started: bool,
    /// A result taken from the channel while merging load batches, to be
    /// answered next.
    held: Option<Msg>,
}

impl Runtime {
    /// A runtime whose worker thread writes through `backend`.
    pub fn new(backend: impl Backend + 'static) -> Runtime {
        let (results_tx, results) = mpsc::channel();
        let (jobs_tx, jobs) = mpsc::channel::<Effect>();
        let out = results_tx.clone();
        let mut backend = backend;
        let spawned = std::thread::Builder::new()
            .name("findings-writes".into())
            .spawn(move || {
                for job in jobs {
                    // A panic in a write must not leave the UI waiting for
                    // an answer forever: it is answered as a failure.
                    PERFORMING.fetch_add(1, Ordering::SeqCst);
                    let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| perform(&mut backend, &job)));
                    PERFORMING.fetch_sub(1, Ordering::SeqCst);
                    let msg = match done {
                        Ok(Some(m)) => m,
                        Ok(None) => continue,
                        Err(payload) => {
                            let why = payload
                                .downcast_ref::<&str>()
                                .map(|s| s.to_string())
                                .or_else(|| payload.downcast_ref::<String>().cloned())
                                .unwrap_or_else(|| "no message".into());
                            failed(
                                &job,
                                &format!("the write stopped on an internal error (a bug, please report it): {why}"),
                            )
                        }
                    };
                    if out.send(msg).is_err() {
                        return;
                    }
                }
            });
        let (jobs, no_worker) = match spawned {
            Ok(_) => (Some(jobs_tx), None),
            Err(e) => (None, Some(format!("cannot start the write thread: {e}"))),
        };
        Runtime {
            results_tx,
            results,
            jobs,
            no_worker,
            writes: 0,
            running: 0,
            reload_started: false,
            held: None,
        }
    }

    /// True while a write runs (or waits to run).
    pub fn writing(&self) -> bool {
        self.writes > 0
    }

    /// True while any effect (write, reload, history) runs.
    pub fn busy(&self) -> bool {
        self.running > 0
    }

    /// True once after each reload started (the runner then takes what is
    /// on disk as the new baseline of its watcher).
    pub(crate) fn take_reload_started(&mut self) -> bool {
        std::mem::take(&mut self.reload_started)
    }

    /// Apply `msg` to `app` and start every effect it leads to; the
    /// answers of `local` effects are applied in turn.
    pub fn dispatch(&mut self, app: &mut App, msg: Msg, local: &mut Local<'_>) {
        let mut queue = VecDeque::from([msg]);
        while let Some(msg) = queue.pop_front() {
            for effect in update(app, msg) {
                if let Some(m) = self.start(app, effect, local) {
                    queue.push_back(m);
                }
            }
        }
    }

    /// Start `effect`: on a worker, or through `local` (whose answer is
    /// returned, to be applied).
    pub fn start(&mut self, app: &mut App, effect: Effect, local: &mut Local<'_>) -> Option<Msg> {
        match effect {
            Effect::LoadHistory { path } => {
                self.history(app.repo.root.clone(), path);
                None
            }
            Effect::LoadTrend { now, weeks } => {
                self.trend(app.repo.root.clone(), now, weeks);
                None
            }
            // Every reload asked for runs: one already running may have
            // read the folders before the change that asks for this one.
            Effect::Reload => {
                self.send(Effect::Reload);
                self.reload_started = true;
                None
            }
            Effect::CheckEdits => {
                self.send(Effect::CheckEdits);
                None
            }
            Effect::Load => {
                self.load(app.repo.root.clone(), app.repo.config.clone());
                self.reload_started = true;
                None
            }
            e if e.is_write() => {
                self.writes += 1;
                self.send(e);
                None
            }
            other => local(app, other),
        }
    }

    /// Apply `effects` (returned by [`update()`]) as [`Runtime::dispatch`]
    /// would.
    pub fn start_all(&mut self, app: &mut App, effects: Vec<Effect>, local: &mut Local<'_>) {
        for e in effects {
            if let Some(m) = self.start(app, e, local) {
                self.dispatch(app, m, local);
            }
        }
    }

    /// The next result back from a worker, waiting up to `wait` for one.
    pub fn next(&mut self, wait: Duration) -> Option<Msg> {
        if self.running == 0 {
            return None;
        }
        let m = match self.held.take() {
            Some(m) => m,
            None if wait.is_zero() => self.results.try_recv().ok()?,
            None => self.results.recv_timeout(wait).ok()?,
        };
        // Load batches already waiting are taken as one: the list is
        // rebuilt once for them, not once each.
        let m = match m {
            Msg::Load(LoadStep::Batch {
                mut items,
                mut done,
                mut total,
            }) => {
                while self.held.is_none() {
                    match self.results.try_recv() {
                        Ok(Msg::Load(LoadStep::Batch {
                            items: more,
                            done: d,
                            total: t,
                        })) => {
                            items.extend(more);
                            (done, total) = (d, t);
                        }
                        Ok(other) => self.held = Some(other),
                        Err(_) => break,
                    }
                }
                Msg::Load(LoadStep::Batch { items, done, total })
            }
            other => other,
        };
        // A load's batches come before its answer, which ends it.
        if !matches!(m, Msg::Load(LoadStep::Batch { .. })) {
            self.running = self.running.saturating_sub(1);
        }
        if let Msg::WriteDone(_) = &m {
            self.writes = self.writes.saturating_sub(1);
        }
        Some(m)
    }

    /// Apply results as they come back until nothing runs, waiting up to
    /// `wait` for each; false when one did not come back in time.
    pub fn settle(&mut self, app: &mut App, wait: Duration, local: &mut Local<'_>) -> bool {
        while self.busy() {
            match self.next(wait) {
                Some(m) => self.dispatch(app, m, local),
                None => return false,
            }
        }
        true
    }

    /// Hand a write or a reload to the worker (answered at once with a
    /// failure when there is none).
    fn send(&mut self, job: Effect) {
        self.running += 1;
        let job = match &self.jobs {
            Some(tx) => match tx.send(job) {
                Ok(()) => return,
                Err(mpsc::SendError(job)) => job,
            },
            None => job,
        };
        let why = self.no_worker.as_deref().unwrap_or("the write thread has stopped");
        let _ = self.results_tx.send(failed(&job, why));
    }

    /// Read a git history on a thread of its own (here if none starts).
    fn history(&mut self, root: PathBuf, path: String) {
        self.running += 1;
        let tx = self.results_tx.clone();
        let (r, p) = (root.clone(), path.clone());
        let spawned = std::thread::Builder::new()
            .name("findings-history".into())
            .spawn(move || {
                let _ = tx.send(load_history(&r, &p));
            });
        if spawned.is_err() {
            let _ = self.results_tx.send(load_history(&root, &path));
        }
    }
}

impl Runtime {
    /// Read the stats view's trend from git on a thread of its own (here
    /// if none starts).
    fn trend(&mut self, root: PathBuf, now: chrono::NaiveDateTime, weeks: usize) {
        self.running += 1;
        let tx = self.results_tx.clone();
        let read = move |root: &std::path::Path| {
            let t = match Repo::config_only(root) {
                Ok(repo) => {
                    let git = crate::git::open(&repo.root).ok();
                    crate::stats::trend(&repo, git.as_ref(), now, weeks)
                }
                Err(e) => crate::stats::Trend {
                    unavailable: Some(e.to_string()),
                    ..Default::default()
                },
            };
            Msg::TrendLoaded(Box::new(t))
        };
        let r = root.clone();
        let spawned = std::thread::Builder::new()
            .name("findings-trend".into())
            .spawn(move || {
                let _ = tx.send(read(&r));
            });
        if spawned.is_err() {
            let _ = self.results_tx.send(read(&root));
        }
    }

    /// Read every document on a thread of its own, sending batches as they
    /// are read and the whole repository at the end (here if no thread
    /// starts).
    fn load(&mut self, root: PathBuf, config: crate::store::config::Config) {
        self.running += 1;
        let tx = self.results_tx.clone();
        let (r, c) = (root.clone(), config.clone());
        let spawned = std::thread::Builder::new()
            .name("findings-load".into())
            .spawn(move || stream_load(&r, c, &tx));
        if spawned.is_err() {
            stream_load(&root, config, &self.results_tx);
        }
    }
}

/// Read the repository at `root` in batches, each sent as it is read, then
/// the whole of it. With a document index, its documents come first as one
/// batch, and the repository checked against the files replaces them.
fn stream_load(root: &std::path::Path, config: crate::store::config::Config, tx: &Sender<Msg>) {
    let repo = Repo::open_for_display(root, config, |b| {
        let _ = tx.send(Msg::Load(LoadStep::Batch {
            items: b.items.to_vec(),
            done: b.done,
            total: b.total,
        }));
    });
    let _ = tx.send(Msg::Load(LoadStep::Done(Box::new(Ok(repo)))));
}

/// The answer to `job` when it could not run.
fn failed(job: &Effect, why: &str) -> Msg {
    match job {
        Effect::Reload => Msg::Reloaded(Box::new(Err(why.to_string()))),
        Effect::CheckEdits => Msg::HandEdits(Vec::new()),
        _ => Msg::WriteDone(WriteOutcome::failed(why)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Repo;
    use crate::tui::app::AppOptions;
    use crate::tui::msg::Shown;

    /// A backend whose every write panics.
    struct Panics;

    impl Backend for Panics {
        fn triage(&mut self, _: &str, _: Option<&str>, _: bool, _: Shown) -> WriteOutcome {
            panic!("triage")
        }
        fn set_status(&mut self, _: &str, _: &str, _: Option<&str>, _: Option<&str>, _: Shown) -> WriteOutcome {
            panic!("status")
        }
        fn log(&mut self, _: &str, _: &str, _: Option<&str>, _: Shown) -> WriteOutcome {
            panic!("log")
        }
        fn undo(&mut self, _: &str) -> WriteOutcome {
            panic!("undo (a deliberate panic of this test)")
        }
        fn reload(&mut self) -> Result<Repo, String> {
            Err("no reload here".into())
        }
    }

    fn app() -> (tempfile::TempDir, App) {
        let tmp = tempfile::tempdir().unwrap();
        let repo = Repo::open(tmp.path()).unwrap();
        (tmp, App::new(repo, AppOptions::default()))
    }

    #[test]
    fn a_write_that_panics_is_answered_and_the_next_still_runs() {
        let (_tmp, mut app) = app();
        let mut rt = Runtime::new(Panics);
        let mut local = |_: &mut App, e: Effect| -> Option<Msg> { panic!("{e:?}") };
        for _ in 0..2 {
            let started = rt.start(&mut app, Effect::Undo { commit: "abc".into() }, &mut local);
            assert!(started.is_none() && rt.writing());
            let m = rt.next(Duration::from_secs(120)).expect("answered");
            assert!(matches!(m, Msg::WriteDone(WriteOutcome::Failed(_))), "{m:?}");
            // The panic's own message is in the answer (the hook prints
            // nothing over a UI that goes on).
            assert!(format!("{m:?}").contains("deliberate panic"), "{m:?}");
            assert!(!rt.writing() && !rt.busy());
        }
        rt.start(&mut app, Effect::Reload, &mut local);
        assert!(rt.take_reload_started() && !rt.take_reload_started());
        let m = rt.next(Duration::from_secs(120)).expect("answered");
        assert!(matches!(&m, Msg::Reloaded(r) if r.is_err()), "{m:?}");
    }

    #[test]
    fn effects_for_the_terminal_go_to_local() {
        let (_tmp, mut app) = app();
        let mut rt = Runtime::new(Panics);
        let mut seen = Vec::new();
        let mut local = |_: &mut App, e: Effect| -> Option<Msg> {
            seen.push(e);
            None
        };
        let fx = vec![
            Effect::Copy("030".into()),
            Effect::OpenEditor {
                path: "x.md".into(),
                line: None,
            },
        ];
        rt.start_all(&mut app, fx, &mut local);
        assert!(!rt.busy());
        assert_eq!(seen.len(), 2);
    }
}
