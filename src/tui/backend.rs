//! Where writes go. The update loop never writes: it returns effects, and
//! the runner hands the write effects to a [`Backend`]. [`OpsBackend`] is the
//! real one (wired to [`crate::ops`] by the integrator); [`NoWrites`] refuses
//! every write (read-only sessions and tests). Reads that may be slow on a
//! big repository (a document's git history, [`load_history`]) are here too,
//! so the runner can run them off the UI thread.
//!
//! Every write carries the hash of the bytes the user was shown
//! ([`Shown`]); [`check_unchanged`] refuses the write when the file changed
//! since, so nobody overwrites an edit they never saw.

use super::msg::{Effect, Msg, Shown, WriteResult};
use crate::ops::{self, LogRequest, OpError, Outcome, StatusRequest, TriageRequest, WriteOpts};
use crate::store::Repo;
use std::path::{Path, PathBuf};

pub use crate::store::write::content_hash;

/// `Ok` when `root/path` still hashes to what was shown.
pub fn check_unchanged(root: &Path, path: &str, shown: Shown) -> Result<(), String> {
    crate::store::contain::check(root, path).map_err(|e| e.to_string())?;
    let bytes = crate::store::bounded::read(&root.join(path), crate::document::MAX_FILE_BYTES as u64)
        .map_err(|e| e.to_string())?;
    if content_hash(&bytes) == shown.hash {
        Ok(())
    } else {
        Err(format!(
            "{path} changed on disk since it was shown; not written (reloaded, please look again)"
        ))
    }
}

/// The write operations the terminal UI needs.
pub trait Backend {
    fn triage(&mut self, path: &str, action: Option<&str>, literal: bool, shown: Shown) -> Result<WriteResult, String>;
    fn set_status(
        &mut self,
        path: &str,
        to: &str,
        note: Option<&str>,
        reason: Option<&str>,
        shown: Shown,
    ) -> Result<WriteResult, String>;
    fn log(&mut self, path: &str, action: &str, learnings: Option<&str>, shown: Shown) -> Result<WriteResult, String>;
    fn undo(&mut self, commit: &str) -> Result<WriteResult, String>;
    /// Load the repository again.
    fn reload(&mut self) -> Result<Repo, String>;
}

/// Perform a backend effect; `None` for effects the runner handles itself.
pub fn perform(backend: &mut dyn Backend, effect: &Effect) -> Option<Msg> {
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
        Effect::OpenEditor { .. } | Effect::Copy(_) | Effect::LoadHistory { .. } | Effect::Quit => return None,
    })
}

/// Read the git history of `path` (relative to `root`) for
/// [`Effect::LoadHistory`]; the runner calls this off the UI thread.
pub fn load_history(root: &Path, path: &str) -> Msg {
    Msg::HistoryLoaded(path.to_string(), crate::git::history::history(root, path))
}

/// A backend that reads but never writes.
#[derive(Debug, Clone)]
pub struct NoWrites {
    pub root: PathBuf,
}

impl Backend for NoWrites {
    fn triage(&mut self, _: &str, _: Option<&str>, _: bool, _: Shown) -> Result<WriteResult, String> {
        Err("read-only session: nothing written".into())
    }
    fn set_status(
        &mut self,
        _: &str,
        _: &str,
        _: Option<&str>,
        _: Option<&str>,
        _: Shown,
    ) -> Result<WriteResult, String> {
        Err("read-only session: nothing written".into())
    }
    fn log(&mut self, _: &str, _: &str, _: Option<&str>, _: Shown) -> Result<WriteResult, String> {
        Err("read-only session: nothing written".into())
    }
    fn undo(&mut self, _: &str) -> Result<WriteResult, String> {
        Err("read-only session: nothing to undo".into())
    }
    fn reload(&mut self) -> Result<Repo, String> {
        Repo::open(&self.root).map_err(|e| e.to_string())
    }
}

/// The real backend: writes through [`crate::ops`], which refuses a file
/// that no longer hashes to what was shown (`WriteOpts::expected_hash`).
/// Outcomes become a [`WriteResult`]: `message` a one-line summary, `commit`
/// the commit id when git committed, `new_path` the repository-relative path
/// when the file was renamed; errors become their `Display` text.
#[derive(Debug, Clone)]
pub struct OpsBackend {
    pub root: PathBuf,
}

impl OpsBackend {
    pub fn new(root: &Path) -> OpsBackend {
        OpsBackend {
            root: root.to_path_buf(),
        }
    }
}

impl OpsBackend {
    fn repo(&self, ids: &[&str]) -> Result<Repo, String> {
        Repo::open_for(&self.root, ids).map_err(|e| e.to_string())
    }
}

/// Write options for a TUI write: refuse when the file is not what was shown.
fn opts(shown: Shown) -> WriteOpts {
    WriteOpts {
        expected_hash: Some(shown.hash),
        ..Default::default()
    }
}

/// What the status bar says about a write.
fn result(o: Result<Outcome, OpError>) -> Result<WriteResult, String> {
    let o = o.map_err(|e| e.to_string())?;
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
    Ok(WriteResult {
        message: parts.join(" · "),
        commit: o.commit.clone(),
        new_path,
    })
}

impl Backend for OpsBackend {
    fn triage(&mut self, path: &str, action: Option<&str>, literal: bool, shown: Shown) -> Result<WriteResult, String> {
        let repo = self.repo(&[path])?;
        let req = TriageRequest {
            id: path.to_string(),
            action: action.map(str::to_string),
            literal,
            ..Default::default()
        };
        result(ops::triage(&repo, &req, &opts(shown)))
    }

    fn set_status(
        &mut self,
        path: &str,
        to: &str,
        note: Option<&str>,
        reason: Option<&str>,
        shown: Shown,
    ) -> Result<WriteResult, String> {
        let repo = self.repo(&[path])?;
        let req = StatusRequest {
            id: path.to_string(),
            to: to.to_string(),
            note: note.map(str::to_string),
            reason: reason.map(str::to_string),
            by: None,
        };
        result(ops::set_status(&repo, &req, &opts(shown)))
    }

    fn log(&mut self, path: &str, action: &str, learnings: Option<&str>, shown: Shown) -> Result<WriteResult, String> {
        let repo = self.repo(&[path])?;
        let req = LogRequest {
            id: path.to_string(),
            action: action.to_string(),
            learnings: learnings.map(str::to_string),
        };
        result(ops::log(&repo, &req, &opts(shown)))
    }

    fn undo(&mut self, commit: &str) -> Result<WriteResult, String> {
        let repo = Repo::config_only(&self.root).map_err(|e| e.to_string())?;
        result(ops::undo::undo(&repo, Some(commit), &WriteOpts::default()))
    }

    fn reload(&mut self) -> Result<Repo, String> {
        Repo::open(&self.root).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_stable_and_checked() {
        assert_eq!(content_hash(b""), 0xcbf2_9ce4_8422_2325);
        assert_ne!(content_hash(b"a"), content_hash(b"b"));
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        std::fs::write(dir.join("x.md"), "one").unwrap();
        let shown = Shown {
            hash: content_hash(b"one"),
        };
        assert!(check_unchanged(dir, "x.md", shown).is_ok());
        std::fs::write(dir.join("x.md"), "two").unwrap();
        assert!(check_unchanged(dir, "x.md", shown)
            .unwrap_err()
            .contains("changed on disk"));
    }
}
