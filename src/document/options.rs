//! Decision options: the option headings a document offers
//! (`### Option A: Title (Recommended)`, `### Option 1 - Title`, `### 1. Title`
//! under Proposed Solutions / Considered Options / Decision), read from its
//! sections. Matching an `--action` against them is
//! [`crate::ops::action`]; writing the chosen text is
//! [`crate::edit::action`].

use super::sections::{normalize_title, own_content_end, Section};
use super::Document;
use std::ops::Range;

/// One option heading of a document.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DecisionOption {
    /// `A`, `B`, `1`, … (letters upper-cased).
    pub label: String,
    /// The title as written after the label ("Prisma upsert (preferred)").
    pub title: String,
    /// The heading line (with its line ending).
    pub(crate) heading: Range<usize>,
    pub(crate) level: usize,
}

impl DecisionOption {
    /// The option marks itself as the recommended or preferred one.
    pub(crate) fn preferred(&self) -> bool {
        let t = self.title.to_lowercase();
        ["recommended", "preferred", "chosen", "selected", "✅"]
            .iter()
            .any(|w| t.contains(w))
    }

    /// `Option A: Prisma upsert (preferred)`.
    pub(crate) fn display(&self) -> String {
        if self.title.is_empty() {
            format!("Option {}", self.label)
        } else {
            format!("Option {}: {}", self.label, self.title)
        }
    }
}

/// An option labelled `label` and titled `title`, as a `###` heading of
/// no document: what the matching and suggestion tests build options from.
#[cfg(test)]
pub(crate) fn test_option(label: &str, title: &str) -> DecisionOption {
    DecisionOption {
        label: label.into(),
        title: title.into(),
        heading: 0..0,
        level: 3,
    }
}

/// An ADR whose options a document may adopt.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AdrRef {
    /// `ADR-0105`.
    pub id: String,
    pub(crate) title: String,
    /// Repository-relative path.
    pub(crate) path: String,
}

impl AdrRef {
    /// The reference to the ADR `doc` (its ID, title and path).
    pub fn of(doc: &Document) -> AdrRef {
        AdrRef {
            id: doc.meta.id.clone(),
            title: doc.meta.title.clone(),
            path: doc.meta.path.clone(),
        }
    }
}

/// An ADR and its options.
pub(crate) type AdrOptions = (AdrRef, Vec<DecisionOption>);

/// Section titles that hold decision options.
const PARENTS: &[&str] = &[
    "proposed solutions",
    "proposed solution",
    "possible solutions",
    "solutions",
    "solution options",
    "options",
    "considered options",
    "options considered",
    "options evaluated",
    "evaluated options",
    "decision",
    "decision outcome",
    "alternatives",
    "alternatives considered",
    "considered alternatives",
    "alternatives evaluated",
    "pros and cons of the options",
];

fn is_parent(s: &Section) -> bool {
    PARENTS.contains(&normalize_title(&s.title).to_lowercase().as_str())
}

/// The document's decision options, in order: option headings (`### Option
/// A: T`, `### A — T`, `### Option 1 – T`, and under an options section
/// `#### 1. T`), else the top-level bullets of a MADR "Considered Options"
/// list (labelled as they say, `A: T`, else by position: `A`, `B`, … for
/// `*`/`-` bullets, their number for `1.` items).
pub fn options(doc: &Document) -> Vec<DecisionOption> {
    let mut out = Vec::new();
    for (i, s) in doc.sections.iter().enumerate() {
        if s.level < 2 {
            continue;
        }
        // Right under an options section, or deeper under one that names
        // options (`## Considered Options` > `### Group` > `#### 1. T`; not
        // the numbered points of a Decision's sub-section).
        let mut under = false;
        let mut child = s;
        let mut depth = 0;
        for p in doc.sections[..i].iter().rev() {
            if p.level < child.level && p.content.start <= child.heading.start && child.heading.start < p.content.end {
                if is_parent(p) && (depth == 0 || names_options(p)) {
                    under = true;
                    break;
                }
                child = p;
                depth += 1;
            }
        }
        if let Some((label, title)) = parse_heading(&s.title, under) {
            out.push(DecisionOption {
                label,
                title,
                heading: s.heading.clone(),
                level: s.level,
            });
        }
    }
    if out.is_empty() {
        // Bullets count under a section that names options, not under a
        // Decision (its bullets are the decision's points).
        if let Some(sec) = doc
            .sections
            .iter()
            .find(|s| s.level >= 2 && is_parent(s) && names_options(s))
        {
            out = bullet_options(doc, sec);
        }
    }
    out
}

/// The section's title speaks of options, alternatives or solutions.
fn names_options(s: &Section) -> bool {
    let t = normalize_title(&s.title).to_lowercase();
    ["option", "alternative", "solution"].iter().any(|w| t.contains(w))
}

/// The top-level list items of a section's own text, as options.
fn bullet_options(doc: &Document, sec: &Section) -> Vec<DecisionOption> {
    let t = &doc.text;
    let all: Vec<_> = crate::document::text::lines(t, sec.content.start..own_content_end(doc, sec)).collect();
    let mut out = Vec::new();
    for l in &all {
        let line = &t[l.content.clone()];
        if doc.code.contains(l.full.start) || line.starts_with([' ', '\t']) {
            continue;
        }
        let (ordinal, item) = if let Some(rest) = line.strip_prefix(['*', '-', '+']) {
            (None, rest)
        } else {
            let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            match line.get(digits..) {
                Some(rest) if digits > 0 && digits <= 3 && rest.starts_with(['.', ')']) => {
                    (Some(&line[..digits]), &rest[1..])
                }
                _ => continue,
            }
        };
        if !item.starts_with([' ', '\t']) || item.trim().is_empty() || item.trim_start().starts_with("[ ]") {
            continue;
        }
        let item = item.trim();
        let (label, title) = match parse_heading(item, true) {
            Some(lt) => lt,
            None => {
                let n = out.len();
                let label = match ordinal {
                    Some(d) => d.trim_start_matches('0').to_string(),
                    None if n < 26 => char::from(b'A' + n as u8).to_string(),
                    None => (n + 1).to_string(),
                };
                (label, item.to_string())
            }
        };
        out.push(DecisionOption {
            label,
            title,
            heading: l.full.clone(),
            level: sec.level + 1,
        });
    }
    out
}

/// `Option A: T`, `Option 1 - T`, and (under an options section) `1. T`,
/// `B) T`, `A — T` → (label, title).
pub(crate) fn parse_heading(title: &str, under_options: bool) -> Option<(String, String)> {
    let t = title
        .trim()
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .trim_end_matches(['*', '_', ' ']);
    let is_sep = |c: char| matches!(c, ':' | '-' | '—' | '–' | '.' | ')' | ' ' | '\t');
    let label_ok = |l: &str| {
        (l.chars().count() == 1 && l.chars().all(|c| c.is_ascii_alphabetic()))
            || (!l.is_empty() && l.len() <= 3 && l.bytes().all(|b| b.is_ascii_digit()))
    };
    let word = t.get(..6).filter(|w| w.eq_ignore_ascii_case("option"));
    if word.is_some() {
        let rest = t.get(6..)?;
        if !rest.starts_with([' ', '\t']) {
            return None;
        }
        let rest = rest.trim_start().trim_start_matches('#');
        let end = rest.find(|c: char| !c.is_alphanumeric()).unwrap_or(rest.len());
        let label = &rest[..end];
        let after = &rest[end..];
        if !label_ok(label) || !(after.is_empty() || after.starts_with(is_sep)) {
            return None;
        }
        let title = after.trim_start_matches(is_sep).trim();
        return Some((label.to_ascii_uppercase(), title.to_string()));
    }
    if !under_options {
        return None;
    }
    let end = t.find(|c: char| !c.is_alphanumeric()).unwrap_or(t.len());
    let label = &t[..end];
    let after = &t[end..];
    // `1. T`, `B) T`, `A: T` (the mark right after the label), or a dash
    // with spaces around it (`A — T`, `2 - T`).
    let dashed = after.trim_start_matches([' ', '\t']);
    let (mark, rest) = if after.starts_with(['.', ')', ':']) {
        (true, &after[1..])
    } else if after.starts_with([' ', '\t']) && dashed.starts_with(['—', '–', '-']) {
        let len = dashed.chars().next().map(char::len_utf8).unwrap_or(1);
        (true, &dashed[len..])
    } else {
        (false, after)
    };
    let spaced = rest.starts_with([' ', '\t']);
    let upper = label.chars().all(|c| !c.is_ascii_lowercase());
    if !label_ok(label) || !mark || !spaced || !upper {
        return None;
    }
    Some((label.to_ascii_uppercase(), rest.trim().to_string()))
}

// ------------------------------------------------------------- matching
