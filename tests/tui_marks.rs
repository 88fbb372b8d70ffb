//! Marks, batches, the undo/redo stack and hand edits in the terminal UI,
//! driven in-process through the runtime and the real backend on temporary
//! git repositories: a bulk status of three documents is one commit of
//! exactly those three files; one `z` puts all three back byte for byte and
//! `Z` writes them again; a status change after a hand edit never commits
//! the hand edit; `C` commits only that file (and `z` still works after
//! it); `X` asks first and restores the file from HEAD. A batch with one
//! document it cannot write is refused whole, naming it.

mod common;
mod tui_support;

use findings::ops::batch::{batch, BatchError, BatchItem, BatchWrite};
use findings::ops::WriteOpts;
use findings::store::Repo;
use findings::tui::app::{MenuPurpose, Popup};
use findings::tui::{App, OpsBackend, Runtime};
use std::collections::BTreeMap;
use std::path::Path;
use tui_support::*;

fn todo(id: &str, title: &str) -> (String, String) {
    (
        format!("todos/{id}-pending-p2-{}.md", title.to_lowercase()),
        format!("---\nstatus: pending\npriority: p2\n---\n# {title}\n\nKeep this line.\n\n## Work Log\n"),
    )
}

/// A repository of three pending todos, committed.
fn three() -> common::TempRepo {
    let r = common::TempRepo::init();
    for (id, t) in [("001", "Alpha"), ("002", "Bravo"), ("003", "Charlie")] {
        let (p, text) = todo(id, t);
        r.write(&p, &text);
    }
    r.commit_all("three todos");
    r
}

/// Every file under `todos/`, path → bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir.join("todos"))
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn commits(r: &common::TempRepo) -> usize {
    r.git(&["rev-list", "--count", "HEAD"]).trim().parse().unwrap()
}

fn tui(r: &common::TempRepo) -> (App, Runtime) {
    let app = app_with(Repo::open(r.path()).unwrap(), 100, 24);
    (app, Runtime::new(OpsBackend::new(r.path())))
}

fn message(app: &App) -> String {
    app.message.as_ref().map(|m| m.text.clone()).unwrap_or_default()
}

/// Press `names` and run what they ask until nothing runs.
fn press(app: &mut App, rt: &mut Runtime, names: &[&str]) {
    let fx = keys(app, names);
    settle(app, rt, fx);
}

#[test]
fn bulk_status_of_three_is_one_commit_one_undo_and_one_redo() {
    let r = three();
    let before = files(r.path());
    let (mut app, mut rt) = tui(&r);
    press(&mut app, &mut rt, &["space", "j", "space", "j", "space"]);
    assert_eq!(app.marked().len(), 3);
    assert!(screen(&app).contains("3 marked"), "{}", screen(&app));
    keys(&mut app, &["s"]);
    let Some(Popup::Menu(m)) = &app.popup else {
        panic!("a menu of the moves all three allow: {:?}", app.popup)
    };
    assert!(matches!(m.purpose, MenuPurpose::BatchStatus { .. }));
    let ready = m.items.iter().position(|i| i == "→ ready").expect("ready offered");
    let n = commits(&r);
    press(&mut app, &mut rt, &[&(ready + 1).to_string()]);
    assert_eq!(commits(&r), n + 1, "one commit: {}", message(&app));
    assert!(app.marked().is_empty(), "a written batch clears the marks");
    // Exactly the three documents, each renamed to its new status (the old
    // name removed, the new one added: the files are too small for git to
    // call it a rename).
    let shown = r.git(&["show", "--name-status", "--no-renames", "--format=%s", "HEAD"]);
    let mut lines = shown.lines().filter(|l| !l.is_empty());
    assert_eq!(lines.next(), Some("findings: status of 3 documents → ready"), "{shown}");
    let mut changed: Vec<String> = lines.map(|l| l.replace('\t', " ")).collect();
    changed.sort();
    let mut want: Vec<String> = before
        .keys()
        .flat_map(|k| {
            [
                format!("A todos/{}", k.replace("pending", "ready")),
                format!("D todos/{k}"),
            ]
        })
        .collect();
    want.sort();
    assert_eq!(changed, want, "{shown}");
    let after = files(r.path());
    assert!(after.keys().all(|k| k.contains("-ready-")), "{after:?}");
    for text in after.values() {
        let text = String::from_utf8_lossy(text);
        assert!(
            text.contains("status: ready") && text.contains("Keep this line."),
            "{text}"
        );
    }

    // One `z`: all three back, byte for byte, as one more commit.
    press(&mut app, &mut rt, &["z"]);
    assert_eq!(files(r.path()), before, "{}", message(&app));
    assert_eq!(commits(&r), n + 2);
    assert!(
        message(&app).contains("undid: status of 3 documents → ready"),
        "{}",
        message(&app)
    );
    // `Z`: all three written again.
    press(&mut app, &mut rt, &["Z"]);
    assert_eq!(files(r.path()), after, "{}", message(&app));
    assert!(message(&app).contains("redid:"), "{}", message(&app));
    // And `u` (undo's other key) takes the redo back.
    press(&mut app, &mut rt, &["u"]);
    assert_eq!(files(r.path()), before, "{}", message(&app));
    assert_eq!(r.git(&["status", "--porcelain"]), "", "everything committed");
}

#[test]
fn undo_says_why_not_when_nothing_is_left() {
    let r = three();
    let (mut app, mut rt) = tui(&r);
    press(&mut app, &mut rt, &["z"]);
    let m = message(&app);
    assert!(
        m.contains("nothing to undo") || m.contains("nothing left to undo"),
        "{m}"
    );
    press(&mut app, &mut rt, &["esc", "Z"]);
    assert!(message(&app).contains("nothing to redo"), "{}", message(&app));
}

#[test]
fn a_batch_with_one_document_it_cannot_write_writes_none() {
    let r = three();
    // 003 moves on before the batch: ready → ready is no move.
    let (p3, t3) = todo("003", "Charlie");
    let moved = r.path().join(p3.replace("pending", "ready"));
    std::fs::rename(r.path().join(&p3), &moved).unwrap();
    std::fs::write(&moved, t3.replace("status: pending", "status: ready")).unwrap();
    r.commit_all("003 is ready");
    let before = files(r.path());
    let n = commits(&r);
    let repo = Repo::open(r.path()).unwrap();
    let items: Vec<BatchItem> = repo
        .items
        .iter()
        .map(|m| BatchItem {
            id: m.path.clone(),
            shown: None,
        })
        .collect();
    let what = BatchWrite::Status {
        to: "ready".into(),
        note: None,
        reason: None,
    };
    let e = batch(&repo, &items, &what, &WriteOpts::default()).unwrap_err();
    match &e {
        BatchError::Refused { path, count, .. } => {
            assert!(path.contains("003"), "{e}");
            assert_eq!(*count, 3);
        }
        other => panic!("{other}"),
    }
    let text = e.to_string();
    assert!(
        text.contains("003") && text.contains("nothing of the 3 documents was written"),
        "{text}"
    );
    assert_eq!(files(r.path()), before);
    assert_eq!(commits(&r), n);

    // A document changed since it was shown refuses the batch too.
    let mut items = items;
    items[0].shown = Some(1);
    let e = batch(&repo, &items[..2], &what, &WriteOpts::default()).unwrap_err();
    assert!(matches!(e, BatchError::Refused { .. }), "{e}");
    assert_eq!(files(r.path()), before);
}

#[test]
fn a_hand_edit_is_marked_never_swept_into_a_write_and_committed_alone_by_c() {
    let r = three();
    let (p1, _) = todo("001", "Alpha");
    let (p2, _) = todo("002", "Bravo");
    let (mut app, mut rt) = tui(&r);
    // An editor changed 001's body (the line at the end), and 002 too.
    let abs1 = r.path().join(&p1);
    let edited1 = std::fs::read_to_string(&abs1)
        .unwrap()
        .replace("Keep this line.", "Keep this line, edited.");
    std::fs::write(&abs1, &edited1).unwrap();
    let abs2 = r.path().join(&p2);
    let edited2 = std::fs::read_to_string(&abs2).unwrap() + "\nA note typed by hand.\n";
    std::fs::write(&abs2, &edited2).unwrap();
    // `e` on 001: the editor (not run here) closes and the UI reloads.
    assert!(app.select_path(&p1));
    let fx = keys(&mut app, &["e"]);
    assert!(
        matches!(fx.as_slice(), [findings::tui::Effect::OpenEditor { .. }]),
        "{fx:?}"
    );
    let fx = findings::tui::update(&mut app, findings::tui::Msg::EditorDone(Ok(())));
    settle(&mut app, &mut rt, fx);
    assert!(
        app.hand_edited().contains(&p1) && app.hand_edited().contains(&p2),
        "{:?}",
        app.hand_edited()
    );
    let m = message(&app);
    assert!(m.contains("001 has uncommitted edits: C commit, X discard"), "{m}");
    let s = screen(&app);
    assert!(s.contains("✎ Alpha") && s.contains("✎ Bravo"), "{s}");

    // A status change of 001: its commit holds the status, not the edit.
    assert!(app.select_path(&p1));
    press(&mut app, &mut rt, &["s", "enter"]);
    let shown = r.git(&["show", "--format=%s", "HEAD"]);
    assert!(shown.starts_with("findings(001): status pending"), "{shown}");
    assert!(!shown.contains("edited"), "the hand edit stays out:\n{shown}");
    let now = std::fs::read_dir(r.path().join("todos"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("001-"))
        .unwrap();
    let text = std::fs::read_to_string(&now).unwrap();
    assert!(
        text.contains("Keep this line, edited."),
        "the edit is still in the file:\n{text}"
    );
    assert!(
        r.git(&["status", "--porcelain"]).contains("001-"),
        "and still uncommitted"
    );

    // `C` on 002 commits exactly that file's edit.
    let n = commits(&r);
    assert!(app.select_path(&p2));
    press(&mut app, &mut rt, &["C"]);
    assert_eq!(commits(&r), n + 1, "{}", message(&app));
    let shown = r.git(&["show", "--name-only", "--format=%s", "HEAD"]);
    assert_eq!(
        shown.lines().filter(|l| !l.is_empty()).collect::<Vec<_>>(),
        ["findings(002): edit", p2.as_str()],
        "{shown}"
    );
    assert_eq!(std::fs::read_to_string(&abs2).unwrap(), edited2);
    assert!(!app.hand_edited().contains(&p2));
    assert!(!r.git(&["status", "--porcelain"]).contains("002-"));

    // `z` still works after it: the committed edit is taken back.
    press(&mut app, &mut rt, &["z"]);
    assert_eq!(
        std::fs::read_to_string(&abs2).unwrap(),
        todo("002", "Bravo").1,
        "{}",
        message(&app)
    );
}

#[test]
fn x_asks_and_restores_from_head_keeping_the_text_as_a_blob() {
    let r = three();
    let (p1, original) = todo("001", "Alpha");
    let abs = r.path().join(&p1);
    std::fs::write(&abs, original.replace("Keep this line.", "Scribbled.")).unwrap();
    let (mut app, mut rt) = tui(&r);
    settle(&mut app, &mut rt, vec![findings::tui::Effect::CheckEdits]);
    assert!(app.hand_edited().contains(&p1));
    assert!(app.select_path(&p1));
    // The confirmation: "no" first; choosing it keeps the edit.
    keys(&mut app, &["X"]);
    assert!(screen(&app).contains("Discard the uncommitted edits of 001?"));
    press(&mut app, &mut rt, &["enter"]);
    assert!(std::fs::read_to_string(&abs).unwrap().contains("Scribbled."));
    // "yes": HEAD's version is back, the dropped text is in a blob.
    keys(&mut app, &["X"]);
    press(&mut app, &mut rt, &["2"]);
    assert_eq!(std::fs::read_to_string(&abs).unwrap(), original, "{}", message(&app));
    let m = message(&app);
    let blob = m
        .split("git blob ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .expect(&m);
    assert!(r.git(&["cat-file", "-p", blob]).contains("Scribbled."));
    assert_eq!(r.git(&["status", "--porcelain"]), "");
    assert!(!app.hand_edited().contains(&p1));
}

/// The list with marks (`●`, `3 marked`), a document holding a hand edit
/// (`✎`, the status bar's hint), the discard confirmation and the batch's
/// status menu, on the bundled samples at 80x24.
#[test]
fn snapshots_of_marks_hand_edits_and_their_popups() {
    let shot = |name: &str, a: &App| insta::assert_snapshot!(name.to_string(), screen(a));
    let mut a = app(80, 24);
    keys(&mut a, &["space", "j", "space", "j", "j", "space"]);
    shot("marked_rows_80x24", &a);
    // Marks first, then filters: esc unmarks, and says so.
    keys(&mut a, &["esc"]);
    assert!(a.marked().is_empty());
    assert!(screen(&a).contains("3 unmarked"));

    // The two pending todos: `s` offers the moves both allow.
    keys(&mut a, &["g", "space", "v", "j", "v"]);
    assert_eq!(a.marked().len(), 2);
    keys(&mut a, &["s"]);
    shot("batch_status_menu_80x24", &a);
    keys(&mut a, &["esc", "esc"]);

    let mut a = app(80, 24);
    let path = a.repo.items.iter().find(|m| m.id == "030").unwrap().path.clone();
    findings::tui::update(&mut a, findings::tui::Msg::HandEdits(vec![path]));
    keys(&mut a, &["j"]);
    shot("modified_marker_80x24", &a);
    keys(&mut a, &["X"]);
    shot("discard_confirmation_80x24", &a);
}

/// A hand edit where the write goes (typed at the end of the work log,
/// where a new entry goes) cannot be left out of the commit: the write is
/// refused, nothing changes, and the message says how to settle it.
#[test]
fn a_write_that_cannot_leave_a_hand_edit_out_is_refused_offering_c_and_x() {
    let r = three();
    let (p1, original) = todo("001", "Alpha");
    let abs = r.path().join(&p1);
    let edited = format!("{original}\n- typed into the log by hand\n");
    std::fs::write(&abs, &edited).unwrap();
    let (mut app, mut rt) = tui(&r);
    settle(&mut app, &mut rt, vec![findings::tui::Effect::CheckEdits]);
    assert!(app.select_path(&p1));
    let n = commits(&r);
    press(&mut app, &mut rt, &["w", ":Checked again", "enter", "enter"]);
    let m = message(&app);
    assert!(
        m.contains("uncommitted edits") && m.contains("C commit, X discard"),
        "{m}"
    );
    assert_eq!(std::fs::read_to_string(&abs).unwrap(), edited, "nothing written");
    assert_eq!(commits(&r), n);
}

/// `w` with two marked: one entry in each, one commit of the two files.
#[test]
fn a_batch_log_is_one_commit_of_the_marked_files() {
    let r = three();
    let (mut app, mut rt) = tui(&r);
    let n = commits(&r);
    press(
        &mut app,
        &mut rt,
        &["space", "j", "space", "w", ":Looked at both", "enter", "enter"],
    );
    assert_eq!(commits(&r), n + 1, "{}", message(&app));
    let shown = r.git(&["show", "--name-only", "--format=%s", "HEAD"]);
    let lines: Vec<&str> = shown.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(lines[0], "findings: log of 2 documents: Looked at both", "{shown}");
    assert_eq!(lines.len(), 3, "{shown}");
    for p in &lines[1..] {
        let text = std::fs::read_to_string(r.path().join(p)).unwrap();
        assert!(text.contains("Looked at both"), "{text}");
    }
    assert!(app.marked().is_empty());
}

/// `findings undo` takes a batch back whole too, naming its documents.
#[test]
fn the_cli_undoes_a_batch_whole() {
    let r = three();
    let before = files(r.path());
    let repo = Repo::open(r.path()).unwrap();
    let items: Vec<BatchItem> = repo
        .items
        .iter()
        .map(|m| BatchItem {
            id: m.id.clone(),
            shown: None,
        })
        .collect();
    let what = BatchWrite::Triage {
        note: None,
        action: None,
        literal: false,
    };
    let b = batch(&repo, &items, &what, &WriteOpts::default()).unwrap();
    assert_eq!(b.each.len(), 3);
    assert!(
        b.message.starts_with("findings: triage of 3 documents → ready\n"),
        "{}",
        b.message
    );
    let out = r.findings_cmd().args(["undo"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{text}");
    assert!(text.starts_with("001, 002, 003\n"), "{text}");
    assert_eq!(files(r.path()), before);
    let subject = r.git(&["log", "-1", "--format=%s"]);
    assert_eq!(subject.trim(), "findings: undo triage of 3 documents → ready");
}

/// A hand edit whose commit a hook refused stays the person's: the next
/// write of that file leaves it out of its commit.
#[test]
fn a_refused_edit_commit_leaves_the_edit_out_of_the_next_write() {
    let r = three();
    let (p1, original) = todo("001", "Alpha");
    let abs = r.path().join(&p1);
    std::fs::write(&abs, original.replace("Keep this line.", "Edited by hand.")).unwrap();
    let hook = r.path().join(".git/hooks/pre-commit");
    std::fs::create_dir_all(hook.parent().unwrap()).unwrap();
    std::fs::write(&hook, "#!/bin/sh\nexit 1\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let repo = Repo::open(r.path()).unwrap();
    let opts = WriteOpts::default();
    assert!(findings::ops::hand::commit_edit(&repo, &p1, &opts).is_err());
    std::fs::remove_file(&hook).unwrap();
    let req = findings::ops::LogRequest {
        id: "001".into(),
        action: "Looked again".into(),
        learnings: None,
    };
    let out = findings::ops::log(&repo, &req, &opts).unwrap();
    assert!(out.commit.is_some());
    let diff = r.git(&["show", "--format=", "HEAD"]);
    assert!(
        diff.contains("Looked again") && !diff.contains("Edited by hand."),
        "{diff}"
    );
    assert!(std::fs::read_to_string(&abs).unwrap().contains("Edited by hand."));
}

/// A batch never offers superseding (it names the new ADR, one at a time).
#[test]
fn a_batch_of_adrs_is_not_offered_superseded() {
    let mut a = app(80, 24);
    keys(&mut a, &["G", "space", "s"]);
    match &a.popup {
        Some(Popup::Menu(m)) => assert!(!m.items.iter().any(|i| i.contains("superseded")), "{:?}", m.items),
        _ => assert!(screen(&a).contains("no status change"), "{}", screen(&a)),
    }
}

/// A triage walk over marked documents collects its decisions (one
/// approved, one skipped with a reason, one deferred) and writes nothing
/// until its summary's `enter`: then one commit of the two decided files,
/// `findings: triage of 2 documents`, and one `z` takes both back.
#[test]
fn a_walk_over_marks_is_written_as_one_commit_and_undone_by_one_z() {
    let r = three();
    let before = files(r.path());
    let (mut app, mut rt) = tui(&r);
    let n = commits(&r);
    press(&mut app, &mut rt, &["space", "j", "space", "j", "space", "t"]);
    let Some(Popup::Menu(m)) = &app.popup else {
        panic!("the batch triage menu: {:?}", app.popup)
    };
    assert!(m.items[1].contains("one commit at the end"), "{:?}", m.items);
    press(&mut app, &mut rt, &["2", "a", "s", ":duplicate of 001", "enter"]);
    {
        let t = app.triage.as_ref().expect("still walking");
        assert!(t.collects());
        assert_eq!(t.pos, 2, "two decided, on the third");
        assert_eq!(t.to_write().len(), 2);
    }
    assert_eq!(commits(&r), n, "nothing is written during the walk");
    assert_eq!(files(r.path()), before);
    // `u` takes back a planned decision inside the session.
    press(&mut app, &mut rt, &["u"]);
    assert_eq!(app.triage.as_ref().unwrap().to_write().len(), 1);
    press(&mut app, &mut rt, &["s", ":duplicate of 001", "enter", "d"]);
    assert!(matches!(app.popup, Some(Popup::Summary { .. })), "{:?}", app.popup);
    insta::assert_snapshot!("walk_summary_100x24", screen(&app));
    assert_eq!(commits(&r), n);

    press(&mut app, &mut rt, &["enter"]);
    assert_eq!(commits(&r), n + 1, "one commit: {}", message(&app));
    assert!(app.triage.is_none() && app.marked().is_empty());
    let subject = r.git(&["log", "-1", "--format=%s"]);
    assert_eq!(subject.trim(), "findings: triage of 2 documents");
    let after = files(r.path());
    let names: Vec<&str> = after.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "001-ready-p2-alpha.md",
            "002-wontfix-p2-bravo.md",
            "003-pending-p2-charlie.md"
        ]
    );
    assert!(String::from_utf8_lossy(&after["002-wontfix-p2-bravo.md"]).contains("duplicate of 001"));

    press(&mut app, &mut rt, &["z"]);
    assert_eq!(files(r.path()), before, "{}", message(&app));
    assert_eq!(commits(&r), n + 2);
    assert_eq!(r.git(&["status", "--porcelain"]), "");
}

/// Quitting a walk over marks midway asks: the summary says nothing is
/// written yet; `esc` writes nothing, and the status line says the
/// decisions were dropped. The app's quit key asks the same first.
#[test]
fn quitting_a_walk_over_marks_midway_asks_and_esc_writes_nothing() {
    let r = three();
    let before = files(r.path());
    let (mut app, mut rt) = tui(&r);
    let n = commits(&r);
    press(&mut app, &mut rt, &["space", "j", "space", "t", "2", "a", "ctrl-c"]);
    assert!(
        !app.quit_requested(),
        "the walk's decisions are not dropped by quitting the app"
    );
    assert!(matches!(app.popup, Some(Popup::Summary { .. })), "{:?}", app.popup);
    assert!(screen(&app).contains("nothing written yet"), "{}", screen(&app));
    press(&mut app, &mut rt, &["esc"]);
    assert!(app.triage.is_none());
    assert!(message(&app).contains("nothing written"), "{}", message(&app));
    assert_eq!(commits(&r), n);
    assert_eq!(files(r.path()), before);
    assert_eq!(app.marked().len(), 2, "the marks stay, to walk again");
}

/// Marks made on the board are the list's: `s` on the board moves every
/// marked card as one commit.
#[test]
fn marked_board_cards_move_as_one_commit() {
    let r = three();
    let (mut app, mut rt) = tui(&r);
    let n = commits(&r);
    press(&mut app, &mut rt, &["b", "space", "j", "space", "s"]);
    let Some(Popup::Menu(m)) = &app.popup else {
        panic!("a menu for the marked cards: {:?}", app.popup)
    };
    assert!(matches!(m.purpose, MenuPurpose::BatchStatus { .. }));
    let ready = m.items.iter().position(|i| i == "→ ready").expect("ready offered");
    press(&mut app, &mut rt, &[&(ready + 1).to_string()]);
    assert_eq!(commits(&r), n + 1, "one commit: {}", message(&app));
    let subject = r.git(&["log", "-1", "--format=%s"]);
    assert_eq!(subject.trim(), "findings: status of 2 documents → ready");
    assert!(app.marked().is_empty());
    assert!(app.board().is_some(), "still on the board");
}

/// A walk's batch that is refused (a decided document changed on disk
/// meanwhile) loses no decision: the summary stays with them, `u` takes
/// back the one on the changed document to decide it again, and `enter`
/// then writes the batch.
#[test]
fn a_refused_walk_keeps_its_decisions_to_write_again() {
    let r = three();
    let (mut app, mut rt) = tui(&r);
    let n = commits(&r);
    press(&mut app, &mut rt, &["space", "j", "space", "t", "2", "a", "a"]);
    assert!(matches!(app.popup, Some(Popup::Summary { .. })), "{:?}", app.popup);
    // Someone else changes 002 and commits it.
    let p = "todos/002-pending-p2-bravo.md";
    let text = std::fs::read_to_string(r.path().join(p)).unwrap();
    r.write(p, &text.replace("Keep this line.", "Keep this line, changed."));
    r.commit_all("someone else");
    press(&mut app, &mut rt, &["enter"]);
    assert_eq!(commits(&r), n + 1, "nothing of the batch written");
    assert!(message(&app).contains("changed on disk"), "{}", message(&app));
    let t = app.triage.as_ref().expect("the walk is kept");
    assert_eq!(t.to_write().len(), 2);
    assert_eq!(app.marked().len(), 2);
    // Close the error box, take back 002's decision, decide it again.
    press(&mut app, &mut rt, &["x"]);
    assert!(matches!(app.popup, Some(Popup::Summary { .. })), "{:?}", app.popup);
    press(&mut app, &mut rt, &["u"]);
    assert_eq!(app.triage.as_ref().unwrap().to_write().len(), 1);
    press(&mut app, &mut rt, &["a", "enter"]);
    assert_eq!(commits(&r), n + 2, "{}", message(&app));
    assert_eq!(
        r.git(&["log", "-1", "--format=%s"]).trim(),
        "findings: triage of 2 documents → ready"
    );
    assert!(app.triage.is_none() && app.marked().is_empty());
    let after = std::fs::read_to_string(r.path().join("todos/002-ready-p2-bravo.md")).unwrap();
    assert!(after.contains("Keep this line, changed."), "{after}");
}

/// The library's `batch_each`: each document its own write (a triage with
/// a typed action, a skip with a reason, a work-log entry) as ONE commit
/// holding exactly those files; and all or nothing: one write its document
/// cannot take refuses the batch, naming it, and no file changes.
#[test]
fn batch_each_writes_different_writes_as_one_commit_or_none() {
    use findings::ops::batch::batch_each;
    let r = three();
    let before = files(r.path());
    let repo = Repo::open(r.path()).unwrap();
    let item = |id: &str| BatchItem {
        id: id.into(),
        shown: None,
    };
    let n = commits(&r);
    // `complete` is not a move from `pending`: refused, nothing written.
    let bad = [
        (
            item("001"),
            BatchWrite::Triage {
                note: None,
                action: Some("Add a unique index".into()),
                literal: true,
            },
        ),
        (
            item("002"),
            BatchWrite::Status {
                to: "complete".into(),
                note: None,
                reason: None,
            },
        ),
    ];
    match batch_each(&repo, &bad, &WriteOpts::default()) {
        Err(BatchError::Refused { path, count, .. }) => assert_eq!((path.as_str(), count), ("002", 2)),
        other => panic!("{other:?}"),
    }
    assert_eq!(files(r.path()), before);
    assert_eq!(commits(&r), n);

    let good = [
        bad[0].clone(),
        (
            item("002"),
            BatchWrite::Status {
                to: "wontfix".into(),
                note: None,
                reason: Some("duplicate of 001".into()),
            },
        ),
        (
            item("003"),
            BatchWrite::Log {
                action: "Looked again".into(),
                learnings: None,
            },
        ),
    ];
    let b = batch_each(&repo, &good, &WriteOpts::default()).unwrap();
    assert_eq!(commits(&r), n + 1);
    assert!(
        b.message.starts_with("findings: triage of 3 documents\n"),
        "{}",
        b.message
    );
    for id in ["001", "002", "003"] {
        assert!(b.message.contains(&format!("Finding-Id: {id}\n")), "{}", b.message);
    }
    let after = files(r.path());
    let names: Vec<&str> = after.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "001-ready-p2-alpha.md",
            "002-wontfix-p2-bravo.md",
            "003-pending-p2-charlie.md"
        ]
    );
    let text = |k: &str| String::from_utf8_lossy(&after[k]).into_owned();
    assert!(text("001-ready-p2-alpha.md").contains("Add a unique index"));
    assert!(text("002-wontfix-p2-bravo.md").contains("duplicate of 001"));
    assert!(text("003-pending-p2-charlie.md").contains("Looked again"));
    for t in after.values() {
        assert!(String::from_utf8_lossy(t).contains("Keep this line."));
    }
    assert_eq!(r.git(&["status", "--porcelain"]), "");
}
