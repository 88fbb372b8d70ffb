//! The filter pane's state and keys. The pane owns its values and cursor;
//! [`FacetPane::update`] moves the cursor and says what else a key means as
//! an `Outcome`, which the root ([`crate::tui::update()`]) carries out on
//! the shared state (the filter, the list).

use super::values::FacetValue;
use crate::tui::keymap::Action;
use crate::tui::update::step;

/// The filter pane: each facet's values with their counts, and the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetPane {
    /// Every facet's values in pane order (family, priority, status, tag), with their
    /// counts.
    pub values: Vec<FacetValue>,
    /// The index into `values` of the value under the cursor.
    pub cursor: usize,
}

/// What a key in the pane asks of the root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Handled in the pane (the cursor moved), or nothing to do.
    None,
    /// Turn this value's filter on or off.
    Toggle(FacetValue),
    /// Close the pane.
    Close,
    /// Clear every filter and the search.
    ClearFilters,
    /// An action that means the same everywhere (help, quit, status…).
    Other(Action),
}

impl FacetPane {
    /// Apply `action` to the pane.
    pub fn update(&mut self, action: Action) -> Outcome {
        if let Some(d) = step(action, 10) {
            let n = self.values.len();
            if n > 0 {
                self.cursor = (self.cursor as isize + d).clamp(0, n as isize - 1) as usize;
            }
            return Outcome::None;
        }
        match action {
            Action::Toggle => self
                .values
                .get(self.cursor)
                .cloned()
                .map_or(Outcome::None, Outcome::Toggle),
            Action::CloseFacets => Outcome::Close,
            Action::ClearFilters => Outcome::ClearFilters,
            other => Outcome::Other(other),
        }
    }

    /// Put the cursor on `v` again after the values were counted anew
    /// (counts may reorder tags).
    pub(crate) fn keep_cursor_on(&mut self, v: &FacetValue) {
        if let Some(i) = self
            .values
            .iter()
            .position(|x| x.facet == v.facet && x.value == v.value)
        {
            self.cursor = i;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::screen::facets::values::Facet;

    fn value(v: &str) -> FacetValue {
        FacetValue {
            facet: Facet::Status,
            value: v.into(),
            count: 1,
            active: false,
        }
    }

    #[test]
    fn the_pane_moves_its_cursor_and_asks_for_the_rest() {
        let mut p = FacetPane {
            values: vec![value("pending"), value("ready")],
            cursor: 0,
        };
        assert_eq!(p.update(Action::Down), Outcome::None);
        assert_eq!(p.cursor, 1);
        assert_eq!(p.update(Action::Bottom), Outcome::None);
        assert_eq!(p.cursor, 1);
        assert_eq!(p.update(Action::Toggle), Outcome::Toggle(value("ready")));
        assert_eq!(p.update(Action::CloseFacets), Outcome::Close);
        assert_eq!(p.update(Action::Help), Outcome::Other(Action::Help));
    }
}
