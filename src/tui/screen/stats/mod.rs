//! The stats view (`S`): the documents loaded by status (per family, in
//! workflow order), by priority and by age as bar charts, and the trend
//! from git history, opened versus closed per week, as a ratatui `Chart`.
//! The numbers are [`crate::stats`]'s, as `findings stats` prints them:
//! the counts are taken when the view opens (and after a reload), the
//! trend is read from git on a thread of the runtime
//! ([`crate::tui::Effect::LoadTrend`]); until it is back the chart says
//! `reading history…`.

use super::super::app::{App, Screen};
use super::super::cells::{clean, fit, width};
use super::super::layout::split_status;
use super::super::msg::Effect;
use super::super::theme::Theme;
use crate::stats::{self, Bucket, Stats, Trend};
use crate::workflow::Workflows;
use chrono::{NaiveDate, NaiveDateTime};
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Borders, Chart, Dataset, GraphType};
use ratatui::Frame;

/// Weeks the trend covers (as `findings stats`).
pub(crate) const WEEKS: usize = 12;

/// The stats view's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatsView {
    /// The counts of the documents loaded.
    pub(crate) stats: Stats,
    /// The trend, once read from git.
    pub(crate) trend: Option<Trend>,
    /// The screen to go back to.
    pub(crate) back: Screen,
}

impl StatsView {
    /// The counts shown.
    pub fn counts(&self) -> &Stats {
        &self.stats
    }

    /// The trend, once read from git.
    pub fn trend(&self) -> Option<&Trend> {
        self.trend.as_ref()
    }
}

/// "Now" for the counts and the trend: the start of the app's today (so
/// ages read as the list's).
fn now(today: NaiveDate) -> NaiveDateTime {
    today.and_hms_opt(0, 0, 0).unwrap_or_default()
}

/// Open the stats view over what is loaded; the trend is asked of the
/// runtime.
pub(crate) fn open(app: &mut App) -> Vec<Effect> {
    let back = match app.screen {
        Screen::Stats => return Vec::new(),
        s => s,
    };
    app.stats = Some(StatsView {
        stats: stats::counts(&app.repo, now(app.today)),
        trend: None,
        back,
    });
    app.screen = Screen::Stats;
    vec![Effect::LoadTrend {
        now: now(app.today),
        weeks: WEEKS,
    }]
}

/// Back to the screen the view was opened from.
pub(crate) fn close(app: &mut App) {
    if let Some(s) = app.stats.take() {
        app.screen = s.back;
    } else {
        app.screen = Screen::List;
    }
}

/// The trend is back from git.
pub(crate) fn trend_loaded(app: &mut App, t: Trend) {
    if let Some(s) = &mut app.stats {
        s.trend = Some(t);
    }
}

/// The documents were loaded again: count them again.
pub(crate) fn recount(app: &mut App) {
    let n = now(app.today);
    if let Some(s) = &mut app.stats {
        s.stats = stats::counts(&app.repo, n);
    }
}

/// What the stats view draws from, and nothing else of the app.
pub struct StatsDraw<'a> {
    pub(crate) theme: &'a Theme,
    pub(crate) workflows: &'a Workflows,
    pub(crate) view: &'a StatsView,
}

impl<'a> StatsDraw<'a> {
    /// The view of `app`'s stats, when open.
    pub fn of(app: &'a App) -> Option<StatsDraw<'a>> {
        Some(StatsDraw {
            theme: &app.theme,
            workflows: &app.workflows,
            view: app.stats.as_ref()?,
        })
    }
}

/// The status bar's area under the view drawn in `area`.
pub fn status_area(area: Rect) -> Rect {
    split_status(area).1
}

/// One bar: a label, a count, how many of them are open, its style.
struct Bar {
    label: String,
    count: usize,
    style: Style,
    heading: bool,
}

/// Draw bars in `r`, labels left, each bar scaled to the largest count.
fn draw_bars(th: &Theme, f: &mut Frame, r: Rect, title: &str, bars: &[Bar]) {
    if r.width < 4 || r.height == 0 {
        return;
    }
    let head = Line::from(Span::styled(title.to_string(), th.header()));
    f.buffer_mut().set_line(r.x, r.y, &head, r.width);
    let label_w = bars
        .iter()
        .filter(|b| !b.heading)
        .map(|b| width(&b.label))
        .max()
        .unwrap_or(0)
        .min(usize::from(r.width) / 3);
    let max = bars
        .iter()
        .filter(|b| !b.heading)
        .map(|b| b.count)
        .max()
        .unwrap_or(0)
        .max(1);
    let num_w = max.to_string().len();
    let bar_room = usize::from(r.width).saturating_sub(label_w + num_w + 4);
    for (n, b) in bars.iter().enumerate().take(usize::from(r.height.saturating_sub(1))) {
        let y = r.y + 1 + n as u16;
        let line = if b.heading {
            Line::from(Span::styled(clean(&b.label).into_owned(), th.dim()))
        } else {
            let len = (b.count * bar_room).div_ceil(max).min(bar_room);
            let mut spans = fit(
                vec![Span::styled(clean(&b.label).into_owned(), th.base())],
                label_w,
                true,
            );
            spans.push(Span::raw(" ".repeat(
                label_w.saturating_sub(spans.iter().map(|s| width(&s.content)).sum()) + 1,
            )));
            spans.push(Span::styled("█".repeat(len), b.style));
            spans.push(Span::styled(format!(" {}", b.count), th.dim()));
            Line::from(spans)
        };
        f.buffer_mut().set_line(r.x, y, &line, r.width);
    }
}

fn bucket_bars(th: &Theme, buckets: &[Bucket]) -> Vec<Bar> {
    buckets
        .iter()
        .map(|b| Bar {
            label: b.label.clone(),
            count: b.count,
            style: th.fg(th.palette.accent),
            heading: false,
        })
        .collect()
}

/// Draw the stats view into `area` (the status bar, its last line, is the
/// root's).
pub fn draw(v: &StatsDraw<'_>, f: &mut Frame, area: Rect) {
    let th = v.theme;
    let s = &v.view.stats;
    let (main, _) = split_status(area);
    if main.height == 0 || main.width == 0 {
        return;
    }
    let title = Line::from(vec![
        Span::styled("Stats", th.header().add_modifier(Modifier::BOLD)),
        Span::styled(
            format!(" · {} documents, {} open · as `findings stats`", s.total, s.open),
            th.dim(),
        ),
    ]);
    f.buffer_mut().set_line(
        main.x,
        main.y,
        &Line::from(fit(title.spans, usize::from(main.width), false)),
        main.width,
    );
    let body = Rect::new(main.x, main.y + 1, main.width, main.height - 1);
    // The trend takes the lower part; the bars the upper.
    let chart_h = if body.height >= 16 {
        body.height * 2 / 5
    } else {
        body.height / 2
    };
    let bars_h = body.height - chart_h;
    let upper = Rect::new(body.x, body.y, body.width, bars_h);
    let lower = Rect::new(body.x, body.y + bars_h, body.width, chart_h);

    let mut status_bars = Vec::new();
    let mut last_kind = None;
    for c in &s.by_status {
        if last_kind != Some(c.kind) {
            status_bars.push(Bar {
                label: c.kind.to_string(),
                count: 0,
                style: th.dim(),
                heading: true,
            });
            last_kind = Some(c.kind);
        }
        let style = if c.known {
            th.status_in(v.workflows, Some(c.kind), Some(c.status.as_str()))
        } else {
            th.fg(th.palette.status_unknown)
        };
        status_bars.push(Bar {
            label: format!(" {}", c.status),
            count: c.count,
            style,
            heading: false,
        });
    }
    let pri = bucket_bars(th, &s.by_priority);
    let age = bucket_bars(th, &s.by_age);
    if upper.width >= 90 {
        let w = upper.width / 3;
        let parts = [
            Rect::new(upper.x, upper.y, w - 1, upper.height),
            Rect::new(upper.x + w, upper.y, w - 1, upper.height),
            Rect::new(upper.x + 2 * w, upper.y, upper.width - 2 * w, upper.height),
        ];
        draw_bars(th, f, parts[0], "By status", &status_bars);
        draw_bars(th, f, parts[1], "By priority", &pri);
        draw_bars(th, f, parts[2], "By age", &age);
    } else {
        let w = upper.width / 2;
        let left = Rect::new(upper.x, upper.y, w.saturating_sub(1), upper.height);
        let right = Rect::new(upper.x + w, upper.y, upper.width - w, upper.height);
        draw_bars(th, f, left, "By status", &status_bars);
        let ph = (pri.len() as u16 + 2).min(right.height);
        draw_bars(th, f, Rect::new(right.x, right.y, right.width, ph), "By priority", &pri);
        draw_bars(
            th,
            f,
            Rect::new(right.x, right.y + ph, right.width, right.height - ph),
            "By age",
            &age,
        );
    }
    draw_trend(v, f, lower);
}

/// The opened/closed chart, or why there is none yet.
fn draw_trend(v: &StatsDraw<'_>, f: &mut Frame, r: Rect) {
    let th = v.theme;
    if r.height < 2 || r.width < 10 {
        return;
    }
    let title = format!(" Opened and closed per week, last {WEEKS} weeks (git) ");
    let block = Block::default()
        .borders(Borders::TOP)
        .border_style(th.fg(th.palette.rule))
        .title(Span::styled(title, th.header()));
    let note = |f: &mut Frame, text: String| {
        let inner = block.inner(r);
        f.render_widget(block.clone(), r);
        let l = Line::from(fit(vec![Span::styled(text, th.dim())], usize::from(inner.width), false));
        f.buffer_mut().set_line(inner.x, inner.y, &l, inner.width);
    };
    let Some(t) = &v.view.trend else {
        note(f, "reading history…".into());
        return;
    };
    if let Some(why) = &t.unavailable {
        note(f, format!("no trend: {}", clean(why)));
        return;
    }
    if t.weeks.is_empty() {
        note(f, "no weeks".into());
        return;
    }
    let opened: Vec<(f64, f64)> = t
        .weeks
        .iter()
        .enumerate()
        .map(|(i, w)| (i as f64, w.opened as f64))
        .collect();
    let closed: Vec<(f64, f64)> = t
        .weeks
        .iter()
        .enumerate()
        .map(|(i, w)| (i as f64, w.closed as f64))
        .collect();
    let max = t.weeks.iter().map(|w| w.opened.max(w.closed)).max().unwrap_or(0).max(1);
    let total_opened: usize = t.weeks.iter().map(|w| w.opened).sum();
    let total_closed: usize = t.weeks.iter().map(|w| w.closed).sum();
    let first = t
        .weeks
        .first()
        .map(|w| w.start.format("%b %d").to_string())
        .unwrap_or_default();
    let last = t
        .weeks
        .last()
        .map(|w| w.start.format("%b %d").to_string())
        .unwrap_or_default();
    let opened_style = th.fg(th.palette.status_new);
    let closed_style = th.fg(th.palette.status_done);
    let chart = Chart::new(vec![
        Dataset::default()
            .name(format!("opened {total_opened}"))
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(opened_style)
            .data(&opened),
        Dataset::default()
            .name(format!("closed {total_closed}"))
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(closed_style)
            .data(&closed),
    ])
    .block(block)
    .style(th.base())
    .hidden_legend_constraints((Constraint::Ratio(1, 2), Constraint::Ratio(1, 2)))
    .x_axis(
        Axis::default()
            .style(th.dim())
            .bounds([0.0, (t.weeks.len().max(2) - 1) as f64])
            .labels([Span::raw(first), Span::raw(last)]),
    )
    .y_axis(
        Axis::default()
            .style(th.dim())
            .bounds([0.0, max as f64])
            .labels([Span::raw("0"), Span::raw(max.to_string())]),
    );
    f.render_widget(chart, r);
}
