//! Popups over any screen: menus (status transitions, links) and forms of
//! text fields (work-log entries, reasons, triage actions).

pub mod adr;
pub mod state;
pub mod update;

use super::super::app::{App, Form, Menu};
use super::super::cells::{clean, fit, width};
use super::super::keymap::{Action, Keymap};
use super::super::theme::Theme;
use super::centered;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear};
use ratatui::Frame;

/// What a popup draws from (its menu or form aside), and nothing else of
/// the app.
#[derive(Clone, Copy)]
pub(crate) struct PopupView<'a> {
    pub(crate) theme: &'a Theme,
    /// The keys named in the popup's footer.
    pub(crate) keymap: &'a Keymap,
}

impl<'a> PopupView<'a> {
    pub(crate) fn of(app: &'a App) -> PopupView<'a> {
        PopupView {
            theme: &app.theme,
            keymap: &app.keymap,
        }
    }
}

/// A popup's box over `r` (cleared, bordered, `title` at the top and
/// `bottom` at the bottom); the area inside it. The help and the triage
/// summary are drawn in it too.
pub(crate) fn frame(th: &Theme, f: &mut Frame, r: Rect, title: &str, bottom: String) -> Rect {
    f.render_widget(Clear, r);
    f.buffer_mut().set_style(r, th.popup());
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.fg(th.palette.popup_border))
        .title(Span::styled(format!(" {} ", clean(title)), th.header()))
        .title_bottom(Span::styled(bottom, th.dim()));
    let inner = block.inner(r);
    f.render_widget(block, r);
    inner
}

/// `s` (made inert) wrapped at word boundaries into lines of at most `w`
/// display columns; a word longer than a line is cut between clusters.
/// For the pickers' previews, which show whole lines of a document.
pub(crate) fn wrap(s: &str, w: usize) -> Vec<String> {
    let w = w.max(1);
    let s = clean(s);
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut cur_w = 0;
    for word in s.split_inclusive(' ') {
        if cur_w > 0 && cur_w + width(word.trim_end()) > w {
            out.push(std::mem::take(&mut cur).trim_end().to_string());
            cur_w = 0;
        }
        for (g, gw) in crate::document::text::clusters(word) {
            if cur_w > 0 && cur_w + gw > w && g != " " {
                out.push(std::mem::take(&mut cur));
                cur_w = 0;
            }
            cur.push_str(g);
            cur_w += gw;
        }
    }
    if !cur.trim_end().is_empty() || out.is_empty() {
        out.push(cur.trim_end().to_string());
    }
    out
}

/// A picker's width in `area` (the ADR and the option pickers): most of
/// it, at least 40 columns where there are, at most 110.
pub(crate) fn picker_width(area: Rect) -> u16 {
    area.width.saturating_sub(4).clamp(area.width.min(40), 110)
}

/// A picker's preview in `inner` from row `y` down: a rule across (naming
/// `label` when given), then as many of `lines` as fit above the bottom,
/// each fitted to the width.
pub(crate) fn draw_preview(
    th: &Theme,
    f: &mut Frame,
    inner: Rect,
    y: u16,
    label: Option<&str>,
    lines: Vec<Line<'static>>,
) {
    if y >= inner.bottom() {
        return;
    }
    let w = usize::from(inner.width);
    let rule = match label {
        Some(label) => format!("──{label}{}", "─".repeat(w.saturating_sub(width(label) + 2))),
        None => "─".repeat(w),
    };
    let l = Line::from(Span::styled(rule, th.fg(th.palette.rule)));
    f.buffer_mut().set_line(inner.x, y, &l, inner.width);
    let room = usize::from(inner.bottom() - (y + 1));
    for (n, l) in lines.into_iter().take(room).enumerate() {
        let l = Line::from(fit(l.spans, w, false));
        f.buffer_mut().set_line(inner.x, y + 1 + n as u16, &l, inner.width);
    }
}

/// The rectangle a menu takes (shared with mouse handling).
pub(crate) fn menu_rect(area: Rect, m: &Menu) -> Rect {
    // Display columns: wide (CJK, emoji) labels take two each.
    let w = m
        .items
        .iter()
        .map(|i| width(&clean(i)))
        .max()
        .unwrap_or(10)
        .max(width(&clean(&m.title)))
        + 8;
    // At least as wide as the default "enter choose · esc close" footer.
    centered(
        area,
        super::cells(w).clamp(30, 90),
        super::cells(m.items.len()).saturating_add(2),
    )
}

/// First item drawn so that the cursor is visible in `h` rows.
pub(crate) fn menu_offset(m: &Menu, h: usize) -> usize {
    if h == 0 || m.cursor < h {
        0
    } else {
        m.cursor + 1 - h
    }
}

pub(crate) fn draw_menu(v: &PopupView<'_>, f: &mut Frame, area: Rect, m: &Menu) {
    let th = v.theme;
    let r = menu_rect(area, m);
    let bottom = format!(
        " {} choose · {} close ",
        v.keymap.hint(Action::Confirm),
        v.keymap.hint(Action::Cancel)
    );
    let inner = frame(v.theme, f, r, &m.title, bottom);
    let h = usize::from(inner.height);
    let off = menu_offset(m, h);
    for (n, item) in m.items.iter().enumerate().skip(off).take(h) {
        let y = inner.y + (n - off) as u16;
        let row = Rect::new(inner.x, y, inner.width, 1);
        if n == m.cursor {
            f.buffer_mut().set_style(row, th.selection());
        }
        let num = if n < 9 { format!("{} ", n + 1) } else { "  ".into() };
        let spans = vec![Span::styled(num, th.dim()), Span::raw(clean(item).into_owned())];
        let l = Line::from(fit(spans, usize::from(inner.width), false));
        f.buffer_mut().set_line(inner.x, y, &l, inner.width);
    }
}

pub(crate) fn draw_form(v: &PopupView<'_>, f: &mut Frame, area: Rect, form: &Form) {
    let th = v.theme;
    let h = form.fields.len() as u16 * 2 + 2 + u16::from(form.error.is_some());
    let w = area.width.saturating_sub(4).min(80);
    let r = centered(area, w, h);
    let bottom = if form.fields.len() > 1 {
        format!(
            " enter next/submit · tab next field · {} cancel ",
            v.keymap.hint(Action::Cancel)
        )
    } else {
        format!(" enter submit · {} cancel ", v.keymap.hint(Action::Cancel))
    };
    let inner = frame(v.theme, f, r, &form.title, bottom);
    let mut y = inner.y;
    let bottom_y = inner.bottom();
    for (i, field) in form.fields.iter().enumerate() {
        if y >= bottom_y {
            break;
        }
        let label = format!("{}{}", field.label, if field.required { "" } else { " (optional)" });
        let style = if i == form.focus { th.header() } else { th.dim() };
        let l = Line::from(fit(vec![Span::styled(label, style)], usize::from(inner.width), false));
        f.buffer_mut().set_line(inner.x, y, &l, inner.width);
        y += 1;
        if y >= bottom_y {
            break;
        }
        let room = usize::from(inner.width).saturating_sub(2).max(1);
        let (text, col) = field.edit.window(room);
        let l = Line::from(vec![
            Span::styled("> ", th.fg(th.palette.accent)),
            Span::styled(clean(&text).into_owned(), th.popup()),
        ]);
        f.buffer_mut().set_line(inner.x, y, &l, inner.width);
        if i == form.focus {
            let x = inner.x + 2 + col as u16;
            if x < inner.right() {
                f.set_cursor_position((x, y));
            }
        }
        y += 1;
    }
    if let Some(e) = &form.error {
        if y < bottom_y {
            let l = Line::from(fit(
                vec![Span::styled(clean(e).into_owned(), th.error())],
                usize::from(inner.width),
                false,
            ));
            f.buffer_mut().set_line(inner.x, y, &l, inner.width);
        }
    }
}
