//! A one-line text editor for the search box and input dialogs: cursor
//! movement (left/right, home/end, ctrl-a/ctrl-e, ctrl-left/right by word),
//! deletion (backspace/delete, ctrl-w word, ctrl-u/ctrl-k to start/end) and
//! pastes. Control characters never enter the text.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use unicode_width::UnicodeWidthChar;

/// The text and a cursor (a byte offset on a character boundary).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineEdit {
    text: String,
    cursor: usize,
}

/// What a key did to the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Edited {
    /// The text changed.
    Changed,
    /// Only the cursor moved.
    Moved,
    /// Not an editing key.
    Ignored,
}

impl LineEdit {
    pub(crate) fn new(text: &str) -> LineEdit {
        let mut e = LineEdit::default();
        e.insert(text);
        e
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    #[cfg(test)]
    pub(crate) fn cursor(&self) -> usize {
        self.cursor
    }

    /// Insert text at the cursor; line breaks and tabs become spaces, other
    /// control characters are dropped.
    pub(crate) fn insert(&mut self, s: &str) {
        let clean: String = s
            .chars()
            .filter_map(|c| match c {
                '\n' | '\r' | '\t' => Some(' '),
                c if c.is_control() => None,
                c => Some(c),
            })
            .collect();
        self.text.insert_str(self.cursor, &clean);
        self.cursor += clean.len();
    }

    fn prev(&self, i: usize) -> usize {
        self.text[..i].char_indices().next_back().map(|(j, _)| j).unwrap_or(0)
    }

    fn next(&self, i: usize) -> usize {
        self.text[i..].chars().next().map(|c| i + c.len_utf8()).unwrap_or(i)
    }

    fn word_start(&self, mut i: usize) -> usize {
        while i > 0 && self.text[..i].ends_with(char::is_whitespace) {
            i = self.prev(i);
        }
        while i > 0 && !self.text[..i].ends_with(char::is_whitespace) {
            i = self.prev(i);
        }
        i
    }

    fn word_end(&self, mut i: usize) -> usize {
        while i < self.text.len() && self.text[i..].starts_with(char::is_whitespace) {
            i = self.next(i);
        }
        while i < self.text.len() && !self.text[i..].starts_with(char::is_whitespace) {
            i = self.next(i);
        }
        i
    }

    /// Apply an editing key.
    pub(crate) fn handle(&mut self, key: &KeyEvent) -> Edited {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        let before = (self.text.len(), self.cursor);
        match key.code {
            KeyCode::Left if ctrl || alt => self.cursor = self.word_start(self.cursor),
            KeyCode::Right if ctrl || alt => self.cursor = self.word_end(self.cursor),
            KeyCode::Left => self.cursor = self.prev(self.cursor),
            KeyCode::Right => self.cursor = self.next(self.cursor),
            KeyCode::Home => self.cursor = 0,
            KeyCode::End => self.cursor = self.text.len(),
            KeyCode::Char('a') if ctrl => self.cursor = 0,
            KeyCode::Char('e') if ctrl => self.cursor = self.text.len(),
            KeyCode::Char('b') if alt => self.cursor = self.word_start(self.cursor),
            KeyCode::Char('f') if alt => self.cursor = self.word_end(self.cursor),
            KeyCode::Backspace if ctrl || alt => return self.delete_word(),
            KeyCode::Backspace => {
                if self.cursor == 0 {
                    return Edited::Moved;
                }
                let p = self.prev(self.cursor);
                self.text.replace_range(p..self.cursor, "");
                self.cursor = p;
                return Edited::Changed;
            }
            KeyCode::Delete => {
                let n = self.next(self.cursor);
                if n == self.cursor {
                    return Edited::Moved;
                }
                self.text.replace_range(self.cursor..n, "");
                return Edited::Changed;
            }
            KeyCode::Char('w') if ctrl => return self.delete_word(),
            KeyCode::Char('u') if ctrl => {
                self.text.replace_range(..self.cursor, "");
                self.cursor = 0;
            }
            KeyCode::Char('k') if ctrl => self.text.truncate(self.cursor),
            KeyCode::Char(c) if !ctrl && !alt => {
                let mut b = [0u8; 4];
                self.insert(c.encode_utf8(&mut b));
            }
            _ => return Edited::Ignored,
        }
        if self.text.len() != before.0 {
            Edited::Changed
        } else {
            Edited::Moved
        }
    }

    fn delete_word(&mut self) -> Edited {
        let s = self.word_start(self.cursor);
        if s == self.cursor {
            return Edited::Moved;
        }
        self.text.replace_range(s..self.cursor, "");
        self.cursor = s;
        Edited::Changed
    }

    /// What fits in `width` columns with the cursor visible: the visible
    /// text and the cursor's column within it.
    pub(crate) fn window(&self, width: usize) -> (String, usize) {
        if width == 0 {
            return (String::new(), 0);
        }
        let cw = |c: char| c.width().unwrap_or(0);
        let before: Vec<char> = self.text[..self.cursor].chars().collect();
        // Start far enough back that the cursor column is < width.
        let mut start = before.len();
        let mut col = 0;
        while start > 0 && col + cw(before[start - 1]) < width {
            start -= 1;
            col += cw(before[start]);
        }
        let mut out = String::new();
        let mut used = 0;
        for c in self.text.chars().skip(start) {
            let w = cw(c);
            if used + w > width {
                break;
            }
            out.push(c);
            used += w;
        }
        (out, col)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }
    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    #[test]
    fn edits() {
        let mut e = LineEdit::new("hello wörld");
        assert_eq!(e.handle(&key(KeyCode::Left)), Edited::Moved);
        assert_eq!(e.handle(&key(KeyCode::Backspace)), Edited::Changed);
        assert_eq!(e.text(), "hello wörd");
        e.handle(&key(KeyCode::Home));
        e.handle(&key(KeyCode::Delete));
        assert_eq!(e.text(), "ello wörd");
        e.handle(&key(KeyCode::End));
        e.handle(&ctrl('w'));
        assert_eq!(e.text(), "ello ");
        e.handle(&key(KeyCode::Char('x')));
        e.handle(&key(KeyCode::Left));
        e.handle(&ctrl('u'));
        assert_eq!((e.text(), e.cursor()), ("x", 0));
        e.insert("a\tb\x1bc\n");
        assert_eq!(e.text(), "a bc x");
        assert_eq!(e.handle(&ctrl('z')), Edited::Ignored);
    }

    #[test]
    fn window_keeps_cursor_visible() {
        let e = LineEdit::new("abcdefghij");
        let (s, c) = e.window(4);
        assert_eq!((s.as_str(), c), ("hij", 3));
        let e = LineEdit::new("漢字漢字");
        let (s, c) = e.window(5);
        assert_eq!(c, 4);
        assert_eq!(s, "漢字");
        assert_eq!(LineEdit::new("x").window(0), (String::new(), 0));
    }
}
