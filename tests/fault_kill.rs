//! The fault suite: the real binary SIGKILLed at random moments of renaming
//! status changes and of `renumber`, and writes on a full disk. After each
//! fault it counts duplicates (two files with one ID), missing documents,
//! torn files, stale locks (a later write that cannot get past a lock) and
//! false commits (a printed commit ID that does not exist), asserts every
//! count is zero and prints them.

mod fault_support;

use fault_support::{finding, printed_commits, whole, Fixture, CYCLE};
use std::fs;
use std::process::{Child, Stdio};
use std::time::Duration;

/// A small deterministic generator (xorshift), seeded from the clock and
/// printed, so a failing run can be replayed with `FAULT_SEED`.
struct Rng(u64);

impl Rng {
    fn new() -> Rng {
        let seed = std::env::var("FAULT_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos() as u64)
                    .unwrap_or(1)
                    | 1
            });
        eprintln!("FAULT_SEED={seed}");
        Rng(seed)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// Counts of what went wrong over a loop.
#[derive(Debug, Default)]
struct Counts {
    iterations: usize,
    killed: usize,
    finished: usize,
    duplicates: usize,
    missing: usize,
    torn: usize,
    stale_locks: usize,
    false_commits: usize,
    inconsistent: usize,
    /// Kills that left the old name with the new content (allowed: the
    /// next write repairs it), showing the window between the two steps
    /// was hit.
    between: usize,
    /// Locks a killed run left that a later run recognised and removed.
    cleared_locks: usize,
    /// Journals a killed `renumber` left that the next write completed.
    completed_journals: usize,
}

impl Counts {
    fn assert_clean(&self, what: &str) {
        eprintln!("{what}: {self:?}");
        assert_eq!(
            (
                self.duplicates,
                self.missing,
                self.torn,
                self.stale_locks,
                self.false_commits,
                self.inconsistent
            ),
            (0, 0, 0, 0, 0, 0),
            "{what}: {self:?}"
        );
    }
}

/// Run `child` for `delay`, then SIGKILL it; its output when it finished
/// first (`None` when it was killed).
fn kill_after(mut child: Child, delay: Duration) -> Option<std::process::Output> {
    std::thread::sleep(delay);
    match child.try_wait().unwrap() {
        Some(_) => Some(child.wait_with_output().unwrap()),
        None => {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            // It may have finished between the check and the kill.
            out.status.success().then_some(out)
        }
    }
}

/// The `status:` value of a fixture's text.
fn status_of(text: &str) -> &str {
    text.lines()
        .find_map(|l| l.strip_prefix("status: "))
        .unwrap_or("")
        .trim()
}

/// Check a finished run's printed commits exist, and count what it
/// recovered from earlier kills.
fn count_false_commits(f: &Fixture, out: &std::process::Output, c: &mut Counts) {
    let said = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    c.cleared_locks += said.matches("that is gone (killed)").count();
    c.completed_journals += said.matches("completed an interrupted write").count();
    for id in printed_commits(&out.stdout) {
        if !f.commit_exists(&id) {
            c.false_commits += 1;
        }
    }
}

/// Whether a failed run failed on a lock.
fn lock_failure(out: &std::process::Output) -> bool {
    let err = String::from_utf8_lossy(&out.stderr);
    !out.status.success() && (err.contains("index.lock") || err.contains("holds the lock"))
}

fn spawn(f: &Fixture, args: &[&str]) -> Child {
    f.findings(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// SIGKILL during status changes that rename the file.
#[test]
fn kill_loop_over_renaming_writes() {
    const ITERATIONS: usize = 240;
    let f = Fixture::new(&[("findings/001-pending-p2-first.md", finding("001", "pending", "First"))]);
    let mut rng = Rng::new();
    let mut c = Counts::default();
    for i in 0..ITERATIONS {
        c.iterations += 1;
        let files = f.files();
        let Some(current) = files.first() else { break };
        let text = fs::read_to_string(f.repo().join("findings").join(current)).unwrap_or_default();
        let now = status_of(&text);
        let to = (0..CYCLE.len())
            .map(|k| CYCLE[(i + k) % CYCLE.len()])
            .find(|s| *s != now)
            .unwrap_or("ready");
        let child = spawn(&f, &["status", "001", to, "--force"]);
        match kill_after(child, Duration::from_micros(rng.below(40_000))) {
            Some(out) => {
                c.finished += 1;
                count_false_commits(&f, &out, &mut c);
                if lock_failure(&out) {
                    eprintln!("iteration {i}: {}", String::from_utf8_lossy(&out.stderr));
                    c.stale_locks += 1;
                }
            }
            None => c.killed += 1,
        }
        let files = f.files();
        if files.len() > 1 {
            c.duplicates += 1;
            eprintln!("duplicate after iteration {i}: {files:?}");
        }
        if files.is_empty() {
            c.missing += 1;
            break;
        }
        for name in &files {
            let text = fs::read_to_string(f.repo().join("findings").join(name)).unwrap_or_default();
            if !whole(&text) {
                c.torn += 1;
            }
            if !name.contains(&format!("-{}-", status_of(&text))) {
                c.between += 1;
            }
        }
    }
    // The next write gets past whatever the last kill left.
    let out = f.run(&["log", "001", "After the kill loop"]);
    if lock_failure(&out) || !out.status.success() {
        eprintln!("final write: {}", String::from_utf8_lossy(&out.stderr));
        c.stale_locks += 1;
    }
    count_false_commits(&f, &out, &mut c);
    let a = f.audit();
    if !a.locks.is_empty() {
        eprintln!("left in .git: {:?}", a.locks);
    }
    c.stale_locks += a.locks.len();
    c.duplicates += a.duplicates.len();
    assert!(f.git_ok(&["fsck", "--no-progress", "--no-dangling"]), "git fsck");
    c.assert_clean("kill loop over renaming writes");
    assert!(
        a.temps.is_empty(),
        "temporary files the next write should have cleared: {:?}",
        a.temps
    );
}

/// The first document's ID from its file name (`005-…` → `005`).
fn first_id(f: &Fixture) -> Vec<String> {
    f.files()
        .iter()
        .filter(|n| !n.starts_with("002-"))
        .map(|n| n.split('-').next().unwrap_or("").to_string())
        .collect()
}

/// SIGKILL during `renumber`; the next write completes or finds nothing to
/// complete, and then the references agree with the file.
#[test]
fn kill_loop_over_renumber() {
    const ITERATIONS: usize = 100;
    let second = finding("002", "pending", "Second").replace("dependencies: []", "dependencies: [\"001\"]");
    let f = Fixture::new(&[
        ("findings/001-pending-p2-first.md", finding("001", "pending", "First")),
        ("findings/002-pending-p2-second.md", second),
    ]);
    let mut rng = Rng::new();
    let mut c = Counts::default();
    for i in 0..ITERATIONS {
        c.iterations += 1;
        let ids = first_id(&f);
        let [id] = ids.as_slice() else {
            c.duplicates += 1;
            eprintln!("after iteration {i}: {:?}", f.files());
            break;
        };
        let next = if id == "001" { "3" } else { "1" };
        let child = spawn(&f, &["renumber", id, next]);
        match kill_after(child, Duration::from_micros(rng.below(60_000))) {
            Some(out) => {
                c.finished += 1;
                count_false_commits(&f, &out, &mut c);
            }
            None => c.killed += 1,
        }
        // The next write completes whatever the kill left.
        let out = f.run(&["log", "002", &format!("Iteration {i}")]);
        if !out.status.success() {
            eprintln!("write after iteration {i}: {}", String::from_utf8_lossy(&out.stderr));
            if lock_failure(&out) {
                c.stale_locks += 1;
            } else {
                c.inconsistent += 1;
            }
        }
        count_false_commits(&f, &out, &mut c);
        let ids = first_id(&f);
        let [id] = ids.as_slice() else {
            if ids.is_empty() {
                c.missing += 1;
            } else {
                c.duplicates += 1;
            }
            break;
        };
        let name = f
            .files()
            .into_iter()
            .find(|n| n.starts_with(id.as_str()))
            .unwrap_or_default();
        let first = fs::read_to_string(f.repo().join("findings").join(&name)).unwrap_or_default();
        let second = fs::read_to_string(f.repo().join("findings/002-pending-p2-second.md")).unwrap_or_default();
        if !whole(&first) || !whole(&second) {
            c.torn += 1;
        }
        let inside = first.contains(&format!("issue_id: \"{id}\""));
        let pointed = second.contains(&format!("dependencies: [\"{id}\"]"));
        if !inside || !pointed {
            c.inconsistent += 1;
            eprintln!("after iteration {i}: {name} inside={inside} referenced={pointed}");
        }
        if f.git_dir().join("findings-journal.json").exists() {
            c.inconsistent += 1;
        }
    }
    let a = f.audit();
    c.stale_locks += a.locks.len();
    assert!(f.git_ok(&["fsck", "--no-progress", "--no-dangling"]), "git fsck");
    c.assert_clean("kill loop over renumber");
}
