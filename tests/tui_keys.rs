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

/// Item 9, checked on every screen: the key that closes an error box does
/// nothing else. Each screen is reached with `open`, an error too long for
/// the bar is shown, and each key then only closes the box: no effect, no
/// quit, the same screen, row, popup, marks and theme.
#[test]
fn the_key_that_closes_an_error_box_does_nothing_else_on_any_screen() {
    let screens: &[(&str, &[&str])] = &[
        ("list", &[]),
        ("detail", &["enter"]),
        ("triage", &["t"]),
        ("board", &["b"]),
        ("stats", &["S"]),
        ("filters", &["f"]),
        ("marked list", &["space"]),
        ("status menu", &["s"]),
    ];
    let mut pressed = 0;
    for (name, open) in screens {
        for key in [
            "q", "ctrl-c", "j", "k", "u", "z", "Z", "a", "s", "w", "t", "d", "x", "space", "enter", "esc", "T", "1",
            "2", "3", "4", "5", "6", "7", "8", "9",
        ] {
            let mut a = app(100, 30);
            keys(&mut a, open);
            let state = |a: &App| {
                (
                    a.screen,
                    a.row,
                    format!("{:?}", a.popup),
                    a.marked().len(),
                    a.theme.name.clone(),
                    a.triage.as_ref().map(|t| (t.pos, t.decisions.len())),
                    a.facets.is_some(),
                    a.index.shown().len(),
                )
            };
            let before = state(&a);
            a.error(format!(
                "{name} {key}: a long failure that does not fit the status bar of a hundred column terminal, so it shows in a box above the bar until a key is pressed"
            ));
            assert!(screen(&a).contains(" error "), "{name} {key}\n{}", screen(&a));
            let fx = keys(&mut a, &[key]);
            assert!(fx.is_empty(), "{name}: {key} ran {fx:?}");
            assert!(!a.quit_requested(), "{name}: {key} quit");
            assert!(a.pending.is_none(), "{name}: {key} started a write");
            assert_eq!(state(&a), before, "{name}: {key} did more than close the box");
            assert!(!screen(&a).contains(" error "), "{name}: {key} left the box");
            pressed += 1;
        }
    }
    assert_eq!(pressed, 8 * 26);
}

/// Item 9, checked: at 100 columns and wider the status bar shows the
/// current screen's main keys (not only `? help`); narrower, only help.
#[test]
fn the_status_bar_shows_each_screens_main_keys_from_100_columns() {
    let bar = |a: &App| screen(a).lines().last().unwrap_or_default().to_string();
    let cases: &[(&str, &[&str], &[&str])] = &[
        ("list", &[], &["enter open", "/ search", "f filters", "o sort"]),
        (
            "detail",
            &["enter"],
            &["esc back", "/ find", "H history", "L links", "s status"],
        ),
        ("board", &["b"], &["enter open", "> move", "tab family", "s status"]),
        ("stats", &["S"], &["esc back"]),
        ("filters", &["f"], &["space toggle", "x clear", "esc close"]),
        ("search", &["/"], &["enter keep", "esc cancel"]),
    ];
    for w in [100, 160] {
        for (name, open, want) in cases {
            let mut a = app(w, 30);
            keys(&mut a, open);
            // A message takes the room first: start from a quiet bar.
            a.message = None;
            let b = bar(&a);
            for k in *want {
                assert!(b.contains(k), "{name} at {w}: {k:?} missing from {b:?}");
            }
            assert!(b.contains("? help"), "{name} at {w}: {b:?}");
        }
    }
    // Triage shows its own keys under the document instead.
    let mut a = app(100, 30);
    keys(&mut a, &["t"]);
    assert!(screen(&a).contains("a approve"), "{}", screen(&a));
    // Narrower than 100: help only.
    let mut a = app(99, 30);
    a.message = None;
    let b = bar(&a);
    assert!(!b.contains("enter open") && b.contains("? help"), "{b:?}");
}

/// Item 9, checked: `esc` in the list clears the search and every filter
/// (after unmarking, when rows are marked), whichever of them is set.
#[test]
fn esc_clears_the_search_and_the_filters_whichever_is_set() {
    let all = app(100, 30).index.shown().len();
    let set: &[(&str, &[&str])] = &[
        ("search", &["/", ":race", "enter"]),
        ("filter", &["f", "space", "esc"]),
        ("both", &["/", ":race", "enter", "f", "space", "esc"]),
    ];
    for (name, keys_set) in set {
        let mut a = app(100, 30);
        keys(&mut a, keys_set);
        let narrowed = |a: &App| !a.index.query().is_empty() || a.index.shown().len() < all;
        assert!(narrowed(&a), "{name}");
        keys(&mut a, &["space"]);
        assert_eq!(a.marked().len(), 1);
        keys(&mut a, &["esc"]);
        assert!(a.marked().is_empty(), "{name}: the first esc unmarks");
        assert!(narrowed(&a), "{name}: and only unmarks");
        keys(&mut a, &["esc"]);
        assert_eq!(a.index.shown().len(), all, "{name}");
        assert!(a.index.query().is_empty(), "{name}");
        assert!(message(&a).contains("cleared"), "{name}: {}", message(&a));
    }
}

/// Item 9, checked: a key bound to nothing on the current screen says so
/// in the status bar, on every screen, and changes nothing.
#[test]
fn an_unbound_key_says_so_on_every_screen() {
    let screens: &[(&str, &[&str], &str)] = &[
        ("list", &[], "%"),
        ("detail", &["enter"], "%"),
        ("detail f", &["enter"], "f"),
        ("triage", &["t"], "%"),
        ("board", &["b"], "%"),
        ("stats", &["S"], "%"),
        ("filters", &["f"], "%"),
    ];
    for (name, open, key) in screens {
        let mut a = app(100, 30);
        keys(&mut a, open);
        let (scr, row) = (a.screen, a.row);
        let fx = keys(&mut a, &[key]);
        assert!(fx.is_empty(), "{name}: {fx:?}");
        assert_eq!((a.screen, a.row), (scr, row), "{name}");
        let m = message(&a);
        assert!(m.contains(&format!("{key} does nothing here")), "{name}: {m:?}");
    }
}

/// An open document is drawn in the new theme's colours at once (its
/// rendered text is rendered again, not kept in the old colours): after
/// `T` it looks exactly as when the app starts in that theme.
#[test]
fn t_redraws_an_open_document_in_the_new_colours() {
    let home = tempfile::tempdir().unwrap();
    let mut a = app_config(&home.path().join("config.toml"), 100, 30);
    keys(&mut a, &["enter"]);
    keys(&mut a, &["T"]);
    assert_eq!(a.theme.name, "light");
    let mut b = App::new(
        repo(),
        AppOptions {
            today: today(),
            size: (100, 30),
            theme: Theme::builtin("light").unwrap(),
            ..AppOptions::default()
        },
    );
    keys(&mut b, &["enter"]);
    let (switched, started) = (draw(&a), draw(&b));
    // Every line but the status bar (which names the theme).
    for y in 0..29 {
        for x in 0..100 {
            assert_eq!(switched[(x, y)], started[(x, y)], "({x}, {y})");
        }
    }
}

/// Unbound keys in a menu and in the triage summary say so too, with the
/// keys that do something there; the popup stays as it was.
#[test]
fn an_unbound_key_in_a_menu_or_the_summary_says_so() {
    let mut a = app(100, 30);
    keys(&mut a, &["s", "%"]);
    assert!(matches!(a.popup, Some(findings::tui::app::Popup::Menu(_))));
    assert!(
        message(&a).contains("% does nothing in this menu · enter chooses, esc closes"),
        "{}",
        message(&a)
    );
    let mut a = app(100, 30);
    keys(&mut a, &["t", "q", "a"]);
    assert!(matches!(a.popup, Some(findings::tui::app::Popup::Summary { .. })));
    assert!(message(&a).contains("a does nothing in the summary"), "{}", message(&a));
}

/// `T` is global: it switches the theme on every screen, the screen kept.
#[test]
fn t_switches_the_theme_on_every_screen() {
    let screens: &[(&str, &[&str])] = &[
        ("list", &[]),
        ("detail", &["enter"]),
        ("triage", &["t"]),
        ("board", &["b"]),
        ("stats", &["S"]),
        ("filters", &["f"]),
    ];
    let home = tempfile::tempdir().unwrap();
    for (name, open) in screens {
        let mut a = app_config(&home.path().join("config.toml"), 100, 30);
        keys(&mut a, open);
        let (scr, facets) = (a.screen, a.facets.is_some());
        keys(&mut a, &["T"]);
        assert_ne!(a.theme.name, "dark", "{name}");
        assert_eq!((a.screen, a.facets.is_some()), (scr, facets), "{name}");
    }
}
