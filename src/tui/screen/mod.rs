//! Drawing: [`view`] is a pure function of the [`App`] state, one module per
//! pane. The layout functions here are shared with `update`, so mouse
//! clicks and page sizes agree with what is drawn.

pub mod detail;
pub mod filters;
pub mod help;
pub mod history;
pub mod list;
pub mod popup;
pub mod status;
pub mod triage;

use super::app::{App, Popup, Screen};
use ratatui::layout::Rect;
use ratatui::Frame;

/// The list screen's areas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListAreas {
    /// Active filters and the search box.
    pub filter: Rect,
    /// The filter pane, when open.
    pub facets: Option<Rect>,
    /// Column titles.
    pub header: Rect,
    /// The rows.
    pub rows: Rect,
    pub status: Rect,
}

fn rows(area: Rect, y: u16, h: u16) -> Rect {
    let y = y.min(area.bottom());
    Rect::new(area.x, y, area.width, h.min(area.bottom().saturating_sub(y)))
}

/// The last line is the status bar; the rest is the screen's.
pub fn split_status(area: Rect) -> (Rect, Rect) {
    let main_h = area.height.saturating_sub(1);
    (
        rows(area, area.y, main_h),
        rows(area, area.y + main_h, area.height - main_h),
    )
}

pub fn list_areas(area: Rect, facets_open: bool) -> ListAreas {
    let (main, status) = split_status(area);
    let filter = rows(main, main.y, 1.min(main.height));
    let rest = rows(main, main.y + filter.height, main.height - filter.height);
    let (facets, list) = if facets_open {
        if rest.width >= 60 {
            let w = (rest.width / 3).clamp(24, 36);
            (
                Some(Rect::new(rest.x, rest.y, w, rest.height)),
                Rect::new(rest.x + w, rest.y, rest.width - w, rest.height),
            )
        } else {
            (Some(rest), Rect::new(rest.x, rest.y, rest.width, 0))
        }
    } else {
        (None, rest)
    };
    let header = rows(list, list.y, 1.min(list.height));
    let body = rows(list, list.y + header.height, list.height - header.height);
    ListAreas {
        filter,
        facets,
        header,
        rows: body,
        status,
    }
}

/// Areas of a screen reading one document: a header of `head` lines, a
/// rule, the body, and (in triage) a bar above and `below` lines under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocAreas {
    pub top: Rect,
    pub header: Rect,
    pub rule: Rect,
    pub body: Rect,
    pub below: Rect,
    pub status: Rect,
}

pub fn doc_areas(area: Rect, top: u16, head: u16, below: u16) -> DocAreas {
    let (main, status) = split_status(area);
    let top_h = top.min(main.height);
    let room = main.height - top_h;
    // The body keeps at least one line when the terminal is tiny.
    let below_h = below.min(room.saturating_sub(1) / 2);
    let head_h = head.min(room.saturating_sub(below_h + 2));
    let rule_h = u16::from(room > head_h + below_h + 1);
    let body_h = room.saturating_sub(head_h + rule_h + below_h);
    let mut y = main.y;
    let mut next = |h: u16| {
        let r = rows(main, y, h);
        y = y.saturating_add(h);
        r
    };
    DocAreas {
        top: next(top_h),
        header: next(head_h),
        rule: next(rule_h),
        body: next(body_h),
        below: next(below_h),
        status,
    }
}

/// The areas of the current document screen (detail or triage).
pub fn current_doc_areas(app: &App) -> DocAreas {
    let area = app.area();
    match app.screen {
        Screen::Triage => {
            let (head, below) = app
                .triage
                .as_ref()
                .and_then(|t| t.detail.as_ref())
                .map(|d| (detail::header_height(d), triage::panel_height(d)))
                .unwrap_or((0, 1));
            doc_areas(area, 1, head, below)
        }
        _ => {
            let head = app.detail.as_ref().map(detail::header_height).unwrap_or(0);
            doc_areas(area, 0, head, 0)
        }
    }
}

/// A count as screen cells, saturating.
pub fn cells(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

/// Width the document body is wrapped to (one column of margin each side).
pub fn body_width(area: Rect) -> u16 {
    area.width.saturating_sub(2).max(1)
}

/// A `w`×`h` rectangle centred in `area` (clamped to fit).
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(area.x + (area.width - w) / 2, area.y + (area.height - h) / 2, w, h)
}

/// Draw the whole UI.
pub fn view(app: &App, f: &mut Frame) {
    let area = f.area();
    f.buffer_mut().set_style(area, app.theme.base());
    if area.width == 0 || area.height == 0 {
        return;
    }
    match app.screen {
        Screen::List => {
            let a = list_areas(area, app.facets.is_some());
            filters::draw_line(app, f, a.filter);
            list::draw(app, f, a.header, a.rows);
            if let Some(r) = a.facets {
                filters::draw_pane(app, f, r);
            }
            status::draw(app, f, a.status);
        }
        Screen::Detail => {
            detail::draw(app, f, area);
        }
        Screen::Triage => {
            triage::draw(app, f, area);
        }
    }
    match &app.popup {
        Some(Popup::Help { scroll }) => help::draw(app, f, area, *scroll),
        Some(Popup::Menu(m)) => popup::draw_menu(app, f, area, m),
        Some(Popup::Form(form)) => popup::draw_form(app, f, area, form),
        Some(Popup::Summary { scroll }) => triage::draw_summary(app, f, area, *scroll),
        None => {}
    }
    status::draw_error_box(app, f, area);
}
