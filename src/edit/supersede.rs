//! Two-way supersede links between ADRs, adr-tools style: the old record
//! gets "Superseded by [N. Title](file)", the new one "Supersedes [N.
//! Title](file)". Each link goes where that record keeps its status:
//!
//! - a `## Status` section: a new paragraph after the section's last line
//!   (`Accepted` → `Accepted`, blank line, `Supersedes [1. …](…)`), exactly
//!   as adr-tools writes it;
//! - a field (`**Status**: Accepted`, `* Status: accepted`, a table row): a
//!   sibling field on the next line in the same shape
//!   (`**Superseded by**: [1. …](…)`, `| **Supersedes** | [1. …](…) |`);
//! - front matter, the file name or nowhere: a paragraph right below the
//!   H1 title (or at the top of the body when there is no H1).
//!
//! The status word itself is changed separately by
//! [`set_status`](super::status::set_status). A link already present is
//! not written twice.

use super::{eol, is_blank, last_nonblank, own_content_end, paragraph_after, Edit, EditError};
use crate::document::fields::StatusPlace;
use crate::document::sections;
use crate::document::text::lines;
use crate::document::Document;

/// The edits for `old` (superseded by `new`) and for `new` (supersedes
/// `old`). `old_link` is the path of `old` relative to `new`'s folder,
/// `new_link` the path of `new` relative to `old`'s folder (see
/// [`relative_link`](super::relative_link)).
pub fn supersede(
    old: &Document,
    new: &Document,
    old_link: &str,
    new_link: &str,
) -> Result<(Vec<Edit>, Vec<Edit>), EditError> {
    if old.meta.path == new.meta.path {
        return Err(EditError::SameDocument);
    }
    let old_edits = link_edits(
        old,
        "Superseded by",
        &format!("[{}]({new_link})", link_text(new)),
        new_link,
    );
    let new_edits = link_edits(
        new,
        "Supersedes",
        &format!("[{}]({old_link})", link_text(old)),
        old_link,
    );
    Ok((old_edits, new_edits))
}

/// `105. Prisma Race Condition Prevention` (adr-tools link text).
pub(crate) fn link_text(d: &Document) -> String {
    let title = d.meta.title.replace('[', "\\[").replace(']', "\\]");
    match d.meta.number {
        Some(n) => format!("{n}. {title}"),
        None => format!("{}. {title}", d.meta.id),
    }
}

fn already_linked(doc: &Document, verb: &str, target: &str) -> bool {
    let verb = verb.to_lowercase();
    let needle = format!("]({target})");
    lines(&doc.text, doc.split.body.clone()).any(|l| {
        let s = &doc.text[l.content.clone()];
        s.contains(&needle) && s.to_lowercase().contains(&verb)
    })
}

/// A field the template left for this link (`**Superseded by**: -`,
/// `| Superseded by | N/A |`, `* Supersedes:`): the span of its
/// placeholder value (empty, where the value goes, when there is none).
fn placeholder_field(doc: &Document, verb: &str) -> Option<std::ops::Range<usize>> {
    let t = &doc.text;
    let all: Vec<_> = lines(t, doc.split.body.clone()).collect();
    let markup = |c: char| matches!(c, '*' | '_' | '-' | '|' | '>' | '+' | ' ' | '\t');
    for l in &all {
        let line = &t[l.content.clone()];
        let name_at = line.len() - line.trim_start_matches(markup).len();
        if doc.code.contains(l.full.start) || !line.get(name_at..).is_some_and(|r| starts_with_ignore_case(r, verb)) {
            continue;
        }
        let after_name = name_at + verb.len();
        let rest = &line[after_name..];
        let sep = rest.trim_start_matches(['*', '_', ' ', '\t']);
        if !sep.starts_with([':', '|']) {
            continue;
        }
        let value_from = after_name + (rest.len() - sep.len()) + 1;
        let value = &line[value_from..];
        let lead = value.len() - value.trim_start_matches(['*', '_', ' ', '\t']).len();
        let core = value[lead..]
            .trim_end_matches(['|', ' ', '\t'])
            .trim_end_matches(['*', '_']);
        if !is_placeholder_value(&core.to_lowercase()) {
            continue;
        }
        let start = l.content.start + value_from + lead;
        if core.is_empty() {
            // No value: it goes after the separator, one space from it.
            let at = l.content.start + value_from;
            let spaced = value.starts_with([' ', '\t']);
            return Some(if spaced { at + 1..at + 1 } else { at..at });
        }
        return Some(start..start + core.len());
    }
    None
}

/// A value a template leaves for a link not made yet (lower-cased).
fn is_placeholder_value(v: &str) -> bool {
    matches!(
        v.trim(),
        "" | "-" | "--" | "—" | "–" | "n/a" | "na" | "none" | "tbd" | "~" | "null" | "_"
    )
}

fn starts_with_ignore_case(s: &str, prefix: &str) -> bool {
    s.get(..prefix.len()).is_some_and(|h| h.eq_ignore_ascii_case(prefix))
}

fn link_edits(doc: &Document, verb: &str, link: &str, target: &str) -> Vec<Edit> {
    if already_linked(doc, verb, target) {
        return vec![];
    }
    // A front-matter key left empty for it (`superseded_by: null`).
    let keys: &[&str] = if verb == "Supersedes" {
        &["supersedes"]
    } else {
        &["superseded_by", "superseded-by", "supersededBy"]
    };
    for k in keys {
        let empty = doc
            .key(k)
            .is_some_and(|kl| is_placeholder_value(&kl.text(&doc.text).to_lowercase()));
        if empty {
            if let Ok(edits) = super::frontmatter::set_key(doc, k, target, &[]) {
                return edits;
            }
        }
    }
    if let Some(at) = placeholder_field(doc, verb) {
        let t = &doc.text;
        let space = if at.is_empty() && !t[..at.start].ends_with([' ', '\t']) {
            " "
        } else {
            ""
        };
        let tail = if at.is_empty() && t[at.end..].starts_with('|') {
            " "
        } else {
            ""
        };
        return vec![Edit::replace(at, format!("{space}{link}{tail}"))];
    }
    let nl = eol(doc);
    let t = &doc.text;
    match doc.status_at.as_ref().map(|a| (a.place, a)) {
        Some((StatusPlace::Section, _)) => {
            if let Some(sec) = sections::find(&doc.sections, &["status", "estado"]) {
                let end = own_content_end(doc, sec);
                if let Some(l) = last_nonblank(t, sec.content.start..end) {
                    return vec![Edit::insert(l.content.end, format!("{nl}{nl}{verb} {link}"))];
                }
            }
            below_title(doc, &format!("{verb} {link}"))
        }
        Some((StatusPlace::Field, at)) => {
            let line = &t[at.line.clone()];
            let whole = at.whole.start.saturating_sub(at.line.start)..at.whole.end.saturating_sub(at.line.start);
            match (field_name(line, whole.start), line.get(whole.end..)) {
                (Some(name), Some(after)) => {
                    let verb_cased = match_case(&line[name.clone()], verb);
                    let between = line.get(name.end..whole.start).unwrap_or(": ");
                    let new_line = format!("{}{verb_cased}{between}{link}{after}", &line[..name.start]);
                    vec![Edit::insert(at.line.end, format!("{nl}{new_line}"))]
                }
                _ => below_title(doc, &format!("{verb} {link}")),
            }
        }
        _ => below_title(doc, &format!("{verb} {link}")),
    }
}

/// The span of the field name (`Status`, `Estado`) before the value.
fn field_name(line: &str, value_start: usize) -> Option<std::ops::Range<usize>> {
    // ASCII lower-casing keeps byte offsets.
    let head = line.get(..value_start)?.to_ascii_lowercase();
    ["status", "estado"]
        .iter()
        .find_map(|n| head.rfind(n).map(|i| i..i + n.len()))
        .filter(|r| line.is_char_boundary(r.start) && line.is_char_boundary(r.end))
}

fn match_case(name: &str, verb: &str) -> String {
    let letters = || name.chars().filter(|c| c.is_alphabetic());
    if letters().all(|c| c.is_lowercase()) {
        verb.to_lowercase()
    } else if letters().count() > 1 && letters().all(|c| c.is_uppercase()) {
        verb.to_uppercase()
    } else {
        verb.to_string()
    }
}

/// A paragraph right below the H1, else at the top of the body.
fn below_title(doc: &Document, para: &str) -> Vec<Edit> {
    let nl = eol(doc);
    let t = &doc.text;
    if let Some(h) = doc.h1() {
        if let Some(l) = lines(t, h.heading.clone()).next() {
            let next_blank = lines(t, l.full.end..t.len())
                .next()
                .is_none_or(|n| is_blank(&t[n.content.clone()]));
            let tail = if next_blank { "" } else { nl };
            return vec![Edit::insert(l.content.end, format!("{nl}{nl}{para}{tail}"))];
        }
    }
    match lines(t, doc.split.body.clone()).find(|l| !is_blank(&t[l.content.clone()])) {
        Some(first) => vec![Edit::insert(first.full.start, format!("{para}{nl}{nl}"))],
        None => {
            let (at, text) = paragraph_after(doc, t.len(), para);
            vec![Edit::insert(at, text)]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::apply;

    fn both(old_path: &str, old: &str, new_path: &str, new: &str) -> (String, String) {
        let o = Document::parse(old_path, old.into());
        let n = Document::parse(new_path, new.into());
        let ol = super::super::relative_link(new_path, old_path);
        let nl = super::super::relative_link(old_path, new_path);
        let (eo, en) = supersede(&o, &n, &ol, &nl).unwrap();
        (apply(old, &eo).unwrap(), apply(new, &en).unwrap())
    }

    #[test]
    fn adr_tools_sections() {
        let old = "# 1. Record decisions\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n\n## Context\n";
        let new = "# 2. Use Markdown\n\nDate: 2020-02-01\n\n## Status\n\nAccepted\n\n## Context\n";
        let (o, n) = both(
            "doc/adr/0001-record-decisions.md",
            old,
            "doc/adr/0002-use-markdown.md",
            new,
        );
        assert_eq!(
            o,
            old.replace(
                "Accepted\n",
                "Accepted\n\nSuperseded by [2. Use Markdown](0002-use-markdown.md)\n"
            )
        );
        assert_eq!(
            n,
            new.replace(
                "Accepted\n",
                "Accepted\n\nSupersedes [1. Record decisions](0001-record-decisions.md)\n"
            )
        );
        // Idempotent.
        let (o2, _) = both(
            "doc/adr/0001-record-decisions.md",
            &o,
            "doc/adr/0002-use-markdown.md",
            new,
        );
        assert_eq!(o2, o);
    }

    #[test]
    fn fields_and_front_matter() {
        let old = "# ADR 0105: Prisma\r\n\r\n**Status**: Accepted\r\n**Date**: 31 January 2026\r\n";
        let new = "---\nstatus: accepted\n---\n# ADR 0106: Upsert everywhere\nText\n";
        let (o, n) = both("adr/0105-prisma.md", old, "adr/0106-upsert.md", new);
        assert_eq!(
            o,
            old.replace(
                "Accepted\r\n",
                "Accepted\r\n**Superseded by**: [106. Upsert everywhere](0106-upsert.md)\r\n"
            )
        );
        assert_eq!(
            n,
            new.replace(
                "everywhere\n",
                "everywhere\n\nSupersedes [105. Prisma](0105-prisma.md)\n\n"
            )
        );
        let old = "# X\n\n| **Status** | Accepted |\n| Date | 2020 |";
        let (o, _) = both("adr/0001-x.md", old, "adr/0002-y.md", "# 2. Y\n");
        assert_eq!(
            o,
            old.replace(
                "Accepted |\n",
                "Accepted |\n| **Superseded by** | [2. Y](0002-y.md) |\n"
            )
        );
        let old = "# X\n* status: accepted";
        let (o, _) = both("adr/0001-x.md", old, "adr/0002-y.md", "# 2. Y\n");
        assert_eq!(o, "# X\n* status: accepted\n* superseded by: [2. Y](0002-y.md)");
    }

    #[test]
    fn fills_a_placeholder_field() {
        let new = "# 2. Y\n";
        for (old, want) in [
            (
                "# X\n\n**Status**: Accepted\n**Superseded by**: -\n",
                "# X\n\n**Status**: Accepted\n**Superseded by**: [2. Y](0002-y.md)\n",
            ),
            (
                "# X\n\n**Status:** Accepted\n**Superseded by:** N/A\n",
                "# X\n\n**Status:** Accepted\n**Superseded by:** [2. Y](0002-y.md)\n",
            ),
            (
                "# X\n\n| Status | Accepted |\n| Superseded by | _None_ |\n",
                "# X\n\n| Status | Accepted |\n| Superseded by | _[2. Y](0002-y.md)_ |\n",
            ),
            (
                "# X\n\n| Status | Accepted |\n| Superseded By ||\n",
                "# X\n\n| Status | Accepted |\n| Superseded By | [2. Y](0002-y.md) |\n",
            ),
            (
                "# X\n\n* Status: accepted\n* Superseded by:\n",
                "# X\n\n* Status: accepted\n* Superseded by: [2. Y](0002-y.md)\n",
            ),
        ] {
            let (o, _) = both("adr/0001-x.md", old, "adr/0002-y.md", new);
            assert_eq!(o, want);
            assert_eq!(o.matches("uperseded").count(), 1);
        }
        // Front matter keeps its key.
        let old = "---\nstatus: accepted\nsuperseded_by: null # set when replaced\n---\n# X\n";
        let (o, _) = both("adr/0001-x.md", old, "adr/0002-y.md", new);
        assert_eq!(o, old.replace("null #", "0002-y.md #"));
        // A field that already names something is not a placeholder, and
        // prose is not a field.
        let old = "# X\n\nSuperseded by nothing yet: see notes.\n\n**Status**: Accepted\n";
        let (o, _) = both("adr/0001-x.md", old, "adr/0002-y.md", new);
        assert!(o.contains("**Superseded by**: [2. Y](0002-y.md)\n"), "{o}");
    }

    #[test]
    fn self_is_an_error() {
        let d = Document::parse("adr/0001-x.md", "# X\n".into());
        assert_eq!(supersede(&d, &d, "a", "b"), Err(EditError::SameDocument));
    }
}
