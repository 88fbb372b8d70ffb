//! The ADR picker of a supersede: choosing "superseded" for an ADR asks
//! which ADR replaces it. A fuzzy list of the other ADRs (ID and title,
//! nucleo with fzf syntax, as the list search), and under it a preview of
//! the lines both files will get, exactly as the span editor will write
//! them; Enter runs the command line's operation (`findings status OLD
//! superseded --by NEW`), Esc backs out with nothing written.
//!
//! [`AdrPicker::update`] reads a key on the picker's own state and answers
//! a [`PickerOutcome`]; `adr_picker_key` carries it out (the preview reads
//! files, the choice starts a write).

use super::frame;
use crate::document::Kind;
use crate::query::Fuzzy;
use crate::store::Repo;
use crate::tui::app::{App, Pending, Popup, Target};
use crate::tui::cells::{clean, fit};
use crate::tui::input::{Edited, LineEdit};
use crate::tui::keymap::{Action, Keymap};
use crate::tui::msg::Effect;
use crate::tui::screen::centered;
use crate::tui::theme::Theme;
use crate::tui::update::{begin_write, refuse_while_writing};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::Frame;

/// One ADR the picker offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdrChoice {
    /// Repository-relative path.
    pub path: String,
    /// Its ID (`ADR-0003`).
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its status as written (empty when it has none).
    pub status: String,
}

/// The lines a supersede by one ADR will write ([`AdrPicker::preview`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LinkPreview {
    /// The ADR this preview is for.
    pub by: String,
    /// Lines the superseded ADR gets: `(line number, line)`.
    pub old: Vec<(usize, String)>,
    /// Lines the superseding ADR gets.
    pub new: Vec<(usize, String)>,
    /// Why the supersede cannot be previewed (an unreadable file, …).
    pub error: Option<String>,
}

/// The picker's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdrPicker {
    /// The ADR to supersede, as shown.
    pub target: Target,
    /// What is typed.
    pub query: LineEdit,
    /// Every other ADR, newest first.
    pub choices: Vec<AdrChoice>,
    /// Indices into `choices` matching the query, best first.
    pub shown: Vec<usize>,
    /// Position in `shown`.
    pub cursor: usize,
    /// What the ADR under the cursor would write.
    pub preview: Option<LinkPreview>,
}

/// What a key in the picker asks of the root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickerOutcome {
    /// Nothing changed that the root must see.
    Stay,
    /// The ADR under the cursor changed: preview it.
    Moved,
    /// Supersede by the ADR under the cursor.
    Choose,
    /// Back out: nothing is written.
    Cancel,
}

impl AdrPicker {
    /// A picker for superseding `target`, offering the other ADRs of `repo`.
    pub fn new(repo: &Repo, target: Target) -> AdrPicker {
        let mut choices: Vec<AdrChoice> = repo
            .items
            .iter()
            .filter(|m| m.kind == Kind::Adr && m.path != target.path)
            .map(|m| AdrChoice {
                path: m.path.clone(),
                id: m.id.clone(),
                title: m.title.clone(),
                status: m.status_label().to_string(),
            })
            .collect();
        // Newest first: the record that replaces another usually came later.
        choices.sort_by(|a, b| {
            let n = |c: &AdrChoice| crate::document::trailing_number(&c.id);
            n(b).cmp(&n(a))
                .then_with(|| a.id.cmp(&b.id))
                .then_with(|| a.path.cmp(&b.path))
        });
        let mut p = AdrPicker {
            target,
            query: LineEdit::default(),
            shown: (0..choices.len()).collect(),
            choices,
            cursor: 0,
            preview: None,
        };
        p.refilter();
        p
    }

    /// The ADR under the cursor.
    pub fn current(&self) -> Option<&AdrChoice> {
        self.shown.get(self.cursor).and_then(|&i| self.choices.get(i))
    }

    /// Rank the choices for the query: fuzzy on "ID title", best first,
    /// ties in the default order.
    fn refilter(&mut self) {
        match Fuzzy::new(self.query.text()) {
            None => self.shown = (0..self.choices.len()).collect(),
            Some(mut f) => {
                let mut scored: Vec<(u32, usize)> = self
                    .choices
                    .iter()
                    .enumerate()
                    .filter_map(|(i, c)| f.score(&format!("{} {}", c.id, c.title)).map(|s| (s, i)))
                    .collect();
                scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
                self.shown = scored.into_iter().map(|(_, i)| i).collect();
            }
        }
        // The best match is under the cursor after typing.
        self.cursor = 0;
    }

    /// Apply key `k` (`action`: how the popups' keys read it).
    pub fn update(&mut self, k: &KeyEvent, action: Option<Action>) -> PickerOutcome {
        let before = self.current().map(|c| c.path.clone());
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        let len = self.shown.len();
        let mv = |cursor: usize, d: isize| -> usize {
            if len == 0 {
                0
            } else {
                (cursor as isize + d).clamp(0, len as isize - 1) as usize
            }
        };
        match k.code {
            KeyCode::Esc => return PickerOutcome::Cancel,
            KeyCode::Char('c') if ctrl => return PickerOutcome::Cancel,
            KeyCode::Enter => return PickerOutcome::Choose,
            KeyCode::Up => self.cursor = mv(self.cursor, -1),
            KeyCode::Down | KeyCode::Tab => self.cursor = mv(self.cursor, 1),
            KeyCode::BackTab => self.cursor = mv(self.cursor, -1),
            KeyCode::Char('p') if ctrl => self.cursor = mv(self.cursor, -1),
            KeyCode::Char('n') if ctrl => self.cursor = mv(self.cursor, 1),
            KeyCode::PageUp => self.cursor = mv(self.cursor, -10),
            KeyCode::PageDown => self.cursor = mv(self.cursor, 10),
            _ => {
                if action == Some(Action::Cancel) {
                    return PickerOutcome::Cancel;
                }
                if self.query.handle(k) == Edited::Changed {
                    self.refilter();
                }
            }
        }
        if self.current().map(|c| c.path.clone()) == before && self.preview.is_some() {
            PickerOutcome::Stay
        } else {
            PickerOutcome::Moved
        }
    }

    /// Insert pasted text into the query.
    pub fn paste(&mut self, s: &str) {
        self.query.insert(s);
        self.refilter();
    }
}

/// What superseding `old` by `by` writes, read from disk now.
pub fn link_preview(repo: &Repo, old: &str, by: &str) -> LinkPreview {
    let mut p = LinkPreview {
        by: by.to_string(),
        ..LinkPreview::default()
    };
    let read = |path: &str| repo.read(path).map_err(|e| e.to_string());
    match (read(old), read(by)) {
        (Ok(o), Ok(n)) => match crate::ops::supersede_preview(&o, &n) {
            Ok(lines) => {
                p.old = lines.old;
                p.new = lines.new;
            }
            Err(e) => p.error = Some(e.to_string()),
        },
        (Err(e), _) | (_, Err(e)) => p.error = Some(e),
    }
    p
}

/// Open the picker for superseding `target`.
pub(crate) fn open_adr_picker(app: &mut App, target: Target) -> Vec<Effect> {
    let mut p = AdrPicker::new(&app.repo, target);
    if p.choices.is_empty() {
        app.info(format!("no other ADR to supersede {} with", p.target.id));
        return Vec::new();
    }
    refresh_preview(&app.repo, &mut p);
    app.popup = Some(Popup::Adr(p));
    Vec::new()
}

pub(crate) fn refresh_preview(repo: &Repo, p: &mut AdrPicker) {
    p.preview = p.current().map(|c| link_preview(repo, &p.target.path, &c.path));
}

/// A key on the picker `p` (taken out of the app).
pub(crate) fn adr_picker_key(app: &mut App, mut p: AdrPicker, k: KeyEvent, action: Option<Action>) -> Vec<Effect> {
    match p.update(&k, action) {
        PickerOutcome::Stay => {
            app.popup = Some(Popup::Adr(p));
            Vec::new()
        }
        PickerOutcome::Moved => {
            refresh_preview(&app.repo, &mut p);
            app.popup = Some(Popup::Adr(p));
            Vec::new()
        }
        PickerOutcome::Cancel => {
            app.info("cancelled: nothing written");
            Vec::new()
        }
        PickerOutcome::Choose => {
            let Some(by) = p.current().cloned() else {
                app.popup = Some(Popup::Adr(p));
                app.info("no ADR matches: type less, or esc to back out");
                return Vec::new();
            };
            if refuse_while_writing(app) {
                // The picker stays open for a choice made while a write runs.
                app.popup = Some(Popup::Adr(p));
                return Vec::new();
            }
            let t = p.target;
            begin_write(
                app,
                Pending::write(&t, None),
                Effect::Supersede {
                    path: t.path,
                    by: by.path,
                    shown: t.shown,
                },
            )
        }
    }
}

/// Where the picker goes in `area`, for `lines` lines inside its box.
pub fn picker_rect(area: Rect, lines: usize) -> Rect {
    let h = crate::tui::screen::cells(lines)
        .saturating_add(2)
        .min(area.height.saturating_sub(2))
        .min(30);
    centered(area, super::picker_width(area), h)
}

/// `(line number, line)` as preview rows `w` columns wide: the first row
/// numbered and marked `+`, the rest of a long line wrapped under it.
pub(crate) fn numbered(th: &Theme, lines: &[(usize, String)], w: usize) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for (n, l) in lines {
        for (i, part) in super::wrap(l, w.saturating_sub(8)).into_iter().enumerate() {
            let head = if i == 0 { format!("{n:>5} + ") } else { " ".repeat(8) };
            out.push(Line::from(vec![
                Span::styled(head, th.fg(th.palette.success)),
                Span::styled(part, th.base()),
            ]));
        }
    }
    out
}

/// Lines of the preview for `p`'s ADR under the cursor, `w` columns wide.
fn preview_lines(th: &Theme, p: &AdrPicker, w: usize) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let Some(pv) = &p.preview else {
        return out;
    };
    if let Some(e) = &pv.error {
        out.push(Line::from(Span::styled(
            format!("cannot supersede: {}", clean(e)),
            th.error(),
        )));
        return out;
    }
    let file = |out: &mut Vec<Line<'static>>, path: &str, what: String, lines: &[(usize, String)]| {
        out.push(Line::from(vec![
            Span::styled(clean(path).into_owned(), th.base().add_modifier(Modifier::BOLD)),
            Span::styled(format!("  {what}"), th.dim()),
        ]));
        if lines.is_empty() {
            out.push(Line::from(Span::styled(
                "      (already linked: nothing added)",
                th.dim(),
            )));
        }
        out.extend(numbered(th, lines, w));
    };
    let status = if p.target.status.is_empty() {
        "?"
    } else {
        &p.target.status
    };
    file(&mut out, &p.target.path, format!("{status} → superseded"), &pv.old);
    file(&mut out, &pv.by, "gains the link back".into(), &pv.new);
    out
}

/// Draw the picker over `area`.
pub fn draw(th: &Theme, keymap: &Keymap, f: &mut Frame, area: Rect, p: &AdrPicker) {
    let iw = usize::from(super::picker_width(area).saturating_sub(2));
    let preview = preview_lines(th, p, iw);
    let r = picker_rect(area, 1 + p.shown.len().max(1) + 1 + preview.len());
    let bottom = format!(
        " type to filter · ↑↓ move · enter supersede · {} back out ",
        keymap.hint(Action::Cancel)
    );
    let title = format!("{} is superseded by…", p.target.id);
    let inner = frame(th, f, r, &title, bottom);
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    let w = usize::from(inner.width);
    // The query line.
    let room = w.saturating_sub(2).max(1);
    let (text, col) = p.query.window(room);
    let l = Line::from(vec![
        Span::styled("> ", th.fg(th.palette.accent)),
        Span::styled(clean(&text).into_owned(), th.popup()),
    ]);
    f.buffer_mut().set_line(inner.x, inner.y, &l, inner.width);
    let cx = inner.x + 2 + col as u16;
    if cx < inner.right() {
        f.set_cursor_position((cx, inner.y));
    }
    let rest = inner.height.saturating_sub(1);
    // The preview keeps its lines while the list keeps a few rows (as many
    // as it has, up to three).
    let keep = crate::tui::screen::cells(p.shown.len().clamp(1, 3));
    let pv_h = (preview.len() as u16 + 1).min(rest.saturating_sub(keep));
    let list_h = rest.saturating_sub(pv_h);
    let off = if p.cursor >= usize::from(list_h.max(1)) {
        p.cursor + 1 - usize::from(list_h.max(1))
    } else {
        0
    };
    let count = format!("{}/{}", p.shown.len(), p.choices.len());
    let cl = Line::from(Span::styled(count.clone(), th.dim()));
    let cw = count.chars().count() as u16;
    if inner.width > cw + 4 {
        f.buffer_mut().set_line(inner.right() - cw, inner.y, &cl, cw);
    }
    for (row, &i) in p.shown.iter().enumerate().skip(off).take(usize::from(list_h)) {
        let Some(c) = p.choices.get(i) else { continue };
        let y = inner.y + 1 + (row - off) as u16;
        let line_r = Rect::new(inner.x, y, inner.width, 1);
        if row == p.cursor {
            f.buffer_mut().set_style(line_r, th.selection());
        }
        let spans = vec![
            Span::styled(format!("{:<10} ", clean(&c.id)), th.base().add_modifier(Modifier::BOLD)),
            Span::raw(clean(&c.title).into_owned()),
            Span::styled(
                if c.status.is_empty() {
                    String::new()
                } else {
                    format!("  · {}", clean(&c.status))
                },
                th.dim(),
            ),
        ];
        let l = Line::from(fit(spans, w, false));
        f.buffer_mut().set_line(inner.x, y, &l, inner.width);
    }
    if p.shown.is_empty() && list_h > 0 {
        let l = Line::from(Span::styled("no ADR matches", th.dim()));
        f.buffer_mut().set_line(inner.x, inner.y + 1, &l, inner.width);
    }
    let y0 = inner.y + 1 + list_h;
    super::draw_preview(th, f, inner, y0, Some(" what both files will get "), preview);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::msg::Shown;

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    fn picker() -> AdrPicker {
        let choice = |n: u32, title: &str| AdrChoice {
            path: format!("adr/{n:04}-x.md"),
            id: format!("ADR-{n:04}"),
            title: title.into(),
            status: "accepted".into(),
        };
        let mut p = AdrPicker {
            target: Target {
                path: "adr/0001-x.md".into(),
                id: "ADR-0001".into(),
                kind: Kind::Adr,
                status: "accepted".into(),
                shown: Shown { hash: 0 },
            },
            query: LineEdit::default(),
            choices: vec![choice(3, "Use SQLite"), choice(2, "Use Postgres")],
            shown: Vec::new(),
            cursor: 0,
            preview: None,
        };
        p.refilter();
        p
    }

    #[test]
    fn the_picker_types_letters_moves_with_arrows_and_says_when_the_adr_changes() {
        let mut p = picker();
        assert_eq!(p.update(&key(KeyCode::Down), None), PickerOutcome::Moved);
        assert_eq!(p.current().unwrap().id, "ADR-0002");
        p.preview = Some(LinkPreview::default());
        // Already at the end: nothing changed.
        assert_eq!(p.update(&key(KeyCode::Down), Some(Action::Down)), PickerOutcome::Stay);
        // Letters (j and k too) are typed, and the best match comes first.
        for c in "jsql".chars() {
            p.update(&key(KeyCode::Char(c)), None);
        }
        assert_eq!(p.query.text(), "jsql");
        assert!(p.shown.is_empty());
        p.update(&key(KeyCode::Backspace), None);
        p.update(&key(KeyCode::Home), None);
        p.update(&key(KeyCode::Delete), None);
        assert_eq!(p.query.text(), "sq");
        assert_eq!((p.shown.len(), p.current().unwrap().id.as_str()), (1, "ADR-0003"));
        assert_eq!(p.update(&key(KeyCode::Enter), None), PickerOutcome::Choose);
        assert_eq!(p.update(&key(KeyCode::Esc), None), PickerOutcome::Cancel);
        p.paste("zz");
        assert!(p.current().is_none());
    }

    #[test]
    fn long_preview_lines_wrap_under_their_number() {
        let th = Theme::default();
        let l = numbered(
            &th,
            &[(7, "Superseded by [3. Use SQLite](0003-use-sqlite.md)".into())],
            30,
        );
        let text: Vec<String> = l
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect();
        assert_eq!(
            text,
            [
                "    7 + Superseded by [3. Use",
                "        SQLite](0003-use-sqlit",
                "        e.md)"
            ]
        );
    }
}
