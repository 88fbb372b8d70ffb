//! Triage mode: one pending/open/proposed document at a time with a `3/10`
//! counter, the document itself, its proposed options (pick by number) and
//! the keys for each decision; at the end, a summary of the decisions.

pub mod options;
pub mod state;
pub mod update;

use super::super::app::{App, Decided, Detail, Triage};
use super::super::cells::{clean, fit};
use super::super::keymap::{Action, Keymap};
use super::super::layout::DocAreas;
use super::detail::DocView;
use super::popup::frame;
use super::{centered, detail};
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::Frame;

/// Lines under the document: its options and a key hint.
pub fn panel_height(d: &Detail) -> u16 {
    super::cells(d.choices.len() + d.adopt.len()).saturating_add(1)
}

/// What triage draws from (the session, the document's view, the keys it
/// names), and nothing else of the app.
#[derive(Clone, Copy)]
pub(crate) struct TriageView<'a> {
    pub(crate) doc: DocView<'a>,
    pub(crate) keymap: &'a Keymap,
    /// The session, if one is running.
    pub(crate) triage: Option<&'a Triage>,
}

impl<'a> TriageView<'a> {
    pub(crate) fn of(app: &'a App) -> TriageView<'a> {
        TriageView {
            doc: DocView::of(app),
            keymap: &app.keymap,
            triage: app.triage.as_ref(),
        }
    }
}

fn hint(v: &TriageView<'_>) -> Vec<Span<'static>> {
    let th = v.doc.theme;
    let mut spans = Vec::new();
    for (action, what) in [
        (Action::Approve, "approve"),
        (Action::PickOption(1), "option"),
        (Action::Options, "options"),
        (Action::TypeAction, "type action"),
        (Action::Skip, "skip"),
        (Action::Defer, "defer"),
        (Action::UndoDecision, "undo"),
        (Action::QuitTriage, "quit"),
    ] {
        let k = v.keymap.hint(action);
        if k.is_empty() {
            continue;
        }
        let k = if action == Action::PickOption(1) {
            "1-9".to_string()
        } else {
            k
        };
        spans.push(Span::styled(k, th.header()));
        spans.push(Span::styled(format!(" {what}  "), th.dim()));
    }
    spans
}

/// Draw the triage screen into the frame's areas `a` (the status bar below
/// it is the root's).
pub(crate) fn draw(v: &TriageView<'_>, f: &mut Frame, a: &DocAreas) {
    let th = v.doc.theme;
    let Some(t) = v.triage else {
        return;
    };
    let d = t.detail.as_ref();
    let a = *a;
    if a.top.height > 0 {
        let decided = t.decisions.iter().filter(|x| x.what != Decided::Deferred).count();
        let mut spans = vec![
            Span::styled(" TRIAGE ", th.mode()),
            Span::styled(
                format!(" {}/{} ", (t.pos + 1).min(t.queue.len()), t.queue.len()),
                th.header(),
            ),
            Span::styled(
                format!("· {decided} decided · {} deferred", t.decisions.len() - decided),
                th.dim(),
            ),
        ];
        if t.collects() {
            spans.push(Span::styled(" · written as one commit at the end", th.dim()));
        }
        let l = Line::from(fit(spans, usize::from(a.top.width), false));
        f.buffer_mut().set_line(a.top.x, a.top.y, &l, a.top.width);
    }
    if let Some(d) = d {
        detail::draw_doc(&v.doc, f, d, &a);
        let mut y = a.below.y;
        let w = a.below.width.saturating_sub(1);
        let rows = usize::from(a.below.height);
        // The document's own options, then the accepted ADRs' it is about.
        let all: Vec<(Option<&str>, &crate::document::options::DecisionOption)> = d
            .choices
            .iter()
            .map(|c| (None, c))
            .chain(
                d.adopt
                    .iter()
                    .map(|c| (c.adr.as_ref().map(|a| a.id.as_str()), &c.option)),
            )
            .collect();
        let show = all.len().min(rows.saturating_sub(1));
        for (n, (from, c)) in all.iter().take(show).enumerate() {
            let num = if n < 9 { format!("{} ", n + 1) } else { "  ".into() };
            let mut spans = vec![Span::styled(num, th.header())];
            if let Some(id) = from {
                spans.push(Span::styled(format!("{} ", clean(id)), th.fg(th.palette.link)));
            }
            spans.push(Span::styled(
                format!("Option {}", clean(&c.label)),
                th.fg(th.palette.accent).add_modifier(Modifier::BOLD),
            ));
            spans.push(Span::styled(
                if c.title.is_empty() {
                    String::new()
                } else {
                    format!(": {}", clean(&c.title))
                },
                th.base(),
            ));
            if from.is_some() {
                spans.push(Span::styled("  · from an accepted ADR", th.dim()));
            }
            let l = Line::from(fit(spans, usize::from(w), false));
            f.buffer_mut().set_line(a.below.x + 1, y, &l, w);
            y += 1;
        }
        if rows > 0 {
            let l = Line::from(fit(hint(v), usize::from(w), false));
            f.buffer_mut().set_line(a.below.x + 1, y, &l, w);
        }
    }
}

/// The summary shown when triage ends.
pub(crate) fn summary_lines(v: &TriageView<'_>) -> Vec<Line<'static>> {
    let th = v.doc.theme;
    let Some(t) = v.triage else {
        return Vec::new();
    };
    let count = |f: fn(&Decided) -> bool| t.decisions.iter().filter(|d| f(&d.what)).count();
    let mut out = vec![Line::from(vec![
        Span::styled(
            format!("{} approved", count(|d| *d == Decided::Approved)),
            th.fg(th.palette.success),
        ),
        Span::styled(" · ", th.dim()),
        Span::styled(
            format!(
                "{} with an option or action",
                count(|d| matches!(d, Decided::Option(_) | Decided::Action(_)))
            ),
            th.fg(th.palette.success),
        ),
        Span::styled(" · ", th.dim()),
        Span::styled(
            format!("{} skipped", count(|d| matches!(d, Decided::Skipped(_)))),
            th.fg(th.palette.warning),
        ),
        Span::styled(" · ", th.dim()),
        Span::styled(format!("{} deferred", count(|d| *d == Decided::Deferred)), th.dim()),
    ])];
    let untouched = t.queue.len().saturating_sub(t.pos.min(t.queue.len()));
    if untouched > 0 {
        out.push(Line::from(Span::styled(format!("{untouched} not reached"), th.dim())));
    }
    if t.collects() {
        // Nothing is written yet: say what enter writes, and what esc does.
        let n = t.to_write().len();
        let (write, drop) = (v.keymap.hint(Action::Confirm), v.keymap.hint(Action::Cancel));
        let text = if n == 0 {
            "nothing to write".to_string()
        } else {
            format!("nothing written yet: {write} writes these {n} in one commit, {drop} none")
        };
        out.push(Line::from(Span::styled(text, th.fg(th.palette.accent))));
    }
    out.push(Line::from(""));
    for d in &t.decisions {
        let mut spans = vec![
            Span::styled(format!("{:<10} ", clean(&d.id)), th.base().add_modifier(Modifier::BOLD)),
            Span::styled(clean(&d.what.describe()).into_owned(), th.base()),
        ];
        if let Some(c) = &d.commit {
            spans.push(Span::styled(format!("  {}", short(c)), th.dim()));
        }
        if let Some((_, w)) = &d.planned {
            spans.push(Span::styled(format!("  → {}", planned_label(w)), th.dim()));
        }
        out.push(Line::from(spans));
    }
    out
}

/// What a planned write does, for the summary (`triage`, `status wontfix`).
fn planned_label(w: &crate::ops::batch::BatchWrite) -> String {
    use crate::ops::batch::BatchWrite;
    match w {
        BatchWrite::Triage { .. } => "triage".into(),
        BatchWrite::Status { to, .. } => format!("status {}", clean(to)),
        BatchWrite::Log { .. } => "work log".into(),
    }
}

/// A commit id shortened for display.
pub(crate) fn short(c: &str) -> &str {
    c.get(..10).unwrap_or(c)
}

/// Where the summary box goes for `lines` lines in `area`.
fn summary_rect(area: Rect, lines: usize) -> Rect {
    let h = super::cells(lines).saturating_add(3).min(area.height);
    let w = area.width.saturating_sub(4).min(76);
    centered(area, w, h)
}

/// The furthest the summary scrolls at the current size.
pub fn summary_max_scroll(app: &App) -> usize {
    let n = summary_lines(&TriageView::of(app)).len();
    let inner = usize::from(summary_rect(app.area(), n).height.saturating_sub(2));
    n.saturating_sub(inner)
}

pub(crate) fn draw_summary(v: &TriageView<'_>, f: &mut Frame, area: Rect, scroll: usize) {
    let th = v.doc.theme;
    let lines = summary_lines(v);
    let r = summary_rect(area, lines.len());
    let close = v.keymap.hint(Action::Cancel);
    let writes = v.triage.map_or(0, |t| t.to_write().len());
    let foot = if writes > 0 {
        let write = v.keymap.hint(Action::Confirm);
        format!(" {write} write {writes} · {close} write nothing ")
    } else {
        format!(" {close} back to the list ")
    };
    let inner = frame(th, f, r, "Triage summary", foot);
    let scroll = scroll.min(lines.len().saturating_sub(usize::from(inner.height)));
    for (n, l) in lines.iter().skip(scroll).take(usize::from(inner.height)).enumerate() {
        let l = Line::from(fit(l.spans.clone(), usize::from(inner.width), false));
        f.buffer_mut().set_line(inner.x, inner.y + n as u16, &l, inner.width);
    }
}
