//! Code locations (`document::locations`) on every document of the real-world
//! corpus: each document that cites code has its locations found, and
//! nothing found is a URL, a version, a time or an absolute path.

mod common;

use findings::document::{locations::Location, Document};
use std::path::{Path, PathBuf};

fn markdown_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            markdown_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "md") {
            out.push(p);
        }
    }
}

/// Every corpus document with the locations it cites.
fn corpus() -> Option<Vec<(String, Vec<Location>)>> {
    let dir = common::corpus_dir()?;
    let mut files = Vec::new();
    markdown_files(&dir, &mut files);
    Some(
        files
            .iter()
            .map(|p| {
                let rel = p.strip_prefix(&dir).unwrap().to_string_lossy().replace('\\', "/");
                let text = String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned();
                let doc = Document::parse(&rel, text);
                (rel, doc.meta.locations)
            })
            .collect(),
    )
}

/// Every location on every corpus document is a plausible repository path
/// written on the line it is said to be cited on, with its line numbers.
#[test]
fn every_location_is_a_relative_path_written_where_it_is_cited() {
    let Some(dir) = common::corpus_dir() else { return };
    let Some(all) = corpus() else { return };
    let mut docs = 0;
    let mut found = 0;
    let mut with_lines = 0;
    for (rel, locs) in &all {
        if locs.is_empty() {
            continue;
        }
        docs += 1;
        let text = String::from_utf8_lossy(&std::fs::read(dir.join(rel)).unwrap()).into_owned();
        let lines: Vec<&str> = text.lines().collect();
        for l in locs {
            found += 1;
            let p = &l.path;
            assert!(
                !p.starts_with('/') && !p.contains("://") && !p.contains(char::is_whitespace),
                "{rel}: {p}"
            );
            let name = p.rsplit('/').next().unwrap();
            assert!(name.contains('.') && !name.ends_with('.'), "{rel}: {p}");
            let line = lines.get(l.cited_at - 1).copied().unwrap_or("");
            assert!(
                line.contains(p.as_str()),
                "{rel}:{}: {p} is not on {line:?}",
                l.cited_at
            );
            if let (Some(a), Some(b)) = (l.start_line, l.end_line) {
                with_lines += 1;
                assert!(a >= 1 && a <= b, "{rel}: {p} {a}-{b}");
                assert!(
                    line.contains(&a.to_string()),
                    "{rel}:{}: line {a} is not on {line:?}",
                    l.cited_at
                );
                assert!(
                    line.contains(&b.to_string()),
                    "{rel}:{}: line {b} is not on {line:?}",
                    l.cited_at
                );
            }
        }
    }
    println!(
        "{} documents, {docs} cite code, {found} locations ({with_lines} with lines)",
        all.len()
    );
    // The corpus as it is (counts checked by eye: see the module doc of
    // `document::locations` for what is taken and what is not).
    assert!(docs >= 45, "{docs} documents with locations");
    assert!(found >= 190, "{found} locations");
}

/// The shapes the issue names, on the documents that have them.
#[test]
fn known_citations_are_read_exactly() {
    let Some(all) = corpus() else { return };
    let get = |suffix: &str| -> Vec<(String, Option<u32>, Option<u32>)> {
        let (_, locs) = all
            .iter()
            .find(|(rel, _)| rel.ends_with(suffix))
            .unwrap_or_else(|| panic!("{suffix} is not in the corpus"));
        locs.iter()
            .map(|l| (l.path.clone(), l.start_line, l.end_line))
            .collect()
    };
    let l = |p: &str, a: u32, b: u32| (p.to_string(), Some(a), Some(b));
    let bare = |p: &str| (p.to_string(), None, None);
    // `**Location**: `path` lines 85-120 (…)`
    assert_eq!(
        get("wled-home-assistant/todos/013-completed-p2-coordinator-over-complexity.md"),
        [l("custom_components/wled_jsonapi/coordinator.py", 85, 120)]
    );
    // `**Location:** `path:66` - during device setup`
    assert_eq!(
        get("wled-home-assistant/todos/015-completed-p1-missing-preset-exception.md"),
        [l("custom_components/wled_jsonapi/__init__.py", 66, 66)]
    );
    // `Lines 20-22 in select.py, lines 15-17 in light.py`, `Add to `exceptions.py` after line 79`
    let got = get("wled-home-assistant/todos/009-pending-p1-missing-exceptions-import-error.md");
    for want in [
        l("select.py", 20, 22),
        l("light.py", 15, 17),
        bare("exceptions.py"),
        l("custom_components/wled_jsonapi/select.py", 20, 22),
    ] {
        assert!(got.contains(&want), "{want:?} in {got:?}");
    }
    // `path:line` and `path:start-end` in the prose of an ADR.
    assert_eq!(
        get("steveyegge__beads/docs/adr/0002-init-safety-invariants.md"),
        [
            l("cmd/bd/init.go", 511, 511),
            l("init.go", 643, 650),
            l("init.go", 214, 222)
        ]
    );
    // `- Location: `/home/…/docker-compose.yml`` is absolute: not a repository path.
    let got = get("billing-backend/todos/002-completed-p1-create-docker-compose-configuration.md");
    assert!(got.iter().all(|(p, ..)| !p.starts_with('/')), "{got:?}");
}
