//! Two clones of one bare remote working at once: IDs stay unique, work
//! logs merge, `sync` leaves git states git users understand.

mod team_support;

use team_support::*;

#[test]
fn two_clones_create_at_once_and_sync_without_duplicate_ids() {
    let s = Sandbox::new();
    s.remote(true);
    let ana = s.clone("ana", "Ana", true);
    let ben = s.clone("ben", "Ben", true);

    // Both allocate before either has pushed: the same number.
    let a = findings_json(&ana, &["new", "--title", "Ana's todo", "--priority", "p2"]);
    let b = findings_json(&ben, &["new", "--title", "Ben's todo", "--priority", "p3"]);
    assert_eq!(a["id"], "031");
    assert_eq!(b["id"], "031");

    findings(&ana, &["sync"]);
    // Ben's sync sees origin/main took 031 and renumbers his unpublished
    // document before rebasing, then pushes.
    let r = findings_json(&ben, &["sync"]);
    assert_eq!(r["renumbered"][0]["from"], "031", "{r}");
    assert_eq!(r["renumbered"][0]["to"], "032", "{r}");
    assert_eq!(r["pushed"], true, "{r}");
    assert!(r["conflicts"].as_array().unwrap().is_empty());
    assert!(files(&ben, "findings").contains(&"findings/032-pending-p3-ben-s-todo.md".to_string()));
    assert!(read(&ben, "findings/032-pending-p3-ben-s-todo.md").contains("issue_id: \"032\""));

    findings(&ana, &["sync"]);
    for dir in [&ana, &ben] {
        let ids = ids(dir);
        assert_eq!(ids.iter().filter(|i| *i == "031").count(), 1, "{ids:?}");
        assert_eq!(ids.iter().filter(|i| *i == "032").count(), 1, "{ids:?}");
        findings(dir, &["check"]);
        findings(dir, &["check", "--against", "origin/main"]);
    }
    assert_eq!(git(&ana, &["rev-parse", "HEAD"]), git(&ben, &["rev-parse", "HEAD"]));
    // History is linear (rebase) and the renumber is its own commit.
    let log = git(&ben, &["log", "--format=%s", "-4"]);
    assert!(log.starts_with("findings(031): renumber 031 → 032\n"), "{log}");

    // `new` after a plain fetch already sees origin's IDs: no clash at all.
    let c = s.clone("cy", "Cy", true);
    findings(&ana, &["new", "--title", "Another"]); // 033, not pushed
    git(&ana, &["push", "-q"]);
    git(&c, &["fetch", "-q"]);
    let n = findings_json(&c, &["new", "--title", "Cy's todo"]);
    assert_eq!(n["id"], "034", "origin/main's 033 counts before it is merged");
}

#[test]
fn triage_and_log_on_two_clones_merge_with_no_manual_step() {
    for strategy in ["--rebase", "--merge"] {
        let s = Sandbox::new();
        s.remote(true);
        let ana = s.clone("ana", "Ana", true);
        let ben = s.clone("ben", "Ben", true);

        findings(
            &ana,
            &["triage", "030", "--action", "A", "--note", "Approved in review"],
        );
        findings(
            &ben,
            &[
                "log",
                "030",
                "Reproduced the duplicate locally",
                "--learnings",
                "Needs a unique index",
            ],
        );
        findings(&ana, &["sync"]);
        let r = findings_json(&ben, &["sync", strategy]);
        assert_eq!(r["integrated"], true, "{strategy}: {r}");
        assert!(r["conflicts"].as_array().unwrap().is_empty(), "{strategy}: {r}");
        assert_eq!(r["pushed"], true);
        assert_eq!(git(&ben, &["status", "--porcelain"]), "");

        let f = files(&ben, "findings");
        assert!(
            f.contains(&"findings/030-ready-p1-race-condition-duplicate-assignment.md".to_string()),
            "{f:?}"
        );
        assert!(!f.iter().any(|p| p.starts_with("findings/030-pending")), "{f:?}");
        let text = read(&ben, "findings/030-ready-p1-race-condition-duplicate-assignment.md");
        assert!(text.contains("status: ready"), "{text}");
        assert!(!text.contains("<<<<<<<"), "{text}");
        // Both entries, the original first.
        let rows: Vec<&str> = text.lines().filter(|l| l.starts_with("| 20")).collect();
        assert_eq!(rows.len(), 3, "{text}");
        assert!(rows[0].contains("Created from code review"));
        assert!(
            rows.iter().any(|r| r.contains("Triage: pending → ready (by Ana)")),
            "{rows:?}"
        );
        assert!(
            rows.iter()
                .any(|r| r.contains("Reproduced the duplicate locally (by Ben)")),
            "{rows:?}"
        );
        assert!(
            text.contains("Database Unique Partial Index"),
            "Recommended Action kept"
        );

        // The history shows both changes with their authors.
        let h = findings_json(&ben, &["history", "030"]);
        let authors: Vec<&str> = h["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["author"].as_str().unwrap())
            .collect();
        assert!(authors.contains(&"Ana") && authors.contains(&"Ben"), "{authors:?}");
        findings(&ben, &["check"]);
    }
}

#[test]
fn a_real_conflict_stops_the_rebase_with_instructions() {
    let s = Sandbox::new();
    s.remote(true);
    let ana = s.clone("ana", "Ana", true);
    let ben = s.clone("ben", "Ben", true);
    // Both change the ADR's status (kept in the body, so no rename) differently.
    findings(
        &ana,
        &["status", "ADR-0105", "deprecated", "--note", "Moving off Prisma"],
    );
    findings(
        &ben,
        &["status", "ADR-0105", "rejected", "--force", "--note", "Not for us"],
    );
    findings(&ana, &["sync"]);
    let out = findings_out(&ben, &["sync"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("conflict: adr/0105-prisma-race-condition-prevention.md (ADR-0105)"),
        "{text}"
    );
    assert!(text.contains("findings sync --continue"), "{text}");
    assert!(text.contains("git rebase --abort"), "{text}");
    // A rebase git users recognise, stopped, with markers around the status only.
    assert!(ben.join(".git/rebase-merge").is_dir() || ben.join(".git/rebase-apply").is_dir());
    let adr = read(&ben, "adr/0105-prisma-race-condition-prevention.md");
    let start = adr.find("<<<<<<<").unwrap();
    let end = adr.find(">>>>>>>").unwrap();
    let hunk = &adr[start..end];
    assert!(
        hunk.contains("**Status**: Deprecated") || hunk.contains("**Status**: deprecated"),
        "{hunk}"
    );
    assert!(hunk.lines().count() <= 4, "{hunk}");
    // Work-log entries of both sides survived outside the markers.
    assert!(
        adr[end..].contains("(by Ana)") && adr[end..].contains("(by Ben)"),
        "{adr}"
    );
    // The document still lists, as conflicted.
    let l = findings_json(&ben, &["list"]);
    let item = l["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "ADR-0105")
        .unwrap();
    assert_eq!(item["conflicted"], true);
    let out = findings_out(&ben, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("conflict-markers"));
    // A write refuses mid-rebase.
    let out = findings_out(&ben, &["log", "030", "x"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn both_changing_a_status_in_the_file_name_leaves_one_file_not_a_clash() {
    let s = Sandbox::new();
    s.remote(true);
    let ana = s.clone("ana", "Ana", true);
    let ben = s.clone("ben", "Ben", true);
    findings(&ana, &["triage", "030"]);
    findings(&ben, &["status", "030", "wontfix", "--reason", "Duplicate of 003"]);
    findings(&ana, &["sync"]);
    let out = findings_out(&ben, &["sync", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // One document renamed twice: nothing is renumbered.
    assert!(r["renumbered"].as_array().unwrap().is_empty(), "{r}");
    assert!(r["clashes"].as_array().unwrap().is_empty(), "{r}");
    // Joined back into the upstream's file, conflicted on the status only.
    let ready = "findings/030-ready-p1-race-condition-duplicate-assignment.md";
    let paths: Vec<&str> = r["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, vec![ready], "{r}");
    assert_eq!(r["rejoined"][0]["path"], ready, "{r}");
    assert!(!ben
        .join("findings/030-wontfix-p1-race-condition-duplicate-assignment.md")
        .exists());
    let t = read(&ben, ready);
    let front = &t[..t.find("\n---\n").unwrap()];
    assert!(
        front.contains("status: ready") && front.contains("status: wontfix"),
        "{front}"
    );
    assert!(t.contains("(by Ana)") && t.contains("(by Ben)"), "{t}");
    // Markers inside the front matter: still listed, as conflicted, never skipped.
    let l = findings_json(&ben, &["list"]);
    let c: Vec<_> = l["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["id"] == "030")
        .collect();
    assert_eq!(c.len(), 1, "{l}");
    assert!(c.iter().all(|i| i["conflicted"] == true), "{l}");
    // Resolve as the instructions say.
    let fixed: String = t
        .lines()
        .filter(|l| {
            !l.starts_with("<<<<<<<")
                && !l.starts_with("=======")
                && !l.starts_with(">>>>>>>")
                && *l != "status: wontfix"
        })
        .map(|l| format!("{l}\n"))
        .collect();
    write(&ben, ready, &fixed);
    let r = findings_json(&ben, &["sync", "--continue"]);
    assert_eq!(r["pushed"], true, "{r}");
    findings(&ben, &["check"]);
}
