//! The board (`b`, Backlog.md's board): the documents the list shows as
//! cards (ID, priority, title) in a column per status of one family's
//! workflow, each column headed by its status and count and scrolled on
//! its own. `h`/`l` move between columns, `j`/`k` within one, `<`/`>` move
//! the card to the previous/next status (a status change as `s` makes it),
//! `tab` shows the next family, `space` marks the card (`●`, as on list
//! rows; `s` and `w` then act on every marked document). A terminal too narrow for every column
//! shows fewer, scrolled to keep the focused one in view.

pub mod state;
pub mod update;

use super::super::app::App;
use super::super::cells::{clean, fit};
use super::super::layout::split_status;
use super::super::theme::Theme;
use crate::document::Meta;
use crate::workflow::Workflows;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::Frame;
use state::{families, find, Board, Column};

/// Columns narrower than this are not drawn side by side.
const MIN_COL: u16 = 22;
/// Lines a card takes: ID and priority, title, a blank line.
const CARD_H: u16 = 3;
/// Lines above the cards of a column: its status and count, a rule.
const HEAD_H: u16 = 2;

/// The board's areas, built once per frame with the rest of the layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BoardAreas {
    /// Active filters and search (the list's line).
    pub filter: Rect,
    /// The families shown, the current one marked.
    pub tabs: Rect,
    /// The columns.
    pub columns: Rect,
    pub(crate) status: Rect,
    /// The first column drawn and how many fit.
    pub first: usize,
    pub(crate) visible: usize,
    /// How many columns the family has.
    pub count: usize,
    /// Cards drawn per column.
    pub cards: usize,
}

/// The board's areas in `area` for `app`'s board.
pub(crate) fn areas(app: &App, area: Rect) -> BoardAreas {
    let (main, status) = split_status(area);
    let line = |y: u16| Rect::new(main.x, y.min(main.bottom()), main.width, u16::from(y < main.bottom()));
    let filter = line(main.y);
    let tabs = line(main.y + 1);
    let top = main.y + filter.height + tabs.height;
    let columns = Rect::new(main.x, top, main.width, main.bottom().saturating_sub(top));
    let Some(b) = &app.board else {
        return BoardAreas::default();
    };
    let count = update::board_columns(app, b).len();
    let visible = usize::from(columns.width / MIN_COL).clamp(1, count.max(1));
    let first = if b.col < visible { 0 } else { b.col + 1 - visible };
    let cards = usize::from(columns.height.saturating_sub(HEAD_H) / CARD_H).max(1);
    BoardAreas {
        filter,
        tabs,
        columns,
        status,
        first: first.min(count.saturating_sub(visible)),
        visible,
        count,
        cards,
    }
}

/// The column at screen column `x` and the card at line `y` of the board
/// drawn with areas `a` (as [`draw`] places them): (column, list row of the
/// card, if one is there).
pub(crate) fn hit(b: &Board, cols: &[Column], a: &BoardAreas, x: u16, y: u16) -> Option<(usize, Option<usize>)> {
    let r = a.columns;
    if !r.contains((x, y).into()) || a.visible == 0 {
        return None;
    }
    let w = (r.width / a.visible as u16).max(1);
    let slot = usize::from((x - r.x) / w).min(a.visible - 1);
    let k = a.first + slot;
    let c = cols.get(k)?;
    let line = y - r.y;
    if line < HEAD_H {
        return Some((k, None));
    }
    let off = b.offset(k).min(c.cards.len().saturating_sub(a.cards));
    let at = off + usize::from((line - HEAD_H) / CARD_H);
    // The blank line under a card is still that card's.
    Some((k, c.cards.get(at).copied()))
}

/// What the board draws from, and nothing else of the app.
pub struct BoardView<'a> {
    pub(crate) theme: &'a Theme,
    pub(crate) workflows: &'a Workflows,
    pub(crate) board: &'a Board,
    /// The list's rows (item numbers) and every loaded document.
    pub shown: &'a [u32],
    pub(crate) items: &'a [Meta],
    /// The list's selected row: the selected card.
    pub row: usize,
    /// The marked documents (a `●` before the card's ID, as on list rows).
    pub(crate) marks: &'a crate::tui::marks::Marks,
}

impl<'a> BoardView<'a> {
    /// The board's view of `app`, when the board is open.
    pub fn of(app: &'a App) -> Option<BoardView<'a>> {
        Some(BoardView {
            theme: &app.theme,
            workflows: &app.workflows,
            board: app.board.as_ref()?,
            shown: app.index.shown(),
            items: &app.repo.items,
            row: app.row,
            marks: &app.marks,
        })
    }
}

/// Draw the family tabs and the columns into `a` (the filter line and the
/// status bar are the root's).
pub fn draw(v: &BoardView<'_>, f: &mut Frame, a: &BoardAreas) {
    let th = v.theme;
    let b = v.board;
    let cols = state::columns(b.kind, v.workflows.get(b.kind), v.shown, v.items);
    if a.tabs.height > 0 {
        let mut spans = Vec::new();
        let fams = families(v.shown, v.items);
        if fams.is_empty() {
            spans.push(Span::styled(format!("{} · nothing shown", b.kind), th.dim()));
        }
        for (n, (k, count)) in fams.iter().enumerate() {
            if n > 0 {
                spans.push(Span::styled(" · ", th.dim()));
            }
            let style = if *k == b.kind {
                th.family(*k).add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
            } else {
                th.dim()
            };
            spans.push(Span::styled(format!("{k} {count}"), style));
        }
        if a.visible < a.count {
            spans.push(Span::styled(
                format!(
                    "   columns {}-{} of {}{}{}",
                    a.first + 1,
                    a.first + a.visible,
                    a.count,
                    if a.first > 0 { " ◂" } else { "" },
                    if a.first + a.visible < a.count { " ▸" } else { "" },
                ),
                th.dim(),
            ));
        }
        let l = Line::from(fit(spans, usize::from(a.tabs.width), false));
        f.buffer_mut().set_line(a.tabs.x, a.tabs.y, &l, a.tabs.width);
    }
    let r = a.columns;
    if r.width == 0 || r.height == 0 || cols.is_empty() {
        return;
    }
    let selected = find(&cols, v.row).filter(|_| {
        v.shown
            .get(v.row)
            .and_then(|&i| v.items.get(i as usize))
            .is_some_and(|m| m.kind == b.kind)
    });
    let n = a.visible.max(1) as u16;
    let w = r.width / n;
    for (k, c) in cols.iter().enumerate().skip(a.first).take(a.visible) {
        let slot = (k - a.first) as u16;
        let x = r.x + slot * w;
        // The last column drawn takes what the division left.
        let width = if slot + 1 == n { r.right() - x } else { w };
        let focused = k == b.col;
        let card = selected.filter(|(sc, _)| *sc == k).map(|(_, at)| at);
        let last = slot + 1 == n || k + 1 == cols.len();
        draw_column(v, f, Rect::new(x, r.y, width, r.height), c, k, focused, card, last);
    }
}

/// Draw column `c` (number `k`) in `r`: its head, then its cards from the
/// board's offset for it; `card` is the selected one's place, if here.
#[allow(clippy::too_many_arguments)]
fn draw_column(
    v: &BoardView<'_>,
    f: &mut Frame,
    r: Rect,
    c: &Column,
    k: usize,
    focused: bool,
    card: Option<usize>,
    last: bool,
) {
    let th = v.theme;
    // A separator on the right of every column but the last drawn.
    let inner_w = if !last {
        for y in r.y..r.bottom() {
            f.buffer_mut().set_line(
                r.right() - 1,
                y,
                &Line::from(Span::styled("│", th.fg(th.palette.rule))),
                1,
            );
        }
        r.width.saturating_sub(1)
    } else {
        r.width
    };
    let x = r.x + 1;
    let w = inner_w.saturating_sub(2);
    let status_style = if c.other {
        th.dim()
    } else {
        th.status_in(v.workflows, Some(v.board.kind), Some(c.status.as_str()))
    };
    let mut head_style = status_style.add_modifier(Modifier::BOLD);
    if focused {
        head_style = head_style.add_modifier(Modifier::UNDERLINED);
    }
    let head = Line::from(fit(
        vec![
            Span::styled(clean(&c.status).into_owned(), head_style),
            Span::styled(format!(" {}", c.cards.len()), th.dim()),
        ],
        usize::from(w),
        false,
    ));
    f.buffer_mut().set_line(x, r.y, &head, w);
    if r.height > 1 {
        let rule_style = if focused {
            th.fg(th.palette.accent)
        } else {
            th.fg(th.palette.rule)
        };
        let rule = Line::from(Span::styled("─".repeat(usize::from(w)), rule_style));
        f.buffer_mut().set_line(x, r.y + 1, &rule, w);
    }
    let cap = usize::from(r.height.saturating_sub(HEAD_H) / CARD_H).max(1);
    let len = c.cards.len();
    let mut off = v.board.offset(k).min(len.saturating_sub(cap));
    if let Some(at) = card {
        // The selected card always shows.
        if at < off {
            off = at;
        } else if at >= off + cap {
            off = at + 1 - cap;
        }
    }
    let mut y = r.y + HEAD_H;
    for (at, &row) in c.cards.iter().enumerate().skip(off).take(cap) {
        if y >= r.bottom() {
            break;
        }
        let Some(m) = v.shown.get(row).and_then(|&i| v.items.get(i as usize)) else {
            continue;
        };
        let lines = card_lines(v, m, usize::from(w));
        let h = (lines.len() as u16).min(r.bottom().saturating_sub(y));
        if card == Some(at) {
            f.buffer_mut().set_style(Rect::new(r.x, y, inner_w, h), th.selection());
        }
        for (i, l) in lines.iter().take(usize::from(h)).enumerate() {
            f.buffer_mut().set_line(x, y + i as u16, l, w);
        }
        y += CARD_H;
    }
    // What is above and below the cards drawn.
    let more_below = len.saturating_sub(off + cap);
    if more_below > 0 && r.height > HEAD_H {
        let l = Line::from(Span::styled(format!("↓ {more_below} more"), th.dim()));
        f.buffer_mut().set_line(x, r.bottom() - 1, &l, w);
    }
    if off > 0 && r.height > 1 {
        // At the right end of the rule, which stays a rule.
        let text = format!(" ↑ {off} more ");
        let n = (text.chars().count() as u16).min(w);
        let l = Line::from(Span::styled(text, th.dim()));
        f.buffer_mut().set_line(x + w - n, r.y + 1, &l, n);
    }
}

/// A card's lines: the ID and the priority, then the title.
fn card_lines(v: &BoardView<'_>, m: &Meta, w: usize) -> Vec<Line<'static>> {
    let th = v.theme;
    let pri = m
        .priority
        .map(str::to_uppercase)
        .or_else(|| m.priority_raw.as_deref().map(|r| clean(r).into_owned()))
        .unwrap_or_else(|| "-".into());
    let mut first = vec![
        Span::styled(clean(&m.id).into_owned(), th.base().add_modifier(Modifier::BOLD)),
        Span::raw(" "),
        Span::styled(pri, th.priority(m.priority)),
    ];
    if v.marks.contains(&m.path) {
        first.insert(
            0,
            Span::styled("● ", th.fg(th.palette.accent).add_modifier(Modifier::BOLD)),
        );
    }
    let title = vec![Span::styled(clean(&m.title).into_owned(), th.fg(th.palette.title))];
    vec![Line::from(fit(first, w, true)), Line::from(fit(title, w, true))]
}
