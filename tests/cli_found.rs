//! Found, or told where to look: with no documents, `list` and `check` say
//! where findings looked, name the folders that hold markdown files and the
//! command that points findings at them; `check` exits 1; `init --folders`
//! and `init --yes` write `folders = [...]` into findings.toml and nothing
//! else there.

mod common;

use assert_cmd::Command;
use std::fs;
use std::path::Path;

fn findings(root: &Path, home: &Path) -> Command {
    let mut c = Command::from_std(common::findings_cmd(root, home));
    c.env("COLUMNS", "200").arg("-C").arg(root);
    c
}

struct Repo {
    dir: tempfile::TempDir,
    home: tempfile::TempDir,
}

impl Repo {
    /// A git repository whose markdown files are none of them documents:
    /// notes (2 files), docs/guide (1), a README, and a copy under
    /// node_modules that discovery skips.
    fn notes() -> Repo {
        let r = Repo {
            dir: tempfile::tempdir().unwrap(),
            home: tempfile::tempdir().unwrap(),
        };
        common::git(r.path(), r.home.path(), &["init", "-q"]);
        for (p, text) in [
            ("notes/login-race.md", "# Login race\n\nTwo tabs log in at once.\n"),
            ("notes/slow-export.md", "# Slow export\n"),
            ("docs/guide/setup.md", "# Setup\n"),
            ("README.md", "# project\n"),
            ("node_modules/pkg/README.md", "# pkg\n"),
        ] {
            r.write(p, text);
        }
        r
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn write(&self, p: &str, text: &str) {
        let p = self.path().join(p);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    fn run(&self, args: &[&str]) -> (Option<i32>, String, String) {
        let out = findings(self.path(), self.home.path()).args(args).output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }
}

#[test]
fn list_says_where_it_looked_and_what_to_run() {
    let r = Repo::notes();
    let (code, out, err) = r.run(&["list"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out, "");
    let root = r.path().canonicalize().unwrap();
    assert!(
        err.starts_with(&format!("findings: no documents found in {}\n", root.display())),
        "{err}"
    );
    assert!(err.contains("looked at every .md file under"), "{err}");
    assert!(err.contains("    notes/       2 .md files\n"), "{err}");
    assert!(err.contains("    docs/guide/  1 .md file\n"), "{err}");
    assert!(!err.contains("node_modules/"), "{err}");
    assert!(
        err.ends_with("  hint: to read every .md file under notes/ as a document: findings init --folders notes\n"),
        "{err}"
    );
    // JSON still prints its (empty) list on stdout.
    let (code, out, _) = r.run(&["list", "--format", "json"]);
    assert_eq!((code, out.as_str()), (Some(0), "{\"schema\":1,\"items\":[]}\n"));
}

#[test]
fn check_with_no_documents_exits_1() {
    let r = Repo::notes();
    let (code, out, err) = r.run(&["check"]);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(out.contains("0 document(s)"), "{out}");
    assert!(err.contains("no documents found in"), "{err}");
    assert!(err.contains("findings init --folders notes"), "{err}");
}

#[test]
fn an_empty_repository_is_told_how_to_start() {
    let r = Repo {
        dir: tempfile::tempdir().unwrap(),
        home: tempfile::tempdir().unwrap(),
    };
    let (code, _, err) = r.run(&["list"]);
    assert_eq!(code, Some(0));
    assert!(err.contains("no folder under"), "{err}");
    assert!(err.contains("findings -C DIR"), "{err}");
    assert!(err.contains("findings new --title"), "{err}");
}

#[test]
fn init_outside_a_git_repository_writes_nothing() {
    let r = Repo {
        dir: tempfile::tempdir().unwrap(),
        home: tempfile::tempdir().unwrap(),
    };
    r.write("notes/a.md", "# A\n");
    let (code, _, err) = r.run(&["init", "--folders", "notes"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("not inside a git repository"), "{err}");
    assert!(!r.path().join("findings.toml").exists());
}

#[test]
fn configured_folders_that_are_missing_are_named() {
    let r = Repo::notes();
    r.write("findings.toml", "folders = [\"reviews\"]\n");
    let (code, _, err) = r.run(&["check"]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("looked in the folders findings.toml names: reviews/ (missing)"),
        "{err}"
    );
    assert!(err.contains("notes/"), "{err}");
    // init does not quietly replace folders someone configured.
    let (code, _, err) = r.run(&["init", "--folders", "notes", "--no-commit"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("findings.toml already names folders (reviews)"), "{err}");
    assert_eq!(
        fs::read_to_string(r.path().join("findings.toml")).unwrap(),
        "folders = [\"reviews\"]\n"
    );
}

#[test]
fn init_folders_writes_the_folders_and_keeps_the_file() {
    let r = Repo::notes();
    let mine = "# my settings\r\n[tui]\r\ntheme = \"light\"\r\n";
    r.write("findings.toml", mine);
    let (code, _, err) = r.run(&["init", "--folders", "notes/", "--no-commit"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("wrote to findings.toml: folders = [\"notes\"] (not committed"),
        "{err}"
    );
    assert_eq!(
        fs::read_to_string(r.path().join("findings.toml")).unwrap(),
        format!("folders = [\"notes\"]\r\n{mine}")
    );
    let (code, out, err) = r.run(&["list", "--format", "ids"]);
    assert_eq!((code, out.as_str()), (Some(0), "login-race\nslow-export\n"), "{err}");
    // Asked again: already so, nothing written.
    let (code, _, err) = r.run(&["init", "--folders", "notes", "--no-commit"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(!err.contains("wrote"), "{err}");
}

#[test]
fn init_refuses_folders_it_cannot_use_and_never_creates_one() {
    let r = Repo::notes();
    for (bad, says) in [
        ("missing", "no such folder"),
        ("../elsewhere", "inside the repository"),
        ("/tmp", "inside the repository"),
    ] {
        let (code, _, err) = r.run(&["init", "--folders", bad, "--no-commit"]);
        assert_eq!(code, Some(1), "{bad}: {err}");
        assert!(err.contains(says), "{bad}: {err}");
        assert!(!r.path().join("findings.toml").exists(), "{bad}");
        assert!(!r.path().join("missing").exists());
    }
}

#[test]
fn init_without_a_terminal_asks_for_yes_and_yes_takes_the_largest_folder() {
    let r = Repo::notes();
    let (code, _, err) = r.run(&["init", "--no-commit"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("notes/ holds 2 .md file(s): run `findings init --folders notes` (or `findings init --yes`)"),
        "{err}"
    );
    assert!(!r.path().join("findings.toml").exists());
    let (code, _, err) = r.run(&["init", "--yes", "--dry-run"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("would write to findings.toml: folders = [\"notes\"]"),
        "{err}"
    );
    assert!(!r.path().join("findings.toml").exists());
    let (code, _, err) = r.run(&["init", "--yes", "--no-commit"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        fs::read_to_string(r.path().join("findings.toml")).unwrap(),
        "folders = [\"notes\"]\n"
    );
    let (_, out, _) = r.run(&["list", "--format", "ids"]);
    assert_eq!(out, "login-race\nslow-export\n");
}

/// `init` in a repository with no document folder registers the driver but
/// writes no `.gitattributes` line for folders that do not exist, and says
/// when to run it again.
#[test]
fn init_with_no_document_folder_writes_no_attributes() {
    let r = Repo::notes();
    let (code, _, err) = r.run(&["init", "--no-commit"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(!r.path().join(".gitattributes").exists(), "{err}");
    let (code, out, err) = r.run(&["init", "--no-commit"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(!out.contains("already routes"), "{out}");
}
