//! The front-matter splitter: finds the YAML block between `---` fences and
//! returns exact byte spans, so edits can replace a value without touching a
//! byte around it. It also locates top-level `key: value` lines and the span
//! of each scalar value (inside its quotes, before any trailing comment).
//!
//! A byte-order mark is skipped, both `\n` and `\r\n` endings are accepted,
//! and the closing fence may be `---` or `...`. Some files put the block
//! after their title (`# T`, a blank line, then `---` on line 3): that is
//! front matter too, found where it is and edited there.

use super::text::{lines, Line};
use std::ops::Range;

pub(crate) const BOM: &str = "\u{feff}";

/// Where the front matter sits in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatter {
    /// The opening `---` line, with its line ending.
    pub open: Range<usize>,
    /// The YAML text between the fences (whole lines, with endings).
    pub yaml: Range<usize>,
    /// The closing fence line, with its line ending if any.
    pub close: Range<usize>,
}

/// A file split into BOM, optional front matter and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// Length of a leading byte-order mark (0 or 3).
    pub bom: usize,
    /// The front matter's fences and YAML, `None` when the file has none.
    pub front: Option<FrontMatter>,
    /// Everything after the front matter (or after the BOM when there is none).
    pub body: Range<usize>,
    /// An opening fence was found but never closed.
    pub(crate) unterminated: bool,
}

fn is_fence(line: &str, allow_dots: bool) -> bool {
    let t = line.trim_end();
    t == "---" || (allow_dots && t == "...")
}

/// Split `text` into its parts. Never fails: a file without (or with an
/// unterminated) front matter is all body.
pub fn split(text: &str) -> Split {
    let bom = if text.starts_with(BOM) { BOM.len() } else { 0 };
    let mut it = lines(text, bom..text.len());
    let none = |unterminated| Split {
        bom,
        front: None,
        body: bom..text.len(),
        unterminated,
    };
    let Some(first) = it.next() else {
        return none(false);
    };
    if !is_fence(&text[first.content.clone()], false) {
        return match after_title(text, bom) {
            Some(front) => Split {
                bom,
                body: front.close.end..text.len(),
                front: Some(front),
                unterminated: false,
            },
            None => none(false),
        };
    }
    for line in it {
        if is_fence(&text[line.content.clone()], true) {
            return Split {
                bom,
                front: Some(FrontMatter {
                    open: first.full.clone(),
                    yaml: first.full.end..line.full.start,
                    close: line.full.clone(),
                }),
                body: line.full.end..text.len(),
                unterminated: false,
            };
        }
    }
    none(true)
}

/// How many lines after the title a late block may start, and how long it
/// may be: a header, not a thematic break deep in the text.
const LATE_START_LINES: usize = 4;
const LATE_MAX_LINES: usize = 200;

/// Keys that make a `---` block after the title a document's front matter
/// rather than a thematic break around a paragraph.
const DOCUMENT_KEYS: &[&str] = &[
    "status",
    "priority",
    "id",
    "issue_id",
    "tags",
    "dependencies",
    "severity",
    "date",
    "created",
    "deciders",
    "title",
];

/// A `---` block right after an H1 title (blank lines between), whose every
/// line is YAML-shaped and which has at least one document key.
fn after_title(text: &str, bom: usize) -> Option<FrontMatter> {
    let mut it = lines(text, bom..text.len()).skip_while(|l| text[l.content.clone()].trim().is_empty());
    let title = it.next()?;
    let t = &text[title.content.clone()];
    if !(t.starts_with("# ") || t == "#") {
        return None;
    }
    let mut it = it
        .skip_while(|l| text[l.content.clone()].trim().is_empty())
        .take(LATE_START_LINES + LATE_MAX_LINES);
    let open = it.next()?;
    if !is_fence(&text[open.content.clone()], false)
        || open.full.start > line_after(text, title.full.end, LATE_START_LINES)
    {
        return None;
    }
    let mut has_key = false;
    for line in it {
        let s = &text[line.content.clone()];
        if is_fence(s, true) {
            return has_key.then(|| FrontMatter {
                open: open.full.clone(),
                yaml: open.full.end..line.full.start,
                close: line.full.clone(),
            });
        }
        let yaml_shaped = s.trim().is_empty()
            || s.starts_with([' ', '\t', '#', '-'])
            || key_line(text, line.clone()).is_some_and(|k| {
                has_key |= DOCUMENT_KEYS.contains(&k.key.to_ascii_lowercase().as_str());
                !k.key.contains(' ')
            });
        if !yaml_shaped {
            return None;
        }
    }
    None
}

/// The byte offset `n` lines after `from` (or the end).
fn line_after(text: &str, from: usize, n: usize) -> usize {
    lines(text, from..text.len())
        .nth(n)
        .map(|l| l.full.start)
        .unwrap_or(text.len())
}

/// How a scalar value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    Plain,
    Single,
    Double,
    /// A flow collection (`[a, b]`, `{…}`), a block scalar indicator (`|`,
    /// `>`), an alias or anchor: not a plain scalar we can edit in place.
    Other,
    /// Nothing after the colon (the value may be an indented block below).
    Empty,
}

/// One top-level `key: value` line of the front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyLine {
    pub(crate) key: String,
    /// The whole line, without its ending.
    pub line: Range<usize>,
    /// The scalar's bytes: inside the quotes, before a trailing comment,
    /// without trailing spaces. Empty (at the insertion point) for `Empty`.
    pub value: Range<usize>,
    pub(crate) style: Style,
}

impl KeyLine {
    /// The value as written (quotes removed; simple escapes resolved).
    pub fn text<'a>(&self, src: &'a str) -> std::borrow::Cow<'a, str> {
        let raw = &src[self.value.clone()];
        match self.style {
            Style::Single if raw.contains("''") => raw.replace("''", "'").into(),
            Style::Double if raw.contains('\\') => unescape_double(raw).into(),
            _ => raw.into(),
        }
    }
}

fn unescape_double(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('"') => out.push('"'),
            Some('\\') => out.push('\\'),
            Some('/') => out.push('/'),
            Some(o) => {
                out.push('\\');
                out.push(o)
            }
            None => out.push('\\'),
        }
    }
    out
}

/// Locate the top-level keys of the YAML block `text[yaml]`, in order.
/// Lines that are indented, comments, list items or not `key:` lines are
/// skipped: the YAML parser is the judge of validity, this only finds spans.
pub fn keys(text: &str, yaml: Range<usize>) -> Vec<KeyLine> {
    lines(text, yaml).filter_map(|l| key_line(text, l)).collect()
}

fn key_line(text: &str, l: Line) -> Option<KeyLine> {
    let s = &text[l.content.clone()];
    let first = s.chars().next()?;
    if first.is_whitespace() || matches!(first, '#' | '-' | '[' | '{' | '?' | '&' | '*' | '!' | '|' | '>') {
        return None;
    }
    // The key ends at the first ':' followed by a space or the end of line,
    // outside quotes.
    let (key, after_colon) = if first == '"' || first == '\'' {
        let close = s[1..].find(first)? + 1;
        let rest = &s[close + 1..];
        let rest_trim = rest.trim_start();
        if !rest_trim.starts_with(':') {
            return None;
        }
        let colon = close + 1 + (rest.len() - rest_trim.len());
        (s[1..close].to_string(), colon + 1)
    } else {
        let b = s.as_bytes();
        let mut colon = None;
        for i in 0..b.len() {
            if b[i] == b':' && (i + 1 == b.len() || b[i + 1] == b' ' || b[i + 1] == b'\t') {
                colon = Some(i);
                break;
            }
        }
        let c = colon?;
        (s[..c].trim_end().to_string(), c + 1)
    };
    if after_colon < s.len() && !s[after_colon..].starts_with([' ', '\t']) {
        return None;
    }
    let base = l.content.start;
    let rest = &s[after_colon..];
    let lead = rest.len() - rest.trim_start().len();
    let vstart = after_colon + lead;
    let v = &s[vstart..];
    let (value, style) = if v.is_empty() || v.starts_with('#') {
        (vstart..vstart, Style::Empty)
    } else if let Some(q) = v.strip_prefix('"') {
        match closing_double(q) {
            Some(end) => (vstart + 1..vstart + 1 + end, Style::Double),
            None => (vstart..s.len(), Style::Other),
        }
    } else if let Some(q) = v.strip_prefix('\'') {
        match closing_single(q) {
            Some(end) => (vstart + 1..vstart + 1 + end, Style::Single),
            None => (vstart..s.len(), Style::Other),
        }
    } else {
        let end = plain_end(v);
        let style = if v.starts_with(['[', '{', '|', '>', '&', '*', '!']) {
            Style::Other
        } else {
            Style::Plain
        };
        (vstart..vstart + end, style)
    };
    Some(KeyLine {
        key,
        line: l.content,
        value: base + value.start..base + value.end,
        style,
    })
}

fn closing_double(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

fn closing_single(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\'' {
            if b.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return Some(i);
        }
        i += 1;
    }
    None
}

/// End of a plain scalar: before ` #` (a comment), trailing blanks trimmed.
fn plain_end(v: &str) -> usize {
    let b = v.as_bytes();
    let mut end = b.len();
    for i in 1..b.len() {
        if b[i] == b'#' && (b[i - 1] == b' ' || b[i - 1] == b'\t') {
            end = i;
            break;
        }
    }
    v[..end].trim_end().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_lf_crlf_bom() {
        let t = "---\nstatus: open\n---\n# T\n";
        let s = split(t);
        let f = s.front.clone().unwrap();
        assert_eq!(&t[f.yaml.clone()], "status: open\n");
        assert_eq!(&t[s.body.clone()], "# T\n");

        let t = "\u{feff}---\r\na: 1\r\n---\r\nbody";
        let s = split(t);
        assert_eq!(s.bom, 3);
        assert_eq!(&t[s.front.unwrap().yaml], "a: 1\r\n");
        assert_eq!(&t[s.body], "body");
    }

    #[test]
    fn no_or_unterminated_front_matter_is_body() {
        assert_eq!(split("# x\n").front, None);
        let s = split("---\na: 1\n");
        assert!(s.front.is_none() && s.unterminated);
        assert_eq!(split("").body, 0..0);
    }

    #[test]
    fn finds_value_spans() {
        let t = "status: routed           # open → routed\nissue_id: \"030\"\nid: 'it''s'\ntags: [a, b]\nlinks:\n  - x\nline: 93-96\n";
        let k = keys(t, 0..t.len());
        let get = |n: &str| k.iter().find(|k| k.key == n).unwrap().clone();
        assert_eq!(&t[get("status").value], "routed");
        assert_eq!(get("issue_id").text(t), "030");
        assert_eq!(get("issue_id").style, Style::Double);
        assert_eq!(get("id").text(t), "it's");
        assert_eq!(get("tags").style, Style::Other);
        assert_eq!(get("links").style, Style::Empty);
        assert_eq!(&t[get("line").value], "93-96");
        assert_eq!(k.len(), 6);
    }

    #[test]
    fn front_matter_after_the_title() {
        let t = "# Fix the race\n\n---\nstatus: pending\npriority: p1\ntags: [a]\n---\n\n## Problem\n";
        let s = split(t);
        let f = s.front.clone().unwrap();
        assert_eq!(&t[f.yaml.clone()], "status: pending\npriority: p1\ntags: [a]\n");
        assert_eq!(&t[s.body], "\n## Problem\n");
        // A thematic break around prose is no front matter.
        assert_eq!(split("# T\n\n---\n\nSome words here.\n\n---\n").front, None);
        assert_eq!(split("# T\n\n---\nNote: a remark\n---\n").front, None);
        // Nor is a block far below the title.
        assert_eq!(split("# T\n\na\n\nb\n\nc\n\n---\nstatus: x\n---\n").front, None);
    }

    #[test]
    fn url_values_keep_their_colons() {
        let t = "source: https://x.y/z # c\n";
        let k = keys(t, 0..t.len());
        assert_eq!(&t[k[0].value.clone()], "https://x.y/z");
    }
}
