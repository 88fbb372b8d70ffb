//! The one home of the integration tests' support: the git environment
//! isolator every git and findings process goes through ([`isolate_git`]),
//! the one `git()` runner, a temporary repository with an empty home
//! ([`TempRepo`], optionally holding the bundled samples committed), and
//! small readers (document spans, the corpus). The other support modules
//! (`tui_support`, `fault_support`, `team_support`) build on this one.

#![allow(dead_code)]

use findings::document::Document;
use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Copy the bundled sample documents (`findings/`, `adr/`) into `dir`.
pub fn copy_samples(dir: &Path) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"));
    for folder in ["findings", "adr"] {
        copy_dir(&src.join(folder), &dir.join(folder));
    }
}

/// Copy a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            fs::copy(e.path(), dest).unwrap();
        }
    }
}

/// Variables a developer's shell (or a git hook that runs the tests) may
/// carry that would point git elsewhere, give it another identity or date,
/// add configuration, or change what the tests read.
const LEAKY_VARS: [&str; 21] = [
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_CEILING_DIRECTORIES",
    "GIT_CONFIG",
    "GIT_CONFIG_PARAMETERS",
    "GIT_CONFIG_COUNT",
    "GIT_AUTHOR_NAME",
    "GIT_AUTHOR_EMAIL",
    "GIT_AUTHOR_DATE",
    "GIT_COMMITTER_NAME",
    "GIT_COMMITTER_EMAIL",
    "GIT_COMMITTER_DATE",
    "GIT_TRACE",
    "GIT_EDITOR",
    "EMAIL",
    "NO_COLOR",
];

/// The one git environment isolator: applied to every git and findings
/// process a test runs. It drops the variables of [`LEAKY_VARS`], gives the
/// process an empty `home` (and its `.config`), no system config, and no
/// terminal prompt.
pub fn isolate_git(cmd: &mut Command, home: &Path) {
    for var in LEAKY_VARS {
        cmd.env_remove(var);
    }
    cmd.env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", home.join(".gitconfig"))
        .env("GIT_TERMINAL_PROMPT", "0");
}

/// An empty home for the processes of a test that keeps none of its own
/// (in cargo's scratch folder for integration tests).
pub fn empty_home() -> PathBuf {
    let home = Path::new(env!("CARGO_TARGET_TMPDIR")).join("empty-home");
    fs::create_dir_all(&home).unwrap();
    home
}

/// `program` run in `dir` with git isolated and `home` as its home.
pub fn isolated(program: impl AsRef<std::ffi::OsStr>, dir: &Path, home: &Path) -> Command {
    let mut cmd = Command::new(program);
    cmd.current_dir(dir);
    isolate_git(&mut cmd, home);
    cmd
}

/// The findings binary run in `dir` with git isolated.
pub fn findings_cmd(dir: &Path, home: &Path) -> Command {
    isolated(env!("CARGO_BIN_EXE_findings"), dir, home)
}

/// The findings binary as `assert_cmd` runs it, with git isolated, an
/// empty home and tables 200 columns wide.
pub fn findings() -> assert_cmd::Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_findings"));
    isolate_git(&mut cmd, &empty_home());
    cmd.env("COLUMNS", "200");
    assert_cmd::Command::from_std(cmd)
}

/// `findings -C root SUBCOMMAND args --format json`, which must succeed:
/// the JSON it printed.
pub fn json(root: &Path, subcommand: &str, args: &[&str]) -> serde_json::Value {
    let out = findings()
        .arg("-C")
        .arg(root)
        .arg(subcommand)
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `git args` in `dir` with git isolated: its whole output.
pub fn git_output(dir: &Path, home: &Path, args: &[&str]) -> Output {
    isolated("git", dir, home).args(args).output().expect("git runs")
}

/// The one `git()` helper: `git args` in `dir`, which must succeed; its
/// standard output.
pub fn git(dir: &Path, home: &Path, args: &[&str]) -> String {
    git_env(dir, home, &[], args)
}

/// As [`git`], with the variables `env` set after the isolation (a date,
/// an identity).
pub fn git_env(dir: &Path, home: &Path, env: &[(&str, &str)], args: &[&str]) -> String {
    let mut cmd = isolated("git", dir, home);
    cmd.envs(env.iter().copied()).args(args);
    let out = cmd.output().expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?} in {} failed:\n{}{}",
        dir.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A test file's own repository type, `$vis struct $name(TempRepo)`, that
/// derefs to its [`TempRepo`], so the file writes only the helpers of its
/// own (`common` must be in scope where it is used).
#[allow(unused_macros)]
macro_rules! repo_type {
    ($(#[$meta:meta])* $vis:vis struct $name:ident;) => {
        $(#[$meta])*
        $vis struct $name(common::TempRepo);

        impl std::ops::Deref for $name {
            type Target = common::TempRepo;
            fn deref(&self) -> &common::TempRepo {
                &self.0
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use repo_type;

/// A temporary folder holding a repository (`root/repo`) and an empty home
/// (`root/home`), with git and findings run there isolated.
pub struct TempRepo {
    pub root: tempfile::TempDir,
    repo: PathBuf,
    home: PathBuf,
}

impl TempRepo {
    /// The two folders only: no repository yet.
    pub fn bare() -> TempRepo {
        TempRepo::bare_in(tempfile::tempdir().unwrap())
    }

    /// As [`TempRepo::bare`], in `root`.
    pub fn bare_in(root: tempfile::TempDir) -> TempRepo {
        let repo = root.path().join("repo");
        let home = root.path().join("home");
        fs::create_dir_all(&repo).unwrap();
        fs::create_dir_all(&home).unwrap();
        TempRepo { root, repo, home }
    }

    /// `git init` on `main`, with an identity in the repository's config and
    /// signing off; nothing committed.
    pub fn init() -> TempRepo {
        TempRepo::init_in(tempfile::tempdir().unwrap())
    }

    /// As [`TempRepo::init`], in `root`.
    pub fn init_in(root: tempfile::TempDir) -> TempRepo {
        TempRepo::init_as_in(root, "Test User", "test@example.com")
    }

    /// As [`TempRepo::init`], in `root`, with the identity `name <email>`.
    pub fn init_as_in(root: tempfile::TempDir, name: &str, email: &str) -> TempRepo {
        let r = TempRepo::bare_in(root);
        r.git(&["init", "-q", "-b", "main"]);
        r.git(&["config", "user.name", name]);
        r.git(&["config", "user.email", email]);
        r.git(&["config", "commit.gpgsign", "false"]);
        r
    }

    /// The bundled samples copied in, nothing committed.
    pub fn unborn_samples() -> TempRepo {
        let r = TempRepo::init();
        copy_samples(r.path());
        r
    }

    /// The bundled samples committed once ("samples").
    pub fn samples() -> TempRepo {
        let r = TempRepo::unborn_samples();
        r.commit_all("samples");
        r
    }

    /// The repository's work tree.
    pub fn path(&self) -> &Path {
        &self.repo
    }

    /// The empty home every process here runs with.
    pub fn home(&self) -> &Path {
        &self.home
    }

    /// Write `text` at `rel` in the repository, making its folders.
    pub fn write(&self, rel: &str, text: &str) {
        let p = self.path().join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    /// `program` in the repository with git isolated.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        isolated(program, self.path(), self.home())
    }

    /// The findings binary in the repository with git isolated.
    pub fn findings_cmd(&self) -> Command {
        findings_cmd(self.path(), self.home())
    }

    /// `git args` in the repository: its whole output.
    pub fn git_output(&self, args: &[&str]) -> Output {
        git_output(self.path(), self.home(), args)
    }

    /// `git args` in the repository, which must succeed; its standard output.
    pub fn git(&self, args: &[&str]) -> String {
        git(self.path(), self.home(), args)
    }

    /// Stage everything and commit it with `msg`.
    pub fn commit_all(&self, msg: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", msg]);
    }
}

/// Every byte range a parsed document holds (front matter, keys, sections,
/// where its status lives), for tests that check they lie inside the text.
pub fn spans(doc: &Document) -> Vec<Range<usize>> {
    let mut spans = vec![doc.split.body.clone()];
    if let Some(f) = &doc.split.front {
        spans.extend([f.open.clone(), f.yaml.clone(), f.close.clone()]);
    }
    for k in &doc.keys {
        spans.extend([k.line.clone(), k.value.clone()]);
    }
    for s in &doc.sections {
        spans.extend([s.heading.clone(), s.content.clone()]);
    }
    for v in doc.status_at.iter().chain(&doc.status_also) {
        spans.extend([v.word.clone(), v.whole.clone(), v.line.clone()]);
    }
    spans
}

/// The real-world corpus at `../shared/corpus`. Under `CI=true` a missing
/// corpus fails the test; elsewhere the test is skipped with a printed
/// reason (`None`).
pub fn corpus_dir() -> Option<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!(
            "the corpus is required under CI=true and was not found at {}",
            dir.display()
        );
    }
    println!("skipped: the corpus was not found at {}", dir.display());
    None
}

/// A git repository at `dir/repo` holding the samples, committed once, with
/// an identity in its config and an empty home at `dir/home`: `(repo, home)`.
pub fn sample_repo(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let (root, home) = (dir.join("repo"), dir.join("home"));
    fs::create_dir_all(&root).unwrap();
    fs::create_dir_all(&home).unwrap();
    let git = |args: &[&str]| {
        let mut c = Command::new("git");
        c.current_dir(&root).args(args);
        isolate_git(&mut c, &home);
        assert!(c.status().unwrap().success(), "git {args:?}");
    };
    git(&["init", "-q", "-b", "main"]);
    git(&["config", "user.name", "Test User"]);
    git(&["config", "user.email", "test@example.com"]);
    git(&["config", "commit.gpgsign", "false"]);
    copy_samples(&root);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "samples"]);
    (root, home)
}
