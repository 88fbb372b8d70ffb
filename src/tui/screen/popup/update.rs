//! The popups' keys: the help and summary boxes, menus (status moves,
//! links) and forms (work log, reasons, typed actions), submitted as
//! writes. Each popup reads a key on its own state (`summary_update`,
//! `menu_update`, `form_update`) and answers an outcome; `popup_key`
//! and `form_key` carry it out (a menu's choice and a form's submission
//! start writes, so they are the root's: `menu_choose`, `submit`).

use crate::tui::app::*;
use crate::tui::input::LineEdit;
use crate::tui::keymap::{self, Action};
use crate::tui::layout::Layout;
use crate::tui::msg::Effect;
use crate::tui::screen::help::update as help;
use crate::tui::update::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key in the triage summary asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SummaryOutcome {
    /// Stay open (scrolled, or the key does nothing here).
    Stay,
    /// `enter`: write what a collecting walk decided, and end the session.
    Write,
    /// End the session, back to the list (a collecting walk writes
    /// nothing).
    End,
    /// Undo the last decision.
    Undo,
    /// The key does nothing in the summary (said briefly).
    Nothing,
}

/// Apply a key read as `action` (the popup's keys), `triage` (triage's
/// keys) and `code` to the summary scrolled by `scroll`, at most `max`.
pub(crate) fn summary_update(
    scroll: &mut usize,
    action: Option<Action>,
    triage: Option<Action>,
    code: KeyCode,
    max: usize,
) -> SummaryOutcome {
    if let Some(d) = action.and_then(|a| step(a, 10)) {
        *scroll = scrolled(*scroll, d, max);
        return SummaryOutcome::Stay;
    }
    if action == Some(Action::Confirm) {
        return SummaryOutcome::Write;
    }
    if action == Some(Action::Cancel) || code == KeyCode::Char('q') {
        return SummaryOutcome::End;
    }
    if triage == Some(Action::UndoDecision) {
        return SummaryOutcome::Undo;
    }
    SummaryOutcome::Nothing
}

/// What a key in a menu asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MenuOutcome {
    /// Stay open (the cursor moved, or the key does nothing here).
    Stay,
    /// Take the item under the cursor.
    Choose,
    Close,
    /// The key does nothing in a menu (said briefly).
    Nothing,
}

/// Apply a key read as `action` (the popup's keys) and `code` to menu `m`:
/// the cursor moves here; a digit picks its item.
pub(crate) fn menu_update(m: &mut Menu, action: Option<Action>, code: KeyCode) -> MenuOutcome {
    if let Some(d) = action.and_then(|a| step(a, 10)) {
        if !m.items.is_empty() {
            m.cursor = (m.cursor as isize + d).clamp(0, m.items.len() as isize - 1) as usize;
        }
        return MenuOutcome::Stay;
    }
    if let KeyCode::Char(c @ '1'..='9') = code {
        let i = (c as usize) - ('1' as usize);
        if i < m.items.len() {
            m.cursor = i;
            return MenuOutcome::Choose;
        }
    }
    match action {
        Some(Action::Confirm) => MenuOutcome::Choose,
        Some(Action::Cancel) => MenuOutcome::Close,
        _ if code == KeyCode::Char('q') => MenuOutcome::Close,
        _ => MenuOutcome::Nothing,
    }
}

/// Brief feedback for key `k`, which does nothing in the popup `what`,
/// with the keys that do (`enter` and `esc` as `ok` and `close` say);
/// modifier keys alone, sent by enhanced keyboards, are not keys pressed.
fn nothing_here(app: &mut App, k: &KeyEvent, what: &str, ok: &str, close: &str) {
    if matches!(k.code, KeyCode::Modifier(_) | KeyCode::Null) {
        return;
    }
    let name = keymap::Key::from_event(k).label();
    let (enter, esc) = (app.keymap.hint(Action::Confirm), app.keymap.hint(Action::Cancel));
    app.info(format!("{name} does nothing in {what} · {enter} {ok}, {esc} {close}"));
}

/// What a key in a form asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FormOutcome {
    /// Stay open (a field was edited or the focus moved).
    Stay,
    Cancel,
    /// Submit what was typed.
    Submit,
}

/// Apply key `k`, read as `action` (the popup's keys; none for printable
/// characters, which are typed), to form `f`: the fields and the focus
/// change here.
pub(crate) fn form_update(f: &mut Form, action: Option<Action>, k: &KeyEvent) -> FormOutcome {
    let n = f.fields.len().max(1);
    match (action, k.code) {
        (Some(Action::Cancel), _) | (None, KeyCode::Esc) => return FormOutcome::Cancel,
        (_, KeyCode::Tab) | (_, KeyCode::Down) => f.focus = (f.focus + 1) % n,
        (_, KeyCode::BackTab) | (_, KeyCode::Up) => f.focus = (f.focus + n - 1) % n,
        (Some(Action::Confirm), _) | (None, KeyCode::Enter) => {
            if f.focus + 1 < f.fields.len() {
                f.focus += 1;
            } else {
                return FormOutcome::Submit;
            }
        }
        (_, KeyCode::Char('c')) if k.modifiers.contains(KeyModifiers::CONTROL) => return FormOutcome::Cancel,
        _ => {
            if let Some(field) = f.fields.get_mut(f.focus) {
                field.edit.handle(k);
            }
            f.error = None;
        }
    }
    FormOutcome::Stay
}

/// A key on the popup `p` (taken out of the app): the popup reads it, the
/// rest is done here on the shared state.
pub(crate) fn popup_key(app: &mut App, p: Popup, k: KeyEvent, layout: &Layout) -> Vec<Effect> {
    let action = app.keymap.lookup_event(keymap::POPUP, &k);
    match p {
        Popup::Help { mut scroll } => {
            let global = app.keymap.lookup_event(&[keymap::Context::Global], &k);
            if help::update(&mut scroll, action, global, layout.help_max) == help::HelpOutcome::Stay {
                app.popup = Some(Popup::Help { scroll });
            }
            Vec::new()
        }
        Popup::Summary { mut scroll } => {
            let triage = app.keymap.lookup_event(keymap::TRIAGE, &k);
            match summary_update(&mut scroll, action, triage, k.code, layout.summary_max) {
                SummaryOutcome::Stay => {
                    app.popup = Some(Popup::Summary { scroll });
                    Vec::new()
                }
                SummaryOutcome::Write => crate::tui::screen::triage::update::finish_walk(app),
                SummaryOutcome::End => {
                    crate::tui::screen::triage::update::drop_walk(app);
                    Vec::new()
                }
                SummaryOutcome::Undo => undo_decision(app),
                SummaryOutcome::Nothing => {
                    app.popup = Some(Popup::Summary { scroll });
                    let writes = app.triage.as_ref().is_some_and(|t| !t.to_write().is_empty());
                    let (ok, close) = if writes {
                        ("writes", "writes nothing")
                    } else {
                        ("closes", "closes")
                    };
                    nothing_here(app, &k, "the summary", ok, close);
                    Vec::new()
                }
            }
        }
        Popup::Menu(mut m) => match menu_update(&mut m, action, k.code) {
            MenuOutcome::Stay => {
                app.popup = Some(Popup::Menu(m));
                Vec::new()
            }
            MenuOutcome::Choose => menu_choose(app, m),
            MenuOutcome::Close => Vec::new(),
            MenuOutcome::Nothing => {
                app.popup = Some(Popup::Menu(m));
                nothing_here(app, &k, "this menu", "chooses", "closes");
                Vec::new()
            }
        },
        Popup::Form(f) => form_key(app, f, k),
        Popup::Adr(p) => super::adr::adr_picker_key(app, p, k, action),
        Popup::Options(p) => crate::tui::screen::triage::options::options_key(app, p, k, action),
    }
}

pub(crate) fn menu_choose(app: &mut App, m: Menu) -> Vec<Effect> {
    // The menu stays open for a choice made while a write runs.
    if matches!(m.purpose, MenuPurpose::Status { .. }) && refuse_while_writing(app) {
        app.popup = Some(Popup::Menu(m));
        return Vec::new();
    }
    match m.purpose {
        MenuPurpose::Status { target, moves } => {
            let Some((to, _, needs_reason)) = moves.get(m.cursor).cloned() else {
                return Vec::new();
            };
            // An ADR is superseded by another: ask which, before anything.
            if target.kind == crate::document::Kind::Adr && to == "superseded" {
                return super::adr::open_adr_picker(app, target);
            }
            if needs_reason {
                app.popup = Some(Popup::Form(Form {
                    title: format!("{}: {} → {to}", target.id, target.status),
                    fields: vec![Field {
                        label: "Reason".into(),
                        edit: LineEdit::default(),
                        required: true,
                    }],
                    focus: 0,
                    purpose: FormPurpose::Reason { target, to },
                    error: None,
                }));
                return Vec::new();
            }
            begin_write(
                app,
                Pending::write(&target, None),
                Effect::SetStatus {
                    path: target.path,
                    to,
                    note: None,
                    reason: None,
                    shown: target.shown,
                },
            )
        }
        MenuPurpose::BatchStatus { .. } | MenuPurpose::BatchTriage { .. } | MenuPurpose::Discard { .. } => {
            crate::tui::screen::list::marks::menu_choose(app, m)
        }
        MenuPurpose::Links(links) => match links.get(m.cursor) {
            Some(l) => {
                let l = l.clone();
                follow_link(app, &l)
            }
            None => Vec::new(),
        },
    }
}

pub(crate) fn form_key(app: &mut App, mut f: Form, k: KeyEvent) -> Vec<Effect> {
    let printable =
        matches!(k.code, KeyCode::Char(_)) && !k.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    let action = if printable {
        None
    } else {
        app.keymap.lookup_event(keymap::POPUP, &k)
    };
    match form_update(&mut f, action, &k) {
        FormOutcome::Stay => {
            app.popup = Some(Popup::Form(f));
            Vec::new()
        }
        FormOutcome::Cancel => {
            app.info("cancelled");
            Vec::new()
        }
        FormOutcome::Submit => submit(app, f),
    }
}

pub(crate) fn submit(app: &mut App, mut f: Form) -> Vec<Effect> {
    if let Some((i, field)) = f
        .fields
        .iter()
        .enumerate()
        .find(|(_, x)| x.required && x.edit.text().trim().is_empty())
    {
        f.error = Some(format!("{} is required", field.label));
        f.focus = i;
        app.popup = Some(Popup::Form(f));
        return Vec::new();
    }
    // What was typed stays in the form while a write runs.
    if let Some(p) = &app.pending {
        f.error = Some(format!(
            "still {}: press Enter again when it is done",
            p.label().trim_end_matches('…')
        ));
        app.popup = Some(Popup::Form(f));
        return Vec::new();
    }
    let value = |i: usize| -> Option<String> {
        f.fields
            .get(i)
            .map(|x| x.edit.text().trim().to_string())
            .filter(|s| !s.is_empty())
    };
    match f.purpose.clone() {
        FormPurpose::Log(t) => {
            app.pending = Some(Pending::write(&t, None));
            vec![Effect::Log {
                path: t.path,
                action: value(0).unwrap_or_default(),
                learnings: value(1),
                shown: t.shown,
            }]
        }
        FormPurpose::Reason { target, to } => {
            app.pending = Some(Pending::write(&target, None));
            vec![Effect::SetStatus {
                path: target.path,
                to,
                note: None,
                reason: value(0),
                shown: target.shown,
            }]
        }
        p @ (FormPurpose::BatchReason { .. } | FormPurpose::BatchLog(_)) => {
            crate::tui::screen::list::marks::submit(app, p, value)
        }
        FormPurpose::TriageAction(t) => {
            let a = value(0).unwrap_or_default();
            triage_write(app, t, Some(a.clone()), false, Decided::Action(a))
        }
        FormPurpose::TriageSkip { target, to } => {
            let reason = value(0).unwrap_or_default();
            crate::tui::screen::triage::update::triage_skip(app, target, to, reason)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn menus_and_summaries_move_on_their_own_state_and_say_what_a_key_asks() {
        let mut m = Menu {
            title: "Links".into(),
            items: vec!["a".into(), "b".into()],
            cursor: 0,
            purpose: MenuPurpose::Links(Vec::new()),
        };
        assert_eq!(
            menu_update(&mut m, Some(Action::Bottom), KeyCode::End),
            MenuOutcome::Stay
        );
        assert_eq!(m.cursor, 1);
        assert_eq!(menu_update(&mut m, None, KeyCode::Char('1')), MenuOutcome::Choose);
        assert_eq!(m.cursor, 0);
        // No ninth item: said, nothing chosen.
        assert_eq!(menu_update(&mut m, None, KeyCode::Char('9')), MenuOutcome::Nothing);
        assert_eq!(menu_update(&mut m, None, KeyCode::Char('%')), MenuOutcome::Nothing);
        assert_eq!(menu_update(&mut m, None, KeyCode::Char('q')), MenuOutcome::Close);
        assert_eq!(
            menu_update(&mut m, Some(Action::Confirm), KeyCode::Enter),
            MenuOutcome::Choose
        );

        let mut s = 0;
        assert_eq!(
            summary_update(&mut s, Some(Action::Down), None, KeyCode::Down, 2),
            SummaryOutcome::Stay
        );
        assert_eq!(s, 1);
        assert_eq!(
            summary_update(&mut s, None, Some(Action::UndoDecision), KeyCode::Char('u'), 2),
            SummaryOutcome::Undo
        );
        assert_eq!(
            summary_update(&mut s, None, None, KeyCode::Char('q'), 2),
            SummaryOutcome::End
        );
        assert_eq!(
            summary_update(&mut s, Some(Action::Cancel), None, KeyCode::Esc, 2),
            SummaryOutcome::End
        );
        assert_eq!(
            summary_update(&mut s, Some(Action::Confirm), None, KeyCode::Enter, 2),
            SummaryOutcome::Write
        );
        assert_eq!(
            summary_update(&mut s, None, Some(Action::Approve), KeyCode::Char('a'), 2),
            SummaryOutcome::Nothing
        );
    }

    #[test]
    fn a_form_edits_its_fields_and_submits_from_the_last() {
        let field = |label: &str| Field {
            label: label.into(),
            edit: LineEdit::default(),
            required: true,
        };
        let mut f = Form {
            title: "Work log".into(),
            fields: vec![field("Action"), field("Learnings")],
            focus: 0,
            purpose: FormPurpose::Log(Target {
                path: "todos/001-pending-p1-a.md".into(),
                id: "001".into(),
                kind: crate::document::Kind::Todo,
                status: "pending".into(),
                shown: crate::tui::msg::Shown { hash: 0 },
            }),
            error: Some("Action is required".into()),
        };
        assert_eq!(form_update(&mut f, None, &key(KeyCode::Char('x'))), FormOutcome::Stay);
        assert_eq!(f.fields[0].edit.text(), "x");
        assert_eq!(f.error, None);
        assert_eq!(form_update(&mut f, None, &key(KeyCode::Enter)), FormOutcome::Stay);
        assert_eq!(f.focus, 1);
        assert_eq!(form_update(&mut f, None, &key(KeyCode::Enter)), FormOutcome::Submit);
        assert_eq!(form_update(&mut f, None, &key(KeyCode::Esc)), FormOutcome::Cancel);
    }
}
