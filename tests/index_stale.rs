//! The document index never serves stale data: every change made behind
//! findings' back (an edit keeping the size and the mtime, a rename, a
//! deletion, another branch checked out, `git stash`, a changed
//! `findings.toml`) is seen by the next command, and a corrupt index or two
//! processes writing it at once cost nothing but a rebuild.

mod common;

use common::TempRepo;
use std::fs;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

common::repo_type! {
    struct Repo;
}

fn todo(title: &str, status: &str) -> String {
    format!("---\nstatus: {status}\npriority: p2\n---\n# {title}\n\nBody.\n")
}

impl Repo {
    /// A repository with three todos committed; `old` dates their files an
    /// hour back, so their stat alone vouches for them (not racily clean).
    fn new(old: bool) -> Repo {
        let r = Repo(TempRepo::init());
        for (n, t) in [(1, "Alpha"), (2, "Bravo"), (3, "Charlie")] {
            r.write(&format!("todos/00{n}-pending-p2-x.md"), &todo(t, "pending"));
        }
        r.commit_all("todos");
        if old {
            for n in 1..=3 {
                r.age(&format!("todos/00{n}-pending-p2-x.md"), Duration::from_secs(3600));
            }
            // Past the racy window (its ctime, set by the ageing, included).
            std::thread::sleep(Duration::from_millis(3100));
        }
        r
    }

    fn age(&self, rel: &str, by: Duration) {
        let f = fs::File::options().write(true).open(self.path().join(rel)).unwrap();
        f.set_modified(SystemTime::now() - by).unwrap();
    }

    fn index(&self) -> PathBuf {
        self.path().join(".git/findings/index")
    }

    /// `list --format json` as (path, title, status) rows, sorted by path.
    fn list(&self) -> Vec<(String, String, String)> {
        let out = self.findings_cmd().args(["list", "--format", "json"]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let mut rows: Vec<_> = v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                let s = |k: &str| i[k].as_str().unwrap_or("").to_string();
                (s("path"), s("title"), s("status"))
            })
            .collect();
        rows.sort();
        rows
    }

    fn titles(&self) -> Vec<String> {
        self.list().into_iter().map(|r| r.1).collect()
    }

    /// Rewrite `rel` with `text` of the same length, then give it back the
    /// mtime it had, to the nanosecond.
    fn rewrite_keeping_mtime(&self, rel: &str, text: &str) {
        let p = self.path().join(rel);
        let before = fs::metadata(&p).unwrap();
        assert_eq!(before.len() as usize, text.len(), "same size");
        fs::write(&p, text).unwrap();
        let f = fs::File::options().write(true).open(&p).unwrap();
        f.set_modified(before.modified().unwrap()).unwrap();
        drop(f);
        assert_eq!(
            fs::metadata(&p).unwrap().modified().unwrap(),
            before.modified().unwrap()
        );
    }
}

fn same_size_same_mtime(old: bool) {
    let r = Repo::new(old);
    assert_eq!(r.titles(), ["Alpha", "Bravo", "Charlie"]);
    assert!(r.index().is_file(), "the first run writes the index");
    // A second run from the index answers the same.
    assert_eq!(r.titles(), ["Alpha", "Bravo", "Charlie"]);
    r.rewrite_keeping_mtime("todos/002-pending-p2-x.md", &todo("Brave", "pending"));
    assert_eq!(r.titles(), ["Alpha", "Brave", "Charlie"]);
    r.rewrite_keeping_mtime("todos/002-pending-p2-x.md", &todo("Bravo", "wontfix"));
    let rows = r.list();
    assert_eq!((rows[1].1.as_str(), rows[1].2.as_str()), ("Bravo", "wontfix"));
}

#[test]
fn an_edit_keeping_size_and_mtime_is_seen_in_a_racily_clean_file() {
    same_size_same_mtime(false);
}

#[test]
fn an_edit_keeping_size_and_mtime_is_seen_in_an_old_file() {
    same_size_same_mtime(true);
}

#[test]
fn renames_and_deletions_are_seen_at_once() {
    let r = Repo::new(true);
    assert_eq!(r.list().len(), 3);
    fs::rename(
        r.path().join("todos/001-pending-p2-x.md"),
        r.path().join("todos/001-pending-p2-renamed.md"),
    )
    .unwrap();
    let rows = r.list();
    assert_eq!(rows[0].0, "todos/001-pending-p2-renamed.md");
    assert_eq!(rows.len(), 3);
    fs::remove_file(r.path().join("todos/003-pending-p2-x.md")).unwrap();
    assert_eq!(r.titles(), ["Alpha", "Bravo"]);
    // A file swapped for another under the same name (a new inode).
    let p = r.path().join("todos/002-pending-p2-x.md");
    fs::write(r.path().join("todos/tmp"), todo("Bravx", "pending")).unwrap();
    fs::rename(r.path().join("todos/tmp"), &p).unwrap();
    assert_eq!(r.titles(), ["Alpha", "Bravx"]);
}

#[test]
fn another_branch_and_a_stash_are_seen_at_once() {
    let r = Repo::new(false);
    assert_eq!(r.titles(), ["Alpha", "Bravo", "Charlie"]);
    r.git(&["checkout", "-q", "-b", "other"]);
    r.write("todos/002-pending-p2-x.md", &todo("Other", "pending"));
    r.write("todos/004-pending-p2-x.md", &todo("Delta", "pending"));
    r.commit_all("other");
    assert_eq!(r.titles(), ["Alpha", "Other", "Charlie", "Delta"]);
    r.git(&["checkout", "-q", "main"]);
    assert_eq!(r.titles(), ["Alpha", "Bravo", "Charlie"]);
    r.write("todos/001-pending-p2-x.md", &todo("Alphx", "pending"));
    assert_eq!(r.titles(), ["Alphx", "Bravo", "Charlie"]);
    r.git(&["stash", "-q"]);
    assert_eq!(r.titles(), ["Alpha", "Bravo", "Charlie"]);
    r.git(&["stash", "pop", "-q"]);
    assert_eq!(r.titles(), ["Alphx", "Bravo", "Charlie"]);
}

#[test]
fn show_answers_from_the_files_not_from_the_index() {
    let r = Repo::new(true);
    r.list();
    r.rewrite_keeping_mtime("todos/002-pending-p2-x.md", &todo("Brave", "pending"));
    let out = r
        .findings_cmd()
        .args(["show", "2", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["title"], "Brave");
    // A duplicate ID added behind findings' back is reported by show.
    r.write("todos/002-pending-p2-again.md", &todo("Again", "pending"));
    let out = r.findings_cmd().args(["show", "2"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("ambiguous"));
    let v = common::json(r.path(), "show", &["todos/002-pending-p2-x.md"]);
    let problems = v["problems"].to_string();
    assert!(problems.contains("duplicate-id"), "{problems}");
}

#[test]
fn a_corrupt_index_is_rebuilt_without_a_word() {
    let r = Repo::new(true);
    let want = r.list();
    let good = fs::read(r.index()).unwrap();
    let mut damaged: Vec<Vec<u8>> = vec![
        Vec::new(),
        b"garbage".to_vec(),
        good[..good.len() / 2].to_vec(),
        [good.as_slice(), b"tail"].concat(),
    ];
    for at in [0, 9, 40, good.len() / 3, good.len() - 20, good.len() - 1] {
        let mut b = good.clone();
        b[at] ^= 0x21;
        damaged.push(b);
    }
    // A length field claiming more than the file holds.
    let mut b = good.clone();
    b[36..44].copy_from_slice(&u64::MAX.to_le_bytes());
    damaged.push(b);
    for (i, bytes) in damaged.iter().enumerate() {
        fs::write(r.index(), bytes).unwrap();
        assert_eq!(r.list(), want, "damage {i}");
        let out = r.findings_cmd().args(["list", "--format", "ids"]).output().unwrap();
        assert!(out.status.success() && out.stderr.is_empty(), "damage {i}: not a word");
        let now = fs::read(r.index()).unwrap();
        assert!(now != *bytes && now.starts_with(b"FNDINDX\0"), "damage {i}: rebuilt");
    }
    // A folder where the index should be: nothing is written, all is read.
    fs::remove_file(r.index()).unwrap();
    fs::create_dir_all(r.index().join("x")).unwrap();
    assert_eq!(r.list(), want);
}

#[test]
fn processes_writing_the_index_at_once_never_corrupt_it() {
    let r = Repo::new(false);
    for n in 4..40 {
        r.write(
            &format!("todos/{n:03}-pending-p2-x.md"),
            &todo(&format!("T{n}"), "pending"),
        );
    }
    let want = r.list();
    for round in 0..6 {
        // Each round changes a file, so every process writes the index.
        r.write("todos/004-pending-p2-x.md", &todo(&format!("Round {round}"), "pending"));
        let children: Vec<_> = (0..6)
            .map(|_| {
                r.findings_cmd()
                    .args(["list", "--format", "json"])
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for c in children {
            let out = c.wait_with_output().unwrap();
            assert!(out.status.success() && out.stderr.is_empty());
            let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(v["items"].as_array().unwrap().len(), want.len());
        }
        let rows = r.list();
        assert_eq!(rows.len(), want.len());
        assert_eq!(rows[3].1, format!("Round {round}"));
    }
    // No temporary file is left beside the index.
    let left: Vec<_> = fs::read_dir(r.index().parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["index"]);
}

#[test]
fn a_changed_configuration_is_never_read_from_an_old_index() {
    let r = Repo::new(true);
    r.write("todos/005-pending-p2-x.md", &todo("Echo", "in_review"));
    r.age("todos/005-pending-p2-x.md", Duration::from_secs(3600));
    let status = |r: &Repo| r.list().into_iter().find(|x| x.1 == "Echo").unwrap().2;
    assert_eq!(status(&r), "", "unknown to the built-in workflow");
    r.write(
        "findings.toml",
        "[workflow.todo]\nstatuses = [\"pending\", \"ready\", \"in_review\", \"complete\", \"wontfix\"]\n",
    );
    assert_eq!(status(&r), "in_review");
}

/// What a one-document open answers for `q`, as text: the document's path,
/// title and problem codes, or the error (ambiguity and its paths
/// included).
fn answer(repo: &findings::store::Repo, q: &str) -> String {
    match repo.resolve(q) {
        Ok(m) => {
            let doc = repo.document(m).unwrap();
            let codes: Vec<&str> = m.problems.iter().map(|p| p.code).collect();
            format!("{} {:?} {codes:?}", m.path, doc.meta.title)
        }
        Err(e) => e.to_string(),
    }
}

/// `open_for`'s answers for `queries`, checked against a full load's (made
/// afterwards: a full load rewrites the index).
fn answers_as_a_full_walk(r: &Repo, queries: &[&str]) {
    let root = r.path().canonicalize().unwrap();
    let one: Vec<String> = queries
        .iter()
        .map(|q| answer(&findings::store::Repo::open_for(&root, &[q]).unwrap(), q))
        .collect();
    let full = findings::store::Repo::open(&root).unwrap();
    let want: Vec<String> = queries.iter().map(|q| answer(&full, q)).collect();
    assert_eq!(one, want);
}

#[test]
fn one_document_commands_read_one_file_and_answer_as_a_full_walk() {
    let r = Repo(TempRepo::init());
    for n in 1..=60 {
        r.write(
            &format!("todos/{n:03}-pending-p2-x.md"),
            &todo(&format!("T{n}"), "pending"),
        );
    }
    r.write("todos/sub/061-pending-p2-x.md", &todo("T61", "pending"));
    r.write("todos/README.md", "# How we keep todos\n");
    // An ID kept inside a file: its name says another.
    r.write(
        "todos/062-pending-p2-x.md",
        "---\nissue_id: X-9\nstatus: pending\n---\n# Inside\n",
    );
    r.commit_all("todos");
    // Past the racy window of every file and folder.
    std::thread::sleep(Duration::from_millis(3100));
    r.list();
    let root = r.path().canonicalize().unwrap();
    let before = findings::store::io_counts();
    let repo = findings::store::Repo::open_for(&root, &["30"]).unwrap();
    assert_eq!(answer(&repo, "30"), "todos/030-pending-p2-x.md \"T30\" []");
    let used = findings::store::io_counts();
    let (walks, stats, reads) = (
        used.walks - before.walks,
        used.stats - before.stats,
        used.reads - before.reads,
    );
    assert_eq!(walks, 0, "no walk");
    assert_eq!(reads, 1, "the one document, read once");
    // The guards (the root, two folders, ignore files above the root) and
    // every indexed file, as `git status` does; read: the one answer.
    assert!((63..100).contains(&stats), "{stats} lstat calls");
    // Findings' own write keeps the index current: no folder is listed
    // again, and only the written document is read.
    let out = r.findings_cmd().args(["log", "30", "Looked into it"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let before = findings::store::io_counts();
    let repo = findings::store::Repo::open_for(&root, &["30"]).unwrap();
    let used = findings::store::io_counts();
    assert!(repo.resolve("30").is_ok());
    assert_eq!(used.walks - before.walks, 0, "no folder listed");
    assert_eq!(used.reads - before.reads, 1, "the written document only");
    answers_as_a_full_walk(&r, &["30", "X-9", "62", "todos/README.md", "61", "99", "T3"]);

    // Behind the index's back: a duplicate ID.
    r.write("todos/030-pending-p2-again.md", &todo("Again", "pending"));
    answers_as_a_full_walk(&r, &["30", "todos/030-pending-p2-x.md", "31"]);
    // A rename, a deletion, a new folder.
    fs::rename(
        root.join("todos/031-pending-p2-x.md"),
        root.join("todos/031-pending-p2-y.md"),
    )
    .unwrap();
    fs::remove_file(root.join("todos/032-pending-p2-x.md")).unwrap();
    r.write("todos/new/063-pending-p2-x.md", &todo("T63", "pending"));
    let now = findings::store::Repo::open_for(&root, &["31"]).unwrap();
    assert_eq!(answer(&now, "31"), "todos/031-pending-p2-y.md \"T31\" []");
    answers_as_a_full_walk(&r, &["31", "32", "63", "33"]);
    // A file replaced by another (a new inode) in a folder that otherwise
    // keeps its names, and an edit keeping size and mtime.
    std::thread::sleep(Duration::from_millis(3100));
    r.list();
    fs::write(root.join("todos/tmp"), todo("T3x", "pending")).unwrap();
    fs::rename(root.join("todos/tmp"), root.join("todos/033-pending-p2-x.md")).unwrap();
    r.rewrite_keeping_mtime("todos/034-pending-p2-x.md", &todo("T3y", "pending"));
    answers_as_a_full_walk(&r, &["33", "34"]);
    // Another branch checked out, and back.
    r.commit_all("more");
    r.git(&["checkout", "-q", "-b", "other"]);
    r.write("todos/035-pending-p2-x.md", &todo("Other", "wontfix"));
    r.write(
        "todos/036-pending-p2-x.md",
        "---\nissue_id: \"35\"\nstatus: pending\n---\n# Twin\n",
    );
    r.commit_all("other");
    answers_as_a_full_walk(&r, &["35", "36"]);
    r.git(&["checkout", "-q", "main"]);
    answers_as_a_full_walk(&r, &["35", "36"]);
}

#[test]
fn stale_temporary_index_files_are_removed() {
    let r = Repo::new(false);
    let dir = r.path().join(".git/findings");
    fs::create_dir_all(&dir).unwrap();
    for name in [".index-killed", ".index-live"] {
        fs::write(dir.join(name), b"half an index").unwrap();
    }
    let killed = fs::File::options().write(true).open(dir.join(".index-killed")).unwrap();
    killed
        .set_modified(SystemTime::now() - Duration::from_secs(120))
        .unwrap();
    drop(killed);
    fs::create_dir(dir.join(".index-folder")).unwrap();
    r.list();
    let mut left: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    left.sort();
    assert_eq!(
        left,
        [".index-folder", ".index-live", "index"],
        "only the killed writer's file goes"
    );
}

#[test]
fn two_builds_share_the_index() {
    let r = Repo::new(true);
    r.list();
    let written = fs::metadata(r.index()).unwrap().modified().unwrap();
    // The same program at another path: another executable.
    let other = tempfile::tempdir().unwrap();
    let copy = other.path().join("findings-copy");
    fs::copy(env!("CARGO_BIN_EXE_findings"), &copy).unwrap();
    let out = r.command(&copy).args(["list", "--format", "ids"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 3);
    assert_eq!(
        fs::metadata(r.index()).unwrap().modified().unwrap(),
        written,
        "used as it was, not rebuilt"
    );
}

/// A person's rename, deletion and new file in a folder the index watches
/// cost what they changed: that folder is listed again and only the new
/// names are read, the rest answered from the index (not rewritten), and
/// the answers are a full walk's.
#[test]
fn names_changed_in_a_folder_are_read_without_loading_everything() {
    let r = Repo(TempRepo::init());
    for n in 1..=40 {
        r.write(
            &format!("todos/{n:03}-pending-p2-x.md"),
            &todo(&format!("T{n}"), "pending"),
        );
    }
    r.commit_all("todos");
    std::thread::sleep(Duration::from_millis(3100));
    r.list();
    let root = r.path().canonicalize().unwrap();
    let index = fs::read(r.index()).unwrap();
    fs::rename(
        root.join("todos/011-pending-p2-x.md"),
        root.join("todos/011-ready-p2-x.md"),
    )
    .unwrap();
    fs::remove_file(root.join("todos/012-pending-p2-x.md")).unwrap();
    r.write("todos/041-pending-p2-x.md", &todo("T41", "pending"));
    // A new file claiming an ID another file has: both are reported.
    r.write(
        "todos/042-pending-p2-x.md",
        "---\nissue_id: \"013\"\nstatus: pending\n---\n# Twin\n",
    );
    let before = findings::store::io_counts();
    let repo = findings::store::Repo::open_for(&root, &["11"]).unwrap();
    let used = findings::store::io_counts();
    // Its name says ready, its front matter pending: as a full walk says.
    assert_eq!(
        answer(&repo, "11"),
        "todos/011-ready-p2-x.md \"T11\" [\"status-mismatch\"]"
    );
    assert_eq!(used.walks - before.walks, 1, "the changed folder listed, nothing else");
    assert!(
        used.reads - before.reads <= 4,
        "{} files read",
        used.reads - before.reads
    );
    assert_eq!(fs::read(r.index()).unwrap(), index, "the index is not written again");
    for q in ["12", "41", "13"] {
        let before = findings::store::io_counts();
        let _ = findings::store::Repo::open_for(&root, &[q]).unwrap();
        assert_eq!(
            findings::store::io_counts().walks - before.walks,
            1,
            "{q}: one folder listed"
        );
    }
    // Findings' next write in that folder records the person's changes
    // with its own: the folder is vouched for again, and the next command
    // lists nothing and reads only the written file.
    std::thread::sleep(Duration::from_millis(30));
    let out = r.findings_cmd().args(["log", "20", "Looked into it"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let before = findings::store::io_counts();
    let repo = findings::store::Repo::open_for(&root, &["41"]).unwrap();
    let used = findings::store::io_counts();
    assert_eq!(answer(&repo, "41"), "todos/041-pending-p2-x.md \"T41\" []");
    assert_eq!(used.walks - before.walks, 0, "no folder listed");
    assert!(
        used.reads - before.reads <= 4,
        "{} files read",
        used.reads - before.reads
    );
    assert_eq!(
        fs::read(r.index()).unwrap(),
        index,
        "recorded in the journal, not the index"
    );
    answers_as_a_full_walk(&r, &["11", "12", "41", "13", "42", "10", "20"]);
}
