//! `findings.toml` at the repository root: which folders hold documents,
//! workflow overrides, theme and key bindings. Unknown keys are an error that
//! names the file and the key, so typos never pass silently.

use crate::document::Kind;
use crate::workflow::{Transition, Workflow, Workflows};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub(crate) const FILE_NAME: &str = "findings.toml";

/// The folders searched when the config names none.
pub(crate) const DEFAULT_FOLDERS: &[&str] = &[
    "findings",
    "adr",
    "todos",
    ".todos",
    "docs/adr",
    "docs/decisions",
    "doc/adr",
];

/// The repository's `findings.toml`: every setting, each optional (a missing file is
/// the default).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Folders (relative to the root) searched recursively for `*.md`.
    pub folders: Option<Vec<String>>,
    /// Per-family workflow overrides: `[workflow.todo]`.
    #[serde(default)]
    pub workflow: BTreeMap<String, WorkflowOverride>,
    /// Terminal UI settings.
    #[serde(default)]
    pub tui: TuiConfig,
    /// Key binding overrides: action name → key (`"quit" = "ctrl-q"`).
    #[serde(default)]
    pub keys: BTreeMap<String, KeySpec>,
    /// Git settings.
    #[serde(default)]
    pub git: GitConfig,
    /// The workflows built from `workflow`, once (`Config::built`).
    #[doc(hidden)]
    #[serde(skip)]
    pub built: Built,
}

/// The repository's workflows, built from the configuration the first time
/// they are asked for and kept (the configuration is read once and not
/// changed after). Two configurations compare by what they say, never by
/// this cache.
#[derive(Debug, Clone, Default)]
pub struct Built(std::sync::OnceLock<Workflows>);

impl PartialEq for Built {
    fn eq(&self, _: &Built) -> bool {
        true
    }
}

thread_local! {
    static BUILDS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// How many times this thread built a repository's workflows from its
/// configuration (a debug counter: a write builds them once).
#[cfg(test)]
pub(crate) fn workflow_builds() -> usize {
    BUILDS.with(|b| b.get())
}

/// One key or several for an action.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum KeySpec {
    /// One key (`"ctrl-q"`).
    One(String),
    /// Several keys for the same action (`["q", "ctrl-q"]`).
    Many(Vec<String>),
}

impl KeySpec {
    pub(crate) fn keys(&self) -> Vec<String> {
        match self {
            KeySpec::One(s) => vec![s.clone()],
            KeySpec::Many(v) => v.clone(),
        }
    }
}

/// The `[tui]` table: the terminal UI's settings for this repository.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TuiConfig {
    /// The theme: a built-in name (`dark`, `light`, `high-contrast`) or a theme file;
    /// the user's configuration overrides it, `None` leaves the default.
    pub theme: Option<String>,
    /// Whether the terminal UI reads the mouse; the user's configuration overrides it,
    /// `None` leaves it on.
    pub mouse: Option<bool>,
}

/// The `[git]` table.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GitConfig {
    /// `sync` integrates with `rebase` (default) or `merge`.
    pub sync: Option<String>,
}

/// A `[workflow.<family>]` table: the statuses, transitions and triage target that
/// replace the built-in workflow's, each optional.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct WorkflowOverride {
    pub(crate) statuses: Option<Vec<String>>,
    pub(crate) transitions: Option<Vec<Transition>>,
    pub(crate) triage_to: Option<String>,
}

/// Why `findings.toml` cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file exists but cannot be read.
    #[error("{path}: {source}")]
    Read {
        /// The configuration file.
        path: PathBuf,
        /// The system's error.
        source: std::io::Error,
    },
    /// The file is not a regular file or is too large to read.
    #[error(transparent)]
    Bounded(#[from] super::bounded::ReadError),
    /// The file is not valid TOML or holds an unknown key or a bad value.
    #[error("{path}:{line}:{column}: {message}")]
    Parse {
        /// The configuration file.
        path: PathBuf,
        /// The line of the error (1-based).
        line: usize,
        /// The column of the error (1-based).
        column: usize,
        /// What is wrong, as the TOML reader says it.
        message: String,
    },
}

impl Config {
    /// Read `findings.toml` under `root`; a missing file is the default.
    pub fn load(root: &Path) -> Result<Config, ConfigError> {
        Self::load_file(&root.join(FILE_NAME))
    }

    pub(crate) fn load_file(path: &Path) -> Result<Config, ConfigError> {
        let text = match super::bounded::read_string(path, super::bounded::CONFIG_LIMIT) {
            Ok(t) => t,
            Err(e) if e.is_not_found() => return Ok(Config::default()),
            Err(e) => return Err(ConfigError::Bounded(e)),
        };
        Self::parse(path, &text)
    }

    /// Parse `text` as the configuration read from `path` (named in an error, with
    /// the line and column).
    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        toml::from_str(text).map_err(|e| {
            let (line, column) = e
                .span()
                .map(|s| crate::document::text::position(text, s.start))
                .unwrap_or((1, 1));
            ConfigError::Parse {
                path: path.into(),
                line,
                column,
                message: e.message().to_string(),
            }
        })
    }

    /// The repository's workflows: the built-in ones with each
    /// `[workflow.<family>]` override applied (built once, then kept).
    pub(crate) fn built(&self) -> &Workflows {
        self.built.0.get_or_init(|| self.build_workflows())
    }

    /// A copy of [`Config::built`].
    pub(crate) fn workflows(&self) -> Workflows {
        self.built().clone()
    }

    fn build_workflows(&self) -> Workflows {
        BUILDS.with(|b| b.set(b.get() + 1));
        let mut all = Workflows::default();
        for kind in Kind::ALL {
            let w: &mut Workflow = all.get_mut(kind);
            if let Some(o) = self.workflow.get(kind.as_str()) {
                if let Some(s) = &o.statuses {
                    w.statuses = s.clone();
                }
                if let Some(t) = &o.transitions {
                    w.transitions = t.clone();
                }
                if let Some(t) = &o.triage_to {
                    w.triage_to = t.clone();
                }
            }
        }
        all
    }

    /// What is wrong with the `[workflow.*]` overrides: an unknown family,
    /// a triage target or transition naming a status the workflow does not
    /// list. Located at the table's line in `text` when given.
    pub(crate) fn workflow_problems(&self, text: Option<&str>) -> Vec<crate::document::Problem> {
        let all = self.workflows();
        let mut out = Vec::new();
        for (name, o) in &self.workflow {
            let header = format!("[workflow.{name}]");
            let line = text
                .and_then(|t| t.lines().position(|l| l.trim() == header))
                .map(|i| i + 1)
                .unwrap_or(1);
            let mut bad = |message: String| {
                out.push(crate::document::Problem::error(
                    "bad-workflow",
                    FILE_NAME,
                    line,
                    1,
                    message,
                ))
            };
            let Some(kind) = Kind::ALL.into_iter().find(|k| k.as_str() == name) else {
                bad(format!("[workflow.{name}]: no such family; use todo, finding or adr"));
                continue;
            };
            let w = all.get(kind);
            let known = |s: &str| w.statuses.iter().any(|x| x == s);
            if o.statuses.as_ref().is_some_and(|s| s.is_empty()) {
                bad(format!("[workflow.{name}]: statuses is empty"));
            }
            if !known(&w.triage_to) {
                bad(format!(
                    "[workflow.{name}]: triage_to {:?} is not one of its statuses",
                    w.triage_to
                ));
            }
            for t in &w.transitions {
                for s in t.from.iter().filter(|s| *s != "*").chain([&t.to]) {
                    if !known(s) {
                        bad(format!(
                            "[workflow.{name}]: the transition to {:?} names {s:?}, which is not one of its statuses",
                            t.to
                        ));
                    }
                }
            }
        }
        out
    }

    pub(crate) fn folders(&self) -> Vec<String> {
        match &self.folders {
            Some(f) => f.clone(),
            None => DEFAULT_FOLDERS.iter().map(|s| s.to_string()).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_name_the_line() {
        let e = Config::parse(Path::new("findings.toml"), "folders = [\"a\"]\ncolour = 1\n").unwrap_err();
        let s = e.to_string();
        assert!(s.starts_with("findings.toml:2:1:"), "{s}");
        assert!(s.contains("colour"), "{s}");
        // `[git] commit` never did anything and is not a key: every write
        // commits unless `--no-commit` says otherwise.
        let e = Config::parse(Path::new("findings.toml"), "[git]\nsync = \"merge\"\ncommit = false\n").unwrap_err();
        assert!(e.to_string().starts_with("findings.toml:3:1:"), "{e}");
    }

    #[test]
    fn workflow_mistakes_are_reported() {
        let text = "[workflow.todos]\nstatuses = [\"a\"]\n\n[workflow.todo]\nstatuses = [\"pending\", \"ready\"]\n";
        let c = Config::parse(Path::new("findings.toml"), text).unwrap();
        let p: Vec<String> = c.workflow_problems(Some(text)).iter().map(|p| p.to_string()).collect();
        assert!(
            p.iter()
                .any(|p| p.starts_with("findings.toml:1:1: error[bad-workflow]: [workflow.todos]: no such family")),
            "{p:?}"
        );
        assert!(
            p.iter()
                .any(|p| p.starts_with("findings.toml:4:1:") && p.contains("\"complete\"")),
            "{p:?}"
        );
        let readme = "[workflow.todo]\nstatuses = [\"pending\", \"ready\", \"in_review\", \"complete\", \"wontfix\"]\n";
        assert!(Config::parse(Path::new("f"), readme)
            .unwrap()
            .workflow_problems(None)
            .is_empty());
    }

    #[test]
    fn parses_sections() {
        let c = Config::parse(
            Path::new("f"),
            "[tui]\ntheme = \"light\"\n[keys]\nquit = [\"q\", \"ctrl-c\"]\n",
        )
        .unwrap();
        assert_eq!(c.tui.theme.as_deref(), Some("light"));
        assert_eq!(c.keys["quit"].keys(), ["q", "ctrl-c"]);
    }
}
