//! The popups' state: menus (status moves, links), forms (work log,
//! reasons, typed actions), the help and triage summary boxes.

pub use super::adr::AdrPicker;
use crate::tui::app::{LinkTarget, Target};
use crate::tui::input::LineEdit;
pub use crate::tui::screen::triage::options::OptionPicker;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MenuPurpose {
    /// Move to a status: (status, transition name, needs a reason) per item.
    Status {
        target: Target,
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
    Links(Vec<LinkTarget>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Menu {
    pub(crate) title: String,
    pub items: Vec<String>,
    pub(crate) cursor: usize,
    pub purpose: MenuPurpose,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub(crate) label: String,
    pub edit: LineEdit,
    pub(crate) required: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormPurpose {
    Log(Target),
    /// A status change that needs a reason.
    Reason {
        target: Target,
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
    TriageAction(Target),
    TriageSkip {
        target: Target,
        to: String,
    },
}

/// A dialog of text fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub(crate) title: String,
    pub fields: Vec<Field>,
    pub(crate) focus: usize,
    pub purpose: FormPurpose,
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Popup {
    Help {
        scroll: usize,
    },
    Menu(Menu),
    Form(Form),
    /// The end of a triage session.
    Summary {
        scroll: usize,
    },
    /// Which ADR supersedes this one.
    Adr(AdrPicker),
    /// Which option a triage takes, with what each writes.
    Options(OptionPicker),
}
