//! The persistent document index: what loading learned about each file,
//! kept between runs so that a file that has not changed is not read again.
//!
//! Like git's index, every entry carries the file's `lstat` (size, mtime and
//! ctime with nanoseconds, inode, device, mode) and is used only when the
//! file's `lstat` is the same now. A file whose mtime falls within
//! [`RACY_SECONDS`] of the load that indexed it is "racily clean" (a change
//! in the same clock tick would leave its stat unchanged): its entry also
//! holds a hash of the bytes that were parsed, and is used only when the
//! file still hashes the same.
//!
//! The index lives in the git directory (`.git/findings/index`; a linked
//! worktree's own git directory), else in the platform's cache folder. Its
//! header holds a format version and a key hashing the configuration
//! (`findings.toml`'s folders and workflows) and the program's version, so
//! a changed configuration or parser never reads an old verdict. The whole file is checked by a
//! hash at its end (XXH3-128); it is read through [`super::bounded`] and decoded by
//! [`codec::Reader`], which trusts no length. Each entry is stored behind its
//! length ([`encode`]), so entries split apart without being decoded ([`Raw`]):
//! a load decodes an entry on the core that checks its file, and only when the
//! file is unchanged; a one-document command decodes a document's head (ID,
//! family, title, dependencies) in place, and the rest only of the documents it
//! names. A missing, old, foreign or
//! corrupt index is ignored and rebuilt, never trusted over the files. It
//! is written to a temporary file in the same folder and renamed over the
//! old one, so concurrent processes never see half of one: a lost race
//! costs the loser's update, not correctness.
//!
//! Before its entries the index holds its guards ([`Guard`]): the stat of
//! every folder the walk entered and of the ignore files it obeyed. While
//! they hold, the walk would find the same files, so a one-document
//! command (`super::one`) can answer without walking.
//!
//! About 850 lines before the tests: the index's validation (entries, guards, the racy window),
//! reading and writing share one entry layout, kept together so a change to what is stored changes
//! its reader and writer at once (the byte layout itself is `codec.rs`, the update after findings'
//! own writes `own.rs`).

pub(crate) mod codec;
pub(crate) mod journal;
pub(crate) mod own;

use super::{Discovery, Loaded};
use crate::document::{Meta, Problem};
use crate::workflow::Workflows;
use codec::{Head, Reader, Writer};
use std::hash::Hasher;
use std::path::{Path, PathBuf};

/// Bumped whenever the layout or the meaning of an entry changes, or the
/// way a file is judged: the key does not hold the executable.
const FORMAT: u32 = 3;
const MAGIC: &[u8; 8] = b"FNDINDX\0";
/// An index larger than this is not read (about 400 bytes a document:
/// room for millions).
const MAX_INDEX_BYTES: u64 = 4 << 30;
/// Files modified this close to (or after) the start of a load are hashed.
pub(crate) const RACY_SECONDS: i64 = 2;

/// A file's `lstat`, as the index compares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stat {
    size: u64,
    mtime: (i64, u32),
    ctime: (i64, u32),
    ino: u64,
    dev: u64,
    mode: u32,
}

impl Stat {
    /// The `lstat` of `abs`, `None` when it cannot be read (or off Unix,
    /// where there is no inode or ctime to compare: no index there).
    pub(crate) fn of(abs: &Path) -> Option<Stat> {
        super::counted_stat();
        #[cfg(unix)]
        {
            Self::from(&rustix::fs::lstat(abs).ok()?)
        }
        #[cfg(not(unix))]
        {
            let _ = abs;
            None
        }
    }

    /// The `stat` of `abs`, through symbolic links (a configured folder
    /// may be reached through one that stays inside the repository).
    pub(crate) fn followed(abs: &Path) -> Option<Stat> {
        super::counted_stat();
        #[cfg(unix)]
        {
            Self::from(&rustix::fs::stat(abs).ok()?)
        }
        #[cfg(not(unix))]
        {
            let _ = abs;
            None
        }
    }

    /// Every stat the index compares is made here, from the system's own
    /// record, so that two ways of taking it never disagree.
    #[cfg(unix)]
    #[allow(clippy::unnecessary_cast)] // the field types differ between platforms
    fn from(s: &rustix::fs::Stat) -> Option<Stat> {
        Some(Stat {
            size: u64::try_from(s.st_size).ok()?,
            mtime: (s.st_mtime as i64, u32::try_from(s.st_mtime_nsec).ok()?),
            ctime: (s.st_ctime as i64, u32::try_from(s.st_ctime_nsec).ok()?),
            ino: s.st_ino as u64,
            dev: s.st_dev as u64,
            mode: s.st_mode as u32,
        })
    }

    fn write(&self, w: &mut Writer) {
        w.u64(self.size);
        w.i64(self.mtime.0);
        w.u32(self.mtime.1);
        w.i64(self.ctime.0);
        w.u32(self.ctime.1);
        w.u64(self.ino);
        w.u64(self.dev);
        w.u32(self.mode);
    }

    fn read(r: &mut Reader<'_>) -> Option<Stat> {
        Some(Stat {
            size: r.u64()?,
            mtime: (r.i64()?, r.u32()?),
            ctime: (r.i64()?, r.u32()?),
            ino: r.u64()?,
            dev: r.u64()?,
            mode: r.u32()?,
        })
    }

    /// Whether the file changed so recently that its stat cannot vouch for
    /// its content (see the module documentation).
    fn racy(&self, since: i64) -> bool {
        self.mtime.0 >= since || self.ctime.0 >= since
    }
}

/// `lstat`s of files relative to their open folder: a run of paths in
/// path order (one folder's files together) has each folder looked up
/// once, not once per file. Folders are opened without following a
/// symbolic link in their last part (the walk never enters one); a file
/// whose folder cannot be opened has no stat, and is read again.
pub(crate) struct At<'r> {
    root: &'r Path,
    #[cfg(unix)]
    open: Option<(String, Option<std::os::fd::OwnedFd>)>,
    taken: usize,
}

impl<'r> At<'r> {
    pub(crate) fn new(root: &'r Path) -> At<'r> {
        At {
            root,
            #[cfg(unix)]
            open: None,
            taken: 0,
        }
    }

    /// The `lstat` of `rel` (repository-relative, `/`-separated).
    pub(crate) fn lstat(&mut self, rel: &str) -> Option<Stat> {
        self.taken += 1;
        #[cfg(unix)]
        {
            use rustix::fs::{AtFlags, Mode, OFlags};
            // `memchr`'s vector search: the standard one is slow on paths.
            let (dir, name) = match memchr::memrchr(b'/', rel.as_bytes()) {
                Some(at) => (&rel[..at], &rel[at + 1..]),
                None => ("", rel),
            };
            if self.open.as_ref().is_none_or(|(d, _)| d != dir) {
                let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
                let fd = rustix::fs::open(self.root.join(dir), flags, Mode::empty()).ok();
                self.open = Some((dir.to_string(), fd));
            }
            let fd = self.open.as_ref()?.1.as_ref()?;
            Stat::from(&rustix::fs::statat(fd, name, AtFlags::SYMLINK_NOFOLLOW).ok()?)
        }
        #[cfg(not(unix))]
        {
            let _ = rel;
            None
        }
    }
}

impl Drop for At<'_> {
    fn drop(&mut self) {
        super::counted_stats(self.taken);
    }
}

/// What a [`Guard`] watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum GuardKind {
    /// A folder discovery starts from, its stat taken through links.
    Start,
    /// A folder the walk entered below a start.
    Dir,
    /// An ignore file the walk obeys, or its absence.
    File,
}

/// A path whose unchanged stat vouches that the set of files discovery
/// finds is the one indexed: a folder's stat changes whenever a name in it
/// is added, removed or renamed, and an ignore file's whenever it is
/// edited. A one-document command checks these instead of walking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Guard {
    /// Relative to the root (`""` is the root, `../x` above it).
    pub(crate) path: String,
    pub(crate) kind: GuardKind,
    /// `None`: the path did not exist.
    pub(crate) stat: Option<Stat>,
    /// Changed so close to the load that took it that its stat cannot
    /// vouch for what the folder held (see [`RACY_SECONDS`]).
    pub(crate) racy: bool,
}

impl Guard {
    /// The guard for `path` as it is now, for a load that started at
    /// `racy_since`'s second plus [`RACY_SECONDS`].
    pub(crate) fn take(root: &Path, path: String, kind: GuardKind, racy_since: i64) -> Guard {
        let abs = root.join(&path);
        let stat = match kind {
            GuardKind::Start => Stat::followed(&abs),
            GuardKind::Dir | GuardKind::File => Stat::of(&abs),
        };
        Guard {
            racy: stat.is_some_and(|s| s.racy(racy_since)),
            path,
            kind,
            stat,
        }
    }

    /// Whether the path still has the stat it was taken with, and that
    /// stat can vouch for it.
    pub(crate) fn holds(&self, root: &Path) -> bool {
        !self.racy && Guard::take(root, self.path.clone(), self.kind, i64::MIN).stat == self.stat
    }

    fn write(&self, w: &mut Writer) {
        w.str(&self.path);
        w.u8(match self.kind {
            GuardKind::Start => 0,
            GuardKind::Dir => 1,
            GuardKind::File => 2,
        });
        match &self.stat {
            Some(s) => {
                w.u8(1);
                s.write(w);
            }
            None => w.u8(0),
        }
        w.u8(u8::from(self.racy));
    }

    fn read(r: &mut Reader<'_>) -> Option<Guard> {
        let path = r.str()?.to_string();
        let kind = match r.u8()? {
            0 => GuardKind::Start,
            1 => GuardKind::Dir,
            2 => GuardKind::File,
            _ => return None,
        };
        let stat = match r.u8()? {
            0 => None,
            1 => Some(Stat::read(r)?),
            _ => return None,
        };
        let racy = match r.u8()? {
            0 => false,
            1 => true,
            _ => return None,
        };
        Some(Guard { path, kind, stat, racy })
    }
}

/// Guards of a walk taken racy whose stat is the one the last index
/// vouched for (not racy: a findings write recorded it, [`own`]) keep
/// that vouching: nothing changed since, and a load that writes the index
/// again does not undo what the write kept current.
pub(crate) fn keep_vouched(now: &mut [Guard], before: &[Guard]) {
    let vouched: std::collections::HashMap<(&str, GuardKind), &Guard> = before
        .iter()
        .filter(|g| !g.racy && g.stat.is_some())
        .map(|g| ((g.path.as_str(), g.kind), g))
        .collect();
    for g in now.iter_mut().filter(|g| g.racy) {
        if vouched
            .get(&(g.path.as_str(), g.kind))
            .is_some_and(|v| v.stat == g.stat)
        {
            g.racy = false;
        }
    }
}

/// The guards of one walk, gathered as it goes.
pub(crate) struct Guards<'a> {
    root: &'a Path,
    anywhere: bool,
    racy_since: i64,
    pub(crate) list: Vec<Guard>,
}

impl<'a> Guards<'a> {
    /// Taken before the walk starts: the folders it starts from and, in
    /// default discovery, the ignore files it obeys outside any folder it
    /// enters (above the root, the root's own, git's exclude file).
    pub(crate) fn new(root: &'a Path, config: &super::Config, racy_since: i64) -> Guards<'a> {
        let mut g = Guards {
            root,
            anywhere: config.folders.is_none(),
            racy_since,
            list: Vec::new(),
        };
        let take = |path: String, kind| Guard::take(root, path, kind, racy_since);
        match &config.folders {
            Some(folders) => {
                for f in folders {
                    let rel = Path::new(f);
                    if rel.is_absolute() || rel.components().any(|c| matches!(c, std::path::Component::ParentDir)) {
                        continue;
                    }
                    g.list
                        .push(take(super::relative(root, &root.join(rel)), GuardKind::Start));
                }
            }
            None => {
                g.list.push(take(String::new(), GuardKind::Start));
                let mut up = String::new();
                for _ in root.ancestors().skip(1) {
                    up.push_str("../");
                    for name in [".gitignore", ".ignore"] {
                        g.list.push(take(format!("{up}{name}"), GuardKind::File));
                    }
                }
                for name in [".gitignore", ".ignore", ".git/info/exclude"] {
                    g.list.push(take(name.to_string(), GuardKind::File));
                }
                // A linked worktree's exclude file is in the common git
                // directory: nothing here vouches for it.
                if !root.join(".git").is_dir() {
                    let mut never = take(".git".into(), GuardKind::File);
                    never.racy = true;
                    g.list.push(never);
                }
            }
        }
        g
    }

    /// A folder the walk is about to read (below a start).
    pub(crate) fn dir(&mut self, abs: &Path) {
        let rel = super::relative(self.root, abs);
        if self.anywhere {
            for name in [".gitignore", ".ignore"] {
                let g = Guard::take(self.root, format!("{rel}/{name}"), GuardKind::File, self.racy_since);
                // Its absence is vouched for by the folder's own stat.
                if g.stat.is_some() {
                    self.list.push(g);
                }
            }
        }
        self.list
            .push(Guard::take(self.root, rel, GuardKind::Dir, self.racy_since));
    }
}

/// What the index remembers of one file.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) stat: Stat,
    /// The hash of the bytes that were parsed, for a racily clean file.
    pub(crate) hash: Option<u128>,
    pub(crate) verdict: Loaded,
}

/// One candidate file after loading: its verdict, and what the next index
/// keeps of it (`stat: None`: nothing, it is read again next time).
#[derive(Debug)]
pub(crate) struct Record {
    pub(crate) stat: Option<Stat>,
    pub(crate) hash: Option<u128>,
    pub(crate) loaded: Loaded,
    /// The next index differs from the last one for this file: it was
    /// parsed, or its hash is no longer needed.
    pub(crate) changed: bool,
}

/// The index's checksum and a racily clean file's content hash: XXH3,
/// 128 bits (a fixed algorithm: indexes written by one build are read by
/// the next).
fn hash128(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// An earlier verdict on a file, with the stat and hash it was given
/// for: an entry decoded, or one still encoded ([`Raw`]).
pub(crate) trait Old {
    /// The stat and hash it was given for; `None` when they do not decode.
    fn stat_hash(&self) -> Option<(Stat, Option<u128>)>;
    /// The verdict itself; `None` when it does not decode.
    fn verdict(self) -> Option<Loaded>;
}

impl Old for Entry {
    fn stat_hash(&self) -> Option<(Stat, Option<u128>)> {
        Some((self.stat, self.hash))
    }
    fn verdict(self) -> Option<Loaded> {
        Some(self.verdict)
    }
}

/// Load one candidate, from `old` when the file is unchanged since it was
/// indexed; `racy_since` is the second from which a file's stat cannot
/// vouch for its content.
#[cfg(test)]
pub(crate) fn load_one(
    root: &Path,
    rel: &str,
    old: Option<Entry>,
    workflows: &Workflows,
    mode: Discovery,
    racy_since: i64,
) -> Record {
    let stat = Stat::of(&root.join(rel));
    load_known(root, rel, old, stat, workflows, mode, racy_since)
}

/// [`load_one`] for a file whose `lstat` was just taken (`None`: it has
/// none).
pub(crate) fn load_known(
    root: &Path,
    rel: &str,
    old: Option<impl Old>,
    stat: Option<Stat>,
    workflows: &Workflows,
    mode: Discovery,
    racy_since: i64,
) -> Record {
    if let Some((old, (was_stat, was))) = old.and_then(|o| o.stat_hash().map(|sh| (o, sh))) {
        if let Some(hash) = holds(root, rel, was_stat, was, stat, racy_since) {
            if let Some(loaded) = old.verdict() {
                return Record {
                    stat,
                    hash,
                    loaded,
                    changed: hash != was,
                };
            }
        }
    }
    fresh(root, rel, stat, workflows, mode, racy_since)
}

/// Whether what was indexed of the file at `rel` (its stat then, and the
/// hash of its bytes if it was racily clean) still holds now that its
/// stat is `stat`: `Some(the hash to keep)` when it does. Checked against
/// its hash once the clock has moved past it, the stat alone vouches for
/// the file from then on.
pub(crate) fn holds(
    root: &Path,
    rel: &str,
    was: Stat,
    hash: Option<u128>,
    stat: Option<Stat>,
    racy_since: i64,
) -> Option<Option<u128>> {
    if stat != Some(was) {
        return None;
    }
    if let Some(h) = hash {
        super::counted_read();
        let same = super::bounded::read(&root.join(rel), crate::document::MAX_FILE_BYTES as u64)
            .is_ok_and(|bytes| hash128(&bytes) == h);
        if !same {
            return None;
        }
    }
    Some(hash.filter(|_| was.racy(racy_since)))
}

/// Read and judge one candidate whose `lstat` is `stat`, with nothing
/// earlier to go by.
pub(crate) fn fresh(
    root: &Path,
    rel: &str,
    stat: Option<Stat>,
    workflows: &Workflows,
    mode: Discovery,
    racy_since: i64,
) -> Record {
    let Some(st) = stat.filter(|s| s.racy(racy_since)) else {
        return Record {
            stat,
            hash: None,
            loaded: super::load_candidate(root, rel, workflows, mode),
            changed: true,
        };
    };
    // Racily clean: parse exactly the bytes that are hashed.
    super::counted_read();
    match super::bounded::read(&root.join(rel), crate::document::MAX_FILE_BYTES as u64) {
        Ok(bytes) => Record {
            stat: Some(st),
            hash: Some(hash128(&bytes)),
            loaded: super::judge_bytes(rel, bytes, workflows, mode),
            changed: true,
        },
        Err(_) => Record {
            stat: None,
            hash: None,
            loaded: super::load_candidate(root, rel, workflows, mode),
            changed: true,
        },
    }
}

/// Where the index of the repository at `root` lives: the git directory
/// (following a linked worktree's `.git` file), else the platform's cache
/// folder; `None` when there is neither.
pub(crate) fn location(root: &Path) -> Option<PathBuf> {
    let dot = root.join(".git");
    let md = std::fs::symlink_metadata(&dot).ok();
    if md.as_ref().is_some_and(|m| m.is_dir()) {
        return Some(dot.join("findings").join("index"));
    }
    if md.as_ref().is_some_and(|m| m.is_file()) {
        let text = super::bounded::read(&dot, 4096).ok()?;
        let text = String::from_utf8(text).ok()?;
        let dir = text.lines().find_map(|l| l.strip_prefix("gitdir:"))?.trim();
        let dir = root.join(dir);
        return dir.is_dir().then(|| dir.join("findings").join("index"));
    }
    let mut h = siphasher::sip128::SipHasher13::new();
    h.write(root.as_os_str().as_encoded_bytes());
    let name = format!("{:032x}", siphasher::sip128::Hasher128::finish128(&h).as_u128());
    Some(dirs::cache_dir()?.join("findings").join("index").join(name))
}

/// What an index must have been written for to be used: the format, the
/// program's version and what loading reads of the configuration (the
/// folders and the workflows). Not the executable: two builds of one
/// version share the index instead of rebuilding each other's, so
/// [`FORMAT`] changes whenever what is stored or how a file is judged
/// changes.
pub(crate) fn key(config: &super::Config) -> u128 {
    let mut h = siphasher::sip128::SipHasher13::new();
    h.write_u32(FORMAT);
    h.write(env!("CARGO_PKG_VERSION").as_bytes());
    h.write_u8(0);
    h.write(format!("{:?}\0{:?}", config.folders, config.workflow).as_bytes());
    siphasher::sip128::Hasher128::finish128(&h).as_u128()
}

/// A previous index, checked whole by its hash, its header and guards
/// read, and its entries (in path order) left in the file until they are
/// asked for: a load copies each out as the walk reaches its file, through
/// a window of about a megabyte, and decodes it on the core that checks
/// the file, so neither the index's bytes (about 280 a document) nor its
/// decoded entries are held at once.
#[derive(Debug, Default)]
pub(crate) struct Previous {
    source: Option<Source>,
    /// How many entries it holds.
    n: usize,
    /// What vouches that the walk would find the same files
    /// (empty: nothing does), the journal's applied.
    pub(crate) guards: Vec<Guard>,
    /// The index file as it was read: its `lstat` and checksum.
    pub(crate) base: Option<(Stat, u128)>,
    /// Findings' own writes since the index was written ([`journal`]).
    pub(crate) journal: Option<journal::Journal>,
}

/// How much of the index is read at a time.
const WINDOW: usize = 1 << 20;

/// The index file, open, read through a window.
#[derive(Debug)]
struct Source {
    file: std::fs::File,
    /// Where the entries start, and where they end (the hash follows).
    start: u64,
    end: u64,
    buf: Vec<u8>,
    /// What of `buf` is decoded.
    pos: usize,
    /// The file offset `buf` continues from.
    next: u64,
}

impl Source {
    fn seek(&mut self, at: u64) -> Option<()> {
        use std::io::Seek;
        self.file.seek(std::io::SeekFrom::Start(at)).ok()?;
        self.next = at;
        self.buf.clear();
        self.pos = 0;
        Some(())
    }

    /// Read more of the file into the window, keeping what is not decoded
    /// yet (the window grows for a value larger than it); `false` at the
    /// end.
    fn more(&mut self) -> bool {
        use std::io::Read;
        if self.next >= self.end {
            return false;
        }
        self.buf.drain(..self.pos);
        self.pos = 0;
        let want = (WINDOW.max(self.buf.len()) as u64).min(self.end - self.next) as usize;
        let old = self.buf.len();
        self.buf.resize(old + want, 0);
        if self.file.read_exact(&mut self.buf[old..]).is_err() {
            self.buf.truncate(old);
            self.next = self.end;
            return false;
        }
        self.next += want as u64;
        true
    }

    /// Decode one value with `f`, reading more of the file while the
    /// window holds too little of it; `None` when the file ends first.
    fn parse<T>(&mut self, f: impl Fn(&mut Reader<'_>) -> Option<T>) -> Option<T> {
        loop {
            let mut r = Reader::new(&self.buf[self.pos..]);
            if let Some(v) = f(&mut r) {
                self.pos = self.buf.len() - r.left();
                return Some(v);
            }
            if !self.more() {
                return None;
            }
        }
    }

    /// Everything up to the hash decoded.
    fn at_end(&self) -> bool {
        self.next >= self.end && self.pos == self.buf.len()
    }
}

impl Previous {
    /// The index at `path` if it was written for `key` and its hash,
    /// header and guards hold; empty otherwise.
    pub(crate) fn read(path: &Path, key: u128) -> Previous {
        open(path, key).unwrap_or_default()
    }

    /// How many entries it holds, counting those its journal writes
    /// again (0: there is no usable index).
    pub(crate) fn len(&self) -> usize {
        self.n + self.journal.as_ref().map_or(0, journal::Journal::len)
    }

    /// Whether findings' own writes are journaled over it: the next full
    /// load writes a new index holding them.
    pub(crate) fn journaled(&self) -> bool {
        self.journal.as_ref().is_some_and(|j| j.len() > 0)
    }

    /// Every entry, decoded (on every core); `None` when one does not
    /// decode.
    pub(crate) fn entries(&mut self) -> Option<Vec<(String, Entry)>> {
        use rayon::prelude::*;
        self.stored()?
            .par_iter()
            .map(|s| {
                let raw = s.raw()?;
                Some((raw.path.to_string(), raw.entry()?))
            })
            .collect()
    }

    /// Every entry's bytes, in path order; `None` when they do not split
    /// into the count the header gives, in strictly rising path order.
    fn stored(&mut self) -> Option<Vec<Stored>> {
        let src = self.source.as_mut()?;
        src.seek(src.start)?;
        let mut out: Vec<Stored> = Vec::with_capacity(self.n.min(1 << 16));
        for _ in 0..self.n {
            let last = out.last().and_then(Stored::raw).map(|r| r.path);
            let s = src.parse(|r| {
                let body = r.bytes()?;
                let raw = Raw::of(body)?;
                if last.is_some_and(|l| l >= raw.path) {
                    return None;
                }
                Some(Stored(body.into()))
            })?;
            out.push(s);
        }
        if !src.at_end() {
            return None;
        }
        match &self.journal {
            Some(j) if j.len() > 0 => Some(journal::merge(out, j.overlay(), Stored::path)),
            _ => Some(out),
        }
    }

    /// The documents it lists, unchecked against the files: what to show
    /// while the check runs.
    pub(crate) fn documents(&mut self) -> Vec<Meta> {
        self.entries()
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(_, e)| match e.verdict {
                Loaded::Document(m) => Some(m),
                _ => None,
            })
            .collect()
    }

    /// Each of `files` (sorted) with its entry, if any, each entry decoded
    /// as the files reach it (an entry that does not decode ends the
    /// matching: the files after it are read again).
    #[cfg(test)]
    pub(crate) fn take(&mut self, files: Vec<String>) -> impl Iterator<Item = (String, Option<Entry>)> {
        self.take_stored(files)
            .map(|(f, s)| (f, s.and_then(|s| s.raw().and_then(|r| r.entry()))))
    }

    /// Each of `files` (sorted) with its entry, if any, still encoded (see
    /// [`Stored`]), findings' own writes since the index was written
    /// ([`journal`]) over it.
    pub(crate) fn take_stored(&mut self, files: Vec<String>) -> impl Iterator<Item = (String, Option<Stored>)> {
        let mut journaled = self.journal.as_ref().map(journal::Journal::overlay).unwrap_or_default();
        self.take_base(files).map(move |(f, e)| match journaled.remove(&f) {
            Some(j) => (f, j),
            None => (f, e),
        })
    }

    /// [`Previous::take_stored`] from the index file alone: copied out of
    /// the window as the files reach it, decoded by whoever checks the
    /// file. An entry that does not split from the next ends the matching:
    /// the files after it are read again.
    fn take_base(&mut self, files: Vec<String>) -> impl Iterator<Item = (String, Option<Stored>)> {
        let mut src = self.source.take().and_then(|mut s| s.seek(s.start).map(|_| s));
        let mut left = self.n;
        // The path of the entry before, kept in one buffer.
        let mut last: Option<String> = None;
        let mut head: Option<Stored> = None;
        files.into_iter().map(move |f| loop {
            if head.is_none() && left > 0 {
                head = src.as_mut().and_then(|s| {
                    s.parse(|r| {
                        let body = r.bytes()?;
                        let raw = Raw::of(body)?;
                        if last.as_deref().is_some_and(|l| l >= raw.path) {
                            return None;
                        }
                        Some(Stored(body.into()))
                    })
                });
                match head.as_ref().and_then(Stored::raw) {
                    Some(raw) => {
                        let l = last.get_or_insert_with(String::new);
                        l.clear();
                        l.push_str(raw.path);
                        left -= 1;
                    }
                    None => {
                        head = None;
                        src = None;
                        left = 0;
                    }
                }
            }
            match head.as_ref().and_then(Stored::raw).map(|raw| raw.path.cmp(f.as_str())) {
                Some(std::cmp::Ordering::Less) => head = None,
                Some(std::cmp::Ordering::Equal) => return (f, head.take()),
                _ => return (f, None),
            }
        })
    }
}

/// One entry of an index, split from the next by its length: its path
/// read, its stat, hash and verdict checked but left encoded until they are
/// asked for ([`Raw::stat_hash`], [`Raw::entry`], [`Raw::head`]), so that
/// splitting 100k entries writes 32 bytes for each, not every field. Its
/// layout is [`encode`]'s, the one way an entry is written.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Raw<'a> {
    pub(crate) path: &'a str,
    /// What follows the path: the stat, the hash, the verdict.
    rest: &'a [u8],
}

impl<'a> Raw<'a> {
    /// The next entry of `r` (its length, then its bytes).
    pub(crate) fn next(r: &mut Reader<'a>) -> Option<Raw<'a>> {
        Raw::of(r.bytes()?)
    }

    /// The entry whose bytes (without their length) are `body`; `None`
    /// when its path, stat or hash do not decode.
    pub(crate) fn of(body: &'a [u8]) -> Option<Raw<'a>> {
        let mut r = Reader::new(body);
        let path = r.str()?;
        let raw = Raw { path, rest: r.rest() };
        raw.parts()?;
        Some(raw)
    }

    /// Its stat, its hash and its verdict's bytes.
    fn parts(&self) -> Option<(Stat, Option<u128>, &'a [u8])> {
        let mut r = Reader::new(self.rest);
        let stat = Stat::read(&mut r)?;
        let hash = match r.u8()? {
            0 => None,
            1 => Some(u128::from_le_bytes(r.take(16)?.try_into().ok()?)),
            _ => return None,
        };
        Some((stat, hash, r.rest()))
    }

    /// The stat and hash the entry was indexed with (`None` only for an
    /// entry [`Raw::of`] refused).
    pub(crate) fn stat_hash(&self) -> Option<(Stat, Option<u128>)> {
        self.parts().map(|(stat, hash, _)| (stat, hash))
    }

    fn verdict(&self) -> &'a [u8] {
        self.parts().map_or(&[], |(_, _, v)| v)
    }

    /// Whether the file was indexed as a document.
    pub(crate) fn is_document(&self) -> bool {
        self.verdict().first() == Some(&0)
    }

    /// A document's head: its ID, family, title and dependencies, decoded
    /// without the rest; `None` for another verdict or one that does not
    /// decode.
    pub(crate) fn head(&self) -> Option<Head<'a>> {
        let mut r = Reader::new(self.verdict());
        (r.u8()? == 0).then_some(())?;
        r.head()
    }

    /// The entry, decoded whole; `None` when its bytes do not hold
    /// exactly one verdict.
    pub(crate) fn entry(&self) -> Option<Entry> {
        let (stat, hash, verdict) = self.parts()?;
        let mut r = Reader::new(verdict);
        let verdict = match r.u8()? {
            0 => Loaded::Document(r.meta(self.path)?),
            1 => Loaded::Failed(r.problem()?),
            2 => Loaded::Skipped(codec::intern(r.str()?)?),
            _ => return None,
        };
        (r.left() == 0).then_some(Entry { stat, hash, verdict })
    }
}

impl Old for Raw<'_> {
    fn stat_hash(&self) -> Option<(Stat, Option<u128>)> {
        Raw::stat_hash(self)
    }
    fn verdict(self) -> Option<Loaded> {
        self.entry().map(|e| e.verdict)
    }
}

/// An entry's bytes copied out of the index's window, decoded later (on
/// whichever core checks its file).
#[derive(Debug)]
pub(crate) struct Stored(Box<[u8]>);

impl Stored {
    /// Its path (empty when it does not split, which [`Previous::stored`]
    /// and the journal have already refused).
    fn path(&self) -> &str {
        self.raw().map_or("", |r| r.path)
    }

    /// The entry, split into its parts.
    pub(crate) fn raw(&self) -> Option<Raw<'_>> {
        Raw::of(&self.0)
    }
}

/// Append one entry to an index being written: its path, stat, hash and
/// verdict, behind its length. The one way an entry is encoded (a journal
/// of entries beside the index would write them with this too), read
/// back by [`Raw::next`] and [`Raw::entry`]; `scratch` is reused between
/// entries.
pub(crate) fn encode(w: &mut Writer, scratch: &mut Writer, row: &Row<'_>) {
    scratch.buf.clear();
    scratch.str(row.path);
    row.stat.write(scratch);
    match row.hash {
        Some(h) => {
            scratch.u8(1);
            scratch.buf.extend_from_slice(&h.to_le_bytes());
        }
        None => scratch.u8(0),
    }
    match row.verdict {
        RowVerdict::Document(m) => {
            scratch.u8(0);
            scratch.meta(m);
        }
        RowVerdict::Failed(p) => {
            scratch.u8(1);
            scratch.problem(p);
        }
        RowVerdict::Skipped(why) => {
            scratch.u8(2);
            scratch.str(why);
        }
    }
    w.bytes(&scratch.buf);
}

/// The header's fixed part: the magic bytes, the format and the key.
const HEADER: usize = 28;

/// Whether `head` (the first [`HEADER`] bytes) is an index of this
/// format written for `key`.
fn header_is(head: &[u8], key: u128) -> bool {
    head.len() == HEADER
        && head[..8] == MAGIC[..]
        && head[8..12] == FORMAT.to_le_bytes()
        && head[12..28] == key.to_le_bytes()
}

/// The guards and the number of entries, which follow the header.
fn guards_and_count(r: &mut Reader<'_>) -> Option<(Vec<Guard>, usize)> {
    let g = r.var()?;
    let mut guards = Vec::with_capacity(usize::try_from(g).ok()?.min(r.left() / 8));
    for _ in 0..g {
        guards.push(Guard::read(r)?);
    }
    let n = usize::try_from(r.u64()?).ok()?;
    Some((guards, n))
}

/// Open the index at `path`: check its hash (reading it once, a window at
/// a time), its header and its guards; its entries are decoded later.
fn open(path: &Path, key: u128) -> Option<Previous> {
    use std::io::Read;
    let (mut file, len) = super::bounded::open_checked(path, MAX_INDEX_BYTES).ok()?;
    // Replaced by a rename, never written in place: this stat is the
    // content read.
    let stat = Stat::from(&rustix::fs::fstat(&file).ok()?)?;
    let end = len.checked_sub(16)?;
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    let mut chunk = vec![0u8; WINDOW.min(usize::try_from(end).ok()?)];
    let mut left = end;
    while left > 0 {
        let k = usize::try_from(left).ok()?.min(chunk.len());
        file.read_exact(&mut chunk[..k]).ok()?;
        h.update(&chunk[..k]);
        left -= k as u64;
    }
    let mut sum = [0u8; 16];
    file.read_exact(&mut sum).ok()?;
    let sum = u128::from_le_bytes(sum);
    if sum != h.digest128() {
        return None;
    }
    drop(chunk);
    let mut src = Source {
        file,
        start: 0,
        end,
        buf: Vec::new(),
        pos: 0,
        next: 0,
    };
    src.seek(0)?;
    let head = src.parse(|r| r.take(HEADER).map(<[u8]>::to_vec))?;
    if !header_is(&head, key) {
        return None;
    }
    let (mut guards, n) = src.parse(guards_and_count)?;
    src.start = src.next - (src.buf.len() - src.pos) as u64;
    let journal = journal::read_over(path, key, sum, &mut guards);
    Some(Previous {
        source: Some(src),
        n,
        guards,
        base: Some((stat, sum)),
        journal,
    })
}

/// The `len` bytes of the open index file `file` (all of it: an index is
/// replaced by a rename, never written in place), a large one read in two
/// halves on both cores: copying 28 MB out of the page cache into memory
/// touched for the first time is most of what reading the index of 100k
/// documents costs. `None` when the file holds fewer.
fn read_all(file: &std::fs::File, len: u64) -> Option<Vec<u8>> {
    use std::os::unix::fs::FileExt;
    let len = usize::try_from(len).ok()?;
    let mut bytes = vec![0u8; len];
    let half = if len >= WINDOW { len / 2 } else { len };
    let (a, b) = bytes.split_at_mut(half);
    let (first, second) = rayon::join(|| file.read_exact_at(a, 0), || file.read_exact_at(b, half as u64));
    (first.is_ok() && second.is_ok()).then_some(bytes)
}

/// An index read whole into memory, checked by its hash, its header and
/// guards read; its entries are split ([`Whole::raws`]) and each decoded
/// only as far as a command needs. What a one-document command reads.
#[derive(Debug)]
pub(crate) struct Whole {
    bytes: Vec<u8>,
    /// Where the entries start, and how many there are.
    start: usize,
    n: usize,
    /// What vouches that the walk would find the same files
    /// (empty: nothing does), the journal's applied.
    pub(crate) guards: Vec<Guard>,
    /// The index file as it was read: its `lstat` and checksum.
    pub(crate) base: (Stat, u128),
    /// Findings' own writes since the index was written ([`journal`]).
    journal: Option<journal::Journal>,
    /// The journal's entries by path (`None`: removed), over the file's.
    overlay: std::collections::BTreeMap<String, Option<Stored>>,
}

impl Whole {
    /// The index at `path` if it was written for `key` and its hash,
    /// header and guards hold, with its journal over it.
    pub(crate) fn read(path: &Path, key: u128) -> Option<Whole> {
        let (file, len) = super::bounded::open_checked(path, MAX_INDEX_BYTES).ok()?;
        // Replaced by a rename, never written in place: this stat is the
        // content read.
        let stat = Stat::from(&rustix::fs::fstat(&file).ok()?)?;
        let bytes = read_all(&file, len)?;
        let end = bytes.len().checked_sub(16)?;
        let (body, sum) = bytes.split_at(end);
        let sum = u128::from_le_bytes(sum.try_into().ok()?);
        if sum != hash128(body) {
            return None;
        }
        let mut r = Reader::new(body);
        if !header_is(r.take(HEADER)?, key) {
            return None;
        }
        let (mut guards, n) = guards_and_count(&mut r)?;
        let start = end - r.left();
        let journal = journal::read_over(path, key, sum, &mut guards);
        let overlay = journal.as_ref().map(journal::Journal::overlay).unwrap_or_default();
        Some(Whole {
            bytes,
            start,
            n,
            guards,
            base: (stat, sum),
            journal,
            overlay,
        })
    }

    /// Where its journal's records end (`None`: it has none).
    pub(crate) fn journal_mark(&self) -> Option<journal::Mark> {
        self.journal.as_ref().map(journal::Journal::mark)
    }

    /// Every entry, split in path order; `None` when they do not split
    /// into exactly the count the header gives, in strictly rising path
    /// order.
    pub(crate) fn raws(&self) -> Option<Vec<Raw<'_>>> {
        let end = self.bytes.len().checked_sub(16)?;
        let mut r = Reader::new(self.bytes.get(self.start..end)?);
        let mut out: Vec<Raw<'_>> = Vec::with_capacity(self.n.min(r.left() / 8));
        for _ in 0..self.n {
            let raw = Raw::next(&mut r)?;
            if out.last().is_some_and(|l| l.path >= raw.path) {
                return None;
            }
            out.push(raw);
        }
        if r.left() != 0 {
            return None;
        }
        if self.overlay.is_empty() {
            return Some(out);
        }
        let overlay = self
            .overlay
            .iter()
            .map(|(p, s)| {
                let raw = match s {
                    Some(s) => Some(s.raw()?),
                    None => None,
                };
                Some((p.clone(), raw))
            })
            .collect::<Option<_>>()?;
        Some(journal::merge(out, overlay, |r| r.path))
    }
}

/// Every entry of an index's bytes, or `None` when any part does not
/// decode.
#[cfg(test)]
fn decode(bytes: &[u8], key: u128) -> Option<Vec<(String, Entry)>> {
    let dir = tempfile::tempdir().ok()?;
    let path = dir.path().join("index");
    std::fs::write(&path, bytes).ok()?;
    let whole = Whole::read(&path, key)?
        .raws()?
        .iter()
        .map(|r| Some((r.path.to_string(), r.entry()?)))
        .collect::<Option<Vec<_>>>()?;
    let windowed = open(&path, key)?.entries()?;
    (whole.len() == windowed.len()).then_some(windowed)
}

/// One file of a new index: its path, stat and hash, and its verdict
/// (a document's metadata is passed separately, in path order).
pub(crate) struct Row<'a> {
    pub(crate) path: &'a str,
    pub(crate) stat: Stat,
    pub(crate) hash: Option<u128>,
    pub(crate) verdict: RowVerdict<'a>,
}

/// A [`Row`]'s verdict.
pub(crate) enum RowVerdict<'a> {
    Document(&'a Meta),
    Failed(&'a Problem),
    Skipped(&'static str),
}

/// Write the index for `key` at `path` (rows in path order, then the
/// guards of the walk that found them): to a temporary file beside it,
/// then renamed over it. Failing to write costs only the next run's
/// speed, so errors are returned for the caller to ignore. Returns the
/// file's `lstat` once in place and its checksum.
pub(crate) fn write<'a>(
    path: &Path,
    key: u128,
    rows: impl Iterator<Item = Row<'a>>,
    guards: &[Guard],
) -> std::io::Result<(Stat, u128)> {
    let mut w = Writer::default();
    w.buf.extend_from_slice(MAGIC);
    w.u32(FORMAT);
    w.buf.extend_from_slice(&key.to_le_bytes());
    w.var(guards.len() as u64);
    for g in guards {
        g.write(&mut w);
    }
    let count_at = w.buf.len();
    w.u64(0);
    let mut n = 0u64;
    let mut scratch = Writer::default();
    for row in rows {
        encode(&mut w, &mut scratch, &row);
        n += 1;
    }
    w.buf[count_at..count_at + 8].copy_from_slice(&n.to_le_bytes());
    let sum = hash128(&w.buf);
    w.buf.extend_from_slice(&sum.to_le_bytes());
    let dir = path.parent().ok_or_else(|| std::io::Error::other("no folder"))?;
    std::fs::create_dir_all(dir)?;
    remove_stale_temporaries(dir);
    let mut tmp = tempfile::Builder::new().prefix(".index-").tempfile_in(dir)?;
    std::io::Write::write_all(&mut tmp, &w.buf)?;
    let file = tmp.persist(path).map_err(|e| e.error)?;
    // The file's own stat after the rename (which changes its ctime).
    let stat = Stat::from(&rustix::fs::fstat(&file)?).ok_or_else(|| std::io::Error::other("no stat"))?;
    Ok((stat, sum))
}

/// How old a temporary index file must be to count as left by a writer
/// that was killed: a live writer renames its file within seconds.
const STALE_TEMPORARY: std::time::Duration = std::time::Duration::from_secs(60);

/// Remove the temporary files (`.index-*`) that killed writers left in
/// `dir`, those older than [`STALE_TEMPORARY`]; a younger one may be
/// another process's write in progress. Failures are ignored: the next
/// write tries again.
fn remove_stale_temporaries(dir: &Path) {
    let Ok(list) = std::fs::read_dir(dir) else {
        return;
    };
    let now = std::time::SystemTime::now();
    for e in list.flatten() {
        if !e.file_name().to_str().is_some_and(|n| n.starts_with(".index-")) {
            continue;
        }
        // The entry's own type: a link or a folder is not ours.
        let Ok(md) = e.metadata() else {
            continue;
        };
        let age = md.modified().ok().and_then(|m| now.duration_since(m).ok());
        if md.is_file() && age.is_some_and(|a| a > STALE_TEMPORARY) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// The second from which files count as racily clean for a load starting
/// now.
pub(crate) fn racy_since() -> i64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(i64::MAX);
    now.saturating_sub(RACY_SECONDS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(path: &str) -> Meta {
        crate::document::Document::parse(path, "---\nstatus: pending\n---\n# T\n".into()).meta
    }

    fn stat() -> Stat {
        Stat {
            size: 1,
            mtime: (2, 3),
            ctime: (4, 5),
            ino: 6,
            dev: 7,
            mode: 0o100644,
        }
    }

    #[test]
    fn an_entry_is_used_only_for_the_same_stat_and_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let rel = "todos/001-pending-p2-x.md";
        std::fs::create_dir_all(dir.path().join("todos")).unwrap();
        let write = |title: &str| {
            std::fs::write(dir.path().join(rel), format!("---\nstatus: pending\n---\n# {title}\n")).unwrap()
        };
        write("Alpha");
        let (wf, mode) = (Workflows::builtin(), Discovery::Configured);
        let load = |old| load_one(dir.path(), rel, old, wf, mode, racy_since());
        let entry = |r: Record| {
            Some(Entry {
                stat: r.stat.unwrap(),
                hash: r.hash,
                verdict: r.loaded,
            })
        };
        let title = |r: &Record| match &r.loaded {
            Loaded::Document(m) => m.title.clone(),
            other => panic!("{other:?}"),
        };
        let first = load(None);
        assert!(
            first.changed && first.hash.is_some(),
            "just written: racily clean, hashed"
        );
        let again = load(entry(first));
        assert!(!again.changed, "same stat, same bytes: used as is");
        assert_eq!(title(&again), "Alpha");
        // Same size, same mtime: the hash tells.
        let mtime = std::fs::metadata(dir.path().join(rel)).unwrap().modified().unwrap();
        write("Omega");
        std::fs::File::options()
            .write(true)
            .open(dir.path().join(rel))
            .unwrap()
            .set_modified(mtime)
            .unwrap();
        let mut stale = entry(again).unwrap();
        stale.stat = Stat::of(&dir.path().join(rel)).unwrap();
        let seen = load(Some(stale));
        assert!(seen.changed);
        assert_eq!(title(&seen), "Omega");
        // An old file's stat vouches alone; any other stat is a new read.
        let mut old = entry(seen).unwrap();
        old.hash = None;
        old.stat.size += 1;
        let read = load(Some(old));
        assert!(read.changed);
        assert_eq!(title(&read), "Omega");
    }

    #[test]
    fn written_index_reads_back_and_any_damage_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x").join("index");
        let (a, p) = (meta("t/001-a.md"), Problem::error("unreadable", "t/002.md", 1, 1, "no"));
        let rows = vec![
            Row {
                path: "t/001-a.md",
                stat: stat(),
                hash: Some(9),
                verdict: RowVerdict::Document(&a),
            },
            Row {
                path: "t/002.md",
                stat: stat(),
                hash: None,
                verdict: RowVerdict::Failed(&p),
            },
            Row {
                path: "t/README.md",
                stat: stat(),
                hash: None,
                verdict: RowVerdict::Skipped("a template"),
            },
        ];
        let guards = vec![
            Guard::take(dir.path(), String::new(), GuardKind::Start, racy_since()),
            Guard::take(dir.path(), "nowhere".into(), GuardKind::Dir, racy_since()),
        ];
        write(&path, 7, rows.into_iter(), &guards).unwrap();
        let mut prev = Previous::read(&path, 7);
        assert_eq!(prev.len(), 3);
        assert_eq!(prev.guards, guards);
        assert!(prev.guards[0].racy && prev.guards[0].stat.is_some(), "just made");
        assert!(!prev.guards[0].holds(dir.path()), "a racy guard vouches for nothing");
        assert!(prev.guards[1].holds(dir.path()), "still missing");
        assert_eq!(Previous::read(&path, 8).len(), 0, "another key");
        let got: Vec<Option<Entry>> = prev
            .take(vec!["t/001-a.md".into(), "t/003.md".into(), "t/README.md".into()])
            .map(|(_, e)| e)
            .collect();
        assert!(matches!(&got[0], Some(Entry { verdict: Loaded::Document(m), hash: Some(9), .. }) if *m == a));
        assert!(got[1].is_none());
        assert!(matches!(
            &got[2],
            Some(Entry {
                verdict: Loaded::Skipped("a template"),
                ..
            })
        ));
        let bytes = std::fs::read(&path).unwrap();
        for i in (0..bytes.len()).step_by(7) {
            let mut bad = bytes.clone();
            bad[i] ^= 0x40;
            assert!(decode(&bad, 7).is_none(), "flip at {i}");
            assert!(decode(&bytes[..i], 7).is_none(), "cut at {i}");
        }
    }
}
