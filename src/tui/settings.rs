//! Terminal UI settings: theme, key bindings and mouse, gathered from the
//! repository's `findings.toml`, the user's own config file
//! (`<config dir>/findings/config.toml`, same schema) and the command line.
//!
//! Later sources win: repository, then user file, then command line. Every
//! error names the file, line and column of the offending key.

use super::keymap::Keymap;
use super::theme::Theme;
use super::TuiOptions;
use crate::store::config::{self, Config};
use crate::store::Repo;
use crate::store::{bounded, write};
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

/// Why a setting chosen in the terminal UI (the theme) was not remembered
/// in the user's config file. The app goes on either way.
#[derive(Debug, thiserror::Error)]
pub(crate) enum RememberError {
    /// The file is not valid TOML as it stands: it is left as it is, for the
    /// person who wrote it to mend.
    #[error("{0} (the file is left as it is)")]
    Broken(SettingsError),
    /// The file or its folder could not be read or written.
    #[error("{path}: {reason}")]
    Io {
        /// The file (or folder) that failed.
        path: String,
        /// Why.
        reason: String,
    },
}

/// Set `[tui] theme = SPEC` in the user config file at `path`, keeping
/// every other byte of it (comments, order, quoting, the value's own
/// trailing comment): the file and its folder are created when absent, a
/// symbolic link is written through to the file it names, and the new text
/// replaces the old in one step (a temporary file renamed over it). A file
/// that does not parse is never overwritten ([`RememberError::Broken`]).
pub(crate) fn remember_theme(path: &Path, spec: &str) -> Result<(), RememberError> {
    let io = |p: &Path, e: &dyn std::fmt::Display| RememberError::Io {
        path: p.display().to_string(),
        reason: e.to_string(),
    };
    // A config kept elsewhere and linked here (a dotfiles folder) stays a
    // link: the file it names is the one rewritten.
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let shown = path.display().to_string();
    // `None`: no file yet.
    let read = || match bounded::read_string(&path, bounded::CONFIG_LIMIT) {
        Ok(t) => Ok(Some(t)),
        Err(e) if e.is_not_found() => Ok(None),
        Err(e) => Err(io(&path, &e.reason())),
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| io(dir, &e))?;
    // An editor may save the file while the new text is being made: it is
    // written only while it still holds the text that was edited (the
    // checked write documents get), and a text that changed meanwhile is
    // edited anew, so a person's save is never overwritten by the text it
    // replaced.
    let mut was = read()?;
    for _ in 0..5 {
        let out = with_theme(&shown, was.as_deref().unwrap_or(""), spec)?;
        let still = match &was {
            Some(text) => write::ensure_unchanged(&path, text.as_bytes()),
            None if std::fs::symlink_metadata(&path).is_ok() => Err(write::WriteError::Changed { path: path.clone() }),
            None => Ok(()),
        };
        match still {
            Ok(()) => return write::atomic_write(&path, out.as_bytes()).map_err(|e| io(&path, &e)),
            Err(write::WriteError::Changed { .. }) => was = read()?,
            Err(e) => return Err(io(&path, &e)),
        }
    }
    Err(io(
        &path,
        &"the file kept changing while the theme was being saved; not saved",
    ))
}

/// `text` (the config file `file`) with `[tui] theme = SPEC` set and every
/// other byte kept: the value replaced where it is (a `[tui]` table, a
/// dotted `tui.theme` or an inline `tui = { … }`), else added to `[tui]`,
/// else a `[tui]` table added at the end.
pub(crate) fn with_theme(file: &str, text: &str, spec: &str) -> Result<String, RememberError> {
    use toml_edit::{DocumentMut, Item, Value};
    let broken = |at: usize, message: String| RememberError::Broken(SettingsError::at(file, text, at, message));
    // A config findings cannot read as it stands is the person's to mend,
    // reported where it goes wrong; the written text must read back too.
    let readable = |t: &str| {
        Config::parse(Path::new(file), t).map(|_| ()).map_err(|e| match e {
            config::ConfigError::Parse {
                line, column, message, ..
            } => RememberError::Broken(SettingsError {
                file: file.to_string(),
                line,
                column,
                message,
            }),
            other => broken(0, other.to_string()),
        })
    };
    readable(text)?;
    // toml_edit reads neither a BOM nor keeps CRLF: both are put back.
    let (bom, body) = match text.strip_prefix('\u{feff}') {
        Some(rest) => ("\u{feff}", rest),
        None => ("", text),
    };
    let crlf = body.contains("\r\n");
    let mut doc: DocumentMut = body.parse().map_err(|e: toml_edit::TomlError| {
        let at = e.span().map_or(0, |s| s.start) + bom.len();
        broken(at, e.message().trim().to_string())
    })?;
    let tui = doc.entry("tui").or_insert_with(toml_edit::table);
    let slot = match tui {
        Item::Table(t) => {
            if !t.contains_key("theme") {
                t.set_implicit(false);
                t.insert("theme", toml_edit::value(spec));
                None
            } else {
                t.get_mut("theme").map(|i| i.as_value_mut())
            }
        }
        Item::Value(Value::InlineTable(t)) => {
            if !t.contains_key("theme") {
                t.insert("theme", Value::from(spec));
                None
            } else {
                t.get_mut("theme").map(Some)
            }
        }
        _ => return Err(broken(text.find("tui").unwrap_or(0), "`tui` is not a table".into())),
    };
    match slot {
        None => {}
        // The new value takes the old one's place, spacing and comment.
        Some(Some(old)) => {
            let decor = old.decor().clone();
            *old = Value::from(spec);
            *old.decor_mut() = decor;
        }
        Some(None) => {
            let at = text.find("theme").unwrap_or(0);
            return Err(broken(at, "`tui.theme` is not a value".into()));
        }
    }
    let mut out = doc.to_string();
    if crlf {
        out = out.replace("\r\n", "\n").replace('\n', "\r\n");
    }
    let out = format!("{bom}{out}");
    readable(&out)?;
    Ok(out)
}

#[cfg(test)]
mod remember_tests {
    use super::*;

    fn set(text: &str) -> String {
        with_theme("config.toml", text, "light").unwrap()
    }

    #[test]
    fn setting_the_theme_keeps_every_other_byte() {
        let text = "# my settings\n[keys]\nquit = [\"q\", \"ctrl-q\"]  # both\n\n[tui]\n# the look\ntheme = 'dark'   # was dark\nmouse = false\n";
        assert_eq!(set(text), text.replace("'dark'", "\"light\""));
        // A table that has no theme yet gets it after its last key.
        let text = "# top\n[tui]\nmouse = false # no mouse\n\n[keys]\nsearch = \"ctrl-s\"\n";
        let out = set(text);
        assert_eq!(
            out,
            "# top\n[tui]\nmouse = false # no mouse\ntheme = \"light\"\n\n[keys]\nsearch = \"ctrl-s\"\n"
        );
        // No `[tui]`: added at the end, the rest untouched.
        let text = "# only keys\n[keys]\nquit = \"Q\"\n";
        let out = set(text);
        assert!(out.starts_with(text), "{out}");
        assert!(out.ends_with("[tui]\ntheme = \"light\"\n"), "{out}");
        // Dotted and inline forms are set where they are.
        assert_eq!(set("tui.theme = \"dark\" # here\n"), "tui.theme = \"light\" # here\n");
        assert_eq!(
            set("tui = { mouse = false }\n"),
            "tui = { mouse = false , theme = \"light\" }\n"
        );
        // CRLF survives.
        let text = "[tui]\r\ntheme = \"dark\"\r\nmouse = true\r\n";
        assert_eq!(set(text), text.replace("dark", "light"));
        assert_eq!(set(""), "[tui]\ntheme = \"light\"\n");
        let text = "\u{feff}# bom\n[tui]\ntheme = \"dark\"\n";
        assert_eq!(set(text), text.replace("dark", "light"));
    }

    #[test]
    fn a_config_broken_by_hand_is_reported_and_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        let text = "[tui]\ntheme = \"dark\n";
        std::fs::write(&path, text).unwrap();
        let e = remember_theme(&path, "light").unwrap_err();
        assert!(matches!(e, RememberError::Broken(_)), "{e}");
        assert!(e.to_string().contains(":2:"), "{e}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
        // TOML that is not a config findings reads is not rewritten either.
        std::fs::write(&path, "tui = 3\n").unwrap();
        assert!(matches!(remember_theme(&path, "light"), Err(RememberError::Broken(_))));
        std::fs::write(&path, "[tui]\nthemes = 1\n").unwrap();
        let e = remember_theme(&path, "light").unwrap_err();
        assert!(matches!(e, RememberError::Broken(_)), "{e}");
        // Named once, where the file goes wrong.
        assert_eq!(e.to_string().matches("config.toml").count(), 1, "{e}");
        assert!(e.to_string().contains("config.toml:2:"), "{e}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "[tui]\nthemes = 1\n");
    }

    #[test]
    fn a_missing_file_and_folder_are_created_and_a_link_stays_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("findings").join("config.toml");
        remember_theme(&path, "high-contrast").unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "[tui]\ntheme = \"high-contrast\"\n"
        );
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file is left");
        #[cfg(unix)]
        {
            let real = dir.path().join("dotfiles.toml");
            std::fs::write(&real, "# kept\n[tui]\ntheme = \"dark\"\n").unwrap();
            let link = dir.path().join("link.toml");
            std::os::unix::fs::symlink(&real, &link).unwrap();
            remember_theme(&link, "light").unwrap();
            assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
            assert_eq!(
                std::fs::read_to_string(&real).unwrap(),
                "# kept\n[tui]\ntheme = \"light\"\n"
            );
        }
        // A folder where the file goes: said, not a panic.
        let blocked = dir.path().join("blocked");
        std::fs::create_dir_all(blocked.join("config.toml")).unwrap();
        assert!(remember_theme(&blocked.join("config.toml"), "light").is_err());
    }
}
