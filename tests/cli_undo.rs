//! `undo` is undo and `redo` re-applies: `undo` twice undoes the last two
//! findings writes, `redo` brings back the last undone one, both only over
//! findings' own commits and never over a person's text.

mod team_support;

use std::path::Path;
use team_support::*;

const PENDING: &str = "findings/030-pending-p1-race-condition-duplicate-assignment.md";
const READY: &str = "findings/030-ready-p1-race-condition-duplicate-assignment.md";
const F003: &str = "findings/003-pending-p1-race-condition-existence-checks.md";

fn head(r: &Path) -> String {
    git(r, &["rev-parse", "HEAD"]).trim().to_string()
}

/// Every file of the seeded folders, path and bytes.
fn tree(r: &Path) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = ["findings", "adr"]
        .iter()
        .flat_map(|f| files(r, f))
        .map(|p| {
            let t = read(r, &p);
            (p, t)
        })
        .collect();
    v.sort();
    v
}

/// `findings args` must fail with exit 1 naming `says`, and change nothing.
fn refused(r: &Path, args: &[&str], says: &str) {
    let (before, h) = (tree(r), head(r));
    let out = findings_out(r, args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "findings {args:?}: {err}");
    assert!(err.contains(says), "findings {args:?}: {err}");
    assert_eq!((tree(r), head(r)), (before, h), "findings {args:?} changed something");
}

#[test]
fn undo_twice_undoes_the_last_two_writes_and_redo_brings_them_back() {
    let s = Sandbox::new();
    let r = s.repo("r", "Ana");
    let seeded = tree(&r);
    findings(&r, &["triage", "030", "--action", "A"]);
    let triage = head(&r);
    let after_triage = tree(&r);
    findings(&r, &["log", "003", "Looked at the checks"]);
    let log = head(&r);
    let after_both = tree(&r);

    let o = findings_json(&r, &["undo"]);
    assert!(o["message"]
        .as_str()
        .unwrap()
        .starts_with("findings(003): undo log Looked at the checks\n"));
    assert!(git(&r, &["log", "-1", "--format=%B"]).contains(&format!("Reverts: {log}\n")));
    assert_eq!(tree(&r), after_triage);
    // The second undo takes back the triage, not the undo.
    let o = findings_json(&r, &["undo"]);
    assert_eq!(
        (o["old_status"].as_str(), o["new_status"].as_str()),
        (Some("ready"), Some("pending"))
    );
    assert!(git(&r, &["log", "-1", "--format=%B"]).contains(&format!("Reverts: {triage}\n")));
    assert_eq!(tree(&r), seeded);
    assert!(!r.join(READY).exists());
    // Nothing before the seed commit is findings'.
    refused(&r, &["undo"], "nothing left to undo");

    // Redo in the reverse order: the triage, then the log entry.
    let o = findings_json(&r, &["redo"]);
    assert!(o["message"]
        .as_str()
        .unwrap()
        .starts_with("findings(030): redo triage pending → ready\n"));
    assert!(git(&r, &["log", "-1", "--format=%B"]).contains("Redoes: "));
    assert_eq!(tree(&r), after_triage);
    findings(&r, &["redo"]);
    assert_eq!(tree(&r), after_both);
    refused(&r, &["redo"], "nothing to redo");
    // A redo is a write like any other: undo takes it back.
    let o = findings_json(&r, &["undo"]);
    assert!(o["message"]
        .as_str()
        .unwrap()
        .starts_with("findings(003): undo log Looked at the checks\n"));
    assert_eq!(tree(&r), after_triage);
    assert_eq!(git(&r, &["status", "--porcelain"]), "");
}

#[test]
fn a_new_write_after_an_undo_leaves_nothing_to_redo() {
    let s = Sandbox::new();
    let r = s.repo("r", "Ana");
    findings(&r, &["log", "030", "First"]);
    findings(&r, &["undo"]);
    findings(&r, &["log", "003", "Second"]);
    refused(&r, &["redo"], "is a write, not an undo");
    // The dry run of a redo changes nothing either.
    findings(&r, &["undo"]);
    let (before, h) = (tree(&r), head(&r));
    let out = findings(&r, &["redo", "--dry-run"]);
    assert!(out.contains("Second"), "{out}");
    assert_eq!((tree(&r), head(&r)), (before, h));
}

#[test]
fn only_findings_own_commits_are_undone_or_redone() {
    let s = Sandbox::new();
    let r = s.repo("r", "Ana");
    refused(&r, &["undo"], "HEAD is not a findings commit (\"seed documents\")");
    refused(&r, &["redo"], "HEAD is not a findings commit");
    // A person's commit with a findings-like subject but no Finding-Id trailer.
    findings(&r, &["log", "030", "Mine"]);
    write(&r, F003, &format!("{}\nA line by hand.\n", read(&r, F003)));
    git(&r, &["commit", "-q", "-am", "findings(003): by hand"]);
    refused(
        &r,
        &["undo"],
        "HEAD is not a findings commit (\"findings(003): by hand\")",
    );
    // A person's commit between stops the walk: findings' commits before it stay.
    git(&r, &["commit", "-q", "--allow-empty", "-m", "unrelated"]);
    refused(&r, &["undo"], "HEAD is not a findings commit");
    assert!(read(&r, PENDING).contains("Mine"));
}

#[test]
fn undo_refuses_when_the_file_changed_since() {
    let s = Sandbox::new();
    let r = s.repo("r", "Ana");
    findings(&r, &["triage", "030"]);
    let t = read(&r, READY);
    write(&r, READY, &format!("{t}\nTyped after the triage.\n"));
    refused(&r, &["undo"], "was edited since");
    assert!(read(&r, READY).ends_with("Typed after the triage.\n"));
    write(&r, READY, &t);
    findings(&r, &["undo"]);
    // Redo refuses the same way.
    let t = read(&r, PENDING);
    write(&r, PENDING, &format!("{t}\nTyped after the undo.\n"));
    refused(&r, &["redo"], "was edited since");
    assert!(read(&r, PENDING).ends_with("Typed after the undo.\n"));
}

#[test]
fn undo_of_new_removes_only_the_bytes_new_wrote() {
    let s = Sandbox::new();
    let r = s.repo("r", "Ana");
    let o = findings_json(
        &r,
        &["new", "-k", "finding", "--title", "Short lived", "--category", "data"],
    );
    let path = o["files"][0]["path"].as_str().unwrap().to_string();
    let written = read(&r, &path);
    // A person added text: the file is kept.
    write(&r, &path, &format!("{written}\nMy analysis.\n"));
    refused(&r, &["undo"], "was edited since");
    assert!(read(&r, &path).contains("My analysis."));
    // Byte-identical again: undo removes it, redo brings it back.
    write(&r, &path, &written);
    findings(&r, &["undo"]);
    assert!(!r.join(&path).exists());
    findings(&r, &["redo"]);
    assert_eq!(read(&r, &path), written);
    assert_eq!(git(&r, &["status", "--porcelain"]), "");
}
