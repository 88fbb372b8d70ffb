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
use crate::ops::batch::{BatchError, BatchItem, BatchWrite};
use crate::ops::{self, LogRequest, OpError, Outcome, StatusRequest, TickRequest, TriageRequest, WriteOpts};
use crate::store::write::WriteError;
use crate::store::Repo;
use std::path::{Path, PathBuf};

pub use crate::store::write::content_hash;

/// The write operations the terminal UI needs. The runtime calls them on
/// its worker thread, hence `Send`.
pub trait Backend: Send {
    /// Triage the document at `path` as `findings triage` does: `action` is an option's
    /// key (or typed text with `literal`), `None` approves as is.
    fn triage(&mut self, path: &str, action: Option<&str>, literal: bool, shown: Shown) -> WriteOutcome;
    /// Move the document at `path` to status `to`, with a work-log `note` and the
    /// `reason` a skip needs.
    fn set_status(
        &mut self,
        path: &str,
        to: &str,
        note: Option<&str>,
        reason: Option<&str>,
        shown: Shown,
    ) -> WriteOutcome;
    /// Append a work-log entry (`action`, and `learnings` in its details) to the
    /// document at `path`.
    fn log(&mut self, path: &str, action: &str, learnings: Option<&str>, shown: Shown) -> WriteOutcome;
    /// Undo `commit`, a findings write of this session, as a new commit.
    fn undo(&mut self, commit: &str) -> WriteOutcome;
    /// ADR `path` is superseded by ADR `by`, as `findings status PATH
    /// superseded --by BY`. A backend without it refuses.
    fn supersede(&mut self, path: &str, by: &str, shown: Shown) -> WriteOutcome {
        let _ = (by, shown);
        WriteOutcome::failed(format!("{path}: this session cannot supersede"))
    }
    /// Tick (`undo`: untick) acceptance criterion `n`, as `findings tick`.
    /// A backend without it refuses.
    fn tick(&mut self, path: &str, n: usize, undo: bool, shown: Shown) -> WriteOutcome {
        let _ = (n, undo, shown);
        WriteOutcome::failed(format!("{path}: this session cannot tick criteria"))
    }
    /// Load the repository again.
    fn reload(&mut self) -> Result<Repo, String>;
    /// Undo the last findings write not undone yet, as `findings undo`.
    fn undo_last(&mut self) -> WriteOutcome {
        WriteOutcome::failed("undo is not available in this session")
    }
    /// Re-apply the last undone write, as `findings redo`.
    fn redo(&mut self) -> WriteOutcome {
        WriteOutcome::failed("redo is not available in this session")
    }
    /// The same write to every document of `items`, as one commit.
    fn batch(&mut self, items: &[(String, Shown)], what: &BatchWrite) -> WriteOutcome {
        let _ = (items, what);
        WriteOutcome::failed("writing several documents at once is not available in this session")
    }
    /// Each document of `items` its own write, as one commit.
    fn batch_each(&mut self, items: &[(String, Shown, BatchWrite)]) -> WriteOutcome {
        let _ = items;
        WriteOutcome::failed("writing several documents at once is not available in this session")
    }
    /// Commit the hand edit of `path` as `findings(ID): edit`.
    fn commit_edit(&mut self, path: &str, shown: Shown) -> WriteOutcome {
        let _ = (path, shown);
        WriteOutcome::failed("committing a hand edit is not available in this session")
    }
    /// Put `path` back as HEAD has it.
    fn discard_edit(&mut self, path: &str, shown: Shown) -> WriteOutcome {
        let _ = (path, shown);
        WriteOutcome::failed("discarding a hand edit is not available in this session")
    }
    /// The documents holding hand edits (paths relative to the root).
    fn hand_edits(&mut self) -> Vec<String> {
        Vec::new()
    }
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
        Effect::UndoLast => Msg::WriteDone(backend.undo_last()),
        Effect::Redo => Msg::WriteDone(backend.redo()),
        Effect::Batch { items, what } => Msg::WriteDone(backend.batch(items, what)),
        Effect::BatchEach { items } => Msg::WriteDone(backend.batch_each(items)),
        Effect::CommitEdit { path, shown } => Msg::WriteDone(backend.commit_edit(path, *shown)),
        Effect::DiscardEdit { path, shown } => Msg::WriteDone(backend.discard_edit(path, *shown)),
        Effect::CheckEdits => Msg::HandEdits(backend.hand_edits()),
        Effect::Supersede { path, by, shown } => Msg::WriteDone(backend.supersede(path, by, *shown)),
        Effect::Tick { path, n, undo, shown } => Msg::WriteDone(backend.tick(path, *n, *undo, *shown)),
        Effect::Reload => Msg::Reloaded(Box::new(backend.reload())),
        Effect::OpenEditor { .. }
        | Effect::Copy(_)
        | Effect::LoadHistory { .. }
        | Effect::LoadTrend { .. }
        | Effect::Load
        | Effect::Quit => return None,
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
    /// A backend writing to the repository at `root` through the library's operations,
    /// reading the documents each write touches afresh.
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

/// What the status bar says about an undo or a redo (`verb`): what it took
/// back or re-applied (`undid: 030 complete → ready`), or why not.
fn stacked(verb: &str, o: Result<Outcome, OpError>) -> WriteOutcome {
    let o = match o {
        Ok(o) => o,
        Err(e) => return WriteOutcome::Failed(e.into()),
    };
    let mut res = summary(&o);
    let subject = o.message.lines().next().unwrap_or("");
    let what = subject.split_once(": ").map(|(_, r)| r).unwrap_or(subject);
    // `undo triage pending → ready` names the write it took back.
    let what = what
        .strip_prefix("undo ")
        .or_else(|| what.strip_prefix("redo "))
        .unwrap_or(what);
    // A batch's subject (`findings: status of 3 documents → ready`) names
    // no single document.
    let head = match subject.starts_with("findings: ") {
        true => format!("{verb}: {what}"),
        false => format!("{verb}: {} {what}", o.id),
    };
    let rest: Vec<&str> = res.message.splitn(2, " · ").skip(1).collect();
    res.message = std::iter::once(head.as_str())
        .chain(rest)
        .collect::<Vec<_>>()
        .join(" · ");
    WriteOutcome::Done(res)
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

    fn undo_last(&mut self) -> WriteOutcome {
        match Repo::config_only(&self.root) {
            Ok(repo) => stacked("undid", ops::undo::undo(&repo, None, &WriteOpts::default())),
            Err(e) => WriteOutcome::Failed(e.into()),
        }
    }

    fn redo(&mut self) -> WriteOutcome {
        match Repo::config_only(&self.root) {
            Ok(repo) => stacked("redid", ops::undo::redo(&repo, &WriteOpts::default())),
            Err(e) => WriteOutcome::Failed(e.into()),
        }
    }

    fn batch(&mut self, items: &[(String, Shown)], what: &BatchWrite) -> WriteOutcome {
        let items: Vec<(String, Shown, BatchWrite)> =
            items.iter().map(|(p, s)| (p.clone(), *s, what.clone())).collect();
        self.batch_each(&items)
    }

    fn batch_each(&mut self, items: &[(String, Shown, BatchWrite)]) -> WriteOutcome {
        let paths: Vec<&str> = items.iter().map(|(p, _, _)| p.as_str()).collect();
        let repo = match Repo::open_for(&self.root, &paths) {
            Ok(r) => r,
            Err(e) => return WriteOutcome::Failed(e.into()),
        };
        let items: Vec<(BatchItem, BatchWrite)> = items
            .iter()
            .map(|(path, shown, what)| {
                let item = BatchItem {
                    id: path.clone(),
                    shown: Some(shown.hash),
                };
                (item, what.clone())
            })
            .collect();
        match ops::batch::batch_each(&repo, &items, &WriteOpts::default()) {
            Ok(b) => {
                let mut parts = vec![b.each.iter().map(|o| summary(o).message).collect::<Vec<_>>().join(", ")];
                parts.extend(b.warnings.iter().cloned());
                if b.commit.is_none() {
                    parts.push("not committed".into());
                }
                WriteOutcome::Done(WriteResult {
                    message: parts.join(" · "),
                    commit: b.commit,
                    new_path: None,
                })
            }
            Err(BatchError::Refused { path, source, .. })
                if matches!(*source, OpError::Write(WriteError::Changed { .. })) =>
            {
                WriteOutcome::Stale { path }
            }
            Err(e) => WriteOutcome::failed(e.to_string()),
        }
    }

    fn commit_edit(&mut self, path: &str, shown: Shown) -> WriteOutcome {
        let repo = match self.repo(path) {
            Ok(r) => r,
            Err(o) => return o,
        };
        outcome(path, ops::hand::commit_edit(&repo, path, &opts(shown)))
    }

    fn discard_edit(&mut self, path: &str, shown: Shown) -> WriteOutcome {
        let repo = match self.repo(path) {
            Ok(r) => r,
            Err(o) => return o,
        };
        match ops::hand::discard_edit(&repo, path, &opts(shown)) {
            Ok(o) => {
                let mut parts = vec![o.message.clone()];
                parts.extend(o.warnings.iter().cloned());
                WriteOutcome::Done(WriteResult {
                    message: parts.join(" · "),
                    commit: None,
                    new_path: None,
                })
            }
            other => outcome(path, other),
        }
    }

    fn hand_edits(&mut self) -> Vec<String> {
        match Repo::config_only(&self.root) {
            Ok(repo) => ops::hand::hand_edited(&repo),
            Err(_) => Vec::new(),
        }
    }

    fn supersede(&mut self, path: &str, by: &str, shown: Shown) -> WriteOutcome {
        let repo = match Repo::open_for(&self.root, &[path, by]) {
            Ok(r) => r,
            Err(e) => return WriteOutcome::Failed(e.into()),
        };
        // The command line's operation: `status PATH superseded --by BY`.
        let req = StatusRequest {
            id: path.to_string(),
            to: "superseded".into(),
            by: Some(by.to_string()),
            ..Default::default()
        };
        outcome(path, ops::set_status(&repo, &req, &opts(shown)))
    }

    fn tick(&mut self, path: &str, n: usize, undo: bool, shown: Shown) -> WriteOutcome {
        let repo = match self.repo(path) {
            Ok(r) => r,
            Err(o) => return o,
        };
        let req = TickRequest {
            id: path.to_string(),
            n,
            undo,
        };
        outcome(path, ops::tick(&repo, &req, &opts(shown)))
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
