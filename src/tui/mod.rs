//! The terminal UI: a thin shell over the library, built as one
//! state-update-view loop.
//!
//! - [`App`] holds all state; it changes only in [`update()`]`(&mut App, Msg)`,
//!   which returns [`Effect`]s instead of touching the world.
//! - [`view`]`(&App, &mut Frame)` draws, as a pure function of the state, one
//!   module per pane under [`screen`].
//! - `runtime` runs effects off the UI thread (writes and reloads through a
//!   [`Backend`] on a worker, git histories) and reports typed results back
//!   as [`Msg`]s; the runner and the tests drive the same [`Runtime`].
//! - `run()` owns the terminal: setup and restore (also on panic), the event
//!   loop, the effects that need the terminal (the editor, the clipboard),
//!   and watching files.
//!
//! Themes ([`theme`]), key bindings ([`keymap`]) and settings files
//! ([`settings`]) are data; markdown rendering is [`markdown`].

pub mod app;
pub mod backend;
pub(crate) mod cells;
pub(crate) mod hangup;
pub mod index;
pub(crate) mod input;
pub mod keymap;
pub(crate) mod layout;
pub mod markdown;
pub mod marks;
pub mod mouse;
pub mod msg;
pub mod run;
pub mod runtime;
pub mod screen;
pub mod settings;
pub mod theme;
mod theme_switch;
pub mod update;

pub use app::{App, AppOptions, Screen};
pub use backend::{Backend, OpsBackend};
pub use msg::{Effect, LoadStep, Msg, Shown, WriteFailure, WriteOutcome, WriteResult};
pub(crate) use run::run;
pub use runtime::Runtime;
pub use screen::view;
pub use update::update;

/// How the CLI starts the terminal UI. The default has the mouse on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TuiOptions {
    /// A bundled theme name (`dark`, `light`, `high-contrast`) or a theme
    /// file; overrides the config files.
    pub theme: Option<String>,
    /// No colours (also when the `NO_COLOR` environment variable is set).
    pub no_color: bool,
    /// Capture the mouse (click to select, wheel to scroll). A config file's
    /// `[tui] mouse = false` turns it off too.
    pub mouse: bool,
}

impl Default for TuiOptions {
    fn default() -> Self {
        TuiOptions {
            theme: None,
            no_color: false,
            mouse: true,
        }
    }
}
