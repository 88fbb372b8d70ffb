//! `findings tick ID N [--undo]`: tick (or untick) acceptance criterion N,
//! numbered as [`crate::document::criteria`] and `findings show` number
//! them. The edit is the one byte between the brackets; a document that
//! keeps a work log gets an entry (`Ticked: criterion 2`), as a status move
//! does, and the change is committed.

use super::{message, OpError, Outcome, Transaction, WriteOpts};
use crate::document::criteria::{criteria, Criterion};
use crate::edit::{self, Edit};
use crate::store::Repo;

/// `findings tick ID N [--undo]`.
#[derive(Debug, Clone, Default)]
pub(crate) struct TickRequest {
    pub(crate) id: String,
    /// The criterion's number, from 1.
    pub(crate) n: usize,
    /// Untick instead.
    pub(crate) undo: bool,
}

/// Tick or untick one acceptance criterion.
pub(crate) fn tick(repo: &Repo, req: &TickRequest, opts: &WriteOpts) -> Result<Outcome, OpError> {
    let mut tx = Transaction::begin(repo, opts)?;
    let meta = tx.resolve(&req.id)?;
    let doc = tx.read(&meta.path)?;
    let id = doc.meta.id.clone();
    let invalid = |what: String| OpError::Invalid { id: id.clone(), what };
    let list = criteria(&doc);
    let Some(c) = req.n.checked_sub(1).and_then(|i| list.get(i)) else {
        return Err(invalid(match list.len() {
            0 => "has no acceptance criteria (`- [ ]` items under an Acceptance Criteria heading)".into(),
            1 => format!("has 1 acceptance criterion; there is no criterion {}", req.n),
            k => format!(
                "has {k} acceptance criteria (1 to {k}); there is no criterion {}",
                req.n
            ),
        }));
    };
    if c.done != req.undo {
        let state = if c.done { "ticked" } else { "not ticked" };
        return Err(invalid(format!("criterion {} is already {state}: {}", c.n, c.text)));
    }
    let verb = if req.undo { "Unticked" } else { "Ticked" };
    let mut edits = vec![Edit::replace(
        c.mark.clone(),
        if req.undo { " " } else { "x" }.to_string(),
    )];
    if edit::worklog::find(&doc).is_some() {
        let e = tx.entry(format!("{verb}: criterion {}", c.n), c.text.clone());
        edits.extend(edit::worklog::append(&doc, &e));
    }
    let msg = message(
        &id,
        &format!("{} criterion {}", verb.to_lowercase(), c.n),
        std::slice::from_ref(&c.text),
        &[],
    );
    let after = Transaction::apply(&doc, &edits)?;
    // The result must read back with this criterion, and only it, changed.
    let want: Vec<(bool, &str)> = list
        .iter()
        .map(|x| (if x.n == c.n { !req.undo } else { x.done }, x.text.as_str()))
        .collect();
    let check = criteria(&repo.parse(&doc.meta.path, after.clone()));
    if check.iter().map(|x| (x.done, x.text.as_str())).collect::<Vec<_>>() != want {
        return Err(invalid(format!(
            "after the edit the acceptance criteria do not read as intended; nothing was written (criterion {})",
            c.n
        )));
    }
    tx.stage_text(&doc, None, after);
    let out = Outcome {
        files: vec![super::FileChange {
            path: doc.meta.path.clone(),
            renamed_from: None,
            created: false,
            removed: false,
        }],
        old_status: doc.meta.status_owned(),
        new_status: doc.meta.status_owned(),
        criterion: Some(Criterion {
            done: !req.undo,
            ..c.clone()
        }),
        ..Outcome::new(id.clone(), doc.meta.kind, opts)
    };
    tx.finish(msg, out)
}
