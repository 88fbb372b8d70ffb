//! `findings stats`: documents by status, priority and age, and the
//! opened/closed trend per week from git history ([`crate::stats`]), as
//! text or JSON.

use super::output::{json_pretty, Painter};
use super::{CmdResult, Ctx};
use crate::document::text::inert;
use crate::stats::{self, Stats};
use clap::{Args, ValueEnum};
use std::process::ExitCode;

#[derive(Args, Debug, Clone)]
pub(crate) struct StatsArgs {
    /// How many weeks of trend to show (the current week included).
    #[arg(short, long, value_name = "N", default_value_t = 12, value_parser = clap::value_parser!(u16).range(1..=520))]
    pub(crate) weeks: u16,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = StatsFormat::Text)]
    pub(crate) format: StatsFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum StatsFormat {
    Text,
    Json,
}

#[derive(serde::Serialize)]
struct Json<'a> {
    schema: u32,
    #[serde(flatten)]
    stats: &'a Stats,
}

pub(crate) fn run(ctx: &Ctx, a: &StatsArgs) -> CmdResult {
    let repo = ctx.open()?;
    let now = chrono::Local::now().naive_local();
    // The history is read through one handle, opened here once.
    let git = crate::git::open(&repo.root).ok();
    let s = stats::compute(&repo, git.as_ref(), now, a.weeks as usize);
    match a.format {
        StatsFormat::Json => println!("{}", json_pretty(&Json { schema: 1, stats: &s })?),
        StatsFormat::Text => print!("{}", text(&s, ctx.painter)),
    }
    Ok(ExitCode::SUCCESS)
}

fn text(s: &Stats, p: Painter) -> String {
    use std::fmt::Write;
    let mut o = String::new();
    let _ = writeln!(o, "{} documents, {} open", s.total, s.open);
    let _ = writeln!(o);
    let _ = writeln!(o, "{}", p.paint("1", "BY STATUS"));
    let w = s
        .by_status
        .iter()
        .map(|c| c.kind.as_str().len() + 1 + inert(&c.status, false).chars().count())
        .max()
        .unwrap_or(0)
        .max(12);
    for c in &s.by_status {
        let label = format!("{} {}", c.kind.as_str(), inert(&c.status, false));
        let note = match (c.known, c.closed) {
            (false, _) => "  (not in the workflow)",
            (true, true) => "  (closed)",
            _ => "",
        };
        let _ = writeln!(o, "  {label:<w$}  {:>6}{}", c.count, p.paint("2", note));
    }
    for (title, buckets) in [("BY PRIORITY", &s.by_priority), ("BY AGE (created date)", &s.by_age)] {
        let _ = writeln!(o);
        let _ = writeln!(
            o,
            "{}  {:>6}  {:>6}",
            p.paint("1", &format!("{title:<22}")),
            "ALL",
            "OPEN"
        );
        for b in buckets {
            let _ = writeln!(o, "  {:<20}  {:>6}  {:>6}", b.label, b.count, b.open);
        }
    }
    let _ = writeln!(o);
    let t = &s.trend;
    let _ = writeln!(
        o,
        "{}",
        p.paint(
            "1",
            &format!("OPENED / CLOSED PER WEEK (git history, {} weeks)", t.weeks.len())
        )
    );
    if let Some(why) = &t.unavailable {
        let _ = writeln!(o, "  no trend: {}", inert(why, false));
        return o;
    }
    let max = t.weeks.iter().map(|w| w.opened.max(w.closed)).max().unwrap_or(0).max(1);
    let bar = |n: usize| "#".repeat((n * 20).div_ceil(max).min(20));
    for wk in &t.weeks {
        let line = format!(
            "  {}  +{:<4} -{:<4} {}{}",
            wk.start.format("%Y-%m-%d"),
            wk.opened,
            wk.closed,
            p.paint("32", &format!("{:<20}", bar(wk.opened))),
            p.paint("2", &format!(" {}", bar(wk.closed)))
        );
        let _ = writeln!(o, "{}", line.trim_end());
    }
    if t.truncated {
        let _ = writeln!(o, "  (only the newest {} commits were read)", stats::MAX_COMMITS);
    }
    o
}
