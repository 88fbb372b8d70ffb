//! Terminal output: colour (only on a terminal, never with NO_COLOR),
//! display width of untrusted text, and fitting a table to the width.

use crate::document::text::inert;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

#[derive(Debug, Clone, Copy)]
pub struct Painter {
    pub color: bool,
}

impl Painter {
    /// Wrap `s` in an SGR colour code when colour is on. `s` must already be inert.
    pub fn paint(&self, code: &str, s: &str) -> String {
        if self.color && !code.is_empty() {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    pub fn priority_code(p: Option<&str>) -> &'static str {
        match p {
            Some("p0") => "1;31",
            Some("p1") => "31",
            Some("p2") => "33",
            Some("p3") => "34",
            _ => "2",
        }
    }

    pub fn status_code(s: &str) -> &'static str {
        match s {
            "pending" | "open" | "proposed" => "36",
            "ready" | "triaged" | "in_progress" | "accepted" => "32",
            "blocked" => "35",
            "complete" | "resolved" | "wontfix" | "wont_fix" | "rejected" | "deprecated" | "superseded" => "2",
            _ => "",
        }
    }
}

/// Cut `s` to at most `width` display columns, with `…` when cut.
pub fn fit(s: &str, width: usize) -> String {
    let s = inert(s, false);
    if s.width() <= width {
        return s.into_owned();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw > width - 1 {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

/// Pad `s` (already fitted) with spaces to `width` display columns.
pub fn pad(s: &str, width: usize) -> String {
    let w = s.width();
    if w >= width {
        s.to_string()
    } else {
        format!("{s}{}", " ".repeat(width - w))
    }
}

/// The width to fit tables to: the terminal's, when stdout is one.
pub fn terminal_width(tty: bool) -> Option<usize> {
    if !tty {
        return None;
    }
    if let Some(c) = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()) {
        return Some(c);
    }
    crossterm::terminal::size().ok().map(|(w, _)| w as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_wide_text() {
        assert_eq!(fit("hello", 10), "hello");
        assert_eq!(fit("hello world", 6), "hello…");
        assert_eq!(fit("日本語です", 5), "日本…");
        assert_eq!(fit("a\x1b[2Jb", 10), "a\u{241b}[2Jb");
        assert_eq!(pad("日本", 6), "日本  ");
    }
}
