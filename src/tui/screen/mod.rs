//! The screens, one folder each: `mod.rs` draws it, `update.rs` holds its
//! keys (list, facets — the filter line and pane —, detail, history,
//! triage, popup, help). [`view`] is a pure function of the [`App`] state:
//! it builds the frame's `Layout` once, draws each screen into its areas,
//! and keeps the layout in the app for the next update (mouse clicks and
//! page sizes). `status` is the status bar and the error box.

pub mod board;
pub mod detail;
pub mod facets;
pub mod help;
pub mod history;
pub mod list;
pub mod popup;
pub mod stats;
pub mod status;
pub mod triage;

use super::app::{App, Popup, Screen};
use super::layout::Layout;
use ratatui::layout::Rect;
use ratatui::Frame;

/// A count as screen cells, saturating.
pub(crate) fn cells(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

/// A `w`×`h` rectangle centred in `area` (clamped to fit).
pub(crate) fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(area.x + (area.width - w) / 2, area.y + (area.height - h) / 2, w, h)
}

/// Draw the whole UI.
pub fn view(app: &App, f: &mut Frame) {
    let area = f.area();
    f.buffer_mut().set_style(area, app.theme.base());
    let layout = Layout::of(app, area);
    app.keep_layout(layout);
    if area.width == 0 || area.height == 0 {
        return;
    }
    match app.screen {
        Screen::List => {
            let a = layout.list;
            facets::draw_line(app, f, a.filter);
            list::draw(&list::ListView::of(app), f, a.header, a.rows, layout.list_offset);
            if let Some(r) = a.preview {
                list::preview::draw(&detail::DocView::of(app), f, &app.preview, app.selected(), r);
            }
            if let (Some(r), Some(pane)) = (a.facets, &app.facets) {
                let v = facets::PaneView {
                    pane,
                    theme: &app.theme,
                    workflows: &app.workflows,
                };
                facets::draw_pane(&v, f, r, layout.facets_inner, layout.facet_offset);
            }
            status::draw(app, f, a.status);
        }
        Screen::Detail => {
            detail::draw(&detail::DocView::of(app), f, app.detail.as_ref(), &layout.doc);
            status::draw(app, f, layout.doc.status);
        }
        Screen::Triage => {
            triage::draw(&triage::TriageView::of(app), f, &layout.doc);
            status::draw(app, f, layout.doc.status);
        }
        Screen::Board => {
            let a = layout.board;
            facets::draw_line(app, f, a.filter);
            if let Some(v) = board::BoardView::of(app) {
                board::draw(&v, f, &a);
            }
            status::draw(app, f, a.status);
        }
        Screen::Stats => {
            if let Some(v) = stats::StatsDraw::of(app) {
                stats::draw(&v, f, area);
            }
            status::draw(app, f, stats::status_area(area));
        }
    }
    match &app.popup {
        Some(Popup::Help { scroll }) => help::draw(&help::HelpView::of(app), f, area, *scroll),
        Some(Popup::Menu(m)) => popup::draw_menu(&popup::PopupView::of(app), f, area, m),
        Some(Popup::Form(form)) => popup::draw_form(&popup::PopupView::of(app), f, area, form),
        Some(Popup::Summary { scroll }) => triage::draw_summary(&triage::TriageView::of(app), f, area, *scroll),
        Some(Popup::Adr(p)) => popup::adr::draw(&app.theme, &app.keymap, f, area, p),
        Some(Popup::Options(p)) => triage::options::draw(&app.theme, &app.keymap, f, area, p),
        None => {}
    }
    status::draw_error_box(app, f, area);
}
