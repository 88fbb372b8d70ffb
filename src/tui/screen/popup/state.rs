//! The popups' state: menus (status moves, links), forms (work log,
//! reasons, typed actions), the help and triage summary boxes.

pub use super::adr::AdrPicker;
use crate::tui::app::{LinkTarget, Target};
use crate::tui::input::LineEdit;
pub use crate::tui::screen::triage::options::OptionPicker;

/// What choosing a menu item does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MenuPurpose {
    /// Move to a status: (status, transition name, needs a reason) per item.
    Status {
        /// The document to move.
        target: Target,
        /// Per item: (status, transition name, needs a reason).
        moves: Vec<(String, Option<String>, bool)>,
    },
    /// Move every marked document to a status (the moves all of them allow).
    BatchStatus {
        /// The marked documents.
        targets: Vec<Target>,
        /// (status, transition name, needs a reason) per item.
        moves: Vec<(String, Option<String>, bool)>,
    },
    /// Triage the marked documents: all as is, or one by one.
    BatchTriage {
        /// The marked documents.
        targets: Vec<Target>,
    },
    /// Confirm discarding a document's hand edit (item 1 discards).
    Discard {
        /// The document.
        target: Target,
    },
    /// Follow one of the document's links (per item, in order).
    Links(Vec<LinkTarget>),
}

/// A list of choices with a title and a cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Menu {
    pub(crate) title: String,
    /// The items' labels, as shown.
    pub items: Vec<String>,
    pub(crate) cursor: usize,
    /// What choosing an item does.
    pub purpose: MenuPurpose,
}

/// One line of text to type in a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub(crate) label: String,
    /// The text typed so far and the cursor.
    pub edit: LineEdit,
    pub(crate) required: bool,
}

/// What submitting a form does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormPurpose {
    /// A work-log entry for the document (action, learnings).
    Log(Target),
    /// A status change that needs a reason.
    Reason {
        /// The document to move.
        target: Target,
        /// The status moved to.
        to: String,
    },
    /// A status change of every marked document that needs a reason.
    BatchReason {
        /// The marked documents.
        targets: Vec<Target>,
        /// The status moved to.
        to: String,
    },
    /// One work-log entry for every marked document.
    BatchLog(Vec<Target>),
    /// Triage the document with a typed action.
    TriageAction(Target),
    /// Skip the document in triage: move it to the skip status with the reason typed.
    TriageSkip {
        /// The document to skip.
        target: Target,
        /// The skip status (`wontfix`, `wont_fix`, `rejected`).
        to: String,
    },
}

/// A dialog of text fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub(crate) title: String,
    /// The text fields, in order.
    pub fields: Vec<Field>,
    pub(crate) focus: usize,
    /// What submitting does.
    pub purpose: FormPurpose,
    /// Why the last submit was refused (a required field empty), shown in the form.
    pub error: Option<String>,
}

impl Form {
    /// The work-log form: a required "Action" and an optional "Learnings",
    /// for one document or every marked one, as `purpose` says.
    pub(crate) fn log(title: String, purpose: FormPurpose) -> Self {
        Form {
            title,
            fields: vec![
                Field {
                    label: "Action".into(),
                    edit: LineEdit::default(),
                    required: true,
                },
                Field {
                    label: "Learnings".into(),
                    edit: LineEdit::default(),
                    required: false,
                },
            ],
            focus: 0,
            purpose,
            error: None,
        }
    }
}

/// What is drawn over the screen and has the keyboard (one at a time).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Popup {
    /// The keys of the screen under it.
    Help {
        /// The first line shown.
        scroll: usize,
    },
    /// A list of choices.
    Menu(Menu),
    /// A dialog of text fields.
    Form(Form),
    /// The end of a triage session.
    Summary {
        /// The first line shown.
        scroll: usize,
    },
    /// Which ADR supersedes this one.
    Adr(AdrPicker),
    /// Which option a triage takes, with what each writes.
    Options(OptionPicker),
}
