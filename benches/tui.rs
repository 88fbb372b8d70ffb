//! Terminal UI benchmark (not a test): 100k synthetic documents in memory.
//!
//! Reports per-keystroke filter time while typing a 6-character query
//! (p50/p95 of keystroke to first results and to complete results, with the
//! rest scored by a background job and, for comparison, in idle steps
//! only; then per keystroke of the query, wall and CPU time), frame draw time on a 200x50 `TestBackend`, and the time to the
//! first frame for 1k and 100k documents, against the targets: filter p95
//! <= 16 ms, draw <= 2 ms, first frame <= 100 ms (1k) and <= 1 s (100k).
//! Then the complete filter per query against `fzf --filter QUERY` fed the
//! same 100k haystacks on stdin, as a markdown table.
//!
//! The streaming load, on a generated repository on disk
//! (`target/bench-corpus/N`, shared with the load benchmark; N from
//! `FINDINGS_BENCH_TUI_LOAD`, default 100000): launch (the configuration
//! read) to the first frame, to the first rows, and to the full list, with
//! the runtime's load thread streaming batches and a frame drawn after each.
//! `LOAD_ONLY=1` runs only that part, `NO_LOAD=1` all but that part.
//!
//! Run with `cargo bench --bench tui`; `BREAKDOWN=1 cargo bench --bench tui`
//! instead shows where the filter time goes (first step and the rest per
//! keystroke, nucleo's score against the ranking's own on one thread and
//! on all, sorting).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use findings::document::date::parse_date;
use findings::document::{Kind, Meta};
use findings::store::config::Config;
use findings::store::Repo;
use findings::tui::{update, view, App, AppOptions, Msg};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[allow(dead_code)]
#[path = "support/corpus.rs"]
mod corpus;
#[path = "support/launch.rs"]
mod launch;

const WORDS: &[&str] = &[
    "race",
    "condition",
    "cache",
    "stale",
    "token",
    "refresh",
    "leak",
    "memory",
    "timeout",
    "retry",
    "index",
    "missing",
    "duplicate",
    "assignment",
    "transaction",
    "lock",
    "deadlock",
    "query",
    "slow",
    "n+1",
    "auth",
    "bypass",
    "input",
    "validation",
    "overflow",
    "null",
    "pointer",
    "config",
    "drift",
    "logging",
    "secret",
    "exposed",
    "migration",
    "rollback",
    "schema",
    "upsert",
    "webhook",
    "signature",
    "rate",
    "limit",
];
const TAGS: &[&str] = &[
    "code-review",
    "security",
    "performance",
    "data-integrity",
    "api",
    "db",
    "frontend",
    "backend",
    "infra",
    "ci",
    "tests",
    "docs",
    "pr-8",
    "pr-12",
    "sprint-2",
    "auth",
    "cache",
    "billing",
    "search",
    "mobile",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[(self.next() % v.len() as u64) as usize]
    }
}

fn synthetic(n: usize) -> Vec<Meta> {
    let mut r = Rng(0x9e37_79b9_7f4a_7c15);
    (0..n)
        .map(|i| {
            let kind = match r.next() % 10 {
                0..=4 => Kind::Todo,
                5..=8 => Kind::Finding,
                _ => Kind::Adr,
            };
            let status = match kind {
                Kind::Todo => r.pick(&["pending", "ready", "complete", "wontfix"]),
                Kind::Finding => r.pick(&["open", "triaged", "in_progress", "resolved", "wont_fix"]),
                Kind::Adr => r.pick(&["proposed", "accepted", "superseded"]),
            };
            let words = 4 + (r.next() % 6) as usize;
            let title: Vec<&str> = (0..words).map(|_| r.pick(WORDS)).collect();
            let mut title = title.join(" ");
            if let Some(c) = title.get_mut(..1) {
                c.make_ascii_uppercase();
            }
            let tags: Vec<String> = (0..(r.next() % 4)).map(|_| r.pick(TAGS).to_string()).collect();
            let id = match kind {
                Kind::Todo => format!("{:05}", i),
                Kind::Finding => format!("SEC-{:05}", i),
                Kind::Adr => format!("ADR-{:05}", i),
            };
            let priority: &'static str = ["p0", "p1", "p2", "p3"][(r.next() % 4) as usize];
            let month = 1 + r.next() % 12;
            let day = 1 + r.next() % 28;
            let created = format!("2025-{month:02}-{day:02}");
            Meta {
                id: id.clone(),
                kind,
                title,
                status: Some(status),
                status_raw: Some(status.to_string()),
                status_place: None,
                priority: Some(priority),
                priority_raw: Some(priority.to_string()),
                severity: (kind == Kind::Finding).then(|| "risky".to_string()),
                tags,
                dependencies: Vec::new(),
                path: format!("{}/{id}.md", kind.as_str()),
                created_at: parse_date(&created),
                created: Some(created),
                conflicted: false,
                problems: Vec::new(),
                number: Some(i as u64),
                status_rank: findings::workflow::statuses(kind).iter().position(|s| *s == status),
                locations: Vec::new(),
            }
        })
        .collect()
}

fn repo(items: Vec<Meta>) -> Repo {
    Repo {
        root: PathBuf::from("/nonexistent"),
        config: Config::default(),
        items,
        file_problems: Vec::new(),
        partial: None,
    }
}

fn app(items: Vec<Meta>) -> App {
    App::new(
        repo(items),
        AppOptions {
            today: chrono::NaiveDate::from_ymd_opt(2026, 2, 1).unwrap_or_default(),
            size: (200, 50),
            ..AppOptions::default()
        },
    )
}

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// CPU time (user and system) of this process so far, every thread.
fn cpu_now() -> Duration {
    let mut t = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime only writes the struct it is given.
    if unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut t) } != 0 {
        return Duration::ZERO;
    }
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

/// Times of typing a query, per keystroke.
#[derive(Default)]
struct Typing {
    per_key: Vec<Duration>,
    complete: Vec<Duration>,
    /// CPU time of every thread from each keystroke to its complete results.
    cpu: Vec<Duration>,
    /// Each idle call ([`Msg::Work`]) while the rest is scored.
    idle_calls: Vec<Duration>,
    shown: usize,
    /// Per query length (the keystroke's place in the query): wall and CPU
    /// time to complete results.
    by_length: Vec<(Vec<Duration>, Vec<Duration>)>,
}

fn pct(v: &mut [Duration], p: f64) -> Duration {
    v.sort();
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v.get(i).copied().unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

fn row(what: &str, value: Duration, target: Duration) {
    let verdict = if value <= target { "ok" } else { "OVER" };
    println!("{what:<44} {:>12}   target {:>10}   {verdict}", ms(value), ms(target));
}

fn main() {
    if std::env::var_os("BREAKDOWN").is_some() {
        println!("load average {}", load_average());
        breakdown();
        println!("load average at the end: {}", load_average());
        return;
    }
    println!(
        "findings tui benchmark ({} threads), load average {}\n",
        rayon::current_num_threads(),
        load_average()
    );
    if std::env::var_os("NO_LOAD").is_none() {
        streaming_load();
    }
    if std::env::var_os("LOAD_ONLY").is_some() {
        return;
    }

    for (n, target) in [(1_000, Duration::from_millis(100)), (100_000, Duration::from_secs(1))] {
        let items = synthetic(n);
        let t = Instant::now();
        let a = app(items);
        let mut term = Terminal::new(TestBackend::new(200, 50)).expect("test backend");
        term.draw(|f| view(&a, f)).expect("draw");
        row(&format!("first frame, {n} documents"), t.elapsed(), target);
    }

    let mut a = app(synthetic(100_000));
    // These documents have no files: the rows below time the ranking of
    // ID, title and tags (the text search is timed in `--bench search`).
    a.index = findings::tui::index::Index::new(&a.repo.items, a.index.sort(), Default::default(), "");
    let mut term = Terminal::new(TestBackend::new(200, 50)).expect("test backend");
    let query = "racond";
    // Both ways of scoring the rest, in alternating rounds (the machine's
    // load changes over a run).
    const MODES: [(&str, bool); 2] = [
        ("the rest in a background job", true),
        ("the rest in idle steps only (before)", false),
    ];
    let mut stats: Vec<Typing> = MODES.iter().map(|_| Typing::default()).collect();
    update(&mut a, key('/'));
    for _ in 0..15 {
        for ((_, background), st) in MODES.iter().zip(&mut stats) {
            a.index.set_background(*background);
            st.by_length.resize_with(query.len(), Default::default);
            for (n, c) in query.chars().enumerate() {
                let cpu = cpu_now();
                let t = Instant::now();
                update(&mut a, key(c));
                st.per_key.push(t.elapsed());
                // The runner keeps scoring (or waiting for the job) while
                // the user is idle, looking at input between calls.
                while a.index.busy() {
                    let w = Instant::now();
                    update(&mut a, Msg::Work);
                    st.idle_calls.push(w.elapsed());
                }
                st.complete.push(t.elapsed());
                st.cpu.push(cpu_now().saturating_sub(cpu));
                if let Some((wall, cpu_n)) = st.by_length.get_mut(n) {
                    wall.push(t.elapsed());
                    cpu_n.push(cpu_now().saturating_sub(cpu));
                }
            }
            st.shown = a.index.shown().len();
            update(&mut a, ctrl('u'));
        }
    }
    update(&mut a, Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
    for ((label, _), mut st) in MODES.iter().zip(stats) {
        println!();
        println!(
            "typing {query:?} over 100000 documents ({} match), {} keystrokes, {label}:",
            st.shown,
            st.per_key.len(),
        );
        let p50 = pct(&mut st.per_key, 0.5);
        let p95 = pct(&mut st.per_key, 0.95);
        row("  keystroke to first results p50", p50, Duration::from_millis(16));
        row("  keystroke to first results p95", p95, Duration::from_millis(16));
        let p50 = pct(&mut st.complete, 0.5);
        let p95 = pct(&mut st.complete, 0.95);
        row("  keystroke to complete results p50", p50, Duration::from_millis(16));
        row("  keystroke to complete results p95", p95, Duration::from_millis(16));
        let p50 = pct(&mut st.cpu, 0.5);
        let p95 = pct(&mut st.cpu, 0.95);
        println!(
            "{:<44} {:>12} / {} (both cores: half of it is the wall time on an idle machine)",
            "  CPU, keystroke to complete, p50 / p95",
            ms(p50),
            ms(p95)
        );
        let n = st.idle_calls.len();
        let p95 = pct(&mut st.idle_calls, 0.95);
        row(
            &format!("  input unread per idle call p95 ({n} calls)"),
            p95,
            Duration::from_millis(16),
        );
        println!("  per keystroke, to complete results: wall p50 / p95, CPU p50 / p95");
        for (n, (mut wall, mut cpu)) in st.by_length.into_iter().enumerate() {
            println!(
                "    {:<8} {:>10} / {:>10}   CPU {:>10} / {:>10}",
                &query[..=n],
                ms(pct(&mut wall, 0.5)),
                ms(pct(&mut wall, 0.95)),
                ms(pct(&mut cpu, 0.5)),
                ms(pct(&mut cpu, 0.95))
            );
        }
    }
    a.index.set_background(true);

    for (label, q) in [("no query", ""), ("query with highlights", query)] {
        update(&mut a, ctrl('u'));
        for c in q.chars() {
            update(&mut a, key(c));
        }
        let mut draws = Vec::new();
        for _ in 0..200 {
            let t = Instant::now();
            term.draw(|f| view(&a, f)).expect("draw");
            draws.push(t.elapsed());
        }
        let p50 = pct(&mut draws, 0.5);
        let p95 = pct(&mut draws, 0.95);
        row(
            &format!("draw 200x50, 100k, {label}, p50"),
            p50,
            Duration::from_millis(2),
        );
        row(
            &format!("draw 200x50, 100k, {label}, p95"),
            p95,
            Duration::from_millis(2),
        );
    }

    versus_fzf(query);
    println!("\nload average at the end: {}", load_average());
}

/// The 1, 5 and 15 minute load averages (`/proc/loadavg`), for reading the
/// figures of a shared machine.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// The complete filter per query, findings against `fzf --filter`, on the
/// same 100k haystacks: a markdown table for the README.
fn versus_fzf(query: &str) {
    let items = synthetic(100_000);
    let hay: Vec<String> = items.iter().map(findings::query::haystack).collect();
    let input = Arc::new(hay.join("\n") + "\n");
    let queries: Vec<&str> = (1..=query.len()).filter_map(|n| query.get(..n)).collect();
    let mut ix = findings::tui::index::Index::new(&items, findings::query::SortKey::Priority, Default::default(), "");
    const RUNS: usize = 5;
    let fzf_ok = Command::new("fzf")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    println!();
    if !fzf_ok {
        println!("fzf not installed: comparison skipped");
    }
    let mut rows = Vec::new();
    for q in &queries {
        let mut ours = Vec::new();
        let mut found = 0;
        for _ in 0..RUNS {
            ix.set_query("");
            let t = Instant::now();
            ix.set_query(q);
            ix.finish();
            ours.push(t.elapsed());
            found = ix.shown().len();
        }
        let mut theirs = Vec::new();
        let mut their_found = None;
        for _ in 0..RUNS {
            if !fzf_ok {
                break;
            }
            match fzf_filter(q, &input) {
                Some((d, n)) => {
                    theirs.push(d);
                    their_found = Some(n);
                }
                None => break,
            }
        }
        rows.push((
            q.to_string(),
            pct(&mut ours, 0.5),
            found,
            (!theirs.is_empty()).then(|| pct(&mut theirs, 0.5)),
            their_found,
        ));
    }
    let fzf_version = Command::new("fzf")
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    println!(
        "Complete filter per query over 100,000 synthetic titles ({} cores, median of {RUNS}; \
         `cargo bench --bench tui`{}):",
        rayon::current_num_threads(),
        if fzf_ok {
            format!("; fzf {fzf_version} as a subprocess fed the same haystacks on stdin")
        } else {
            String::new()
        }
    );
    println!();
    println!("| query | findings | matches | `fzf --filter` | matches |");
    println!("|---|---:|---:|---:|---:|");
    for (q, ours, found, theirs, their_found) in rows {
        let t = theirs.map(ms).unwrap_or_else(|| "n/a".into());
        let n = their_found.map(|n| n.to_string()).unwrap_or_else(|| "n/a".into());
        println!("| `{q}` | {} | {found} | {t} | {n} |", ms(ours));
    }
}

/// Time `fzf --filter q` over `input` (spawn, feed, read every match);
/// `None` when fzf cannot run.
fn fzf_filter(q: &str, input: &Arc<String>) -> Option<(Duration, usize)> {
    let data = input.clone();
    let t = Instant::now();
    let mut child = Command::new("fzf")
        .args(["--filter", q])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut stdin = child.stdin.take()?;
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(data.as_bytes());
    });
    let mut out = String::new();
    child.stdout.take()?.read_to_string(&mut out).ok()?;
    let _ = writer.join();
    // fzf exits 1 when nothing matches.
    child.wait().ok()?;
    Some((t.elapsed(), out.lines().count()))
}

#[allow(dead_code)]
fn breakdown() {
    {
        let items = synthetic(100_000);
        let mut ix =
            findings::tui::index::Index::new(&items, findings::query::SortKey::Priority, Default::default(), "");
        for background in [true, false] {
            ix.set_background(background);
            for q in ["r", "ra", "racond"] {
                let mut v = Vec::new();
                for _ in 0..9 {
                    ix.set_query("");
                    let t = Instant::now();
                    ix.set_query(q);
                    ix.finish();
                    v.push(t.elapsed());
                }
                v.sort();
                println!(
                    "{q:<8} from scratch, background {background:<5}: min {:>10}, median {:>10}",
                    ms(v[0]),
                    ms(v[v.len() / 2])
                );
            }
        }
        ix.set_step(findings::tui::index::STEP);
        for round in 0..3 {
            for q in ["r", "ra", "rac", "raco", "racon", "racond"] {
                let t = Instant::now();
                ix.set_query(q);
                let first = t.elapsed();
                let t = Instant::now();
                let mut n = 0;
                while ix.step() {
                    n += 1;
                }
                if round == 2 {
                    println!(
                        "{q:<8} first step {:>10}, {n} more steps {:>10}",
                        ms(first),
                        ms(t.elapsed())
                    );
                }
            }
            ix.set_query("");
        }
        // Typing with the rest scored in the background, as the terminal
        // UI does: each keystroke to its complete result.
        ix.set_background(true);
        let mut per: Vec<Vec<Duration>> = vec![Vec::new(); 6];
        for _ in 0..9 {
            for (n, v) in per.iter_mut().enumerate() {
                let t = Instant::now();
                ix.set_query(&"racond"[..=n]);
                ix.finish();
                v.push(t.elapsed());
            }
            ix.set_query("");
        }
        for (n, mut v) in per.into_iter().enumerate() {
            println!(
                "{:<8} typed, background: to complete median {:>10}, max {:>10}",
                &"racond"[..=n],
                ms(pct(&mut v, 0.5)),
                ms(pct(&mut v, 1.0))
            );
        }
    }
    // Where a keystroke's time goes, phase by phase, for typing the query
    // (each query's candidates are the previous one's matches, as in the
    // index): scoring alone, scoring with the literal band (`rank`), on one
    // thread and on all; then sorting the keys, in full or only the top.
    use rayon::prelude::*;
    let items = synthetic(100_000);
    let hay: Vec<String> = items.iter().map(findings::query::haystack).collect();
    let masks: Vec<u64> = hay.iter().map(|h| findings::query::char_mask(h)).collect();
    let mut candidates: Vec<u32> = (0..hay.len() as u32).collect();
    println!("\nper keystroke, CPU time (all threads), best of 5 (candidates: the previous query's matches):");
    println!(
        "{:<8} {:>7} {:>7} {:>11} {:>11} {:>11} {:>11} {:>11} {:>11} {:>11} {:>11} {:>11} {:>11}",
        "query",
        "cands",
        "matches",
        "mask only",
        "nucleo 1t",
        "naive lit",
        "rank 1t",
        "rank known",
        "rank all",
        "sort 1t",
        "par_sort",
        "top 100",
        "radix 1t"
    );
    let mut walls = Vec::new();
    for n in 1..=6 {
        let q = &"racond"[..n];
        // CPU time of every thread (steadier than wall time on a shared
        // machine): for the one-thread columns, that thread's time.
        let best_of = |f: &mut dyn FnMut()| {
            let (mut cpu, mut wall) = (Duration::MAX, Duration::MAX);
            for _ in 0..5 {
                let (c, w) = (cpu_now(), Instant::now());
                f();
                cpu = cpu.min(cpu_now().saturating_sub(c));
                wall = wall.min(w.elapsed());
            }
            (cpu, wall)
        };
        let best = |f: &mut dyn FnMut()| best_of(f).0;
        let key = |s: u32, i: u32| (u64::from(u32::MAX - s) << 32) | u64::from(i);
        let probe = findings::query::Fuzzy::new(q).unwrap();
        let mask_t = best(&mut || {
            let n = candidates
                .iter()
                .filter(|&&i| probe.may_match(masks[i as usize]))
                .count();
            std::hint::black_box(n);
        });
        let score_t = best(&mut || {
            let mut f = findings::query::Fuzzy::new(q).unwrap();
            let n = candidates
                .iter()
                .filter(|&&i| f.may_match(masks[i as usize]) && f.score(&hay[i as usize]).is_some())
                .count();
            std::hint::black_box(n);
        });
        // The literal band as it was first written: every term looked for
        // byte by byte in every matching title (for comparison).
        let naive_t = best(&mut || {
            let mut f = findings::query::Fuzzy::new(q).unwrap();
            let n = candidates
                .iter()
                .filter(|&&i| {
                    let at = i as usize;
                    if !f.may_match(masks[at]) || f.score(&hay[at]).is_none() {
                        return false;
                    }
                    let (h, n) = (hay[at].as_bytes(), q.as_bytes());
                    n.len() <= h.len()
                        && (0..=h.len() - n.len())
                            .any(|i| h[i].to_ascii_lowercase() == n[0] && h[i..i + n.len()].eq_ignore_ascii_case(n))
                })
                .count();
            std::hint::black_box(n);
        });
        let mut keys = Vec::new();
        let (rank_t, rank_wall) = best_of(&mut || {
            let mut f = findings::query::Fuzzy::new(q).unwrap();
            keys = candidates
                .iter()
                .filter_map(|&i| {
                    let at = i as usize;
                    f.may_match(masks[at]).then_some(())?;
                    f.rank(&hay[at]).map(|s| key(s, i))
                })
                .collect();
        });
        // `rank` as the index calls it: ASCII known from the mask.
        let known_t = best(&mut || {
            let mut f = findings::query::Fuzzy::new(q).unwrap();
            let n = candidates
                .iter()
                .filter(|&&i| {
                    let at = i as usize;
                    f.may_match(masks[at]) && f.rank_known(&hay[at], masks[at] != u64::MAX).is_some()
                })
                .count();
            std::hint::black_box(n);
        });
        let (par_t, par_wall) = best_of(&mut || {
            let v: Vec<Vec<u64>> = candidates
                .par_chunks(1024)
                .map_init(
                    || findings::query::Fuzzy::new(q).unwrap(),
                    |f, c| {
                        c.iter()
                            .filter_map(|&i| {
                                let at = i as usize;
                                f.may_match(masks[at]).then_some(())?;
                                f.rank(&hay[at]).map(|s| key(s, i))
                            })
                            .collect()
                    },
                )
                .collect();
            std::hint::black_box(v.concat());
        });
        let sort_t = best(&mut || {
            let mut k = keys.clone();
            k.sort_unstable();
            std::hint::black_box(k);
        });
        let par_sort_t = best(&mut || {
            let mut k = keys.clone();
            k.par_sort_unstable();
            std::hint::black_box(k);
        });
        let top_t = best(&mut || {
            let mut k = keys.clone();
            if k.len() > 100 {
                k.select_nth_unstable(100);
                k.truncate(100);
            }
            k.sort_unstable();
            std::hint::black_box(k);
        });
        let radix_t = best(&mut || {
            let mut k = keys.clone();
            findings::tui::index::sort_keys(&mut k);
            std::hint::black_box(k);
        });
        println!(
            "{q:<8} {:>7} {:>7} {:>11} {:>11} {:>11} {:>11} {:>11} {:>11} {:>11} {:>11} {:>11} {:>11}",
            candidates.len(),
            keys.len(),
            ms(mask_t),
            ms(score_t),
            ms(naive_t),
            ms(rank_t),
            ms(known_t),
            ms(par_t),
            ms(sort_t),
            ms(par_sort_t),
            ms(top_t),
            ms(radix_t)
        );
        walls.push((q, rank_wall, par_wall));
        // The next query's candidates in item order, as the index scores
        // the rest of them (its haystacks lie in that order in memory).
        candidates = keys.iter().map(|&k| (k & u64::from(u32::MAX)) as u32).collect();
        candidates.sort_unstable();
    }
    println!("\nwall time of `rank`, best of 5: one thread against both cores (rayon), same run:");
    for (q, one, all) in walls {
        println!(
            "{q:<8} 1 thread {:>10}, both cores {:>10}, {:.2}x",
            ms(one),
            ms(all),
            one.as_secs_f64() / all.as_secs_f64().max(1e-9)
        );
    }
}

/// Launch to first frame, first rows and full list, as the terminal runner
/// does it: the configuration read, a frame drawn, the load streamed by the
/// runtime with a frame drawn after each batch.
fn streaming_load() {
    let n: usize = std::env::var("FINDINGS_BENCH_TUI_LOAD")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(100_000);
    let dir = corpus::target_dir().join("bench-corpus").join(n.to_string());
    let made = Instant::now();
    match corpus::ensure(&dir, n, 1, 10) {
        Ok((_, fresh)) => println!(
            "repository of {n} files at {}: {} in {:.1?}",
            dir.display(),
            if fresh { "generated" } else { "reused" },
            made.elapsed()
        ),
        Err(e) => {
            println!("cannot generate the repository at {}: {e}", dir.display());
            return;
        }
    }
    let l = match launch::launch(&dir) {
        Ok(l) => l,
        Err(e) => {
            println!("cannot open {}: {e}", dir.display());
            return;
        }
    };
    row(
        &format!("launch to first frame, {n} files"),
        l.first,
        Duration::from_millis(100),
    );
    println!(
        "{:<44} {:>12}   (after the walk that counts the files)",
        format!("launch to first rows, {n} files"),
        ms(l.first_rows.unwrap_or(l.full))
    );
    println!(
        "{:<44} {:>12}   ({} rows, {} frames)",
        format!("launch to full list, {n} files"),
        ms(l.full),
        l.rows,
        l.frames
    );
    // The same read without batches or frames, for comparison.
    let t = Instant::now();
    let all = Repo::open(&dir).map(|r| r.items.len()).unwrap_or(0);
    println!(
        "{:<44} {:>12}   ({all} documents)\n",
        format!("Repo::open alone, {n} files"),
        ms(t.elapsed())
    );
}
