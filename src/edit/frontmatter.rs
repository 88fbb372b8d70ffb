//! Front-matter key edits. An existing scalar keeps its key, its quoting
//! style, its trailing comment and its place: only the value's bytes change
//! (a plain value that would no longer read back as the same string gets
//! double quotes). A missing key is inserted as one new `key: value` line
//! after an anchor key's line (and any block below it), else before the
//! closing fence, with the file's line ending; a file without front matter
//! gets a new block at the top (after a byte-order mark).

use super::{eol, Edit, EditError};
use crate::document::frontmatter::{KeyLine, Style};
use crate::document::text::lines;
use crate::document::Document;

/// Set front-matter `key` to `value`. `after` lists anchor keys, tried in
/// order, that a new key line is inserted after (e.g. `resolved` after
/// `created`).
pub(crate) fn set_key(doc: &Document, key: &str, value: &str, after: &[&str]) -> Result<Vec<Edit>, EditError> {
    if let Some(k) = doc.key(key) {
        return Ok(vec![replace_value(doc, k, value)?]);
    }
    insert_key(doc, key, value, after).map(|e| vec![e])
}

/// The edit that sets an existing key's scalar value.
pub(crate) fn replace_value(doc: &Document, k: &KeyLine, value: &str) -> Result<Edit, EditError> {
    let t = &doc.text;
    match k.style {
        Style::Plain => Ok(Edit::replace(k.value.clone(), render(value))),
        Style::Double => Ok(Edit::replace(k.value.clone(), escape_double(value))),
        Style::Single if value.chars().any(char::is_control) => {
            // Single quotes cannot hold control characters: switch to double.
            Ok(Edit::replace(
                k.value.start.saturating_sub(1)..(k.value.end + 1).min(t.len()),
                format!("\"{}\"", escape_double(value)),
            ))
        }
        Style::Single => Ok(Edit::replace(k.value.clone(), value.replace('\'', "''"))),
        Style::Empty => {
            if has_block_below(doc, k) {
                return Err(EditError::NotScalar { key: k.key.clone() });
            }
            let at = k.value.start;
            let before = if t[..at].ends_with(':') { " " } else { "" };
            let after = if t[at..].starts_with('#') { " " } else { "" };
            Ok(Edit::insert(at, format!("{before}{}{after}", render(value))))
        }
        Style::Other => Err(EditError::NotScalar { key: k.key.clone() }),
    }
}

/// Insert `key: value` as a new line.
fn insert_key(doc: &Document, key: &str, value: &str, after: &[&str]) -> Result<Edit, EditError> {
    let nl = eol(doc);
    let line = format!("{}: {}", render(key), render(value));
    let Some(front) = &doc.split.front else {
        if doc.split.unterminated {
            return Err(EditError::UnterminatedFrontMatter);
        }
        return Ok(Edit::insert(doc.split.bom, format!("---{nl}{line}{nl}---{nl}")));
    };
    let at = after
        .iter()
        .find_map(|a| doc.key(a))
        .map(|k| end_of_key_block(doc, k))
        .unwrap_or(front.yaml.end);
    Ok(Edit::insert(at, format!("{line}{nl}")))
}

/// Lines below a key that belong to it: indented lines and `- ` items
/// (blank lines count only when more of the block follows).
fn block_below(doc: &Document, k: &KeyLine) -> (usize, bool) {
    let t = &doc.text;
    let Some(front) = &doc.split.front else {
        return (k.line.end, false);
    };
    let mut it = lines(t, k.line.start..front.yaml.end);
    let Some(first) = it.next() else {
        return (k.line.end, false);
    };
    let mut end = first.full.end;
    let mut any = false;
    for l in it {
        let s = &t[l.content.clone()];
        if s.trim().is_empty() {
            continue;
        }
        if s.starts_with([' ', '\t']) || s == "-" || s.starts_with("- ") {
            end = l.full.end;
            any = true;
        } else {
            break;
        }
    }
    (end, any)
}

fn end_of_key_block(doc: &Document, k: &KeyLine) -> usize {
    block_below(doc, k).0
}

fn has_block_below(doc: &Document, k: &KeyLine) -> bool {
    block_below(doc, k).1
}

/// A value as YAML: plain when it reads back as the same string, else
/// double-quoted.
pub(crate) fn render(value: &str) -> String {
    if plain_ok(value) {
        value.to_string()
    } else {
        format!("\"{}\"", escape_double(value))
    }
}

/// True when `v` written plain reads back as exactly the string `v`.
pub(crate) fn plain_ok(v: &str) -> bool {
    if v.is_empty() || v != v.trim() || v.chars().any(char::is_control) {
        return false;
    }
    if v.starts_with([
        '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`',
    ]) || v.contains(": ")
        || v.contains(" #")
        || v.ends_with(':')
        || looks_special(v)
    {
        return false;
    }
    match serde_yaml::from_str::<serde_yaml::Value>(&format!("k: {v}\n")) {
        Ok(serde_yaml::Value::Mapping(m)) => {
            m.len() == 1 && matches!(m.get("k"), Some(serde_yaml::Value::String(s)) if s == v)
        }
        _ => false,
    }
}

/// Values other YAML readers (YAML 1.1 included) would not read as a
/// string: booleans, nulls, numbers in any notation.
fn looks_special(v: &str) -> bool {
    let l = v.to_ascii_lowercase();
    if matches!(
        l.as_str(),
        "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null" | "~"
    ) {
        return true;
    }
    let digits = l.trim_start_matches(['+', '-']);
    digits.parse::<f64>().is_ok()
        || digits.starts_with("0x")
        || digits.starts_with("0o")
        || digits.starts_with("0b")
        || digits.starts_with('.')
        || (digits.bytes().any(|b| b.is_ascii_digit())
            && digits
                .bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b'_' | b'.' | b':')))
}

/// Escape text for the inside of a double-quoted YAML scalar.
pub(crate) fn escape_double(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for c in v.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::apply;

    fn run(text: &str, key: &str, value: &str, after: &[&str]) -> String {
        let d = Document::parse("findings/DATA-001-open-P2-x.md", text.to_string());
        let e = set_key(&d, key, value, after).unwrap();
        apply(text, &e).unwrap()
    }

    #[test]
    fn replaces_in_place() {
        let t = "---\nid: X-1\nresolved: 2026-01-01 # when\nowner: 'a'\nnote: \"b\"\n---\n# T\n";
        assert_eq!(
            run(t, "resolved", "2026-02-02", &[]),
            t.replace("2026-01-01", "2026-02-02")
        );
        assert_eq!(run(t, "owner", "it's", &[]), t.replace("'a'", "'it''s'"));
        assert_eq!(
            run(t, "note", "say \"hi\"", &[]),
            t.replace("\"b\"", "\"say \\\"hi\\\"\"")
        );
        assert_eq!(run(t, "resolved", "yes", &[]), t.replace("2026-01-01", "\"yes\""));
        assert_eq!(run(t, "resolved", "a: b", &[]), t.replace("2026-01-01", "\"a: b\""));
    }

    #[test]
    fn inserts_after_anchor_or_before_fence() {
        let t = "---\r\nid: X-1\r\ncreated: 2026-01-10T00:00:00Z\r\nassignee: null\r\n---\r\n# T";
        assert_eq!(
            run(t, "resolved", "2026-01-11", &["created"]),
            t.replace("Z\r\n", "Z\r\nresolved: 2026-01-11\r\n")
        );
        assert_eq!(
            run(t, "resolved", "030", &["nope"]),
            t.replace("null\r\n", "null\r\nresolved: \"030\"\r\n")
        );
        let t = "---\nlinks:\n  - a\n\n  - b\ntags: []\n---\n";
        assert_eq!(
            run(t, "x", "1a", &["links"]),
            "---\nlinks:\n  - a\n\n  - b\nx: 1a\ntags: []\n---\n"
        );
    }

    #[test]
    fn empty_values_and_no_front_matter() {
        let t = "---\nresolved:\nb:   # c\n---\n";
        assert_eq!(run(t, "resolved", "x", &[]), "---\nresolved: x\nb:   # c\n---\n");
        assert_eq!(run(t, "b", "x", &[]), "---\nresolved:\nb:   x # c\n---\n");
        let t = "---\nlinks:\n  - a\n---\n";
        let d = Document::parse("a.md", t.into());
        assert!(matches!(
            set_key(&d, "links", "x", &[]),
            Err(EditError::NotScalar { .. })
        ));
        assert_eq!(
            run("\u{feff}# T\n", "status", "open", &[]),
            "\u{feff}---\nstatus: open\n---\n# T\n"
        );
        let d = Document::parse("a.md", "---\na: 1\n".into());
        assert_eq!(set_key(&d, "b", "x", &[]), Err(EditError::UnterminatedFrontMatter));
    }

    #[test]
    fn plain_or_quoted() {
        for v in ["open", "2026-01-11T00:00:00Z", "in progress", "a#b", "x:y"] {
            assert!(plain_ok(v), "{v}");
        }
        for v in [
            "", " a", "030", "true", "null", "~", "- a", "a: b", "a #b", "#x", "1.5", "a\nb",
        ] {
            assert!(!plain_ok(v), "{v}");
        }
    }
}
