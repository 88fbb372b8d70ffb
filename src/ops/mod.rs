//! Operations: triage, status, log, new, supersede, undo — the one home both
//! shells call for every write.
//!
//! Every write follows the same path ([`lock`], [`read_for_write`],
//! [`apply_edits`], [`commit_edits`]): take the repository
//! lock, read the file fresh, compute span edits from those bytes, apply them
//! in one pass, check the result still parses with the intended values, write
//! atomically (renaming when the file name carries the status), then commit
//! exactly the touched paths. A failed commit keeps the edited files and says
//! so; `--dry-run` stops before writing and returns the diff and the message.

mod adr_cache;
/// The accepted ADRs' decision options (cached), as `triage --action` sees them.
pub use adr_cache::accepted_options as accepted_adr_options;
pub mod journal;
pub mod new;
pub mod renumber;
pub mod team;
mod triage;
pub mod undo;

use crate::document::{self, Document, Kind, Meta};
use crate::edit::{self, worklog, EditError};
use crate::git::{self, Change, CommitOptions, GitError, RepoState};
use crate::store::resolve::ResolveError;
use crate::store::write::{self, LockError, Snapshot, WriteError};
use crate::store::{Repo, StoreError};
use crate::workflow::Workflow;
use serde::Serialize;
use std::path::Path;
use std::time::Duration;

pub use triage::{log, set_status, supersede, triage, LogRequest, StatusRequest, TriageRequest};

/// How long a write waits for another findings process holding the lock.
pub const LOCK_TIMEOUT: Duration = Duration::from_secs(120);

/// Options every write command takes.
#[derive(Debug, Clone, Default)]
pub struct WriteOpts {
    /// Compute and report, write nothing.
    pub dry_run: bool,
    /// Write the files, make no commit.
    pub no_commit: bool,
    /// Skip the pre-commit and commit-msg hooks.
    pub no_verify: bool,
    /// Work-log author; git's user.name when absent.
    pub author: Option<String>,
    /// Allow a transition the workflow does not, or from an unknown status.
    pub force: bool,
    /// The [`write::content_hash`] of the bytes the caller showed the user:
    /// refuse when the file changed since.
    pub expected_hash: Option<u64>,
    /// Today's date (`YYYY-MM-DD`) and now (RFC 3339), for reproducible tests.
    pub today: Option<String>,
    pub now: Option<String>,
}

impl WriteOpts {
    fn today(&self) -> String {
        self.today
            .clone()
            .unwrap_or_else(|| chrono::Local::now().format("%Y-%m-%d").to_string())
    }
    fn now(&self) -> String {
        self.now
            .clone()
            .unwrap_or_else(|| chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string())
    }
}

/// One file a write touched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileChange {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub created: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub removed: bool,
}

/// How an `--action` was resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionReport {
    /// `ADR-0105 Option A: Prisma upsert (preferred)`, or `None` when the
    /// text was written verbatim.
    pub matched: Option<String>,
    /// The text written into Recommended Action.
    pub text: String,
    /// A sentence for the user: what matched, or why nothing did.
    pub note: String,
    /// The text a `--replace` moved below the new action (a person's
    /// text, never a placeholder).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replaced: Option<String>,
}

/// What a write did (or, with `--dry-run`, would do).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outcome {
    pub id: String,
    pub kind: Kind,
    pub files: Vec<FileChange>,
    pub old_status: Option<String>,
    pub new_status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<ActionReport>,
    /// The commit made, when one was.
    pub commit: Option<String>,
    /// The commit message (made, or that would be made).
    pub message: String,
    /// The unified diff, with `--dry-run`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
    pub dry_run: bool,
    pub warnings: Vec<String>,
}

impl Outcome {
    /// The outcome of a write to `id` before it is done: the operation fills
    /// in the files, statuses, message and commit.
    pub fn new(id: impl Into<String>, kind: Kind, opts: &WriteOpts) -> Outcome {
        Outcome {
            id: id.into(),
            kind,
            files: vec![],
            old_status: None,
            new_status: None,
            action: None,
            commit: None,
            message: String::new(),
            diff: None,
            dry_run: opts.dry_run,
            warnings: vec![],
        }
    }

    /// The path the document has after the write.
    pub fn path(&self) -> &str {
        self.files.first().map(|f| f.path.as_str()).unwrap_or("")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum OpError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Resolve(#[from] ResolveError),
    #[error("{id}: {from} → {to} is not an allowed {kind} transition; allowed from {from}: {}", list(.allowed))]
    NotAllowed {
        id: String,
        kind: Kind,
        from: String,
        to: String,
        allowed: Vec<String>,
    },
    #[error(
        "{id}: the current status {status:?} is not one the {kind} workflow knows; pass --force to change it anyway"
    )]
    UnknownStatus { id: String, kind: Kind, status: String },
    #[error("{id}: {to:?} is not a {kind} status; use one of: {}", .statuses.join(", "))]
    UnknownTarget {
        id: String,
        kind: Kind,
        to: String,
        statuses: Vec<String>,
    },
    #[error("{id}: moving to {to} needs a reason (--reason TEXT)")]
    NeedsReason { id: String, to: String },
    #[error("{id}: superseding needs the new ADR (--by ADR_ID)")]
    NeedsBy { id: String },
    #[error("{id}: {what}")]
    Invalid { id: String, what: String },
    #[error("{path}: {source}")]
    Edit { path: String, source: EditError },
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error(transparent)]
    Lock(#[from] LockError),
    #[error("refusing to write while {0} is in progress; finish or abort it first")]
    InProgress(RepoState),
    #[error("{} written, but the commit failed: {source}", .written.join(", "))]
    Commit { written: Vec<String>, source: GitError },
    #[error(transparent)]
    Git(#[from] GitError),
    #[error("{path}: {message}")]
    Io { path: String, message: String },
    #[error("{0} before anything was written")]
    Interrupted(#[from] crate::interrupt::Interrupted),
    #[error(
        "{path} has uncommitted edits where this change goes, so it cannot be committed without them; \
         nothing was written. Commit or stash them first (`git stash`), or write without committing (--no-commit)"
    )]
    HandEdits { path: String },
}

fn list(v: &[String]) -> String {
    if v.is_empty() {
        "nothing (a final status)".into()
    } else {
        v.join(", ")
    }
}

impl OpError {
    fn edit(path: &str) -> impl FnOnce(EditError) -> OpError + '_ {
        move |source| OpError::Edit {
            path: path.to_string(),
            source,
        }
    }
}

/// The workflow of `kind` in `repo`: the default, with `findings.toml`'s
/// `[workflow.<kind>]` overrides.
pub fn workflow(repo: &Repo, kind: Kind) -> Workflow {
    repo.workflows().get(kind).clone()
}

/// Normalize a status the user typed for `kind`: an alias of the family, or
/// a status the (possibly overridden) workflow lists.
pub fn target_status(repo: &Repo, kind: Kind, id: &str, typed: &str) -> Result<String, OpError> {
    let w = workflow(repo, kind);
    let lower = typed.trim().to_lowercase().replace([' ', '-'], "_");
    if w.statuses.contains(&lower) {
        return Ok(lower);
    }
    if let Some(s) = w.normalize(kind, typed) {
        return Ok(s.to_string());
    }
    Err(OpError::UnknownTarget {
        id: id.to_string(),
        kind,
        to: typed.to_string(),
        statuses: w.statuses.clone(),
    })
}

/// The work-log author: `--author`, else git's `user.name`, else `$USER`.
pub fn author(repo: &Repo, opts: &WriteOpts) -> String {
    opts.author
        .clone()
        .filter(|a| !a.trim().is_empty())
        .or_else(|| git::user_name(&repo.root))
        .or_else(|| std::env::var("USER").ok())
        .unwrap_or_else(|| "unknown".into())
}

/// One document's planned change inside a transaction.
#[derive(Debug, Clone)]
pub struct FileEdit {
    /// Path before (repository-relative); `None` for a new file.
    pub from: Option<String>,
    /// Path after.
    pub to: String,
    pub before: String,
    pub after: String,
    /// Delete `to` (which must still hold `before`) instead of writing it.
    pub remove: bool,
}

impl FileEdit {
    /// The removal of `path`, which holds `before`.
    pub fn removal(path: &str, before: String) -> FileEdit {
        FileEdit {
            from: Some(path.to_string()),
            to: path.to_string(),
            before,
            after: String::new(),
            remove: true,
        }
    }
}

/// Compute a document's new text from span edits and check it still parses.
pub fn apply_edits(doc: &Document, edits: &[edit::Edit]) -> Result<String, OpError> {
    edit::span::apply(&doc.text, edits).map_err(OpError::edit(&doc.meta.path))
}

/// Read a document for writing: fresh from disk, checked against what the
/// caller showed when `expected` is given.
pub fn read_for_write(repo: &Repo, path: &str, opts: &WriteOpts) -> Result<(Snapshot, Document), OpError> {
    crate::store::contain::check(&repo.root, path).map_err(StoreError::from)?;
    let abs = repo.abs(path);
    let snap = Snapshot::read(&abs)?;
    if let Some(exp) = opts.expected_hash {
        if exp != write::content_hash(&snap.bytes) {
            return Err(WriteError::Changed { path: abs }.into());
        }
    }
    let text = document::decode(path, snap.bytes.clone()).map_err(|u| StoreError::Unreadable(u.0))?;
    Ok((snap, repo.parse(path, text)))
}

/// The commit message: a subject, the body lines, and the trailers. Every
/// part is document or user text, so each is one line with no control
/// characters (C0, DEL, C1) or bidirectional overrides: those become spaces.
pub fn message(id: &str, subject: &str, body: &[String], extra_ids: &[&str]) -> String {
    let clean = |s: &str| -> String {
        s.chars()
            .map(|c| {
                let bidi = matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
                if c.is_control() || bidi {
                    ' '
                } else {
                    c
                }
            })
            .collect()
    };
    let mut m = format!("findings({}): {}", clean(id), clean(subject));
    let body: Vec<String> = body
        .iter()
        .map(|b| clean(b).trim().to_string())
        .filter(|b| !b.is_empty())
        .collect();
    if !body.is_empty() {
        m.push_str("\n\n");
        m.push_str(&body.join("\n"));
    }
    m.push_str("\n\n");
    m.push_str(&format!("Finding-Id: {}", clean(id)));
    for e in extra_ids {
        m.push_str(&format!("\nFinding-Id: {}", clean(e)));
    }
    m.push('\n');
    m
}

/// A unified diff of the planned changes.
pub fn diff(edits: &[FileEdit]) -> String {
    let mut out = String::new();
    for e in edits {
        let a = e
            .from
            .as_deref()
            .map(|p| format!("a/{p}"))
            .unwrap_or_else(|| "/dev/null".into());
        let b = if e.remove {
            "/dev/null".into()
        } else {
            format!("b/{}", e.to)
        };
        if let (Some(from), true) = (&e.from, e.from.as_deref() != Some(&e.to)) {
            out.push_str(&format!("rename from {from}\nrename to {}\n", e.to));
        }
        let d = similar::TextDiff::from_lines(&e.before, &e.after);
        out.push_str(&d.unified_diff().context_radius(3).header(&a, &b).to_string());
    }
    out
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
/// The repository lock must be held by the caller.
pub fn commit_edits(
    repo: &Repo,
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
    let own = own_changes(repo, edits, snapshots, opts, &mut warnings)?;
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
    git::handedit::remember(&repo.root, &mine);
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
    // Temporary files a killed findings left beside these documents.
    let mut folders: Vec<_> = edits
        .iter()
        .filter_map(|e| repo.abs(&e.to).parent().map(Path::to_path_buf))
        .collect();
    folders.sort();
    folders.dedup();
    for dir in folders {
        write::clear_dead_temps(&dir);
    }
    let paths: Vec<&str> = edits
        .iter()
        .flat_map(|e| [Some(e.to.as_str()), e.from.as_deref()])
        .flatten()
        .collect();
    if opts.no_commit {
        if journaled {
            journal::finish(&repo.root);
        }
        return Ok((None, warnings));
    }
    let committed = git::commit_paths(
        &repo.root,
        &changes,
        msg,
        &CommitOptions {
            no_verify: opts.no_verify,
        },
    );
    // A commit stopped by a signal leaves the journal for the next write to
    // complete; any other outcome ends it (a failed commit keeps the edits).
    if journaled && !matches!(committed, Err(GitError::Interrupted(_))) {
        journal::finish(&repo.root);
    }
    if committed.is_ok() {
        git::handedit::forget(&repo.root, &paths);
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
    edits: &[FileEdit],
    snapshots: &[Snapshot],
    opts: &WriteOpts,
    warnings: &mut Vec<String>,
) -> Result<Vec<Option<Vec<u8>>>, OpError> {
    let mut own = Vec::with_capacity(edits.len());
    for e in edits {
        let from = e.from.as_deref().filter(|_| !e.remove && !opts.no_commit);
        let snap = from.and_then(|f| snapshots.iter().find(|s| s.path == repo.abs(f)));
        let content = match (from, snap) {
            (Some(from), Some(snap)) => match git::handedit::committed_version(&repo.root, from, &snap.bytes) {
                Some(head) if head != snap.bytes && !git::handedit::is_own(&repo.root, from, &snap.bytes) => {
                    let c = git::handedit::own_change(&e.to, &head, &snap.bytes, &e.after)
                        .ok_or_else(|| OpError::HandEdits { path: from.to_string() })?;
                    warnings.push(format!(
                        "{from} had uncommitted edits: they stay in the file, out of the commit"
                    ));
                    Some(c)
                }
                _ => None,
            },
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

/// Refuse before writing when git is mid-merge (and we would commit), or
/// the repository is one git itself would refuse (bare, owned by another
/// user).
pub fn check_git_state(root: &Path, opts: &WriteOpts) -> Result<(), OpError> {
    if opts.dry_run {
        return Ok(());
    }
    let state = git::writable_state(root)?;
    if opts.no_commit {
        return Ok(());
    }
    if state != RepoState::NotARepo {
        git::check_identity(root)?;
    }
    match state {
        RepoState::NotARepo | RepoState::Clean => Ok(()),
        s => Err(OpError::InProgress(s)),
    }
}

/// Hold the repository lock for a write (none for a dry run).
pub fn lock(repo: &Repo, opts: &WriteOpts) -> Result<Option<write::RepoLock>, OpError> {
    if opts.dry_run {
        return Ok(None);
    }
    let held = write::lock_repo(&repo.root, LOCK_TIMEOUT)?;
    // A write of several files a killed process left half done is completed
    // before anything else is read.
    journal::recover(&repo.root)?;
    Ok(Some(held))
}

/// Resolve `query` against a repository opened afresh under the lock, so a
/// rename by a concurrent writer is seen.
pub fn resolve_fresh(repo: &Repo, query: &str) -> Result<Meta, OpError> {
    if let Ok(m) = repo.resolve(query) {
        if repo.abs(&m.path).exists() {
            return Ok(m.clone());
        }
    }
    let fresh = Repo::open_with(&repo.root, repo.config.clone());
    Ok(fresh.resolve(query)?.clone())
}

/// A work-log entry for this write.
pub fn entry(repo: &Repo, opts: &WriteOpts, action: String, details: String) -> worklog::Entry {
    worklog::Entry {
        date: opts.today(),
        author: author(repo, opts),
        action,
        details,
    }
}

/// Create a new document: the next free ID, the family's file convention,
/// one commit.
pub fn create(repo: &Repo, req: &new::NewDoc, opts: &WriteOpts) -> Result<Outcome, OpError> {
    let kind = req.kind.unwrap_or(Kind::Todo);
    check_git_state(&repo.root, opts)?;
    if req.title.trim().is_empty() {
        return Err(OpError::Invalid {
            id: String::new(),
            what: "a new document needs a non-empty --title".into(),
        });
    }
    let _lock = lock(repo, opts)?;
    let fresh = Repo::open_with(&repo.root, repo.config.clone());
    let prefix = req
        .prefix
        .clone()
        .map(|p| p.to_ascii_uppercase())
        .unwrap_or_else(|| new::finding_prefix(req.category.as_deref()));
    if kind == Kind::Finding && (prefix.is_empty() || !prefix.chars().all(|c| c.is_ascii_alphanumeric())) {
        return Err(OpError::Invalid {
            id: String::new(),
            what: format!("ID prefix {prefix:?} must be letters and digits"),
        });
    }
    let taken = crate::git::ids::taken_ids(&fresh);
    let id = new::next_id(kind, &prefix, taken.iter().map(|(k, s)| (*k, s.as_str())));
    let (name, text) = new::render(kind, &id, req, &opts.today());
    let folder = new::folder_for(kind, &fresh.items);
    let path = if folder.is_empty() {
        name
    } else {
        format!("{folder}/{name}")
    };
    let msg = message(&id, &format!("new {kind} \"{}\"", req.title.trim()), &[], &[]);
    let edits = vec![FileEdit {
        from: None,
        to: path.clone(),
        before: String::new(),
        after: text,
        remove: false,
    }];
    let mut out = Outcome {
        files: vec![FileChange {
            path,
            renamed_from: None,
            created: true,
            removed: false,
        }],
        new_status: Some(workflow(repo, kind).statuses.first().cloned().unwrap_or_default()),
        message: msg.clone(),
        ..Outcome::new(id, kind, opts)
    };
    if opts.dry_run {
        out.diff = Some(diff(&edits));
        return Ok(out);
    }
    let (commit, warnings) = commit_edits(repo, &edits, &[], &msg, opts)?;
    out.commit = commit;
    out.warnings = warnings;
    Ok(out)
}
