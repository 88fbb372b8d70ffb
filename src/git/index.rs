//! Git's index as a commit works on it: a private copy in the git folder
//! ([`Scratch`]), read through a repository handle of its own, updated and
//! moved over the real index once HEAD has moved (see `commit`).
//!
//! At 100k files git's index is over 10 MB, and libgit2 hashes and parses
//! all of it to read it. A write starts that read on a thread of its own
//! ([`IndexAhead`]) while it does what comes before the commit (the
//! hand-edit check, the file writes), and a command line write starts it
//! before it even opens the repository ([`EarlyIndex`]), so that it runs
//! beside the open's single-core stretches. The commit takes the copy only if,
//! once it holds `index.lock`, the index is still the file that was copied
//! (the same inode, size and change times: git replaces its index by
//! renaming a new file over it, never in place). Otherwise the copy is
//! dropped and the index read again under the lock.

use super::GitError;
use git2::{Index, Repository};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::thread::JoinHandle;

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A name in the git folder for a file of this process's own:
/// `findings-<what>-<pid>-<n>` (what [`clear_dead_scratch`] recognises).
pub(super) fn private_path(git_dir: &Path, what: &str) -> PathBuf {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    git_dir.join(format!("findings-{what}-{}-{n}", std::process::id()))
}

/// A private index file in the git folder, removed (with libgit2's own
/// `.lock` beside it) when dropped, unless it was renamed into place.
pub(super) struct Scratch {
    pub(super) path: PathBuf,
}

impl Scratch {
    pub(super) fn new(git_dir: &Path, what: &str) -> Scratch {
        Scratch {
            path: private_path(git_dir, what),
        }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
        let mut lock = self.path.clone().into_os_string();
        lock.push(".lock");
        let _ = fs::remove_file(lock);
    }
}

/// Remove scratch index files (`findings-index-<pid>-<n>`,
/// `findings-next-index-<pid>-<n>` and their `.lock`, `findings-lockfile-…`)
/// of findings processes that are gone; called with `index.lock` held.
pub(super) fn clear_dead_scratch(git_dir: &Path) {
    let Ok(entries) = fs::read_dir(git_dir) else { return };
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(rest) = name
            .strip_prefix("findings-next-index-")
            .or_else(|| name.strip_prefix("findings-index-"))
            .or_else(|| name.strip_prefix("findings-lockfile-"))
        else {
            continue;
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if pid != std::process::id() && !crate::owner::pid_alive(pid) {
            let _ = fs::remove_file(e.path());
        }
    }
}

/// Which file a path names, as git's racy-clean check tells files apart:
/// device, inode, size and the change and modification times to the
/// nanosecond.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    dev: u64,
    ino: u64,
    size: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
}

/// The stamp of the file at `path`; `None` when there is none.
fn stamp(path: &Path) -> io::Result<Option<Stamp>> {
    let meta = match fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    #[cfg(unix)]
    let s = {
        use std::os::unix::fs::MetadataExt;
        Stamp {
            dev: meta.dev(),
            ino: meta.ino(),
            size: meta.size(),
            mtime: (meta.mtime(), meta.mtime_nsec()),
            ctime: (meta.ctime(), meta.ctime_nsec()),
        }
    };
    #[cfg(not(unix))]
    let s = {
        let nanos = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as i64);
        Stamp {
            dev: 0,
            ino: 0,
            size: meta.len(),
            mtime: (nanos, 0),
            ctime: (nanos, 0),
        }
    };
    Ok(Some(s))
}

/// Git's index copied to a [`Scratch`] file and read, through a repository
/// handle of its own whose index it is (so attribute lookups for git's
/// clean filters read this copy, not the real index a second time).
pub(super) struct Copied {
    /// The handle; `repo.index()` is the copy.
    pub(super) repo: Repository,
    /// The copy's file.
    pub(super) scratch: Scratch,
    /// The real index as it was copied.
    stamp: Option<Stamp>,
}

impl Copied {
    /// Copy and read the index of the repository at `git_dir` whose work
    /// tree is `workdir` (a missing index reads as an empty one).
    fn read(git_dir: &Path, workdir: &Path) -> Result<Copied, GitError> {
        let index_path = git_dir.join("index");
        let io_error = |source| GitError::Io {
            path: index_path.clone(),
            source,
        };
        let before = stamp(&index_path).map_err(io_error)?;
        let scratch = Scratch::new(git_dir, "index");
        match fs::copy(&index_path, &scratch.path) {
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(source) => return Err(io_error(source)),
        }
        let repo = super::reopen(git_dir)?;
        // The work tree the write's own handle has (clean filters resolve
        // attributes from it), whatever opening the git folder alone finds.
        if repo.workdir().map(|w| same_dir(w, workdir)) != Some(true) {
            repo.set_workdir(workdir, false)?;
        }
        let mut index = Index::open(&scratch.path)?;
        repo.set_index(&mut index)?;
        Ok(Copied {
            repo,
            scratch,
            stamp: before,
        })
    }

    /// The index of `repo` read now (`index.lock` held), or `ahead`, the
    /// copy read before the lock, when the index is still the file it
    /// copied.
    pub(super) fn now(repo: &Repository, ahead: Option<Copied>) -> Result<Copied, GitError> {
        let git_dir = repo.path();
        let workdir = repo.workdir().ok_or_else(|| GitError::NoWorkTree {
            path: git_dir.to_path_buf(),
        })?;
        if let Some(copied) = ahead.filter(|c| same_dir(c.repo.path(), git_dir)) {
            let index_path = git_dir.join("index");
            let current = stamp(&index_path).map_err(|source| GitError::Io {
                path: index_path.clone(),
                source,
            })?;
            if current == copied.stamp {
                return Ok(copied);
            }
        }
        Copied::read(git_dir, workdir)
    }
}

/// Whether two folder paths name the same folder (libgit2 may spell one
/// with a trailing `/`).
fn same_dir(a: &Path, b: &Path) -> bool {
    a.components().eq(b.components())
}

/// Git's index being copied and read on a thread of its own, for the
/// commit of a write that is still busy with what comes before it (see the
/// module documentation). Dropped unused, it waits for the thread, which
/// removes its copy.
pub(crate) struct IndexAhead {
    thread: Option<JoinHandle<Option<Copied>>>,
}

impl IndexAhead {
    /// Start reading the index of `repo` (a repository with a work tree;
    /// `None` without one, or when no thread can be started); or take the
    /// read an [`EarlyIndex`] started before the write opened anything.
    pub(crate) fn start(repo: &Repository) -> Option<IndexAhead> {
        if let Some(early) = EARLY.lock().ok().and_then(|mut e| e.take()) {
            return Some(early);
        }
        let git_dir = repo.path().to_path_buf();
        let workdir = repo.workdir()?.to_path_buf();
        Self::spawn(move || Copied::read(&git_dir, &workdir).ok())
    }

    fn spawn(read: impl FnOnce() -> Option<Copied> + Send + 'static) -> Option<IndexAhead> {
        let thread = std::thread::Builder::new().name("git index".into()).spawn(read).ok()?;
        Some(IndexAhead { thread: Some(thread) })
    }

    /// The copy, once read; `None` when reading it failed (the commit reads
    /// it again, and reports what fails then).
    pub(super) fn join(mut self) -> Option<Copied> {
        self.thread.take()?.join().ok().flatten()
    }
}

impl Drop for IndexAhead {
    fn drop(&mut self) {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The read an [`EarlyIndex`] started, for the next write's commit in this
/// process to take ([`IndexAhead::start`]).
static EARLY: Mutex<Option<IndexAhead>> = Mutex::new(None);

/// Git's index read for the commit of a write that has not yet opened the
/// repository (a command line write starts it first thing, so the read
/// runs beside the open's own work). The write's commit takes it; dropped
/// with the read still there (the write failed, or committed nothing), it
/// drops the read too.
pub(crate) struct EarlyIndex(());

impl EarlyIndex {
    /// Start reading git's index of the repository holding `root` (found
    /// on that thread as a write finds it).
    pub(crate) fn start(root: &Path) -> EarlyIndex {
        let root = root.to_path_buf();
        let ahead = IndexAhead::spawn(move || {
            let repo = super::open(&root).ok()?;
            let workdir = repo.workdir()?.to_path_buf();
            Copied::read(repo.path(), &workdir).ok()
        });
        if let Ok(mut early) = EARLY.lock() {
            *early = ahead;
        }
        EarlyIndex(())
    }
}

impl Drop for EarlyIndex {
    fn drop(&mut self) {
        let unused = EARLY.lock().ok().and_then(|mut e| e.take());
        drop(unused);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo_with_index() -> (tempfile::TempDir, Repository) {
        let tmp = tempfile::tempdir().unwrap();
        let g = Repository::init(tmp.path()).unwrap();
        fs::write(tmp.path().join("a.md"), "a\n").unwrap();
        let mut index = g.index().unwrap();
        index.add_path(Path::new("a.md")).unwrap();
        index.write().unwrap();
        (tmp, g)
    }

    #[test]
    fn a_copy_read_ahead_is_taken_while_the_index_is_unchanged() {
        let (_tmp, g) = repo_with_index();
        let ahead = IndexAhead::start(&g).unwrap();
        let copied = Copied::now(&g, ahead.join()).unwrap();
        let index = copied.repo.index().unwrap();
        assert!(index.get_path(Path::new("a.md"), 0).is_some());
        assert_eq!(index.path(), Some(copied.scratch.path.as_path()));
        let path = copied.scratch.path.clone();
        assert!(path.exists());
        drop(index);
        drop(copied);
        assert!(!path.exists(), "the copy is removed with its scratch file");
    }

    #[test]
    fn an_index_replaced_after_the_copy_is_read_again() {
        let (tmp, g) = repo_with_index();
        let copied = IndexAhead::start(&g).unwrap().join();
        assert!(copied.is_some());
        // The index replaced as git replaces it (a new file renamed over
        // it), holding b.md as well.
        fs::write(tmp.path().join("b.md"), "b\n").unwrap();
        let other = tempfile::tempdir().unwrap();
        let side = other.path().join("index");
        let mut next = Index::open(&side).unwrap();
        let mut real = g.index().unwrap();
        real.read(true).unwrap();
        for e in real.iter() {
            next.add(&e).unwrap();
        }
        let mut b = real.get_path(Path::new("a.md"), 0).unwrap();
        b.path = b"b.md".to_vec();
        next.add(&b).unwrap();
        next.write().unwrap();
        fs::copy(&side, g.path().join("index.new")).unwrap();
        fs::rename(g.path().join("index.new"), g.path().join("index")).unwrap();
        let now = Copied::now(&g, copied).unwrap();
        let index = now.repo.index().unwrap();
        assert!(index.get_path(Path::new("b.md"), 0).is_some(), "the new index is read");
    }

    #[test]
    fn an_ahead_dropped_unused_leaves_no_copy() {
        let (_tmp, g) = repo_with_index();
        let ahead = IndexAhead::start(&g).unwrap();
        drop(ahead);
        let left: Vec<_> = fs::read_dir(g.path())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with("findings-index-"))
            .collect();
        assert!(left.is_empty());
    }
}
