//! The status bar: mode, shown/total counts, sort key, the last message
//! (errors in their own colour, never hidden) and the help key. The message
//! keeps its room first (the sort key, then the counts, give way); an error
//! that still does not fit shows in full above the bar until the next key.

use super::super::app::{App, DetailTab, Level, Popup, Screen};
use super::super::cells::{clean, fit, width};
use super::super::keymap::Action;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear};
use ratatui::Frame;

/// The mode label.
pub(crate) fn mode(app: &App) -> &'static str {
    match (&app.popup, app.screen) {
        (Some(Popup::Help { .. }), _) => "HELP",
        (Some(Popup::Menu(_)), _) => "MENU",
        (Some(Popup::Form(_)), _) => "INPUT",
        (Some(Popup::Summary { .. }), _) => "SUMMARY",
        (Some(Popup::Adr(_) | Popup::Options(_)), _) => "PICK",
        (None, Screen::List) if app.search.is_some() => "SEARCH",
        (None, Screen::List) if app.facets.is_some() => "FILTERS",
        (None, Screen::List) => "LIST",
        (None, Screen::Detail) if super::detail::find::typing(app) => "FIND",
        (None, Screen::Detail) if app.detail.as_ref().is_some_and(|d| d.tab == DetailTab::History) => "HISTORY",
        (None, Screen::Detail) => "DETAIL",
        (None, Screen::Triage) => "TRIAGE",
        (None, Screen::Board) => "BOARD",
        (None, Screen::Stats) => "STATS",
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

/// The bar's parts, in the order drawn; [`draw`] leaves out the optional
/// ones (sort, then counts) when the message would not fit.
fn parts(app: &App, counts: bool, sort: bool) -> Vec<Span<'static>> {
    let th = &app.theme;
    let bar = th.bar();
    let mut left: Vec<Span<'static>> = vec![Span::styled(format!(" {} ", mode(app)), th.mode())];
    if counts {
        left.push(Span::styled(
            format!(
                " {}/{} ",
                thousands(app.index.shown().len()),
                thousands(app.repo.items.len())
            ),
            bar,
        ));
    }
    if sort {
        left.push(Span::styled(format!("sort:{} ", app.index.sort().as_str()), bar));
    }
    if !app.marks.is_empty() {
        left.push(Span::styled(
            format!("{} marked ", thousands(app.marks.len())),
            th.fg(th.palette.accent),
        ));
    }
    if let Some((done, total)) = app.index.progress() {
        left.push(Span::styled(
            format!("filtering {}% ", done * 100 / total.max(1)),
            th.fg(th.palette.info),
        ));
    }
    if app.index.searching() {
        left.push(Span::styled("searching bodies… ", th.fg(th.palette.info)));
    }
    if app.loading {
        let text = match app.progress {
            // No total yet while the walk still finds files.
            Some((done, 0)) => format!("loading {}… ", thousands(done)),
            Some((done, total)) => format!("loading {} / {} ", thousands(done), thousands(total)),
            None => "loading… ".to_string(),
        };
        left.push(Span::styled(text, th.fg(th.palette.info)));
    }
    if let Some(p) = &app.pending {
        // The label names a document ID: untrusted text, drawn inert.
        left.push(Span::styled(format!("{} ", clean(&p.label())), th.fg(th.palette.info)));
    }
    left
}

/// Bars at least this wide also show the current screen's main keys.
pub(crate) const KEYS_WIDTH: u16 = 100;

/// The current screen's main keys, most used first, for a wide bar
/// (`enter open · `, `/ search · `); none where the screen shows its own
/// (triage, popups).
fn main_keys(app: &App) -> Vec<String> {
    let typing = || vec!["enter keep · ".to_string(), "esc cancel · ".to_string()];
    let list: &[(Action, &str)] = match (&app.popup, app.screen) {
        (Some(_), _) => &[],
        (None, Screen::List) if app.search.is_some() => return typing(),
        (None, Screen::Detail) if super::detail::find::typing(app) => return typing(),
        (None, Screen::List) if app.facets.is_some() => &[
            (Action::Toggle, "toggle"),
            (Action::ClearFilters, "clear"),
            (Action::CloseFacets, "close"),
        ],
        (None, Screen::List) => &[
            (Action::Open, "open"),
            (Action::Search, "search"),
            (Action::Facets, "filters"),
            (Action::Sort, "sort"),
            (Action::StartTriage, "triage"),
            (Action::Status, "status"),
        ],
        (None, Screen::Detail) => &[
            (Action::Back, "back"),
            (Action::Find, "find"),
            (Action::History, "history"),
            (Action::Links, "links"),
            (Action::Status, "status"),
            (Action::Log, "log"),
            (Action::StartTriage, "triage"),
        ],
        (None, Screen::Triage) => &[],
        (None, Screen::Board) => &[
            (Action::OpenCard, "open"),
            (Action::ColumnRight, "column"),
            (Action::CardForward, "move"),
            (Action::NextFamily, "family"),
            (Action::Status, "status"),
            (Action::CloseBoard, "list"),
        ],
        (None, Screen::Stats) => &[(Action::CloseStats, "back")],
    };
    list.iter()
        .filter_map(|(action, what)| {
            let k = app.keymap.hint(*action);
            (!k.is_empty()).then(|| format!("{k} {what} · "))
        })
        .collect()
}

fn help_hint(app: &App) -> String {
    format!(" {} help ", app.keymap.hint(Action::Help))
}

fn spans_width(spans: &[Span<'_>]) -> usize {
    spans.iter().map(|s| width(&s.content)).sum()
}

/// The message as the bar shows it, and the columns left for it (after
/// the parts kept) in a bar `w` wide: the message keeps its room first.
fn layout(app: &App, w: usize) -> (Vec<Span<'static>>, usize) {
    let room = w.saturating_sub(width(&help_hint(app)));
    let msg = app.message.as_ref().map_or(0, |m| width(&clean(&m.text)) + 2);
    let mut left = parts(app, true, true);
    if msg > 0 {
        for (counts, sort) in [(true, false), (false, false)] {
            if spans_width(&left) + msg <= room {
                break;
            }
            left = parts(app, counts, sort);
        }
    }
    let used = spans_width(&left);
    (left, room.saturating_sub(used + 2))
}

pub(crate) fn draw(app: &App, f: &mut Frame, area: Rect) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let th = &app.theme;
    let bar = th.bar();
    f.buffer_mut().set_style(area, bar);
    let w = usize::from(area.width);
    let (mut left, _) = layout(app, w);
    if let Some(m) = &app.message {
        let style = match m.level {
            Level::Error => th.error(),
            Level::Success => th.fg(th.palette.success),
            Level::Info => th.fg(th.palette.info),
        };
        left.push(Span::styled("│ ", bar));
        left.push(Span::styled(clean(&m.text).into_owned(), style));
    }
    let mut help = help_hint(app);
    // A wide bar offers the screen's main keys too, as many as the rest
    // leaves room for, most used first (the message keeps its room first).
    if area.width >= KEYS_WIDTH {
        let mut keys = String::new();
        for k in main_keys(app) {
            if spans_width(&left) + width(&keys) + width(&k) + width(&help) >= w {
                break;
            }
            keys.push_str(&k);
        }
        if !keys.is_empty() {
            help = format!(" {keys}{}", help.trim_start());
        }
    }
    let room = w.saturating_sub(width(&help));
    let mut spans = fit(left, room, true);
    if room > 0 {
        spans.push(Span::styled(help, bar));
    }
    let line = Line::from(fit(spans, w, false));
    f.buffer_mut().set_line(area.x, area.y, &line, area.width);
}

/// Most lines an error box takes.
const ERROR_LINES: usize = 6;

/// The lines of an unread error that does not fit the status bar (or has
/// several lines), wrapped to the screen; `None` when there is none.
pub(crate) fn error_box_lines(app: &App) -> Option<Vec<String>> {
    let m = app.message.as_ref().filter(|m| m.open && m.level == Level::Error)?;
    let w = usize::from(app.size.0);
    let (_, room) = layout(app, w);
    let one_line = !m.text.trim_end().contains('\n');
    if one_line && width(&clean(&m.text)) <= room {
        return None;
    }
    let wrap_w = w.saturating_sub(2).max(1);
    let mut out = Vec::new();
    for raw in m.text.trim_end().lines() {
        let raw = clean(raw);
        let body = raw.trim_start();
        let indent = " ".repeat((raw.len() - body.len()).min(wrap_w / 2));
        let mut line = indent.clone();
        for word in body.split(' ') {
            let fresh = line.len() == indent.len();
            if !fresh && width(&line) + 1 + width(word) > wrap_w {
                out.push(std::mem::replace(&mut line, indent.clone()));
            } else if !fresh {
                line.push(' ');
            }
            line.push_str(word);
        }
        out.push(line);
    }
    if out.len() > ERROR_LINES {
        out.truncate(ERROR_LINES);
        if let Some(last) = out.last_mut() {
            last.push_str(" …");
        }
    }
    Some(out)
}

/// An unread error too long for the status bar, in full above it (the
/// next key closes it).
pub(crate) fn draw_error_box(app: &App, f: &mut Frame, area: Rect) {
    let Some(lines) = error_box_lines(app) else {
        return;
    };
    let th = &app.theme;
    let (main, _) = super::super::layout::split_status(area);
    let h = super::cells(lines.len() + 1).min(main.height);
    if h == 0 {
        return;
    }
    let r = Rect::new(main.x, main.bottom() - h, main.width, h);
    f.render_widget(Clear, r);
    f.buffer_mut().set_style(r, th.popup());
    let block = Block::default()
        .borders(Borders::TOP)
        .border_style(th.error())
        .title(Span::styled(" error ", th.error()))
        .title(Line::from(Span::styled(" any key closes ", th.dim())).right_aligned());
    let inner = block.inner(r);
    f.render_widget(block, r);
    for (n, l) in lines.iter().take(usize::from(inner.height)).enumerate() {
        let l = Line::from(fit(
            vec![Span::styled(l.clone(), th.error())],
            usize::from(inner.width),
            false,
        ));
        f.buffer_mut()
            .set_line(inner.x + 1, inner.y + n as u16, &l, inner.width.saturating_sub(1));
    }
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
