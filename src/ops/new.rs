//! `findings new`: the next free ID of a family and a new file in that
//! family's convention (`031-pending-p2-slug.md`, `SEC-004-open-P2-slug.md`,
//! `0106-slug.md`), shaped like the documents already in the repository.

use crate::document::{Kind, Meta};
use crate::store::resolve::prefix_number;
use std::collections::BTreeMap;

/// What to create.
#[derive(Debug, Clone, Default)]
pub(crate) struct NewDoc {
    pub(crate) kind: Option<Kind>,
    pub(crate) title: String,
    pub(crate) priority: Option<String>,
    pub(crate) tags: Vec<String>,
    pub(crate) category: Option<String>,
    pub(crate) severity: Option<String>,
    /// Finding ID prefix (`SEC`); from the category when absent.
    pub(crate) prefix: Option<String>,
}

/// A file name part from a title: lower case, `-` between words, at most 60 bytes.
pub(crate) fn slugify(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() && c.is_ascii() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 60 {
            break;
        }
    }
    let s = out.trim_matches('-').to_string();
    if s.is_empty() {
        "untitled".into()
    } else {
        s
    }
}

/// The ID prefix for a finding of `category`.
pub(crate) fn finding_prefix(category: Option<&str>) -> String {
    let c = category.unwrap_or("").to_ascii_lowercase();
    let known = [
        ("data", "DATA"),
        ("sec", "SEC"),
        ("perf", "PERF"),
        ("arch", "ARCH"),
        ("test", "TEST"),
        ("ops", "OPS"),
        ("bug", "BUG"),
        ("doc", "DOC"),
    ];
    for (k, p) in known {
        if c.starts_with(k) {
            return p.into();
        }
    }
    let p: String = c
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .take(4)
        .collect::<String>()
        .to_ascii_uppercase();
    if p.is_empty() {
        "FIND".into()
    } else {
        p
    }
}

/// The next free ID of `kind` (and finding `prefix`) given every ID already
/// taken, zero-padded as the family does: 3 digits for todos, 4 for ADRs,
/// `PREFIX-NNN` for findings (wider when existing IDs are wider).
pub(crate) fn next_id<'a>(kind: Kind, prefix: &str, taken: impl IntoIterator<Item = (Kind, &'a str)>) -> String {
    let mut max = 0u64;
    let mut width = match kind {
        Kind::Todo => 3,
        Kind::Finding => 3,
        Kind::Adr => 4,
    };
    let want_prefix = match kind {
        Kind::Todo => String::new(),
        Kind::Adr => "adr".to_string(),
        Kind::Finding => prefix.to_ascii_lowercase(),
    };
    for (k, id) in taken {
        if k != kind {
            continue;
        }
        let Some((p, n)) = prefix_number(id) else { continue };
        if p != want_prefix {
            continue;
        }
        if n > 100_000_000 {
            continue; // date-like numbers (20200925-…) are not a sequence
        }
        max = max.max(n);
        let digits = id.len() - id.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        width = width.max(digits);
    }
    let n = max + 1;
    match kind {
        Kind::Todo => format!("{n:0width$}"),
        Kind::Adr => format!("ADR-{n:0width$}"),
        Kind::Finding => format!("{}-{n:0width$}", prefix.to_ascii_uppercase()),
    }
}

/// The folder new documents of `kind` go to: where most of that family
/// already lives, else the family's default.
pub(crate) fn folder_for(kind: Kind, items: &[Meta]) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for m in items.iter().filter(|m| m.kind == kind) {
        let dir = crate::document::folder(&m.path);
        *counts.entry(dir).or_default() += 1;
    }
    if let Some((dir, _)) = counts.iter().max_by_key(|(d, n)| (**n, std::cmp::Reverse(d.len()))) {
        return dir.to_string();
    }
    match kind {
        Kind::Adr => "adr".into(),
        _ => "findings".into(),
    }
}

fn yaml_list(v: &[String]) -> String {
    let items: Vec<String> = v.iter().map(|t| yaml_scalar(t)).collect();
    format!("[{}]", items.join(", "))
}

/// A YAML scalar, double-quoted when plain would not read back the same.
pub(crate) fn yaml_scalar(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ' ' | '/'))
        && !s.starts_with([' ', '-'])
        && !s.ends_with(' ')
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "~"
        )
        && s.parse::<f64>().is_err();
    if plain {
        s.to_string()
    } else {
        let mut q = String::from("\"");
        for c in s.chars() {
            match c {
                '"' => q.push_str("\\\""),
                '\\' => q.push_str("\\\\"),
                '\n' => q.push_str("\\n"),
                c if c.is_control() => q.push(' '),
                c => q.push(c),
            }
        }
        q.push('"');
        q
    }
}

/// File name and text of a new document. `today` is `YYYY-MM-DD`.
pub(crate) fn render(kind: Kind, id: &str, d: &NewDoc, today: &str) -> (String, String) {
    let slug = slugify(&d.title);
    let title = d.title.replace(['\n', '\r'], " ");
    match kind {
        Kind::Todo => {
            let p = d
                .priority
                .as_deref()
                .and_then(crate::workflow::normalize_priority)
                .unwrap_or("p2");
            let name = format!("{id}-pending-{p}-{slug}.md");
            let text = format!(
                "---\nstatus: pending\npriority: {p}\nissue_id: \"{id}\"\ntags: {tags}\ndependencies: []\n---\n\n\
                 # {title}\n\n## Problem Statement\n\n## Findings\n\n## Proposed Solutions\n\n\
                 ## Recommended Action\n[To be filled during triage]\n\n## Technical Details\n\n\
                 ## Acceptance Criteria\n- [ ] \n\n## Work Log\n\n| Date | Action | Learnings |\n|------|--------|-----------|\n\
                 | {today} | Created | |\n\n## Resources\n",
                tags = yaml_list(&d.tags)
            );
            (name, text)
        }
        Kind::Finding => {
            let p = d
                .priority
                .as_deref()
                .and_then(crate::workflow::normalize_priority)
                .unwrap_or("p2")
                .to_ascii_uppercase();
            let name = format!("{id}-open-{p}-{slug}.md");
            let mut fm = format!("---\nid: {id}\nstatus: open\npriority: {p}\n");
            if let Some(c) = &d.category {
                fm.push_str(&format!("category: {}\n", yaml_scalar(c)));
            }
            fm.push_str(&format!("created: {today}T00:00:00Z\nassignee: null\n"));
            if let Some(s) = &d.severity {
                fm.push_str(&format!("severity: {}\n", yaml_scalar(s)));
            }
            if !d.tags.is_empty() {
                fm.push_str(&format!("tags: {}\n", yaml_list(&d.tags)));
            }
            fm.push_str("---\n");
            let text = format!(
                "{fm}\n# {title}\n\n## Context\n\n## Problem\n\n## Location\n\n## Proposed Solution\n\n\
                 ## Acceptance Criteria\n- [ ] \n"
            );
            (name, text)
        }
        Kind::Adr => {
            let num = id.trim_start_matches(|c: char| !c.is_ascii_digit());
            let name = format!("{num}-{slug}.md");
            let text = format!(
                "# ADR {num}: {title}\n\n**Status**: Proposed\n**Date**: {today}\n\n## Context\n\n## Decision\n\n## Consequences\n"
            );
            (name, text)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_ids_follow_the_family() {
        let taken = [
            (Kind::Todo, "030"),
            (Kind::Todo, "003"),
            (Kind::Finding, "DATA-001"),
            (Kind::Finding, "DATA-005"),
            (Kind::Adr, "ADR-0105"),
            (Kind::Adr, "20200925-x"),
        ];
        assert_eq!(next_id(Kind::Todo, "", taken), "031");
        assert_eq!(next_id(Kind::Finding, "DATA", taken), "DATA-006");
        assert_eq!(next_id(Kind::Finding, "SEC", taken), "SEC-001");
        assert_eq!(next_id(Kind::Adr, "", taken), "ADR-0106");
        assert_eq!(next_id(Kind::Todo, "", []), "001");
    }

    #[test]
    fn slugs_and_scalars() {
        assert_eq!(slugify("Race: two writers / one row!"), "race-two-writers-one-row");
        assert_eq!(slugify("日本"), "untitled");
        assert_eq!(yaml_scalar("data-integrity"), "data-integrity");
        assert_eq!(yaml_scalar("a: b"), "\"a: b\"");
        assert_eq!(yaml_scalar("001"), "\"001\"");
        assert_eq!(yaml_scalar("yes"), "\"yes\"");
    }

    #[test]
    fn rendered_documents_parse_back() {
        let d = NewDoc {
            title: "Unbounded retries".into(),
            priority: Some("P1".into()),
            tags: vec!["perf".into(), "a b".into()],
            category: Some("performance".into()),
            severity: Some("risky".into()),
            ..Default::default()
        };
        for (kind, id) in [
            (Kind::Todo, "031"),
            (Kind::Finding, "PERF-001"),
            (Kind::Adr, "ADR-0106"),
        ] {
            let (name, text) = render(kind, id, &d, "2026-11-23");
            let folder = if kind == Kind::Adr { "adr" } else { "findings" };
            let doc = crate::document::Document::parse(&format!("{folder}/{name}"), text);
            assert_eq!(doc.meta.kind, kind, "{name}");
            assert_eq!(doc.meta.id, id, "{name}");
            assert_eq!(doc.meta.title, "Unbounded retries");
            assert!(doc.meta.problems.is_empty(), "{:?}", doc.meta.problems);
            if kind != Kind::Adr {
                assert_eq!(doc.meta.priority, Some("p1"));
                assert_eq!(doc.meta.tags, ["perf", "a b"]);
            }
        }
    }
}
