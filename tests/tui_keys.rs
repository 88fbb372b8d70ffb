//! Issue 12 item 9 and the keys around it, on the bundled samples: `T`
//! switches the theme inside the app, draws it at once and remembers it in
//! the user config (every other byte of that file kept; a file broken by
//! hand reported and left as it is; the app goes on when the file cannot be
//! written).

mod tui_support;

use findings::tui::app::MenuPurpose;
use findings::tui::theme::Theme;
use findings::tui::{App, AppOptions};
use std::path::Path;
use tui_support::*;

/// The samples at `w`x`h` with the user config at `config`.
fn app_config(config: &Path, w: u16, h: u16) -> App {
    App::new(
        repo(),
        AppOptions {
            today: today(),
            size: (w, h),
            user_config: Some(config.to_path_buf()),
            ..AppOptions::default()
        },
    )
}

fn message(app: &App) -> String {
    app.message.as_ref().map(|m| m.text.clone()).unwrap_or_default()
}

#[test]
fn t_cycles_the_themes_draws_at_once_and_remembers_the_choice() {
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("findings").join("config.toml");
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    let config_text = "# my settings\n[keys]\nsearch = \"/\"   # as it was\n\n[tui]\nmouse = true\n";
    std::fs::write(&config, config_text).unwrap();
    let mut a = app_config(&config, 100, 24);
    assert_eq!(a.theme.name, "dark");
    let before = draw(&a);
    keys(&mut a, &["T"]);
    assert_eq!(a.theme, Theme::builtin("light").unwrap());
    assert_eq!(message(&a), "theme light (remembered)");
    let after = draw(&a);
    // Drawn in the new colours on the very next frame.
    let (x, y) = find(&after, "030").unwrap();
    assert_ne!(before[(x, y)].style(), after[(x, y)].style());
    insta::assert_snapshot!("theme_switched_100x24", text(&after));
    assert_eq!(
        std::fs::read_to_string(&config).unwrap(),
        "# my settings\n[keys]\nsearch = \"/\"   # as it was\n\n[tui]\nmouse = true\ntheme = \"light\"\n"
    );
    // A user theme beside the config joins the round after the bundled ones.
    let themes = config.parent().unwrap().join("themes");
    std::fs::create_dir_all(&themes).unwrap();
    std::fs::write(themes.join("amber.toml"), "extends = \"light\"\ntext = \"#ffbf00\"\n").unwrap();
    keys(&mut a, &["T"]);
    assert_eq!(a.theme.name, "high-contrast");
    keys(&mut a, &["T"]);
    assert_eq!(message(&a), "theme amber (remembered)");
    assert!(std::fs::read_to_string(&config)
        .unwrap()
        .contains("theme = \"themes/amber.toml\""));
    keys(&mut a, &["T"]);
    assert_eq!(a.theme.name, "dark", "round again");
    // What was remembered is what the next start loads.
    let opts = findings::tui::TuiOptions::default();
    let s = findings::tui::settings::Settings::load(&repo(), &opts, Some(&config)).unwrap();
    assert_eq!(s.theme.name, "dark");
}

#[test]
fn a_config_broken_by_hand_is_reported_and_the_theme_still_switches() {
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config.toml");
    let text = "[tui]\ntheme = \"dark\n# unfinished\n";
    std::fs::write(&config, text).unwrap();
    let mut a = app_config(&config, 100, 24);
    keys(&mut a, &["T"]);
    assert_eq!(a.theme.name, "light");
    let m = message(&a);
    assert!(m.contains("not remembered") && m.contains("config.toml:2:"), "{m}");
    assert!(m.contains("left as it is"), "{m}");
    assert_eq!(std::fs::read_to_string(&config).unwrap(), text, "never overwritten");
    // A place that cannot be written: said, and the app goes on.
    let mut a = app_config(&home.path().join("config.toml").join("nested.toml"), 100, 24);
    keys(&mut a, &["T"]);
    assert_eq!(a.theme.name, "light");
    assert!(message(&a).contains("not remembered"), "{}", message(&a));
    // No config folder at all.
    let mut a = app(100, 24);
    keys(&mut a, &["T"]);
    assert_eq!(a.theme.name, "light");
    assert!(message(&a).contains("no user config folder"), "{}", message(&a));
}

/// `f` is filters and only filters: in the list it opens the filter pane;
/// in a document it is unbound (said in the status bar) and `L` opens the
/// links.
#[test]
fn f_means_filters_in_the_list_and_l_means_links_in_a_document() {
    let mut a = app(100, 24);
    keys(&mut a, &["f"]);
    assert!(a.facets.is_some(), "f opens the filter pane");
    keys(&mut a, &["esc", "enter"]);
    assert!(a.detail.is_some());
    keys(&mut a, &["f"]);
    assert!(a.popup.is_none() && a.facets.is_none(), "{:?}", a.popup);
    assert!(message(&a).contains("f does nothing here"), "{}", message(&a));
    keys(&mut a, &["L"]);
    assert!(
        matches!(a.popup, Some(findings::tui::app::Popup::Menu(_))),
        "L opens the links: {:?} {}",
        a.popup,
        message(&a)
    );
}

/// `space` on the board marks the selected card, shown with the list's
/// `●`; the marks are the list's (the same documents marked there), and
/// `s` on the board offers the move for every marked document.
#[test]
fn space_marks_board_cards_and_s_acts_on_the_marks() {
    let mut a = app(120, 30);
    keys(&mut a, &["b", "space", "j", "space"]);
    assert_eq!(a.marked().len(), 2);
    let s = screen(&a);
    insta::assert_snapshot!("board_marked_120x30", s);
    assert_eq!(s.matches('●').count(), 2, "{s}");
    // The empty `ready` column has no card to mark; `s` still acts on the
    // marks.
    keys(&mut a, &["l", "space"]);
    assert!(message(&a).contains("no card selected"), "{}", message(&a));
    assert_eq!(a.marked().len(), 2);
    keys(&mut a, &["s"]);
    let Some(findings::tui::app::Popup::Menu(m)) = &a.popup else {
        panic!("a menu for the marked cards: {:?} {}", a.popup, message(&a))
    };
    assert!(
        matches!(&m.purpose, MenuPurpose::BatchStatus { targets, .. } if targets.len() == 2),
        "{:?}",
        m.purpose
    );
    // The list shows the same marks.
    keys(&mut a, &["esc", "esc"]);
    assert!(a.board().is_none());
    assert_eq!(screen(&a).matches('●').count(), 2);
}
