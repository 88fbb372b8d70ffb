//! Terminal UI benchmark (not a test): 100k synthetic documents in memory.
//!
//! Reports per-keystroke filter time while typing a 6-character query
//! (p50/p95), frame draw time on a 200x50 `TestBackend`, and the time to the
//! first frame for 1k and 100k documents, against the targets: filter p95
//! <= 16 ms, draw <= 2 ms, first frame <= 100 ms (1k) and <= 1 s (100k).
//!
//! Run with `cargo bench --bench tui`; `BREAKDOWN=1 cargo bench --bench tui`
//! instead shows where the filter time goes (first step and remaining steps
//! per keystroke, scoring on one thread and on all, sorting).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use findings::document::{Kind, Meta};
use findings::store::config::Config;
use findings::store::Repo;
use findings::tui::{update, view, App, AppOptions, Msg};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::path::PathBuf;
use std::time::{Duration, Instant};

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
                created: Some(format!("2025-{month:02}-{day:02}")),
                conflicted: false,
                problems: Vec::new(),
                number: Some(i as u64),
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
        breakdown();
        return;
    }
    println!("findings tui benchmark ({} threads)\n", rayon::current_num_threads());

    for (n, target) in [(1_000, Duration::from_millis(100)), (100_000, Duration::from_secs(1))] {
        let items = synthetic(n);
        let t = Instant::now();
        let a = app(items);
        let mut term = Terminal::new(TestBackend::new(200, 50)).expect("test backend");
        term.draw(|f| view(&a, f)).expect("draw");
        row(&format!("first frame, {n} documents"), t.elapsed(), target);
    }

    let mut a = app(synthetic(100_000));
    let mut term = Terminal::new(TestBackend::new(200, 50)).expect("test backend");
    update(&mut a, key('/'));
    let query = "racond";
    let mut per_key = Vec::new();
    let mut complete = Vec::new();
    let mut steps = 0usize;
    let mut shown = 0;
    for _ in 0..15 {
        for c in query.chars() {
            let t = Instant::now();
            update(&mut a, key(c));
            per_key.push(t.elapsed());
            // The runner keeps scoring while the user is idle.
            while a.index.busy() {
                update(&mut a, Msg::Work);
                steps += 1;
            }
            complete.push(t.elapsed());
        }
        shown = a.index.shown().len();
        update(&mut a, ctrl('u'));
    }
    println!();
    println!(
        "typing {query:?} over 100000 documents ({shown} match), {} keystrokes, {} extra scoring steps:",
        per_key.len(),
        steps
    );
    let p50 = pct(&mut per_key, 0.5);
    let p95 = pct(&mut per_key, 0.95);
    row("  keystroke to first results p50", p50, Duration::from_millis(16));
    row("  keystroke to first results p95", p95, Duration::from_millis(16));
    let p50 = pct(&mut complete, 0.5);
    let p95 = pct(&mut complete, 0.95);
    row("  keystroke to complete results p50", p50, Duration::from_millis(16));
    row("  keystroke to complete results p95", p95, Duration::from_millis(16));

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
}

#[allow(dead_code)]
fn breakdown() {
    {
        let items = synthetic(100_000);
        let mut ix =
            findings::tui::index::Index::new(&items, findings::query::SortKey::Priority, Default::default(), "");
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
    }
    use rayon::prelude::*;
    let items = synthetic(100_000);
    let hay: Vec<String> = items.iter().map(findings::query::haystack).collect();
    let all: Vec<u32> = (0..hay.len() as u32).collect();
    for q in ["r", "ra", "racond"] {
        let mut best1 = Duration::MAX;
        let mut best2 = Duration::MAX;
        let mut bests = Duration::MAX;
        for _ in 0..5 {
            let t = Instant::now();
            let mut f = findings::query::Fuzzy::new(q).unwrap();
            let hits: Vec<(u32, u32)> = all
                .iter()
                .filter_map(|&i| f.score(&hay[i as usize]).map(|s| (s, i)))
                .collect();
            best1 = best1.min(t.elapsed());
            let t = Instant::now();
            let v: Vec<Vec<(u32, u32)>> = all
                .par_chunks(4096)
                .map(|c| {
                    let mut f = findings::query::Fuzzy::new(q).unwrap();
                    c.iter()
                        .filter_map(|&i| f.score(&hay[i as usize]).map(|s| (s, i)))
                        .collect()
                })
                .collect();
            let _ = v.concat();
            best2 = best2.min(t.elapsed());
            let mut h = hits.clone();
            let t = Instant::now();
            h.sort_unstable_by_key(|&(s, i)| (std::cmp::Reverse(s), i));
            bests = bests.min(t.elapsed());
        }
        println!(
            "{q:<8} best of 5: score 1 thread {:>10}, all threads {:>10}, sort {:>10}",
            ms(best1),
            ms(best2),
            ms(bests)
        );
    }
}
