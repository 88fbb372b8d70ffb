//! Where writes go. The update loop never writes: it returns effects, and
//! the runner hands the write effects to a [`Backend`]. [`OpsBackend`] is the
//! real one (wired to [`crate::ops`] by the integrator); [`NoWrites`] refuses
//! every write (read-only sessions and tests).
//!
//! Every write carries the hash of the bytes the user was shown
//! ([`Shown`]); [`check_unchanged`] refuses the write when the file changed
//! since, so nobody overwrites an edit they never saw.

use super::msg::{Effect, Msg, Shown, WriteResult};
use crate::store::Repo;
use std::path::{Path, PathBuf};

/// A stable 64-bit hash of file contents (FNV-1a).
pub fn content_hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// `Ok` when `root/path` still hashes to what was shown.
pub fn check_unchanged(root: &Path, path: &str, shown: Shown) -> Result<(), String> {
    let bytes = std::fs::read(root.join(path)).map_err(|e| format!("{path}: {e}"))?;
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
        Effect::OpenEditor { .. } | Effect::Copy(_) | Effect::Quit => return None,
    })
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

/// The real backend: writes through [`crate::ops`].
///
/// TODO(integrator): wire each write to `crate::ops` once it lands. Each
/// method should first call [`check_unchanged`] with `self.root`, `path` and
/// `shown` (or pass the hash to ops if it checks itself), then call the
/// matching operation and map its outcome to [`WriteResult`]: `message` a
/// one-line summary, `commit` the commit id when git committed, `new_path`
/// the repository-relative path when the file was renamed. Errors become
/// their `Display` text.
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

impl Backend for OpsBackend {
    fn triage(
        &mut self,
        path: &str,
        _action: Option<&str>,
        _literal: bool,
        shown: Shown,
    ) -> Result<WriteResult, String> {
        check_unchanged(&self.root, path, shown)?;
        // TODO(integrator): crate::ops triage (action None = approve as is;
        // Some(key) with literal=false = the `### Option <key>` heading;
        // literal=true = the typed text).
        Err("not wired yet".into())
    }

    fn set_status(
        &mut self,
        path: &str,
        _to: &str,
        _note: Option<&str>,
        _reason: Option<&str>,
        shown: Shown,
    ) -> Result<WriteResult, String> {
        check_unchanged(&self.root, path, shown)?;
        // TODO(integrator): crate::ops status change (with the reason when
        // the transition needs one).
        Err("not wired yet".into())
    }

    fn log(
        &mut self,
        path: &str,
        _action: &str,
        _learnings: Option<&str>,
        shown: Shown,
    ) -> Result<WriteResult, String> {
        check_unchanged(&self.root, path, shown)?;
        // TODO(integrator): crate::ops work-log append.
        Err("not wired yet".into())
    }

    fn undo(&mut self, _commit: &str) -> Result<WriteResult, String> {
        // TODO(integrator): crate::ops undo of this commit.
        Err("not wired yet".into())
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
