//! Which tracked paths differ between `HEAD` and the working tree (through
//! the index), found the way `git diff HEAD` finds them: `HEAD`'s tree
//! against the index, then one `lstat` per index entry compared with the
//! stat data the index recorded. Only the entries whose stat data no longer
//! match (or that git would call racily clean) are compared by content, with
//! libgit2's own diff limited to exactly those paths, so filters, racy
//! timestamps and modes are judged as libgit2 judges them.
//!
//! libgit2's full working-tree diff walks every directory and stats every
//! file below the root, tracked or not; at 10,000 documents that walk was
//! two thirds of `findings check --against`. This stats only the index
//! entries the caller asks about, spread over the machine's cores as git's
//! `core.preloadIndex` does, and finds untracked files with one `readdir`
//! per folder of the index (git's ignore rules asked only about what the
//! index does not know), at the same time.

use super::GitError;
use git2::{Index, IndexEntry, Repository, Tree};
use std::collections::{BTreeSet, HashSet};
use std::path::Path;
use std::sync::Mutex;

/// Index entry flags and extended flags, as git's index format defines them.
const ASSUME_VALID: u16 = 0x8000;
const STAGE_MASK: u16 = 0x3000;
const INTENT_TO_ADD: u16 = 1 << 13;
const SKIP_WORKTREE: u16 = 1 << 14;

/// Below this many entries, stat them on this thread (a thread pool costs
/// more than it saves).
const PARALLEL_FROM: usize = 1_000;

/// Entries per parallel task (each task opens the folders it needs).
const CHUNK: usize = 1_024;

/// The index's paths (relative to the work tree, `/`-separated) and the
/// folders holding them, to tell tracked files from untracked ones.
struct Tracked<'a> {
    files: HashSet<&'a [u8]>,
    folders: HashSet<&'a [u8]>,
}

impl<'a> Tracked<'a> {
    fn of(entries: &'a [IndexEntry]) -> Tracked<'a> {
        let files: HashSet<&[u8]> = entries.iter().map(|e| e.path.as_slice()).collect();
        let mut folders: HashSet<&[u8]> = HashSet::new();
        let mut last: &[u8] = b"";
        for e in entries {
            let mut dir = parent(&e.path);
            // Index entries are sorted: most share the previous one's folder.
            if dir == last {
                continue;
            }
            last = dir;
            while !dir.is_empty() && folders.insert(dir) {
                dir = parent(dir);
            }
        }
        Tracked { files, folders }
    }

    /// Whether the index has an entry (at any stage) for `path`.
    fn contains(&self, path: &str) -> bool {
        self.files.contains(path.as_bytes())
    }

    /// Whether the index has an entry below the folder `dir`.
    fn holds_folder(&self, dir: &str) -> bool {
        self.folders.contains(dir.as_bytes())
    }
}

/// The folder part of a `/`-separated path (empty at the top).
fn parent(path: &[u8]) -> &[u8] {
    match path.iter().rposition(|&b| b == b'/') {
        Some(i) => &path[..i],
        None => b"",
    }
}

/// Which untracked files [`changed`] lists: those below `starts` (folders
/// relative to the work tree, `/`-separated; `""` is the whole tree), in
/// folders `enter` accepts, that `keep` accepts and git does not ignore.
pub struct Untracked<'a> {
    /// Folders to list below, relative to the work tree and `/`-separated (`""` is the
    /// whole tree).
    pub starts: &'a [String],
    /// Whether to descend into a folder (given relative to the work tree).
    pub enter: &'a (dyn Fn(&str) -> bool + Sync),
}

/// What [`changed`] found.
#[derive(Debug, Default)]
pub struct Changed {
    /// Tracked paths whose working-tree content (or presence, or mode)
    /// differs from `HEAD`'s, staged or not, conflicted paths included.
    pub paths: BTreeSet<String>,
    /// Untracked files git does not ignore, sorted (see [`Untracked`]).
    pub untracked: Vec<String>,
}

/// The paths `keep` accepts whose working-tree state differs from `head`
/// (`None`: an unborn branch, so every tracked path differs), read through
/// `index`, and the untracked files `untracked` asks for, as `git diff
/// --name-only HEAD` and `git ls-files --others --exclude-standard` list
/// them. Paths are relative to the work tree, `/`-separated; ones that are
/// not UTF-8 are left out (no document has such a name).
///
/// The `lstat`s and the folder walk run on the thread pool while this
/// thread compares `HEAD` with the index.
pub fn changed(
    g: &Repository,
    index: &Index,
    head: Option<&Tree<'_>>,
    keep: &(dyn Fn(&str) -> bool + Sync),
    untracked: Option<Untracked<'_>>,
) -> Result<Changed, GitError> {
    let workdir = g.workdir().ok_or_else(|| GitError::NoWorkTree {
        path: g.path().to_path_buf(),
    })?;
    let index_mtime = index.path().and_then(stat::mtime);
    let entries: Vec<IndexEntry> = index.iter().collect();
    let tracked = Tracked::of(&entries);
    let suspects: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let found: Mutex<Walked> = Mutex::new(Walked::default());
    let look = |chunk: &[IndexEntry]| {
        let mut folders = stat::Folders::new(workdir);
        let mine: Vec<String> = chunk
            .iter()
            .filter_map(|e| {
                let p = std::str::from_utf8(&e.path).ok().filter(|p| keep(p))?;
                (!clean_by_stat(&mut folders, e, p, index_mtime)).then(|| p.to_string())
            })
            .collect();
        if let Ok(mut s) = suspects.lock() {
            s.extend(mine);
        }
    };
    let mut paths = BTreeSet::new();
    let staged = rayon::in_place_scope(|scope| -> Result<git2::Diff<'_>, GitError> {
        if let Some(u) = &untracked {
            let (tracked, found) = (&tracked, &found);
            scope.spawn(move |_| {
                let w = walk(workdir, tracked, u.starts, u.enter, keep);
                if let Ok(mut f) = found.lock() {
                    *f = w;
                }
            });
        }
        if entries.len() >= PARALLEL_FROM {
            for chunk in entries.chunks(CHUNK) {
                let look = &look;
                scope.spawn(move |_| look(chunk));
            }
        } else {
            look(&entries);
        }
        // Meanwhile, HEAD against the index: staged changes (a
        // tree-to-index diff reads no file).
        let mut opts = git2::DiffOptions::new();
        opts.ignore_submodules(true);
        Ok(g.diff_tree_to_index(head, Some(index), Some(&mut opts))?)
    })?;
    for d in staged.deltas() {
        for f in [d.old_file(), d.new_file()] {
            if let Some(p) = f.path().and_then(|p| p.to_str()).filter(|p| keep(p)) {
                paths.insert(p.to_string());
            }
        }
    }
    // A conflicted path differs whatever its content.
    paths.extend(
        entries
            .iter()
            .filter(|e| e.flags & STAGE_MASK != 0)
            .filter_map(|e| std::str::from_utf8(&e.path).ok())
            .filter(|p| keep(p))
            .map(str::to_string),
    );

    // Only the suspects are compared by content, by libgit2, one diff
    // limited to exactly their paths.
    let mut suspects = suspects.into_inner().unwrap_or_default();
    suspects.sort();
    suspects.dedup();
    if !suspects.is_empty() {
        let mut opts = git2::DiffOptions::new();
        opts.ignore_submodules(true).disable_pathspec_match(true);
        for p in &suspects {
            opts.pathspec(p);
        }
        let unstaged = g.diff_index_to_workdir(Some(index), Some(&mut opts))?;
        for d in unstaged.deltas() {
            for f in [d.old_file(), d.new_file()] {
                if let Some(p) = f.path().and_then(|p| p.to_str()).filter(|p| keep(p)) {
                    paths.insert(p.to_string());
                }
            }
        }
    }

    // The untracked files, less the ones git ignores; folders the index
    // does not know are entered only when git does not ignore them.
    let mut out = Vec::new();
    if let Some(u) = &untracked {
        let ignored = |p: &str| g.status_should_ignore(Path::new(p)).unwrap_or(false);
        let mut w = found.into_inner().unwrap_or_default();
        loop {
            out.extend(w.files.into_iter().filter(|p| !ignored(p)));
            let more: Vec<String> = w.folders.into_iter().filter(|d| !ignored(d)).collect();
            if more.is_empty() {
                break;
            }
            w = walk(workdir, &tracked, &more, u.enter, keep);
        }
        out.sort();
    }
    Ok(Changed { paths, untracked: out })
}

/// What a walk of the work tree's folders found.
#[derive(Default)]
struct Walked {
    /// Untracked files `keep` accepts (git's ignore rules not yet asked).
    files: Vec<String>,
    /// Folders holding no tracked file, not entered: git's ignore rules
    /// decide whether they are.
    folders: Vec<String>,
}

/// One `readdir` per folder below `starts` that holds tracked files and
/// that `enter` accepts; links are never followed.
fn walk(
    workdir: &Path,
    tracked: &Tracked<'_>,
    starts: &[String],
    enter: &(dyn Fn(&str) -> bool + Sync),
    keep: &(dyn Fn(&str) -> bool + Sync),
) -> Walked {
    let mut out = Walked::default();
    let mut seen = HashSet::new();
    let mut todo: Vec<String> = starts
        .iter()
        .map(|s| s.trim_matches('/').to_string())
        .filter(|s| s != "." && real_folder(workdir, s))
        .collect();
    while let Some(dir) = todo.pop() {
        if !seen.insert(dir.clone()) {
            continue;
        }
        let Ok(list) = std::fs::read_dir(workdir.join(&dir)) else {
            continue;
        };
        // One buffer for every entry's path: most are tracked files, which
        // need no string of their own.
        let mut rel = String::new();
        for entry in list.flatten() {
            let (Ok(ft), name) = (entry.file_type(), entry.file_name()) else {
                continue;
            };
            let Some(name) = name.to_str() else { continue };
            rel.clear();
            if !dir.is_empty() {
                rel.push_str(&dir);
                rel.push('/');
            }
            rel.push_str(name);
            if ft.is_dir() && enter(&rel) {
                if tracked.holds_folder(&rel) {
                    todo.push(rel.clone());
                } else {
                    out.folders.push(rel.clone());
                }
            } else if ft.is_file() && !tracked.contains(&rel) && keep(&rel) {
                out.files.push(rel.clone());
            }
        }
    }
    out
}

/// Whether every component of `rel` is a folder and none a link, so a
/// walk that starts there stays inside the work tree.
fn real_folder(workdir: &Path, rel: &str) -> bool {
    let mut at = workdir.to_path_buf();
    rel.split('/').filter(|c| !c.is_empty()).all(|c| {
        if c == ".." {
            return false;
        }
        at.push(c);
        std::fs::symlink_metadata(&at).is_ok_and(|m| m.is_dir())
    })
}

/// Whether `e`'s file is certainly as the index recorded it: its stat data
/// match exactly and it is not racily clean (modified in the same second
/// the index was written, when equal stat data prove nothing). Entries git
/// does not look at (assume-unchanged, skip-worktree) are clean, as for git.
fn clean_by_stat(folders: &mut stat::Folders, e: &IndexEntry, rel: &str, index_mtime: Option<(i64, i64)>) -> bool {
    if e.flags & STAGE_MASK != 0 || e.flags_extended & INTENT_TO_ADD != 0 {
        return false;
    }
    if e.flags & ASSUME_VALID != 0 || e.flags_extended & SKIP_WORKTREE != 0 {
        return true;
    }
    let Some(s) = folders.stat(rel) else {
        return false;
    };
    let mtime = (i64::from(e.mtime.seconds()), i64::from(e.mtime.nanoseconds()));
    let ctime = (i64::from(e.ctime.seconds()), i64::from(e.ctime.nanoseconds()));
    // Index fields are 32 bits wide: compared truncated, as git does.
    e.mode == s.mode
        && e.file_size == s.size as u32
        && e.ino == s.ino as u32
        && e.uid == s.uid
        && e.gid == s.gid
        && mtime == s.mtime
        && ctime == s.ctime
        && index_mtime.is_some_and(|im| mtime < im)
}

/// `lstat` of index paths, each relative to its open folder, so the kernel
/// looks up one name per file instead of the whole path (git's
/// `core.preloadIndex` pays the whole path; this is what lets one process
/// keep up with it).
#[cfg(unix)]
mod stat {
    use rustix::fs::{AtFlags, FileType, Mode, OFlags};
    use std::collections::HashMap;
    use std::os::fd::OwnedFd;
    use std::path::Path;

    /// What the index records of a file, as `lstat` gives it.
    pub(crate) struct Stat {
        /// Git's mode: 0o100644, 0o100755 or 0o120000 (0 for anything else).
        pub(crate) mode: u32,
        pub(crate) size: u64,
        pub(crate) ino: u64,
        pub(crate) uid: u32,
        pub(crate) gid: u32,
        pub(crate) mtime: (i64, i64),
        pub(crate) ctime: (i64, i64),
    }

    /// The modification time of `path`, followed (the index file).
    pub(crate) fn mtime(path: &Path) -> Option<(i64, i64)> {
        let s = rustix::fs::stat(path).ok()?;
        Some((s.st_mtime as i64, s.st_mtime_nsec as i64))
    }

    /// Open folders of the work tree, each opened from its parent without
    /// following a symbolic link, so a path through a linked folder is not
    /// stat'ed (git would call it gone; here it goes to the content check).
    pub(crate) struct Folders {
        root: Option<OwnedFd>,
        open: HashMap<String, Option<OwnedFd>>,
    }

    impl Folders {
        pub(crate) fn new(workdir: &Path) -> Folders {
            let root = rustix::fs::open(workdir, flags(), Mode::empty()).ok();
            Folders {
                root,
                open: HashMap::new(),
            }
        }

        /// `lstat` of `rel` (`/`-separated, relative to the work tree).
        pub(crate) fn stat(&mut self, rel: &str) -> Option<Stat> {
            let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
            if !self.open.contains_key(dir) {
                let fd = self.open_dir(dir);
                self.open.insert(dir.to_string(), fd);
            }
            let fd = match dir {
                "" => self.root.as_ref()?,
                _ => self.open.get(dir)?.as_ref()?,
            };
            let s = rustix::fs::statat(fd, name, AtFlags::SYMLINK_NOFOLLOW).ok()?;
            let ft = FileType::from_raw_mode(s.st_mode as _);
            let mode = match ft {
                FileType::Symlink => 0o120000,
                FileType::RegularFile if s.st_mode & 0o100 != 0 => 0o100755,
                FileType::RegularFile => 0o100644,
                _ => 0,
            };
            Some(Stat {
                mode,
                size: s.st_size as u64,
                ino: s.st_ino as u64,
                uid: s.st_uid as u32,
                gid: s.st_gid as u32,
                mtime: (s.st_mtime as i64, s.st_mtime_nsec as i64),
                ctime: (s.st_ctime as i64, s.st_ctime_nsec as i64),
            })
        }

        /// The folder `dir` opened from its parent (`None`: gone, not a
        /// folder, or a link).
        fn open_dir(&mut self, dir: &str) -> Option<OwnedFd> {
            if dir.is_empty() {
                return None;
            }
            let (parent, name) = dir.rsplit_once('/').unwrap_or(("", dir));
            if name.is_empty() || name == "." || name == ".." {
                return None;
            }
            if !parent.is_empty() && !self.open.contains_key(parent) {
                let fd = self.open_dir(parent);
                self.open.insert(parent.to_string(), fd);
            }
            let at = match parent {
                "" => self.root.as_ref()?,
                _ => self.open.get(parent)?.as_ref()?,
            };
            rustix::fs::openat(at, name, flags(), Mode::empty()).ok()
        }
    }

    fn flags() -> OFlags {
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC
    }
}

/// Elsewhere every file is compared by content.
#[cfg(not(unix))]
mod stat {
    use std::path::Path;

    pub(crate) struct Stat {
        pub(crate) mode: u32,
        pub(crate) size: u64,
        pub(crate) ino: u64,
        pub(crate) uid: u32,
        pub(crate) gid: u32,
        pub(crate) mtime: (i64, i64),
        pub(crate) ctime: (i64, i64),
    }

    pub(crate) fn mtime(_: &Path) -> Option<(i64, i64)> {
        None
    }

    pub(crate) struct Folders;

    impl Folders {
        pub(crate) fn new(_: &Path) -> Folders {
            Folders
        }

        pub(crate) fn stat(&mut self, _: &str) -> Option<Stat> {
            None
        }
    }
}

/// Most bytes read from one `git` listing (paths, NUL-separated): far more
/// than any index holds, so only a runaway output is cut (and then this
/// answer is not used).
const LISTING_LIMIT: u64 = 256 << 20;

/// The same answer as [`changed`], asked of the system `git` (`git diff
/// --name-only HEAD` and `git ls-files --others --exclude-standard`, run at
/// the same time): git reads its own index without re-hashing it, and uses
/// what the clone has set up to answer fast (`core.fsmonitor`, the
/// untracked cache, `core.preloadIndex`), so this costs what `git diff`
/// costs. `starts` are the folders (relative to the work tree; empty for
/// all) whose untracked files count. `None` when `git` cannot be run or
/// fails, or the branch is unborn: the caller then uses [`changed`].
pub fn changed_by_git(workdir: &Path, starts: &[String], keep: &(dyn Fn(&str) -> bool + Sync)) -> Option<Changed> {
    let diff = spawn_listing(
        workdir,
        &[
            "diff",
            "--name-only",
            "-z",
            "--no-renames",
            "--no-relative",
            "--no-ext-diff",
            "--ignore-submodules=all",
            "HEAD",
            "--",
        ],
    )?;
    let mut args = vec!["ls-files", "-z", "--others", "--exclude-standard", "--"];
    args.extend(starts.iter().map(String::as_str).filter(|s| !s.is_empty()));
    let others = spawn_listing(workdir, &args);
    // Both are waited for, whichever fails.
    let paths = read_listing(diff, LISTING_LIMIT);
    let untracked = others.and_then(|o| read_listing(o, LISTING_LIMIT));
    let names = |bytes: Vec<u8>| -> Vec<String> {
        bytes
            .split(|b| *b == 0)
            .filter(|p| !p.is_empty())
            .filter_map(|p| std::str::from_utf8(p).ok())
            .filter(|p| keep(p))
            .map(str::to_string)
            .collect()
    };
    let mut untracked = names(untracked?);
    untracked.sort();
    untracked.dedup();
    Some(Changed {
        paths: names(paths?).into_iter().collect(),
        untracked,
    })
}

/// `git --literal-pathspecs ARGS` started in `dir` with its output piped,
/// for [`read_listing`]; paths and folder names given are never read as
/// options or pathspec magic. `None` when git cannot be started.
pub(crate) fn spawn_listing(dir: &Path, args: &[&str]) -> Option<std::process::Child> {
    use std::process::{Command, Stdio};
    Command::new("git")
        .arg("--literal-pathspecs")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()
}

/// The whole output of a listing [`spawn_listing`] started, once it has
/// ended; `None` when git failed or wrote more than `limit` bytes.
pub(crate) fn read_listing(mut child: std::process::Child, limit: u64) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    let read = child
        .stdout
        .take()
        .and_then(|out| out.take(limit + 1).read_to_end(&mut bytes).ok());
    let ok = child.wait().ok()?.success();
    (ok && read.is_some_and(|n| n as u64 <= limit)).then_some(bytes)
}
