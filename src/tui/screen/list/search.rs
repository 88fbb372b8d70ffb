//! The search box: its own state (the line being typed, the query from
//! before) and keys. [`Search::update`] edits the line and says what the
//! key asks of the list as a [`SearchOutcome`], which the root carries out
//! (run the query, move the selection, close the box).

use crate::search::LineHit;
use crate::tui::cells::{clean, fit, width};
use crate::tui::input::{Edited, LineEdit};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Style;
use ratatui::text::Span;

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
    /// Quit the terminal UI (Ctrl-C in the box).
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

/// The title cell of a row shown for its text rather than its title: the
/// title, cut to about a third of `w` columns, then the matching line from a
/// little before its first match, the matches in `hl` and the rest in
/// `dim`; all of it made inert.
pub(crate) fn title_with_line(
    title: &str,
    line: &LineHit,
    w: usize,
    base: Style,
    dim: Style,
    hl: Style,
) -> Vec<Span<'static>> {
    const SEP: &str = " · ";
    let title = clean(title).into_owned();
    let title_w = width(&title).min((w / 4).max(8));
    let mut out = fit(vec![Span::styled(title, base)], title_w, false);
    out.push(Span::styled(SEP, dim));
    let text = line.text.as_str();
    let lead = text.len() - text.trim_start().len();
    let first = line.matches.first().map_or(lead, |m| m.start.max(lead));
    // Up to a sixth of the room shows what comes before the match, from
    // the start of a word.
    let context = w.saturating_sub(title_w + SEP.len()) / 6;
    let mut start = text[lead..first]
        .char_indices()
        .rev()
        .nth(context.saturating_sub(1))
        .map_or(lead, |(i, _)| lead + i);
    if start > lead {
        if let Some(sp) = text[start..first].find(' ') {
            start += sp + 1;
        } else {
            start = first;
        }
    }
    if start > lead {
        out.push(Span::styled("…", dim));
    }
    let mut at = start;
    for m in line.matches.iter().filter(|m| m.start >= start && m.end <= text.len()) {
        if m.start > at {
            out.push(Span::styled(clean(&text[at..m.start]).into_owned(), dim));
        }
        out.push(Span::styled(clean(&text[m.start..m.end]).into_owned(), hl));
        at = m.end;
    }
    if at < text.len() {
        out.push(Span::styled(clean(&text[at..]).into_owned(), dim));
    }
    out
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

    #[test]
    fn a_text_match_shows_its_line_around_the_match() {
        let q = crate::search::Query::new("prisma", crate::search::Case::Smart).unwrap();
        let text = "intro\n    We chose a long preamble before we say Prisma \x1b[31m here\n";
        let hit = crate::search::match_text(text, &q).unwrap();
        let spans = title_with_line(
            "Race in assignment",
            &hit.line,
            45,
            Style::default(),
            Style::default(),
            Style::new().bold(),
        );
        let all: String = spans.iter().map(|s| s.content.as_ref()).collect();
        assert!(all.starts_with("Race in as… · …say Prisma"), "{all}");
        assert!(all.contains("Prisma"), "{all}");
        assert!(!all.contains('\x1b'), "inert: {all}");
        let bold: Vec<&str> = spans
            .iter()
            .filter(|s| s.style == Style::new().bold())
            .map(|s| s.content.as_ref())
            .collect();
        assert_eq!(bold, ["Prisma"]);
        // A match at the start: no cut mark before it.
        let hit = crate::search::match_text("Prisma first\n", &q).unwrap();
        let all: String = title_with_line("T", &hit.line, 40, Style::default(), Style::default(), Style::default())
            .iter()
            .map(|s| s.content.as_ref())
            .collect();
        assert_eq!(all, "T · Prisma first");
    }
}
