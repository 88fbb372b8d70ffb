//! The merge driver on real-world documents: two sides each append a
//! work-log entry (and one changes front matter); the merge keeps both
//! entries, takes the one-sided change, and leaves no conflict.

mod common;
use findings::document::worklog::work_log;
use findings::document::Document;
use findings::edit::worklog::{append, Entry};
use findings::ops::merge::{merge_texts, MergeOptions};
use std::path::{Path, PathBuf};

fn corpus() -> Option<PathBuf> {
    common::corpus_dir()
}

fn md_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            md_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "md") {
            out.push(p);
        }
    }
}

fn git_ok() -> bool {
    std::process::Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn entry(who: &str, what: &str) -> Entry {
    Entry {
        date: "2099-01-01".into(),
        author: who.into(),
        action: what.into(),
        details: format!("{what} details."),
    }
}

#[test]
fn both_entries_survive_on_the_corpus() {
    let Some(root) = corpus() else {
        return;
    };
    if !git_ok() {
        eprintln!("skipped: no git");
        return;
    }
    let mut files = Vec::new();
    md_files(&root, &mut files);
    files.sort();
    let mut merged = 0;
    for f in files {
        let Ok(o) = std::fs::read_to_string(&f) else { continue };
        if o.len() > 200_000 || o.contains("<<<<<<<") {
            continue;
        }
        let rel = f.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        // Documents are keyed by the folder they sit in, below the project.
        let path = rel.split_once('/').map(|(_, p)| p.to_string()).unwrap_or(rel.clone());
        let d = Document::parse(&path, o.clone());
        let a = findings::edit::apply(&o, &append(&d, &entry("Ana", "Ana checked"))).unwrap();
        let b = findings::edit::apply(&o, &append(&d, &entry("Ben", "Ben checked"))).unwrap();
        let m = merge_texts(&path, &o, &a, &b, &MergeOptions::default()).unwrap();
        assert_eq!(m.conflicts, 0, "{rel}:\n{}", m.text);
        assert!(
            m.text.contains("Ana checked") && m.text.contains("Ben checked"),
            "{rel}:\n{}",
            m.text
        );
        // Exactly one more entry than each side.
        let count = |t: &str| work_log(&Document::parse(&path, t.to_string())).map(|l| l.entries.len());
        if let (Some(na), Some(nm)) = (count(&a), count(&m.text)) {
            assert_eq!(nm, na + 1, "{rel}:\n{}", m.text);
        }
        merged += 1;
    }
    assert!(merged > 50, "only {merged} files merged");
}
