//! The list screen's keys. `update` reads a key against a read-only
//! [`ListContext`] (the page size, whether a search or filter is on, the
//! sort) and says what it asks of the list as a [`ListOutcome`]; the root
//! (`tui/update.rs`) carries it out on the shared selection and index.
//! `open_selected` and `clear_filters` are those root operations, shared
//! with the mouse, the detail screen and the filter pane.

use crate::query::{Filter, SortKey};
use crate::tui::app::*;
use crate::tui::keymap::Action;
use crate::tui::msg::Effect;
use crate::tui::update::*;

/// What the list's keys read, and nothing else of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListContext {
    /// Rows in a page of the list.
    pub(crate) page: usize,
    /// A search query or a filter is on.
    pub(crate) narrowed: bool,
    /// The sort in force.
    pub sort: SortKey,
    /// Documents marked.
    pub marked: usize,
}

impl ListContext {
    pub(crate) fn of(app: &App) -> ListContext {
        ListContext {
            page: app.list_height(),
            narrowed: !app.index.query().is_empty() || *app.index.filter() != Filter::default(),
            sort: app.index.sort(),
            marked: app.marks.len(),
        }
    }
}

/// What a key on the list asks of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListOutcome {
    /// Move the selection by rows.
    Move(isize),
    /// Open the selected document.
    Open,
    /// Open the search box.
    Search,
    /// Open the filter pane.
    Facets,
    /// Clear the search and every filter.
    ClearFilters,
    /// Reset with nothing to clear: say so.
    NothingToClear,
    /// Sort by this key.
    Sort(SortKey),
    /// Start a triage of the documents shown.
    StartTriage,
    /// Show or hide the preview.
    Preview,
    /// Open the board.
    Board,
    /// Mark or unmark the selected row.
    Mark,
    /// Mark from the last mark to the selected row.
    MarkRange,
    /// Unmark every marked document (esc, before it clears filters).
    ClearMarks,
    /// An action that means the same on every screen.
    Other(Action),
}

/// Read `action` on the list.
pub(crate) fn update(action: Action, ctx: &ListContext) -> ListOutcome {
    if let Some(d) = step(action, ctx.page) {
        return ListOutcome::Move(d);
    }
    match action {
        Action::Open => ListOutcome::Open,
        Action::Search => ListOutcome::Search,
        Action::Facets => ListOutcome::Facets,
        Action::ClearFilters => ListOutcome::ClearFilters,
        Action::Reset if ctx.marked > 0 => ListOutcome::ClearMarks,
        Action::Reset if ctx.narrowed => ListOutcome::ClearFilters,
        Action::Mark => ListOutcome::Mark,
        Action::MarkRange => ListOutcome::MarkRange,
        Action::Reset => ListOutcome::NothingToClear,
        Action::Sort => ListOutcome::Sort(ctx.sort.next()),
        Action::StartTriage => ListOutcome::StartTriage,
        Action::Preview => ListOutcome::Preview,
        Action::Board => ListOutcome::Board,
        other => ListOutcome::Other(other),
    }
}

/// Open the selected row's document on the detail screen (nothing to open: a notice);
/// returns the effects to run (its history, when the History tab is shown).
pub fn open_selected(app: &mut App) -> Vec<Effect> {
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

/// Clear the search and every filter, keeping the selected document selected when it
/// still shows.
pub fn clear_filters(app: &mut App) {
    app.keeping_selection(|app| {
        app.index.set_query("");
        app.index.set_filter(&app.repo.items, Filter::default());
    });
    app.refresh_facets();
    app.info("filters cleared");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_keys_ask_the_root_for_what_they_mean() {
        let ctx = ListContext {
            page: 10,
            narrowed: false,
            sort: SortKey::Priority,
            marked: 0,
        };
        assert_eq!(update(Action::Down, &ctx), ListOutcome::Move(1));
        assert_eq!(update(Action::PageUp, &ctx), ListOutcome::Move(-10));
        assert_eq!(update(Action::Open, &ctx), ListOutcome::Open);
        assert_eq!(update(Action::Reset, &ctx), ListOutcome::NothingToClear);
        let narrowed = ListContext { narrowed: true, ..ctx };
        assert_eq!(update(Action::Reset, &narrowed), ListOutcome::ClearFilters);
        // Marks go first, then the filters.
        let marked = ListContext { marked: 2, ..narrowed };
        assert_eq!(update(Action::Reset, &marked), ListOutcome::ClearMarks);
        assert_eq!(update(Action::Mark, &ctx), ListOutcome::Mark);
        assert_eq!(update(Action::MarkRange, &ctx), ListOutcome::MarkRange);
        assert_eq!(update(Action::Sort, &ctx), ListOutcome::Sort(SortKey::Priority.next()));
        assert_eq!(update(Action::Quit, &ctx), ListOutcome::Other(Action::Quit));
    }
}
