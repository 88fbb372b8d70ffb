//! The detail's History tab: `H` switches a document's detail between its
//! text and its git history, read once per path as an effect
//! ([`Effect::LoadHistory`] → `Msg::HistoryLoaded`) and cached in the
//! detail. The repository is a temporary git copy of the bundled samples
//! with a triage commit and a work-log commit made by the git CLI with
//! fixed authors and dates (given to the git subprocesses only), so commit
//! IDs and the snapshots are stable.

mod tui_support;

mod common;

use findings::store::Repo;
use findings::tui::app::{Changes, DetailTab};
use findings::tui::backend::load_history;
use findings::tui::{update, App, Effect, Msg, Screen};
use std::path::{Path, PathBuf};
use tui_support::*;

const PENDING: &str = "findings/030-pending-p1-race-condition-duplicate-assignment.md";
const READY: &str = "findings/030-ready-p1-race-condition-duplicate-assignment.md";

fn git(dir: &Path, who: (&str, &str), date: &str, args: &[&str]) {
    let env = [
        ("GIT_AUTHOR_NAME", who.0),
        ("GIT_AUTHOR_EMAIL", who.1),
        ("GIT_COMMITTER_NAME", who.0),
        ("GIT_COMMITTER_EMAIL", who.1),
        ("GIT_AUTHOR_DATE", date),
        ("GIT_COMMITTER_DATE", date),
    ];
    let config = ["-c", "commit.gpgsign=false", "-c", "core.autocrlf=false"];
    common::git_env(dir, &common::empty_home(), &env, &[&config[..], args].concat());
}

/// The samples committed by a seed bot, then 030 triaged (renamed to
/// ready, a work-log row) by Ana, then a work-log entry by Ben.
fn history_repo() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("repo");
    common::copy_samples(&dir);
    let seed = ("Seed Bot", "seed@example.com");
    let ana = ("Ana Reviewer", "ana@example.com");
    let ben = ("Ben", "ben@example.com");
    git(&dir, seed, "2026-01-26T09:00:00+00:00", &["init", "-q", "-b", "main"]);
    git(&dir, seed, "2026-01-26T09:00:00+00:00", &["add", "-A"]);
    git(
        &dir,
        seed,
        "2026-01-26T09:00:00+00:00",
        &["commit", "-q", "-m", "Import the code review findings"],
    );
    let row = "| 2026-01-26 | Created from code review | Data integrity guardian flagged as CRITICAL |\n";
    let text = std::fs::read_to_string(dir.join(PENDING)).unwrap();
    let text = text.replacen("status: pending", "status: ready", 1).replacen(
        row,
        &format!("{row}| 2026-01-27 | Triage: pending → ready (by Ana) | Option A: unique index |\n"),
        1,
    );
    std::fs::write(dir.join(PENDING), &text).unwrap();
    git(&dir, ana, "2026-01-27T10:30:00+00:00", &["mv", PENDING, READY]);
    git(
        &dir,
        ana,
        "2026-01-27T10:30:00+00:00",
        &["commit", "-q", "-am", "findings(030): triage pending → ready"],
    );
    let text = std::fs::read_to_string(dir.join(READY)).unwrap().replacen(
        "Option A: unique index |\n",
        "Option A: unique index |\n| 2026-01-28 | Added the unique index (by Ben) | Migration ran clean |\n",
        1,
    );
    std::fs::write(dir.join(READY), &text).unwrap();
    git(
        &dir,
        ben,
        "2026-01-28T16:05:00+00:00",
        &["commit", "-q", "-am", "findings(030): log Added the unique index"],
    );
    (tmp, dir)
}

fn open(dir: &Path, w: u16, h: u16, path: &str) -> App {
    let mut a = app_with(Repo::open(dir).expect("repo loads"), w, h);
    assert!(a.select_path(path), "{path} listed");
    assert!(keys(&mut a, &["enter"]).is_empty());
    assert_eq!(a.screen, Screen::Detail);
    a
}

/// Run the effects as the runner does (git histories read here, in line).
fn run(a: &mut App, effects: Vec<Effect>) {
    for e in effects {
        if let Effect::LoadHistory { path } = e {
            let root = a.repo.root.clone();
            let more = update(a, load_history(&root, &path));
            run(a, more);
        }
    }
}

#[test]
fn h_asks_for_the_history_once_and_switches_back() {
    let (_tmp, dir) = history_repo();
    let mut a = open(&dir, 80, 24, READY);
    let e = keys(&mut a, &["H"]);
    assert_eq!(e, [Effect::LoadHistory { path: READY.into() }]);
    let d = a.detail.as_ref().unwrap();
    assert_eq!(d.tab, DetailTab::History);
    assert_eq!(d.current_changes(), Some(&Changes::Loading));
    assert!(screen(&a).contains("reading the history from git…"));
    assert!(screen(&a).contains(" HISTORY "));

    run(&mut a, e);
    let Some(Changes::Loaded(v)) = a.detail.as_ref().unwrap().current_changes() else {
        panic!("loaded");
    };
    assert_eq!(v.len(), 3);
    assert_eq!(v[0].author, "Ben");
    assert_eq!(v[2].path, PENDING);

    // Back to the text, then the history again: cached, not read twice.
    assert!(keys(&mut a, &["H"]).is_empty());
    assert_eq!(a.detail.as_ref().unwrap().tab, DetailTab::Document);
    assert!(screen(&a).contains(" DETAIL "));
    assert!(keys(&mut a, &["H"]).is_empty());
    assert!(screen(&a).contains("Ana Reviewer"));
}

#[test]
fn history_snapshots() {
    let (_tmp, dir) = history_repo();
    for (w, h) in [(80, 24), (200, 50), (20, 5)] {
        let mut a = open(&dir, w, h, READY);
        let e = keys(&mut a, &["H"]);
        run(&mut a, e);
        insta::assert_snapshot!(format!("history_030_{w}x{h}"), screen(&a));
    }
}

#[test]
fn history_follows_the_reader_to_other_documents() {
    let (_tmp, dir) = history_repo();
    let mut a = open(&dir, 80, 24, READY);
    let e = keys(&mut a, &["H"]);
    run(&mut a, e);
    // The next document opens on its history too, asked for once.
    let e = keys(&mut a, &["J"]);
    let next = a.detail.as_ref().unwrap().path.clone();
    assert_ne!(next, READY);
    assert_eq!(e, [Effect::LoadHistory { path: next.clone() }]);
    run(&mut a, e);
    let d = a.detail.as_ref().unwrap();
    assert_eq!(d.tab, DetailTab::History);
    let Some(Changes::Loaded(v)) = d.current_changes() else {
        panic!("loaded");
    };
    assert_eq!(v.len(), 1, "only the import touched {next}");
    assert!(v[0].created);
    assert!(screen(&a).contains("created"));
    // Coming back uses the cache.
    assert!(keys(&mut a, &["K"]).is_empty());
    assert!(screen(&a).contains("Ben"));
}

#[test]
fn a_reload_reads_the_history_again() {
    let (_tmp, dir) = history_repo();
    let mut a = open(&dir, 80, 24, READY);
    let e = keys(&mut a, &["H"]);
    run(&mut a, e);
    let e = update(
        &mut a,
        Msg::Reloaded(Box::new(Repo::open(&dir).map_err(|e| e.to_string()))),
    );
    // (And which documents hold hand edits, asked after every reload.)
    assert_eq!(e, [Effect::LoadHistory { path: READY.into() }, Effect::CheckEdits]);
    assert_eq!(a.detail.as_ref().unwrap().tab, DetailTab::History);
    // A result for a document nobody reads any more is dropped.
    let mut b = open(&dir, 80, 24, READY);
    update(&mut b, load_history(&dir, PENDING));
    assert!(b.detail.as_ref().unwrap().changes.is_empty());
}

#[test]
fn scrolling_the_history_keeps_the_document_scroll() {
    let (_tmp, dir) = history_repo();
    let mut a = open(&dir, 80, 12, READY);
    keys(&mut a, &["j", "j", "j"]);
    let doc_scroll = a.detail.as_ref().unwrap().scroll;
    assert_eq!(doc_scroll, 3);
    let e = keys(&mut a, &["H"]);
    run(&mut a, e);
    // 12 rows: 3 of header, a rule, a status bar, the column titles: 6 rows
    // for 3 commits, nothing to scroll.
    keys(&mut a, &["j", "G"]);
    assert_eq!(a.detail.as_ref().unwrap().changes_scroll, 0);
    keys(&mut a, &["H"]);
    assert_eq!(a.detail.as_ref().unwrap().scroll, doc_scroll);
}

#[test]
fn outside_git_the_history_says_so_in_one_line() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("plain");
    common::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("findings"),
        &dir.join("findings"),
    );
    let mut a = open(&dir, 80, 24, PENDING);
    let e = keys(&mut a, &["H"]);
    run(&mut a, e);
    assert!(matches!(
        a.detail.as_ref().unwrap().current_changes(),
        Some(Changes::Unavailable(_))
    ));
    let s = screen(&a);
    assert!(s.contains("not a git repository: no history to show"), "{s}");
}

#[test]
fn an_uncommitted_document_has_no_history_yet() {
    let (_tmp, dir) = history_repo();
    let new = "findings/040-pending-p3-new-one.md";
    std::fs::write(dir.join(new), "---\nstatus: pending\npriority: p3\n---\n# New one\n").unwrap();
    let mut a = open(&dir, 80, 24, new);
    let e = keys(&mut a, &["H"]);
    run(&mut a, e);
    assert!(screen(&a).contains("no history: findings/040-pending-p3-new-one.md has not been committed yet"));
}

#[test]
fn history_in_triage_and_rebound() {
    let (_tmp, dir) = history_repo();
    let mut a = open(
        &dir,
        80,
        24,
        "findings/003-pending-p1-race-condition-existence-checks.md",
    );
    keys(&mut a, &["t"]);
    assert_eq!(a.screen, Screen::Triage);
    let e = keys(&mut a, &["H"]);
    assert_eq!(e.len(), 1);
    run(&mut a, e);
    assert_eq!(
        a.triage.as_ref().unwrap().detail.as_ref().unwrap().tab,
        DetailTab::History
    );
    assert!(screen(&a).contains("Seed Bot"));

    // Like every binding, `history` can be rebound; help shows the new key.
    let mut b = open(&dir, 80, 24, READY);
    b.keymap.bind("history", &["ctrl-g".into()]).unwrap();
    assert!(keys(&mut b, &["H"]).is_empty());
    assert_eq!(keys(&mut b, &["ctrl-g"]).len(), 1);
    keys(&mut b, &["?"]);
    let s = screen(&b);
    assert!(s.contains("ctrl-g") && s.contains("its git history"), "{s}");
}
