//! The command-line shell: argument parsing, output formats and exit codes.
//! Every command is a thin layer over the library: it opens the repository,
//! calls one operation and prints the result.
//!
//! Exit codes: 0 success; 1 an error, or `check` found problems; 2 a usage
//! error (bad flags, unknown ID syntax is not usage but an error).

mod completions;
mod errors;
mod export;
mod list;
mod nothing;
mod options;
mod output;
mod redo;
mod search;
mod show;
mod stats;
mod team;
mod usage;
mod write;

use crate::query::SortKey;
use crate::store::{self, Repo};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

pub(crate) use output::Painter;

const AFTER_HELP: &str = "\
Documents are read from findings/, adr/, todos/, .todos/, docs/adr/, docs/decisions/ and doc/adr/
under the repository root (the git work tree above the current directory), or from the folders
named by `folders = [...]` in findings.toml at the root.

Exit status: 0 success; 1 an error, or problems found by `check`; 2 a usage error.
Environment: NO_COLOR disables colour; VISUAL, else EDITOR, is the terminal UI's editor.
Run `findings` with no command on a terminal to open the terminal UI.";

#[derive(Parser, Debug)]
#[command(
    name = "findings",
    version,
    about = "Browse, filter, triage and commit the markdown findings, todos and ADRs of code review",
    after_help = AFTER_HELP,
    max_term_width = 100
)]
pub(crate) struct Cli {
    /// Run as if started in DIR (the repository root is found from there).
    #[arg(short = 'C', long = "root", global = true, value_name = "DIR")]
    pub(crate) root: Option<PathBuf>,
    /// When to use colour.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub(crate) color: ColorChoice,
    #[command(subcommand)]
    pub(crate) command: Option<Command>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// List documents, filtered and sorted.
    #[command(
        visible_alias = "ls",
        after_help = "Examples:\n  findings list --status pending --priority p1\n  findings list -k finding -q 'race !prisma' --format json\n  findings list --sort created --format ids"
    )]
    List(ListArgs),
    /// Show one document.
    Show(ShowArgs),
    /// Report every problem in the repository; exit 1 when there is an error.
    Check(CheckArgs),
    /// Triage: move to the family's triage status, fill Recommended Action, log, commit.
    #[command(
        after_help = "Examples:\n  findings triage 030 --action upsert      adopt ADR 0105's upsert option\n  findings triage 030 --action B           the document's own Option B\n  findings triage DATA-001 --note \"sprint 3\" --dry-run"
    )]
    Triage(write::TriageArgs),
    /// Change a document's status along its workflow.
    #[command(
        after_help = "Examples:\n  findings status 030 complete\n  findings status 003 wontfix --reason \"duplicate of 030\"\n  findings status 105 superseded --by 106"
    )]
    Status(write::StatusArgs),
    /// Append a work-log entry.
    Log(write::LogArgs),
    /// Tick (or --undo: untick) acceptance criterion N, numbered as `show` lists them; log, commit.
    #[command(
        after_help = "Examples:\n  findings show 030          the criteria, numbered\n  findings tick 030 2\n  findings tick 030 2 --undo"
    )]
    Tick(write::TickArgs),
    /// Create a document with the next free ID in its family's convention.
    New(write::NewArgs),
    /// ADR commands.
    #[command(subcommand)]
    Adr(write::AdrCommand),
    /// Open the terminal UI (the default on a terminal).
    Tui(TuiArgs),
    /// Give a document another ID: rename it, rewrite its ID and the references to it, one commit.
    Renumber(team::RenumberArgs),
    /// A document's changes from git log (following renames): who, when, status and work log.
    History(team::HistoryArgs),
    /// Undo the last findings write not undone yet (or COMMIT), as a new commit.
    Undo(team::UndoArgs),
    /// Re-apply the last findings write `undo` took back, as a new commit.
    Redo(redo::RedoArgs),
    /// Fetch, renumber clashing unpublished IDs, rebase (or merge) with the merge driver, push.
    Sync(team::SyncArgs),
    /// Register the findings merge driver in .git/config and route the folders to it in .gitattributes.
    Init(team::InitArgs),
    /// Git integration (`git setup` = `init`).
    #[command(subcommand)]
    Git(team::GitCommand),
    /// The git merge driver (run by git: `findings merge-driver %O %A %B %P`).
    #[command(hide = true)]
    MergeDriver(team::MergeDriverArgs),
    /// Full-text search of IDs, titles, tags and text: each matching line with its number.
    #[command(
        after_help = "Exit status: 0 a document matched, 1 none did, 2 an error.\n\nExamples:\n  findings search prisma\n  findings search 'connection pool' -s pending -k todo\n  findings search Upsert --format json"
    )]
    Search(search::SearchArgs),
    /// The decision options `triage --action` chooses from, and which one TEXT would adopt.
    #[command(after_help = "Examples:\n  findings options 030\n  findings options 030 --action upsert --format json")]
    Options(options::OptionsArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(completions::CompletionsArgs),
    /// Print the manual page (roff) to standard output.
    Man,
    /// Counts by status, priority and age, and the opened/closed trend per week from git.
    Stats(stats::StatsArgs),
    /// Export open findings and todos for other tools: SARIF 2.1.0 for code-scanning views.
    Export(export::ExportArgs),
    /// Serve the Model Context Protocol over stdin/stdout, for agents (register it in an MCP client).
    #[cfg(feature = "mcp")]
    Mcp,
}

#[derive(Args, Debug, Default, Clone)]
pub(crate) struct FilterArgs {
    /// Only this status (repeat for any of several; aliases like `done` work).
    #[arg(short, long = "status", value_name = "S")]
    pub(crate) status: Vec<String>,
    /// Only this priority: p0-p3 (P1 = p1; repeatable).
    #[arg(short, long = "priority", value_name = "P")]
    pub(crate) priority: Vec<String>,
    /// Only documents with this tag (repeatable).
    #[arg(short, long = "tag", value_name = "T")]
    pub(crate) tag: Vec<String>,
    /// Only this family: todo, finding or adr (repeatable).
    #[arg(short, long = "kind", value_name = "K", value_parser = parse_kind)]
    pub(crate) kind: Vec<crate::document::Kind>,
    /// Fuzzy search over ID, title and tags (fzf syntax: 'exact ^prefix suffix$ !not).
    #[arg(short, long, value_name = "TEXT")]
    pub(crate) query: Option<String>,
}

fn parse_kind(s: &str) -> Result<crate::document::Kind, usage::UsageError> {
    crate::document::Kind::parse(s)
        .ok_or_else(|| usage::unknown("kind", s, ["todo", "finding", "adr"], "use todo, finding or adr"))
}

#[derive(Args, Debug, Clone)]
pub(crate) struct ListArgs {
    #[command(flatten)]
    pub(crate) filter: FilterArgs,
    /// Sort order.
    #[arg(long, value_enum, default_value_t = SortArg::Priority)]
    pub(crate) sort: SortArg,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = ListFormat::Table)]
    pub(crate) format: ListFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum SortArg {
    Id,
    Priority,
    Status,
    Created,
    Title,
}

impl From<SortArg> for SortKey {
    fn from(s: SortArg) -> SortKey {
        match s {
            SortArg::Id => SortKey::Id,
            SortArg::Priority => SortKey::Priority,
            SortArg::Status => SortKey::Status,
            SortArg::Created => SortKey::Created,
            SortArg::Title => SortKey::Title,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ListFormat {
    Table,
    Json,
    Ids,
}

#[derive(Args, Debug, Clone)]
pub(crate) struct ShowArgs {
    /// The document: an ID (`030`, `30`, `DATA-001`, `adr-105`) or a path.
    pub(crate) id: String,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = ShowFormat::Markdown)]
    pub(crate) format: ShowFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ShowFormat {
    Markdown,
    Json,
    Text,
}

#[derive(Args, Debug, Clone)]
pub(crate) struct CheckArgs {
    /// Check what merging REF (a branch, `origin/main`, a commit) would break instead of
    /// the whole repository: every ID the merge would give to two documents (naming both
    /// paths), and the problems of the documents that differ between the working tree
    /// and REF. Documents that are the same on both sides are not read: plain `check`
    /// checks every document.
    #[arg(long, value_name = "REF")]
    pub(crate) against: Option<String>,
    /// Also name every `*.md` file that was looked at and not listed, and why.
    #[arg(short, long)]
    pub(crate) verbose: bool,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = CheckFormat::Text)]
    pub(crate) format: CheckFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum CheckFormat {
    Text,
    Json,
}

#[derive(Args, Debug, Clone, Default)]
pub(crate) struct TuiArgs {
    /// Theme name (dark, light, high-contrast) or a path to a theme file.
    #[arg(long)]
    pub(crate) theme: Option<String>,
    /// Do not capture the mouse.
    #[arg(long)]
    pub(crate) no_mouse: bool,
}

/// A failure that ends the command with exit status 1.
#[derive(Debug)]
pub(crate) struct Failure(pub(crate) anyhow::Error);

impl<E: Into<anyhow::Error>> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure(e.into())
    }
}

pub(crate) type CmdResult = Result<ExitCode, Failure>;

/// Everything a command needs from the environment.
pub(crate) struct Ctx {
    pub(crate) root: PathBuf,
    pub(crate) color_choice: ColorChoice,
    pub(crate) painter: Painter,
    pub(crate) stdout_tty: bool,
}

impl Ctx {
    pub(crate) fn open(&self) -> Result<Repo, Failure> {
        Ok(Repo::open(&self.root)?)
    }

    /// Open just enough of the repository to resolve `ids` (for writes).
    pub(crate) fn open_for(&self, ids: &[&str]) -> Result<Repo, Failure> {
        Ok(Repo::open_for(&self.root, ids)?)
    }
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            if let Some(u) = usage::from_clap(&e) {
                eprint!("{}", u.render());
                return ExitCode::from(2);
            }
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    if matches!(
        cli.command,
        Some(
            Command::Triage(_)
                | Command::Status(_)
                | Command::Log(_)
                | Command::Tick(_)
                | Command::New(_)
                | Command::Adr(_)
                | Command::Renumber(_)
                | Command::Undo(_)
                | Command::Redo(_)
        )
    ) {
        // A write stops cleanly on SIGINT, SIGTERM or SIGHUP (exit 128 + n).
        crate::interrupt::install();
    }
    match run(cli) {
        Ok(_) if crate::interrupt::received().is_some() => {
            let sig = crate::interrupt::received().unwrap_or(2);
            eprintln!(
                "findings: {}; stopped with nothing left half done",
                crate::interrupt::Interrupted(sig)
            );
            ExitCode::from(crate::interrupt::exit_status(sig))
        }
        Ok(code) => code,
        Err(Failure(e)) if usage::from_failure(&e).is_some() => {
            if let Some(u) = usage::from_failure(&e) {
                eprint!("{}", u.render());
            }
            ExitCode::from(2)
        }
        Err(Failure(e)) => {
            // The top message, then each cause it does not already include.
            let mut msg = e.to_string();
            for cause in e.chain().skip(1) {
                let c = cause.to_string();
                if !msg.contains(&c) {
                    msg.push_str(": ");
                    msg.push_str(&c);
                }
            }
            eprintln!(
                "findings: error: {}",
                crate::document::text::inert(&errors::plain(&msg), true)
            );
            match crate::interrupt::received() {
                Some(sig) => ExitCode::from(crate::interrupt::exit_status(sig)),
                None => ExitCode::from(1),
            }
        }
    }
}

pub(crate) fn run(cli: Cli) -> CmdResult {
    let start = match &cli.root {
        Some(r) => {
            if !r.is_dir() {
                return Err(anyhow::anyhow!("{}: not a directory", r.display()).into());
            }
            r.clone()
        }
        None => std::env::current_dir()?,
    };
    let root = store::discover_root(&start);
    let stdout_tty = std::io::stdout().is_terminal();
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => stdout_tty && !no_color,
    };
    let ctx = Ctx {
        root,
        color_choice: cli.color,
        painter: Painter { color },
        stdout_tty,
    };
    match cli.command {
        Some(Command::List(a)) => list::run(&ctx, &a),
        Some(Command::Show(a)) => show::show(&ctx, &a),
        Some(Command::Check(a)) => show::check(&ctx, &a),
        Some(Command::Triage(a)) => write::triage(&ctx, &a),
        Some(Command::Status(a)) => write::status(&ctx, &a),
        Some(Command::Log(a)) => write::log(&ctx, &a),
        Some(Command::Tick(a)) => write::tick(&ctx, &a),
        Some(Command::New(a)) => write::new(&ctx, &a),
        Some(Command::Adr(c)) => write::adr(&ctx, &c),
        Some(Command::Tui(a)) => tui(&ctx, &a),
        Some(Command::Renumber(a)) => team::renumber(&ctx, &a),
        Some(Command::History(a)) => team::history(&ctx, &a),
        Some(Command::Undo(a)) => team::undo(&ctx, &a),
        Some(Command::Redo(a)) => redo::redo(&ctx, &a),
        Some(Command::Sync(a)) => team::sync(&ctx, &a),
        Some(Command::Init(a)) => team::init(&ctx, &a),
        Some(Command::Git(c)) => team::git(&ctx, &c),
        Some(Command::MergeDriver(a)) => team::merge_driver(&a),
        Some(Command::Search(a)) => search::run(&ctx, &a),
        Some(Command::Options(a)) => options::run(&ctx, &a),
        Some(Command::Completions(a)) => completions::completions(&a),
        Some(Command::Man) => completions::man(),
        Some(Command::Stats(a)) => stats::run(&ctx, &a),
        Some(Command::Export(a)) => export::run(&ctx, &a),
        #[cfg(feature = "mcp")]
        Some(Command::Mcp) => {
            crate::mcp::serve(ctx.root.clone())?;
            Ok(ExitCode::SUCCESS)
        }
        None if stdout_tty && std::io::stdin().is_terminal() => tui(&ctx, &TuiArgs::default()),
        None => list::run(
            &ctx,
            &ListArgs {
                filter: FilterArgs::default(),
                sort: SortArg::Priority,
                format: ListFormat::Table,
            },
        ),
    }
}

fn tui(ctx: &Ctx, a: &TuiArgs) -> CmdResult {
    if !(std::io::stdin().is_terminal() && std::io::stdout().is_terminal()) {
        return Err(anyhow::anyhow!(
            "the terminal UI needs a terminal on standard input and output; use `findings list` or another command instead"
        )
        .into());
    }
    // Only the configuration now (its errors print before the terminal is
    // touched); the documents are read with the first frame already drawn.
    let repo = Repo::config_only(&ctx.root)?;
    // SIGTERM or SIGHUP (a closed terminal) stop a write at a safe point and
    // quit with the terminal restored (exit 143 or 129).
    crate::interrupt::install_terminating();
    crate::tui::run(
        repo,
        crate::tui::TuiOptions {
            theme: a.theme.clone(),
            no_color: !ctx.painter.color && ctx.color_choice == ColorChoice::Never,
            mouse: !a.no_mouse,
        },
    )?;
    Ok(ExitCode::SUCCESS)
}
