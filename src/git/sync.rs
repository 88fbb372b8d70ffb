//! The git steps of `findings sync`, run with the system `git` command (so
//! credentials, SSH, proxies and hooks behave exactly as for the user's own
//! `git pull` and `git push`): fetch, rebase or merge with the findings merge
//! driver active, list what conflicted, push.
//!
//! Nothing here hides git's state: a rebase or merge that stops on a
//! conflict is left stopped, as `git` itself would leave it, for the user
//! to resolve, `git add`, and continue (or abort).

use super::setup;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// How to integrate the upstream branch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Strategy {
    Rebase,
    Merge,
}

impl Strategy {
    /// `findings.toml`'s `[git] sync = "merge"`; rebase otherwise.
    pub(crate) fn from_config(s: Option<&str>) -> Strategy {
        match s.map(|s| s.trim().to_ascii_lowercase()) {
            Some(s) if s == "merge" => Strategy::Merge,
            _ => Strategy::Rebase,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum SyncError {
    #[error("cannot run git: {0}")]
    Spawn(std::io::Error),
    #[error("`git {args}` failed{}", detail(.stderr))]
    Failed { args: String, stderr: String },
    #[error("HEAD is detached; check out a branch to sync")]
    Detached,
    #[error(transparent)]
    BadName(#[from] super::refname::BadName),
}

fn detail(s: &str) -> String {
    let s = s.trim();
    if s.is_empty() {
        String::new()
    } else {
        format!(":\n{}", crate::document::text::inert(s, true))
    }
}

/// Runs `git` in one work tree.
#[derive(Debug, Clone)]
pub(crate) struct Git {
    pub(crate) root: PathBuf,
    /// `-c key=value` settings for every command (the merge driver when the
    /// clone has not registered it).
    pub(crate) config: Vec<(String, String)>,
}

impl Git {
    pub(crate) fn new(root: &Path) -> Git {
        Git {
            root: root.to_path_buf(),
            config: vec![],
        }
    }

    fn command<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut c = Command::new("git");
        for (k, v) in &self.config {
            c.arg("-c").arg(format!("{k}={v}"));
        }
        c.args(args).current_dir(&self.root).stdin(Stdio::null());
        // A rebase or merge must never wait for an editor.
        c.env("GIT_EDITOR", "true").env("GIT_MERGE_AUTOEDIT", "no");
        c
    }

    /// Run `git args`, returning its output whatever the exit status.
    pub(crate) fn run(&self, args: &[&str]) -> Result<Output, SyncError> {
        self.command(args).output().map_err(SyncError::Spawn)
    }

    /// Run `git args` with `input` on its standard input; a failure is an
    /// error carrying git's message.
    pub(crate) fn run_input(&self, args: &[&str], input: &[u8]) -> Result<String, SyncError> {
        use std::io::Write;
        let mut c = self.command(args);
        c.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = c.spawn().map_err(SyncError::Spawn)?;
        if let Some(mut stdin) = child.stdin.take() {
            stdin.write_all(input).map_err(SyncError::Spawn)?;
        }
        let out = child.wait_with_output().map_err(SyncError::Spawn)?;
        stdout_or_error(args, out)
    }

    /// Run `git args`; a failure is an error carrying git's message.
    pub(crate) fn ok(&self, args: &[&str]) -> Result<String, SyncError> {
        let out = self.run(args)?;
        stdout_or_error(args, out)
    }

    /// The current branch, or [`SyncError::Detached`].
    pub(crate) fn branch(&self) -> Result<String, SyncError> {
        super::branch(&self.root).ok_or(SyncError::Detached)
    }

    /// The branch's upstream as (`origin`, `origin/main`), when configured.
    pub(crate) fn upstream(&self, branch: &str) -> Option<(String, String)> {
        let up = self
            .ok(&["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}"])
            .ok()?;
        let remote = self.ok(&["config", "--get", &format!("branch.{branch}.remote")]).ok()?;
        (!up.is_empty() && !remote.is_empty()).then_some((remote, up))
    }

    /// Whether `rev` names a commit.
    pub(crate) fn exists(&self, rev: &str) -> bool {
        if super::refname::check_ref("ref", rev).is_err() {
            return false;
        }
        self.run(&["rev-parse", "--verify", "--quiet", &format!("{rev}^{{commit}}")])
            .is_ok_and(|o| o.status.success())
    }

    pub(crate) fn fetch(&self, remote: &str) -> Result<(), SyncError> {
        super::refname::check_remote(remote)?;
        self.ok(&["fetch", "--quiet", remote]).map(|_| ())
    }

    /// Commits `a` has that `b` does not.
    pub(crate) fn count(&self, a: &str, b: &str) -> usize {
        if [a, b].iter().any(|r| super::refname::check_ref("ref", r).is_err()) {
            return 0;
        }
        self.ok(&["rev-list", "--count", &format!("{b}..{a}")])
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(0)
    }

    /// Rebase onto or merge `upstream`. `Ok(true)`: done; `Ok(false)`: it
    /// stopped on conflicts (see [`Git::conflicted`]).
    pub(crate) fn integrate(&self, upstream: &str, strategy: Strategy) -> Result<bool, SyncError> {
        super::refname::check_ref("upstream", upstream)?;
        let args: Vec<&str> = match strategy {
            Strategy::Rebase => vec!["rebase", "--autostash", upstream],
            Strategy::Merge => vec!["merge", "--autostash", "--no-edit", upstream],
        };
        let out = self.run(&args)?;
        if out.status.success() {
            return Ok(true);
        }
        if super::state(&self.root).is_clean() && self.conflicted().is_empty() {
            return Err(SyncError::Failed {
                args: args.join(" "),
                stderr: format!(
                    "{}{}",
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                ),
            });
        }
        Ok(false)
    }

    /// Paths with unresolved conflicts, relative to the work tree.
    pub(crate) fn conflicted(&self) -> Vec<String> {
        let Ok(out) = self.run(&["diff", "--name-only", "--diff-filter=U", "-z"]) else {
            return vec![];
        };
        let mut v: Vec<String> = out
            .stdout
            .split(|&b| b == 0)
            .filter(|p| !p.is_empty())
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .collect();
        v.sort();
        v.dedup();
        v
    }

    /// Push the current branch to `remote` (setting the upstream when asked).
    /// `Ok(false)` when the remote has moved on (rejected as not a fast-forward).
    pub(crate) fn push(&self, remote: &str, branch: &str, set_upstream: bool) -> Result<bool, SyncError> {
        super::refname::check_remote(remote)?;
        super::refname::check_ref("branch", branch)?;
        let refspec = format!("HEAD:refs/heads/{branch}");
        let mut args = vec!["push", "--quiet"];
        if set_upstream {
            args.push("--set-upstream");
        }
        args.push(remote);
        args.push(&refspec);
        let out = self.run(&args)?;
        if out.status.success() {
            return Ok(true);
        }
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        if err.contains("non-fast-forward") || err.contains("fetch first") || err.contains("[rejected]") {
            return Ok(false);
        }
        Err(SyncError::Failed {
            args: args.join(" "),
            stderr: err,
        })
    }

    /// Make the merge driver active for this process's commands when the
    /// clone has not registered it (`findings init`), or has registered one
    /// that cannot start (its program moved or is not on `PATH`), using
    /// `program`; `repo` is the repository, already open, whose config is
    /// read. The second value says why the registered one was replaced.
    pub(crate) fn with_driver(mut self, repo: &git2::Repository, program: &str) -> (Git, Option<String>) {
        let registered = setup::registered_driver(repo);
        let warning = match &registered {
            Some(cmd) if setup::driver_starts(cmd) => return (self, None),
            Some(cmd) => Some(format!(
                "the registered merge driver cannot start ({}); this sync uses {program} instead; \
                 run `findings init` again to register one that works",
                setup::driver_program(cmd).unwrap_or_else(|| cmd.clone())
            )),
            None => None,
        };
        self.config.push((
            format!("merge.{}.name", setup::DRIVER),
            setup::DRIVER_DESCRIPTION.into(),
        ));
        self.config.push((
            format!("merge.{}.driver", setup::DRIVER),
            setup::driver_command(program),
        ));
        (self, warning)
    }
}

/// Git's standard output (trailing blanks trimmed) when it succeeded, else an
/// error carrying its message.
fn stdout_or_error(args: &[&str], out: Output) -> Result<String, SyncError> {
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim_end().to_string())
    } else {
        Err(SyncError::Failed {
            args: args.join(" "),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        })
    }
}
