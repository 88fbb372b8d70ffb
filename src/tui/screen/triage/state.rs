//! A triage session's state: the queue, the position, the decisions made
//! (undone one by one), the document being decided.

use crate::document::options::AdrOptions;
use crate::tui::app::Detail;

/// What a triage decision was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decided {
    Approved,
    Option(String),
    Action(String),
    Skipped(String),
    Deferred,
}

impl Decided {
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The queue position decided.
    pub(crate) pos: usize,
    /// The path before the decision (undo restores it).
    pub(crate) path: String,
    pub(crate) id: String,
    pub what: Decided,
    pub commit: Option<String>,
}

/// A triage session.
#[derive(Debug, Clone)]
pub struct Triage {
    /// Paths, in the order shown.
    pub queue: Vec<String>,
    pub pos: usize,
    pub decisions: Vec<Decision>,
    pub detail: Option<Detail>,
    /// The accepted ADRs' options, read when the session starts (what
    /// `triage --action` matches against).
    pub adrs: Vec<AdrOptions>,
}
