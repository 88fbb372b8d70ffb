//! Many findings processes writing at once to one repository: the repository
//! lock serializes them, so no work-log entry is lost or doubled, every
//! success is a commit of its own, every failure says so with a non-zero
//! exit, and a commit holds only the document its process wrote.

mod common;

use std::fs;

use std::process::{Command, Output};
use std::sync::{Arc, Barrier};

const OLD_030: &str = "findings/030-pending-p1-race-condition-duplicate-assignment.md";

common::repo_type! {
    /// A temporary git repository (`root/repo`) holding the committed samples,
    /// with an empty home folder (`root/home`).
    struct Sample;
}

impl Sample {
    fn new() -> Sample {
        Sample(common::TempRepo::samples())
    }

    fn commits(&self) -> usize {
        self.git(&["rev-list", "--count", "HEAD"]).trim().parse().unwrap()
    }

    /// A `findings` command in the repository.
    fn findings(&self, args: &[String]) -> Command {
        let mut cmd = self.findings_cmd();
        cmd.args(args).env("NO_COLOR", "1");
        cmd
    }

    /// The paths each of the last `n` commits touched, with its subject.
    fn last_commits(&self, n: usize) -> Vec<(String, Vec<String>)> {
        let ids = self.git(&["log", &format!("-{n}"), "--format=%H"]);
        ids.lines()
            .map(|id| {
                let subject = self.git(&["log", "-1", "--format=%s", id]).trim().to_string();
                let paths = self
                    .git(&["show", "--name-status", "-M", "--format=", id])
                    .lines()
                    .filter(|l| !l.is_empty())
                    .map(|l| l.split('\t').next_back().unwrap().to_string())
                    .collect();
                (subject, paths)
            })
            .collect()
    }
}

/// Run `jobs` (each a list of argument lists run one after another) in
/// parallel threads released together; every process's output, by job.
fn race(s: &Sample, jobs: Vec<Vec<Vec<String>>>) -> Vec<Vec<(Vec<String>, Output)>> {
    let barrier = Arc::new(Barrier::new(jobs.len()));
    std::thread::scope(|scope| {
        let handles: Vec<_> = jobs
            .into_iter()
            .map(|job| {
                let barrier = Arc::clone(&barrier);
                scope.spawn(move || {
                    let cmds: Vec<Command> = job.iter().map(|a| s.findings(a)).collect();
                    barrier.wait();
                    job.into_iter()
                        .zip(cmds)
                        .map(|(args, mut cmd)| {
                            let out = cmd.output().expect("findings runs");
                            (args, out)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

fn args(a: &[&str]) -> Vec<String> {
    a.iter().map(|s| s.to_string()).collect()
}

#[test]
fn two_hundred_log_entries_from_eight_processes_are_each_written_once() {
    const PROCS: usize = 8;
    const EACH: usize = 25;
    let s = Sample::new();
    let base = s.commits();
    let jobs: Vec<Vec<Vec<String>>> = (0..PROCS)
        .map(|p| {
            (0..EACH)
                .map(|n| args(&["log", "030", &format!("entry {p}-{n}")]))
                .collect()
        })
        .collect();
    let results = race(&s, jobs);

    let text = fs::read_to_string(s.path().join(OLD_030)).unwrap();
    let mut ok = 0;
    let mut failed = Vec::new();
    for (p, job) in results.iter().enumerate() {
        for (n, (a, out)) in job.iter().enumerate() {
            let row = format!("| entry {p}-{n} (by Test User) |");
            let present = text.matches(&row).count();
            assert!(present <= 1, "{row} written {present} times");
            if out.status.success() {
                ok += 1;
                assert_eq!(present, 1, "{a:?} succeeded but its entry is missing");
            } else {
                let err = String::from_utf8_lossy(&out.stderr);
                assert!(err.starts_with("findings: error: "), "{a:?} failed silently: {err}");
                failed.push(format!("{a:?}: {err}"));
            }
        }
    }
    eprintln!(
        "{ok} succeeded, {} failed with a reported error{}",
        failed.len(),
        failed.iter().map(|f| format!("\n  {f}")).collect::<String>()
    );
    assert_eq!(ok + failed.len(), PROCS * EACH);
    // One commit per success, each holding only the one file.
    assert_eq!(s.commits(), base + ok);
    for (subject, paths) in s.last_commits(ok) {
        assert!(subject.starts_with("findings(030): log entry "), "{subject}");
        assert_eq!(paths, [OLD_030], "{subject}");
    }
    // The table is whole: every row one line, the document checks clean.
    let rows = text.lines().filter(|l| l.starts_with("| 20")).count();
    assert_eq!(rows, 1 + text.matches("| entry ").count());
    let check = s.findings(&args(&["check"])).output().unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
    if failed.is_empty() {
        assert_eq!(rows, 1 + PROCS * EACH);
        assert_eq!(s.git(&["status", "--porcelain"]), "");
    }
}

#[test]
fn concurrent_writes_to_different_documents_each_commit_only_their_own_file() {
    let s = Sample::new();
    let base = s.commits();
    // Renames and edits in the first round, logs in the next.
    let first = vec![
        vec![args(&["triage", "003", "--action", "Wrap the checks in a transaction"])],
        vec![args(&["triage", "030", "--action", "upsert"])],
        vec![args(&["status", "DATA-001", "in_progress"])],
        vec![args(&["log", "0105", "Reviewed again"])],
    ];
    let then: Vec<Vec<Vec<String>>> = ["003", "030", "DATA-001", "ADR-0105"]
        .iter()
        .map(|id| (0..5).map(|n| args(&["log", id, &format!("{id} note {n}")])).collect())
        .collect();
    for jobs in [first, then] {
        for job in race(&s, jobs) {
            for (a, out) in job {
                assert!(out.status.success(), "{a:?}: {}", String::from_utf8_lossy(&out.stderr));
            }
        }
    }
    assert_eq!(s.commits(), base + 4 + 20);
    let own = |subject: &str| -> &str {
        let id = subject
            .strip_prefix("findings(")
            .and_then(|r| r.split_once(')'))
            .map(|(id, _)| id)
            .unwrap_or_else(|| panic!("{subject}"));
        match id {
            "003" => "findings/003-ready-p1-race-condition-existence-checks.md",
            "030" => "findings/030-ready-p1-race-condition-duplicate-assignment.md",
            "DATA-001" => "findings/DATA-001-in_progress-P2-race-condition-objection-response.md",
            "ADR-0105" => "adr/0105-prisma-race-condition-prevention.md",
            other => panic!("unexpected commit for {other}"),
        }
    };
    for (subject, paths) in s.last_commits(24) {
        assert_eq!(paths, [own(&subject)], "{subject}");
    }
    // Each document holds its own five notes, once each, and nobody else's.
    for (id, path) in [
        ("003", own("findings(003)")),
        ("030", own("findings(030)")),
        ("DATA-001", own("findings(DATA-001)")),
        ("ADR-0105", own("findings(ADR-0105)")),
    ] {
        let text = fs::read_to_string(s.path().join(path)).unwrap();
        for n in 0..5 {
            assert_eq!(text.matches(&format!("| {id} note {n} (by")).count(), 1, "{path}");
        }
        assert_eq!(text.matches(" note ").count(), 5, "{path}");
    }
    assert_eq!(s.git(&["status", "--porcelain"]), "");
    let check = s.findings(&args(&["check"])).output().unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
}

#[test]
fn concurrent_new_documents_get_distinct_ids() {
    let s = Sample::new();
    let base = s.commits();
    let jobs: Vec<Vec<Vec<String>>> = (0..6)
        .map(|p| {
            vec![
                args(&["new", "--title", &format!("todo {p}")]),
                args(&[
                    "new",
                    "-k",
                    "finding",
                    "--category",
                    "data-integrity",
                    "--title",
                    &format!("finding {p}"),
                ]),
            ]
        })
        .collect();
    let mut ids = Vec::new();
    for job in race(&s, jobs) {
        for (a, out) in job {
            assert!(out.status.success(), "{a:?}: {}", String::from_utf8_lossy(&out.stderr));
            let first = String::from_utf8(out.stdout).unwrap();
            ids.push(first.lines().next().unwrap().trim().to_string());
        }
    }
    ids.sort();
    let mut want: Vec<String> = (31..37)
        .map(|n| format!("{n:03}"))
        .chain((6..12).map(|n| format!("DATA-{n:03}")))
        .collect();
    want.sort();
    assert_eq!(ids, want);
    assert_eq!(s.commits(), base + 12);
    for (subject, paths) in s.last_commits(12) {
        assert_eq!(paths.len(), 1, "{subject}");
    }
    let check = s.findings(&args(&["check"])).output().unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
}

#[test]
fn writes_racing_a_rename_follow_the_document() {
    let s = Sample::new();
    let base = s.commits();
    // One process triages 030 (renaming it) while others log to it and a
    // second triage of the same document races the first.
    let mut jobs = vec![
        vec![args(&["triage", "030", "--action", "upsert"])],
        vec![args(&["triage", "030", "--action", "upsert"])],
    ];
    for p in 0..4 {
        jobs.push(
            (0..3)
                .map(|n| args(&["log", "030", &format!("racer {p}-{n}")]))
                .collect(),
        );
    }
    let mut triaged = 0;
    let mut refused = Vec::new();
    for job in race(&s, jobs) {
        for (a, out) in job {
            let err = String::from_utf8_lossy(&out.stderr).to_string();
            if a[0] == "triage" {
                if out.status.success() {
                    triaged += 1;
                } else {
                    refused.push(err);
                }
            } else {
                assert!(out.status.success(), "{a:?}: {err}");
            }
        }
    }
    // Exactly one triage wins; the other is refused as already done.
    assert_eq!(triaged, 1, "{refused:?}");
    assert_eq!(refused.len(), 1);
    assert!(refused[0].contains("already ready"), "{}", refused[0]);
    assert_eq!(s.commits(), base + 1 + 12);
    let path = "findings/030-ready-p1-race-condition-duplicate-assignment.md";
    assert!(!s.path().join(OLD_030).exists());
    let text = fs::read_to_string(s.path().join(path)).unwrap();
    for p in 0..4 {
        for n in 0..3 {
            assert_eq!(text.matches(&format!("| racer {p}-{n} (by")).count(), 1);
        }
    }
    assert_eq!(text.matches("Triage: pending → ready").count(), 1);
    assert_eq!(s.git(&["status", "--porcelain"]), "");
    let check = s.findings(&args(&["check"])).output().unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
}
