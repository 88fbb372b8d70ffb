//! Findings' own writes keep the document index current: after each kind
//! of write (a log, a status change that renames, a triage, a new
//! document, a supersede of two ADRs, an undo, a batch of three) the next
//! one-document open lists no folder and loads nothing whole, and answers
//! as a full load of the files does; what a person changed meanwhile is
//! still seen, an ID changed in place in a file's front matter included.
//!
//! One test: `store::io_counts()` counts this whole process.

mod common;

use common::TempRepo;
use findings::store::{io_counts, Repo as Store};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

common::repo_type! {
    struct Repo;
}

fn todo(title: &str, status: &str) -> String {
    format!("---\nstatus: {status}\npriority: p2\n---\n# {title}\n\n## Work Log\n")
}

fn adr(title: &str) -> String {
    format!("# {title}\n\n## Status\n\nAccepted\n\n## Context\n\nWhy.\n\n## Decision\n\nThis.\n")
}

impl Repo {
    fn root(&self) -> PathBuf {
        self.path().canonicalize().unwrap()
    }

    fn run(&self, args: &[&str]) {
        let out = self.findings_cmd().args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// What a repository answers for `q`: path, title, status and problem
/// codes, or the error.
fn answer(repo: &Store, q: &str) -> String {
    match repo.resolve(q) {
        Ok(m) => {
            let codes: Vec<&str> = m.problems.iter().map(|p| p.code).collect();
            format!("{} {:?} {:?} {codes:?}", m.path, m.title, m.status_raw)
        }
        Err(e) => e.to_string(),
    }
}

/// Every document as `list` sees it: path, ID, title, status.
fn rows(repo: &Store) -> Vec<String> {
    repo.items
        .iter()
        .map(|m| format!("{} {} {:?} {:?}", m.path, m.id, m.title, m.status_raw))
        .collect()
}

/// Run `f` with the index moved aside (so that it loads every file and
/// rewrites nothing we keep), then put the index back.
fn without_index<T>(root: &Path, f: impl FnOnce() -> T) -> T {
    let index = root.join(".git/findings/index");
    let aside = root.join(".git/findings/index.aside");
    fs::rename(&index, &aside).unwrap();
    let out = f();
    fs::rename(&aside, &index).unwrap();
    out
}

/// After a findings write: each query opened for one document lists no
/// folder (no walk at all) and answers as a full load of the files; the
/// whole repository through the index lists what a load without it does.
fn answers_from_the_index(r: &Repo, step: &str, queries: &[&str]) {
    let root = r.root();
    let before = io_counts();
    let one: Vec<String> = queries
        .iter()
        .map(|q| answer(&Store::open_for(&root, &[q]).unwrap(), q))
        .collect();
    let walks = io_counts().walks - before.walks;
    assert_eq!(
        walks, 0,
        "after {step}: a one-document open listed a folder or loaded everything"
    );
    let index = root.join(".git/findings/index");
    let kept = fs::read(&index).unwrap();
    let through = rows(&Store::open(&root).unwrap());
    // The load through the index may rewrite it (its guards racy now):
    // put back the one the write left, for the next step.
    fs::write(&index, &kept).unwrap();
    let (full, want) = without_index(&root, || {
        let full = Store::open(&root).unwrap();
        let want: Vec<String> = queries.iter().map(|q| answer(&full, q)).collect();
        (rows(&full), want)
    });
    assert_eq!(one, want, "after {step}: one-document answers");
    assert_eq!(through, full, "after {step}: list through the index");
}

#[test]
fn findings_own_writes_keep_the_index_current() {
    let r = Repo(TempRepo::init());
    for (n, t) in [(1, "Alpha"), (2, "Bravo"), (3, "Charlie"), (4, "Delta"), (5, "Echo")] {
        r.write(&format!("todos/00{n}-pending-p2-x.md"), &todo(t, "pending"));
    }
    r.write("todos/008-pending-p2-x.md", &todo("Hotel", "pending"));
    r.write("docs/adr/0101-first.md", &adr("First"));
    r.write("docs/adr/0102-second.md", &adr("Second"));
    r.commit_all("start");
    // Past the racy window of every file and folder, then indexed.
    std::thread::sleep(Duration::from_millis(3100));
    r.run(&["list"]);
    let root = r.root();
    let qs = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "101", "102", "Alpha"];

    r.run(&["log", "1", "Looked into it"]);
    answers_from_the_index(&r, "log", &qs);

    r.run(&["status", "2", "ready"]);
    assert!(root.join("todos/002-ready-p2-x.md").is_file(), "renamed");
    answers_from_the_index(&r, "status", &qs);

    r.run(&["triage", "3"]);
    assert!(!root.join("todos/003-pending-p2-x.md").exists(), "renamed");
    answers_from_the_index(&r, "triage", &qs);

    r.run(&["new", "--title", "Foxtrot"]);
    answers_from_the_index(&r, "new", &qs);
    assert!(Store::open_for(&root, &["9"]).unwrap().resolve("9").is_ok());

    r.run(&["adr", "supersede", "101", "102"]);
    answers_from_the_index(&r, "supersede", &qs);

    r.run(&["undo"]);
    answers_from_the_index(&r, "undo", &qs);

    let repo = Store::open_for(&root, &["1"]).unwrap();
    let items: Vec<findings::ops::batch::BatchItem> = ["1", "4", "5"]
        .iter()
        .map(|id| findings::ops::batch::BatchItem {
            id: id.to_string(),
            shown: None,
        })
        .collect();
    let what = findings::ops::batch::BatchWrite::Status {
        to: "ready".into(),
        note: None,
        reason: None,
    };
    let opts = findings::ops::WriteOpts {
        author: Some("T".into()),
        ..findings::ops::WriteOpts::default()
    };
    let done = findings::ops::batch::batch(&repo, &items, &what, &opts).unwrap();
    assert!(done.commit.is_some());
    answers_from_the_index(&r, "batch", &qs);

    // A person's edit of another file in a written folder is not vouched
    // for by the update: it is seen.
    let delta = fs::read_dir(root.join("todos"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("004-"))
        .unwrap();
    fs::write(&delta, todo("Delta by hand", "complete")).unwrap();
    r.run(&["log", "9", "Started"]);
    let repo = Store::open_for(&root, &["4"]).unwrap();
    assert_eq!(repo.resolve("4").unwrap().title, "Delta by hand");
    answers_from_the_index(&r, "log after a hand edit", &qs);

    // A file whose name carries its ID, given another in its front matter
    // in place (no rename, the folder's names and times unchanged): seen
    // by a one-document open at once, with no walk.
    r.write(
        "todos/008-pending-p2-x.md",
        "---\nissue_id: \"77\"\nstatus: pending\n---\n# Hotel\n",
    );
    let before = io_counts();
    let repo = Store::open_for(&root, &["77"]).unwrap();
    let used = io_counts();
    // Reads: the changed file, and those findings wrote in the last two
    // seconds (racily clean: hashed again until they are older).
    assert_eq!(used.walks - before.walks, 0);
    assert!(used.reads - before.reads >= 1);
    assert_eq!(repo.resolve("77").unwrap().path, "todos/008-pending-p2-x.md");
    answers_from_the_index(&r, "an ID changed in place", &["77", "8", "4"]);

    // A file a person created in the folder before the write: the folder's
    // names are no longer the index's, so the write leaves the index alone
    // and the next command lists the folder again.
    r.write("todos/007-pending-p2-by-hand.md", &todo("Golf", "pending"));
    r.run(&["log", "9", "Again"]);
    let repo = Store::open_for(&root, &["7"]).unwrap();
    assert_eq!(repo.resolve("7").unwrap().title, "Golf");
}
