//! Running the terminal UI: terminal setup and restore (raw mode, alternate
//! screen, cursor, mouse capture, bracketed paste; restored on every exit
//! path, panics included), the event loop, and the effects that need the
//! terminal: `$EDITOR` with the terminal suspended, the clipboard through
//! `wl-copy`/`xclip`/`xsel`/`pbcopy` (never OSC 52). Writes, reloads and git
//! histories run on the [`Runtime`]'s threads, so the screen keeps answering
//! keys during a slow write; quitting (or a SIGTERM) while a write runs
//! waits for it. Files changed on disk are watched and reloaded.

use super::app::{App, AppOptions};
use super::backend::{Backend, OpsBackend};
use super::msg::{Effect, Msg};
use super::runtime::Runtime;
use super::settings::{user_config_path, Settings};
use super::{view, TuiOptions};
use crate::store::Repo;
use crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture, Event,
};
use crossterm::terminal::{disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen};
use crossterm::{cursor, execute};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;
use std::io::{Stdout, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

type Term = Terminal<CrosstermBackend<Stdout>>;
type PanicHook = Box<dyn Fn(&std::panic::PanicHookInfo<'_>) + Send + Sync>;

/// Start the terminal UI on `repo`, writing through [`OpsBackend`]. A
/// repository opened with only its configuration ([`Repo::config_only`]) is
/// read in the background: the first frame comes at once, saying it loads.
pub(crate) fn run(repo: Repo, opts: TuiOptions) -> anyhow::Result<()> {
    let backend = OpsBackend::new(&repo.root);
    run_with(repo, opts, backend)
}

/// Start the terminal UI with a given write backend.
pub(crate) fn run_with<B: Backend + 'static>(repo: Repo, opts: TuiOptions, backend: B) -> anyhow::Result<()> {
    let no_color = opts.no_color || std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let opts = TuiOptions { no_color, ..opts };
    // Settings errors print before the terminal is touched.
    let user_config = user_config_path();
    let settings = Settings::load(&repo, &opts, user_config.as_deref())?;
    let size = crossterm::terminal::size().unwrap_or((80, 24));
    let mut app = App::new(
        repo,
        AppOptions {
            today: chrono::Local::now().date_naive(),
            theme: settings.theme,
            keymap: settings.keymap,
            size,
            user_config,
            ..AppOptions::default()
        },
    );
    let mouse = settings.mouse;

    let previous: Arc<PanicHook> = Arc::new(std::panic::take_hook());
    let chained = previous.clone();
    // Only a panic of the UI thread ends the UI: a worker's panic is caught
    // and answered as a failed write (with its message), so restoring the
    // terminal or printing over the screen then would break a UI that goes on.
    let ui_thread = std::thread::current().id();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().id() == ui_thread {
            restore();
            chained(info);
        }
    }));
    let result = (|| -> anyhow::Result<()> {
        let _guard = Guard;
        enter(mouse)?;
        super::hangup::watch();
        let mut term = Terminal::new(CrosstermBackend::new(std::io::stdout()))?;
        repaint(&mut term)?;
        let mut runtime = Runtime::new(backend);
        event_loop(&mut app, &mut runtime, &mut term, mouse)
    })();
    let _ours = std::panic::take_hook();
    drop(_ours);
    if let Ok(prev) = Arc::try_unwrap(previous) {
        std::panic::set_hook(prev);
    }
    result
}

/// Restores the terminal when dropped (errors and unwinding included).
struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

static ENTERED: AtomicBool = AtomicBool::new(false);

fn enter(mouse: bool) -> std::io::Result<()> {
    enable_raw_mode()?;
    ENTERED.store(true, Ordering::SeqCst);
    let mut out = std::io::stdout();
    execute!(out, EnterAlternateScreen, EnableBracketedPaste, cursor::Hide)?;
    if mouse {
        execute!(out, EnableMouseCapture)?;
    }
    Ok(())
}

/// Clear the screen and make the next draw repaint everything. (Unlike
/// `Terminal::clear` this never asks the terminal for the cursor position,
/// which some terminals do not answer.)
fn repaint(term: &mut Term) -> std::io::Result<()> {
    let s = term.size()?;
    term.resize(ratatui::layout::Rect::new(0, 0, s.width, s.height))
}

/// Put the terminal back as it was (idempotent).
pub(crate) fn restore() {
    if !ENTERED.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = std::io::stdout();
    let _ = execute!(
        out,
        DisableMouseCapture,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = disable_raw_mode();
    let _ = out.flush();
}

fn event_loop(app: &mut App, rt: &mut Runtime, term: &mut Term, mouse: bool) -> anyhow::Result<()> {
    let mut watch = Watch::start(&app.repo);
    // Read the documents off the UI thread, rows showing as they are read;
    // the watcher, which watches the folders they are in, starts again once
    // they are all read.
    let mut rewatch = app.loading;
    if app.loading {
        dispatch_effect(app, rt, term, Effect::Load, &watch, mouse);
    }
    let mut dirty = true;
    // Quitting (or a SIGTERM/SIGHUP) while a write runs: said once, then
    // keys are ignored until the write has answered.
    let mut leaving = false;
    loop {
        if dirty {
            term.draw(|f| view(app, f))?;
            dirty = false;
        }
        // On SIGTERM or SIGHUP (the handlers are the shell's choice) a write
        // under way stops at its next safe point; either way it answers
        // before the terminal is restored, so nothing is left half done.
        if app.quit || crate::interrupt::received().is_some() {
            if !rt.writing() {
                return Ok(());
            }
            if !leaving {
                leaving = true;
                let what = app.pending.as_ref().map_or("a write…".to_string(), |p| p.label());
                app.info(format!("{what} quitting when it is done"));
                dirty = true;
                continue;
            }
        }
        // While a query is still being scored, only wait for input if any;
        // while only the texts are searched (on their own thread), wait for
        // input a few milliseconds at a time and look for their result in
        // between: the UI thread never waits for the search itself.
        let texts_only = app.only_texts_pending();
        let wait = if texts_only {
            Duration::from_millis(4)
        } else if app.busy() {
            Duration::ZERO
        } else if rt.busy() {
            Duration::from_millis(15)
        } else {
            Duration::from_millis(200)
        };
        if event::poll(wait)? {
            // Handle everything already queued (typing, pastes) before drawing.
            loop {
                let msg = match event::read()? {
                    Event::Key(k) => Some(Msg::Key(k)),
                    Event::Mouse(m) if mouse => Some(Msg::Mouse(m)),
                    Event::Resize(w, h) => Some(Msg::Resize(w, h)),
                    Event::Paste(s) => Some(Msg::Paste(s)),
                    _ => None,
                };
                let msg = msg.filter(|m| !leaving || matches!(m, Msg::Resize(..)));
                if let Some(msg) = msg {
                    dispatch(app, rt, term, msg, &watch, mouse);
                    dirty = true;
                }
                if app.quit || !event::poll(Duration::ZERO)? {
                    break;
                }
            }
        } else if texts_only {
            dispatch(app, rt, term, Msg::Work, &watch, mouse);
            // Drawn again once the text matches are in.
            dirty |= !app.index.searching();
        } else if app.busy() {
            // Score for up to a frame's time, then show what was found.
            let start = std::time::Instant::now();
            while app.busy()
                && !app.only_texts_pending()
                && start.elapsed() < Duration::from_millis(16)
                && !event::poll(Duration::ZERO)?
            {
                dispatch(app, rt, term, Msg::Work, &watch, mouse);
            }
            dirty = true;
        }
        watch.focus(app.current_detail().map(|d| app.repo.abs(&d.path)));
        if watch.changed() {
            dispatch(app, rt, term, Msg::FilesChanged, &watch, mouse);
            dirty = true;
        }
        while let Some(m) = rt.next(Duration::ZERO) {
            dispatch(app, rt, term, m, &watch, mouse);
            dirty = true;
        }
        if rewatch && !app.loading {
            rewatch = false;
            watch = Watch::start(&app.repo);
        }
    }
}

/// Apply `msg` through the runtime, running the effects that need the
/// terminal here.
fn dispatch(app: &mut App, rt: &mut Runtime, term: &mut Term, msg: Msg, watch: &Watch, mouse: bool) {
    rt.dispatch(app, msg, &mut |app, effect| local(app, effect, term, mouse));
    if rt.take_reload_started() {
        watch.rebaseline();
    }
}

/// Start one effect through the runtime.
fn dispatch_effect(app: &mut App, rt: &mut Runtime, term: &mut Term, effect: Effect, watch: &Watch, mouse: bool) {
    rt.start_all(app, vec![effect], &mut |app, effect| local(app, effect, term, mouse));
    if rt.take_reload_started() {
        watch.rebaseline();
    }
}

/// The effects the runner performs itself.
fn local(app: &mut App, effect: Effect, term: &mut Term, mouse: bool) -> Option<Msg> {
    match effect {
        Effect::Quit => {
            app.quit = true;
            None
        }
        Effect::OpenEditor { path, line } => {
            let abs = app.repo.abs(&path);
            Some(Msg::EditorDone(open_editor(term, &abs, line, mouse)))
        }
        Effect::Copy(text) => Some(Msg::Copied(copy(&text))),
        // The runtime runs every other effect.
        _ => None,
    }
}

/// Run the user's editor ([`crate::editor`]) on `abs` with the terminal
/// suspended.
fn open_editor(term: &mut Term, abs: &Path, line: Option<u32>, mouse: bool) -> Result<(), String> {
    let editor = crate::editor::from_env();
    restore();
    let status = crate::editor::command_at(&editor, abs, line).status();
    let editor = editor.to_string_lossy();
    let back = enter(mouse).and_then(|_| repaint(term));
    if let Err(e) = back {
        return Err(format!("cannot restore the terminal: {e}"));
    }
    match status {
        Ok(s) if s.success() => Ok(()),
        Ok(s) => Err(format!("{editor} exited with {s}")),
        Err(e) => Err(format!("cannot run sh for the editor {editor:?}: {e}")),
    }
}

/// Copy `text` with the first clipboard tool that works.
fn copy(text: &str) -> Result<String, String> {
    let set = |v: &str| std::env::var_os(v).is_some_and(|x| !x.is_empty());
    let wayland = set("WAYLAND_DISPLAY");
    let x11 = set("DISPLAY");
    let mut tools: Vec<(&str, &[&str])> = Vec::new();
    if wayland {
        tools.push(("wl-copy", &[]));
    }
    if x11 {
        tools.push(("xclip", &["-selection", "clipboard"]));
        tools.push(("xsel", &["--clipboard", "--input"]));
    }
    if cfg!(target_os = "macos") {
        tools.push(("pbcopy", &[]));
    }
    if cfg!(windows) || std::env::var_os("WSL_DISTRO_NAME").is_some() {
        tools.push(("clip.exe", &[]));
    }
    let names: Vec<&str> = tools.iter().map(|(p, _)| *p).collect();
    for (prog, args) in tools {
        let child = std::process::Command::new(prog)
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
        let Ok(mut child) = child else { continue };
        if let Some(mut stdin) = child.stdin.take() {
            if stdin.write_all(text.as_bytes()).is_err() {
                let _ = child.kill();
                continue;
            }
        }
        if child.wait().is_ok_and(|s| s.success()) {
            return Ok(format!("copied {text:?} ({prog})"));
        }
    }
    Err(not_copied(text, &names))
}

/// Why `text` was not copied, short enough for the status bar, with the
/// text last (so a long one is what gets cut).
fn not_copied(text: &str, tried: &[&str]) -> String {
    if tried.is_empty() {
        format!("not copied, no clipboard here (no display): {text}")
    } else {
        format!("not copied, no {} worked: {text}", tried.join("/"))
    }
}

/// Watches the document folders from a background thread: directory
/// mtimes always (files added, removed, renamed), file mtimes and sizes when
/// there are at most [`Watch::FILE_LIMIT`] files, and the open document's.
struct Watch {
    shared: Arc<Mutex<WatchState>>,
    changes: mpsc::Receiver<()>,
}

#[derive(Default)]
struct WatchState {
    rebaseline: bool,
    focus: Option<PathBuf>,
    stop: bool,
}

impl Watch {
    const FILE_LIMIT: usize = 5000;
    const EVERY: Duration = Duration::from_millis(1500);

    fn start(repo: &Repo) -> Watch {
        let shared = Arc::new(Mutex::new(WatchState::default()));
        let (tx, rx) = mpsc::channel();
        let root = repo.root.clone();
        let folders = repo.document_folders();
        let state = shared.clone();
        let _ = std::thread::Builder::new()
            .name("findings-watch".into())
            .spawn(move || {
                let mut base = None;
                let mut last_focus: Option<PathBuf> = None;
                loop {
                    let focus = match state.lock() {
                        Ok(mut s) => {
                            if s.stop {
                                return;
                            }
                            if std::mem::take(&mut s.rebaseline) {
                                base = None;
                            }
                            s.focus.clone()
                        }
                        Err(_) => return,
                    };
                    // Opening another document is not a change on disk.
                    if focus != last_focus {
                        base = None;
                        last_focus = focus.clone();
                    }
                    let now = fingerprint(&root, &folders, focus.as_deref());
                    match base {
                        Some(b) if b != now => {
                            if tx.send(()).is_err() {
                                return;
                            }
                            base = Some(now);
                        }
                        _ => base = Some(now),
                    }
                    std::thread::sleep(Self::EVERY);
                }
            });
        Watch { shared, changes: rx }
    }

    fn rebaseline(&self) {
        if let Ok(mut s) = self.shared.lock() {
            s.rebaseline = true;
        }
        while self.changes.try_recv().is_ok() {}
    }

    fn focus(&self, path: Option<PathBuf>) {
        if let Ok(mut s) = self.shared.lock() {
            s.focus = path;
        }
    }

    fn changed(&self) -> bool {
        let mut any = false;
        while self.changes.try_recv().is_ok() {
            any = true;
        }
        any
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        if let Ok(mut s) = self.shared.lock() {
            s.stop = true;
        }
    }
}

fn stamp(h: &mut u64, path: &Path, md: &std::fs::Metadata) {
    let t = md
        .modified()
        .ok()
        .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    for v in [t, md.len()] {
        *h = (*h ^ v).wrapping_mul(0x0000_0100_0000_01b3);
    }
    *h ^= super::backend::content_hash(path.as_os_str().as_encoded_bytes());
}

fn fingerprint(root: &Path, folders: &[String], focus: Option<&Path>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut files: Vec<PathBuf> = Vec::new();
    let mut dirs: Vec<PathBuf> = folders.iter().map(|f| root.join(f)).collect();
    while let Some(d) = dirs.pop() {
        let Ok(md) = std::fs::symlink_metadata(&d) else {
            continue;
        };
        if !md.is_dir() {
            continue;
        }
        stamp(&mut h, &d, &md);
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let Ok(ft) = e.file_type() else { continue };
            let name = e.file_name();
            let name = name.to_string_lossy();
            if ft.is_dir() && !name.starts_with('.') && name != "node_modules" {
                dirs.push(e.path());
            } else if ft.is_file() && name.to_ascii_lowercase().ends_with(".md") && files.len() <= Watch::FILE_LIMIT {
                files.push(e.path());
            }
        }
    }
    if files.len() <= Watch::FILE_LIMIT {
        files.sort();
        for f in &files {
            if let Ok(md) = std::fs::metadata(f) {
                stamp(&mut h, f, &md);
            }
        }
    }
    if let Some(f) = focus {
        if let Ok(md) = std::fs::metadata(f) {
            stamp(&mut h, f, &md);
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::not_copied;

    #[test]
    fn copy_failures_say_why_and_what() {
        assert_eq!(
            not_copied("030", &[]),
            "not copied, no clipboard here (no display): 030"
        );
        assert_eq!(
            not_copied("030", &["xclip", "xsel"]),
            "not copied, no xclip/xsel worked: 030"
        );
    }
}
