//! The status bar: mode, shown/total counts, sort key, the last message
//! (errors in their own colour, never hidden) and the help key.

use super::super::app::{App, DetailTab, Level, Popup, Screen};
use super::super::cells::{clean, fit, width};
use super::super::keymap::Action;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

/// The mode label.
pub fn mode(app: &App) -> &'static str {
    match (&app.popup, app.screen) {
        (Some(Popup::Help { .. }), _) => "HELP",
        (Some(Popup::Menu(_)), _) => "MENU",
        (Some(Popup::Form(_)), _) => "INPUT",
        (Some(Popup::Summary { .. }), _) => "SUMMARY",
        (None, Screen::List) if app.search.is_some() => "SEARCH",
        (None, Screen::List) if app.facets.is_some() => "FILTERS",
        (None, Screen::List) => "LIST",
        (None, Screen::Detail) if app.detail.as_ref().is_some_and(|d| d.tab == DetailTab::History) => "HISTORY",
        (None, Screen::Detail) => "DETAIL",
        (None, Screen::Triage) => "TRIAGE",
    }
}

/// `1234` → `1,234`.
pub fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub fn draw(app: &App, f: &mut Frame, area: Rect) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let th = &app.theme;
    let bar = th.bar();
    f.buffer_mut().set_style(area, bar);
    let mut left: Vec<Span<'static>> = vec![Span::styled(format!(" {} ", mode(app)), th.mode())];
    left.push(Span::styled(
        format!(
            " {}/{} ",
            thousands(app.index.shown().len()),
            thousands(app.repo.items.len())
        ),
        bar,
    ));
    left.push(Span::styled(format!("sort:{} ", app.index.sort().as_str()), bar));
    if let Some((done, total)) = app.index.progress() {
        left.push(Span::styled(
            format!("filtering {}% ", done * 100 / total.max(1)),
            th.fg(th.palette.info),
        ));
    }
    if let Some(m) = &app.message {
        let style = match m.level {
            Level::Error => th.error(),
            Level::Success => th.fg(th.palette.success),
            Level::Info => th.fg(th.palette.info),
        };
        left.push(Span::styled("│ ", bar));
        left.push(Span::styled(clean(&m.text).into_owned(), style));
    }
    let help = format!(" {} help ", app.keymap.hint(Action::Help));
    let w = usize::from(area.width);
    let room = w.saturating_sub(width(&help));
    let mut spans = fit(left, room, true);
    if room > 0 {
        spans.push(Span::styled(help, bar));
    }
    let line = Line::from(fit(spans, w, false));
    f.buffer_mut().set_line(area.x, area.y, &line, area.width);
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands() {
        assert_eq!(super::thousands(0), "0");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(100000), "100,000");
        assert_eq!(super::thousands(1234567), "1,234,567");
    }
}
