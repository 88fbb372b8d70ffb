//! The detail screen's keys: scrolling, going back, links (a menu of the
//! document's links and dependencies, followed in place), next/previous.
//! `update` takes the open document and a read-only [`DetailContext`] and
//! answers a [`DetailOutcome`] the root (`tui/update.rs`) carries out;
//! `open_path` and `follow_link` are root operations it and the links
//! menu share.

use crate::store::Repo;
use crate::tui::app::*;
use crate::tui::keymap::Action;
use crate::tui::msg::Effect;
use crate::tui::update::*;

/// What the detail screen's keys read, and nothing else of the app.
#[derive(Clone, Copy)]
pub struct DetailContext<'a> {
    /// Lines of the body on screen (a page).
    pub(crate) page: usize,
    /// The loaded documents (where the links lead).
    pub(crate) repo: &'a Repo,
}

/// What a key on the detail screen asks of the root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DetailOutcome {
    /// Nothing beyond the screen (it scrolled, or there is nothing to do).
    Stay,
    /// Go back to this earlier document (a followed link's origin).
    Back(String),
    /// Go back to the list, selecting this document if one was open.
    Close(Option<String>),
    /// Tell the user something.
    Info(&'static str),
    /// Tell the user where find is (`match 3/7`).
    Found(String),
    /// Open this menu (the links and dependencies).
    Menu(Menu),
    /// Open the next (1) or previous (-1) document of the list.
    Step(isize),
    /// Switch between the text and the git history.
    History,
    /// Start a triage walk on this document.
    StartTriage,
    /// A criterion was focused: say which.
    Focused(String),
    /// Tick (`undo`: untick) criterion `n` (from 1).
    Tick {
        /// Which criterion, counting from 1 in document order.
        n: usize,
        /// Untick it instead.
        undo: bool,
    },
    /// An action that means the same on every screen.
    Other(Action),
}

/// Read `action` on the open document `d`: scrolling is done here, on its
/// own state; the rest is asked of the root.
pub(crate) fn update(d: Option<&mut Detail>, action: Action, ctx: &DetailContext<'_>) -> DetailOutcome {
    if let Some(delta) = step(action, ctx.page) {
        if let Some(d) = d {
            d.scroll_by(delta, ctx.page);
        }
        return DetailOutcome::Stay;
    }
    match action {
        Action::Back => match d {
            Some(d) => match d.history.pop() {
                Some(path) => DetailOutcome::Back(path),
                None => DetailOutcome::Close(Some(d.path.clone())),
            },
            None => DetailOutcome::Close(None),
        },
        Action::Links => {
            let links = d.map(|d| d.links.clone()).unwrap_or_default();
            if links.is_empty() {
                return DetailOutcome::Info("this document has no links or dependencies");
            }
            let items = links
                .iter()
                .map(|l| {
                    let found = resolve_link(ctx.repo, l)
                        .map(|m| format!(" → {}", m.id))
                        .unwrap_or_default();
                    if l.label == l.target {
                        format!("{}: {}{found}", l.kind.label(), l.label)
                    } else {
                        format!("{}: {} ({}){found}", l.kind.label(), l.label, l.target)
                    }
                })
                .collect();
            DetailOutcome::Menu(Menu {
                title: "Links and dependencies".into(),
                items,
                cursor: 0,
                purpose: MenuPurpose::Links(links),
            })
        }
        Action::Find => {
            if let Some(d) = d {
                let last = d.find.as_ref().map(|f| f.phrase().to_string()).unwrap_or_default();
                d.find = Some(super::find::Find::open(&last));
            }
            DetailOutcome::Stay
        }
        Action::FindNext | Action::FindPrev => match d {
            Some(d) => DetailOutcome::Found(super::find::step(
                d,
                if action == Action::FindNext { 1 } else { -1 },
                ctx.page,
            )),
            None => DetailOutcome::Stay,
        },
        Action::NextDoc => DetailOutcome::Step(1),
        Action::PrevDoc => DetailOutcome::Step(-1),
        Action::History => DetailOutcome::History,
        Action::StartTriage => DetailOutcome::StartTriage,
        Action::NextCriterion | Action::PrevCriterion => {
            let Some(d) = d else {
                return DetailOutcome::Stay;
            };
            let delta = if action == Action::NextCriterion { 1 } else { -1 };
            if !d.focus_criterion(delta, ctx.page) {
                return DetailOutcome::Info(NO_CRITERIA);
            }
            match d.focus.and_then(|i| d.criteria.get(i)) {
                Some(c) => DetailOutcome::Focused(format!(
                    "criterion {}/{} {}: {}",
                    c.n,
                    d.criteria.len(),
                    if c.done { "[x]" } else { "[ ]" },
                    c.text
                )),
                None => DetailOutcome::Stay,
            }
        }
        Action::TickCriterion => match d {
            Some(d) if d.criteria.is_empty() => DetailOutcome::Info(NO_CRITERIA),
            Some(d) => match d.focus.and_then(|i| d.criteria.get(i)) {
                Some(c) => DetailOutcome::Tick { n: c.n, undo: c.done },
                None => DetailOutcome::Info("tab focuses an acceptance criterion first, then x ticks it"),
            },
            None => DetailOutcome::Stay,
        },
        other => DetailOutcome::Other(other),
    }
}

const NO_CRITERIA: &str =
    "this document has no acceptance criteria (`- [ ]` items under an Acceptance Criteria heading)";

/// Start ticking (`undo`: unticking) criterion `n` of the open document:
/// a write on the runtime's worker, as `findings tick`.
pub(crate) fn tick(app: &mut App, n: usize, undo: bool) -> Vec<Effect> {
    with_target(app, |app, t| {
        begin_write(
            app,
            Pending::write(&t, None),
            Effect::Tick {
                path: t.path,
                n,
                undo,
                shown: t.shown,
            },
        )
    })
}

/// Open `path` in the detail screen; `remember` pushes the current one on
/// the history (following a link).
pub fn open_path(app: &mut App, path: &str, remember: bool) -> Vec<Effect> {
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

pub(crate) fn follow_link(app: &mut App, l: &LinkTarget) -> Vec<Effect> {
    if l.kind == LinkKind::Code {
        return open_code(app, &l.target);
    }
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

/// Open cited code (`path` or `path:line`) in `$EDITOR` at its line, when
/// the file is inside the repository and exists.
fn open_code(app: &mut App, target: &str) -> Vec<Effect> {
    let (path, line) = match target.rsplit_once(':') {
        Some((p, n)) if !p.is_empty() && n.parse::<u32>().is_ok() => (p, n.parse::<u32>().ok()),
        _ => (target, None),
    };
    if crate::store::contain::check(&app.repo.root, path).is_err() || !app.repo.abs(path).is_file() {
        app.error(format!("{path} is not a file in this repository"));
        return Vec::new();
    }
    vec![Effect::OpenEditor {
        path: path.to_string(),
        line,
    }]
}
