//! Shared by the `team_*` tests: temporary repositories seeded with the five
//! sample documents, a local bare remote, clones with their own identity,
//! and runners for `git` and `findings` that ignore the user's git config.

#![allow(dead_code)]

#[path = "../common/mod.rs"]
pub mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A temporary folder that holds everything of one test.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

/// The one isolator of the test suite ([`common::isolate_git`]).
fn isolate(c: &mut Command, home: &Path) {
    common::isolate_git(c, home);
}

/// Run `git args` in `dir`; panics with git's message on failure (the
/// suite's one runner, [`common::git`], with the sandbox's home).
pub fn git(dir: &Path, args: &[&str]) -> String {
    common::git(dir, &home_of(dir), args)
}

pub fn git_out(dir: &Path, args: &[&str]) -> Output {
    let mut c = Command::new("git");
    c.args(args).current_dir(dir);
    isolate(&mut c, &home_of(dir));
    c.output().expect("git runs")
}

/// The sandbox's home: the first ancestor holding `.sandbox-home`.
fn home_of(dir: &Path) -> PathBuf {
    let mut d = Some(dir);
    while let Some(x) = d {
        let h = x.join(".sandbox-home");
        if h.is_dir() {
            return h;
        }
        d = x.parent();
    }
    std::env::temp_dir()
}

/// Run `findings args` in `dir`.
pub fn findings_out(dir: &Path, args: &[&str]) -> Output {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin("findings"));
    c.args(args).current_dir(dir).env("COLUMNS", "200");
    isolate(&mut c, &home_of(dir));
    c.output().expect("findings runs")
}

/// Run `findings args` in `dir`; panics unless it exits 0.
pub fn findings(dir: &Path, args: &[&str]) -> String {
    let out = findings_out(dir, args);
    assert!(
        out.status.success(),
        "findings {args:?} failed ({:?}):\n{}{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `findings args --format json` parsed.
pub fn findings_json(dir: &Path, args: &[&str]) -> serde_json::Value {
    let mut a = args.to_vec();
    a.extend(["--format", "json"]);
    serde_json::from_str(&findings(dir, &a)).expect("JSON output")
}

/// Copy the bundled seed documents (findings/, adr/) into `dir`.
pub fn seed(dir: &Path) {
    common::copy_samples(dir);
}

pub fn identity(dir: &Path, name: &str) {
    git(dir, &["config", "user.name", name]);
    git(
        dir,
        &["config", "user.email", &format!("{}@example.com", name.to_lowercase())],
    );
    git(dir, &["config", "commit.gpgsign", "false"]);
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join(".sandbox-home")).unwrap();
        Sandbox { dir }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// A repository `name` on branch main with the seeds committed by `who`.
    pub fn repo(&self, name: &str, who: &str) -> PathBuf {
        let p = self.path(name);
        fs::create_dir_all(&p).unwrap();
        git(&p, &["init", "-q", "-b", "main"]);
        identity(&p, who);
        seed(&p);
        git(&p, &["add", "-A"]);
        git(&p, &["commit", "-q", "-m", "seed documents"]);
        p
    }

    /// A bare remote `remote.git` holding the seeds (and, with `init`, the
    /// committed `.gitattributes` of `findings init`).
    pub fn remote(&self, init: bool) -> PathBuf {
        let bare = self.path("remote.git");
        git(
            self.dir.path(),
            &["init", "-q", "--bare", "-b", "main", bare.to_str().unwrap()],
        );
        let seed = self.repo("seed", "Seed Bot");
        if init {
            findings(&seed, &["init"]);
        }
        git(&seed, &["remote", "add", "origin", bare.to_str().unwrap()]);
        git(&seed, &["push", "-q", "-u", "origin", "main"]);
        bare
    }

    /// A clone of the remote as `who`, with `findings init` run when asked.
    pub fn clone(&self, name: &str, who: &str, init: bool) -> PathBuf {
        let p = self.path(name);
        git(
            self.dir.path(),
            &[
                "clone",
                "-q",
                self.path("remote.git").to_str().unwrap(),
                p.to_str().unwrap(),
            ],
        );
        identity(&p, who);
        if init {
            findings(&p, &["init"]);
        }
        p
    }
}

/// Write a file (creating folders).
pub fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    if let Some(parent) = p.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(p, text).unwrap();
}

pub fn read(dir: &Path, rel: &str) -> String {
    fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Repository-relative paths of the files in `folder`, sorted.
pub fn files(dir: &Path, folder: &str) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir.join(folder))
        .unwrap()
        .flatten()
        .map(|e| format!("{folder}/{}", e.file_name().to_string_lossy()))
        .collect();
    v.sort();
    v
}

/// The IDs `findings list` shows, sorted.
pub fn ids(dir: &Path) -> Vec<String> {
    let v = findings_json(dir, &["list"]);
    let mut ids: Vec<String> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}
