//! A triage session's state: the queue, the position, the decisions made
//! (undone one by one), the document being decided. A walk over marked
//! documents collects its decisions ([`Triage::collects`]) and writes them
//! at the end as one batch ([`Triage::to_write`]), one commit and one undo.

use crate::document::options::AdrOptions;
use crate::ops::batch::BatchWrite;
use crate::tui::app::Detail;
use crate::tui::msg::Shown;

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
    /// In a collecting walk: the write this decision makes at the end, and
    /// what the document looked like when decided.
    pub(crate) planned: Option<(Shown, BatchWrite)>,
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
    /// True for a walk over marked documents: decisions are collected and
    /// written together when the walk ends (nothing is written before).
    pub(crate) collect: bool,
}

impl Triage {
    /// A session over `queue` from its first document; `collect` for a walk
    /// written as one batch at the end.
    pub(crate) fn new(queue: Vec<String>, adrs: Vec<AdrOptions>, collect: bool) -> Triage {
        Triage {
            queue,
            pos: 0,
            decisions: Vec::new(),
            detail: None,
            adrs,
            collect,
        }
    }

    /// Whether the session collects its decisions to write them at the end.
    pub fn collects(&self) -> bool {
        self.collect
    }

    /// Record the decision `what` on the document at the current position,
    /// to be written as `write` at the end (a collecting walk).
    pub(crate) fn plan(&mut self, path: String, id: String, what: Decided, shown: Shown, write: BatchWrite) {
        self.decisions.push(Decision {
            pos: self.pos,
            path,
            id,
            what,
            commit: None,
            planned: Some((shown, write)),
        });
    }

    /// What the walk writes when it ends: each planned decision's document,
    /// as shown, and its write, in the order decided.
    pub fn to_write(&self) -> Vec<(String, Shown, BatchWrite)> {
        self.decisions
            .iter()
            .filter_map(|d| d.planned.clone().map(|(shown, w)| (d.path.clone(), shown, w)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_collecting_walk_writes_its_planned_decisions_in_order_and_not_its_deferrals() {
        let mut t = Triage::new(vec!["a.md".into(), "b.md".into(), "c.md".into()], Vec::new(), true);
        assert!(t.collects() && t.to_write().is_empty());
        let shown = Shown { hash: 7 };
        let triage = BatchWrite::Triage {
            note: None,
            action: Some("A".into()),
            literal: false,
        };
        t.plan(
            "a.md".into(),
            "001".into(),
            Decided::Option("A".into()),
            shown,
            triage.clone(),
        );
        t.pos = 1;
        t.decisions.push(Decision {
            pos: 1,
            path: "b.md".into(),
            id: "002".into(),
            what: Decided::Deferred,
            commit: None,
            planned: None,
        });
        t.pos = 2;
        let skip = BatchWrite::Status {
            to: "wontfix".into(),
            note: None,
            reason: Some("dup".into()),
        };
        t.plan(
            "c.md".into(),
            "003".into(),
            Decided::Skipped("dup".into()),
            shown,
            skip.clone(),
        );
        assert_eq!(
            t.to_write(),
            vec![("a.md".to_string(), shown, triage), ("c.md".to_string(), shown, skip)]
        );
        assert_eq!(t.decisions[2].pos, 2);
        assert!(!Triage::new(Vec::new(), Vec::new(), false).collects());
    }
}
