//! The popups' state: menus (status moves, links), forms (work log,
//! reasons, typed actions), the help and triage summary boxes.

use crate::tui::app::{LinkTarget, Target};
use crate::tui::input::LineEdit;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MenuPurpose {
    /// Move to a status: (status, transition name, needs a reason) per item.
    Status {
        target: Target,
        moves: Vec<(String, Option<String>, bool)>,
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
}
