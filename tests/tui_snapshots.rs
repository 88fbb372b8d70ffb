//! Snapshots of the whole terminal UI drawn on ratatui's `TestBackend`
//! after feeding key events, on the bundled samples (findings/, adr/), at
//! 80x24, 200x50 and a tiny 20x5. Snapshots hold the characters; styles
//! (highlights, theme colours) are asserted on the buffer cells.

mod tui_support;

use findings::tui::theme::Theme;
use findings::tui::App;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use tui_support::*;

const SIZES: [(u16, u16); 2] = [(80, 24), (200, 50)];

fn shot(name: &str, keys_: &[&str], w: u16, h: u16) -> (App, Buffer) {
    let mut a = app(w, h);
    keys(&mut a, keys_);
    // Idle work done (the preview beside the list read), as the runner
    // does before it waits for keys.
    while a.busy() {
        findings::tui::update(&mut a, findings::tui::Msg::Work);
    }
    let buf = draw(&a);
    insta::assert_snapshot!(format!("{name}_{w}x{h}"), text(&buf));
    (a, buf)
}

#[test]
fn list() {
    for (w, h) in SIZES {
        shot("list", &[], w, h);
    }
}

#[test]
fn filters() {
    for (w, h) in SIZES {
        // Toggle the first family (todo) and the p1 priority.
        let (a, _) = shot("filters", &["f", "space", "j", "j", "j", "space"], w, h);
        assert_eq!(a.index.filter().priorities, ["p1"]);
        assert_eq!(a.index.shown().len(), 2);
    }
}

#[test]
fn search_highlights_matches() {
    for (w, h) in SIZES {
        let (a, buf) = shot("search", &["/", ":objection"], w, h);
        let th = &a.theme;
        // In the list's row (the preview beside it, from 140 columns, names
        // the title too, unhighlighted).
        let (_, y) = find(&buf, "DATA-001 P2").expect("the row on screen");
        let row = text(&buf).lines().nth(usize::from(y)).unwrap().to_string();
        let x = row.find("ObjectionResponse").expect("title on screen") as u16;
        for dx in 0..9 {
            let c = &buf[(x + dx, y)];
            assert_eq!(c.fg, th.palette.match_fg, "{:?} at {}", c.symbol(), dx);
            assert!(c.modifier.contains(Modifier::BOLD | Modifier::UNDERLINED));
        }
        let (rx, ry) = find(&buf, "Race Condition in Obj").unwrap();
        assert_ne!(buf[(rx, ry)].fg, th.palette.match_fg, "unmatched characters are plain");
        // The search box shows the query with the cursor after it.
        assert!(text(&buf).lines().next().unwrap().starts_with("/ objection"));
    }
}

#[test]
fn search_with_fzf_syntax() {
    let (a, _) = shot("search_fzf", &["/", ":'race !objection ^data"], 80, 24);
    let ids: Vec<_> = a
        .index
        .shown()
        .iter()
        .map(|&i| a.repo.items[i as usize].id.clone())
        .collect();
    assert_eq!(ids, ["DATA-005"]);
}

#[test]
fn detail_of_each_family() {
    for (w, h) in SIZES {
        // 030 is the second row (priority order: 003, 030, DATA-005, DATA-001, ADR-0105).
        shot("detail_todo_030", &["j", "enter"], w, h);
        shot("detail_finding_data_001", &["j", "j", "j", "enter"], w, h);
        let (a, _) = shot("detail_adr_0105", &["G", "enter"], w, h);
        assert_eq!(a.detail.as_ref().unwrap().meta.id, "ADR-0105");
    }
    // Scrolled to the end.
    shot("detail_adr_0105_end", &["G", "enter", "G"], 80, 24);
}

#[test]
fn detail_renders_markdown_structures() {
    let (a, _) = shot("detail_adr_tables", &["G", "enter", "G"], 200, 50);
    let d = a.detail.as_ref().unwrap();
    let all = findings::tui::markdown::plain(&d.rendered.lines);
    assert!(all.contains("┌─ typescript"), "fenced code shows its language");
    assert!(all.contains(" │ "), "tables have column separators");
    assert!(
        all.contains("Upsert (https://www.prisma.io/docs/"),
        "links show text and url"
    );
    assert!(d.links.iter().any(|l| l.target.starts_with("https://www.prisma.io")));
    // Task lists of the todo render as checkboxes.
    let (a, _) = shot("detail_todo_checkboxes", &["j", "enter", "G"], 80, 24);
    let all = findings::tui::markdown::plain(&a.detail.as_ref().unwrap().rendered.lines);
    assert!(all.contains("[ ] Concurrent duplicate assignment requests"), "{all}");
}

#[test]
fn triage_mode() {
    for (w, h) in SIZES {
        shot("triage", &["t"], w, h);
        shot("triage_second", &["t", "d"], w, h);
        shot("triage_skip_dialog", &["t", "s", ":duplicate"], w, h);
    }
    shot("triage_summary", &["t", "d", "d", "q"], 80, 24);
}

#[test]
fn help() {
    for (w, h) in SIZES {
        shot("help_list", &["?"], w, h);
        shot("help_detail", &["enter", "?"], w, h);
        shot("help_triage", &["t", "?"], w, h);
    }
}

#[test]
fn menus_and_forms() {
    shot("status_menu", &["j", "s"], 80, 24);
    shot(
        "work_log_form",
        &["j", "w", ":Added the index", "tab", ":check then insert"],
        80,
        24,
    );
    shot("links_menu", &["G", "enter", "L"], 80, 24);
}

#[test]
fn tiny_terminal() {
    for (name, k) in [
        ("list", &[][..]),
        ("filters", &["f"][..]),
        ("search", &["/", ":race"][..]),
        ("detail", &["enter"][..]),
        ("triage", &["t"][..]),
        ("help", &["?"][..]),
        ("menu", &["s"][..]),
        ("form", &["w", ":x"][..]),
    ] {
        shot(&format!("tiny_{name}"), k, 20, 5);
    }
}

fn themed(name: &str) -> (App, Buffer) {
    let mut a = app(80, 24);
    a.theme = Theme::builtin(name).unwrap();
    let buf = draw(&a);
    (a, buf)
}

#[test]
fn themes_differ_where_it_matters() {
    let mut seen: Vec<(Color, Color, Color)> = Vec::new();
    for name in ["dark", "light", "high-contrast"] {
        let (a, buf) = themed(name);
        insta::assert_snapshot!(format!("theme_{name}"), text(&buf));
        // Row 2 is the selected first row; its priority cell holds "P1".
        let (px, py) = find(&buf, "P1").unwrap();
        let pri = buf[(px, py)].fg;
        assert_eq!(pri, a.theme.palette.priority_p1);
        let sel = buf[(0, py)].bg;
        assert_eq!(sel, a.theme.palette.selection_bg);
        let bar = buf[(30, 23)].bg;
        assert_eq!(bar, a.theme.palette.bar_bg);
        seen.push((pri, sel, bar));
    }
    for i in 0..seen.len() {
        for j in i + 1..seen.len() {
            assert_ne!(seen[i].0, seen[j].0, "priority colours");
            assert_ne!(seen[i].1, seen[j].1, "selection colours");
            assert_ne!(seen[i].2, seen[j].2, "status bar colours");
        }
    }
}

#[test]
fn no_color_keeps_only_modifiers() {
    let mut a = app(200, 24);
    a.theme = Theme::builtin("dark").unwrap().without_color();
    // The list alone (the preview beside it would show 003 too).
    keys(&mut a, &["P"]);
    let buf = draw(&a);
    for c in buf.content() {
        assert_eq!((c.fg, c.bg), (Color::Reset, Color::Reset), "{:?}", c.symbol());
    }
    let (_, y) = find(&buf, "003").unwrap();
    assert!(
        buf[(0, y)].modifier.contains(Modifier::REVERSED),
        "selection stays visible"
    );
    keys(&mut a, &["/", ":race"]);
    let buf = draw(&a);
    let (_, y) = find(&buf, "Race Condition in Dup").unwrap();
    let underlined = (0..200)
        .filter(|&x| buf[(x, y)].modifier.contains(Modifier::UNDERLINED))
        .count();
    assert_eq!(underlined, 4, "matches stay visible");
}
