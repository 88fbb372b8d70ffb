//! The write commands: `triage`, `status`, `log`, `tick`, `new`, `adr supersede`.
//! Each builds a request, calls one operation in [`crate::ops`] and prints
//! what changed (text or JSON), the diff and message with `--dry-run`.

use super::{CmdResult, Ctx, Failure};
use crate::document::text::inert;
use crate::document::Kind;
use crate::git::EarlyIndex;
use crate::ops::{self, new::NewDoc, LogRequest, Outcome, StatusRequest, TriageRequest, WriteOpts};
use crate::store::Repo;
use clap::{Args, Subcommand, ValueEnum};
use std::io::Write;
use std::process::ExitCode;

#[derive(Args, Debug, Clone, Default)]
pub(crate) struct WriteArgs {
    /// Print the unified diff and the commit message; write nothing.
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// Write the files but make no commit.
    #[arg(long)]
    pub(crate) no_commit: bool,
    /// Skip the pre-commit and commit-msg hooks.
    #[arg(long)]
    pub(crate) no_verify: bool,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = WriteFormat::Text)]
    pub(crate) format: WriteFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, Default)]
pub(crate) enum WriteFormat {
    #[default]
    Text,
    Json,
}

#[derive(Args, Debug, Clone)]
pub(crate) struct TriageArgs {
    /// The document to triage.
    pub(crate) id: String,
    /// The decision: an option of this document (`A`, `2`, a title) or of an
    /// accepted ADR (`upsert`), or free text written verbatim.
    #[arg(short, long)]
    pub(crate) action: Option<String>,
    /// Move to this status instead of the family's triage status.
    #[arg(long)]
    pub(crate) to: Option<String>,
    /// A note for the work log and the commit message.
    #[arg(short, long)]
    pub(crate) note: Option<String>,
    /// Work-log author (default: git user.name).
    #[arg(long)]
    pub(crate) author: Option<String>,
    /// Write --action as given, without matching options.
    #[arg(long)]
    pub(crate) literal: bool,
    /// Put --action in place of a Recommended Action someone already wrote
    /// (the old text stays below it); without it the action is added after.
    #[arg(long, requires = "action")]
    pub(crate) replace: bool,
    /// Allow a transition the workflow does not, or from an unknown status.
    #[arg(long)]
    pub(crate) force: bool,
    #[command(flatten)]
    pub(crate) write: WriteArgs,
}

#[derive(Args, Debug, Clone)]
pub(crate) struct StatusArgs {
    /// The document.
    pub(crate) id: String,
    /// The new status (a family status or an alias: ready, complete, wontfix, resolved, superseded …).
    pub(crate) status: String,
    /// A note for the work log and the commit message.
    #[arg(short, long)]
    pub(crate) note: Option<String>,
    /// Why (required to skip: wontfix / wont_fix).
    #[arg(short, long)]
    pub(crate) reason: Option<String>,
    /// The ADR that supersedes this one (with `superseded`).
    #[arg(long, value_name = "ADR_ID")]
    pub(crate) by: Option<String>,
    #[arg(long)]
    pub(crate) author: Option<String>,
    #[arg(long)]
    pub(crate) force: bool,
    #[command(flatten)]
    pub(crate) write: WriteArgs,
}

#[derive(Args, Debug, Clone)]
pub(crate) struct LogArgs {
    /// The document.
    pub(crate) id: String,
    /// What was done.
    pub(crate) action: String,
    /// What was learned.
    #[arg(short, long)]
    pub(crate) learnings: Option<String>,
    #[arg(long)]
    pub(crate) author: Option<String>,
    #[command(flatten)]
    pub(crate) write: WriteArgs,
}

#[derive(Args, Debug, Clone)]
pub(crate) struct TickArgs {
    /// The document.
    pub(crate) id: String,
    /// The acceptance criterion's number, as `findings show` lists them (from 1).
    pub(crate) n: usize,
    /// Untick it instead.
    #[arg(long)]
    pub(crate) undo: bool,
    /// Work-log author; git's user.name when absent.
    #[arg(long)]
    pub(crate) author: Option<String>,
    #[command(flatten)]
    pub(crate) write: WriteArgs,
}

#[derive(Args, Debug, Clone)]
pub(crate) struct NewArgs {
    /// The family.
    #[arg(short, long, value_parser = super::parse_kind, default_value = "todo")]
    pub(crate) kind: Kind,
    /// The title.
    #[arg(long)]
    pub(crate) title: String,
    /// p0-p3 (P1, high, … are understood; anything else is a usage error).
    #[arg(short, long, value_parser = priority_arg)]
    pub(crate) priority: Option<String>,
    /// A tag (repeatable).
    #[arg(short, long = "tag")]
    pub(crate) tag: Vec<String>,
    /// A finding's category (`data-integrity` gives IDs DATA-NNN).
    #[arg(long)]
    pub(crate) category: Option<String>,
    /// A finding's severity.
    #[arg(long)]
    pub(crate) severity: Option<String>,
    /// A finding's ID prefix (`SEC`); from the category by default.
    #[arg(long)]
    pub(crate) prefix: Option<String>,
    #[command(flatten)]
    pub(crate) write: WriteArgs,
}

#[derive(Subcommand, Debug, Clone)]
pub(crate) enum AdrCommand {
    /// OLD is superseded by NEW: status and two-way links, one commit.
    Supersede {
        old: String,
        new: String,
        #[arg(short, long)]
        note: Option<String>,
        #[arg(long)]
        author: Option<String>,
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        write: WriteArgs,
    },
}

/// Open enough of the repository to resolve `ids` for a write. When the
/// write will commit, git's index is read for that commit meanwhile, on a
/// thread of its own, held by the guard returned with the repository
/// (see `git::EarlyIndex`).
fn open_for_write(ctx: &Ctx, ids: &[&str], w: &WriteArgs) -> Result<(Repo, Option<EarlyIndex>), Failure> {
    let early = (!w.no_commit && !w.dry_run).then(|| EarlyIndex::start(&ctx.root));
    Ok((ctx.open_for(ids)?, early))
}

fn opts(w: &WriteArgs, author: Option<String>, force: bool) -> WriteOpts {
    WriteOpts {
        dry_run: w.dry_run,
        no_commit: w.no_commit,
        no_verify: w.no_verify,
        author,
        force,
        ..Default::default()
    }
}

#[derive(serde::Serialize)]
struct OutcomeJson<'a> {
    schema: u32,
    #[serde(flatten)]
    outcome: &'a Outcome,
}

/// A priority `new` can write: one [`crate::workflow::normalize_priority`]
/// understands, so `-p p9` is a usage error rather than a silent p2.
fn priority_arg(s: &str) -> Result<String, super::usage::UsageError> {
    match crate::workflow::normalize_priority(s) {
        Some(p) => Ok(p.to_string()),
        None => Err(super::usage::unknown_priority(s, &[])),
    }
}

/// Print an outcome in the chosen format. The message of a commit made is
/// read back from git, so a `commit-msg` hook's rewrite is what is shown.
pub(crate) fn report(ctx: &Ctx, o: &Outcome, format: WriteFormat) -> CmdResult {
    let stored = (!o.dry_run)
        .then_some(o.commit.as_deref())
        .flatten()
        .and_then(|c| crate::git::commit_message(&ctx.root, c))
        .filter(|m| *m != o.message);
    let with_stored;
    let o = match stored {
        Some(message) => {
            with_stored = Outcome { message, ..o.clone() };
            &with_stored
        }
        None => o,
    };
    let mut s = String::new();
    match format {
        WriteFormat::Json => {
            s = super::output::json_pretty(&OutcomeJson { schema: 1, outcome: o })? + "\n";
        }
        WriteFormat::Text => {
            let p = ctx.painter;
            let id = inert(&o.id, false);
            match (&o.old_status, &o.new_status) {
                (Some(a), Some(b)) if a != b => s.push_str(&format!("{}: {a} → {b}\n", p.paint("1", &id))),
                _ => s.push_str(&format!("{}\n", p.paint("1", &id))),
            }
            for f in &o.files {
                match (&f.renamed_from, f.created) {
                    _ if f.removed => s.push_str(&format!("  removed {}\n", inert(&f.path, false))),
                    (Some(from), _) => s.push_str(&format!(
                        "  renamed {} → {}\n",
                        inert(from, false),
                        inert(&f.path, false)
                    )),
                    (None, true) => s.push_str(&format!("  created {}\n", inert(&f.path, false))),
                    (None, false) => s.push_str(&format!("  edited  {}\n", inert(&f.path, false))),
                }
            }
            if let Some(c) = &o.criterion {
                let mark = if c.done { "x" } else { " " };
                s.push_str(&format!("  criterion {} [{mark}] {}\n", c.n, inert(&c.text, false)));
            }
            if let Some(a) = &o.action {
                s.push_str(&format!("  action: {}\n", inert(&a.note, false)));
                s.push_str(&format!("  wrote:  {}\n", inert(&a.text, false)));
            }
            for w in &o.warnings {
                s.push_str(&format!("  warning: {}\n", inert(w, false)));
            }
            if o.dry_run {
                s.push_str("\n--- dry run: nothing written ---\n");
                if let Some(d) = &o.diff {
                    s.push_str(&inert(d, true));
                }
                s.push_str("\n--- commit message ---\n");
                s.push_str(&inert(&o.message, true));
            } else if let Some(c) = &o.commit {
                let subject = o.message.lines().next().unwrap_or("");
                s.push_str(&format!(
                    "  committed {} {}\n",
                    p.paint("33", &c[..c.len().min(10)]),
                    inert(subject, false)
                ));
            } else {
                s.push_str("  not committed\n");
            }
        }
    }
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(s.as_bytes()).and_then(|_| out.flush());
    Ok(ExitCode::SUCCESS)
}

pub(super) fn triage(ctx: &Ctx, a: &TriageArgs) -> CmdResult {
    let (repo, _early) = open_for_write(ctx, &[&a.id], &a.write)?;
    let req = TriageRequest {
        id: a.id.clone(),
        action: a.action.clone(),
        to: a.to.clone(),
        note: a.note.clone(),
        literal: a.literal,
        replace: a.replace,
    };
    let o = ops::triage(&repo, &req, &opts(&a.write, a.author.clone(), a.force))?;
    report(ctx, &o, a.write.format)
}

pub(super) fn status(ctx: &Ctx, a: &StatusArgs) -> CmdResult {
    let mut ids = vec![a.id.as_str()];
    ids.extend(a.by.as_deref());
    let (repo, _early) = open_for_write(ctx, &ids, &a.write)?;
    let req = StatusRequest {
        id: a.id.clone(),
        to: a.status.clone(),
        note: a.note.clone(),
        reason: a.reason.clone(),
        by: a.by.clone(),
    };
    let o = ops::set_status(&repo, &req, &opts(&a.write, a.author.clone(), a.force))?;
    report(ctx, &o, a.write.format)
}

pub(super) fn log(ctx: &Ctx, a: &LogArgs) -> CmdResult {
    let (repo, _early) = open_for_write(ctx, &[&a.id], &a.write)?;
    let req = LogRequest {
        id: a.id.clone(),
        action: a.action.clone(),
        learnings: a.learnings.clone(),
    };
    let o = ops::log(&repo, &req, &opts(&a.write, a.author.clone(), false))?;
    report(ctx, &o, a.write.format)
}

pub(crate) fn tick(ctx: &Ctx, a: &TickArgs) -> CmdResult {
    let (repo, _early) = open_for_write(ctx, &[&a.id], &a.write)?;
    let req = ops::TickRequest {
        id: a.id.clone(),
        n: a.n,
        undo: a.undo,
    };
    let o = ops::tick(&repo, &req, &opts(&a.write, a.author.clone(), false))?;
    report(ctx, &o, a.write.format)
}

pub(crate) fn new(ctx: &Ctx, a: &NewArgs) -> CmdResult {
    let repo = ctx.open()?;
    let req = NewDoc {
        kind: Some(a.kind),
        title: a.title.clone(),
        priority: a.priority.clone(),
        tags: a.tag.clone(),
        category: a.category.clone(),
        severity: a.severity.clone(),
        prefix: a.prefix.clone(),
    };
    let o = ops::create(&repo, &req, &opts(&a.write, None, false))?;
    report(ctx, &o, a.write.format)
}

pub(crate) fn adr(ctx: &Ctx, c: &AdrCommand) -> CmdResult {
    match c {
        AdrCommand::Supersede {
            old,
            new,
            note,
            author,
            force,
            write,
        } => {
            let (repo, _early) = open_for_write(ctx, &[old, new], write)?;
            let o = ops::supersede(&repo, old, new, note.as_deref(), &opts(write, author.clone(), *force))?;
            report(ctx, &o, write.format)
        }
    }
}
