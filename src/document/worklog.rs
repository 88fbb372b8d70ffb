//! Reading a document's work log: its section and the pipe table in it
//! (rows split into cells on unescaped `|`). Appending an entry is
//! [`crate::edit::worklog`].

use super::sections::{self, Section};
use super::text::{lines, Line};
use super::Document;

/// Titles the Work Log section goes by (after emoji and numbering).
pub const TITLES: &[&str] = &["work log", "worklog", "work-log"];

/// The document's Work Log section.
pub fn find(doc: &Document) -> Option<&Section> {
    sections::find(&doc.sections, TITLES)
}

/// A pipe table: its lines (header, delimiter, rows).
pub struct Table {
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
