//! Who holds a lock: a process's pid, start time and host, written into
//! the locks findings takes (the repository lock, git's `index.lock`), so a
//! later process can tell a lock left by a findings process that is gone
//! from one that is still held. A leaf: it uses nothing of the crate.

use std::fs;
use std::io;

/// The process behind a lock: its pid, its start time (clock ticks after
/// boot, where the system says: Linux) and its host. Written into the locks
/// findings takes, so a later process can tell a lock left by a findings
/// process that is gone from one that is still held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Owner {
    pub(crate) pid: u32,
    pub(crate) start: Option<u64>,
    pub(crate) host: String,
}

impl Owner {
    /// This process.
    pub(crate) fn me() -> Owner {
        let pid = std::process::id();
        Owner {
            pid,
            start: start_time(pid),
            host: hostname(),
        }
    }

    /// `pid=… start=… host=…`.
    pub(crate) fn render(&self) -> String {
        let start = self.start.map(|s| s.to_string()).unwrap_or_else(|| "-".into());
        format!("pid={} start={start} host={}", self.pid, self.host)
    }

    /// The inverse of [`Owner::render`].
    pub(crate) fn parse(s: &str) -> Option<Owner> {
        let mut pid = None;
        let mut start = None;
        let mut host = None;
        for part in s.split_whitespace() {
            match part.split_once('=')? {
                ("pid", v) => pid = v.parse().ok(),
                ("start", v) => start = v.parse().ok(),
                ("host", v) => host = Some(v.to_string()),
                _ => {}
            }
        }
        Some(Owner {
            pid: pid?,
            start,
            host: host?,
        })
    }

    /// True only when the process is provably gone: on this host, and no
    /// process has its pid, or the one that does started at another time.
    pub(crate) fn is_gone(&self) -> bool {
        if self.host != hostname() || self.pid == std::process::id() {
            return false;
        }
        if !pid_alive(self.pid) {
            return true;
        }
        matches!((self.start, start_time(self.pid)), (Some(a), Some(b)) if a != b)
    }
}

/// Whether a process with this pid exists.
pub(crate) fn pid_alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(p) = libc::pid_t::try_from(pid) else {
            return false;
        };
        // SAFETY: kill(2) with signal 0 only checks that the process exists.
        let rc = unsafe { libc::kill(p, 0) };
        rc == 0 || io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

/// A process's start time in clock ticks after boot (Linux `/proc`).
fn start_time(pid: u32) -> Option<u64> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Field 22; the fields counted from the one after `comm`, which ends at
    // the last `)` (a command name may hold spaces and parentheses).
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(19)?.parse().ok()
}

/// This machine's name.
fn hostname() -> String {
    #[cfg(unix)]
    {
        let mut buf = [0u8; 256];
        // SAFETY: the buffer is valid for its length; gethostname NUL-terminates
        // within it or truncates.
        let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
        if rc == 0 {
            let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
            let name = String::from_utf8_lossy(&buf[..end]).replace(char::is_whitespace, "_");
            if !name.is_empty() {
                return name;
            }
        }
    }
    "localhost".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owners_read_back_and_only_a_gone_process_is_gone() {
        let me = Owner::me();
        assert_eq!(Owner::parse(&me.render()), Some(me.clone()));
        assert!(!me.is_gone(), "this process is alive");
        let dead = Owner {
            pid: 4_194_000,
            ..me.clone()
        };
        assert!(dead.is_gone());
        let elsewhere = Owner {
            host: format!("{}-elsewhere", me.host),
            ..dead
        };
        assert!(!elsewhere.is_gone(), "another host's process cannot be checked");
        assert_eq!(Owner::parse("DIRC garbage"), None);
    }
}
