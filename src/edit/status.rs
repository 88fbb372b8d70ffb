//! Status edits: replace only the bytes of the status value, wherever the
//! document keeps it (front matter, a `## Status` paragraph or heading, a
//! bold or plain `Status:` field, a MADR bullet, a table row), and in every
//! such place when it keeps the status in more than one (front matter and a
//! `## Status` section, say). Everything around the value (quotes, comments,
//! trailing notes such as "(implemented)", the line ending) stays as it was.
//!
//! Case follows the file: a canonical lower-case value becomes `Superseded`
//! where the file wrote `Accepted`, `SUPERSEDED` where it wrote `ACCEPTED`;
//! in body text a title- or upper-case value also turns `_` into spaces
//! (`wont_fix` → `Wont Fix`). A value the caller already capitalised is
//! written as given.

use super::{frontmatter, Edit, EditError};
use crate::document::fields::{BodyValue, StatusPlace};
use crate::document::Document;

/// The edits that set the document's status to `new_status`.
pub fn set_status(doc: &Document, new_status: &str) -> Result<Vec<Edit>, EditError> {
    check_value(new_status)?;
    let Some(at) = &doc.status_at else {
        return Err(match doc.file.status_str() {
            Some(s) => EditError::StatusInFileName { status: s.to_string() },
            None => EditError::NoStatus,
        });
    };
    let mut edits = if at.place == StatusPlace::FrontMatter {
        let k = doc.key("status").ok_or(EditError::NoStatus)?;
        let old = k.text(&doc.text);
        let value = adapt_case(&old, new_status, false);
        vec![frontmatter::replace_value(doc, k, &value)?]
    } else {
        vec![body_edit(doc, at, new_status)?]
    };
    for also in &doc.status_also {
        edits.push(body_edit(doc, also, new_status)?);
    }
    Ok(edits)
}

/// Replace the status word of one body place, in the file's case style.
fn body_edit(doc: &Document, at: &BodyValue, new_status: &str) -> Result<Edit, EditError> {
    let old = doc.text.get(at.word.clone()).ok_or(EditError::NoStatus)?;
    let mut value = adapt_case(old, new_status, true);
    let line = doc.text.get(at.line.clone()).unwrap_or_default();
    if line.trim_start().starts_with('|') {
        value = value.replace('|', "\\|");
    }
    Ok(Edit::replace(at.word.clone(), value))
}

/// Insert a `status:` key into the front matter (creating the front matter
/// when there is none): for documents whose status lives only in the file
/// name, after `id`, `issue_id` or `title` when present, else last.
pub(crate) fn insert_status_key(doc: &Document, value: &str) -> Result<Vec<Edit>, EditError> {
    check_value(value)?;
    frontmatter::set_key(doc, "status", value, &["id", "issue_id", "title"])
}

fn check_value(v: &str) -> Result<(), EditError> {
    let reason = if v.trim().is_empty() {
        "a status cannot be empty"
    } else if v.chars().any(char::is_control) {
        "a status must be one line without control characters"
    } else if v != v.trim() {
        "a status cannot start or end with spaces"
    } else {
        return Ok(());
    };
    Err(EditError::InvalidValue {
        value: v.to_string(),
        reason,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    Lower,
    Upper,
    Title,
    Mixed,
}

fn case_of(s: &str) -> Case {
    let letters: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.iter().all(|c| !c.is_uppercase()) {
        return Case::Lower;
    }
    if letters.len() >= 2 && letters.iter().all(|c| !c.is_lowercase()) {
        return Case::Upper;
    }
    let title = s
        .split(|c: char| c.is_whitespace() || c == '_' || c == '-')
        .filter(|w| !w.is_empty())
        .all(|w| {
            let mut cs = w.chars().filter(|c| c.is_alphabetic());
            cs.next().is_none_or(|c| c.is_uppercase()) && cs.all(|c| !c.is_uppercase())
        });
    if title {
        Case::Title
    } else {
        Case::Mixed
    }
}

/// `new` in the case style of `old` (see the module docs).
pub fn adapt_case(old: &str, new: &str, prose: bool) -> String {
    if new.chars().any(char::is_uppercase) {
        return new.to_string();
    }
    let spaced = |s: &str| if prose { s.replace('_', " ") } else { s.to_string() };
    match case_of(old) {
        Case::Lower | Case::Mixed => new.to_string(),
        Case::Upper => spaced(&new.to_uppercase()),
        Case::Title => {
            let mut out = String::with_capacity(new.len());
            let mut start = true;
            for c in spaced(new).chars() {
                if start && c.is_alphabetic() {
                    out.extend(c.to_uppercase());
                    start = false;
                } else {
                    out.push(c);
                    if c.is_whitespace() || c == '_' || c == '-' {
                        start = true;
                    } else if c.is_alphanumeric() {
                        start = false;
                    }
                }
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::apply;

    fn run(path: &str, text: &str, new: &str) -> String {
        let d = Document::parse(path, text.to_string());
        apply(text, &set_status(&d, new).unwrap()).unwrap()
    }

    #[test]
    fn cases() {
        assert_eq!(adapt_case("Accepted", "superseded", true), "Superseded");
        assert_eq!(adapt_case("ACCEPTED", "superseded", true), "SUPERSEDED");
        assert_eq!(adapt_case("accepted", "superseded", true), "superseded");
        assert_eq!(adapt_case("In Progress", "wont_fix", true), "Wont Fix");
        assert_eq!(adapt_case("Open", "in_progress", false), "In_Progress");
        assert_eq!(adapt_case("DONE", "in_progress", false), "IN_PROGRESS");
        assert_eq!(adapt_case("done", "Ready", true), "Ready");
        assert_eq!(adapt_case("iN", "ready", true), "ready");
    }

    #[test]
    fn every_place() {
        let p = "docs/adr/0001-x.md";
        assert_eq!(
            run(p, "# 1. X\n\n## Status\n\nAccepted\n\n## Context\n", "superseded"),
            "# 1. X\n\n## Status\n\nSuperseded\n\n## Context\n"
        );
        assert_eq!(
            run(p, "# X\n\n**Status**: Accepted (implemented)  \n", "deprecated"),
            "# X\n\n**Status**: Deprecated (implemented)  \n"
        );
        assert_eq!(
            run(p, "# X\n* Status: accepted\r\n", "rejected"),
            "# X\n* Status: rejected\r\n"
        );
        assert_eq!(
            run(p, "# X\n\n| **Status** | Proposed |\n", "accepted"),
            "# X\n\n| **Status** | Accepted |\n"
        );
        assert_eq!(run(p, "Status: ACCEPTED", "superseded"), "Status: SUPERSEDED");
        let fm = "\u{feff}---\r\nid: F-1\r\nstatus: \"open\"   # open → triaged\r\n---\r\n# T";
        assert_eq!(
            run("findings/F-1.md", fm, "triaged"),
            fm.replace("\"open\"", "\"triaged\"")
        );
    }

    #[test]
    fn every_place_of_a_document_that_keeps_two() {
        let t = "---\nid: F-1\nstatus: open\n---\n# T\n\n## Status\n\n**OPEN** since May\n";
        assert_eq!(
            run("findings/F-1.md", t, "triaged"),
            "---\nid: F-1\nstatus: triaged\n---\n# T\n\n## Status\n\n**TRIAGED** since May\n"
        );
        let t = "# X\n\n**Status**: Proposed\n\n## Status: Proposed\n";
        assert_eq!(
            run("docs/adr/0002-x.md", t, "accepted"),
            "# X\n\n**Status**: Accepted\n\n## Status: Accepted\n"
        );
        let t = "# X\n\n| Status | **Proposed** |\n|---|---|\n";
        assert_eq!(
            run("docs/adr/0003-x.md", t, "accepted"),
            "# X\n\n| Status | **Accepted** |\n|---|---|\n"
        );
        let t = "# X\n\nStatus: Proposed | Date: 2024-01-01\n";
        assert_eq!(
            run("docs/adr/0004-x.md", t, "accepted"),
            "# X\n\nStatus: Accepted | Date: 2024-01-01\n"
        );
        // A place that only lists the statuses is left alone.
        let t = "---\nstatus: proposed\n---\n# X\n\n- **Status** -- Proposed, Accepted or Superseded\n";
        assert_eq!(
            run("docs/adr/0005-x.md", t, "accepted"),
            t.replace("status: proposed", "status: accepted")
        );
    }

    #[test]
    fn file_name_only_or_nowhere() {
        let d = Document::parse("todos/014-completed-p1-x.md", "# X\n".into());
        assert_eq!(
            set_status(&d, "ready"),
            Err(EditError::StatusInFileName {
                status: "completed".into()
            })
        );
        let e = insert_status_key(&d, "complete").unwrap();
        assert_eq!(apply(&d.text, &e).unwrap(), "---\nstatus: complete\n---\n# X\n");
        let d = Document::parse("notes/x.md", "# X\n".into());
        assert_eq!(set_status(&d, "ready"), Err(EditError::NoStatus));
        assert!(matches!(set_status(&d, "a\nb"), Err(EditError::InvalidValue { .. })));
    }
}
