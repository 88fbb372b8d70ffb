//! Fixes found by trying the terminal UI as a new user would (in tmux, on
//! the bundled samples and the corpus, at 80x24, 200x50 and 20x5): one
//! state-update test or snapshot each.

mod tui_support;

use findings::tui::app::Popup;
use findings::tui::screen;
use tui_support::*;

fn help_scroll(a: &findings::tui::App) -> usize {
    match a.popup {
        Some(Popup::Help { scroll }) => scroll,
        ref p => panic!("no help: {p:?}"),
    }
}

#[test]
fn help_scroll_stops_at_the_end_so_going_back_works_at_once() {
    let mut a = app(80, 24);
    keys(&mut a, &["?"]);
    let max = screen::help::max_scroll(&a);
    assert!(max > 0, "the list's help is longer than 22 lines");
    for _ in 0..3 * max {
        keys(&mut a, &["j"]);
    }
    assert_eq!(help_scroll(&a), max);
    let bottom = screen(&a);
    keys(&mut a, &["k"]);
    assert_eq!(help_scroll(&a), max - 1);
    assert_ne!(screen(&a), bottom, "one k after overshooting scrolls back");
    keys(&mut a, &["G", "pgup"]);
    assert_eq!(help_scroll(&a), max.saturating_sub(10));
    keys(&mut a, &["g", "k"]);
    assert_eq!(help_scroll(&a), 0);
}

#[test]
fn summary_scroll_is_kept_in_range_too() {
    let mut a = app(80, 6);
    keys(&mut a, &["t", "d", "d", "d"]);
    assert!(matches!(a.popup, Some(Popup::Summary { .. })));
    let max = screen::triage::summary_max_scroll(&a);
    assert!(max > 0);
    keys(&mut a, &["j", "j", "j", "j", "j", "j"]);
    assert!(matches!(a.popup, Some(Popup::Summary { scroll }) if scroll == max));
    keys(&mut a, &["k"]);
    assert!(matches!(a.popup, Some(Popup::Summary { scroll }) if scroll == max - 1));
    assert!(screen(&a).contains("deferred"));
}

#[test]
fn the_search_line_says_how_to_close_the_box_not_x_while_typing() {
    let mut a = app(80, 24);
    keys(&mut a, &["/", ":race"]);
    let top = screen(&a).lines().next().unwrap_or("").to_string();
    assert!(
        top.contains("enter done · esc cancel") && !top.contains("x clear"),
        "{top}"
    );
    // `x` types; the hint to clear comes back once the box is closed.
    keys(&mut a, &["x"]);
    assert_eq!(a.index.query(), "racex");
    keys(&mut a, &["backspace", "enter"]);
    let top = screen(&a).lines().next().unwrap_or("").to_string();
    assert!(top.starts_with("/ race") && top.contains("x clear"), "{top}");
}
