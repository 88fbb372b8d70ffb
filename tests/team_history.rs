//! `findings history` (who changed what, following renames) and
//! `findings undo` (a findings commit reverted as a new commit).

mod team_support;

use team_support::*;

const PENDING: &str = "findings/030-pending-p1-race-condition-duplicate-assignment.md";
const READY: &str = "findings/030-ready-p1-race-condition-duplicate-assignment.md";

#[test]
fn history_lists_each_change_with_its_author() {
    let s = Sandbox::new();
    let r = s.repo("r", "Seed Bot");
    identity(&r, "Ana");
    findings(&r, &["triage", "030", "--action", "A"]);
    identity(&r, "Ben");
    findings(
        &r,
        &[
            "log",
            "030",
            "Added the unique index",
            "--learnings",
            "Migration ran clean",
        ],
    );
    // An unrelated commit does not show.
    findings(&r, &["log", "003", "Looked at it"]);

    let h = findings_json(&r, &["history", "030"]);
    assert_eq!(h["path"], READY);
    let e = h["entries"].as_array().unwrap();
    assert_eq!(e.len(), 3, "{h}");

    assert_eq!(e[0]["author"], "Ben");
    assert_eq!(e[0]["subject"], "findings(030): log Added the unique index");
    assert_eq!(e[0]["status_from"], "ready");
    assert_eq!(e[0]["status_to"], "ready");
    assert_eq!(e[0]["worklog_added"].as_array().unwrap().len(), 1);
    assert!(e[0]["worklog_added"][0]
        .as_str()
        .unwrap()
        .contains("Added the unique index (by Ben)"));

    assert_eq!(e[1]["author"], "Ana");
    assert_eq!(e[1]["subject"], "findings(030): triage pending → ready");
    assert_eq!(e[1]["renamed_from"], PENDING);
    assert_eq!(e[1]["path"], READY);
    assert_eq!(e[1]["status_from"], "pending");
    assert_eq!(e[1]["status_to"], "ready");
    assert!(e[1]["worklog_added"][0]
        .as_str()
        .unwrap()
        .contains("Triage: pending → ready (by Ana)"));

    assert_eq!(e[2]["author"], "Seed Bot");
    assert_eq!(e[2]["created"], true);
    assert_eq!(e[2]["path"], PENDING);
    for x in e {
        assert_eq!(x["commit"].as_str().unwrap().len(), 40);
        assert!(x["date"].as_str().unwrap().len() >= 20);
    }

    let text = findings(&r, &["history", "030"]);
    assert!(text.contains("Ana  findings(030): triage pending → ready"), "{text}");
    assert!(text.contains("status pending → ready"), "{text}");
    assert!(text.contains(&format!("renamed from {PENDING}")), "{text}");
    assert!(text.contains("work log + | "), "{text}");
}

#[test]
fn undo_reverts_a_triage_as_a_new_commit() {
    let s = Sandbox::new();
    let r = s.repo("r", "Ana");
    let original = read(&r, PENDING);
    findings(&r, &["triage", "030", "--action", "A"]);
    let triage = git(&r, &["rev-parse", "HEAD"]).trim().to_string();

    let dry = findings(&r, &["undo", "--dry-run"]);
    assert!(dry.contains("rename from findings/030-ready"), "{dry}");
    assert_eq!(git(&r, &["rev-parse", "HEAD"]).trim(), triage);

    let o = findings_json(&r, &["undo"]);
    assert_eq!(o["old_status"], "ready");
    assert_eq!(o["new_status"], "pending");
    assert_eq!(o["files"][0]["path"], PENDING);
    assert_eq!(o["files"][0]["renamed_from"], READY);
    assert_eq!(read(&r, PENDING), original);
    assert!(!r.join(READY).exists());
    assert_eq!(git(&r, &["status", "--porcelain"]), "");
    let msg = git(&r, &["log", "-1", "--format=%B"]);
    assert!(msg.starts_with("findings(030): undo triage pending → ready\n"), "{msg}");
    assert!(msg.contains(&format!("Finding-Id: 030\nReverts: {triage}\n")), "{msg}");
    assert_eq!(git(&r, &["diff", "HEAD~2", "HEAD", "--stat"]), "");

    // `redo` re-applies it (a second `undo` would undo the write before).
    findings(&r, &["redo"]);
    assert!(r.join(READY).exists());
}

#[test]
fn undo_refuses_what_it_cannot_undo_safely() {
    let s = Sandbox::new();
    let r = s.repo("r", "Ana");
    // HEAD is not a findings commit.
    let out = findings_out(&r, &["undo"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a findings commit"));

    // Edited since.
    findings(&r, &["log", "030", "First"]);
    let t = read(&r, PENDING);
    write(&r, PENDING, &format!("{t}\nA note typed by hand.\n"));
    let out = findings_out(&r, &["undo"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("was edited since"),
        "{out:?}"
    );
    write(&r, PENDING, &t);

    // An older commit whose file a later commit changed.
    let first = git(&r, &["rev-parse", "HEAD"]).trim().to_string();
    findings(&r, &["log", "030", "Second"]);
    let out = findings_out(&r, &["undo", &first]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("a later commit changed"),
        "{out:?}"
    );

    // An older commit on another file is fine.
    findings(&r, &["log", "003", "Third"]);
    let log003 = git(&r, &["rev-parse", "HEAD"]).trim().to_string();
    findings(&r, &["log", "030", "Fourth"]);
    findings(&r, &["undo", &log003]);
    assert!(!read(&r, "findings/003-pending-p1-race-condition-existence-checks.md").contains("Third"));
    assert!(read(&r, PENDING).contains("Fourth"));
}

#[test]
fn undo_of_new_removes_the_document() {
    let s = Sandbox::new();
    let r = s.repo("r", "Ana");
    let o = findings_json(&r, &["new", "--title", "Short lived"]);
    let path = o["files"][0]["path"].as_str().unwrap().to_string();
    assert!(r.join(&path).exists());
    findings(&r, &["undo"]);
    assert!(!r.join(&path).exists());
    assert_eq!(git(&r, &["status", "--porcelain"]), "");
    assert_eq!(git(&r, &["ls-files", &path]), "");
}
