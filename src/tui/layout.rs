//! The screen's geometry, built once per frame: [`Layout::of`] places every
//! area of the current screen (list, filter pane, document, popups) from
//! the terminal size and the state, [`super::view`] draws into it, and it is
//! kept in the [`App`] for the next update, so mouse hit-testing and page
//! sizes read exactly what was drawn. Update never calls view functions.
//!
//! A layout is tagged with the [`Shape`] it was built for; when the state
//! has changed shape since the last frame (a resize, another screen, a popup
//! opened by the same batch of keys), [`App::layout`] builds a fresh one.
//! The parts only drawing knows (how far the help scrolls) are measured by
//! the screens' sizing functions, never by drawing.

use super::app::{App, DetailTab, Popup, Screen};
use super::screen::list::preview;
use super::screen::{board, detail, facets, help, history, popup, status, triage};
use ratatui::layout::{Margin, Rect};

/// The list screen's areas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct ListAreas {
    /// Active filters and the search box.
    pub(crate) filter: Rect,
    /// The filter pane, when open.
    pub(crate) facets: Option<Rect>,
    /// Column titles.
    pub(crate) header: Rect,
    /// The rows.
    pub rows: Rect,
    /// The preview of the selected document, right of the list (its first
    /// column is the border), when the list is wide enough and it is on.
    pub preview: Option<Rect>,
    pub status: Rect,
}

/// Areas of a screen reading one document: a header of `head` lines, a
/// rule, the body, and (in triage) a bar above and `below` lines under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct DocAreas {
    pub(crate) top: Rect,
    pub(crate) header: Rect,
    pub(crate) rule: Rect,
    pub(crate) body: Rect,
    pub(crate) below: Rect,
    pub(crate) status: Rect,
}

/// What a layout depends on besides the size: when any of it changes, the
/// layout is built again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Shape {
    size: (u16, u16),
    screen: Option<Screen>,
    facets: bool,
    /// Which popup is open (0 none, 1 help, 2 menu, 3 form, 4 summary) and
    /// its item count and cursor (a menu's offset follows its cursor).
    popup: (u8, usize, usize),
    tab: Option<DetailTab>,
    /// Header and panel heights of the document shown.
    doc: (u16, u16),
    error_open: bool,
    /// The preview is on (it shows when the list is wide enough).
    preview: bool,
    /// The board's family and focused column.
    board: Option<(crate::document::Kind, usize)>,
}

impl Shape {
    fn of(app: &App, area: Rect) -> Shape {
        let d = app.current_detail();
        let popup = match &app.popup {
            None => (0, 0, 0),
            Some(Popup::Help { .. }) => (1, 0, 0),
            Some(Popup::Menu(m)) => (2, m.items.len(), m.cursor),
            Some(Popup::Form(_)) => (3, 0, 0),
            Some(Popup::Summary { .. }) => (4, 0, 0),
            Some(Popup::Adr(p)) => (5, p.shown.len(), p.cursor),
            Some(Popup::Options(p)) => (6, p.items.len(), p.cursor),
        };
        Shape {
            size: (area.width, area.height),
            screen: Some(app.screen),
            facets: app.facets.is_some(),
            popup,
            tab: d.map(|d| d.tab),
            doc: d
                .map(|d| (detail::header_height(d), triage::panel_height(d)))
                .unwrap_or((0, 1)),
            error_open: app.message.as_ref().is_some_and(|m| m.open),
            preview: app.preview.is_on(),
            board: app.board.as_ref().map(|b| (b.kind, b.col)),
        }
    }
}

/// A menu as drawn: where its items are and the first one shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct MenuPlace {
    pub(crate) inner: Rect,
    pub(crate) offset: usize,
}

/// Where everything of one frame goes; see the module documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Layout {
    shape: Shape,
    /// The whole terminal.
    pub(crate) area: Rect,
    /// The list screen's areas (all empty on other screens).
    pub(crate) list: ListAreas,
    /// First row of the list drawn.
    pub(crate) list_offset: usize,
    /// Inside the filter pane, and its first line drawn.
    pub(crate) facets_inner: Rect,
    pub(crate) facet_offset: usize,
    /// The document screen's areas (detail or triage; empty on the list).
    pub(crate) doc: DocAreas,
    /// Lines the document's current tab scrolls by a page (the history
    /// table's column titles stay put).
    pub(crate) doc_rows: usize,
    /// The open menu.
    pub(crate) menu: Option<MenuPlace>,
    /// How far the help and the triage summary scroll.
    pub(crate) help_max: usize,
    pub(crate) summary_max: usize,
    /// An error shown in a box above the status bar.
    pub error_box: bool,
    /// The board's areas (empty on other screens).
    pub board: board::BoardAreas,
}

impl Layout {
    /// The layout of `app`'s current screen in `area` (the terminal).
    pub(crate) fn of(app: &App, area: Rect) -> Layout {
        let mut l = Layout {
            shape: Shape::of(app, area),
            area,
            ..Layout::default()
        };
        match app.screen {
            Screen::List => {
                l.list = list_areas(area, app.facets.is_some());
                if app.preview.is_on() {
                    l.list = with_preview(l.list);
                }
                l.list_offset = list_offset(app, usize::from(l.list.rows.height));
                if let (Some(r), Some(p)) = (l.list.facets, &app.facets) {
                    l.facets_inner = r.inner(Margin::new(1, 1));
                    let lines = facets::facet_lines(&p.values);
                    l.facet_offset = facets::facet_offset(&lines, p.cursor, usize::from(l.facets_inner.height));
                }
            }
            Screen::Board => l.board = board::areas(app, area),
            Screen::Stats => {}
            Screen::Detail | Screen::Triage => {
                let (head, below) = l.shape.doc;
                l.doc = match app.screen {
                    Screen::Triage => doc_areas(area, 1, head, below),
                    _ => doc_areas(area, 0, head, 0),
                };
                l.doc_rows = match l.shape.tab {
                    Some(DetailTab::History) => history::rows_height(l.doc.body.height),
                    _ => usize::from(l.doc.body.height).max(1),
                };
            }
        }
        match &app.popup {
            Some(Popup::Menu(m)) => {
                let r = popup::menu_rect(area, m);
                let inner = r.inner(Margin::new(1, 1));
                l.menu = Some(MenuPlace {
                    inner,
                    offset: popup::menu_offset(m, usize::from(inner.height)),
                });
            }
            Some(Popup::Help { .. }) => l.help_max = help::max_scroll(&help::HelpView::of(app), area),
            Some(Popup::Summary { .. }) => l.summary_max = triage::summary_max_scroll(app),
            _ => {}
        }
        l.error_box = l.shape.error_open && status::error_box_lines(app).is_some();
        l
    }

    /// True when this layout still fits `app` (same size, screen, popup…).
    pub(crate) fn fits(&self, app: &App) -> bool {
        self.shape == Shape::of(app, app.area())
    }

    /// Rows of the list a page moves by.
    pub(crate) fn list_rows(&self) -> usize {
        usize::from(self.list.rows.height).max(1)
    }
}

fn rows(area: Rect, y: u16, h: u16) -> Rect {
    let y = y.min(area.bottom());
    Rect::new(area.x, y, area.width, h.min(area.bottom().saturating_sub(y)))
}

/// The last line is the status bar; the rest is the screen's.
pub(crate) fn split_status(area: Rect) -> (Rect, Rect) {
    let main_h = area.height.saturating_sub(1);
    (
        rows(area, area.y, main_h),
        rows(area, area.y + main_h, area.height - main_h),
    )
}

/// The list screen's areas in `area`, with the filter pane open or not.
pub(crate) fn list_areas(area: Rect, facets_open: bool) -> ListAreas {
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
        preview: None,
        status,
    }
}

/// The list's areas with the preview beside the rows, when the list is
/// 140 columns or wider.
pub(crate) fn with_preview(mut a: ListAreas) -> ListAreas {
    let w = a.rows.width.max(a.header.width);
    if w < preview::MIN_WIDTH {
        return a;
    }
    let list = preview::list_share(w);
    let top = a.header.y;
    let h = a.header.height + a.rows.height;
    a.preview = Some(Rect::new(a.header.x + list, top, w - list, h));
    a.header.width = list;
    a.rows.width = list;
    a
}

/// A document screen's areas in `area`: `top` lines above (triage's bar),
/// a header of `head` lines, a rule, the body, `below` lines under it.
pub(crate) fn doc_areas(area: Rect, top: u16, head: u16, below: u16) -> DocAreas {
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

/// The row offset that keeps the selection visible in `h` rows.
pub(crate) fn list_offset(app: &App, h: usize) -> usize {
    let len = app.index.shown().len();
    let h = h.max(1);
    let mut off = app.offset.min(len.saturating_sub(h));
    if app.row < off {
        off = app.row;
    } else if app.row >= off + h {
        off = app.row + 1 - h;
    }
    off
}

/// Width the document body is wrapped to (one column of margin each side).
pub(crate) fn body_width(area: Rect) -> u16 {
    area.width.saturating_sub(2).max(1)
}
