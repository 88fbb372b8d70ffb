//! The terminal UI's pickers: superseding an ADR through a fuzzy picker of
//! the other ADRs with a preview of the links both files get; triage's
//! option picker, which also offers the accepted ADRs' options and shows
//! what each choice writes before it commits; acceptance criteria focused
//! and ticked from the detail view. State updates, snapshots, and the same
//! bytes and commit as the command line.

mod common;
mod tui_support;

use common::TempRepo;
use findings::store::Repo;
use findings::tui::app::{Popup, Screen};
use findings::tui::backend::OpsBackend;
use findings::tui::{App, Effect, Runtime};
use ratatui::style::Modifier;
use tui_support::*;

const ADR_1: &str = "# 1. Record architecture decisions\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n\n## Context\n\nWe record decisions.\n";
const ADR_2: &str = "# 2. Use Postgres\n\nDate: 2020-02-01\n\n## Status\n\nAccepted\n\n## Context\n\nOne database.\n";
const ADR_3: &str = "---\nstatus: accepted\n---\n# 3. Use SQLite\n\nSmaller.\n";

fn adr_files() -> [(&'static str, &'static str); 3] {
    [
        ("adr/0001-record-architecture-decisions.md", ADR_1),
        ("adr/0002-use-postgres.md", ADR_2),
        ("adr/0003-use-sqlite.md", ADR_3),
    ]
}

/// A git repository holding the three ADRs, committed.
fn adr_repo() -> TempRepo {
    let r = TempRepo::init();
    for (p, t) in adr_files() {
        r.write(p, t);
    }
    r.commit_all("adrs");
    r
}

/// The app on `dir`, with ADR 0002 selected and its status menu open on
/// "superseded"; then the key that chooses it.
fn supersede_0002(dir: &std::path::Path, w: u16, h: u16) -> App {
    let mut a = app_with(Repo::open(dir).unwrap(), w, h);
    keys(&mut a, &["/", ":postgres"]);
    // The documents' texts searched too (a thread), before choosing.
    while a.busy() {
        findings::tui::update(&mut a, findings::tui::Msg::Work);
    }
    keys(&mut a, &["enter", "s"]);
    let Some(Popup::Menu(m)) = &a.popup else {
        panic!("no status menu: {:?}", a.popup)
    };
    let n = m
        .items
        .iter()
        .position(|i| i.contains("superseded"))
        .expect("superseded offered")
        + 1;
    assert!(
        keys(&mut a, &[&n.to_string()]).is_empty(),
        "choosing it writes nothing yet"
    );
    a
}

fn picker(a: &App) -> &findings::tui::app::AdrPicker {
    match &a.popup {
        Some(Popup::Adr(p)) => p,
        other => panic!("no ADR picker: {other:?}"),
    }
}

#[test]
fn superseded_opens_a_fuzzy_adr_picker_with_both_links_previewed() {
    let r = adr_repo();
    let mut a = supersede_0002(r.path(), 80, 24);
    let p = picker(&a);
    assert_eq!(p.target.id, "ADR-0002");
    let offered: Vec<&str> = p.choices.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(offered, ["ADR-0003", "ADR-0001"], "the others, newest first");
    // Fuzzy, on ID and title.
    keys(&mut a, &[":sqlit"]);
    let p = picker(&a);
    assert_eq!(p.shown.len(), 1);
    assert_eq!(p.current().unwrap().id, "ADR-0003");
    let pv = p.preview.as_ref().expect("a preview");
    assert_eq!(
        pv.old,
        [(9, "Superseded by [3. Use SQLite](0003-use-sqlite.md)".to_string())]
    );
    assert_eq!(
        pv.new,
        [(6, "Supersedes [2. Use Postgres](0002-use-postgres.md)".to_string())]
    );
    let s = screen(&a);
    insta::assert_snapshot!("adr_picker_80x24", s);
    // Other ADRs preview their own lines; a query matching none says so.
    keys(&mut a, &["ctrl-u", ":record"]);
    assert_eq!(picker(&a).current().unwrap().id, "ADR-0001");
    let s = screen(&a);
    assert!(s.contains("Superseded by [1. Record architecture"), "{s}");
    keys(&mut a, &[":zzz"]);
    assert!(picker(&a).shown.is_empty());
    assert!(keys(&mut a, &["enter"]).is_empty(), "nothing to choose");
    assert!(screen(&a).contains("no ADR matches"));
    // Esc backs out with nothing written.
    let fx = keys(&mut a, &["esc"]);
    assert!(fx.is_empty() && a.popup.is_none() && a.pending.is_none());
    assert!(a.message.as_ref().unwrap().text.contains("nothing written"));
    assert_eq!(
        std::fs::read_to_string(r.path().join("adr/0002-use-postgres.md")).unwrap(),
        ADR_2
    );
    // Enter asks for the supersede.
    let mut a = supersede_0002(r.path(), 80, 24);
    let fx = keys(&mut a, &["down", "enter"]);
    assert_eq!(
        fx,
        [Effect::Supersede {
            path: "adr/0002-use-postgres.md".into(),
            by: "adr/0001-record-architecture-decisions.md".into(),
            shown: picker_shown(&fx),
        }]
    );
    assert!(a.pending.is_some() && a.popup.is_none());
}

fn picker_shown(fx: &[Effect]) -> findings::tui::Shown {
    match fx.first() {
        Some(Effect::Supersede { shown, .. }) => *shown,
        other => panic!("{other:?}"),
    }
}

/// What a commit holds: its message and the paths it changed.
fn last_commit(r: &TempRepo) -> (String, String) {
    (
        r.git(&["log", "-1", "--format=%B"]),
        r.git(&["show", "--name-status", "--format=", "HEAD"]),
    )
}

#[test]
fn superseding_from_the_picker_writes_what_the_command_line_writes() {
    let tui = adr_repo();
    let mut a = supersede_0002(tui.path(), 100, 30);
    let fx = keys(&mut a, &[":sqlite", "enter"]);
    let mut rt = Runtime::new(OpsBackend::new(tui.path()));
    settle(&mut a, &mut rt, fx);
    let m = a.message.as_ref().unwrap();
    assert!(m.text.starts_with("committed"), "{m:?}");

    let cli = adr_repo();
    let out = cli
        .findings_cmd()
        .args(["status", "ADR-0002", "superseded", "--by", "ADR-0003"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for (p, _) in adr_files() {
        let (x, y) = (
            std::fs::read_to_string(tui.path().join(p)).unwrap(),
            std::fs::read_to_string(cli.path().join(p)).unwrap(),
        );
        assert_eq!(x, y, "{p}");
    }
    let old = std::fs::read_to_string(tui.path().join("adr/0002-use-postgres.md")).unwrap();
    assert!(
        old.contains("Superseded\n\nSuperseded by [3. Use SQLite](0003-use-sqlite.md)\n"),
        "{old}"
    );
    assert_eq!(last_commit(&tui), last_commit(&cli));
    assert_eq!(tui.git(&["status", "--porcelain"]), "");
    // One undo takes both files back.
    let fx = keys(&mut a, &["u"]);
    assert!(matches!(fx.as_slice(), [Effect::UndoLast]), "{fx:?}");
    settle(&mut a, &mut rt, fx);
    for (p, t) in adr_files() {
        assert_eq!(std::fs::read_to_string(tui.path().join(p)).unwrap(), t, "{p}");
    }
}

#[test]
fn triage_offers_the_accepted_adrs_options_with_what_each_writes() {
    let mut a = app(100, 30);
    keys(&mut a, &["t", "d"]);
    let d = a.triage.as_ref().unwrap().detail.as_ref().unwrap();
    assert_eq!(d.meta.id, "030");
    let adopt: Vec<String> = d
        .adopt
        .iter()
        .map(|c| format!("{} {}", c.adr.as_ref().unwrap().id, c.option.label))
        .collect();
    assert_eq!(adopt, ["ADR-0105 A", "ADR-0105 B"]);
    let s = screen(&a);
    assert!(
        s.contains("3 ADR-0105 Option A: Prisma upsert (preferred)  · from an accepted ADR"),
        "{s}"
    );
    // 3 puts the cursor on ADR 0105's option A and shows what it writes.
    assert!(keys(&mut a, &["3"]).is_empty());
    let Some(Popup::Options(p)) = &a.popup else {
        panic!("{:?}", a.popup)
    };
    assert_eq!(p.cursor, 2);
    let it = &p.items[2];
    assert_eq!(it.from.as_deref(), Some("ADR-0105"));
    assert_eq!(it.action.as_deref(), Some("ADR-0105 A"));
    assert_eq!(
        it.writes,
        [(
            75,
            "Adopt [ADR-0105](../adr/0105-prisma-race-condition-prevention.md) Option A: Prisma upsert (preferred)."
                .to_string()
        )]
    );
    assert!(
        it.text.iter().any(|l| l.contains("prisma.model.upsert")),
        "{:?}",
        it.text
    );
    insta::assert_snapshot!("triage_options_adr_100x30", screen(&a));
    // The document's own option shows its text too; digits move, Esc backs out.
    keys(&mut a, &["1"]);
    let Some(Popup::Options(p)) = &a.popup else { panic!() };
    assert_eq!(
        p.items[0].writes[0].1,
        "Adopt Option A: Database Unique Partial Index (Recommended)."
    );
    assert!(screen(&a).contains("**Pros**: Bulletproof"));
    let fx = keys(&mut a, &["esc"]);
    assert!(fx.is_empty() && a.popup.is_none() && a.screen == Screen::Triage);
    // `o` opens it on the first; Enter on ADR 0105's option A triages with it.
    keys(&mut a, &["o", "down", "down"]);
    let fx = keys(&mut a, &["enter"]);
    assert!(
        matches!(fx.as_slice(), [Effect::Triage { action: Some(x), literal: false, .. }] if x == "ADR-0105 A"),
        "{fx:?}"
    );
}

#[test]
fn adopting_adr_0105_from_the_picker_writes_what_triage_action_upsert_writes() {
    let tui = TempRepo::samples();
    let mut a = app_with(Repo::open(tui.path()).unwrap(), 100, 30);
    let fx = keys(&mut a, &["t", "d", "3", "enter"]);
    let mut rt = Runtime::new(OpsBackend::new(tui.path()));
    settle(&mut a, &mut rt, fx);
    let m = a.message.as_ref().unwrap();
    assert!(m.text.starts_with("committed"), "{m:?}");
    let t = a.triage.as_ref().unwrap();
    assert_eq!(
        t.decisions.last().unwrap().what.describe(),
        "option ADR-0105 A: Prisma upsert (preferred)"
    );

    let cli = TempRepo::samples();
    let out = cli
        .findings_cmd()
        .args(["triage", "030", "--action", "upsert"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let path = "findings/030-ready-p1-race-condition-duplicate-assignment.md";
    let (x, y) = (
        std::fs::read_to_string(tui.path().join(path)).unwrap(),
        std::fs::read_to_string(cli.path().join(path)).unwrap(),
    );
    assert_eq!(x, y);
    assert!(x.contains("Adopt [ADR-0105](../adr/0105-prisma-race-condition-prevention.md) Option A"));
    assert_eq!(last_commit(&tui), last_commit(&cli));
}

#[test]
fn criteria_are_focused_with_tab_and_ticked_with_x() {
    let mut a = app(80, 24);
    keys(&mut a, &["j", "enter"]);
    let d = a.detail.as_ref().unwrap();
    assert_eq!((d.meta.id.as_str(), d.criteria.len(), d.focus), ("030", 3, None));
    // x before a focus says how.
    assert!(keys(&mut a, &["x"]).is_empty());
    assert!(a.message.as_ref().unwrap().text.contains("tab focuses"));
    keys(&mut a, &["tab"]);
    let d = a.detail.as_ref().unwrap();
    assert_eq!(d.focus, Some(0));
    let lines = d.criterion_lines(0).expect("drawn as a task item");
    assert!(
        d.scroll <= lines.start && lines.start < d.scroll + 20,
        "scrolled into view"
    );
    assert!(a
        .message
        .as_ref()
        .unwrap()
        .text
        .starts_with("criterion 1/3 [ ]: Concurrent"));
    let buf = draw(&a);
    insta::assert_snapshot!("criterion_focused_80x24", text(&buf));
    let (x, y) = find(&buf, "Concurrent duplicate").unwrap();
    assert!(buf[(x, y)].modifier.contains(Modifier::REVERSED) || buf[(x, y)].bg == a.theme.palette.selection_bg);
    assert_eq!(buf[(0, y)].symbol(), "›");
    // backtab wraps around to the last; tab to the first again.
    keys(&mut a, &["backtab", "backtab"]);
    assert_eq!(a.detail.as_ref().unwrap().focus, Some(1));
    keys(&mut a, &["tab", "tab"]);
    assert_eq!(a.detail.as_ref().unwrap().focus, Some(0));
    let fx = keys(&mut a, &["x"]);
    assert!(
        matches!(fx.as_slice(), [Effect::Tick { n: 1, undo: false, path, .. }] if path.starts_with("findings/030-")),
        "{fx:?}"
    );
    // A document without criteria says so.
    let mut a = app(80, 24);
    keys(&mut a, &["G", "enter", "tab"]);
    assert!(a.message.as_ref().unwrap().text.contains("no acceptance criteria"));
}

#[test]
fn ticking_from_the_detail_writes_what_findings_tick_writes_and_unticks_again() {
    let tui = TempRepo::samples();
    let mut a = app_with(Repo::open(tui.path()).unwrap(), 80, 24);
    let fx = keys(&mut a, &["j", "enter", "tab", "tab", "x"]);
    let mut rt = Runtime::new(OpsBackend::new(tui.path()));
    settle(&mut a, &mut rt, fx);
    assert!(
        a.message.as_ref().unwrap().text.starts_with("committed"),
        "{:?}",
        a.message
    );

    let cli = TempRepo::samples();
    let out = cli.findings_cmd().args(["tick", "030", "2"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let path = "findings/030-pending-p1-race-condition-duplicate-assignment.md";
    let before = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap();
    let (x, y) = (
        std::fs::read_to_string(tui.path().join(path)).unwrap(),
        std::fs::read_to_string(cli.path().join(path)).unwrap(),
    );
    assert_eq!(x, y);
    assert!(x.contains("- [x] Second request receives 409 Conflict response"));
    // One character in the criteria, and a work-log row (030 keeps a log).
    let row = x
        .lines()
        .find(|l| l.contains("| Ticked: criterion 2 (by Test User) |"))
        .expect("a log row");
    let back = x
        .replacen(&format!("{row}\n"), "", 1)
        .replacen("- [x] Second request", "- [ ] Second request", 1);
    assert_eq!(back, before);
    assert_eq!(last_commit(&tui), last_commit(&cli));
    // The focus stays on it after the reload; x again unticks it.
    let d = a.detail.as_ref().unwrap();
    assert_eq!(d.focus, Some(1));
    assert!(d.criteria[1].done);
    let fx = keys(&mut a, &["x"]);
    assert!(
        matches!(fx.as_slice(), [Effect::Tick { n: 2, undo: true, .. }]),
        "{fx:?}"
    );
    settle(&mut a, &mut rt, fx);
    let now = std::fs::read_to_string(tui.path().join(path)).unwrap();
    assert!(now.contains("- [ ] Second request receives 409 Conflict response"));
    // And `u` undoes the last write of the session.
    let fx = keys(&mut a, &["u"]);
    assert!(matches!(fx.as_slice(), [Effect::UndoLast]), "{fx:?}");
}

#[test]
fn pickers_draw_at_every_size_without_panicking() {
    let r = adr_repo();
    for (w, h) in [(20, 5), (40, 10), (200, 50)] {
        let mut a = supersede_0002(r.path(), w, h);
        screen(&a);
        keys(&mut a, &[":sql", "down"]);
        screen(&a);
        let mut a = app(w, h);
        keys(&mut a, &["t", "d", "3"]);
        assert!(matches!(a.popup, Some(Popup::Options(_))), "{w}x{h}");
        screen(&a);
        let mut a = app(w, h);
        keys(&mut a, &["j", "enter", "tab"]);
        assert_eq!(a.detail.as_ref().unwrap().focus, Some(0), "{w}x{h}");
        screen(&a);
    }
}

#[test]
fn the_wheel_moves_a_pickers_cursor() {
    use crossterm::event::{KeyModifiers, MouseEvent, MouseEventKind};
    let wheel = |kind| {
        findings::tui::Msg::Mouse(MouseEvent {
            kind,
            column: 40,
            row: 10,
            modifiers: KeyModifiers::NONE,
        })
    };
    let mut a = app(100, 30);
    keys(&mut a, &["t", "d", "3"]);
    findings::tui::update(&mut a, wheel(MouseEventKind::ScrollDown));
    assert!(matches!(&a.popup, Some(Popup::Options(p)) if p.cursor == 3));
    let r = adr_repo();
    let mut a = supersede_0002(r.path(), 80, 24);
    findings::tui::update(&mut a, wheel(MouseEventKind::ScrollDown));
    let p = picker(&a);
    assert_eq!(p.current().unwrap().id, "ADR-0001");
    assert_eq!(
        p.preview.as_ref().unwrap().by,
        "adr/0001-record-architecture-decisions.md"
    );
}
