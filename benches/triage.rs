//! `cargo bench --bench triage`: one write through findings against the same
//! one-file change made by hand with std::fs and `git add` + `git commit`, in
//! a synthetic repository of 100k documents (`FINDINGS_BENCH_DOCS=10000` to
//! shrink it).
//!
//! The repository is generated (mixed todos, findings and ADRs of about
//! 2-3 KB under findings/ and adr/) and committed once; that setup is timed
//! and printed separately. Then, five times each and interleaved: `findings
//! triage ID --action TEXT` (rename, status, Recommended Action, work log,
//! commit) against writing the same new bytes under the new name, removing
//! the old file, `git add` of both paths and `git commit`; and `findings log`
//! against writing the same bytes, `git add` and `git commit`. Every run takes
//! a fresh pending document. The bytes the hand-made change writes are
//! computed beforehand by running findings with `--no-commit` on a copy of
//! the document in a scratch folder. The medians are printed as a markdown
//! table. `FINDINGS_BENCH_KEEP=1` keeps the repository afterwards (its path
//! is printed) for profiling.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const ACTION: &str = "Wrap the existence check and the insert in one serializable transaction";
const RUNS: usize = 5;

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[self.below(v.len())]
    }
}

const WORDS: &[&str] = &[
    "request",
    "handler",
    "session",
    "cache",
    "token",
    "query",
    "index",
    "lock",
    "retry",
    "queue",
    "worker",
    "payload",
    "schema",
    "record",
    "tenant",
    "invoice",
    "account",
    "upload",
    "stream",
    "batch",
    "cursor",
    "webhook",
    "timeout",
    "migration",
    "transaction",
    "replica",
    "shard",
    "buffer",
    "parser",
    "router",
];
const VERBS: &[&str] = &[
    "reads",
    "writes",
    "drops",
    "retries",
    "validates",
    "skips",
    "duplicates",
    "leaks",
    "locks",
    "serializes",
];
const TAGS: &[&str] = &[
    "code-review",
    "performance",
    "security",
    "data-integrity",
    "race-condition",
    "api",
    "ux",
    "tests",
];
const PREFIXES: &[(&str, &str)] = &[
    ("DATA", "data-integrity"),
    ("SEC", "security"),
    ("PERF", "performance"),
    ("ARCH", "architecture"),
];

fn title(r: &mut Rng) -> String {
    let a = r.pick(WORDS);
    let b = r.pick(VERBS);
    let c = r.pick(WORDS);
    let mut t = format!("{a} {b} {c} under load");
    t[..1].make_ascii_uppercase();
    t
}

fn slug(t: &str) -> String {
    t.to_ascii_lowercase().replace(' ', "-")
}

fn sentence(r: &mut Rng) -> String {
    let n = 8 + r.below(10);
    let mut s = String::new();
    for i in 0..n {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(if i % 3 == 1 { r.pick(VERBS) } else { r.pick(WORDS) });
    }
    s[..1].make_ascii_uppercase();
    s.push('.');
    s
}

fn paragraph(r: &mut Rng, sentences: usize) -> String {
    (0..sentences).map(|_| sentence(r)).collect::<Vec<_>>().join(" ")
}

fn tags(r: &mut Rng) -> String {
    let mut t = vec!["code-review"];
    for _ in 0..2 {
        let x = r.pick(TAGS);
        if !t.contains(&x) {
            t.push(x);
        }
    }
    t.join(", ")
}

fn todo(r: &mut Rng, n: usize, status: &str) -> (String, String) {
    let t = title(r);
    let p = r.below(4);
    let mut s = String::new();
    let _ = write!(
        s,
        "---\nstatus: {status}\npriority: p{p}\nissue_id: \"{n:03}\"\ntags: [{}]\ndependencies: []\n---\n\n# {t}\n\n",
        tags(r)
    );
    let _ = write!(s, "## Problem Statement\n\n{}\n\n## Findings\n\n", paragraph(r, 4));
    for _ in 0..3 {
        let _ = writeln!(s, "- {}", sentence(r));
    }
    s.push_str("\n## Proposed Solutions\n\n");
    for o in ["A", "B"] {
        let _ = write!(
            s,
            "### Option {o}: {}\n\n**Approach:** {}\n\n**Pros:** {}\n**Cons:** {}\n**Effort:** Small\n**Risk:** Low\n\n",
            title(r),
            paragraph(r, 2),
            sentence(r),
            sentence(r)
        );
    }
    let _ = write!(
        s,
        "## Recommended Action\n\n[To be filled during triage]\n\n## Technical Details\n\n**Affected files:**\n- `src/{}/{}.ts:{}`\n\n## Acceptance Criteria\n\n- [ ] {}\n- [ ] {}\n\n",
        r.pick(WORDS),
        r.pick(WORDS),
        10 + r.below(900),
        sentence(r),
        sentence(r)
    );
    let _ = write!(
        s,
        "## Work Log\n\n| Date | Action | Learnings |\n|------|--------|-----------|\n| 2026-01-26 | Created from code review | {} |\n\n## Resources\n\n- PR #{}\n",
        sentence(r),
        100 + r.below(9000)
    );
    (format!("{n:03}-{status}-p{p}-{}.md", slug(&t)), s)
}

fn finding(r: &mut Rng, prefix: &str, category: &str, n: usize) -> (String, String) {
    let t = title(r);
    let p = 1 + r.below(3);
    let status = ["open", "open", "triaged", "resolved"][r.below(4)];
    let mut s = String::new();
    let _ = write!(
        s,
        "---\nid: {prefix}-{n:03}\nstatus: {status}\npriority: P{p}\ncategory: {category}\nsource: sprint-{}-review\ncreated: 2026-01-10T00:00:00Z\nassignee: null\nseverity: risky\n---\n\n# {t}\n\n",
        1 + r.below(9)
    );
    let _ = write!(
        s,
        "## Context\nFound during review by an agent.\n\n## Problem\n{}\n\n## Location\n- `src/{}/{}.ts`\n\n## Current Code\n```typescript\nconst x = await prisma.{}.findFirst({{ where: {{ id }} }});\nif (!x) await prisma.{}.create({{ data }});\n```\n\n",
        paragraph(r, 5),
        r.pick(WORDS),
        r.pick(WORDS),
        r.pick(WORDS),
        r.pick(WORDS)
    );
    let _ = write!(
        s,
        "## Proposed Solution\n{}\n\n{}\n\n## Acceptance Criteria\n- [ ] {}\n- [ ] {}\n\n## Effort Estimate\n{} story points\n",
        paragraph(r, 4),
        paragraph(r, 3),
        sentence(r),
        sentence(r),
        1 + r.below(5)
    );
    (format!("{prefix}-{n:03}-{status}-P{p}-{}.md", slug(&t)), s)
}

fn adr(r: &mut Rng, n: usize) -> (String, String) {
    let t = title(r);
    let status = ["Accepted", "Accepted", "Proposed", "Deprecated"][r.below(4)];
    let mut s = String::new();
    let _ = write!(
        s,
        "# ADR {n:04}: {t}\n\n**Status**: {status}\n**Date**: 31 January 2026\n\n## Context\n\n{}\n\n{}\n\n## Decision\n\n",
        paragraph(r, 4),
        paragraph(r, 3)
    );
    for o in ["A", "B"] {
        let _ = write!(s, "### Option {o}: {}\n\n{}\n\n", title(r), paragraph(r, 3));
    }
    let _ = write!(
        s,
        "## Consequences\n\n### Positive\n\n- {}\n- {}\n\n### Negative\n\n- {}\n\n## References\n\n- PR #{}\n",
        sentence(r),
        sentence(r),
        sentence(r),
        100 + r.below(9000)
    );
    (format!("{n:04}-{}.md", slug(&t)), s)
}

/// The generated repository: which pending todos can be triaged.
struct Corpus {
    pending: Vec<(String, String)>,
    bytes: u64,
}

/// Write `docs` documents: 60% todos (most pending), 30% findings, 10% ADRs.
fn generate(root: &Path, docs: usize) -> Corpus {
    let mut r = Rng(0x9e37_79b9_7f4a_7c15);
    fs::create_dir_all(root.join("findings")).unwrap();
    fs::create_dir_all(root.join("adr")).unwrap();
    let todos = docs * 6 / 10;
    let adrs = docs / 10;
    let findings = docs - todos - adrs;
    let mut pending = Vec::new();
    let mut bytes = 0;
    for n in 1..=todos {
        let status = if r.below(10) < 7 {
            "pending"
        } else {
            ["ready", "complete"][r.below(2)]
        };
        let (name, text) = todo(&mut r, n, status);
        bytes += text.len() as u64;
        fs::write(root.join("findings").join(&name), text).unwrap();
        if status == "pending" {
            pending.push((format!("{n:03}"), format!("findings/{name}")));
        }
    }
    for i in 0..findings {
        let (prefix, category) = PREFIXES[i % PREFIXES.len()];
        let (name, text) = finding(&mut r, prefix, category, 1 + i / PREFIXES.len());
        bytes += text.len() as u64;
        fs::write(root.join("findings").join(name), text).unwrap();
    }
    for n in 1..=adrs {
        let (name, text) = adr(&mut r, n);
        bytes += text.len() as u64;
        fs::write(root.join("adr").join(name), text).unwrap();
    }
    Corpus { pending, bytes }
}

fn clean_env(cmd: &mut Command, home: &Path) {
    for var in [
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "GIT_AUTHOR_NAME",
        "GIT_AUTHOR_EMAIL",
        "GIT_COMMITTER_NAME",
        "GIT_COMMITTER_EMAIL",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", home.join(".gitconfig"))
        .env("NO_COLOR", "1");
}

struct Bench {
    repo: PathBuf,
    home: PathBuf,
    scratch: PathBuf,
}

impl Bench {
    fn cmd(&self, program: &str, dir: &Path, args: &[&str]) -> Command {
        let mut c = Command::new(program);
        c.args(args).current_dir(dir).stdin(Stdio::null());
        clean_env(&mut c, &self.home);
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

    fn git(&self, args: &[&str]) -> String {
        self.run("git", &self.repo, args)
    }

    fn findings(&self, dir: &Path, args: &[&str]) -> String {
        self.run(env!("CARGO_BIN_EXE_findings"), dir, args)
    }

    /// Run findings on a copy of `path` in the scratch folder with
    /// `--no-commit`; the new path, its bytes and the commit message.
    fn expected(&self, path: &str, args: &[&str]) -> (String, Vec<u8>, String) {
        let _ = fs::remove_dir_all(&self.scratch);
        fs::create_dir_all(self.scratch.join("findings")).unwrap();
        fs::copy(self.repo.join(path), self.scratch.join(path)).unwrap();
        let mut a = args.to_vec();
        a.extend_from_slice(&["--author", "Bench User", "--no-commit", "-f", "json"]);
        let v: serde_json::Value = serde_json::from_str(&self.findings(&self.scratch, &a)).unwrap();
        assert!(
            v["action"]["matched"].is_null(),
            "the action must match no ADR option: {v}"
        );
        let new = v["files"][0]["path"].as_str().unwrap().to_string();
        let bytes = fs::read(self.scratch.join(&new)).unwrap();
        (new, bytes, v["message"].as_str().unwrap().to_string())
    }

    /// Time `f`: wall and CPU milliseconds.
    fn time(f: impl FnOnce()) -> Sample {
        let cpu = children_cpu_ms();
        let t = Instant::now();
        f();
        Sample {
            wall: t.elapsed().as_secs_f64() * 1000.0,
            cpu: children_cpu_ms().zip(cpu).map(|(after, before)| after - before),
        }
    }

    /// `findings ARGS` in the repository, timed; checks it committed.
    fn findings_timed(&self, args: &[&str]) -> Sample {
        let head = self.git(&["rev-parse", "HEAD"]);
        let mut c = self.cmd(env!("CARGO_BIN_EXE_findings"), &self.repo, args);
        let mut out = None;
        let ms = Self::time(|| out = Some(c.output().unwrap()));
        let out = out.unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(v["action"]["matched"].is_null(), "{v}");
        assert!(
            v["commit"].is_string() && self.git(&["rev-parse", "HEAD"]) != head,
            "{v}"
        );
        ms
    }

    /// The same change by hand: write the bytes (under the new name,
    /// removing the old), `git add` both paths, `git commit -m`.
    fn by_hand(&self, old: &str, new: &str, bytes: &[u8], message: &str) -> Sample {
        let mut add = self.cmd("git", &self.repo, &["add", "-A", "--", old, new]);
        let mut commit = self.cmd("git", &self.repo, &["commit", "-q", "-m", message]);
        add.stdout(Stdio::null());
        commit.stdout(Stdio::null());
        Self::time(|| {
            fs::write(self.repo.join(new), bytes).unwrap();
            if old != new {
                fs::remove_file(self.repo.join(old)).unwrap();
            }
            assert!(add.status().unwrap().success());
            assert!(commit.status().unwrap().success());
        })
    }
}

/// One timed run.
#[derive(Clone, Copy)]
struct Sample {
    wall: f64,
    /// CPU time (user + system) of the child processes, when the platform
    /// says (Linux: `/proc/self/stat`).
    cpu: Option<f64>,
}

/// The CPU time of this process's waited-for children, in milliseconds.
fn children_cpu_ms() -> Option<f64> {
    let stat = fs::read_to_string("/proc/self/stat").ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    // Fields 16 and 17 of proc(5) (cutime, cstime), counted from `state` (3).
    let ticks: f64 = f.get(13)?.parse::<f64>().ok()? + f.get(14)?.parse::<f64>().ok()?;
    Some(ticks * 1000.0 / clock_ticks())
}

fn clock_ticks() -> f64 {
    static TICKS: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *TICKS.get_or_init(|| {
        Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(100.0)
    })
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// Median wall time and, when known, median CPU time.
fn medians(v: &[Sample]) -> (f64, Option<f64>) {
    let cpu: Option<Vec<f64>> = v.iter().map(|s| s.cpu).collect();
    (median(v.iter().map(|s| s.wall).collect()), cpu.map(median))
}

fn secs(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` passes nothing
    // useful either: run only when benchmarking.
    if !std::env::args().any(|a| a == "--bench") {
        println!("benches/triage: run with `cargo bench --bench triage`");
        return;
    }
    let docs: usize = std::env::var("FINDINGS_BENCH_DOCS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let tmp = tempfile::tempdir().unwrap();
    let b = Bench {
        repo: tmp.path().join("repo"),
        home: tmp.path().join("home"),
        scratch: tmp.path().join("scratch"),
    };
    fs::create_dir_all(&b.repo).unwrap();
    fs::create_dir_all(&b.home).unwrap();

    println!("# findings write benchmark: {docs} documents\n");
    let t = Instant::now();
    let corpus = generate(&b.repo, docs);
    let gen = t.elapsed();
    let t = Instant::now();
    b.git(&["init", "-q", "-b", "main"]);
    b.git(&["config", "user.name", "Bench User"]);
    b.git(&["config", "user.email", "bench@example.com"]);
    b.git(&["config", "commit.gpgsign", "false"]);
    b.git(&["add", "-A"]);
    b.git(&["commit", "-q", "-m", "corpus"]);
    let commit = t.elapsed();
    // Warm the caches the way a user's second command finds them.
    b.git(&["status", "--porcelain"]);
    b.findings(&b.repo, &["list", "-f", "ids"]);
    println!(
        "setup (not measured): generated {docs} files, {:.0} MB, in {}; `git add -A && git commit` in {}\n",
        corpus.bytes as f64 / 1e6,
        secs(gen),
        secs(commit)
    );
    assert!(corpus.pending.len() >= 4 * RUNS, "too few pending todos");

    // Fresh pending documents, spread over the corpus, two per run per measure.
    let step = corpus.pending.len() / (4 * RUNS);
    let mut fresh = corpus.pending.iter().step_by(step.max(1)).cloned();
    let mut next = || fresh.next().unwrap();
    let (mut tf, mut tg, mut lf, mut lg) = (vec![], vec![], vec![], vec![]);
    for run in 0..RUNS {
        // triage: findings, then the same change by hand on another document.
        let (id, _) = next();
        tf.push(b.findings_timed(&["triage", &id, "--action", ACTION, "-f", "json"]));
        let (id, path) = next();
        let (new, bytes, msg) = b.expected(&path, &["triage", &id, "--action", ACTION]);
        tg.push(b.by_hand(&path, &new, &bytes, &msg));
        // log.
        let entry = format!("Benchmark entry {run}");
        let (id, _) = next();
        lf.push(b.findings_timed(&["log", &id, &entry, "-f", "json"]));
        let (id, path) = next();
        let (new, bytes, msg) = b.expected(&path, &["log", &id, &entry]);
        lg.push(b.by_hand(&path, &new, &bytes, &msg));
    }
    assert_eq!(
        b.git(&["rev-list", "--count", "HEAD"]).trim(),
        (1 + 4 * RUNS).to_string()
    );
    assert_eq!(b.git(&["status", "--porcelain"]), "", "every change committed");

    let rows = [
        (
            "`findings triage ID --action …` vs write + `git add` + `git commit`",
            medians(&tf),
            medians(&tg),
        ),
        (
            "`findings log ID …` vs write + `git add` + `git commit`",
            medians(&lf),
            medians(&lg),
        ),
    ];
    let ms = |v: Option<f64>| v.map(|v| format!("{v:.0}")).unwrap_or_else(|| "-".into());
    println!("median of {RUNS}, each on a fresh pending document, commit included (CPU: user + system):\n");
    println!("| {docs} documents | findings ms | git ms | ratio | findings CPU ms | git CPU ms |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: |");
    for (what, (f, fc), (g, gc)) in rows {
        println!("| {what} | {f:.1} | {g:.1} | {:.2} | {} | {} |", f / g, ms(fc), ms(gc));
    }
    println!("\ncommand: `cargo bench --bench triage` (FINDINGS_BENCH_DOCS={docs})");
    if std::env::var_os("FINDINGS_BENCH_KEEP").is_some() {
        println!(
            "kept the repository for profiling: {}",
            tmp.keep().join("repo").display()
        );
    }
    for (what, (f, _), (g, _)) in rows {
        if f > g {
            println!("note: {what}: findings is slower than git by hand");
        }
    }
}
