//! Names passed to the `git` command: a remote, a branch or a ref must be a
//! name git itself would accept (`git check-ref-format` rules), and none may
//! start with `-`, so a value can never become an option
//! (`sync --remote='--upload-pack=…'` is refused before git runs).

/// A name that is not a valid remote or ref name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} {name:?} is not a valid name: {reason}")]
pub(crate) struct BadName {
    /// "remote", "branch" or "ref".
    pub(crate) what: &'static str,
    pub(crate) name: String,
    pub(crate) reason: &'static str,
}

/// Why `name` breaks `git check-ref-format`'s rules (with one-level names
/// allowed), or starts with `-`.
fn problem(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        return Some("it is empty");
    }
    if name.starts_with('-') {
        return Some("it starts with '-', which git would read as an option");
    }
    if name == "@" {
        return Some("'@' alone names HEAD");
    }
    if name.chars().any(|c| c.is_ascii_control()) {
        return Some("it holds a control character");
    }
    if name.contains([' ', '~', '^', ':', '?', '*', '[', '\\']) {
        return Some("it holds one of: space ~ ^ : ? * [ \\");
    }
    if name.contains("..") {
        return Some("it holds '..'");
    }
    if name.contains("@{") {
        return Some("it holds '@{'");
    }
    if name.starts_with('/') || name.ends_with('/') || name.contains("//") {
        return Some("it has an empty path component");
    }
    if name.ends_with('.') {
        return Some("it ends with '.'");
    }
    for part in name.split('/') {
        if part.starts_with('.') {
            return Some("a component starts with '.'");
        }
        if part.ends_with(".lock") {
            return Some("a component ends with '.lock'");
        }
    }
    None
}

/// Refuse `name` unless git would accept it as a ref name (`main`,
/// `refs/remotes/origin/main`, `origin/main`).
pub(crate) fn check_ref(what: &'static str, name: &str) -> Result<(), BadName> {
    match problem(name) {
        None => Ok(()),
        Some(reason) => Err(BadName {
            what,
            name: name.to_string(),
            reason,
        }),
    }
}

/// Refuse `name` unless git would accept it as a remote's name: what
/// `refs/remotes/<name>/x` needs, and no leading `-`.
pub(crate) fn check_remote(name: &str) -> Result<(), BadName> {
    check_ref("remote", name)?;
    check_ref("remote", &format!("refs/remotes/{name}/x"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_names_pass() {
        for n in ["origin", "upstream", "my-fork", "team/alice"] {
            assert_eq!(check_remote(n), Ok(()), "{n}");
        }
        for n in ["main", "feature/x-1", "refs/remotes/origin/main", "HEAD", "v1.2"] {
            assert_eq!(check_ref("ref", n), Ok(()), "{n}");
        }
    }

    #[test]
    fn options_and_malformed_names_are_refused() {
        for n in [
            "--upload-pack=touch /tmp/x",
            "-oProxyCommand=x",
            "",
            "a b",
            "a..b",
            "a~1",
            "a^",
            "x:y",
            "a*",
            "a?",
            "a[b",
            "a\\b",
            "a@{1}",
            "@",
            "/a",
            "a/",
            "a//b",
            "a.",
            ".hidden",
            "a/.b",
            "x.lock",
            "a\u{1b}[31m",
            "a\nb",
        ] {
            assert!(check_remote(n).is_err(), "{n:?}");
        }
        let e = check_remote("--upload-pack=touch /tmp/x").unwrap_err();
        assert!(e.to_string().contains("option"), "{e}");
    }
}
