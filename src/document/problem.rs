//! Problems found in documents: what `check` reports and `list` warns about.
//! Each names the file, line and column, so editors can jump to it.

use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Severity {
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub(crate) severity: Severity,
    /// A stable short code (`invalid-yaml`, `duplicate-id`, …).
    pub code: &'static str,
    /// Repository-relative path, `/`-separated.
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl Problem {
    pub(crate) fn new(
        severity: Severity,
        code: &'static str,
        path: &str,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Problem {
            severity,
            code,
            path: path.to_string(),
            line: line.max(1),
            column: column.max(1),
            message: message.into(),
        }
    }
    pub(crate) fn error(
        code: &'static str,
        path: &str,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Error, code, path, line, column, message)
    }
    pub(crate) fn warning(
        code: &'static str,
        path: &str,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Warning, code, path, line, column, message)
    }
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        let msg = super::text::inert(&self.message, false);
        let path = super::text::inert(&self.path, false);
        write!(f, "{path}:{}:{}: {sev}[{}]: {msg}", self.line, self.column, self.code)
    }
}
