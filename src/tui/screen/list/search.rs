//! The search box: its own state (the line being typed, the query from
//! before) and keys. [`Search::update`] edits the line and says what the
//! key asks of the list as a [`SearchOutcome`], which the root carries out
//! (run the query, move the selection, close the box).

use crate::tui::input::{Edited, LineEdit};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The search box while it has focus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search {
    pub(crate) edit: LineEdit,
    /// The query before searching began (Esc restores it).
    pub(crate) before: String,
}

/// What a key in the search box asks of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchOutcome {
    /// Nothing beyond the box (the cursor moved, nothing changed).
    None,
    /// The text changed: search for it.
    Query(String),
    /// Keep the query and leave the box (Enter).
    Close,
    /// Take the query back to what it was and leave the box (Esc).
    Cancel(String),
    /// Move the selection by rows.
    Move(isize),
    /// Move the selection by pages (-1 up, 1 down).
    Page(isize),
    Quit,
}

impl Search {
    /// A box starting from the query `q`.
    pub(crate) fn new(q: &str) -> Search {
        Search {
            edit: LineEdit::new(q),
            before: q.to_string(),
        }
    }

    /// Apply key `k` to the box.
    pub fn update(&mut self, k: &KeyEvent) -> SearchOutcome {
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        match k.code {
            KeyCode::Enter => SearchOutcome::Close,
            KeyCode::Esc => SearchOutcome::Cancel(self.before.clone()),
            KeyCode::Up => SearchOutcome::Move(-1),
            KeyCode::Down => SearchOutcome::Move(1),
            KeyCode::Char('p') if ctrl => SearchOutcome::Move(-1),
            KeyCode::Char('n') if ctrl => SearchOutcome::Move(1),
            KeyCode::PageUp => SearchOutcome::Page(-1),
            KeyCode::PageDown => SearchOutcome::Page(1),
            KeyCode::Char('c') if ctrl => SearchOutcome::Quit,
            _ => match self.edit.handle(k) {
                Edited::Changed => SearchOutcome::Query(self.edit.text().to_string()),
                _ => SearchOutcome::None,
            },
        }
    }

    /// Insert pasted text; the query to run.
    pub(crate) fn paste(&mut self, s: &str) -> String {
        self.edit.insert(s);
        self.edit.text().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn the_box_edits_its_line_and_asks_the_list_for_the_rest() {
        let mut s = Search::new("ra");
        assert_eq!(s.update(&key(KeyCode::Char('c'))), SearchOutcome::Query("rac".into()));
        assert_eq!(s.update(&key(KeyCode::Down)), SearchOutcome::Move(1));
        assert_eq!(s.update(&key(KeyCode::PageUp)), SearchOutcome::Page(-1));
        assert_eq!(s.update(&key(KeyCode::Esc)), SearchOutcome::Cancel("ra".into()));
        assert_eq!(s.update(&key(KeyCode::Enter)), SearchOutcome::Close);
        assert_eq!(s.paste("e"), "race");
    }
}
