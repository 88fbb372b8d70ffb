//! Integrating by document identity, not by path.
//!
//! Over 600 lines (about 700 before its tests): the three rejoin cases share the index-stage
//! reading and the document merge.
//!
//! A status change renames a document's file; when it also rewrites enough
//! of the text, git sees a delete and an add. Then a teammate's edit of the
//! old name stops a rebase or merge with a modify/delete conflict (and no
//! markers), and two status changes of one document either stop with a
//! rename/rename conflict or, worse, pass silently leaving two files with one
//! ID. This module finds those cases by the document's ID and merges the
//! versions with the merge driver's document merge ([`merge_texts`]),
//! keeping one file:
//!
//! - [`rejoin_conflicts`], while a rebase or merge is stopped: a document
//!   edited under its old name on one side and renamed on the other ends
//!   up under the new name with both sides' changes; renamed on both sides,
//!   it ends up under the upstream's name. Resolved cleanly, it is staged;
//!   with conflicts left, it stays unmerged (stages 1-3) with markers only
//!   where both changed the same value.
//! - [`rejoin_duplicates`], after an integration that git finished: an ID
//!   that now has two files because each side renamed the base document.
//! - [`missing_entries`], after an integration: work-log entries that git's
//!   own trivial merges dropped (both sides wrote the same row, so the two
//!   blobs were identical and no driver ran), restored as multisets.

use super::merge::{add_entries, merge_texts, merged_count, MergeError, MergeOptions};
use crate::document::worklog::work_log;
use crate::document::{self, Document, Kind};
use crate::git::sync::{Git, Strategy, SyncError};
use git2::{Oid, Repository, Tree};
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;

/// A document joined back into one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Rejoined {
    pub(crate) id: String,
    /// The file the document keeps.
    pub(crate) path: String,
    /// The files removed (the old name; the other side's new name).
    pub(crate) removed: Vec<String>,
    /// Conflicts left in `path` (0: merged and staged).
    pub(crate) conflicts: usize,
}

/// Work-log entries put back into a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Restored {
    pub(crate) id: String,
    pub(crate) path: String,
    /// The entries' text.
    pub(crate) entries: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum IdentityError {
    #[error(transparent)]
    Sync(#[from] SyncError),
    #[error(transparent)]
    Merge(#[from] MergeError),
    #[error("git: {0}")]
    Git(#[from] git2::Error),
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
}

/// One index entry: mode and object.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stage {
    mode: String,
    oid: String,
}

/// A path with unmerged index entries; `stages[0]` is stage 1 (base),
/// `[1]` stage 2 (ours, HEAD), `[2]` stage 3 (theirs).
#[derive(Debug, Clone, Default)]
struct Unmerged {
    path: String,
    stages: [Option<Stage>; 3],
}

fn unmerged(g: &Git) -> Result<Vec<Unmerged>, SyncError> {
    let out = g.run(&["ls-files", "-u", "-z"])?;
    let mut v: Vec<Unmerged> = Vec::new();
    for rec in out.stdout.split(|&b| b == 0).filter(|r| !r.is_empty()) {
        let rec = String::from_utf8_lossy(rec);
        let Some((head, path)) = rec.split_once('\t') else {
            continue;
        };
        let mut w = head.split(' ');
        let (Some(mode), Some(oid), Some(stage)) = (w.next(), w.next(), w.next()) else {
            continue;
        };
        let Some(slot) = stage.parse::<usize>().ok().filter(|s| (1..=3).contains(s)) else {
            continue;
        };
        let i = match v.iter().position(|u| u.path == path) {
            Some(i) => i,
            None => {
                v.push(Unmerged {
                    path: path.to_string(),
                    ..Default::default()
                });
                v.len() - 1
            }
        };
        v[i].stages[slot - 1] = Some(Stage {
            mode: mode.to_string(),
            oid: oid.to_string(),
        });
    }
    Ok(v)
}

/// The text of `path` in `tree`, when it is a UTF-8 document.
fn text_at(g: &Repository, tree: &Tree<'_>, path: &str) -> Option<(Oid, String)> {
    let entry = tree.get_path(Path::new(path)).ok()?;
    let blob = g.find_blob(entry.id()).ok()?;
    let text = document::decode(path, blob.content().to_vec()).ok()?;
    Some((entry.id(), text))
}

fn identity(path: &str, text: &str) -> Option<(Kind, String)> {
    let d = Document::parse(path, text.to_string());
    (!d.meta.id.trim().is_empty()).then(|| (d.meta.kind, d.meta.id.to_ascii_lowercase()))
}

/// The trailing digits of an ID (`ADR-0105` → `0105`): file names carry them.
fn digits(id: &str) -> &str {
    let t = id.trim_end_matches(|c: char| c.is_ascii_digit());
    &id[t.len()..]
}

/// Paths in `tree` (under `folders`) of the document `(kind, id)`, found by
/// name first and confirmed by content.
fn paths_of(g: &Repository, tree: &Tree<'_>, folders: &[String], who: &(Kind, String)) -> Vec<String> {
    let d = digits(&who.1);
    let docs = super::ids::tree_documents(g, tree, folders, &|p| !d.is_empty() && !p.contains(d), false);
    docs.into_iter()
        .filter(|t| t.kind == who.0 && t.id.eq_ignore_ascii_case(&who.1))
        .filter(|t| {
            text_at(g, tree, &t.path)
                .and_then(|(_, x)| identity(&t.path, &x))
                .as_ref()
                == Some(who)
        })
        .map(|t| t.path)
        .collect()
}

/// The commits of the stopped step: (base, ours = HEAD, theirs).
fn stopped_commits(g: &Repository) -> Option<(Oid, Oid, Oid)> {
    let ours = g.head().ok()?.peel_to_commit().ok()?.id();
    let theirs = ["REBASE_HEAD", "MERGE_HEAD", "CHERRY_PICK_HEAD"]
        .iter()
        .find_map(|r| g.revparse_single(r).ok().and_then(|o| o.peel_to_commit().ok()))?;
    let base = if g.revparse_single("MERGE_HEAD").is_ok() {
        g.merge_base(ours, theirs.id()).ok()?
    } else {
        theirs.parent_id(0).ok()?
    };
    Some((base, ours, theirs.id()))
}

fn labels() -> MergeOptions {
    MergeOptions::default()
}

fn write_file(root: &Path, path: &str, text: &str) -> Result<(), IdentityError> {
    let abs = root.join(path);
    if let Some(dir) = abs.parent() {
        std::fs::create_dir_all(dir).map_err(|source| IdentityError::Io {
            path: path.to_string(),
            source,
        })?;
    }
    crate::store::write::atomic_write(&abs, text.as_bytes()).map_err(|source| IdentityError::Io {
        path: path.to_string(),
        source,
    })
}

fn remove_file(root: &Path, path: &str) -> Result<(), IdentityError> {
    match std::fs::remove_file(root.join(path)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(IdentityError::Io {
            path: path.to_string(),
            source: e,
        }),
        _ => Ok(()),
    }
}

/// Put `keep` in the index: staged when clean, else unmerged with the three
/// versions (so `git status` and `check` show it, and nothing continues
/// until a person resolves it); drop `removed` from the index.
fn stage(g: &Git, keep: &str, conflicts: usize, versions: [&Stage; 3], removed: &[String]) -> Result<(), SyncError> {
    let zero = "0".repeat(versions[0].oid.len());
    let mut info = String::new();
    for r in removed {
        info.push_str(&format!("0 {zero}\t{r}\0"));
    }
    if conflicts == 0 {
        g.run_input(&["update-index", "-z", "--index-info"], info.as_bytes())?;
        g.ok(&["add", "--", keep])?;
        return Ok(());
    }
    info.push_str(&format!("0 {zero}\t{keep}\0"));
    for (i, v) in versions.iter().enumerate() {
        info.push_str(&format!("{} {} {}\t{keep}\0", v.mode, v.oid, i + 1));
    }
    g.run_input(&["update-index", "-z", "--index-info"], info.as_bytes())?;
    Ok(())
}

fn stage_of(oid: Oid, tree: &Tree<'_>, path: &str) -> Stage {
    let mode = tree
        .get_path(Path::new(path))
        .map(|e| format!("{:o}", e.filemode()))
        .unwrap_or_else(|_| "100644".into());
    Stage {
        mode,
        oid: oid.to_string(),
    }
}

/// While a rebase or merge is stopped: join every document that one side
/// renamed and the other edited under the old name (modify/delete), or that
/// both sides renamed (rename/rename), back into one file, merged with the
/// document merge. `strategy` says which side is the upstream (whose name
/// is kept when both renamed). `repo` is the repository `g` runs in, opened
/// once by the caller.
pub(crate) fn rejoin_conflicts(
    g: &Git,
    repo: &Repository,
    folders: &[String],
    strategy: Strategy,
) -> Result<Vec<Rejoined>, IdentityError> {
    let um = unmerged(g)?;
    if um.is_empty() {
        return Ok(vec![]);
    }
    let Some((base_id, ours_id, theirs_id)) = stopped_commits(repo) else {
        return Ok(vec![]);
    };
    let root = repo.workdir().unwrap_or(&g.root).to_path_buf();
    let base = repo.find_commit(base_id)?.tree()?;
    let ours = repo.find_commit(ours_id)?.tree()?;
    let theirs = repo.find_commit(theirs_id)?.tree()?;
    let mut out = Vec::new();
    let mut done: Vec<String> = Vec::new();
    for u in &um {
        if done.contains(&u.path) || u.stages[0].is_none() {
            continue;
        }
        let Some((base_oid, base_text)) = text_at(repo, &base, &u.path) else {
            continue;
        };
        let Some(who) = identity(&u.path, &base_text) else {
            continue;
        };
        let in_base = |p: &str| base.get_path(Path::new(p)).is_ok();
        let new_name = |tree: &Tree<'_>| -> Option<String> {
            let v: Vec<String> = paths_of(repo, tree, folders, &who)
                .into_iter()
                .filter(|p| !in_base(p))
                .collect();
            (v.len() == 1).then(|| v[0].clone())
        };
        let has = |tree: &Tree<'_>| tree.get_path(Path::new(&u.path)).is_ok();
        // (kept path, ours' path, theirs' path, removed paths)
        let plan = match (has(&ours), has(&theirs)) {
            (true, false) => new_name(&theirs).map(|q| (q.clone(), u.path.clone(), q, vec![u.path.clone()])),
            (false, true) => new_name(&ours).map(|q| (q.clone(), q, u.path.clone(), vec![u.path.clone()])),
            (false, false) => match (new_name(&ours), new_name(&theirs)) {
                (Some(a), Some(b)) if a != b => {
                    let (keep, other) = match strategy {
                        Strategy::Rebase => (a.clone(), b.clone()),
                        Strategy::Merge => (b.clone(), a.clone()),
                    };
                    Some((keep, a, b, vec![u.path.clone(), other]))
                }
                _ => None,
            },
            (true, true) => None,
        };
        let Some((keep, op, tp, removed)) = plan else { continue };
        let (Some((oo, ot)), Some((to, tt))) = (text_at(repo, &ours, &op), text_at(repo, &theirs, &tp)) else {
            continue;
        };
        let m = merge_texts(&keep, &base_text, &ot, &tt, &labels())?;
        write_file(&root, &keep, &m.text)?;
        for r in &removed {
            remove_file(&root, r)?;
        }
        let versions = [
            stage_of(base_oid, &base, &u.path),
            stage_of(oo, &ours, &op),
            stage_of(to, &theirs, &tp),
        ];
        stage(
            g,
            &keep,
            m.conflicts,
            [&versions[0], &versions[1], &versions[2]],
            &removed,
        )?;
        done.extend(removed.iter().cloned());
        done.push(keep.clone());
        out.push(Rejoined {
            id: Document::parse(&keep, m.text.clone()).meta.id,
            path: keep,
            removed,
            conflicts: m.conflicts,
        });
    }
    Ok(out)
}

/// Merge again, with the document merge, every conflicted document that
/// git merged without the driver (not registered, or its program could not
/// start): its file still holds one side's version exactly (the other
/// side's entries are not in it), or it holds markers where the document
/// merge has none (two appended rows, say). A clean result is staged; one
/// with conflicts keeps its markers for a person. Returns the paths merged.
/// `repo` is the repository `g` runs in, opened once by the caller.
pub(crate) fn remerge(g: &Git, repo: &Repository, folders: &[String]) -> Result<Vec<String>, IdentityError> {
    let um = unmerged(g)?;
    if um.is_empty() {
        return Ok(vec![]);
    }
    let root = repo.workdir().unwrap_or(&g.root).to_path_buf();
    let mut out = Vec::new();
    for u in &um {
        if !u.path.ends_with(".md") || !in_folders(&u.path, folders) {
            continue;
        }
        let [Some(b), Some(o), Some(t)] = &u.stages else {
            continue;
        };
        let blob = |s: &Stage| -> Option<Vec<u8>> {
            let id = Oid::from_str(&s.oid).ok()?;
            Some(repo.find_blob(id).ok()?.content().to_vec())
        };
        let (Some(bb), Some(ob), Some(tb)) = (blob(b), blob(o), blob(t)) else {
            continue;
        };
        let Ok(work) = std::fs::read(root.join(&u.path)) else {
            continue;
        };
        let one_side = work == ob || work == tb;
        let text = |v: Vec<u8>| document::decode(&u.path, v).ok();
        let (Some(bt), Some(ot), Some(tt)) = (text(bb), text(ob), text(tb)) else {
            continue;
        };
        let m = merge_texts(&u.path, &bt, &ot, &tt, &labels())?;
        // Markers the document merge would not have left: git merged the
        // text without the driver, and nobody has resolved it yet.
        let text_merge = m.conflicts == 0 && String::from_utf8_lossy(&work).lines().any(|l| l.starts_with("<<<<<<<"));
        if !one_side && !text_merge {
            continue;
        }
        write_file(&root, &u.path, &m.text)?;
        if m.conflicts == 0 {
            g.ok(&["add", "--", &u.path])?;
        }
        out.push(u.path.clone());
    }
    Ok(out)
}

/// After git re-applied uncommitted edits (`--autostash`) over an
/// integration that renamed their document: the edits, left by git on the
/// old name as a modify/delete conflict, are moved onto the document's new
/// file (merged by the document merge, left unstaged) and the old name is
/// removed. When every such conflict is resolved so, the autostash entry is
/// dropped. Returns the documents moved; conflicts it cannot resolve (or
/// other conflicted paths) are left as git left them, the stash kept.
/// `repo` is the repository `g` runs in, opened once by the caller.
pub(crate) fn rejoin_stashed(g: &Git, repo: &Repository, folders: &[String]) -> Result<Vec<Rejoined>, IdentityError> {
    let um = unmerged(g)?;
    if um.is_empty() {
        return Ok(vec![]);
    }
    let stash = g.ok(&["stash", "list", "-1", "--format=%gs"]).unwrap_or_default();
    if !stash.contains("autostash") {
        return Ok(vec![]);
    }
    let root = repo.workdir().unwrap_or(&g.root).to_path_buf();
    let head = repo.head()?.peel_to_tree()?;
    let mut out = Vec::new();
    for u in &um {
        let [Some(b), None, Some(t)] = &u.stages else { continue };
        if !u.path.ends_with(".md") || !in_folders(&u.path, folders) || head.get_path(Path::new(&u.path)).is_ok() {
            continue;
        }
        let blob = |s: &Stage| -> Option<String> {
            let id = Oid::from_str(&s.oid).ok()?;
            document::decode(&u.path, repo.find_blob(id).ok()?.content().to_vec()).ok()
        };
        let (Some(bt), Some(tt)) = (blob(b), blob(t)) else {
            continue;
        };
        let Some(who) = identity(&u.path, &bt) else { continue };
        let q = paths_of(repo, &head, folders, &who);
        let [q] = q.as_slice() else { continue };
        let Ok(ours) = std::fs::read_to_string(root.join(q)) else {
            continue;
        };
        let m = merge_texts(q, &bt, &ours, &tt, &labels())?;
        if m.conflicts > 0 {
            continue;
        }
        write_file(&root, q, &m.text)?;
        g.ok(&["update-index", "--force-remove", "--", &u.path])?;
        remove_file(&root, &u.path)?;
        out.push(Rejoined {
            id: Document::parse(q, m.text).meta.id,
            path: q.clone(),
            removed: vec![u.path.clone()],
            conflicts: 0,
        });
    }
    if !out.is_empty() && unmerged(g)?.is_empty() {
        g.ok(&["stash", "drop", "-q"])?;
    }
    Ok(out)
}

/// The trees of an integration: the merge base, the upstream, our branch
/// before it, and the result (HEAD).
pub(crate) struct Sides<'r> {
    repo: &'r Repository,
    base: Tree<'r>,
    up: Tree<'r>,
    mine: Tree<'r>,
    head: Tree<'r>,
}

impl<'r> Sides<'r> {
    /// `up` and `mine` are commits; `None` when they share no history.
    pub(crate) fn new(repo: &'r Repository, up: &str, mine: &str) -> Option<Sides<'r>> {
        let up = repo.revparse_single(up).ok()?.peel_to_commit().ok()?;
        let mine = repo.revparse_single(mine).ok()?.peel_to_commit().ok()?;
        let base = repo.find_commit(repo.merge_base(up.id(), mine.id()).ok()?).ok()?;
        let head = repo.head().ok()?.peel_to_commit().ok()?;
        Some(Sides {
            repo,
            base: base.tree().ok()?,
            up: up.tree().ok()?,
            mine: mine.tree().ok()?,
            head: head.tree().ok()?,
        })
    }
}

/// The documents `mine` changed since the base (by identity), with their
/// paths there.
fn changed_by_mine(s: &Sides<'_>, folders: &[String]) -> Result<Vec<(Kind, String)>, IdentityError> {
    let diff = s.repo.diff_tree_to_tree(Some(&s.base), Some(&s.mine), None)?;
    let mut v = Vec::new();
    for d in diff.deltas() {
        for f in [d.old_file(), d.new_file()] {
            let Some(p) = f.path().and_then(|p| p.to_str()) else {
                continue;
            };
            if !p.ends_with(".md") || !in_folders(p, folders) {
                continue;
            }
            let t = text_at(s.repo, &s.mine, p).or_else(|| text_at(s.repo, &s.base, p));
            if let Some(who) = t.and_then(|(_, t)| identity(p, &t)) {
                if !v.contains(&who) {
                    v.push(who);
                }
            }
        }
    }
    Ok(v)
}

fn in_folders(path: &str, folders: &[String]) -> bool {
    folders.iter().any(|f| {
        let f = f.trim_matches('/');
        f.is_empty() || f == "." || path.starts_with(&format!("{f}/"))
    })
}

/// After an integration git finished: every document of ours that now has
/// two files because both sides renamed it (git saw deletes and adds) is
/// merged into the upstream's file and the other file removed. Clean ones
/// are written and staged, to be committed by the caller; ones with
/// conflicts are left unmerged in the index for a person.
pub(crate) fn rejoin_duplicates(g: &Git, s: &Sides<'_>, folders: &[String]) -> Result<Vec<Rejoined>, IdentityError> {
    let root = s.repo.workdir().unwrap_or(&g.root).to_path_buf();
    let mut out = Vec::new();
    for who in changed_by_mine(s, folders)? {
        let now = paths_of(s.repo, &s.head, folders, &who);
        if now.len() != 2 {
            continue;
        }
        let in_tree = |t: &Tree<'_>, p: &str| t.get_path(Path::new(p)).is_ok();
        let up_only: Vec<&String> = now
            .iter()
            .filter(|p| in_tree(&s.up, p) && !in_tree(&s.mine, p))
            .collect();
        let mine_only: Vec<&String> = now
            .iter()
            .filter(|p| in_tree(&s.mine, p) && !in_tree(&s.up, p))
            .collect();
        let (Some(keep), Some(other)) = (up_only.first(), mine_only.first()) else {
            continue;
        };
        let gone: Vec<String> = paths_of(s.repo, &s.base, folders, &who)
            .into_iter()
            .filter(|p| !in_tree(&s.up, p) && !in_tree(&s.mine, p))
            .collect();
        let Some(p) = gone.first() else { continue };
        let (Some((bo, bt)), Some((uo, ut)), Some((mo, mt))) = (
            text_at(s.repo, &s.base, p),
            text_at(s.repo, &s.up, keep),
            text_at(s.repo, &s.mine, other),
        ) else {
            continue;
        };
        let m = merge_texts(keep, &bt, &ut, &mt, &labels())?;
        write_file(&root, keep, &m.text)?;
        remove_file(&root, other)?;
        let versions = [
            stage_of(bo, &s.base, p),
            stage_of(uo, &s.up, keep),
            stage_of(mo, &s.mine, other),
        ];
        let removed = vec![other.to_string()];
        stage(
            g,
            keep,
            m.conflicts,
            [&versions[0], &versions[1], &versions[2]],
            &removed,
        )?;
        out.push(Rejoined {
            id: Document::parse(keep, m.text).meta.id,
            path: keep.to_string(),
            removed,
            conflicts: m.conflicts,
        });
    }
    Ok(out)
}

/// The work-log entries of `text` (at `path`) by key, in order, with their
/// text and date.
fn entries_of(path: &str, text: &str) -> Vec<(String, String, Option<String>)> {
    let d = Document::parse(path, text.to_string());
    work_log(&d)
        .map(|l| {
            l.entries
                .iter()
                .map(|e| (e.key.clone(), text[e.core.clone()].to_string(), e.date.clone()))
                .collect()
        })
        .unwrap_or_default()
}

/// After an integration: the work-log entries of our documents that the
/// result lacks, counted as multisets (what the document merge would keep
/// from the base, the upstream and our branch), written back into the
/// result's file. Returns what was restored (the files are written, not
/// committed).
pub(crate) fn missing_entries(g: &Git, s: &Sides<'_>, folders: &[String]) -> Result<Vec<Restored>, IdentityError> {
    let root = s.repo.workdir().unwrap_or(&g.root).to_path_buf();
    let mut out = Vec::new();
    for who in changed_by_mine(s, folders)? {
        let one = |t: &Tree<'_>| -> Option<(String, String)> {
            let v = paths_of(s.repo, t, folders, &who);
            let p = v.into_iter().next()?;
            let (_, text) = text_at(s.repo, t, &p)?;
            Some((p, text))
        };
        let Some((head_path, head_text)) = one(&s.head) else {
            continue;
        };
        if paths_of(s.repo, &s.head, folders, &who).len() != 1 {
            continue;
        }
        let docs = [one(&s.base), one(&s.up), one(&s.mine)];
        let logs: Vec<Vec<(String, String, Option<String>)>> = docs
            .iter()
            .map(|d| d.as_ref().map(|(p, t)| entries_of(p, t)).unwrap_or_default())
            .collect();
        let count = |v: &[(String, String, Option<String>)]| {
            let mut m: HashMap<String, usize> = HashMap::new();
            for (k, _, _) in v {
                *m.entry(k.clone()).or_insert(0) += 1;
            }
            m
        };
        let [bc, uc, mc] = [count(&logs[0]), count(&logs[1]), count(&logs[2])];
        let hc = count(&entries_of(&head_path, &head_text));
        let get = |m: &HashMap<String, usize>, k: &str| m.get(k).copied().unwrap_or(0);
        let mut add: Vec<(String, Option<String>)> = Vec::new();
        let mut keys: Vec<&String> = uc.keys().chain(mc.keys()).collect();
        keys.sort();
        keys.dedup();
        for k in keys {
            let want = merged_count(get(&bc, k), get(&uc, k), get(&mc, k));
            let lack = want.saturating_sub(get(&hc, k));
            if lack == 0 {
                continue;
            }
            let donor = if get(&mc, k) > 0 { &logs[2] } else { &logs[1] };
            let copies: Vec<&(String, String, Option<String>)> = donor.iter().filter(|e| &e.0 == k).collect();
            for e in copies.iter().rev().take(lack) {
                add.push((e.1.clone(), e.2.clone()));
            }
        }
        if add.is_empty() {
            continue;
        }
        let Some(text) = add_entries(&head_path, &head_text, &add) else {
            continue;
        };
        write_file(&root, &head_path, &text)?;
        out.push(Restored {
            id: Document::parse(&head_path, text).meta.id,
            path: head_path,
            entries: add.into_iter().map(|(t, _)| t).collect(),
        });
    }
    Ok(out)
}

/// Paths with unmerged index entries (a conflict git left, with or
/// without markers in the file), read from the index of the repository
/// holding `root`; empty outside a repository.
pub(crate) fn unmerged_paths(root: &Path) -> Vec<String> {
    // The system git reads its index without re-hashing all of it (libgit2
    // checks the whole file's checksum: a third of `check --against` at
    // 10,000 documents); run in `root`, it lists that part only, relative.
    if let Some(v) = unmerged_by_git(root) {
        return v;
    }
    match crate::git::open(root) {
        Ok(g) => unmerged_in(&g, root),
        Err(_) => vec![],
    }
}

/// `git ls-files --unmerged` run in `root`: paths relative to it, sorted;
/// `None` when git cannot run or fails (outside a repository too).
fn unmerged_by_git(root: &Path) -> Option<Vec<String>> {
    use crate::git::worktree::{read_listing, spawn_listing};
    let bytes = read_listing(spawn_listing(root, &["ls-files", "-z", "--unmerged"])?, 64 << 20)?;
    // `<mode> <object> <stage>\t<path>`, NUL-terminated.
    let mut v: Vec<String> = bytes
        .split(|b| *b == 0)
        .filter_map(|rec| {
            let tab = rec.iter().position(|b| *b == b'\t')?;
            Some(String::from_utf8_lossy(&rec[tab + 1..]).into_owned())
        })
        .collect();
    v.sort();
    v.dedup();
    Some(v)
}

/// [`unmerged_paths`] with the repository already open (when git cannot
/// answer, its index is read through it, re-read first if git changed it
/// since the handle was opened).
pub(crate) fn unmerged_in(g: &Repository, root: &Path) -> Vec<String> {
    if let Some(v) = unmerged_by_git(root) {
        return v;
    }
    let Ok(mut index) = g.index() else { return vec![] };
    if index.read(false).is_err() {
        return vec![];
    }
    if !index.has_conflicts() {
        return vec![];
    }
    let mut v: Vec<String> = index
        .conflicts()
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|c| {
            let e = c.our.or(c.their).or(c.ancestor)?;
            Some(String::from_utf8_lossy(&e.path).into_owned())
        })
        .collect();
    // The paths are the repository's; a root inside the work tree sees its
    // own part only, relative to it.
    if let (Some(w), Ok(r)) = (g.workdir().and_then(|w| w.canonicalize().ok()), root.canonicalize()) {
        if let Ok(rel) = r.strip_prefix(&w) {
            let pre = rel.to_string_lossy().replace('\\', "/");
            if !pre.is_empty() {
                let pre = format!("{pre}/");
                v = v
                    .into_iter()
                    .filter_map(|p| p.strip_prefix(&pre).map(str::to_string))
                    .collect();
            }
        }
    }
    v.sort();
    v.dedup();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_digits() {
        assert_eq!(digits("ADR-0105"), "0105");
        assert_eq!(digits("030"), "030");
        assert_eq!(digits("x"), "");
    }

    #[test]
    fn folders_match_by_prefix() {
        let f = vec!["findings".to_string(), "docs/adr/".to_string()];
        assert!(in_folders("findings/030-x.md", &f));
        assert!(in_folders("docs/adr/0001-x.md", &f));
        assert!(!in_folders("findingsx/1.md", &f));
    }
}
