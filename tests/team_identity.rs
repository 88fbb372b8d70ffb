//! Sync integrates by document identity: a status change git sees as a
//! delete and an add, work-log rows written twice, a merge driver that
//! cannot start. Each case ends with one file per ID and every entry kept.

mod team_support;

use team_support::*;

/// A text long enough that a small document carrying it is under git's 50%
/// rename similarity.
fn long(word: &str) -> String {
    (0..120)
        .map(|i| format!("{word} step {i} of the plan"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The files of the document `id` in `findings/`.
fn files_of(dir: &std::path::Path, id: &str) -> Vec<String> {
    files(dir, "findings")
        .into_iter()
        .filter(|p| p.starts_with(&format!("findings/{id}-")))
        .collect()
}

fn rows_with(text: &str, what: &str) -> usize {
    text.lines().filter(|l| l.starts_with('|') && l.contains(what)).count()
}

/// Two clones (with `findings init`) of a remote holding a small document
/// both have; returns (sandbox, ana, ben, id).
fn two_with_small_doc() -> (Sandbox, std::path::PathBuf, std::path::PathBuf, String) {
    let s = Sandbox::new();
    s.remote(true);
    let ana = s.clone("ana", "Ana", true);
    let ben = s.clone("ben", "Ben", true);
    let n = findings_json(&ana, &["new", "--title", "Small", "--priority", "p2"]);
    let id = n["id"].as_str().unwrap().to_string();
    findings(&ana, &["sync"]);
    findings(&ben, &["sync"]);
    (s, ana, ben, id)
}

/// Git saw the last commit's status change as a delete and an add.
fn assert_not_a_rename(dir: &std::path::Path) {
    let st = git(dir, &["diff", "--find-renames", "--name-status", "HEAD~1", "HEAD"]);
    assert!(!st.lines().any(|l| l.starts_with('R')), "git sees a rename: {st}");
}

#[test]
fn a_log_to_the_old_name_joins_the_renamed_document() {
    for strategy in ["--rebase", "--merge"] {
        for triage_first in [true, false] {
            let (_s, ana, ben, id) = two_with_small_doc();
            findings(
                &ana,
                &["triage", &id, "--action", &long("Index"), "--note", &long("Because")],
            );
            assert_not_a_rename(&ana);
            findings(
                &ben,
                &["log", &id, "Reproduced on staging", "--learnings", "Only under load"],
            );
            let (first, second) = if triage_first { (&ana, &ben) } else { (&ben, &ana) };
            findings(first, &["sync"]);
            let r = findings_json(second, &["sync", strategy]);
            let case = format!("{strategy} triage first: {triage_first}: {r}");
            assert_eq!(r["pushed"], true, "{case}");
            assert!(r["conflicts"].as_array().unwrap().is_empty(), "{case}");
            assert_eq!(r["rejoined"][0]["conflicts"], 0, "{case}");
            findings(first, &["sync"]);
            for dir in [&ana, &ben] {
                let f = files_of(dir, &id);
                assert_eq!(f.len(), 1, "{case}: {f:?}");
                assert!(f[0].contains("-ready-"), "{case}: {f:?}");
                let t = read(dir, &f[0]);
                assert_eq!(rows_with(&t, "Reproduced on staging"), 1, "{case}: {t}");
                assert_eq!(rows_with(&t, "Triage: pending → ready"), 1, "{case}: {t}");
                assert!(t.contains("Index step 119"), "{case}");
                assert!(!t.contains("<<<<<<<"), "{case}: {t}");
                findings(dir, &["check"]);
                assert_eq!(git(dir, &["status", "--porcelain"]), "", "{case}");
            }
            assert_eq!(git(&ana, &["rev-parse", "HEAD"]), git(&ben, &["rev-parse", "HEAD"]));
        }
    }
}

#[test]
fn both_renaming_leaves_one_file_with_markers_on_the_status_only() {
    for strategy in ["--rebase", "--merge"] {
        let (_s, ana, ben, id) = two_with_small_doc();
        findings(
            &ana,
            &["triage", &id, "--action", &long("Index"), "--note", &long("Because")],
        );
        assert_not_a_rename(&ana);
        findings(&ben, &["status", &id, "wontfix", "--reason", &long("Duplicate")]);
        findings(&ana, &["sync"]);
        let out = findings_out(&ben, &["sync", strategy, "--format", "json"]);
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(r["pushed"], false, "{r}");
        // One file, the upstream's name, conflicted on the status only.
        let f = files_of(&ben, &id);
        assert_eq!(f.len(), 1, "{strategy}: {f:?} {r}");
        assert!(f[0].contains("-ready-"), "{f:?}");
        let t = read(&ben, &f[0]);
        assert_eq!(t.matches("<<<<<<<").count(), 1, "{t}");
        let hunk = &t[t.find("<<<<<<<").unwrap()..t.find(">>>>>>>").unwrap()];
        assert!(
            hunk.contains("status: ready") && hunk.contains("status: wontfix"),
            "{hunk}"
        );
        assert!(t.contains("Index step 119") && t.contains("Duplicate step 119"), "{t}");
        assert!(
            r["instructions"].to_string().contains("findings sync --continue"),
            "{r}"
        );
        // `check` is red while it is unresolved; plain `sync` does not push it.
        let c = findings_out(&ben, &["check"]);
        assert_eq!(c.status.code(), Some(1));
        let again = findings_out(&ben, &["sync"]);
        assert_eq!(again.status.code(), Some(1), "{again:?}");
        let remote_head = git(&ana, &["ls-remote", "origin", "main"]);
        // Resolve as told: keep one status, delete the marker lines.
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
        write(&ben, &f[0], &fixed);
        let r = findings_json(&ben, &["sync", "--continue"]);
        assert_eq!(r["pushed"], true, "{strategy}: {r}");
        assert_ne!(git(&ana, &["ls-remote", "origin", "main"]), remote_head);
        findings(&ana, &["sync"]);
        for dir in [&ana, &ben] {
            assert_eq!(files_of(dir, &id).len(), 1, "{strategy}");
            let t = read(dir, &f[0]);
            assert!(t.contains("Duplicate step 119") && t.contains("Index step 119"));
            findings(dir, &["check"]);
        }
    }
}

#[test]
fn identical_rows_from_two_writes_are_both_kept() {
    for strategy in ["--rebase", "--merge"] {
        let s = Sandbox::new();
        s.remote(true);
        // One person on two machines.
        let a1 = s.clone("a1", "Ana", true);
        let a2 = s.clone("a2", "Ana", true);
        // (Another address, so the two commits differ even within one second.)
        git(&a2, &["config", "user.email", "ana@laptop.example.com"]);
        for dir in [&a1, &a2] {
            findings(dir, &["log", "030", "Checked the index", "--learnings", "Fine"]);
        }
        findings(&a1, &["sync"]);
        let r = findings_json(&a2, &["sync", strategy]);
        assert_eq!(r["pushed"], true, "{strategy}: {r}");
        findings(&a1, &["sync"]);
        for dir in [&a1, &a2] {
            let f = files_of(dir, "030");
            let t = read(dir, &f[0]);
            assert_eq!(rows_with(&t, "Checked the index"), 2, "{strategy}: {t}");
            findings(dir, &["check"]);
        }
    }
}

#[test]
fn a_driver_that_cannot_start_is_noticed() {
    let s = Sandbox::new();
    s.remote(true);
    let ana = s.clone("ana", "Ana", true);
    let ben = s.clone("ben", "Ben", true);
    let gone = "/nonexistent/findings merge-driver %O %A %B %P --marker-size %L";
    git(&ben, &["config", "merge.findings.driver", gone]);
    findings(&ana, &["triage", "030", "--action", "A", "--note", "Approved"]);
    findings(&ben, &["log", "030", "Ben's entry"]);
    findings(&ana, &["sync"]);

    // A plain `git pull --rebase` with the broken driver: the file is left
    // conflicted, with Ben's version only and no markers. `check` is red.
    let out = git_out(&ben, &["-c", "core.editor=true", "pull", "--rebase"]);
    assert!(!out.status.success());
    let c = findings_out(&ben, &["check"]);
    assert_eq!(c.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&c.stdout).contains("unmerged"), "{c:?}");
    // `sync` refuses to start over it, and `--continue` merges it with the
    // driver, then pushes.
    let again = findings_out(&ben, &["sync"]);
    assert_ne!(again.status.code(), Some(0));
    let r = findings_json(&ben, &["sync", "--continue"]);
    assert_eq!(r["pushed"], true, "{r}");
    assert!(r["warnings"].to_string().contains("cannot start"), "{r}");
    findings(&ana, &["sync"]);
    for dir in [&ana, &ben] {
        let f = files_of(dir, "030");
        assert_eq!(f.len(), 1);
        let t = read(dir, &f[0]);
        assert_eq!(rows_with(&t, "Ben's entry"), 1, "{t}");
        assert_eq!(rows_with(&t, "Triage: pending → ready"), 1, "{t}");
        findings(dir, &["check"]);
    }

    // `findings init` registers a driver that falls back to PATH and fails
    // clearly when there is no findings at all.
    findings(&ben, &["init"]);
    let d = git(&ben, &["config", "--get", "merge.findings.driver"]);
    assert!(d.contains("command -v findings") && d.contains("exit 2"), "{d}");
}

#[test]
fn renumbering_in_sync_follows_findings_own_text_and_reports_a_persons() {
    let s = Sandbox::new();
    s.remote(true);
    let ana = s.clone("ana", "Ana", true);
    let ben = s.clone("ben", "Ben", true);
    findings(&ana, &["new", "--kind", "adr", "--title", "Ana's decision"]);
    findings(&ben, &["new", "--kind", "adr", "--title", "Ben's decision"]);
    // With a note, the supersede writes a work-log entry into ADR 0105
    // (which keeps none otherwise): findings' own "Superseded by" text.
    findings(
        &ben,
        &["adr", "supersede", "ADR-0105", "ADR-0106", "--note", "Ben's call"],
    );
    findings(&ben, &["log", "030", "Follow ADR-0106 from now on"]);
    findings(&ana, &["sync"]);
    let r = findings_json(&ben, &["sync"]);
    assert_eq!(r["renumbered"][0]["to"], "ADR-0107", "{r}");
    assert_eq!(r["pushed"], true, "{r}");
    let old = read(&ben, "adr/0105-prisma-race-condition-prevention.md");
    assert!(old.contains("Superseded by ADR-0107."), "{old}");
    assert!(!old.contains("ADR-0106"), "{old}");
    let t = read(&ben, &files_of(&ben, "030")[0]);
    assert!(
        t.contains("Follow ADR-0106 from now on"),
        "a person's text is not rewritten"
    );
    assert!(
        r["warnings"]
            .to_string()
            .contains("mentions ADR-0106 in text; left as written"),
        "{r}"
    );
    findings(&ben, &["check"]);
}

#[test]
fn sync_never_pushes_conflict_markers() {
    let s = Sandbox::new();
    s.remote(true);
    let ana = s.clone("ana", "Ana", true);
    let f = files_of(&ana, "030")[0].clone();
    let good = read(&ana, &f);
    let marked = good.replace(
        "## Findings\n",
        "## Findings\n\n<<<<<<< HEAD\nmine\n=======\ntheirs\n>>>>>>> other\n",
    );
    write(&ana, &f, &marked);
    git(&ana, &["commit", "-q", "-am", "committed a conflict by mistake"]);
    let before = git(&ana, &["ls-remote", "origin", "main"]);
    let out = findings_out(&ana, &["sync", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["pushed"], false, "{r}");
    assert!(r["instructions"].to_string().contains("not pushed"), "{r}");
    assert_eq!(git(&ana, &["ls-remote", "origin", "main"]), before);
    findings_out(&ana, &["check"])
        .status
        .code()
        .filter(|c| *c == 1)
        .expect("check is red");
    write(&ana, &f, &good);
    git(&ana, &["commit", "-q", "-am", "resolved"]);
    let r = findings_json(&ana, &["sync"]);
    assert_eq!(r["pushed"], true, "{r}");
}
