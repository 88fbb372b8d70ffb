//! Terminal UI settings: theme, key bindings and mouse, gathered from the
//! repository's `findings.toml`, the user's own config file
//! (`<config dir>/findings/config.toml`, same schema) and the command line.
//!
//! Later sources win: repository, then user file, then command line. Every
//! error names the file, line and column of the offending key.

use super::keymap::Keymap;
use super::theme::Theme;
use super::TuiOptions;
use crate::store::bounded;
use crate::store::config::{self, Config};
use crate::store::Repo;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A bad setting: `file:line:column: message`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct SettingsError {
    pub(crate) file: String,
    pub(crate) line: usize,
    pub(crate) column: usize,
    pub(crate) message: String,
}

impl SettingsError {
    /// An error at byte `offset` of `text`.
    pub(crate) fn at(file: &str, text: &str, offset: usize, message: String) -> SettingsError {
        let (line, column) = crate::document::text::position(text, offset);
        SettingsError {
            file: file.to_string(),
            line,
            column,
            message,
        }
    }

    pub(crate) fn from_toml(file: &str, text: &str, e: &toml::de::Error) -> SettingsError {
        let at = e.span().map(|s| s.start).unwrap_or(0);
        SettingsError::at(file, text, at, e.message().trim().to_string())
    }
}

/// What the terminal UI runs with.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The theme: the repository's or the user's configuration, else `dark`, colourless
    /// under `NO_COLOR`.
    pub theme: Theme,
    /// The built-in keys with the repository's and the user's overrides.
    pub keymap: Keymap,
    /// Whether to read the mouse (on unless a configuration or `--no-mouse` turns it
    /// off).
    pub mouse: bool,
}

/// The per-user config file: `<config dir>/findings/config.toml`.
pub(crate) fn user_config_path() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("findings").join("config.toml"))
}

/// Key overrides of one config file, with positions for errors.
fn key_overrides(file: &str, text: &str) -> Result<Vec<(String, Vec<String>, usize)>, SettingsError> {
    #[derive(serde::Deserialize)]
    struct KeysOnly {
        #[serde(default)]
        keys: BTreeMap<String, toml::Spanned<toml::Value>>,
    }
    let parsed: KeysOnly = toml::from_str(text).map_err(|e| SettingsError::from_toml(file, text, &e))?;
    let mut out = Vec::new();
    for (action, value) in parsed.keys {
        let at = value.span().start;
        let keys = match value.get_ref() {
            toml::Value::String(s) => vec![s.clone()],
            toml::Value::Array(a) => {
                let mut v = Vec::new();
                for k in a {
                    match k {
                        toml::Value::String(s) => v.push(s.clone()),
                        _ => {
                            return Err(SettingsError::at(
                                file,
                                text,
                                at,
                                format!("[keys] {action}: keys must be strings"),
                            ))
                        }
                    }
                }
                v
            }
            _ => {
                return Err(SettingsError::at(
                    file,
                    text,
                    at,
                    format!("[keys] {action}: expected a key (\"ctrl-q\") or a list of keys"),
                ))
            }
        };
        out.push((action, keys, at));
    }
    Ok(out)
}

/// Apply the `[keys]` table of `config` (read from `file`, whose text is
/// `text` when it could be read) to `keymap`.
fn apply_keys(keymap: &mut Keymap, file: &str, text: Option<&str>, config: &Config) -> Result<(), SettingsError> {
    let overrides = match text {
        Some(t) => key_overrides(file, t)?,
        None => config.keys.iter().map(|(a, k)| (a.clone(), k.keys(), 0)).collect(),
    };
    for (action, keys, at) in overrides {
        keymap
            .bind(&action, &keys)
            .map_err(|m| SettingsError::at(file, text.unwrap_or(""), at, format!("[keys] {action}: {m}")))?;
    }
    Ok(())
}

impl Settings {
    /// Gather settings for `repo`: its `findings.toml`, the user config file
    /// (`user_config`, usually `user_config_path`) and `opts`. `NO_COLOR`
    /// is `opts.no_color` (the caller reads the environment).
    pub fn load(repo: &Repo, opts: &TuiOptions, user_config: Option<&Path>) -> Result<Settings, SettingsError> {
        let mut keymap = Keymap::default();
        let mut theme_spec: Option<(String, PathBuf)> = None;
        let mut mouse = true;

        let repo_file = repo.root.join(config::FILE_NAME);
        let repo_text = bounded::read_string(&repo_file, bounded::CONFIG_LIMIT).ok();
        apply_keys(&mut keymap, config::FILE_NAME, repo_text.as_deref(), &repo.config)?;
        if let Some(t) = &repo.config.tui.theme {
            theme_spec = Some((t.clone(), repo.root.clone()));
        }
        if let Some(m) = repo.config.tui.mouse {
            mouse = m;
        }

        if let Some(path) = user_config {
            let shown = path.display().to_string();
            let read = match bounded::read_string(path, bounded::CONFIG_LIMIT) {
                Ok(text) => Some(text),
                Err(e) if e.is_not_found() => None,
                Err(e) => {
                    return Err(SettingsError {
                        file: shown,
                        line: 1,
                        column: 1,
                        message: e.reason(),
                    })
                }
            };
            if let Some(text) = read {
                let cfg = Config::parse(path, &text).map_err(|e| match e {
                    config::ConfigError::Parse {
                        line, column, message, ..
                    } => SettingsError {
                        file: shown.clone(),
                        line,
                        column,
                        message,
                    },
                    other => SettingsError {
                        file: shown.clone(),
                        line: 1,
                        column: 1,
                        message: other.to_string(),
                    },
                })?;
                apply_keys(&mut keymap, &shown, Some(&text), &cfg)?;
                if let Some(t) = &cfg.tui.theme {
                    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
                    theme_spec = Some((t.clone(), dir));
                }
                if let Some(m) = cfg.tui.mouse {
                    mouse = m;
                }
            }
        }

        if let Some(t) = &opts.theme {
            let cwd = std::env::current_dir().unwrap_or_default();
            theme_spec = Some((t.clone(), cwd));
        }
        let theme = match theme_spec {
            Some((spec, dir)) => Theme::load(&spec, &dir)?,
            None => Theme::default(),
        };
        let theme = if opts.no_color { theme.without_color() } else { theme };
        Ok(Settings {
            theme,
            keymap,
            mouse: mouse && opts.mouse,
        })
    }
}
