//! Metadata written in the body rather than in front matter: a `## Status`
//! section (`Accepted`, `- [x] Done`, `Superseded by [4. T](0004-t.md)`), a
//! `## Status: X` heading, bold fields (`**Status**: X`, `**Status:** X`,
//! `- **Status**: X`, `| **Status** | X |`), plain table rows (`| Status |
//! **X** |`), plain `Status: X` lines (also `Status: X | Date: …`) and MADR 2
//! bullets (`* Status: accepted`). Every hit carries byte spans so an edit
//! can replace just the status word.

use super::sections::{self, Code, Section};
use super::text::lines;
use std::ops::Range;

/// Where a status value was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusPlace {
    /// In the YAML front matter (`status: ready`).
    FrontMatter,
    /// In the body of a `## Status` section.
    Section,
    /// In a bold field line of the body (`**Status**: Accepted`).
    Field,
    /// Only in the file name's status segment (`030-ready-p1-x.md`).
    FileName,
}

/// A value found in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyValue {
    /// The status word(s) to replace on an edit ("Accepted", "In Progress").
    pub word: Range<usize>,
    /// The whole value, trailing note included ("Accepted (implemented)").
    pub whole: Range<usize>,
    /// The line it is on (without its ending).
    pub line: Range<usize>,
    /// Which kind of place the value was found in.
    pub place: StatusPlace,
}

/// Parse a field line: `names` are the field names to accept
/// (case-insensitive). Returns the value range within `line`.
pub fn field_value(line: &str, names: &[&str]) -> Option<Range<usize>> {
    let mut i = line.len() - line.trim_start().len();
    if i > 3 {
        // Indented code, or a deeply nested list: not a field.
        return None;
    }
    let b = line.as_bytes();
    let table = b.get(i) == Some(&b'|');
    if table {
        i += 1;
        i += line[i..].len() - line[i..].trim_start().len();
    } else if matches!(b.get(i), Some(b'-' | b'*' | b'+')) && matches!(b.get(i + 1), Some(b' ')) {
        i += 2;
        i += line[i..].len() - line[i..].trim_start().len();
    }
    let mut bold = 0;
    for m in ["**", "__"] {
        if line[i..].starts_with(m) {
            bold = 2;
            i += 2;
            break;
        }
    }
    let rest = &line[i..];
    // In a table a plain name is a field only for the status, and only when
    // it fills its cell (`| Status | Accepted |`); `| Status | Owner |` over
    // a delimiter row is a header, which [`find_field`] tells apart.
    if table && bold == 0 {
        let cell = rest.split('|').next().unwrap_or("").trim();
        let status_cell = STATUS_NAMES.iter().any(|n| cell.eq_ignore_ascii_case(n));
        if !status_cell || !names.iter().any(|n| cell.eq_ignore_ascii_case(n)) || !rest.contains('|') {
            return None;
        }
    }
    let name = names
        .iter()
        .find(|n| rest.len() >= n.len() && rest.is_char_boundary(n.len()) && rest[..n.len()].eq_ignore_ascii_case(n))?;
    i += name.len();
    // Separator: ':', '**:', ':**', '** |', '| ' (table), '** --'.
    let rest = &line[i..];
    let mut j = 0;
    let rb = rest.as_bytes();
    let mut seen_sep = false;
    while j < rb.len() {
        match rb[j] {
            b'*' | b'_' if bold > 0 => j += 1,
            b':' if !seen_sep => {
                seen_sep = true;
                j += 1
            }
            b'|' if table && !seen_sep => {
                seen_sep = true;
                j += 1
            }
            b' ' | b'\t' => j += 1,
            b'-' if bold > 0 && !seen_sep && rest[j..].starts_with("--") => {
                seen_sep = true;
                j += 2
            }
            _ => break,
        }
    }
    if !seen_sep {
        return None;
    }
    let mut start = i + j;
    let mut end = line.len();
    if table {
        end = line[start..].find('|').map(|k| start + k).unwrap_or(end);
    } else if let Some(k) = line[start..].find(" | ") {
        // `Status: Accepted | Date: 2024-01-01`: the next field starts.
        end = start + k;
    }
    // A bold value (`| Status | **Accepted** |`) is the word inside.
    let v = &line[start..end];
    let inner = v.trim_start_matches(['*', '_']);
    if inner.len() < v.len() && (v.trim_end().ends_with("**") || v.trim_end().ends_with("__")) {
        start += v.len() - inner.len();
    }
    let v = &line[start..end];
    let v = v.trim_end();
    let v = v.trim_end_matches(['*', '_']).trim_end();
    // A field value is text, not code; a status is a word, not a number
    // (`status: 200,` in an example is no status).
    let status = names.iter().any(|n| STATUS_NAMES.contains(n));
    if v.is_empty()
        || v.starts_with(['{', '[', '(', '"', '`'])
        || (status && v.starts_with(|c: char| c.is_ascii_digit()))
    {
        return None;
    }
    Some(start..start + v.len())
}

const STATUS_NAMES: &[&str] = &["status", "estado"];

fn word_span(text: &str, whole: Range<usize>) -> Range<usize> {
    let s = &text[whole.clone()];
    // Skip emphasis, emoji and checkboxes before the word.
    let lead = s.len() - s.trim_start_matches(|c: char| !c.is_alphanumeric()).len();
    let rest = &s[lead..];
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '-' || c == '\'';
    let mut end = rest.find(|c: char| !is_word(c)).unwrap_or(rest.len());
    // Two-word statuses.
    let first = rest[..end].to_lowercase();
    if matches!(first.as_str(), "in" | "to" | "won't" | "wont" | "not") {
        let after = &rest[end..];
        let sp = after.len() - after.trim_start_matches(' ').len();
        if sp > 0 {
            let w2 = after[sp..].find(|c: char| !is_word(c)).unwrap_or(after.len() - sp);
            if w2 > 0 {
                end += sp + w2;
            }
        }
    }
    whole.start + lead..whole.start + lead + end
}

/// Strip list markers and checkboxes from a status-section line; returns the
/// value range within `line`.
fn section_value(line: &str) -> Option<Range<usize>> {
    let mut i = line.len() - line.trim_start().len();
    let b = line.as_bytes();
    if matches!(b.get(i), Some(b'-' | b'*' | b'+')) && b.get(i + 1) == Some(&b' ') {
        i += 2;
    }
    for cb in ["[ ] ", "[x] ", "[X] "] {
        if line[i..].starts_with(cb) {
            i += cb.len();
        }
    }
    if let Some(r) = field_value(&line[i..], STATUS_NAMES) {
        return Some(i + r.start..i + r.end);
    }
    let v = line[i..].trim_end();
    if v.is_empty() {
        return None;
    }
    Some(i..i + v.len())
}

/// Find the status in the body: a `Status` section or heading first, then
/// the first field line outside code blocks (`code`, the document's).
pub fn find_status(text: &str, body: Range<usize>, secs: &[Section], code: &Code) -> Option<BodyValue> {
    section_status(text, secs, code).or_else(|| field_status(text, body, code))
}

/// Every place the body keeps a status: the `Status` section (or heading)
/// and the first status field, when that is on another line.
pub(crate) fn status_places(text: &str, body: Range<usize>, secs: &[Section], code: &Code) -> Vec<BodyValue> {
    let mut out: Vec<BodyValue> = section_status(text, secs, code).into_iter().collect();
    if let Some(f) = field_status(text, body, code) {
        if !out.iter().any(|v| v.line == f.line) {
            out.push(f);
        }
    }
    out
}

/// A heading that holds the status itself: `## Status: Accepted`,
/// `### Status — PROPOSED`.
fn heading_status(text: &str, secs: &[Section]) -> Option<BodyValue> {
    secs.iter().find_map(|s| {
        let line = lines(text, s.heading.clone()).next()?;
        let l = &text[line.content.clone()];
        let after_hashes = l.trim_start_matches([' ', '#']);
        let at = l.len() - after_hashes.len();
        let lead = after_hashes.len() - after_hashes.trim_start().len();
        let rest = &after_hashes[lead..];
        if !rest.get(..6).is_some_and(|w| w.eq_ignore_ascii_case("status")) {
            return None;
        }
        let sep = rest[6..].trim_start();
        let r = if let Some(dash) = sep.strip_prefix(['—', '–', '-']) {
            let v = dash.trim_start().trim_end().trim_end_matches([' ', '#']).trim_end();
            (!v.is_empty()).then(|| {
                let s0 = at + lead + rest.len() - dash.len() + (dash.len() - dash.trim_start().len());
                s0..s0 + v.len()
            })?
        } else {
            let r = field_value(rest, STATUS_NAMES)?;
            let v = rest[r.clone()].trim_end_matches([' ', '#']).trim_end();
            at + lead + r.start..at + lead + r.start + v.len()
        };
        let whole = line.content.start + r.start..line.content.start + r.end;
        Some(BodyValue {
            word: word_span(text, whole.clone()),
            whole,
            line: line.content,
            place: StatusPlace::Section,
        })
    })
}

/// The status a `Status` section's paragraph holds (its checked box when
/// it is a checkbox list), or a `## Status: X` heading's.
fn section_status(text: &str, secs: &[Section], code: &Code) -> Option<BodyValue> {
    if let Some(v) = heading_status(text, secs) {
        return Some(v);
    }
    if let Some(sec) = sections::find(secs, &["status", "estado"]) {
        // The section's own paragraph: stop at a sub-heading.
        let stop = secs
            .iter()
            .find(|s| s.heading.start >= sec.content.start && s.heading.start < sec.content.end)
            .map(|s| s.heading.start)
            .unwrap_or(sec.content.end);
        let mut checked: Option<BodyValue> = None;
        let mut first: Option<BodyValue> = None;
        for l in lines(text, sec.content.start..stop) {
            let s = &text[l.content.clone()];
            if s.trim().is_empty() || s.trim_start().starts_with("<!--") || code.contains(l.full.start) {
                continue;
            }
            let Some(r) = section_value(s) else { continue };
            let whole = l.content.start + r.start..l.content.start + r.end;
            let v = BodyValue {
                word: word_span(text, whole.clone()),
                whole,
                line: l.content.clone(),
                place: StatusPlace::Section,
            };
            // A checkbox list: the checked box is the status.
            let t = s.trim_start().trim_start_matches(['-', '*', ' ']);
            if t.starts_with("[x]") || t.starts_with("[X]") {
                checked.get_or_insert(v.clone());
            }
            if first.is_none() {
                first = Some(v);
            }
        }
        if let Some(v) = checked.or(first) {
            return Some(v);
        }
    }
    None
}

/// The first status field line of the body.
fn field_status(text: &str, body: Range<usize>, code: &Code) -> Option<BodyValue> {
    find_field(text, body, STATUS_NAMES, code).map(|(whole, line)| BodyValue {
        word: word_span(text, whole.clone()),
        whole,
        line,
        place: StatusPlace::Field,
    })
}

/// How far into the body field lines are looked for: fields are a header
/// block, and a `Status:` deep in the text is prose or an example.
pub(crate) const FIELD_LINES: usize = 120;

/// The first field line named one of `names` outside the document's code
/// blocks (`code`), within the first [`FIELD_LINES`] lines; returns the value
/// span and the line span.
pub(crate) fn find_field(
    text: &str,
    body: Range<usize>,
    names: &[&str],
    code: &Code,
) -> Option<(Range<usize>, Range<usize>)> {
    // Most bodies never name the field: one substring search each way of
    // writing it (`status`, `Status`, `STATUS`) spares the line scan.
    let named = text.get(body.clone()).is_some_and(|hay| {
        names.iter().any(|n| {
            let tail = n.get(1..).unwrap_or(n);
            hay.contains(tail) || hay.contains(&tail.to_ascii_uppercase())
        })
    });
    if !named {
        return None;
    }
    let mut it = lines(text, body).take(FIELD_LINES).peekable();
    while let Some(l) = it.next() {
        let s = &text[l.content.clone()];
        if code.contains(l.full.start) || !may_start_with(s, names) {
            continue;
        }
        if let Some(r) = field_value(s, names) {
            // A table's header row (`| Status | Owner |` over `|---|---|`)
            // names columns; it holds no value unless that is a status
            // (`| Status | Accepted |` heading a table of fields).
            let value = &s[r.clone()];
            let header = s.trim_start().starts_with('|')
                && it.peek().is_some_and(|n| is_delimiter_row(&text[n.content.clone()]))
                && !crate::document::Kind::ALL
                    .iter()
                    .any(|k| crate::workflow::normalize_status(*k, value).is_some());
            if !header {
                return Some((l.content.start + r.start..l.content.start + r.end, l.content));
            }
        }
    }
    None
}

/// A cheap test before [`field_value`]: a field's name starts within the
/// first few bytes of its line (after indentation, a list or table marker
/// and bold), so one of the names' first letters must be there.
fn may_start_with(line: &str, names: &[&str]) -> bool {
    let head = &line.as_bytes()[..line.len().min(12)];
    names.iter().any(|n| {
        n.as_bytes()
            .first()
            .is_some_and(|c| head.iter().any(|b| b.eq_ignore_ascii_case(c)))
    })
}

/// A table's delimiter row: `|---|:--:|`.
fn is_delimiter_row(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('|') && t.contains('-') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fv(l: &str) -> Option<&str> {
        field_value(l, STATUS_NAMES).map(|r| &l[r])
    }

    #[test]
    fn field_styles() {
        assert_eq!(fv("**Status**: Accepted"), Some("Accepted"));
        assert_eq!(fv("**Status:** Accepted"), Some("Accepted"));
        assert_eq!(fv("- **Status**: Accepted"), Some("Accepted"));
        assert_eq!(fv("| **Status** | Proposed |"), Some("Proposed"));
        assert_eq!(fv("Status: Accepted (implemented)"), Some("Accepted (implemented)"));
        assert_eq!(fv("* Status: accepted"), Some("accepted"));
        assert_eq!(fv("- **Status** -- Accepted"), Some("Accepted"));
        assert_eq!(fv("**Estado**: en progreso"), Some("en progreso"));
        assert_eq!(fv("Statusbar: x"), None);
        assert_eq!(fv("The status: x"), None);
        assert_eq!(fv("          status: 200,"), None);
        assert_eq!(fv("status: 500"), None);
        assert_eq!(field_value("| Date | Action | Learnings |", &["date"]), None);
        assert_eq!(fv("| Status | Accepted |"), Some("Accepted"));
        assert_eq!(fv("| Status | **Accepted** |"), Some("Accepted"));
        assert_eq!(fv("| **Status** | **PROPOSED** |"), Some("PROPOSED"));
        assert_eq!(fv("| Status of the rollout | x |"), None);
        assert_eq!(fv("Status: Accepted | Date: 2024-01-01"), Some("Accepted"));
        assert_eq!(fv("**Status**: **IMPLEMENTED**"), Some("IMPLEMENTED"));
    }

    #[test]
    fn headings_and_table_headers() {
        let t = "# T\n\n## Status: Accepted\n\n## Context\n";
        let s = sections::sections(t, 0..t.len());
        let v = find_status(t, 0..t.len(), &s, &Code::scan(t, 0..t.len(), None)).unwrap();
        assert_eq!(&t[v.whole], "Accepted");
        let t = "# T\n\n### Status — **PROPOSED** ###\n";
        let s = sections::sections(t, 0..t.len());
        let v = find_status(t, 0..t.len(), &s, &Code::scan(t, 0..t.len(), None)).unwrap();
        assert_eq!(&t[v.word], "PROPOSED");
        let t = "# T\n\n| Status | Owner |\n|---|---|\n| open | me |\n\n| Status | Done |\n";
        let (r, _) = find_field(t, 0..t.len(), STATUS_NAMES, &Code::scan(t, 0..t.len(), None)).unwrap();
        assert_eq!(&t[r], "Done");
        let t = "# T\n\n**Status**: Open\n\n## Status\n\nIn Progress\n";
        let s = sections::sections(t, 0..t.len());
        let p = status_places(t, 0..t.len(), &s, &Code::scan(t, 0..t.len(), None));
        let words: Vec<_> = p.iter().map(|v| &t[v.word.clone()]).collect();
        assert_eq!(words, ["In Progress", "Open"]);
    }

    #[test]
    fn fields_and_sections_share_one_fence_rule() {
        use crate::document::Document;
        // A fence that never closes is text for every reader: the status
        // field after it is read, and so is the section heading.
        let t = "# T\n\n```sh\nnever closed\n\n**Status**: Accepted\n\n## Context\n";
        let d = Document::parse("notes/x.md", t.to_string());
        assert_eq!(d.meta.status_raw.as_deref(), Some("Accepted"));
        assert_eq!(
            d.sections.iter().map(|s| s.title.as_str()).collect::<Vec<_>>(),
            ["T", "Context"]
        );
        // A bare fence met by another opener with a language was never
        // closed: what follows the inner block is text to both.
        let t = "# T\n\n```\nold\n```bash\necho\n```\n\nStatus: open\n\n## Work Log\n";
        let d = Document::parse("notes/y.md", t.to_string());
        assert_eq!(d.meta.status_raw.as_deref(), Some("open"));
        assert!(d.sections.iter().any(|s| s.title == "Work Log"));
        // A closed block hides its field from both, and a status section's
        // code is no status.
        let t = "# T\n\n```\n**Status**: wrong\n## Not\n```\n\n## Status\n\n```\nrejected\n```\nAccepted\n";
        let d = Document::parse("notes/z.md", t.to_string());
        assert_eq!(d.meta.status_raw.as_deref(), Some("Accepted"));
        assert_eq!(
            d.sections.iter().map(|s| s.title.as_str()).collect::<Vec<_>>(),
            ["T", "Status"]
        );
        // Every line the field reader skips as code is a line the section
        // reader skips, and the other way round.
        for (i, l) in lines(&d.text, 0..d.text.len()).enumerate() {
            let heading = sections::heading(&d.text[l.content.clone()]).is_some();
            let listed = d.sections.iter().any(|s| s.heading.start == l.full.start);
            assert_eq!(heading && !d.code.contains(l.full.start), listed, "line {}", i + 1);
        }
        // Front matter after the title: its YAML opens no fence.
        let t = "# T\n\n---\nnote: |\n  ```\n---\n\n**Status**: Proposed\n\n## Context\n";
        let d = Document::parse("notes/w.md", t.to_string());
        assert_eq!(d.meta.status_raw.as_deref(), Some("Proposed"));
        assert!(d.code.blocks().is_empty());
    }

    #[test]
    fn section_status() {
        let t = "# 5. T\n\n## Status\n\nSuperseded by [9. H](0009-h.md)\n\n## Context\n";
        let s = sections::sections(t, 0..t.len());
        let v = find_status(t, 0..t.len(), &s, &Code::scan(t, 0..t.len(), None)).unwrap();
        assert_eq!(&t[v.word], "Superseded");
        assert_eq!(&t[v.whole], "Superseded by [9. H](0009-h.md)");

        let t = "## Status\n- [ ] Pending\n- [x] In Progress\n- **Priority**: P1\n";
        let s = sections::sections(t, 0..t.len());
        let v = find_status(t, 0..t.len(), &s, &Code::scan(t, 0..t.len(), None)).unwrap();
        assert_eq!(&t[v.word], "In Progress");
    }
}
