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
    let max = screen::help::max_scroll(&screen::help::HelpView::of(&a), a.area());
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

fn status_line(a: &findings::tui::App) -> String {
    screen(a).lines().last().unwrap_or("").to_string()
}

#[test]
fn a_message_keeps_its_room_in_the_status_bar() {
    let mut a = app(80, 24);
    let short = "nothing to undo in this session";
    a.info(short);
    let bar = status_line(&a);
    assert!(bar.contains("sort:priority") && bar.contains(short), "{bar}");
    // Longer: the sort key gives way, then the counts.
    let long = "findings/030-pending-p1-race-condition-duplicate.md: saved";
    a.info(long);
    let bar = status_line(&a);
    assert!(
        bar.contains(long) && !bar.contains("sort:") && bar.contains("5/5"),
        "{bar}"
    );
    let longer = format!("{long} ok");
    a.info(&longer);
    let bar = status_line(&a);
    assert!(
        bar.contains(&longer) && !bar.contains("sort:") && !bar.contains("5/5"),
        "{bar}"
    );
    let mid = "0008-example-badge.png is not a document in this repository";
    a.error(mid);
    let bar = status_line(&a);
    assert!(bar.contains(mid) && !bar.contains("sort:"), "{bar}");
    assert!(bar.starts_with(" LIST "), "the mode stays: {bar}");
}

#[test]
fn errors_too_long_for_the_bar_show_in_full_until_a_key() {
    let mut a = app(80, 24);
    keys(&mut a, &["enter"]);
    let root = a.repo.root.display().to_string();
    a.error(format!(
        "{root}/findings/003-pending-p1-race-condition-existence-checks.md: changed on disk since it was read; \
         reload and try again"
    ));
    // Paths inside the repository are shown relative, as everywhere else.
    let text = &a.message.as_ref().unwrap().text;
    assert!(text.starts_with("findings/003-pending-p1"), "{text}");
    let s = screen(&a);
    assert!(s.contains(" error ") && s.contains("reload and try again"), "{s}");
    // Esc only closes the box: the document stays open.
    keys(&mut a, &["esc"]);
    assert_eq!(a.screen, findings::tui::Screen::Detail);
    let s = screen(&a);
    assert!(!s.contains(" error ") && !s.contains("reload and try again"), "{s}");
    // The bar still has the start of it.
    assert!(status_line(&a).contains("findings/003-pending"), "{}", status_line(&a));

    // Several lines (git's advice) show as lines; any other key closes the
    // box and does nothing else: the next key does its work.
    a.error("author identity unknown (no user.name); tell git who you are with\n  git config --global user.name \"Your Name\"\n  git config --global user.email you@example.com");
    let s = screen(&a);
    assert!(s.contains("  git config --global user.email you@example.com"), "{s}");
    keys(&mut a, &["j"]);
    assert_eq!(a.current_detail().unwrap().scroll, 0);
    assert!(!screen(&a).contains("git config --global user.email"));
    keys(&mut a, &["j"]);
    assert_eq!(a.current_detail().unwrap().scroll, 1);
    // A short error fits the bar: no box, and Esc goes back as usual.
    a.error("nothing selected");
    assert!(!screen(&a).contains(" error "));
    keys(&mut a, &["esc"]);
    assert_eq!(a.screen, findings::tui::Screen::List);
}

#[test]
fn the_error_box_fits_tiny_terminals() {
    let mut a = app(20, 5);
    a.error("a long error message that wraps over several lines of a tiny terminal and then some more words");
    let s = screen(&a);
    assert_eq!(s.lines().count(), 5);
    assert!(s.contains("error"), "{s}");
}

#[test]
fn one_field_dialogs_do_not_offer_tab_and_two_field_ones_do() {
    let mut a = app(80, 24);
    keys(&mut a, &["t", "c"]);
    let s = screen(&a);
    assert!(
        s.contains("enter submit · esc cancel") && !s.contains("tab next field"),
        "{s}"
    );
    keys(&mut a, &["esc", "q", "esc", "w"]);
    let s = screen(&a);
    assert!(s.contains("enter next/submit · tab next field · esc cancel"), "{s}");
}

#[test]
fn menus_are_as_wide_as_their_wide_character_labels() {
    let label = "中文链接标题：竞争条件的修复说明";
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("findings");
    std::fs::create_dir_all(&f).unwrap();
    std::fs::write(
        f.join("001-pending-p1-a.md"),
        format!("---\nstatus: pending\npriority: p1\n---\n# A\n\nSee [{label}](002-pending-p2-b.md).\n"),
    )
    .unwrap();
    std::fs::write(
        f.join("002-pending-p2-b.md"),
        "---\nstatus: pending\npriority: p2\n---\n# B\n",
    )
    .unwrap();
    let mut a = app_with(findings::store::Repo::open(dir.path()).unwrap(), 80, 24);
    keys(&mut a, &["enter", "L"]);
    let s = screen(&a);
    assert!(s.contains(&format!("link: {label} (002-pending-p2-b.md) → 002")), "{s}");
}

fn selected_id(a: &findings::tui::App) -> String {
    a.selected().map(|m| m.id.clone()).unwrap_or_default()
}

#[test]
fn a_search_that_drops_the_selection_selects_the_best_match() {
    let mut a = app(80, 24);
    keys(&mut a, &["j", "j", "j"]);
    assert_eq!(selected_id(&a), "DATA-001");
    // "race" still shows DATA-001 (4th): kept.
    keys(&mut a, &["/", ":race"]);
    assert_eq!(selected_id(&a), "DATA-001");
    // "existence" drops it: the best match is selected, not whatever row 4
    // holds now.
    keys(&mut a, &["ctrl-u", ":call outcome"]);
    assert_eq!(a.index.shown().len(), 1);
    assert_eq!(selected_id(&a), "DATA-005");
    keys(&mut a, &["ctrl-u", ":prisma"]);
    assert_eq!(selected_id(&a), "ADR-0105", "{:?}", a.row);
    // Taking the query back brings the old selection back.
    keys(&mut a, &["esc"]);
    assert_eq!(a.index.query(), "");
    assert_eq!(selected_id(&a), "DATA-001");
    // Once the user moves, the old one is forgotten.
    keys(&mut a, &["/", ":prisma", "enter", "k"]);
    keys(&mut a, &["x"]);
    assert_eq!(selected_id(&a), "ADR-0105");
    // Opening a document makes it the selection to keep.
    keys(
        &mut a,
        &["g", "j", "j", "j", "/", ":existence", "enter", "enter", "esc", "x"],
    );
    assert_eq!(selected_id(&a), "003");
}

#[test]
fn short_menus_show_their_whole_footer() {
    let mut a = app(80, 24);
    keys(&mut a, &["s"]);
    let s = screen(&a);
    assert!(s.contains("└ enter choose · esc close ─"), "{s}");
}

#[test]
fn refusing_to_triage_says_why_in_full_at_80_columns() {
    let mut a = app(80, 24);
    keys(&mut a, &["j", "j", "enter", "t"]);
    let bar = status_line(&a);
    assert!(
        bar.contains("DATA-005 is resolved; triage is for pending/open/proposed"),
        "{bar}"
    );
}

#[test]
fn narrow_help_keeps_room_for_what_keys_do() {
    let mut a = app(30, 12);
    keys(&mut a, &["enter", "?"]);
    let s = screen(&a);
    assert!(s.contains("triage th") && s.contains("back to"), "{s}");
}

/// The key that dismisses an error box never quits, moves or writes.
#[test]
fn the_key_that_closes_an_error_box_does_nothing_else() {
    for key in ["q", "j", "u", "a", "1", "enter"] {
        let mut a = app(80, 24);
        keys(&mut a, &["t"]);
        let before = a.triage.as_ref().map(|t| t.pos);
        a.error(format!("{key}: a long failure that does not fit the status bar of an eighty column terminal, so it shows in a box above it"));
        assert!(screen(&a).contains(" error "), "{key}\n{}", screen(&a));
        let fx = keys(&mut a, &[key]);
        assert!(fx.is_empty(), "{key} ran {fx:?}");
        assert!(
            !a.quit_requested() && a.screen == findings::tui::Screen::Triage,
            "{key}"
        );
        assert_eq!(a.triage.as_ref().map(|t| t.pos), before, "{key}");
        assert!(a.pending.is_none() && a.popup.is_none(), "{key}");
        assert!(!screen(&a).contains(" error "), "{key}");
    }
}

#[test]
fn esc_in_the_list_clears_the_search_and_the_filters() {
    let mut a = app(80, 24);
    let all = a.index.shown().len();
    keys(&mut a, &["/", ":race", "enter", "f", "space", "esc"]);
    assert!(a.index.shown().len() < all);
    assert!(!a.index.query().is_empty());
    keys(&mut a, &["esc"]);
    assert_eq!(a.index.shown().len(), all);
    assert!(a.index.query().is_empty());
    assert!(status_line(&a).contains("filters cleared"), "{}", status_line(&a));
    keys(&mut a, &["esc"]);
    assert!(
        status_line(&a).contains("no search or filter to clear"),
        "{}",
        status_line(&a)
    );
}

#[test]
fn an_unbound_key_says_so_briefly() {
    let mut a = app(80, 24);
    let row = a.row;
    keys(&mut a, &["%"]);
    assert_eq!(a.row, row);
    let bar = status_line(&a);
    assert!(bar.contains("% does nothing here · ? for help"), "{bar}");
    // In a document too.
    keys(&mut a, &["enter", "%"]);
    assert!(status_line(&a).contains("% does nothing here"), "{}", status_line(&a));
}
