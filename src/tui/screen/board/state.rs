//! The board's state and its columns. A board shows one family at a time
//! (`tab` goes to the next family among the documents shown): a column per
//! status of that family's workflow, in the workflow's order, and a last
//! `other` column for documents whose status the workflow does not know
//! (only when there are some). The cards are the documents the list shows
//! (its search, filters and sort apply), so the board's selected card is
//! the list's selected row: every action on "the selected document" works
//! on it unchanged.

use crate::document::{Kind, Meta};
use crate::workflow::Workflow;

/// The board's own state (the selection is the list's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Board {
    /// The family shown.
    pub(crate) kind: Kind,
    /// The focused column (kept when the selection is not a card of it).
    pub(crate) col: usize,
    /// The first card drawn, per column.
    pub(crate) offsets: Vec<usize>,
}

impl Board {
    /// A board of family `kind`, focused on column `col`.
    pub fn new(kind: Kind, col: usize) -> Board {
        Board {
            kind,
            col,
            offsets: Vec::new(),
        }
    }

    /// The family shown.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// The focused column.
    pub fn column(&self) -> usize {
        self.col
    }

    /// The first card drawn in column `col`.
    pub(crate) fn offset(&self, col: usize) -> usize {
        self.offsets.get(col).copied().unwrap_or(0)
    }

    /// Keep card `row` of column `col` among the `cap` cards drawn.
    pub(crate) fn keep_visible(&mut self, col: usize, row: usize, cap: usize) {
        if self.offsets.len() <= col {
            self.offsets.resize(col + 1, 0);
        }
        let cap = cap.max(1);
        let off = &mut self.offsets[col];
        if row < *off {
            *off = row;
        } else if row >= *off + cap {
            *off = row + 1 - cap;
        }
    }
}

/// One column of the board.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The status (`other` for the column of statuses the workflow does
    /// not know).
    pub status: String,
    /// True for the `other` column: no card moves into or out of it.
    pub other: bool,
    /// Positions in the list (rows of `Index::shown`) of its cards, in the
    /// list's order.
    pub cards: Vec<usize>,
}

/// The columns of family `kind` with workflow `wf`, from the list's rows
/// `shown` (item numbers into `items`).
pub fn columns(kind: Kind, wf: &Workflow, shown: &[u32], items: &[Meta]) -> Vec<Column> {
    let mut cols: Vec<Column> = wf
        .statuses
        .iter()
        .map(|s| Column {
            status: s.clone(),
            other: false,
            cards: Vec::new(),
        })
        .collect();
    let mut other = Vec::new();
    for (row, &i) in shown.iter().enumerate() {
        let Some(m) = items.get(i as usize) else { continue };
        if m.kind != kind {
            continue;
        }
        match m.status.and_then(|s| cols.iter().position(|c| c.status == s)) {
            Some(c) => cols[c].cards.push(row),
            None => other.push(row),
        }
    }
    if !other.is_empty() {
        cols.push(Column {
            status: "other".into(),
            other: true,
            cards: other,
        });
    }
    cols
}

/// The families among the list's rows, in the usual order, with how many
/// rows each has.
pub fn families(shown: &[u32], items: &[Meta]) -> Vec<(Kind, usize)> {
    Kind::ALL
        .iter()
        .map(|&k| {
            let n = shown
                .iter()
                .filter(|&&i| items.get(i as usize).is_some_and(|m| m.kind == k))
                .count();
            (k, n)
        })
        .filter(|(_, n)| *n > 0)
        .collect()
}

/// Where list row `row` is on the board: (column, position in it).
pub fn find(cols: &[Column], row: usize) -> Option<(usize, usize)> {
    cols.iter()
        .enumerate()
        .find_map(|(c, col)| col.cards.iter().position(|&r| r == row).map(|p| (c, p)))
}
