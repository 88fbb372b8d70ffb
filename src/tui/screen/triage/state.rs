//! A triage session's state: the queue, the position, the decisions made
//! (undone one by one), the document being decided.

use crate::document::options::AdrOptions;
use crate::tui::app::Detail;

/// What a triage decision was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decided {
    /// Approved as it is.
    Approved,
    /// Triaged adopting this decision option (its key, `A`).
    Option(String),
    /// Triaged with this typed action.
    Action(String),
    /// Skipped with this reason.
    Skipped(String),
    /// Left as it was for later.
    Deferred,
}

impl Decided {
    /// The decision in words, as the summary lists it (`option A`, `skipped:
    /// duplicate`).
    pub fn describe(&self) -> String {
        match self {
            Decided::Approved => "approved".into(),
            Decided::Option(o) => format!("option {o}"),
            Decided::Action(a) => format!("action: {a}"),
            Decided::Skipped(r) => format!("skipped: {r}"),
            Decided::Deferred => "deferred".into(),
        }
    }
}

/// One decision of a triage walk, in the order made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The queue position decided.
    pub(crate) pos: usize,
    /// The path before the decision (undo restores it).
    pub(crate) path: String,
    pub(crate) id: String,
    /// What was decided.
    pub what: Decided,
    /// The commit that carried it out, `None` when nothing was committed (deferred, or
    /// `--no-commit`).
    pub commit: Option<String>,
}

/// A triage session.
#[derive(Debug, Clone)]
pub struct Triage {
    /// Paths, in the order shown.
    pub queue: Vec<String>,
    /// The index into `queue` of the document being decided.
    pub pos: usize,
    /// The decisions made so far, in order.
    pub decisions: Vec<Decision>,
    /// The document being decided, rendered, `None` once the queue is done.
    pub detail: Option<Detail>,
    /// The accepted ADRs' options, read when the session starts (what
    /// `triage --action` matches against).
    pub adrs: Vec<AdrOptions>,
}
