//! Disk full: writes into a repository on a small tmpfs filled to the brim,
//! with a few pages freed each time so the space runs out at every stage
//! (the document, the objects, the index, the ref). "committed" must be
//! printed only for a commit that exists; a refused write keeps the edit
//! whole or changes nothing; the repository stays sound (`git fsck`).
//! Needs root and `mount`; skipped with the reason otherwise.

mod fault_support;

use fault_support::{finding, printed_commits, whole, Fixture};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A tmpfs mounted for the test, unmounted when dropped.
struct Mount {
    dir: tempfile::TempDir,
}

impl Mount {
    fn new(size: &str) -> Result<Mount, String> {
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            return Err("not running as root, so no tmpfs can be mounted".into());
        }
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .output()
            .map_err(|e| format!("mount cannot run: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "mount -t tmpfs failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        Ok(Mount { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let ok = Command::new("umount")
            .arg(self.dir.path())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            let _ = Command::new("umount").arg("-l").arg(self.dir.path()).status();
        }
    }
}

/// Fill the file system holding `filler` to the last byte, then free
/// `free` bytes.
fn fill_then_free(filler: &Path, free: u64) {
    let mut f = fs::OpenOptions::new().create(true).append(true).open(filler).unwrap();
    let chunk = vec![0u8; 4096];
    while f.write_all(&chunk).is_ok() {}
    let _ = f.sync_all();
    let mut len = fs::metadata(filler).unwrap().len();
    // A partial last chunk.
    while f.write_all(&chunk[..512]).is_ok() {
        len += 512;
    }
    let len = fs::metadata(filler).map(|m| m.len()).unwrap_or(len);
    f.set_len(len.saturating_sub(free)).unwrap();
}

#[derive(Debug, Default)]
struct Counts {
    writes: usize,
    committed: usize,
    refused: usize,
    false_commits: usize,
    torn: usize,
    duplicates: usize,
    lost: usize,
    panics: usize,
}

#[cfg(unix)]
#[test]
fn disk_full_never_prints_a_commit_that_does_not_exist() {
    let mount = match Mount::new("2m") {
        Ok(m) => m,
        Err(reason) => {
            eprintln!("skipped: {reason}");
            return;
        }
    };
    let root = tempfile::tempdir_in(mount.path()).unwrap();
    let f = Fixture::new_in(
        root,
        &[("findings/001-pending-p2-first.md", finding("001", "pending", "First"))],
    );
    let filler: PathBuf = mount.path().join("filler");
    let mut c = Counts::default();
    let statuses = ["ready", "complete", "pending"];
    for round in 0..3 {
        for pages in 0..16u64 {
            c.writes += 1;
            let entry = format!("Entry {round}-{pages}");
            fill_then_free(&filler, pages * 4096);
            let before: Vec<(String, String)> = f
                .files()
                .into_iter()
                .map(|n| {
                    let t = fs::read_to_string(f.repo().join("findings").join(&n)).unwrap_or_default();
                    (n, t)
                })
                .collect();
            let args: Vec<&str> = if pages % 3 == 0 {
                vec!["status", "001", statuses[(round + pages as usize) % 3], "--force"]
            } else {
                vec!["log", "001", &entry]
            };
            let out = f.run(&args);
            let err = String::from_utf8_lossy(&out.stderr);
            if err.contains("panicked") {
                c.panics += 1;
            }
            let printed = printed_commits(&out.stdout);
            for id in &printed {
                if !f.commit_exists(id) {
                    c.false_commits += 1;
                    eprintln!("false commit {id}: {args:?}\n{err}");
                }
            }
            if out.status.success() {
                c.committed += usize::from(!printed.is_empty());
            } else {
                c.refused += 1;
                if c.refused <= 4 {
                    eprintln!("refused ({} free pages): {}", pages, err.trim());
                }
                assert!(printed.is_empty(), "a refused write printed a commit: {err}");
            }
            let files = f.files();
            if files.len() != 1 {
                c.duplicates += usize::from(files.len() > 1);
                c.lost += usize::from(files.is_empty());
                continue;
            }
            let text = fs::read_to_string(f.repo().join("findings").join(&files[0])).unwrap_or_default();
            if !whole(&text) {
                c.torn += 1;
            }
            // Nothing a person wrote is gone: every line before is still there.
            if let Some((_, old)) = before.first() {
                if old.lines().any(|l| !text.contains(l)) && !args.contains(&"status") {
                    c.lost += 1;
                }
            }
        }
    }
    let _ = fs::remove_file(&filler);
    let out = f.run(&["log", "001", "After the disk was freed"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    for id in printed_commits(&out.stdout) {
        assert!(f.commit_exists(&id));
    }
    assert!(f.git_ok(&["fsck", "--no-progress", "--no-dangling"]), "git fsck");
    eprintln!("disk full: {c:?}");
    assert_eq!(
        (c.false_commits, c.torn, c.duplicates, c.lost, c.panics),
        (0, 0, 0, 0, 0),
        "{c:?}"
    );
    assert!(c.refused > 0, "the disk never ran out: {c:?}");
    drop(f);
}
