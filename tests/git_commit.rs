//! `git::commit_paths` against real temporary repositories, checked with the
//! `git` command line.

use findings::git::{self, Change, CommitOptions, GitError, RepoState};
use std::fs;
use std::path::{Path, PathBuf};

mod common;

common::repo_type! {
    /// A temporary repository with its own empty home, git isolated.
    struct Repo;
}

impl Repo {
    fn new() -> Repo {
        Repo(common::TempRepo::init())
    }

    /// A repository with one commit holding `files`.
    fn with(files: &[(&str, &str)]) -> Repo {
        let r = Repo::new();
        for (p, t) in files {
            r.write(p, t);
        }
        r.commit_all("initial");
        r
    }

    fn git_dir(&self) -> PathBuf {
        self.path().join(".git")
    }

    fn git_fails(&self, args: &[&str]) {
        assert!(!self.git_output(args).status.success(), "git {args:?} should fail");
    }

    fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path().join(rel)).unwrap()
    }

    fn hook(&self, dir: &str, name: &str, script: &str) {
        let d = self.path().join(dir);
        fs::create_dir_all(&d).unwrap();
        let p = d.join(name);
        fs::write(&p, script).unwrap();
        set_mode(&p, 0o755);
    }

    fn head(&self) -> String {
        self.git(&["rev-parse", "HEAD"]).trim().to_string()
    }

    fn commit(&self, changes: &[Change], message: &str) -> Result<git::Committed, GitError> {
        git::commit_paths(self.path(), changes, message, &CommitOptions::default())
    }

    /// No scratch files or locks of ours left in `.git`.
    fn assert_no_leftovers(&self) {
        for e in fs::read_dir(self.git_dir()).unwrap().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            assert!(!name.starts_with("findings-"), "left behind: {name}");
            assert_ne!(name, "index.lock", "index.lock left behind");
        }
    }
}

#[cfg(unix)]
fn set_mode(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(p, fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(not(unix))]
fn set_mode(_: &Path, _: u32) {}

fn lines(s: &str) -> Vec<&str> {
    let mut v: Vec<&str> = s.lines().filter(|l| !l.is_empty()).collect();
    v.sort();
    v
}

const MESSAGE: &str = "findings(030): triage pending → ready\n\nMoved to ready.\n\nFinding-Id: 030\n";

#[test]
fn commits_only_the_path_and_leaves_staged_and_unstaged_work_alone() {
    let r = Repo::with(&[
        ("findings/030-x.md", "one\n"),
        ("staged.txt", "s1\n"),
        ("unstaged.txt", "u1\n"),
    ]);
    let before = r.head();
    r.write("findings/030-x.md", "two\n");
    r.write("staged.txt", "s2\n");
    r.git(&["add", "staged.txt"]);
    r.write("unstaged.txt", "u2\n");
    r.write("untracked.txt", "new\n");

    let done = r.commit(&[Change::Write("findings/030-x.md".into())], MESSAGE).unwrap();
    assert!(done.warnings.is_empty(), "{:?}", done.warnings);
    assert_eq!(done.id, r.head());
    assert_eq!(r.git(&["rev-parse", "HEAD~1"]).trim(), before);
    assert_eq!(r.git(&["log", "-1", "--format=%B"]), format!("{MESSAGE}\n"));
    assert_eq!(
        lines(&r.git(&["show", "--name-only", "--format=", "HEAD"])),
        ["findings/030-x.md"]
    );
    assert_eq!(r.git(&["show", "HEAD:findings/030-x.md"]), "two\n");
    assert_eq!(lines(&r.git(&["diff", "--cached", "--name-only"])), ["staged.txt"]);
    assert_eq!(r.git(&["show", ":staged.txt"]), "s2\n");
    assert_eq!(lines(&r.git(&["diff", "--name-only"])), ["unstaged.txt"]);
    assert_eq!(
        lines(&r.git(&["status", "--porcelain"])),
        [" M unstaged.txt", "?? untracked.txt", "M  staged.txt"]
    );
    assert_eq!(r.read("findings/030-x.md"), "two\n");
    // The index entry's stat data matches the file: plumbing that does not
    // refresh the index sees it clean.
    assert_eq!(lines(&r.git(&["diff-files", "--name-only"])), ["unstaged.txt"]);
    r.assert_no_leftovers();
}

#[test]
fn our_path_staged_with_other_content_ends_up_committed_and_clean() {
    let r = Repo::with(&[("a.md", "one\n")]);
    r.write("a.md", "staged version\n");
    r.git(&["add", "a.md"]);
    r.write("a.md", "final\n");
    r.commit(&[Change::Write("a.md".into())], "edit a").unwrap();
    assert_eq!(r.git(&["show", "HEAD:a.md"]), "final\n");
    assert_eq!(r.git(&["status", "--porcelain"]), "");
}

#[test]
fn remove_and_write_commit_a_rename() {
    let body = "---\nid: 030\nstatus: pending\n---\n\n# A finding\n\nSome text that makes the file long enough.\n";
    let r = Repo::with(&[("findings/030-pending-p1-x.md", body), ("other.md", "o\n")]);
    let old = r.path().join("findings/030-pending-p1-x.md");
    let new = r.path().join("findings/030-ready-p1-x.md");
    let edited = body.replace("status: pending", "status: ready");
    findings::store::write::atomic_replace_and_rename(&old, &new, edited.as_bytes()).unwrap();
    r.commit(
        &[
            Change::Remove("findings/030-pending-p1-x.md".into()),
            Change::Write("findings/030-ready-p1-x.md".into()),
        ],
        MESSAGE,
    )
    .unwrap();
    let stat = r.git(&["show", "--stat", "-M", "--format=", "HEAD"]);
    assert!(stat.contains("=>"), "not a rename: {stat}");
    assert_eq!(lines(&r.git(&["ls-files"])), ["findings/030-ready-p1-x.md", "other.md"]);
    assert_eq!(r.git(&["status", "--porcelain"]), "");
    assert_eq!(r.git(&["diff", "--cached", "--name-only"]), "");
}

#[test]
fn first_commit_on_an_unborn_branch() {
    let r = Repo::new();
    r.write("findings/001-x.md", "hello\n");
    r.write("notes.txt", "not ours\n");
    assert_eq!(git::head_id(r.path()), None);
    assert_eq!(git::branch(r.path()).as_deref(), Some("main"));
    let done = r.commit(&[Change::Write("findings/001-x.md".into())], "first").unwrap();
    assert_eq!(git::head_id(r.path()).as_deref(), Some(done.id.as_str()));
    assert_eq!(r.git(&["rev-list", "--count", "HEAD"]).trim(), "1");
    assert_eq!(r.git(&["rev-parse", "--abbrev-ref", "HEAD"]).trim(), "main");
    assert_eq!(lines(&r.git(&["ls-files"])), ["findings/001-x.md"]);
    assert_eq!(lines(&r.git(&["status", "--porcelain"])), ["?? notes.txt"]);
}

#[test]
fn detached_head_commits_with_a_warning() {
    let r = Repo::with(&[("a.md", "one\n")]);
    r.git(&["checkout", "-q", "--detach"]);
    assert_eq!(git::branch(r.path()), None);
    r.write("a.md", "two\n");
    let done = r.commit(&[Change::Write("a.md".into())], "edit").unwrap();
    assert!(
        done.warnings.iter().any(|w| w.contains("HEAD is detached")),
        "{:?}",
        done.warnings
    );
    assert_eq!(r.head(), done.id);
    assert_eq!(r.git(&["status", "--porcelain"]), "");
}

/// `main` and `other` both change `a.md`; returns the repository on `main`.
fn diverged() -> Repo {
    let r = Repo::with(&[("a.md", "base\n"), ("f.md", "f\n")]);
    r.git(&["checkout", "-q", "-b", "other"]);
    r.write("a.md", "theirs\n");
    r.git(&["commit", "-q", "-am", "theirs"]);
    r.git(&["checkout", "-q", "main"]);
    r.write("a.md", "ours\n");
    r.git(&["commit", "-q", "-am", "ours"]);
    r
}

#[test]
fn refuses_during_a_merge() {
    let r = diverged();
    r.git_fails(&["merge", "-q", "other"]);
    assert_eq!(git::state(r.path()), RepoState::Merging);
    let head = r.head();
    r.write("f.md", "edited\n");
    let e = r.commit(&[Change::Write("f.md".into())], "edit").unwrap_err();
    assert!(matches!(e, GitError::InProgress(RepoState::Merging)), "{e}");
    assert!(e.to_string().contains("merge"));
    assert_eq!(r.head(), head);
    assert_eq!(r.read("f.md"), "edited\n");
}

#[test]
fn refuses_during_a_rebase() {
    let r = diverged();
    r.git_fails(&["rebase", "other"]);
    assert_eq!(git::state(r.path()), RepoState::Rebasing);
    r.write("f.md", "edited\n");
    let e = r.commit(&[Change::Write("f.md".into())], "edit").unwrap_err();
    assert!(matches!(e, GitError::InProgress(RepoState::Rebasing)), "{e}");
}

#[test]
fn outside_a_repository() {
    let dir = tempfile::tempdir().unwrap();
    if git::is_repo(dir.path()) {
        eprintln!("skipped: the temporary folder is inside a git repository");
        return;
    }
    fs::write(dir.path().join("a.md"), "x").unwrap();
    let e = git::commit_paths(
        dir.path(),
        &[Change::Write("a.md".into())],
        "m",
        &CommitOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(e, GitError::NotARepo { .. }), "{e}");
    assert_eq!(git::state(dir.path()), RepoState::NotARepo);
    assert_eq!(git::head_id(dir.path()), None);
}

#[test]
fn nothing_to_commit_changes_nothing() {
    let r = Repo::with(&[("a.md", "one\n")]);
    let head = r.head();
    let e = r.commit(&[Change::Write("a.md".into())], "same").unwrap_err();
    assert!(matches!(e, GitError::NothingToCommit), "{e}");
    assert_eq!(r.head(), head);
    r.assert_no_leftovers();
}

#[test]
fn missing_file_and_bad_paths_are_errors() {
    let r = Repo::with(&[("a.md", "one\n")]);
    let e = r.commit(&[Change::Write("gone.md".into())], "m").unwrap_err();
    assert!(matches!(e, GitError::Missing { .. }), "{e}");
    let e = r.commit(&[Change::Write("../a.md".into())], "m").unwrap_err();
    assert!(matches!(e, GitError::BadPath { .. }), "{e}");
    r.assert_no_leftovers();
}

#[test]
fn root_below_the_work_tree_prefixes_paths() {
    let r = Repo::with(&[("docs/a.md", "one\n")]);
    r.write("docs/a.md", "two\n");
    git::commit_paths(
        &r.path().join("docs"),
        &[Change::Write("a.md".into())],
        "m",
        &CommitOptions::default(),
    )
    .unwrap();
    assert_eq!(r.git(&["show", "HEAD:docs/a.md"]), "two\n");
    assert_eq!(r.git(&["status", "--porcelain"]), "");
}

#[cfg(unix)]
#[test]
fn executable_bit_is_committed() {
    let r = Repo::with(&[("a.md", "one\n")]);
    r.write("run.sh", "#!/bin/sh\n");
    set_mode(&r.path().join("run.sh"), 0o755);
    r.commit(&[Change::Write("run.sh".into())], "script").unwrap();
    assert!(r.git(&["ls-tree", "HEAD", "run.sh"]).starts_with("100755 "));
    assert_eq!(r.git(&["status", "--porcelain"]), "");
}

#[test]
fn failing_pre_commit_aborts_and_keeps_the_file() {
    let r = Repo::with(&[("a.md", "one\n")]);
    r.hook(".git/hooks", "pre-commit", "#!/bin/sh\necho 'lint: nope' >&2\nexit 3\n");
    let head = r.head();
    r.write("a.md", "two\n");
    let e = r.commit(&[Change::Write("a.md".into())], "edit").unwrap_err();
    match &e {
        GitError::HookFailed { hook, status, stderr } => {
            assert_eq!(hook, "pre-commit");
            assert_eq!(*status, Some(3));
            assert!(stderr.contains("lint: nope"), "{stderr}");
        }
        other => panic!("unexpected {other}"),
    }
    assert_eq!(r.head(), head);
    assert_eq!(r.read("a.md"), "two\n");
    assert_eq!(lines(&r.git(&["status", "--porcelain"])), [" M a.md"]);
    r.assert_no_leftovers();
}

#[test]
fn pre_commit_sees_exactly_what_is_committed() {
    let r = Repo::with(&[("a.md", "one\n"), ("staged.txt", "s1\n")]);
    r.hook(
        ".git/hooks",
        "pre-commit",
        "#!/bin/sh\ngit diff --cached --name-only > \"$GIT_DIR/seen\"\n",
    );
    r.write("staged.txt", "s2\n");
    r.git(&["add", "staged.txt"]);
    r.write("a.md", "two\n");
    r.commit(&[Change::Write("a.md".into())], "edit").unwrap();
    assert_eq!(fs::read_to_string(r.git_dir().join("seen")).unwrap(), "a.md\n");
    assert_eq!(lines(&r.git(&["diff", "--cached", "--name-only"])), ["staged.txt"]);
}

#[test]
fn a_pre_commit_hook_that_stages_a_fix_gets_it_committed() {
    let r = Repo::with(&[("a.md", "one\n"), ("b.md", "b\n")]);
    r.hook(
        ".git/hooks",
        "pre-commit",
        "#!/bin/sh\necho formatted > a.md\ngit add a.md\n",
    );
    r.write("a.md", "two\n");
    r.write("b.md", "unstaged\n");
    let done = r.commit(&[Change::Write("a.md".into())], "edit").unwrap();
    assert!(
        done.warnings.iter().any(|w| w.contains("pre-commit hook changed")),
        "{:?}",
        done.warnings
    );
    assert_eq!(r.git(&["show", "HEAD:a.md"]), "formatted\n");
    assert_eq!(lines(&r.git(&["status", "--porcelain"])), [" M b.md"]);
}

#[test]
fn prepare_commit_msg_runs_with_the_message_source() {
    let r = Repo::with(&[("a.md", "one\n")]);
    r.hook(
        ".git/hooks",
        "prepare-commit-msg",
        "#!/bin/sh\nprintf '\\nsource: %s\\n' \"$2\" >> \"$1\"\n",
    );
    r.write("a.md", "two\n");
    let opts = CommitOptions { no_verify: true };
    git::commit_paths(r.path(), &[Change::Write("a.md".into())], "edit", &opts).unwrap();
    assert_eq!(r.git(&["log", "-1", "--format=%B"]).trim(), "edit\n\nsource: message");
}

#[test]
fn commit_msg_may_edit_the_message_and_post_commit_runs() {
    let r = Repo::with(&[("a.md", "one\n")]);
    r.hook(
        ".git/hooks",
        "commit-msg",
        "#!/bin/sh\nprintf '\\nSigned-off-by: Hook <hook@example.com>\\n' >> \"$1\"\n",
    );
    r.hook(
        ".git/hooks",
        "post-commit",
        "#!/bin/sh\ngit rev-parse HEAD > \"$GIT_DIR/post\"\n",
    );
    r.write("a.md", "two\n");
    let done = r.commit(&[Change::Write("a.md".into())], MESSAGE).unwrap();
    let body = r.git(&["log", "-1", "--format=%B"]);
    assert!(body.starts_with(MESSAGE), "{body}");
    assert!(body.contains("Signed-off-by: Hook <hook@example.com>"), "{body}");
    assert_eq!(fs::read_to_string(r.git_dir().join("post")).unwrap().trim(), done.id);
}

#[test]
fn failing_post_commit_is_only_a_warning() {
    let r = Repo::with(&[("a.md", "one\n")]);
    r.hook(
        ".git/hooks",
        "post-commit",
        "#!/bin/sh\necho 'post broke' >&2\nexit 1\n",
    );
    r.write("a.md", "two\n");
    let done = r.commit(&[Change::Write("a.md".into())], "edit").unwrap();
    assert_eq!(r.head(), done.id);
    assert!(
        done.warnings
            .iter()
            .any(|w| w.contains("post-commit") && w.contains("post broke")),
        "{:?}",
        done.warnings
    );
}

#[test]
fn no_verify_skips_pre_commit_and_commit_msg() {
    let r = Repo::with(&[("a.md", "one\n")]);
    r.hook(".git/hooks", "pre-commit", "#!/bin/sh\nexit 1\n");
    r.hook(".git/hooks", "commit-msg", "#!/bin/sh\nexit 1\n");
    r.write("a.md", "two\n");
    let opts = CommitOptions { no_verify: true };
    let done = git::commit_paths(r.path(), &[Change::Write("a.md".into())], "edit", &opts).unwrap();
    assert_eq!(r.head(), done.id);
    let e = r.commit(&[Change::Write("a.md".into())], "again");
    assert!(matches!(e, Err(GitError::NothingToCommit)));
    r.write("a.md", "three\n");
    let e = r.commit(&[Change::Write("a.md".into())], "again").unwrap_err();
    assert!(
        matches!(&e, GitError::HookFailed { hook, .. } if hook == "pre-commit"),
        "{e}"
    );
}

#[test]
fn core_hooks_path_is_respected() {
    let r = Repo::with(&[("a.md", "one\n")]);
    r.hook(".git/hooks", "pre-commit", "#!/bin/sh\nexit 0\n");
    r.hook("my-hooks", "pre-commit", "#!/bin/sh\necho from my-hooks >&2\nexit 1\n");
    r.git(&["config", "core.hooksPath", "my-hooks"]);
    r.write("a.md", "two\n");
    let e = r.commit(&[Change::Write("a.md".into())], "edit").unwrap_err();
    match e {
        GitError::HookFailed { stderr, .. } => assert!(stderr.contains("from my-hooks")),
        other => panic!("unexpected {other}"),
    }
}

#[cfg(unix)]
#[test]
fn a_hook_that_is_not_executable_is_skipped_with_a_warning() {
    let r = Repo::with(&[("a.md", "one\n")]);
    r.hook(".git/hooks", "pre-commit", "#!/bin/sh\nexit 1\n");
    set_mode(&r.git_dir().join("hooks/pre-commit"), 0o644);
    r.write("a.md", "two\n");
    let done = r.commit(&[Change::Write("a.md".into())], "edit").unwrap();
    assert!(
        done.warnings.iter().any(|w| w.contains("not executable")),
        "{:?}",
        done.warnings
    );
}

#[test]
fn author_and_committer_come_from_the_environment() {
    let r = Repo::with(&[("a.md", "one\n")]);
    r.write("a.md", "two\n");
    let env = |k: &str| match k {
        "GIT_AUTHOR_NAME" => Some("Env Author".to_string()),
        "GIT_COMMITTER_EMAIL" => Some("committer@example.com".to_string()),
        "GIT_AUTHOR_DATE" => Some("@1112911993 +0200".to_string()),
        _ => None,
    };
    git::commit_paths_with_env(
        r.path(),
        &[Change::Write("a.md".into())],
        "edit",
        &CommitOptions::default(),
        &env,
    )
    .unwrap();
    assert_eq!(
        r.git(&["log", "-1", "--format=%an|%ae|%cn|%ce|%at|%ai"]).trim(),
        "Env Author|test@example.com|Test User|committer@example.com|1112911993|2005-04-08 00:13:13 +0200"
    );
    assert_eq!(git::user_name_with_env(r.path(), &env).as_deref(), Some("Env Author"));
    assert_eq!(
        git::user_name_with_env(r.path(), &|_: &str| None).as_deref(),
        Some("Test User")
    );
}

#[test]
fn a_held_index_lock_is_waited_on_then_reported_and_left_alone() {
    let r = Repo::with(&[("a.md", "one\n")]);
    let lock = r.git_dir().join("index.lock");
    fs::write(&lock, "another git").unwrap();
    r.write("a.md", "two\n");
    let head = r.head();
    let e = r.commit(&[Change::Write("a.md".into())], "edit").unwrap_err();
    match &e {
        GitError::IndexLocked { path } => assert_eq!(path, &lock),
        other => panic!("unexpected {other}"),
    }
    assert!(e.to_string().contains("index.lock"));
    assert_eq!(fs::read_to_string(&lock).unwrap(), "another git");
    assert_eq!(r.head(), head);
}

#[test]
fn clean_filters_apply_as_git_add_applies_them() {
    let r = Repo::with(&[(".gitattributes", "*.md text eol=crlf\n"), ("a.md", "one\r\n")]);
    r.write("a.md", "one\r\ntwo\r\n");
    r.commit(&[Change::Write("a.md".into())], "crlf").unwrap();
    assert_eq!(r.git(&["show", "HEAD:a.md"]), "one\ntwo\n");
    assert_eq!(r.git(&["status", "--porcelain"]), "");
}

#[test]
fn linked_work_tree_commits_on_its_branch_and_uses_the_shared_hooks() {
    let r = Repo::with(&[("a.md", "one\n")]);
    let wt = tempfile::tempdir().unwrap();
    let wt_path = wt.path().join("wt");
    r.git(&["worktree", "add", "-q", "-b", "feature", wt_path.to_str().unwrap()]);
    r.hook(".git/hooks", "post-commit", "#!/bin/sh\necho ran > \"$GIT_DIR/post\"\n");
    let main_head = r.head();
    fs::write(wt_path.join("a.md"), "two\n").unwrap();
    let done = git::commit_paths(
        &wt_path,
        &[Change::Write("a.md".into())],
        "in wt",
        &CommitOptions::default(),
    )
    .unwrap();
    assert_eq!(r.head(), main_head);
    assert_eq!(r.git(&["rev-parse", "feature"]).trim(), done.id);
    assert_eq!(
        common::git_output(&wt_path, r.home(), &["status", "--porcelain"]).stdout,
        b""
    );
    assert!(r.git_dir().join("worktrees/wt/post").exists());
    assert_eq!(
        findings::store::write::lock_path(&wt_path),
        r.git_dir().join("worktrees/wt/findings.lock")
    );
}

#[test]
fn the_commit_is_read_back_and_recorded_in_the_reflogs_as_git_records_it() {
    let r = Repo::with(&[("a.md", "one\n")]);
    r.write("a.md", "two\n");
    let done = r.commit(&[Change::Write("a.md".into())], MESSAGE).unwrap();
    assert_eq!(r.head(), done.id);
    r.git(&["cat-file", "-e", &format!("{}^{{tree}}", done.id)]);
    r.git(&["fsck", "--no-progress"]);
    let subject = "commit: findings(030): triage pending → ready";
    assert_eq!(r.git(&["reflog", "-1", "--format=%gs", "main"]).trim(), subject);
    assert_eq!(r.git(&["reflog", "-1", "--format=%gs", "HEAD"]).trim(), subject);
    let fresh = Repo::new();
    fresh.write("b.md", "x\n");
    fresh.commit(&[Change::Write("b.md".into())], "first").unwrap();
    assert_eq!(
        fresh.git(&["reflog", "-1", "--format=%gs", "HEAD"]).trim(),
        "commit (initial): first"
    );
}

/// With `core.filemode` false, a committed path keeps the mode git knows it
/// by (an executable stays one whatever the working file's bits say), and a
/// new path is a plain file; with it true, the file's own bits decide.
#[cfg(unix)]
#[test]
fn the_mode_comes_from_the_file_or_from_git_as_core_filemode_says() {
    let r = Repo::with(&[("run.md", "one\n"), ("doc.md", "one\n")]);
    set_mode(&r.path().join("run.md"), 0o755);
    r.git(&["add", "run.md"]);
    r.git(&["commit", "-q", "-m", "executable"]);
    r.git(&["config", "core.filemode", "false"]);
    set_mode(&r.path().join("run.md"), 0o644);
    r.write("run.md", "two\n");
    r.write("new.md", "new\n");
    set_mode(&r.path().join("new.md"), 0o755);
    r.commit(&[Change::Write("run.md".into()), Change::Write("new.md".into())], "m")
        .unwrap();
    let tree = r.git(&["ls-tree", "HEAD"]);
    assert!(tree.contains("100755 blob") && tree.contains("\trun.md"), "{tree}");
    assert!(
        lines(&tree)
            .iter()
            .any(|l| l.starts_with("100644") && l.ends_with("\tnew.md")),
        "{tree}"
    );

    r.git(&["config", "core.filemode", "true"]);
    r.write("doc.md", "two\n");
    set_mode(&r.path().join("doc.md"), 0o755);
    r.commit(&[Change::Write("doc.md".into())], "m").unwrap();
    let tree = r.git(&["ls-tree", "HEAD"]);
    assert!(
        lines(&tree)
            .iter()
            .any(|l| l.starts_with("100755") && l.ends_with("\tdoc.md")),
        "{tree}"
    );
    let status = r.git(&["status", "--porcelain"]);
    assert!(!status.contains("doc.md"), "the index agrees: {status}");
}
