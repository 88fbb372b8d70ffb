//! The terminal UI shell.
