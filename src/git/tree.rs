//! A tree written with a few paths changed, as `git commit` writes the
//! trees of the paths it commits: each tree on the way to a changed path
//! is copied from its raw bytes with only its changed entries replaced,
//! inserted or dropped (an entry's place found by git's tree order), and
//! every other tree is left as it is. A folder of 100k files is one tree of
//! 100k entries: libgit2's tree builder parses each into a hash map, sorts
//! them all and writes them out again, where this splices a few entries
//! into bytes already in order.
//!
//! It answers `None` for whatever it does not handle (a name that is a
//! file on one side and a folder on the other, a damaged tree, object IDs
//! that are not SHA-1), and the caller builds the tree the general way.

use git2::{ObjectType, Odb, Oid, Repository};
use std::cmp::Ordering;
use std::collections::{BTreeMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// A path's new state in the tree: its object and mode, or `None` to drop
/// it.
pub(crate) type Update = Option<(Oid, u32)>;

/// The tree written, and every tree written on the way (the root's
/// included), for the caller to confirm they are stored.
#[derive(Debug)]
pub(crate) struct Written {
    pub(crate) id: Oid,
    pub(crate) trees: Vec<Oid>,
}

/// The tree `base` with each of `changes` (`/`-separated paths from its
/// root; a later change of a path wins) made; `Ok(None)` when this splice
/// does not handle them (see the module documentation).
pub(crate) fn update(repo: &Repository, base: Oid, changes: &[(&str, Update)]) -> Result<Option<Written>, git2::Error> {
    let odb = repo.odb()?;
    let mut trees = Vec::new();
    let changes: Vec<(&str, Update)> = changes.to_vec();
    let at = Reader {
        odb: &odb,
        git_dir: repo.path(),
    };
    let Some(id) = level(&at, Some(base), changes, &mut trees)? else {
        return Ok(None);
    };
    // An empty root is still a tree.
    let id = match id {
        Some(id) => id,
        None => {
            let empty = odb.write(ObjectType::Tree, &[])?;
            trees.push(empty);
            empty
        }
    };
    Ok(Some(Written { id, trees }))
}

/// The object and mode at `path` (`/`-separated, from the root of the tree
/// `tree`); `None` when there is nothing there (or a tree on the way does
/// not parse).
pub(crate) fn entry_at(repo: &Repository, tree: Oid, path: &str) -> Result<Option<(Oid, u32)>, git2::Error> {
    super::skip_read_verification();
    let odb = repo.odb()?;
    let at = Reader {
        odb: &odb,
        git_dir: repo.path(),
    };
    let mut id = tree;
    let mut names = path.split('/').peekable();
    while let Some(name) = names.next() {
        let Some(raw) = at.tree(id)? else { return Ok(None) };
        let Some(entries) = parse(&raw) else { return Ok(None) };
        let Some(i) = find(&entries, name.as_bytes()) else {
            return Ok(None);
        };
        let e = &entries[i];
        if names.peek().is_some() && e.mode != TREE {
            return Ok(None);
        }
        id = Oid::from_bytes(&e.id)?;
        if names.peek().is_none() {
            return Ok(Some((id, e.mode)));
        }
    }
    Ok(None)
}

/// Trees read lately, their raw bytes by repository and ID. A write reads
/// the trees on the way to the files it changes twice (for its hand-edit
/// check, then to splice them), and a folder of 100k files is one tree of
/// megabytes: read once. An object never changes under its ID, so an entry
/// is never stale; the cache keeps at most [`RECENT_BYTES`].
static RECENT: Mutex<VecDeque<Recent>> = Mutex::new(VecDeque::new());

/// One tree in [`RECENT`]: its repository's git folder, its ID, its bytes.
type Recent = (PathBuf, Oid, Arc<[u8]>);

/// The most bytes of trees [`RECENT`] keeps.
const RECENT_BYTES: usize = 64 << 20;

/// Reads trees of one repository through [`RECENT`].
struct Reader<'a> {
    odb: &'a Odb<'a>,
    git_dir: &'a Path,
}

impl Reader<'_> {
    /// The raw bytes of the tree `id`; `None` when it is another kind of
    /// object.
    fn tree(&self, id: Oid) -> Result<Option<Arc<[u8]>>, git2::Error> {
        if let Ok(recent) = RECENT.lock() {
            if let Some((_, _, raw)) = recent.iter().find(|(dir, i, _)| *i == id && dir == self.git_dir) {
                return Ok(Some(Arc::clone(raw)));
            }
        }
        let o = self.odb.read(id)?;
        if o.kind() != ObjectType::Tree {
            return Ok(None);
        }
        let raw: Arc<[u8]> = Arc::from(o.data());
        if raw.len() <= RECENT_BYTES {
            if let Ok(mut recent) = RECENT.lock() {
                recent.push_back((self.git_dir.to_path_buf(), id, Arc::clone(&raw)));
                let mut total: usize = recent.iter().map(|(_, _, r)| r.len()).sum();
                while total > RECENT_BYTES {
                    match recent.pop_front() {
                        Some((_, _, r)) => total -= r.len(),
                        None => break,
                    }
                }
            }
        }
        Ok(Some(raw))
    }
}

const TREE: u32 = 0o040000;

/// The place in `entries` (a parsed tree, in git's order) of the entry
/// named `name`, a file or a folder.
fn find(entries: &[Entry<'_>], name: &[u8]) -> Option<usize> {
    [false, true].into_iter().find_map(|tree| {
        entries
            .binary_search_by(|e| order(e.name, e.mode == TREE, name, tree))
            .ok()
    })
}

/// Git's tree order: names compared bytewise as if a folder's ended in `/`.
fn order(a: &[u8], a_tree: bool, b: &[u8], b_tree: bool) -> Ordering {
    let n = a.len().min(b.len());
    a[..n].cmp(&b[..n]).then_with(|| {
        let end = |name: &[u8], tree: bool| name.get(n).copied().unwrap_or(if tree { b'/' } else { 0 });
        end(a, a_tree).cmp(&end(b, b_tree))
    })
}

/// One entry of a tree's raw bytes.
#[derive(Debug, Clone)]
struct Entry<'a> {
    mode: u32,
    name: &'a [u8],
    /// The entry's bytes as stored, when it is copied unchanged.
    raw: Option<&'a [u8]>,
    id: [u8; 20],
}

fn parse(raw: &[u8]) -> Option<Vec<Entry<'_>>> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < raw.len() {
        let start = at;
        let space = at + memchr::memchr(b' ', &raw[at..])?;
        let mode = u32::from_str_radix(std::str::from_utf8(&raw[at..space]).ok()?, 8).ok()?;
        let nul = space + 1 + memchr::memchr(0, &raw[space + 1..])?;
        let name = &raw[space + 1..nul];
        let id: [u8; 20] = raw.get(nul + 1..nul + 21)?.try_into().ok()?;
        at = nul + 21;
        out.push(Entry {
            mode,
            name,
            raw: Some(&raw[start..at]),
            id,
        });
    }
    Some(out)
}

/// Write the tree `base` (`None`: a new folder) with `changes` (paths
/// relative to it) made: `Ok(None)` when not handled, `Ok(Some(None))`
/// when the tree ends up empty (git drops an empty folder).
fn level(
    at: &Reader<'_>,
    base: Option<Oid>,
    changes: Vec<(&str, Update)>,
    trees: &mut Vec<Oid>,
) -> Result<Option<Option<Oid>>, git2::Error> {
    let raw: Arc<[u8]> = match base {
        Some(id) => match at.tree(id)? {
            Some(raw) => raw,
            None => return Ok(None),
        },
        None => Arc::from(&[][..]),
    };
    let Some(mut entries) = parse(&raw) else {
        return Ok(None);
    };
    // The changes here, by name (a later one wins), and those below, by
    // the folder they are in.
    let mut here: BTreeMap<&str, Update> = BTreeMap::new();
    let mut below: BTreeMap<&str, Vec<(&str, Update)>> = BTreeMap::new();
    for (path, u) in changes {
        match path.split_once('/') {
            Some((dir, rest)) => {
                if here.contains_key(dir) {
                    return Ok(None);
                }
                below.entry(dir).or_default().push((rest, u));
            }
            None => {
                if below.contains_key(path) {
                    return Ok(None);
                }
                here.insert(path, u);
            }
        }
    }
    let mut new_trees: Vec<(&str, Option<Oid>)> = Vec::new();
    for (dir, inner) in below {
        let old = match find(&entries, dir.as_bytes()) {
            Some(i) if entries[i].mode == TREE => Some(Oid::from_bytes(&entries[i].id)?),
            Some(_) => return Ok(None),
            None => None,
        };
        let Some(id) = level(at, old, inner, trees)? else {
            return Ok(None);
        };
        new_trees.push((dir, id));
    }
    let files = here.into_iter().map(|(name, u)| (name, false, u));
    let folders = new_trees
        .into_iter()
        .map(|(name, id)| (name, true, id.map(|id| (id, TREE))));
    for (name, folder, u) in files.chain(folders) {
        let name = name.as_bytes();
        let at = find(&entries, name);
        // A file where a folder is, or the reverse.
        if at.is_some_and(|i| (entries[i].mode == TREE) != folder) || u.is_some_and(|(_, m)| (m == TREE) != folder) {
            return Ok(None);
        }
        match (at, u) {
            (Some(i), None) => {
                entries.remove(i);
            }
            (None, None) => {}
            (at, Some((id, mode))) => {
                let id: [u8; 20] = match id.as_bytes().try_into() {
                    Ok(id) => id,
                    Err(_) => return Ok(None),
                };
                let e = Entry {
                    mode,
                    name,
                    raw: None,
                    id,
                };
                match at {
                    Some(i) => entries[i] = e,
                    None => {
                        let i = entries
                            .binary_search_by(|o| order(o.name, o.mode == TREE, name, mode == TREE))
                            .unwrap_or_else(|i| i);
                        entries.insert(i, e);
                    }
                }
            }
        }
    }
    if entries.is_empty() {
        return Ok(Some(None));
    }
    let mut out = Vec::with_capacity(raw.len() + 128);
    for e in &entries {
        match e.raw {
            Some(r) => out.extend_from_slice(r),
            None => {
                out.extend_from_slice(format!("{:o} ", e.mode).as_bytes());
                out.extend_from_slice(e.name);
                out.push(0);
                out.extend_from_slice(&e.id);
            }
        }
    }
    let id = at.odb.write(ObjectType::Tree, &out)?;
    trees.push(id);
    Ok(Some(Some(id)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use git2::build::TreeUpdateBuilder;
    use git2::FileMode;
    use proptest::prelude::*;

    fn mode(m: u32) -> FileMode {
        match m {
            0o100755 => FileMode::BlobExecutable,
            0o120000 => FileMode::Link,
            _ => FileMode::Blob,
        }
    }

    /// The same tree as libgit2's tree builder writes, for a base tree and
    /// changes drawn from a small set of names (so that they meet: files
    /// beside folders of near names, `a`, `a.md`, `a-b`, `a/…`).
    fn same_as_libgit2(files: Vec<(usize, usize, u8)>, changes: Vec<(usize, usize, Option<u8>)>) {
        let names = ["a", "a.md", "a-b", "a0", "b", "B", "z.md"];
        let dirs = ["", "a/", "a/a/", "c/", "a-b/"];
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let blob = |n: u8| repo.blob(format!("content {n}\n").as_bytes()).unwrap();
        let path = |d: usize, n: usize| format!("{}{}", dirs[d % dirs.len()], names[n % names.len()]);
        // The base: files at paths that do not clash (a file is no folder).
        let mut b = TreeUpdateBuilder::new();
        let empty = repo
            .find_tree(repo.treebuilder(None).unwrap().write().unwrap())
            .unwrap();
        let mut taken: Vec<String> = Vec::new();
        for (d, n, c) in files {
            let p = path(d, n);
            let clash = taken
                .iter()
                .any(|t| *t == p || t.starts_with(&format!("{p}/")) || p.starts_with(&format!("{t}/")));
            if !clash {
                b.upsert(p.as_str(), blob(c), FileMode::Blob);
                taken.push(p);
            }
        }
        let base = repo.find_tree(b.create_updated(&repo, &empty).unwrap()).unwrap();
        // Every path, file or folder, there or not, is found as libgit2
        // finds it (twice: read, then from the recent trees).
        for _ in 0..2 {
            for d in 0..dirs.len() {
                for n in 0..names.len() {
                    let p = path(d, n);
                    let theirs = base
                        .get_path(std::path::Path::new(&p))
                        .ok()
                        .map(|e| (e.id(), e.filemode() as u32));
                    assert_eq!(entry_at(&repo, base.id(), &p).unwrap(), theirs, "{p}");
                }
            }
        }
        let mut want = TreeUpdateBuilder::new();
        let mut ours: Vec<(String, Update)> = Vec::new();
        // One change a path, as the commit plans them.
        let mut seen = std::collections::HashSet::new();
        for (d, n, c) in changes {
            let p = path(d, n);
            if !seen.insert(p.clone()) {
                continue;
            }
            match c {
                Some(c) => {
                    let m = if c % 5 == 0 { 0o100755 } else { 0o100644 };
                    want.upsert(p.as_str(), blob(c), mode(m));
                    ours.push((p, Some((blob(c), m))));
                }
                None => {
                    // As the commit does: only a path the tree has.
                    if base.get_path(std::path::Path::new(&p)).is_ok() {
                        want.remove(p.as_str());
                    }
                    ours.push((p, None));
                }
            }
        }
        let theirs = want.create_updated(&repo, &base);
        let refs: Vec<(&str, Update)> = ours.iter().map(|(p, u)| (p.as_str(), *u)).collect();
        let mine = update(&repo, base.id(), &refs).unwrap();
        match (theirs, mine) {
            (Ok(t), Some(m)) => {
                assert_eq!(m.id, t, "{refs:?}");
                assert!(m.trees.contains(&m.id));
                for id in m.trees {
                    assert!(repo.find_tree(id).is_ok());
                }
            }
            // Not handled here (a file where a folder is, or the reverse):
            // the caller builds it the general way.
            (_, None) => {}
            (Err(e), Some(m)) => panic!("libgit2 refused ({e}) what the splice wrote ({m:?}): {refs:?}"),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn splices_the_tree_libgit2_builds(
            files in proptest::collection::vec((0usize..5, 0usize..7, 0u8..4), 0..14),
            changes in proptest::collection::vec((0usize..5, 0usize..7, proptest::option::of(0u8..10)), 1..5),
        ) {
            same_as_libgit2(files, changes);
        }
    }

    #[test]
    fn a_removed_last_file_drops_its_folder_and_an_empty_root_is_a_tree() {
        same_as_libgit2(vec![(1, 0, 1), (0, 4, 2)], vec![(1, 0, None)]);
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let mut b = TreeUpdateBuilder::new();
        let empty = repo
            .find_tree(repo.treebuilder(None).unwrap().write().unwrap())
            .unwrap();
        b.upsert("x.md", repo.blob(b"x").unwrap(), FileMode::Blob);
        let base = b.create_updated(&repo, &empty).unwrap();
        let w = update(&repo, base, &[("x.md", None)]).unwrap().unwrap();
        assert_eq!(w.id, empty.id());
    }
}
