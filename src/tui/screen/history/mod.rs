//! The detail's History tab: the commits that changed the document, newest
//! first, as a compact table (date, author, short commit, what changed),
//! under the same header as the document. While the history is read, when
//! there is none, or when it cannot be read, one line says so.

pub(crate) mod update;

use super::super::app::{Changes, Detail};
use super::super::cells::{clean, fit, parse_date, width};
use super::super::layout::DocAreas;
use super::detail::DocView;
use crate::document::file_name;
use crate::git::history::HistoryEntry;
use ratatui::text::{Line, Span};
use ratatui::Frame;

/// Columns of the commit: the rest of the row says what changed.
const COMMIT: usize = 7;
const AUTHOR_MAX: usize = 16;
/// Bodies at least this wide show the time of day too.
const WIDE: usize = 110;

/// The date column: `2026-01-15`, or `2026-01-15 10:30` when wide.
fn date(e: &HistoryEntry, wide: bool) -> String {
    let n = if wide { 16 } else { 10 };
    clean(e.date.get(..n).unwrap_or(&e.date)).replace('T', " ")
}

/// A work-log entry as one short phrase: a table row's cells, or a block's
/// heading, without the date (the date column has the commit's).
pub(crate) fn log_summary(entry: &str) -> String {
    let t = entry.trim();
    let parts: Vec<&str> = if t.starts_with('|') {
        t.trim_matches('|')
            .split('|')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect()
    } else {
        let t = t.trim_start_matches('#').trim_start();
        let t = t.strip_prefix("- ").or_else(|| t.strip_prefix("* ")).unwrap_or(t);
        match t.get(..10).and_then(parse_date) {
            Some(_) => vec![t
                .get(10..)
                .unwrap_or("")
                .trim_start_matches([' ', '-', '–', '—', ':', '|'])],
            None => vec![t],
        }
    };
    let skip = usize::from(parts.len() > 1 && parts.first().and_then(|c| parse_date(c)).is_some());
    let s = parts.get(skip..).unwrap_or(&[]).join(" · ");
    if s.trim().is_empty() {
        t.to_string()
    } else {
        s
    }
}

/// What an entry changed, most telling first; the commit subject last, so
/// a narrow screen cuts it first.
fn change(v: &DocView<'_>, d: &Detail, e: &HistoryEntry) -> Vec<Span<'static>> {
    let th = v.theme;
    let sep = || Span::styled(" · ", th.dim());
    // Coloured as the repository's workflow places it (a configured
    // status too), in any spelling the workflow reads.
    let wf = v.workflows.get(d.meta.kind);
    let status_style = |s: &str| th.status_in(v.workflows, Some(d.meta.kind), wf.normalize(d.meta.kind, s));
    let mut out: Vec<Span<'static>> = Vec::new();
    let push = |out: &mut Vec<Span<'static>>, spans: Vec<Span<'static>>| {
        if !out.is_empty() {
            out.push(sep());
        }
        out.extend(spans);
    };
    if e.created {
        let mut s = vec![Span::styled("created", th.fg(th.palette.success))];
        if let Some(to) = &e.status_to {
            s.push(Span::styled(" as ", th.dim()));
            s.push(Span::styled(clean(to).into_owned(), status_style(to)));
        }
        push(&mut out, s);
    } else if e.status_changed() {
        let from = e.status_from.as_deref().unwrap_or("");
        let to = e.status_to.as_deref().unwrap_or("");
        let word = |s: &str| {
            if s.is_empty() {
                "(none)".to_string()
            } else {
                clean(s).into_owned()
            }
        };
        push(
            &mut out,
            vec![
                Span::styled(word(from), status_style(from)),
                Span::styled(" → ", th.dim()),
                Span::styled(word(to), status_style(to)),
            ],
        );
    } else if let Some(old) = &e.renamed_from {
        push(
            &mut out,
            vec![
                Span::styled("renamed from ", th.dim()),
                Span::styled(clean(file_name(old)).into_owned(), th.base()),
            ],
        );
    }
    // A new document's work log is all new: not worth a row's room.
    for w in e.worklog_added.iter().filter(|_| !e.created) {
        push(
            &mut out,
            vec![
                Span::styled("log + ", th.fg(th.palette.accent)),
                Span::styled(clean(&log_summary(w)).into_owned(), th.base()),
            ],
        );
    }
    let subject = clean(e.subject.trim()).into_owned();
    if !subject.is_empty() {
        if out.is_empty() {
            out.push(Span::styled(subject, th.base()));
        } else {
            out.push(sep());
            out.push(Span::styled(subject, th.dim()));
        }
    }
    out
}

/// Rows of the table that fit a body `body_h` lines high: the column
/// titles take the first line when there are two or more.
pub(crate) fn rows_height(body_h: u16) -> usize {
    usize::from(if body_h >= 2 { body_h - 1 } else { body_h }).max(1)
}

/// The table's column titles and rows for a body `w` cells wide.
pub(crate) fn table(
    v: &DocView<'_>,
    d: &Detail,
    entries: &[HistoryEntry],
    w: usize,
) -> (Line<'static>, Vec<Line<'static>>) {
    let th = v.theme;
    let wide = w >= WIDE;
    let date_w = if wide { 16 } else { 10 };
    let author_w = entries
        .iter()
        .map(|e| width(&clean(&e.author)))
        .max()
        .unwrap_or(0)
        .clamp(6, AUTHOR_MAX);
    let cell = |text: String, n: usize, style| fit(vec![Span::styled(text, style)], n, true);
    let gap = || Span::raw("  ");
    let mut titles = Vec::new();
    titles.extend(cell("date".into(), date_w, th.header()));
    titles.push(gap());
    titles.extend(cell("author".into(), author_w, th.header()));
    titles.push(gap());
    titles.extend(cell("commit".into(), COMMIT, th.header()));
    titles.push(gap());
    titles.push(Span::styled("change", th.header()));
    let rows = entries
        .iter()
        .map(|e| {
            let mut spans = Vec::new();
            spans.extend(cell(date(e, wide), date_w, th.dim()));
            spans.push(gap());
            spans.extend(cell(clean(&e.author).into_owned(), author_w, th.fg(th.palette.tag)));
            spans.push(gap());
            let short = e.commit.get(..COMMIT).unwrap_or(&e.commit).to_string();
            spans.extend(cell(short, COMMIT, th.fg(th.palette.link)));
            spans.push(gap());
            spans.extend(change(v, d, e));
            Line::from(fit(spans, w, false))
        })
        .collect();
    (Line::from(fit(titles, w, false)), rows)
}

/// Draw the History tab's rule and body into `a` (the header is the
/// document's, drawn by the caller).
pub(crate) fn draw(v: &DocView<'_>, f: &mut Frame, d: &Detail, a: &DocAreas) {
    let th = v.theme;
    let x = a.body.x + 1;
    let w = a.body.width.saturating_sub(1);
    let entries = match d.current_changes() {
        Some(Changes::Loaded(v)) => v.as_slice(),
        _ => &[],
    };
    let h = rows_height(a.body.height);
    let total = entries.len();
    let scroll = d.changes_scroll.min(total.saturating_sub(h));
    if a.rule.height > 0 {
        let pos = match total {
            0 => String::new(),
            n if n <= h => format!("{n} commit{}", if n == 1 { "" } else { "s" }),
            n => format!("{}-{}/{n} commits", scroll + 1, (scroll + h).min(n)),
        };
        let label = " History ";
        let used = width(label) + 2 + if pos.is_empty() { 0 } else { width(&pos) + 2 };
        let rule = "─".repeat(usize::from(a.rule.width).saturating_sub(used));
        let mut spans = vec![
            Span::styled("──", th.fg(th.palette.rule)),
            Span::styled(label, th.header()),
            Span::styled(rule, th.fg(th.palette.rule)),
        ];
        if !pos.is_empty() {
            spans.push(Span::styled(format!(" {pos} "), th.dim()));
        }
        let l = Line::from(fit(spans, usize::from(a.rule.width), false));
        f.buffer_mut().set_line(a.rule.x, a.rule.y, &l, a.rule.width);
    }
    if a.body.height == 0 {
        return;
    }
    let notice = |text: String, style| Line::from(fit(vec![Span::styled(text, style)], usize::from(w), false));
    let line = match d.current_changes() {
        None | Some(Changes::Loading) => Some(notice("reading the history from git…".into(), th.dim())),
        Some(Changes::Unavailable(m)) => Some(notice(clean(m).into_owned(), th.fg(th.palette.info))),
        Some(Changes::Failed(m)) => Some(notice(clean(m).into_owned(), th.error())),
        Some(Changes::Loaded(v)) if v.is_empty() => Some(notice(
            format!("no history: {} has not been committed yet", clean(&d.path)),
            th.dim(),
        )),
        Some(Changes::Loaded(_)) => None,
    };
    if let Some(l) = line {
        f.buffer_mut().set_line(x, a.body.y, &l, w);
        return;
    }
    let (titles, rows) = table(v, d, entries, usize::from(w));
    let mut y = a.body.y;
    if a.body.height >= 2 {
        f.buffer_mut().set_line(x, y, &titles, w);
        y += 1;
    }
    for (n, l) in rows.iter().skip(scroll).take(h).enumerate() {
        f.buffer_mut().set_line(x, y + n as u16, l, w);
    }
}

#[cfg(test)]
mod tests {
    use super::log_summary;

    #[test]
    fn work_log_entries_read_short() {
        assert_eq!(
            log_summary("| 2026-01-28 | Added the unique index (by Ben) | Migration ran clean |"),
            "Added the unique index (by Ben) · Migration ran clean"
        );
        assert_eq!(log_summary("| Fixed it | |"), "Fixed it");
        assert_eq!(log_summary("### 2026-01-28 - Added the index"), "Added the index");
        assert_eq!(log_summary("### 2026-01-28"), "### 2026-01-28");
        assert_eq!(log_summary("- 2026-01-28: reviewed"), "reviewed");
        assert_eq!(log_summary("### Follow-up"), "Follow-up");
        assert_eq!(log_summary("||"), "||");
    }
}
