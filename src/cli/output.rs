//! Terminal output: colour (only on a terminal, never with NO_COLOR),
//! display width of untrusted text, and fitting a table to the width.

use crate::document::text::inert;
use unicode_width::UnicodeWidthStr;

#[derive(Debug, Clone, Copy)]
pub(crate) struct Painter {
    pub(crate) color: bool,
}

impl Painter {
    /// Wrap `s` in an SGR colour code when colour is on. `s` must already be inert.
    pub(crate) fn paint(&self, code: &str, s: &str) -> String {
        if self.color && !code.is_empty() {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    pub(crate) fn priority_code(p: Option<&str>) -> &'static str {
        match p {
            Some("p0") => "1;31",
            Some("p1") => "31",
            Some("p2") => "33",
            Some("p3") => "34",
            _ => "2",
        }
    }

    pub(crate) fn status_code(s: &str) -> &'static str {
        use crate::workflow::Phase;
        match crate::workflow::phase(s) {
            Some(Phase::New) => "36",
            Some(Phase::Active) => "32",
            Some(Phase::Blocked) => "35",
            Some(Phase::Done | Phase::Closed) => "2",
            None => "",
        }
    }
}

/// `v` as pretty-printed JSON with C1 control characters escaped
/// ([`escape_c1`]): the form every `--format json` prints.
pub(crate) fn json_pretty<T: serde::Serialize + ?Sized>(v: &T) -> serde_json::Result<String> {
    serde_json::to_string_pretty(v).map(escape_c1)
}

/// `v` as one line of JSON with C1 control characters escaped.
pub(crate) fn json_line<T: serde::Serialize + ?Sized>(v: &T) -> serde_json::Result<String> {
    serde_json::to_string(v).map(escape_c1)
}

pub(super) use crate::document::text::escape_c1;

/// Cut `s` to at most `width` display columns, with `…` when cut. Whole
/// grapheme clusters are kept or dropped (an accent never loses its
/// letter, a flag or a family emoji is never split), each measured in
/// terminal columns.
pub(crate) fn fit(s: &str, width: usize) -> String {
    let s = inert(s, false);
    if s.width() <= width {
        return s.into_owned();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut w = 0;
    for (c, cw) in crate::document::text::clusters(&s) {
        if w + cw > width - 1 {
            break;
        }
        out.push_str(c);
        w += cw;
    }
    out.push('…');
    out
}

/// Pad `s` (already fitted) with spaces to `width` display columns.
pub(crate) fn pad(s: &str, width: usize) -> String {
    let w = s.width();
    if w >= width {
        s.to_string()
    } else {
        format!("{s}{}", " ".repeat(width - w))
    }
}

/// The width to fit tables to: the terminal's, when stdout is one.
pub(crate) fn terminal_width(tty: bool) -> Option<usize> {
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
    fn c1_characters_are_escaped_and_read_back_the_same() {
        let s = "a\u{80}b\u{85}c\u{9b}31m\u{9f}d\u{a0}é\u{7f}";
        let out = json_pretty(&serde_json::json!({ "t": s })).unwrap();
        assert!(!out.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c)), "{out}");
        assert!(
            out.contains("\\u0080") && out.contains("\\u009b") && out.contains("\\u009f"),
            "{out}"
        );
        // U+00A0 and é are not controls and stay as they are.
        assert!(out.contains("\u{a0}é"), "{out}");
        let back: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back["t"], s);
        assert_eq!(escape_c1("plain".into()), "plain");
    }

    #[test]
    fn fits_wide_text() {
        assert_eq!(fit("hello", 10), "hello");
        assert_eq!(fit("hello world", 6), "hello…");
        assert_eq!(fit("日本語です", 5), "日本…");
        assert_eq!(fit("a\x1b[2Jb", 10), "a\u{241b}[2Jb");
        assert_eq!(pad("日本", 6), "日本  ");
        // A letter and its combining accent stay together.
        assert_eq!(fit("cafe\u{301}s and more", 5), "cafe\u{301}…");
        assert_eq!(fit("e\u{301}e\u{301}e\u{301}", 2), "e\u{301}…");
        // A flag (two regional indicators, two columns) is never split.
        assert_eq!(fit("a\u{1f1eb}\u{1f1f7}bcdef", 3), "a…");
        assert_eq!(fit("a\u{1f1eb}\u{1f1f7}bcdef", 4), "a\u{1f1eb}\u{1f1f7}…");
        for w in 1..12 {
            assert!(fit("日本語のタイトル with words", w).width() <= w, "{w}");
        }
    }
}
