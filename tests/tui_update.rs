//! State-update tests of the terminal UI: feed messages to `update`, check
//! the state and the effects it returns. No terminal involved.

mod tui_support;

use crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use findings::store::Repo;
use findings::tui::app::{Decided, FormPurpose, MenuPurpose, Popup, Screen};
use findings::tui::backend::{Backend, OpsBackend};
use findings::tui::keymap::Keymap;
use findings::tui::settings::Settings;
use findings::tui::{update, Effect, Msg, Runtime, Shown, TuiOptions, WriteOutcome, WriteResult};
use tui_support::*;

fn ids(app: &findings::tui::App) -> Vec<String> {
    app.index
        .shown()
        .iter()
        .map(|&i| app.repo.items[i as usize].id.clone())
        .collect()
}

fn selected_id(app: &findings::tui::App) -> String {
    app.selected().map(|m| m.id.clone()).unwrap_or_default()
}

fn write_ok(message: &str, commit: &str) -> Msg {
    Msg::WriteDone(WriteOutcome::Done(WriteResult {
        message: message.into(),
        commit: Some(commit.into()),
        new_path: None,
    }))
}

/// A scratch repository with `files` (path, text).
fn scratch(files: &[(&str, &str)]) -> (tempfile::TempDir, Repo) {
    let dir = tempfile::tempdir().unwrap();
    for (p, t) in files {
        let abs = dir.path().join(p);
        std::fs::create_dir_all(abs.parent().unwrap()).unwrap();
        std::fs::write(abs, t).unwrap();
    }
    let repo = Repo::open(dir.path()).unwrap();
    (dir, repo)
}

#[test]
fn moves_and_clamps() {
    let mut a = app(80, 24);
    assert_eq!(ids(&a), ["003", "030", "DATA-005", "DATA-001", "ADR-0105"]);
    assert_eq!(selected_id(&a), "003");
    keys(&mut a, &["j", "j"]);
    assert_eq!(selected_id(&a), "DATA-005");
    keys(&mut a, &["G"]);
    assert_eq!(selected_id(&a), "ADR-0105");
    keys(&mut a, &["j", "down"]);
    assert_eq!(selected_id(&a), "ADR-0105");
    keys(&mut a, &["g"]);
    assert_eq!(selected_id(&a), "003");
    keys(&mut a, &["k", "pgdn"]);
    assert_eq!(selected_id(&a), "ADR-0105");
    keys(&mut a, &["home"]);
    assert_eq!(a.row, 0);
}

#[test]
fn search_filters_highlights_keeps_selection_and_restores_on_esc() {
    let mut a = app(80, 24);
    keys(&mut a, &["j", "j", "j"]);
    assert_eq!(selected_id(&a), "DATA-001");
    let fx = keys(&mut a, &["/", ":objection"]);
    assert!(fx.is_empty());
    assert_eq!(a.index.query(), "objection");
    assert_eq!(ids(&a), ["DATA-001"]);
    assert_eq!(selected_id(&a), "DATA-001");
    keys(&mut a, &["ctrl-w"]);
    assert_eq!(a.index.query(), "");
    keys(&mut a, &[":race", "enter"]);
    assert!(a.search.is_none());
    assert_eq!(a.index.query(), "race");
    assert_eq!(selected_id(&a), "DATA-001", "selection kept across re-filter");
    // Esc while searching restores the query from before.
    keys(&mut a, &["/", ":zzz"]);
    assert!(ids(&a).is_empty());
    keys(&mut a, &["esc"]);
    assert_eq!(a.index.query(), "race");
    assert_eq!(a.index.shown().len(), 5);
    // One key clears everything.
    keys(&mut a, &["x"]);
    assert_eq!(a.index.query(), "");
}

#[test]
fn facets_toggle_count_and_clear() {
    let mut a = app(100, 30);
    keys(&mut a, &["f"]);
    let pane = a.facets.as_ref().unwrap();
    let p2 = pane.values.iter().position(|v| v.value == "p2").unwrap();
    assert_eq!(pane.values[p2].count, 1);
    for _ in 0..p2 {
        keys(&mut a, &["j"]);
    }
    keys(&mut a, &["space"]);
    assert_eq!(a.index.filter().priorities, ["p2"]);
    assert_eq!(ids(&a), ["DATA-001"]);
    let pane = a.facets.as_ref().unwrap();
    assert!(pane.values[pane.cursor].active);
    // Tag counts follow the other facets.
    assert!(pane
        .values
        .iter()
        .all(|v| v.facet != findings::tui::screen::facets::values::Facet::Tag));
    keys(&mut a, &["esc"]);
    assert!(a.facets.is_none());
    assert_eq!(ids(&a), ["DATA-001"], "filters stay after closing the pane");
    keys(&mut a, &["x"]);
    assert_eq!(a.index.shown().len(), 5);
}

#[test]
fn sort_cycles_through_keys() {
    let mut a = app(80, 24);
    keys(&mut a, &["o"]);
    assert_eq!(a.index.sort().as_str(), "id");
    assert_eq!(ids(&a), ["003", "030", "ADR-0105", "DATA-001", "DATA-005"]);
    keys(&mut a, &["o", "o", "o"]);
    assert_eq!(a.index.sort().as_str(), "title");
    keys(&mut a, &["o"]);
    assert_eq!(a.index.sort().as_str(), "priority");
}

#[test]
fn detail_opens_scrolls_and_returns_to_the_same_row() {
    let mut a = app(80, 24);
    keys(&mut a, &["j", "enter"]);
    assert_eq!(a.screen, Screen::Detail);
    let d = a.detail.as_ref().unwrap();
    assert_eq!(d.meta.id, "030");
    assert_eq!(d.choices.len(), 2);
    keys(&mut a, &["j", "j"]);
    assert_eq!(a.detail.as_ref().unwrap().scroll, 2);
    keys(&mut a, &["G"]);
    let d = a.detail.as_ref().unwrap();
    assert!(d.scroll > 10 && d.scroll < d.rendered.lines.len());
    keys(&mut a, &["g"]);
    assert_eq!(a.detail.as_ref().unwrap().scroll, 0);
    keys(&mut a, &["J"]);
    assert_eq!(a.detail.as_ref().unwrap().meta.id, "DATA-005");
    keys(&mut a, &["esc"]);
    assert_eq!(a.screen, Screen::List);
    assert_eq!(selected_id(&a), "DATA-005");
}

#[test]
fn status_menu_offers_allowed_transitions_only() {
    let mut a = app(80, 24);
    keys(&mut a, &["j", "s"]);
    let Some(Popup::Menu(m)) = &a.popup else {
        panic!("no menu: {:?}", a.message)
    };
    let MenuPurpose::Status { moves, target } = &m.purpose else {
        panic!()
    };
    assert_eq!(target.status, "pending");
    let tos: Vec<_> = moves.iter().map(|(to, _, r)| (to.as_str(), *r)).collect();
    assert_eq!(tos, [("ready", false), ("wontfix", true)]);
    // Plain transition.
    let fx = keys(&mut a, &["enter"]);
    let [Effect::SetStatus {
        path,
        to,
        reason,
        shown,
        ..
    }] = fx.as_slice()
    else {
        panic!("{fx:?}")
    };
    assert_eq!(
        (path.as_str(), to.as_str(), reason),
        (
            "findings/030-pending-p1-race-condition-duplicate-assignment.md",
            "ready",
            &None
        )
    );
    let bytes = std::fs::read(a.repo.abs(path)).unwrap();
    assert_eq!(shown.hash, findings::tui::backend::content_hash(&bytes));
    // One write at a time: this one answers before the next.
    update(&mut a, write_ok("030: pending → ready", "abcdef1234567"));
    // A transition that needs a reason asks for one, and insists.
    keys(&mut a, &["s", "j", "enter"]);
    assert!(matches!(&a.popup, Some(Popup::Form(f)) if matches!(f.purpose, FormPurpose::Reason { .. })));
    let fx = keys(&mut a, &["enter"]);
    assert!(fx.is_empty());
    assert!(matches!(&a.popup, Some(Popup::Form(f)) if f.error.is_some()));
    let fx = keys(&mut a, &[":duplicate of 003", "enter"]);
    assert!(
        matches!(fx.as_slice(), [Effect::SetStatus { to, reason: Some(r), .. }] if to == "wontfix" && r == "duplicate of 003"),
        "{fx:?}"
    );
    // An ADR that is accepted may only be deprecated or superseded.
    keys(&mut a, &["G", "s"]);
    let Some(Popup::Menu(m)) = &a.popup else { panic!() };
    let MenuPurpose::Status { moves, .. } = &m.purpose else {
        panic!()
    };
    let tos: Vec<_> = moves.iter().map(|(to, _, _)| to.as_str()).collect();
    assert_eq!(tos, ["deprecated", "superseded"]);
    keys(&mut a, &["esc"]);
    assert!(a.popup.is_none());
}

#[test]
fn work_log_form_edits_and_submits() {
    let mut a = app(80, 24);
    keys(&mut a, &["w", ":Added index", "ctrl-w", ":unique index"]);
    let Some(Popup::Form(f)) = &a.popup else { panic!() };
    assert_eq!(f.fields[0].edit.text(), "Added unique index");
    let fx = keys(&mut a, &["tab", ":checks race", "home", "delete", ":C", "enter"]);
    assert_eq!(
        fx,
        [Effect::Log {
            path: "findings/003-pending-p1-race-condition-existence-checks.md".into(),
            action: "Added unique index".into(),
            learnings: Some("Checks race".into()),
            shown: match &fx[0] {
                Effect::Log { shown, .. } => *shown,
                _ => unreachable!(),
            },
        }]
    );
    assert!(a.pending.is_some());
    update(&mut a, write_ok("003: work log entry added", "abcdef1234567"));
    let m = a.message.as_ref().unwrap();
    assert!(
        m.text.contains("work log entry added") && m.text.contains("abcdef1234"),
        "{m:?}"
    );
    assert_eq!(a.last_commit(), Some("abcdef1234567"));
}

#[test]
fn write_errors_are_shown_not_swallowed() {
    let mut a = app(80, 24);
    keys(&mut a, &["s", "enter"]);
    let fx = update(&mut a, Msg::WriteDone(WriteOutcome::failed("git: index.lock exists")));
    assert!(fx.is_empty());
    let m = a.message.as_ref().unwrap();
    assert_eq!(m.level, findings::tui::app::Level::Error);
    assert!(screen(&a).contains("git: index.lock exists"));
}

#[test]
fn triage_session() {
    let mut a = app(100, 30);
    let fake = Fake::default();
    let calls = fake.calls.clone();
    let mut rt = Runtime::new(fake);
    keys(&mut a, &["t"]);
    assert_eq!(a.screen, Screen::Triage);
    let t = a.triage.as_ref().unwrap();
    assert_eq!(t.queue.len(), 3);
    assert!(screen(&a).contains("1/3"));
    // Approve the first.
    let fx = keys(&mut a, &["a"]);
    assert!(
        matches!(
            fx.as_slice(),
            [Effect::Triage {
                action: None,
                literal: false,
                ..
            }]
        ),
        "{fx:?}"
    );
    let rest = settle(&mut a, &mut rt, fx);
    assert!(rest.is_empty());
    let t = a.triage.as_ref().unwrap();
    assert_eq!((t.pos, t.decisions.len()), (1, 1));
    assert_eq!(t.decisions[0].what, Decided::Approved);
    assert!(t.decisions[0].commit.is_some());
    assert!(screen(&a).contains("2/3"));
    // Pick option B of 030: its preview first, then Enter triages.
    assert!(keys(&mut a, &["2"]).is_empty());
    assert!(matches!(&a.popup, Some(Popup::Options(p)) if p.cursor == 1));
    let fx = keys(&mut a, &["enter"]);
    assert!(
        matches!(fx.as_slice(), [Effect::Triage { action: Some(k), literal: false, .. }] if k == "B"),
        "{fx:?}"
    );
    settle(&mut a, &mut rt, fx);
    // Undo it: back to 030.
    let fx = keys(&mut a, &["u"]);
    assert!(
        matches!(fx.as_slice(), [Effect::Undo { commit }] if commit == "c0ffee0002"),
        "{fx:?}"
    );
    settle(&mut a, &mut rt, fx);
    let t = a.triage.as_ref().unwrap();
    assert_eq!((t.pos, t.decisions.len()), (1, 1));
    assert_eq!(t.detail.as_ref().unwrap().meta.id, "030");
    // Type an action instead: matched like `triage --action`.
    let fx = keys(&mut a, &["c", ":Add the partial unique index", "enter"]);
    assert!(
        matches!(fx.as_slice(), [Effect::Triage { action: Some(x), literal: false, .. }] if x == "Add the partial unique index"),
        "{fx:?}"
    );
    settle(&mut a, &mut rt, fx);
    // Skip the finding with a reason: its family's won't-fix status.
    assert_eq!(a.triage.as_ref().unwrap().detail.as_ref().unwrap().meta.id, "DATA-001");
    let fx = keys(&mut a, &["s", ":covered by ADR 0105", "enter"]);
    assert!(
        matches!(fx.as_slice(), [Effect::SetStatus { to, reason: Some(r), .. }] if to == "wont_fix" && r == "covered by ADR 0105"),
        "{fx:?}"
    );
    settle(&mut a, &mut rt, fx);
    // The queue is done: summary.
    assert!(matches!(a.popup, Some(Popup::Summary { .. })));
    let s = screen(&a);
    assert!(s.contains("1 approved") && s.contains("1 skipped"), "{s}");
    keys(&mut a, &["esc"]);
    assert_eq!(a.screen, Screen::List);
    assert!(a.triage.is_none());
    let calls = calls.lock().unwrap();
    assert_eq!(calls.iter().filter(|c| c.starts_with("triage")).count(), 3, "{calls:?}");
}

#[test]
fn triage_defer_undo_and_failed_write() {
    let mut a = app(80, 24);
    keys(&mut a, &["t", "d"]);
    assert_eq!(a.triage.as_ref().unwrap().pos, 1);
    keys(&mut a, &["u"]);
    assert_eq!(a.triage.as_ref().unwrap().pos, 0, "undoing a defer goes back");
    keys(&mut a, &["a"]);
    update(&mut a, Msg::WriteDone(WriteOutcome::failed("not wired yet")));
    let t = a.triage.as_ref().unwrap();
    assert_eq!((t.pos, t.decisions.len()), (0, 0), "a failed write decides nothing");
    assert!(screen(&a).contains("not wired yet"));
    keys(&mut a, &["9"]);
    assert!(a.message.as_ref().unwrap().text.contains("no option 9"));
    keys(&mut a, &["q"]);
    assert!(matches!(a.popup, Some(Popup::Summary { .. })));
    keys(&mut a, &["enter"]);
    assert_eq!(a.screen, Screen::List);
}

#[test]
fn stale_writes_are_refused_and_reload() {
    let (dir, repo) = scratch(&[(
        "todos/001-pending-p1-thing.md",
        "---\nstatus: pending\npriority: p1\nissue_id: \"001\"\n---\n# Thing\n",
    )]);
    let mut a = app_with(repo, 80, 24);
    keys(&mut a, &["enter"]);
    std::fs::write(
        dir.path().join("todos/001-pending-p1-thing.md"),
        "---\nstatus: ready\npriority: p1\nissue_id: \"001\"\n---\n# Thing changed\n",
    )
    .unwrap();
    let fx = keys(&mut a, &["s", "enter"]);
    let mut rt = Runtime::new(OpsBackend::new(dir.path()));
    let rest = settle(&mut a, &mut rt, fx);
    assert!(rest.is_empty());
    let m = a.message.as_ref().unwrap();
    assert!(m.text.contains("changed on disk"), "{m:?}");
    // Reloaded: the detail now shows the new content.
    assert_eq!(a.detail.as_ref().unwrap().meta.title, "Thing changed");
    // Unchanged since shown: the write goes through the library (no git
    // repository here, so it is written and not committed). The first key
    // only closes the error's box.
    let fx = keys(&mut a, &["esc", "s", "enter"]);
    settle(&mut a, &mut rt, fx);
    let m = &a.message.as_ref().unwrap().text;
    assert!(m.contains("001: ready →") && m.contains("not committed"), "{m}");
    let on_disk = std::fs::read_dir(dir.path().join("todos")).unwrap().count();
    assert_eq!(on_disk, 1, "renamed, never duplicated or deleted");
}

#[test]
fn reload_keeps_selection_by_path_and_follows_renames() {
    let (dir, repo) = scratch(&[
        (
            "todos/001-pending-p1-a.md",
            "---\nstatus: pending\npriority: p1\n---\n# A\n",
        ),
        (
            "todos/002-pending-p2-b.md",
            "---\nstatus: pending\npriority: p2\n---\n# B\n",
        ),
    ]);
    let mut a = app_with(repo, 80, 24);
    keys(&mut a, &["j"]);
    assert_eq!(selected_id(&a), "002");
    std::fs::write(
        dir.path().join("todos/000-pending-p0-z.md"),
        "---\nstatus: pending\npriority: p0\n---\n# Z\n",
    )
    .unwrap();
    let fx = update(&mut a, Msg::FilesChanged);
    assert_eq!(fx, [Effect::Reload]);
    update(
        &mut a,
        Msg::Reloaded(Box::new(Repo::open(dir.path()).map_err(|e| e.to_string()))),
    );
    assert_eq!(a.index.shown().len(), 3);
    assert_eq!(selected_id(&a), "002", "selection follows the path, not the row");
    // A write that renames the file: selection follows the new path.
    keys(&mut a, &["s", "enter"]);
    std::fs::rename(
        dir.path().join("todos/002-pending-p2-b.md"),
        dir.path().join("todos/002-ready-p2-b.md"),
    )
    .unwrap();
    let fx = update(
        &mut a,
        Msg::WriteDone(WriteOutcome::Done(WriteResult {
            message: "002: pending → ready".into(),
            commit: None,
            new_path: Some("todos/002-ready-p2-b.md".into()),
        })),
    );
    assert_eq!(fx, [Effect::Reload]);
    update(
        &mut a,
        Msg::Reloaded(Box::new(Repo::open(dir.path()).map_err(|e| e.to_string()))),
    );
    assert_eq!(a.selected().unwrap().path, "todos/002-ready-p2-b.md");
}

#[test]
fn links_and_dependencies_can_be_followed() {
    let (_dir, repo) = scratch(&[
        (
            "todos/001-pending-p1-a.md",
            "---\nstatus: pending\npriority: p1\ndependencies: [\"002\"]\n---\n# A\n\nSee [the other](002-ready-p2-b.md) and [docs](https://example.com/x).\n",
        ),
        ("todos/002-ready-p2-b.md", "---\nstatus: ready\npriority: p2\n---\n# B\n"),
    ]);
    let mut a = app_with(repo, 80, 24);
    keys(&mut a, &["enter", "L"]);
    let Some(Popup::Menu(m)) = &a.popup else {
        panic!("{:?}", a.message)
    };
    assert_eq!(m.items.len(), 3, "{:?}", m.items);
    assert!(
        m.items[0].contains("depends on") && m.items[0].contains("→ 002"),
        "{:?}",
        m.items
    );
    keys(&mut a, &["enter"]);
    assert_eq!(a.detail.as_ref().unwrap().meta.id, "002");
    keys(&mut a, &["esc"]);
    assert_eq!(
        a.detail.as_ref().unwrap().meta.id,
        "001",
        "back returns to where the link was"
    );
    // A web link is not a document: it is copied instead.
    let fx = keys(&mut a, &["L", "G", "enter"]);
    assert_eq!(fx, [Effect::Copy("https://example.com/x".into())]);
    keys(&mut a, &["esc"]);
    assert_eq!(a.screen, Screen::List);
}

#[test]
fn editor_copy_and_undo_effects() {
    let mut a = app(80, 24);
    assert_eq!(
        keys(&mut a, &["e"]),
        [Effect::OpenEditor {
            path: "findings/003-pending-p1-race-condition-existence-checks.md".into(),
            line: None,
        }]
    );
    assert_eq!(update(&mut a, Msg::EditorDone(Ok(()))), [Effect::Reload]);
    assert_eq!(keys(&mut a, &["y"]), [Effect::Copy("003".into())]);
    assert_eq!(
        keys(&mut a, &["Y"]),
        [Effect::Copy(
            "findings/003-pending-p1-race-condition-existence-checks.md".into()
        )]
    );
    update(&mut a, Msg::Copied(Err("no clipboard: install wl-copy".into())));
    assert!(screen(&a).contains("no clipboard"));
    // Undo and redo are the CLI's stack, kept in git: `u`/`z` and `Z` ask
    // it, one at a time, and it says what it took back or why not.
    keys(&mut a, &["s", "enter"]);
    update(&mut a, write_ok("003: pending → ready", "1234567890abc"));
    assert_eq!(keys(&mut a, &["u"]), [Effect::UndoLast]);
    assert!(keys(&mut a, &["z"]).is_empty(), "one write at a time");
    update(&mut a, write_ok("undid: 003 status pending → ready", "2234567890abc"));
    assert!(screen(&a).contains("undid: 003"), "{}", screen(&a));
    assert_eq!(keys(&mut a, &["z"]), [Effect::UndoLast]);
    update(
        &mut a,
        Msg::WriteDone(WriteOutcome::failed("HEAD: nothing left to undo")),
    );
    assert_eq!(keys(&mut a, &["esc", "Z"]), [Effect::Redo]);
    update(&mut a, write_ok("redid: 003 status pending → ready", "3234567890abc"));
    assert_eq!(keys(&mut a, &["q"]), [Effect::Quit]);
    assert!(a.quit_requested());
}

#[test]
fn mouse_selects_opens_and_scrolls() {
    let mut a = app(80, 24);
    let click = |row: u16| {
        Msg::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: 10,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    // Row 0 is the filter line, row 1 the column titles.
    update(&mut a, click(4));
    assert_eq!(selected_id(&a), "DATA-005");
    update(&mut a, click(4));
    assert_eq!(a.screen, Screen::Detail);
    update(
        &mut a,
        Msg::Mouse(MouseEvent {
            kind: MouseEventKind::ScrollDown,
            column: 10,
            row: 10,
            modifiers: KeyModifiers::NONE,
        }),
    );
    assert_eq!(a.detail.as_ref().unwrap().scroll, 3);
    keys(&mut a, &["esc"]);
    update(&mut a, click(40));
    assert_eq!(selected_id(&a), "DATA-005", "clicks below the rows do nothing");
}

#[test]
fn tiny_and_resized_terminals_never_panic() {
    let mut a = app(80, 24);
    let script: &[&[&str]] = &[
        &[],
        &["f"],
        &["esc", "/", ":ra"],
        &["enter", "enter"],
        &["?"],
        &["esc", "esc", "t"],
        &["s"],
    ];
    for step in script {
        keys(&mut a, step);
        for (w, h) in [(20, 5), (1, 1), (0, 0), (3, 2), (200, 50), (80, 24)] {
            update(&mut a, Msg::Resize(w, h));
            let _ = draw(&a);
            keys(&mut a, &["j", "G", "pgup"]);
            let _ = draw(&a);
        }
    }
}

#[test]
fn control_characters_and_wide_text() {
    let (_dir, repo) = scratch(&[
        (
            "todos/001-pending-p1-a.md",
            "---\nstatus: pending\npriority: p1\ntags: [zz]\n---\n# Evil \u{1b}]0;pwned\u{7} title\n\nBody \u{1b}[31mred\n",
        ),
        (
            "todos/002-pending-p1-b.md",
            "---\nstatus: pending\npriority: p1\ntags: [zz]\n---\n# 漢字のタイトル 🚀 wide\n",
        ),
        ("todos/003-pending-p1-c.md", "---\nstatus: pending\npriority: p1\ntags: [zz]\n---\n# Plain\n"),
    ]);
    let mut a = app_with(repo, 120, 12);
    let buf = draw(&a);
    for cell in buf.content() {
        assert!(!cell.symbol().contains('\u{1b}') && !cell.symbol().contains('\u{7}'));
    }
    let s = text(&buf);
    assert!(s.contains("Evil ␛]0;pwned␇ title"), "{s}");
    // The column after a wide title starts at the same screen column on every row.
    let tags_x: Vec<u16> = ["001", "002", "003"]
        .iter()
        .map(|id| {
            let (_, y) = find(&buf, id).unwrap();
            (0..buf.area.width - 1)
                .find(|&x| buf[(x, y)].symbol() == "z" && buf[(x + 1, y)].symbol() == "z")
                .unwrap()
        })
        .collect();
    assert!(tags_x.windows(2).all(|w| w[0] == w[1]), "{tags_x:?}\n{s}");
    keys(&mut a, &["enter"]);
    let buf = draw(&a);
    for cell in buf.content() {
        assert!(!cell.symbol().contains('\u{1b}'));
    }
}

#[test]
fn key_overrides_apply_and_show_in_help() {
    let mut km = Keymap::default();
    km.bind("quit", &["ctrl-q".into()]).unwrap();
    km.bind("search", &["ctrl-s".into()]).unwrap();
    let mut a = app(100, 60);
    a.keymap = km;
    assert!(keys(&mut a, &["q"]).is_empty());
    keys(&mut a, &["?"]);
    let s = screen(&a);
    assert!(s.contains("ctrl-s") && s.contains("ctrl-q"), "{s}");
    keys(&mut a, &["esc", "ctrl-s"]);
    assert!(a.search.is_some());
    keys(&mut a, &["esc"]);
    assert_eq!(keys(&mut a, &["ctrl-q"]), [Effect::Quit]);
}

#[test]
fn settings_errors_name_file_and_position() {
    let (dir, repo) = scratch(&[("todos/001-pending-p1-a.md", "# A\n")]);
    let opts = TuiOptions::default();
    assert!(opts.mouse);
    let user = dir.path().join("config.toml");
    std::fs::write(
        &user,
        "[tui]\ntheme = \"light\"\n\n[keys]\nquit = \"ctrl-q\"\nsearch = \"ctrl-qq\"\n",
    )
    .unwrap();
    let e = Settings::load(&repo, &opts, Some(&user)).unwrap_err().to_string();
    assert!(e.starts_with(&format!("{}:6:10:", user.display())), "{e}");
    assert!(e.contains("ctrl-qq"), "{e}");
    std::fs::write(&user, "[keys]\nserch = \"/\"\n").unwrap();
    let e = Settings::load(&repo, &opts, Some(&user)).unwrap_err().to_string();
    assert!(e.contains(":2:9:") && e.contains("serch"), "{e}");
    std::fs::write(&user, "[tui]\ntheme = \"mine.toml\"\n").unwrap();
    std::fs::write(dir.path().join("mine.toml"), "extends = \"light\"\nborder = \"#12\"\n").unwrap();
    let e = Settings::load(&repo, &opts, Some(&user)).unwrap_err().to_string();
    assert!(e.contains("mine.toml:2:10:") && e.contains("border"), "{e}");
    std::fs::write(
        dir.path().join("mine.toml"),
        "extends = \"light\"\nborder = \"#123456\"\n",
    )
    .unwrap();
    let s = Settings::load(&repo, &opts, Some(&user)).unwrap();
    assert_eq!(s.theme.palette.border, ratatui::style::Color::Rgb(0x12, 0x34, 0x56));
    // The repository's own findings.toml is read too, and the CLI wins.
    std::fs::write(dir.path().join("findings.toml"), "[keys]\nquit = \"Q\"\n").unwrap();
    let repo = Repo::open(dir.path()).unwrap();
    let s = Settings::load(
        &repo,
        &TuiOptions {
            theme: Some("high-contrast".into()),
            no_color: true,
            mouse: true,
        },
        Some(&user),
    )
    .unwrap();
    assert_eq!(s.keymap.keys_of(findings::tui::keymap::Action::Quit), ["Q"]);
    assert_eq!(s.theme.name, "high-contrast");
    assert!(!s.theme.color);
    std::fs::write(dir.path().join("findings.toml"), "[keys]\nquit = \"hyper-q\"\n").unwrap();
    let repo = Repo::open(dir.path()).unwrap();
    let e = Settings::load(&repo, &opts, None).unwrap_err().to_string();
    assert!(e.starts_with("findings.toml:2:8:") && e.contains("hyper"), "{e}");
}

#[test]
fn big_queries_fill_in_while_idle_and_keep_the_selection() {
    let items: Vec<_> = (0..12_000)
        .map(|i| {
            let text = format!(
                "---\nstatus: pending\npriority: p{}\n---\n# {} item number {i}\n",
                i % 4,
                if i % 3 == 0 { "race" } else { "cache" }
            );
            findings::document::Document::parse(&format!("todos/{i:05}-pending-p1-x.md"), text).meta
        })
        .collect();
    let repo = Repo {
        root: std::path::PathBuf::from("/nonexistent"),
        config: Default::default(),
        items,
        file_problems: Vec::new(),
        partial: None,
    };
    let mut a = app_with(repo, 80, 24);
    keys(&mut a, &["G"]);
    let want = a.selected().unwrap().path.clone();
    assert!(!want.is_empty());
    keys(&mut a, &["/", ":item"]);
    let mut steps = 0;
    while a.index.busy() {
        assert!(screen(&a).contains("filtering"), "progress shows while scoring");
        update(&mut a, Msg::Work);
        steps += 1;
    }
    assert!(steps > 0, "12k items take more than one step");
    assert_eq!(a.index.shown().len(), 12_000);
    assert_eq!(a.selected().unwrap().path, want, "selection found once scored");
    keys(&mut a, &[":1 !cache"]);
    while a.index.busy() {
        update(&mut a, Msg::Work);
    }
    let expect = findings::query::select(
        &a.repo.items,
        &Default::default(),
        "item1 !cache",
        findings::query::SortKey::Priority,
    );
    let got: Vec<usize> = a.index.shown().iter().map(|&i| i as usize).collect();
    assert_eq!(got, expect);
}

/// A backend whose writes wait until the test lets each one go (a slow
/// pre-commit hook, a lock held elsewhere).
struct Gated {
    inner: Fake,
    go: std::sync::mpsc::Receiver<()>,
}

impl Gated {
    fn wait(&self) {
        let _ = self.go.recv();
    }
}

impl Backend for Gated {
    fn triage(&mut self, path: &str, action: Option<&str>, literal: bool, shown: Shown) -> WriteOutcome {
        self.wait();
        self.inner.triage(path, action, literal, shown)
    }
    fn set_status(
        &mut self,
        path: &str,
        to: &str,
        note: Option<&str>,
        reason: Option<&str>,
        shown: Shown,
    ) -> WriteOutcome {
        self.wait();
        self.inner.set_status(path, to, note, reason, shown)
    }
    fn log(&mut self, path: &str, action: &str, learnings: Option<&str>, shown: Shown) -> WriteOutcome {
        self.wait();
        self.inner.log(path, action, learnings, shown)
    }
    fn undo(&mut self, commit: &str) -> WriteOutcome {
        self.wait();
        self.inner.undo(commit)
    }
    fn reload(&mut self) -> Result<Repo, String> {
        self.inner.reload()
    }
}

fn press(rt: &mut Runtime, a: &mut findings::tui::App, names: &[&str]) {
    let mut local = |_: &mut findings::tui::App, e: Effect| -> Option<Msg> { panic!("not for the runtime: {e:?}") };
    for n in names {
        if let Some(text) = n.strip_prefix(':') {
            rt.dispatch(a, Msg::Paste(text.into()), &mut local);
            continue;
        }
        let k = findings::tui::update::key_event(n).unwrap();
        rt.dispatch(a, Msg::Key(k), &mut local);
    }
}

#[test]
fn keys_are_answered_while_a_write_runs_and_a_second_write_waits_its_turn() {
    let mut a = app(100, 30);
    let (go, gate) = std::sync::mpsc::channel();
    let fake = Fake::default();
    let calls = fake.calls.clone();
    let mut rt = Runtime::new(Gated { inner: fake, go: gate });
    // 030: pending → ready, held on the worker.
    press(&mut rt, &mut a, &["j", "s", "enter"]);
    assert!(rt.writing());
    let s = screen(&a);
    assert!(s.contains("writing 030…"), "{s}");
    // The selection moves, help opens and closes.
    press(&mut rt, &mut a, &["j"]);
    assert_eq!(selected_id(&a), "DATA-005");
    press(&mut rt, &mut a, &["?"]);
    assert!(matches!(a.popup, Some(Popup::Help { .. })));
    press(&mut rt, &mut a, &["esc"]);
    assert!(a.popup.is_none());
    // A second write is refused, and what was typed for it stays.
    press(&mut rt, &mut a, &["w", ":Checked the index", "enter", "enter"]);
    let Some(Popup::Form(f)) = &a.popup else {
        panic!("{:?}", a.message)
    };
    assert_eq!(f.fields[0].edit.text(), "Checked the index");
    assert!(
        f.error.as_deref().is_some_and(|e| e.contains("still writing 030")),
        "{:?}",
        f.error
    );
    press(&mut rt, &mut a, &["esc"]);
    press(&mut rt, &mut a, &["s", "enter"]);
    assert!(
        a.message.as_ref().unwrap().text.contains("one write at a time"),
        "{:?}",
        a.message
    );
    assert!(matches!(a.popup, Some(Popup::Menu(_))), "the menu stays open");
    press(&mut rt, &mut a, &["esc"]);
    assert_eq!(calls.lock().unwrap().len(), 0, "still held");
    // Let it go: the commit is reported, the list reloaded, the selection kept.
    go.send(()).unwrap();
    let mut local = |_: &mut findings::tui::App, e: Effect| -> Option<Msg> { panic!("{e:?}") };
    assert!(rt.settle(&mut a, std::time::Duration::from_secs(120), &mut local));
    assert!(!rt.writing() && a.pending.is_none());
    let m = &a.message.as_ref().unwrap().text;
    assert!(m.starts_with("committed c0ffee0001"), "{m}");
    assert!(!screen(&a).contains("writing"));
    assert_eq!(selected_id(&a), "DATA-005");
    assert_eq!(calls.lock().unwrap().len(), 1, "{:?}", calls.lock().unwrap());
    // Now the next write goes through.
    drop(go);
    press(&mut rt, &mut a, &["w", ":Checked the index", "enter", "enter"]);
    assert!(rt.settle(&mut a, std::time::Duration::from_secs(120), &mut local));
    assert!(
        calls.lock().unwrap()[1].starts_with("log findings/DATA-005"),
        "{:?}",
        calls.lock().unwrap()
    );
}

#[test]
fn a_triage_decision_moves_on_only_when_written() {
    let mut a = app(100, 30);
    let (go, gate) = std::sync::mpsc::channel();
    let mut rt = Runtime::new(Gated {
        inner: Fake::default(),
        go: gate,
    });
    press(&mut rt, &mut a, &["t", "a"]);
    assert!(screen(&a).contains("writing 003…"));
    // Deciding again, deferring or leaving the session waits for it.
    for k in ["a", "d", "q", "u"] {
        press(&mut rt, &mut a, &[k]);
        let t = a.triage.as_ref().unwrap();
        assert_eq!((t.pos, t.decisions.len()), (0, 0), "after {k}");
        assert!(a.popup.is_none(), "after {k}");
    }
    go.send(()).unwrap();
    let mut local = |_: &mut findings::tui::App, e: Effect| -> Option<Msg> { panic!("{e:?}") };
    assert!(rt.settle(&mut a, std::time::Duration::from_secs(120), &mut local));
    let t = a.triage.as_ref().unwrap();
    assert_eq!((t.pos, t.decisions.len()), (1, 1));
}

#[test]
fn the_writing_label_draws_an_id_inert() {
    let mut a = app(100, 30);
    a.pending = Some(findings::tui::app::Pending::Write {
        path: "x.md".into(),
        id: "E\u{1b}[31mvil\u{7}".into(),
        decided: None,
    });
    let buf = draw(&a);
    assert!(buf
        .content()
        .iter()
        .all(|c| !c.symbol().contains('\u{1b}') && !c.symbol().contains('\u{7}')));
    assert!(text(&buf).contains("writing E␛[31mvil␇…"), "{}", text(&buf));
}

#[test]
fn the_first_frame_comes_before_the_documents_and_says_it_loads() {
    let (dir, _) = scratch(&[
        (
            "todos/001-pending-p1-a.md",
            "---\nstatus: pending\npriority: p1\n---\n# A\n",
        ),
        (
            "todos/002-pending-p2-b.md",
            "---\nstatus: pending\npriority: p2\n---\n# B\n",
        ),
    ]);
    let mut a = app_with(Repo::config_only(dir.path()).unwrap(), 80, 24);
    assert!(a.is_loading());
    let s = screen(&a);
    assert!(s.contains("loading…") && s.contains("Reading the documents…"), "{s}");
    // Keys work meanwhile; the query typed is kept for the rows to come.
    keys(&mut a, &["/", ":b", "enter"]);
    let mut rt = Runtime::new(OpsBackend::new(dir.path()));
    settle(&mut a, &mut rt, vec![Effect::Reload]);
    assert!(!a.is_loading());
    assert_eq!(ids(&a), ["002"]);
    let s = screen(&a);
    assert!(!s.contains("loading…") && s.contains("002"), "{s}");
}

/// Code a document cites is a link too: Enter opens the file in `$EDITOR`
/// at the cited line; a cited file missing from the repository, or one
/// outside it, is refused with a message and opens nothing.
#[test]
fn cited_code_opens_in_the_editor_at_its_line() {
    let (_dir, repo) = scratch(&[
        (
            "todos/001-pending-p1-a.md",
            "---\nstatus: pending\npriority: p1\n---\n# A\n\n**Location**: `src/api/route.ts` (lines 12-20)\n\nAlso `src/gone.rs:7` and `../../etc/passwd:1`.\n",
        ),
        ("src/api/route.ts", "export {}\n"),
    ]);
    let mut a = app_with(repo, 100, 30);
    keys(&mut a, &["enter", "L"]);
    let Some(Popup::Menu(m)) = &a.popup else {
        panic!("{:?}", a.message)
    };
    assert!(
        m.items[0].contains("code") && m.items[0].contains("src/api/route.ts:12-20"),
        "{:?}",
        m.items
    );
    let fx = keys(&mut a, &["enter"]);
    assert_eq!(
        fx,
        [Effect::OpenEditor {
            path: "src/api/route.ts".into(),
            line: Some(12),
        }]
    );
    let n = m_len(&a);
    if n > 1 {
        let fx = keys(&mut a, &["L", "j", "enter"]);
        assert!(fx.is_empty(), "{fx:?}");
        assert!(a.message.is_some(), "a missing file is said");
    }
}

fn m_len(a: &findings::tui::App) -> usize {
    a.detail.as_ref().map_or(0, |d| d.links.len())
}
