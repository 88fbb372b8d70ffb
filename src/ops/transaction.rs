//! The one write pipeline. Every operation that changes files runs in a
//! [`Transaction`]:
//!
//! 1. [`Transaction::begin`] opens the git repository (once for the whole
//!    write: the state check, the author, the hand-edit ledger and the
//!    commit all use that one handle), checks the git state (no merge or
//!    rebase in progress, an identity git would accept), takes the
//!    repository lock (completing a write a killed process left,
//!    [`super::journal`]) and keeps the repository's workflows for the whole
//!    write;
//! 2. the operation reads what it changes fresh under the lock
//!    ([`Transaction::resolve`], [`Transaction::read`]) and stages changes:
//!    span edits of a document ([`Transaction::edit`]), a rename with them,
//!    new files ([`Transaction::create`]), removals;
//! 3. [`Transaction::finish`] returns the diff (`--dry-run`), or writes every
//!    staged change atomically (through the journal when several files
//!    change) and commits exactly the touched paths, and fills the
//!    operation's [`Outcome`] with the commit and the warnings.
//!
//! A failed commit keeps the written files and says so
//! ([`OpError::Commit`]); nothing is written before every check passed.
//! (`findings init`'s `.gitattributes` write, in `ops/team.rs`, still takes
//! the lock and calls [`commit_edits`] itself: it checks the git state only
//! once it knows there is something to commit.)
//!
//! About 530 lines before the tests: the one write pipeline, kept whole so that every write passes
//! the same steps in the same order.

use super::{diff, journal, FileEdit, OpError, Outcome, WriteOpts, LOCK_TIMEOUT};
use crate::document::{self, Document, Kind, Meta};
use crate::edit::{self, worklog};
use crate::git::{self, Change, CommitOptions, GitError, RepoState};
use crate::store::index::own as index;
use crate::store::write::{self, Snapshot, WriteError};
use crate::store::{Repo, StoreError};
use crate::workflow::{Workflow, Workflows};
use git2::Repository;
use std::cell::OnceCell;
use std::path::Path;

/// A write in progress: the lock held, what was read, what is staged.
pub(crate) struct Transaction<'r> {
    repo: &'r Repo,
    opts: WriteOpts,
    _lock: Option<write::RepoLock>,
    /// The git repository holding the root, opened once (`None` outside one).
    git: Option<Repository>,
    /// The repository opened afresh under the lock, once, when a document
    /// moved since `repo` was loaded or the operation needs every document.
    fresh: OnceCell<Repo>,
    author: OnceCell<String>,
    edits: Vec<FileEdit>,
    snapshots: Vec<Snapshot>,
}

impl<'r> Transaction<'r> {
    /// Check the git state and take the repository lock (neither for a dry
    /// run, which writes nothing).
    pub(crate) fn begin(repo: &'r Repo, opts: &WriteOpts) -> Result<Transaction<'r>, OpError> {
        let git = open_git(&repo.root, opts)?;
        check_git_state(git.as_ref(), opts)?;
        let lock = lock(repo, opts)?;
        Ok(Transaction {
            repo,
            opts: opts.clone(),
            _lock: lock,
            git,
            fresh: OnceCell::new(),
            author: OnceCell::new(),
            edits: Vec::new(),
            snapshots: Vec::new(),
        })
    }

    /// The repository the write was begun on.
    pub(crate) fn repo(&self) -> &'r Repo {
        self.repo
    }

    /// The git repository the write works in, as [`Transaction::begin`]
    /// opened it (`None` outside one): an operation that reads history
    /// (undo) reads it through this handle instead of opening its own.
    pub(crate) fn git(&self) -> Option<&Repository> {
        self.git.as_ref()
    }

    /// [`Transaction::git`] for an operation that needs a repository (undo,
    /// hand edits): [`GitError::NotARepo`] outside one.
    pub(crate) fn require_git(&self) -> Result<&Repository, OpError> {
        self.git.as_ref().ok_or_else(|| {
            OpError::Git(GitError::NotARepo {
                path: self.repo.root.clone(),
            })
        })
    }

    /// The write's options.
    pub(crate) fn opts(&self) -> &WriteOpts {
        &self.opts
    }

    /// The repository's workflows (built once, when it was opened).
    pub(crate) fn workflows(&self) -> &'r Workflows {
        self.repo.workflows()
    }

    /// The workflow of `kind`.
    pub(crate) fn workflow(&self, kind: Kind) -> &'r Workflow {
        self.workflows().get(kind)
    }

    /// Every document as it is now, under the lock: the repository opened
    /// afresh, once per transaction.
    pub(crate) fn fresh(&self) -> &Repo {
        self.fresh
            .get_or_init(|| Repo::open_with(&self.repo.root, self.repo.config.clone()))
    }

    /// The document `query` names, as it is now: a rename by a concurrent
    /// writer since the repository was loaded is seen.
    pub(crate) fn resolve(&self, query: &str) -> Result<Meta, OpError> {
        if let Ok(m) = self.repo.resolve(query) {
            if self.repo.abs(&m.path).exists() {
                return Ok(m.clone());
            }
        }
        Ok(self.fresh().resolve(query)?.clone())
    }

    /// Read the document at `path` fresh from disk for writing, checked
    /// against what the caller showed the user (`expected_hash`).
    pub(crate) fn read(&mut self, path: &str) -> Result<Document, OpError> {
        let (snap, doc) = self.peek_checked(path, true)?;
        self.snapshots.push(snap);
        Ok(doc)
    }

    /// [`Transaction::read`] of a second document the caller did not show
    /// (no `expected_hash` check).
    pub(crate) fn read_other(&mut self, path: &str) -> Result<Document, OpError> {
        let (snap, doc) = self.peek_checked(path, false)?;
        self.snapshots.push(snap);
        Ok(doc)
    }

    /// Read a document the write may change, keeping nothing: the caller
    /// stages the snapshot with its edits ([`Transaction::stage`]) when it
    /// does change it.
    pub(crate) fn peek(&self, path: &str) -> Result<(Snapshot, Document), OpError> {
        self.peek_checked(path, false)
    }

    fn peek_checked(&self, path: &str, check: bool) -> Result<(Snapshot, Document), OpError> {
        crate::store::contain::check(&self.repo.root, path).map_err(StoreError::from)?;
        let abs = self.repo.abs(path);
        let snap = Snapshot::read(&abs)?;
        if let Some(exp) = self.opts.expected_hash.filter(|_| check) {
            if exp != write::content_hash(&snap.bytes) {
                return Err(WriteError::Changed { path: abs }.into());
            }
        }
        let text = document::decode(path, snap.bytes.clone()).map_err(|u| StoreError::Unreadable(u.0))?;
        let doc = self.repo.parse(path, text);
        Ok((snap, doc))
    }

    /// The work-log author: `--author`, else git's `user.name`, else
    /// `$USER` (looked up once).
    pub(crate) fn author(&self) -> &str {
        self.author
            .get_or_init(|| super::author_from(&self.opts, || git::user_name_in(self.git.as_ref())))
    }

    /// A work-log entry for this write, dated today.
    pub(crate) fn entry(&self, action: String, details: String) -> worklog::Entry {
        worklog::Entry {
            date: self.opts.today(),
            author: self.author().to_string(),
            action,
            details,
        }
    }

    /// `doc`'s text with `edits` applied (nothing staged).
    pub(crate) fn apply(doc: &Document, edits: &[edit::Edit]) -> Result<String, OpError> {
        edit::span::apply(&doc.text, edits).map_err(OpError::edit(&doc.meta.path))
    }

    /// Stage `doc` (read with [`Transaction::read`]) rewritten as `after`,
    /// moved to `to` when given.
    pub(crate) fn stage_text(&mut self, doc: &Document, to: Option<String>, after: String) {
        self.edits.push(FileEdit {
            from: Some(doc.meta.path.clone()),
            to: to.unwrap_or_else(|| doc.meta.path.clone()),
            before: doc.text.clone(),
            after,
            remove: false,
        });
    }

    /// Stage span `edits` of `doc`, moved to `to` when given; returns the
    /// new text.
    pub(crate) fn edit(&mut self, doc: &Document, edits: &[edit::Edit], to: Option<String>) -> Result<String, OpError> {
        let after = Self::apply(doc, edits)?;
        self.stage_text(doc, to, after.clone());
        Ok(after)
    }

    /// Stage a new file at `path`.
    pub(crate) fn create(&mut self, path: &str, text: String) {
        self.edits.push(FileEdit {
            from: None,
            to: path.to_string(),
            before: String::new(),
            after: text,
            remove: false,
        });
    }

    /// Stage planned changes the operation built itself, with the
    /// snapshots of the files they change (read under the lock).
    pub(crate) fn stage(&mut self, edits: Vec<FileEdit>, snapshots: Vec<Snapshot>) {
        self.edits.extend(edits);
        self.snapshots.extend(snapshots);
    }

    /// Finish the write: with `--dry-run` the diff, else write everything
    /// staged and commit it with `message`. `out` is the operation's
    /// outcome; the message, diff, commit and warnings are filled in.
    pub(crate) fn finish(self, message: String, mut out: Outcome) -> Result<Outcome, OpError> {
        out.message = message;
        if self.opts.dry_run {
            out.diff = Some(diff(&self.edits));
            return Ok(out);
        }
        let (commit, warnings) = commit_edits(
            self.repo,
            self.git.as_ref(),
            &self.edits,
            &self.snapshots,
            &out.message,
            &self.opts,
        )?;
        out.commit = commit;
        out.warnings.extend(warnings);
        Ok(out)
    }
}

/// The git repository a write works in, opened once: `None` outside a
/// repository. A write refuses one git would refuse (bare, owned by another
/// user); a dry run, which commits nothing, only reads it (for the author).
pub(crate) fn open_git(root: &Path, opts: &WriteOpts) -> Result<Option<Repository>, OpError> {
    if opts.dry_run {
        return Ok(git::open(root).ok());
    }
    Ok(git::open_for_write(root)?)
}

/// Refuse before writing when git is mid-merge or has no identity it would
/// accept, and we would commit; `git` is the repository [`open_git`] opened
/// (which refused one git itself would refuse).
pub(crate) fn check_git_state(git: Option<&Repository>, opts: &WriteOpts) -> Result<(), OpError> {
    let Some(g) = git.filter(|_| !opts.dry_run && !opts.no_commit) else {
        return Ok(());
    };
    git::check_identity_in(g)?;
    match RepoState::from(g.state()) {
        RepoState::NotARepo | RepoState::Clean => Ok(()),
        s => Err(OpError::InProgress(s)),
    }
}

/// Hold the repository lock for a write (none for a dry run).
pub(crate) fn lock(repo: &Repo, opts: &WriteOpts) -> Result<Option<write::RepoLock>, OpError> {
    if opts.dry_run {
        return Ok(None);
    }
    let held = write::lock_repo(&repo.root, LOCK_TIMEOUT)?;
    // A write of several files a killed process left half done is completed
    // before anything else is read.
    journal::recover(&repo.root)?;
    Ok(Some(held))
}

/// Refuse to replace or remove a read-only file: its mode says nobody
/// should change it, and a rename over it would.
fn refuse_read_only(repo: &Repo, rel: &str) -> Result<(), OpError> {
    match std::fs::metadata(repo.abs(rel)) {
        Ok(m) if m.permissions().readonly() => Err(OpError::Io {
            path: rel.to_string(),
            message: "the file is read-only; make it writable to change it".into(),
        }),
        _ => Ok(()),
    }
}

/// Write the planned edits and commit them: the one place files change.
/// The repository lock must be held by the caller; `git` is the repository
/// it opened ([`open_git`]). Git's index is read (a private copy, through a
/// handle of its own) on another thread from the start, for the commit.
pub(crate) fn commit_edits(
    repo: &Repo,
    git: Option<&Repository>,
    edits: &[FileEdit],
    snapshots: &[Snapshot],
    msg: &str,
    opts: &WriteOpts,
) -> Result<(Option<String>, Vec<String>), OpError> {
    let mut warnings = Vec::new();
    let mut changes = Vec::new();
    let mut written = Vec::new();
    crate::interrupt::check()?;
    // A file that also holds a person's uncommitted edits: commit HEAD's
    // version with only this change (decided before anything is written).
    // Git's index is read on another thread meanwhile, for the commit.
    let ahead = git.filter(|_| !opts.no_commit).and_then(git::IndexAhead::start);
    let own = own_changes(repo, git, edits, snapshots, opts, &mut warnings)?;
    // What findings is about to write is its own until committed: recorded
    // before anything is written, so a kill between the write and the commit
    // (or a failed commit, or --no-commit) never leaves findings' bytes
    // looking like a person's hand edit to the next write. A rename killed
    // half way leaves the new bytes under the old name, so both are recorded.
    // A file that also holds a person's edits is never recorded as findings'.
    let mine: Vec<(&str, &[u8])> = edits
        .iter()
        .zip(&own)
        .filter(|(e, content)| !e.remove && content.is_none())
        .flat_map(|(e, _)| {
            let to = Some((e.to.as_str(), e.after.as_bytes()));
            let from = e
                .from
                .as_deref()
                .filter(|f| *f != e.to)
                .map(|f| (f, e.after.as_bytes()));
            [to, from]
        })
        .flatten()
        .collect();
    if let Some(g) = git {
        super::handedit::remember(g, &mine);
    }
    // The index, read now to be kept current through this write (see
    // `store::index::own`): the next one-document command then neither
    // lists these folders again nor loads everything.
    let indexed: Vec<index::Change<'_>> = edits
        .iter()
        .map(|e| index::Change {
            from: e.from.as_deref(),
            to: &e.to,
            after: (!e.remove).then_some(e.after.as_bytes()),
        })
        .collect();
    let index_before = index::before(repo, &indexed);
    let journaled = journal::begin(&repo.root, edits, msg)?;
    let mut done = 0;
    let wrote = write_edits(repo, edits, &own, snapshots, &mut changes, &mut written, &mut done);
    if let Err(e) = wrote {
        // All or nothing: put back what was written (the journal completes
        // it instead if even that fails).
        if journaled && journal::undo(&repo.root, &edits[..done]) {
            journal::finish(&repo.root);
        }
        return Err(e);
    }
    warnings.extend(journal::take_notes());
    let paths: Vec<&str> = edits
        .iter()
        .flat_map(|e| [Some(e.to.as_str()), e.from.as_deref()])
        .flatten()
        .collect();
    let commit_opts = CommitOptions {
        no_verify: opts.no_verify,
    };
    // The index's update (one listing of each written folder, a journal
    // record) runs beside the commit: they touch different files, and a
    // hook's change to these folders during the listing changes their
    // stats, so the update does not vouch for them (see
    // `store::index::own`).
    let (listed, committed) = std::thread::scope(|s| {
        let update = s.spawn(|| index_before.is_some_and(|pending| pending.after(repo, &indexed)));
        let committed = match (git, opts.no_commit) {
            (_, true) => None,
            (Some(g), false) => Some(git::commit_paths_in(g, &repo.root, &changes, msg, &commit_opts, ahead)),
            (None, false) => Some(Err(GitError::NotARepo {
                path: repo.root.clone(),
            })),
        };
        (update.join().unwrap_or(false), committed)
    });
    // Temporary files a killed findings left beside these documents (the
    // index's update lists these folders, and says when it saw none).
    if !listed {
        let mut folders: Vec<_> = edits
            .iter()
            .filter_map(|e| repo.abs(&e.to).parent().map(Path::to_path_buf))
            .collect();
        folders.sort();
        folders.dedup();
        for dir in folders {
            write::clear_dead_temps(&dir);
        }
    }
    let Some(committed) = committed else {
        if journaled {
            journal::finish(&repo.root);
        }
        return Ok((None, warnings));
    };
    // A commit stopped by a signal leaves the journal for the next write to
    // complete; any other outcome ends it (a failed commit keeps the edits).
    if journaled && !matches!(committed, Err(GitError::Interrupted(_))) {
        journal::finish(&repo.root);
    }
    if let (Some(g), Ok(_)) = (git, &committed) {
        super::handedit::forget(g, &repo.root, &paths);
    }
    match committed {
        Ok(c) => {
            warnings.extend(c.warnings);
            Ok((Some(c.id), warnings))
        }
        Err(GitError::NotARepo { .. }) => {
            warnings.push("not a git repository: the files were written and nothing was committed".into());
            Ok((None, warnings))
        }
        Err(source) => Err(OpError::Commit { written, source }),
    }
}

/// For each edit, the content to commit when its file holds a person's
/// uncommitted edits (HEAD's version with only this change), else `None`;
/// refused when the change cannot be separated from them.
fn own_changes(
    repo: &Repo,
    git: Option<&Repository>,
    edits: &[FileEdit],
    snapshots: &[Snapshot],
    opts: &WriteOpts,
    warnings: &mut Vec<String>,
) -> Result<Vec<Option<Vec<u8>>>, OpError> {
    let mut own = Vec::with_capacity(edits.len());
    for e in edits {
        let from = e.from.as_deref().filter(|_| !e.remove && !opts.no_commit);
        let snap = from.and_then(|f| snapshots.iter().find(|s| s.path == repo.abs(f)));
        let content = match (from, snap, git) {
            (Some(from), Some(snap), Some(g)) => {
                match super::handedit::committed_version(g, &repo.root, from, &snap.bytes) {
                    Some(head) if head != snap.bytes && !super::handedit::is_own(g, from, &snap.bytes) => {
                        let c = super::handedit::own_change(&e.to, &head, &snap.bytes, &e.after)
                            .ok_or_else(|| OpError::HandEdits { path: from.to_string() })?;
                        warnings.push(format!(
                            "{from} had uncommitted edits: they stay in the file, out of the commit"
                        ));
                        Some(c)
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        own.push(content);
    }
    Ok(own)
}

/// Make the planned edits on disk, in order, counting those `done`; `own`
/// is what [`own_changes`] decided to commit instead of a file's content.
fn write_edits(
    repo: &Repo,
    edits: &[FileEdit],
    own: &[Option<Vec<u8>>],
    snapshots: &[Snapshot],
    changes: &mut Vec<Change>,
    written: &mut Vec<String>,
    done: &mut usize,
) -> Result<(), OpError> {
    for e in edits {
        for p in e.from.iter().chain([&e.to]) {
            crate::store::contain::check(&repo.root, p).map_err(StoreError::from)?;
            git::check_not_nested(&repo.root, p)?;
        }
        if let Some(from) = &e.from {
            refuse_read_only(repo, from)?;
        }
    }
    for (e, content) in edits.iter().zip(own) {
        let to_abs = repo.abs(&e.to);
        match &e.from {
            Some(from) => {
                let snap = snapshots
                    .iter()
                    .find(|s| s.path == repo.abs(from))
                    .ok_or_else(|| OpError::Io {
                        path: from.clone(),
                        message: "internal: no snapshot of the file".into(),
                    })?;
                if e.remove {
                    snap.check()?;
                    std::fs::remove_file(&to_abs).map_err(|source| WriteError::Io { path: to_abs, source })?;
                    changes.push(Change::Remove(e.to.clone()));
                    written.push(e.to.clone());
                    *done += 1;
                    continue;
                } else if *from == e.to {
                    snap.write(e.after.as_bytes())?;
                } else {
                    snap.replace_and_rename(&to_abs, e.after.as_bytes())?;
                    changes.push(Change::Remove(from.clone()));
                }
            }
            None => {
                if to_abs.exists() {
                    return Err(WriteError::Exists { path: to_abs }.into());
                }
                if let Some(dir) = to_abs.parent() {
                    std::fs::create_dir_all(dir).map_err(|err| OpError::Io {
                        path: dir.display().to_string(),
                        message: format!("cannot create the folder: {err}"),
                    })?;
                }
                write::atomic_write(&to_abs, e.after.as_bytes()).map_err(|err| OpError::Io {
                    path: e.to.clone(),
                    message: err.to_string(),
                })?;
            }
        }
        changes.push(match content {
            Some(c) => Change::Content(e.to.clone(), c.clone()),
            None => Change::Write(e.to.clone()),
        });
        written.push(e.to.clone());
        *done += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::{triage, TriageRequest};
    use crate::store::config::workflow_builds;

    /// A triage builds the repository's workflows once (when the repository
    /// is opened) and never again, and uses the configured ones.
    #[test]
    fn a_triage_builds_the_workflows_once() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("todos")).unwrap();
        std::fs::write(
            root.join("findings.toml"),
            "[workflow.todo]\nstatuses = [\"pending\", \"ready\", \"in_review\", \"complete\", \"wontfix\"]\ntriage_to = \"in_review\"\ntransitions = [{ from = [\"pending\"], to = \"in_review\" }]\n",
        )
        .unwrap();
        std::fs::write(
            root.join("todos/001-pending-p2-fix.md"),
            "---\nstatus: pending\n---\n# Fix\n\n## Work Log\n",
        )
        .unwrap();
        let before = workflow_builds();
        let repo = Repo::open(root).unwrap();
        assert_eq!(workflow_builds() - before, 1, "opening builds them once");
        let opts = WriteOpts {
            author: Some("T".into()),
            today: Some("2026-01-02".into()),
            ..WriteOpts::default()
        };
        let req = TriageRequest {
            id: "001".into(),
            ..TriageRequest::default()
        };
        let out = triage(&repo, &req, &opts).unwrap();
        assert_eq!(out.new_status.as_deref(), Some("in_review"));
        assert_eq!(workflow_builds() - before, 1, "the triage built none");
        let text = std::fs::read_to_string(root.join("todos/001-in_review-p2-fix.md")).unwrap();
        assert!(text.contains("status: in_review"), "{text}");
        // The other writes build none either, and find the renamed file.
        let log = crate::ops::LogRequest {
            id: "001".into(),
            action: "Looked again".into(),
            learnings: None,
        };
        crate::ops::log(&repo, &log, &opts).unwrap();
        let renumber = crate::ops::renumber::RenumberRequest {
            id: "001".into(),
            new_id: "7".into(),
        };
        let out = crate::ops::renumber::renumber(&repo, &renumber, &opts).unwrap();
        assert_eq!(out.path(), "todos/007-in_review-p2-fix.md");
        assert_eq!(workflow_builds() - before, 1, "log and renumber built none");
    }

    /// A triage opens the git repository once for the whole write (state,
    /// identity, author, hand-edit ledger, commit) and once more to read its
    /// new commit back without caches (git's index is read through a handle
    /// of its own, on a thread of its own, not counted here); so do an undo and the commit of a
    /// hand edit, and a stats run reads the history through the one handle
    /// its caller opened.
    #[test]
    fn a_triage_undo_and_stats_open_the_git_repository_once() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let g = Repository::init(root).unwrap();
        let mut cfg = g.config().unwrap();
        cfg.set_str("user.name", "T").unwrap();
        cfg.set_str("user.email", "t@example.com").unwrap();
        cfg.set_str("core.hooksPath", "no-hooks").unwrap();
        std::fs::create_dir_all(root.join("todos")).unwrap();
        std::fs::write(
            root.join("todos/001-pending-p2-fix.md"),
            "---\nstatus: pending\n---\n# Fix\n\n## Work Log\n",
        )
        .unwrap();
        let mut index = g.index().unwrap();
        index.add_path(Path::new("todos/001-pending-p2-fix.md")).unwrap();
        let tree = g.find_tree(index.write_tree().unwrap()).unwrap();
        let me = git2::Signature::now("T", "t@example.com").unwrap();
        g.commit(Some("HEAD"), &me, &me, "start", &tree, &[]).unwrap();
        let repo = Repo::open(root).unwrap();
        let opts = WriteOpts {
            today: Some("2026-01-02".into()),
            ..WriteOpts::default()
        };
        let req = TriageRequest {
            id: "001".into(),
            ..TriageRequest::default()
        };
        let before = git::repository_opens();
        let out = triage(&repo, &req, &opts).unwrap();
        assert_eq!(
            git::repository_opens() - before,
            2,
            "one open for the write, one read-back"
        );
        let id = out.commit.clone().expect("committed");
        assert_eq!(g.head().unwrap().target().unwrap().to_string(), id);
        assert_ne!(out.path(), "todos/001-pending-p2-fix.md", "the file was renamed");

        // An undo reads the history through the write's own handle.
        let repo = Repo::open(root).unwrap();
        let before = git::repository_opens();
        let undone = crate::ops::undo::undo(&repo, None, &opts).unwrap();
        assert_eq!(
            git::repository_opens() - before,
            2,
            "one open for the undo, one read-back"
        );
        assert_eq!(undone.path(), "todos/001-pending-p2-fix.md", "the rename was undone");

        // Stats read the trend through the handle their caller opened.
        let before = git::repository_opens();
        let handle = git::open(root).unwrap();
        let now = chrono::NaiveDate::from_ymd_opt(2026, 1, 2)
            .and_then(|d| d.and_hms_opt(12, 0, 0))
            .unwrap();
        let s = crate::stats::compute(&repo, Some(&handle), now, 4);
        assert_eq!(git::repository_opens() - before, 1, "the caller's one open");
        assert!(s.trend.unavailable.is_none(), "{:?}", s.trend.unavailable);
        assert_eq!(s.trend.commits, 3, "start, the triage and its undo");

        // Committing a hand edit reads it through the write's own handle.
        let path = root.join("todos/001-pending-p2-fix.md");
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str("A line a person wrote.\n");
        std::fs::write(&path, text).unwrap();
        let before = git::repository_opens();
        let out = crate::ops::hand::commit_edit(&repo, "001", &opts).unwrap();
        assert!(out.commit.is_some());
        assert_eq!(
            git::repository_opens() - before,
            2,
            "one open for the commit of the edit, one read-back"
        );
    }
}
