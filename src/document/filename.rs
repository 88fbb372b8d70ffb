//! File-name conventions: `{id}-{status}-{priority}-{slug}.md` for review
//! todos, `{PREFIX-NNN}-{status}-{priority}-{slug}.md` for findings, and
//! `NNNN-slug.md` / `ADR-NNNN-slug.md` for ADRs. Parsing returns the byte
//! ranges of each part so a status change can rename the file.

use std::ops::Range;

/// A document's file name split into its conventional parts (ID, status, priority,
/// slug), each as a byte range of the name without `.md`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileName {
    /// The file name without `.md`.
    pub(crate) stem: String,
    /// The ID part (`030`, `DATA-001`, `ADR-0105`, `0105`).
    pub(crate) id: Option<Range<usize>>,
    /// The status segment, when the name carries one.
    pub(crate) status: Option<Range<usize>>,
    /// The priority segment (`p1`, `P2`).
    pub(crate) priority: Option<Range<usize>>,
    /// What follows (the slug), possibly empty.
    pub(crate) slug: Range<usize>,
}

/// Words a file name may carry as its status (any family).
pub(crate) fn is_status_word(w: &str) -> bool {
    matches!(
        w.to_ascii_lowercase().as_str(),
        "pending"
            | "ready"
            | "complete"
            | "completed"
            | "done"
            | "resolved"
            | "wontfix"
            | "wont_fix"
            | "open"
            | "triaged"
            | "in_progress"
            | "blocked"
            | "closed"
            | "proposed"
            | "accepted"
            | "rejected"
            | "deprecated"
            | "superseded"
            | "discarded"
            | "skipped"
    )
}

fn is_priority_word(w: &str) -> bool {
    let b = w.as_bytes();
    b.len() == 2 && (b[0] == b'p' || b[0] == b'P') && b[1].is_ascii_digit()
}

impl FileName {
    /// Split `name` (with or without `.md`) into its parts; a part the name does not
    /// carry is `None` (the slug may be empty). Never fails.
    pub fn parse(name: &str) -> FileName {
        let stem = name
            .strip_suffix(".md")
            .or_else(|| name.strip_suffix(".MD"))
            .unwrap_or(name);
        let mut f = FileName {
            stem: stem.to_string(),
            ..Default::default()
        };
        let s = stem;
        let seg_end = |from: usize| s[from..].find('-').map(|i| from + i).unwrap_or(s.len());
        // ID: digits, or LETTERS-digits (DATA-001, ADR-0105, finding-0028).
        let mut pos;
        let first_end = seg_end(0);
        if first_end > 0 && s[..first_end].bytes().all(|b| b.is_ascii_digit()) {
            f.id = Some(0..first_end);
            pos = first_end;
        } else if first_end > 0 && s[..first_end].bytes().all(|b| b.is_ascii_alphabetic()) && first_end < s.len() {
            let second_end = seg_end(first_end + 1);
            if second_end > first_end + 1 && s[first_end + 1..second_end].bytes().all(|b| b.is_ascii_digit()) {
                f.id = Some(0..second_end);
                pos = second_end;
            } else {
                f.slug = 0..s.len();
                return f;
            }
        } else {
            f.slug = 0..s.len();
            return f;
        }
        // Optional status, then optional priority.
        for _ in 0..2 {
            if pos >= s.len() {
                break;
            }
            let start = pos + 1;
            let end = seg_end(start);
            let w = &s[start..end];
            // A word right before a priority segment is the status whatever
            // it says (`030-in_review-p1-x`: a configured status).
            let before_priority = || {
                end < s.len()
                    && is_priority_word(&s[end + 1..seg_end(end + 1)])
                    && !w.is_empty()
                    && w.bytes().all(|b| b.is_ascii_alphabetic() || b == b'_')
            };
            if f.status.is_none() && f.priority.is_none() && (is_status_word(w) || before_priority()) {
                f.status = Some(start..end);
                pos = end;
            } else if f.priority.is_none() && is_priority_word(w) {
                f.priority = Some(start..end);
                pos = end;
            } else {
                break;
            }
        }
        let slug_start = (pos + 1).min(s.len());
        f.slug = slug_start..s.len();
        f
    }

    /// The name read as an ID and a slug only, for a family whose names
    /// carry no status: an ADR's `0003-superseded-by-0007` has the slug
    /// `superseded-by-0007`, not the status `superseded`.
    pub(crate) fn id_and_slug(&self) -> FileName {
        let slug = match &self.id {
            Some(id) => (id.end + 1).min(self.stem.len())..self.stem.len(),
            None => 0..self.stem.len(),
        };
        FileName {
            stem: self.stem.clone(),
            id: self.id.clone(),
            status: None,
            priority: None,
            slug,
        }
    }

    pub(crate) fn part(&self, r: &Option<Range<usize>>) -> Option<&str> {
        r.as_ref().map(|r| &self.stem[r.clone()])
    }
    /// The ID part (`030`, `DATA-001`, `ADR-0105`), when the name starts with one.
    pub fn id_str(&self) -> Option<&str> {
        self.part(&self.id)
    }
    /// The status segment as written (`ready`, `in_progress`), when the name carries
    /// one.
    pub fn status_str(&self) -> Option<&str> {
        self.part(&self.status)
    }
    /// The priority segment as written (`p1`, `P2`), when the name carries one.
    pub fn priority_str(&self) -> Option<&str> {
        self.part(&self.priority)
    }
    /// What follows the ID, status and priority: the descriptive slug, possibly empty.
    pub fn slug_str(&self) -> &str {
        &self.stem[self.slug.clone()]
    }

    /// The file name with the status segment replaced (`None` when the name
    /// carries no status).
    pub fn with_status(&self, status: &str) -> Option<String> {
        let r = self.status.as_ref()?;
        Some(format!("{}{}{}.md", &self.stem[..r.start], status, &self.stem[r.end..]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_conventions() {
        let f = FileName::parse("030-pending-p1-race-condition.md");
        assert_eq!(f.id_str(), Some("030"));
        assert_eq!(f.status_str(), Some("pending"));
        assert_eq!(f.priority_str(), Some("p1"));
        assert_eq!(f.slug_str(), "race-condition");
        assert_eq!(f.with_status("ready").unwrap(), "030-ready-p1-race-condition.md");

        let f = FileName::parse("DATA-001-open-P2-x.md");
        assert_eq!(f.id_str(), Some("DATA-001"));
        assert_eq!(f.status_str(), Some("open"));
        assert_eq!(f.priority_str(), Some("P2"));

        let f = FileName::parse("008-p1-simplify.md");
        assert_eq!((f.status_str(), f.priority_str()), (None, Some("p1")));
        let f = FileName::parse("001-resolved-enhance.md");
        assert_eq!((f.status_str(), f.priority_str()), (Some("resolved"), None));
        let f = FileName::parse("0105-prisma-race.md");
        assert_eq!((f.id_str(), f.status_str()), (Some("0105"), None));
        let f = FileName::parse("ADR-0083.md");
        assert_eq!(f.id_str(), Some("ADR-0083"));
        let f = FileName::parse("030-in_review-p1-race.md");
        assert_eq!(
            (f.status_str(), f.priority_str(), f.slug_str()),
            (Some("in_review"), Some("p1"), "race")
        );
        let f = FileName::parse("SEC-003-open-api-keys.md");
        assert_eq!(
            (f.id_str(), f.status_str(), f.slug_str()),
            (Some("SEC-003"), Some("open"), "api-keys")
        );
        let f = FileName::parse("014-fix-2-p1-x.md");
        assert_eq!((f.status_str(), f.slug_str()), (None, "fix-2-p1-x"));
        let f = FileName::parse("0003-superseded-by-0007.md").id_and_slug();
        assert_eq!(
            (f.id_str(), f.status_str(), f.slug_str()),
            (Some("0003"), None, "superseded-by-0007")
        );
        assert_eq!(f.with_status("accepted"), None);
        let f = FileName::parse("index.md");
        assert_eq!(f.id_str(), None);
        assert_eq!(f.slug_str(), "index");
    }
}
