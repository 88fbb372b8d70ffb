//! The read-only CLI on the bundled samples and on small temporary
//! repositories: list, show, check, ID resolution, exit codes.

mod common;

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;

fn findings() -> Command {
    common::findings()
}

fn samples() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn json(args: &[&str], root: &Path) -> serde_json::Value {
    let out = findings().arg("-C").arg(root).args(args).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn list_shows_every_sample_with_status_and_priority() {
    let out = findings().arg("-C").arg(samples()).arg("list").output().unwrap();
    assert!(out.status.success());
    let s = String::from_utf8(out.stdout).unwrap();
    for (id, status, pri) in [
        ("030", "pending", "p1"),
        ("003", "pending", "p1"),
        ("DATA-001", "open", "p2"),
        ("DATA-005", "resolved", "p1"),
        ("ADR-0105", "accepted", "-"),
    ] {
        let line = s
            .lines()
            .find(|l| l.starts_with(id))
            .unwrap_or_else(|| panic!("{id} missing:\n{s}"));
        let cols: Vec<_> = line.split_whitespace().collect();
        assert_eq!((cols[1], cols[2]), (pri, status), "{line}");
    }
    // No colour when not a terminal.
    assert!(!s.contains('\x1b'));
}

#[test]
fn json_filter_pending_p1_returns_030_and_003() {
    let v = json(
        &["list", "--status", "pending", "--priority", "p1", "--format", "json"],
        samples(),
    );
    assert_eq!(v["schema"], 1);
    let mut ids: Vec<_> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    ids.sort();
    assert_eq!(ids, ["003", "030"]);
    let item = &v["items"][0];
    for key in [
        "id",
        "kind",
        "title",
        "status",
        "status_raw",
        "priority",
        "severity",
        "tags",
        "dependencies",
        "path",
        "created",
        "problems",
    ] {
        assert!(item.get(key).is_some(), "missing {key}");
    }
    assert!(item["path"].as_str().unwrap().starts_with("findings/"));
}

#[test]
fn repeated_flags_or_different_flags_and() {
    let v = json(&["list", "-s", "open", "-s", "accepted", "--format", "json"], samples());
    assert_eq!(v["items"].as_array().unwrap().len(), 2);
    let v = json(
        &["list", "-s", "open", "-s", "accepted", "-k", "adr", "--format", "json"],
        samples(),
    );
    assert_eq!(v["items"].as_array().unwrap().len(), 1);
    let v = json(&["list", "--query", "objection", "--format", "json"], samples());
    assert_eq!(v["items"][0]["id"], "DATA-001");
    let v = json(&["list", "--tag", "race-condition", "--format", "json"], samples());
    assert_eq!(v["items"][0]["id"], "030");
}

#[test]
fn ids_format_and_sort() {
    let out = findings()
        .arg("-C")
        .arg(samples())
        .args(["list", "--format", "ids", "--sort", "id"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "003\n030\nADR-0105\nDATA-001\nDATA-005\n"
    );
}

#[test]
fn sort_created_orders_dates_whatever_form_they_are_written_in() {
    // Newest first by date, not by text: "31 January 2025" is older than
    // "2026-01-29" though it sorts after it as text. A time orders two
    // documents of the same day; a value that is no date and a missing one
    // come last, in that order.
    let todo = |n: &str, created: &str| {
        let fm = if created.is_empty() {
            String::new()
        } else {
            format!("created: {created}\n")
        };
        (
            format!("todos/{n}-pending-p2-t.md"),
            format!("---\nstatus: pending\npriority: p2\nissue_id: \"{n}\"\n{fm}---\n# T{n}\n"),
        )
    };
    let files = [
        todo("001", "31 January 2025"),
        todo("002", "2026-01-29"),
        todo("003", "\"2025-11-18T10:06:59.470Z\""),
        todo("004", "Jan 30, 2025"),
        todo("005", "'2026-01-29 06:50'"),
        todo("006", "sometime"),
        todo("007", ""),
        todo("008", "2025-02-01"),
    ];
    let mut adr = files.to_vec();
    // A body field, as ADRs write it.
    adr.push((
        "adr/0009-d.md".into(),
        "# 9. D\n\nDate: 2 February 2025\n\n## Status\n\nAccepted\n".into(),
    ));
    let refs: Vec<(&str, &[u8])> = adr.iter().map(|(p, t)| (p.as_str(), t.as_bytes())).collect();
    let d = repo_with(&refs);
    let out = findings()
        .arg("-C")
        .arg(d.path())
        .args(["list", "--format", "ids", "--sort", "created"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "005\n002\n003\nADR-0009\n008\n001\n004\n006\n007\n"
    );
    // The raw value is still what is shown.
    let v = json(&["show", "001", "--format", "json"], d.path());
    assert_eq!(v["created"], "31 January 2025");
}

#[test]
fn show_resolves_ids_in_every_spelling() {
    for q in ["0105", "105", "ADR-0105", "adr-105"] {
        let v = json(&["show", q, "--format", "json"], samples());
        assert_eq!(v["id"], "ADR-0105", "{q}");
        assert!(v["sections"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["title"] == "Decision"));
        assert!(v["body"].as_str().unwrap().contains("Prisma upsert"));
    }
    findings()
        .arg("-C")
        .arg(samples())
        .args(["show", "30"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("---\nstatus: pending\n"));
    findings()
        .arg("-C")
        .arg(samples())
        .args(["show", "999"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no document with ID \"999\""));
    findings()
        .arg("-C")
        .arg(samples())
        .args(["show", "../../../etc/passwd"])
        .assert()
        .code(1);
}

#[test]
fn show_text_has_a_header() {
    findings()
        .arg("-C")
        .arg(samples())
        .args(["show", "DATA-5", "--format", "text"])
        .assert()
        .success()
        .stdout(predicate::str::contains("status    resolved").and(predicate::str::contains("severity  dangerous")));
}

#[test]
fn check_is_clean_on_the_samples() {
    findings()
        .arg("-C")
        .arg(samples())
        .arg("check")
        .assert()
        .success()
        // The samples cite code of the project they come from, which is not here.
        .stdout(predicate::str::contains("5 document(s): 0 error(s), 4 warning(s)"));
}

#[test]
fn usage_errors_exit_2() {
    findings().args(["list", "--sort", "nonsense"]).assert().code(2);
    findings().args(["frobnicate"]).assert().code(2);
    findings()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("Exit status"));
}

fn repo_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    for (p, b) in files {
        let path = d.path().join(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, b).unwrap();
    }
    d
}

#[test]
fn bad_files_warn_and_the_rest_still_load() {
    let big = format!(
        "---\nstatus: pending\npriority: p2\n---\n# Big\n{}",
        "word ".repeat(220_000)
    );
    let d = repo_with(&[
        (
            "todos/001-pending-p1-ok.md",
            b"---\nstatus: pending\npriority: p1\nissue_id: 001\n---\n# Fine\n",
        ),
        (
            "todos/002-pending-p1-bad.md",
            b"---\nstatus: pending\nowner: -\n  - x: [\n---\n# Bad yaml\n",
        ),
        ("todos/003-pending-p1-bin.md", b"\x00\x01\x02binary"),
        (
            "todos/004-pending-p1-latin.md",
            b"---\nstatus: pending\n---\n# caf\xe9\n",
        ),
        ("todos/005-pending-p1-empty.md", b""),
        ("todos/006-pending-p2-big.md", big.as_bytes()),
        (
            "todos/007-pending-p1-conflict.md",
            b"---\n<<<<<<< HEAD\nstatus: pending\n=======\nstatus: ready\n>>>>>>> other\n---\n# C\n",
        ),
    ]);
    let out = findings()
        .arg("-C")
        .arg(d.path())
        .args(["list", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    // `list` says how many files have problems in one line; `check` names each.
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        err,
        "findings: warning: 5 files have problems; run `findings check` for details\n"
    );
    let check = findings().arg("-C").arg(d.path()).arg("check").output().unwrap();
    assert_eq!(check.status.code(), Some(1));
    let err = String::from_utf8(check.stdout).unwrap();
    assert!(
        err.contains("todos/002-pending-p1-bad.md:3:8: error[invalid-yaml]"),
        "{err}"
    );
    assert!(err.contains("invalid-yaml"), "{err}");
    assert!(err.contains("todos/003-pending-p1-bin.md:1:1: error[binary]"), "{err}");
    assert!(
        err.contains("todos/004-pending-p1-latin.md:4:6: error[not-utf8]"),
        "{err}"
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<_> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect();
    assert!(ids.contains(&"001".to_string()) && ids.contains(&"002".to_string()) && ids.contains(&"006".to_string()));
    let conflicted = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "007")
        .unwrap();
    assert_eq!(conflicted["conflicted"], true);

    let out = findings().arg("-C").arg(d.path()).arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.contains("conflict-markers"), "{s}");
}

#[test]
fn check_json_reports_duplicates_with_both_paths() {
    let d = repo_with(&[
        (
            "todos/013-pending-p1-a.md",
            b"---\nstatus: pending\npriority: p1\n---\n# A\n",
        ),
        (
            "todos/013-pending-p1-b.md",
            b"---\nstatus: pending\npriority: p1\n---\n# B\n",
        ),
        (
            "todos/014-pending-p1-c.md",
            b"---\nstatus: pending\npriority: p1\ndependencies: [\"099\"]\n---\n# C\n",
        ),
        (
            "findings/X-1-open-P1-x.md",
            b"---\nid: X-1\nstatus: resolved\n---\n# X\n",
        ),
    ]);
    let out = findings()
        .arg("-C")
        .arg(d.path())
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let probs = v["problems"].as_array().unwrap();
    let dup: Vec<_> = probs.iter().filter(|p| p["code"] == "duplicate-id").collect();
    assert_eq!(dup.len(), 2);
    assert!(dup[0]["message"]
        .as_str()
        .unwrap()
        .contains("todos/013-pending-p1-b.md"));
    assert!(probs.iter().any(|p| p["code"] == "missing-dependency"));
    assert!(probs.iter().any(|p| p["code"] == "status-mismatch"));
    // show of an ambiguous ID lists both paths.
    findings()
        .arg("-C")
        .arg(d.path())
        .args(["show", "13"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("todos/013-pending-p1-a.md")
                .and(predicate::str::contains("todos/013-pending-p1-b.md")),
        );
}

#[test]
fn escape_sequences_never_reach_the_terminal_table() {
    let d = repo_with(&[(
        "todos/001-pending-p1-x.md",
        b"---\nstatus: pending\npriority: p1\n---\n# Evil \x1b]52;c;aGk=\x07 \x1b[2J title\n",
    )]);
    let out = findings().arg("-C").arg(d.path()).arg("list").output().unwrap();
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(!s.contains('\x1b') && !s.contains('\x07'), "{s:?}");
    assert!(s.contains('\u{241b}'));
}

#[test]
fn findings_toml_sets_folders_and_bad_config_names_file_and_key() {
    let d = repo_with(&[
        ("notes/review/001-pending-p1-a.md", b"---\nstatus: pending\n---\n# A\n"),
        ("findings.toml", b"folders = [\"notes\"]\n"),
    ]);
    let v = json(&["list", "--format", "json"], d.path());
    assert_eq!(v["items"][0]["path"], "notes/review/001-pending-p1-a.md");
    std::fs::write(d.path().join("findings.toml"), "folders = [\"notes\"]\nfolderz = 1\n").unwrap();
    findings()
        .arg("-C")
        .arg(d.path())
        .arg("list")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("findings.toml:2:1").and(predicate::str::contains("folderz")));
}
