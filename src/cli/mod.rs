//! The command-line shell.
