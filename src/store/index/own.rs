//! Keeping the index current through findings' own writes, so that the
//! next one-document command neither lists the written folder again nor
//! loads the whole repository.
//!
//! Under the repository lock, before anything is written, [`before`]
//! reads the index and checks that it vouches for every folder the write
//! will change (their guards hold) and that the walk would find each new
//! name. After the files are written, [`Pending::after`] changes exactly
//! the entries of the files written, renamed, created or removed (their
//! new `lstat`, their metadata judged from the bytes just written, hashed
//! since they are racily clean) and the guards of the folders they are
//! in, and writes the index again (temporary file, rename). Every other
//! entry keeps the `lstat` it had: a person's edit of another file in the
//! same folder is seen as before.
//!
//! Whenever anything is not as expected (no index, another key, a guard
//! that no longer holds, a name the walk might not find, the index file
//! replaced by someone else meanwhile) nothing is done: the next full load
//! writes the index again. A failed update costs speed, never a write.

use super::{hash128, key, location, racy_since, Entry, Guard, GuardKind, Previous, Row, RowVerdict, Stat};
use crate::store::{discoverable, judge_bytes, Discovery, Loaded, Repo};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

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

/// The index as it was read before a write, with the folders the write
/// changes: what [`Pending::after`] updates.
#[derive(Debug)]
pub(crate) struct Pending {
    place: PathBuf,
    /// The index file's own `lstat` when it was read: anyone else's
    /// rewrite since cancels the update.
    stat: Stat,
    key: u128,
    previous: Previous,
    folders: Vec<String>,
    /// The names in each of `folders` (same order) as listed before the
    /// write, while their guards held: what the index vouched for.
    listed: Vec<HashSet<std::ffi::OsString>>,
}

/// The folder of a repository-relative path (`""` for the root).
pub(crate) fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// Read the index before a write of `changes` (the repository lock held):
/// `None` when it cannot be kept current through it.
pub(crate) fn before(repo: &Repo, changes: &[Change<'_>]) -> Option<Pending> {
    if !cfg!(unix) || changes.is_empty() {
        return None;
    }
    let root = repo.root.as_path();
    let place = location(root)?;
    let key = key(&repo.config);
    let stat = Stat::of(&place)?;
    let previous = Previous::read(&place, key);
    if previous.guards.is_empty() || Stat::of(&place)? != stat {
        return None;
    }
    let mode = Discovery::of(&repo.config);
    let mut folders = Vec::new();
    for c in changes {
        folders.extend(c.from.iter().chain([&c.to]).map(|p| parent(p).to_string()));
        let new_name = c.after.is_some() && c.from != Some(c.to);
        if new_name && !walk_finds(repo, &previous.guards, c.to, mode) {
            return None;
        }
    }
    folders.sort_unstable();
    folders.dedup();
    let mut listed = Vec::with_capacity(folders.len());
    for f in &folders {
        // Listed before the guards are checked: a name added after the
        // listing changes the folder's stat, and the check below fails.
        listed.push(names(&root.join(f))?);
        let mut watched = previous
            .guards
            .iter()
            .filter(|g| g.path == *f && g.kind != GuardKind::File)
            .peekable();
        // A folder the walk never entered (or one a write creates).
        watched.peek()?;
        if !watched.all(|g| g.holds(root)) {
            return None;
        }
    }
    Some(Pending {
        place,
        stat,
        key,
        previous,
        folders,
        listed,
    })
}

/// The names in folder `dir`; `None` when it cannot be listed.
fn names(dir: &Path) -> Option<HashSet<std::ffi::OsString>> {
    std::fs::read_dir(dir)
        .ok()?
        .map(|e| e.map(|e| e.file_name()))
        .collect::<Result<_, _>>()
        .ok()
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
    Some(base.join(parent(rest)))
}

impl Pending {
    /// Record `changes`, just written, in the index read by [`before`];
    /// nothing when anything is not as it expects.
    pub(crate) fn after(mut self, repo: &Repo, changes: &[Change<'_>]) {
        let root = repo.root.as_path();
        let Some(mut entries) = self.previous.entries() else {
            return;
        };
        let known = |p: &str| entries.binary_search_by(|(q, _)| q.as_str().cmp(p)).is_ok();
        if changes.iter().filter_map(|c| c.from).any(|f| !known(f)) {
            return;
        }
        let gone: HashSet<&str> = changes.iter().flat_map(|c| c.from.into_iter().chain([c.to])).collect();
        entries.retain(|(p, _)| !gone.contains(p.as_str()));
        let racy_since = racy_since();
        let mode = Discovery::of(&repo.config);
        for c in changes {
            let Some(bytes) = c.after else {
                continue;
            };
            let Some(stat) = Stat::of(&root.join(c.to)) else {
                return;
            };
            let entry = Entry {
                stat,
                hash: stat.racy(racy_since).then(|| hash128(bytes)),
                verdict: judge_bytes(c.to, bytes.to_vec(), repo.workflows(), mode),
            };
            entries.push((c.to.to_string(), entry));
        }
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        if entries.windows(2).any(|w| w[0].0 == w[1].0) {
            return;
        }
        let mut guards = self.previous.guards.clone();
        for g in guards
            .iter_mut()
            .filter(|g| g.kind != GuardKind::File && self.folders.contains(&g.path))
        {
            let mut now = Guard::take(root, g.path.clone(), g.kind, racy_since);
            if now.stat.is_none() {
                return;
            }
            // Vouched for only when its names are the ones listed before
            // the write with exactly this write's changes: a person's file
            // added meanwhile (even within the same clock tick) leaves the
            // folder to be listed again by the next command. The stat is
            // taken again after the listing, so nothing slipped in between.
            let Some(at) = self.folders.iter().position(|f| *f == g.path) else {
                return;
            };
            let mut expected = self.listed[at].clone();
            for c in changes {
                for gone in c.from.iter().chain(c.after.is_none().then_some(&c.to)) {
                    if parent(gone) == g.path {
                        expected.remove(std::ffi::OsStr::new(crate::document::file_name(gone)));
                    }
                }
                if c.after.is_some() && parent(c.to) == g.path {
                    expected.insert(crate::document::file_name(c.to).into());
                }
            }
            if names(&root.join(&g.path)) != Some(expected) {
                return;
            }
            if Guard::take(root, g.path.clone(), g.kind, racy_since).stat != now.stat {
                return;
            }
            now.racy = false;
            *g = now;
        }
        if Stat::of(&self.place) != Some(self.stat) {
            return;
        }
        let rows = entries.iter().map(|(path, e)| Row {
            path,
            stat: e.stat,
            hash: e.hash,
            verdict: match &e.verdict {
                Loaded::Document(m) => RowVerdict::Document(m),
                Loaded::Failed(p) => RowVerdict::Failed(p),
                Loaded::Skipped(why) => RowVerdict::Skipped(why),
            },
        });
        // A failed write costs the next command its speed, nothing else.
        let _ = super::write(&self.place, self.key, rows, &guards);
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
}
