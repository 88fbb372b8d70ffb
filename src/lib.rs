//! findings: the markdown findings, todos and ADRs that code review produces,
//! as a library. The CLI ([`cli`]) and the terminal UI ([`tui`]) are thin
//! shells over the same operations ([`ops`]).
//!
//! - [`document`]: parsing a file into exact spans and a small [`document::Meta`].
//! - [`workflow`]: statuses, normalization and transitions of each family.
//! - [`store`]: the repository on disk: discovery, config, loading, IDs, atomic writes,
//!   containment (`store::contain`) and bounded reads (`store::bounded`).
//! - [`query`]: filters, fuzzy search and sorting.
//! - `stats`: counts by status, priority and age, and the trend from git.
//! - [`search`]: full-text search of IDs, titles, tags and text (CLI and TUI).
//! - [`edit`]: minimal-diff edits of document text.
//! - [`git`]: commits of exactly the touched paths.
//! - [`ops`]: the write operations both shells call.
//! - `interrupt`: signals during a write, turned into a clean stop.
//! - `owner`: who holds a lock (pid, start time, host).
//! - `editor`: the user's editor, run as git runs it.
//! - [`export`]: SARIF 2.1.0 export of open findings and todos.
//! - `mcp` (feature `mcp`, on by default): the Model Context Protocol server.
//! - [`locations`]: what the code locations documents cite find in the repository.

#![warn(unreachable_pub)]
#![warn(missing_docs)]

pub mod cli;
pub mod document;
pub mod edit;
pub(crate) mod editor;
pub mod export;
pub mod git;
pub(crate) mod interrupt;
pub mod locations;
#[cfg(feature = "mcp")]
pub(crate) mod mcp;
pub mod ops;
pub(crate) mod owner;
pub mod query;
pub mod search;
pub mod stats;
pub mod store;
pub mod tui;
pub mod workflow;
