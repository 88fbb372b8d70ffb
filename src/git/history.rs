//! A document's history from git: every commit that changed it, newest
//! first, following renames (a status change renames `030-pending-…` to
//! `030-ready-…`), with what changed: the status from → to, the work-log
//! entries added, a rename, the creation.
//!
//! The walk starts at HEAD and visits every ancestor once (all branches a
//! merge brought in included). Each commit knows the path the document had
//! there; comparing with each parent either finds the same path, or a
//! rename (git's similarity detection, first within the folder, then the
//! whole tree), or the commit that created it. Merge commits are not listed:
//! the changes they bring are listed on the commits that made them.

use super::GitError;
use crate::document::worklog::work_log;
use crate::document::Document;
use git2::{Commit, Delta, DiffFindOptions, DiffOptions, Oid, Repository, Sort, Tree};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// One commit that changed the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryEntry {
    /// Full hex ID.
    pub(crate) commit: String,
    /// Author date, RFC 3339 in the author's offset.
    pub(crate) date: String,
    pub author: String,
    pub(crate) email: String,
    /// The first line of the message.
    pub(crate) subject: String,
    /// The document's path after this commit (repository-relative).
    pub path: String,
    /// The commit renamed the document from this path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) renamed_from: Option<String>,
    /// The commit created the document.
    pub created: bool,
    /// The status before (as written, `None` when created or absent).
    pub(crate) status_from: Option<String>,
    /// The status after.
    pub(crate) status_to: Option<String>,
    /// The work-log entries this commit added (a table row, or a block's heading).
    pub(crate) worklog_added: Vec<String>,
}

impl HistoryEntry {
    /// The status changed in this commit.
    pub(crate) fn status_changed(&self) -> bool {
        self.status_from != self.status_to && !self.created
    }
}

/// The history of the document at `path` (relative to `root`, as the store
/// names it), newest first. A path HEAD does not hold yet (a new, uncommitted
/// document) has no history. Outside a repository: [`GitError::NotARepo`].
pub(crate) fn history(root: &Path, path: &str) -> Result<Vec<HistoryEntry>, GitError> {
    let g = super::open(root)?;
    let prefix = workdir_prefix(&g, root);
    let full = format!("{prefix}{path}");
    let head = match g.head().and_then(|h| h.peel_to_commit()) {
        Ok(c) => c,
        Err(_) => return Ok(vec![]),
    };
    let mut walk = g.revwalk()?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME)?;
    walk.push(head.id())?;
    let mut paths: HashMap<Oid, String> = HashMap::new();
    paths.insert(head.id(), full);
    let mut out = Vec::new();
    for oid in walk {
        let oid = oid?;
        let Some(p) = paths.get(&oid).cloned() else {
            continue;
        };
        let c = g.find_commit(oid)?;
        let tree = c.tree()?;
        let Some(blob) = blob_at(&tree, &p) else {
            continue;
        };
        let parents: Vec<Commit<'_>> = c.parents().collect();
        // (parent's path, parent's blob) for each parent that had the document.
        let mut before: Vec<Option<(String, Oid)>> = Vec::new();
        for parent in &parents {
            let ptree = parent.tree()?;
            let found = match blob_at(&ptree, &p) {
                Some(b) => Some((p.clone(), b)),
                None => renamed_from(&g, &ptree, &tree, &p)?.and_then(|old| blob_at(&ptree, &old).map(|b| (old, b))),
            };
            if let Some((pp, _)) = &found {
                paths.entry(parent.id()).or_insert_with(|| pp.clone());
            }
            before.push(found);
        }
        if parents.len() > 1 {
            continue;
        }
        let prev = before.into_iter().next().flatten();
        if prev.as_ref().is_some_and(|(pp, b)| *b == blob && *pp == p) {
            continue;
        }
        out.push(entry(&g, &c, &p, blob, prev.as_ref(), &prefix)?);
    }
    Ok(out)
}

/// The path of `root` inside the work tree (`sub/` or empty).
fn workdir_prefix(g: &Repository, root: &Path) -> String {
    let Some(wd) = g.workdir() else {
        return String::new();
    };
    let wd = wd.canonicalize().unwrap_or_else(|_| wd.to_path_buf());
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    match root.strip_prefix(&wd) {
        Ok(rel) if !rel.as_os_str().is_empty() => format!("{}/", slashed(rel)),
        _ => String::new(),
    }
}

/// A relative path with `/` between its parts.
fn slashed(rel: &Path) -> String {
    rel.components()
        .filter(|c| matches!(c, std::path::Component::Normal(_)))
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn blob_at(tree: &Tree<'_>, path: &str) -> Option<Oid> {
    let e = tree.get_path(Path::new(path)).ok()?;
    (e.kind() == Some(git2::ObjectType::Blob)).then(|| e.id())
}

/// The path `path` (in `new`) had in `old`, when the change was a rename.
fn renamed_from(g: &Repository, old: &Tree<'_>, new: &Tree<'_>, path: &str) -> Result<Option<String>, GitError> {
    let folder = path.rsplit_once('/').map(|(d, _)| format!("{d}/"));
    for spec in [folder, None] {
        let mut opts = DiffOptions::new();
        if let Some(s) = &spec {
            opts.pathspec(s);
        }
        let mut diff = g.diff_tree_to_tree(Some(old), Some(new), Some(&mut opts))?;
        let mut find = DiffFindOptions::new();
        find.renames(true);
        diff.find_similar(Some(&mut find))?;
        for d in diff.deltas() {
            if d.status() == Delta::Renamed && d.new_file().path() == Some(Path::new(path)) {
                if let Some(old) = d.old_file().path().and_then(|p| p.to_str()) {
                    return Ok(Some(old.to_string()));
                }
            }
        }
        if spec.is_none() {
            break;
        }
    }
    Ok(None)
}

fn text_of(g: &Repository, blob: Oid) -> Option<String> {
    let b = g.find_blob(blob).ok()?;
    String::from_utf8(b.content().to_vec()).ok()
}

fn date(t: git2::Time) -> String {
    let Some(d) = chrono::DateTime::from_timestamp(t.seconds(), 0) else {
        return t.seconds().to_string();
    };
    match chrono::FixedOffset::east_opt(t.offset_minutes() * 60) {
        Some(o) => d.with_timezone(&o).to_rfc3339(),
        None => d.to_rfc3339(),
    }
}

fn entry(
    g: &Repository,
    c: &Commit<'_>,
    path: &str,
    blob: Oid,
    prev: Option<&(String, Oid)>,
    prefix: &str,
) -> Result<HistoryEntry, GitError> {
    let rel = |p: &str| p.strip_prefix(prefix).unwrap_or(p).to_string();
    let after = text_of(g, blob).map(|t| Document::parse(&rel(path), t));
    let before = prev
        .and_then(|(p, b)| text_of(g, *b).map(|t| (p, t)))
        .map(|(p, t)| Document::parse(&rel(p), t));
    let status = |d: &Option<Document>| d.as_ref().and_then(|d| d.meta.status_raw.clone());
    let mut added = Vec::new();
    if let Some(a) = &after {
        if let Some(log) = work_log(a) {
            let old: HashSet<String> = before
                .as_ref()
                .and_then(work_log)
                .map(|l| l.entries.into_iter().map(|e| e.key).collect())
                .unwrap_or_default();
            for e in log.entries {
                if !old.contains(&e.key) {
                    let first = a.text.get(e.core.clone()).and_then(|t| t.lines().next()).unwrap_or("");
                    added.push(first.trim().to_string());
                }
            }
        }
    }
    let author = c.author();
    Ok(HistoryEntry {
        commit: c.id().to_string(),
        date: date(author.when()),
        author: author.name().unwrap_or("").to_string(),
        email: author.email().unwrap_or("").to_string(),
        subject: c.summary().unwrap_or("").to_string(),
        path: rel(path),
        renamed_from: prev.filter(|(p, _)| p != path).map(|(p, _)| rel(p)),
        created: prev.is_none(),
        status_from: status(&before),
        status_to: status(&after),
        worklog_added: added,
    })
}
