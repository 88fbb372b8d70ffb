//! Byte-level text helpers shared by every parser and editor: line iteration
//! with exact byte offsets, line/column positions, line-ending detection, and
//! making untrusted text inert before it reaches a terminal.

use std::borrow::Cow;
use std::ops::Range;

/// One line of a text, by byte offsets. `content` excludes the line ending
/// (`\n` or `\r\n`); `full` includes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The line's text without its ending (`\n` or `\r\n`).
    pub content: Range<usize>,
    pub(crate) full: Range<usize>,
}

/// Iterate the lines of `text[range]`, yielding absolute byte offsets.
pub(crate) fn lines(text: &str, range: Range<usize>) -> impl Iterator<Item = Line> + '_ {
    let bytes = text.as_bytes();
    let end = range.end.min(bytes.len());
    let mut pos = range.start.min(end);
    std::iter::from_fn(move || {
        if pos >= end {
            return None;
        }
        let start = pos;
        let nl = bytes[start..end].iter().position(|&b| b == b'\n');
        let (content_end, full_end) = match nl {
            Some(i) => {
                let at = start + i;
                let ce = if at > start && bytes[at - 1] == b'\r' {
                    at - 1
                } else {
                    at
                };
                (ce, at + 1)
            }
            None => (end, end),
        };
        pos = full_end;
        Some(Line {
            content: start..content_end,
            full: start..full_end,
        })
    })
}

/// The last non-blank line of `text` in `range`, if any.
pub fn last_nonblank(text: &str, range: Range<usize>) -> Option<Line> {
    lines(text, range)
        .filter(|l| !text[l.content.clone()].trim().is_empty())
        .last()
}

/// The line ending a file predominantly uses, for text we insert.
pub fn line_ending(text: &str) -> &'static str {
    let crlf = text.matches("\r\n").count();
    let lf = text.matches('\n').count();
    if crlf > 0 && crlf * 2 >= lf {
        "\r\n"
    } else {
        "\n"
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn position(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let col = text[line_start..offset].chars().count() + 1;
    (line, col)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Make untrusted text safe to print on a terminal: control characters
/// (including ESC, so no escape sequence survives) become visible
/// placeholders. Tabs become spaces; newlines are kept only when `multiline`.
pub fn inert(s: &str, multiline: bool) -> Cow<'_, str> {
    let needs = s
        .chars()
        .any(|c| is_unsafe(c) || c == '\t' || (!multiline && (c == '\n' || c == '\r')));
    if !needs {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\t' => out.push_str("    "),
            '\n' if multiline => out.push('\n'),
            '\r' if multiline => {}
            '\n' | '\r' => out.push(' '),
            c if is_unsafe(c) => out.push(placeholder(c)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t' && c != '\r')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The visible stand-in for a control character: the Unicode "control
/// pictures" block for C0 characters, a replacement character otherwise.
pub(crate) fn placeholder(c: char) -> char {
    let v = c as u32;
    if v < 0x20 {
        char::from_u32(0x2400 + v).unwrap_or('\u{fffd}')
    } else if v == 0x7f {
        '\u{2421}'
    } else {
        '\u{fffd}'
    }
}

/// The grapheme clusters of `s` (a letter with its combining marks, an
/// emoji sequence joined by ZWJ, a flag) with the display columns each
/// takes: the units text is cut and measured in.
pub fn clusters(s: &str) -> impl Iterator<Item = (&str, usize)> + '_ {
    use unicode_segmentation::UnicodeSegmentation;
    s.graphemes(true).map(|g| (g, unicode_width::UnicodeWidthStr::width(g)))
}

/// At most the first `max` grapheme clusters of `s`, never cut inside one.
pub(crate) fn take_clusters(s: &str, max: usize) -> &str {
    use unicode_segmentation::UnicodeSegmentation;
    match s.grapheme_indices(true).nth(max) {
        Some((at, _)) => &s[..at],
        None => s,
    }
}

/// Escape the C1 control characters (U+0080–U+009F) serde_json leaves raw,
/// as `\u0085`, so none reaches a terminal that reads one as a control.
/// Every non-ASCII character of JSON text is inside a string, where the
/// escape means the same character.
pub fn escape_c1(json: String) -> String {
    // In UTF-8 every C1 character is 0xC2 followed by 0x80..=0x9F.
    if !json
        .as_bytes()
        .windows(2)
        .any(|w| w[0] == 0xC2 && (0x80..=0x9F).contains(&w[1]))
    {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if ('\u{80}'..='\u{9f}').contains(&c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// A writer that passes JSON text through with its C1 control characters
/// escaped as [`escape_c1`] escapes them, so a large output streams instead
/// of being built whole and copied. A character cut between two writes is
/// escaped all the same; [`EscapeC1::finish`] writes what is held back.
pub(crate) struct EscapeC1<W: std::io::Write> {
    inner: W,
    /// The last write ended with 0xC2, the first byte of a C1 character.
    held: bool,
}

impl<W: std::io::Write> EscapeC1<W> {
    pub(crate) fn new(inner: W) -> EscapeC1<W> {
        EscapeC1 { inner, held: false }
    }

    /// Write a held byte (only for text that was not UTF-8) and give the
    /// writer back.
    pub(crate) fn finish(mut self) -> std::io::Result<W> {
        if std::mem::take(&mut self.held) {
            self.inner.write_all(&[0xC2])?;
        }
        Ok(self.inner)
    }
}

impl<W: std::io::Write> std::io::Write for EscapeC1<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let c1 = |b: u8| (0x80..=0x9F).contains(&b);
        let (mut start, mut i) = (0, 0);
        if std::mem::take(&mut self.held) {
            match buf.first() {
                None => {
                    self.held = true;
                    return Ok(0);
                }
                Some(&b) if c1(b) => {
                    write!(self.inner, "\\u{:04x}", b)?;
                    (start, i) = (1, 1);
                }
                Some(_) => self.inner.write_all(&[0xC2])?,
            }
        }
        while i < buf.len() {
            // Nearly every byte is passed over: find the next 0xC2 with a
            // vector search rather than a byte at a time.
            let Some(at) = memchr::memchr(0xC2, &buf[i..]) else {
                break;
            };
            i += at;
            match buf.get(i + 1) {
                None => {
                    self.inner.write_all(&buf[start..i])?;
                    self.held = true;
                    return Ok(buf.len());
                }
                Some(&b) if c1(b) => {
                    self.inner.write_all(&buf[start..i])?;
                    // U+0080..U+009F is 0xC2 then the code point's own byte.
                    write!(self.inner, "\\u{:04x}", b)?;
                    i += 2;
                    start = i;
                }
                Some(_) => i += 2,
            }
        }
        self.inner.write_all(&buf[start..])?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn escaping_while_writing_is_escape_c1_at_any_cut() {
        use std::io::Write;
        let text = "{\"a\":\"x\u{85}y\u{9f}\u{a0}\u{c2}\u{80}é\"}\u{85}";
        let want = super::escape_c1(text.to_string());
        for cut in 0..=text.len() {
            let mut w = super::EscapeC1::new(Vec::new());
            w.write_all(&text.as_bytes()[..cut]).unwrap();
            w.write_all(&text.as_bytes()[cut..]).unwrap();
            let got = w.finish().unwrap();
            assert_eq!(String::from_utf8(got).unwrap(), want, "cut at {cut}");
        }
    }

    #[test]
    fn clusters_are_never_cut() {
        let family = "👩\u{200d}👩\u{200d}👧";
        let s = format!("e\u{301}{family}🇫🇷x");
        assert_eq!(take_clusters(&s, 1), "e\u{301}");
        assert_eq!(take_clusters(&s, 2), format!("e\u{301}{family}"));
        assert_eq!(take_clusters(&s, 9), s);
        let c: Vec<&str> = clusters(&s).map(|(c, _)| c).collect();
        assert_eq!(c, ["e\u{301}", family, "🇫🇷", "x"]);
        assert_eq!(clusters("漢").next().map(|(_, w)| w), Some(2));
    }

    use super::*;

    #[test]
    fn lines_keep_offsets_and_crlf() {
        let t = "a\r\nbb\nc";
        let v: Vec<_> = lines(t, 0..t.len()).collect();
        assert_eq!(v.len(), 3);
        assert_eq!(&t[v[0].content.clone()], "a");
        assert_eq!(&t[v[0].full.clone()], "a\r\n");
        assert_eq!(&t[v[1].content.clone()], "bb");
        assert_eq!(&t[v[2].full.clone()], "c");
    }

    #[test]
    fn positions_are_one_based() {
        let t = "ab\ncdé\nx";
        assert_eq!(position(t, 0), (1, 1));
        assert_eq!(position(t, 3), (2, 1));
        assert_eq!(position(t, 7), (2, 4));
        assert_eq!(position(t, 8), (3, 1));
    }

    #[test]
    fn escapes_become_visible() {
        assert_eq!(inert("a\x1b[31mb", false), "a\u{241b}[31mb");
        assert_eq!(inert("x\ny", false), "x y");
        assert_eq!(inert("x\ny", true), "x\ny");
        assert!(matches!(inert("plain", false), Cow::Borrowed(_)));
    }
}
