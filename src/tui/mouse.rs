//! The mouse, routed by the root update: a click or the wheel is resolved
//! against the last frame's `super::layout::Layout` (the rows, the filter
//! pane, a menu as they were drawn), so what the user clicked is what they
//! saw.

use super::app::*;
use super::keymap::Action;
use super::msg::Effect;
use super::screen::board::update::{board_action, board_columns};
use super::screen::{board, facets};
use super::update::*;
use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};

/// The board: the wheel moves within the focused column, a click selects
/// a card (and focuses its column), a second click on it opens it.
fn board_mouse(app: &mut App, m: &MouseEvent, wheel: Option<isize>, layout: &super::layout::Layout) -> Vec<Effect> {
    if let Some(d) = wheel {
        return board_action(app, if d > 0 { Action::Down } else { Action::Up });
    }
    if m.kind != MouseEventKind::Down(MouseButton::Left) {
        return Vec::new();
    }
    let Some(b) = app.board.clone() else {
        return Vec::new();
    };
    let cols = board_columns(app, &b);
    let Some((col, row)) = board::hit(&b, &cols, &layout.board, m.column, m.row) else {
        return Vec::new();
    };
    if let Some(r) = row {
        if r == app.row && app.clicked == Some(r) {
            app.clicked = None;
            return open_selected(app);
        }
        app.select_row(r);
        app.clicked = Some(r);
    }
    if let Some(b) = &mut app.board {
        b.col = col;
    }
    Vec::new()
}

/// Apply a mouse event; the effects to run.
pub(crate) fn mouse(app: &mut App, m: MouseEvent) -> Vec<Effect> {
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
            // The pickers: the wheel moves the cursor (and the preview).
            (Popup::Adr(picker), Some(d)) if !picker.shown.is_empty() => {
                let last = picker.shown.len() as isize - 1;
                picker.cursor = (picker.cursor as isize + d.signum()).clamp(0, last) as usize;
                super::screen::popup::adr::refresh_preview(&app.repo, picker);
            }
            (Popup::Options(picker), Some(d)) if !picker.items.is_empty() => {
                let last = picker.items.len() as isize - 1;
                picker.cursor = (picker.cursor as isize + d.signum()).clamp(0, last) as usize;
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
        Screen::Board => return board_mouse(app, &m, wheel, &layout),
        Screen::Stats => {}
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
                let lines = facets::facet_lines(&p.values);
                if let Some(facets::FacetLine::Value(i)) = lines.get(layout.facet_offset + usize::from(m.row - inner.y))
                {
                    p.cursor = *i;
                    if let Some(v) = p.values.get(*i).cloned() {
                        toggle_facet(app, &v);
                    }
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
