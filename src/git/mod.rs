//! Git plumbing that takes paths: opening the repository, committing exactly
//! the paths an operation touched, hooks, signing, the sync runner, work-tree
//! listings, ref names, a document's history. It knows nothing of documents'
//! meaning: what to merge, which ID is taken, whose edit a change is, lives in
//! [`crate::ops`] (`merge`, `ids`, `identity`, `handedit`).
//!
//! [`commit_paths`] does what `git commit --only -- <paths>` does: the commit is
//! HEAD's tree with just those paths replaced by their working-tree content or
//! removed; the user's other staged and unstaged work stays where it was and
//! out of the commit; the index entries of those paths are updated to match.
//! Hooks run as git runs them (the private `hooks` module), identities are
//! read as git reads them ([`user_name`], [`parse_date`]). Outside a
//! repository nothing fails loudly: [`state`] says [`RepoState::NotARepo`]
//! and [`commit_paths`] returns [`GitError::NotARepo`], so the caller writes
//! files and says nothing was committed.

mod commit;
pub(crate) mod history;
mod hooks;
mod ident;
mod index;
pub(crate) mod refname;
pub(crate) mod setup;
mod sign;
pub(crate) mod sync;
mod tree;
pub mod worktree;

pub(crate) use commit::commit_paths_in;
pub use commit::{commit_paths, commit_paths_with_env, Change, CommitOptions, Committed};
pub(crate) use ident::user_name_in;
pub use ident::{parse_date, user_name, user_name_with_env};
pub(crate) use index::{EarlyIndex, IndexAhead};
pub(crate) use tree::entry_at;

use crate::document::text::inert;
use git2::{ErrorCode, Repository, RepositoryState};
use std::fmt;
use std::path::{Path, PathBuf};

/// What the repository is in the middle of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RepoState {
    /// Not inside a git repository.
    NotARepo,
    /// Nothing in progress: commits are allowed.
    Clean,
    /// A merge stopped (`MERGE_HEAD` exists).
    Merging,
    /// A rebase (interactive or not) stopped part way.
    Rebasing,
    /// A cherry-pick stopped part way.
    CherryPicking,
    /// A revert stopped part way.
    Reverting,
    /// A `git bisect` session is running.
    Bisecting,
    /// `git am` is applying patches.
    ApplyingMailbox,
}

impl RepoState {
    /// A repository with nothing in progress.
    pub(crate) fn is_clean(self) -> bool {
        self == RepoState::Clean
    }

    /// A short description ("a merge", "a rebase", …).
    pub(crate) fn describe(self) -> &'static str {
        match self {
            RepoState::NotARepo => "not a git repository",
            RepoState::Clean => "nothing",
            RepoState::Merging => "a merge",
            RepoState::Rebasing => "a rebase",
            RepoState::CherryPicking => "a cherry-pick",
            RepoState::Reverting => "a revert",
            RepoState::Bisecting => "a bisect",
            RepoState::ApplyingMailbox => "`git am`",
        }
    }
}

impl fmt::Display for RepoState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

impl From<RepositoryState> for RepoState {
    fn from(s: RepositoryState) -> Self {
        match s {
            RepositoryState::Clean => RepoState::Clean,
            RepositoryState::Merge => RepoState::Merging,
            RepositoryState::Revert | RepositoryState::RevertSequence => RepoState::Reverting,
            RepositoryState::CherryPick | RepositoryState::CherryPickSequence => RepoState::CherryPicking,
            RepositoryState::Bisect => RepoState::Bisecting,
            RepositoryState::Rebase
            | RepositoryState::RebaseInteractive
            | RepositoryState::RebaseMerge
            | RepositoryState::ApplyMailboxOrRebase => RepoState::Rebasing,
            RepositoryState::ApplyMailbox => RepoState::ApplyingMailbox,
        }
    }
}

/// Errors of the git layer.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// No git repository holds the path.
    #[error("{}: not inside a git repository", .path.display())]
    NotARepo {
        /// The path the repository was looked for from.
        path: PathBuf,
    },
    /// The repository is bare, so there is no file to commit from.
    #[error("{}: the git repository has no work tree", .path.display())]
    NoWorkTree {
        /// The path the repository was opened from.
        path: PathBuf,
    },
    /// A path to commit is not under the repository's work tree.
    #[error("{}: not inside the git work tree", .path.display())]
    OutsideWorkTree {
        /// The path that is outside.
        path: PathBuf,
    },
    /// Git refuses the repository because another user owns it (`safe.directory`).
    #[error(
        "{}: the repository is owned by another user, so git does not trust it; \
         if you trust it, run `git config --global --add safe.directory <path>`",
        .path.display()
    )]
    NotOwned {
        /// The path the repository was opened from.
        path: PathBuf,
    },
    /// The path lies in a nested repository (a submodule), which this repository's
    /// commit cannot hold.
    #[error("{path}: inside {repo}, a nested repository (a submodule?); change it from there")]
    InNestedRepo {
        /// The path to commit, relative to the work tree.
        path: String,
        /// The folder of the nested repository.
        repo: String,
    },
    /// A merge, rebase or other operation is in progress, so no commit is made.
    #[error("cannot commit while {0} is in progress; finish or abort it first")]
    InProgress(RepoState),
    /// A path git would refuse or misread (empty, absolute, inside `.git`, ...).
    #[error("cannot commit {path:?}: {reason}")]
    BadPath {
        /// The path as given.
        path: String,
        /// Why it was refused, for the message.
        reason: &'static str,
    },
    /// A path to commit as written does not exist on disk.
    #[error("cannot commit {path}: the file does not exist")]
    Missing {
        /// The missing path, relative to the work tree.
        path: String,
    },
    /// The paths already match HEAD: there is nothing to commit.
    #[error("nothing to commit: the files already match HEAD")]
    NothingToCommit,
    /// Git has no name or email for the author or committer.
    #[error(
        "{role} identity unknown (no {missing}); tell git who you are with\n  \
         git config --global user.name \"Your Name\"\n  \
         git config --global user.email you@example.com\n\
         or set GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL"
    )]
    Identity {
        /// `author` or `committer`.
        role: &'static str,
        /// What is unset (`user.name`, `user.email`).
        missing: &'static str,
    },
    /// A `GIT_AUTHOR_DATE` or `GIT_COMMITTER_DATE` value git would not accept.
    #[error("{var}={value:?} is not a date git understands")]
    BadDate {
        /// The variable's name.
        var: String,
        /// Its value as set.
        value: String,
    },
    /// Another git process holds `index.lock` (or one was left behind) and it did not
    /// go away.
    #[error(
        "{}: another git process seems to be running in this repository; \
         if none is, remove the file and try again",
        .path.display()
    )]
    IndexLocked {
        /// The lock file (`.git/index.lock`).
        path: PathBuf,
    },
    /// A `pre-commit` or `commit-msg` hook refused the commit.
    #[error("the {hook} hook failed ({}); nothing was committed{}", status_text(*.status), output_text(.stderr))]
    HookFailed {
        /// The hook's name (`pre-commit`, `commit-msg`).
        hook: String,
        /// Exit code; `None` when the hook was killed by a signal.
        status: Option<i32>,
        /// What the hook printed (standard error, then standard output).
        stderr: String,
    },
    /// A hook exists but could not be started (not executable, bad interpreter).
    #[error("cannot run the {hook} hook {}: {source}", .path.display())]
    HookRun {
        /// The hook's name.
        hook: String,
        /// The hook's file.
        path: PathBuf,
        /// Why it could not start.
        source: std::io::Error,
    },
    /// The commit could not be confirmed: its objects do not read back, or
    /// HEAD did not move to it.
    #[error("git did not record the commit: {what}; {head}; nothing was committed")]
    NotRecorded {
        /// What did not read back (an object, the new commit).
        what: String,
        /// Where HEAD points instead.
        head: String,
    },
    /// A signal arrived before the commit was made.
    #[error("{0}; nothing was committed")]
    Interrupted(#[from] crate::interrupt::Interrupted),
    /// `commit.gpgsign` asks for a signature and none could be made.
    #[error("cannot sign the commit with {program}: {message}; nothing was committed")]
    Sign {
        /// The signing program (`gpg`, `ssh-keygen` or `gpg.program`).
        program: String,
        /// What it reported.
        message: String,
    },
    /// The commit message is empty once comments are stripped, as git refuses it.
    #[error("aborting commit due to empty commit message")]
    EmptyMessage,
    /// A file of the repository could not be read or written.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file that could not be read or written.
        path: PathBuf,
        /// The system's error.
        source: std::io::Error,
    },
    /// An error libgit2 reported.
    #[error("git: {0}")]
    Git(#[from] git2::Error),
}

fn status_text(status: Option<i32>) -> String {
    match status {
        Some(c) => format!("exit status {c}"),
        None => "killed by a signal".to_string(),
    }
}

fn output_text(s: &str) -> String {
    let s = s.trim_end();
    if s.is_empty() {
        String::new()
    } else {
        format!(":\n{}", inert(s, true))
    }
}

thread_local! {
    static OPENS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// How many times this thread opened a git repository (a debug counter: a
/// write opens it once, and reads its new commit back once through a fresh
/// open).
#[cfg(test)]
pub(crate) fn repository_opens() -> usize {
    OPENS.with(|c| c.get())
}

fn counted<T>(r: T) -> T {
    OPENS.with(|c| c.set(c.get() + 1));
    r
}

/// The repository holding `root`.
pub(crate) fn open(root: &Path) -> Result<Repository, GitError> {
    counted(Repository::discover(root)).map_err(|e| match e.code() {
        ErrorCode::NotFound => GitError::NotARepo {
            path: root.to_path_buf(),
        },
        _ => GitError::Git(e),
    })
}

/// Read objects without hashing each again: libgit2 verifies every object
/// it reads by its hash, git itself does not (a damaged object fails to
/// inflate), and the trees of a folder of 100k files are megabytes. Objects
/// are still checked when written. Process-wide, as libgit2 keeps it.
pub(crate) fn skip_read_verification() {
    git2::opts::strict_hash_verification(false);
}

/// The repository at `git_dir` (a `.git` folder), opened afresh.
pub(crate) fn reopen(git_dir: &Path) -> Result<Repository, git2::Error> {
    counted(Repository::open(git_dir))
}

/// The repository holding `root`, opened once for a write: `None` outside a
/// repository; refused, as git would refuse it, when another user owns it
/// (`safe.directory`) or it has no work tree.
pub(crate) fn open_for_write(root: &Path) -> Result<Option<Repository>, GitError> {
    let repo = match counted(Repository::discover(root)) {
        Ok(r) => r,
        Err(e) if e.code() == ErrorCode::NotFound => return Ok(None),
        Err(e) if e.code() == ErrorCode::Owner => {
            return Err(GitError::NotOwned {
                path: root.to_path_buf(),
            })
        }
        Err(e) => return Err(GitError::Git(e)),
    };
    if repo.is_bare() || repo.workdir().is_none() {
        return Err(GitError::NoWorkTree {
            path: root.to_path_buf(),
        });
    }
    Ok(Some(repo))
}

/// What the repository holding `root` is in the middle of.
pub fn state(root: &Path) -> RepoState {
    match open(root) {
        Ok(repo) => repo.state().into(),
        Err(_) => RepoState::NotARepo,
    }
}

/// Refuse `rel` (a repository-relative path about to be written) when a
/// folder between `root` and it holds its own `.git`: the file belongs to
/// a nested repository (a submodule), not to this one.
pub(crate) fn check_not_nested(root: &Path, rel: &str) -> Result<(), GitError> {
    let mut dir = root.to_path_buf();
    let parts: Vec<&str> = rel.split('/').filter(|p| !p.is_empty()).collect();
    for (i, part) in parts.iter().enumerate().take(parts.len().saturating_sub(1)) {
        dir.push(part);
        if std::fs::symlink_metadata(dir.join(".git")).is_ok() {
            return Err(GitError::InNestedRepo {
                path: rel.to_string(),
                repo: parts[..=i].join("/"),
            });
        }
    }
    Ok(())
}

/// Check, before anything is written, that a commit in the repository
/// `repo` has an author and a committer as git reads them (an invalid
/// `GIT_AUTHOR_DATE` is refused as git refuses it).
pub(crate) fn check_identity_in(repo: &Repository) -> Result<(), GitError> {
    ident::signatures(&repo.config()?, &ident::process_env).map(|_| ())
}

/// The message of commit `id` as git stored it (after any `commit-msg`
/// hook rewrote it); `None` when there is no such commit.
pub(crate) fn commit_message(root: &Path, id: &str) -> Option<String> {
    let repo = open(root).ok()?;
    let oid = git2::Oid::from_str(id).ok()?;
    let commit = repo.find_commit(oid).ok()?;
    Some(String::from_utf8_lossy(commit.message_bytes()).into_owned())
}

/// Whether `root` is inside a git repository.
pub fn is_repo(root: &Path) -> bool {
    open(root).is_ok()
}

/// The commit HEAD points at (full hex ID); `None` outside a repository or on
/// an unborn branch.
pub fn head_id(root: &Path) -> Option<String> {
    let repo = open(root).ok()?;
    let head = repo.head().ok()?;
    head.target().map(|id| id.to_string())
}

/// The current branch's short name (also on an unborn branch); `None` when
/// HEAD is detached or outside a repository.
pub fn branch(root: &Path) -> Option<String> {
    let repo = open(root).ok()?;
    let head = repo.find_reference("HEAD").ok()?;
    let target = head.symbolic_target()?;
    Some(target.strip_prefix("refs/heads/").unwrap_or(target).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hook_failure_names_hook_status_and_output() {
        let e = GitError::HookFailed {
            hook: "pre-commit".into(),
            status: Some(1),
            stderr: "lint failed\x1b[31m\n".into(),
        };
        let s = e.to_string();
        assert!(s.starts_with("the pre-commit hook failed (exit status 1); nothing was committed:\nlint failed"));
        assert!(!s.contains('\x1b'));
    }

    #[test]
    fn states_read_well() {
        let e = GitError::InProgress(RepoState::Merging);
        assert_eq!(
            e.to_string(),
            "cannot commit while a merge is in progress; finish or abort it first"
        );
        assert_eq!(RepoState::from(RepositoryState::RebaseMerge), RepoState::Rebasing);
    }

    #[test]
    fn outside_a_repository() {
        let dir = tempfile::tempdir().unwrap();
        // A temporary folder may itself sit inside a repository; only check
        // the helpers agree with each other.
        let inside = is_repo(dir.path());
        assert_eq!(state(dir.path()) == RepoState::NotARepo, !inside);
        if !inside {
            assert_eq!(head_id(dir.path()), None);
            assert_eq!(branch(dir.path()), None);
        }
    }
}
