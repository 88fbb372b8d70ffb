//! Help: every binding of the current screen, generated from the keymap in
//! force (so user overrides show), plus the fixed line-editing keys.

pub mod update;

use super::super::app::{App, Screen};
use super::super::cells::{fit, width};
use super::super::keymap::Keymap;
use super::super::keymap::{self, Action, Context, EDITING_HELP};
use super::super::theme::Theme;
use super::centered;
use super::popup::frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

/// The contexts whose keys apply on the current screen: the ones a key is
/// looked up in, and the ones the help shows.
pub(crate) fn chain(app: &App) -> &'static [Context] {
    match app.screen {
        Screen::List if app.facets.is_some() => keymap::FACETS,
        Screen::List => keymap::LIST,
        Screen::Detail => keymap::DETAIL,
        Screen::Triage => keymap::TRIAGE,
        Screen::Board => keymap::BOARD,
        Screen::Stats => keymap::STATS,
    }
}

/// What the help draws from, and nothing else of the app.
pub struct HelpView<'a> {
    pub(crate) keymap: &'a Keymap,
    pub(crate) theme: &'a Theme,
    /// The contexts of the screen under the help.
    pub(crate) chain: &'static [Context],
    /// The list is under it (the search box, dialogs and mouse help too).
    pub(crate) list: bool,
}

impl<'a> HelpView<'a> {
    /// The help for the screen `app` shows: its keys, and the list's search and mouse
    /// help when the list is under it.
    pub fn of(app: &'a App) -> HelpView<'a> {
        HelpView {
            keymap: &app.keymap,
            theme: &app.theme,
            chain: chain(app),
            list: app.screen == Screen::List,
        }
    }
}

/// The help, one line per key row, for a box `box_width` columns wide: the key
/// column takes at most half of it, so what a key does always shows.
pub(crate) fn help_lines(v: &HelpView<'_>, box_width: usize) -> Vec<Line<'static>> {
    let th = v.theme;
    let mut sections: Vec<(String, Vec<(String, String)>)> = v
        .keymap
        .help(v.chain)
        .into_iter()
        .map(|(t, rows)| (t.to_string(), rows))
        .collect();
    if v.list {
        sections.push((
            "Search box and dialogs".into(),
            EDITING_HELP
                .iter()
                .map(|(k, h)| (k.to_string(), h.to_string()))
                .collect(),
        ));
        sections.push((
            "Mouse".into(),
            vec![
                ("click".into(), "select a row; click it again to open it".into()),
                ("wheel".into(), "move through the list".into()),
            ],
        ));
    }
    let kw = sections
        .iter()
        .flat_map(|(_, r)| r.iter().map(|(k, _)| width(k)))
        .max()
        .unwrap_or(0)
        .min(26)
        .min(box_width.saturating_sub(4) / 2)
        .max(1);
    let mut out = Vec::new();
    for (i, (title, rows)) in sections.into_iter().enumerate() {
        if i > 0 {
            out.push(Line::from(""));
        }
        out.push(Line::from(Span::styled(title, th.header())));
        for (k, h) in rows {
            let mut spans = vec![Span::raw("  ")];
            spans.extend(fit(vec![Span::styled(k, th.fg(th.palette.accent))], kw, true));
            spans.push(Span::raw("  "));
            spans.push(Span::styled(h, th.popup()));
            out.push(Line::from(spans));
        }
    }
    out
}

/// Where the help box goes in `area`.
fn help_rect(area: Rect) -> Rect {
    let w = area.width.saturating_sub(4).clamp(1, 84);
    let h = area.height.saturating_sub(2).max(1);
    centered(area, w, h)
}

/// The furthest the help scrolls at the current size (its last line at the
/// bottom of the box).
pub fn max_scroll(v: &HelpView<'_>, area: Rect) -> usize {
    let inner = usize::from(help_rect(area).height.saturating_sub(2));
    help_lines(v, 0).len().saturating_sub(inner)
}

/// Draw the help over `area`, scrolled by `scroll` lines.
pub(crate) fn draw(v: &HelpView<'_>, f: &mut Frame, area: Rect, scroll: usize) {
    let th = v.theme;
    let r = help_rect(area);
    let lines = help_lines(v, usize::from(r.width.saturating_sub(2)));
    let close = v.keymap.hint(Action::Cancel);
    let bottom = format!(
        " {}/{} scroll · {close} close ",
        v.keymap.hint(Action::Down),
        v.keymap.hint(Action::Up)
    );
    let inner = frame(th, f, r, "Keys", bottom);
    let max = lines.len().saturating_sub(usize::from(inner.height));
    for (n, l) in lines
        .iter()
        .skip(scroll.min(max))
        .take(usize::from(inner.height))
        .enumerate()
    {
        let l = Line::from(fit(l.spans.clone(), usize::from(inner.width), false));
        f.buffer_mut().set_line(inner.x, inner.y + n as u16, &l, inner.width);
    }
}
