//! `store::write`: atomic writes keep modes and leave nothing behind; the
//! repository lock serializes writers.

use findings::store::write::{
    atomic_replace_and_rename, atomic_write, ensure_unchanged, lock_repo, Snapshot, WriteError,
};
use std::fs;
use std::io;
use std::path::Path;
use std::time::Duration;

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(p).unwrap().permissions().mode() & 0o7777
}

#[cfg(unix)]
fn set_mode(p: &Path, m: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(p, fs::Permissions::from_mode(m)).unwrap();
}

#[cfg(unix)]
#[test]
fn mode_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("030-ready-p1-x.md");
    fs::write(&p, "old").unwrap();
    set_mode(&p, 0o640);
    atomic_write(&p, b"new").unwrap();
    assert_eq!(fs::read(&p).unwrap(), b"new");
    assert_eq!(mode(&p), 0o640);
    assert_eq!(names(dir.path()), ["030-ready-p1-x.md"]);
}

#[cfg(unix)]
#[test]
fn read_only_folder_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("ro");
    fs::create_dir(&sub).unwrap();
    let p = sub.join("a.md");
    fs::write(&p, "old").unwrap();
    set_mode(&sub, 0o555);
    // A privileged user writes into read-only folders anyway.
    let probe = sub.join("probe");
    if fs::write(&probe, "x").is_ok() {
        let _ = fs::remove_file(&probe);
        set_mode(&sub, 0o755);
        eprintln!("skipped: running with privileges that ignore folder permissions");
        return;
    }
    let e = atomic_write(&p, b"new").unwrap_err();
    set_mode(&sub, 0o755);
    assert_eq!(e.kind(), io::ErrorKind::PermissionDenied);
    assert_eq!(fs::read(&p).unwrap(), b"old");
    assert_eq!(names(&sub), ["a.md"]);
}

#[test]
fn a_directory_is_not_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("a.md");
    fs::create_dir(&d).unwrap();
    fs::write(d.join("inside"), "x").unwrap();
    let e = atomic_write(&d, b"new").unwrap_err();
    assert_eq!(e.kind(), io::ErrorKind::IsADirectory);
    assert_eq!(names(dir.path()), ["a.md"]);
    assert_eq!(names(&d), ["inside"]);
}

#[test]
fn a_missing_folder_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let e = atomic_write(&dir.path().join("nope/a.md"), b"x").unwrap_err();
    assert_eq!(e.kind(), io::ErrorKind::NotFound);
    assert!(names(dir.path()).is_empty());
}

#[test]
fn replace_and_rename_moves_content_and_mode() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("030-pending-p1-x.md");
    let new = dir.path().join("030-ready-p1-x.md");
    fs::write(&old, "status: pending\n").unwrap();
    #[cfg(unix)]
    set_mode(&old, 0o600);
    atomic_replace_and_rename(&old, &new, b"status: ready\n").unwrap();
    assert_eq!(names(dir.path()), ["030-ready-p1-x.md"]);
    assert_eq!(fs::read(&new).unwrap(), b"status: ready\n");
    #[cfg(unix)]
    assert_eq!(mode(&new), 0o600);
}

#[test]
fn replace_and_rename_refuses_an_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("030-pending-p1-x.md");
    let new = dir.path().join("030-ready-p1-x.md");
    fs::write(&old, "old").unwrap();
    fs::write(&new, "someone else's").unwrap();
    let e = atomic_replace_and_rename(&old, &new, b"mine").unwrap_err();
    assert_eq!(e.kind(), io::ErrorKind::AlreadyExists);
    assert_eq!(fs::read(&old).unwrap(), b"old");
    assert_eq!(fs::read(&new).unwrap(), b"someone else's");
    assert_eq!(names(dir.path()), ["030-pending-p1-x.md", "030-ready-p1-x.md"]);

    let snap = Snapshot::read(&old).unwrap();
    assert!(matches!(
        snap.replace_and_rename(&new, b"mine"),
        Err(WriteError::Exists { .. })
    ));
}

#[test]
fn replace_and_rename_into_a_new_folder_and_same_name() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("a.md");
    fs::write(&old, "one").unwrap();
    atomic_replace_and_rename(&old, &old, b"two").unwrap();
    assert_eq!(fs::read(&old).unwrap(), b"two");
    fs::create_dir(dir.path().join("done")).unwrap();
    let new = dir.path().join("done/a.md");
    atomic_replace_and_rename(&old, &new, b"three").unwrap();
    assert_eq!(names(dir.path()), ["done"]);
    assert_eq!(fs::read(&new).unwrap(), b"three");
}

#[test]
fn optimistic_check_detects_a_change() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.md");
    fs::write(&p, "one").unwrap();
    ensure_unchanged(&p, b"one").unwrap();
    let e = ensure_unchanged(&p, b"two").unwrap_err();
    assert!(matches!(e, WriteError::Changed { .. }));
    assert!(e.to_string().contains("changed on disk"));
}

#[test]
fn the_lock_serializes_eight_writers() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join(".git")).unwrap();
    let counter = dir.path().join("counter");
    fs::write(&counter, "0").unwrap();
    std::thread::scope(|s| {
        for _ in 0..8 {
            s.spawn(|| {
                for _ in 0..25 {
                    let _lock = lock_repo(dir.path(), Duration::from_secs(60)).unwrap();
                    let n: u32 = fs::read_to_string(&counter).unwrap().trim().parse().unwrap();
                    // Give another writer every chance to interleave.
                    std::thread::yield_now();
                    atomic_write(&counter, (n + 1).to_string().as_bytes()).unwrap();
                }
            });
        }
    });
    assert_eq!(fs::read_to_string(&counter).unwrap(), "200");
    assert!(dir.path().join(".git/findings.lock").exists());
    assert_eq!(names(dir.path()), [".git", "counter"]);
}

#[test]
fn a_rename_never_replaces_a_file_and_a_failed_one_gives_the_bytes_back() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.md");
    let b = dir.path().join("b.md");
    fs::write(&a, "a").unwrap();
    fs::write(&b, "b").unwrap();
    let e = findings::store::write::rename_no_replace(&a, &b).unwrap_err();
    assert_eq!(e.kind(), io::ErrorKind::AlreadyExists);
    assert_eq!(fs::read(&b).unwrap(), b"b");
    fs::remove_file(&b).unwrap();
    findings::store::write::rename_no_replace(&a, &b).unwrap();
    assert_eq!(names(dir.path()), ["b.md"]);

    // The rename fails (no such folder): the file keeps its name and bytes.
    let e = atomic_replace_and_rename(&b, &dir.path().join("gone/c.md"), b"new").unwrap_err();
    assert_eq!(e.kind(), io::ErrorKind::NotFound);
    assert_eq!(fs::read(&b).unwrap(), b"a");
    assert_eq!(names(dir.path()), ["b.md"]);
}
