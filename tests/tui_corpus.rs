//! The terminal UI over the real-world sample corpus (../shared/corpus):
//! every document lists, opens, renders and scrolls at several sizes
//! without panicking, and no control character reaches a screen cell.
//! A missing corpus fails under `CI=true`; elsewhere the tests are skipped
//! with a printed reason.

mod common;
mod tui_support;

use findings::store::config::Config;
use findings::store::Repo;
use findings::tui::app::Screen;
use findings::tui::{update, Msg};
use ratatui::buffer::Buffer;
use tui_support::*;

fn corpus() -> Option<Repo> {
    let root = common::corpus_dir()?;
    let config = Config {
        folders: Some(vec![".".into()]),
        ..Config::default()
    };
    Some(Repo::open_with(&root, config))
}

fn assert_inert(buf: &Buffer, what: &str) {
    for c in buf.content() {
        assert!(
            !c.symbol().chars().any(|ch| ch.is_control()),
            "{what}: control character {:?} on screen",
            c.symbol()
        );
    }
}

#[test]
fn every_corpus_document_renders_at_every_size() {
    let Some(repo) = corpus() else { return };
    let n = repo.items.len();
    assert!(n > 100, "corpus loaded only {n} documents");
    let mut a = app_with(repo, 120, 40);
    assert_inert(&draw(&a), "list");
    for i in 0..n {
        a.select_row(i);
        keys(&mut a, &["enter"]);
        assert_eq!(a.screen, Screen::Detail);
        let what = a.detail.as_ref().map(|d| d.path.clone()).unwrap_or_default();
        for (w, h) in [(120, 40), (20, 5)] {
            update(&mut a, Msg::Resize(w, h));
            assert_inert(&draw(&a), &what);
            keys(&mut a, &["G"]);
            assert_inert(&draw(&a), &what);
            keys(&mut a, &["g"]);
        }
        keys(&mut a, &["esc"]);
    }
    // Triage over the corpus queue, deferring every item.
    update(&mut a, Msg::Resize(100, 30));
    keys(&mut a, &["t"]);
    if a.screen == Screen::Triage {
        let total = a.triage.as_ref().map(|t| t.queue.len()).unwrap_or(0);
        for _ in 0..total {
            assert_inert(&draw(&a), "triage");
            keys(&mut a, &["d"]);
        }
        assert_inert(&draw(&a), "summary");
    }
}

#[test]
fn corpus_facets_and_search() {
    let Some(repo) = corpus() else { return };
    let mut a = app_with(repo, 160, 50);
    keys(&mut a, &["f"]);
    let values = a.facets.as_ref().map(|p| p.values.len()).unwrap_or(0);
    assert!(values > 10, "{values} facet values");
    for _ in 0..values {
        keys(&mut a, &["space"]);
        assert_inert(&draw(&a), "facets");
        keys(&mut a, &["space", "j"]);
    }
    keys(&mut a, &["esc", "x", "/", ":race", "enter"]);
    assert!(!a.index.shown().is_empty());
    assert_inert(&draw(&a), "search");
    for sort in 0..5 {
        keys(&mut a, &["o"]);
        assert_inert(&draw(&a), &format!("sort {sort}"));
    }
}
