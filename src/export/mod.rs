//! Exports of the repository's documents to formats other tools read.
//!
//! - [`sarif`]: SARIF 2.1.0, for code-scanning views and IDE SARIF viewers.

pub mod sarif;
