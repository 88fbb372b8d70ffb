//! The team commands: `renumber`, `history`, `undo`, `sync`, `init` (also
//! `git setup`) and the `merge-driver` git runs.

use super::write::{report, WriteArgs};
use super::{CmdResult, Ctx};
use crate::document::text::inert;
use crate::git::history::{history as doc_history, HistoryEntry};
use crate::git::setup;
use crate::git::sync::Strategy;
use crate::ops::merge::{run_driver, MergeOptions};
use crate::ops::renumber::{renumber as renumber_op, RenumberRequest};
use crate::ops::team::{self, InitReport, SyncOptions, SyncReport};
use crate::ops::{undo::undo as undo_op, WriteOpts};
use clap::{Args, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, Default)]
pub(crate) enum Format {
    #[default]
    Text,
    Json,
}

#[derive(Args, Debug, Clone)]
pub(crate) struct RenumberArgs {
    /// The document (with a duplicate ID, its path says which one).
    pub(crate) id: String,
    /// The new ID; a bare number keeps the old prefix and width (`DATA-001 7` → `DATA-007`).
    pub(crate) new: String,
    /// Work-log author (default: git user.name).
    #[arg(long)]
    pub(crate) author: Option<String>,
    /// Allow an ID another document or branch already uses.
    #[arg(long)]
    pub(crate) force: bool,
    #[command(flatten)]
    pub(crate) write: WriteArgs,
}

#[derive(Args, Debug, Clone)]
pub(crate) struct MergeDriverArgs {
    /// The common ancestor's version (%O).
    pub(crate) base: PathBuf,
    /// Our version; the result is written here (%A).
    pub(crate) current: PathBuf,
    /// Their version (%B).
    pub(crate) other: PathBuf,
    /// The document's path in the repository (%P).
    pub(crate) path: Option<String>,
    /// Conflict marker length (%L).
    #[arg(long, default_value_t = 7)]
    pub(crate) marker_size: usize,
}

#[derive(Args, Debug, Clone, Default)]
pub(crate) struct InitArgs {
    /// Register plain `findings` (found on PATH) instead of this executable's absolute path.
    #[arg(long)]
    pub(crate) portable: bool,
    /// Write .gitattributes but do not commit it.
    #[arg(long)]
    pub(crate) no_commit: bool,
    /// Skip the pre-commit and commit-msg hooks.
    #[arg(long)]
    pub(crate) no_verify: bool,
    /// Say what would change; change nothing.
    #[arg(long)]
    pub(crate) dry_run: bool,
    #[arg(short, long, value_enum, default_value_t = Format::Text)]
    pub(crate) format: Format,
    /// Read documents from these folders: write `folders = [...]` into findings.toml.
    #[arg(long, num_args = 1.., value_name = "DIR")]
    pub(crate) folders: Vec<String>,
    /// With no documents found, take the folder with the most .md files without asking.
    #[arg(short, long)]
    pub(crate) yes: bool,
}

#[derive(Subcommand, Debug, Clone)]
pub(crate) enum GitCommand {
    /// Same as `findings init`.
    Setup(InitArgs),
}

#[derive(Args, Debug, Clone)]
pub(crate) struct HistoryArgs {
    /// The document.
    pub(crate) id: String,
    #[arg(short, long, value_enum, default_value_t = Format::Text)]
    pub(crate) format: Format,
}

#[derive(Args, Debug, Clone)]
pub(crate) struct UndoArgs {
    /// The findings commit to revert (default: HEAD).
    pub(crate) commit: Option<String>,
    #[command(flatten)]
    pub(crate) write: WriteArgs,
}

#[derive(Args, Debug, Clone)]
pub(crate) struct SyncArgs {
    /// Merge the upstream branch instead of rebasing onto it.
    #[arg(long, conflicts_with = "rebase")]
    pub(crate) merge: bool,
    /// Rebase onto the upstream branch (the default unless findings.toml says `[git] sync = "merge"`).
    #[arg(long)]
    pub(crate) rebase: bool,
    /// The remote, when the branch has no upstream yet (default: origin).
    #[arg(long)]
    pub(crate) remote: Option<String>,
    /// Fetch and integrate, do not push.
    #[arg(long)]
    pub(crate) no_push: bool,
    /// Stop on an ID clash instead of renumbering our unpublished document.
    #[arg(long)]
    pub(crate) no_renumber: bool,
    /// Work-log author for renumbering (default: git user.name).
    #[arg(long)]
    pub(crate) author: Option<String>,
    /// Skip the pre-commit and commit-msg hooks of renumber commits.
    #[arg(long)]
    pub(crate) no_verify: bool,
    /// Resume a sync that stopped on conflicts, with the merge driver (after
    /// resolving the markers it listed), then push.
    #[arg(long = "continue")]
    pub(crate) resume: bool,
    #[arg(short, long, value_enum, default_value_t = Format::Text)]
    pub(crate) format: Format,
}

fn print(s: &str) -> Result<(), super::Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

fn json<T: serde::Serialize>(v: &T) -> Result<String, super::Failure> {
    let mut value = serde_json::to_value(v)?;
    if let Some(o) = value.as_object_mut() {
        o.insert("schema".into(), 1.into());
    }
    Ok(super::output::json_pretty(&value)? + "\n")
}

fn write_opts(w: &WriteArgs, author: Option<String>, force: bool) -> WriteOpts {
    WriteOpts {
        dry_run: w.dry_run,
        no_commit: w.no_commit,
        no_verify: w.no_verify,
        author,
        force,
        ..Default::default()
    }
}

pub(crate) fn renumber(ctx: &Ctx, a: &RenumberArgs) -> CmdResult {
    let repo = ctx.open()?;
    let req = RenumberRequest {
        id: a.id.clone(),
        new_id: a.new.clone(),
    };
    let o = renumber_op(&repo, &req, &write_opts(&a.write, a.author.clone(), a.force))?;
    report(ctx, &o, a.write.format)
}

pub(crate) fn undo(ctx: &Ctx, a: &UndoArgs) -> CmdResult {
    let repo = ctx.open()?;
    let o = undo_op(&repo, a.commit.as_deref(), &write_opts(&a.write, None, false))?;
    report(ctx, &o, a.write.format)
}

/// `findings merge-driver %O %A %B %P`: exit 0 merged cleanly, 1 conflicts
/// left in %A, 2 an error (then %A is left as it was).
pub(crate) fn merge_driver(a: &MergeDriverArgs) -> CmdResult {
    let path = a
        .path
        .clone()
        .unwrap_or_else(|| a.current.to_string_lossy().into_owned());
    let opts = MergeOptions {
        marker_size: a.marker_size,
        ..Default::default()
    };
    match run_driver(&a.base, &a.current, &a.other, &path, &opts) {
        Ok(0) => Ok(ExitCode::SUCCESS),
        Ok(_) => Ok(ExitCode::from(1)),
        Err(e) => {
            eprintln!(
                "findings merge-driver: {}: {}",
                inert(&path, false),
                inert(&e.to_string(), true)
            );
            Ok(ExitCode::from(2))
        }
    }
}

pub(crate) fn init(ctx: &Ctx, a: &InitArgs) -> CmdResult {
    let repo = ctx.open()?;
    let said = super::nothing::init_folders(&repo, &a.folders, a.yes, a.dry_run)?;
    said.iter().for_each(|l| eprintln!("findings: {l}"));
    let repo = if said.is_empty() || a.dry_run {
        repo
    } else {
        ctx.open()?
    };
    let opts = WriteOpts {
        dry_run: a.dry_run,
        no_commit: a.no_commit,
        no_verify: a.no_verify,
        ..Default::default()
    };
    let r = team::init(&repo, &setup::program(a.portable), &opts)?;
    match a.format {
        Format::Json => print(&json(&r)?)?,
        Format::Text => print(&init_text(&r, a.dry_run))?,
    }
    Ok(ExitCode::SUCCESS)
}

fn init_text(r: &InitReport, dry_run: bool) -> String {
    let would = if dry_run { "would " } else { "" };
    let mut s = String::new();
    if r.config_changed {
        s.push_str(&format!(
            "{would}register merge.findings.driver = {}\n",
            inert(&r.driver, false)
        ));
    } else {
        s.push_str("merge driver already registered\n");
    }
    if r.attributes_added.is_empty() && r.folders > 0 {
        s.push_str(".gitattributes already routes the document folders to it\n");
    }
    for l in &r.attributes_added {
        s.push_str(&format!("{would}add to .gitattributes: {}\n", inert(l, false)));
    }
    match &r.commit {
        Some(c) => s.push_str(&format!("committed {} .gitattributes\n", &c[..c.len().min(10)])),
        None if !r.attributes_added.is_empty() && !dry_run => s.push_str(".gitattributes written, not committed\n"),
        None => {}
    }
    for w in &r.warnings {
        s.push_str(&format!("warning: {}\n", inert(w, false)));
    }
    s
}

pub(super) fn git(ctx: &Ctx, c: &GitCommand) -> CmdResult {
    match c {
        GitCommand::Setup(a) => init(ctx, a),
    }
}

pub(crate) fn history(ctx: &Ctx, a: &HistoryArgs) -> CmdResult {
    let repo = ctx.open()?;
    let meta = repo.resolve(&a.id)?;
    let h = doc_history(&repo.root, &meta.path)?;
    match a.format {
        Format::Json => {
            #[derive(serde::Serialize)]
            struct J<'a> {
                schema: u32,
                id: &'a str,
                path: &'a str,
                entries: &'a [HistoryEntry],
            }
            print(
                &(super::output::json_pretty(&J {
                    schema: 1,
                    id: &meta.id,
                    path: &meta.path,
                    entries: &h,
                })? + "\n"),
            )?;
        }
        Format::Text => {
            let p = ctx.painter;
            let mut s = format!(
                "{}  {}\n",
                p.paint("1", &inert(&meta.id, false)),
                inert(&meta.title, false)
            );
            if h.is_empty() {
                s.push_str("  no commits yet\n");
            }
            for e in &h {
                let date = e.date.get(..16).unwrap_or(&e.date).replace('T', " ");
                s.push_str(&format!(
                    "{date}  {}  {}  {}\n",
                    p.paint("33", &e.commit[..e.commit.len().min(10)]),
                    inert(&e.author, false),
                    inert(&e.subject, false)
                ));
                let mut what = Vec::new();
                if e.created {
                    what.push(format!("created as {}", e.path));
                }
                if let Some(f) = &e.renamed_from {
                    what.push(format!("renamed from {f}"));
                }
                if e.status_changed() {
                    what.push(format!(
                        "status {} → {}",
                        e.status_from.as_deref().unwrap_or("(none)"),
                        e.status_to.as_deref().unwrap_or("(none)")
                    ));
                }
                for w in &what {
                    s.push_str(&format!("    {}\n", inert(w, false)));
                }
                for l in &e.worklog_added {
                    s.push_str(&format!("    work log + {}\n", inert(l, false)));
                }
            }
            print(&s)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn sync(ctx: &Ctx, a: &SyncArgs) -> CmdResult {
    // Sync reads documents only when something comes in (then from a fresh
    // scan): open the repository without parsing them.
    let repo = crate::store::Repo::config_only(&ctx.root)?;
    let strategy = if a.merge {
        Some(Strategy::Merge)
    } else if a.rebase {
        Some(Strategy::Rebase)
    } else {
        None
    };
    let opts = SyncOptions {
        strategy,
        remote: a.remote.clone(),
        push: !a.no_push,
        renumber: !a.no_renumber,
        program: setup::program(false),
        write: WriteOpts {
            author: a.author.clone(),
            no_verify: a.no_verify,
            ..Default::default()
        },
        resume: a.resume,
    };
    let r = team::sync(&repo, &opts)?;
    match a.format {
        Format::Json => print(&json(&r)?)?,
        Format::Text => print(&sync_text(&r))?,
    }
    Ok(if r.ok() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn sync_text(r: &SyncReport) -> String {
    let mut s = String::new();
    let strategy = match r.strategy {
        Strategy::Rebase => "rebase",
        Strategy::Merge => "merge",
    };
    s.push_str(&format!(
        "{} ↔ {} ({strategy})\n",
        inert(&r.branch, false),
        inert(&r.upstream, false)
    ));
    for n in &r.renumbered {
        s.push_str(&format!(
            "  renumbered {} → {} ({}): {} took {} first\n",
            inert(&n.from, false),
            inert(&n.to, false),
            inert(&n.path, false),
            inert(&r.upstream, false),
            inert(&n.from, false)
        ));
    }
    for c in &r.clashes {
        s.push_str(&format!(
            "  clash: ID {} is {} here and {} on {}\n",
            inert(&c.id, false),
            inert(&c.ours, false),
            inert(&c.theirs, false),
            inert(&c.refname, false)
        ));
    }
    if r.incoming > 0 && r.integrated {
        s.push_str(&format!(
            "  integrated {} commit(s) from {}\n",
            r.incoming,
            inert(&r.upstream, false)
        ));
    }
    for j in &r.rejoined {
        s.push_str(&format!(
            "  {} {} in {} (was also {}){}\n",
            if j.conflicts == 0 {
                "rejoined"
            } else {
                "rejoined, with conflicts,"
            },
            inert(&j.id, false),
            inert(&j.path, false),
            inert(&j.removed.join(", "), false),
            if j.conflicts == 0 { "" } else { ": resolve the markers" }
        ));
    }
    for x in &r.restored {
        s.push_str(&format!(
            "  kept {} work-log entr{} of {} that git's merge dropped ({})\n",
            x.entries.len(),
            if x.entries.len() == 1 { "y" } else { "ies" },
            inert(&x.id, false),
            inert(&x.path, false)
        ));
    }
    for c in &r.conflicts {
        s.push_str(&format!(
            "  conflict: {}{}\n",
            inert(&c.path, false),
            c.id.as_ref()
                .map(|i| format!(" ({})", inert(i, false)))
                .unwrap_or_default()
        ));
    }
    if r.pushed {
        s.push_str(&format!(
            "  pushed {} commit(s) to {}\n",
            r.outgoing,
            inert(&r.remote, false)
        ));
    } else if r.ok() && r.outgoing == 0 {
        s.push_str("  up to date\n");
    }
    for w in &r.warnings {
        s.push_str(&format!("  warning: {}\n", inert(w, false)));
    }
    for i in &r.instructions {
        s.push_str(&format!("{}\n", inert(i, false)));
    }
    s
}
