//! Mistakes on the command line are usage errors: one line naming the value
//! and the nearest one that exists, a hint line, exit status 2. An unknown
//! tag is only a warning (exit 0) naming the nearest tags.

mod common;

use assert_cmd::Command;
use std::fs;
use std::path::Path;

fn findings(root: &Path) -> Command {
    let mut c = common::findings();
    c.arg("-C").arg(root);
    c
}

/// A small repository: two todos and a finding, a configured `in_review`
/// status, tags `security`, `secrets`, `api`.
fn repo() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    fs::create_dir_all(r.join("todos")).unwrap();
    fs::create_dir_all(r.join("findings")).unwrap();
    fs::write(
        r.join("todos/001-pending-p1-fix-login.md"),
        "---\nstatus: pending\npriority: p1\ntags: [security, api]\n---\n# Fix login\n",
    )
    .unwrap();
    fs::write(
        r.join("todos/002-in_review-p2-rate-limit.md"),
        "---\nstatus: in_review\npriority: p2\ntags: [secrets]\n---\n# Rate limit\n",
    )
    .unwrap();
    fs::write(
        r.join("findings/DATA-001.md"),
        "---\nid: DATA-001\nstatus: open\npriority: P2\nseverity: high\n---\n# Orphaned rows\n",
    )
    .unwrap();
    fs::write(
        r.join("findings.toml"),
        "[workflow.todo]\nstatuses = [\"pending\", \"ready\", \"in_review\", \"complete\", \"wontfix\"]\n\
         triage_to = \"ready\"\ntransitions = [{ from = [\"pending\"], to = \"ready\" }, { from = [\"ready\"], to = \"in_review\" }]\n",
    )
    .unwrap();
    d
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(root: &Path, args: &[&str]) -> Run {
    let out = findings(root).args(args).output().unwrap();
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A usage error: exit 2, nothing on stdout, the error line then one hint line.
fn usage(root: &Path, args: &[&str]) -> (String, String) {
    let r = run(root, args);
    assert_eq!(r.code, Some(2), "findings {args:?}:\n{}{}", r.stdout, r.stderr);
    assert_eq!(r.stdout, "", "{args:?}");
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{args:?}: one line plus a hint:\n{}", r.stderr);
    let error = lines[0]
        .strip_prefix("findings: error: ")
        .unwrap_or_else(|| panic!("{}", r.stderr));
    let hint = lines[1]
        .strip_prefix("  hint: ")
        .unwrap_or_else(|| panic!("{}", r.stderr));
    (error.to_string(), hint.to_string())
}

#[test]
fn a_misspelt_status_names_the_nearest_one() {
    let d = repo();
    let (e, hint) = usage(d.path(), &["list", "-s", "pendng"]);
    assert_eq!(e, r#"unknown status "pendng"; did you mean "pending"?"#);
    assert!(hint.contains("pending, ready, in_review"), "{hint}");
    // A configured status is one of the repository's, spelt wrong or right.
    let (e, _) = usage(d.path(), &["list", "--status", "in_reviw"]);
    assert_eq!(e, r#"unknown status "in_reviw"; did you mean "in_review"?"#);
    let r = run(d.path(), &["list", "-s", "in_review", "--format", "ids"]);
    assert_eq!((r.code, r.stdout.as_str()), (Some(0), "002\n"), "{}", r.stderr);
    // Aliases and other families' statuses are not mistakes.
    for ok in ["done", "open", "wip", "Pending"] {
        let r = run(d.path(), &["list", "-s", ok]);
        assert_eq!(r.code, Some(0), "{ok}: {}", r.stderr);
        assert_eq!(r.stderr, "", "{ok}");
    }
    // Nothing near: no guess, the statuses in the hint.
    let (e, _) = usage(d.path(), &["list", "-s", "xyzzy"]);
    assert_eq!(e, r#"unknown status "xyzzy""#);
}

#[test]
fn priority_kind_and_sort_values_are_checked() {
    let d = repo();
    let (e, hint) = usage(d.path(), &["list", "-p", "hgh"]);
    assert_eq!(e, r#"unknown priority "hgh"; did you mean "high"?"#);
    assert!(hint.contains("p0, p1, p2 or p3"), "{hint}");
    // p7 is no nearer p0 than p3: no guess.
    let (e, _) = usage(d.path(), &["list", "-p", "p7"]);
    assert_eq!(e, r#"unknown priority "p7""#);
    let r = run(d.path(), &["list", "-p", "P2", "--format", "ids"]);
    assert_eq!(r.stdout, "002\nDATA-001\n", "{}", r.stderr);

    let (e, hint) = usage(d.path(), &["list", "-k", "fnding"]);
    assert_eq!(e, r#"unknown kind "fnding"; did you mean "finding"?"#);
    assert_eq!(hint, "use todo, finding or adr");
    let (e, hint) = usage(d.path(), &["list", "--sort", "prority"]);
    assert_eq!(e, r#"unknown sort "prority"; did you mean "priority"?"#);
    assert_eq!(hint, "use one of: id, priority, status, created, title");
    let (e, _) = usage(d.path(), &["list", "--format", "jsn"]);
    assert_eq!(e, r#"unknown format "jsn"; did you mean "json"?"#);
    // The same on the write commands, with nothing written.
    let (e, _) = usage(d.path(), &["new", "--title", "x", "-p", "hihg"]);
    assert_eq!(e, r#"unknown priority "hihg"; did you mean "high"?"#);
    let (e, _) = usage(d.path(), &["new", "--title", "x", "-k", "tood"]);
    assert_eq!(e, r#"unknown kind "tood"; did you mean "todo"?"#);
    assert!(!d.path().join("todos/003-pending-p2-x.md").exists());
}

#[test]
fn a_misspelt_status_to_move_to_is_a_usage_error() {
    let d = repo();
    let before = fs::read(d.path().join("todos/001-pending-p1-fix-login.md")).unwrap();
    let (e, hint) = usage(d.path(), &["status", "001", "redy", "--no-commit"]);
    assert_eq!(e, r#"001: unknown status "redy"; did you mean "ready"?"#);
    assert_eq!(
        hint,
        "001 is a todo; a todo's statuses: pending, ready, in_review, complete, wontfix"
    );
    let (e, _) = usage(d.path(), &["triage", "001", "--to", "in_reveiw", "--no-commit"]);
    assert_eq!(e, r#"001: unknown status "in_reveiw"; did you mean "in_review"?"#);
    assert_eq!(
        fs::read(d.path().join("todos/001-pending-p1-fix-login.md")).unwrap(),
        before
    );
}

#[test]
fn misspelt_options_and_commands() {
    let d = repo();
    let (e, hint) = usage(d.path(), &["list", "--stauts", "pending"]);
    assert_eq!(e, "unknown option --stauts; did you mean --status?");
    assert_eq!(hint, "see `findings list --help`");
    let (e, _) = usage(d.path(), &["shwo", "001"]);
    assert_eq!(e, r#"unknown command "shwo"; did you mean "show"?"#);
    let (e, hint) = usage(d.path(), &["status", "001"]);
    assert_eq!(e, "missing <STATUS>");
    assert_eq!(hint, "see `findings status --help`");
    let (e, _) = usage(d.path(), &["list", "--sort", "id", "--sort", "title"]);
    assert!(e.contains("--sort"), "{e}");
    let (e, _) = usage(d.path(), &["triage", "001", "--replace"]);
    assert!(e.contains("--action"), "{e}");
}

#[test]
fn an_unknown_tag_is_a_warning_naming_the_nearest_tags() {
    let d = repo();
    let r = run(d.path(), &["list", "-t", "secrity"]);
    assert_eq!(r.code, Some(0));
    assert_eq!(
        r.stderr,
        "findings: warning: no document has the tag \"secrity\"; nearest tags: \"security\", \"secrets\"\n"
    );
    let r = run(d.path(), &["list", "-t", "Security", "--format", "ids"]);
    assert_eq!((r.stdout.as_str(), r.stderr.as_str()), ("001\n", ""));
    let r = run(d.path(), &["list", "-t", "zzz"]);
    assert_eq!(r.code, Some(0));
    assert_eq!(r.stderr, "findings: warning: no document has the tag \"zzz\"\n");
}

#[test]
fn the_value_is_shown_inert() {
    let d = repo();
    let (e, _) = usage(d.path(), &["list", "-s", "pend\x1b[2Jng"]);
    assert!(!e.contains('\x1b'), "{e:?}");
}
