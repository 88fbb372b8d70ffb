//! Acceptance criteria: the checkbox items (`- [ ] text`, `* [x] text`,
//! `1. [ ] text`) of a document's Acceptance Criteria section (its
//! sub-sections included, code blocks left out), numbered from 1 in the
//! order they are written. `findings show` prints them with these numbers
//! and `findings tick ID N` names them by them.

use super::sections::{self, code_lines};
use super::text::lines;
use super::Document;
use serde::Serialize;
use std::ops::Range;

/// The section titles that hold acceptance criteria.
const TITLES: &[&str] = &[
    "acceptance criteria",
    "acceptance criterion",
    "success criteria",
    "definition of done",
];

/// One checkbox item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Criterion {
    /// Its number, from 1.
    pub(crate) n: usize,
    /// Ticked (`[x]` or `[X]`).
    pub done: bool,
    /// The item's text after the box, trimmed.
    pub(crate) text: String,
    /// The byte of the box's mark (the space or `x` between the brackets).
    #[serde(skip)]
    pub(crate) mark: Range<usize>,
}

/// The document's acceptance criteria, in order; empty when it has no
/// Acceptance Criteria section or no checkbox in it.
pub(crate) fn criteria(doc: &Document) -> Vec<Criterion> {
    let Some(sec) = sections::find(&doc.sections, TITLES) else {
        return Vec::new();
    };
    let t = &doc.text;
    let all: Vec<_> = lines(t, sec.content.clone()).collect();
    let texts: Vec<&str> = all.iter().map(|l| &t[l.content.clone()]).collect();
    let code = code_lines(&texts);
    let mut out = Vec::new();
    for ((l, s), in_code) in all.iter().zip(&texts).zip(code) {
        if in_code {
            continue;
        }
        if let Some((at, done, rest)) = checkbox(s) {
            let mark = l.content.start + at;
            out.push(Criterion {
                n: out.len() + 1,
                done,
                text: rest.trim().to_string(),
                mark: mark..mark + 1,
            });
        }
    }
    out
}

/// `(offset of the mark, ticked, the text after the box)` when `line` is a
/// list item that starts with a checkbox.
fn checkbox(line: &str) -> Option<(usize, bool, &str)> {
    let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
    let rest = &line[indent..];
    let marker = if rest.starts_with(['-', '*', '+']) {
        1
    } else {
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits == 0 || digits > 9 || !rest[digits..].starts_with(['.', ')']) {
            return None;
        }
        digits + 1
    };
    let after = &rest[marker..];
    let gap = after.len() - after.trim_start_matches([' ', '\t']).len();
    if gap == 0 {
        return None;
    }
    let b = &after.as_bytes()[gap..];
    if b.len() < 3 || b[0] != b'[' || b[2] != b']' || !matches!(b[1], b' ' | b'x' | b'X') {
        return None;
    }
    let tail = &after[gap + 3..];
    if !(tail.is_empty() || tail.starts_with([' ', '\t'])) {
        return None;
    }
    Some((indent + marker + gap + 1, b[1] != b' ', tail))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_the_checkboxes_of_the_section() {
        let t = "# T\n\n- [ ] not a criterion\n\n## Acceptance Criteria\n\n- [ ] One\n* [x] Two\n  1. [X] Three | with a pipe\n- [] no\n- [y] no\n-[ ] no\n\n```\n- [ ] in code\n```\n\n### More\n\n+ [ ]\n\n## Work Log\n\n- [ ] not one\n";
        let d = Document::parse("todos/001-pending-p1-x.md", t.to_string());
        let c = criteria(&d);
        let got: Vec<(usize, bool, &str)> = c.iter().map(|c| (c.n, c.done, c.text.as_str())).collect();
        assert_eq!(
            got,
            [
                (1, false, "One"),
                (2, true, "Two"),
                (3, true, "Three | with a pipe"),
                (4, false, "")
            ]
        );
        for c in &c {
            assert!(matches!(&t[c.mark.clone()], " " | "x" | "X"));
        }
        assert!(criteria(&Document::parse("a.md", "# T\n- [ ] x\n".into())).is_empty());
    }
}
