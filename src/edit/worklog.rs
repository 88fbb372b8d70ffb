//! The work-log appender: one new entry in the style the file already uses.
//!
//! - A table (`| Date | Action | Learnings |`, any columns): one row right
//!   after the last row, cells filled by header name (Date/When,
//!   Action/What, Learnings/Notes/Details, By/Who/Author). `|` is escaped as
//!   `\|`, line breaks become `<br>`, and an aligned table stays aligned
//!   where the values fit. Without a details column the details follow the
//!   action (`Triage: pending → ready`); without a By column the author is
//!   left out (the commit records it).
//! - `### YYYY-MM-DD - Title` blocks with `**By:**` / `**Actions:**` lines:
//!   a new block after the last one, mimicking its heading level, date
//!   separator, label style and blank lines (and a `---` rule between
//!   blocks when the file uses one).
//! - A list (`- 2026-01-04 — text`): one more item with the same bullet
//!   and the same separator after the date.
//! - No Work Log section: `## Work Log` with a `| Date | Action | Learnings |`
//!   table before `## Resources` (or `## References`), else at the end.
//!
//! Insertions go right after the last non-blank line they follow, before
//! its line ending, so a file without a final newline keeps ending without
//! one and the blank lines that were there stay where they were.

use super::{
    blank_after_heading, eol, fill_empty_section, is_blank, last_nonblank, own_content_end, paragraph_after, Edit,
};
use crate::document::sections::{self, Section};
use crate::document::text::{lines, Line};
use crate::document::Document;
use unicode_width::UnicodeWidthStr;

/// One work-log entry.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Entry {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Who made the entry: `--author`, else git's `user.name`, else `$USER`.
    pub author: String,
    /// A short title ("Triage", "Approved for work").
    pub action: String,
    /// E.g. "pending → ready. note…".
    pub details: String,
}

pub use crate::document::worklog::{cells, find, find_table, Table, TITLES};

/// The edits that append `entry` to the document's work log.
pub fn append(doc: &Document, entry: &Entry) -> Vec<Edit> {
    let Some(sec) = find(doc) else {
        return vec![new_section(doc, entry)];
    };
    if let Some(t) = find_table(doc, sec) {
        return vec![table_row(doc, &t, entry)];
    }
    if let Some(b) = last_block(doc, sec) {
        return vec![block_after(doc, b, entry)];
    }
    if let Some(e) = list_item_after(doc, sec, entry) {
        return vec![e];
    }
    // A Work Log section without a table or entry blocks: start a table.
    let nl = eol(doc);
    let table = new_table(nl, entry);
    match last_nonblank(&doc.text, sec.content.start..own_content_end(doc, sec)) {
        Some(l) => vec![Edit::insert(l.content.end, format!("{nl}{nl}{table}"))],
        None => vec![fill_empty_section(doc, sec, &table)],
    }
}

fn escape_cell(s: &str) -> String {
    let flat = s.trim().replace("\r\n", "\n").replace('\r', "\n").replace('\n', "<br>");
    let mut out = String::with_capacity(flat.len() + 4);
    let mut backslashes = 0usize;
    for c in flat.chars() {
        if c == '|' {
            // The pipe needs an odd run of backslashes before it.
            if backslashes % 2 == 1 {
                out.push('\\');
            }
            out.push_str("\\|");
            backslashes = 0;
            continue;
        }
        backslashes = if c == '\\' { backslashes + 1 } else { 0 };
        out.push(c);
    }
    out
}

/// The action with its author, for a table that has no author column.
fn action_by(e: &Entry) -> String {
    let action = e.action.trim();
    let who = e.author.trim();
    if who.is_empty() {
        action.to_string()
    } else {
        format!("{action} (by {who})")
    }
}

fn new_table(nl: &str, e: &Entry) -> String {
    format!(
        "| Date | Action | Learnings |{nl}|------|--------|-----------|{nl}| {} | {} | {} |",
        escape_cell(&e.date),
        escape_cell(&action_by(e)),
        escape_cell(&e.details)
    )
}

fn new_section(doc: &Document, entry: &Entry) -> Edit {
    let nl = eol(doc);
    let anchor = sections::find(&doc.sections, &["resources", "references"]).filter(|s| s.level <= 2);
    let level = anchor.map(|s| s.level).unwrap_or(2);
    let at = anchor.map(|s| s.heading.start).unwrap_or(doc.text.len());
    let blank = if blank_after_heading(doc) { nl } else { "" };
    let block = format!("{} Work Log{nl}{blank}{}", "#".repeat(level), new_table(nl, entry));
    let (at, text) = paragraph_after(doc, at, &block);
    Edit::insert(at, text)
}

// ---------------------------------------------------------------- tables

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Date,
    Action,
    Details,
    Author,
    Other,
}

fn role(header: &str) -> Role {
    let h: String = header
        .chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .collect::<String>()
        .to_lowercase();
    let first = h.split_whitespace().next().unwrap_or("");
    let is = |names: &[&str]| names.contains(&first) || names.contains(&h.trim());
    if is(&["date", "when", "day", "timestamp", "time"]) {
        Role::Date
    } else if is(&[
        "action", "actions", "what", "change", "changes", "event", "activity", "title", "summary", "task", "step",
    ]) {
        Role::Action
    } else if is(&[
        "learnings",
        "learning",
        "notes",
        "note",
        "details",
        "detail",
        "outcome",
        "result",
        "results",
        "description",
        "comment",
        "comments",
        "findings",
        "lessons",
    ]) {
        Role::Details
    } else if is(&[
        "by", "who", "author", "agent", "actor", "owner", "reviewer", "assignee", "person",
    ]) {
        Role::Author
    } else {
        Role::Other
    }
}

/// Pipe positions (display columns) of a table line.
fn pipe_columns(s: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut esc = false;
    let mut col = 0;
    for c in s.chars() {
        if c == '|' && !esc {
            out.push(col);
        }
        esc = c == '\\' && !esc;
        col += UnicodeWidthStr::width(c.encode_utf8(&mut [0; 4]) as &str);
    }
    out
}

fn table_row(doc: &Document, table: &Table, e: &Entry) -> Edit {
    let t = &doc.text;
    let nl = eol(doc);
    let line = |l: &Line| &t[l.content.clone()];
    // `find_table` returns at least header and delimiter.
    let (Some(head), Some(last)) = (table.lines.first(), table.lines.last()) else {
        return Edit::insert(t.len(), String::new());
    };
    let roles: Vec<Role> = cells(line(head)).iter().map(|h| role(h)).collect();
    let has = |r: Role| roles.contains(&r);
    let mut action = if has(Role::Author) {
        e.action.trim().to_string()
    } else {
        action_by(e)
    };
    let mut details = e.details.trim().to_string();
    if !has(Role::Details) && !details.is_empty() {
        action = if action.is_empty() {
            details.clone()
        } else {
            format!("{action}: {details}")
        };
        details.clear();
    }
    if !has(Role::Action) && !action.is_empty() {
        details = if details.is_empty() {
            action.clone()
        } else {
            format!("{action}: {details}")
        };
        action.clear();
    }
    let mut values: Vec<String> = roles
        .iter()
        .map(|r| match r {
            Role::Date => escape_cell(&e.date),
            Role::Action => escape_cell(&action),
            Role::Details => escape_cell(&details),
            Role::Author => escape_cell(&e.author),
            Role::Other => String::new(),
        })
        .collect();
    if !has(Role::Action) && !has(Role::Details) {
        // Neither column: the first non-date column takes the text.
        if let Some(i) = roles.iter().position(|r| *r != Role::Date) {
            if let Some(v) = values.get_mut(i) {
                *v = escape_cell(&action);
            }
        }
    }
    // An aligned table (every line's pipes at the same columns) stays
    // aligned where the new values fit.
    let cols = pipe_columns(line(head));
    let aligned = cols.len() == roles.len() + 1 && table.lines.iter().all(|l| pipe_columns(line(l)) == cols);
    let first = line(last);
    let indent = &first[..first.len() - first.trim_start().len()];
    let trailing_pipe = line(head).trim_end().ends_with('|');
    let mut row = String::from(indent);
    row.push('|');
    for (i, v) in values.iter().enumerate() {
        row.push(' ');
        row.push_str(v);
        if aligned {
            let width = cols
                .get(i + 1)
                .zip(cols.get(i))
                .map(|(b, a)| b.saturating_sub(*a).saturating_sub(3))
                .unwrap_or(0);
            let w = UnicodeWidthStr::width(v.as_str());
            row.push_str(&" ".repeat(width.saturating_sub(w)));
        }
        if i + 1 < values.len() || trailing_pipe {
            row.push_str(" |");
        }
    }
    Edit::insert(last.content.end, format!("{nl}{row}"))
}

// ---------------------------------------------------------------- lists

/// `- `, `* ` or `+ ` at the start of a line (not a thematic break).
fn bullet(s: &str) -> Option<char> {
    let c = s.chars().next().filter(|c| matches!(c, '-' | '*' | '+'))?;
    (s[1..].starts_with(' ') && !is_rule(s)).then_some(c)
}

/// A work log kept as a list (`- 2026-01-04 — proposed by Ana`): one more
/// item after the list's last one, with its bullet and the separator it
/// puts after the date.
fn list_item_after(doc: &Document, sec: &Section, e: &Entry) -> Option<Edit> {
    let t = &doc.text;
    let nl = eol(doc);
    let all: Vec<Line> = lines(t, sec.content.start..own_content_end(doc, sec)).collect();
    let code: Vec<bool> = all.iter().map(|l| doc.code.contains(l.full.start)).collect();
    let last = (0..all.len()).rev().find(|&i| {
        code.get(i) == Some(&false) && all.get(i).is_some_and(|l| bullet(&t[l.content.clone()]).is_some())
    })?;
    let item = &t[all[last].content.clone()];
    let marker = bullet(item)?;
    // The item's continuation lines (indented) belong to it.
    let mut end = last;
    for (j, l) in all.iter().enumerate().skip(last + 1) {
        let s = &t[l.content.clone()];
        if is_blank(s) {
            continue;
        }
        if !s.starts_with([' ', '\t']) {
            break;
        }
        end = j;
    }
    // `- 2026-01-04 — text`: the separator after a leading date.
    let body = item[1..].trim_start();
    let date_len = body.bytes().take_while(|b| b.is_ascii_digit() || *b == b'-').count();
    let sep = if date_len >= 8 {
        let rest = &body[date_len..];
        let n = rest.len()
            - rest
                .trim_start_matches(|c: char| !c.is_alphanumeric() && c != '*' && c != '[')
                .len();
        let s = &rest[..n];
        if s.trim().is_empty() {
            ": ".to_string()
        } else {
            s.to_string()
        }
    } else {
        ": ".to_string()
    };
    let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut text = flat(&action_by(e));
    let details = flat(&e.details);
    if !details.is_empty() {
        text = format!("{text}. {details}");
    }
    let at = all.get(end)?.content.end;
    Some(Edit::insert(at, format!("{nl}{marker} {}{sep}{text}", e.date.trim())))
}

// ---------------------------------------------------------------- blocks

/// The last entry block (sub-heading) of the Work Log.
fn last_block<'a>(doc: &'a Document, sec: &Section) -> Option<&'a Section> {
    let subs: Vec<&Section> = doc
        .sections
        .iter()
        .filter(|s| s.level > sec.level && s.heading.start >= sec.content.start && s.heading.start < sec.content.end)
        .collect();
    let level = subs.iter().map(|s| s.level).min()?;
    subs.into_iter().rfind(|s| s.level == level)
}

fn is_rule(s: &str) -> bool {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    t.len() >= 3 && (t.chars().all(|c| c == '-') || t.chars().all(|c| c == '*') || t.chars().all(|c| c == '_'))
}

/// A bold label as the block writes them: `**By:**` or `**By**:`.
fn label_style(doc: &Document, b: &Section) -> bool {
    let body = &doc.text[b.content.clone()];
    let colon_inside = body.matches(":**").count();
    let colon_outside = body.matches("**:").count();
    colon_inside >= colon_outside
}

fn find_label<'a>(doc: &'a Document, b: &Section, names: &[&'a str]) -> Option<(&'a str, Line)> {
    let t = &doc.text;
    for l in lines(t, b.content.clone()) {
        let s = t[l.content.clone()].trim_start().trim_start_matches(['*', '_']);
        for n in names {
            if s.len() >= n.len() && s.is_char_boundary(n.len()) && s[..n.len()].eq_ignore_ascii_case(n) {
                let rest = s[n.len()..].trim_start_matches(['*', '_']);
                if rest.starts_with(':') {
                    return Some((&t[l.content.start..l.content.end], l));
                }
            }
        }
    }
    None
}

fn block_after(doc: &Document, b: &Section, e: &Entry) -> Edit {
    let t = &doc.text;
    let nl = eol(doc);
    // The block's own lines end at a thematic break, if any.
    let mut rule: Option<&str> = None;
    let mut end = b.content.end;
    for l in lines(t, b.content.clone()) {
        let s = &t[l.content.clone()];
        if is_rule(s) {
            rule = Some(s.trim());
            end = l.full.start;
            break;
        }
    }
    let last = last_nonblank(t, b.content.start..end)
        .or_else(|| lines(t, b.heading.clone()).next())
        .map(|l| l.content.end)
        .unwrap_or(b.heading.end);

    // Heading: same level, same separator after the date.
    let sep = {
        let title = b.title.as_str();
        let token_end = title.find(char::is_whitespace).unwrap_or(title.len());
        let after = &title[token_end..];
        let s_len = after.len()
            - after
                .trim_start_matches(|c: char| !c.is_alphanumeric() && c != '{')
                .len();
        let s = &after[..s_len];
        if s.trim().is_empty() || s.contains('[') || s.contains('(') {
            " - ".to_string()
        } else {
            s.to_string()
        }
    };
    let hashes = "#".repeat(b.level);
    let title = e.action.trim().replace(['\r', '\n'], " ");
    let mut out: Vec<String> = vec![format!("{hashes} {}{sep}{title}", e.date.trim())];

    let first_blank = lines(t, b.content.clone())
        .next()
        .is_some_and(|l| is_blank(&t[l.content.clone()]));
    let inside = label_style(doc, b);
    let label = |name: &str| {
        if inside {
            format!("**{name}:**")
        } else {
            format!("**{name}**:")
        }
    };
    // Blank lines between fields when the block has one before its
    // second label.
    let by = find_label(doc, b, &["by", "author", "who"]);
    let actions = find_label(doc, b, &["actions", "action", "what", "changes"]);
    let spaced = actions.as_ref().is_some_and(|(_, l)| {
        lines(t, b.content.start..l.full.start)
            .last()
            .is_some_and(|p| is_blank(&t[p.content.clone()]))
    });
    let name_of = |found: &Option<(&str, Line)>, default: &str| -> String {
        found
            .as_ref()
            .map(|(s, _)| {
                let s = s.trim_start().trim_start_matches(['*', '_', '-', ' ']);
                let n = s.find([':', '*', '_']).unwrap_or(s.len());
                s[..n].trim().to_string()
            })
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| default.to_string())
    };
    let by_name = name_of(&by, "By");
    let actions_name = name_of(&actions, "Actions");

    let mut fields: Vec<Vec<String>> = Vec::new();
    if !e.author.trim().is_empty() {
        fields.push(vec![format!(
            "{} {}",
            label(&by_name),
            e.author.trim().replace(['\r', '\n'], " ")
        )]);
    }
    let mut bullets: Vec<String> = e
        .details
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| format!("- {l}"))
        .collect();
    if bullets.is_empty() {
        bullets.push(format!("- {title}"));
    }
    let mut act = vec![label(&actions_name)];
    act.extend(bullets);
    fields.push(act);

    if first_blank {
        out.push(String::new());
    }
    for (i, f) in fields.iter().enumerate() {
        if i > 0 && spaced {
            out.push(String::new());
        }
        out.extend(f.iter().cloned());
    }
    let block = out.join(nl);
    let text = match rule {
        Some(r) => format!("{nl}{nl}{r}{nl}{nl}{block}"),
        None => format!("{nl}{nl}{block}"),
    };
    Edit::insert(last, text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::apply;

    fn entry() -> Entry {
        Entry {
            date: "2026-02-01".into(),
            author: "Ana".into(),
            action: "Triage".into(),
            details: "pending → ready. a|b".into(),
        }
    }

    fn run(text: &str) -> String {
        let d = Document::parse("todos/001-pending-p1-x.md", text.to_string());
        apply(text, &append(&d, &entry())).unwrap()
    }

    #[test]
    fn table_rows_by_header() {
        let t = "# X\n\n## Work Log\n\n| Date | Action | Learnings |\n|---|---|---|\n| d | a | l |\n\n## Resources\n";
        assert_eq!(
            run(t),
            t.replace(
                "| d | a | l |\n",
                "| d | a | l |\n| 2026-02-01 | Triage (by Ana) | pending → ready. a\\|b |\n"
            )
        );
        let t = "## 📋 Worklog\n| When | Who | What |\n|-|-|-|";
        assert_eq!(
            run(t),
            format!("{t}\n| 2026-02-01 | Ana | Triage: pending → ready. a\\|b |")
        );
    }

    #[test]
    fn cells_escape_pipes() {
        assert_eq!(escape_cell(" a|b\r\nc "), "a\\|b<br>c");
        assert_eq!(escape_cell("a\\|b"), "a\\\\\\|b");
        assert_eq!(cells(&format!("| {} | x |", escape_cell("a\\|b\\\\|c"))).len(), 2);
    }

    #[test]
    fn aligned_tables_stay_aligned() {
        let t = "## Work Log\n\n| Date       | By  | Notes                                 |\n| ---------- | --- | ------------------------------------- |\n| 2026-01-01 | Bob | x                                     |\n";
        let out = run(t);
        let last = out.lines().last().unwrap();
        assert_eq!(last, "| 2026-02-01 | Ana | Triage: pending → ready. a\\|b         |");
        assert_eq!(pipe_columns(last), pipe_columns(t.lines().nth(2).unwrap()));
    }

    #[test]
    fn blocks_mimic_the_last_one() {
        let t = "## Work Log\n\n### 2025-01-22 - Initial Discovery\n**By:** Bot\n**Actions:**\n- found\n\n**Learnings:**\n- x\n\n## Notes\nn\n";
        assert_eq!(
            run(t),
            t.replace(
                "- x\n",
                "- x\n\n### 2026-02-01 - Triage\n**By:** Ana\n**Actions:**\n- pending → ready. a|b\n"
            )
        );
        let t = "## Work Log\n\n### 2025-11-12 — Start\n\n**By**: Bot\n\n**Actions**:\n- a\n\n---\n\n(Add more)\n";
        assert_eq!(
            run(t),
            t.replace(
                "- a\n",
                "- a\n\n---\n\n### 2026-02-01 — Triage\n\n**By**: Ana\n\n**Actions**:\n- pending → ready. a|b\n"
            )
        );
    }

    #[test]
    fn new_section_before_resources_or_at_end() {
        let t = "# X\n\n## A\n\ntext\n\n## Resources\n\n- r\n";
        assert_eq!(
            run(t),
            "# X\n\n## A\n\ntext\n\n## Work Log\n\n| Date | Action | Learnings |\n|------|--------|-----------|\n| 2026-02-01 | Triage (by Ana) | pending → ready. a\\|b |\n\n## Resources\n\n- r\n"
        );
        let t = "# X\r\n## A\r\ntext";
        assert_eq!(
            run(t),
            "# X\r\n## A\r\ntext\r\n\r\n## Work Log\r\n| Date | Action | Learnings |\r\n|------|--------|-----------|\r\n| 2026-02-01 | Triage (by Ana) | pending → ready. a\\|b |"
        );
    }

    #[test]
    fn lists_get_one_more_item() {
        let t = "## Work Log\n\n- 2026-01-04 — proposed by Bo\n  more about it\n\nA closing remark.\n\n## Next\n";
        assert_eq!(
            run(t),
            t.replace(
                "  more about it\n",
                "  more about it\n- 2026-02-01 — Triage (by Ana). pending → ready. a|b\n"
            )
        );
        let t = "## Work Log\r\n* first thing\r\n";
        assert_eq!(
            run(t),
            "## Work Log\r\n* first thing\r\n* 2026-02-01: Triage (by Ana). pending → ready. a|b\r\n"
        );
    }

    #[test]
    fn empty_section_gets_a_table() {
        let t = "## Work Log\n\n## Next\n";
        assert_eq!(
            run(t),
            "## Work Log\n\n| Date | Action | Learnings |\n|------|--------|-----------|\n| 2026-02-01 | Triage (by Ana) | pending → ready. a\\|b |\n\n## Next\n"
        );
        let t = "## Work Log\n## Next\n";
        assert_eq!(
            run(t),
            "## Work Log\n\n| Date | Action | Learnings |\n|------|--------|-----------|\n| 2026-02-01 | Triage (by Ana) | pending → ready. a\\|b |\n\n## Next\n"
        );
    }
}
