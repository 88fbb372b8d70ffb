//! The document list: ID, priority, status, family, severity, title, tags
//! and age columns. Only the rows on screen are built, so drawing costs the
//! same for 100 or 100k documents. Narrow terminals drop columns (tags,
//! severity, family, age, status) before the title shrinks. Characters the
//! fuzzy query matched are highlighted.

pub(crate) mod search;
pub(crate) mod update;

use super::super::app::App;
use super::super::cells::{age, clean, fit, highlighted, width};
use super::super::index::Index;
use super::super::keymap::{Action, Keymap};
use super::super::theme::Theme;
use crate::document::Meta;
use crate::query::{Fuzzy, SortKey};
use crate::workflow::Workflows;
use chrono::NaiveDate;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::Frame;

/// Column widths (0 = hidden).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cols {
    pub(crate) id: usize,
    pub(crate) pri: usize,
    pub(crate) status: usize,
    pub(crate) family: usize,
    pub(crate) severity: usize,
    pub(crate) title: usize,
    pub(crate) tags: usize,
    pub(crate) age: usize,
}

/// Lay out columns for `w` columns of screen with IDs `id` wide.
pub(crate) fn columns(w: usize, id: usize) -> Cols {
    let mut c = Cols {
        id: id.clamp(2, 16).min(w),
        pri: 4,
        status: 0,
        family: 0,
        severity: 0,
        title: 0,
        tags: 0,
        age: 0,
    };
    if w >= 40 {
        c.status = 11;
    }
    if w >= 50 {
        c.age = 4;
    }
    if w >= 72 {
        c.family = 7;
    }
    if w >= 90 {
        c.severity = 9;
    }
    if w >= 100 {
        c.tags = (w / 6).clamp(12, 32);
    }
    let fixed = [c.id, c.pri, c.status, c.family, c.severity, c.tags, c.age];
    let used: usize = fixed.iter().sum::<usize>() + fixed.iter().filter(|&&x| x > 0).count();
    c.title = w.saturating_sub(used);
    if c.title == 0 {
        c.pri = 0;
        c.title = w.saturating_sub(c.id + 1);
    }
    c
}

fn cell(out: &mut Vec<Span<'static>>, spans: Vec<Span<'static>>, w: usize, first: bool) {
    if w == 0 {
        return;
    }
    if !first {
        out.push(Span::raw(" "));
    }
    out.extend(fit(spans, w, true));
}

/// What the list draws from, and nothing else of the app.
pub(crate) struct ListView<'a> {
    pub(crate) theme: &'a Theme,
    pub(crate) keymap: &'a Keymap,
    pub(crate) workflows: &'a Workflows,
    /// The rows shown, their order, the query and the sort.
    pub(crate) index: &'a Index,
    /// Every loaded document (the index's rows point into it).
    pub(crate) items: &'a [Meta],
    /// The selected row.
    pub(crate) row: usize,
    /// Documents are still being read.
    pub(crate) loading: bool,
    /// The folders `findings.toml` names, if any.
    pub(crate) folders: Option<&'a [String]>,
    pub(crate) today: NaiveDate,
}

impl<'a> ListView<'a> {
    pub(crate) fn of(app: &'a App) -> ListView<'a> {
        ListView {
            theme: &app.theme,
            keymap: &app.keymap,
            workflows: &app.workflows,
            index: &app.index,
            items: &app.repo.items,
            row: app.row,
            loading: app.loading,
            folders: app.repo.config.folders.as_deref(),
            today: app.today,
        }
    }
}

/// Draw the column titles in `header` and the rows in `rows`, from row
/// `off` (the frame's layout).
pub(crate) fn draw(v: &ListView<'_>, f: &mut Frame, header: Rect, rows: Rect, off: usize) {
    let th = v.theme;
    let shown = v.index.shown();
    let items = v.items;
    let h = usize::from(rows.height);
    let visible: Vec<(usize, &Meta)> = shown
        .iter()
        .enumerate()
        .skip(off)
        .take(h)
        .filter_map(|(r, &i)| items.get(i as usize).map(|m| (r, m)))
        .collect();
    let id_w = visible.iter().map(|(_, m)| width(&clean(&m.id))).max().unwrap_or(2);
    let c = columns(usize::from(rows.width.max(header.width)), id_w);

    if header.height > 0 {
        let mark = |name: &str, key: SortKey| {
            if v.index.sort() == key {
                format!("{name}▾")
            } else {
                name.to_string()
            }
        };
        let hs = th.header();
        let mut spans = Vec::new();
        cell(&mut spans, vec![Span::styled(mark("ID", SortKey::Id), hs)], c.id, true);
        cell(
            &mut spans,
            vec![Span::styled(mark("Pri", SortKey::Priority), hs)],
            c.pri,
            false,
        );
        cell(
            &mut spans,
            vec![Span::styled(mark("Status", SortKey::Status), hs)],
            c.status,
            false,
        );
        cell(&mut spans, vec![Span::styled("Family", hs)], c.family, false);
        cell(&mut spans, vec![Span::styled("Severity", hs)], c.severity, false);
        cell(
            &mut spans,
            vec![Span::styled(mark("Title", SortKey::Title), hs)],
            c.title,
            false,
        );
        cell(&mut spans, vec![Span::styled("Tags", hs)], c.tags, false);
        cell(
            &mut spans,
            vec![Span::styled(mark("Age", SortKey::Created), hs)],
            c.age,
            false,
        );
        f.buffer_mut()
            .set_line(header.x, header.y, &Line::from(spans), header.width);
    }

    if shown.is_empty() {
        if rows.height > 0 {
            let msg = if v.loading {
                "Reading the documents…".to_string()
            } else if items.is_empty() {
                match v.folders {
                    Some(f) => format!("No documents found under {}.", f.join(", ")),
                    None => "No todos, findings or ADRs found (findings check --verbose says what was skipped).".into(),
                }
            } else {
                format!(
                    "Nothing matches. {} clears every filter.",
                    v.keymap.hint(Action::ClearFilters)
                )
            };
            let line = Line::from(fit(vec![Span::styled(msg, th.dim())], usize::from(rows.width), false));
            f.buffer_mut().set_line(rows.x, rows.y, &line, rows.width);
        }
        return;
    }

    let mut fuzzy = Fuzzy::new(v.index.query());
    let hl = th.matched();
    for (n, (r, m)) in visible.iter().enumerate() {
        let y = rows.y + n as u16;
        let selected = *r == v.row;
        let item = shown[*r] as usize;
        let hits: Vec<u32> = fuzzy
            .as_mut()
            .and_then(|fz| fz.indices(v.index.haystack(item)))
            .map(|(_, idx)| idx)
            .unwrap_or_default();
        // Plain text takes the row's style (the selection's, when selected).
        let base = Style::default();
        let id_len = m.id.chars().count() as u32;
        let title_at = id_len + 1;
        let tags_at = title_at + m.title.chars().count() as u32 + 1;

        let mut spans: Vec<Span<'static>> = Vec::new();
        cell(
            &mut spans,
            highlighted(&m.id, 0, &hits, base.add_modifier(ratatui::style::Modifier::BOLD), hl),
            c.id,
            true,
        );
        let pri = m
            .priority
            .map(str::to_uppercase)
            .or_else(|| m.priority_raw.as_deref().map(|r| clean(r).into_owned()))
            .unwrap_or_else(|| "-".into());
        cell(
            &mut spans,
            vec![Span::styled(pri, th.priority(m.priority))],
            c.pri,
            false,
        );
        cell(
            &mut spans,
            vec![Span::styled(
                clean(m.status_label()).into_owned(),
                th.status_in(v.workflows, Some(m.kind), m.status),
            )],
            c.status,
            false,
        );
        cell(
            &mut spans,
            vec![Span::styled(m.kind.as_str(), th.family(m.kind))],
            c.family,
            false,
        );
        cell(
            &mut spans,
            vec![Span::styled(
                clean(m.severity.as_deref().unwrap_or("")).into_owned(),
                th.fg(th.palette.severity),
            )],
            c.severity,
            false,
        );
        let mut title = highlighted(&m.title, title_at, &hits, base, hl);
        if m.conflicted
            || m.problems
                .iter()
                .any(|p| p.severity == crate::document::Severity::Error)
        {
            title.insert(0, Span::styled("! ", th.error()));
        }
        cell(&mut spans, title, c.title, false);
        if c.tags > 0 {
            let mut tags: Vec<Span<'static>> = Vec::new();
            let mut at = tags_at;
            for (k, t) in m.tags.iter().enumerate() {
                if k > 0 {
                    tags.push(Span::raw(" "));
                }
                tags.extend(highlighted(t, at, &hits, th.fg(th.palette.tag), hl));
                at += t.chars().count() as u32 + 1;
            }
            cell(&mut spans, tags, c.tags, false);
        }
        cell(
            &mut spans,
            vec![Span::styled(age(m.created_at, v.today), th.fg(th.palette.age))],
            c.age,
            false,
        );
        let row = Rect::new(rows.x, y, rows.width, 1);
        if selected {
            f.buffer_mut().set_style(row, th.selection());
        }
        f.buffer_mut().set_line(rows.x, y, &Line::from(spans), rows.width);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_fit_every_width() {
        for w in 0..260 {
            let c = columns(w, 8);
            let parts = [c.id, c.pri, c.status, c.family, c.severity, c.title, c.tags, c.age];
            let used: usize = parts.iter().sum::<usize>() + parts.iter().filter(|&&x| x > 0).count().saturating_sub(1);
            assert!(used <= w.max(c.id), "{w}: {c:?}");
        }
        let c = columns(80, 8);
        assert!(
            c.status > 0 && c.family > 0 && c.age > 0 && c.tags == 0 && c.title >= 30,
            "{c:?}"
        );
    }
}
