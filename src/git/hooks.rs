//! Git hooks, run as git runs them.
//!
//! A hook is `<core.hooksPath>/<name>` (a relative `core.hooksPath` is taken
//! from the top of the work tree) or `<common git dir>/hooks/<name>`, and runs
//! only when executable; one that exists but is not executable is skipped with
//! a warning, as git does. It runs from the top of the work tree with
//! `GIT_DIR`, `GIT_WORK_TREE`, `GIT_INDEX_FILE` and `GIT_EDITOR=:` set, no
//! input, and its output captured (a terminal UI may be on screen). A script
//! without a `#!` line is run by `sh`, as git does. A signal findings
//! receives while a hook runs is passed on to it; the hook is waited for and
//! the commit stops there ([`crate::interrupt`]).

use super::GitError;
use crate::interrupt;
use git2::{Config, Repository};
use std::ffi::OsStr;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// The folder hooks live in.
pub(crate) fn dir(repo: &Repository, config: &Config, workdir: &Path) -> PathBuf {
    match config.get_path("core.hooksPath") {
        Ok(p) if !p.as_os_str().is_empty() => {
            if p.is_relative() {
                workdir.join(p)
            } else {
                p
            }
        }
        _ => repo.commondir().join("hooks"),
    }
}

/// The hook `name` if it exists and is executable; a warning when it exists
/// but is not executable.
pub(super) fn find(dir: &Path, name: &str, warnings: &mut Vec<String>) -> Option<PathBuf> {
    let path = dir.join(name);
    let meta = std::fs::metadata(&path).ok()?;
    if !meta.is_file() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o111 == 0 {
            warnings.push(format!(
                "the {name} hook was ignored because it is not executable ({})",
                path.display()
            ));
            return None;
        }
    }
    #[cfg(not(unix))]
    let _ = warnings;
    Some(path)
}

/// Where a hook runs.
pub(crate) struct Context<'a> {
    pub(crate) workdir: &'a Path,
    pub(crate) git_dir: &'a Path,
    pub(crate) index_file: &'a Path,
}

fn command(ctx: &Context, program: &Path, via_sh: bool, args: &[&OsStr]) -> Command {
    let mut cmd = if via_sh {
        let mut c = Command::new("sh");
        c.arg(program);
        c
    } else {
        Command::new(program)
    };
    cmd.args(args)
        .current_dir(ctx.workdir)
        .env("GIT_DIR", ctx.git_dir)
        .env("GIT_WORK_TREE", ctx.workdir)
        .env("GIT_INDEX_FILE", ctx.index_file)
        .env("GIT_EDITOR", ":")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// The error a kernel gives for a file it cannot execute as a program
/// (ENOEXEC, 8 on Linux and the BSDs): a script without `#!`.
fn not_a_program(e: &io::Error) -> bool {
    cfg!(unix) && e.raw_os_error() == Some(8)
}

fn spawn(ctx: &Context, hook: &Path, args: &[&OsStr]) -> io::Result<Child> {
    let mut busy = 0;
    loop {
        match command(ctx, hook, false, args).spawn() {
            // Another thread may briefly hold the just-written script open
            // for writing across a fork; that passes.
            Err(e) if e.kind() == io::ErrorKind::ExecutableFileBusy && busy < 50 => {
                busy += 1;
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(e) if not_a_program(&e) => return command(ctx, hook, true, args).spawn(),
            other => return other,
        }
    }
}

/// Everything a pipe gives until it closes, read on its own thread.
fn drain<R: Read + Send + 'static>(pipe: Option<R>) -> mpsc::Receiver<Vec<u8>> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(mut p) = pipe {
            let _ = p.read_to_end(&mut buf);
        }
        let _ = tx.send(buf);
    });
    rx
}

/// How long an interrupted hook's output is waited for once it has exited
/// (a process it started may hold the pipes open).
const PIPE_GRACE: Duration = Duration::from_secs(1);

/// Run the hook to its end. A SIGINT, SIGTERM or SIGHUP findings receives
/// meanwhile is passed on to the hook (which a terminal's Ctrl-C reaches
/// anyway, in the same process group); findings waits for it to exit.
fn output(ctx: &Context, hook: &Path, args: &[&OsStr]) -> io::Result<Output> {
    let mut child = spawn(ctx, hook, args)?;
    let out = drain(child.stdout.take());
    let err = drain(child.stderr.take());
    let mut forwarded = false;
    let mut pause = Duration::from_millis(1);
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if let (Some(sig), false) = (interrupt::received(), forwarded) {
            interrupt::forward(child.id(), sig);
            forwarded = true;
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(10));
    };
    let collect = |rx: mpsc::Receiver<Vec<u8>>| {
        if interrupt::received().is_some() {
            rx.recv_timeout(PIPE_GRACE).unwrap_or_default()
        } else {
            rx.recv().unwrap_or_default()
        }
    };
    Ok(Output {
        status,
        stdout: collect(out),
        stderr: collect(err),
    })
}

/// Run hook `name` at `hook`; a non-zero exit is [`GitError::HookFailed`]
/// carrying the exit status and what the hook printed.
pub(crate) fn run(ctx: &Context, name: &str, hook: &Path, args: &[&OsStr]) -> Result<(), GitError> {
    let out = output(ctx, hook, args).map_err(|source| GitError::HookRun {
        hook: name.to_string(),
        path: hook.to_path_buf(),
        source,
    })?;
    interrupt::check()?;
    if out.status.success() {
        return Ok(());
    }
    let mut text = String::from_utf8_lossy(&out.stderr).trim_end().to_string();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stdout = stdout.trim_end();
    if !stdout.is_empty() {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(stdout);
    }
    Err(GitError::HookFailed {
        hook: name.to_string(),
        status: out.status.code(),
        stderr: text,
    })
}
