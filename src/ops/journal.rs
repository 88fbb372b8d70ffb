//! The write journal: a write that changes several files (`renumber`, an ADR
//! superseded by another) is all or nothing, even when killed.
//!
//! Before touching any file, `begin` records every planned change (path
//! before and after, bytes before and after) and the commit message in
//! `findings-journal.json` beside the repository lock (in the git folder);
//! `finish` removes it once the commit is made (or has failed with every
//! file written: a failed commit keeps the edits, as for one file). A
//! process killed in between leaves the journal, and the next write (which
//! takes the lock, `super::Transaction::begin`) *completes* it with `recover`: each
//! file still holding its old bytes gets the new ones (and its new name), a
//! file already done is left, and the changes are committed with the
//! journal's message. Completing rather than undoing keeps what the user
//! asked for and needs nothing that is not in the journal. When a file holds
//! neither the old nor the new bytes (someone edited it since), nothing is
//! touched and the write is refused with what to do.

use super::{FileEdit, OpError};
use crate::git::{self, Change, CommitOptions, GitError};
use crate::store::write;
use serde::{Deserialize, Serialize};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The largest journal read back (every planned file's bytes twice).
const MAX_JOURNAL: u64 = 256 * 1024 * 1024;

/// Notes of a completed journal, for the write that completed it to report.
static NOTES: Mutex<Vec<String>> = Mutex::new(Vec::new());

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
struct Journal {
    /// What kind of write (`findings(…): renumber …`'s subject).
    subject: String,
    message: String,
    files: Vec<Planned>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
struct Planned {
    from: Option<String>,
    to: String,
    before: String,
    after: String,
    remove: bool,
}

/// `findings-journal.json` beside the repository lock (`.git/` when there is
/// one; `.findings-journal.json` at the root otherwise).
pub(crate) fn path(root: &Path) -> PathBuf {
    let lock = write::lock_path(root);
    let name = if lock.file_name().is_some_and(|n| n == ".findings.lock") {
        ".findings-journal.json"
    } else {
        "findings-journal.json"
    };
    lock.with_file_name(name)
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> OpError + '_ {
    move |e| OpError::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

/// Record `edits` before any of them is made (only for writes of several
/// files: one file is atomic by itself). Returns whether a journal was
/// written.
pub(crate) fn begin(root: &Path, edits: &[FileEdit], message: &str) -> Result<bool, OpError> {
    if edits.len() < 2 {
        return Ok(false);
    }
    let j = Journal {
        subject: message.lines().next().unwrap_or("").to_string(),
        message: message.to_string(),
        files: edits
            .iter()
            .map(|e| Planned {
                from: e.from.clone(),
                to: e.to.clone(),
                before: e.before.clone(),
                after: e.after.clone(),
                remove: e.remove,
            })
            .collect(),
    };
    let p = path(root);
    let bytes = serde_json::to_vec(&j).map_err(|e| OpError::Io {
        path: p.display().to_string(),
        message: e.to_string(),
    })?;
    write::atomic_write(&p, &bytes).map_err(io_err(&p))?;
    Ok(true)
}

/// Remove the journal: the write is complete (committed, or every file
/// written and the commit refused).
pub(crate) fn finish(root: &Path) {
    let p = path(root);
    if fs::remove_file(&p).is_ok() {
        if let Some(dir) = p.parent() {
            if let Ok(d) = fs::File::open(dir) {
                let _ = d.sync_all();
            }
        }
    }
}

/// What a completed journal left to say (taken once).
pub(crate) fn take_notes() -> Vec<String> {
    NOTES.lock().map(|mut n| std::mem::take(&mut *n)).unwrap_or_default()
}

/// Put back the files of `done` (edits already made, in order) after a
/// later one failed; `true` when every one is back as it was.
pub(crate) fn undo(root: &Path, done: &[FileEdit]) -> bool {
    let mut ok = true;
    for e in done.iter().rev() {
        let to = root.join(&e.to);
        let r = match (&e.from, e.remove) {
            (_, true) => write::atomic_write(&to, e.before.as_bytes()),
            (Some(from), false) if *from != e.to => {
                write::atomic_replace_and_rename(&to, &root.join(from), e.before.as_bytes())
            }
            (Some(_), false) => write::atomic_write(&to, e.before.as_bytes()),
            (None, false) => fs::remove_file(&to),
        };
        ok &= r.is_ok();
    }
    ok
}

/// The state of one planned file on disk.
enum Step {
    Done,
    /// Write `after` over `from` and rename it to `to`.
    Write,
    /// `from` holds `after` already: only the rename is left.
    Rename,
    Remove,
}

fn read(root: &Path, rel: &str) -> Result<Option<Vec<u8>>, OpError> {
    let p = root.join(rel);
    match fs::symlink_metadata(&p) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_err(&p)(e)),
        Ok(m) if !m.is_file() => {
            return Err(OpError::Io {
                path: p.display().to_string(),
                message: "not a regular file".into(),
            })
        }
        Ok(_) => {}
    }
    fs::read(&p).map(Some).map_err(io_err(&p))
}

/// Where a planned file stands: done, to do, or edited since (`None`).
fn step(root: &Path, f: &Planned) -> Result<Option<Step>, OpError> {
    let to = read(root, &f.to)?;
    let is = |b: &Option<Vec<u8>>, s: &str| b.as_deref() == Some(s.as_bytes());
    if f.remove {
        return Ok(match to {
            None => Some(Step::Done),
            Some(_) if is(&to, &f.before) => Some(Step::Remove),
            Some(_) => None,
        });
    }
    match f.from.as_deref() {
        Some(from) if from != f.to => {
            let old = read(root, from)?;
            Ok(match (&old, &to) {
                (None, Some(_)) if is(&to, &f.after) => Some(Step::Done),
                (Some(_), None) if is(&old, &f.before) => Some(Step::Write),
                (Some(_), None) if is(&old, &f.after) => Some(Step::Rename),
                _ => None,
            })
        }
        Some(_) => Ok(if is(&to, &f.after) {
            Some(Step::Done)
        } else if is(&to, &f.before) {
            Some(Step::Write)
        } else {
            None
        }),
        None => Ok(match to {
            None => Some(Step::Write),
            Some(_) if is(&to, &f.after) => Some(Step::Done),
            Some(_) => None,
        }),
    }
}

/// A write of several files that was interrupted and not yet completed, as
/// `findings check` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pending {
    /// The journal file, repository-relative when it is inside the root.
    pub(crate) path: String,
    /// The interrupted write (its commit subject), when the journal reads.
    pub(crate) subject: Option<String>,
    /// The files it plans to change (new names).
    pub(crate) files: Vec<String>,
    /// Why the next write cannot complete it, when it cannot.
    pub(crate) stuck: Option<String>,
}

/// The pending journal of `root`, without touching anything (no lock is
/// taken and no file is written); `None` when there is none.
pub(crate) fn pending(root: &Path) -> Option<Pending> {
    let p = path(root);
    let meta = fs::symlink_metadata(&p).ok()?;
    let shown = p
        .strip_prefix(root)
        .map(|r| r.to_string_lossy().into_owned())
        .unwrap_or_else(|_| p.display().to_string());
    let mut out = Pending {
        path: shown,
        subject: None,
        files: vec![],
        stuck: None,
    };
    if !meta.is_file() || meta.len() > MAX_JOURNAL {
        out.stuck = Some("the journal is not a regular file of a sane size".into());
        return Some(out);
    }
    let j: Journal = match fs::read(&p)
        .map_err(|e| e.to_string())
        .and_then(|b| serde_json::from_slice(&b).map_err(|e| format!("the journal does not parse ({e})")))
    {
        Ok(j) => j,
        Err(e) => {
            out.stuck = Some(e);
            return Some(out);
        }
    };
    out.subject = Some(j.subject.clone());
    out.files = j.files.iter().map(|f| f.to.clone()).collect();
    for f in &j.files {
        let outside = [Some(f.to.as_str()), f.from.as_deref()]
            .into_iter()
            .flatten()
            .any(|r| r.contains("..") || r.starts_with('/'));
        let ok = !outside && matches!(step(root, f), Ok(Some(_)));
        if !ok {
            out.stuck = Some(format!("{} changed since", f.from.as_deref().unwrap_or(&f.to)));
            break;
        }
    }
    Some(out)
}

/// Complete a write a killed process left in the journal, if there is one.
/// The caller holds the repository lock.
pub(crate) fn recover(root: &Path) -> Result<(), OpError> {
    let p = path(root);
    if let Some(dir) = p.parent() {
        write::clear_dead_temps(dir);
    }
    let meta = match fs::symlink_metadata(&p) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io_err(&p)(e)),
    };
    let stuck = |what: String| OpError::Io {
        path: p.display().to_string(),
        message: format!(
            "an earlier write of several files was interrupted and cannot be completed: {what}; \
             put the files right by hand (the journal lists each file's bytes before and after), \
             then remove this file"
        ),
    };
    if !meta.is_file() || meta.len() > MAX_JOURNAL {
        return Err(stuck("the journal is not a regular file of a sane size".into()));
    }
    let bytes = fs::read(&p).map_err(io_err(&p))?;
    let j: Journal = serde_json::from_slice(&bytes).map_err(|e| stuck(format!("the journal does not parse ({e})")))?;
    let mut plan = Vec::new();
    for f in &j.files {
        if [Some(f.to.as_str()), f.from.as_deref()]
            .into_iter()
            .flatten()
            .any(|r| r.contains("..") || r.starts_with('/'))
        {
            return Err(stuck(format!("{} is not a path inside the repository", f.to)));
        }
        match step(root, f)? {
            Some(s) => plan.push((f, s)),
            None => return Err(stuck(format!("{} changed since", f.from.as_deref().unwrap_or(&f.to)))),
        }
    }
    let mut changes = Vec::new();
    for (f, s) in &plan {
        let to = root.join(&f.to);
        let from = root.join(f.from.as_deref().unwrap_or(&f.to));
        match s {
            Step::Done => {}
            Step::Write if f.from.is_some() => {
                write::atomic_replace_and_rename(&from, &to, f.after.as_bytes()).map_err(io_err(&to))?
            }
            Step::Write => {
                if let Some(dir) = to.parent() {
                    fs::create_dir_all(dir).map_err(io_err(dir))?;
                }
                write::atomic_write(&to, f.after.as_bytes()).map_err(io_err(&to))?
            }
            Step::Rename => write::rename_no_replace(&from, &to).map_err(io_err(&to))?,
            Step::Remove => fs::remove_file(&to).map_err(io_err(&to))?,
        }
        if f.remove {
            changes.push(Change::Remove(f.to.clone()));
            continue;
        }
        if let Some(from) = f.from.as_deref().filter(|from| *from != f.to) {
            changes.push(Change::Remove(from.to_string()));
        }
        changes.push(Change::Write(f.to.clone()));
    }
    let (g, committed) = match git::open(root) {
        Ok(g) => {
            let c = git::commit_paths_in(&g, root, &changes, &j.message, &CommitOptions::default(), None);
            (Some(g), c)
        }
        Err(e) => (None, Err(e)),
    };
    if let (Some(g), Ok(_) | Err(GitError::NothingToCommit)) = (&g, &committed) {
        // The journal's files are committed: none is findings' uncommitted
        // text any more.
        let paths: Vec<&str> = changes.iter().map(Change::path).collect();
        super::handedit::forget(g, root, &paths);
    }
    let note = match committed {
        Ok(c) => format!(
            "completed an interrupted write ({}) and committed it as {}",
            j.subject,
            &c.id[..c.id.len().min(10)]
        ),
        Err(GitError::NothingToCommit) => format!("completed an interrupted write ({}); it was committed", j.subject),
        Err(GitError::NotARepo { .. }) => format!("completed an interrupted write ({})", j.subject),
        // Stopped again: the journal stays for the next write.
        Err(e @ GitError::Interrupted(_)) => {
            return Err(OpError::Commit {
                written: changes.iter().map(|c| c.path().to_string()).collect(),
                source: e,
            })
        }
        Err(e) => format!(
            "completed the files of an interrupted write ({}), but its commit failed: {e}",
            j.subject
        ),
    };
    finish(root);
    if let Ok(mut n) = NOTES.lock() {
        n.push(note);
    }
    Ok(())
}
