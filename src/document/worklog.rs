//! Reading a document's work log: its section, the pipe table in it (rows
//! split into cells on unescaped `|`), and its entries by byte range
//! ([`work_log`], what the merge driver, sync and history compare).
//! Appending an entry is [`crate::edit::worklog`].

use super::sections::{self, Section};
use super::text::{last_nonblank, lines, Line};
use super::Document;
use std::ops::Range;

/// Titles the Work Log section goes by (after emoji and numbering).
pub const TITLES: &[&str] = &["work log", "worklog", "work-log"];

/// The document's Work Log section.
pub fn find(doc: &Document) -> Option<&Section> {
    sections::find(&doc.sections, TITLES)
}

/// A pipe table: its lines (header, delimiter, rows).
pub struct Table {
    /// The table's lines, in order: header, delimiter, then the rows.
    pub lines: Vec<Line>,
}

/// Split a table line into cells on unescaped `|` (outer pipes dropped).
pub fn cells(line: &str) -> Vec<String> {
    let t = line.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = if t.ends_with('|') && !t.ends_with("\\|") {
        &t[..t.len() - 1]
    } else {
        t
    };
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut esc = false;
    for c in t.chars() {
        if c == '|' && !esc {
            out.push(cur.trim().to_string());
            cur.clear();
            continue;
        }
        esc = c == '\\' && !esc;
        cur.push(c);
    }
    out.push(cur.trim().to_string());
    out
}

pub(crate) fn is_table_line(s: &str) -> bool {
    let indent = s.len() - s.trim_start_matches(' ').len();
    indent <= 3 && s.trim_start().starts_with('|')
}

fn is_delimiter(s: &str) -> bool {
    is_table_line(s) && {
        let c = cells(s);
        !c.is_empty()
            && c.iter().all(|c| {
                let c = c.trim();
                c.contains('-') && c.chars().all(|ch| matches!(ch, '-' | ':' | ' '))
            })
    }
}

/// The first table of the section (outside code blocks).
pub fn find_table(doc: &Document, sec: &Section) -> Option<Table> {
    let t = &doc.text;
    let all: Vec<Line> = lines(t, sec.content.clone()).collect();
    let code: Vec<bool> = all.iter().map(|l| doc.code.contains(l.full.start)).collect();
    for i in 0..all.len() {
        let (Some(h), Some(d)) = (all.get(i), all.get(i + 1)) else {
            break;
        };
        if code.get(i) == Some(&true) || !is_table_line(&t[h.content.clone()]) || !is_delimiter(&t[d.content.clone()]) {
            continue;
        }
        let rows = all[i..]
            .iter()
            .take_while(|l| is_table_line(&t[l.content.clone()]))
            .cloned()
            .collect();
        return Some(Table { lines: rows });
    }
    None
}

/// One work-log entry of a document, by byte ranges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    /// The entry itself: a table row, or a block from its heading to its
    /// last line of text.
    pub(crate) core: Range<usize>,
    /// The entry with the text that separates it from what precedes it (a
    /// line ending; blank lines or a `---` rule between blocks).
    pub(crate) full: Range<usize>,
    /// The entry with whitespace and table padding normalized: equal keys
    /// are the same entry.
    pub(crate) key: String,
    /// The first `YYYY-MM-DD` of the row, or of the block's heading.
    pub(crate) date: Option<String>,
}

/// A document's work-log entries and the span they occupy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkLog {
    /// From the end of the line before the first entry (the table's
    /// delimiter row, the section heading or its intro text) to the end of
    /// the last entry's text: replacing it replaces exactly the entries.
    pub(crate) range: Range<usize>,
    /// The entries, in the order the document writes them.
    pub entries: Vec<LogEntry>,
    /// A table (else `###` blocks).
    pub(crate) table: bool,
}

/// The first `YYYY-MM-DD` in `s`.
pub(crate) fn find_date(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    (0..b.len().saturating_sub(9)).find_map(|i| {
        let ok = (0..4).all(|k| digit(i + k))
            && b.get(i + 4) == Some(&b'-')
            && digit(i + 5)
            && digit(i + 6)
            && b.get(i + 7) == Some(&b'-')
            && digit(i + 8)
            && digit(i + 9)
            && (i == 0 || !digit(i - 1))
            && !digit(i + 10);
        ok.then(|| s[i..i + 10].to_string())
    })
}

/// The work log of `doc`, as the work-log appender finds it: the first table
/// of the Work Log section, else its sub-heading blocks.
pub fn work_log(doc: &Document) -> Option<WorkLog> {
    let t = &doc.text;
    let sec = find(doc)?;
    if let Some(table) = find_table(doc, sec) {
        let delim = table.lines.get(1)?;
        let mut prev = delim.content.end;
        let mut entries = Vec::new();
        for row in table.lines.iter().skip(2) {
            let cells = cells(&t[row.content.clone()]);
            let key = cells
                .iter()
                .map(|c| c.split_whitespace().collect::<Vec<_>>().join(" "))
                .collect::<Vec<_>>()
                .join(" | ");
            entries.push(LogEntry {
                core: row.content.clone(),
                full: prev..row.content.end,
                date: cells.iter().find_map(|c| find_date(c)),
                key,
            });
            prev = row.content.end;
        }
        return Some(WorkLog {
            range: delim.content.end..prev,
            entries,
            table: true,
        });
    }
    let subs: Vec<_> = doc
        .sections
        .iter()
        .filter(|s| s.level > sec.level && s.heading.start >= sec.content.start && s.heading.start < sec.content.end)
        .collect();
    let level = subs.iter().map(|s| s.level).min()?;
    let blocks: Vec<_> = subs.into_iter().filter(|s| s.level == level).collect();
    let first = blocks.first()?;
    let start = last_nonblank(t, sec.content.start..first.heading.start)
        .map(|l| l.content.end)
        .or_else(|| lines(t, sec.heading.clone()).next().map(|l| l.content.end))
        .unwrap_or(sec.content.start);
    let mut prev = start;
    let mut entries = Vec::new();
    for b in blocks {
        // A block's own text ends before a thematic break, as the appender
        // reads it.
        let mut end = b.content.end;
        for l in lines(t, b.content.clone()) {
            if is_rule(&t[l.content.clone()]) {
                end = l.full.start;
                break;
            }
        }
        let core_end = last_nonblank(t, b.content.start..end)
            .or_else(|| lines(t, b.heading.clone()).next())
            .map(|l| l.content.end)
            .unwrap_or(b.heading.end);
        let core = b.heading.start..core_end.max(b.heading.start);
        let key = t[core.clone()]
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
        entries.push(LogEntry {
            full: prev.min(core.start)..core.end,
            date: find_date(&b.title),
            core,
            key,
        });
        prev = core_end;
    }
    Some(WorkLog {
        range: start..prev,
        entries,
        table: false,
    })
}

fn is_rule(s: &str) -> bool {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    t.len() >= 3 && (t.chars().all(|c| c == '-') || t.chars().all(|c| c == '*') || t.chars().all(|c| c == '_'))
}
