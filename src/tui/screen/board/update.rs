//! The board's keys. [`update`] reads a key against a read-only
//! [`BoardContext`] (the columns, the focused card, a page of cards) and
//! answers a [`BoardOutcome`]; the root carries it out (`board_action`
//! here): selecting a card selects its row of the list, and moving a card
//! is the status change `s` makes (same menu choice, same write through
//! the runtime: committed, undoable), so a move that needs a reason asks
//! for it.

use super::state::{columns, families, find, Board, Column};
use crate::document::Kind;
use crate::tui::app::*;
use crate::tui::keymap::Action;
use crate::tui::msg::Effect;
use crate::tui::update::*;

/// What the board's keys read, and nothing else of the app.
#[derive(Debug, Clone, Copy)]
pub struct BoardContext<'a> {
    /// The family shown.
    pub kind: Kind,
    /// The families the list shows, in order.
    pub kinds: &'a [Kind],
    pub(crate) columns: &'a [Column],
    /// The focused column.
    pub col: usize,
    /// The selected card's place in the focused column, if it is one.
    pub card: Option<usize>,
    /// Cards in a page of a column.
    pub page: usize,
    /// The first card drawn, per column (missing: 0).
    pub offsets: &'a [usize],
}

/// What a key on the board asks of the root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BoardOutcome {
    /// Nothing to do.
    Stay,
    /// Focus column `col` and select list row `row` (none: the column is
    /// empty).
    Focus {
        /// The column, counting from 0 at the left.
        col: usize,
        /// The list row of the card to select, `None` when the column is empty.
        row: Option<usize>,
    },
    /// Move the card on list row `row` to status `to` (the next or
    /// previous column).
    Move {
        /// The list row of the card.
        row: usize,
        /// The status of the column it moves to.
        to: String,
    },
    /// Show this family.
    Family(Kind),
    /// Open the selected card.
    Open,
    /// Back to the list.
    Close,
    /// Open the search box (the list's: it narrows the cards too).
    Search,
    /// Tell the user something.
    Info(String),
    /// An action that means the same on every screen.
    Other(Action),
}

/// Read `action` on the board.
pub fn update(action: Action, ctx: &BoardContext<'_>) -> BoardOutcome {
    let n = ctx.columns.len();
    let focus = |col: usize, at: usize| {
        let cards = ctx.columns.get(col).map(|c| c.cards.as_slice()).unwrap_or(&[]);
        let row = cards.get(at.min(cards.len().saturating_sub(1))).copied();
        BoardOutcome::Focus { col, row }
    };
    if let Some(d) = step(action, ctx.page) {
        let Some(col) = ctx.columns.get(ctx.col) else {
            return BoardOutcome::Stay;
        };
        if col.cards.is_empty() {
            return BoardOutcome::Stay;
        }
        let at = match ctx.card {
            Some(at) => (at as isize).saturating_add(d).clamp(0, col.cards.len() as isize - 1) as usize,
            None => 0,
        };
        return focus(ctx.col, at);
    }
    match action {
        Action::ColumnLeft | Action::ColumnRight if n == 0 => BoardOutcome::Stay,
        // The card on the same line of the next column, as drawn.
        Action::ColumnLeft | Action::ColumnRight => {
            let to = if action == Action::ColumnLeft {
                ctx.col.saturating_sub(1)
            } else {
                (ctx.col + 1).min(n - 1)
            };
            let off = |c: usize| ctx.offsets.get(c).copied().unwrap_or(0);
            let line = ctx.card.map_or(0, |at| at.saturating_sub(off(ctx.col)));
            focus(to, off(to) + line)
        }
        Action::CardBack | Action::CardForward => {
            let (Some(col), Some(at)) = (ctx.columns.get(ctx.col), ctx.card) else {
                return BoardOutcome::Info("no card selected".into());
            };
            if col.other {
                return BoardOutcome::Info("its status is not one of the workflow's: s lists the moves".into());
            }
            let to = if action == Action::CardForward {
                ctx.columns.get(ctx.col + 1)
            } else {
                ctx.col.checked_sub(1).and_then(|c| ctx.columns.get(c))
            };
            match to.filter(|c| !c.other) {
                Some(to) => BoardOutcome::Move {
                    row: col.cards[at],
                    to: to.status.clone(),
                },
                None => BoardOutcome::Info(format!(
                    "{} is the {} column",
                    col.status,
                    if action == Action::CardForward { "last" } else { "first" }
                )),
            }
        }
        Action::NextFamily => {
            let next = ctx.kinds.iter().position(|&k| k == ctx.kind).map_or(0, |p| p + 1);
            match ctx.kinds.get(next % ctx.kinds.len().max(1)) {
                Some(&k) if k != ctx.kind => BoardOutcome::Family(k),
                _ => BoardOutcome::Info(format!("only {} documents are shown", ctx.kind)),
            }
        }
        Action::OpenCard if ctx.card.is_some() => BoardOutcome::Open,
        Action::OpenCard => BoardOutcome::Info("no card selected".into()),
        Action::CloseBoard => BoardOutcome::Close,
        Action::SearchCards => BoardOutcome::Search,
        other => BoardOutcome::Other(other),
    }
}

/// The columns of the board `b` over what the list shows.
pub(crate) fn board_columns(app: &App, b: &Board) -> Vec<Column> {
    columns(b.kind, app.workflows.get(b.kind), app.index.shown(), &app.repo.items)
}

/// Open the board on the family of the selected document (else the first
/// family shown), focused on its card.
pub(crate) fn open_board(app: &mut App) {
    let kinds = families(app.index.shown(), &app.repo.items);
    let kind = app
        .selected()
        .map(|m| m.kind)
        .or_else(|| kinds.first().map(|(k, _)| *k))
        .unwrap_or(Kind::Todo);
    app.board = Some(Board::new(kind, 0));
    app.screen = Screen::Board;
    follow_selection(app);
}

/// Focus the selected card's column and keep it on screen (after a move,
/// a reload, a search or another family).
pub(crate) fn follow_selection(app: &mut App) {
    let Some(mut b) = app.board.clone() else { return };
    // A search or filter that leaves none of the family shows another
    // (the selected document's, else the first shown).
    let kinds = families(app.index.shown(), &app.repo.items);
    if !kinds.is_empty() && !kinds.iter().any(|(k, _)| *k == b.kind) {
        let mine = app
            .selected()
            .map(|m| m.kind)
            .filter(|k| kinds.iter().any(|(x, _)| x == k));
        b = Board::new(mine.unwrap_or(kinds[0].0), 0);
        app.board = Some(b.clone());
    }
    let cols = board_columns(app, &b);
    let selected = app.selected().filter(|m| m.kind == b.kind).is_some();
    let place = if selected { find(&cols, app.row) } else { None };
    let cap = app.layout().board.cards;
    if let Some(b) = &mut app.board {
        match place {
            Some((c, at)) => {
                b.col = c;
                b.keep_visible(c, at, cap);
            }
            None => b.col = b.col.min(cols.len().saturating_sub(1)),
        }
    }
}

/// A key on the board: the board reads it, the root's state changes here.
pub(crate) fn board_action(app: &mut App, action: Action) -> Vec<Effect> {
    let Some(b) = app.board.clone() else {
        app.screen = Screen::List;
        return Vec::new();
    };
    let cols = board_columns(app, &b);
    let kinds: Vec<Kind> = families(app.index.shown(), &app.repo.items)
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    let card = find(&cols, app.row)
        .filter(|(c, _)| *c == b.col && app.selected().is_some_and(|m| m.kind == b.kind))
        .map(|(_, at)| at);
    let ctx = BoardContext {
        kind: b.kind,
        kinds: &kinds,
        columns: &cols,
        col: b.col,
        card,
        page: app.layout().board.cards,
        offsets: &b.offsets,
    };
    match update(action, &ctx) {
        BoardOutcome::Stay => {}
        BoardOutcome::Focus { col, row } => {
            if let Some(r) = row {
                app.select_row(r);
            }
            let at = row.and_then(|r| cols.get(col).and_then(|c| c.cards.iter().position(|&x| x == r)));
            let cap = app.layout().board.cards;
            if let Some(b) = &mut app.board {
                b.col = col;
                if let Some(at) = at {
                    b.keep_visible(col, at, cap);
                }
            }
        }
        BoardOutcome::Move { row, to } => {
            app.select_row(row);
            return with_target(app, |app, t| move_card(app, t, &to));
        }
        BoardOutcome::Family(k) => {
            app.board = Some(Board::new(k, 0));
            // The family's first card in the list's order.
            let first = app
                .index
                .shown()
                .iter()
                .position(|&i| app.repo.items.get(i as usize).is_some_and(|m| m.kind == k));
            if let Some(r) = first {
                app.select_row(r);
            }
            follow_selection(app);
        }
        BoardOutcome::Open => return open_selected(app),
        BoardOutcome::Close => {
            app.board = None;
            app.screen = Screen::List;
            app.ensure_visible();
        }
        BoardOutcome::Search => {
            let q = app.index.query().to_string();
            app.search = Some(Search::new(&q));
        }
        BoardOutcome::Info(m) => app.info(m),
        // The document actions need a card: an empty column has none
        // (the list's row stays selected, out of sight).
        // With marks, `s` and `w` act on the marked documents, card or not.
        BoardOutcome::Other(a @ (Action::Status | Action::Log)) if crate::tui::screen::list::marks::batching(app) => {
            return common(app, a).unwrap_or_default()
        }
        BoardOutcome::Other(
            Action::Status | Action::Log | Action::Edit | Action::CopyId | Action::CopyPath | Action::Mark,
        ) if card.is_none() => app.info("no card selected"),
        // The card's document, marked as its list row is: `s` and `w` then
        // act on every marked document, here as in the list.
        BoardOutcome::Other(Action::Mark) => crate::tui::screen::list::marks::toggle_mark(app),
        BoardOutcome::Other(a) => return common(app, a).unwrap_or_default(),
    }
    Vec::new()
}

/// Move the card `t` to status `to`: the status menu's choice of that move
/// (a reason asked for when the move needs one), or why the workflow has
/// no such move.
fn move_card(app: &mut App, t: Target, to: &str) -> Vec<Effect> {
    let wf = app.workflows.get(t.kind);
    let found = wf.find(&t.status, to).cloned();
    let moves: Vec<String> = wf.allowed_from(&t.status).iter().map(|m| m.to.clone()).collect();
    let Some(tr) = found else {
        let list = if moves.is_empty() {
            "none".to_string()
        } else {
            moves.join(", ")
        };
        app.info(format!(
            "{}: the {} workflow has no move from {} to {to} (its moves: {list})",
            t.id,
            t.kind,
            if t.status.is_empty() { "no status" } else { &t.status },
        ));
        return Vec::new();
    };
    let moves = vec![(tr.to.clone(), tr.name.clone(), tr.needs_reason)];
    let m = Menu {
        title: format!("{}: {} → {to}", t.id, t.status),
        items: vec![format!("→ {to}")],
        cursor: 0,
        purpose: MenuPurpose::Status { target: t, moves },
    };
    menu_choose(app, m)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(status: &str, cards: &[usize]) -> Column {
        Column {
            status: status.into(),
            other: status == "other",
            cards: cards.to_vec(),
        }
    }

    fn ctx<'a>(cols: &'a [Column], kinds: &'a [Kind], c: usize, card: Option<usize>) -> BoardContext<'a> {
        BoardContext {
            kind: Kind::Todo,
            kinds,
            columns: cols,
            col: c,
            card,
            page: 5,
            offsets: &[],
        }
    }

    #[test]
    fn keys_move_between_and_within_columns() {
        let cols = [col("pending", &[0, 3, 4]), col("ready", &[1]), col("complete", &[])];
        let kinds = [Kind::Todo];
        let focus = |col, row| BoardOutcome::Focus { col, row };
        let c = ctx(&cols, &kinds, 0, Some(0));
        assert_eq!(update(Action::Down, &c), focus(0, Some(3)));
        assert_eq!(update(Action::Bottom, &c), focus(0, Some(4)));
        assert_eq!(update(Action::Up, &c), focus(0, Some(0)));
        // Right keeps the place in the column as far as the cards go.
        let c = ctx(&cols, &kinds, 0, Some(2));
        assert_eq!(update(Action::ColumnRight, &c), focus(1, Some(1)));
        // An empty column takes the focus with no card.
        let c = ctx(&cols, &kinds, 1, Some(0));
        assert_eq!(update(Action::ColumnRight, &c), focus(2, None));
        assert_eq!(update(Action::ColumnLeft, &c), focus(0, Some(0)));
        // The last column stays the last.
        let c = ctx(&cols, &kinds, 2, None);
        assert_eq!(update(Action::ColumnRight, &c), focus(2, None));
        assert_eq!(update(Action::Down, &c), BoardOutcome::Stay);
        assert_eq!(update(Action::CloseBoard, &c), BoardOutcome::Close);
        assert_eq!(update(Action::Quit, &c), BoardOutcome::Other(Action::Quit));
    }

    #[test]
    fn a_card_moves_to_the_next_or_previous_status() {
        let cols = [
            col("pending", &[0]),
            col("ready", &[1, 2]),
            col("complete", &[]),
            col("other", &[5]),
        ];
        let kinds = [Kind::Todo, Kind::Adr];
        let c = ctx(&cols, &kinds, 1, Some(1));
        assert_eq!(
            update(Action::CardForward, &c),
            BoardOutcome::Move {
                row: 2,
                to: "complete".into()
            }
        );
        assert_eq!(
            update(Action::CardBack, &c),
            BoardOutcome::Move {
                row: 2,
                to: "pending".into()
            }
        );
        // Nowhere to go: said, nothing moves.
        let c = ctx(&cols, &kinds, 0, Some(0));
        assert!(matches!(update(Action::CardBack, &c), BoardOutcome::Info(m) if m.contains("first")));
        // Never into or out of `other`.
        let c = ctx(&cols, &kinds, 3, Some(0));
        assert!(matches!(update(Action::CardBack, &c), BoardOutcome::Info(_)));
        let c = ctx(&cols, &kinds, 2, None);
        assert!(matches!(update(Action::CardForward, &c), BoardOutcome::Info(m) if m.contains("no card")));
        // Tab goes to the next family shown, round.
        let c = ctx(&cols, &kinds, 0, Some(0));
        assert_eq!(update(Action::NextFamily, &c), BoardOutcome::Family(Kind::Adr));
        let one = [Kind::Todo];
        let c = ctx(&cols, &one, 0, Some(0));
        assert!(matches!(update(Action::NextFamily, &c), BoardOutcome::Info(_)));
    }
}
