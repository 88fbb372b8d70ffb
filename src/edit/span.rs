//! The span editor: an [`Edit`] replaces one byte range of the original text
//! (an empty range inserts). [`apply`] sorts a batch by position, rejects
//! overlapping ranges and builds the new text in one pass; insertions at the
//! same point keep the order they were given in. No edits, no change: the
//! text comes back byte-identical.

use super::EditError;
use std::ops::Range;

/// Replace `range` of the original text with `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// The bytes of the original text to replace (empty for an insertion).
    pub range: Range<usize>,
    /// What replaces them (empty for a deletion).
    pub text: String,
}

impl Edit {
    pub(crate) fn replace(range: Range<usize>, text: impl Into<String>) -> Edit {
        Edit {
            range,
            text: text.into(),
        }
    }
    pub(crate) fn insert(at: usize, text: impl Into<String>) -> Edit {
        Edit {
            range: at..at,
            text: text.into(),
        }
    }
}

/// Apply `edits` (all relative to `text`) at once.
pub fn apply(text: &str, edits: &[Edit]) -> Result<String, EditError> {
    for e in edits {
        let (start, end) = (e.range.start, e.range.end);
        if start > end || end > text.len() {
            return Err(EditError::OutOfBounds {
                start,
                end,
                len: text.len(),
            });
        }
        if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            return Err(EditError::NotCharBoundary { start, end });
        }
    }
    let mut order: Vec<&Edit> = edits.iter().collect();
    // Stable: equal positions keep their given order; an insertion sorts
    // before a replacement that starts at the same point.
    order.sort_by_key(|e| (e.range.start, e.range.end));
    for w in order.windows(2) {
        if let [a, b] = w {
            if b.range.start < a.range.end {
                return Err(EditError::Overlap {
                    first: a.range.clone(),
                    second: b.range.clone(),
                });
            }
        }
    }
    let extra: usize = order.iter().map(|e| e.text.len()).sum();
    let mut out = String::with_capacity(text.len() + extra);
    let mut pos = 0;
    for e in order {
        out.push_str(&text[pos..e.range.start]);
        out.push_str(&e.text);
        pos = e.range.end;
    }
    out.push_str(&text[pos..]);
    Ok(out)
}

/// The lines of the result of [`apply`] that hold text `edits` wrote (a
/// line counts when a written character other than a line break or blank
/// lands in it): `(line number from 1, the whole line)`, in order, for a
/// preview of what an edit will write.
pub(crate) fn written_lines(text: &str, edits: &[Edit]) -> Result<Vec<(usize, String)>, EditError> {
    let after = apply(text, edits)?;
    let mut order: Vec<&Edit> = edits.iter().collect();
    order.sort_by_key(|e| (e.range.start, e.range.end));
    // Where each edit's text lands in `after`.
    let mut spans = Vec::with_capacity(order.len());
    let mut shift: isize = 0;
    for e in order {
        let start = (e.range.start as isize + shift).max(0) as usize;
        spans.push(start..start + e.text.len());
        shift += e.text.len() as isize - (e.range.end - e.range.start) as isize;
    }
    let mut out = Vec::new();
    for (n, l) in crate::document::text::lines(&after, 0..after.len()).enumerate() {
        let written = spans.iter().any(|s| {
            let from = s.start.max(l.content.start);
            let to = s.end.min(l.content.end);
            from < to && after.get(from..to).is_some_and(|t| !t.trim().is_empty())
        });
        if written {
            out.push((n + 1, after[l.content.clone()].to_string()));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_lines_are_the_lines_an_edit_lands_in() {
        let t = "# T\n\n## Status\n\nAccepted\n\n## Context\n";
        let at = t.find("Accepted").unwrap() + "Accepted".len();
        let got = written_lines(t, &[Edit::insert(at, "\n\nSuperseded by [2. Y](0002-y.md)")]).unwrap();
        assert_eq!(got, [(7, "Superseded by [2. Y](0002-y.md)".to_string())]);
        let at = t.find("Accepted").unwrap();
        let got = written_lines(t, &[Edit::replace(at..at + 8, "Superseded"), Edit::insert(0, "x")]).unwrap();
        assert_eq!(got, [(1, "x# T".to_string()), (5, "Superseded".to_string())]);
        assert!(written_lines(t, &[]).unwrap().is_empty());
    }

    #[test]
    fn no_edits_is_identity() {
        let t = "\u{feff}---\r\na: 1\r\n---\r\nx";
        assert_eq!(apply(t, &[]).unwrap(), t);
    }

    #[test]
    fn sorts_and_keeps_insertion_order() {
        let t = "abcdef";
        let e = [
            Edit::replace(4..5, "E"),
            Edit::insert(2, "1"),
            Edit::insert(2, "2"),
            Edit::replace(2..3, "C"),
            Edit::insert(6, "!"),
        ];
        assert_eq!(apply(t, &e).unwrap(), "ab12CdEf!");
    }

    #[test]
    fn rejects_overlaps_and_bad_ranges() {
        let t = "abcdef";
        assert!(matches!(
            apply(t, &[Edit::replace(1..3, "x"), Edit::replace(2..4, "y")]),
            Err(EditError::Overlap { .. })
        ));
        assert!(matches!(
            apply(t, &[Edit::replace(1..3, "x"), Edit::insert(2, "y")]),
            Err(EditError::Overlap { .. })
        ));
        assert!(matches!(
            apply(t, &[Edit::replace(1..3, "x"), Edit::replace(1..3, "y")]),
            Err(EditError::Overlap { .. })
        ));
        assert!(matches!(
            apply(t, &[Edit::insert(7, "x")]),
            Err(EditError::OutOfBounds { .. })
        ));
        #[allow(clippy::reversed_empty_ranges)]
        let bad = Edit::replace(3..2, "x");
        assert!(matches!(apply(t, &[bad]), Err(EditError::OutOfBounds { .. })));
        assert!(matches!(
            apply("é", &[Edit::insert(1, "x")]),
            Err(EditError::NotCharBoundary { .. })
        ));
        // Touching ranges are fine.
        assert_eq!(
            apply(t, &[Edit::replace(0..2, "X"), Edit::replace(2..4, "Y")]).unwrap(),
            "XYef"
        );
    }
}
