//! Workflows: the statuses of each family, how raw values normalize, and the
//! allowed transitions (with which one counts as "triage").
//!
//! Normalizing never rewrites a file: it only decides how a value filters and
//! which transitions apply. Repositories may override the tables in
//! `findings.toml` (see [`crate::store::config`]); `Workflows` holds a
//! repository's three workflows and normalizes every status read through
//! them, so a configured status (`in_review`) is a known status everywhere.

use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};

/// The three document families (here, with their workflows, so that
/// `workflow` needs nothing of `document`; [`crate::document::Kind`] is
/// the same type).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A review todo (`todos/030-pending-p1-slug.md`, with `issue_id`).
    Todo,
    /// A code-review finding (`DATA-001`, with `severity` and the agent that raised
    /// it).
    Finding,
    /// An architecture decision record (`ADR-0105`, `0105-slug.md`).
    Adr,
}

impl Kind {
    /// The family's lowercase name as the CLI, JSON and config use it: `todo`,
    /// `finding`, `adr`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Todo => "todo",
            Kind::Finding => "finding",
            Kind::Adr => "adr",
        }
    }
    pub(crate) fn parse(s: &str) -> Option<Kind> {
        match s.to_ascii_lowercase().as_str() {
            "todo" | "todos" => Some(Kind::Todo),
            "finding" | "findings" => Some(Kind::Finding),
            "adr" | "adrs" | "decision" => Some(Kind::Adr),
            _ => None,
        }
    }
    /// The three families, in display order.
    pub const ALL: [Kind; 3] = [Kind::Todo, Kind::Finding, Kind::Adr];
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A status name as the `&'static str` every status is compared as. The
/// built-in names are returned as they are; a configured name is kept once
/// for the life of the process (bounded by the configuration's size).
pub(crate) fn intern(name: &str) -> &'static str {
    if let Some(s) = Kind::ALL.iter().flat_map(|k| statuses(*k).iter()).find(|s| **s == name) {
        return s;
    }
    static NAMES: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let mut set = NAMES
        .get_or_init(|| Mutex::new(HashSet::new()))
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(s) = set.get(name) {
        return s;
    }
    let s: &'static str = Box::leak(name.to_string().into_boxed_str());
    set.insert(s);
    s
}

/// The ways a raw status value may spell a workflow's status name:
/// the whole value, its first word and its first two words, lower-cased,
/// emphasis removed, spaces and hyphens as `_` (`In Review` → `in_review`).
fn spellings(raw: &str) -> [String; 3] {
    let lower = raw.trim().trim_matches(['*', '_', '"', '\'', '`']).to_lowercase();
    let rest = lower.trim_start_matches(|c: char| !c.is_alphanumeric());
    let clean = |w: &str| {
        w.trim_matches(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .to_string()
    };
    let mut words = rest.split_whitespace().map(clean);
    let first = words.next().unwrap_or_default();
    let two = words.next().map(|b| format!("{first}_{b}")).unwrap_or_default();
    let norm = |s: String| s.replace(['-', ' '], "_");
    [
        norm(rest.trim_end_matches(['*', '_']).to_string()),
        norm(two),
        norm(first),
    ]
}

/// Normalize a raw status value for `kind`. Returns the canonical status, or
/// `None` when the value is not one this family knows.
pub fn normalize_status(kind: Kind, raw: &str) -> Option<&'static str> {
    let lower = raw.trim().trim_matches(['*', '_', '"', '\'', '`']).to_lowercase();
    // "superseded by ADR-0123", "Accepted (implemented)", "✅ done"
    let word: String = lower
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-' || c == '\''))
        .next()
        .unwrap_or("")
        .to_string();
    let two = {
        let rest = lower.trim_start_matches(|c: char| !c.is_alphanumeric());
        let mut w = rest.split_whitespace();
        match (w.next(), w.next()) {
            (Some(a), Some(b)) => format!("{a} {}", b.trim_matches(|c: char| !c.is_alphanumeric())),
            _ => String::new(),
        }
    };
    let w = word.as_str();
    match kind {
        Kind::Todo => match w {
            "pending" | "todo" | "to-do" | "new" | "open" | "backlog" | "triage" => Some("pending"),
            _ if two == "to do" => Some("pending"),
            "ready" | "approved" | "in_progress" | "in-progress" | "active" | "wip" => Some("ready"),
            _ if two == "in progress" => Some("ready"),
            "complete" | "completed" | "done" | "resolved" | "closed" | "fixed" | "implemented" => Some("complete"),
            "wontfix" | "wont_fix" | "wont-fix" | "won't" | "discarded" | "skipped" | "rejected" => Some("wontfix"),
            _ if two == "won't fix" || two == "wont fix" => Some("wontfix"),
            _ => None,
        },
        Kind::Finding => match w {
            "open" | "new" | "todo" | "pending" | "reported" => Some("open"),
            _ if two == "to do" => Some("open"),
            "triaged" | "routed" | "accepted" | "confirmed" | "ready" => Some("triaged"),
            "in_progress" | "in-progress" | "inprogress" | "wip" | "active" => Some("in_progress"),
            _ if two == "in progress" => Some("in_progress"),
            "blocked" => Some("blocked"),
            "resolved" | "done" | "closed" | "fixed" | "complete" | "completed" | "promoted" | "deployed"
            | "implemented" => Some("resolved"),
            "wont_fix" | "wontfix" | "wont-fix" | "won't" | "rejected" | "invalid" | "duplicate" | "discarded" => {
                Some("wont_fix")
            }
            _ if two == "won't fix" || two == "wont fix" => Some("wont_fix"),
            _ => None,
        },
        Kind::Adr => match w {
            "proposed" | "draft" | "proposal" | "pending" | "open" => Some("proposed"),
            "accepted" | "approved" | "adopted" | "decided" | "implemented" | "active" => Some("accepted"),
            "rejected" | "declined" => Some("rejected"),
            "deprecated" | "retired" | "obsolete" => Some("deprecated"),
            "superseded" | "superceded" | "replaced" => Some("superseded"),
            _ => None,
        },
    }
}

/// Where a status stands in its workflow: the one table the status colours
/// (command line and terminal UI) read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    /// Not yet looked at: `pending`, `open`, `proposed`.
    New,
    /// Decided and being worked on: `ready`, `triaged`, `in_progress`, `accepted`.
    Active,
    /// Waiting on something else: `blocked`.
    Blocked,
    /// Finished as asked: `complete`, `resolved`.
    Done,
    /// Finished otherwise: `wontfix`, `wont_fix`, `rejected`, `deprecated`, `superseded`.
    Closed,
}

impl Phase {
    /// Nothing more happens to a document in this phase.
    pub(crate) fn is_final(self) -> bool {
        matches!(self, Phase::Done | Phase::Closed)
    }
}

/// The phase of a canonical status; `None` for a status the built-in
/// workflows do not name (a configured one, or none).
pub(crate) fn phase(status: &str) -> Option<Phase> {
    Some(match status {
        "pending" | "open" | "proposed" => Phase::New,
        "ready" | "triaged" | "in_progress" | "accepted" => Phase::Active,
        "blocked" => Phase::Blocked,
        "complete" | "resolved" => Phase::Done,
        "wontfix" | "wont_fix" | "rejected" | "deprecated" | "superseded" => Phase::Closed,
        _ => return None,
    })
}

/// The statuses of a family in workflow order (for menus and facets).
pub fn statuses(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Todo => &["pending", "ready", "complete", "wontfix"],
        Kind::Finding => &["open", "triaged", "in_progress", "blocked", "resolved", "wont_fix"],
        Kind::Adr => &["proposed", "accepted", "rejected", "deprecated", "superseded"],
    }
}

/// Normalize a priority: `P1`/`p1` → `p1`; words map onto the same scale
/// (critical p0, high p1, medium p2, low p3).
pub fn normalize_priority(raw: &str) -> Option<&'static str> {
    let l = raw.trim().trim_matches(['*', '"', '\'']).to_lowercase();
    let w = l
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    Some(match w {
        "p0" | "0" | "critical" | "blocker" | "urgent" => "p0",
        "p1" | "1" | "high" => "p1",
        "p2" | "2" | "medium" | "normal" | "moderate" => "p2",
        "p3" | "3" | "low" | "minor" | "trivial" => "p3",
        "p4" | "4" => "p4",
        _ => return None,
    })
}

/// Rank for sorting by priority (lower is more urgent); unknown sorts last.
pub(crate) fn priority_rank(p: Option<&str>) -> u8 {
    match p {
        Some(p) => p.strip_prefix('p').and_then(|d| d.parse().ok()).unwrap_or(9),
        None => 10,
    }
}

/// One allowed transition of a workflow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transition {
    /// Source statuses; `*` matches any.
    pub(crate) from: Vec<String>,
    pub(crate) to: String,
    /// A name for the move (`triage`, `approve`, `skip` …).
    #[serde(default)]
    pub(crate) name: Option<String>,
    /// The move needs `--reason`.
    #[serde(default)]
    pub(crate) needs_reason: bool,
}

/// A family's state machine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workflow {
    /// The family's statuses, in workflow order (as built in, or as `findings.toml`
    /// overrides them).
    pub statuses: Vec<String>,
    pub(crate) transitions: Vec<Transition>,
    /// Status a triage moves to.
    pub triage_to: String,
}

fn t(from: &[&str], to: &str, name: Option<&str>, needs_reason: bool) -> Transition {
    Transition {
        from: from.iter().map(|s| s.to_string()).collect(),
        to: to.into(),
        name: name.map(Into::into),
        needs_reason,
    }
}

impl Workflow {
    /// The built-in workflow of a family.
    pub fn default_for(kind: Kind) -> Workflow {
        let statuses = statuses(kind).iter().map(|s| s.to_string()).collect();
        match kind {
            Kind::Todo => Workflow {
                statuses,
                triage_to: "ready".into(),
                transitions: vec![
                    t(&["pending"], "ready", Some("triage"), false),
                    t(&["pending"], "wontfix", Some("skip"), true),
                    t(&["ready"], "complete", None, false),
                    t(&["ready"], "pending", None, false),
                    t(&["complete"], "ready", None, false),
                ],
            },
            Kind::Finding => Workflow {
                statuses,
                triage_to: "triaged".into(),
                transitions: vec![
                    t(&["open"], "triaged", Some("triage"), false),
                    t(&["triaged", "open"], "in_progress", None, false),
                    t(&["in_progress"], "resolved", None, false),
                    t(&["*"], "blocked", None, false),
                    t(&["*"], "wont_fix", Some("skip"), true),
                ],
            },
            Kind::Adr => Workflow {
                statuses,
                triage_to: "accepted".into(),
                transitions: vec![
                    t(&["proposed"], "accepted", Some("triage"), false),
                    t(&["proposed"], "rejected", Some("skip"), false),
                    t(&["accepted"], "deprecated", None, false),
                    t(&["accepted", "deprecated"], "superseded", None, false),
                ],
            },
        }
    }

    /// The workflow's status for a raw value: one of its own names as written
    /// in any case (`In Review` is `in_review`), else the family's built-in
    /// aliases when they lead to a status this workflow has; `None` when the
    /// workflow does not know the value.
    pub(crate) fn normalize(&self, kind: Kind, raw: &str) -> Option<&'static str> {
        for w in spellings(raw).iter().filter(|w| !w.is_empty()) {
            if let Some(s) = self.statuses.iter().find(|s| s.eq_ignore_ascii_case(w)) {
                return Some(intern(s));
            }
        }
        normalize_status(kind, raw).filter(|c| self.statuses.iter().any(|s| s == c))
    }

    /// The transitions allowed from `from`.
    pub(crate) fn allowed_from(&self, from: &str) -> Vec<&Transition> {
        self.transitions
            .iter()
            .filter(|t| t.to != from && t.from.iter().any(|f| f == "*" || f == from))
            .collect()
    }

    /// The transition `from → to`, if allowed.
    pub fn find(&self, from: &str, to: &str) -> Option<&Transition> {
        self.allowed_from(from).into_iter().find(|t| t.to == to)
    }
}

/// A repository's workflows, one per family: the built-in ones with
/// `findings.toml`'s overrides applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Workflows {
    pub(crate) todo: Workflow,
    pub(crate) finding: Workflow,
    pub(crate) adr: Workflow,
}

impl Default for Workflows {
    fn default() -> Self {
        Workflows {
            todo: Workflow::default_for(Kind::Todo),
            finding: Workflow::default_for(Kind::Finding),
            adr: Workflow::default_for(Kind::Adr),
        }
    }
}

impl Workflows {
    /// The phase of `status` in the workflow of `kind` (the first family
    /// whose workflow has it when `None`); `None` when no workflow knows
    /// it. A built-in name keeps its phase ([`phase`]); a configured one is
    /// read from the workflow's moves: new when a triage starts from it,
    /// closed when a skip leads to it, done when no move leads on from it,
    /// else active.
    pub(crate) fn phase_of(&self, kind: Option<Kind>, status: &str) -> Option<Phase> {
        let wf = match kind {
            Some(k) => Some(self.get(k)),
            None => Kind::ALL
                .iter()
                .map(|k| self.get(*k))
                .find(|w| w.statuses.iter().any(|s| s == status)),
        };
        match wf {
            Some(wf) if wf.statuses.iter().any(|s| s == status) => {
                phase(status).or_else(|| Some(phase_in_workflow(wf, status)))
            }
            // Not a status of this family's workflow.
            _ => phase(status),
        }
    }

    /// The built-in workflows, shared.
    pub(crate) fn builtin() -> &'static Workflows {
        static W: OnceLock<Workflows> = OnceLock::new();
        W.get_or_init(Workflows::default)
    }

    pub(crate) fn get(&self, kind: Kind) -> &Workflow {
        match kind {
            Kind::Todo => &self.todo,
            Kind::Finding => &self.finding,
            Kind::Adr => &self.adr,
        }
    }

    pub(crate) fn get_mut(&mut self, kind: Kind) -> &mut Workflow {
        match kind {
            Kind::Todo => &mut self.todo,
            Kind::Finding => &mut self.finding,
            Kind::Adr => &mut self.adr,
        }
    }

    /// See [`Workflow::normalize`].
    pub(crate) fn normalize(&self, kind: Kind, raw: &str) -> Option<&'static str> {
        self.get(kind).normalize(kind, raw)
    }
}

/// The phase of a configured status, from the moves of its workflow.
fn phase_in_workflow(wf: &Workflow, status: &str) -> Phase {
    let named = |name: &'static str| wf.transitions.iter().filter(move |t| t.name.as_deref() == Some(name));
    if named("triage").any(|t| t.from.iter().any(|f| f == status)) {
        return Phase::New;
    }
    if named("skip").any(|t| t.to == status) {
        return Phase::Closed;
    }
    if wf.allowed_from(status).iter().all(|t| t.from.iter().all(|f| f == "*")) {
        // Only the moves every status has (to blocked, to skip).
        return Phase::Done;
    }
    Phase::Active
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_the_real_world() {
        assert_eq!(normalize_status(Kind::Todo, "completed"), Some("complete"));
        assert_eq!(normalize_status(Kind::Todo, "done"), Some("complete"));
        assert_eq!(normalize_status(Kind::Finding, "In Progress"), Some("in_progress"));
        assert_eq!(normalize_status(Kind::Finding, "DONE"), Some("resolved"));
        assert_eq!(
            normalize_status(Kind::Adr, "superseded by ADR-0123"),
            Some("superseded")
        );
        assert_eq!(normalize_status(Kind::Adr, "Accepted (implemented)"), Some("accepted"));
        assert_eq!(normalize_status(Kind::Adr, "**Accepted**"), Some("accepted"));
        assert_eq!(normalize_status(Kind::Finding, "nearly-done"), None);
        assert_eq!(normalize_priority("P1"), Some("p1"));
        assert_eq!(normalize_priority("medium"), Some("p2"));
    }

    #[test]
    fn configured_statuses_are_known_in_any_spelling() {
        let mut w = Workflows::default();
        w.todo.statuses = ["pending", "ready", "in_review", "complete", "wontfix"]
            .map(String::from)
            .to_vec();
        assert_eq!(w.normalize(Kind::Todo, "in_review"), Some("in_review"));
        assert_eq!(w.normalize(Kind::Todo, "In Review"), Some("in_review"));
        assert_eq!(
            w.normalize(Kind::Todo, "**IN-REVIEW** (since Monday)"),
            Some("in_review")
        );
        assert_eq!(w.normalize(Kind::Todo, "done"), Some("complete"));
        assert_eq!(w.normalize(Kind::Finding, "in_review"), None);
        w.todo.statuses.retain(|s| s != "wontfix");
        assert_eq!(w.normalize(Kind::Todo, "wontfix"), None);
        assert!(std::ptr::eq(intern("in_review"), intern(&String::from("in_review"))));
        assert!(std::ptr::eq(intern("open"), statuses(Kind::Finding)[0]));
    }

    #[test]
    fn every_built_in_status_has_a_phase() {
        for k in Kind::ALL {
            for s in statuses(k) {
                assert!(phase(s).is_some(), "{s}");
            }
            let w = Workflow::default_for(k);
            assert!(!phase(&w.triage_to).unwrap().is_final());
        }
        assert_eq!(phase("in_review"), None);
    }

    #[test]
    fn transitions() {
        let w = Workflow::default_for(Kind::Todo);
        assert!(w.find("pending", "ready").is_some());
        assert!(w.find("pending", "complete").is_none());
        let f = Workflow::default_for(Kind::Finding);
        assert!(f.find("resolved", "blocked").is_some());
        assert!(f.find("blocked", "blocked").is_none());
    }
}

#[cfg(test)]
mod phase_tests {
    use super::*;

    fn mv(from: &str, to: &str, name: Option<&str>) -> Transition {
        Transition {
            from: vec![from.to_string()],
            to: to.to_string(),
            name: name.map(str::to_string),
            needs_reason: false,
        }
    }

    #[test]
    fn configured_statuses_take_the_phase_of_their_place_in_the_workflow() {
        let wfs = Workflows {
            todo: Workflow {
                statuses: ["inbox", "ready", "in_review", "shipped", "dropped"]
                    .map(String::from)
                    .to_vec(),
                transitions: vec![
                    mv("inbox", "ready", Some("triage")),
                    mv("inbox", "dropped", Some("skip")),
                    mv("ready", "in_review", None),
                    mv("in_review", "shipped", None),
                ],
                triage_to: "ready".into(),
            },
            ..Workflows::default()
        };
        let phase = |s: &str| wfs.phase_of(Some(Kind::Todo), s);
        assert_eq!(phase("inbox"), Some(Phase::New));
        assert_eq!(phase("ready"), Some(Phase::Active));
        assert_eq!(phase("in_review"), Some(Phase::Active));
        assert_eq!(phase("shipped"), Some(Phase::Done));
        assert_eq!(phase("dropped"), Some(Phase::Closed));
        assert_eq!(phase("nonsense"), None);
        // Any family's, when the kind is not known (the filter pane).
        assert_eq!(wfs.phase_of(None, "in_review"), Some(Phase::Active));
        assert_eq!(wfs.phase_of(None, "proposed"), Some(Phase::New));
    }
}
