//! One document: a compact header from its metadata (ID, family, status,
//! priority, severity, tags, created, dependencies, path, problems) above the
//! markdown body, which scrolls on its own, or above its git history (the
//! History tab, [`super::history`]).

pub mod find;
pub mod state;
pub mod update;

use super::super::app::{App, Detail, DetailTab};
use super::super::cells::{age, clean, fit};
use super::super::layout::DocAreas;
use super::super::theme::Theme;
use crate::document::Severity;
use crate::workflow::Workflows;
use chrono::NaiveDate;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::Frame;

const MAX_PROBLEMS: usize = 3;

/// Lines the header takes for `d`.
pub(crate) fn header_height(d: &Detail) -> u16 {
    let p = d.meta.problems.len();
    let n = 3 + p.min(MAX_PROBLEMS) + usize::from(p > MAX_PROBLEMS) + usize::from(d.error.is_some());
    n as u16
}

/// What a document's view draws from (the detail screen, its History tab
/// and triage's document), and nothing else of the app.
#[derive(Clone, Copy)]
pub(crate) struct DocView<'a> {
    pub(crate) theme: &'a Theme,
    /// The repository's workflows (status colours).
    pub(crate) workflows: &'a Workflows,
    /// Today, for ages.
    pub(crate) today: NaiveDate,
}

impl<'a> DocView<'a> {
    pub(crate) fn of(app: &'a App) -> DocView<'a> {
        DocView {
            theme: &app.theme,
            workflows: &app.workflows,
            today: app.today,
        }
    }
}

fn sep(v: &DocView<'_>) -> Span<'static> {
    Span::styled(" · ", v.theme.dim())
}

/// The header lines (as many as [`header_height`]).
pub(crate) fn header_lines(v: &DocView<'_>, d: &Detail) -> Vec<Line<'static>> {
    let th = v.theme;
    let m = &d.meta;
    let label = th.dim();
    let mut first = vec![
        Span::styled(clean(&m.id).into_owned(), th.base().add_modifier(Modifier::BOLD)),
        sep(v),
        Span::styled(m.kind.as_str(), th.family(m.kind)),
        sep(v),
        Span::styled(
            if m.status_label().is_empty() {
                "no status".to_string()
            } else {
                clean(m.status_label()).into_owned()
            },
            th.status_in(v.workflows, Some(m.kind), m.status),
        ),
    ];
    if let Some(p) = m.priority.or(m.priority_raw.as_deref()) {
        first.push(sep(v));
        first.push(Span::styled(clean(p).to_uppercase(), th.priority(m.priority)));
    }
    if let Some(s) = &m.severity {
        first.push(sep(v));
        first.push(Span::styled("severity ", label));
        first.push(Span::styled(clean(s).into_owned(), th.fg(th.palette.severity)));
    }
    first.push(sep(v));
    first.push(Span::styled(
        clean(&m.title).into_owned(),
        th.fg(th.palette.title).add_modifier(Modifier::BOLD),
    ));

    let mut second = Vec::new();
    second.push(Span::styled("tags ", label));
    if m.tags.is_empty() {
        second.push(Span::styled("none", label));
    } else {
        second.push(Span::styled(
            clean(&m.tags.join(", ")).into_owned(),
            th.fg(th.palette.tag),
        ));
    }
    second.push(sep(v));
    second.push(Span::styled("created ", label));
    match &m.created {
        Some(c) => {
            let a = age(m.created_at, v.today);
            let text = if a.is_empty() {
                clean(c).into_owned()
            } else {
                format!("{} ({a})", clean(c))
            };
            second.push(Span::styled(text, th.base()));
        }
        None => second.push(Span::styled("unknown", label)),
    }
    if !m.dependencies.is_empty() {
        second.push(sep(v));
        second.push(Span::styled("depends on ", label));
        second.push(Span::styled(
            clean(&m.dependencies.join(", ")).into_owned(),
            th.fg(th.palette.link),
        ));
    }
    let third = vec![
        Span::styled("path ", label),
        Span::styled(clean(&d.path).into_owned(), th.dim()),
    ];
    let mut out = vec![Line::from(first), Line::from(second), Line::from(third)];
    if let Some(e) = &d.error {
        out.push(Line::from(vec![Span::styled(
            format!("cannot read: {}", clean(e)),
            th.error(),
        )]));
    }
    for p in m.problems.iter().take(MAX_PROBLEMS) {
        let style = match p.severity {
            Severity::Error => th.error(),
            Severity::Warning => th.fg(th.palette.warning),
        };
        out.push(Line::from(vec![
            Span::styled("⚠ ", style),
            Span::styled(format!("{}:{} ", p.line, p.column), th.dim()),
            Span::styled(format!("{}: {}", p.code, clean(&p.message)), style),
        ]));
    }
    if m.problems.len() > MAX_PROBLEMS {
        out.push(Line::from(Span::styled(
            format!("  … {} more problems (findings check)", m.problems.len() - MAX_PROBLEMS),
            th.dim(),
        )));
    }
    out
}

/// Draw a document's header, rule and body into `a` (shared with triage).
pub(crate) fn draw_doc(v: &DocView<'_>, f: &mut Frame, d: &Detail, a: &DocAreas) {
    let th = v.theme;
    let lines = header_lines(v, d);
    for (n, l) in lines.iter().take(usize::from(a.header.height)).enumerate() {
        let x = a.header.x + 1;
        let w = a.header.width.saturating_sub(1);
        let l = Line::from(fit(l.spans.clone(), usize::from(w), false));
        f.buffer_mut().set_line(x, a.header.y + n as u16, &l, w);
    }
    if d.tab == DetailTab::History {
        super::history::draw(v, f, d, a);
        return;
    }
    let total = d.rendered.lines.len();
    let h = usize::from(a.body.height);
    let scroll = d.scroll.min(total.saturating_sub(h));
    let found = d
        .find
        .as_ref()
        .map(|fd| (find::hits(&d.rendered, fd.phrase()), fd.current));
    if a.rule.height > 0 {
        let pos = if total <= h {
            "all".to_string()
        } else {
            format!("{}-{}/{}", scroll + 1, (scroll + h).min(total), total)
        };
        let w = usize::from(a.rule.width);
        let room = w.saturating_sub(pos.chars().count() + 2);
        let hits = found.as_ref().map_or(&[][..], |(h, _)| h.as_slice());
        let (mut spans, cursor) = find::rule_spans(d, hits, th, room);
        let spans_w: usize = spans.iter().map(|s| super::super::cells::width(&s.content)).sum();
        spans = fit(spans, room, false);
        spans.push(Span::styled(
            "─".repeat(room.saturating_sub(spans_w)),
            th.fg(th.palette.rule),
        ));
        spans.push(Span::styled(format!(" {pos} "), th.dim()));
        f.buffer_mut()
            .set_line(a.rule.x, a.rule.y, &Line::from(spans), a.rule.width);
        if let Some(col) = cursor.filter(|&c| c < room) {
            f.set_cursor_position((a.rule.x + col as u16, a.rule.y));
        }
    }
    let x = a.body.x + 1;
    let w = a.body.width.saturating_sub(1);
    for (n, l) in d.rendered.lines.iter().skip(scroll).take(h).enumerate() {
        let y = a.body.y + n as u16;
        match &found {
            Some((hits, current)) if !hits.is_empty() => {
                let l = find::highlight(l, scroll + n, hits, *current, th.matched());
                f.buffer_mut().set_line(x, y, &l, w);
            }
            _ => {
                f.buffer_mut().set_line(x, y, l, w);
            }
        }
    }
    // The focused criterion: highlighted, with a mark in the margin.
    if let Some(lines) = d.focus.and_then(|i| d.criterion_lines(i)) {
        for line in lines.start.max(scroll)..lines.end.min(scroll + h) {
            let y = a.body.y + (line - scroll) as u16;
            f.buffer_mut()
                .set_style(ratatui::layout::Rect::new(x, y, w, 1), th.selection());
            f.buffer_mut().set_string(a.body.x, y, "›", th.fg(th.palette.accent));
        }
    }
}

/// Draw the open document `d` into the frame's areas `a` (the status bar
/// below it is the root's).
pub(crate) fn draw(v: &DocView<'_>, f: &mut Frame, d: Option<&Detail>, a: &DocAreas) {
    if let Some(d) = d {
        draw_doc(v, f, d, a);
    }
}
