//! The streaming load: the terminal UI opens on a repository with only its
//! configuration read, draws at once, and shows the documents batch by
//! batch as the runtime's load thread reads them, with a progress line and
//! the selected document kept selected while rows arrive.

mod tui_support;

use findings::store::Repo;
use findings::tui::{App, Effect, LoadStep, Msg, Runtime};
use std::time::Duration;
use tui_support::*;

/// `n` pending todos whose priorities cycle p0..p3, so documents read later
/// sort above ones read earlier.
fn repo_of(n: usize) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("todos");
    std::fs::create_dir_all(&dir).unwrap();
    for i in 1..=n {
        let p = i % 4;
        std::fs::write(
            dir.join(format!("{i:04}-pending-p{p}-item-{i}.md")),
            format!("---\nstatus: pending\npriority: p{p}\n---\n# Item {i}\n"),
        )
        .unwrap();
    }
    tmp
}

/// `1234` as `1,234`: the status bar's own formatting.
use findings::tui::screen::status::thousands;

fn selected_path(app: &App) -> Option<String> {
    app.selected().map(|m| m.path.clone())
}

#[test]
fn rows_arrive_in_batches_with_progress_and_the_selection_stays() {
    let n = 1300;
    let tmp = repo_of(n);
    let mut app = app_with(Repo::config_only(tmp.path()).unwrap(), 80, 24);
    assert!(app.is_loading());
    // The first frame needs nothing read.
    let first = screen(&app);
    assert!(first.contains("Reading the documents"), "{first}");

    let mut rt = Runtime::new(Fake::default());
    let mut local = |_: &mut App, e: Effect| -> Option<Msg> { panic!("{e:?}") };
    assert!(rt.start(&mut app, Effect::Load, &mut local).is_none());
    assert!(rt.busy());

    let mut batches = 0;
    let mut chosen: Option<String> = None;
    while rt.busy() {
        let m = rt.next(Duration::from_secs(120)).expect("the load answers");
        let last = matches!(m, Msg::Load(LoadStep::Done(_)));
        rt.dispatch(&mut app, m, &mut local);
        if last {
            break;
        }
        batches += 1;
        let (done, total) = app.load_progress().expect("progress while loading");
        // No total while the walk still finds files.
        assert!(total == n || total == 0, "{total}");
        assert_eq!(app.repo.items.len(), done, "every file read is a row");
        let s = screen(&app);
        let progress = match total {
            0 => format!("loading {}…", thousands(done)),
            _ => format!("loading {} / 1,300", thousands(done)),
        };
        assert!(s.contains(&progress), "{progress} in\n{s}");
        match &chosen {
            // Pick a document in the middle of the first batch.
            None => {
                keys(&mut app, &["j", "j", "j", "j", "j"]);
                chosen = selected_path(&app);
                assert!(chosen.is_some());
            }
            Some(p) => assert_eq!(selected_path(&app).as_ref(), Some(p), "after batch {batches}"),
        }
    }
    // Batches already waiting are taken as one, so how many there were
    // depends on timing; the reader's own batches are checked below.
    assert!(batches >= 1, "read in {batches} batch(es)");
    assert!(!app.is_loading() && app.load_progress().is_none());
    assert_eq!(app.index.shown().len(), n);
    assert_eq!(
        selected_path(&app),
        chosen,
        "the selection survives the end of the load"
    );
    assert!(!screen(&app).contains("loading"));
}

#[test]
fn a_reload_that_ends_the_load_first_wins_over_later_batches() {
    let tmp = repo_of(20);
    let mut app = app_with(Repo::config_only(tmp.path()).unwrap(), 80, 24);
    let full = Repo::open(tmp.path()).unwrap();
    let mut rt = Runtime::new(Fake::default());
    let mut local = |_: &mut App, e: Effect| -> Option<Msg> { panic!("{e:?}") };
    rt.dispatch(&mut app, Msg::Reloaded(Box::new(Ok(full))), &mut local);
    assert!(!app.is_loading());
    // A batch or the end of a load arriving after that changes nothing.
    let stale = app.repo.items[..3].to_vec();
    rt.dispatch(
        &mut app,
        Msg::Load(LoadStep::Batch {
            items: stale,
            done: 3,
            total: 20,
        }),
        &mut local,
    );
    rt.dispatch(
        &mut app,
        Msg::Load(LoadStep::Done(Box::new(Err("late".into())))),
        &mut local,
    );
    assert_eq!(app.repo.items.len(), 20);
    assert!(app.message.is_none(), "{:?}", app.message);
}

#[test]
fn the_reader_reports_growing_batches_as_the_walk_finds_files_and_ends_as_open_does() {
    let tmp = repo_of(1300);
    let config = findings::store::config::Config::load(tmp.path()).unwrap();
    let mut seen: Vec<(usize, usize, usize)> = Vec::new();
    let mut paths: Vec<String> = Vec::new();
    let repo = Repo::open_in_batches(tmp.path(), config, |b| {
        seen.push((b.items.len(), b.done, b.total));
        paths.extend(b.items.iter().map(|m| m.path.clone()));
    });
    // The total is known once the walk has ended (0 before).
    assert_eq!(seen, vec![(512, 512, 0), (788, 1300, 1300)]);
    let open = Repo::open(tmp.path()).unwrap();
    let all: Vec<String> = open.items.iter().map(|m| m.path.clone()).collect();
    paths.sort();
    assert_eq!(paths, all, "the batches are every document");
    assert_eq!(repo.items.len(), open.items.len());
    let ordered: Vec<String> = repo.items.iter().map(|m| m.path.clone()).collect();
    assert_eq!(ordered, all, "the repository is in path order");
}
