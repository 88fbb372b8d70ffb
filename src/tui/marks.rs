//! Marked documents of the list (`space` marks or unmarks the selected
//! row, `v` marks the range from the last mark to it, `esc` clears them
//! before it clears filters). With marks, the status, triage and work-log
//! keys act on every marked document as one write and one commit
//! ([`crate::ops::batch`]). Marks are kept by path, so they survive
//! filtering, searching and sorting; a reload keeps the ones still there.

use std::collections::BTreeSet;

/// The marked documents, by path, and the last one marked (where `v`
/// starts its range).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Marks {
    paths: BTreeSet<String>,
    anchor: Option<String>,
}

impl Marks {
    /// How many documents are marked.
    pub fn len(&self) -> usize {
        self.paths.len()
    }

    /// Nothing is marked.
    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    /// Whether `path` is marked.
    pub fn contains(&self, path: &str) -> bool {
        self.paths.contains(path)
    }

    /// The marked paths, sorted.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.paths.iter().map(String::as_str)
    }

    /// Mark `path`, or unmark it when it is marked; true when it is marked
    /// now. A mark becomes the start of the next range.
    pub fn toggle(&mut self, path: &str) -> bool {
        if self.paths.remove(path) {
            if self.anchor.as_deref() == Some(path) {
                self.anchor = None;
            }
            false
        } else {
            self.paths.insert(path.to_string());
            self.anchor = Some(path.to_string());
            true
        }
    }

    /// Mark the rows from the last mark to row `to` of `shown` (the list's
    /// paths in order), both ends included; how many were newly marked.
    /// With no last mark shown, only row `to` is marked.
    pub fn range(&mut self, shown: &[&str], to: usize) -> usize {
        let Some(&target) = shown.get(to) else {
            return 0;
        };
        let from = self
            .anchor
            .as_deref()
            .and_then(|a| shown.iter().position(|p| *p == a))
            .unwrap_or(to);
        let (lo, hi) = (from.min(to), from.max(to));
        let before = self.paths.len();
        self.paths.extend(shown[lo..=hi].iter().map(|p| p.to_string()));
        self.anchor = Some(target.to_string());
        self.paths.len() - before
    }

    /// Unmark everything; how many were marked.
    pub fn clear(&mut self) -> usize {
        self.anchor = None;
        std::mem::take(&mut self.paths).len()
    }

    /// Keep only the marks `keep` accepts (the documents still there after
    /// a reload).
    pub fn retain(&mut self, keep: impl Fn(&str) -> bool) {
        self.paths.retain(|p| keep(p));
        if self.anchor.as_deref().is_some_and(|a| !self.paths.contains(a)) {
            self.anchor = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toggle_marks_and_unmarks() {
        let mut m = Marks::default();
        assert!(m.toggle("a.md"));
        assert!(m.contains("a.md") && m.len() == 1);
        assert!(!m.toggle("a.md"));
        assert!(m.is_empty());
    }

    #[test]
    fn a_range_runs_from_the_last_mark_either_way() {
        let shown = ["a", "b", "c", "d", "e"];
        let mut m = Marks::default();
        m.toggle("b");
        assert_eq!(m.range(&shown, 3), 2, "c and d");
        assert_eq!(m.paths().collect::<Vec<_>>(), ["b", "c", "d"]);
        // From d (the range's end) back up to a.
        assert_eq!(m.range(&shown, 0), 1);
        assert_eq!(m.len(), 4);
        // No last mark on screen: only the row.
        let mut m = Marks::default();
        assert_eq!(m.range(&shown, 4), 1);
        assert_eq!(m.paths().collect::<Vec<_>>(), ["e"]);
        assert_eq!(m.range(&shown, 9), 0, "no such row");
    }

    #[test]
    fn clear_and_retain() {
        let mut m = Marks::default();
        m.toggle("a");
        m.toggle("b");
        m.retain(|p| p != "b");
        assert_eq!(m.paths().collect::<Vec<_>>(), ["a"]);
        assert_eq!(m.clear(), 1);
        assert!(m.is_empty());
        assert_eq!(m.range(&["a", "b"], 1), 1, "no anchor after clear");
    }
}
