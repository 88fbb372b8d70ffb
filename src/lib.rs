//! findings: the markdown findings, todos and ADRs that code review produces,
//! as a library. The CLI (`crate::cli`) and the terminal UI (`crate::tui`) are
//! thin shells over the same operations.
//!
//! - [`document`]: parsing a file into exact spans and a small [`document::Meta`].
//! - [`workflow`]: statuses, normalization and transitions of each family.

pub mod document;
pub mod workflow;
pub mod store;
pub mod query;
