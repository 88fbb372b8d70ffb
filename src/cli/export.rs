//! `findings export`: the documents in a format other tools read (SARIF 2.1.0).

use super::{CmdResult, Ctx, FilterArgs, SortArg};
use clap::{Args, ValueEnum};
use std::io::Write;
use std::process::ExitCode;

#[derive(Args, Debug, Clone)]
pub(crate) struct ExportArgs {
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = ExportFormat::Sarif)]
    pub(crate) format: ExportFormat,
    #[command(flatten)]
    pub(crate) filter: FilterArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ExportFormat {
    /// SARIF 2.1.0: open findings and todos as results, at the code they cite.
    Sarif,
}

pub(crate) fn run(ctx: &Ctx, a: &ExportArgs) -> CmdResult {
    let repo = ctx.open()?;
    super::list::warn_problems(&repo);
    let selected = crate::query::select(
        &repo.items,
        &a.filter.to_filter(),
        a.filter.query.as_deref().unwrap_or(""),
        SortArg::Id.into(),
    );
    let json = match a.format {
        ExportFormat::Sarif => super::output::json_pretty(&crate::export::sarif::export(&repo, &selected))?,
    };
    let mut out = std::io::stdout().lock();
    match out
        .write_all(json.as_bytes())
        .and_then(|_| out.write_all(b"\n"))
        .and_then(|_| out.flush())
    {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(e.into()),
    }
}
