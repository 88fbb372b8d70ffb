//! `findings undo [COMMIT]`: revert a findings commit (HEAD by default) as a
//! new commit, `findings(030): undo triage pending → ready` with a
//! `Reverts: <sha>` trailer. Each path the commit touched goes back to its
//! parent's version: an edit is restored, a rename is reversed (the new
//! path removed, the old one restored), a created document is removed.
//!
//! It refuses when the commit is not a findings commit (its subject starts
//! with `findings(`), is a merge or the first commit, when a touched file in
//! the working tree differs from the commit's version (someone edited it
//! since), and, for an older commit, when a later commit changed one of its
//! paths. Files are written through the same lock, snapshots and atomic
//! writes as every operation, and committed with [`crate::git::commit_paths`].

use super::{message, FileChange, FileEdit, OpError, Outcome, Transaction, WriteOpts};
use crate::document::Kind;
use crate::git::GitError;
use crate::store::write::Snapshot;
use crate::store::Repo;
use git2::{Delta, DiffFindOptions, Repository, Tree};
use std::path::Path;

/// One path's way back.
enum Step {
    /// Write the parent's text at `to` (from `from`, the path now).
    Restore {
        from: Option<String>,
        to: String,
        text: String,
    },
    /// Remove a file the commit created.
    Remove(String),
}

fn git_err(e: git2::Error) -> OpError {
    OpError::Git(GitError::Git(e))
}

fn blob_text(g: &Repository, tree: &Tree<'_>, path: &str) -> Result<Option<Vec<u8>>, OpError> {
    let Ok(e) = tree.get_path(Path::new(path)) else {
        return Ok(None);
    };
    let b = g.find_blob(e.id()).map_err(git_err)?;
    Ok(Some(b.content().to_vec()))
}

/// The ID and the rest of a `findings(ID): rest` subject.
fn parse_subject(s: &str) -> Option<(&str, &str)> {
    let rest = s.strip_prefix("findings(")?;
    let (id, rest) = rest.split_once("):")?;
    Some((id, rest.trim()))
}

/// Revert `commit` (HEAD when `None`) as a new commit.
pub fn undo(repo: &Repo, commit: Option<&str>, opts: &WriteOpts) -> Result<Outcome, OpError> {
    let mut tx = Transaction::begin(repo, opts)?;
    let g = Repository::discover(&repo.root).map_err(|e| match e.code() {
        git2::ErrorCode::NotFound => OpError::Git(GitError::NotARepo {
            path: repo.root.clone(),
        }),
        _ => git_err(e),
    })?;
    let head = g.head().and_then(|h| h.peel_to_commit()).map_err(git_err)?;
    let target = match commit {
        None => head.clone(),
        Some(c) => g
            .revparse_single(c)
            .and_then(|o| o.peel_to_commit())
            .map_err(|_| OpError::Invalid {
                id: c.to_string(),
                what: "no such commit".into(),
            })?,
    };
    let sha = target.id().to_string();
    let short = &sha[..sha.len().min(10)];
    let subject = target.summary().unwrap_or("").to_string();
    let invalid = |what: String| OpError::Invalid {
        id: short.to_string(),
        what,
    };
    let Some((id, rest)) = parse_subject(&subject) else {
        return Err(invalid(format!(
            "{} is not a findings commit ({subject:?}); nothing to undo",
            if commit.is_none() { "HEAD" } else { "it" }
        )));
    };
    if target.parent_count() != 1 {
        return Err(invalid("a merge or a first commit cannot be undone".into()));
    }
    if target.id() != head.id() && !g.graph_descendant_of(head.id(), target.id()).map_err(git_err)? {
        return Err(invalid("is not on the current branch".into()));
    }
    let parent = target.parent(0).map_err(git_err)?;
    let (ptree, ttree, htree) = (
        parent.tree().map_err(git_err)?,
        target.tree().map_err(git_err)?,
        head.tree().map_err(git_err)?,
    );
    let prefix = root_prefix(&g, &repo.root);
    let rel = |p: &str| -> Result<String, OpError> {
        p.strip_prefix(&prefix)
            .map(str::to_string)
            .ok_or_else(|| invalid(format!("{p} is outside {}", repo.root.display())))
    };

    let mut diff_ = g.diff_tree_to_tree(Some(&ptree), Some(&ttree), None).map_err(git_err)?;
    let mut find = DiffFindOptions::new();
    find.renames(true);
    diff_.find_similar(Some(&mut find)).map_err(git_err)?;
    let mut steps = Vec::new();
    // Paths as the commit left them (to check) and as they were before.
    let mut after_paths: Vec<String> = Vec::new();
    let mut gone_paths: Vec<String> = Vec::new();
    for d in diff_.deltas() {
        let path_of = |f: git2::DiffFile<'_>| f.path().and_then(|p| p.to_str()).map(str::to_string);
        let (old, new) = (path_of(d.old_file()), path_of(d.new_file()));
        let text_at = |tree: &Tree<'_>, p: &str| -> Result<String, OpError> {
            let bytes = blob_text(&g, tree, p)?.unwrap_or_default();
            String::from_utf8(bytes).map_err(|_| invalid(format!("{p} is not UTF-8 text")))
        };
        match (d.status(), old, new) {
            (Delta::Modified, _, Some(p)) => {
                steps.push(Step::Restore {
                    from: Some(rel(&p)?),
                    to: rel(&p)?,
                    text: text_at(&ptree, &p)?,
                });
                after_paths.push(p);
            }
            (Delta::Renamed, Some(o), Some(n)) => {
                steps.push(Step::Restore {
                    from: Some(rel(&n)?),
                    to: rel(&o)?,
                    text: text_at(&ptree, &o)?,
                });
                after_paths.push(n);
                gone_paths.push(o);
            }
            (Delta::Added, _, Some(p)) => {
                steps.push(Step::Remove(rel(&p)?));
                after_paths.push(p);
            }
            (Delta::Deleted, Some(p), _) => {
                steps.push(Step::Restore {
                    from: None,
                    to: rel(&p)?,
                    text: text_at(&ptree, &p)?,
                });
                gone_paths.push(p);
            }
            (s, o, n) => {
                return Err(invalid(format!(
                    "cannot undo a {s:?} of {}",
                    n.or(o).unwrap_or_default()
                )))
            }
        }
    }
    if steps.is_empty() {
        return Err(invalid("the commit changed nothing".into()));
    }
    // Later commits must not have touched the same paths.
    if target.id() != head.id() {
        for p in after_paths.iter().chain(gone_paths.iter()) {
            let (t, h) = (blob_text(&g, &ttree, p)?, blob_text(&g, &htree, p)?);
            if t != h {
                return Err(invalid(format!(
                    "a later commit changed {p}; undo the later commits first"
                )));
            }
        }
    }
    // The working tree must still hold what the commit wrote.
    let mut snaps = Vec::new();
    for p in &after_paths {
        let r = rel(p)?;
        crate::store::contain::check(&repo.root, &r).map_err(crate::store::StoreError::from)?;
        let snap = Snapshot::read(&repo.abs(&r))
            .map_err(|_| invalid(format!("{r} is gone from the working tree; it changed since {short}")))?;
        if Some(&snap.bytes) != blob_text(&g, &ttree, p)?.as_ref() {
            return Err(invalid(format!(
                "{r} was edited since {short}; commit or discard that change first"
            )));
        }
        snaps.push(snap);
    }
    for p in &gone_paths {
        let r = rel(p)?;
        if repo.abs(&r).exists()
            && !steps
                .iter()
                .any(|s| matches!(s, Step::Restore { from: Some(f), .. } if *f == r))
        {
            return Err(invalid(format!(
                "{r} exists again in the working tree; move it away first"
            )));
        }
    }

    // The plan, as the other operations write it.
    let current = |p: &str| -> String {
        snaps
            .iter()
            .find(|s| s.path == repo.abs(p))
            .map(|s| String::from_utf8_lossy(&s.bytes).into_owned())
            .unwrap_or_default()
    };
    let mut fes = Vec::new();
    let mut removals = Vec::new();
    let mut files = Vec::new();
    for s in &steps {
        match s {
            Step::Restore { from, to, text } => {
                fes.push(FileEdit {
                    from: from.clone(),
                    to: to.clone(),
                    before: from.as_deref().map(current).unwrap_or_default(),
                    after: text.clone(),
                    remove: false,
                });
                files.push(FileChange {
                    path: to.clone(),
                    renamed_from: from.clone().filter(|f| f != to),
                    created: from.is_none(),
                    removed: false,
                });
            }
            Step::Remove(p) => {
                removals.push(FileEdit::removal(p, current(p)));
                files.push(FileChange {
                    path: p.clone(),
                    renamed_from: None,
                    created: false,
                    removed: true,
                });
            }
        }
    }
    // Restores first, then removals, as one write.
    let restored = fes.len();
    fes.extend(removals);
    // What the main document was and goes back to.
    let main = fes[..restored].first();
    let doc_at = |p: &str, text: &str| repo.parse(p, text.to_string());
    let (kind, old_status, new_status) = match main {
        Some(fe) => {
            let before = doc_at(fe.from.as_deref().unwrap_or(&fe.to), &fe.before);
            let after = doc_at(&fe.to, &fe.after);
            (
                before.meta.kind,
                fe.from.as_ref().and(before.meta.status_raw.clone()),
                after.meta.status_raw.clone(),
            )
        }
        None => (
            fes.first()
                .map(|fe| doc_at(&fe.to, &fe.before).meta.kind)
                .unwrap_or(Kind::Finding),
            None,
            None,
        ),
    };
    let extra: Vec<String> = target
        .message()
        .unwrap_or("")
        .lines()
        .filter_map(|l| l.strip_prefix("Finding-Id:"))
        .map(|s| s.trim().to_string())
        .filter(|s| s != id)
        .collect();
    let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
    let mut msg = message(id, &format!("undo {rest}"), &[], &extra);
    msg.push_str(&format!("Reverts: {sha}\n"));
    let out = Outcome {
        files,
        old_status,
        new_status,
        ..Outcome::new(id, kind, opts)
    };
    tx.stage(fes, snaps);
    tx.finish(msg, out)
}

/// The path of the store's root inside the work tree (`sub/` or empty).
fn root_prefix(g: &Repository, root: &Path) -> String {
    let Some(wd) = g.workdir() else {
        return String::new();
    };
    let wd = wd.canonicalize().unwrap_or_else(|_| wd.to_path_buf());
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    match root.strip_prefix(&wd) {
        Ok(r) if !r.as_os_str().is_empty() => format!("{}/", crate::store::relative(&wd, &wd.join(r))),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects() {
        assert_eq!(
            parse_subject("findings(030): triage pending → ready"),
            Some(("030", "triage pending → ready"))
        );
        assert_eq!(parse_subject("fix: x"), None);
    }
}
