//! The list search over the documents' texts (a row found by its text shows
//! the matching line) and find inside an open document (`/`, `n`, `N`),
//! drawn on ratatui's `TestBackend` from the bundled samples.

mod tui_support;

use findings::tui::App;
use ratatui::buffer::Buffer;
use ratatui::style::Modifier;
use tui_support::*;

/// The IDs shown, in order.
fn ids(a: &App) -> Vec<String> {
    a.index
        .shown()
        .iter()
        .map(|&i| a.repo.items[i as usize].id.clone())
        .collect()
}

/// Cells of `needle`'s first occurrence on screen.
fn cells_of<'a>(buf: &'a Buffer, needle: &str) -> Vec<&'a ratatui::buffer::Cell> {
    let (x, y) = find(buf, needle).unwrap_or_else(|| panic!("{needle:?} on screen:\n{}", text(buf)));
    (0..needle.chars().count() as u16).map(|dx| &buf[(x + dx, y)]).collect()
}

#[test]
fn the_list_search_finds_every_document_whose_text_says_it() {
    let mut a = app(80, 24);
    // The first query of three letters reads the texts off the UI thread.
    keys(&mut a, &["/", ":pri"]);
    assert!(a.index.searching());
    assert!(screen(&a).contains("searching bodies…"), "{}", screen(&a));
    keys(&mut a, &[":sma"]);
    a.settle_query();
    assert!(!screen(&a).contains("searching bodies…"));
    let root = a.repo.root.clone();
    let mut want: Vec<String> = a
        .repo
        .items
        .iter()
        .filter(|m| {
            std::fs::read_to_string(root.join(&m.path))
                .unwrap()
                .to_lowercase()
                .contains("prisma")
        })
        .map(|m| m.id.clone())
        .collect();
    let mut got = ids(&a);
    assert_eq!(got[0], "ADR-0105", "the title as typed first");
    got.sort();
    want.sort();
    assert_eq!(got, want);
    let buf = draw(&a);
    insta::assert_snapshot!("body_hit_80x24", text(&buf));
    // The line is shown, its match highlighted.
    let th = &a.theme;
    for c in cells_of(&buf, "prisma.callSession")[..6].iter() {
        assert_eq!(c.fg, th.palette.match_fg, "{:?}", c.symbol());
    }
}

#[test]
fn a_body_hit_at_200_columns() {
    let mut a = app(200, 50);
    keys(&mut a, &["/", ":transaction"]);
    a.settle_query();
    insta::assert_snapshot!("body_hit_200x50", text(&draw(&a)));
}

#[test]
fn find_in_a_document_highlights_and_steps_through_matches() {
    let mut a = app(80, 24);
    let row = a
        .index
        .shown()
        .iter()
        .position(|&i| a.repo.items[i as usize].id == "030")
        .unwrap();
    keys(&mut a, &["g"]);
    for _ in 0..row {
        keys(&mut a, &["j"]);
    }
    keys(&mut a, &["enter"]);
    assert_eq!(a.detail.as_ref().map(|d| d.meta.id.as_str()), Some("030"));
    keys(&mut a, &["/", ":prisma"]);
    assert!(screen(&a).contains("/prisma"), "the prompt on the rule");
    keys(&mut a, &["enter"]);
    let msg = a.message.as_ref().map(|m| m.text.clone()).unwrap_or_default();
    assert!(msg.starts_with("match 1/"), "{msg}");
    keys(&mut a, &["n", "n"]);
    let msg = a.message.as_ref().map(|m| m.text.clone()).unwrap_or_default();
    assert!(msg.starts_with("match 3/"), "{msg}");
    let buf = draw(&a);
    insta::assert_snapshot!("find_in_document_80x24", text(&buf));
    assert!(text(&buf).contains("match 3/"), "the rule says where we are");
    // The current match is reversed, the others only highlighted.
    let cur: Vec<_> = (0..buf.area.height)
        .flat_map(|y| (0..buf.area.width).map(move |x| (x, y)))
        .filter(|&p| buf[p].modifier.contains(Modifier::REVERSED) && buf[p].fg == a.theme.palette.match_fg)
        .collect();
    assert_eq!(cur.len(), "prisma".len(), "one current match: {cur:?}");
    // N goes back; from the first match it wraps to the last.
    keys(&mut a, &["N", "N", "N"]);
    let msg = a.message.as_ref().map(|m| m.text.clone()).unwrap_or_default();
    let total: usize = msg.rsplit('/').next().unwrap().parse().unwrap();
    assert_eq!(msg, format!("match {total}/{total}"));
    // J moves to the next document, n no longer does; the phrase goes along.
    keys(&mut a, &["J"]);
    assert_ne!(a.detail.as_ref().map(|d| d.meta.id.as_str()), Some("030"));
    assert!(screen(&a).contains("/prisma"));
    // Esc in the prompt takes the phrase back; Enter on nothing clears it.
    keys(&mut a, &["/", "ctrl-u", "enter"]);
    assert!(a.detail.as_ref().unwrap().find.is_none());
    keys(&mut a, &["n"]);
    assert!(a.message.as_ref().unwrap().text.contains("/ finds in the document"));
}

#[test]
fn the_help_lists_find_and_the_document_keys() {
    let mut a = app(80, 40);
    keys(&mut a, &["enter", "?"]);
    let s = text(&draw(&a));
    assert!(s.contains("find in the document"), "{s}");
    assert!(s.contains("next match"), "{s}");
}

#[test]
fn pasting_into_the_find_prompt_finds() {
    let mut a = app(80, 24);
    keys(&mut a, &["enter", "/"]);
    findings::tui::update(&mut a, findings::tui::Msg::Paste("race\nsecond line".into()));
    assert_eq!(a.detail.as_ref().unwrap().find.as_ref().unwrap().phrase(), "race");
    assert!(screen(&a).contains("match 1/"), "{}", screen(&a));
    keys(&mut a, &["esc"]);
    assert!(a.detail.as_ref().unwrap().find.is_none(), "esc takes back to no find");
}
