//! Filters: the always-visible line above the list (search box and active
//! facet values) and the filter pane (every facet value with its count).

pub mod update;
pub mod values;

use super::super::app::App;
use super::super::cells::{clean, fit, width};
use super::super::keymap::Action;
use super::super::theme::Theme;
use crate::workflow::Workflows;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear};
use ratatui::Frame;
use update::FacetPane;
use values::{Facet, FacetValue};

/// One line of the filter pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FacetLine {
    Header(Facet),
    Value(usize),
}

pub(crate) fn facet_lines(values: &[FacetValue]) -> Vec<FacetLine> {
    let mut out = Vec::with_capacity(values.len() + 4);
    let mut last = None;
    for (i, v) in values.iter().enumerate() {
        if last != Some(v.facet) {
            out.push(FacetLine::Header(v.facet));
            last = Some(v.facet);
        }
        out.push(FacetLine::Value(i));
    }
    out
}

/// First line drawn so that the cursor's value is visible in `h` lines.
pub(crate) fn facet_offset(lines: &[FacetLine], cursor: usize, h: usize) -> usize {
    let at = lines.iter().position(|l| *l == FacetLine::Value(cursor)).unwrap_or(0);
    if h == 0 || at < h {
        0
    } else {
        at + 1 - h
    }
}

pub(crate) fn draw_line(app: &App, f: &mut Frame, area: Rect) {
    if area.height == 0 {
        return;
    }
    let th = &app.theme;
    let mut spans: Vec<Span<'static>> = Vec::new();
    let label = th.header();
    let mut cursor = None;
    if let Some(s) = &app.search {
        spans.push(Span::styled("/ ", label));
        let room = usize::from(area.width).saturating_sub(2).clamp(1, 40);
        let (text, col) = s.edit.window(room);
        cursor = Some(area.x + 2 + col as u16);
        spans.push(Span::styled(
            clean(&text).into_owned(),
            th.matched().remove_modifier(Modifier::UNDERLINED),
        ));
        spans.push(Span::raw("  "));
    } else if !app.index.query().is_empty() {
        spans.push(Span::styled("/ ", label));
        spans.push(Span::styled(
            clean(app.index.query()).into_owned(),
            th.matched().remove_modifier(Modifier::UNDERLINED),
        ));
        spans.push(Span::raw("  "));
    }
    let f_ = app.index.filter();
    let groups: [(&str, Vec<String>); 4] = [
        ("family", f_.kinds.iter().map(|k| k.as_str().to_string()).collect()),
        ("priority", f_.priorities.clone()),
        ("status", f_.statuses.clone()),
        ("tag", f_.tags.clone()),
    ];
    let mut any = false;
    for (name, vals) in groups.iter() {
        if vals.is_empty() {
            continue;
        }
        any = true;
        spans.push(Span::styled(format!("{name}:"), label));
        spans.push(Span::styled(
            clean(&vals.join(",")).into_owned(),
            th.fg(th.palette.accent),
        ));
        spans.push(Span::raw("  "));
    }
    if app.search.is_some() {
        // While typing, `x` is a letter: say how the box closes instead.
        spans.push(Span::styled("enter done · esc cancel", th.dim()));
    } else if any || !app.index.query().is_empty() {
        spans.push(Span::styled(
            format!("{} clear", app.keymap.hint(Action::ClearFilters)),
            th.dim(),
        ));
    } else {
        spans.push(Span::styled(
            format!(
                "no filters · {} search · {} filters · {} sort",
                app.keymap.hint(Action::Search),
                app.keymap.hint(Action::Facets),
                app.keymap.hint(Action::Sort)
            ),
            th.dim(),
        ));
    }
    let line = Line::from(fit(spans, usize::from(area.width), false));
    f.buffer_mut().set_line(area.x, area.y, &line, area.width);
    if let Some(x) = cursor {
        if x < area.right() {
            f.set_cursor_position((x, area.y));
        }
    }
}

/// What the filter pane draws with, and nothing else of the app.
pub(crate) struct PaneView<'a> {
    pub(crate) pane: &'a FacetPane,
    pub(crate) theme: &'a Theme,
    /// For status colours.
    pub(crate) workflows: &'a Workflows,
}

/// Draw the filter pane in `area`: its values in `inner`, from line `off`
/// (both from the frame's layout).
pub(crate) fn draw_pane(v: &PaneView<'_>, f: &mut Frame, area: Rect, inner: Rect, off: usize) {
    let (pane, th, workflows) = (v.pane, v.theme, v.workflows);
    f.render_widget(Clear, area);
    f.buffer_mut().set_style(area, th.base());
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.border(true))
        .title(Span::styled(" Filters ", th.header()));
    f.render_widget(block, area);
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    let lines = facet_lines(&pane.values);
    let h = usize::from(inner.height);
    let w = usize::from(inner.width);
    for (n, l) in lines.iter().skip(off).take(h).enumerate() {
        let y = inner.y + n as u16;
        let spans = match *l {
            FacetLine::Header(facet) => vec![Span::styled(facet.title().to_string(), th.header())],
            FacetLine::Value(i) => {
                let Some(v) = pane.values.get(i) else { continue };
                let mark = if v.active { "[x] " } else { "[ ] " };
                let count = v.count.to_string();
                let name_w = w.saturating_sub(4 + width(&count) + 1);
                let style = match v.facet {
                    Facet::Priority => th.priority(Some(v.value.as_str())),
                    Facet::Status => th.status_in(workflows, None, Some(v.value.as_str())),
                    Facet::Family => crate::document::Kind::parse(&v.value)
                        .map(|k| th.family(k))
                        .unwrap_or_default(),
                    Facet::Tag => th.fg(th.palette.tag),
                };
                let mut s = vec![Span::styled(mark, th.fg(th.palette.accent))];
                s.extend(fit(
                    vec![Span::styled(clean(&v.value).into_owned(), style)],
                    name_w,
                    true,
                ));
                s.push(Span::raw(" "));
                s.push(Span::styled(count, th.dim()));
                s
            }
        };
        let row = Rect::new(inner.x, y, inner.width, 1);
        if *l == FacetLine::Value(pane.cursor) {
            f.buffer_mut().set_style(row, th.selection());
        }
        let line = Line::from(fit(spans, w, false));
        f.buffer_mut().set_line(inner.x, y, &line, inner.width);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(facet: Facet, value: &str) -> FacetValue {
        FacetValue {
            facet,
            value: value.into(),
            count: 1,
            active: false,
        }
    }

    #[test]
    fn offsets_keep_cursor_visible() {
        let vals = vec![
            v(Facet::Family, "todo"),
            v(Facet::Priority, "p1"),
            v(Facet::Priority, "p2"),
        ];
        let lines = facet_lines(&vals);
        assert_eq!(lines.len(), 5);
        assert_eq!(facet_offset(&lines, 0, 3), 0);
        let off = facet_offset(&lines, 2, 2);
        assert!(off <= 4 && 4 < off + 2, "{off}");
        assert_eq!(facet_offset(&lines, 2, 0), 0);
    }
}
