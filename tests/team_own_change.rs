//! A write commits only its own change: a person's uncommitted edits of the
//! same document stay in the working file, out of findings' commit (and so
//! out of what `sync` publishes), or the write is refused before anything
//! is written.

mod team_support;

use team_support::*;

const PENDING: &str = "findings/030-pending-p1-race-condition-duplicate-assignment.md";
const READY: &str = "findings/030-ready-p1-race-condition-duplicate-assignment.md";

fn hand_edit(text: &str) -> String {
    text.replace(
        "**Why it matters**:",
        "A note typed in an editor, not committed.\n\n**Why it matters**:",
    )
    .replace("race-condition]", "race-condition, hand]")
}

#[test]
fn log_and_triage_leave_hand_edits_uncommitted() {
    let s = Sandbox::new();
    let r = s.repo("r", "Ana");
    write(&r, PENDING, &hand_edit(&read(&r, PENDING)));

    let o = findings_json(&r, &["log", "030", "Checked the index"]);
    assert!(o["warnings"].to_string().contains("uncommitted edits"), "{o}");
    let committed = git(&r, &["show", &format!("HEAD:{PENDING}")]);
    assert!(committed.contains("Checked the index"), "{committed}");
    assert!(!committed.contains("typed in an editor") && !committed.contains("hand]"));
    let working = read(&r, PENDING);
    assert!(working.contains("Checked the index") && working.contains("typed in an editor"));
    assert_eq!(git(&r, &["status", "--porcelain"]), format!(" M {PENDING}\n"));
    let diff = git(&r, &["diff"]);
    assert!(
        !diff.contains("Checked the index"),
        "only the hand edits are unstaged: {diff}"
    );

    // A triage renames the file: the commit holds HEAD's text with the
    // status change, the new file keeps the hand edits.
    findings(&r, &["triage", "030"]);
    let committed = git(&r, &["show", &format!("HEAD:{READY}")]);
    assert!(committed.contains("status: ready") && !committed.contains("typed in an editor"));
    assert!(read(&r, READY).contains("typed in an editor"));
    assert!(!r.join(PENDING).exists());
    assert_eq!(git(&r, &["status", "--porcelain"]), format!(" M {READY}\n"));
    findings(&r, &["check"]);
}

#[test]
fn an_edit_on_the_lines_a_person_changed_is_refused() {
    let s = Sandbox::new();
    let r = s.repo("r", "Ana");
    let edited = read(&r, PENDING).replace("status: pending", "status: pending # waiting on Ben");
    write(&r, PENDING, &edited);
    let head = git(&r, &["rev-parse", "HEAD"]);
    let out = findings_out(&r, &["triage", "030"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("uncommitted edits") && err.contains("nothing was written"),
        "{err}"
    );
    assert_eq!(read(&r, PENDING), edited);
    assert_eq!(git(&r, &["rev-parse", "HEAD"]), head);
}
