//! Triage, status changes, work-log entries and ADR supersedes: each reads
//! the document in a [`Transaction`] (under the repository lock), plans span
//! edits (status value, file name, Recommended Action, `resolved:`
//! timestamp, supersede links, one work-log entry), and stages them for the
//! transaction to write and commit.
//!
//! About 640 lines before the tests: triage, status changes, work-log entries and supersedes share
//! one planning path (the status edit, the file name, Recommended Action, the work-log entry, the
//! message), kept together so the four writes cannot drift apart.

use super::action::{self as matching, ActionMatch};
use super::{message, target_status, ActionReport, FileChange, OpError, Outcome, Transaction, WriteOpts};
use crate::document::fields::StatusPlace;
use crate::document::options::{self, AdrOptions};
use crate::document::{Document, Kind};
use crate::edit::action;
use crate::edit::{self, Edit};
use crate::store::Repo;
use crate::workflow::Workflow;

/// `findings triage ID [--action TEXT] [--to STATUS] [--note TEXT] [--literal]`.
#[derive(Debug, Clone, Default)]
pub struct TriageRequest {
    /// Which document: its ID, number or path, as the resolver accepts them.
    pub id: String,
    /// The Recommended Action: matched against the decision options (yours and accepted
    /// ADRs'), else written verbatim; `None` writes none.
    pub action: Option<String>,
    /// The status to move to; `None` is the family's triage status (todo `ready`,
    /// finding `triaged`, ADR `accepted`).
    pub to: Option<String>,
    /// A note for a work-log entry; with `None` an entry is added only where the
    /// document already keeps a log.
    pub note: Option<String>,
    /// Write `action` verbatim without matching it against any option.
    pub literal: bool,
    /// Replace a Recommended Action a person wrote (it is kept verbatim
    /// below the new one) instead of adding the action after it.
    pub replace: bool,
}

/// `findings status ID NEW [--note] [--reason] [--by ADR]`.
#[derive(Debug, Clone, Default)]
pub struct StatusRequest {
    /// Which document: its ID, number or path.
    pub id: String,
    /// The status to move to (a status of the family, or an alias such as `done`).
    pub to: String,
    /// A note for the work-log entry.
    pub note: Option<String>,
    /// Why: needed for a skip (`wontfix`, `wont_fix`), written in the work-log entry.
    pub reason: Option<String>,
    /// The ADR that supersedes this one, needed for `superseded`.
    pub by: Option<String>,
}

/// `findings log ID ACTION [--learnings TEXT]`.
#[derive(Debug, Clone, Default)]
pub struct LogRequest {
    /// Which document: its ID, number or path.
    pub id: String,
    /// What was done: the entry's action column.
    pub action: String,
    /// What was learned, written in the entry's details; `None` leaves it out.
    pub learnings: Option<String>,
}

/// The edits that move `doc` to status `to`: the value wherever it lives,
/// and the new file name when the name carries the status.
fn status_edits(doc: &Document, to: &str, now: &str) -> Result<(Vec<Edit>, Option<String>), OpError> {
    let path = &doc.meta.path;
    let mut edits = match doc.meta.status_place {
        Some(StatusPlace::FileName) => vec![],
        Some(_) => edit::status::set_status(doc, to).map_err(OpError::edit(path))?,
        None if doc.split.front.is_some() => edit::status::insert_status_key(doc, to).map_err(OpError::edit(path))?,
        None => return Err(OpError::Invalid {
            id: doc.meta.id.clone(),
            what: "the document keeps its status nowhere findings can write (no front matter, status section or field)"
                .into(),
        }),
    };
    // Entering resolved stamps `resolved:` where the family keeps one.
    if doc.meta.kind == Kind::Finding
        && to == "resolved"
        && doc.split.front.is_some()
        && (doc.key("resolved").is_some() || doc.key("created").is_some())
    {
        edits.extend(edit::frontmatter::set_key(doc, "resolved", now, &["created"]).map_err(OpError::edit(path))?);
    }
    let renamed = doc
        .file
        .with_status(&file_status_word(doc, to))
        .map(|name| crate::document::sibling(path, &name));
    let renamed = renamed.filter(|p| p != path);
    Ok((edits, renamed))
}

/// The status word for the file name, in the name's own case.
fn file_status_word(doc: &Document, to: &str) -> String {
    let old = doc.file.status_str().unwrap_or("");
    if !old.is_empty() && old.chars().all(|c| !c.is_lowercase()) {
        to.to_uppercase()
    } else {
        to.to_string()
    }
}

/// Check `from → to` against the workflow (unless forced).
fn check_transition(w: &Workflow, doc: &Document, to: &str, opts: &WriteOpts) -> Result<String, OpError> {
    let id = doc.meta.id.clone();
    let kind = doc.meta.kind;
    let Some(from) = doc.meta.status else {
        if opts.force {
            return Ok(doc.meta.status_raw.clone().unwrap_or_else(|| "(none)".into()));
        }
        return Err(OpError::UnknownStatus {
            id,
            kind,
            status: doc.meta.status_raw.clone().unwrap_or_else(|| "(none)".into()),
        });
    };
    if from == to {
        return Err(OpError::Invalid {
            id,
            what: format!("already {to}"),
        });
    }
    if w.find(from, to).is_none() && !opts.force {
        return Err(OpError::NotAllowed {
            id,
            kind,
            from: from.to_string(),
            to: to.to_string(),
            allowed: w.allowed_from(from).iter().map(|t| t.to.clone()).collect(),
        });
    }
    Ok(from.to_string())
}

fn needs_reason(w: &Workflow, from: &str, to: &str) -> bool {
    w.find(from, to).is_some_and(|t| t.needs_reason)
}

/// The accepted ADRs' decision options that `query` may name, for
/// `--action` matching (from the stat-validated cache, [`super::adr_cache`]).
fn adr_options(repo: &Repo, query: &str, opts: &WriteOpts) -> Vec<AdrOptions> {
    super::adr_cache::accepted_options(repo, !opts.dry_run)
        .into_iter()
        .filter(|(_, o)| {
            o.iter()
                .any(|opt| may_match_heading(&format!("# {}", opt.display()), query))
        })
        .collect()
}

/// A cheap necessary condition for `query` to match one of a document's
/// option headings: each query word's letters and digits appear, in order,
/// in one heading line (words in any order; every title and fuzzy match
/// needs that). Labels (`A`, `2`, `option b`) and ADR-restricted queries
/// (`ADR-0105 A`) are never filtered.
pub(crate) fn may_match_heading(text: &str, query: &str) -> bool {
    let lower = query.trim().to_lowercase();
    let words: Vec<Vec<char>> = lower
        .split_whitespace()
        .map(|w| w.chars().filter(|c| c.is_alphanumeric()).collect::<Vec<_>>())
        .filter(|w| !w.is_empty())
        .collect();
    let letters: usize = words.iter().map(Vec::len).sum();
    if letters <= 2 || lower.starts_with("option") || lower.starts_with("adr") {
        return true;
    }
    let subsequence = |line: &str, w: &[char]| {
        let mut want = w.iter().peekable();
        for c in line.chars() {
            if want.peek() == Some(&&c) {
                want.next();
            }
        }
        want.peek().is_none()
    };
    text.lines().filter(|l| l.trim_start().starts_with('#')).any(|l| {
        let l = l.to_lowercase();
        words.iter().all(|w| subsequence(&l, w))
    })
}

fn describe(m: &ActionMatch) -> Option<String> {
    match m {
        ActionMatch::Own(o) => Some(o.display()),
        ActionMatch::Adr(a, o) => Some(format!("{} {}", a.id, o.display())),
        _ => None,
    }
}

/// Stage a document's write in `tx`: apply, verify the result reads as
/// intended, stage it; the outcome carries `msg` and the file written.
#[allow(clippy::too_many_arguments)]
fn stage_one(
    tx: &mut Transaction<'_>,
    doc: &Document,
    edits: Vec<Edit>,
    renamed: Option<String>,
    expect_status: Option<&str>,
    msg: String,
    mut out: Outcome,
) -> Result<Outcome, OpError> {
    let after = Transaction::apply(doc, &edits)?;
    let renamed = match renamed {
        Some(r) => Some(r),
        None => repair_name(tx.repo(), doc, &after).inspect(|to| {
            out.warnings
                .push(format!("{}: renamed to {to}, the name its status says", doc.meta.path))
        }),
    };
    let to_path = renamed.clone().unwrap_or_else(|| doc.meta.path.clone());
    // The result must read back as intended.
    let check = tx.repo().parse(&to_path, after.clone());
    if let Some(want) = expect_status {
        if check.meta.status != Some(want) && !tx.opts().force {
            return Err(OpError::Invalid {
                id: doc.meta.id.clone(),
                what: format!(
                    "after the edit the status reads {:?}, not {want}; nothing was written",
                    check.meta.status_raw
                ),
            });
        }
    }
    tx.stage_text(doc, Some(to_path.clone()), after);
    out.files = vec![FileChange {
        path: to_path,
        renamed_from: renamed.map(|_| doc.meta.path.clone()),
        created: false,
        removed: false,
    }];
    out.message = msg;
    Ok(out)
}

/// Finish a write planned by one of the `plan_*` functions: the diff, or
/// the write and its commit.
fn finish(tx: Transaction<'_>, out: Outcome) -> Result<Outcome, OpError> {
    tx.finish(out.message.clone(), out)
}

/// The name a document whose file name disagrees with its status should
/// have (a rename interrupted after the write, before the rename): the next
/// write to it repairs the name.
fn repair_name(repo: &Repo, doc: &Document, after: &str) -> Option<String> {
    let check = repo.parse(&doc.meta.path, after.to_string());
    if !check.meta.problems.iter().any(|p| p.code == "status-mismatch") {
        return None;
    }
    let name = check.file.with_status(&file_status_word(&check, check.meta.status?))?;
    let path = crate::document::sibling(&doc.meta.path, &name);
    (path != doc.meta.path).then_some(path)
}

fn outcome(doc: &Document, opts: &WriteOpts) -> Outcome {
    Outcome {
        old_status: doc.meta.status_owned(),
        ..Outcome::new(doc.meta.id.clone(), doc.meta.kind, opts)
    }
}

fn join_details(parts: &[Option<String>]) -> String {
    parts
        .iter()
        .flatten()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn sentence(s: &str) -> String {
    let s = s.trim();
    if s.is_empty() || s.ends_with(['.', '!', '?', ')']) {
        s.to_string()
    } else {
        format!("{s}.")
    }
}

/// The record of a status move: its work-log entry (`Triage: pending →
/// ready (by Ana)` with `details`) and its commit message (`findings(030):
/// triage pending → ready` with `body`). A document that keeps no work log
/// (most ADRs) gets no entry unless the user wrote a note for one: the
/// commit message records the move.
#[allow(clippy::too_many_arguments)]
fn record(
    tx: &Transaction<'_>,
    doc: &Document,
    verb: &str,
    from: &str,
    to: &str,
    details: String,
    body: &[String],
    note: Option<&str>,
) -> (Vec<Edit>, String) {
    let msg = message(
        &doc.meta.id,
        &format!("{} {from} → {to}", verb.to_lowercase()),
        body,
        &[],
    );
    if !wants_entry(doc, note) {
        return (vec![], msg);
    }
    let e = tx.entry(format!("{verb}: {from} → {to}"), details);
    (edit::worklog::append(doc, &e), msg)
}

/// A status move writes a work-log entry when the document keeps a log, or
/// when the user gave a note to record.
fn wants_entry(doc: &Document, note: Option<&str>) -> bool {
    edit::worklog::find(doc).is_some() || note.is_some_and(|n| !n.trim().is_empty())
}

/// Triage a document: move it to its family's triage status (or `--to`),
/// fill Recommended Action from `--action`, add a work-log entry, commit.
pub fn triage(repo: &Repo, req: &TriageRequest, opts: &WriteOpts) -> Result<Outcome, OpError> {
    let mut tx = Transaction::begin(repo, opts)?;
    let meta = tx.resolve(&req.id)?;
    let doc = tx.read(&meta.path)?;
    let out = plan_triage(&mut tx, &doc, req)?;
    finish(tx, out)
}

/// Plan a triage of `doc` (read in `tx`) and stage it, without finishing
/// the transaction (a batch stages several).
pub(crate) fn plan_triage(tx: &mut Transaction<'_>, doc: &Document, req: &TriageRequest) -> Result<Outcome, OpError> {
    let (repo, opts) = (tx.repo(), tx.opts().clone());
    let opts = &opts;
    let kind = doc.meta.kind;
    let w = tx.workflow(kind);
    let to = match &req.to {
        Some(t) => target_status(repo, kind, &doc.meta.id, t)?,
        None => w.triage_to.clone(),
    };
    let from = check_transition(w, doc, &to, opts)?;
    if needs_reason(w, &from, &to) && req.note.as_deref().is_none_or(|n| n.trim().is_empty()) {
        return Err(OpError::NeedsReason {
            id: doc.meta.id.clone(),
            to,
        });
    }
    let now = opts.now();
    let (mut edits, renamed) = status_edits(doc, &to, &now)?;
    let mut out = outcome(doc, opts);
    out.new_status = Some(to.clone());

    let mut report = None;
    if let Some(a) = req.action.as_deref().filter(|a| !a.trim().is_empty()) {
        let own = options::options(doc);
        let m = if req.literal {
            ActionMatch::None
        } else {
            matching::match_action(a, &own, &adr_options(repo, a, opts))
        };
        let link_from = renamed.as_deref().unwrap_or(&doc.meta.path);
        let text = matching::recommended_action_text(&m, a, link_from);
        let note = match &m {
            ActionMatch::Own(_) | ActionMatch::Adr(..) => {
                format!("--action {a:?} matched {}", describe(&m).unwrap_or_default())
            }
            ActionMatch::Ambiguous(c) => format!(
                "--action {a:?} matches several options ({}); wrote the text as given",
                c.iter()
                    .map(|c| match &c.adr {
                        Some(r) => format!("{} {}", r.id, c.option.display()),
                        None => c.option.display(),
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            ActionMatch::None if req.literal => "wrote the text as given (--literal)".into(),
            ActionMatch::None => format!("--action {a:?} matches no option; wrote the text as given"),
        };
        let existing = if req.replace {
            action::Existing::Replace
        } else {
            action::Existing::Keep
        };
        let w = action::set_recommended_action(doc, &text, existing, &opts.today());
        edits.extend(w.edits);
        let (kept, replaced) = match w.written {
            action::ActionWritten::Filled => (None, None),
            action::ActionWritten::Added => (
                Some("kept the Recommended Action already written and added this after it (--replace replaces it)"),
                None,
            ),
            action::ActionWritten::Replaced(old) => (
                Some("the Recommended Action it replaces stays below it, under \"Previous recommended action\""),
                Some(old),
            ),
            action::ActionWritten::AlreadyThere => (Some("the Recommended Action already says this"), None),
        };
        report = Some(ActionReport {
            matched: describe(&m),
            text,
            note: match kept {
                Some(k) => format!("{note}; {k}"),
                None => note,
            },
            replaced,
        });
    }
    let details = join_details(&[
        report.as_ref().map(|r| sentence(&format!("Action: {}", r.text))),
        report
            .as_ref()
            .filter(|r| r.replaced.is_some())
            .map(|_| "Replaced the previous recommended action (kept below the new one).".to_string()),
        req.note.as_ref().map(|n| sentence(n)),
    ]);
    let body = vec![
        report
            .as_ref()
            .map(|r| format!("Action: {}", r.text))
            .unwrap_or_default(),
        req.note.as_ref().map(|n| format!("Note: {n}")).unwrap_or_default(),
    ];
    let (log, msg) = record(tx, doc, "Triage", &from, &to, details, &body, req.note.as_deref());
    edits.extend(log);
    out.action = report;
    let want = w.normalize(kind, &to).unwrap_or("");
    stage_one(tx, doc, edits, renamed, Some(want), msg, out)
}

/// Change a document's status (`findings status`), with a work-log entry.
/// Superseding an ADR (`--by`) links both records and commits both.
pub fn set_status(repo: &Repo, req: &StatusRequest, opts: &WriteOpts) -> Result<Outcome, OpError> {
    let mut tx = Transaction::begin(repo, opts)?;
    let meta = tx.resolve(&req.id)?;
    let doc = tx.read(&meta.path)?;
    let kind = doc.meta.kind;
    let to = target_status(repo, kind, &doc.meta.id, &req.to)?;
    if kind == Kind::Adr && to == "superseded" {
        let by = req.by.clone().ok_or_else(|| OpError::NeedsBy {
            id: doc.meta.id.clone(),
        })?;
        drop(tx);
        return supersede(repo, &req.id, &by, req.note.as_deref(), opts);
    }
    let out = plan_status(&mut tx, &doc, req)?;
    finish(tx, out)
}

/// Plan a status change of `doc` (read in `tx`) and stage it, without
/// finishing the transaction (a batch stages several). Superseding an ADR
/// is not planned here ([`supersede`] writes two documents).
pub(crate) fn plan_status(tx: &mut Transaction<'_>, doc: &Document, req: &StatusRequest) -> Result<Outcome, OpError> {
    let (repo, opts) = (tx.repo(), tx.opts().clone());
    let opts = &opts;
    let kind = doc.meta.kind;
    let to = target_status(repo, kind, &doc.meta.id, &req.to)?;
    if kind == Kind::Adr && to == "superseded" {
        return Err(OpError::NeedsBy {
            id: doc.meta.id.clone(),
        });
    }
    let w = tx.workflow(kind);
    let from = check_transition(w, doc, &to, opts)?;
    let reason = req.reason.as_deref().filter(|r| !r.trim().is_empty());
    if needs_reason(w, &from, &to) && reason.is_none() {
        return Err(OpError::NeedsReason {
            id: doc.meta.id.clone(),
            to,
        });
    }
    let (mut edits, renamed) = status_edits(doc, &to, &opts.now())?;
    let details = join_details(&[
        reason.map(|r| sentence(&format!("Reason: {r}"))),
        req.note.as_ref().map(|n| sentence(n)),
    ]);
    let body = vec![
        reason.map(|r| format!("Reason: {r}")).unwrap_or_default(),
        req.note.as_ref().map(|n| format!("Note: {n}")).unwrap_or_default(),
    ];
    let (log, msg) = record(tx, doc, "Status", &from, &to, details, &body, req.note.as_deref());
    edits.extend(log);
    let mut out = outcome(doc, opts);
    out.new_status = Some(to.clone());
    let want = w.normalize(kind, &to).unwrap_or("");
    stage_one(tx, doc, edits, renamed, Some(want), msg, out)
}

/// Append a work-log entry (`findings log`).
pub fn log(repo: &Repo, req: &LogRequest, opts: &WriteOpts) -> Result<Outcome, OpError> {
    if req.action.trim().is_empty() {
        return Err(OpError::Invalid {
            id: req.id.clone(),
            what: "a work-log entry needs a non-empty ACTION".into(),
        });
    }
    let mut tx = Transaction::begin(repo, opts)?;
    let meta = tx.resolve(&req.id)?;
    let doc = tx.read(&meta.path)?;
    let out = plan_log(&mut tx, &doc, req)?;
    finish(tx, out)
}

/// Plan a work-log entry in `doc` (read in `tx`) and stage it, without
/// finishing the transaction (a batch stages several).
pub(crate) fn plan_log(tx: &mut Transaction<'_>, doc: &Document, req: &LogRequest) -> Result<Outcome, OpError> {
    if req.action.trim().is_empty() {
        return Err(OpError::Invalid {
            id: req.id.clone(),
            what: "a work-log entry needs a non-empty ACTION".into(),
        });
    }
    let opts = tx.opts().clone();
    let e = tx.entry(req.action.trim().to_string(), req.learnings.clone().unwrap_or_default());
    let edits = edit::worklog::append(doc, &e);
    let short = crate::document::text::take_clusters(req.action.trim(), 60);
    let msg = message(
        &doc.meta.id,
        &format!("log {short}"),
        &[req.learnings.clone().unwrap_or_default()],
        &[],
    );
    let mut out = outcome(doc, &opts);
    out.new_status = out.old_status.clone();
    stage_one(tx, doc, edits, None, None, msg, out)
}

/// ADR `old` is superseded by `new`: status of the old, two-way links, a
/// work-log entry in the old, one commit of both files.
pub fn supersede(
    repo: &Repo,
    old_id: &str,
    new_id: &str,
    note: Option<&str>,
    opts: &WriteOpts,
) -> Result<Outcome, OpError> {
    let mut tx = Transaction::begin(repo, opts)?;
    let old_m = tx.resolve(old_id)?;
    let new_m = tx.resolve(new_id)?;
    for m in [&old_m, &new_m] {
        if m.kind != Kind::Adr {
            return Err(OpError::Invalid {
                id: m.id.clone(),
                what: "only an ADR can supersede or be superseded".into(),
            });
        }
    }
    let old = tx.read(&old_m.path)?;
    let new = tx.read_other(&new_m.path)?;
    let from = check_transition(tx.workflow(Kind::Adr), &old, "superseded", opts)?;
    let (old_links, new_links) = supersede_links(&old, &new)?;
    let (mut old_edits, renamed) = status_edits(&old, "superseded", &opts.now())?;
    old_edits.extend(old_links);
    let e = tx.entry(
        format!("Status: {from} → superseded"),
        join_details(&[Some(format!("Superseded by {}.", new.meta.id)), note.map(sentence)]),
    );
    if wants_entry(&old, note) {
        old_edits.extend(edit::worklog::append(&old, &e));
    }
    let old_after = Transaction::apply(&old, &old_edits)?;
    let old_to = renamed.clone().unwrap_or_else(|| old.meta.path.clone());
    if repo.parse(&old_to, old_after.clone()).meta.status != Some("superseded") && !opts.force {
        return Err(OpError::Invalid {
            id: old.meta.id.clone(),
            what: "after the edit the status does not read superseded; nothing was written".into(),
        });
    }
    tx.stage_text(&old, Some(old_to.clone()), old_after);
    tx.edit(&new, &new_links, None)?;
    let msg = message(
        &old.meta.id,
        &format!("superseded by {}", new.meta.id),
        &[note.map(|n| format!("Note: {n}")).unwrap_or_default()],
        &[&new.meta.id],
    );
    let mut out = outcome(&old, opts);
    out.new_status = Some("superseded".into());
    out.files = vec![
        FileChange {
            path: old_to,
            renamed_from: renamed.map(|_| old.meta.path.clone()),
            created: false,
            removed: false,
        },
        FileChange {
            path: new.meta.path.clone(),
            renamed_from: None,
            created: false,
            removed: false,
        },
    ];
    tx.finish(msg, out)
}

/// The link edits of a supersede: for `old` (superseded by `new`) and for
/// `new` (supersedes `old`), each linking the other by a relative path.
fn supersede_links(old: &Document, new: &Document) -> Result<(Vec<Edit>, Vec<Edit>), OpError> {
    let old_link = edit::relative_link(&new.meta.path, &old.meta.path);
    let new_link = edit::relative_link(&old.meta.path, &new.meta.path);
    edit::supersede::supersede(old, new, &old_link, &new_link).map_err(OpError::edit(&old.meta.path))
}

/// What a supersede of `old` by `new` will write, for a preview: the lines
/// each file's links land in (`(line number, line)`, as the span editor
/// will write them; none when the link is already there), and a move the
/// workflow refuses as an error. Reads both files; writes nothing.
pub(crate) fn supersede_preview(old: &Document, new: &Document) -> Result<SupersedePreview, OpError> {
    for d in [old, new] {
        if d.meta.kind != Kind::Adr {
            return Err(OpError::Invalid {
                id: d.meta.id.clone(),
                what: "only an ADR can supersede or be superseded".into(),
            });
        }
    }
    let (old_links, new_links) = supersede_links(old, new)?;
    let lines = |d: &Document, e: &[Edit]| edit::span::written_lines(&d.text, e).map_err(OpError::edit(&d.meta.path));
    Ok(SupersedePreview {
        old: lines(old, &old_links)?,
        new: lines(new, &new_links)?,
    })
}

/// The link lines a supersede writes ([`supersede_preview`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct SupersedePreview {
    /// In the superseded ADR ("Superseded by …").
    pub(crate) old: Vec<(usize, String)>,
    /// In the superseding ADR ("Supersedes …").
    pub(crate) new: Vec<(usize, String)>,
}

#[cfg(test)]
mod tests {
    use super::may_match_heading;

    #[test]
    fn heading_prefilter_is_a_necessary_condition() {
        let adr = "# ADR 0105: T\n\n## Decision\n\n### Option A: Prisma upsert (preferred)\n\nupsert text\n";
        assert!(may_match_heading(adr, "upsert"));
        assert!(may_match_heading(adr, "upsert prisma"));
        assert!(may_match_heading(adr, "Prisma Upsert"));
        assert!(may_match_heading(adr, "A"));
        assert!(may_match_heading(adr, "option b"));
        assert!(may_match_heading(adr, "ADR-0105 A"));
        assert!(!may_match_heading(adr, "partial index"));
        assert!(!may_match_heading("# T\nupsert in the body only\n", "upsert"));
    }
}
