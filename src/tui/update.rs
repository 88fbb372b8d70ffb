//! The root of the update: `update(app, msg) -> effects`, the only way an
//! [`App`] changes.
//!
//! It routes: a key goes to the screen in front (popup, search box, filter
//! pane, list, detail, triage), whose keys live in its folder under
//! [`super::screen`] (`screen/NAME/update.rs`); the results of effects,
//! resizes and the mouse are handled here, as are the actions that mean the
//! same everywhere and the writes (one at a time). The filter pane, the
//! search box, the list, the detail view and triage read a key against
//! their own state or a read-only context and answer an outcome this root
//! carries out (triage's through `triage_action` and the popups' through
//! `popup_key`, beside their screens). Anything that touches the world (writes, the editor,
//! the clipboard, reloads) is returned as an [`Effect`] for the runtime,
//! whose results come back as [`Msg`]s. Page sizes and mouse hits read the
//! last frame's `super::layout::Layout`.
//!
//! Over 600 lines on purpose: the routes of every screen's outcome are kept
//! here together, so one file shows all a key can do to the shared state.
//!
//! About 750 lines: the root's routing of keys to the screen in front, the results of effects, and
//! the actions and writes that mean the same on every screen. Each screen's own keys live in its
//! folder; what stays here is what spans screens.

use super::app::*;
use super::backend::content_hash;
use super::keymap::{Action, Key};
use super::msg::{Effect, LoadStep, Msg, Shown, WriteOutcome};
use super::screen;
use super::screen::board::update::{board_action, follow_selection, open_board};
pub(crate) use super::screen::detail::update::{follow_link, open_path, DetailContext, DetailOutcome};
use super::screen::facets::update::Outcome as FacetOutcome;
use super::screen::facets::values;
pub(crate) use super::screen::history::update::*;
use super::screen::list::marks;
use super::screen::list::search::SearchOutcome;
pub use super::screen::list::update::{clear_filters, open_selected, ListContext, ListOutcome};
pub(crate) use super::screen::popup::update::*;
pub(crate) use super::screen::triage::update::*;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// Apply one message to the state; return the effects to run.
pub fn update(app: &mut App, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(k) => {
            if k.kind == KeyEventKind::Release {
                return Vec::new();
            }
            // A key closes an error shown in full, and does only that (the
            // key that dismisses it never quits, moves or writes).
            if app.message.as_ref().is_some_and(|m| m.open) {
                let boxed = app.layout().error_box;
                if let Some(m) = &mut app.message {
                    m.open = false;
                }
                if boxed {
                    return Vec::new();
                }
            }
            key(app, k)
        }
        Msg::Mouse(m) => super::mouse::mouse(app, m),
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
            // The board follows its card (renamed by a move), the stats
            // count again.
            follow_selection(app);
            screen::stats::recount(app);
            // A history shown is read again: the reload may follow a commit.
            let mut fx = want_history(app);
            fx.push(Effect::CheckEdits);
            fx
        }
        Msg::Load(LoadStep::Batch { items, done, total }) => {
            app.loaded_batch(items, done, total);
            Vec::new()
        }
        Msg::Load(LoadStep::Done(r)) => {
            app.loaded(*r);
            vec![Effect::CheckEdits]
        }
        Msg::HandEdits(paths) => {
            hand_edits(app, paths);
            Vec::new()
        }
        Msg::HistoryLoaded(path, r) => {
            history_loaded(app, &path, r);
            Vec::new()
        }
        Msg::TrendLoaded(t) => {
            screen::stats::trend_loaded(app, *t);
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
pub(crate) fn body_height(app: &App) -> usize {
    app.layout().doc_rows
}

pub(crate) fn clamp_scroll(app: &mut App) {
    let h = body_height(app);
    if let Some(d) = app.current_detail_mut() {
        d.clamp_scroll(h);
    }
}

pub(crate) fn scroll_by(app: &mut App, delta: isize) {
    let h = body_height(app);
    if let Some(d) = app.current_detail_mut() {
        d.scroll_by(delta, h);
    }
}

/// The step of a movement action for a window of `h` rows.
pub(crate) fn step(action: Action, h: usize) -> Option<isize> {
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

/// A key of the filter pane: the pane moves its cursor, the rest is done
/// here on the shared state.
pub(crate) fn facets_action(app: &mut App, action: Action) -> Vec<Effect> {
    let Some(pane) = &mut app.facets else {
        return Vec::new();
    };
    match pane.update(action) {
        FacetOutcome::None => {}
        FacetOutcome::Toggle(v) => toggle_facet(app, &v),
        FacetOutcome::Close => {
            app.facets = None;
            app.ensure_visible();
        }
        FacetOutcome::ClearFilters => clear_filters(app),
        FacetOutcome::Other(a) => return common(app, a).unwrap_or_default(),
    }
    Vec::new()
}

/// A key of the list: the list reads it, the rest is done here on the
/// shared selection and index.
pub(crate) fn list_action(app: &mut App, action: Action) -> Vec<Effect> {
    // On the list, a document opened next goes back to the list.
    app.board = None;
    match screen::list::update::update(action, &ListContext::of(app)) {
        ListOutcome::Move(d) => {
            app.move_by(d);
            say_if_edited(app);
        }
        ListOutcome::Open => {
            let fx = open_selected(app);
            say_if_edited(app);
            return fx;
        }
        ListOutcome::Search => {
            let q = app.index.query().to_string();
            app.search = Some(Search::new(&q));
        }
        ListOutcome::Facets => {
            app.facets = Some(FacetPane {
                values: Vec::new(),
                cursor: 0,
            });
            app.refresh_facets();
            app.ensure_visible();
        }
        ListOutcome::ClearFilters => clear_filters(app),
        ListOutcome::NothingToClear => app.info("no search or filter to clear"),
        ListOutcome::Sort(next) => {
            app.set_sort(next);
            app.info(format!("sorted by {}", next.as_str()));
        }
        ListOutcome::StartTriage if marks::batching(app) => return marks::batch_triage(app),
        ListOutcome::StartTriage => start_triage(app),
        ListOutcome::Preview => {
            let on = app.preview.toggle();
            let wide = app.layout().list.preview.is_some();
            app.info(match (on, wide) {
                (true, true) => "preview on".to_string(),
                (true, false) => format!(
                    "preview on: it shows beside the list at {} columns and wider",
                    screen::list::preview::MIN_WIDTH
                ),
                (false, _) => "preview off".to_string(),
            });
        }
        ListOutcome::Board => open_board(app),
        ListOutcome::Mark => marks::toggle_mark(app),
        ListOutcome::MarkRange => marks::mark_range(app),
        ListOutcome::ClearMarks => marks::clear_marks(app),
        ListOutcome::Other(a) => return common(app, a).unwrap_or_default(),
    }
    Vec::new()
}

/// Say so when the selected document holds a hand edit.
fn say_if_edited(app: &mut App) {
    let edited = app
        .selected()
        .filter(|m| app.modified.contains(&m.path))
        .map(|m| m.id.clone());
    if let Some(id) = edited {
        let hint = marks::hand_edit_hint(app, &id);
        app.info(hint);
    }
}

/// The documents holding hand edits, as a check found them; the one just
/// edited, or selected, is named in the status bar.
fn hand_edits(app: &mut App, paths: Vec<String>) {
    app.modified = paths.into_iter().collect();
    let edited = app.edited.take();
    let named = edited
        .filter(|p| app.modified.contains(p))
        .and_then(|p| app.repo.items.iter().find(|m| m.path == p).map(|m| m.id.clone()));
    if let Some(id) = named {
        let hint = marks::hand_edit_hint(app, &id);
        app.info(hint);
    }
}

/// A key of the detail screen: the document scrolls itself, the rest is
/// done here.
pub(crate) fn detail_action(app: &mut App, action: Action) -> Vec<Effect> {
    let ctx = DetailContext {
        page: body_height(app),
        repo: &app.repo,
    };
    match screen::detail::update::update(app.detail.as_mut(), action, &ctx) {
        DetailOutcome::Stay => {}
        DetailOutcome::Back(path) => return open_path(app, &path, false),
        DetailOutcome::Close(path) => {
            app.detail = None;
            if let Some(p) = path {
                app.select_path(&p);
            }
            // Back to the board when the document was opened from it.
            app.screen = if app.board.is_some() {
                Screen::Board
            } else {
                Screen::List
            };
            follow_selection(app);
        }
        DetailOutcome::Info(m) => app.info(m),
        DetailOutcome::Found(m) => app.info(m),
        DetailOutcome::Menu(m) => app.popup = Some(Popup::Menu(m)),
        DetailOutcome::Step(d) => {
            app.move_by(d);
            return open_selected(app);
        }
        DetailOutcome::History => return toggle_history(app),
        DetailOutcome::StartTriage => start_triage(app),
        DetailOutcome::Focused(m) => app.info(m),
        DetailOutcome::Tick { n, undo } => return screen::detail::update::tick(app, n, undo),
        DetailOutcome::Other(a) => return common(app, a).unwrap_or_default(),
    }
    Vec::new()
}

/// Turn `v`'s filter on or off, the pane's cursor kept on it.
pub(crate) fn toggle_facet(app: &mut App, v: &values::FacetValue) {
    let f = values::toggle(app.index.filter(), v.facet, &v.value);
    app.set_filter(f);
    if let Some(p) = &mut app.facets {
        p.keep_cursor_on(v);
    }
}

/// A key of the search box: the box edits its line, the rest is done here
/// on the list.
fn search_key(app: &mut App, k: &KeyEvent) -> Vec<Effect> {
    let Some(search) = &mut app.search else {
        return Vec::new();
    };
    match search.update(k) {
        SearchOutcome::None => {}
        SearchOutcome::Query(q) => app.set_query(&q),
        SearchOutcome::Close => app.search = None,
        SearchOutcome::Cancel(before) => {
            app.search = None;
            app.set_query(&before);
        }
        SearchOutcome::Move(d) => app.move_by(d),
        SearchOutcome::Page(d) => app.move_by(d * app.list_height() as isize),
        SearchOutcome::Quit => {
            app.quit = true;
            return vec![Effect::Quit];
        }
    }
    Vec::new()
}

/// Brief feedback for a key that does nothing on this screen.
fn unbound(app: &mut App, k: &KeyEvent) {
    // Modifier keys alone (with enhanced keyboards) are not keys pressed.
    if matches!(k.code, KeyCode::Modifier(_) | KeyCode::Null) {
        return;
    }
    let name = Key::from_event(k).label();
    let help = app.keymap.hint(Action::Help);
    app.info(format!("{name} does nothing here · {help} for help"));
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
        let fx = search_key(app, &k);
        // A search typed on the board: the cards it leaves, the card followed.
        follow_selection(app);
        return fx;
    }
    if screen::detail::find::typing(app) {
        return screen::detail::find::key(app, &k);
    }
    let chain = screen::help::chain(app);
    let Some(action) = app.keymap.lookup_event(chain, &k) else {
        unbound(app, &k);
        return Vec::new();
    };
    match app.screen {
        Screen::List if app.facets.is_some() => facets_action(app, action),
        Screen::List => list_action(app, action),
        Screen::Detail => detail_action(app, action),
        Screen::Triage => triage_action(app, action),
        Screen::Board => board_action(app, action),
        Screen::Stats => match action {
            Action::CloseStats => {
                screen::stats::close(app);
                Vec::new()
            }
            other => common(app, other).unwrap_or_default(),
        },
    }
}

/// Actions that mean the same everywhere.
pub(crate) fn common(app: &mut App, action: Action) -> Option<Vec<Effect>> {
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
        Action::Stats => screen::stats::open(app),
        Action::NextTheme => {
            super::theme_switch::next_theme(app);
            Vec::new()
        }
        Action::Status if marks::batching(app) => marks::batch_status(app),
        Action::Log if marks::batching(app) => marks::batch_log(app),
        Action::Status => with_target(app, status_menu),
        Action::Log => with_target(app, |app, t| {
            app.popup = Some(Popup::Form(Form::log(
                format!("Work log: {}", t.id),
                FormPurpose::Log(t),
            )));
            Vec::new()
        }),
        Action::Edit => match current_path(app) {
            Some(path) => {
                app.edited = Some(path.clone());
                vec![Effect::OpenEditor { path, line: None }]
            }
            None => {
                app.error("nothing selected");
                Vec::new()
            }
        },
        Action::CopyId | Action::CopyPath => {
            let m = match app.screen {
                Screen::List | Screen::Board => app.selected().cloned(),
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
        // The CLI's stack: the last findings write not undone yet, then
        // the one before; redo takes the last undo back.
        Action::Undo => begin_write(app, Pending::Stack { redo: false }, Effect::UndoLast),
        Action::Redo => begin_write(app, Pending::Stack { redo: true }, Effect::Redo),
        Action::CommitEdit => marks::commit_edit(app),
        Action::DiscardEdit => marks::discard_edit(app),
        _ => return None,
    })
}

pub(crate) fn current_path(app: &App) -> Option<String> {
    match app.screen {
        Screen::List | Screen::Board => app.selected().map(|m| m.path.clone()),
        _ => app.current_detail().map(|d| d.path.clone()),
    }
}

/// The document an action applies to, as shown: the open document, or the
/// selected row's document read now.
pub(crate) fn target(app: &mut App) -> Result<Target, String> {
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
        Screen::List | Screen::Board => {
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

pub(crate) fn with_target(app: &mut App, f: impl FnOnce(&mut App, Target) -> Vec<Effect>) -> Vec<Effect> {
    match target(app) {
        Ok(t) => f(app, t),
        Err(e) => {
            app.error(e);
            Vec::new()
        }
    }
}

pub(crate) fn status_menu(app: &mut App, t: Target) -> Vec<Effect> {
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

fn paste(app: &mut App, s: &str) {
    if let Some(Popup::Adr(p)) = &mut app.popup {
        p.paste(s);
        screen::popup::adr::refresh_preview(&app.repo, p);
        return;
    }
    if let Some(Popup::Form(f)) = &mut app.popup {
        if let Some(field) = f.fields.get_mut(f.focus) {
            field.edit.insert(s);
        }
        return;
    }
    if let Some(search) = &mut app.search {
        let q = search.paste(s);
        app.set_query(&q);
    }
    if screen::detail::find::typing(app) {
        screen::detail::find::paste(app, s);
    }
}

// ---------------------------------------------------------------- writes

/// True, with a notice, while a write runs. One write at a time: a second
/// would be decided on a document the first is changing, and a triage
/// session moves on only when its decision is written.
pub(crate) fn refuse_while_writing(app: &mut App) -> bool {
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
pub(crate) fn begin_write(app: &mut App, pending: Pending, effect: Effect) -> Vec<Effect> {
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
            let text = match &e {
                // A write that cannot leave a person's edits out of its
                // commit: say how to settle them here.
                super::msg::WriteFailure::Op(crate::ops::OpError::HandEdits { path }) => {
                    let id = app
                        .repo
                        .items
                        .iter()
                        .find(|m| &m.path == path)
                        .map_or_else(|| path.clone(), |m| m.id.clone());
                    format!("{e} · {}", marks::hand_edit_hint(app, &id))
                }
                _ => e.to_string(),
            };
            app.error(text);
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
                    planned: None,
                });
                if let (Some(np), Some(slot)) = (&res.new_path, t.queue.get_mut(t.pos)) {
                    *slot = np.clone();
                    // Show the document as written, under its new name.
                    load_triage_item(app);
                }
                advance(app);
            }
        }
        Some(Pending::Stack { .. }) => {
            // The write taken back may be another document's: the one shown
            // follows the rename only when its own file is the one gone.
            if let Some(np) = &res.new_path {
                let gone = |p: &str| !app.repo.abs(p).exists();
                if app.selected().is_some_and(|m| gone(&m.path)) {
                    app.follow = Some(np.clone());
                }
                if let Some(d) = app.detail.as_mut().filter(|d| gone(&d.path)) {
                    d.path = np.clone();
                }
            }
        }
        Some(Pending::Batch { .. }) => {
            app.marks.clear();
            // A triage walk over marks ends once its batch is written.
            if collecting(app) {
                end_triage(app);
            }
        }
        Some(Pending::HandEdit { path, .. }) => {
            app.modified.remove(&path);
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

/// A popup's scroll offset moved by `d`, kept within `0..=max` (so moving
/// back after overshooting the end takes effect at once).
pub(crate) fn scrolled(scroll: usize, d: isize, max: usize) -> usize {
    (scroll.min(max) as isize + d).clamp(0, max as isize) as usize
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
