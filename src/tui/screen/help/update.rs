//! The help box's keys: it owns only its scroll offset; [`update`] moves it
//! or says the box closes.

use crate::tui::keymap::Action;
use crate::tui::update::{scrolled, step};

/// What a key in the help box means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelpOutcome {
    /// Stay open (scrolled, or the key does nothing here).
    Stay,
    /// Close the help.
    Close,
}

/// Apply a key read as `action` (the popup's keys) and `global` (keys of
/// every screen) to the help scrolled by `scroll`, which scrolls at most
/// `max` lines.
pub fn update(scroll: &mut usize, action: Option<Action>, global: Option<Action>, max: usize) -> HelpOutcome {
    if matches!(action, Some(Action::Cancel | Action::Confirm)) || matches!(global, Some(Action::Help | Action::Quit)) {
        return HelpOutcome::Close;
    }
    if let Some(d) = action.and_then(|a| step(a, 10)) {
        *scroll = scrolled(*scroll, d, max);
    }
    HelpOutcome::Stay
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_scrolls_within_its_length_and_closes_on_its_keys() {
        let mut s = 0;
        assert_eq!(update(&mut s, Some(Action::Down), None, 3), HelpOutcome::Stay);
        assert_eq!(s, 1);
        update(&mut s, Some(Action::Bottom), None, 3);
        assert_eq!(s, 3);
        assert_eq!(update(&mut s, None, Some(Action::Help), 3), HelpOutcome::Close);
        assert_eq!(update(&mut s, Some(Action::Cancel), None, 3), HelpOutcome::Close);
        assert_eq!(update(&mut s, None, None, 3), HelpOutcome::Stay);
    }
}
