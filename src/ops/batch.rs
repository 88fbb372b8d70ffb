//! One write over several documents: the same status change, triage or
//! work-log entry for each, planned in one `Transaction` and committed as
//! ONE commit (`findings: status of 3 documents → complete`, a body line
//! per document, a `Finding-Id:` trailer each), so one `undo` reverts the
//! whole batch.
//!
//! All or nothing: every document is read and planned under the lock
//! before anything is written. When one cannot be written (it changed
//! since it was shown, the move is not allowed from its status, it has
//! hand edits where the change goes), the batch is refused naming that
//! document, and no file changes ([`BatchError::Refused`]). The files are
//! then written through the journal, as every multi-file write.

use super::triage::{plan_log, plan_status, plan_triage};
use super::{message, LogRequest, OpError, Outcome, StatusRequest, Transaction, TriageRequest, WriteOpts};
use crate::store::write::{content_hash, WriteError};
use crate::store::Repo;

/// One document of a batch, as the caller showed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchItem {
    /// The document (a path, or anything `Transaction::resolve` takes).
    pub id: String,
    /// The [`content_hash`] of the bytes shown: the batch is refused when
    /// the file changed since.
    pub shown: Option<u64>,
}

/// What a batch does to each of its documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BatchWrite {
    /// Triage each (to its family's triage status): as is, or with an
    /// action, as `findings triage ID [--action A] [--literal]`.
    Triage {
        /// A note for each work-log entry and the commit.
        note: Option<String>,
        /// The action: an option's key or words the matcher reads, or
        /// (with `literal`) the Recommended Action text itself.
        action: Option<String>,
        /// `action` is the text to write, not matched against options.
        literal: bool,
    },
    /// Move each to status `to`.
    Status {
        /// The status moved to.
        to: String,
        /// A note for each work-log entry and the commit.
        note: Option<String>,
        /// The reason, for a move that needs one.
        reason: Option<String>,
    },
    /// Append the same work-log entry to each.
    Log {
        /// What was done.
        action: String,
        /// What was learned, if anything.
        learnings: Option<String>,
    },
}

/// What a batch did: one outcome per document, in the order given, and the
/// batch's commit, message and warnings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    /// Each document's outcome, in the order given.
    pub each: Vec<Outcome>,
    /// The commit made, when one was.
    pub commit: Option<String>,
    /// The commit message (made, or that would be made).
    pub message: String,
    /// The unified diff, for a dry run.
    pub diff: Option<String>,
    /// Every warning of the write and of each document.
    pub warnings: Vec<String>,
}

/// Why a batch wrote nothing, or how its write failed.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    /// `path` could not be planned: nothing of the batch was written.
    #[error("{source} (nothing of the {count} documents was written)")]
    Refused {
        /// The document refused, as the caller named it.
        path: String,
        /// Documents in the batch.
        count: usize,
        /// Why it was refused.
        source: Box<OpError>,
    },
    /// The write or its commit failed, as a single write's would (the error
    /// says what was kept).
    #[error(transparent)]
    Write(Box<OpError>),
}

impl BatchError {
    /// The underlying library error.
    pub fn op(&self) -> &OpError {
        match self {
            BatchError::Refused { source, .. } => source,
            BatchError::Write(e) => e,
        }
    }
}

/// The commit message of a batch: `findings: SUBJECT`, the body, and one
/// `Finding-Id:` trailer per document (how `undo` knows a findings commit).
pub(crate) fn batch_message(subject: &str, body: &[String], ids: &[&str]) -> String {
    // `message` with an empty ID writes `findings(): ` and an empty first
    // trailer; both are put right here.
    let m = message("", subject, body, ids);
    let m = m
        .strip_prefix("findings(): ")
        .map(|r| format!("findings: {r}"))
        .unwrap_or(m);
    m.replacen("Finding-Id: \n", "", 1)
}

/// Write `what` to every document of `items` as one commit (see the module
/// documentation). A batch of one is the single write, message and all.
pub fn batch(repo: &Repo, items: &[BatchItem], what: &BatchWrite, opts: &WriteOpts) -> Result<Batch, BatchError> {
    let each: Vec<(BatchItem, BatchWrite)> = items.iter().map(|i| (i.clone(), what.clone())).collect();
    batch_each(repo, &each, opts)
}

/// Write each document of `items` its own write, all as one commit: what a
/// triage walk over marked documents decided (one approved, one with an
/// option, one skipped). All or nothing, as [`batch`]; a document named
/// twice takes its first write. The subject is the triage one (`triage of
/// 3 documents`) when any write is a triage, else the first write's.
pub fn batch_each(repo: &Repo, items: &[(BatchItem, BatchWrite)], opts: &WriteOpts) -> Result<Batch, BatchError> {
    let mut seen = std::collections::HashSet::new();
    let items: Vec<&(BatchItem, BatchWrite)> = items.iter().filter(|(i, _)| seen.insert(i.id.as_str())).collect();
    let count = items.len();
    if count == 0 {
        return Err(BatchError::Write(Box::new(OpError::Invalid {
            id: String::new(),
            what: "no documents to write".into(),
        })));
    }
    let opts = WriteOpts {
        expected_hash: None,
        ..opts.clone()
    };
    let write = |e: OpError| BatchError::Write(Box::new(e));
    let mut tx = Transaction::begin(repo, &opts).map_err(write)?;
    let mut each = Vec::with_capacity(count);
    for (item, what) in &items {
        let refused = |source: OpError| BatchError::Refused {
            path: item.id.clone(),
            count,
            source: Box::new(source),
        };
        let out = plan_one(&mut tx, item, what).map_err(refused)?;
        each.push(out);
    }
    let msg = match each.as_slice() {
        [one] => one.message.clone(),
        _ => {
            let ids: Vec<&str> = each.iter().map(|o| o.id.as_str()).collect();
            let body: Vec<String> = each.iter().map(|o| format!("{}: {}", o.id, line(o))).collect();
            let what = items
                .iter()
                .map(|(_, w)| w)
                .find(|w| matches!(w, BatchWrite::Triage { .. }))
                .unwrap_or(&items[0].1);
            batch_message(&subject(what, &each), &body, &ids)
        }
    };
    let mut whole = Outcome::new(each[0].id.clone(), each[0].kind, &opts);
    whole.files = each.iter().flat_map(|o| o.files.clone()).collect();
    let whole = tx.finish(msg, whole).map_err(write)?;
    for o in &mut each {
        o.commit.clone_from(&whole.commit);
        o.message.clone_from(&whole.message);
    }
    let mut warnings: Vec<String> = each.iter().flat_map(|o| o.warnings.clone()).collect();
    warnings.extend(whole.warnings);
    Ok(Batch {
        each,
        commit: whole.commit,
        message: whole.message,
        diff: whole.diff,
        warnings,
    })
}

/// Read `item` under the lock, checked against what was shown, and stage
/// its write.
fn plan_one(tx: &mut Transaction<'_>, item: &BatchItem, what: &BatchWrite) -> Result<Outcome, OpError> {
    let meta = tx.resolve(&item.id)?;
    if let Some(hash) = item.shown {
        let (snap, _) = tx.peek(&meta.path)?;
        if content_hash(&snap.bytes) != hash {
            return Err(WriteError::Changed {
                path: tx.repo().abs(&meta.path),
            }
            .into());
        }
    }
    let doc = tx.read_other(&meta.path)?;
    let id = doc.meta.id.clone();
    match what {
        BatchWrite::Triage { note, action, literal } => plan_triage(
            tx,
            &doc,
            &TriageRequest {
                id,
                note: note.clone(),
                action: action.clone(),
                literal: *literal,
                ..TriageRequest::default()
            },
        ),
        BatchWrite::Status { to, note, reason } => plan_status(
            tx,
            &doc,
            &StatusRequest {
                id,
                to: to.clone(),
                note: note.clone(),
                reason: reason.clone(),
                by: None,
            },
        ),
        BatchWrite::Log { action, learnings } => plan_log(
            tx,
            &doc,
            &LogRequest {
                id,
                action: action.clone(),
                learnings: learnings.clone(),
            },
        ),
    }
}

/// A document's own subject without its `findings(ID): ` (`status ready →
/// complete`).
fn line(o: &Outcome) -> String {
    let first = o.message.lines().next().unwrap_or("");
    match first.split_once("): ") {
        Some((_, rest)) => rest.to_string(),
        None => first.to_string(),
    }
}

/// The batch's subject: `status of 3 documents → complete`, `triage of 3
/// documents`, `log of 3 documents: ACTION`.
fn subject(what: &BatchWrite, each: &[Outcome]) -> String {
    let n = each.len();
    match what {
        BatchWrite::Triage { .. } => {
            let mut to: Vec<&str> = each.iter().filter_map(|o| o.new_status.as_deref()).collect();
            to.sort_unstable();
            to.dedup();
            match to.as_slice() {
                [one] => format!("triage of {n} documents → {one}"),
                _ => format!("triage of {n} documents"),
            }
        }
        BatchWrite::Status { to, .. } => format!("status of {n} documents → {to}"),
        BatchWrite::Log { action, .. } => format!(
            "log of {n} documents: {}",
            crate::document::text::take_clusters(action.trim(), 60)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_message_names_every_document_in_its_trailers() {
        let m = batch_message(
            "status of 2 documents → complete",
            &[
                "030: status ready → complete".into(),
                "031: status ready → complete".into(),
            ],
            &["030", "031"],
        );
        assert_eq!(
            m,
            "findings: status of 2 documents → complete\n\n030: status ready → complete\n031: status ready → complete\n\nFinding-Id: 030\nFinding-Id: 031\n"
        );
    }
}
