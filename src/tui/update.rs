//! The only place [`App`] changes: `update(app, msg) -> effects`.
//!
//! Keys are looked up in the keymap for the screen in front (popup, search
//! box, filter pane, list, detail, triage); anything that touches the world
//! (writes, the editor, the clipboard, reloads) is returned as an
//! [`Effect`] for the runner, whose results come back as [`Msg`]s.

use super::app::*;
use super::backend::content_hash;
use super::index::{self, FacetValue};
use super::input::{Edited, LineEdit};
use super::keymap::{self, Action, Key};
use super::layout::Layout;
use super::msg::{Effect, LoadStep, Msg, Shown, WriteOutcome};
use super::screen::{self, filters};
use crate::document::Kind;
use crate::git::GitError;
use crate::query::Filter;
use crate::workflow::Workflows;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

/// Apply one message to the state; return the effects to run.
pub fn update(app: &mut App, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(k) => {
            if k.kind == KeyEventKind::Release {
                return Vec::new();
            }
            // A key closes an error shown in full; Esc only does that.
            if app.message.as_ref().is_some_and(|m| m.open) {
                let boxed = app.layout().error_box;
                if let Some(m) = &mut app.message {
                    m.open = false;
                }
                if boxed && k.code == KeyCode::Esc {
                    return Vec::new();
                }
            }
            key(app, k)
        }
        Msg::Mouse(m) => mouse(app, m),
        Msg::Paste(s) => {
            paste(app, &s);
            Vec::new()
        }
        Msg::Resize(w, h) => {
            app.size = (w, h);
            rewrap(app);
            app.ensure_visible();
            Vec::new()
        }
        Msg::WriteDone(r) => write_done(app, r),
        Msg::Reloaded(r) => {
            match *r {
                Ok(repo) => app.replace_repo(repo),
                Err(e) => {
                    app.loading = false;
                    app.error(format!("reload failed: {e}"));
                }
            }
            // A history shown is read again: the reload may follow a commit.
            want_history(app)
        }
        Msg::Load(LoadStep::Batch { items, done, total }) => {
            app.loaded_batch(items, done, total);
            Vec::new()
        }
        Msg::Load(LoadStep::Done(r)) => {
            app.loaded(*r);
            Vec::new()
        }
        Msg::HistoryLoaded(path, r) => {
            history_loaded(app, &path, r);
            Vec::new()
        }
        Msg::Work => {
            app.work();
            Vec::new()
        }
        Msg::FilesChanged => {
            if app.pending.is_some() {
                return Vec::new();
            }
            app.info("files changed on disk; reloaded");
            vec![Effect::Reload]
        }
        Msg::EditorDone(r) => {
            match r {
                Ok(()) => app.info("editor closed; reloaded"),
                Err(e) => app.error(format!("editor: {e}")),
            }
            vec![Effect::Reload]
        }
        Msg::Copied(r) => {
            match r {
                Ok(m) => app.success(m),
                Err(e) => app.error(e),
            }
            Vec::new()
        }
    }
}

/// Re-wrap the documents shown for the current width.
fn rewrap(app: &mut App) {
    let width = app.detail_width();
    let theme = app.theme.clone();
    let redo = |d: &mut Detail| {
        if d.width != width {
            if let Some(doc) = &d.doc {
                d.rendered = super::markdown::render(doc.body(), width, &theme);
            }
            d.width = width;
        }
    };
    if let Some(d) = &mut app.detail {
        redo(d);
    }
    if let Some(d) = app.triage.as_mut().and_then(|t| t.detail.as_mut()) {
        redo(d);
    }
    clamp_scroll(app);
}

/// Lines of the current tab's scrolling part (the history table's column
/// titles stay put).
fn body_height(app: &App) -> usize {
    app.layout().doc_rows
}

fn clamp_scroll(app: &mut App) {
    let h = body_height(app);
    if let Some(d) = app.current_detail_mut() {
        let max = d.scroll_len().saturating_sub(h);
        let s = d.scroll_mut();
        *s = (*s).min(max);
    }
}

fn scroll_by(app: &mut App, delta: isize) {
    if let Some(d) = app.current_detail_mut() {
        let s = d.scroll_mut();
        *s = (*s as isize + delta).max(0) as usize;
    }
    clamp_scroll(app);
}

// ---------------------------------------------------------------- history

/// Switch the open document between its text and its git history.
fn toggle_history(app: &mut App) -> Vec<Effect> {
    let Some(d) = app.current_detail_mut() else {
        return Vec::new();
    };
    d.tab = match d.tab {
        DetailTab::Document => DetailTab::History,
        DetailTab::History => DetailTab::Document,
    };
    want_history(app)
}

/// Ask for the history of the document shown when its History tab is up
/// and it was not asked for yet.
fn want_history(app: &mut App) -> Vec<Effect> {
    let Some(d) = app.current_detail_mut() else {
        return Vec::new();
    };
    if d.tab != DetailTab::History || d.changes.contains_key(&d.path) {
        return Vec::new();
    }
    d.changes.insert(d.path.clone(), Changes::Loading);
    vec![Effect::LoadHistory { path: d.path.clone() }]
}

fn history_loaded(app: &mut App, path: &str, r: Result<Vec<crate::git::history::HistoryEntry>, GitError>) {
    let c = match r {
        Ok(v) => Changes::Loaded(v),
        Err(GitError::NotARepo { .. }) => Changes::Unavailable("not a git repository: no history to show".into()),
        Err(e) => Changes::Failed(format!("cannot read the history: {e}")),
    };
    // Kept only by the documents still reading (a reload drops what it asked).
    for d in [app.detail.as_mut(), app.triage.as_mut().and_then(|t| t.detail.as_mut())]
        .into_iter()
        .flatten()
    {
        if d.changes.contains_key(path) || d.path == path {
            d.changes.insert(path.to_string(), c.clone());
        }
    }
    clamp_scroll(app);
}

/// The step of a movement action for a window of `h` rows.
fn step(action: Action, h: usize) -> Option<isize> {
    let h = h.max(1) as isize;
    Some(match action {
        Action::Up => -1,
        Action::Down => 1,
        Action::PageUp => -h,
        Action::PageDown => h,
        Action::HalfPageUp => -(h / 2).max(1),
        Action::HalfPageDown => (h / 2).max(1),
        Action::Top => isize::MIN / 2,
        Action::Bottom => isize::MAX / 2,
        _ => return None,
    })
}

fn key(app: &mut App, k: KeyEvent) -> Vec<Effect> {
    if app.popup.is_some() {
        // Measured with the popup open (taking it out changes the shape).
        let layout = app.layout();
        if let Some(p) = app.popup.take() {
            return popup_key(app, p, k, &layout);
        }
    }
    if app.search.is_some() {
        return search_key(app, k);
    }
    let chain = match app.screen {
        Screen::List if app.facets.is_some() => keymap::FACETS,
        Screen::List => keymap::LIST,
        Screen::Detail => keymap::DETAIL,
        Screen::Triage => keymap::TRIAGE,
    };
    let Some(action) = app.keymap.lookup_event(chain, &k) else {
        return Vec::new();
    };
    match app.screen {
        Screen::List if app.facets.is_some() => facets_action(app, action),
        Screen::List => list_action(app, action),
        Screen::Detail => detail_action(app, action),
        Screen::Triage => triage_action(app, action),
    }
}

/// Actions that mean the same everywhere.
fn common(app: &mut App, action: Action) -> Option<Vec<Effect>> {
    Some(match action {
        Action::Quit => {
            app.quit = true;
            vec![Effect::Quit]
        }
        Action::Help => {
            app.popup = Some(Popup::Help { scroll: 0 });
            Vec::new()
        }
        Action::Reload => {
            app.info("reloaded");
            vec![Effect::Reload]
        }
        Action::Status => with_target(app, status_menu),
        Action::Log => with_target(app, |app, t| {
            app.popup = Some(Popup::Form(Form {
                title: format!("Work log: {}", t.id),
                fields: vec![
                    Field {
                        label: "Action".into(),
                        edit: LineEdit::default(),
                        required: true,
                    },
                    Field {
                        label: "Learnings".into(),
                        edit: LineEdit::default(),
                        required: false,
                    },
                ],
                focus: 0,
                purpose: FormPurpose::Log(t),
                error: None,
            }));
            Vec::new()
        }),
        Action::Edit => match current_path(app) {
            Some(path) => vec![Effect::OpenEditor { path }],
            None => {
                app.error("nothing selected");
                Vec::new()
            }
        },
        Action::CopyId | Action::CopyPath => {
            let m = match app.screen {
                Screen::List => app.selected().cloned(),
                _ => app.current_detail().map(|d| d.meta.clone()),
            };
            match m {
                Some(m) => vec![Effect::Copy(if action == Action::CopyId { m.id } else { m.path })],
                None => {
                    app.error("nothing selected");
                    Vec::new()
                }
            }
        }
        Action::Undo => match app.last_commit.clone() {
            Some(commit) => begin_write(
                app,
                Pending::Undo {
                    commit: commit.clone(),
                    triage: false,
                },
                Effect::Undo { commit },
            ),
            None => {
                app.info("nothing to undo in this session");
                Vec::new()
            }
        },
        _ => return None,
    })
}

fn current_path(app: &App) -> Option<String> {
    match app.screen {
        Screen::List => app.selected().map(|m| m.path.clone()),
        _ => app.current_detail().map(|d| d.path.clone()),
    }
}

/// The document an action applies to, as shown: the open document, or the
/// selected row's document read now.
fn target(app: &mut App) -> Result<Target, String> {
    let from = |d: &Detail| -> Result<Target, String> {
        if let Some(e) = &d.error {
            return Err(format!("{}: {e}", d.path));
        }
        Ok(Target {
            path: d.path.clone(),
            id: d.meta.id.clone(),
            kind: d.meta.kind,
            status: d.meta.status_label().to_string(),
            shown: d.shown,
        })
    };
    match app.screen {
        Screen::List => {
            let meta = app.selected().cloned().ok_or("nothing selected")?;
            let doc = app.repo.document(&meta).map_err(|e| e.to_string())?;
            Ok(Target {
                path: meta.path.clone(),
                id: doc.meta.id.clone(),
                kind: doc.meta.kind,
                status: doc.meta.status_label().to_string(),
                shown: Shown {
                    hash: content_hash(doc.text.as_bytes()),
                },
            })
        }
        _ => app
            .current_detail()
            .ok_or_else(|| "no document open".to_string())
            .and_then(from),
    }
}

fn with_target(app: &mut App, f: impl FnOnce(&mut App, Target) -> Vec<Effect>) -> Vec<Effect> {
    match target(app) {
        Ok(t) => f(app, t),
        Err(e) => {
            app.error(e);
            Vec::new()
        }
    }
}

fn status_menu(app: &mut App, t: Target) -> Vec<Effect> {
    let wf = app.workflows.get(t.kind).clone();
    let moves: Vec<(String, Option<String>, bool)> = wf
        .allowed_from(&t.status)
        .into_iter()
        .map(|tr| (tr.to.clone(), tr.name.clone(), tr.needs_reason))
        .collect();
    if moves.is_empty() {
        app.info(format!(
            "no status change is allowed from {:?} for a {}",
            t.status, t.kind
        ));
        return Vec::new();
    }
    let items = moves
        .iter()
        .map(|(to, name, reason)| {
            let mut s = format!("→ {to}");
            if let Some(n) = name {
                s.push_str(&format!("  ({n})"));
            }
            if *reason {
                s.push_str("  · needs a reason");
            }
            s
        })
        .collect();
    app.popup = Some(Popup::Menu(Menu {
        title: format!("{}: {} → ?", t.id, if t.status.is_empty() { "?" } else { &t.status }),
        items,
        cursor: 0,
        purpose: MenuPurpose::Status { target: t, moves },
    }));
    Vec::new()
}

fn open_selected(app: &mut App) -> Vec<Effect> {
    let Some(meta) = app.selected().cloned() else {
        app.info("nothing to open");
        return Vec::new();
    };
    let width = app.detail_width();
    let mut d = load_detail(&app.repo, &meta, &app.theme, width);
    if let Some(old) = &app.detail {
        d.carry_from(old);
    }
    app.detail = Some(d);
    app.screen = Screen::Detail;
    // Opened: this is the selection now, not one from before a search.
    app.want = None;
    want_history(app)
}

fn list_action(app: &mut App, action: Action) -> Vec<Effect> {
    if let Some(d) = step(action, app.list_height()) {
        app.move_by(d);
        return Vec::new();
    }
    match action {
        Action::Open => return open_selected(app),
        Action::Search => {
            let q = app.index.query().to_string();
            app.search = Some(Search {
                edit: LineEdit::new(&q),
                before: q,
            });
        }
        Action::Facets => {
            app.facets = Some(FacetPane {
                values: Vec::new(),
                cursor: 0,
            });
            app.refresh_facets();
            app.ensure_visible();
        }
        Action::ClearFilters => clear_filters(app),
        Action::Sort => {
            let next = app.index.sort().next();
            app.set_sort(next);
            app.info(format!("sorted by {}", next.as_str()));
        }
        Action::StartTriage => start_triage(app),
        other => return common(app, other).unwrap_or_default(),
    }
    Vec::new()
}

fn clear_filters(app: &mut App) {
    app.keeping_selection(|app| {
        app.index.set_query("");
        app.index.set_filter(&app.repo.items, Filter::default());
    });
    app.refresh_facets();
    app.info("filters cleared");
}

fn facets_action(app: &mut App, action: Action) -> Vec<Effect> {
    let n = app.facets.as_ref().map(|p| p.values.len()).unwrap_or(0);
    if let Some(d) = step(action, 10) {
        if let Some(p) = &mut app.facets {
            if n > 0 {
                p.cursor = (p.cursor as isize + d).clamp(0, n as isize - 1) as usize;
            }
        }
        return Vec::new();
    }
    match action {
        Action::Toggle => toggle_facet(app),
        Action::CloseFacets => {
            app.facets = None;
            app.ensure_visible();
        }
        Action::ClearFilters => clear_filters(app),
        other => return common(app, other).unwrap_or_default(),
    }
    Vec::new()
}

fn toggle_facet(app: &mut App) {
    let Some(v): Option<FacetValue> = app.facets.as_ref().and_then(|p| p.values.get(p.cursor).cloned()) else {
        return;
    };
    let f = index::toggle(app.index.filter(), v.facet, &v.value);
    app.set_filter(f);
    // Keep the cursor on the same value (counts may reorder tags).
    if let Some(p) = &mut app.facets {
        if let Some(i) = p.values.iter().position(|x| x.facet == v.facet && x.value == v.value) {
            p.cursor = i;
        }
    }
}

fn search_key(app: &mut App, k: KeyEvent) -> Vec<Effect> {
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    match k.code {
        KeyCode::Enter => {
            app.search = None;
        }
        KeyCode::Esc => {
            if let Some(s) = app.search.take() {
                app.set_query(&s.before);
            }
        }
        KeyCode::Up => app.move_by(-1),
        KeyCode::Down => app.move_by(1),
        KeyCode::Char('p') if ctrl => app.move_by(-1),
        KeyCode::Char('n') if ctrl => app.move_by(1),
        KeyCode::PageUp => app.move_by(-(app.list_height() as isize)),
        KeyCode::PageDown => app.move_by(app.list_height() as isize),
        KeyCode::Char('c') if ctrl => {
            app.quit = true;
            return vec![Effect::Quit];
        }
        _ => {
            let changed = app.search.as_mut().map(|s| s.edit.handle(&k)) == Some(Edited::Changed);
            if changed {
                let q = app
                    .search
                    .as_ref()
                    .map(|s| s.edit.text().to_string())
                    .unwrap_or_default();
                app.set_query(&q);
            }
        }
    }
    Vec::new()
}

fn paste(app: &mut App, s: &str) {
    if let Some(Popup::Form(f)) = &mut app.popup {
        if let Some(field) = f.fields.get_mut(f.focus) {
            field.edit.insert(s);
        }
        return;
    }
    if let Some(search) = &mut app.search {
        search.edit.insert(s);
        let q = search.edit.text().to_string();
        app.set_query(&q);
    }
}

fn detail_action(app: &mut App, action: Action) -> Vec<Effect> {
    if let Some(d) = step(action, body_height(app)) {
        scroll_by(app, d);
        return Vec::new();
    }
    match action {
        Action::Back => {
            let prev = app.detail.as_mut().and_then(|d| d.history.pop());
            match prev {
                Some(path) => return open_path(app, &path, false),
                None => {
                    if let Some(p) = app.detail.take().map(|d| d.path) {
                        app.select_path(&p);
                    }
                    app.screen = Screen::List;
                }
            }
        }
        Action::Links => {
            let links = app.detail.as_ref().map(|d| d.links.clone()).unwrap_or_default();
            if links.is_empty() {
                app.info("this document has no links or dependencies");
            } else {
                let items = links
                    .iter()
                    .map(|l| {
                        let found = resolve_link(&app.repo, l)
                            .map(|m| format!(" → {}", m.id))
                            .unwrap_or_default();
                        if l.label == l.target {
                            format!("{}: {}{found}", l.kind.label(), l.label)
                        } else {
                            format!("{}: {} ({}){found}", l.kind.label(), l.label, l.target)
                        }
                    })
                    .collect();
                app.popup = Some(Popup::Menu(Menu {
                    title: "Links and dependencies".into(),
                    items,
                    cursor: 0,
                    purpose: MenuPurpose::Links(links),
                }));
            }
        }
        Action::NextDoc | Action::PrevDoc => {
            app.move_by(if action == Action::NextDoc { 1 } else { -1 });
            return open_selected(app);
        }
        Action::History => return toggle_history(app),
        Action::StartTriage => start_triage(app),
        other => return common(app, other).unwrap_or_default(),
    }
    Vec::new()
}

/// Open `path` in the detail screen; `remember` pushes the current one on
/// the history (following a link).
fn open_path(app: &mut App, path: &str, remember: bool) -> Vec<Effect> {
    let Some(meta) = meta_for(&app.repo, path) else {
        app.error(format!("{path}: not found"));
        return Vec::new();
    };
    let width = app.detail_width();
    let mut history = app.detail.as_ref().map(|d| d.history.clone()).unwrap_or_default();
    if remember {
        if let Some(d) = &app.detail {
            history.push(d.path.clone());
        }
    }
    let mut d = load_detail(&app.repo, &meta, &app.theme, width);
    if let Some(old) = &app.detail {
        d.carry_from(old);
    }
    d.history = history;
    app.detail = Some(d);
    app.screen = Screen::Detail;
    app.select_path(path);
    want_history(app)
}

fn follow_link(app: &mut App, l: &LinkTarget) -> Vec<Effect> {
    match resolve_link(&app.repo, l) {
        Some(m) => {
            let path = m.path.clone();
            open_path(app, &path, true)
        }
        None if is_url(&l.target) => {
            app.info(format!("{} is not a document here; copying it", l.target));
            vec![Effect::Copy(l.target.clone())]
        }
        None => {
            app.error(format!("{} is not a document in this repository", l.target));
            Vec::new()
        }
    }
}

// ---------------------------------------------------------------- triage

/// True for documents a triage moves (pending todos, open findings,
/// proposed ADRs).
pub fn triageable(workflows: &Workflows, m: &crate::document::Meta) -> bool {
    let Some(s) = m.status else {
        return false;
    };
    workflows
        .get(m.kind)
        .transitions
        .iter()
        .any(|t| t.name.as_deref() == Some("triage") && t.from.iter().any(|f| f == s))
}

fn start_triage(app: &mut App) {
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
    app.triage = Some(Triage {
        queue,
        pos: 0,
        decisions: Vec::new(),
        detail: None,
    });
    app.screen = Screen::Triage;
    load_triage_item(app);
}

fn load_triage_item(app: &mut App) {
    let width = app.detail_width();
    let Some(t) = &app.triage else { return };
    let Some(path) = t.queue.get(t.pos).cloned() else {
        return;
    };
    // A document gone from disk still gets a detail, showing the error.
    let meta =
        meta_for(&app.repo, &path).unwrap_or_else(|| crate::document::Document::parse(&path, String::new()).meta);
    let d = load_detail(&app.repo, &meta, &app.theme, width);
    if let Some(t) = &mut app.triage {
        t.detail = Some(d);
    }
}

fn advance(app: &mut App) {
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

fn skip_status(workflows: &Workflows, kind: Kind, status: &str) -> String {
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

fn triage_action(app: &mut App, action: Action) -> Vec<Effect> {
    if let Some(d) = step(action, body_height(app)) {
        scroll_by(app, d);
        return Vec::new();
    }
    // The decision being written moves the session on when it is done:
    // until then, only reading (scrolling, help, history) and quitting.
    if matches!(action, Action::QuitTriage | Action::Defer) && refuse_while_writing(app) {
        return Vec::new();
    }
    match action {
        Action::QuitTriage => {
            app.popup = Some(Popup::Summary { scroll: 0 });
            Vec::new()
        }
        Action::Defer => {
            if let Some(t) = &mut app.triage {
                if let Some(path) = t.queue.get(t.pos).cloned() {
                    let id = t.detail.as_ref().map(|d| d.meta.id.clone()).unwrap_or_default();
                    t.decisions.push(Decision {
                        pos: t.pos,
                        path,
                        id,
                        what: Decided::Deferred,
                        commit: None,
                    });
                }
            }
            advance(app);
            Vec::new()
        }
        Action::UndoDecision => undo_decision(app),
        Action::Approve => with_target(app, |app, t| triage_write(app, t, None, false, Decided::Approved)),
        Action::PickOption(n) => with_target(app, |app, t| {
            let choice = app
                .current_detail()
                .and_then(|d| d.choices.get(usize::from(n).saturating_sub(1)).cloned());
            match choice {
                Some(c) => {
                    let what = if c.title.is_empty() {
                        c.label.clone()
                    } else {
                        format!("{}: {}", c.label, c.title)
                    };
                    triage_write(app, t, Some(c.label), false, Decided::Option(what))
                }
                None => {
                    app.info(format!("this document has no option {n}"));
                    Vec::new()
                }
            }
        }),
        Action::TypeAction => with_target(app, |app, t| {
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
        Action::Skip => with_target(app, |app, t| {
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
        Action::Quit => {
            app.quit = true;
            vec![Effect::Quit]
        }
        Action::History => toggle_history(app),
        Action::Help | Action::Reload => common(app, action).unwrap_or_default(),
        _ => Vec::new(),
    }
}

fn triage_write(app: &mut App, t: Target, action: Option<String>, literal: bool, what: Decided) -> Vec<Effect> {
    begin_write(
        app,
        Pending::Write {
            path: t.path.clone(),
            id: t.id,
            decided: Some(what),
        },
        Effect::Triage {
            path: t.path,
            action,
            literal,
            shown: t.shown,
        },
    )
}

fn undo_decision(app: &mut App) -> Vec<Effect> {
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
        None if last.what == Decided::Deferred => {
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

// ---------------------------------------------------------------- writes

/// True, with a notice, while a write runs. One write at a time: a second
/// would be decided on a document the first is changing, and a triage
/// session moves on only when its decision is written.
fn refuse_while_writing(app: &mut App) -> bool {
    let Some(p) = &app.pending else {
        return false;
    };
    let text = format!(
        "still {}: one write at a time; try again when it is done",
        p.label().trim_end_matches('…')
    );
    app.info(text);
    true
}

/// Start a write (refused while another runs, [`refuse_while_writing`]).
fn begin_write(app: &mut App, pending: Pending, effect: Effect) -> Vec<Effect> {
    if refuse_while_writing(app) {
        return Vec::new();
    }
    app.pending = Some(pending);
    vec![effect]
}

fn write_done(app: &mut App, r: WriteOutcome) -> Vec<Effect> {
    let pending = app.pending.take();
    let res = match r {
        WriteOutcome::Done(res) => res,
        WriteOutcome::Stale { path } => {
            // Show what is on disk now, so the user decides again on it.
            app.error(format!(
                "{path} changed on disk since it was shown; not written (reloaded, please look again)"
            ));
            return vec![Effect::Reload];
        }
        WriteOutcome::Failed(e) => {
            app.error(e.to_string());
            return Vec::new();
        }
    };
    // The commit first: it is what a narrow status bar must not cut.
    let text = match &res.commit {
        Some(c) => format!("committed {} · {}", screen::triage::short(c), res.message),
        None => res.message.clone(),
    };
    app.success(text);
    match pending {
        Some(Pending::Write { path, decided, .. }) => {
            if res.commit.is_some() {
                app.last_commit = res.commit.clone();
            }
            if let Some(np) = &res.new_path {
                if app.selected().is_some_and(|m| m.path == path) {
                    app.follow = Some(np.clone());
                }
                if let Some(d) = &mut app.detail {
                    if d.path == path {
                        d.path = np.clone();
                    }
                }
            }
            if let (Some(what), Some(t)) = (decided, &mut app.triage) {
                let id = t.detail.as_ref().map(|d| d.meta.id.clone()).unwrap_or_default();
                t.decisions.push(Decision {
                    pos: t.pos,
                    path: path.clone(),
                    id,
                    what,
                    commit: res.commit.clone(),
                });
                if let (Some(np), Some(slot)) = (&res.new_path, t.queue.get_mut(t.pos)) {
                    *slot = np.clone();
                    // Show the document as written, under its new name.
                    load_triage_item(app);
                }
                advance(app);
            }
        }
        Some(Pending::Undo { triage, .. }) => {
            app.last_commit = None;
            if triage {
                if let Some(t) = &mut app.triage {
                    if let Some(d) = t.decisions.pop() {
                        t.pos = d.pos;
                        if let Some(slot) = t.queue.get_mut(d.pos) {
                            *slot = res.new_path.clone().unwrap_or(d.path);
                        }
                    }
                }
                app.popup = None;
                load_triage_item(app);
            } else if let Some(np) = &res.new_path {
                app.follow = Some(np.clone());
                if let Some(d) = &mut app.detail {
                    d.path = np.clone();
                }
            }
        }
        None => {}
    }
    vec![Effect::Reload]
}

// ---------------------------------------------------------------- popups

/// A popup's scroll offset moved by `d`, kept within `0..=max` (so moving
/// back after overshooting the end takes effect at once).
fn scrolled(scroll: usize, d: isize, max: usize) -> usize {
    (scroll.min(max) as isize + d).clamp(0, max as isize) as usize
}

fn popup_key(app: &mut App, p: Popup, k: KeyEvent, layout: &Layout) -> Vec<Effect> {
    match p {
        Popup::Help { scroll } => {
            let action = app.keymap.lookup_event(keymap::POPUP, &k);
            let global = app.keymap.lookup_event(&[keymap::Context::Global], &k);
            if matches!(action, Some(Action::Cancel | Action::Confirm))
                || matches!(global, Some(Action::Help | Action::Quit))
            {
                return Vec::new();
            }
            let scroll = match action.and_then(|a| step(a, 10)) {
                Some(d) => scrolled(scroll, d, layout.help_max),
                None => scroll,
            };
            app.popup = Some(Popup::Help { scroll });
            Vec::new()
        }
        Popup::Summary { scroll } => {
            let action = app.keymap.lookup_event(keymap::POPUP, &k);
            if let Some(d) = action.and_then(|a| step(a, 10)) {
                app.popup = Some(Popup::Summary {
                    scroll: scrolled(scroll, d, layout.summary_max),
                });
                return Vec::new();
            }
            if matches!(action, Some(Action::Cancel | Action::Confirm)) || k.code == KeyCode::Char('q') {
                end_triage(app);
                return Vec::new();
            }
            if app.keymap.lookup_event(keymap::TRIAGE, &k) == Some(Action::UndoDecision) {
                return undo_decision(app);
            }
            app.popup = Some(Popup::Summary { scroll });
            Vec::new()
        }
        Popup::Menu(mut m) => {
            let action = app.keymap.lookup_event(keymap::POPUP, &k);
            if let Some(d) = action.and_then(|a| step(a, 10)) {
                if !m.items.is_empty() {
                    m.cursor = (m.cursor as isize + d).clamp(0, m.items.len() as isize - 1) as usize;
                }
                app.popup = Some(Popup::Menu(m));
                return Vec::new();
            }
            if let KeyCode::Char(c @ '1'..='9') = k.code {
                let i = (c as usize) - ('1' as usize);
                if i < m.items.len() {
                    m.cursor = i;
                    return menu_choose(app, m);
                }
            }
            match action {
                Some(Action::Confirm) => menu_choose(app, m),
                Some(Action::Cancel) => Vec::new(),
                _ if k.code == KeyCode::Char('q') => Vec::new(),
                _ => {
                    app.popup = Some(Popup::Menu(m));
                    Vec::new()
                }
            }
        }
        Popup::Form(f) => form_key(app, f, k),
    }
}

fn end_triage(app: &mut App) {
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

fn menu_choose(app: &mut App, m: Menu) -> Vec<Effect> {
    // The menu stays open for a choice made while a write runs.
    if matches!(m.purpose, MenuPurpose::Status { .. }) && refuse_while_writing(app) {
        app.popup = Some(Popup::Menu(m));
        return Vec::new();
    }
    match m.purpose {
        MenuPurpose::Status { target, moves } => {
            let Some((to, _, needs_reason)) = moves.get(m.cursor).cloned() else {
                return Vec::new();
            };
            if needs_reason {
                app.popup = Some(Popup::Form(Form {
                    title: format!("{}: {} → {to}", target.id, target.status),
                    fields: vec![Field {
                        label: "Reason".into(),
                        edit: LineEdit::default(),
                        required: true,
                    }],
                    focus: 0,
                    purpose: FormPurpose::Reason { target, to },
                    error: None,
                }));
                return Vec::new();
            }
            begin_write(
                app,
                Pending::Write {
                    path: target.path.clone(),
                    id: target.id.clone(),
                    decided: None,
                },
                Effect::SetStatus {
                    path: target.path,
                    to,
                    note: None,
                    reason: None,
                    shown: target.shown,
                },
            )
        }
        MenuPurpose::Links(links) => match links.get(m.cursor) {
            Some(l) => {
                let l = l.clone();
                follow_link(app, &l)
            }
            None => Vec::new(),
        },
    }
}

fn form_key(app: &mut App, mut f: Form, k: KeyEvent) -> Vec<Effect> {
    let printable =
        matches!(k.code, KeyCode::Char(_)) && !k.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    let action = if printable {
        None
    } else {
        app.keymap.lookup_event(keymap::POPUP, &k)
    };
    let n = f.fields.len().max(1);
    match (action, k.code) {
        (Some(Action::Cancel), _) | (None, KeyCode::Esc) => {
            app.info("cancelled");
            return Vec::new();
        }
        (_, KeyCode::Tab) | (_, KeyCode::Down) => f.focus = (f.focus + 1) % n,
        (_, KeyCode::BackTab) | (_, KeyCode::Up) => f.focus = (f.focus + n - 1) % n,
        (Some(Action::Confirm), _) | (None, KeyCode::Enter) => {
            if f.focus + 1 < f.fields.len() {
                f.focus += 1;
            } else {
                return submit(app, f);
            }
        }
        (_, KeyCode::Char('c')) if k.modifiers.contains(KeyModifiers::CONTROL) => {
            app.info("cancelled");
            return Vec::new();
        }
        _ => {
            if let Some(field) = f.fields.get_mut(f.focus) {
                field.edit.handle(&k);
            }
            f.error = None;
        }
    }
    app.popup = Some(Popup::Form(f));
    Vec::new()
}

fn submit(app: &mut App, mut f: Form) -> Vec<Effect> {
    if let Some((i, field)) = f
        .fields
        .iter()
        .enumerate()
        .find(|(_, x)| x.required && x.edit.text().trim().is_empty())
    {
        f.error = Some(format!("{} is required", field.label));
        f.focus = i;
        app.popup = Some(Popup::Form(f));
        return Vec::new();
    }
    // What was typed stays in the form while a write runs.
    if let Some(p) = &app.pending {
        f.error = Some(format!(
            "still {}: press Enter again when it is done",
            p.label().trim_end_matches('…')
        ));
        app.popup = Some(Popup::Form(f));
        return Vec::new();
    }
    let value = |i: usize| -> Option<String> {
        f.fields
            .get(i)
            .map(|x| x.edit.text().trim().to_string())
            .filter(|s| !s.is_empty())
    };
    match f.purpose.clone() {
        FormPurpose::Log(t) => {
            app.pending = Some(Pending::Write {
                path: t.path.clone(),
                id: t.id.clone(),
                decided: None,
            });
            vec![Effect::Log {
                path: t.path,
                action: value(0).unwrap_or_default(),
                learnings: value(1),
                shown: t.shown,
            }]
        }
        FormPurpose::Reason { target, to } => {
            app.pending = Some(Pending::Write {
                path: target.path.clone(),
                id: target.id.clone(),
                decided: None,
            });
            vec![Effect::SetStatus {
                path: target.path,
                to,
                note: None,
                reason: value(0),
                shown: target.shown,
            }]
        }
        FormPurpose::TriageAction(t) => {
            let a = value(0).unwrap_or_default();
            triage_write(app, t, Some(a.clone()), false, Decided::Action(a))
        }
        FormPurpose::TriageSkip { target, to } => {
            let reason = value(0).unwrap_or_default();
            app.pending = Some(Pending::Write {
                path: target.path.clone(),
                id: target.id.clone(),
                decided: Some(Decided::Skipped(reason.clone())),
            });
            vec![Effect::SetStatus {
                path: target.path,
                to,
                note: None,
                reason: Some(reason),
                shown: target.shown,
            }]
        }
    }
}

// ---------------------------------------------------------------- mouse

fn mouse(app: &mut App, m: MouseEvent) -> Vec<Effect> {
    let wheel = match m.kind {
        MouseEventKind::ScrollDown => Some(3isize),
        MouseEventKind::ScrollUp => Some(-3isize),
        _ => None,
    };
    // What was drawn last: the user clicks what they see.
    let layout = app.layout();
    if let Some(mut p) = app.popup.take() {
        match (&mut p, wheel) {
            (Popup::Help { scroll }, Some(d)) => *scroll = scrolled(*scroll, d, layout.help_max),
            (Popup::Summary { scroll }, Some(d)) => *scroll = scrolled(*scroll, d, layout.summary_max),
            (Popup::Menu(menu), Some(d)) if !menu.items.is_empty() => {
                menu.cursor = (menu.cursor as isize + d.signum()).clamp(0, menu.items.len() as isize - 1) as usize;
            }
            (Popup::Menu(menu), None) if m.kind == MouseEventKind::Down(MouseButton::Left) => {
                if let Some(place) = layout.menu {
                    let inner = place.inner;
                    if inner.contains((m.column, m.row).into()) {
                        let i = place.offset + usize::from(m.row - inner.y);
                        if i < menu.items.len() {
                            if menu.cursor == i {
                                let chosen = menu.clone();
                                return menu_choose(app, chosen);
                            }
                            menu.cursor = i;
                        }
                    }
                }
            }
            _ => {}
        }
        app.popup = Some(p);
        return Vec::new();
    }
    match app.screen {
        Screen::Detail | Screen::Triage => {
            if let Some(d) = wheel {
                scroll_by(app, d);
            }
        }
        Screen::List => {
            let a = layout.list;
            let pos = (m.column, m.row).into();
            let in_pane = a.facets.is_some_and(|r| r.contains(pos));
            if let Some(d) = wheel {
                if in_pane {
                    facets_action(app, if d > 0 { Action::Down } else { Action::Up });
                } else {
                    app.move_by(d);
                }
                return Vec::new();
            }
            if m.kind != MouseEventKind::Down(MouseButton::Left) {
                return Vec::new();
            }
            if in_pane {
                let inner = layout.facets_inner;
                if !inner.contains(pos) {
                    return Vec::new();
                }
                let Some(p) = &mut app.facets else {
                    return Vec::new();
                };
                let lines = filters::facet_lines(&p.values);
                if let Some(filters::FacetLine::Value(i)) =
                    lines.get(layout.facet_offset + usize::from(m.row - inner.y))
                {
                    p.cursor = *i;
                    toggle_facet(app);
                }
                return Vec::new();
            }
            if a.rows.contains(pos) {
                let row = layout.list_offset + usize::from(m.row - a.rows.y);
                if row < app.index.shown().len() {
                    if row == app.row && app.clicked == Some(row) {
                        app.clicked = None;
                        return open_selected(app);
                    } else {
                        app.select_row(row);
                        app.clicked = Some(row);
                    }
                }
            }
        }
    }
    Vec::new()
}

/// A key event for `name` (`"j"`, `"ctrl-w"`, `"enter"`), for tests and
/// scripted input.
pub fn key_event(name: &str) -> Option<KeyEvent> {
    let k = Key::parse(name).ok()?;
    let mut mods = k.mods;
    if let KeyCode::Char(c) = k.code {
        if c.is_ascii_uppercase() {
            mods |= KeyModifiers::SHIFT;
        }
    }
    Some(KeyEvent::new(k.code, mods))
}
