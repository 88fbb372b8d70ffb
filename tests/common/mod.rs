//! Helpers shared by the integration tests that run git on a copy of the
//! bundled samples.

#![allow(dead_code)]

use findings::document::Document;
use std::fs;
use std::ops::Range;
use std::path::Path;
use std::process::Command;

/// Copy the bundled sample documents (`findings/`, `adr/`) into `dir`.
pub fn copy_samples(dir: &Path) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"));
    for folder in ["findings", "adr"] {
        copy_dir(&src.join(folder), &dir.join(folder));
    }
}

/// Copy a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            fs::copy(e.path(), dest).unwrap();
        }
    }
}

/// Keep the user's and the system's git configuration out of `cmd`: no
/// repository or identity variables, an empty `home`, no system config.
pub fn isolate_git(cmd: &mut Command, home: &Path) {
    for var in [
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "GIT_OBJECT_DIRECTORY",
        "GIT_AUTHOR_NAME",
        "GIT_AUTHOR_EMAIL",
        "GIT_AUTHOR_DATE",
        "GIT_COMMITTER_NAME",
        "GIT_COMMITTER_EMAIL",
        "GIT_COMMITTER_DATE",
        "EMAIL",
        "NO_COLOR",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", home.join(".gitconfig"));
}

/// Every byte range a parsed document holds (front matter, keys, sections,
/// where its status lives), for tests that check they lie inside the text.
pub fn spans(doc: &Document) -> Vec<Range<usize>> {
    let mut spans = vec![doc.split.body.clone()];
    if let Some(f) = &doc.split.front {
        spans.extend([f.open.clone(), f.yaml.clone(), f.close.clone()]);
    }
    for k in &doc.keys {
        spans.extend([k.line.clone(), k.value.clone()]);
    }
    for s in &doc.sections {
        spans.extend([s.heading.clone(), s.content.clone()]);
    }
    for v in doc.status_at.iter().chain(&doc.status_also) {
        spans.extend([v.word.clone(), v.whole.clone(), v.line.clone()]);
    }
    spans
}

/// The real-world corpus at `../shared/corpus`. Under `CI=true` a missing
/// corpus fails the test; elsewhere the test is skipped with a printed
/// reason (`None`).
pub fn corpus_dir() -> Option<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!(
            "the corpus is required under CI=true and was not found at {}",
            dir.display()
        );
    }
    println!("skipped: the corpus was not found at {}", dir.display());
    None
}

/// A git repository at `dir/repo` holding the samples, committed once, with
/// an identity in its config and an empty home at `dir/home`: `(repo, home)`.
pub fn sample_repo(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let (root, home) = (dir.join("repo"), dir.join("home"));
    fs::create_dir_all(&root).unwrap();
    fs::create_dir_all(&home).unwrap();
    let git = |args: &[&str]| {
        let mut c = Command::new("git");
        c.current_dir(&root).args(args);
        isolate_git(&mut c, &home);
        assert!(c.status().unwrap().success(), "git {args:?}");
    };
    git(&["init", "-q", "-b", "main"]);
    git(&["config", "user.name", "Test User"]);
    git(&["config", "user.email", "test@example.com"]);
    git(&["config", "commit.gpgsign", "false"]);
    copy_samples(&root);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "samples"]);
    (root, home)
}
