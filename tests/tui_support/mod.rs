//! Shared helpers for the terminal UI tests: the bundled sample repository,
//! a fixed "today", feeding keys through `update`, rendering with ratatui's
//! `TestBackend`, and a scripted write backend.
#![allow(dead_code)]

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use findings::store::Repo;
use findings::tui::backend::Backend;
use findings::tui::update::key_event;
use findings::tui::{update, view, App, AppOptions, Effect, Msg, Runtime, Shown, WriteOutcome, WriteResult};
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::Terminal;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub fn repo() -> Repo {
    Repo::open(Path::new(env!("CARGO_MANIFEST_DIR"))).expect("bundled samples load")
}

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 2, 1).unwrap()
}

pub fn app_with(repo: Repo, w: u16, h: u16) -> App {
    App::new(
        repo,
        AppOptions {
            today: today(),
            size: (w, h),
            ..AppOptions::default()
        },
    )
}

pub fn app(w: u16, h: u16) -> App {
    app_with(repo(), w, h)
}

/// Feed key names (`"j"`, `"ctrl-w"`, `"enter"`) or, for anything longer
/// than a key name, typed text prefixed with `:` (`":race"`).
pub fn keys(app: &mut App, names: &[&str]) -> Vec<Effect> {
    let mut out = Vec::new();
    for n in names {
        if let Some(text) = n.strip_prefix(':') {
            for c in text.chars() {
                let mods = if c.is_uppercase() {
                    KeyModifiers::SHIFT
                } else {
                    KeyModifiers::NONE
                };
                out.extend(update(app, Msg::Key(KeyEvent::new(KeyCode::Char(c), mods))));
            }
            continue;
        }
        let k = key_event(n).unwrap_or_else(|| panic!("bad key name {n}"));
        out.extend(update(app, Msg::Key(k)));
    }
    out
}

pub fn draw(app: &App) -> Buffer {
    let (w, h) = app.size();
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| view(app, f)).unwrap();
    t.backend().buffer().clone()
}

/// The characters of a buffer, one line per row, trailing spaces trimmed.
pub fn text(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..buf.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let c = &buf[(x, y)];
            let s = c.symbol();
            line.push_str(s);
            skip = unicode_width::UnicodeWidthStr::width(s).saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

pub fn screen(app: &App) -> String {
    text(&draw(app))
}

/// Position of the first occurrence of `needle` on screen (x, y).
pub fn find(buf: &Buffer, needle: &str) -> Option<(u16, u16)> {
    for y in 0..buf.area.height {
        let mut line = String::new();
        let mut xs = Vec::new();
        for x in 0..buf.area.width {
            let s = buf[(x, y)].symbol();
            for _ in 0..s.len() {
                xs.push(x);
            }
            line.push_str(s);
        }
        if let Some(i) = line.find(needle) {
            return Some((xs[i], y));
        }
    }
    None
}

/// A write backend that records calls and answers from a script. It runs
/// on the runtime's worker thread: keep a clone of `calls` to read them.
#[derive(Default)]
pub struct Fake {
    pub calls: Arc<Mutex<Vec<String>>>,
    pub answers: Vec<WriteOutcome>,
    pub next_commit: u32,
}

impl Fake {
    fn answer(&mut self, call: String) -> WriteOutcome {
        self.calls.lock().unwrap().push(call.clone());
        if !self.answers.is_empty() {
            return self.answers.remove(0);
        }
        self.next_commit += 1;
        WriteOutcome::Done(WriteResult {
            message: call,
            commit: Some(format!("c0ffee{:04}", self.next_commit)),
            new_path: None,
        })
    }
}

impl Backend for Fake {
    fn triage(&mut self, path: &str, action: Option<&str>, literal: bool, _: Shown) -> WriteOutcome {
        self.answer(format!("triage {path} {action:?} literal={literal}"))
    }
    fn set_status(
        &mut self,
        path: &str,
        to: &str,
        _note: Option<&str>,
        reason: Option<&str>,
        _: Shown,
    ) -> WriteOutcome {
        self.answer(format!("status {path} -> {to} reason={reason:?}"))
    }
    fn log(&mut self, path: &str, action: &str, learnings: Option<&str>, _: Shown) -> WriteOutcome {
        self.answer(format!("log {path} {action:?} {learnings:?}"))
    }
    fn undo(&mut self, commit: &str) -> WriteOutcome {
        self.answer(format!("undo {commit}"))
    }
    fn supersede(&mut self, path: &str, by: &str, _: Shown) -> WriteOutcome {
        self.answer(format!("supersede {path} by {by}"))
    }
    fn tick(&mut self, path: &str, n: usize, undo: bool, _: Shown) -> WriteOutcome {
        self.answer(format!("tick {path} {n} undo={undo}"))
    }
    fn reload(&mut self) -> Result<Repo, String> {
        Ok(repo())
    }
}

/// Start `effects` on the runtime (the one the terminal runner drives) and
/// apply its results until nothing runs; editor, clipboard and quit effects
/// are returned unexecuted.
pub fn settle(app: &mut App, rt: &mut Runtime, effects: Vec<Effect>) -> Vec<Effect> {
    let mut others = Vec::new();
    let mut local = |_: &mut App, e: Effect| {
        others.push(e);
        None
    };
    rt.start_all(app, effects, &mut local);
    assert!(
        rt.settle(app, Duration::from_secs(120), &mut local),
        "an effect never answered"
    );
    others
}
