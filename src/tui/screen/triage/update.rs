//! Triage mode: the queue of documents to decide, one decision per key
//! (approve, option, typed action, skip, defer), undoing the last one, the
//! summary at the end. [`update`] takes the session and a read-only
//! `TriageContext` and answers a `TriageOutcome`; `triage_action`
//! carries it out (the writes, forms and summary are the root's, shared
//! with the popups).

use crate::document::Kind;
use crate::ops::batch::BatchWrite;
use crate::tui::app::*;
use crate::tui::input::LineEdit;
use crate::tui::keymap::Action;
use crate::tui::msg::Effect;
use crate::tui::update::*;
use crate::workflow::Workflows;

/// True for documents a triage moves (pending todos, open findings,
/// proposed ADRs).
pub(crate) fn triageable(workflows: &Workflows, m: &crate::document::Meta) -> bool {
    let Some(s) = m.status else {
        return false;
    };
    workflows
        .get(m.kind)
        .transitions
        .iter()
        .any(|t| t.name.as_deref() == Some("triage") && t.from.iter().any(|f| f == s))
}

pub(crate) fn start_triage(app: &mut App) {
    app.finish_query();
    // From a document's detail: triage that document; from the list: every
    // triageable document in view, one by one.
    let workflows = app.workflows.clone();
    let queue: Vec<String> = match (&app.screen, &app.detail) {
        (Screen::Detail, Some(d)) => {
            if !triageable(&workflows, &d.meta) {
                let status = d.meta.status_label().to_string();
                app.info(format!(
                    "{} is {status}; triage is for pending/open/proposed",
                    d.meta.id
                ));
                return;
            }
            vec![d.path.clone()]
        }
        _ => app
            .index
            .shown()
            .iter()
            .filter_map(|&i| app.repo.items.get(i as usize))
            .filter(|m| triageable(&workflows, m))
            .map(|m| m.path.clone())
            .collect(),
    };
    if queue.is_empty() {
        app.info("nothing to triage: no pending, open or proposed documents in view");
        return;
    }
    // Read only: the cache in the git directory is refreshed by the writes
    // (a triage with an action saves it), never by looking.
    let adrs = crate::ops::accepted_adr_options(&app.repo, false);
    app.triage = Some(Triage::new(queue, adrs, false));
    app.screen = Screen::Triage;
    load_triage_item(app);
}

pub(crate) fn load_triage_item(app: &mut App) {
    let width = app.detail_width();
    let Some(t) = &app.triage else { return };
    let Some(path) = t.queue.get(t.pos).cloned() else {
        return;
    };
    // A document gone from disk still gets a detail, showing the error.
    let meta =
        meta_for(&app.repo, &path).unwrap_or_else(|| crate::document::Document::parse(&path, String::new()).meta);
    let mut d = load_detail(&app.repo, &meta, &app.theme, width);
    if let (Some(doc), Some(t)) = (&d.doc, &app.triage) {
        // Another ADR's options are for todos and findings to adopt.
        if doc.meta.kind != Kind::Adr {
            d.adopt = crate::ops::suggest::suggest(doc, &t.adrs, MAX_ADOPT);
        }
    }
    if let Some(t) = &mut app.triage {
        t.detail = Some(d);
    }
}

/// ADR options offered beside a document's own, at most.
const MAX_ADOPT: usize = 4;

pub(crate) fn advance(app: &mut App) {
    let done = match &mut app.triage {
        Some(t) => {
            t.pos += 1;
            t.pos >= t.queue.len()
        }
        None => return,
    };
    if done {
        app.popup = Some(Popup::Summary { scroll: 0 });
    } else {
        load_triage_item(app);
    }
}

pub(crate) fn skip_status(workflows: &Workflows, kind: Kind, status: &str) -> String {
    let wf = workflows.get(kind);
    wf.allowed_from(status)
        .into_iter()
        .find(|t| t.name.as_deref() == Some("skip"))
        .map(|t| t.to.clone())
        .unwrap_or_else(|| {
            match kind {
                Kind::Todo => "wontfix",
                Kind::Finding => "wont_fix",
                Kind::Adr => "rejected",
            }
            .to_string()
        })
}

/// What triage's keys read, and nothing else of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TriageContext {
    /// Lines of the document's body on screen (a page).
    pub(crate) page: usize,
    /// A write is running (a decision moves the session on when it is done).
    pub(crate) writing: bool,
}

/// What a key in triage asks of the root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TriageOutcome {
    /// Nothing beyond the session (the document scrolled, or the key does
    /// nothing here).
    Stay,
    /// Refused while a write runs: say so.
    Busy,
    /// Show the summary (quit the session).
    Summary,
    /// The document was deferred: move on to the next.
    Advance,
    /// Undo the last decision.
    Undo,
    /// Approve the document as it is.
    Approve,
    /// Open the option picker on option `n` (1-based: the document's own,
    /// then the ADR options offered).
    PickOption(u8),
    /// Open the option picker on the first option.
    Options,
    /// Ask for an action to type.
    TypeAction,
    /// Ask for a reason to skip.
    Skip,
    /// Switch between the text and the git history.
    History,
    /// Quit the terminal UI.
    Quit,
    /// Help or reload, which mean the same on every screen.
    Other(Action),
}

/// Read `action` in the triage session `t`: scrolling and deferring are done
/// here, on its own state; the rest is asked of the root.
pub fn update(t: Option<&mut Triage>, action: Action, ctx: &TriageContext) -> TriageOutcome {
    if let Some(delta) = step(action, ctx.page) {
        if let Some(d) = t.and_then(|t| t.detail.as_mut()) {
            d.scroll_by(delta, ctx.page);
        }
        return TriageOutcome::Stay;
    }
    // The decision being written moves the session on when it is done:
    // until then, only reading (scrolling, help, history) and quitting.
    if matches!(action, Action::QuitTriage | Action::Defer) && ctx.writing {
        return TriageOutcome::Busy;
    }
    match action {
        Action::QuitTriage => TriageOutcome::Summary,
        Action::Defer => {
            if let Some(t) = t {
                if let Some(path) = t.queue.get(t.pos).cloned() {
                    let id = t.detail.as_ref().map(|d| d.meta.id.clone()).unwrap_or_default();
                    t.decisions.push(Decision {
                        pos: t.pos,
                        path,
                        id,
                        what: Decided::Deferred,
                        commit: None,
                        planned: None,
                    });
                }
            }
            TriageOutcome::Advance
        }
        Action::UndoDecision => TriageOutcome::Undo,
        Action::Approve => TriageOutcome::Approve,
        Action::PickOption(n) => TriageOutcome::PickOption(n),
        Action::Options => TriageOutcome::Options,
        Action::TypeAction => TriageOutcome::TypeAction,
        Action::Skip => TriageOutcome::Skip,
        Action::Quit => TriageOutcome::Quit,
        Action::History => TriageOutcome::History,
        Action::Help | Action::Reload | Action::Stats | Action::NextTheme => TriageOutcome::Other(action),
        _ => TriageOutcome::Stay,
    }
}

/// Carry out a triage key's outcome on the shared state.
pub(crate) fn triage_action(app: &mut App, action: Action) -> Vec<Effect> {
    let ctx = TriageContext {
        page: body_height(app),
        writing: app.pending.is_some(),
    };
    match update(app.triage.as_mut(), action, &ctx) {
        TriageOutcome::Stay => Vec::new(),
        TriageOutcome::Busy => {
            refuse_while_writing(app);
            Vec::new()
        }
        TriageOutcome::Summary => {
            app.popup = Some(Popup::Summary { scroll: 0 });
            Vec::new()
        }
        TriageOutcome::Advance => {
            advance(app);
            Vec::new()
        }
        TriageOutcome::Undo => undo_decision(app),
        TriageOutcome::Approve => with_target(app, |app, t| triage_write(app, t, None, false, Decided::Approved)),
        // Every choice shows what it writes before it commits.
        TriageOutcome::PickOption(n) => with_target(app, |app, t| {
            super::options::open_options(app, t, usize::from(n).saturating_sub(1))
        }),
        TriageOutcome::Options => with_target(app, |app, t| super::options::open_options(app, t, 0)),
        TriageOutcome::TypeAction => with_target(app, |app, t| {
            app.popup = Some(Popup::Form(Form {
                title: format!("Triage {}: action to take", t.id),
                fields: vec![Field {
                    label: "Action".into(),
                    edit: LineEdit::default(),
                    required: true,
                }],
                focus: 0,
                purpose: FormPurpose::TriageAction(t),
                error: None,
            }));
            Vec::new()
        }),
        TriageOutcome::Skip => with_target(app, |app, t| {
            let to = skip_status(&app.workflows, t.kind, &t.status);
            app.popup = Some(Popup::Form(Form {
                title: format!("Skip {} (→ {to})", t.id),
                fields: vec![Field {
                    label: "Reason".into(),
                    edit: LineEdit::default(),
                    required: true,
                }],
                focus: 0,
                purpose: FormPurpose::TriageSkip { target: t, to },
                error: None,
            }));
            Vec::new()
        }),
        // A walk's decisions are not written yet: the summary asks first.
        TriageOutcome::Quit
            if app
                .triage
                .as_ref()
                .is_some_and(|t| t.collects() && !t.to_write().is_empty()) =>
        {
            app.popup = Some(Popup::Summary { scroll: 0 });
            app.info("the walk's decisions are not written yet: enter writes them, esc drops them");
            Vec::new()
        }
        TriageOutcome::Quit => {
            app.quit = true;
            vec![Effect::Quit]
        }
        TriageOutcome::History => toggle_history(app),
        TriageOutcome::Other(a) => common(app, a).unwrap_or_default(),
    }
}

pub(crate) fn triage_write(
    app: &mut App,
    t: Target,
    action: Option<String>,
    literal: bool,
    what: Decided,
) -> Vec<Effect> {
    if collecting(app) {
        let write = BatchWrite::Triage {
            note: None,
            action,
            literal,
        };
        return plan_decision(app, t, what, write);
    }
    begin_write(
        app,
        Pending::write(&t, Some(what)),
        Effect::Triage {
            path: t.path,
            action,
            literal,
            shown: t.shown,
        },
    )
}

/// Whether the running session collects its decisions (a walk over marked
/// documents, written as one batch when it ends).
pub(crate) fn collecting(app: &App) -> bool {
    app.triage.as_ref().is_some_and(Triage::collects)
}

/// Record decision `what` on `t` to be written as `write` when the walk
/// ends, and move on (refused while a write runs, as a decision is).
fn plan_decision(app: &mut App, t: Target, what: Decided, write: BatchWrite) -> Vec<Effect> {
    if refuse_while_writing(app) {
        return Vec::new();
    }
    if let Some(s) = &mut app.triage {
        s.plan(t.path, t.id, what, t.shown, write);
    }
    advance(app);
    Vec::new()
}

/// Skip `target` (to status `to`, for `reason`): written now, or at the end
/// of a collecting walk.
pub(crate) fn triage_skip(app: &mut App, target: Target, to: String, reason: String) -> Vec<Effect> {
    let what = Decided::Skipped(reason.clone());
    if collecting(app) {
        let write = BatchWrite::Status {
            to,
            note: None,
            reason: Some(reason),
        };
        return plan_decision(app, target, what, write);
    }
    begin_write(
        app,
        Pending::write(&target, Some(what)),
        Effect::SetStatus {
            path: target.path,
            to,
            note: None,
            reason: Some(reason),
            shown: target.shown,
        },
    )
}

/// The summary's `enter`: a collecting walk writes its decisions as one
/// batch (one commit, one undo) and ends; any other session just ends.
pub(crate) fn finish_walk(app: &mut App) -> Vec<Effect> {
    let items = app.triage.as_ref().filter(|t| t.collects()).map(Triage::to_write);
    let Some(items) = items else {
        end_triage(app);
        return Vec::new();
    };
    if items.is_empty() {
        end_triage(app);
        app.info("nothing written: no decision to write");
        return Vec::new();
    }
    // The session and its summary stay until the batch is written (then
    // the walk ends), so a refused batch loses no decision: it can be
    // written again, a decision taken back with `u`, or all dropped.
    app.popup = Some(Popup::Summary { scroll: 0 });
    begin_write(app, Pending::Batch { count: items.len() }, Effect::BatchEach { items })
}

/// The summary's `esc` or `q`: a collecting walk with decisions drops them
/// (nothing was written, and the status line says so).
pub(crate) fn drop_walk(app: &mut App) {
    if collecting(app) && refuse_while_writing(app) {
        // The batch may be on its way in: never say "dropped" over it.
        app.popup = Some(Popup::Summary { scroll: 0 });
        return;
    }
    let n = app
        .triage
        .as_ref()
        .filter(|t| t.collects())
        .map_or(0, |t| t.to_write().len());
    end_triage(app);
    if n > 0 {
        app.info(format!("nothing written: the {n} decisions of the walk were dropped"));
    }
}

pub(crate) fn undo_decision(app: &mut App) -> Vec<Effect> {
    if refuse_while_writing(app) {
        return Vec::new();
    }
    let Some(t) = &mut app.triage else {
        return Vec::new();
    };
    let Some(last) = t.decisions.last().cloned() else {
        app.info("no decision to undo");
        return Vec::new();
    };
    match &last.commit {
        Some(c) => begin_write(
            app,
            Pending::Undo {
                commit: c.clone(),
                triage: true,
            },
            Effect::Undo { commit: c.clone() },
        ),
        // Deferred, or planned and not written yet: only the session knows.
        None if last.what == Decided::Deferred || last.planned.is_some() => {
            t.decisions.pop();
            t.pos = last.pos;
            load_triage_item(app);
            app.info(format!("back to {}", last.id));
            Vec::new()
        }
        None => {
            app.error(format!(
                "the decision on {} made no commit; it cannot be undone here",
                last.id
            ));
            Vec::new()
        }
    }
}

pub(crate) fn end_triage(app: &mut App) {
    let path = app
        .triage
        .take()
        .and_then(|t| t.queue.get(t.pos.min(t.queue.len().saturating_sub(1))).cloned());
    app.popup = None;
    app.screen = Screen::List;
    if let Some(p) = path {
        app.select_path(&p);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triage_defers_on_its_own_state_and_asks_the_root_for_the_rest() {
        let mut t = Triage::new(
            vec!["todos/001-pending-p1-a.md".into(), "todos/002-pending-p2-b.md".into()],
            Vec::new(),
            false,
        );
        let idle = TriageContext {
            page: 10,
            writing: false,
        };
        assert_eq!(update(Some(&mut t), Action::Down, &idle), TriageOutcome::Stay);
        assert_eq!(update(Some(&mut t), Action::Defer, &idle), TriageOutcome::Advance);
        assert_eq!(t.decisions.len(), 1);
        assert_eq!(t.decisions[0].what, Decided::Deferred);
        let busy = TriageContext { writing: true, ..idle };
        assert_eq!(update(Some(&mut t), Action::Defer, &busy), TriageOutcome::Busy);
        assert_eq!(t.decisions.len(), 1, "nothing is deferred while a write runs");
        assert_eq!(update(Some(&mut t), Action::QuitTriage, &busy), TriageOutcome::Busy);
        assert_eq!(update(Some(&mut t), Action::History, &busy), TriageOutcome::History);
        assert_eq!(update(None, Action::PickOption(2), &idle), TriageOutcome::PickOption(2));
        assert_eq!(update(None, Action::Sort, &idle), TriageOutcome::Stay);
    }
}
