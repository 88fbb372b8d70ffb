//! Edits: pure text in, byte-range edits out. Every function here reads a
//! parsed [`Document`] and returns the smallest list of [`Edit`]s that makes
//! a change; [`span::apply`] turns them into new
//! text. Nothing here touches the disk.
//!
//! - `span`: the edit type and the applier (sorted, overlap-checked).
//! - [`status`]: replace just the status value wherever it lives.
//! - [`frontmatter`]: set or insert a front-matter key.
//! - [`worklog`]: append one work-log entry in the file's own style.
//! - [`action`]: decision options, `--action` matching, Recommended Action.
//! - [`supersede`]: two-way "Superseded by" / "Supersedes" links for ADRs.
//!
//! Edits of one operation are computed on the same original document and
//! applied together in one pass, so they never see each other's output.
//! Insertions at the same point keep the order they are given in: pass the
//! status edit, then the Recommended Action, then the work-log entry, and a
//! new `## Recommended Action` lands before a new `## Work Log` when both go
//! before `## Resources` (each insertion carries its own blank lines, so
//! they compose).

pub mod action;
pub mod frontmatter;
pub(crate) mod span;
pub mod status;
pub mod supersede;
pub mod worklog;

pub use span::{apply, Edit};

use crate::document::sections::Section;
use crate::document::text::lines;
use crate::document::Document;
use std::ops::Range;

/// Why an edit could not be computed or applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// An edit's byte range reaches past the end of the text.
    #[error("edit range {start}..{end} is outside the text ({len} bytes)")]
    OutOfBounds {
        /// First byte of the refused range.
        start: usize,
        /// End of the refused range (exclusive).
        end: usize,
        /// Length of the text in bytes.
        len: usize,
    },
    /// An edit's range would cut a UTF-8 character in two.
    #[error("edit range {start}..{end} does not fall on character boundaries")]
    NotCharBoundary {
        /// First byte of the refused range.
        start: usize,
        /// End of the refused range (exclusive).
        end: usize,
    },
    /// Two edits of one batch touch the same bytes.
    #[error("edits {first:?} and {second:?} overlap")]
    Overlap {
        /// The earlier edit's range.
        first: Range<usize>,
        /// The range that overlaps it.
        second: Range<usize>,
    },
    /// The status lives only in the file name, so there is no text to change in place.
    #[error("the status is only in the file name ({status:?}); rename the file or add a status key")]
    StatusInFileName {
        /// The status segment of the file name.
        status: String,
    },
    /// The document has no status anywhere (front matter, body or file name).
    #[error("the document has no status to change")]
    NoStatus,
    /// The front-matter key holds a list, a map or a block value, which is not edited
    /// in place.
    #[error("front-matter key {key:?} is not a plain value that can be edited in place")]
    NotScalar {
        /// The key that was to be changed.
        key: String,
    },
    /// The front matter opens with `---` but has no closing fence, so its extent is
    /// unknown.
    #[error("front matter is opened with --- but never closed")]
    UnterminatedFrontMatter,
    /// A value cannot be written as asked (a line break in a one-line value, say).
    #[error("invalid value {value:?}: {reason}")]
    InvalidValue {
        /// The value as given.
        value: String,
        /// Why it was refused, for the message.
        reason: &'static str,
    },
    /// A supersede named the document itself as its successor.
    #[error("a document cannot supersede itself")]
    SameDocument,
}

/// The line ending a document uses, for text we insert.
pub(crate) fn eol(doc: &Document) -> &'static str {
    crate::document::text::line_ending(&doc.text)
}

pub(crate) fn is_blank(s: &str) -> bool {
    s.trim().is_empty()
}

pub use crate::document::text::last_nonblank;

/// Whether the file's `##`-and-deeper headings are usually followed by a
/// blank line (ties count as yes).
pub(crate) fn blank_after_heading(doc: &Document) -> bool {
    let (mut yes, mut no) = (0usize, 0usize);
    for s in doc.sections.iter().filter(|s| s.level >= 2) {
        match lines(&doc.text, s.content.clone()).next() {
            Some(l) if is_blank(&doc.text[l.content.clone()]) => yes += 1,
            Some(_) => no += 1,
            None => {}
        }
    }
    yes >= no
}

/// Text to insert right after the last non-blank line before `at` (at that
/// line's content end, before its line ending) so that `block` becomes its
/// own paragraph: the insertion never needs to know whether the file ends
/// with a newline, because the original ending stays after it.
/// Returns the insertion point and the text.
pub(crate) fn paragraph_after(doc: &Document, at: usize, block: &str) -> (usize, String) {
    let nl = eol(doc);
    match last_nonblank(&doc.text, doc.split.body.start..at) {
        Some(l) => (l.content.end, format!("{nl}{nl}{block}")),
        None => {
            // Nothing before it in the body: the block goes at `at` itself,
            // on a line of its own.
            let t = &doc.text;
            let lead = if at > doc.split.bom && !t[..at].ends_with('\n') {
                nl
            } else {
                ""
            };
            let trail = if at < t.len() {
                format!("{nl}{nl}")
            } else if t.ends_with('\n') {
                nl.to_string()
            } else {
                String::new()
            };
            (at, format!("{lead}{block}{trail}"))
        }
    }
}

pub use crate::document::sections::own_content_end;

/// The end of a section's heading line, before its line ending.
pub(crate) fn heading_content_end(doc: &Document, sec: &Section) -> usize {
    lines(&doc.text, sec.heading.clone())
        .next()
        .map(|l| l.content.end)
        .unwrap_or(sec.heading.end)
}

/// Fill a section whose own text is blank with `block`: right after the
/// heading (a blank line between when the file usually has one), and a
/// blank line before a heading that followed directly.
pub(crate) fn fill_empty_section(doc: &Document, sec: &Section, block: &str) -> Edit {
    let nl = eol(doc);
    let blank = if blank_after_heading(doc) { nl } else { "" };
    let own_end = own_content_end(doc, sec);
    let tail = if lines(&doc.text, sec.content.start..own_end).next().is_none() && own_end < doc.text.len() {
        nl
    } else {
        ""
    };
    Edit::insert(heading_content_end(doc, sec), format!("{nl}{blank}{block}{tail}"))
}

/// The path of `to` relative to the folder of `from` (both
/// repository-relative, `/`-separated), as a markdown link target: spaces
/// and parentheses are percent-encoded.
pub fn relative_link(from: &str, to: &str) -> String {
    let parts = |p: &str| -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for c in p.split('/') {
            match c {
                "" | "." => {}
                ".." => {
                    out.pop();
                }
                c => out.push(c.to_string()),
            }
        }
        out
    };
    let mut from_dir = parts(from);
    from_dir.pop();
    let to = parts(to);
    let common = from_dir.iter().zip(to.iter()).take_while(|(a, b)| a == b).count();
    let mut rel: Vec<&str> = vec![".."; from_dir.len() - common];
    rel.extend(to[common..].iter().map(String::as_str));
    let joined = rel.join("/");
    let mut out = String::with_capacity(joined.len());
    for c in joined.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_in_an_empty_body() {
        let para = |t: &str, at: Option<usize>| {
            let d = Document::parse("a.md", t.to_string());
            let (at, ins) = paragraph_after(&d, at.unwrap_or(t.len()), "P");
            crate::edit::apply(t, &[Edit::insert(at, ins)]).unwrap()
        };
        assert_eq!(para("---\na: 1\n---", None), "---\na: 1\n---\nP");
        assert_eq!(para("---\na: 1\n---\n", None), "---\na: 1\n---\nP\n");
        assert_eq!(para("\u{feff}", None), "\u{feff}P");
        assert_eq!(para("", None), "P");
        assert_eq!(para("\n## R\n", Some(1)), "\nP\n\n## R\n");
        assert_eq!(para("# T\n\n## R", Some(5)), "# T\n\nP\n\n## R");
    }

    #[test]
    fn relative_links() {
        assert_eq!(relative_link("findings/030-x.md", "adr/0105-y.md"), "../adr/0105-y.md");
        assert_eq!(relative_link("adr/0106-a.md", "adr/0105-b.md"), "0105-b.md");
        assert_eq!(relative_link("a.md", "docs/adr/x y.md"), "docs/adr/x%20y.md");
        assert_eq!(relative_link("docs/x/y/a.md", "docs/adr/b.md"), "../../adr/b.md");
        assert_eq!(relative_link("./t/a.md", "t/./b.md"), "b.md");
    }
}
