//! Operations: triage, status, log, new, supersede, renumber, undo — the one
//! home both shells call for every write.
//!
//! Every write runs in a `Transaction`, the one write pipeline: take the
//! repository lock, read the file fresh, compute span edits from those
//! bytes, apply them in one pass, check the result still parses with the
//! intended values, write atomically (renaming when the file name carries
//! the status), then commit exactly the touched paths. A failed commit keeps
//! the edited files and says so; `--dry-run` stops before writing and
//! returns the diff and the message.

pub mod action;
mod adr_cache;
pub mod batch;
pub mod hand;
/// The accepted ADRs' decision options (cached), as `triage --action` sees them.
pub(crate) use adr_cache::accepted_options as accepted_adr_options;
pub mod handedit;
pub(crate) mod identity;
pub(crate) mod ids;
pub mod journal;
pub mod merge;
pub mod new;
pub mod renumber;
pub(crate) mod suggest;
pub mod team;
mod tick;
mod transaction;
mod triage;
pub(crate) mod undo;

use crate::document::Kind;
use crate::edit::EditError;
use crate::git::{GitError, RepoState};
use crate::store::resolve::ResolveError;
use crate::store::write::{LockError, WriteError};
use crate::store::{Repo, StoreError};
use serde::Serialize;
use std::time::Duration;

pub(crate) use tick::{tick, TickRequest};
pub(crate) use transaction::Transaction;
pub(crate) use transaction::{check_git_state, commit_edits, lock, open_git};
pub(crate) use triage::supersede_preview;
pub use triage::{log, set_status, supersede, triage, LogRequest, StatusRequest, TriageRequest};

/// How long a write waits for another findings process holding the lock.
pub(crate) const LOCK_TIMEOUT: Duration = Duration::from_secs(120);

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
    /// The [`crate::store::write::content_hash`] of the bytes the caller showed the user:
    /// refuse when the file changed since.
    pub expected_hash: Option<u64>,
    /// Today's date (`YYYY-MM-DD`) and now (RFC 3339), for reproducible tests.
    pub today: Option<String>,
    /// The time a write stamps (a finding's `resolved:`), as RFC 3339 in UTC; `None`
    /// reads the clock.
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
pub(crate) struct FileChange {
    pub(crate) path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) renamed_from: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub(crate) created: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub(crate) removed: bool,
}

/// How an `--action` was resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct ActionReport {
    /// `ADR-0105 Option A: Prisma upsert (preferred)`, or `None` when the
    /// text was written verbatim.
    pub(crate) matched: Option<String>,
    /// The text written into Recommended Action.
    pub(crate) text: String,
    /// A sentence for the user: what matched, or why nothing did.
    pub(crate) note: String,
    /// The text a `--replace` moved below the new action (a person's
    /// text, never a placeholder).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) replaced: Option<String>,
}

/// What a write did (or, with `--dry-run`, would do).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outcome {
    pub(crate) id: String,
    pub(crate) kind: Kind,
    pub(crate) files: Vec<FileChange>,
    pub(crate) old_status: Option<String>,
    pub(crate) new_status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) action: Option<ActionReport>,
    /// The acceptance criterion a `tick` changed, as it reads after.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) criterion: Option<crate::document::criteria::Criterion>,
    /// The commit made, when one was.
    pub commit: Option<String>,
    /// The commit message (made, or that would be made).
    pub message: String,
    /// The unified diff, with `--dry-run`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) diff: Option<String>,
    pub(crate) dry_run: bool,
    pub(crate) warnings: Vec<String>,
}

impl Outcome {
    /// The outcome of a write to `id` before it is done: the operation fills
    /// in the files, statuses, message and commit.
    pub(crate) fn new(id: impl Into<String>, kind: Kind, opts: &WriteOpts) -> Outcome {
        Outcome {
            id: id.into(),
            kind,
            files: vec![],
            old_status: None,
            new_status: None,
            action: None,
            criterion: None,
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

/// Why a write operation refused or failed; nothing was written unless the variant says
/// so.
#[derive(Debug, thiserror::Error)]
pub enum OpError {
    /// The repository or the document cannot be read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The ID does not name exactly one document.
    #[error(transparent)]
    Resolve(#[from] ResolveError),
    /// The family's workflow does not allow the move (`--force` overrides).
    #[error("{id}: {from} → {to} is not an allowed {kind} transition; allowed from {from}: {}", list(.allowed))]
    NotAllowed {
        /// The document's ID.
        id: String,
        /// Its family.
        kind: Kind,
        /// Its current status.
        from: String,
        /// The status asked for.
        to: String,
        /// The statuses the workflow allows from `from`.
        allowed: Vec<String>,
    },
    /// The current status is not one the family's workflow knows (`--force` overrides).
    #[error(
        "{id}: the current status {status:?} is not one the {kind} workflow knows; pass --force to change it anyway"
    )]
    UnknownStatus {
        /// The document's ID.
        id: String,
        /// Its family.
        kind: Kind,
        /// The status as the document writes it.
        status: String,
    },
    /// The status asked for is not one of the family's statuses.
    #[error("{id}: {to:?} is not a {kind} status; use one of: {}", .statuses.join(", "))]
    UnknownTarget {
        /// The document's ID.
        id: String,
        /// Its family.
        kind: Kind,
        /// The status asked for.
        to: String,
        /// The family's statuses, for the message.
        statuses: Vec<String>,
    },
    /// The move is one the workflow marks as needing a reason (a skip: `wontfix`,
    /// `wont_fix`), and none was given.
    #[error("{id}: moving to {to} needs a reason (--reason TEXT)")]
    NeedsReason {
        /// The document's ID.
        id: String,
        /// The status asked for.
        to: String,
    },
    /// Superseding an ADR needs the new ADR (`--by`).
    #[error("{id}: superseding needs the new ADR (--by ADR_ID)")]
    NeedsBy {
        /// The superseded ADR's ID.
        id: String,
    },
    /// The request cannot be carried out on this document; `what` says why.
    #[error("{id}: {what}")]
    Invalid {
        /// The document's ID (or the commit, for an undo).
        id: String,
        /// Why, for the message.
        what: String,
    },
    /// The document's text cannot be edited as asked.
    #[error("{path}: {source}")]
    Edit {
        /// The document, relative to the root.
        path: String,
        /// What the editor refused.
        source: EditError,
    },
    /// A checked write failed: the file changed on disk since it was read, or could not
    /// be written.
    #[error(transparent)]
    Write(#[from] WriteError),
    /// The repository lock could not be taken.
    #[error(transparent)]
    Lock(#[from] LockError),
    /// A merge, rebase or other git operation is in progress; nothing was written.
    #[error("refusing to write while {0} is in progress; finish or abort it first")]
    InProgress(RepoState),
    /// The files were written but the commit failed: the edit is kept on disk,
    /// uncommitted.
    #[error("{} written, but the commit failed: {source}", .written.join(", "))]
    Commit {
        /// The files written, relative to the root.
        written: Vec<String>,
        /// Why git did not commit.
        source: GitError,
    },
    /// A git error before anything was written.
    #[error(transparent)]
    Git(#[from] GitError),
    /// A file other than a document (a record, a ledger) could not be read or written.
    #[error("{path}: {message}")]
    Io {
        /// The file, as the message names it.
        path: String,
        /// The system's error.
        message: String,
    },
    /// A signal (Ctrl-C) arrived before anything was written.
    #[error("{0} before anything was written")]
    Interrupted(#[from] crate::interrupt::Interrupted),
    /// The document holds uncommitted edits a person made, which a commit of the change
    /// would carry along.
    #[error(
        "{path} has uncommitted edits where this change goes, so it cannot be committed without them; \
         nothing was written. Commit or stash them first (`git stash`), or write without committing (--no-commit)"
    )]
    HandEdits {
        /// The document, relative to the root.
        path: String,
    },
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

/// Normalize a status the user typed for `kind`: an alias of the family, or
/// a status the (possibly overridden) workflow lists.
pub(crate) fn target_status(repo: &Repo, kind: Kind, id: &str, typed: &str) -> Result<String, OpError> {
    let w = repo.workflows().get(kind);
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

/// The work-log author: `--author`, else git's user name as `name` reads
/// it (called only when needed), else `$USER`.
fn author_from(opts: &WriteOpts, name: impl FnOnce() -> Option<String>) -> String {
    opts.author
        .clone()
        .filter(|a| !a.trim().is_empty())
        .or_else(name)
        .or_else(|| std::env::var("USER").ok())
        .unwrap_or_else(|| "unknown".into())
}

/// One document's planned change inside a transaction.
#[derive(Debug, Clone)]
pub(crate) struct FileEdit {
    /// Path before (repository-relative); `None` for a new file.
    pub(crate) from: Option<String>,
    /// Path after.
    pub(crate) to: String,
    pub(crate) before: String,
    pub(crate) after: String,
    /// Delete `to` (which must still hold `before`) instead of writing it.
    pub(crate) remove: bool,
}

impl FileEdit {
    /// The removal of `path`, which holds `before`.
    pub(crate) fn removal(path: &str, before: String) -> FileEdit {
        FileEdit {
            from: Some(path.to_string()),
            to: path.to_string(),
            before,
            after: String::new(),
            remove: true,
        }
    }
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
pub(crate) fn diff(edits: &[FileEdit]) -> String {
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

/// Create a new document: the next free ID, the family's file convention,
/// one commit.
pub(crate) fn create(repo: &Repo, req: &new::NewDoc, opts: &WriteOpts) -> Result<Outcome, OpError> {
    let kind = req.kind.unwrap_or(Kind::Todo);
    if req.title.trim().is_empty() {
        return Err(OpError::Invalid {
            id: String::new(),
            what: "a new document needs a non-empty --title".into(),
        });
    }
    let mut tx = Transaction::begin(repo, opts)?;
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
    let fresh = tx.fresh();
    let taken = ids::taken_ids(fresh, tx.git());
    let id = new::next_id(kind, &prefix, taken.iter().map(|(k, s)| (*k, s.as_str())));
    let (name, text) = new::render(kind, &id, req, &opts.today());
    let folder = new::folder_for(kind, &fresh.items);
    let path = if folder.is_empty() {
        name
    } else {
        format!("{folder}/{name}")
    };
    let msg = message(&id, &format!("new {kind} \"{}\"", req.title.trim()), &[], &[]);
    tx.create(&path, text);
    let out = Outcome {
        files: vec![FileChange {
            path,
            renamed_from: None,
            created: true,
            removed: false,
        }],
        new_status: Some(tx.workflow(kind).statuses.first().cloned().unwrap_or_default()),
        ..Outcome::new(id, kind, opts)
    };
    tx.finish(msg, out)
}
