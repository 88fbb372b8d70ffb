//! Helpers for the fault tests (`fault_kill`, `safe_writes`): a small
//! repository of findings written here, the real binary run inside it with
//! git isolated, and the counts every fault run checks (duplicate IDs, torn
//! files, stale locks, printed commits that do not exist).

#![allow(dead_code)]

#[path = "../common/mod.rs"]
pub mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The statuses a kill loop cycles through (each one renames the file).
pub const CYCLE: [&str; 3] = ["ready", "complete", "pending"];

/// A todo (`findings/NNN-status-pP-slug.md`) as the fixtures write it.
pub fn finding(id: &str, status: &str, title: &str) -> String {
    format!(
        "---\nstatus: {status}\npriority: p2\nissue_id: \"{id}\"\ntags: [fault]\ndependencies: []\n---\n\n\
         # {title}\n\n## Problem Statement\n\nSomething is wrong with {title}.\n\n\
         ## Recommended Action\n\nFix it.\n\n## Work Log\n\n### 2026-01-01 - Created\n\n- Found in review.\n"
    )
}

common::repo_type! {
    /// A temporary git repository (`root/repo`) with an empty home (`root/home`):
    /// the common [`common::TempRepo`] with the fault tests' identity.
    pub struct Fixture;
}

impl Fixture {
    /// A repository holding `docs` (`(path, text)`) in one commit.
    pub fn new(docs: &[(&str, String)]) -> Fixture {
        Fixture::new_in(tempfile::tempdir().unwrap(), docs)
    }

    /// As [`Fixture::new`], in `root`.
    pub fn new_in(root: tempfile::TempDir, docs: &[(&str, String)]) -> Fixture {
        let f = Fixture(common::TempRepo::init_as_in(root, "Fault Tester", "fault@example.com"));
        for (p, t) in docs {
            f.write(p, t);
        }
        f.commit_all("fixtures");
        f
    }

    pub fn repo(&self) -> PathBuf {
        self.path().to_path_buf()
    }

    pub fn git_dir(&self) -> PathBuf {
        self.repo().join(".git")
    }

    /// A command run in the repository with git isolated.
    pub fn command(&self, program: &str) -> Command {
        let mut c = self.0.command(program);
        c.env("COLUMNS", "200").env_remove("CI_FAULT");
        c
    }

    /// The findings binary, ready to run in the repository.
    pub fn findings(&self, args: &[&str]) -> Command {
        let mut c = self.command(env!("CARGO_BIN_EXE_findings"));
        c.args(args);
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.findings(args).output().unwrap()
    }

    /// Whether `git args` succeeds.
    pub fn git_ok(&self, args: &[&str]) -> bool {
        self.git_output(args).status.success()
    }

    /// Every markdown file under `findings/`, by name.
    pub fn files(&self) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(self.repo().join("findings"))
            .map(|rd| {
                rd.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| n.ends_with(".md"))
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    }

    /// Hook `name` with `script`, executable.
    pub fn hook(&self, name: &str, script: &str) {
        let p = self.git_dir().join("hooks").join(name);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, script).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&p, fs::Permissions::from_mode(0o755)).unwrap();
        }
    }

    /// What is wrong with the repository now.
    pub fn audit(&self) -> Audit {
        let mut a = Audit::default();
        let mut ids: BTreeMap<String, usize> = BTreeMap::new();
        for name in self.files() {
            let id = name.split('-').next().unwrap_or("").to_string();
            *ids.entry(id).or_default() += 1;
            let text = fs::read_to_string(self.repo().join("findings").join(&name)).unwrap_or_default();
            if !whole(&text) {
                a.torn.push(name.clone());
            }
        }
        a.duplicates = ids.into_iter().filter(|(_, n)| *n > 1).map(|(id, _)| id).collect();
        for e in fs::read_dir(self.git_dir()).unwrap().flatten() {
            let n = e.file_name().to_string_lossy().into_owned();
            // findings-uncommitted is a record (what findings wrote and has
            // not committed yet, kept on purpose after an interruption), not
            // a lock.
            let record = n == "findings-uncommitted";
            if n == "index.lock" || n.starts_with("findings-") && !n.ends_with(".json") && !record {
                a.locks.push(n);
            }
        }
        for e in fs::read_dir(self.repo().join("findings")).unwrap().flatten() {
            let n = e.file_name().to_string_lossy().into_owned();
            if n.contains(".findings-tmp-") {
                a.temps.push(n);
            }
        }
        a
    }

    /// Whether the commit `id` (full or abbreviated) exists.
    pub fn commit_exists(&self, id: &str) -> bool {
        self.git_ok(&["cat-file", "-e", &format!("{id}^{{commit}}")])
    }
}

/// A fixture file is whole when it has its front matter and its last line.
pub fn whole(text: &str) -> bool {
    text.starts_with("---\n") && text.contains("\n---\n") && text.contains("## Work Log") && text.ends_with('\n')
}

/// What a fault left behind.
#[derive(Debug, Default)]
pub struct Audit {
    /// IDs held by more than one file.
    pub duplicates: Vec<String>,
    /// Files without their front matter or their end.
    pub torn: Vec<String>,
    /// `index.lock` or findings' scratch files left in `.git`.
    pub locks: Vec<String>,
    /// Temporary files left next to the documents.
    pub temps: Vec<String>,
}

/// The commit IDs a run printed (`committed <id>`).
pub fn printed_commits(stdout: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(stdout)
        .lines()
        .filter_map(|l| l.trim().strip_prefix("committed "))
        .filter_map(|rest| rest.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

/// Whether `program` runs (`program args` exits at all).
pub fn have(program: &str, args: &[&str]) -> bool {
    Command::new(program).args(args).output().is_ok()
}

/// Skip a test for `reason`, or fail under `CI=true`, where the tools exist.
pub fn skip(reason: &str) {
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("CI=true but {reason}");
    }
    eprintln!("skipped: {reason}");
}

/// The path of a file in `dir`.
pub fn at(dir: &Path, name: &str) -> PathBuf {
    dir.join(name)
}
