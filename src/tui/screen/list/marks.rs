//! The root operations of marks and batches, and of hand edits: `space`
//! and `v` mark rows ([`crate::tui::marks::Marks`]); with marks, `s`, `t`
//! and `w` on the list open a menu or form for every marked document and
//! write them as ONE commit ([`Effect::Batch`], [`crate::ops::batch`]), so
//! one `z` takes the whole batch back. A batch is all or nothing: a
//! document that cannot take the write (changed since shown, a move its
//! status does not allow) refuses the batch, named, before anything is
//! written; the marks stay, to unmark it and try again.
//!
//! `C` commits the selected document's hand edit, `X` discards it after a
//! confirmation menu ([`crate::ops::hand`]); `z`/`Z` undo and redo the
//! last findings write, as `findings undo` / `findings redo` do.

use crate::ops::batch::BatchWrite;
use crate::tui::app::*;
use crate::tui::backend::content_hash;
use crate::tui::input::LineEdit;
use crate::tui::msg::{Effect, Shown};
use crate::tui::screen::triage::update::{load_triage_item, triageable};
use crate::tui::update::*;

/// `space`: mark or unmark the selected row.
pub(crate) fn toggle_mark(app: &mut App) {
    let Some(path) = app.selected().map(|m| m.path.clone()) else {
        app.info("nothing to mark");
        return;
    };
    app.marks.toggle(&path);
    say_marked(app);
}

/// `v`: mark from the last mark to the selected row.
pub(crate) fn mark_range(app: &mut App) {
    app.finish_query();
    let items = &app.repo.items;
    let shown: Vec<&str> = app
        .index
        .shown()
        .iter()
        .filter_map(|&i| items.get(i as usize).map(|m| m.path.as_str()))
        .collect();
    let mut marks = std::mem::take(&mut app.marks);
    marks.range(&shown, app.row);
    app.marks = marks;
    say_marked(app);
}

/// `esc` with marks: clear them (the next `esc` clears filters).
pub(crate) fn clear_marks(app: &mut App) {
    let n = app.marks.clear();
    app.info(format!("{n} unmarked"));
}

fn say_marked(app: &mut App) {
    use crate::tui::keymap::Action;
    let n = app.marks.len();
    let [s, t, w] = [Action::Status, Action::StartTriage, Action::Log].map(|a| app.keymap.hint(a));
    if app.screen == Screen::Board {
        // Triage walks the list; the board's esc closes the board.
        app.info(format!("{s}, {w} act on all {n} marked · {t} in the list triages them"));
        return;
    }
    app.info(format!("{s}, {t}, {w} act on all {n} marked · esc unmarks"));
}

/// Whether the list's `s`, `t` and `w` (the board's `s` and `w`) act on
/// the marked documents.
pub(crate) fn batching(app: &App) -> bool {
    matches!(app.screen, Screen::List | Screen::Board) && !app.marks.is_empty()
}

/// The marked documents as they are on disk now (what the batch's menu
/// shows and the write checks against). A mark whose document is gone is
/// dropped.
fn targets(app: &mut App) -> Result<Vec<Target>, String> {
    let marked: Vec<String> = app.marks.paths().map(str::to_string).collect();
    let mut out = Vec::new();
    for path in marked {
        let Some(meta) = app.repo.items.iter().find(|m| m.path == path).cloned() else {
            app.marks.toggle(&path);
            continue;
        };
        let doc = app.repo.document(&meta).map_err(|e| format!("{path}: {e}"))?;
        out.push(Target {
            path,
            id: doc.meta.id.clone(),
            kind: doc.meta.kind,
            status: doc.meta.status_label().to_string(),
            shown: Shown {
                hash: content_hash(doc.text.as_bytes()),
            },
        });
    }
    if out.is_empty() {
        return Err("none of the marked documents is here any more".into());
    }
    Ok(out)
}

fn with_targets(app: &mut App, f: impl FnOnce(&mut App, Vec<Target>) -> Vec<Effect>) -> Vec<Effect> {
    match targets(app) {
        Ok(t) => f(app, t),
        Err(e) => {
            app.error(e);
            Vec::new()
        }
    }
}

/// `s` with marks: the moves every marked document's workflow allows from
/// its status.
pub(crate) fn batch_status(app: &mut App) -> Vec<Effect> {
    with_targets(app, |app, targets| {
        let allowed = |t: &Target| -> Vec<(String, Option<String>, bool)> {
            app.workflows
                .get(t.kind)
                .allowed_from(&t.status)
                .into_iter()
                // Superseding names the new ADR, one document at a time.
                .filter(|tr| !(t.kind == crate::document::Kind::Adr && tr.to == "superseded"))
                .map(|tr| (tr.to.clone(), tr.name.clone(), tr.needs_reason))
                .collect()
        };
        let mut moves = allowed(&targets[0]);
        for t in &targets[1..] {
            let theirs = allowed(t);
            moves.retain(|(to, _, _)| theirs.iter().any(|(x, _, _)| x == to));
            for m in &mut moves {
                m.2 |= theirs.iter().any(|(x, _, r)| *x == m.0 && *r);
            }
        }
        if moves.is_empty() {
            let each: Vec<String> = targets.iter().map(|t| format!("{} is {}", t.id, t.status)).collect();
            app.info(format!(
                "no status change is allowed for all {} marked documents ({})",
                targets.len(),
                each.join(", ")
            ));
            return Vec::new();
        }
        let items = moves
            .iter()
            .map(|(to, _, reason)| {
                let mut s = format!("→ {to}");
                if *reason {
                    s.push_str("  · needs a reason");
                }
                s
            })
            .collect();
        app.popup = Some(Popup::Menu(Menu {
            title: format!("{} marked → ?", targets.len()),
            items,
            cursor: 0,
            purpose: MenuPurpose::BatchStatus { targets, moves },
        }));
        Vec::new()
    })
}

/// `w` with marks: one work-log entry for every marked document.
pub(crate) fn batch_log(app: &mut App) -> Vec<Effect> {
    with_targets(app, |app, targets| {
        app.popup = Some(Popup::Form(Form::log(
            format!("Work log: {} marked", targets.len()),
            FormPurpose::BatchLog(targets),
        )));
        Vec::new()
    })
}

/// `t` with marks: triage them all as is (one commit), or walk them one by
/// one. A marked document triage does not move refuses it, named.
pub(crate) fn batch_triage(app: &mut App) -> Vec<Effect> {
    with_targets(app, |app, targets| {
        let workflows = app.workflows.clone();
        let not = targets.iter().find(|t| {
            let meta = app.repo.items.iter().find(|m| m.path == t.path);
            !meta.is_some_and(|m| triageable(&workflows, m))
        });
        if let Some(t) = not {
            app.info(format!(
                "{} is {}; triage is for pending/open/proposed (space unmarks it)",
                t.id, t.status
            ));
            return Vec::new();
        }
        let n = targets.len();
        app.popup = Some(Popup::Menu(Menu {
            title: format!("Triage {n} marked"),
            items: vec![
                format!("approve all {n} as is: one commit, one undo"),
                format!("walk the {n} one by one: one commit at the end, one undo"),
            ],
            cursor: 0,
            purpose: MenuPurpose::BatchTriage { targets },
        }));
        Vec::new()
    })
}

fn batch_write(app: &mut App, targets: Vec<Target>, what: BatchWrite) -> Vec<Effect> {
    let items = targets.into_iter().map(|t| (t.path, t.shown)).collect::<Vec<_>>();
    begin_write(
        app,
        Pending::Batch { count: items.len() },
        Effect::Batch { items, what },
    )
}

/// A choice in one of this module's menus.
pub(crate) fn menu_choose(app: &mut App, m: Menu) -> Vec<Effect> {
    if refuse_while_writing(app) {
        app.popup = Some(Popup::Menu(m));
        return Vec::new();
    }
    match m.purpose {
        MenuPurpose::BatchStatus { targets, moves } => {
            let Some((to, _, needs_reason)) = moves.get(m.cursor).cloned() else {
                return Vec::new();
            };
            if needs_reason {
                app.popup = Some(Popup::Form(Form {
                    title: format!("{} marked → {to}", targets.len()),
                    fields: vec![Field {
                        label: "Reason".into(),
                        edit: LineEdit::default(),
                        required: true,
                    }],
                    focus: 0,
                    purpose: FormPurpose::BatchReason { targets, to },
                    error: None,
                }));
                return Vec::new();
            }
            let what = BatchWrite::Status {
                to,
                note: None,
                reason: None,
            };
            batch_write(app, targets, what)
        }
        MenuPurpose::BatchTriage { targets } if m.cursor == 0 => {
            let what = BatchWrite::Triage {
                note: None,
                action: None,
                literal: false,
            };
            batch_write(app, targets, what)
        }
        MenuPurpose::BatchTriage { targets } => {
            app.finish_query();
            let adrs = crate::ops::accepted_adr_options(&app.repo, false);
            app.triage = Some(Triage::new(targets.into_iter().map(|t| t.path).collect(), adrs, true));
            app.screen = Screen::Triage;
            load_triage_item(app);
            Vec::new()
        }
        MenuPurpose::Discard { target } if m.cursor == 1 => begin_write(
            app,
            Pending::HandEdit {
                path: target.path.clone(),
                id: target.id,
                commit: false,
            },
            Effect::DiscardEdit {
                path: target.path,
                shown: target.shown,
            },
        ),
        MenuPurpose::Discard { target } => {
            app.info(format!("kept the edits of {}", target.id));
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// A submitted form of this module; `value(i)` is field `i`, trimmed.
pub(crate) fn submit(app: &mut App, purpose: FormPurpose, value: impl Fn(usize) -> Option<String>) -> Vec<Effect> {
    match purpose {
        FormPurpose::BatchReason { targets, to } => {
            let what = BatchWrite::Status {
                to,
                note: None,
                reason: value(0),
            };
            batch_write(app, targets, what)
        }
        FormPurpose::BatchLog(targets) => {
            let what = BatchWrite::Log {
                action: value(0).unwrap_or_default(),
                learnings: value(1),
            };
            batch_write(app, targets, what)
        }
        _ => Vec::new(),
    }
}

/// What the status bar says of a document holding hand edits.
pub(crate) fn hand_edit_hint(app: &App, id: &str) -> String {
    use crate::tui::keymap::Action;
    format!(
        "{id} has uncommitted edits: {} commit, {} discard",
        app.keymap.hint(Action::CommitEdit),
        app.keymap.hint(Action::DiscardEdit)
    )
}

/// `C`: commit the hand edit of the document the key applies to.
pub(crate) fn commit_edit(app: &mut App) -> Vec<Effect> {
    with_target(app, |app, t| {
        if !app.modified.contains(&t.path) {
            app.info(format!("{} has no uncommitted edits to commit", t.id));
            return Vec::new();
        }
        begin_write(
            app,
            Pending::HandEdit {
                path: t.path.clone(),
                id: t.id,
                commit: true,
            },
            Effect::CommitEdit {
                path: t.path,
                shown: t.shown,
            },
        )
    })
}

/// `X`: ask before discarding the hand edit of the document.
pub(crate) fn discard_edit(app: &mut App) -> Vec<Effect> {
    with_target(app, |app, t| {
        if !app.modified.contains(&t.path) {
            app.info(format!("{} has no uncommitted edits to discard", t.id));
            return Vec::new();
        }
        app.popup = Some(Popup::Menu(Menu {
            title: format!("Discard the uncommitted edits of {}?", t.id),
            items: vec![
                "no, keep them".into(),
                "yes, restore it from HEAD (the text is kept as a git blob)".into(),
            ],
            cursor: 0,
            purpose: MenuPurpose::Discard { target: t },
        }));
        Vec::new()
    })
}
