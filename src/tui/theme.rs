//! Colour themes: flat TOML files (`priority_p0 = "#ff5555"`).
//!
//! Three themes ship inside the binary (`BUILTIN`: dark, light,
//! high-contrast). A user theme file may set any subset of keys over a base
//! (`extends = "light"`, dark by default). Unknown keys and bad colours are
//! errors naming the file, line and column. With `NO_COLOR` every colour is
//! dropped and only modifiers (bold, reverse, underline) remain.

use super::settings::SettingsError;
use crate::document::Kind;
pub use crate::workflow::Phase;
use crate::workflow::Workflows;
use ratatui::style::{Color, Modifier, Style};
use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

/// The bundled themes: name and TOML text.
pub(crate) const BUILTIN: &[(&str, &str)] = &[
    ("dark", include_str!("../../themes/dark.toml")),
    ("light", include_str!("../../themes/light.toml")),
    ("high-contrast", include_str!("../../themes/high-contrast.toml")),
];

macro_rules! palette {
    ($($key:ident),* $(,)?) => {
        /// Every colour a theme sets.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct Palette { $(#[doc = concat!("The colour the theme file's `", stringify!($key), "` key sets (`Reset`: the terminal's own).")] pub $key: Color,)* }

        impl Default for Palette {
            fn default() -> Self { Palette { $($key: Color::Reset,)* } }
        }

        /// The key names a theme file may use.
        #[cfg(test)]
        pub(crate) const KEYS: &[&str] = &[$(stringify!($key)),*];

        impl Palette {
            fn set(&mut self, key: &str, c: Color) -> bool {
                match key {
                    $(stringify!($key) => { self.$key = c; true })*
                    _ => false,
                }
            }
        }
    };
}

palette!(
    background,
    text,
    dim,
    accent,
    border,
    border_focus,
    title,
    header,
    selection_bg,
    selection_fg,
    match_fg,
    priority_p0,
    priority_p1,
    priority_p2,
    priority_p3,
    priority_p4,
    priority_none,
    status_new,
    status_active,
    status_done,
    status_closed,
    status_blocked,
    status_unknown,
    family_todo,
    family_finding,
    family_adr,
    severity,
    tag,
    age,
    heading1,
    heading2,
    heading3,
    code,
    code_bg,
    link,
    quote,
    rule,
    checkbox_done,
    checkbox_todo,
    table_border,
    bar_bg,
    bar_fg,
    mode_bg,
    mode_fg,
    error,
    warning,
    success,
    info,
    popup_bg,
    popup_border,
);

/// A resolved theme: a palette plus whether colours are used at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    /// The name it was chosen by: a bundled theme (`dark`, `light`, `high-contrast`) or
    /// a theme file.
    pub name: String,
    /// Its colours.
    pub palette: Palette,
    /// False under `NO_COLOR`: only modifiers are drawn.
    pub color: bool,
}

impl Default for Theme {
    fn default() -> Self {
        Theme::builtin("dark").unwrap_or_else(|| Theme {
            name: "dark".into(),
            palette: Palette::default(),
            color: true,
        })
    }
}

/// Parse a colour value: `#rrggbb`, `#rgb`, a name, an ANSI index, `reset`.
pub(crate) fn parse_color(s: &str) -> Option<Color> {
    let t = s.trim();
    if let Some(hex) = t.strip_prefix('#') {
        if hex.len() == 3 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            let d = |i: usize| u8::from_str_radix(&hex[i..i + 1], 16).ok().map(|v| v * 17);
            return Some(Color::Rgb(d(0)?, d(1)?, d(2)?));
        }
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
    }
    match t.to_ascii_lowercase().as_str() {
        "reset" | "default" | "none" => Some(Color::Reset),
        _ => Color::from_str(t).ok(),
    }
}

/// Overlay the keys of a theme file's text onto `palette`. Returns the
/// `extends` value when the file names a base.
fn overlay(file: &str, text: &str, palette: &mut Palette) -> Result<Option<String>, SettingsError> {
    let table: BTreeMap<String, toml::Spanned<String>> =
        toml::from_str(text).map_err(|e| SettingsError::from_toml(file, text, &e))?;
    let mut extends = None;
    for (key, value) in &table {
        let at = |message: String| SettingsError::at(file, text, value.span().start, message);
        if key == "extends" {
            extends = Some(value.get_ref().clone());
            continue;
        }
        let Some(color) = parse_color(value.get_ref()) else {
            return Err(at(format!(
                "theme key `{key}`: {:?} is not a colour (use \"#rrggbb\", a name like \"red\", an index 0-255 or \"reset\")",
                value.get_ref()
            )));
        };
        if !palette.set(key, color) {
            return Err(at(format!("unknown theme key `{key}`")));
        }
    }
    Ok(extends)
}

impl Theme {
    /// A bundled theme by name.
    pub fn builtin(name: &str) -> Option<Theme> {
        let (n, text) = BUILTIN.iter().find(|(n, _)| *n == name)?;
        let mut palette = Palette::default();
        overlay(&format!("themes/{n}.toml"), text, &mut palette).ok()?;
        Some(Theme {
            name: n.to_string(),
            palette,
            color: true,
        })
    }

    /// Parse a user theme file's text (`file` names it in errors) over its
    /// base (`extends`, default dark).
    pub(crate) fn parse(file: &str, text: &str) -> Result<Theme, SettingsError> {
        let mut probe = Palette::default();
        let extends = overlay(file, text, &mut probe)?;
        let base = extends.as_deref().unwrap_or("dark");
        let mut theme = Theme::builtin(base).ok_or_else(|| {
            let at = text.find("extends").unwrap_or(0);
            SettingsError::at(
                file,
                text,
                at,
                format!("`extends = {base:?}` is not a bundled theme (dark, light, high-contrast)"),
            )
        })?;
        overlay(file, text, &mut theme.palette)?;
        theme.name = file.to_string();
        Ok(theme)
    }

    /// A bundled theme name, or a path to a theme file (relative paths
    /// resolve against `base_dir`).
    pub fn load(spec: &str, base_dir: &Path) -> Result<Theme, SettingsError> {
        if let Some(t) = Theme::builtin(spec) {
            return Ok(t);
        }
        let path = base_dir.join(spec);
        let shown = path.display().to_string();
        let text = crate::store::bounded::read_string(&path, crate::store::bounded::CONFIG_LIMIT).map_err(|e| {
            SettingsError {
                file: shown.clone(),
                line: 1,
                column: 1,
                message: format!(
                    "cannot read theme ({}); bundled themes are dark, light, high-contrast",
                    e.reason()
                ),
            }
        })?;
        Theme::parse(&shown, &text)
    }

    /// The same theme without colours (for `NO_COLOR`).
    pub fn without_color(mut self) -> Theme {
        self.color = false;
        self
    }

    /// A style with foreground `c` (nothing under `NO_COLOR`).
    pub(crate) fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::default().fg(c)
        } else {
            Style::default()
        }
    }

    /// A style with foreground and background.
    pub(crate) fn fg_bg(&self, fg: Color, bg: Color) -> Style {
        if self.color {
            Style::default().fg(fg).bg(bg)
        } else {
            Style::default()
        }
    }

    /// The base style of the whole screen.
    pub(crate) fn base(&self) -> Style {
        self.fg_bg(self.palette.text, self.palette.background)
    }

    pub(crate) fn dim(&self) -> Style {
        if self.color {
            self.fg(self.palette.dim)
        } else {
            Style::default().add_modifier(Modifier::DIM)
        }
    }

    /// The selected row: background colour, or reverse video without colour.
    pub(crate) fn selection(&self) -> Style {
        if self.color {
            Style::default()
                .fg(self.palette.selection_fg)
                .bg(self.palette.selection_bg)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }

    /// Characters a fuzzy query matched.
    pub(crate) fn matched(&self) -> Style {
        let s = Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
        if self.color {
            s.fg(self.palette.match_fg)
        } else {
            s
        }
    }

    pub(crate) fn border(&self, focused: bool) -> Style {
        if focused {
            self.fg(self.palette.border_focus)
        } else {
            self.fg(self.palette.border)
        }
    }

    pub(crate) fn header(&self) -> Style {
        self.fg(self.palette.header).add_modifier(Modifier::BOLD)
    }

    pub(crate) fn priority(&self, p: Option<&str>) -> Style {
        let c = match p {
            Some("p0") => self.palette.priority_p0,
            Some("p1") => self.palette.priority_p1,
            Some("p2") => self.palette.priority_p2,
            Some("p3") => self.palette.priority_p3,
            Some("p4") => self.palette.priority_p4,
            _ => self.palette.priority_none,
        };
        let s = self.fg(c);
        if matches!(p, Some("p0" | "p1")) {
            s.add_modifier(Modifier::BOLD)
        } else {
            s
        }
    }

    /// A status, coloured by its place in the workflow.
    pub fn status(&self, status: Option<&str>) -> Style {
        self.phase(status.and_then(crate::workflow::phase))
    }

    /// A status of a `kind` document (any family's when `None`), coloured
    /// by its place in the repository's workflows, so a status configured
    /// in `findings.toml` shows in the colour of its phase.
    pub(crate) fn status_in(&self, workflows: &Workflows, kind: Option<Kind>, status: Option<&str>) -> Style {
        self.phase(status.and_then(|s| workflows.phase_of(kind, s)))
    }

    /// The colour of a phase (`None`: a status no workflow knows).
    pub(crate) fn phase(&self, phase: Option<Phase>) -> Style {
        let p = &self.palette;
        let c = match phase {
            Some(Phase::New) => p.status_new,
            Some(Phase::Active) => p.status_active,
            Some(Phase::Done) => p.status_done,
            Some(Phase::Closed) => p.status_closed,
            Some(Phase::Blocked) => p.status_blocked,
            None => return self.fg(p.status_unknown).add_modifier(Modifier::ITALIC),
        };
        self.fg(c)
    }

    pub(crate) fn family(&self, k: Kind) -> Style {
        self.fg(match k {
            Kind::Todo => self.palette.family_todo,
            Kind::Finding => self.palette.family_finding,
            Kind::Adr => self.palette.family_adr,
        })
    }

    pub(crate) fn bar(&self) -> Style {
        if self.color {
            self.fg_bg(self.palette.bar_fg, self.palette.bar_bg)
        } else {
            Style::default().add_modifier(Modifier::REVERSED)
        }
    }

    pub(crate) fn mode(&self) -> Style {
        let s = Style::default().add_modifier(Modifier::BOLD);
        if self.color {
            s.fg(self.palette.mode_fg).bg(self.palette.mode_bg)
        } else {
            s
        }
    }

    pub(crate) fn popup(&self) -> Style {
        self.fg_bg(self.palette.text, self.palette.popup_bg)
    }

    pub(crate) fn error(&self) -> Style {
        self.fg(self.palette.error).add_modifier(Modifier::BOLD)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_themes_set_every_key() {
        for (name, text) in BUILTIN {
            let table: BTreeMap<String, String> = toml::from_str(text).unwrap();
            for k in KEYS {
                assert!(table.contains_key(*k), "{name} lacks {k}");
            }
            assert!(Theme::builtin(name).is_some(), "{name}");
        }
    }

    #[test]
    fn user_theme_overrides_a_subset() {
        let t = Theme::parse("mine.toml", "extends = \"light\"\npriority_p0 = \"#010203\"\n").unwrap();
        assert_eq!(t.palette.priority_p0, Color::Rgb(1, 2, 3));
        assert_eq!(t.palette.text, Theme::builtin("light").unwrap().palette.text);
    }

    #[test]
    fn errors_name_file_key_and_position() {
        let e = Theme::parse("mine.toml", "text = \"#fff\"\nprioritty_p0 = \"red\"\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 16), "{e}");
        assert!(
            e.to_string().starts_with("mine.toml:2:16:") && e.to_string().contains("prioritty_p0"),
            "{e}"
        );
        let e = Theme::parse("mine.toml", "border = \"#12345\"\n").unwrap_err();
        assert!(e.to_string().contains("border") && e.line == 1, "{e}");
        let e = Theme::parse("mine.toml", "border = 3\n").unwrap_err();
        assert!(e.to_string().starts_with("mine.toml:1:"), "{e}");
    }

    #[test]
    fn colours_parse() {
        assert_eq!(parse_color("#ff0000"), Some(Color::Rgb(255, 0, 0)));
        assert_eq!(parse_color("#f00"), Some(Color::Rgb(255, 0, 0)));
        assert_eq!(parse_color("reset"), Some(Color::Reset));
        assert_eq!(parse_color("lightblue"), Some(Color::LightBlue));
        assert_eq!(parse_color("208"), Some(Color::Indexed(208)));
        assert_eq!(parse_color("#zzzzzz"), None);
        assert_eq!(parse_color("nope"), None);
    }

    #[test]
    fn no_color_keeps_modifiers_only() {
        let t = Theme::default().without_color();
        assert_eq!(t.priority(Some("p0")).fg, None);
        assert!(t.selection().add_modifier.contains(Modifier::REVERSED));
    }
}
