//! `T`: switch to the next theme inside the app. The themes go round in a
//! fixed order: the bundled ones (dark, light, high-contrast), then the
//! user's own `themes/*.toml` beside their config file, by name. The new
//! theme is drawn at once (documents rendered with the old colours are
//! rendered again), named in the status line, and remembered as `[tui]
//! theme` in the user config ([`super::settings::remember_theme`]); a
//! config that cannot be written is said in the status line and never
//! stops the app.

use super::app::App;
use super::settings::remember_theme;
use super::theme::{Theme, BUILTIN};
use std::path::Path;

/// Files read from the user's `themes/` folder, at most (a bounded read).
const MAX_USER_THEMES: usize = 64;

/// The themes `T` goes round, as config values: bundled names, then
/// `themes/NAME.toml` for each user theme in `config_dir/themes/`.
pub(crate) fn choices(config_dir: Option<&Path>) -> Vec<String> {
    let mut out: Vec<String> = BUILTIN.iter().map(|(n, _)| n.to_string()).collect();
    let Some(dir) = config_dir else {
        return out;
    };
    let Ok(entries) = std::fs::read_dir(dir.join("themes")) else {
        return out;
    };
    let mut own: Vec<String> = entries
        .filter_map(Result::ok)
        .take(MAX_USER_THEMES * 4)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file() || t.is_symlink()))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.ends_with(".toml") && !n.starts_with('.'))
        .collect();
    own.sort();
    own.truncate(MAX_USER_THEMES);
    out.extend(own.into_iter().map(|n| format!("themes/{n}")));
    out
}

/// The name a theme is shown by: a bundled name, or a user theme's file
/// name without `.toml`.
fn label(spec: &str) -> &str {
    let name = spec.rsplit('/').next().unwrap_or(spec);
    name.strip_suffix(".toml").unwrap_or(name)
}

/// Where `theme` is among `choices` (a user theme is named by its path).
fn position(theme: &Theme, choices: &[String], config_dir: Option<&Path>) -> Option<usize> {
    choices
        .iter()
        .position(|c| *c == theme.name || config_dir.is_some_and(|d| d.join(c).display().to_string() == theme.name))
}

/// `T`: the next theme that loads, drawn at once and remembered.
pub(crate) fn next_theme(app: &mut App) {
    let dir = app.user_config.as_deref().and_then(Path::parent).map(Path::to_path_buf);
    let choices = choices(dir.as_deref());
    let at = position(&app.theme, &choices, dir.as_deref());
    let mut skipped = Vec::new();
    for step in 1..=choices.len() {
        let i = at.map_or(step - 1, |a| (a + step) % choices.len());
        let spec = &choices[i];
        let loaded = match &dir {
            Some(d) => Theme::load(spec, d),
            None => Theme::load(spec, Path::new(".")),
        };
        match loaded {
            Ok(theme) => {
                let theme = if app.theme.color { theme } else { theme.without_color() };
                apply(app, theme);
                let remembered: Result<(), String> = match &app.user_config {
                    Some(path) => remember_theme(path, spec).map_err(|e| e.to_string()),
                    None => Err("no user config folder on this system".into()),
                };
                let mut text = format!("theme {}", label(spec));
                if !skipped.is_empty() {
                    text.push_str(&format!(" · skipped {}", skipped.join("; ")));
                }
                match remembered {
                    Ok(()) => app.info(format!("{text} (remembered)")),
                    // The theme is used all the same; the file is the user's.
                    Err(e) => app.error(format!("{text} for this session; not remembered: {e}")),
                }
                return;
            }
            Err(e) => skipped.push(e.to_string()),
        }
    }
    app.error(format!("no theme loads: {}", skipped.join("; ")));
}

/// Use `theme` from now on: the documents rendered in the old colours are
/// rendered again, the preview's kept ones dropped.
fn apply(app: &mut App, theme: Theme) {
    app.theme = theme;
    app.preview.clear();
    let theme = app.theme.clone();
    let rerender = |d: &mut super::app::Detail| {
        if let Some(doc) = &d.doc {
            d.rendered = super::markdown::render(doc.body(), d.width, &theme);
        }
    };
    if let Some(d) = &mut app.detail {
        rerender(d);
    }
    if let Some(d) = app.triage.as_mut().and_then(|t| t.detail.as_mut()) {
        rerender(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_round_is_the_bundled_themes_then_the_users_by_name() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(choices(Some(dir.path())), ["dark", "light", "high-contrast"]);
        std::fs::create_dir(dir.path().join("themes")).unwrap();
        for f in ["solar.toml", "amber.toml", "notes.txt", ".hidden.toml"] {
            std::fs::write(dir.path().join("themes").join(f), "").unwrap();
        }
        let c = choices(Some(dir.path()));
        assert_eq!(
            c,
            [
                "dark",
                "light",
                "high-contrast",
                "themes/amber.toml",
                "themes/solar.toml"
            ]
        );
        assert_eq!(label(&c[3]), "amber");
        assert_eq!(label("light"), "light");
        let light = Theme::builtin("light").unwrap();
        assert_eq!(position(&light, &c, Some(dir.path())), Some(1));
        let own = Theme {
            name: dir.path().join("themes/solar.toml").display().to_string(),
            ..light
        };
        assert_eq!(position(&own, &c, Some(dir.path())), Some(4));
        assert_eq!(choices(None), ["dark", "light", "high-contrast"]);
    }
}
