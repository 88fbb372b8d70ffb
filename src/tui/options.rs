//! The options a document proposes, for picking one during triage:
//! `### Option A: Title` headings under `## Proposed Solutions` (or
//! `Options`, `Considered Options`), else any `Option …` heading.
//! Built on [`crate::document::sections`]; nothing here reads files.

use crate::document::sections::{normalize_title, Section};

/// One proposed option.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// What names it: `A`, `1`, `B2`.
    pub key: String,
    /// The title after the key (may be empty).
    pub title: String,
    /// The whole heading text.
    pub heading: String,
}

const PARENTS: &[&str] = &[
    "proposed solutions",
    "proposed solution",
    "options",
    "considered options",
    "solution options",
    "possible solutions",
];

/// `Option A: Title` → (`A`, `Title`).
pub fn parse_heading(title: &str) -> Option<(String, String)> {
    let t = normalize_title(title);
    let rest = t
        .get(..6)
        .filter(|p| p.eq_ignore_ascii_case("option"))
        .map(|_| &t[6..])?;
    if !rest.starts_with([' ', '\t']) {
        return None;
    }
    let rest = rest.trim_start();
    let key: String = rest.chars().take_while(|c| c.is_alphanumeric()).collect();
    if key.is_empty() || key.chars().count() > 3 {
        return None;
    }
    let after = rest[key.len()..].trim_start_matches([':', '.', ')', '-', '—', '–', ' ']);
    Some((key, after.trim().to_string()))
}

/// The options proposed in a document, in order.
pub fn choices(sections: &[Section]) -> Vec<Choice> {
    let parent = sections.iter().find(|s| {
        let t = normalize_title(&s.title).to_ascii_lowercase();
        PARENTS.iter().any(|p| t == *p)
    });
    let under = |s: &&Section| match parent {
        Some(p) => s.heading.start >= p.content.start && s.heading.start < p.content.end && s.level > p.level,
        None => true,
    };
    let mut out: Vec<Choice> = sections
        .iter()
        .filter(under)
        .filter_map(|s| {
            parse_heading(&s.title).map(|(key, title)| Choice {
                key,
                title,
                heading: s.title.clone(),
            })
        })
        .collect();
    if out.is_empty() && parent.is_some() {
        out = sections
            .iter()
            .filter_map(|s| {
                parse_heading(&s.title).map(|(key, title)| Choice {
                    key,
                    title,
                    heading: s.title.clone(),
                })
            })
            .collect();
    }
    out.truncate(9);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::sections::sections;

    #[test]
    fn finds_options_under_proposed_solutions() {
        let t = "# T\n## Option Z: not this\n## Proposed Solutions\n### Option A: Unique index (Recommended)\nx\n### Option B - Lock\n### Option 3) Three\n## Other\n";
        let c = choices(&sections(t, 0..t.len()));
        let keys: Vec<_> = c.iter().map(|c| (c.key.as_str(), c.title.as_str())).collect();
        assert_eq!(
            keys,
            [("A", "Unique index (Recommended)"), ("B", "Lock"), ("3", "Three")]
        );
    }

    #[test]
    fn falls_back_to_any_option_heading() {
        let t = "# ADR\n## Decision\n### Option A: Prisma upsert (preferred)\n### Option B: Catch\n";
        let c = choices(&sections(t, 0..t.len()));
        assert_eq!(c.len(), 2);
        assert_eq!(parse_heading("Optional things"), None);
        assert_eq!(parse_heading("Option"), None);
        assert_eq!(parse_heading("📋 Option A"), Some(("A".into(), String::new())));
    }
}
