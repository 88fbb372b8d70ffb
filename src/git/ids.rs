//! IDs already taken: in the working tree and in every local branch,
//! remote-tracking branch and linked worktree's branch, read from git objects
//! (never from checkouts), so `findings new` does not take a number another
//! branch already uses.

use crate::document::{Document, Kind};
use crate::store::Repo;
use std::collections::HashSet;

/// Every (family, ID) taken in the working tree or on any branch.
pub fn taken_ids(repo: &Repo) -> Vec<(Kind, String)> {
    let mut seen: HashSet<(Kind, String)> = repo.items.iter().map(|m| (m.kind, m.id.clone())).collect();
    let local: HashSet<&str> = repo.items.iter().map(|m| m.path.as_str()).collect();
    if let Ok(g) = git2::Repository::discover(&repo.root) {
        for (kind, id) in branch_ids(&g, repo, &local) {
            seen.insert((kind, id));
        }
    }
    let mut v: Vec<_> = seen.into_iter().collect();
    v.sort();
    v
}

fn branch_ids(g: &git2::Repository, repo: &Repo, local: &HashSet<&str>) -> Vec<(Kind, String)> {
    let mut out = Vec::new();
    let Ok(refs) = g.references() else { return out };
    let mut trees = HashSet::new();
    for r in refs.flatten() {
        if !(r.is_branch() || r.is_remote()) {
            continue;
        }
        let Ok(tree) = r.peel_to_tree() else { continue };
        if !trees.insert(tree.id()) {
            continue;
        }
        for folder in repo.config.folders() {
            let sub = if folder == "." || folder.is_empty() {
                Some(tree.clone())
            } else {
                tree.get_path(std::path::Path::new(&folder))
                    .ok()
                    .and_then(|e| e.to_object(g).ok())
                    .and_then(|o| o.into_tree().ok())
            };
            let Some(sub) = sub else { continue };
            let _ = sub.walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
                let Some(name) = entry.name() else {
                    return git2::TreeWalkResult::Ok;
                };
                if entry.kind() != Some(git2::ObjectType::Blob) || !name.ends_with(".md") {
                    return git2::TreeWalkResult::Ok;
                }
                let path = if folder == "." {
                    format!("{dir}{name}")
                } else {
                    format!("{folder}/{dir}{name}")
                };
                if local.contains(path.as_str()) {
                    // Counted from the working tree.
                    return git2::TreeWalkResult::Ok;
                }
                // The file name usually carries the ID: no need to read the blob.
                if crate::document::filename::FileName::parse(name).id.is_some() {
                    let d = Document::parse(&path, String::new());
                    out.push((d.meta.kind, d.meta.id));
                    return git2::TreeWalkResult::Ok;
                }
                if let Ok(obj) = entry.to_object(g) {
                    if let Some(blob) = obj.as_blob() {
                        if let Ok(text) = std::str::from_utf8(blob.content()) {
                            let d = Document::parse(&path, text.to_string());
                            out.push((d.meta.kind, d.meta.id));
                        }
                    }
                }
                git2::TreeWalkResult::Ok
            });
        }
    }
    out
}
