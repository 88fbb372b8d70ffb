//! The terminal UI's launch as the benchmarks measure it (`index` and
//! `tui`): a session that never writes, driven in this process the way the
//! terminal runner drives it, onto a test backend of 200 × 50.

use findings::store::{Repo, StoreError};
use findings::tui::{view, App, AppOptions, Backend, Effect, Msg, Runtime, Shown, WriteOutcome};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::path::Path;
use std::time::{Duration, Instant};

/// A backend that refuses every write: a launch never writes.
pub struct NoWrites;

impl Backend for NoWrites {
    fn triage(&mut self, _: &str, _: Option<&str>, _: bool, _: Shown) -> WriteOutcome {
        WriteOutcome::failed("read-only")
    }
    fn set_status(&mut self, _: &str, _: &str, _: Option<&str>, _: Option<&str>, _: Shown) -> WriteOutcome {
        WriteOutcome::failed("read-only")
    }
    fn log(&mut self, _: &str, _: &str, _: Option<&str>, _: Shown) -> WriteOutcome {
        WriteOutcome::failed("read-only")
    }
    fn undo(&mut self, _: &str) -> WriteOutcome {
        WriteOutcome::failed("read-only")
    }
    fn reload(&mut self) -> Result<Repo, String> {
        Err("read-only".into())
    }
}

/// What one launch took, each from before the configuration was read.
pub struct Launch {
    /// To the first frame (drawn before anything is loaded).
    pub first: Duration,
    /// To the first frame with rows in the list; `None` when none came.
    pub first_rows: Option<Duration>,
    /// To the full list (the load done, its last frame drawn).
    pub full: Duration,
    /// Frames drawn, the first included.
    pub frames: usize,
    /// Rows the list shows at the end.
    pub rows: usize,
}

/// Launch on the repository at `root`: the configuration read, a frame
/// drawn, the load streamed by the runtime with a frame drawn after each
/// batch.
pub fn launch(root: &Path) -> Result<Launch, StoreError> {
    let t = Instant::now();
    let repo = Repo::config_only(root)?;
    let mut a = App::new(
        repo,
        AppOptions {
            size: (200, 50),
            ..AppOptions::default()
        },
    );
    let mut term = Terminal::new(TestBackend::new(200, 50)).expect("test backend");
    term.draw(|f| view(&a, f)).expect("draw");
    let first = t.elapsed();
    let mut rt = Runtime::new(NoWrites);
    let mut local = |_: &mut App, _: Effect| -> Option<Msg> { None };
    rt.start_all(&mut a, vec![Effect::Load], &mut local);
    let mut first_rows = None;
    let mut frames = 1;
    while rt.busy() {
        let Some(m) = rt.next(Duration::from_millis(5)) else {
            continue;
        };
        rt.dispatch(&mut a, m, &mut local);
        while let Some(m) = rt.next(Duration::ZERO) {
            rt.dispatch(&mut a, m, &mut local);
        }
        term.draw(|f| view(&a, f)).expect("draw");
        frames += 1;
        if first_rows.is_none() && !a.index.shown().is_empty() {
            first_rows = Some(t.elapsed());
        }
    }
    Ok(Launch {
        first,
        first_rows,
        full: t.elapsed(),
        frames,
        rows: a.index.shown().len(),
    })
}
