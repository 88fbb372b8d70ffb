//! The list screen's keys: moving, opening, searching (the search box),
//! sorting, clearing filters, starting a triage.

use crate::query::Filter;
use crate::tui::app::*;
use crate::tui::keymap::Action;
use crate::tui::msg::Effect;
use crate::tui::update::*;

pub(crate) fn open_selected(app: &mut App) -> Vec<Effect> {
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

pub(crate) fn list_action(app: &mut App, action: Action) -> Vec<Effect> {
    if let Some(d) = step(action, app.list_height()) {
        app.move_by(d);
        return Vec::new();
    }
    match action {
        Action::Open => return open_selected(app),
        Action::Search => {
            let q = app.index.query().to_string();
            app.search = Some(Search::new(&q));
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
        Action::Reset => {
            if app.index.query().is_empty() && *app.index.filter() == Filter::default() {
                app.info("no search or filter to clear");
            } else {
                clear_filters(app);
            }
        }
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

pub(crate) fn clear_filters(app: &mut App) {
    app.keeping_selection(|app| {
        app.index.set_query("");
        app.index.set_filter(&app.repo.items, Filter::default());
    });
    app.refresh_facets();
    app.info("filters cleared");
}
