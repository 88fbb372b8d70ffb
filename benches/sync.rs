//! `cargo bench --bench sync`: what team sync costs next to plain git, in a
//! synthetic repository of 10k documents (`FINDINGS_BENCH_DOCS` to change
//! it), cloned from a local bare remote.
//!
//! The repository comes from the shared benchmark corpus
//! (`benches/support/corpus.rs`, seed 1), committed once and pushed to a
//! bare remote; the measured clone is up to date with it. Then, seven times
//! each and interleaved, with nothing incoming and nothing outgoing:
//! `findings sync` against `git pull --rebase && git push`, and `findings
//! check --against origin/main` against `git diff --name-only origin/main`.
//! The medians are printed as a markdown table. `FINDINGS_BENCH_KEEP=1`
//! keeps the clone afterwards (its path is printed) for profiling.

#[allow(dead_code)]
#[path = "support/corpus.rs"]
mod corpus;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const RUNS: usize = 7;

struct Bench {
    home: PathBuf,
}

impl Bench {
    fn cmd(&self, program: &str, dir: &Path, args: &[&str]) -> Command {
        let mut c = Command::new(program);
        c.args(args).current_dir(dir).stdin(Stdio::null());
        for var in [
            "GIT_DIR",
            "GIT_WORK_TREE",
            "GIT_INDEX_FILE",
            "GIT_AUTHOR_NAME",
            "GIT_AUTHOR_EMAIL",
            "GIT_COMMITTER_NAME",
            "GIT_COMMITTER_EMAIL",
        ] {
            c.env_remove(var);
        }
        c.env("HOME", &self.home)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", self.home.join(".gitconfig"))
            .env("NO_COLOR", "1");
        c
    }

    fn run(&self, program: &str, dir: &Path, args: &[&str]) -> String {
        let out = self.cmd(program, dir, args).output().unwrap();
        assert!(
            out.status.success(),
            "{program} {args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Milliseconds of `runs` commands run one after the other (each must succeed).
    fn time(&self, dir: &Path, runs: &[(&str, &[&str])]) -> f64 {
        let mut cmds: Vec<Command> = runs
            .iter()
            .map(|(p, a)| {
                let mut c = self.cmd(p, dir, a);
                c.stdout(Stdio::null()).stderr(Stdio::null());
                c
            })
            .collect();
        let t = Instant::now();
        for c in &mut cmds {
            assert!(c.status().unwrap().success(), "{c:?}");
        }
        t.elapsed().as_secs_f64() * 1000.0
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("benches/sync: run with `cargo bench --bench sync`");
        return;
    }
    let docs: usize = std::env::var("FINDINGS_BENCH_DOCS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let tmp = tempfile::tempdir().unwrap();
    let b = Bench {
        home: tmp.path().join("home"),
    };
    fs::create_dir_all(&b.home).unwrap();
    let seed = tmp.path().join("seed");
    let bare = tmp.path().join("remote.git");
    let work = tmp.path().join("work");
    fs::create_dir_all(&seed).unwrap();
    let findings = env!("CARGO_BIN_EXE_findings");

    println!("# findings sync benchmark: {docs} documents\n");
    let t = Instant::now();
    corpus::generate(&seed, docs, 1, 10).unwrap();
    // The generator marks its folder with an empty .git; make it a real one.
    let _ = fs::remove_dir_all(seed.join(".git"));
    let git = |dir: &Path, args: &[&str]| b.run("git", dir, args);
    git(&seed, &["init", "-q", "-b", "main"]);
    git(&seed, &["config", "user.name", "Bench User"]);
    git(&seed, &["config", "user.email", "bench@example.com"]);
    git(&seed, &["add", "-A"]);
    git(&seed, &["commit", "-q", "-m", "corpus"]);
    git(
        tmp.path(),
        &["init", "-q", "--bare", "-b", "main", bare.to_str().unwrap()],
    );
    git(&seed, &["remote", "add", "origin", bare.to_str().unwrap()]);
    git(&seed, &["push", "-q", "-u", "origin", "main"]);
    git(
        tmp.path(),
        &["clone", "-q", bare.to_str().unwrap(), work.to_str().unwrap()],
    );
    git(&work, &["config", "user.name", "Bench User"]);
    git(&work, &["config", "user.email", "bench@example.com"]);
    b.run(findings, &work, &["init", "--no-commit"]);
    // Warm the caches the way a user's second command finds them.
    git(&work, &["status", "--porcelain"]);
    b.run(findings, &work, &["list", "-f", "ids"]);
    println!("setup (not measured): {:.1} s\n", t.elapsed().as_secs_f64());

    let (mut fs_, mut gs, mut fc, mut gc) = (vec![], vec![], vec![], vec![]);
    for _ in 0..RUNS {
        fs_.push(b.time(&work, &[(findings, &["sync"])]));
        gs.push(b.time(&work, &[("git", &["pull", "-q", "--rebase"]), ("git", &["push", "-q"])]));
        fc.push(b.time(&work, &[(findings, &["check", "--against", "origin/main"])]));
        gc.push(b.time(&work, &[("git", &["diff", "--name-only", "origin/main"])]));
    }
    let rows = [
        (
            "no-op `findings sync` vs `git pull --rebase && git push`",
            median(fs_),
            median(gs),
        ),
        (
            "`findings check --against origin/main` vs `git diff --name-only origin/main`",
            median(fc),
            median(gc),
        ),
    ];
    println!("median of {RUNS}, interleaved:\n");
    println!("| {docs} documents | findings ms | git ms | ratio |");
    println!("| --- | ---: | ---: | ---: |");
    for (what, f, g) in rows {
        println!("| {what} | {f:.1} | {g:.1} | {:.2} |", f / g);
    }
    println!("\ncommand: `cargo bench --bench sync` (FINDINGS_BENCH_DOCS={docs})");
    if std::env::var_os("FINDINGS_BENCH_KEEP").is_some() {
        println!("kept the clone for profiling: {}", tmp.keep().join("work").display());
    }
}
