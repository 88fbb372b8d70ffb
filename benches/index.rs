//! `cargo bench --bench index`: what the document index buys, each
//! findings command against its baseline in the same run, on a committed
//! synthetic repository of 100k documents (`FINDINGS_BENCH_DOCS=10000` to
//! shrink it; the shared generator of `benches/support/corpus.rs`, seed 1).
//!
//! Rows, each the median of `FINDINGS_BENCH_RUNS` (default 5) runs, the
//! commands interleaved so that a busy machine weighs on all alike:
//! - `findings show ID` (the index warm) against `git status`;
//! - `findings list --format json`, second run (the index warm), against
//!   `git status`; and its first run (no index: every file read, the index
//!   written) for comparison;
//! - the terminal UI in this process, as the runner drives it: launch to the
//!   first frame, to the first rows and to the full list, without an index
//!   and with one.
//!
//! - `findings log ID TEXT` (edit and commit) against a change of the same
//!   size to another document by hand, `git add` and `git commit`; and
//!   `show ID` after those writes (the folder's stat changed since the
//!   index was written: its names are listed again and its files checked).
//!
//! The `triage` benchmark (`cargo bench --bench triage`) compares `log`
//! and `triage` with the exact bytes they write.

#[allow(dead_code)]
#[path = "support/corpus.rs"]
mod corpus;
#[allow(dead_code)]
#[path = "support/launch.rs"]
mod launch;

use findings::store::Repo;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn command(program: &str, dir: &Path, home: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(program);
    c.args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for var in ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"] {
        c.env_remove(var);
    }
    c.env("HOME", home)
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", home.join(".gitconfig"))
        .env("NO_COLOR", "1");
    c
}

/// Run to completion, which must succeed; the wall time.
fn timed(mut c: Command) -> Duration {
    let t = Instant::now();
    let out = c.output().expect("spawn");
    let wall = t.elapsed();
    assert!(out.status.success(), "{c:?}: {}", String::from_utf8_lossy(&out.stderr));
    wall
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

/// The file names of the todos in `findings/` (they start with their
/// number), sorted.
fn todo_names(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(root.join("findings"))
        .expect("findings/")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.as_bytes().first().is_some_and(u8::is_ascii_digit))
        .collect();
    names.sort();
    names
}

/// The ID of the middle todo in `findings/` (its file name's number).
fn some_todo(root: &Path) -> String {
    let names = todo_names(root);
    let name = names.get(names.len() / 2).expect("a todo");
    name.split('-').next().unwrap_or(name).to_string()
}

/// Todos (ID, path) spread over `findings/`, for the writes.
fn todos(root: &Path) -> Vec<(String, String)> {
    let names = todo_names(root);
    let step = (names.len() / 64).max(1);
    names
        .iter()
        .step_by(step)
        .map(|n| (n.split('-').next().unwrap_or(n).to_string(), format!("findings/{n}")))
        .collect()
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("benches/index: run with `cargo bench --bench index`");
        return;
    }
    let n = corpus::env_num("FINDINGS_BENCH_DOCS", 100_000) as usize;
    let runs = corpus::env_num("FINDINGS_BENCH_RUNS", 5).max(1) as usize;
    let tmp = tempfile::tempdir().expect("tempdir");
    let (root, home) = (tmp.path().join("repo"), tmp.path().join("home"));
    fs::create_dir_all(&home).expect("home");
    let t = Instant::now();
    let stats = corpus::generate(&root, n, 1, 10).expect("generate");
    fs::remove_dir_all(root.join(".git")).expect("the generator's empty .git");
    let git = |args: &[&str]| timed(command("git", &root, &home, args));
    git(&["init", "-q", "-b", "main"]);
    git(&["config", "user.name", "Bench User"]);
    git(&["config", "user.email", "bench@example.com"]);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "corpus"]);
    println!(
        "# findings index benchmark: {} documents ({:.0} MB), set up and committed in {:.1} s\n",
        stats.files,
        stats.bytes as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    let bin = env!("CARGO_BIN_EXE_findings");
    let index = root.join(".git/findings/index");
    let id = some_todo(&root);
    let findings = |args: &[&str]| command(bin, &root, &home, args);
    // Warm the page cache and write the index.
    git(&["status"]);
    timed(findings(&["list", "--format", "json"]));
    let (mut status, mut show, mut list, mut cold) = (vec![], vec![], vec![], vec![]);
    for _ in 0..runs {
        status.push(git(&["status"]));
        show.push(timed(findings(&["show", &id])));
        list.push(timed(findings(&["list", "--format", "json"])));
        let _ = fs::remove_file(&index);
        cold.push(timed(findings(&["list", "--format", "json"])));
    }
    // Writes: findings log on one todo, the same size of change by hand on
    // another, each committed; then show with the index as they left it.
    timed(findings(&["list", "--format", "json"]));
    let todos = todos(&root);
    let (mut log, mut by_hand, mut show_after) = (vec![], vec![], vec![]);
    for run in 0..runs {
        let (a, b) = (&todos[(2 * run) % todos.len()], &todos[(2 * run + 1) % todos.len()]);
        let before = fs::metadata(root.join(&a.1)).map(|m| m.len()).unwrap_or(0);
        let entry = format!("Benchmark entry {run}");
        log.push(timed(findings(&["log", &a.0, &entry])));
        let grown = fs::metadata(root.join(&a.1))
            .map(|m| m.len())
            .unwrap_or(0)
            .saturating_sub(before);
        let message = format!("by hand {run}");
        let (add, commit) = (
            command("git", &root, &home, &["add", "--", &b.1]),
            command("git", &root, &home, &["commit", "-q", "-m", &message]),
        );
        let t = Instant::now();
        let mut text = fs::read(root.join(&b.1)).expect("todo");
        text.extend((0..grown).map(|i| if i + 1 == grown { b'\n' } else { b'x' }));
        fs::write(root.join(&b.1), text).expect("write");
        timed(add);
        timed(commit);
        by_hand.push(t.elapsed());
        show_after.push(timed(findings(&["show", &id])));
    }
    let size = fs::metadata(&index).map(|m| m.len()).unwrap_or(0);
    let (g, s, l, c) = (median(status), median(show), median(list), median(cold));
    let (lg, bh, sa) = (median(log), median(by_hand), median(show_after));
    let x = |d: Duration| format!("{:.2}x", d.as_secs_f64() / g.as_secs_f64());
    println!(
        "median of {runs} runs, wall ms; baseline `git status` in the same run: {} ms\n",
        ms(g)
    );
    println!("| {n} documents | findings ms | × `git status` | target |");
    println!("| --- | ---: | ---: | ---: |");
    println!("| `show {id}` (index warm) | {} | {} | ≤ 2x |", ms(s), x(s));
    println!("| `list --format json`, second run | {} | {} | ≤ 3x |", ms(l), x(l));
    println!(
        "| `list --format json`, no index (writes it) | {} | {} | - |",
        ms(c),
        x(c)
    );
    println!("| `show {id}` after the writes below | {} | {} | ≤ 2x |", ms(sa), x(sa));
    println!(
        "\n| {n} documents | findings ms | by hand ms | × by hand | target |\n| --- | ---: | ---: | ---: | ---: |"
    );
    println!(
        "| `log ID TEXT` vs the same size of change, `git add` + `git commit` | {} | {} | {:.2}x | ≤ 1x |",
        ms(lg),
        ms(bh),
        lg.as_secs_f64() / bh.as_secs_f64()
    );
    println!(
        "\nindex: {:.1} MB, {:.0} bytes a document\n",
        size as f64 / 1e6,
        size as f64 / n as f64
    );

    // The terminal UI, in this process (its index is this executable's).
    let mut rows = Vec::new();
    for warm in [false, true] {
        if warm {
            let _ = Repo::open(&root);
        } else {
            let _ = fs::remove_file(&index);
        }
        let l = launch::launch(&root).expect("config");
        rows.push((warm, l.first, l.first_rows.unwrap_or(l.full), l.full, l.rows));
    }
    println!("| TUI launch, {n} documents | first frame ms | first rows ms | full list ms | rows |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    for (warm, first, some, full, shown) in rows {
        let what = if warm { "with the index" } else { "no index" };
        println!("| {what} | {} | {} | {} | {shown} |", ms(first), ms(some), ms(full));
    }
    println!("targets: first frame ≤ 100 ms, full list ≤ 2 s");
    println!("\ncommand: `cargo bench --bench index` (FINDINGS_BENCH_DOCS={n}, FINDINGS_BENCH_RUNS={runs})");
}
