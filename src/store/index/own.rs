//! Keeping the index current through findings' own writes, so that the
//! next one-document command neither lists the written folder again nor
//! loads the whole repository.
//!
//! The open that found the document ([`remember_written`], from `store::one`)
//! leaves what a write needs of the index: the index file's `lstat` and
//! checksum, its guards, and each folder's names as a digest. Under the
//! repository lock, before anything is written, [`before`] confirms by
//! one `lstat` that the index file is still the one read (else reads it
//! again), reads the small journal for writes made since, and checks that
//! the index watches every folder the write will change and that the walk
//! would find each new name. After the files are written,
//! [`Pending::after`] lists each written folder once and vouches for it
//! only when its names are the index's with exactly this write's changes
//! (so a folder whose times changed since the index was written, but not
//! its names, is vouched for again), then appends one record to the
//! index's journal: the entries of
//! the files written, renamed, created or removed (their new `lstat`, their
//! metadata judged from the bytes just written, hashed since they are
//! racily clean), the paths gone and the folders' guards. The index file
//! itself is not written again (see [`super::journal`]); every other entry
//! keeps the `lstat` it had, so a person's edit of another file in the
//! same folder is seen as before.
//!
//! Whenever anything is not as expected (no index, another key, a folder
//! the index does not watch, a name the walk might not find, a folder whose
//! names are not the expected ones, the index file replaced by someone
//! else meanwhile) nothing is done: the next command lists the folder
//! again, or the next full load writes the index again. A failed update
//! costs speed, never a write.

use super::journal::{self, Mark};
use super::{hash128, key, location, racy_since, Entry, Guard, GuardKind, Previous, Row, RowVerdict, Stat, Whole};
use crate::document::folder;
use crate::store::{discoverable, judge_bytes, Discovery, Loaded, Repo, SKIP_DIRS};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// One file a write changes, as the index sees it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Change<'a> {
    /// Its path before (`None`: created).
    pub(crate) from: Option<&'a str>,
    /// Its path after.
    pub(crate) to: &'a str,
    /// The bytes written (`None`: removed).
    pub(crate) after: Option<&'a [u8]>,
}

/// The names of the files the index lists directly in one folder, without
/// their order: how many, and the sum of their hashes. Names come and go
/// by adding and subtracting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Digest {
    count: u64,
    sum: u128,
}

impl Digest {
    fn add(&mut self, name: &[u8]) {
        self.count = self.count.wrapping_add(1);
        self.sum = self.sum.wrapping_add(hash128(name));
    }

    fn remove(&mut self, name: &[u8]) {
        self.count = self.count.wrapping_sub(1);
        self.sum = self.sum.wrapping_sub(hash128(name));
    }

    fn merge(&mut self, other: Digest) {
        self.count = self.count.wrapping_add(other.count);
        self.sum = self.sum.wrapping_add(other.sum);
    }
}

/// What a write needs of the index: the base file it was read from (its
/// `lstat` and checksum), how much of its journal was applied, the guards
/// and each folder's names, the journal's changes applied.
#[derive(Debug, Clone)]
struct Seen {
    place: PathBuf,
    key: u128,
    base: (Stat, u128),
    /// Where the journal applied ends (`None`: none was).
    journal: Option<Mark>,
    guards: Vec<Guard>,
    folders: HashMap<String, Digest>,
    /// Names a person changed in folders the index watches, found by the
    /// open through the index ([`Others`]): the next write records them
    /// with its own changes, so that those folders are vouched for again.
    others: Option<Others>,
}

/// The files a person renamed, added or removed in folders the index
/// watches, as the open through the index found them: the paths gone,
/// and each new file's entry (its `lstat`, hash when racily clean, and
/// verdict, read when it was found).
#[derive(Debug, Clone, Default)]
pub(crate) struct Others {
    pub(crate) gone: Vec<String>,
    pub(crate) added: Vec<(String, Entry)>,
}

/// The index of each repository (the last few) as this process last read
/// or updated it: a write confirms by one `lstat` that the index file is
/// still that one instead of reading and checking it again under the lock.
static SEEN: Mutex<Vec<Seen>> = Mutex::new(Vec::new());

/// How many repositories' indexes [`SEEN`] keeps.
const SEEN_KEPT: usize = 4;

#[cfg(test)]
thread_local! {
    /// How many times this thread read an index whole under the lock.
    static WHOLE_READS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

impl Seen {
    /// From the index file's `lstat` and checksum, where its journal ends,
    /// its guards (the journal's applied) and its paths in order.
    fn parts<'a>(
        place: &Path,
        key: u128,
        base: (Stat, u128),
        journal: Option<Mark>,
        guards: &[Guard],
        paths: impl Iterator<Item = &'a str>,
    ) -> Option<Seen> {
        if guards.is_empty() {
            return None;
        }
        let mut folders: HashMap<String, Digest> = HashMap::new();
        // Paths are in order: a folder's names mostly come together.
        let mut run: Option<(&str, Digest)> = None;
        for p in paths {
            let dir = folder(p);
            match &mut run {
                Some((d, digest)) if *d == dir => digest.add(crate::document::file_name(p).as_bytes()),
                _ => {
                    if let Some((d, digest)) = run.take() {
                        folders.entry(d.to_string()).or_default().merge(digest);
                    }
                    let mut digest = Digest::default();
                    digest.add(crate::document::file_name(p).as_bytes());
                    run = Some((dir, digest));
                }
            }
        }
        if let Some((d, digest)) = run {
            folders.entry(d.to_string()).or_default().merge(digest);
        }
        Some(Seen {
            place: place.to_path_buf(),
            key,
            base,
            journal,
            guards: guards.to_vec(),
            folders,
            others: None,
        })
    }

    /// Apply one journaled change.
    fn apply(&mut self, removed: &[String], written: &[&str], guards: Vec<Guard>) {
        for p in removed {
            self.folders
                .entry(folder(p).to_string())
                .or_default()
                .remove(crate::document::file_name(p).as_bytes());
        }
        for p in written {
            self.folders
                .entry(folder(p).to_string())
                .or_default()
                .add(crate::document::file_name(p).as_bytes());
        }
        journal::apply_guards(&mut self.guards, guards);
    }

    /// The index at `place` as it is now, the repository lock held: the
    /// one this process read when the index file is still that one (only
    /// its journal read again, to take in the writes since), else read
    /// and checked whole.
    fn now(place: &Path, key: u128) -> Option<Seen> {
        let kept = SEEN
            .lock()
            .ok()
            .and_then(|s| s.iter().find(|s| s.place == place).cloned())
            .filter(|s| s.key == key && Stat::of(place) == Some(s.base.0))
            .and_then(|mut s| {
                match journal::read(place, key, s.base.1) {
                    Some(j) => {
                        for c in j.since(s.journal)? {
                            let written: Vec<&str> = c.entries.iter().map(|(p, _)| p.as_str()).collect();
                            s.apply(&c.removed, &written, c.guards);
                        }
                        s.journal = Some(j.mark());
                    }
                    None if s.journal.is_some() => return None,
                    None => {}
                }
                Some(s)
            });
        if kept.is_some() {
            return kept;
        }
        #[cfg(test)]
        WHOLE_READS.with(|n| n.set(n.get() + 1));
        // Only the paths are needed: the entries are split, not decoded.
        let whole = Whole::read(place, key)?;
        let raws = whole.raws()?;
        Seen::parts(
            place,
            key,
            whole.base,
            whole.journal_mark(),
            &whole.guards,
            raws.iter().map(|r| r.path),
        )
    }

    fn keep(self) {
        if let Ok(mut s) = SEEN.lock() {
            s.retain(|o| o.place != self.place);
            if s.len() >= SEEN_KEPT {
                s.remove(0);
            }
            s.push(self);
        }
    }

    fn forget(place: &Path) {
        if let Ok(mut s) = SEEN.lock() {
            s.retain(|o| o.place != place);
        }
    }
}

/// Remember the index a command just read at `place` for `key` (a full
/// load: wrote, or found current), so that a write in this process need
/// not read it again: the file's `lstat` and checksum, where its journal
/// ends (`None`: none), its guards (the journal's applied) and its paths
/// in order (the journal's applied).
pub(crate) fn remember_written<'a>(
    place: &Path,
    key: u128,
    base: (Stat, u128),
    journal: Option<Mark>,
    guards: &[Guard],
    paths: impl Iterator<Item = &'a str>,
) {
    remember_with(place, key, base, journal, guards, paths, None);
}

/// [`remember_written`] for an open through the index that also found
/// `others`, a person's changes of names in watched folders.
pub(crate) fn remember_with<'a>(
    place: &Path,
    key: u128,
    base: (Stat, u128),
    journal: Option<Mark>,
    guards: &[Guard],
    paths: impl Iterator<Item = &'a str>,
    others: Option<Others>,
) {
    if let Some(mut seen) = Seen::parts(place, key, base, journal, guards, paths) {
        seen.others = others;
        seen.keep();
    }
}

/// The index as it was before a write, with the folders the write
/// changes: what [`Pending::after`] updates.
#[derive(Debug)]
pub(crate) struct Pending {
    seen: Seen,
    folders: Vec<String>,
}

/// Check the index before a write of `changes` (the repository lock
/// held): `None` when it cannot be kept current through it.
pub(crate) fn before(repo: &Repo, changes: &[Change<'_>]) -> Option<Pending> {
    if !cfg!(unix) || changes.is_empty() {
        return None;
    }
    let root = repo.root.as_path();
    let place = location(root)?;
    let seen = Seen::now(&place, key(&repo.config))?;
    let mode = Discovery::of(&repo.config);
    let mut folders = Vec::new();
    for c in changes {
        folders.extend(c.from.iter().chain([&c.to]).map(|p| folder(p).to_string()));
        let new_name = c.after.is_some() && c.from != Some(c.to);
        if new_name && !walk_finds(repo, &seen.guards, c.to, mode) {
            return None;
        }
    }
    folders.sort_unstable();
    folders.dedup();
    // A folder the walk never entered (or one a write creates) is left for
    // the next full load. One whose guard no longer holds (a person's
    // editor replaced a file in it, say) is vouched for again after the
    // write when its names are the index's (see [`Pending::after`]).
    for f in &folders {
        seen.guards.iter().find(|g| g.path == *f && g.kind != GuardKind::File)?;
    }
    Some(Pending { seen, folders })
}

/// What the walk would find directly in folder `dir`, by one listing:
/// the digest of its candidate files' names (every `*.md` file, a hidden
/// one only in default discovery; the walk's ignore files are not
/// consulted, so an ignored one makes the folder differ from the index)
/// and the names of the folders it would enter, sorted; `None` when it
/// cannot be listed or holds a temporary file a findings write may have
/// left (`store::write::clear_dead_temps` looks at those).
fn listing(dir: &Path, mode: Discovery) -> Option<(Digest, Vec<String>)> {
    let anywhere = mode == Discovery::Anywhere;
    let mut files = Digest::default();
    let mut dirs = Vec::new();
    for e in std::fs::read_dir(dir).ok()? {
        let e = e.ok()?;
        let name = e.file_name();
        let bytes = name.as_encoded_bytes();
        if crate::store::write::temp_name(bytes) {
            return None;
        }
        let hidden = bytes.starts_with(b".");
        let ft = e.file_type().ok()?;
        if ft.is_dir() {
            let name = name.to_string_lossy();
            let skipped = if anywhere {
                SKIP_DIRS.contains(&name.as_ref())
            } else {
                hidden || name == "node_modules"
            };
            if !skipped {
                dirs.push(name.into_owned());
            }
        } else if ft.is_file() && (bytes.ends_with(b".md") || bytes.ends_with(b".MD")) && (anywhere || !hidden) {
            files.add(bytes);
        }
    }
    dirs.sort_unstable();
    Some((files, dirs))
}

/// Whether the walk would list `rel`, a name a write gives a file in a
/// folder the walk enters: discovery's rules, and (default discovery) no
/// ignore file the walk obeys names it at all, to ignore it or not (an
/// ignore file's verdict is not worked out here: any mention gives up).
fn walk_finds(repo: &Repo, guards: &[Guard], rel: &str, mode: Discovery) -> bool {
    if !discoverable(&repo.config, rel) {
        return false;
    }
    if mode == Discovery::Configured {
        return true;
    }
    let root = repo.root.as_path();
    let abs = root.join(rel);
    guards
        .iter()
        .filter(|g| g.kind == GuardKind::File && g.stat.is_some())
        .all(|g| {
            let Some(base) = ignore_base(root, &g.path) else {
                return false;
            };
            if !abs.starts_with(&base) {
                return true;
            }
            let mut b = ignore::gitignore::GitignoreBuilder::new(&base);
            if b.add(root.join(&g.path)).is_some() {
                return false;
            }
            b.build()
                .is_ok_and(|m| m.matched_path_or_any_parents(&abs, false).is_none())
        })
}

/// The folder an ignore file's patterns are relative to: the repository
/// root for git's exclude file, an ancestor of the root for `../` paths,
/// else the file's own folder.
fn ignore_base(root: &Path, rel: &str) -> Option<PathBuf> {
    if rel == ".git/info/exclude" {
        return Some(root.to_path_buf());
    }
    let mut rest = rel;
    let mut up = 0;
    while let Some(r) = rest.strip_prefix("../") {
        rest = r;
        up += 1;
    }
    if rest.contains("..") {
        return None;
    }
    let base = root.ancestors().nth(up)?;
    Some(base.join(folder(rest)))
}

impl Pending {
    /// Record `changes`, just written, in the index checked by [`before`]:
    /// one record appended to its journal (or, past the journal's bound, a
    /// new index); nothing when anything is not as it expects. `true` when
    /// every folder the write changed was listed and holds no temporary
    /// file a findings write may have left (none to clear).
    pub(crate) fn after(self, repo: &Repo, changes: &[Change<'_>]) -> bool {
        let root = repo.root.as_path();
        let Pending { mut seen, folders } = self;
        // A person's changes of names the open found are recorded with
        // this write's, unless this write touches one of those paths.
        let others = seen.others.take().filter(|o| {
            let mine = |p: &str| changes.iter().any(|c| c.to == p || c.from == Some(p));
            !o.gone.iter().any(|p| mine(p)) && !o.added.iter().any(|(p, _)| mine(p))
        });
        // Every name a change takes away (an edit in place takes its old
        // entry away and writes a new one).
        let mut removed: Vec<&str> = Vec::new();
        for c in changes {
            removed.extend(c.from);
            if c.after.is_none() && c.from != Some(c.to) {
                removed.push(c.to);
            }
        }
        if let Some(o) = &others {
            removed.extend(o.gone.iter().map(String::as_str));
        }
        removed.sort_unstable();
        removed.dedup();
        let racy_since = racy_since();
        let mode = Discovery::of(&repo.config);
        let mut written: Vec<(&str, Entry)> = Vec::new();
        for c in changes {
            let Some(bytes) = c.after else {
                continue;
            };
            let Some(stat) = Stat::of(&root.join(c.to)) else {
                return false;
            };
            written.push((
                c.to,
                Entry {
                    stat,
                    hash: stat.racy(racy_since).then(|| hash128(bytes)),
                    verdict: judge_bytes(c.to, bytes.to_vec(), repo.workflows(), mode),
                },
            ));
        }
        if let Some(o) = &others {
            written.extend(o.added.iter().map(|(p, e)| (p.as_str(), e.clone())));
        }
        written.sort_unstable_by(|a, b| a.0.cmp(b.0));
        if written.windows(2).any(|w| w[0].0 == w[1].0) {
            return false;
        }
        let names: Vec<&str> = written.iter().map(|(p, _)| *p).collect();
        let removed_owned: Vec<String> = removed.iter().map(|p| p.to_string()).collect();
        let mut next = seen.clone();
        next.apply(&removed_owned, &names, Vec::new());
        let mut vouched = Vec::new();
        for f in &folders {
            let guards: Vec<&Guard> = seen
                .guards
                .iter()
                .filter(|g| g.kind != GuardKind::File && g.path == *f)
                .collect();
            let Some(first) = guards.first() else {
                return false;
            };
            // The stat is taken before the one listing and again after it:
            // a name added meanwhile changes it, and one added after it
            // makes the guard recorded here fail for the next command (the
            // folder's clock tick is over before the listing starts).
            if !guards.iter().all(|g| settled(root, g)) {
                return false;
            }
            let taken: Vec<Guard> = guards
                .iter()
                .map(|g| Guard::take(root, g.path.clone(), g.kind, racy_since))
                .collect();
            if taken.iter().any(|g| g.stat.is_none()) {
                return false;
            }
            // Vouched for only when the folder holds exactly the names the
            // index lists in it with this write's changes: a person's file
            // added meanwhile (even within the same clock tick) leaves the
            // folder to be listed again by the next command.
            let Some((files, dirs)) = listing(&root.join(&first.path), mode) else {
                return false;
            };
            let mut known: Vec<&str> = seen
                .guards
                .iter()
                .filter(|g| g.kind == GuardKind::Dir && !g.path.is_empty() && folder(&g.path) == *f)
                .map(|g| crate::document::file_name(&g.path))
                .collect();
            known.sort_unstable();
            known.dedup();
            if files != next.folders.get(f).copied().unwrap_or_default() || dirs != known {
                return false;
            }
            for mut now in taken {
                if Guard::take(root, now.path.clone(), now.kind, racy_since).stat != now.stat {
                    return false;
                }
                now.racy = false;
                vouched.push(now);
            }
        }
        if Stat::of(&seen.place) != Some(seen.base.0) {
            return false;
        }
        let rows = written.iter().map(|(path, e)| row(path, e));
        let payload = journal::encode(&removed, rows, &vouched);
        let end = seen.journal.map_or(0, |m| m.end);
        if end + payload.len() as u64 > journal::FOLD_BYTES {
            fold(&seen, &removed, written, &vouched);
            return true;
        }
        // A failed append costs the next command its speed, nothing else.
        if let Ok(mark) = journal::append(&seen.place, seen.key, seen.base.1, seen.journal, &payload) {
            next.journal = Some(mark);
            journal::apply_guards(&mut next.guards, vouched);
            seen = next;
            seen.keep();
        }
        true
    }
}

/// How long after a folder's last change its listing waits: the file
/// system stamps a change with a clock that moves a tick at a time (a few
/// milliseconds), and a name added within the tick of the folder's stat
/// would leave that stat as it is. A name added once the tick is over
/// changes it; one added within it was there before the listing.
const SETTLE_NANOS: i128 = 20_000_000;

/// Wait until the tick of the last change to `g`'s folder is over;
/// `false` when its times look whole seconds (a file system whose clock
/// is too coarse for its stat to vouch for a listing taken now).
fn settled(root: &Path, g: &Guard) -> bool {
    let Some(stat) = Guard::take(root, g.path.clone(), g.kind, i64::MIN).stat else {
        return false;
    };
    if stat.mtime.1 == 0 && stat.ctime.1 == 0 {
        return false;
    }
    let nanos = |(s, n): (i64, u32)| i128::from(s) * 1_000_000_000 + i128::from(n);
    let last = nanos(stat.mtime).max(nanos(stat.ctime));
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i128);
    let wait = (last + SETTLE_NANOS - now).clamp(0, SETTLE_NANOS);
    if wait > 0 {
        std::thread::sleep(std::time::Duration::from_nanos(wait as u64));
    }
    true
}

fn row<'a>(path: &'a str, e: &'a Entry) -> Row<'a> {
    Row {
        path,
        stat: e.stat,
        hash: e.hash,
        verdict: match &e.verdict {
            Loaded::Document(m) => RowVerdict::Document(m),
            Loaded::Failed(p) => RowVerdict::Failed(p),
            Loaded::Skipped(why) => RowVerdict::Skipped(why),
        },
    }
}

/// Write a new index holding the old one, its journal and this write's
/// changes (temporary file, rename), and start the journal again: what a
/// write does instead of growing the journal past its bound.
fn fold(seen: &Seen, removed: &[&str], written: Vec<(&str, Entry)>, vouched: &[Guard]) {
    let mut previous = Previous::read(&seen.place, seen.key);
    if previous.base.map(|b| b.0) != Some(seen.base.0) {
        return;
    }
    let Some(mut entries) = previous.entries() else {
        return;
    };
    entries.retain(|(p, _)| removed.binary_search(&p.as_str()).is_err());
    for (p, e) in written {
        match entries.binary_search_by(|(q, _)| q.as_str().cmp(p)) {
            Ok(i) => entries[i].1 = e,
            Err(i) => entries.insert(i, (p.to_string(), e)),
        }
    }
    let mut guards = previous.guards.clone();
    journal::apply_guards(&mut guards, vouched.to_vec());
    Seen::forget(&seen.place);
    let rows = entries.iter().map(|(p, e)| row(p, e));
    // A failed write costs the next command its speed, nothing else.
    if super::write(&seen.place, seen.key, rows, &guards).is_ok() {
        let _ = std::fs::remove_file(journal::path(&seen.place));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn todo(title: &str) -> String {
        format!("---\nstatus: pending\npriority: p2\n---\n# {title}\n\n## Work Log\n")
    }

    /// A person's file added to the written folder between the index's
    /// read and its update is not hidden by the update: the folder is not
    /// vouched for, and the next one-document command finds the file.
    #[test]
    fn a_name_added_during_a_write_is_not_vouched_for() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let git = std::process::Command::new("git")
            .args(["init", "-q"])
            .current_dir(root)
            .status()
            .unwrap();
        assert!(git.success());
        fs::create_dir(root.join("todos")).unwrap();
        let mine = "todos/001-pending-p2-x.md";
        fs::write(root.join(mine), todo("Alpha")).unwrap();
        // Past the racy window of the file and the folder, then indexed.
        std::thread::sleep(std::time::Duration::from_millis(3100));
        let repo = Repo::open(root).unwrap();
        assert!(location(root).unwrap().is_file(), "the load wrote the index");

        let after = todo("Alpha, logged");
        let changes = [Change {
            from: Some(mine),
            to: mine,
            after: Some(after.as_bytes()),
        }];
        let pending = before(&repo, &changes).expect("the index vouches for todos/");
        fs::write(root.join(mine), &after).unwrap();
        fs::write(root.join("todos/002-pending-p2-y.md"), todo("Bravo")).unwrap();
        pending.after(&repo, &changes);

        let r = Repo::open_for(root, &["2"]).unwrap();
        let found = r.resolve("2").map(|m| m.path.clone());
        assert_eq!(found.ok().as_deref(), Some("todos/002-pending-p2-y.md"));
    }

    /// A git repository with `todos/` holding `files`, past the racy
    /// window of every file and folder, then indexed by a full load.
    fn indexed(files: &[(&str, &str)]) -> (tempfile::TempDir, Repo) {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let git = std::process::Command::new("git")
            .args(["init", "-q"])
            .current_dir(root)
            .status()
            .unwrap();
        assert!(git.success());
        fs::create_dir(root.join("todos")).unwrap();
        for (p, t) in files {
            fs::write(root.join(p), todo(t)).unwrap();
        }
        std::thread::sleep(std::time::Duration::from_millis(3100));
        let repo = Repo::open(root).unwrap();
        assert!(location(root).unwrap().is_file(), "the load wrote the index");
        (tmp, repo)
    }

    /// Every entry the index gives (base and journal), as text.
    fn entries(place: &Path, key: u128) -> Vec<String> {
        let mut previous = Previous::read(place, key);
        let got = previous.entries().expect("the index reads");
        got.iter().map(|e| format!("{e:?}")).collect()
    }

    /// A log (an edit in place), a rename, a new file and a removal, each
    /// recorded by appending to the journal: the index file itself is
    /// never written again, and the base with its journal gives exactly
    /// the entries a full load of the files writes.
    #[test]
    fn the_journal_applied_is_what_a_full_load_finds() {
        let (tmp, repo) = indexed(&[
            ("todos/001-pending-p2-a.md", "Alpha"),
            ("todos/002-pending-p2-b.md", "Bravo"),
            ("todos/003-pending-p2-c.md", "Charlie"),
        ]);
        let root = tmp.path();
        let place = location(root).unwrap();
        let key = key(&repo.config);
        let base = fs::read(&place).unwrap();
        let logged = todo("Alpha, logged");
        let renamed = todo("Bravo, ready").replace("pending", "ready");
        let created = todo("Delta");
        type Step<'a> = (&'a str, Vec<Change<'a>>, Box<dyn Fn()>);
        let steps: Vec<Step<'_>> = vec![
            (
                "log",
                vec![Change {
                    from: Some("todos/001-pending-p2-a.md"),
                    to: "todos/001-pending-p2-a.md",
                    after: Some(logged.as_bytes()),
                }],
                Box::new({
                    let (p, t) = (root.join("todos/001-pending-p2-a.md"), logged.clone());
                    move || fs::write(&p, &t).unwrap()
                }),
            ),
            (
                "rename",
                vec![Change {
                    from: Some("todos/002-pending-p2-b.md"),
                    to: "todos/002-ready-p2-b.md",
                    after: Some(renamed.as_bytes()),
                }],
                Box::new({
                    let (a, b, t) = (
                        root.join("todos/002-pending-p2-b.md"),
                        root.join("todos/002-ready-p2-b.md"),
                        renamed.clone(),
                    );
                    move || {
                        fs::write(&a, &t).unwrap();
                        fs::rename(&a, &b).unwrap();
                    }
                }),
            ),
            (
                "create",
                vec![Change {
                    from: None,
                    to: "todos/004-pending-p2-d.md",
                    after: Some(created.as_bytes()),
                }],
                Box::new({
                    let (p, t) = (root.join("todos/004-pending-p2-d.md"), created.clone());
                    move || fs::write(&p, &t).unwrap()
                }),
            ),
            (
                "remove",
                vec![Change {
                    from: Some("todos/003-pending-p2-c.md"),
                    to: "todos/003-pending-p2-c.md",
                    after: None,
                }],
                Box::new({
                    let p = root.join("todos/003-pending-p2-c.md");
                    move || fs::remove_file(&p).unwrap()
                }),
            ),
        ];
        for (n, (what, changes, write)) in steps.iter().enumerate() {
            let pending = before(&repo, changes).unwrap_or_else(|| panic!("{what}: the index vouches for todos/"));
            write();
            pending.after(&repo, changes);
            assert_eq!(
                fs::read(&place).unwrap(),
                base,
                "{what}: the index file is not written again"
            );
            let journal = journal::read(&place, key, Previous::read(&place, key).base.unwrap().1).unwrap();
            assert_eq!(journal.len(), n + 1, "{what}: one record a write");
            let journaled = entries(&place, key);
            // A full load without the index (it writes a new one), then the
            // index and its journal put back.
            let aside = place.with_file_name("aside");
            fs::rename(&place, &aside).unwrap();
            let _ = Repo::open(root).unwrap();
            let full = entries(&place, key);
            fs::rename(&aside, &place).unwrap();
            assert_eq!(journaled, full, "{what}");
        }
        // The next one-document open answers from the index and the journal.
        // (It decodes only the documents it is asked for.)
        let r = Repo::open_for(root, &["4", "2", "1"]).unwrap();
        assert!(r.partial.is_some(), "answered from the index");
        assert_eq!(r.resolve("4").unwrap().path, "todos/004-pending-p2-d.md");
        assert_eq!(r.resolve("2").unwrap().path, "todos/002-ready-p2-b.md");
        assert_eq!(r.resolve("1").unwrap().title, "Alpha, logged");
        let r = Repo::open_for(root, &["3"]).unwrap();
        assert!(r.resolve("3").is_err(), "removed");
        // A full load through the index folds the journal into a new one.
        let _ = Repo::open(root).unwrap();
        assert_ne!(fs::read(&place).unwrap(), base, "folded");
        assert!(
            !Previous::read(&place, key).journaled(),
            "the old journal is foreign now"
        );
    }

    /// A person's file added to the written folder right after the write
    /// listed it (within the same tick of the file system's clock, as like
    /// as not) is not hidden: the folder's stat recorded for the index was
    /// taken once that tick was over, so the new name changes it.
    #[test]
    fn a_name_added_right_after_the_listing_is_seen() {
        let (tmp, repo) = indexed(&[("todos/001-pending-p2-x.md", "Alpha")]);
        let root = tmp.path();
        let mine = "todos/001-pending-p2-x.md";
        let opened = Repo::open_for(root, &["1"]).unwrap();
        let after = todo("Alpha, logged");
        let changes = [Change {
            from: Some(mine),
            to: mine,
            after: Some(after.as_bytes()),
        }];
        let pending = before(&opened, &changes).expect("the index vouches for todos/");
        fs::write(root.join(mine), &after).unwrap();
        pending.after(&repo, &changes);
        fs::write(root.join("todos/002-pending-p2-y.md"), todo("Bravo")).unwrap();
        let place = location(root).unwrap();
        let key = key(&repo.config);
        let base = Previous::read(&place, key).base.unwrap().1;
        assert_eq!(
            journal::read(&place, key, base).unwrap().len(),
            1,
            "the write was recorded"
        );

        let r = Repo::open_for(root, &["2"]).unwrap();
        let found = r.resolve("2").map(|m| m.path.clone());
        assert_eq!(found.ok().as_deref(), Some("todos/002-pending-p2-y.md"));
    }

    /// A file added between the open that read the index and the write
    /// makes the write leave the index alone.
    #[test]
    fn a_name_added_before_the_write_leaves_the_index_alone() {
        let (tmp, _) = indexed(&[("todos/001-pending-p2-x.md", "Alpha")]);
        let root = tmp.path();
        let mine = "todos/001-pending-p2-x.md";
        let opened = Repo::open_for(root, &["1"]).unwrap();
        fs::write(root.join("todos/002-pending-p2-y.md"), todo("Bravo")).unwrap();
        let after = todo("Alpha, logged");
        let changes = [Change {
            from: Some(mine),
            to: mine,
            after: Some(after.as_bytes()),
        }];
        if let Some(pending) = before(&opened, &changes) {
            // Only when the new name left the folder's stat as it was.
            fs::write(root.join(mine), &after).unwrap();
            pending.after(&opened, &changes);
        }
        let r = Repo::open_for(root, &["2"]).unwrap();
        assert_eq!(r.resolve("2").unwrap().path, "todos/002-pending-p2-y.md");
    }

    /// A folder whose times changed since the index was written but whose
    /// names did not (a person's editor saved a file by renaming a new one
    /// over it) is vouched for again by the next write, which lists it.
    #[test]
    fn a_folder_whose_names_did_not_change_is_vouched_for_again() {
        let (tmp, repo) = indexed(&[
            ("todos/001-pending-p2-a.md", "Alpha"),
            ("todos/002-pending-p2-b.md", "Bravo"),
        ]);
        let root = tmp.path();
        let place = location(root).unwrap();
        let key = key(&repo.config);
        let holds = || {
            let p = Previous::read(&place, key);
            let g = p.guards.iter().find(|g| g.path == "todos").unwrap().clone();
            g.holds(root)
        };
        assert!(holds());
        let swap = root.join("todos/.002-pending-p2-b.md.swp");
        fs::write(&swap, todo("Bravo, by hand")).unwrap();
        fs::rename(&swap, root.join("todos/002-pending-p2-b.md")).unwrap();
        assert!(!holds(), "the folder's times changed");

        let mine = "todos/001-pending-p2-a.md";
        let after = todo("Alpha, logged");
        let changes = [Change {
            from: Some(mine),
            to: mine,
            after: Some(after.as_bytes()),
        }];
        let opened = Repo::open_for(root, &["1"]).unwrap();
        let pending = before(&opened, &changes).expect("the index watches todos/");
        fs::write(root.join(mine), &after).unwrap();
        assert!(pending.after(&opened, &changes), "listed, no temporary file");
        assert!(holds(), "vouched for again");
        // A one-document open decodes only the documents it is asked for.
        let r = Repo::open_for(root, &["2", "1"]).unwrap();
        assert_eq!(r.resolve("2").unwrap().title, "Bravo, by hand");
        assert_eq!(r.resolve("1").unwrap().title, "Alpha, logged");
    }

    /// Past its bound the journal is folded into a new index by the
    /// write: the same entries as the base with its journal, no journal.
    #[test]
    fn a_fold_writes_the_journal_into_a_new_index() {
        let (tmp, repo) = indexed(&[("todos/001-pending-p2-a.md", "Alpha")]);
        let root = tmp.path();
        let place = location(root).unwrap();
        let key = key(&repo.config);
        let mine = "todos/001-pending-p2-a.md";
        let after = todo("Alpha, logged");
        let changes = [Change {
            from: Some(mine),
            to: mine,
            after: Some(after.as_bytes()),
        }];
        let pending = before(&repo, &changes).expect("the index vouches for todos/");
        fs::write(root.join(mine), &after).unwrap();
        assert!(pending.after(&repo, &changes));
        let journaled = entries(&place, key);
        let base = fs::read(&place).unwrap();
        let seen = Seen::now(&place, key).unwrap();
        fold(&seen, &[], Vec::new(), &[]);
        assert_ne!(fs::read(&place).unwrap(), base, "a new index");
        assert!(!journal::path(&place).exists(), "no journal");
        assert_eq!(entries(&place, key), journaled);
        let r = Repo::open_for(root, &["1"]).unwrap();
        assert_eq!(r.resolve("1").unwrap().title, "Alpha, logged");
    }

    /// A write after an open through the index, after a full load that
    /// wrote the index or found it current, and after another write, does
    /// not read the index whole again under the lock.
    #[test]
    fn a_write_reads_the_index_the_open_read_no_more() {
        let (tmp, repo) = indexed(&[("todos/001-pending-p2-a.md", "Alpha")]);
        let root = tmp.path();
        let mine = "todos/001-pending-p2-a.md";
        let whole = || WHOLE_READS.with(|n| n.get());
        let mut n = 0;
        let mut write = |opened: &Repo, what: &str| {
            n += 1;
            let text = todo(&format!("Alpha {n}"));
            let changes = [Change {
                from: Some(mine),
                to: mine,
                after: Some(text.as_bytes()),
            }];
            let reads = whole();
            let pending = before(opened, &changes).unwrap_or_else(|| panic!("{what}: the index watches todos/"));
            assert_eq!(whole(), reads, "{what}: the index was not read again");
            fs::write(root.join(mine), &text).unwrap();
            assert!(pending.after(opened, &changes), "{what}");
        };
        write(
            &Repo::open_for(root, &["1"]).unwrap(),
            "after an open through the index",
        );
        write(&repo, "after the last write");
        let _ = Repo::open(root).unwrap();
        write(&repo, "after a full load that folded the journal");
        let place = location(root).unwrap();
        let _ = Repo::open(root).unwrap();
        Seen::forget(&place);
        let _ = Repo::open(root).unwrap();
        write(&repo, "after a full load that found the index current");
        // Written by someone else meanwhile: read whole.
        let bytes = fs::read(&place).unwrap();
        fs::remove_file(&place).unwrap();
        fs::write(&place, bytes).unwrap();
        let reads = whole();
        let text = todo("Alpha again");
        let changes = [Change {
            from: Some(mine),
            to: mine,
            after: Some(text.as_bytes()),
        }];
        assert!(before(&repo, &changes).is_some());
        assert_eq!(whole(), reads + 1, "a replaced index is read whole");
        let r = Repo::open_for(root, &["1"]).unwrap();
        assert_eq!(r.resolve("1").unwrap().title, "Alpha 4");
    }
}
