//! The popups' keys: the help and summary boxes, menus (status moves,
//! links) and forms (work log, reasons, typed actions), submitted as
//! writes.

use crate::tui::app::*;
use crate::tui::input::LineEdit;
use crate::tui::keymap::{self, Action};
use crate::tui::layout::Layout;
use crate::tui::msg::Effect;
use crate::tui::screen::help::update as help;
use crate::tui::update::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub(crate) fn popup_key(app: &mut App, p: Popup, k: KeyEvent, layout: &Layout) -> Vec<Effect> {
    match p {
        Popup::Help { mut scroll } => {
            let action = app.keymap.lookup_event(keymap::POPUP, &k);
            let global = app.keymap.lookup_event(&[keymap::Context::Global], &k);
            if help::update(&mut scroll, action, global, layout.help_max) == help::HelpOutcome::Stay {
                app.popup = Some(Popup::Help { scroll });
            }
            Vec::new()
        }
        Popup::Summary { scroll } => {
            let action = app.keymap.lookup_event(keymap::POPUP, &k);
            if let Some(d) = action.and_then(|a| step(a, 10)) {
                app.popup = Some(Popup::Summary {
                    scroll: scrolled(scroll, d, layout.summary_max),
                });
                return Vec::new();
            }
            if matches!(action, Some(Action::Cancel | Action::Confirm)) || k.code == KeyCode::Char('q') {
                end_triage(app);
                return Vec::new();
            }
            if app.keymap.lookup_event(keymap::TRIAGE, &k) == Some(Action::UndoDecision) {
                return undo_decision(app);
            }
            app.popup = Some(Popup::Summary { scroll });
            Vec::new()
        }
        Popup::Menu(mut m) => {
            let action = app.keymap.lookup_event(keymap::POPUP, &k);
            if let Some(d) = action.and_then(|a| step(a, 10)) {
                if !m.items.is_empty() {
                    m.cursor = (m.cursor as isize + d).clamp(0, m.items.len() as isize - 1) as usize;
                }
                app.popup = Some(Popup::Menu(m));
                return Vec::new();
            }
            if let KeyCode::Char(c @ '1'..='9') = k.code {
                let i = (c as usize) - ('1' as usize);
                if i < m.items.len() {
                    m.cursor = i;
                    return menu_choose(app, m);
                }
            }
            match action {
                Some(Action::Confirm) => menu_choose(app, m),
                Some(Action::Cancel) => Vec::new(),
                _ if k.code == KeyCode::Char('q') => Vec::new(),
                _ => {
                    app.popup = Some(Popup::Menu(m));
                    Vec::new()
                }
            }
        }
        Popup::Form(f) => form_key(app, f, k),
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
                Pending::Write {
                    path: target.path.clone(),
                    id: target.id.clone(),
                    decided: None,
                },
                Effect::SetStatus {
                    path: target.path,
                    to,
                    note: None,
                    reason: None,
                    shown: target.shown,
                },
            )
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
    let n = f.fields.len().max(1);
    match (action, k.code) {
        (Some(Action::Cancel), _) | (None, KeyCode::Esc) => {
            app.info("cancelled");
            return Vec::new();
        }
        (_, KeyCode::Tab) | (_, KeyCode::Down) => f.focus = (f.focus + 1) % n,
        (_, KeyCode::BackTab) | (_, KeyCode::Up) => f.focus = (f.focus + n - 1) % n,
        (Some(Action::Confirm), _) | (None, KeyCode::Enter) => {
            if f.focus + 1 < f.fields.len() {
                f.focus += 1;
            } else {
                return submit(app, f);
            }
        }
        (_, KeyCode::Char('c')) if k.modifiers.contains(KeyModifiers::CONTROL) => {
            app.info("cancelled");
            return Vec::new();
        }
        _ => {
            if let Some(field) = f.fields.get_mut(f.focus) {
                field.edit.handle(&k);
            }
            f.error = None;
        }
    }
    app.popup = Some(Popup::Form(f));
    Vec::new()
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
            app.pending = Some(Pending::Write {
                path: t.path.clone(),
                id: t.id.clone(),
                decided: None,
            });
            vec![Effect::Log {
                path: t.path,
                action: value(0).unwrap_or_default(),
                learnings: value(1),
                shown: t.shown,
            }]
        }
        FormPurpose::Reason { target, to } => {
            app.pending = Some(Pending::Write {
                path: target.path.clone(),
                id: target.id.clone(),
                decided: None,
            });
            vec![Effect::SetStatus {
                path: target.path,
                to,
                note: None,
                reason: value(0),
                shown: target.shown,
            }]
        }
        FormPurpose::TriageAction(t) => {
            let a = value(0).unwrap_or_default();
            triage_write(app, t, Some(a.clone()), false, Decided::Action(a))
        }
        FormPurpose::TriageSkip { target, to } => {
            let reason = value(0).unwrap_or_default();
            app.pending = Some(Pending::Write {
                path: target.path.clone(),
                id: target.id.clone(),
                decided: Some(Decided::Skipped(reason.clone())),
            });
            vec![Effect::SetStatus {
                path: target.path,
                to,
                note: None,
                reason: Some(reason),
                shown: target.shown,
            }]
        }
    }
}
