//! The terminal UI starts from the document index: its documents show at
//! once, and the repository checked against the files replaces them, so a
//! change made since the index was written is on screen when the load ends.

mod tui_support;

use findings::store::Repo;
use findings::tui::{App, Effect, LoadStep, Msg, Runtime};
use std::time::Duration;
use tui_support::*;

#[test]
fn the_index_shows_first_and_the_files_win() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join(".git")).unwrap();
    std::fs::create_dir_all(tmp.path().join("todos")).unwrap();
    let write = |n: usize, title: &str| {
        std::fs::write(
            tmp.path().join(format!("todos/{n:03}-pending-p2-x.md")),
            format!("---\nstatus: pending\npriority: p2\n---\n# {title}\n"),
        )
        .unwrap()
    };
    for n in 1..=30 {
        write(n, &format!("Item {n}"));
    }
    // This process's index (the key names the running executable).
    Repo::open(tmp.path()).unwrap();
    assert!(tmp.path().join(".git/findings/index").is_file());
    write(7, "Changed since");
    std::fs::remove_file(tmp.path().join("todos/030-pending-p2-x.md")).unwrap();

    let mut app = app_with(Repo::config_only(tmp.path()).unwrap(), 100, 40);
    let mut rt = Runtime::new(Fake::default());
    let mut local = |_: &mut App, e: Effect| -> Option<Msg> { panic!("{e:?}") };
    assert!(rt.start(&mut app, Effect::Load, &mut local).is_none());
    let mut first = None;
    while rt.busy() {
        let m = rt.next(Duration::from_secs(120)).expect("the load answers");
        if first.is_none() {
            if let Msg::Load(LoadStep::Batch { items, .. }) = &m {
                first = Some(items.len());
            }
        }
        rt.dispatch(&mut app, m, &mut local);
    }
    assert_eq!(first, Some(30), "the index's documents first, as they were");
    assert!(!app.is_loading());
    assert_eq!(app.repo.items.len(), 29);
    let s = screen(&app);
    assert!(s.contains("Changed since") && !s.contains("Item 7 "), "{s}");
}
