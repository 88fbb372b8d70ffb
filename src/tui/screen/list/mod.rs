//! The document list: ID, priority, status, family, severity, title, tags
//! and age columns. Only the rows on screen are built, so drawing costs the
//! same for 100 or 100k documents. Narrow terminals drop columns (tags,
//! severity, family, age, status) before the title shrinks. Characters the
//! fuzzy query matched are highlighted.

pub mod marks;
pub mod preview;
pub mod search;
pub mod update;

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

/// How wide the visible rows' text is, for sizing columns from content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Widest {
    /// The widest ID.
    pub id: usize,
    /// The widest title (with its `! ` mark when it has one).
    pub title: usize,
    /// The widest tag list, tags separated by a space.
    pub tags: usize,
}

/// Tags get a column only when it can be at least this wide.
const MIN_TAGS: usize = 8;

/// Lay out columns for `w` columns of screen, sized from the widest text
/// of the rows shown: the ID column is as wide as the widest ID, the title
/// takes what it needs first (at most three fifths of what the fixed
/// columns leave, from 100 columns), the tags grow into the room left,
/// and the title takes the rest. Narrow terminals drop columns (tags,
/// severity, family, age, status) before the title shrinks.
pub(crate) fn columns(w: usize, widest: Widest) -> Cols {
    let mut c = Cols {
        id: widest.id.clamp(2, 16).min(w),
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
    let fixed = [c.id, c.pri, c.status, c.family, c.severity, c.age];
    let used: usize = fixed.iter().sum::<usize>() + fixed.iter().filter(|&&x| x > 0).count();
    let room = w.saturating_sub(used);
    // "Tags" is the column's title: never narrower than that.
    let tags_need = if widest.tags == 0 { 0 } else { widest.tags.max(4) };
    if tags_need > 0 {
        let title_first = if widest.title + 1 + tags_need.min(MIN_TAGS) <= room {
            widest.title
        } else if w >= 100 {
            widest.title.min(room * 3 / 5)
        } else {
            room
        };
        let tags = tags_need.min(room.saturating_sub(title_first + 1));
        if tags >= tags_need.min(MIN_TAGS) {
            c.tags = tags;
        }
    }
    c.title = room.saturating_sub(if c.tags > 0 { c.tags + 1 } else { 0 });
    if c.title == 0 {
        c.pri = 0;
        c.tags = 0;
        c.title = w.saturating_sub(c.id + 1);
    }
    c
}

/// The widest ID, title and tag list of `rows`.
pub fn widest<'a>(rows: impl Iterator<Item = &'a Meta>) -> Widest {
    let mut out = Widest::default();
    for m in rows {
        out.id = out.id.max(width(&clean(&m.id)));
        let mark = if m.conflicted
            || m.problems
                .iter()
                .any(|p| p.severity == crate::document::Severity::Error)
        {
            2
        } else {
            0
        };
        out.title = out.title.max(width(&clean(&m.title)) + mark);
        let tags: usize = m.tags.iter().map(|t| width(&clean(t))).sum::<usize>() + m.tags.len().saturating_sub(1);
        out.tags = out.tags.max(tags);
    }
    out
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
    pub folders: Option<&'a [String]>,
    pub today: NaiveDate,
    /// The marked documents (a `●` before the title).
    pub marks: &'a crate::tui::marks::Marks,
    /// The documents holding hand edits (a `✎` before the title).
    pub modified: &'a std::collections::BTreeSet<String>,
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
            marks: &app.marks,
            modified: &app.modified,
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
    let c = columns(
        usize::from(rows.width.max(header.width)),
        widest(visible.iter().map(|(_, m)| *m)),
    );

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
        let mut title = match v.index.body_line(item) {
            Some(line) => search::title_with_line(&m.title, line, c.title, base, th.dim(), hl),
            None => highlighted(&m.title, title_at, &hits, base, hl),
        };
        if m.conflicted
            || m.problems
                .iter()
                .any(|p| p.severity == crate::document::Severity::Error)
        {
            title.insert(0, Span::styled("! ", th.error()));
        }
        if v.modified.contains(&m.path) {
            title.insert(0, Span::styled("✎ ", th.fg(th.palette.warning)));
        }
        if v.marks.contains(&m.path) {
            title.insert(
                0,
                Span::styled(
                    "● ",
                    th.fg(th.palette.accent).add_modifier(ratatui::style::Modifier::BOLD),
                ),
            );
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

    fn wide(id: usize, title: usize, tags: usize) -> Widest {
        Widest { id, title, tags }
    }

    #[test]
    fn columns_fit_every_width() {
        for w in 0..260 {
            for content in [wide(8, 60, 40), wide(3, 10, 0), wide(16, 300, 300), wide(0, 0, 2)] {
                let c = columns(w, content);
                let parts = [c.id, c.pri, c.status, c.family, c.severity, c.title, c.tags, c.age];
                let used: usize =
                    parts.iter().sum::<usize>() + parts.iter().filter(|&&x| x > 0).count().saturating_sub(1);
                assert!(used <= w.max(c.id), "{w}: {c:?}");
                assert!(c.tags == 0 || c.tags >= 4, "{w}: {c:?}");
            }
        }
        let c = columns(80, wide(8, 60, 40));
        assert!(
            c.status > 0 && c.family > 0 && c.age > 0 && c.tags == 0 && c.title >= 30,
            "{c:?}"
        );
    }

    #[test]
    fn columns_follow_the_content() {
        // The ID column is the widest ID.
        assert_eq!(columns(120, wide(3, 20, 10)).id, 3);
        assert_eq!(columns(120, wide(12, 20, 10)).id, 12);
        // Short titles leave room for every tag, even on 80 columns.
        let c = columns(80, wide(8, 20, 12));
        assert_eq!(c.tags, 12, "{c:?}");
        // At 200 columns the tags grow to their widest (no 32 cap).
        let c = columns(200, wide(8, 62, 70));
        assert_eq!(c.tags, 70, "{c:?}");
        assert!(c.title >= 62, "{c:?}");
        // Long titles keep three fifths of the room; tags take the rest.
        let c = columns(120, wide(8, 200, 200));
        assert!(c.tags >= MIN_TAGS && c.title > c.tags, "{c:?}");
        // No tags shown: no column.
        assert_eq!(columns(200, wide(8, 62, 0)).tags, 0);
    }
}
