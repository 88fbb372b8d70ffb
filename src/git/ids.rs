//! IDs already taken: in the working tree and in every local branch,
//! remote-tracking branch and linked worktree's HEAD (a branch or a detached
//! commit), read from git objects (never from checkouts), so `findings new`
//! does not take a number another branch already uses.
//!
//! [`clashes_against`] answers the other half: which IDs of the working tree
//! a merge of some ref would duplicate (`findings check --against REF`).
//! Neither sees documents nobody has committed or fetched yet: two people
//! allocating at the same moment can still pick the same number, and that
//! is what the check (and `findings renumber`) is for.

use super::GitError;
use crate::document::{self, Document, Kind};
use crate::store::Repo;
use git2::{ObjectType, Oid, Repository, Tree, TreeWalkMode, TreeWalkResult};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// Every (family, ID) taken in the working tree or on any branch.
pub fn taken_ids(repo: &Repo) -> Vec<(Kind, String)> {
    let mut seen: HashSet<(Kind, String)> = repo.items.iter().map(|m| (m.kind, m.id.clone())).collect();
    let local: HashSet<&str> = repo.items.iter().map(|m| m.path.as_str()).collect();
    if let Ok(g) = Repository::discover(&repo.root) {
        let folders = repo.config.folders();
        for tree in head_trees(&g) {
            for d in tree_documents(&g, &tree, &folders, &|p| local.contains(p), false) {
                seen.insert((d.kind, d.id));
            }
        }
    }
    let mut v: Vec<_> = seen.into_iter().collect();
    v.sort();
    v
}

/// The distinct trees of every local branch, remote-tracking branch, this
/// checkout's HEAD, the main worktree's HEAD and each linked worktree's HEAD
/// (detached ones included).
fn head_trees(g: &Repository) -> Vec<Tree<'_>> {
    let mut commits: Vec<Oid> = Vec::new();
    if let Ok(refs) = g.references() {
        for r in refs.flatten() {
            if r.is_branch() || r.is_remote() {
                if let Ok(c) = r.peel_to_commit() {
                    commits.push(c.id());
                }
            }
        }
    }
    if let Ok(c) = g.head().and_then(|h| h.peel_to_commit()) {
        commits.push(c.id());
    }
    // The HEAD files of the main worktree and of every linked worktree live
    // in the common directory; read them directly so a worktree whose folder
    // is gone (or locked) still counts.
    let common = g.commondir().to_path_buf();
    let mut heads = vec![common.join("HEAD")];
    if let Ok(names) = g.worktrees() {
        for name in names.iter().flatten() {
            heads.push(common.join("worktrees").join(name).join("HEAD"));
        }
    }
    for h in heads {
        if let Some(id) = read_head_file(g, &h) {
            commits.push(id);
        }
    }
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for c in commits {
        let Ok(tree) = g.find_commit(c).and_then(|c| c.tree()) else {
            continue;
        };
        if seen.insert(tree.id()) {
            out.push(tree);
        }
    }
    out
}

/// The commit a `HEAD` file names: a hex ID (detached) or `ref: refs/…`.
fn read_head_file(g: &Repository, path: &Path) -> Option<Oid> {
    let text = std::fs::read_to_string(path).ok()?;
    let line = text.lines().next()?.trim();
    match line.strip_prefix("ref:") {
        Some(r) => g.find_reference(r.trim()).ok()?.peel_to_commit().ok().map(|c| c.id()),
        None => Oid::from_str(line).ok(),
    }
}

/// A document found in a git tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeDoc {
    /// Repository-relative, `/`-separated.
    pub path: String,
    pub kind: Kind,
    pub id: String,
}

/// The documents under `folders` in `tree`, skipping paths `skip` accepts.
/// With `read` false a file whose name carries an ID is not read (enough to
/// know the ID is taken); with `read` true every blob is parsed, so an `id:`
/// key that differs from the name wins as it does in the working tree.
pub fn tree_documents(
    g: &Repository,
    tree: &Tree<'_>,
    folders: &[String],
    skip: &dyn Fn(&str) -> bool,
    read: bool,
) -> Vec<TreeDoc> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for folder in folders {
        let folder = folder.trim_matches('/');
        let (sub, prefix) = if folder == "." || folder.is_empty() {
            (Some(tree.clone()), String::new())
        } else {
            let sub = tree
                .get_path(Path::new(folder))
                .ok()
                .and_then(|e| e.to_object(g).ok())
                .and_then(|o| o.into_tree().ok());
            (sub, format!("{folder}/"))
        };
        let Some(sub) = sub else { continue };
        let _ = sub.walk(TreeWalkMode::PreOrder, |dir, entry| {
            let Some(name) = entry.name() else {
                return TreeWalkResult::Ok;
            };
            if entry.kind() == Some(ObjectType::Tree) {
                // The store does not descend into hidden folders or node_modules.
                return if name.starts_with('.') || name == "node_modules" {
                    TreeWalkResult::Skip
                } else {
                    TreeWalkResult::Ok
                };
            }
            if entry.kind() != Some(ObjectType::Blob) || !(name.ends_with(".md") || name.ends_with(".MD")) {
                return TreeWalkResult::Ok;
            }
            let path = format!("{prefix}{dir}{name}");
            if skip(&path) || !seen.insert(path.clone()) {
                return TreeWalkResult::Ok;
            }
            if !read
                && document::filename::FileName::parse(name).id.is_some()
                && !document::is_auxiliary(&path)
                && !document::is_template(&path)
            {
                let d = Document::parse(&path, String::new());
                out.push(TreeDoc {
                    path,
                    kind: d.meta.kind,
                    id: d.meta.id,
                });
                return TreeWalkResult::Ok;
            }
            let Ok(blob) = g.find_blob(entry.id()) else {
                return TreeWalkResult::Ok;
            };
            let Ok(text) = document::decode(&path, blob.content().to_vec()) else {
                return TreeWalkResult::Ok;
            };
            let d = Document::parse(&path, text);
            if document::counts_as_document(&path, &d) {
                out.push(TreeDoc {
                    path,
                    kind: d.meta.kind,
                    id: d.meta.id,
                });
            }
            TreeWalkResult::Ok
        });
    }
    out
}

/// A document surviving a merge: path, ID, the base document it is.
type Survivor = (String, String, Option<String>);
/// The documents of one ID on our side and only on theirs.
type Sides = (Vec<Survivor>, Vec<Survivor>);

/// An ID a merge of `refname` would give to two documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Clash {
    pub id: String,
    pub kind: Kind,
    /// The document in the working tree.
    pub ours: String,
    /// The other document, as it is in `refname`.
    pub theirs: String,
    /// The ref compared against, as given.
    #[serde(rename = "ref")]
    pub refname: String,
}

/// Every ID that exists in the working tree and in `refname` at different
/// paths, such that merging `refname` would leave both documents: each side's
/// documents are kept unless that side deleted (or renamed) a path the merge
/// base had, exactly as a merge keeps and drops files. A document one side
/// renamed (a status change renames `030-pending-…` to `030-ready-…`) is
/// therefore not a clash.
pub fn clashes_against(repo: &Repo, refname: &str) -> Result<Vec<Clash>, GitError> {
    let g = super::open(&repo.root)?;
    let theirs = g.revparse_single(refname)?.peel_to_commit()?;
    let folders = repo.config.folders();
    let base_docs: Vec<TreeDoc> = match g.head().and_then(|h| h.peel_to_commit()) {
        Ok(head) => match g.merge_base(head.id(), theirs.id()) {
            Ok(b) => tree_documents(&g, &g.find_commit(b)?.tree()?, &folders, &|_| false, false),
            Err(_) => vec![],
        },
        Err(_) => vec![],
    };
    let base_paths: HashSet<&str> = base_docs.iter().map(|d| d.path.as_str()).collect();
    // Only their documents at paths the base lacks can clash, so only those
    // are read; the others are listed by name.
    let their_tree = theirs.tree()?;
    let their_all = tree_documents(&g, &their_tree, &folders, &|_| false, false);
    let their_docs = tree_documents(&g, &their_tree, &folders, &|p| base_paths.contains(p), true);
    let their_paths: HashSet<&str> = their_all.iter().map(|d| d.path.as_str()).collect();
    let our_paths: HashSet<&str> = repo.items.iter().map(|m| m.path.as_str()).collect();
    // Which base document a side's document is: the same path, or a base
    // document with its ID that this side no longer has (a rename, as a
    // status change makes). `None`: a new document.
    let identity = |side: &HashSet<&str>, path: &str, kind: Kind, id: &str| -> Option<String> {
        if base_paths.contains(path) {
            return Some(path.to_string());
        }
        base_docs
            .iter()
            .find(|b| b.kind == kind && b.id.eq_ignore_ascii_case(id) && !side.contains(b.path.as_str()))
            .map(|b| b.path.clone())
    };
    // (kind, lower-case ID) → (ours, theirs-only) documents surviving the merge.
    let mut by_id: BTreeMap<(Kind, String), Sides> = BTreeMap::new();
    for m in &repo.items {
        if their_paths.contains(m.path.as_str()) || !base_paths.contains(m.path.as_str()) {
            let who = identity(&our_paths, &m.path, m.kind, &m.id);
            by_id
                .entry((m.kind, m.id.to_ascii_lowercase()))
                .or_default()
                .0
                .push((m.path.clone(), m.id.clone(), who));
        }
    }
    for d in &their_docs {
        if !our_paths.contains(d.path.as_str()) && !base_paths.contains(d.path.as_str()) {
            let who = identity(&their_paths, &d.path, d.kind, &d.id);
            by_id
                .entry((d.kind, d.id.to_ascii_lowercase()))
                .or_default()
                .1
                .push((d.path.clone(), d.id.clone(), who));
        }
    }
    let mut out = Vec::new();
    for ((kind, _), (ours, theirs)) in by_id {
        for (op, oid, ow) in &ours {
            for (tp, _, tw) in &theirs {
                // Both sides renamed the same document: git reports that
                // (rename/rename); it is one ID, not two.
                if ow.is_some() && ow == tw {
                    continue;
                }
                out.push(Clash {
                    id: oid.clone(),
                    kind,
                    ours: op.clone(),
                    theirs: tp.clone(),
                    refname: refname.to_string(),
                });
            }
        }
    }
    Ok(out)
}
