//! Tests of the list's filter engine: the finished result equals
//! `query::select` whatever the steps, jobs and narrowing; the text search.

use super::*;
use crate::document::Document;
use crate::search::cache::TextCache;
use crate::tui::screen::facets::values::*;

fn items() -> Vec<Meta> {
    let mk = |p: &str, t: &str| Document::parse(p, t.to_string()).meta;
    vec![
        mk(
            "findings/030-pending-p1-a.md",
            "---\nstatus: pending\npriority: p1\nissue_id: \"030\"\ntags: [race]\n---\n# Race in assignment\n",
        ),
        mk(
            "findings/031-ready-p2-b.md",
            "---\nstatus: ready\npriority: p2\nissue_id: \"031\"\n---\n# Cache stale\n",
        ),
        mk(
            "findings/DATA-001-open-P2-c.md",
            "---\nid: DATA-001\nstatus: open\npriority: P2\ntags: [race, db]\n---\n# Race C\n",
        ),
        mk("adr/0001-use-x.md", "# ADR 1: Use racecar\n\n## Status\n\nAccepted\n"),
    ]
}

#[test]
fn matches_select_for_every_sort_and_query() {
    let items = items();
    for sort in SortKey::ALL {
        for q in ["", "race", "rac", "!race", "^DATA", "c$", "zzz"] {
            for f in [
                Filter::default(),
                Filter {
                    priorities: vec!["p2".into()],
                    ..Default::default()
                },
            ] {
                let ix = Index::new(&items, sort, f.clone(), q);
                let want: Vec<u32> = query::select(&items, &f, q, sort)
                    .into_iter()
                    .map(|i| i as u32)
                    .collect();
                assert_eq!(ix.shown(), want, "{sort:?} {q:?} {f:?}");
            }
        }
    }
}

#[test]
fn scoring_in_steps_gives_the_same_result() {
    let items = items();
    for q in ["r", "race", "c", "!race", "zzz"] {
        let want: Vec<u32> = query::select(&items, &Filter::default(), q, SortKey::Priority)
            .into_iter()
            .map(|i| i as u32)
            .collect();
        let mut ix = Index::new(&items, SortKey::Priority, Filter::default(), "");
        ix.set_step(1);
        ix.set_query(q);
        let mut steps = 1;
        while ix.busy() {
            assert!(ix.progress().is_some());
            ix.step();
            steps += 1;
        }
        assert_eq!(ix.shown(), want, "{q}");
        assert!(steps >= want.len().min(4), "{q}: {steps}");
    }
    // Typing on while a query is still being scored narrows correctly.
    let mut ix = Index::new(&items, SortKey::Id, Filter::default(), "");
    ix.set_step(1);
    for q in ["r", "ra", "rac", "race"] {
        ix.set_query(q);
        ix.step();
    }
    ix.finish();
    let want: Vec<u32> = query::select(&items, &Filter::default(), "race", SortKey::Id)
        .into_iter()
        .map(|i| i as u32)
        .collect();
    assert_eq!(ix.shown(), want);
}

#[test]
fn background_jobs_give_the_same_result_and_cancel() {
    let words = ["race", "cache", "lock", "stale", "token", "retry"];
    let items: Vec<Meta> = (0..3 * STEP)
        .map(|i| {
            let text = format!(
                "---\nstatus: pending\npriority: p{}\n---\n# {} {} {i}\n",
                i % 4,
                words[i % words.len()],
                words[(i / 7) % words.len()]
            );
            Document::parse(&format!("todos/{i:05}-pending-p1-x.md"), text).meta
        })
        .collect();
    let want = |q: &str| -> Vec<u32> {
        query::select(&items, &Filter::default(), q, SortKey::Priority)
            .into_iter()
            .map(|i| i as u32)
            .collect()
    };
    let mut ix = Index::new(&items, SortKey::Priority, Filter::default(), "");
    // A job per query, each replaced (cancelled) by the next keystroke,
    // narrowing or not.
    for q in ["r", "ra", "rac", "race", "race !l", "c", "ca"] {
        ix.set_query(q);
        if q.len() == 1 {
            assert!(ix.job.is_some(), "{q}: the rest is scored in the background");
        }
        assert_eq!(ix.busy(), ix.progress().is_some());
    }
    ix.finish();
    assert!(!ix.busy() && ix.job.is_none());
    assert_eq!(ix.shown(), want("ca"));
    // Idle work takes the result in once it is there.
    ix.set_query("lock");
    while ix.busy() {
        ix.work();
    }
    assert_eq!(ix.shown(), want("lock"));
    // A job whose result is never taken is cancelled when dropped.
    ix.set_query("stale");
    let cancel = ix.job.as_ref().map(|j| j.cancel.clone()).unwrap();
    ix.set_query("");
    assert!(cancel.load(Ordering::Relaxed));
    assert_eq!(ix.shown().len(), items.len());
}

#[test]
fn typing_narrows_and_deleting_widens() {
    let items = items();
    let mut ix = Index::new(&items, SortKey::Id, Filter::default(), "");
    for q in [
        "r", "ra", "rac", "race", "race ", "race c", "rac", "race !c", "race !ca", "x",
    ] {
        ix.set_query(q);
        let want: Vec<u32> = query::select(&items, &Filter::default(), q, SortKey::Id)
            .into_iter()
            .map(|i| i as u32)
            .collect();
        assert_eq!(ix.shown(), want, "{q}");
    }
    assert!(narrows("ab", "abc"));
    assert!(!narrows("!ab", "!abc"));
    assert!(!narrows("ab$", "ab$c"));
    assert!(!narrows("ab\\", "ab\\ c"));
    assert!(!narrows("", "a"));
    assert!(!narrows("^DAT", "^DATA"));
    assert!(!narrows("Race", "Race ^D"), "smart case to ignoring case widens");
    assert!(narrows("!", "!a") || !narrows("!", "!a"));
}

#[test]
fn facets_count_and_toggle() {
    let items = items();
    let f = Filter::default();
    let v = facet_values(&items, &f);
    let count =
        |v: &[FacetValue], facet, val: &str| v.iter().find(|x| x.facet == facet && x.value == val).map(|x| x.count);
    assert_eq!(count(&v, Facet::Tag, "race"), Some(2));
    assert_eq!(count(&v, Facet::Priority, "p2"), Some(2));
    assert_eq!(count(&v, Facet::Family, "adr"), Some(1));
    let f = toggle(&f, Facet::Priority, "p2");
    assert!(is_active(&f, Facet::Priority, "p2"));
    let v = facet_values(&items, &f);
    // Tag counts now among p2 items only; priority counts ignore their own facet.
    assert_eq!(count(&v, Facet::Tag, "race"), Some(1));
    assert_eq!(count(&v, Facet::Priority, "p1"), Some(1));
    let f = toggle(&f, Facet::Priority, "p2");
    assert!(f.is_empty());
}

/// Items of titles made of a few short words (many partial matches), for
/// typing sequences.
fn vocab_items(n: usize) -> Vec<Meta> {
    let words = ["abc", "bead", "cab", "dace", "ebb", "aced", "bad", "Cede", "a-b"];
    (0..n)
        .map(|i| {
            let t = format!(
                "{} {} {}",
                words[i % words.len()],
                words[(i / 3) % words.len()],
                words[(i * 7 / 5) % words.len()]
            );
            Document::parse(
                &format!("todos/{i:04}-pending-p{}-x.md", i % 4),
                format!("---\nstatus: pending\npriority: p{}\n---\n# {t}\n", i % 4),
            )
            .meta
        })
        .collect()
}

mod typing {
    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    enum Key {
        Type(char),
        Back,
        Clear,
    }

    fn key() -> impl Strategy<Value = Key> {
        prop_oneof![
            6 => prop::sample::select(vec!['a', 'b', 'c', 'd', 'e', 'C', ' ', '!', '^', '$', '\'']).prop_map(Key::Type),
            2 => Just(Key::Back),
            1 => Just(Key::Clear),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// Whatever is typed, deleted or cleared, in whatever steps the
        /// scoring runs, the result equals a search from scratch.
        #[test]
        fn typing_gives_what_a_fresh_search_gives(keys in prop::collection::vec(key(), 1..14), step in 1usize..300) {
            let items = vocab_items(500);
            let mut ix = Index::new(&items, SortKey::Priority, Filter::default(), "");
            ix.set_step(step);
            let mut q = String::new();
            for k in keys {
                match k {
                    Key::Type(c) => q.push(c),
                    Key::Back => {
                        q.pop();
                    }
                    Key::Clear => q.clear(),
                }
                ix.set_query(&q);
                // Sometimes finish, sometimes type on while scoring.
                if q.len().is_multiple_of(2) {
                    ix.finish();
                    let want: Vec<u32> = query::select(&items, &Filter::default(), &q, SortKey::Priority)
                        .into_iter()
                        .map(|i| i as u32)
                        .collect();
                    prop_assert_eq!(ix.shown(), &want[..], "{:?}", q);
                }
            }
        }
    }
}

#[test]
fn the_char_prefilter_never_drops_a_match() {
    let items = vocab_items(300);
    for q in [
        "abc", "ABC", "Cede", "a-b", "^ce", "c$", "'ead", "!bad e", "ae b", "é", "bé", "a\\ b",
    ] {
        let mut f = Fuzzy::new(q).unwrap();
        for m in &items {
            let h = query::haystack(m);
            if f.rank(&h).is_some() {
                assert!(f.may_match(query::char_mask(&h)), "{q:?} on {h:?}");
            }
        }
    }
    // Non-ASCII text may match ASCII letters after normalization.
    let mut f = Fuzzy::new("cafe").unwrap();
    assert!(f.rank("Café au lait").is_some());
    assert!(f.may_match(query::char_mask("Café au lait")));
}

/// A repository on disk: (path, text) files, and their metadata.
fn on_disk(files: &[(&str, &str)]) -> (tempfile::TempDir, Vec<Meta>) {
    let tmp = tempfile::tempdir().unwrap();
    let mut items = Vec::new();
    for (p, t) in files {
        let path = tmp.path().join(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, t).unwrap();
        items.push(Document::parse(p, t.to_string()).meta);
    }
    (tmp, items)
}

fn ids(ix: &Index, items: &[Meta]) -> Vec<String> {
    ix.shown().iter().map(|&i| items[i as usize].id.clone()).collect()
}

#[test]
fn text_matches_rank_below_the_title_as_typed_and_above_scattered_letters() {
    let (tmp, items) = on_disk(&[
        (
            "todos/001-ready-p1-x.md",
            "---\nstatus: ready\npriority: p1\n---\n# Prevent duplicate ending\n\nNothing to see.\n",
        ),
        (
            "todos/002-complete-p2-y.md",
            "---\nstatus: complete\npriority: p2\n---\n# Cache rework\n\nThe fix was pending a review, then pending again.\n",
        ),
        (
            "todos/003-ready-p3-z.md",
            "---\nstatus: ready\npriority: p3\n---\n# Pending retries\n",
        ),
        (
            "todos/004-ready-p3-w.md",
            "---\nstatus: ready\npriority: p3\n---\n# Other\n\nUnpendingly odd.\n",
        ),
        ("adr/0001-orm.md", "# ADR 1: Pick an ORM\n\n## Status\n\nAccepted\n\nWe use Prisma here.\n"),
        ("adr/0002-db.md", "# ADR 2: Database\n\n## Status\n\nAccepted\n\nprisma migrate, PRISMA studio\n"),
        ("adr/0003-other.md", "# ADR 3: Queue\n\n## Status\n\nAccepted\n\nNo ORM at all.\n"),
    ]);
    let cache = TextCache::new(tmp.path());
    let mut ix = Index::new(&items, SortKey::Id, Filter::default(), "");
    ix.search_bodies(&cache, &items);
    ix.set_query("pending");
    assert!(ix.searching(), "the texts are read off the UI thread");
    ix.finish();
    assert!(!ix.pending());
    // The title as typed, then a whole word of the text (two of them),
    // then part of a word, then the letters scattered through a title.
    assert_eq!(ids(&ix, &items), ["003", "002", "004", "001"]);
    let line = ix.body_line(1).expect("shown for its text");
    assert_eq!(line.text, "The fix was pending a review, then pending again.");
    assert_eq!(line.line, 7);
    assert!(ix.body_line(2).is_none(), "shown for its title");
    // Every document whose text says Prisma, in any case.
    ix.set_query("prisma");
    ix.finish();
    assert_eq!(ids(&ix, &items), ["ADR-0002", "ADR-0001"]);
    // Typing on narrows the text search; the result is the same as from
    // scratch, before and after the texts are in memory.
    for q in ["pri", "pris", "prism", "prisma st"] {
        ix.set_query(q);
        ix.finish();
        let mut fresh = Index::new(&items, SortKey::Id, Filter::default(), q);
        fresh.search_bodies(&TextCache::new(tmp.path()), &items);
        fresh.finish();
        assert_eq!(ids(&ix, &items), ids(&fresh, &items), "{q}");
    }
    assert_eq!(ids(&ix, &items), ["ADR-0002"]);
    // An fzf operator searches the fields only.
    ix.set_query("'prisma");
    ix.finish();
    assert!(ids(&ix, &items).is_empty());
}

#[test]
fn an_edit_behind_our_back_is_seen_by_the_next_load() {
    let (tmp, items) = on_disk(&[("adr/0001-a.md", "# ADR 1: A\n\nuses kafka\n")]);
    let cache = TextCache::new(tmp.path());
    let mut ix = Index::new(&items, SortKey::Id, Filter::default(), "kafka");
    ix.search_bodies(&cache, &items);
    ix.finish();
    assert_eq!(ix.shown().len(), 1);
    // Same size, written at once: the next generation reads it again.
    std::fs::write(tmp.path().join("adr/0001-a.md"), "# ADR 1: A\n\nuses nats!\n").unwrap();
    let mut ix = Index::new(&items, SortKey::Id, Filter::default(), "kafka");
    ix.search_bodies(&cache, &items);
    ix.finish();
    assert!(ix.shown().is_empty());
    ix.set_query("nats");
    ix.finish();
    assert_eq!(ix.shown().len(), 1);
}

#[test]
fn a_narrowing_text_search_runs_off_the_ui_thread_and_keeps_the_last_matches_meanwhile() {
    let (tmp, items) = on_disk(&[
        ("adr/0001-a.md", "# ADR 1: A\n\nWe use Prisma here.\n"),
        ("adr/0002-b.md", "# ADR 2: B\n\nprisoners only\n"),
        ("adr/0003-c.md", "# ADR 3: C\n\nnothing\n"),
    ]);
    let cache = TextCache::new(tmp.path());
    let mut ix = Index::new(&items, SortKey::Id, Filter::default(), "");
    ix.search_bodies(&cache, &items);
    ix.set_query("pri");
    ix.finish();
    assert_eq!(ids(&ix, &items), ["ADR-0001", "ADR-0002"]);
    // Every text is in memory now; the next key still searches on a thread,
    // and the list shows the last matches (a superset) until it is back.
    ix.set_query("pris");
    assert!(ix.searching());
    assert_eq!(ids(&ix, &items), ["ADR-0001", "ADR-0002"]);
    ix.set_query("prism");
    assert!(ix.searching());
    assert_eq!(ids(&ix, &items), ["ADR-0001", "ADR-0002"]);
    // The ranking alone does not wait for the texts.
    ix.finish_ranking();
    ix.finish();
    assert_eq!(ids(&ix, &items), ["ADR-0001"]);
    // A query that does not extend the last one shows no stale match.
    ix.set_query("pro");
    assert!(ix.shown().is_empty());
    ix.finish();
    assert!(ix.shown().is_empty());
}

/// `n` documents of titles and tags drawn from a review vocabulary (the
/// benchmark's shape: many partial and scattered matches, many ties),
/// spread over the three families, priorities and statuses.
fn review_items(n: usize) -> Vec<Meta> {
    let words = [
        "race",
        "condition",
        "cache",
        "stale",
        "token",
        "refresh",
        "retry",
        "index",
        "lock",
        "deadlock",
        "query",
        "n+1",
        "auth",
        "bypass",
        "config",
        "drift",
        "Secret",
        "upsert",
        "rate",
        "limit",
        "café",
    ];
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    (0..n)
        .map(|i| {
            let title: Vec<&str> = (0..3 + next() % 4)
                .map(|_| words[(next() % words.len() as u64) as usize])
                .collect();
            let tags: Vec<&str> = (0..next() % 3).map(|_| words[(next() % 6) as usize]).collect();
            let p = next() % 4;
            let (path, text) = match next() % 3 {
                0 => (
                    format!("todos/{i:05}-pending-p{p}-x.md"),
                    format!(
                        "---\nstatus: pending\npriority: p{p}\ntags: [{}]\n---\n# {}\n",
                        tags.join(", "),
                        title.join(" ")
                    ),
                ),
                1 => (
                    format!("findings/SEC-{i:05}.md"),
                    format!(
                        "---\nid: SEC-{i:05}\nstatus: open\npriority: P{p}\n---\n# {}\n",
                        title.join(" ")
                    ),
                ),
                _ => (
                    format!("adr/{i:04}-x.md"),
                    format!("# ADR {i}: {}\n\n## Status\n\nAccepted\n", title.join(" ")),
                ),
            };
            Document::parse(&path, text).meta
        })
        .collect()
}

/// The plain way: every item scored, the matches fully sorted.
fn plain(items: &[Meta], f: &Filter, q: &str, sort: SortKey) -> Vec<u32> {
    query::select(items, f, q, sort).into_iter().map(|i| i as u32).collect()
}

#[test]
fn the_fast_path_equals_a_plain_full_sort_on_two_thousand_documents() {
    let items = review_items(2000);
    let typed = |word: &str| -> Vec<String> { (1..=word.len()).map(|n| word[..n].to_string()).collect() };
    let mut queries = typed("racond");
    queries.extend(typed("cache st"));
    queries.extend(
        [
            "cache s", "cache", "!lock ra", "^SEC rac", "'lock", "ken$", "cafe", "zzz", "",
        ]
        .map(String::from),
    );
    let filter = Filter {
        priorities: vec!["p1".into(), "p2".into()],
        ..Default::default()
    };
    for sort in SortKey::ALL {
        for f in [Filter::default(), filter.clone()] {
            // In the background (the terminal UI's way), and in small steps
            // with typing on before each query is scored.
            let mut bg = Index::new(&items, sort, f.clone(), "");
            let mut steps = Index::new(&items, sort, f.clone(), "");
            steps.set_step(97);
            for q in &queries {
                bg.set_query(q);
                steps.set_query(q);
                steps.step();
                bg.finish();
                assert_eq!(bg.shown(), plain(&items, &f, q, sort), "{sort:?} {q:?} {f:?}");
            }
            steps.finish();
            assert_eq!(steps.shown(), plain(&items, &f, "", sort));
            for q in &queries {
                steps.set_query(q);
                steps.finish();
                assert_eq!(steps.shown(), plain(&items, &f, q, sort), "steps {sort:?} {q:?} {f:?}");
            }
        }
    }
}

mod typing_thousands {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(8))]

        /// Typing and deleting over 1,500 documents with the background
        /// job on, settled at random moments: the same rows, in the same
        /// order, as a plain full sort.
        #[test]
        fn typing_over_thousands_gives_a_plain_full_sort(
            keys in prop::collection::vec(prop::sample::select(vec!['r', 'a', 'c', 'e', 'o', 'n', 'd', ' ', '!', '^', 'S', '\u{8}']), 1..12),
            settle in prop::collection::vec(any::<bool>(), 12),
            sort in prop::sample::select(SortKey::ALL.to_vec()),
        ) {
            let items = review_items(1500);
            let mut ix = Index::new(&items, sort, Filter::default(), "");
            let mut q = String::new();
            for (k, settle) in keys.into_iter().zip(settle) {
                if k == '\u{8}' {
                    q.pop();
                } else {
                    q.push(k);
                }
                ix.set_query(&q);
                if settle {
                    ix.finish();
                    prop_assert_eq!(ix.shown(), &plain(&items, &Filter::default(), &q, sort)[..], "{:?}", q);
                }
            }
            ix.finish();
            prop_assert_eq!(ix.shown(), &plain(&items, &Filter::default(), &q, sort)[..], "{:?}", q);
        }
    }
}

mod keys_sort {
    use super::super::sort_keys;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// The radix sort sorts as a comparison sort does, whatever bytes
        /// the keys share (few distinct scores, ranks below 2^17, or any).
        #[test]
        fn sorts_as_sort_unstable(
            scores in prop::collection::vec(0u32..600, 0..5000),
            wide in any::<bool>(),
            salt in any::<u64>(),
        ) {
            let mut keys: Vec<u64> = scores
                .iter()
                .enumerate()
                .map(|(rank, &s)| {
                    let k = super::super::key(s * 40_000, rank as u32);
                    if wide { k ^ salt.rotate_left(rank as u32) } else { k }
                })
                .collect();
            let mut want = keys.clone();
            want.sort_unstable();
            sort_keys(&mut keys);
            prop_assert_eq!(keys, want);
        }
    }
}
