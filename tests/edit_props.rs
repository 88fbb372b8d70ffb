//! Property tests of the text edits: a status edit changes only the bytes
//! of the value (front matter in any key order, quoting, comments, CRLF,
//! BOM, with or without a final newline; and every body style), the result
//! parses back with the new value, applying no edits is the identity, and a
//! work-log append adds exactly one row and nothing else.

use findings::document::fields::StatusPlace;
use findings::document::Document;
use findings::edit::status::{adapt_case, set_status};
use findings::edit::worklog::{self, Entry};
use findings::edit::{apply, Edit, EditError};
use proptest::prelude::*;
use proptest::sample::{select, subsequence};

#[derive(Debug, Clone)]
struct Frame {
    eol: &'static str,
    bom: bool,
    final_newline: bool,
}

fn frame() -> impl Strategy<Value = Frame> {
    (prop_oneof![Just("\n"), Just("\r\n")], any::<bool>(), any::<bool>()).prop_map(|(eol, bom, final_newline)| Frame {
        eol,
        bom,
        final_newline,
    })
}

impl Frame {
    fn render(&self, lines: &[String]) -> String {
        let mut s = String::new();
        if self.bom {
            s.push('\u{feff}');
        }
        s.push_str(&lines.join(self.eol));
        if self.final_newline {
            s.push_str(self.eol);
        }
        s
    }
}

fn cased(word: &'static str) -> impl Strategy<Value = String> {
    prop_oneof![
        Just(word.to_string()),
        Just(word.to_uppercase()),
        Just(
            word.split(' ')
                .map(|w| {
                    let mut c = w.chars();
                    c.next()
                        .map(|f| f.to_uppercase().chain(c).collect::<String>())
                        .unwrap_or_default()
                })
                .collect::<Vec<_>>()
                .join(" ")
        ),
    ]
}

fn old_status() -> impl Strategy<Value = String> {
    select(vec!["open", "pending", "accepted", "done", "in_progress", "resolved"]).prop_flat_map(cased)
}

const CANONICAL: &[&str] = &[
    "open",
    "triaged",
    "in_progress",
    "resolved",
    "wont_fix",
    "ready",
    "complete",
    "accepted",
    "superseded",
    "deprecated",
];

/// The bytes outside the edit are the original's.
fn only_inside(text: &str, out: &str, e: &Edit) {
    assert_eq!(&out[..e.range.start], &text[..e.range.start]);
    let tail = e.range.start + e.text.len();
    assert_eq!(&out[tail..], &text[e.range.end..]);
}

fn front_matter_doc() -> impl Strategy<Value = (String, String)> {
    let others = vec![
        "id: F-12".to_string(),
        "priority: p2".to_string(),
        "issue_id: \"012\"".to_string(),
        "tags: [a, b]".to_string(),
        "created: 2026-01-10T00:00:00Z".to_string(),
        "owner: 'sam' # lead".to_string(),
        "links:\n  - a.md\n  - b.md".to_string(),
        "# a comment line".to_string(),
        "title: \"A: quoted title\"".to_string(),
    ];
    let n = others.len();
    (
        subsequence(others, 0..=n).prop_shuffle(),
        old_status(),
        select(vec!["", "'", "\""]),
        select(vec!["", "  ", " # open → triaged", "   # was: open"]),
        any::<prop::sample::Index>(),
        frame(),
        select(vec!["", "## Problem", "Status: prose", "text", "```", "| a | b |"]),
    )
        .prop_map(|(keys, status, quote, tail, at, f, body_line)| {
            let mut keys: Vec<String> = keys;
            let pos = at.index(keys.len() + 1);
            keys.insert(pos, format!("status: {quote}{status}{quote}{tail}"));
            let mut lines = vec!["---".to_string()];
            for k in keys {
                lines.extend(k.split('\n').map(str::to_string));
            }
            lines.push("---".into());
            lines.push("".into());
            lines.push("# Title".into());
            lines.push(body_line.into());
            (f.render(&lines), status)
        })
}

fn body_doc() -> impl Strategy<Value = (String, String)> {
    (
        old_status(),
        select(vec![
            "section",
            "bold",
            "bold-inside",
            "plain",
            "madr",
            "table",
            "dash-bold",
        ]),
        select(vec!["", " (implemented)", "  "]),
        frame(),
        any::<bool>(),
    )
        .prop_map(|(v, style, note, f, fm)| {
            let mut lines = Vec::new();
            if fm {
                lines.extend(["---".to_string(), "id: F-1".into(), "---".into()]);
            }
            lines.push("# 7. Title".to_string());
            lines.push(String::new());
            match style {
                "section" => lines.extend(["## Status".into(), String::new(), format!("{v}{note}")]),
                "bold" => lines.push(format!("**Status**: {v}{note}")),
                "bold-inside" => lines.push(format!("**Status:** {v}{note}")),
                "plain" => lines.push(format!("Status: {v}{note}")),
                "madr" => lines.push(format!("* Status: {v}{note}")),
                "dash-bold" => lines.push(format!("- **Status**: {v}{note}")),
                _ => {
                    lines.push("| Field | Value |".into());
                    lines.push("|---|---|".into());
                    lines.push(format!("| **Status** | {v}{note} |"));
                }
            }
            lines.push(String::new());
            lines.push("## Context".into());
            lines.push("Text.".into());
            (f.render(&lines), v)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn apply_without_edits_is_identity(s in any::<String>()) {
        prop_assert_eq!(apply(&s, &[]).unwrap(), s);
    }

    #[test]
    fn front_matter_status_changes_only_the_value(
        (text, old) in front_matter_doc(),
        new in prop_oneof![select(CANONICAL.to_vec()).prop_map(str::to_string), "[ -~]{1,14}"],
    ) {
        let doc = Document::parse("findings/F-12-open-p2-x.md", text.clone());
        prop_assert_eq!(doc.status_at.as_ref().map(|s| s.place), Some(StatusPlace::FrontMatter));
        let edits = match set_status(&doc, &new) {
            Err(EditError::InvalidValue { .. }) => {
                prop_assert!(new.trim() != new || new.trim().is_empty());
                return Ok(());
            }
            other => other.unwrap(),
        };
        prop_assert_eq!(edits.len(), 1);
        let out = apply(&text, &edits).unwrap();
        only_inside(&text, &out, &edits[0]);
        let line = doc.key("status").unwrap().line.clone();
        prop_assert!(edits[0].range.start >= line.start && edits[0].range.end <= line.end);

        let after = Document::parse("findings/F-12-open-p2-x.md", out);
        let want = adapt_case(&old, &new, false);
        let yaml = after.yaml.as_ref().expect("front matter still valid YAML");
        prop_assert_eq!(yaml.get("status").and_then(|v| v.as_str()), Some(want.as_str()));
        prop_assert_eq!(after.meta.status_place, Some(StatusPlace::FrontMatter));
        prop_assert_eq!(after.split.bom, doc.split.bom);
        prop_assert_eq!(after.text.ends_with('\n'), text.ends_with('\n'));
    }

    #[test]
    fn body_status_changes_only_the_word(
        (text, old) in body_doc(),
        new in select(CANONICAL.to_vec()),
    ) {
        let doc = Document::parse("docs/adr/0007-title.md", text.clone());
        let place = doc.status_at.as_ref().map(|s| s.place);
        prop_assert!(matches!(place, Some(StatusPlace::Section | StatusPlace::Field)), "{:?}", place);
        let edits = set_status(&doc, new).unwrap();
        prop_assert_eq!(edits.len(), 1);
        let word = doc.status_at.as_ref().unwrap().word.clone();
        prop_assert_eq!(&edits[0].range, &word);
        let out = apply(&text, &edits).unwrap();
        only_inside(&text, &out, &edits[0]);

        let after = Document::parse("docs/adr/0007-title.md", out.clone());
        let at = after.status_at.as_ref().expect("status still found");
        prop_assert_eq!(Some(at.place), place);
        let want = adapt_case(&old, new, true);
        prop_assert_eq!(&out[at.word.clone()], want.as_str());
        let canonical = findings::workflow::normalize_status(after.meta.kind, new);
        prop_assert_eq!(after.meta.status, canonical);
    }
}

// ---------------------------------------------------------------- work log

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 .,:→-]{0,14}",
        "[a-z]{1,5}\\\\\\|[a-z]{1,5}",
        "`[a-z|]{1,6}`",
    ]
}

fn table_doc() -> impl Strategy<Value = (String, usize)> {
    let headers = vec!["Date", "Action", "Learnings", "By", "Notes", "Who", "Extra"];
    (
        subsequence(headers, 1..=7).prop_shuffle(),
        prop::collection::vec(prop::collection::vec(cell(), 7), 0..5),
        any::<bool>(),
        select(vec!["", "## Resources", "## Resources\n- r"]),
        frame(),
        any::<bool>(),
    )
        .prop_map(|(cols, rows, blank, after, f, fm)| {
            let mut lines = Vec::new();
            if fm {
                lines.extend(["---".to_string(), "status: pending".into(), "---".into()]);
            }
            lines.extend(["# T".to_string(), String::new(), "## Work Log".into()]);
            if blank {
                lines.push(String::new());
            }
            lines.push(format!("| {} |", cols.join(" | ")));
            lines.push(format!("|{}|", vec!["---"; cols.len()].join("|")));
            for r in &rows {
                let cells: Vec<&str> = r.iter().take(cols.len()).map(String::as_str).collect();
                lines.push(format!("| {} |", cells.join(" | ")));
            }
            if !after.is_empty() {
                lines.push(String::new());
                lines.extend(after.split('\n').map(str::to_string));
            }
            (f.render(&lines), rows.len())
        })
}

fn entry() -> impl Strategy<Value = Entry> {
    ("[0-9-]{10}", "[ -~]{0,10}", "[ -~]{0,16}", "[ -~\n→]{0,30}").prop_map(|(date, author, action, details)| Entry {
        date,
        author,
        action,
        details,
    })
}

fn body_rows(doc: &Document) -> Option<(usize, usize, String)> {
    let sec = worklog::find(doc)?;
    let t = worklog::find_table(doc, sec)?;
    let head = t.lines.first()?;
    let last = t.lines.last()?;
    let ncols = worklog::cells(&doc.text[head.content.clone()]).len();
    Some((t.lines.len() - 2, ncols, doc.text[last.content.clone()].to_string()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn worklog_table_gains_exactly_one_row((text, rows) in table_doc(), e in entry()) {
        let doc = Document::parse("todos/001-pending-p1-x.md", text.clone());
        let (before, ncols, _) = body_rows(&doc).expect("table found");
        prop_assert_eq!(before, rows);
        let edits = worklog::append(&doc, &e);
        prop_assert_eq!(edits.len(), 1);
        prop_assert!(edits[0].range.is_empty());
        let out = apply(&text, &edits).unwrap();
        only_inside(&text, &out, &edits[0]);
        let after = Document::parse("todos/001-pending-p1-x.md", out);
        let (rows_after, ncols_after, last) = body_rows(&after).expect("table still found");
        prop_assert_eq!(rows_after, rows + 1);
        prop_assert_eq!(ncols_after, ncols);
        prop_assert_eq!(worklog::cells(&last).len(), ncols, "{}", last);
        prop_assert_eq!(after.meta.status, doc.meta.status);
    }

    #[test]
    fn worklog_section_is_created_once(f in frame(), e in entry(), resources in any::<bool>(), tail in select(vec!["text", "- item", "```\ncode\n```", ""])) {
        let mut lines = vec!["# T".to_string(), String::new(), "## Problem".into(), tail.to_string()];
        if resources {
            lines.extend([String::new(), "## Resources".into(), "- r".into()]);
        }
        let text = f.render(&lines);
        let doc = Document::parse("todos/001-pending-p1-x.md", text.clone());
        let edits = worklog::append(&doc, &e);
        prop_assert_eq!(edits.len(), 1);
        let out = apply(&text, &edits).unwrap();
        only_inside(&text, &out, &edits[0]);
        prop_assert_eq!(out.ends_with('\n'), text.ends_with('\n'));
        let after = Document::parse("todos/001-pending-p1-x.md", out);
        let (rows, ncols, _) = body_rows(&after).expect("new table");
        prop_assert_eq!((rows, ncols), (1, 3));
        if resources {
            let wl = worklog::find(&after).unwrap().heading.start;
            let res = findings::document::sections::find(&after.sections, &["resources"]).unwrap().heading.start;
            prop_assert!(wl < res);
        }
    }
}
