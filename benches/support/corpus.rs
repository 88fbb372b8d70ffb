//! A deterministic synthetic corpus for benchmarks: review todos (front
//! matter, sections, a work-log table), findings (`DATA-NNN` style front
//! matter) and ADRs (`## Status` sections or bold `**Status**:` fields), about
//! 2-3 KB each, written as `findings/` and `adr/` under a directory.
//!
//! The same seed and size always give the same bytes. [`ensure`] reuses a
//! directory whose stamp matches and regenerates it otherwise; an empty
//! `.git` directory marks the corpus as a repository root, so `findings -C`
//! stops there instead of finding the enclosing checkout.

use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

/// Bump when the generated text changes, so stale corpora are rebuilt.
const VERSION: u32 = 1;

/// splitmix64: small, fast, and good enough for text.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    pub fn pick<T: Copy>(&mut self, v: &[T]) -> T {
        v[self.below(v.len())]
    }
    pub fn percent(&mut self, p: usize) -> bool {
        self.below(100) < p
    }
}

/// What was generated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub files: usize,
    pub bytes: u64,
    pub todos: usize,
    pub findings: usize,
    pub adrs: usize,
}

const COMPONENTS: &[&str] = &[
    "assignment service",
    "call outcome handler",
    "session store",
    "webhook dispatcher",
    "billing worker",
    "search indexer",
    "export job",
    "auth middleware",
    "rate limiter",
    "notification queue",
    "report builder",
    "upload endpoint",
    "audit logger",
    "cache layer",
    "migration runner",
];
const PROBLEMS: &[&str] = &[
    "race condition",
    "missing transaction",
    "unbounded query",
    "N+1 query",
    "unchecked input",
    "stale cache read",
    "silent failure",
    "duplicate insert",
    "missing index",
    "leaked connection",
    "unsafe deserialization",
    "timezone drift",
    "retry storm",
    "lock contention",
];
const VERBS: &[&str] = &[
    "reads",
    "writes",
    "validates",
    "creates",
    "updates",
    "deletes",
    "caches",
    "retries",
    "serializes",
    "forwards",
];
const OBJECTS: &[&str] = &[
    "the assignment row",
    "every pending record",
    "the user's session",
    "the outcome",
    "the invoice total",
    "each webhook payload",
    "the export manifest",
    "the access token",
    "the tenant configuration",
    "all matching documents",
];
const CONNECTIVES: &[&str] = &[
    "before the transaction starts",
    "outside the lock",
    "without checking the status first",
    "on every request",
    "after the response is sent",
    "while another worker holds the row",
    "inside a loop over all tenants",
    "with no timeout",
];
const CONSEQUENCES: &[&str] = &[
    "Two concurrent requests can both pass the check and create duplicates.",
    "Under load this adds hundreds of milliseconds to the hot path.",
    "A failure here is logged at debug level and never surfaces.",
    "Reporting metrics drift because the same event is counted twice.",
    "An attacker can craft input that reaches the database unescaped.",
    "Memory grows with the number of tenants until the worker is killed.",
    "The nightly export silently skips records created near midnight.",
    "Counselors may complete the same scenario twice.",
];
const TAGS: &[&str] = &[
    "code-review",
    "data-integrity",
    "performance",
    "security",
    "race-condition",
    "api",
    "testing",
    "observability",
    "tech-debt",
    "ux",
];
const PATHS: &[&str] = &[
    "src/app/api/external/assignments/route.ts",
    "src/services/call-outcome-service/call-outcome-service.ts",
    "src/lib/session/store.ts",
    "convex/chapters.ts",
    "src/workers/billing/invoice.rs",
    "src/search/indexer.py",
    "app/models/export_job.rb",
    "internal/auth/middleware.go",
];
const PEOPLE: &[&str] = &["claude", "reviewer", "alice", "bob", "data-integrity-guardian", "ci"];
const FINDING_PREFIXES: &[&str] = &["DATA", "SEC", "PERF", "API", "UX"];

fn cap(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

fn sentence(r: &mut Rng) -> String {
    match r.below(3) {
        0 => format!(
            "The {} {} {} {}.",
            r.pick(COMPONENTS),
            r.pick(VERBS),
            r.pick(OBJECTS),
            r.pick(CONNECTIVES)
        ),
        1 => r.pick(CONSEQUENCES).to_string(),
        _ => format!(
            "Between the check and the write, the {} {} {}, so a {} is possible.",
            r.pick(COMPONENTS),
            r.pick(VERBS),
            r.pick(OBJECTS),
            r.pick(PROBLEMS)
        ),
    }
}

fn paragraph(r: &mut Rng, out: &mut String) {
    let n = r.range(3, 5);
    for i in 0..n {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&sentence(r));
    }
    out.push_str("\n\n");
}

fn code_block(r: &mut Rng, out: &mut String) {
    let obj = r.pick(&["assignment", "callOutcome", "session", "invoice", "exportJob"]);
    let _ = write!(
        out,
        "```typescript\n// Lines {a}-{b}\nconst existing = await prisma.{obj}.findFirst({{\n  where: {{ userId: user.id, status: {{ not: 'completed' }} }},\n}})\n\nif (existing) {{\n  return apiError({{ code: 'CONFLICT' }}, 409)\n}}\n\n// NOT atomic with the check above\nconst created = await prisma.{obj}.create({{ data: {{ userId: user.id }} }})\n```\n\n",
        a = r.range(10, 200),
        b = r.range(201, 400),
    );
}

fn title(r: &mut Rng) -> String {
    format!(
        "{} in {} {}",
        cap(r.pick(PROBLEMS)),
        cap(r.pick(COMPONENTS)),
        r.pick(&["Check", "Creation", "Update", "Lookup", "Export", "Retry"])
    )
}

fn date(r: &mut Rng) -> String {
    format!("2026-{:02}-{:02}", r.range(1, 12), r.range(1, 28))
}

/// Fill with paragraphs (and now and then a code block) until `doc` reaches
/// `target` bytes counting `tail`.
fn pad(r: &mut Rng, doc: &mut String, tail: usize, target: usize) {
    while doc.len() + tail < target {
        if r.percent(15) {
            code_block(r, doc);
        } else {
            paragraph(r, doc);
        }
    }
}

fn todo(r: &mut Rng, n: usize, target: usize, deps: usize) -> (String, String) {
    let status = r.pick(&["pending", "pending", "ready", "complete", "wontfix"]);
    let pri = r.range(1, 3);
    let t = title(r);
    let mut tags = vec!["code-review"];
    for _ in 0..r.range(1, 3) {
        let tag = r.pick(TAGS);
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    let deps = if n > 1 && r.percent(deps) {
        format!("[\"{:03}\"]", r.range(1, n - 1))
    } else {
        "[]".to_string()
    };
    let mut d = String::with_capacity(target + 512);
    let _ = write!(
        d,
        "---\nstatus: {status}\npriority: p{pri}\nissue_id: \"{n:03}\"\ntags: [{}]\ndependencies: {deps}\n---\n\n# {t}\n\n## Problem Statement\n\n",
        tags.join(", ")
    );
    paragraph(r, &mut d);
    let _ = write!(d, "**Why it matters**: {}\n\n## Findings\n\n", r.pick(CONSEQUENCES));
    let _ = write!(
        d,
        "**Location**: `{}` (lines {}-{})\n\n",
        r.pick(PATHS),
        r.range(10, 200),
        r.range(201, 400)
    );
    code_block(r, &mut d);
    let mut tail = String::new();
    let _ = write!(
        tail,
        "## Proposed Solutions\n\n### Option A: Database unique partial index (Recommended)\n**Pros**: Bulletproof, no code changes to the check\n**Cons**: Requires a migration\n**Effort**: Small\n**Risk**: Low\n\n### Option B: Wrap check and create in a transaction\n**Pros**: No schema change\n**Cons**: Serializable isolation costs throughput\n**Effort**: Medium\n**Risk**: Medium\n\n## Acceptance Criteria\n\n- [ ] Concurrent requests cannot create duplicates\n- [{}] A regression test covers the race\n- [ ] Metrics show no duplicate rows for a week\n\n## Work Log\n\n| Date | Who | Action | Result |\n|------|-----|--------|--------|\n",
        if status == "complete" { "x" } else { " " }
    );
    for _ in 0..r.range(1, 4) {
        let _ = writeln!(
            tail,
            "| {} | {} | {} | {} |",
            date(r),
            r.pick(PEOPLE),
            r.pick(&[
                "Found during review",
                "Triaged",
                "Reproduced locally",
                "Opened PR",
                "Verified fix"
            ]),
            r.pick(&["Confirmed", "Needs design", "Fixed in #482", "Deferred", "Done"])
        );
    }
    pad(r, &mut d, tail.len(), target);
    d.push_str(&tail);
    let name = format!("{n:03}-{status}-p{pri}-{}.md", slug(&t));
    (name, d)
}

fn finding(r: &mut Rng, prefix: &str, n: usize, target: usize) -> (String, String) {
    let status = r.pick(&["open", "open", "triaged", "in_progress", "resolved", "wont_fix"]);
    let pri = r.range(1, 3);
    let t = title(r);
    let id = format!("{prefix}-{n:03}");
    let mut d = String::with_capacity(target + 512);
    let _ = write!(
        d,
        "---\nid: {id}\nstatus: {status}\npriority: P{pri}\ncategory: {}\nsource: sprint-{}-review\ncreated: {}T00:00:00Z\nassignee: null\nseverity: {}\n---\n\n# {t}\n\n## Context\n\nFound during sprint {} review by the {} agent.\n\n## Problem\n\n",
        r.pick(TAGS),
        r.range(1, 30),
        date(r),
        r.pick(&["risky", "dangerous", "minor"]),
        r.range(1, 30),
        r.pick(PEOPLE),
    );
    paragraph(r, &mut d);
    d.push_str("**Risk Scenarios:**\n");
    for i in 1..=3 {
        let _ = writeln!(d, "{i}. {}", sentence(r));
    }
    let _ = write!(
        d,
        "\n## Location\n- File: `{}`\n- Lines: {}-{}\n\n## Current Code\n",
        r.pick(PATHS),
        r.range(10, 200),
        r.range(201, 400)
    );
    code_block(r, &mut d);
    let tail = "## Proposed Solution\n\nMove the validation queries inside the transaction that creates the record, and add a unique constraint so the database rejects the second writer.\n\n## Verification\n- [ ] Unit test for the concurrent path\n- [ ] Load test shows no duplicates\n";
    d.push_str("## Analysis\n\n");
    pad(r, &mut d, tail.len(), target);
    d.push_str(tail);
    let name = format!("{id}-{status}-P{pri}-{}.md", slug(&t));
    (name, d)
}

fn adr(r: &mut Rng, n: usize, target: usize) -> (String, String) {
    let status = r.pick(&[
        "Accepted",
        "Accepted",
        "Proposed",
        "Superseded",
        "Deprecated",
        "Rejected",
    ]);
    let t = format!(
        "Use {} for the {}",
        r.pick(&[
            "an outbox table",
            "optimistic locking",
            "a read replica",
            "event sourcing",
            "a job queue"
        ]),
        r.pick(COMPONENTS)
    );
    let mut d = String::with_capacity(target + 512);
    if r.percent(50) {
        // Nygard / adr-tools.
        let _ = write!(d, "# {n}. {t}\n\nDate: {}\n\n## Status\n\n{status}\n\n", date(r));
        if status == "Superseded" {
            let _ = write!(
                d,
                "Superseded by [{}. Later decision]({:04}-later-decision.md)\n\n",
                n + 1,
                n + 1
            );
        }
    } else {
        // Bold fields.
        let _ = write!(
            d,
            "# ADR {n:04}: {t}\n\n**Status**: {status}\n**Date**: {}\n**Deciders**: {}, {}\n\n",
            date(r),
            r.pick(PEOPLE),
            r.pick(PEOPLE)
        );
    }
    d.push_str("## Context\n\n");
    paragraph(r, &mut d);
    let tail = "## Decision\n\nAll get-or-create paths use an atomic upsert, and every write that depends on a read runs inside one transaction.\n\n## Consequences\n\n- Fewer duplicate rows and simpler error handling.\n- Migrations must add the unique indexes first.\n";
    pad(r, &mut d, tail.len(), target);
    d.push_str(tail);
    let name = format!("{n:04}-{}.md", slug(&t));
    (name, d)
}

/// Write `n` documents under `dir` (which must be empty or absent);
/// `deps` percent of the todos depend on an earlier todo.
pub fn generate(dir: &Path, n: usize, seed: u64, deps: usize) -> io::Result<Stats> {
    let fdir = dir.join("findings");
    let adir = dir.join("adr");
    std::fs::create_dir_all(&fdir)?;
    std::fs::create_dir_all(&adir)?;
    std::fs::create_dir_all(dir.join(".git"))?;
    let mut r = Rng::new(seed);
    let mut s = Stats::default();
    let mut per_prefix = vec![0usize; FINDING_PREFIXES.len()];
    for _ in 0..n {
        let target = r.range(2000, 3000);
        let roll = r.below(100);
        let (sub, (name, text)) = if roll < 45 {
            s.todos += 1;
            (&fdir, todo(&mut r, s.todos, target, deps))
        } else if roll < 85 {
            let p = r.below(FINDING_PREFIXES.len());
            per_prefix[p] += 1;
            s.findings += 1;
            (&fdir, finding(&mut r, FINDING_PREFIXES[p], per_prefix[p], target))
        } else {
            s.adrs += 1;
            (&adir, adr(&mut r, s.adrs, target))
        };
        std::fs::write(sub.join(name), &text)?;
        s.files += 1;
        s.bytes += text.len() as u64;
    }
    Ok(s)
}

/// Reuse `dir` when its stamp says it holds this corpus; otherwise wipe it
/// and generate. Returns the stats and whether it was generated now.
pub fn ensure(dir: &Path, n: usize, seed: u64, deps: usize) -> io::Result<(Stats, bool)> {
    let stamp = dir.join(".stamp");
    let want = format!("v{VERSION} n={n} seed={seed} deps={deps}");
    if let Ok(have) = std::fs::read_to_string(&stamp) {
        let mut lines = have.lines();
        if lines.next() == Some(want.as_str()) {
            let nums: Vec<u64> = lines.filter_map(|l| l.parse().ok()).collect();
            if let [files, bytes, todos, findings, adrs] = nums[..] {
                let s = Stats {
                    files: files as usize,
                    bytes,
                    todos: todos as usize,
                    findings: findings as usize,
                    adrs: adrs as usize,
                };
                return Ok((s, false));
            }
        }
    }
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    let s = generate(dir, n, seed, deps)?;
    std::fs::write(
        &stamp,
        format!(
            "{want}\n{}\n{}\n{}\n{}\n{}\n",
            s.files, s.bytes, s.todos, s.findings, s.adrs
        ),
    )?;
    Ok((s, true))
}

/// A number from the environment (`FINDINGS_BENCH_RUNS=…`), else `default`.
pub fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

/// `target/` of this build: a bench executable is `target/<profile>/deps/NAME-*`.
pub fn target_dir() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|p| p.ancestors().nth(3).map(Path::to_path_buf))
        .filter(|p| p.join("CACHEDIR.TAG").exists() || p.file_name().is_some_and(|n| n == "target"))
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
}
