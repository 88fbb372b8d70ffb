//! The detail screen's keys: scrolling, going back, links (a menu of the
//! document's links and dependencies, followed in place), next/previous.

use crate::tui::app::*;
use crate::tui::keymap::Action;
use crate::tui::msg::Effect;
use crate::tui::update::*;

pub(crate) fn detail_action(app: &mut App, action: Action) -> Vec<Effect> {
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
pub(crate) fn open_path(app: &mut App, path: &str, remember: bool) -> Vec<Effect> {
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
