//! `cargo bench --bench load`: how long `findings -C DIR list --format json >
//! /dev/null` takes, and how much memory it needs, against `cat` reading the
//! same files, on synthetic corpora of 1k, 10k and 100k documents.
//!
//! Method:
//! - The corpus ([`corpus`]) is generated once per size and seed into
//!   `target/bench-corpus/N` (reused while its stamp matches; never
//!   committed). `FINDINGS_BENCH_DIR` puts it elsewhere.
//! - The binary is the release build Cargo makes for benches, found through
//!   `CARGO_BIN_EXE_findings` (Cargo sets it for benches as for integration
//!   tests), so no separate `cargo build --release` is needed.
//! - Baseline: `sh -c 'find DIR -name "*.md" -print0 | xargs -0 cat > /dev/null'`,
//!   the cost of walking the tree and reading every byte once.
//! - Warm cache: one untimed run of each first (that run also checks that
//!   `findings` lists every document). Then the two alternate, `RUNS` times
//!   each; the table shows medians.
//! - Wall time is measured around spawn and reap. Peak RSS is `ru_maxrss`
//!   from `wait4(2)` on the child, declared here through `extern "C"` (std
//!   links the C library anyway; the libc crate is not a dependency). For the
//!   `sh` pipeline it is the largest of sh, find, xargs and cat. This needs no
//!   polling (nothing is missed in a short-lived child) and no `/usr/bin/time`.
//!   Each command is spawned by a fresh copy of this executable
//!   (`--measure-child`), because a child's `ru_maxrss` starts at its
//!   spawner's resident size (see [`measure`]); that floor is the runner's
//!   own 2-3 MB.
//! - Memory per item: the slope of findings' peak RSS between the smallest
//!   size and each larger one, `(rss_N - rss_min) / (N - min)`. The loader
//!   keeps only metadata (bodies are read, parsed and dropped), so this slope
//!   is the memory each document costs beyond its body.
//!
//! Environment: `FINDINGS_BENCH_SIZES=1000,10000` limits the sizes,
//! `FINDINGS_BENCH_RUNS` (default 5), `FINDINGS_BENCH_SEED` (default 1), and
//! `FINDINGS_BENCH_DEPS` (default 10): the percentage of todos whose
//! `dependencies:` name an earlier todo, as real review todos do.
//! `FINDINGS_BENCH_BIN` measures another build of findings (A/B comparisons).
//! Without `--bench` (as under `cargo test --benches`) it runs a small smoke
//! test instead.

#[path = "support/corpus.rs"]
mod corpus;

use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// One timed run of a child process.
#[derive(Debug, Clone, Copy)]
struct Sample {
    wall: Duration,
    /// User plus system CPU time of the child (and its children).
    cpu: Duration,
    /// Peak resident set size in KiB, when the platform reports it.
    maxrss_kib: Option<u64>,
}

#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
mod sys {
    /// `struct rusage` on 64-bit Linux: two `timeval`s, then 14 `long`s.
    #[repr(C)]
    #[derive(Default)]
    pub struct Rusage {
        pub utime: [i64; 2],
        pub stime: [i64; 2],
        pub maxrss: i64,
        pub rest: [i64; 13],
    }
    extern "C" {
        pub fn wait4(pid: i32, status: *mut i32, options: i32, rusage: *mut Rusage) -> i32;
    }
}

/// Run `cmd` to completion in this process; fail unless it exits 0.
fn measure_here(cmd: &mut Command) -> io::Result<Sample> {
    let start = Instant::now();
    #[allow(unused_mut)]
    let mut child = cmd.spawn()?;
    #[cfg(all(target_os = "linux", target_pointer_width = "64"))]
    {
        let pid = child.id() as i32;
        let mut status = 0i32;
        let mut ru = sys::Rusage::default();
        loop {
            // SAFETY: `status` and `ru` are valid for writes and laid out as
            // the kernel expects; the pid is our own unreaped child.
            let r = unsafe { sys::wait4(pid, &mut status, 0, &mut ru) };
            if r == pid {
                break;
            }
            let e = io::Error::last_os_error();
            if e.kind() != io::ErrorKind::Interrupted {
                return Err(e);
            }
        }
        let wall = start.elapsed();
        // WIFEXITED && WEXITSTATUS == 0
        if status & 0x7f != 0 || (status >> 8) & 0xff != 0 {
            return Err(io::Error::other(format!("{cmd:?} failed: wait status {status:#x}")));
        }
        let tv = |t: [i64; 2]| Duration::from_secs(t[0] as u64) + Duration::from_micros(t[1] as u64);
        Ok(Sample {
            wall,
            cpu: tv(ru.utime) + tv(ru.stime),
            maxrss_kib: Some(ru.maxrss as u64),
        })
    }
    #[cfg(not(all(target_os = "linux", target_pointer_width = "64")))]
    {
        let st = child.wait()?;
        let wall = start.elapsed();
        if !st.success() {
            return Err(io::Error::other(format!("{cmd:?} failed: {st}")));
        }
        Ok(Sample {
            wall,
            cpu: Duration::ZERO,
            maxrss_kib: None,
        })
    }
}

/// The measured commands, as argument vectors for [`measure`].
fn findings_argv(bin: &Path, dir: &Path) -> Vec<OsString> {
    let mut v: Vec<OsString> = vec![bin.into(), "-C".into(), dir.into()];
    v.extend(["list", "--format", "json"].map(OsString::from));
    v
}

fn cat_argv(dir: &Path) -> Vec<OsString> {
    let mut v: Vec<OsString> = [
        "sh",
        "-c",
        "find \"$1\" -name '*.md' -print0 | xargs -0 cat > /dev/null",
        "sh",
    ]
    .map(OsString::from)
    .to_vec();
    v.push(dir.into());
    v
}

fn command(argv: &[OsString]) -> Command {
    let mut c = Command::new(&argv[0]);
    c.args(&argv[1..])
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

/// Measure `argv` from a fresh copy of this executable (`--measure-child`).
///
/// A child's `ru_maxrss` starts from the resident size of the process that
/// spawned it (Linux carries the old address space's high-water mark across
/// `exec`), so spawning from this process, which has just parsed a large
/// JSON listing, would report our size instead of the child's. The runner is
/// a fresh, small process; it spawns, reaps and reports.
fn measure(argv: &[OsString]) -> io::Result<Sample> {
    let out = Command::new(std::env::current_exe()?)
        .arg("--measure-child")
        .args(argv)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let nums: Vec<u64> = text.split_whitespace().filter_map(|w| w.parse().ok()).collect();
    match (out.status.success(), &nums[..]) {
        (true, &[wall, cpu, rss]) => Ok(Sample {
            wall: Duration::from_nanos(wall),
            cpu: Duration::from_nanos(cpu),
            maxrss_kib: (rss > 0).then_some(rss),
        }),
        _ => Err(io::Error::other(format!("measuring {argv:?} failed: {text}"))),
    }
}

/// The `--measure-child` mode: run the rest of the arguments, print
/// `wall_ns cpu_ns maxrss_kib`.
fn runner(argv: &[OsString]) -> io::Result<()> {
    if argv.is_empty() {
        return Err(io::Error::other("--measure-child needs a command"));
    }
    let s = measure_here(&mut command(argv))?;
    println!(
        "{} {} {}",
        s.wall.as_nanos(),
        s.cpu.as_nanos(),
        s.maxrss_kib.unwrap_or(0)
    );
    Ok(())
}

/// The untimed warm-up run of findings, which also checks its output.
fn warm_and_check(bin: &Path, dir: &Path, stats: &corpus::Stats) -> io::Result<()> {
    let out = command(&findings_argv(bin, dir))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()?;
    let err = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(io::Error::other(format!("findings failed ({}): {err}", out.status)));
    }
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).map_err(|e| io::Error::other(format!("findings printed no JSON: {e}")))?;
    let items = v["items"].as_array().map(|a| a.as_slice()).unwrap_or(&[]);
    let count = |k: &str| items.iter().filter(|i| i["kind"] == k).count();
    let got = (items.len(), count("todo"), count("finding"), count("adr"));
    let want = (stats.files, stats.todos, stats.findings, stats.adrs);
    if got != want {
        return Err(io::Error::other(format!(
            "findings listed (all, todos, findings, adrs) = {got:?}, expected {want:?}"
        )));
    }
    let unknown = items.iter().filter(|i| i["status"].is_null()).count();
    let problems: usize = items
        .iter()
        .map(|i| i["problems"].as_array().map_or(0, |p| p.len()))
        .sum();
    if unknown > 0 || !err.trim().is_empty() {
        return Err(io::Error::other(format!(
            "{unknown} documents without a status; stderr: {err}"
        )));
    }
    if problems > 0 {
        eprintln!("  note: {problems} problems reported (dependencies on missing IDs are expected to be 0)");
    }
    Ok(())
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn median_u64(mut v: Vec<u64>) -> u64 {
    v.sort();
    v[v.len() / 2]
}

struct Row {
    n: usize,
    mb: f64,
    findings: Duration,
    findings_cpu: Duration,
    cat: Duration,
    rss_kib: Option<u64>,
    cat_cpu: Duration,
    cat_rss_kib: Option<u64>,
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "n/a".into())
}

fn main() -> io::Result<()> {
    let args: Vec<OsString> = std::env::args_os().collect();
    if args.get(1).is_some_and(|a| a == "--measure-child") {
        return runner(&args[2..]);
    }
    let full = args.iter().any(|a| a == "--bench");
    let bin = std::env::var_os("FINDINGS_BENCH_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_findings")));
    let sizes: Vec<usize> = match std::env::var("FINDINGS_BENCH_SIZES") {
        Ok(s) if full => s
            .split(',')
            .filter_map(|x| x.trim().parse().ok())
            .filter(|&n| n > 0)
            .collect(),
        _ if full => vec![1_000, 10_000, 100_000],
        _ => vec![300],
    };
    let runs = if full {
        corpus::env_num("FINDINGS_BENCH_RUNS", 5).max(1) as usize
    } else {
        1
    };
    let seed = corpus::env_num("FINDINGS_BENCH_SEED", 1);
    let deps = corpus::env_num("FINDINGS_BENCH_DEPS", 10).min(100) as usize;
    let base = std::env::var_os("FINDINGS_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| corpus::target_dir().join("bench-corpus"));
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    eprintln!("findings: {}", bin.display());
    eprintln!(
        "corpora:  {}  (seed {seed}, {deps}% of todos with a dependency, {runs} runs, {cpus} CPUs, load {})",
        base.display(),
        load_average()
    );

    let mut rows = Vec::new();
    for &n in &sizes {
        let dir = base.join(if deps == 10 {
            n.to_string()
        } else {
            format!("{n}-deps{deps}")
        });
        let t = Instant::now();
        let (stats, made) = corpus::ensure(&dir, n, seed, deps)?;
        eprintln!(
            "{n:>7} files, {:.1} MB ({} todos, {} findings, {} ADRs): {} in {:.1?}",
            stats.bytes as f64 / 1e6,
            stats.todos,
            stats.findings,
            stats.adrs,
            if made { "generated" } else { "reused" },
            t.elapsed()
        );
        warm_and_check(&bin, &dir, &stats)?;
        measure(&cat_argv(&dir))?;
        let (mut fw, mut fc, mut fr) = (vec![], vec![], vec![]);
        let (mut cw, mut cc, mut cr) = (vec![], vec![], vec![]);
        for _ in 0..runs {
            let f = measure(&findings_argv(&bin, &dir))?;
            let c = measure(&cat_argv(&dir))?;
            fw.push(f.wall);
            fc.push(f.cpu);
            fr.extend(f.maxrss_kib);
            cw.push(c.wall);
            cc.push(c.cpu);
            cr.extend(c.maxrss_kib);
        }
        let spread = |v: &[Duration]| {
            let lo = v.iter().min().copied().unwrap_or_default();
            let hi = v.iter().max().copied().unwrap_or_default();
            format!("{:.0}-{:.0} ms", ms(lo), ms(hi))
        };
        eprintln!("         runs: findings {}, cat {}", spread(&fw), spread(&cw));
        let row = Row {
            n,
            mb: stats.bytes as f64 / 1e6,
            findings: median(fw),
            findings_cpu: median(fc),
            cat: median(cw),
            cat_cpu: median(cc),
            rss_kib: (!fr.is_empty()).then(|| median_u64(fr)),
            cat_rss_kib: (!cr.is_empty()).then(|| median_u64(cr)),
        };
        eprintln!(
            "         findings {:.1} ms (cpu {:.1} ms), cat {:.1} ms, ratio {:.2}",
            ms(row.findings),
            ms(row.findings_cpu),
            ms(row.cat),
            ratio(&row)
        );
        rows.push(row);
    }
    print_table(&rows, runs, seed, deps, cpus, full);
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn ratio(r: &Row) -> f64 {
    ms(r.findings) / ms(r.cat).max(1e-3)
}

fn mib(k: Option<u64>) -> String {
    k.map_or("n/a".into(), |k| format!("{:.1}", k as f64 / 1024.0))
}

fn print_table(rows: &[Row], runs: usize, seed: u64, deps: usize, cpus: usize, full: bool) {
    let first = rows.iter().min_by_key(|r| r.n);
    println!();
    println!(
        "`cargo bench --bench load` (seed {seed}, {deps}% of todos with a dependency, median of {runs}, warm cache, {cpus} CPUs, load {})",
        load_average()
    );
    println!();
    println!("| documents | corpus MB | findings ms | cat ms | findings / cat | findings CPU ms | cat CPU ms | findings peak RSS MiB | cat peak RSS MiB | RSS per item beyond the body |");
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for r in rows {
        let per_item = match (first, r.rss_kib) {
            (Some(f), Some(k)) if r.n > f.n => f
                .rss_kib
                .map(|fk| format!("{:.0} B", (k as f64 - fk as f64) * 1024.0 / (r.n - f.n) as f64)),
            _ => None,
        };
        println!(
            "| {} | {:.1} | {:.0} | {:.0} | {:.2}x | {:.0} | {:.0} | {} | {} | {} |",
            r.n,
            r.mb,
            ms(r.findings),
            ms(r.cat),
            ratio(r),
            ms(r.findings_cpu),
            ms(r.cat_cpu),
            mib(r.rss_kib),
            mib(r.cat_rss_kib),
            per_item.unwrap_or_else(|| "(baseline)".into())
        );
    }
    println!();
    println!("findings: `findings -C DIR list --format json > /dev/null`; cat: `find DIR -name '*.md' -print0 | xargs -0 cat > /dev/null`.");
    println!("CPU: user + system time (findings loads on every core). RSS per item: (peak RSS at N - peak RSS at");
    println!("the smallest size) / (N - smallest size); bodies are not kept, so this is the cost beyond the body.");
    if !full {
        println!("(smoke test with the debug binary; run `cargo bench --bench load` for figures)");
        return;
    }
    if let Some(big) = rows.iter().max_by_key(|r| r.n) {
        println!(
            "Targets at {} documents: time <= 2.5x cat: {} ({:.2}x).",
            big.n,
            if ratio(big) <= 2.5 { "met" } else { "MISSED" },
            ratio(big)
        );
        if let (Some(f), Some(k)) = (first, big.rss_kib) {
            if big.n > f.n {
                if let Some(fk) = f.rss_kib {
                    let b = (k as f64 - fk as f64) * 1024.0 / (big.n - f.n) as f64;
                    println!(
                        "Memory <= 1 KB per item beyond the bodies: {} ({b:.0} B).",
                        if b <= 1024.0 { "met" } else { "MISSED" }
                    );
                }
            }
        }
    }
}
