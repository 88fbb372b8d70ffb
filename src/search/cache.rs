//! Document texts kept in memory for repeated full-text queries (the
//! terminal UI's list search), so a query after the first reads no file.
//!
//! A [`TextCache`] belongs to one repository root and keeps texts up to a
//! byte budget ([`BUDGET`]); a text past it is read again for each query
//! that needs it, never kept. A [`Generation`] is one list of documents (a
//! load or a reload): each of its texts is fetched at most once, and the
//! fetch checks the file's size, modification time, inode and change time
//! against the cached copy, so a file edited behind findings' back is read
//! again rather than searched stale. Texts are read as loading reads them
//! ([`super::read_text`]: contained in the root, bounded, UTF-8).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::SystemTime;

/// The most bytes of text a cache keeps (256 MiB: the texts of about 100k
/// documents of 2.5 KB).
pub const BUDGET: usize = 256 << 20;

/// What a file looked like when its text was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
    /// Inode and change time (seconds, nanoseconds) where the platform
    /// has them: a same-size edit within the same modification time still
    /// changes the change time, and a file replaced by rename its inode.
    ino: u64,
    changed: (i64, i64),
}

fn stamp(path: &Path) -> std::io::Result<Stamp> {
    let md = std::fs::metadata(path)?;
    #[cfg(unix)]
    let (ino, changed) = {
        use std::os::unix::fs::MetadataExt;
        (md.ino(), (md.ctime(), md.ctime_nsec()))
    };
    #[cfg(not(unix))]
    let (ino, changed) = (0, (0, 0));
    Ok(Stamp {
        len: md.len(),
        modified: md.modified().ok(),
        ino,
        changed,
    })
}

#[derive(Debug)]
struct Entry {
    stamp: Stamp,
    text: Arc<str>,
}

#[derive(Debug, Default)]
struct Kept {
    entries: HashMap<String, Entry>,
    bytes: usize,
}

impl Kept {
    fn remove(&mut self, path: &str) {
        if let Some(e) = self.entries.remove(path) {
            self.bytes -= e.text.len();
        }
    }
}

#[derive(Debug)]
struct Inner {
    root: PathBuf,
    budget: usize,
    kept: Mutex<Kept>,
}

/// Texts of one repository's documents, shared between threads (cloning
/// shares the same texts).
#[derive(Debug, Clone)]
pub struct TextCache {
    inner: Arc<Inner>,
}

/// A document's text as a [`Generation`] has it.
#[derive(Debug, Clone)]
pub enum Slot {
    /// In memory.
    Kept(Arc<str>),
    /// Readable, but past the budget: read again when needed.
    Unkept,
    /// Cannot be read (the reason).
    Missing(String),
}

impl TextCache {
    /// An empty cache for the documents under `root`, keeping at most
    /// [`BUDGET`] bytes.
    pub fn new(root: &Path) -> TextCache {
        TextCache::with_budget(root, BUDGET)
    }

    /// An empty cache keeping at most `budget` bytes of text.
    pub fn with_budget(root: &Path, budget: usize) -> TextCache {
        TextCache {
            inner: Arc::new(Inner {
                root: root.to_path_buf(),
                budget,
                kept: Mutex::new(Kept::default()),
            }),
        }
    }

    /// The repository root the texts are read from.
    pub fn root(&self) -> &Path {
        &self.inner.root
    }

    /// Bytes of text kept now.
    pub fn bytes(&self) -> usize {
        self.lock().bytes
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Kept> {
        // A panic while holding the lock leaves the map consistent (every
        // change is one insert or remove), so a poisoned lock is used as is.
        self.inner.kept.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The text of `rel` (a path relative to the root): the kept copy when
    /// the file is unchanged since it was read, else read now (and kept
    /// while within the budget).
    pub fn fetch(&self, rel: &str) -> Slot {
        let root = &self.inner.root;
        let Ok(now) = stamp(&root.join(rel)) else {
            self.lock().remove(rel);
            return match super::read_text(root, rel) {
                Ok(_) => Slot::Unkept,
                Err(e) => Slot::Missing(e),
            };
        };
        if let Some(e) = self.lock().entries.get(rel) {
            if e.stamp == now {
                return Slot::Kept(e.text.clone());
            }
        }
        // Stamped before reading: a change made while reading leaves a
        // stamp older than the text, and the next generation reads again.
        let text = match super::read_text(root, rel) {
            Ok(t) => t,
            Err(e) => {
                self.lock().remove(rel);
                return Slot::Missing(e);
            }
        };
        let mut kept = self.lock();
        kept.remove(rel);
        if kept.bytes + text.len() > self.inner.budget {
            return Slot::Unkept;
        }
        let text: Arc<str> = Arc::from(text);
        kept.bytes += text.len();
        kept.entries.insert(
            rel.to_string(),
            Entry {
                stamp: now,
                text: text.clone(),
            },
        );
        Slot::Kept(text)
    }

    /// Forget the texts of documents not in `paths` (deleted or renamed).
    pub fn retain(&self, paths: &HashSet<&str>) {
        let mut kept = self.lock();
        let before = kept.entries.len();
        let mut freed = 0;
        kept.entries.retain(|p, e| {
            let keep = paths.contains(p.as_str());
            if !keep {
                freed += e.text.len();
            }
            keep
        });
        if kept.entries.len() != before {
            kept.bytes -= freed;
        }
    }
}

/// The texts of one list of documents (one load of the repository): each
/// fetched from the cache at most once, by whichever thread needs it first.
#[derive(Debug)]
pub struct Generation {
    cache: TextCache,
    paths: Vec<String>,
    slots: Vec<OnceLock<Slot>>,
    pruned: std::sync::atomic::AtomicBool,
}

impl Generation {
    /// The texts of `paths` (relative to the cache's root), none fetched yet.
    pub fn new(cache: TextCache, paths: Vec<String>) -> Generation {
        let slots = paths.iter().map(|_| OnceLock::new()).collect();
        Generation {
            cache,
            paths,
            slots,
            pruned: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// How many documents.
    pub fn len(&self) -> usize {
        self.paths.len()
    }

    /// True when there are no documents.
    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    /// True once document `i`'s text was fetched (or `i` is out of range).
    pub fn fetched(&self, i: usize) -> bool {
        self.slots.get(i).is_none_or(|s| s.get().is_some())
    }

    /// True when document `i`'s text was fetched and is in memory.
    pub fn kept(&self, i: usize) -> bool {
        matches!(self.slots.get(i).and_then(OnceLock::get), Some(Slot::Kept(_)))
    }

    /// Fetch document `i`'s text if not yet done; what it is.
    pub fn fetch(&self, i: usize) -> Option<&Slot> {
        let slot = self.slots.get(i)?;
        Some(slot.get_or_init(|| self.cache.fetch(&self.paths[i])))
    }

    /// Document `i`'s text: the kept copy, or read now (past the budget);
    /// `None` when it cannot be read.
    pub fn text(&self, i: usize) -> Option<std::borrow::Cow<'_, str>> {
        match self.fetch(i)? {
            Slot::Kept(t) => Some(std::borrow::Cow::Borrowed(t)),
            Slot::Unkept => super::read_text(self.cache.root(), &self.paths[i])
                .ok()
                .map(std::borrow::Cow::Owned),
            Slot::Missing(_) => None,
        }
    }

    /// Forget the cache's texts of documents this generation does not
    /// have (deleted or renamed since the last), once per generation.
    pub fn prune(&self) {
        if self.pruned.swap(true, std::sync::atomic::Ordering::Relaxed) {
            return;
        }
        let set: HashSet<&str> = self.paths.iter().map(String::as_str).collect();
        self.cache.retain(&set);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_kept_checked_and_bounded() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::write(root.join("a.md"), "alpha prisma\n").unwrap();
        std::fs::write(root.join("b.md"), "beta\n").unwrap();
        let cache = TextCache::with_budget(root, 16);
        let g = Generation::new(cache.clone(), vec!["a.md".into(), "b.md".into(), "../x.md".into()]);
        assert!(!g.fetched(0));
        assert_eq!(g.text(0).as_deref(), Some("alpha prisma\n"));
        assert!(g.fetched(0));
        // Past the budget: read, not kept.
        assert!(matches!(g.fetch(1), Some(Slot::Unkept)));
        assert_eq!(g.text(1).as_deref(), Some("beta\n"));
        assert_eq!(cache.bytes(), 13);
        // Outside the root: never read.
        assert!(matches!(g.fetch(2), Some(Slot::Missing(_))));
        // Same generation: the text as fetched. A new one sees the edit.
        std::fs::write(root.join("a.md"), "alpha PRISMA\n").unwrap();
        assert_eq!(g.text(0).as_deref(), Some("alpha prisma\n"));
        let g2 = Generation::new(cache.clone(), vec!["a.md".into()]);
        assert_eq!(g2.text(0).as_deref(), Some("alpha PRISMA\n"));
        assert_eq!(cache.bytes(), 13);
        // A deleted file is forgotten.
        std::fs::remove_file(root.join("a.md")).unwrap();
        let g3 = Generation::new(cache.clone(), vec!["a.md".into()]);
        assert!(g3.text(0).is_none());
        assert_eq!(cache.bytes(), 0);
        g.prune();
    }
}
