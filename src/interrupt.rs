//! Interruption: SIGINT, SIGTERM and SIGHUP during a write become a flag the
//! write checks at safe points, so it finishes or rolls back cleanly (its
//! locks released, the edited files kept) instead of dying half way.
//!
//! The command line [`install`]s the handlers for write commands only; until
//! then [`received`] is always `None` and signals keep their default effect.
//! A write checks [`check`] before it writes, while waiting for a lock,
//! while a hook runs (the hook is sent the same signal) and before it moves
//! HEAD; after the commit is made it finishes. The shell then exits with
//! 128 + the signal number (130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Once;

/// The signal received, 0 for none.
static RECEIVED: AtomicUsize = AtomicUsize::new(0);
static INSTALL: Once = Once::new();

/// A write stopped by a signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("interrupted by {}", name(.0))]
pub struct Interrupted(pub(crate) i32);

/// The signals a write turns into [`Interrupted`].
#[cfg(unix)]
pub(crate) const SIGNALS: [i32; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

/// Catch SIGINT, SIGTERM and SIGHUP from now on (once per process).
pub(crate) fn install() {
    #[cfg(unix)]
    install_these(&SIGNALS);
}

/// For the terminal UI: catch SIGTERM and SIGHUP only (once per process).
///
/// In raw mode the terminal sends no SIGINT (ctrl-c is a key), and a ctrl-c
/// typed in `$EDITOR`, which shares findings' process group, must not make
/// findings quit once the editor returns. The event loop quits, restoring the
/// terminal, when [`received`] says a signal came; a write under way stops at
/// its next safe point first.
pub(crate) fn install_terminating() {
    #[cfg(unix)]
    install_these(&[libc::SIGTERM, libc::SIGHUP]);
}

#[cfg(unix)]
fn install_these(signals: &[i32]) {
    INSTALL.call_once(|| {
        for &sig in signals {
            // SAFETY of the handler: it only stores into an atomic.
            let _ = unsafe {
                signal_hook::low_level::register(sig, move || {
                    RECEIVED.store(sig as usize, Ordering::SeqCst);
                })
            };
        }
    });
}

/// The signal received since [`install`], if any.
pub(crate) fn received() -> Option<i32> {
    match RECEIVED.load(Ordering::SeqCst) {
        0 => None,
        n => Some(n as i32),
    }
}

/// Act as if `sig` was received (the terminal UI, when its terminal is
/// gone and the UI thread cannot see the hang-up's own signal).
pub(crate) fn raise(sig: i32) {
    RECEIVED.store(sig as usize, Ordering::SeqCst);
}

/// `Err` once a signal was received: the write must stop here.
pub(crate) fn check() -> Result<(), Interrupted> {
    match received() {
        Some(s) => Err(Interrupted(s)),
        None => Ok(()),
    }
}

/// The exit status for an interrupted command: 128 + the signal number.
pub(crate) fn exit_status(sig: i32) -> u8 {
    u8::try_from(128 + sig).unwrap_or(130)
}

/// `SIGINT`, `SIGTERM`, … for a signal number.
pub(crate) fn name(sig: &i32) -> String {
    #[cfg(unix)]
    {
        match *sig {
            libc::SIGINT => return "SIGINT".into(),
            libc::SIGTERM => return "SIGTERM".into(),
            libc::SIGHUP => return "SIGHUP".into(),
            _ => {}
        }
    }
    format!("signal {sig}")
}

/// Send `sig` to the process `pid` (a hook findings started).
#[cfg(unix)]
pub(crate) fn forward(pid: u32, sig: i32) {
    if let Ok(pid) = libc::pid_t::try_from(pid) {
        // SAFETY: kill(2) with a pid we spawned and a valid signal number.
        unsafe {
            libc::kill(pid, sig);
        }
    }
}

#[cfg(not(unix))]
pub(crate) fn forward(_: u32, _: i32) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_statuses_follow_the_shell_convention() {
        assert_eq!(exit_status(2), 130);
        assert_eq!(exit_status(15), 143);
        assert_eq!(exit_status(1), 129);
        assert_eq!(Interrupted(15).to_string(), "interrupted by SIGTERM");
    }
}
