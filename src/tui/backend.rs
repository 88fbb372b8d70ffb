//! Where writes go. The update loop never writes: it returns effects, and
//! the runtime (`super::runtime`) hands the write effects to a [`Backend`]
//! on its worker thread. [`OpsBackend`] is the real one, writing through
//! [`crate::ops`]. Reads that may be slow on a big repository (a document's
//! git history, [`load_history`]) are here too, so the runtime can run them
//! off the UI thread.
//!
//! Every write carries the hash of the bytes the user was shown
//! ([`Shown`]); the library refuses the write when the file changed since,
//! so nobody overwrites an edit they never saw. That refusal comes back as
//! [`WriteOutcome::Stale`], a variant of its own.

use super::msg::{Effect, Msg, Shown, WriteOutcome, WriteResult};
use crate::ops::{self, LogRequest, OpError, Outcome, StatusRequest, TriageRequest, WriteOpts};
use crate::store::write::WriteError;
use crate::store::Repo;
use std::path::{Path, PathBuf};

pub use crate::store::write::content_hash;

/// The write operations the terminal UI needs. The runtime calls them on
/// its worker thread, hence `Send`.
pub trait Backend: Send {
    fn triage(&mut self, path: &str, action: Option<&str>, literal: bool, shown: Shown) -> WriteOutcome;
    fn set_status(
        &mut self,
        path: &str,
        to: &str,
        note: Option<&str>,
        reason: Option<&str>,
        shown: Shown,
    ) -> WriteOutcome;
    fn log(&mut self, path: &str, action: &str, learnings: Option<&str>, shown: Shown) -> WriteOutcome;
    fn undo(&mut self, commit: &str) -> WriteOutcome;
    /// Load the repository again.
    fn reload(&mut self) -> Result<Repo, String>;
}

/// Perform a backend effect; `None` for effects the runner handles itself.
pub(crate) fn perform(backend: &mut dyn Backend, effect: &Effect) -> Option<Msg> {
    Some(match effect {
        Effect::Triage {
            path,
            action,
            literal,
            shown,
        } => Msg::WriteDone(backend.triage(path, action.as_deref(), *literal, *shown)),
        Effect::SetStatus {
            path,
            to,
            note,
            reason,
            shown,
        } => Msg::WriteDone(backend.set_status(path, to, note.as_deref(), reason.as_deref(), *shown)),
        Effect::Log {
            path,
            action,
            learnings,
            shown,
        } => Msg::WriteDone(backend.log(path, action, learnings.as_deref(), *shown)),
        Effect::Undo { commit } => Msg::WriteDone(backend.undo(commit)),
        Effect::Reload => Msg::Reloaded(Box::new(backend.reload())),
        Effect::OpenEditor { .. } | Effect::Copy(_) | Effect::LoadHistory { .. } | Effect::Load | Effect::Quit => {
            return None
        }
    })
}

/// Read the git history of `path` (relative to `root`) for
/// [`Effect::LoadHistory`]; the runner calls this off the UI thread.
pub fn load_history(root: &Path, path: &str) -> Msg {
    Msg::HistoryLoaded(path.to_string(), crate::git::history::history(root, path))
}

/// The real backend: writes through [`crate::ops`], which refuses a file
/// that no longer hashes to what was shown (`WriteOpts::expected_hash`).
/// Outcomes become a [`WriteResult`]: `message` a one-line summary, `commit`
/// the commit id when git committed, `new_path` the repository-relative path
/// when the file was renamed; a file changed since it was shown becomes
/// [`WriteOutcome::Stale`], any other error [`WriteOutcome::Failed`].
#[derive(Debug, Clone)]
pub struct OpsBackend {
    pub(crate) root: PathBuf,
}

impl OpsBackend {
    pub fn new(root: &Path) -> OpsBackend {
        OpsBackend {
            root: root.to_path_buf(),
        }
    }
}

impl OpsBackend {
    /// The repository opened for a write of `path`, or the failure to report.
    fn repo(&self, path: &str) -> Result<Repo, WriteOutcome> {
        Repo::open_for(&self.root, &[path]).map_err(|e| WriteOutcome::Failed(e.into()))
    }
}

/// Write options for a TUI write: refuse when the file is not what was shown.
fn opts(shown: Shown) -> WriteOpts {
    WriteOpts {
        expected_hash: Some(shown.hash),
        ..Default::default()
    }
}

/// How a library write ended, for the status bar: `path` is the document
/// the write was asked for (named by a stale refusal).
fn outcome(path: &str, o: Result<Outcome, OpError>) -> WriteOutcome {
    match o {
        Ok(o) => WriteOutcome::Done(summary(&o)),
        Err(OpError::Write(WriteError::Changed { .. })) => WriteOutcome::Stale { path: path.to_string() },
        Err(e) => WriteOutcome::Failed(e.into()),
    }
}

/// What the status bar says about a write that happened.
fn summary(o: &Outcome) -> WriteResult {
    let mut parts = Vec::new();
    match (&o.old_status, &o.new_status) {
        (Some(a), Some(b)) if a != b => parts.push(format!("{}: {a} → {b}", o.id)),
        _ => parts.push(o.id.clone()),
    }
    if let Some(a) = &o.action {
        parts.push(a.note.clone());
    }
    parts.extend(o.warnings.iter().cloned());
    if o.commit.is_none() {
        parts.push("not committed".into());
    }
    let new_path = o
        .files
        .first()
        .filter(|f| f.renamed_from.is_some())
        .map(|f| f.path.clone());
    WriteResult {
        message: parts.join(" · "),
        commit: o.commit.clone(),
        new_path,
    }
}

impl Backend for OpsBackend {
    fn triage(&mut self, path: &str, action: Option<&str>, literal: bool, shown: Shown) -> WriteOutcome {
        let repo = match self.repo(path) {
            Ok(r) => r,
            Err(o) => return o,
        };
        let req = TriageRequest {
            id: path.to_string(),
            action: action.map(str::to_string),
            literal,
            ..Default::default()
        };
        outcome(path, ops::triage(&repo, &req, &opts(shown)))
    }

    fn set_status(
        &mut self,
        path: &str,
        to: &str,
        note: Option<&str>,
        reason: Option<&str>,
        shown: Shown,
    ) -> WriteOutcome {
        let repo = match self.repo(path) {
            Ok(r) => r,
            Err(o) => return o,
        };
        let req = StatusRequest {
            id: path.to_string(),
            to: to.to_string(),
            note: note.map(str::to_string),
            reason: reason.map(str::to_string),
            by: None,
        };
        outcome(path, ops::set_status(&repo, &req, &opts(shown)))
    }

    fn log(&mut self, path: &str, action: &str, learnings: Option<&str>, shown: Shown) -> WriteOutcome {
        let repo = match self.repo(path) {
            Ok(r) => r,
            Err(o) => return o,
        };
        let req = LogRequest {
            id: path.to_string(),
            action: action.to_string(),
            learnings: learnings.map(str::to_string),
        };
        outcome(path, ops::log(&repo, &req, &opts(shown)))
    }

    fn undo(&mut self, commit: &str) -> WriteOutcome {
        match Repo::config_only(&self.root) {
            // No document was shown for an undo: every error is a failure.
            Ok(repo) => match ops::undo::undo(&repo, Some(commit), &WriteOpts::default()) {
                Ok(o) => WriteOutcome::Done(summary(&o)),
                Err(e) => WriteOutcome::Failed(e.into()),
            },
            Err(e) => WriteOutcome::Failed(e.into()),
        }
    }

    fn reload(&mut self) -> Result<Repo, String> {
        Repo::open(&self.root).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_stable() {
        assert_eq!(content_hash(b""), 0xcbf2_9ce4_8422_2325);
        assert_ne!(content_hash(b"a"), content_hash(b"b"));
    }

    #[test]
    fn a_file_changed_since_shown_is_a_stale_refusal() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        std::fs::create_dir_all(dir.join("todos")).unwrap();
        let path = "todos/001-pending-p1-x.md";
        let text = "---\nstatus: pending\npriority: p1\n---\n# X\n";
        std::fs::write(dir.join(path), text).unwrap();
        let shown = Shown {
            hash: content_hash(text.as_bytes()),
        };
        std::fs::write(dir.join(path), text.replace("# X", "# Y")).unwrap();
        let mut b = OpsBackend::new(dir);
        match b.set_status(path, "ready", None, None, shown) {
            WriteOutcome::Stale { path: p } => assert_eq!(p, path),
            other => panic!("{other:?}"),
        }
        assert!(std::fs::read_to_string(dir.join(path)).unwrap().contains("# Y"));
    }
}
