//! `findings undo [COMMIT]` and `findings redo`: findings' own writes
//! taken back and re-applied, each as a new commit.
//!
//! `undo` reverts the last findings write not undone yet (or COMMIT):
//! `findings(030): undo triage pending → ready` with a `Reverts: <sha>`
//! trailer. Walking back from HEAD, an undo hides the commit it reverted,
//! so `undo` twice undoes the last two writes. `redo` reverts the last undo
//! not redone yet (`findings(030): redo triage …`, `Redoes: <undo>`); a
//! findings write after an undo leaves nothing to redo. Findings' commits
//! are known by their `findings(ID): …` subject and `Finding-Id:` trailer;
//! the walk stops at the first other commit.
//!
//! Each path the commit touched goes back to its parent's version: an edit
//! is restored, a rename is reversed (the new path removed, the old one
//! restored), a created document is removed, but only while it holds
//! exactly the bytes the commit wrote. It refuses when the commit is not a
//! findings commit, is a merge or the first commit, when a touched file in
//! the working tree differs from the commit's version (someone edited it
//! since), and, for an older commit, when a later commit changed one of its
//! paths. The one write step is [`Transaction::finish`]: the same lock, snapshots
//! and atomic writes as every operation, committed with
//! [`crate::git::commit_paths`].

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

/// The ID and the rest of a `findings(ID): rest` subject; a batch's
/// `findings: rest` (its IDs are in the trailers) has an empty ID.
fn parse_subject(s: &str) -> Option<(&str, &str)> {
    if let Some(rest) = s.strip_prefix("findings: ") {
        return Some(("", rest.trim()));
    }
    let rest = s.strip_prefix("findings(")?;
    let (id, rest) = rest.split_once("):")?;
    Some((id, rest.trim()))
}

/// Commits looked at, at most, walking back from HEAD for the write to
/// undo or the undo to redo.
const WALK_LIMIT: usize = 10_000;

/// Whether `message` is one findings wrote: a `findings(ID): …` subject and
/// a `Finding-Id:` trailer.
fn is_findings(message: &str) -> bool {
    let subject = message.lines().next().unwrap_or("");
    parse_subject(subject).is_some() && message.lines().any(|l| l.starts_with("Finding-Id:"))
}

/// The value of a `Key: value` trailer line of `message`.
fn trailer<'m>(message: &'m str, key: &str) -> Option<&'m str> {
    message.lines().rev().find_map(|l| {
        l.strip_prefix(key)
            .and_then(|r| r.strip_prefix(':'))
            .map(str::trim)
            .filter(|v| !v.is_empty())
    })
}

fn short(c: &git2::Commit<'_>) -> String {
    let s = c.id().to_string();
    s[..10].to_string()
}

fn nothing(what: String) -> OpError {
    OpError::Invalid {
        id: "HEAD".into(),
        what,
    }
}

/// Walk back from `head` over findings' own commits only: `step` decides
/// for each (`Some(result)` ends the walk); the walk stops, with `ended`'s
/// message, at a commit findings did not write.
fn walk<'r>(
    head: &git2::Commit<'r>,
    verb: &str,
    mut step: impl FnMut(&git2::Commit<'r>, &str) -> Option<Result<git2::Commit<'r>, OpError>>,
) -> Result<git2::Commit<'r>, OpError> {
    let mut c = head.clone();
    for _ in 0..WALK_LIMIT {
        let message = c.message().unwrap_or("").to_string();
        if !is_findings(&message) {
            let subject = c.summary().unwrap_or("").to_string();
            return Err(nothing(if c.id() == head.id() {
                format!("HEAD is not a findings commit ({subject:?}); nothing to {verb}")
            } else {
                format!(
                    "nothing left to {verb}: every findings write after {} ({subject:?}) is {verb}ne already",
                    short(&c)
                )
            }));
        }
        if let Some(r) = step(&c, &message) {
            return r;
        }
        match c.parent(0) {
            Ok(p) if c.parent_count() == 1 => c = p,
            _ => return Err(nothing(format!("nothing left to {verb}"))),
        }
    }
    Err(nothing(format!(
        "nothing to {verb} within the last {WALK_LIMIT} commits"
    )))
}

/// The last findings write not undone yet: walking back from HEAD, each
/// undo (a `Reverts:` trailer) hides the commit it reverted; the first
/// other findings commit (a write, or a redo) not hidden is the one.
fn last_write<'r>(head: &git2::Commit<'r>) -> Result<git2::Commit<'r>, OpError> {
    let mut undone = std::collections::HashSet::new();
    walk(head, "undo", |c, message| {
        if let Some(x) = trailer(message, "Reverts") {
            undone.insert(x.to_string());
            return None;
        }
        (!undone.contains(&c.id().to_string())).then(|| Ok(c.clone()))
    })
}

/// The last undo not redone yet: walking back from HEAD over redos (a
/// `Redoes:` trailer, which hides the undo it re-applied) and undos; a
/// findings write in between ends the walk (a new write clears what could
/// be redone, as in an editor).
fn last_undo<'r>(head: &git2::Commit<'r>) -> Result<git2::Commit<'r>, OpError> {
    let mut redone = std::collections::HashSet::new();
    walk(head, "redo", |c, message| {
        if let Some(u) = trailer(message, "Redoes") {
            redone.insert(u.to_string());
            return None;
        }
        if trailer(message, "Reverts").is_some() {
            return (!redone.contains(&c.id().to_string())).then(|| Ok(c.clone()));
        }
        Some(Err(nothing(format!(
            "nothing to redo: the last findings commit, {} ({:?}), is a write, not an undo",
            short(c),
            c.summary().unwrap_or("")
        ))))
    })
}

/// Undo a findings write as a new commit: `commit`, or (`None`) the last
/// findings write not undone yet, so that `undo` twice undoes the last two
/// writes. Undoing an undo is a redo.
pub(crate) fn undo(repo: &Repo, commit: Option<&str>, opts: &WriteOpts) -> Result<Outcome, OpError> {
    let tx = Transaction::begin(repo, opts)?;
    let plan = {
        let g = tx.require_git()?;
        let head = g.head().and_then(|h| h.peel_to_commit()).map_err(git_err)?;
        let target = match commit {
            None => last_write(&head)?,
            Some(c) => g
                .revparse_single(c)
                .and_then(|o| o.peel_to_commit())
                .map_err(|_| OpError::Invalid {
                    id: c.to_string(),
                    what: "no such commit".into(),
                })?,
        };
        revert(repo, g, &head, &target, commit.is_some(), opts)?
    };
    plan.finish(tx)
}

/// Re-apply the last undone findings write (revert its undo) as a new
/// commit, `findings(ID): redo …` with a `Redoes: <undo>` trailer.
pub(crate) fn redo(repo: &Repo, opts: &WriteOpts) -> Result<Outcome, OpError> {
    let tx = Transaction::begin(repo, opts)?;
    let plan = {
        let g = tx.require_git()?;
        let head = g.head().and_then(|h| h.peel_to_commit()).map_err(git_err)?;
        let target = last_undo(&head)?;
        revert(repo, g, &head, &target, false, opts)?
    };
    plan.finish(tx)
}

/// An undo or redo worked out from the history, ready to stage and commit.
struct Plan {
    edits: Vec<FileEdit>,
    snapshots: Vec<Snapshot>,
    message: String,
    out: Outcome,
}

impl Plan {
    /// Stage the plan in `tx` and finish the write.
    fn finish(self, mut tx: Transaction<'_>) -> Result<Outcome, OpError> {
        tx.stage(self.edits, self.snapshots);
        tx.finish(self.message, self.out)
    }
}

/// Work out the revert of `target` as a new commit: an undo (`Reverts:`),
/// or, when `target` is itself an undo, a redo (`Redoes:`).
fn revert(
    repo: &Repo,
    g: &Repository,
    head: &git2::Commit<'_>,
    target: &git2::Commit<'_>,
    named: bool,
    opts: &WriteOpts,
) -> Result<Plan, OpError> {
    let sha = target.id().to_string();
    let short = &sha[..sha.len().min(10)];
    let subject = target.summary().unwrap_or("").to_string();
    let invalid = |what: String| OpError::Invalid {
        id: short.to_string(),
        what,
    };
    let parsed = parse_subject(&subject).filter(|_| is_findings(target.message().unwrap_or("")));
    let Some((id, rest)) = parsed else {
        return Err(invalid(format!(
            "{} is not a findings commit ({subject:?}); nothing to undo",
            if named { "it" } else { "HEAD" }
        )));
    };
    let is_undo = trailer(target.message().unwrap_or(""), "Reverts").is_some();
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
    let prefix = root_prefix(g, &repo.root);
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
            let bytes = blob_text(g, tree, p)?.unwrap_or_default();
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
            let (t, h) = (blob_text(g, &ttree, p)?, blob_text(g, &htree, p)?);
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
        if Some(&snap.bytes) != blob_text(g, &ttree, p)?.as_ref() {
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
    // An undo of a write names the write; an undo of an undo is a redo
    // and names what it re-applies; an undo of a redo names the write again.
    let (label, key) = match is_undo {
        true => (format!("redo {}", rest.strip_prefix("undo ").unwrap_or(rest)), "Redoes"),
        false => (
            format!("undo {}", rest.strip_prefix("redo ").unwrap_or(rest)),
            "Reverts",
        ),
    };
    let mut msg = match id {
        "" => super::batch::batch_message(&label, &[], &extra),
        _ => message(id, &label, &[], &extra),
    };
    msg.push_str(&format!("{key}: {sha}\n"));
    // A batch names its documents; their statuses are in the files.
    let out = match id {
        "" => Outcome {
            files,
            ..Outcome::new(extra.join(", "), kind, opts)
        },
        _ => Outcome {
            files,
            old_status,
            new_status,
            ..Outcome::new(id, kind, opts)
        },
    };
    Ok(Plan {
        edits: fes,
        snapshots: snaps,
        message: msg,
        out,
    })
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
        assert_eq!(
            parse_subject("findings: status of 3 documents → complete"),
            Some(("", "status of 3 documents → complete"))
        );
    }

    #[test]
    fn trailers_and_findings_messages() {
        let m = "findings(030): undo triage\n\nFinding-Id: 030\nReverts: abc123\n";
        assert!(is_findings(m));
        assert_eq!(trailer(m, "Reverts"), Some("abc123"));
        assert_eq!(trailer(m, "Redoes"), None);
        assert!(!is_findings("findings(030): typed by hand\n"));
        assert!(!is_findings("fix: x\n\nFinding-Id: 030\n"));
    }
}
