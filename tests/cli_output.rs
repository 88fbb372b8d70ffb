//! Quiet, aligned output: one stderr line for files with problems, each
//! line labelled warning or error (never both), piped tables that cut long
//! titles and IDs the same way every time (`…`, whole graphemes, columns),
//! and no raw libgit2 or OS wording in errors.

mod common;

use assert_cmd::Command;
use std::fs;
use std::path::Path;
use unicode_width::UnicodeWidthStr;

fn findings(root: &Path) -> Command {
    let mut c = common::findings();
    c.arg("-C").arg(root);
    c
}

fn write(root: &Path, rel: &str, bytes: &[u8]) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, bytes).unwrap();
}

#[test]
fn files_with_problems_are_one_line_labelled_once() {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    write(
        r,
        "todos/001-pending-p1-ok.md",
        b"---\nstatus: pending\ntags: [api]\n---\n# Fine\n",
    );
    // The same ID twice: one problem each file, said once.
    write(r, "todos/001-ready-p1-again.md", b"---\nstatus: ready\n---\n# Again\n");
    write(r, "todos/002-pending-p1-bad.md", b"---\nstatus: [oops\n---\n# Bad\n");
    write(r, "todos/003-pending-p1-bin.md", b"\x00\x01binary");
    let out = findings(r).args(["list", "--format", "ids"]).output().unwrap();
    assert!(out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        err,
        "findings: warning: 4 files have problems; run `findings check` for details\n"
    );
    // Each line of check carries one label; the clash is said once, naming both.
    let out = findings(r).arg("check").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let dup: Vec<&str> = text.lines().filter(|l| l.contains("duplicate-id")).collect();
    assert_eq!(dup.len(), 1, "{text}");
    assert!(
        dup[0].contains("todos/001-") && dup[0].contains("is also used by todos/001-"),
        "{text}"
    );
    for line in text.lines() {
        assert!(
            !(line.contains("warning") && line.contains("error[")),
            "both labels: {line}"
        );
    }
    // One file: named.
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "todos/002-pending-p1-bad.md",
        b"---\nstatus: [oops\n---\n# Bad\n",
    );
    write(
        d.path(),
        "todos/001-pending-p1-ok.md",
        b"---\nstatus: pending\n---\n# Fine\n",
    );
    let out = findings(d.path()).args(["list"]).output().unwrap();
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "findings: warning: todos/002-pending-p1-bad.md has problems; run `findings check` for details\n"
    );
}

#[test]
fn piped_tables_cut_long_cells_the_same_way() {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    let long_title = format!("Cafe\u{301} 日本語のタイトル {}", "and so on ".repeat(10));
    write(
        r,
        "findings/a.md",
        format!(
            "---\nid: VERY-LONG-IDENTIFIER-PREFIX-0001\nstatus: open\nseverity: high\ntags: [x]\n---\n# {long_title}\n"
        )
        .as_bytes(),
    );
    write(
        r,
        "findings/b.md",
        b"---\nid: SEC-002\nstatus: open\nseverity: high\ntags: [security]\n---\n# Short\n",
    );
    let run = || {
        let out = findings(r).args(["list", "--sort", "id"]).output().unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let table = run();
    assert_eq!(table, run(), "the same every time");
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 3, "{table}");
    // IDs and titles cut with an ellipsis, never mid-grapheme.
    assert!(lines[2].starts_with("VERY-LONG-IDENTIFIER-PR… "), "{table}");
    assert!(lines[2].contains('…'));
    assert!(!table.contains("and so on and so on and so on and so on and so on and so on"));
    assert!(lines[2].contains("Cafe\u{301} 日本語"), "{table}");
    // The TAGS column starts at the same column on every line.
    let tags_at = |l: &str, tag: &str| l[..l.rfind(tag).unwrap()].width();
    let head = tags_at(lines[0], "TAGS");
    assert_eq!(tags_at(lines[1], "security"), head, "{table}");
    assert_eq!(tags_at(lines[2], "x"), head, "{table}");
}

#[test]
fn git_errors_say_what_happened_not_libgit2s_words() {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    let git = |args: &[&str]| common::git(r, &common::empty_home(), args);
    git(&["init", "-q", "-b", "main"]);
    write(r, "todos/001-pending-p1-ok.md", b"---\nstatus: pending\n---\n# Fine\n");
    git(&["add", "-A"]);
    git(&[
        "-c",
        "user.name=A",
        "-c",
        "user.email=a@b",
        "commit",
        "-q",
        "-m",
        "seed",
    ]);
    let out = findings(r)
        .args(["check", "--against", "no-such-branch"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("no such branch, tag or commit"), "{err}");
    for raw in ["class=", "code=", "os error"] {
        assert!(!err.contains(raw), "{raw}: {err}");
    }
}
