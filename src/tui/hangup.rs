//! Quitting when the terminal goes away.
//!
//! Once its terminal is gone (the window closed, `tmux kill-server`, an ssh
//! session dropped), crossterm's event reader never returns: the terminal
//! stays readable, every read gives nothing, and `event::poll` retries at
//! once, forever (crossterm issue #793). The UI thread is then stuck inside
//! crossterm, and the SIGHUP that came with the hang-up is never looked at:
//! the process would stay, burning a core.
//!
//! [`watch`] starts a thread that looks at the terminal four times a second
//! without reading it (`poll` with no events asked for reports only a
//! hang-up or an error). When it is gone, a write under way is told to stop
//! at its next safe point, as SIGHUP tells it, and once no write runs the
//! process exits with 129 (128 + SIGHUP). There is no terminal left to
//! restore.

use std::time::Duration;

/// How often the terminal is looked at.
const EVERY: Duration = Duration::from_millis(250);

/// Start the watch (once, for the UI's life; nothing where it cannot).
pub(crate) fn watch() {
    #[cfg(unix)]
    {
        let Some(fd) = terminal_fd() else {
            return;
        };
        let _ = std::thread::Builder::new()
            .name("findings-tty".into())
            .spawn(move || loop {
                std::thread::sleep(EVERY);
                if hung_up(fd) {
                    leave();
                }
            });
    }
}

/// The terminal crossterm reads: standard input when it is one, else
/// `/dev/tty` (kept open for the process's life).
#[cfg(unix)]
fn terminal_fd() -> Option<i32> {
    // SAFETY: isatty and open take no pointers but the NUL-ended path.
    unsafe {
        if libc::isatty(libc::STDIN_FILENO) == 1 {
            return Some(libc::STDIN_FILENO);
        }
        let fd = libc::open(c"/dev/tty".as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC);
        (fd >= 0).then_some(fd)
    }
}

/// Whether `fd` reports a hang-up or an error (nothing is read from it).
#[cfg(unix)]
fn hung_up(fd: i32) -> bool {
    let mut p = libc::pollfd {
        fd,
        events: 0,
        revents: 0,
    };
    // SAFETY: one valid pollfd, no wait.
    let n = unsafe { libc::poll(&mut p, 1, 0) };
    n > 0 && p.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0
}

/// The terminal is gone: stop a write under way at its next safe point,
/// wait for it, and exit as a hang-up ends a program.
#[cfg(unix)]
fn leave() -> ! {
    crate::interrupt::raise(libc::SIGHUP);
    while super::runtime::performing() {
        std::thread::sleep(Duration::from_millis(20));
    }
    std::process::exit(128 + libc::SIGHUP)
}
