//! `findings completions SHELL` and `findings man`: shell completion
//! scripts (clap_complete) and the manual page (clap_mangen, roff), both
//! generated from the same command definition the parser uses, printed to
//! standard output.

use super::{Cli, CmdResult};
use clap::{Args, CommandFactory};
use clap_complete::Shell;
use std::io::Write;
use std::process::ExitCode;

#[derive(Args, Debug, Clone)]
pub(crate) struct CompletionsArgs {
    /// The shell: bash, zsh, fish, elvish or powershell.
    #[arg(value_enum)]
    pub(crate) shell: Shell,
}

pub(crate) fn completions(a: &CompletionsArgs) -> CmdResult {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(a.shell, &mut cmd, "findings", &mut out);
    print(&out)
}

pub(crate) fn man() -> CmdResult {
    let cmd = Cli::command();
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut out)?;
    print(&out)
}

fn print(bytes: &[u8]) -> CmdResult {
    let mut o = std::io::stdout().lock();
    match o.write_all(bytes).and_then(|_| o.flush()) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(e.into()),
    }
}
