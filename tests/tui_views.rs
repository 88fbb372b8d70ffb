//! The list's preview pane, the board and the stats view (issue 12 items
//! 2, 3 and 11), on the bundled samples: insta snapshots drawn on ratatui's
//! `TestBackend` (the preview at 200x50 and 140x40, the list alone at 139
//! columns, the board at 120x30 and 60x20, the stats view before and after
//! its trend arrives), and what the keys do to the state: the preview read
//! only when idle, `P`, the board's navigation, a card moved through the
//! same status write as `s`, the stats view's trend asked of the runtime.

mod tui_support;

use chrono::NaiveDate;
use findings::stats::{Trend, Week};
use findings::tui::{update, App, Effect, Msg, Runtime};
use tui_support::*;

/// The app at `w`x`h` after `names`, with idle work done (the preview
/// read), and its screen.
fn idle_shot(name: &str, names: &[&str], w: u16, h: u16) -> (App, String) {
    let mut a = app(w, h);
    keys(&mut a, names);
    while a.busy() {
        update(&mut a, Msg::Work);
    }
    let s = screen(&a);
    insta::assert_snapshot!(format!("{name}_{w}x{h}"), s);
    (a, s)
}

fn selected_id(a: &App) -> String {
    a.selected().map(|m| m.id.clone()).unwrap_or_default()
}

#[test]
fn preview_beside_the_list_from_140_columns() {
    let (_, s) = idle_shot("preview", &[], 200, 50);
    // The first row (003) is rendered on the right, as the detail view
    // renders it: header, rule, body.
    let row = s
        .lines()
        .find(|l| l.contains("path findings/003-"))
        .expect("preview header");
    assert!(row.find("path findings/").unwrap() > 80, "{row}");
    assert!(s.contains("Problem Statement"), "the body is rendered:\n{s}");
    // The list keeps its columns on the left.
    assert!(s.lines().nth(1).unwrap().starts_with("ID "), "{s}");
    let (_, s) = idle_shot("preview", &["j"], 140, 40);
    assert!(
        s.contains("path findings/030-"),
        "the preview follows the selection:\n{s}"
    );
    // At 139 columns there is no preview.
    let (_, s) = idle_shot("list_no_preview", &[], 139, 40);
    assert!(!s.contains("path findings/"), "{s}");
}

#[test]
fn the_preview_reads_only_when_idle_and_keeps_what_it_read() {
    let mut a = app(200, 50);
    // Keys only move the selection: nothing is read while they come.
    keys(&mut a, &["j", "j", "j"]);
    assert!(a.busy(), "the preview waits for idle time");
    let s = screen(&a);
    assert!(s.contains("reading…"), "{s}");
    assert!(
        s.contains("path findings/DATA-001-"),
        "its header is known already:\n{s}"
    );
    update(&mut a, Msg::Work);
    assert!(!a.busy());
    assert!(!screen(&a).contains("reading…"));
    // Back up and down again: kept, nothing left to read.
    keys(&mut a, &["k"]);
    update(&mut a, Msg::Work);
    keys(&mut a, &["j"]);
    assert!(!a.busy(), "a document read before is kept");
    // `P` hides it (and says so); the list takes the whole width.
    keys(&mut a, &["P"]);
    assert!(!a.preview().is_on());
    let s = screen(&a);
    assert!(!s.contains("path findings/") && s.contains("preview off"), "{s}");
    assert!(!a.busy());
    keys(&mut a, &["P"]);
    assert!(a.preview().is_on());
    // Below 140 columns `P` says where it shows.
    let mut narrow = app(100, 30);
    keys(&mut narrow, &["P", "P"]);
    assert!(screen(&narrow).contains("140 columns"), "{}", screen(&narrow));
}

#[test]
fn columns_are_sized_from_what_is_shown_at_every_size() {
    let samples = repo();
    for w in [1u16, 10, 20, 40, 60, 80, 100, 120, 139, 140, 160, 200] {
        for h in [1u16, 3, 5, 10, 24, 50] {
            for k in [&[][..], &["b"][..], &["S"][..], &["b", "l", "l"][..]] {
                let mut a = app_with(samples.clone(), w, h);
                keys(&mut a, k);
                update(&mut a, Msg::Work);
                let s = screen(&a);
                assert_eq!(s.lines().count(), usize::from(h), "{w}x{h} {k:?}");
            }
        }
    }
    // IDs as wide as the widest shown: `003` and `030` alone after a search.
    let mut a = app(80, 24);
    keys(&mut a, &["/", ":duplicate", "enter"]);
    let s = screen(&a);
    let row = s.lines().find(|l| l.starts_with("030")).expect("030's row");
    assert!(row.starts_with("030 P1"), "{row}");
    // Titles first; the tags take the room left (29 columns here, where
    // a sixth of the width gave them 23).
    let s = screen(&app(139, 20));
    assert!(s.contains("Create Duplicate Data code-review data-integrity p…"), "{s}");
}

#[test]
fn board_snapshots() {
    let (a, s) = idle_shot("board", &["b"], 120, 30);
    assert_eq!(a.board().map(|b| b.kind().as_str()), Some("todo"));
    assert!(s.contains("pending 2") && s.contains("ready 0"), "{s}");
    assert!(s.contains(" BOARD "), "the status bar names the mode:\n{s}");
    // A narrow terminal shows fewer columns, scrolled to the focused one.
    let (_, s) = idle_shot("board", &["b"], 60, 20);
    assert!(s.contains("columns 1-2 of 4"), "{s}");
    let (_, s) = idle_shot("board_scrolled", &["b", "l", "l", "l"], 60, 20);
    assert!(s.contains("columns 3-4 of 4") && s.contains("wontfix 0"), "{s}");
    // Another family: findings, with their own workflow's columns.
    let (a, s) = idle_shot("board_findings", &["b", "tab"], 120, 30);
    assert_eq!(a.board().map(|b| b.kind().as_str()), Some("finding"));
    assert!(s.contains("open 1") && s.contains("resolved 1"), "{s}");
}

#[test]
fn board_navigation_selects_the_lists_rows() {
    let mut a = app(120, 30);
    keys(&mut a, &["b"]);
    assert_eq!(selected_id(&a), "003");
    keys(&mut a, &["j"]);
    assert_eq!(selected_id(&a), "030");
    keys(&mut a, &["j"]);
    assert_eq!(selected_id(&a), "030", "the column's last card stays selected");
    // Right: an empty column takes the focus; the card stays the list's.
    keys(&mut a, &["l"]);
    assert_eq!(a.board().map(|b| b.column()), Some(1));
    keys(&mut a, &["h"]);
    assert_eq!(a.board().map(|b| b.column()), Some(0));
    // Tab: findings (DATA-005 is first in the list's order), then ADRs.
    keys(&mut a, &["tab"]);
    assert_eq!(selected_id(&a), "DATA-005");
    keys(&mut a, &["tab"]);
    assert_eq!(selected_id(&a), "ADR-0105");
    // Enter opens the card; back returns to the board; esc to the list.
    keys(&mut a, &["enter"]);
    assert!(screen(&a).contains(" DETAIL "));
    keys(&mut a, &["esc"]);
    assert!(screen(&a).contains(" BOARD "));
    keys(&mut a, &["esc"]);
    assert!(a.board().is_none());
    assert!(screen(&a).contains(" LIST "));
    // The search box opens on the board too, and narrows the cards.
    keys(&mut a, &["b", "/", ":'assignment"]);
    let s = screen(&a);
    assert!(
        s.starts_with("/ 'assignment") && s.contains("pending 1") && s.contains(" BOARD "),
        "{s}"
    );
    keys(&mut a, &["esc"]);
    assert!(screen(&a).contains("pending 2"), "esc takes the query back");
    keys(&mut a, &["esc"]);
    // Filters and search apply: only what the list shows is on the board.
    keys(&mut a, &["/", ":'assignment", "enter", "b"]);
    let s = screen(&a);
    assert!(
        s.contains("todo 1") && s.contains("pending 1") && !s.contains("finding"),
        "{s}"
    );
}

#[test]
fn moving_a_card_is_the_status_write_of_s() {
    let fake = Fake::default();
    let calls = fake.calls.clone();
    let mut rt = Runtime::new(fake);
    let mut a = app(120, 30);
    keys(&mut a, &["b", "j"]);
    assert_eq!(selected_id(&a), "030");
    let fx = keys(&mut a, &[">"]);
    assert!(
        matches!(&fx[..], [Effect::SetStatus { path, to, .. }]
            if path == "findings/030-pending-p1-race-condition-duplicate-assignment.md" && to == "ready"),
        "{fx:?}"
    );
    settle(&mut a, &mut rt, fx);
    assert_eq!(
        calls.lock().unwrap().as_slice(),
        ["status findings/030-pending-p1-race-condition-duplicate-assignment.md -> ready reason=None"]
    );
    assert!(screen(&a).contains("committed"), "{}", screen(&a));
    // Undo is the session's, as for any write.
    let fx = keys(&mut a, &["u"]);
    assert!(matches!(&fx[..], [Effect::UndoLast]), "{fx:?}");
    settle(&mut a, &mut rt, fx);
    // Left of the first column: nothing to move to, nothing written.
    keys(&mut a, &["k"]);
    let fx = keys(&mut a, &["<"]);
    assert!(fx.is_empty() && screen(&a).contains("first column"), "{}", screen(&a));
    // A move that needs a reason asks for it, as the status menu does
    // (findings: open, triaged, in_progress, blocked, resolved, wont_fix).
    keys(&mut a, &["tab"]);
    assert_eq!(selected_id(&a), "DATA-005");
    let fx = keys(&mut a, &[">"]);
    assert!(fx.is_empty(), "{fx:?}");
    let s = screen(&a);
    assert!(
        s.contains("DATA-005: resolved → wont_fix") && s.contains("Reason"),
        "{s}"
    );
    let fx = keys(&mut a, &[":duplicate of DATA-001", "enter"]);
    assert!(
        matches!(&fx[..], [Effect::SetStatus { to, reason: Some(r), .. }] if to == "wont_fix" && r == "duplicate of DATA-001"),
        "{fx:?}"
    );
    // A move the workflow does not have is refused with the moves it has:
    // an accepted ADR goes to deprecated or superseded, not back.
    let mut c = app(120, 30);
    keys(&mut c, &["G", "b"]);
    assert_eq!(selected_id(&c), "ADR-0105");
    let fx = keys(&mut c, &["<"]);
    assert!(fx.is_empty(), "{fx:?}");
    let s = screen(&c);
    assert!(
        s.contains("the adr workflow has no move from accepted to proposed (its moves: deprecated, superseded)"),
        "{s}"
    );
    // An empty column has no card to act on.
    let mut b = app(120, 30);
    keys(&mut b, &["b", "l"]);
    let fx = keys(&mut b, &["s"]);
    assert!(
        fx.is_empty() && screen(&b).contains("no card selected"),
        "{}",
        screen(&b)
    );
    assert!(!screen(&b).contains(" MENU "));
}

fn trend() -> Trend {
    let start = NaiveDate::from_ymd_opt(2025, 11, 10).unwrap();
    Trend {
        weeks: (0..12)
            .map(|i| Week {
                start: start + chrono::Duration::weeks(i),
                opened: [1, 0, 3, 2, 0, 0, 4, 1, 0, 2, 1, 0][i as usize],
                closed: [0, 0, 1, 1, 2, 0, 1, 3, 0, 1, 0, 2][i as usize],
            })
            .collect(),
        commits: 30,
        truncated: false,
        unavailable: None,
    }
}

#[test]
fn stats_view_counts_and_reads_the_trend_in_the_runtime() {
    let mut a = app(120, 36);
    let fx = keys(&mut a, &["S"]);
    assert!(matches!(&fx[..], [Effect::LoadTrend { weeks: 12, .. }]), "{fx:?}");
    let s = screen(&a);
    insta::assert_snapshot!("stats_reading_120x36", s);
    assert!(s.contains("reading history…") && s.contains(" STATS "), "{s}");
    let st = a.stats().unwrap().counts();
    assert_eq!((st.total, st.open), (5, 4));
    update(&mut a, Msg::TrendLoaded(Box::new(trend())));
    let s = screen(&a);
    insta::assert_snapshot!("stats_120x36", s);
    assert!(s.contains("opened 14") && s.contains("closed 11"), "{s}");
    assert!(!s.contains("reading history…"));
    // Esc goes back where it came from.
    keys(&mut a, &["esc"]);
    assert!(screen(&a).contains(" LIST "));
    keys(&mut a, &["enter", "S", "S"]);
    assert!(screen(&a).contains(" DETAIL "), "{}", screen(&a));

    // The runtime reads the trend from git on a thread of its own.
    let tmp = tempfile::tempdir().unwrap();
    let repo = findings::store::Repo::open(tmp.path()).unwrap();
    let mut a = app_with(repo, 80, 24);
    let mut rt = Runtime::new(Fake::default());
    let fx = keys(&mut a, &["S"]);
    settle(&mut a, &mut rt, fx);
    let s = screen(&a);
    insta::assert_snapshot!("stats_no_git_80x24", s);
    assert!(s.contains("no trend: not a git repository"), "{s}");
}

#[test]
fn help_lists_the_views_keys() {
    let mut a = app(120, 60);
    keys(&mut a, &["?"]);
    let s = screen(&a);
    assert!(
        s.contains("preview pane") && s.contains("board: a column per status") && s.contains("stats:"),
        "{s}"
    );
    let mut a = app(120, 60);
    keys(&mut a, &["b", "?"]);
    let s = screen(&a);
    assert!(
        s.contains("move the card to the next status") && s.contains("next family"),
        "{s}"
    );
}

#[test]
fn the_mouse_selects_and_opens_cards() {
    use crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
    let click = |a: &mut App, x: u16, y: u16| {
        let m = MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: x,
            row: y,
            modifiers: KeyModifiers::NONE,
        };
        update(a, Msg::Mouse(m))
    };
    let mut a = app(120, 30);
    keys(&mut a, &["b"]);
    let buf = draw(&a);
    let (x, y) = find(&buf, "030 P1").expect("030's card");
    click(&mut a, x + 3, y + 1);
    assert_eq!(selected_id(&a), "030");
    // A column's head focuses it.
    click(&mut a, 40, 2);
    assert_eq!(a.board().map(|b| b.column()), Some(1));
    // Twice on a card opens it.
    click(&mut a, x, y);
    click(&mut a, x, y);
    assert!(screen(&a).contains(" DETAIL "), "{}", screen(&a));
    // The wheel moves within the column.
    keys(&mut a, &["esc"]);
    let m = MouseEvent {
        kind: MouseEventKind::ScrollUp,
        column: 5,
        row: 10,
        modifiers: KeyModifiers::NONE,
    };
    update(&mut a, Msg::Mouse(m));
    assert_eq!(selected_id(&a), "003");
}

/// A repository of `n` pending todos and one whose status no workflow knows.
fn many_todos(n: usize) -> (tempfile::TempDir, findings::store::Repo) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("todos");
    std::fs::create_dir_all(&dir).unwrap();
    for i in 1..=n {
        let text = format!("---\nstatus: pending\npriority: p2\n---\n# Todo number {i}\n");
        std::fs::write(dir.join(format!("{i:03}-pending-p2-todo-{i}.md")), text).unwrap();
    }
    std::fs::write(
        dir.join("099-odd.md"),
        "---\nstatus: simmering\npriority: p3\n---\n# An odd one\n",
    )
    .unwrap();
    let repo = findings::store::Repo::open(tmp.path()).unwrap();
    (tmp, repo)
}

#[test]
fn board_columns_scroll_on_their_own_and_unknown_statuses_go_to_other() {
    let (_tmp, repo) = many_todos(12);
    let mut a = app_with(repo, 60, 20);
    keys(&mut a, &["b"]);
    let s = screen(&a);
    assert!(s.contains("pending 12") && s.contains("↓ 7 more"), "{s}");
    keys(&mut a, &["j", "j", "j", "j", "j", "j", "j"]);
    let s = screen(&a);
    insta::assert_snapshot!("board_scrolled_column_60x20", s);
    assert!(s.contains("↑ 3 more") && s.contains("↓ 4 more"), "{s}");
    // The other columns keep their own place; the last holds `simmering`.
    keys(&mut a, &["G"]);
    assert_eq!(selected_id(&a), "012");
    keys(&mut a, &["l", "l", "l", "l"]);
    let s = screen(&a);
    assert!(s.contains("other 1") && s.contains("099"), "{s}");
    assert_eq!(selected_id(&a), "099");
    // Its status is not one of the workflow's: no move from there.
    let fx = keys(&mut a, &[">"]);
    assert!(
        fx.is_empty() && screen(&a).contains("not one of the workflow's"),
        "{}",
        screen(&a)
    );
    // Back in the first column, its place is where it was left.
    keys(&mut a, &["h", "h", "h", "h"]);
    let s = screen(&a);
    assert!(s.contains("↑ 7 more"), "{s}");
}

#[test]
fn the_stats_view_opens_over_triage_and_goes_back_to_it() {
    let mut a = app(100, 30);
    keys(&mut a, &["t"]);
    assert!(screen(&a).contains(" TRIAGE "));
    let fx = keys(&mut a, &["S"]);
    assert!(matches!(&fx[..], [Effect::LoadTrend { .. }]), "{fx:?}");
    assert!(screen(&a).contains(" STATS "));
    keys(&mut a, &["q"]);
    assert!(screen(&a).contains(" TRIAGE "), "{}", screen(&a));
}
