//! Triage's option picker: the document's own decision options and the
//! accepted ADRs' options it is about (`ops::suggest`), each with
//! a preview of what choosing it writes: the lines Recommended Action gets,
//! exactly as the triage will write them, and the option's own text. `1`-`9`
//! (in triage or in the picker) put the cursor on an option, Enter triages
//! with it, Esc backs out with nothing written.
//!
//! Choosing an option runs the command line's triage: the document's
//! option `A` is `findings triage ID --action A`, ADR 0105's option A is
//! `--action "ADR-0105 A"`, which writes what `--action upsert` writes
//! when that matches it.

use super::update::triage_write;
use crate::document::options::DecisionOption;
use crate::document::Document;
use crate::edit::action::{set_recommended_action, Existing};
use crate::ops::action::{match_action, recommended_action_text, ActionMatch, Candidate};
use crate::store::Repo;
use crate::tui::app::{App, Decided, Popup, Target};
use crate::tui::cells::{clean, fit};
use crate::tui::keymap::{Action, Keymap};
use crate::tui::msg::Effect;
use crate::tui::screen::centered;
use crate::tui::screen::popup::frame;
use crate::tui::theme::Theme;
use crate::tui::update::refuse_while_writing;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::Frame;

/// Lines of an option's own text shown at most.
const TEXT_LINES: usize = 8;

/// One option the picker offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionItem {
    /// `Option A: Prisma upsert (preferred)`.
    pub name: String,
    /// The ADR it comes from (its ID), `None` for the document's own.
    pub from: Option<String>,
    /// The `--action` text that chooses it (`A`, `ADR-0105 A`); `None`
    /// when no text names it alone (a label two options share, an ADR
    /// number two ADRs share).
    pub action: Option<String>,
    /// The lines Recommended Action gets: `(line number, line)`.
    pub writes: Vec<(usize, String)>,
    /// The option's own text (its first lines).
    pub text: Vec<String>,
}

/// The picker's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionPicker {
    /// The document being triaged, as shown.
    pub target: Target,
    /// The document's own options, then the ADR options offered.
    pub items: Vec<OptionItem>,
    /// The option shown in the preview (an index into `items`).
    pub cursor: usize,
}

/// What a key in the picker asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionsOutcome {
    /// The picker stays open (its cursor may have moved).
    Stay,
    /// Triage with the option under the cursor.
    Choose,
    /// Back out: nothing is written.
    Cancel,
}

impl OptionPicker {
    /// Apply a key (`action`: how the popups' keys read it).
    pub fn update(&mut self, k: &KeyEvent, action: Option<Action>) -> OptionsOutcome {
        let n = self.items.len();
        if let Some(d) = action.and_then(|a| crate::tui::update::step(a, 10)) {
            if n > 0 {
                self.cursor = (self.cursor as isize + d).clamp(0, n as isize - 1) as usize;
            }
            return OptionsOutcome::Stay;
        }
        match k.code {
            KeyCode::Char(c @ '1'..='9') => {
                let i = (c as usize) - ('1' as usize);
                if i < n {
                    self.cursor = i;
                }
                OptionsOutcome::Stay
            }
            KeyCode::Tab if n > 0 => {
                self.cursor = (self.cursor + 1) % n;
                OptionsOutcome::Stay
            }
            KeyCode::BackTab if n > 0 => {
                self.cursor = (self.cursor + n - 1) % n;
                OptionsOutcome::Stay
            }
            KeyCode::Char('c') if k.modifiers.contains(KeyModifiers::CONTROL) => OptionsOutcome::Cancel,
            KeyCode::Char('q') => OptionsOutcome::Cancel,
            _ => match action {
                Some(Action::Confirm) => OptionsOutcome::Choose,
                Some(Action::Cancel) => OptionsOutcome::Cancel,
                _ => OptionsOutcome::Stay,
            },
        }
    }
}

/// The first lines of option `o`'s text in `doc` (blank lines and the
/// heading left out).
fn option_text(doc: &Document, o: &DecisionOption) -> Vec<String> {
    let Some(sec) = doc.sections.iter().find(|s| s.heading == o.heading) else {
        return Vec::new();
    };
    doc.text
        .get(sec.content.clone())
        .unwrap_or("")
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty())
        .take(TEXT_LINES)
        .map(str::to_string)
        .collect()
}

/// The items for the triage of `doc`: its own options, then the ADR
/// options offered (`adopt`), each with what it writes (`today` dates an
/// "Adopted at triage" line).
pub fn items(
    repo: &Repo,
    doc: &Document,
    adopt: &[Candidate],
    adrs: &[crate::document::options::AdrOptions],
    today: &str,
) -> Vec<OptionItem> {
    let writes = |m: &ActionMatch| {
        let text = recommended_action_text(m, "", &doc.meta.path);
        let w = set_recommended_action(doc, &text, Existing::Keep, today);
        crate::edit::span::written_lines(&doc.text, &w.edits).unwrap_or_default()
    };
    let own = crate::document::options::options(doc);
    // The label names the option when `--action` matches it to that one
    // (two options labelled alike name neither).
    let names =
        |o: &DecisionOption| matches!(match_action(&o.label, &own, &[]), ActionMatch::Own(x) if x.heading == o.heading);
    let mut out: Vec<OptionItem> = own
        .iter()
        .map(|o| OptionItem {
            name: o.display(),
            from: None,
            action: names(o).then(|| o.label.clone()),
            writes: writes(&ActionMatch::Own(o.clone())),
            text: option_text(doc, o),
        })
        .collect();
    for c in adopt {
        let Some(a) = &c.adr else { continue };
        let text = repo
            .read(&a.path)
            .map(|d| option_text(&d, &c.option))
            .unwrap_or_default();
        out.push(OptionItem {
            name: format!("{} {}", a.id, c.option.display()),
            from: Some(a.id.clone()),
            action: crate::ops::suggest::adopt_query(doc, c, adrs),
            writes: writes(&ActionMatch::Adr(a.clone(), c.option.clone())),
            text,
        });
    }
    out
}

/// Open the picker on the triage document, the cursor on item `at` (from
/// 0); `None` with a notice when there is nothing to pick.
pub(crate) fn open_options(app: &mut App, t: Target, at: usize) -> Vec<Effect> {
    let today = app.today.format("%Y-%m-%d").to_string();
    let Some(tr) = &app.triage else {
        return Vec::new();
    };
    let Some(d) = tr.detail.as_ref() else {
        return Vec::new();
    };
    let Some(doc) = &d.doc else {
        app.error(format!("{}: cannot read it", t.path));
        return Vec::new();
    };
    let items = items(&app.repo, doc, &d.adopt, &tr.adrs, &today);
    if items.is_empty() {
        app.info("this document has no options, and no accepted ADR's options fit it: c types an action");
        return Vec::new();
    }
    if at >= items.len() {
        app.info(format!("there is no option {}", at + 1));
        return Vec::new();
    }
    app.popup = Some(Popup::Options(OptionPicker {
        target: t,
        items,
        cursor: at,
    }));
    Vec::new()
}

/// A key on the picker `p` (taken out of the app).
pub(crate) fn options_key(app: &mut App, mut p: OptionPicker, k: KeyEvent, action: Option<Action>) -> Vec<Effect> {
    match p.update(&k, action) {
        OptionsOutcome::Stay => {
            app.popup = Some(Popup::Options(p));
            Vec::new()
        }
        OptionsOutcome::Cancel => {
            app.info("cancelled: nothing written");
            Vec::new()
        }
        OptionsOutcome::Choose => {
            if refuse_while_writing(app) {
                app.popup = Some(Popup::Options(p));
                return Vec::new();
            }
            let Some(item) = p.items.get(p.cursor).cloned() else {
                return Vec::new();
            };
            let Some(q) = item.action else {
                app.popup = Some(Popup::Options(p));
                let why = match &item.from {
                    Some(id) => format!("{id} shares its number with another ADR"),
                    None => "another option has the same label".to_string(),
                };
                app.error(format!(
                    "{why}: no action text names {} alone; c types the action",
                    item.name
                ));
                return Vec::new();
            };
            // The summary's "option A: …", "option ADR-0105 A: …".
            let what = item.name.replacen("Option ", "", 1);
            triage_write(app, p.target, Some(q), false, Decided::Option(what))
        }
    }
}

/// The preview of `it`, `w` columns wide: what Recommended Action gets,
/// then the option's text.
fn preview(th: &Theme, it: &OptionItem, w: usize) -> Vec<Line<'static>> {
    let mut out = vec![Line::from(Span::styled("Recommended Action gets:", th.header()))];
    if it.writes.is_empty() {
        out.push(Line::from(Span::styled(
            "  (it already says this: nothing added)",
            th.dim(),
        )));
    }
    out.extend(crate::tui::screen::popup::adr::numbered(th, &it.writes, w));
    if !it.text.is_empty() {
        let from = match &it.from {
            Some(id) => format!("{} says:", clean(id)),
            None => "The option says:".into(),
        };
        out.push(Line::from(Span::styled(from, th.header())));
        for l in &it.text {
            for part in crate::tui::screen::popup::wrap(l, w.saturating_sub(2)) {
                out.push(Line::from(Span::styled(format!("  {part}"), th.dim())));
            }
        }
    }
    out
}

fn preview_of(th: &Theme, p: &OptionPicker, w: usize) -> Vec<Line<'static>> {
    p.items.get(p.cursor).map(|it| preview(th, it, w)).unwrap_or_default()
}

/// Draw the picker over `area`.
pub fn draw(th: &Theme, keymap: &Keymap, f: &mut Frame, area: Rect, p: &OptionPicker) {
    let w = crate::tui::screen::popup::picker_width(area);
    let shown = preview_of(th, p, usize::from(w.saturating_sub(2)));
    let h = crate::tui::screen::cells(p.items.len() + 1 + shown.len())
        .saturating_add(2)
        .min(area.height.saturating_sub(2));
    let r = centered(area, w, h);
    let bottom = format!(
        " 1-9/↑↓ choose · {} triage with it · {} back out ",
        keymap.hint(Action::Confirm),
        keymap.hint(Action::Cancel)
    );
    let inner = frame(th, f, r, &format!("Triage {}: options", p.target.id), bottom);
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    let w = usize::from(inner.width);
    let rows = (p.items.len() as u16).min(inner.height.saturating_sub(2).max(1));
    let off = if p.cursor >= usize::from(rows) {
        p.cursor + 1 - usize::from(rows)
    } else {
        0
    };
    for (i, it) in p.items.iter().enumerate().skip(off).take(usize::from(rows)) {
        let y = inner.y + (i - off) as u16;
        if i == p.cursor {
            f.buffer_mut()
                .set_style(Rect::new(inner.x, y, inner.width, 1), th.selection());
        }
        let num = if i < 9 { format!("{} ", i + 1) } else { "  ".into() };
        let mut spans = vec![
            Span::styled(num, th.header()),
            Span::styled(clean(&it.name).into_owned(), th.base().add_modifier(Modifier::BOLD)),
        ];
        if let Some(id) = &it.from {
            spans.push(Span::styled(format!("  · from {}", clean(id)), th.fg(th.palette.link)));
        }
        let l = Line::from(fit(spans, w, false));
        f.buffer_mut().set_line(inner.x, y, &l, inner.width);
    }
    crate::tui::screen::popup::draw_preview(th, f, inner, inner.y + rows, None, shown);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Kind;
    use crate::tui::msg::Shown;

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn digits_and_arrows_move_enter_chooses_esc_backs_out() {
        let doc = Document::parse(
            "todos/001-pending-p1-x.md",
            "---\nstatus: pending\n---\n# X\n\n## Proposed Solutions\n\n### Option A: Index\n\nAdd it.\n\n### Option B: Lock\n\n## Recommended Action\n\n## Work Log\n".into(),
        );
        let tmp = tempfile::tempdir().unwrap();
        let it = items(&Repo::config_only(tmp.path()).unwrap(), &doc, &[], &[], "2026-02-01");
        assert_eq!(it.len(), 2);
        assert_eq!(it[0].writes, [(16, "Adopt Option A: Index.".to_string())]);
        assert_eq!(it[0].text, ["Add it."]);
        assert_eq!(it[1].action.as_deref(), Some("B"));
        let mut p = OptionPicker {
            target: Target {
                path: doc.meta.path.clone(),
                id: "001".into(),
                kind: Kind::Todo,
                status: "pending".into(),
                shown: Shown { hash: 0 },
            },
            items: it,
            cursor: 0,
        };
        assert_eq!(p.update(&key(KeyCode::Char('2')), None), OptionsOutcome::Stay);
        assert_eq!(p.cursor, 1);
        assert_eq!(p.update(&key(KeyCode::Char('9')), None), OptionsOutcome::Stay);
        assert_eq!(p.cursor, 1, "no option 9");
        p.update(&key(KeyCode::Tab), None);
        assert_eq!(p.cursor, 0, "tab wraps");
        p.update(&key(KeyCode::Down), Some(Action::Down));
        assert_eq!(p.cursor, 1);
        assert_eq!(
            p.update(&key(KeyCode::Enter), Some(Action::Confirm)),
            OptionsOutcome::Choose
        );
        assert_eq!(
            p.update(&key(KeyCode::Esc), Some(Action::Cancel)),
            OptionsOutcome::Cancel
        );
        assert_eq!(p.update(&key(KeyCode::Char('q')), None), OptionsOutcome::Cancel);
        // Two options labelled alike: no text names either.
        let twice = Document::parse(
            "todos/001-pending-p1-x.md",
            "# X\n\n## Proposed Solutions\n\n### Option A: Index\n\n### Option A: Lock\n".into(),
        );
        let it = items(&Repo::config_only(tmp.path()).unwrap(), &twice, &[], &[], "2026-02-01");
        assert!(it.iter().all(|i| i.action.is_none()), "{it:?}");
    }
}
