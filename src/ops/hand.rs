//! A person's uncommitted edits to a document (made in an editor, or by
//! hand outside findings), and the two things a user can do with them from
//! the terminal UI: commit exactly that file's edit as `findings(ID): edit`
//! ([`commit_edit`], undoable like any findings write), or put the file
//! back as `HEAD` has it ([`discard_edit`]; the discarded text is kept as a
//! git blob, and its ID said, so nothing is lost for good).
//!
//! [`hand_edited`] lists the documents that hold such edits: tracked files
//! whose working copy differs from `HEAD` (as `git diff HEAD` sees it,
//! [`crate::git::worktree::changed`]), less the ones holding exactly what
//! findings itself wrote and could not commit
//! (`crate::git::handedit::is_own`). Other writes never sweep these edits
//! into their commits: `super::Transaction::finish` commits `HEAD`'s
//! version with only its own change, or refuses ([`OpError::HandEdits`]).

use super::{message, FileChange, OpError, Outcome, Transaction, WriteOpts};
use crate::git::GitError;
use crate::ops::handedit;
use crate::store::write::WriteError;
use crate::store::Repo;
use git2::Repository;

fn git_err(e: git2::Error) -> OpError {
    OpError::Git(GitError::Git(e))
}

/// The store's root inside the work tree (`sub/`, or empty).
fn prefix(g: &Repository, repo: &Repo) -> Option<String> {
    let wd = g.workdir()?.canonicalize().ok()?;
    let root = repo.root.canonicalize().ok()?;
    let rel = root.strip_prefix(&wd).ok()?;
    let rel = crate::store::relative(&wd, &wd.join(rel));
    Some(if rel.is_empty() { rel } else { format!("{rel}/") })
}

/// The documents of `repo` (paths relative to its root, sorted) whose
/// working file holds edits a person made and nobody committed: of the
/// tracked files, those its configuration would load (`repo` may be opened
/// with only its configuration, [`Repo::config_only`]). Empty outside a git
/// repository or on an unborn branch.
pub fn hand_edited(repo: &Repo) -> Vec<String> {
    let Ok(g) = Repository::discover(&repo.root) else {
        return Vec::new();
    };
    let Some(pre) = prefix(&g, repo) else {
        return Vec::new();
    };
    let Ok(index) = g.index() else {
        return Vec::new();
    };
    let Some(head) = g.head().ok().and_then(|h| h.peel_to_tree().ok()) else {
        return Vec::new();
    };
    let keep = |p: &str| {
        p.strip_prefix(pre.as_str())
            .is_some_and(|rel| rel.ends_with(".md") && crate::store::discoverable(&repo.config, rel))
    };
    let Ok(changed) = crate::git::worktree::changed(&g, &index, Some(&head), &keep, None) else {
        return Vec::new();
    };
    changed
        .paths
        .into_iter()
        .filter_map(|p| p.strip_prefix(&pre).map(str::to_string))
        .filter(|rel| {
            let Ok(snap) = crate::store::write::Snapshot::read(&repo.abs(rel)) else {
                return false;
            };
            handedit::committed_version(&g, &repo.root, rel, &snap.bytes).is_some()
                && !handedit::is_own(&g, rel, &snap.bytes)
        })
        .collect()
}

/// Commit the hand edit of the document `query` names, exactly that file
/// as it is now, as `findings(ID): edit`. Refused when the file holds no
/// edit, or changed since it was shown (`opts.expected_hash`).
pub fn commit_edit(repo: &Repo, query: &str, opts: &WriteOpts) -> Result<Outcome, OpError> {
    let mut tx = Transaction::begin(repo, opts)?;
    let meta = tx.resolve(query)?;
    let (snap, _) = tx.peek(&meta.path)?;
    let doc = tx.read(&meta.path)?;
    let id = doc.meta.id.clone();
    {
        let g = tx.require_git()?;
        if handedit::committed_version(g, &repo.root, &meta.path, &snap.bytes).is_none() {
            return Err(OpError::Invalid {
                id,
                what: format!("{} has no uncommitted edits to commit", meta.path),
            });
        }
        // The user asks for these bytes to be committed as they are: they are
        // taken as findings' own, so the write commits the file, not HEAD's
        // version with only findings' change (which would be none).
        if !opts.dry_run {
            handedit::remember(g, &[(meta.path.as_str(), snap.bytes.as_slice())]);
        }
    }
    tx.stage_text(&doc, None, doc.text.clone());
    let out = Outcome {
        files: vec![FileChange {
            path: meta.path.clone(),
            renamed_from: None,
            created: false,
            removed: false,
        }],
        old_status: doc.meta.status_owned(),
        new_status: doc.meta.status_owned(),
        ..Outcome::new(id.clone(), doc.meta.kind, opts)
    };
    let done = tx.finish(message(&id, "edit", &[], &[]), out);
    // Not committed: the edit is the person's again, never swept into the
    // next write's commit. (The transaction's handle is gone with it; only
    // this path opens the repository again.)
    if done.as_ref().map_or(true, |o| o.commit.is_none()) && !opts.dry_run {
        if let Ok(g) = crate::git::open(&repo.root) {
            handedit::forget(&g, &repo.root, &[meta.path.as_str()]);
        }
    }
    done
}

/// Put the document `query` names back as `HEAD` has it, dropping its
/// uncommitted edits (nothing is committed). The dropped text is stored
/// as a git blob first; the outcome's warning names it (`git cat-file -p
/// ID` shows it). Refused when the file holds no edit, or changed since it
/// was shown.
pub fn discard_edit(repo: &Repo, query: &str, opts: &WriteOpts) -> Result<Outcome, OpError> {
    let tx = Transaction::begin(repo, opts)?;
    let g = tx.require_git()?;
    let meta = tx.resolve(query)?;
    let (snap, doc) = tx.peek(&meta.path)?;
    if let Some(exp) = opts.expected_hash {
        if exp != crate::store::write::content_hash(&snap.bytes) {
            return Err(WriteError::Changed { path: snap.path }.into());
        }
    }
    let id = doc.meta.id.clone();
    let Some(head) = handedit::committed_version(g, &repo.root, &meta.path, &snap.bytes) else {
        return Err(OpError::Invalid {
            id,
            what: format!("{} has no uncommitted edits to discard", meta.path),
        });
    };
    // core.autocrlf: the working file keeps its line endings.
    let crlf = snap.bytes.windows(2).any(|w| w == b"\r\n") && !head.contains(&b'\r');
    let restored = match (crlf, String::from_utf8(head)) {
        (true, Ok(text)) => text.replace('\n', "\r\n").into_bytes(),
        (_, Ok(text)) => text.into_bytes(),
        (_, Err(e)) => e.into_bytes(),
    };
    let mut out = Outcome {
        files: vec![FileChange {
            path: meta.path.clone(),
            renamed_from: None,
            created: false,
            removed: false,
        }],
        ..Outcome::new(id.clone(), doc.meta.kind, opts)
    };
    out.message = format!("{id}: discarded the uncommitted edits of {}", meta.path);
    if opts.dry_run {
        return Ok(out);
    }
    let kept = g.blob(&snap.bytes).map_err(git_err)?;
    snap.write(&restored)?;
    handedit::forget(g, &repo.root, &[meta.path.as_str()]);
    out.warnings.push(format!(
        "the discarded text is kept as git blob {kept} (git cat-file -p {kept})"
    ));
    drop(tx);
    Ok(out)
}
