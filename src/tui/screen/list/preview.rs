//! The preview beside the list (lazygit's side panel): at 140 columns and
//! wider the selected document is shown on the right, drawn by the detail
//! view's own renderer (`detail::draw_doc`), scrolled to the top.
//!
//! Reading and rendering never happen while keys wait: a key only moves the
//! selection, and the document is read when the loop is idle (`load`,
//! through [`crate::tui::App::work`]), so a held `j` is never slowed by the
//! files it passes. The last few documents rendered are kept ([`Preview`]),
//! per path and wrap width, so going back is instant; a reload forgets them
//! (the files may have changed). Until the selected one is read the pane
//! shows its header from the loaded metadata and `reading…`.

use crate::document::Meta;
use crate::tui::app::{load_detail, App, Detail, Screen};
use crate::tui::layout::{body_width, DocAreas};
use crate::tui::screen::detail::{self, DocView};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;
use std::collections::VecDeque;

/// The list shows the preview beside it from this many columns.
pub(crate) const MIN_WIDTH: u16 = 140;

/// Documents kept rendered.
const KEEP: usize = 8;

/// The preview's state: shown or not (the user's choice for the session),
/// and the documents rendered last.
#[derive(Debug, Clone)]
pub struct Preview {
    on: bool,
    cache: VecDeque<Detail>,
}

impl Default for Preview {
    fn default() -> Self {
        Preview {
            on: true,
            cache: VecDeque::new(),
        }
    }
}

impl Preview {
    /// True unless the user turned the preview off (`P`); it shows only
    /// where the list is 140 columns or wider.
    pub fn is_on(&self) -> bool {
        self.on
    }

    /// Turn the preview on or off; true when now on.
    pub(crate) fn toggle(&mut self) -> bool {
        self.on = !self.on;
        self.on
    }

    /// The document at `path` as rendered for `width` columns, if kept.
    pub(crate) fn get(&self, path: &str, width: u16) -> Option<&Detail> {
        self.cache.iter().find(|d| d.path == path && d.width == width)
    }

    /// Keep `d` (the oldest kept goes when there are too many).
    pub(crate) fn put(&mut self, d: Detail) {
        self.cache.retain(|o| !(o.path == d.path && o.width == d.width));
        if self.cache.len() >= KEEP {
            self.cache.pop_front();
        }
        self.cache.push_back(d);
    }

    /// Forget every rendered document (after a reload).
    pub(crate) fn clear(&mut self) {
        self.cache.clear();
    }
}

/// Split the list's width `w` between the list and the preview: the list's
/// share (the rest, a border column included, is the preview's).
pub(crate) fn list_share(w: u16) -> u16 {
    // About 45%, never under 64 columns: ID, priority, status, family,
    // age and a readable title.
    (w * 9 / 20).max(64).min(w)
}

/// The preview's text, inside its border column.
fn inner(r: Rect) -> Rect {
    Rect::new(
        r.x.saturating_add(1).min(r.right()),
        r.y,
        r.width.saturating_sub(1),
        r.height,
    )
}

/// The width the preview in `r` wraps the document to.
pub(crate) fn wrap_width(r: Rect) -> u16 {
    body_width(inner(r))
}

/// Areas of a document drawn in the preview `r`: a header of `head` lines,
/// a rule, the body.
pub(crate) fn doc_areas(r: Rect, head: u16) -> DocAreas {
    let c = inner(r);
    let head = head.min(c.height.saturating_sub(2));
    let rule = u16::from(c.height > head + 1);
    let body = c.height.saturating_sub(head + rule);
    let at = |y: u16, h: u16| Rect::new(c.x, y, c.width, h);
    DocAreas {
        top: at(c.y, 0),
        header: at(c.y, head),
        rule: at(c.y + head, rule),
        body: at(c.y + head + rule, body),
        below: at(c.y + head + rule + body, 0),
        status: at(c.y + c.height, 0),
    }
}

/// The document the preview wants now and the width to wrap it to, when
/// the list shows a preview.
fn wanted(app: &App) -> Option<(Meta, u16)> {
    if app.screen != Screen::List {
        return None;
    }
    let r = app.layout().list.preview?;
    let m = app.selected()?;
    Some((m.clone(), wrap_width(r)))
}

/// True while the preview shows a document it has not read yet.
pub(crate) fn pending(app: &App) -> bool {
    wanted(app).is_some_and(|(m, w)| app.preview.get(&m.path, w).is_none())
}

/// Read and render the document the preview wants, if it is not kept yet
/// (the runner calls this when no key waits).
pub(crate) fn load(app: &mut App) {
    let Some((m, w)) = wanted(app) else {
        return;
    };
    if app.preview.get(&m.path, w).is_none() {
        let d = load_detail(&app.repo, &m, &app.theme, w);
        app.preview.put(d);
    }
}

/// Draw the preview of the selected document `m` into `r` (its left
/// column is the border with the list).
pub(crate) fn draw(v: &DocView<'_>, f: &mut Frame, preview: &Preview, m: Option<&Meta>, r: Rect) {
    if r.width == 0 || r.height == 0 {
        return;
    }
    let th = v.theme;
    for y in r.y..r.bottom() {
        f.buffer_mut()
            .set_line(r.x, y, &Line::from(Span::styled("│", th.fg(th.palette.rule))), 1);
    }
    let Some(m) = m else {
        return;
    };
    let w = wrap_width(r);
    match preview.get(&m.path, w) {
        // Kept documents are never scrolled: the top shows.
        Some(d) => detail::draw_doc(v, f, d, &doc_areas(r, detail::header_height(d))),
        None => {
            let d = Detail::unread(m, w, None);
            let a = doc_areas(r, detail::header_height(&d));
            detail::draw_doc(v, f, &d, &a);
            if a.body.height > 0 {
                let l = Line::from(Span::styled("reading…", th.dim()));
                f.buffer_mut()
                    .set_line(a.body.x + 1, a.body.y, &l, a.body.width.saturating_sub(1));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_keeps_a_readable_share_at_every_width() {
        for w in MIN_WIDTH..=400 {
            let l = list_share(w);
            assert!(l >= 64 && l < w, "{w}: {l}");
            // The preview is at least as wide as a narrow terminal.
            assert!(w - l >= 60, "{w}: {l}");
        }
    }

    #[test]
    fn areas_stay_inside_the_pane() {
        for h in 0..12 {
            let r = Rect::new(70, 1, 70, h);
            let a = doc_areas(r, 3);
            for part in [a.header, a.rule, a.body] {
                assert!(part.bottom() <= r.bottom() && part.x > r.x, "{h}: {a:?}");
            }
        }
    }
}
