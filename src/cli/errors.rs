//! Error text a person can act on. The library's errors carry the OS's and
//! libgit2's own wording (`Permission denied (os error 13)`, `reference
//! 'refs/heads/x' not found; class=Reference (4); code=NotFound (-3)`);
//! here the common ones become what happened and what to do, and the
//! numbers and classes are dropped. The path or name the message already
//! gives stays.

/// What an OS error number means for a user of findings, and what to do.
fn os_error(n: i32) -> Option<&'static str> {
    Some(match n {
        libc::ENOENT => "no such file or directory",
        libc::EIO => "input/output error: the disk or file system reported a fault",
        libc::ENXIO => "not a regular file (a device, FIFO or socket); findings reads and writes only regular files",
        libc::EACCES | libc::EPERM => "permission denied; check the owner and mode of the file and its folder",
        libc::EEXIST => "it already exists",
        libc::ENOTDIR => "a part of the path is a file, not a folder",
        libc::EISDIR => "it is a folder, not a file",
        libc::EMFILE | libc::ENFILE => "too many open files; raise the limit (`ulimit -n`) and run it again",
        libc::ENOSPC => "no space left on the device; free some space and run it again",
        libc::EROFS => "the file system is read-only",
        libc::ENAMETOOLONG => "the file name is too long",
        libc::EDQUOT => "the disk quota is used up; free some space and run it again",
        libc::ELOOP => "too many symbolic links in the path",
        _ => return None,
    })
}

/// What a libgit2 error class and code mean, and what to do.
fn git_error(class: &str, code: &str) -> Option<&'static str> {
    Some(match (class, code) {
        ("Repository", "NotFound") => "not a git repository; run `git init`, or name one with `-C DIR`",
        ("Reference", "NotFound") | (_, "NotFound") => "no such branch, tag or commit",
        (_, "Locked") => {
            "git's index or a ref is locked: another git command is running, or one was stopped; \
             when none is running, remove the .lock file under .git and run it again"
        }
        ("Index", _) => "git's index could not be read or written; `git status` shows what git thinks of it",
        (_, "Conflict") => "a file in the way has changes of its own; commit or stash them first",
        (_, "Exists") => "it already exists",
        (_, "Auth") => "git could not authenticate with the remote",
        (_, "Certificate") => "the remote's certificate was refused",
        _ => return None,
    })
}

/// `msg` with every `Description (os error N)` and `; class=C (n);
/// code=K (m)` replaced by what it means (or, for one not known here, with
/// the numbers dropped).
pub(super) fn plain(msg: &str) -> String {
    let mut s = msg.to_string();
    // OS errors: "Permission denied (os error 13)".
    while let Some(at) = s.find(" (os error ") {
        let tail = &s[at + " (os error ".len()..];
        let Some(close) = tail.find(')') else { break };
        let end = at + " (os error ".len() + close + 1;
        let n: Option<i32> = tail[..close].trim().parse().ok();
        // The OS's own description runs back to the previous ": ".
        let start = s[..at].rfind(": ").map(|i| i + 2).unwrap_or(0);
        match n.and_then(os_error) {
            Some(text) => s.replace_range(start..end, text),
            None => s.replace_range(at..end, ""),
        }
    }
    // libgit2: "message; class=Reference (4); code=NotFound (-3)".
    while let Some(at) = s.find("; class=") {
        let rest = &s[at + "; class=".len()..];
        let class = rest.split([' ', ';']).next().unwrap_or("").to_string();
        let (code, end) = match rest.find("; code=") {
            Some(c) => {
                let after = &rest[c + "; code=".len()..];
                let code = after.split([' ', ';']).next().unwrap_or("").to_string();
                let close = after.find(')').map(|i| i + 1).unwrap_or(code.len());
                (code, at + "; class=".len() + c + "; code=".len() + close)
            }
            None => {
                let close = rest.find(')').map(|i| i + 1).unwrap_or(class.len());
                (String::new(), at + "; class=".len() + close)
            }
        };
        match git_error(&class, &code) {
            Some(text) => s.replace_range(at..end, &format!(": {text}")),
            None => s.replace_range(at..end, ""),
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_errors_say_what_to_do() {
        assert_eq!(
            plain("todos/a.md: Permission denied (os error 13)"),
            "todos/a.md: permission denied; check the owner and mode of the file and its folder"
        );
        assert_eq!(
            plain("writing todos/a.md: No space left on device (os error 28)"),
            "writing todos/a.md: no space left on the device; free some space and run it again"
        );
        assert_eq!(
            plain("todos/p.md: No such device or address (os error 6)"),
            "todos/p.md: not a regular file (a device, FIFO or socket); findings reads and writes only regular files"
        );
        // Not known here: the number goes, the words stay.
        assert_eq!(plain("x: Broken thing (os error 9999)"), "x: Broken thing");
        assert_eq!(plain("nothing to change"), "nothing to change");
    }

    #[test]
    fn libgit2_classes_and_codes_become_words() {
        assert_eq!(
            plain("reference 'refs/heads/nope' not found; class=Reference (4); code=NotFound (-3)"),
            "reference 'refs/heads/nope' not found: no such branch, tag or commit"
        );
        let locked =
            plain("failed to create locked file '/r/.git/index.lock': File exists; class=Os (2); code=Locked (-14)");
        assert!(
            locked.starts_with(
                "failed to create locked file '/r/.git/index.lock': File exists: git's index or a ref is locked"
            ),
            "{locked}"
        );
        assert_eq!(plain("odd; class=Odb (9); code=GenericError (-1)"), "odd");
        for m in [locked, plain("x; class=Reference (4); code=NotFound (-3)")] {
            assert!(!m.contains("class=") && !m.contains("code="), "{m}");
        }
    }
}
