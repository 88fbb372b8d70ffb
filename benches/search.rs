//! `cargo bench --bench search`: one full-text query over a synthetic
//! corpus of 10k documents (`benches/support/corpus.rs`, the load bench's
//! corpus, reused from `target/bench-corpus/10000`), against `rg -c -S`
//! over the same files, in the same run.
//!
//! Rows (medians of `FINDINGS_BENCH_RUNS`, default 10, after one warm-up):
//! - `in memory`: `search::search` over texts already in memory;
//! - the terminal UI's list search (`tui::index::Index` with the texts of a
//!   `TextCache`): the query set at once, and typed one character at a
//!   time (p50/p95 of a keystroke to complete results), texts in memory;
//!   and the session's first query, which reads the files;
//! - `from files`: `search::search` reading every file for the query
//!   (`findings search`'s search step, without loading the metadata);
//! - `findings search`: the whole command, spawned (it loads and parses every
//!   document first, as `findings list` does);
//! - `rg -c -S`: ripgrep counting matching lines per file, spawned.
//!
//! Environment: `FINDINGS_BENCH_SIZES` (default 10000), `FINDINGS_BENCH_RUNS`,
//! `FINDINGS_BENCH_QUERY` (default `upsert`), `FINDINGS_BENCH_DIR`. Without
//! `--bench` (as under `cargo test --benches`) it runs a small smoke test.

#[path = "support/corpus.rs"]
mod corpus;

use findings::query::SortKey;
use findings::search::cache::TextCache;
use findings::search::{self, Case, Files, Options, Query};
use findings::store::Repo;
use findings::tui::index::Index;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut out = f(); // warm-up
    let mut v = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        out = f();
        v.push(t.elapsed());
    }
    (median(v), out)
}

fn spawn(argv: &[&std::ffi::OsStr]) -> Option<Vec<u8>> {
    let out = Command::new(argv[0])
        .args(&argv[1..])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    Some(out.stdout)
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() -> std::io::Result<()> {
    let full = std::env::args().any(|a| a == "--bench");
    let sizes: Vec<usize> = if full {
        std::env::var("FINDINGS_BENCH_SIZES")
            .ok()
            .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
            .unwrap_or_else(|| vec![10_000])
    } else {
        vec![300]
    };
    let runs = if full {
        corpus::env_num("FINDINGS_BENCH_RUNS", 10).max(1) as usize
    } else {
        1
    };
    let query = std::env::var("FINDINGS_BENCH_QUERY").unwrap_or_else(|_| "upsert".into());
    let base = std::env::var_os("FINDINGS_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| corpus::target_dir().join("bench-corpus"));
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_findings"));
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let rg = Command::new("rg")
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success());
    let load = || {
        std::fs::read_to_string("/proc/loadavg")
            .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
            .unwrap_or_else(|_| "unknown".into())
    };
    eprintln!("load average {}", load());
    eprintln!(
        "query {query:?}, {runs} runs, {cpus} CPUs; rg: {}",
        rg.as_ref()
            .map(|o| String::from_utf8_lossy(&o.stdout)
                .lines()
                .next()
                .unwrap_or("")
                .to_string())
            .unwrap_or_else(|| "not installed (no baseline)".into())
    );
    for n in sizes {
        let dir = base.join(n.to_string());
        let (stats, made) = corpus::ensure(&dir, n, 1, 10)?;
        eprintln!(
            "corpus {}: {} files, {:.1} MB{}",
            dir.display(),
            stats.files,
            stats.bytes as f64 / 1e6,
            if made { " (generated now)" } else { "" }
        );
        let repo = Repo::open(&dir).map_err(std::io::Error::other)?;
        let all: Vec<usize> = (0..repo.items.len()).collect();
        let texts: Vec<Option<String>> = repo
            .items
            .iter()
            .map(|m| search::read_text(&repo.root, &m.path).ok())
            .collect();
        let q = Query::new(&query, Case::Smart).map_err(std::io::Error::other)?;
        let opts = Options::default();
        let (mem, hits) = time(runs, || {
            search::search(&repo.items, &all, texts.as_slice(), &q, opts).len()
        });
        let (files, hits2) = time(runs, || {
            search::search(&repo.items, &all, &Files { root: &repo.root }, &q, opts).len()
        });
        assert_eq!(hits, hits2);
        let argv_f = [
            bin.as_os_str(),
            "-C".as_ref(),
            dir.as_os_str(),
            "search".as_ref(),
            query.as_ref(),
            "--format".as_ref(),
            "json".as_ref(),
        ];
        // The terminal UI's list search: a keystroke to its complete
        // results (fuzzy fields and texts), texts already in memory (the
        // first query of a session reads them, timed apart).
        let cache = TextCache::new(&repo.root);
        let mut ix = Index::new(&repo.items, SortKey::Priority, Default::default(), "");
        ix.search_bodies(&cache, &repo.items);
        let t = Instant::now();
        ix.set_query(&query);
        ix.finish();
        let first_read = t.elapsed();
        let tui_hits = ix.shown().len();
        let (tui, _) = time(runs, || {
            ix.set_query("");
            ix.set_query(&query);
            ix.finish();
        });
        let mut typing = Vec::new();
        for _ in 0..runs {
            ix.set_query("");
            for n in 1..=query.chars().count() {
                let prefix: String = query.chars().take(n).collect();
                let t = Instant::now();
                ix.set_query(&prefix);
                ix.finish();
                typing.push(t.elapsed());
            }
        }
        typing.sort();
        let p95 = typing[((typing.len() - 1) as f64 * 0.95).round() as usize];
        let typing_p50 = typing[typing.len() / 2];
        let (cli, _) = time(runs, || spawn(&argv_f));
        let argv_r = [
            "rg".as_ref(),
            "-c".as_ref(),
            "-S".as_ref(),
            query.as_ref(),
            dir.as_os_str(),
        ];
        let rg_row = rg.as_ref().map(|_| time(runs, || spawn(&argv_r)));
        let rg_files = rg_row
            .as_ref()
            .and_then(|(_, o)| o.as_ref())
            .map(|o| o.split(|&b| b == b'\n').filter(|l| !l.is_empty()).count());
        println!(
            "\n{n} documents, {hits} matching (rg: {} files)",
            rg_files.map_or("-".into(), |f| f.to_string())
        );
        println!("| what | median per query |");
        println!("| --- | --- |");
        println!("| search in memory (`findings::search`, all cores) | {} |", ms(mem));
        println!(
            "| TUI list search, `{query}` typed at once, to complete results ({tui_hits} rows) | {} |",
            ms(tui)
        );
        println!(
            "| TUI list search, typing `{query}`: each keystroke to complete results, p50 / p95 | {} / {} |",
            ms(typing_p50),
            ms(p95)
        );
        println!(
            "| TUI list search, first query of a session (reads the {n} files) | {} |",
            ms(first_read)
        );
        println!("| search reading the files | {} |", ms(files));
        println!(
            "| `findings search` (whole command, loads every document first) | {} |",
            ms(cli)
        );
        match rg_row {
            Some((d, _)) => println!("| `rg -c -S` | {} |", ms(d)),
            None => println!("| `rg -c -S` | not installed |"),
        }
        if full && n == 10_000 {
            // The target is the interactive query (the TUI keeps the texts);
            // reading 10k files per query is held to rg's cost instead.
            let ok = tui.max(p95) <= Duration::from_millis(50);
            println!(
                "target ≤ 50 ms per query at 10k (in memory): {}",
                if ok { "met" } else { "NOT met" }
            );
            if let Some((d, _)) = &rg_row {
                println!(
                    "reading the files: {:.2}x rg's time",
                    files.as_secs_f64() / d.as_secs_f64().max(1e-9)
                );
            }
        }
    }
    eprintln!("load average at the end: {}", load());
    Ok(())
}
