//! Registering the merge driver: `merge.findings.*` in the repository's own
//! `.git/config` (per clone: git never copies config), and the
//! `.gitattributes` lines that route the document folders to it (committed,
//! so every clone that registered the driver uses it; a clone that did not
//! falls back to git's ordinary text merge, nothing breaks).

use super::GitError;
use git2::{ConfigLevel, Repository};
use std::path::Path;

/// The driver's name in `merge=findings` and `merge.findings.*`.
pub(crate) const DRIVER: &str = "findings";

/// `merge.findings.name`.
pub(crate) const DRIVER_DESCRIPTION: &str = "findings: work-log entries from both sides, front matter key by key";

/// The driver's arguments, as git substitutes them.
const DRIVER_ARGS: &str = "merge-driver %O %A %B %P --marker-size %L";

/// The command git runs (with `sh`) for the driver: `program merge-driver %O
/// %A %B %P --marker-size %L`, wrapped so it keeps working: an absolute
/// `program` that has moved or gone falls back to `findings` on `PATH`; when
/// there is none, it says so on standard error and exits 2, and git leaves
/// the file conflicted (which `findings check` and `findings sync` report).
pub(crate) fn driver_command(program: &str) -> String {
    let q = shell_quote(program);
    let missing = "echo 'findings merge driver: no findings executable (the one findings init registered \
                   is gone and none is on PATH); install findings or run findings init again' >&2; exit 2;";
    if program.contains('/') {
        format!("f={q}; [ -x \"$f\" ] || f=$(command -v findings) || {{ {missing} }}; exec \"$f\" {DRIVER_ARGS}")
    } else {
        format!("command -v {q} >/dev/null 2>&1 || {{ {missing} }}; exec {q} {DRIVER_ARGS}")
    }
}

/// The first shell word of `s` (unquoted) and the rest.
fn shell_word(s: &str) -> Option<(String, &str)> {
    let s = s.trim_start();
    let mut out = String::new();
    let mut chars = s.char_indices().peekable();
    let mut end = s.len();
    let mut quoted = false;
    while let Some((i, c)) = chars.next() {
        match c {
            '\'' if !quoted => quoted = true,
            '\'' => quoted = false,
            '\\' if !quoted => {
                if let Some((_, n)) = chars.next() {
                    out.push(n);
                }
            }
            c if !quoted && (c.is_whitespace() || c == ';') => {
                end = i;
                break;
            }
            c => out.push(c),
        }
    }
    (!out.is_empty()).then(|| (out, &s[end..]))
}

/// The program a registered driver command runs (the absolute path of a
/// wrapped one, the first word of a plain one).
pub(crate) fn driver_program(cmd: &str) -> Option<String> {
    let cmd = cmd.trim();
    if let Some(rest) = cmd.strip_prefix("f=") {
        return shell_word(rest).map(|(w, _)| w);
    }
    if let Some(rest) = cmd.strip_prefix("command -v ") {
        return shell_word(rest).map(|(w, _)| w);
    }
    shell_word(cmd).map(|(w, _)| w)
}

fn executable(p: &Path) -> bool {
    let Ok(m) = std::fs::metadata(p) else { return false };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        m.is_file() && m.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        m.is_file()
    }
}

/// `name` found in a folder of `PATH`.
fn on_path(name: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|paths| std::env::split_paths(&paths).any(|d| executable(&d.join(name))))
}

/// Whether a registered driver command can start: its program exists (or,
/// for a wrapped one, `findings` is on `PATH`).
pub(crate) fn driver_starts(cmd: &str) -> bool {
    let Some(program) = driver_program(cmd) else {
        return false;
    };
    let found = if program.contains('/') {
        executable(Path::new(&program))
    } else {
        on_path(&program)
    };
    found || (cmd.trim_start().starts_with("f=") && on_path("findings"))
}

/// `s` as one shell word.
pub(crate) fn shell_quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '_' | '-' | '+' | ':' | '@' | ','));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// The program to register: this executable's absolute path (works without
/// `findings` on `PATH`, and in every tool git is started from), or plain
/// `findings` when `portable`.
pub(crate) fn program(portable: bool) -> String {
    if portable {
        return "findings".into();
    }
    std::env::current_exe()
        .ok()
        .and_then(|p| p.to_str().map(str::to_string))
        .unwrap_or_else(|| "findings".into())
}

/// The driver command registered in the repository `g` (already open), if any.
pub(crate) fn registered_driver(g: &Repository) -> Option<String> {
    let cfg = g.config().ok()?;
    cfg.get_string(&format!("merge.{DRIVER}.driver")).ok()
}

/// Register the driver in the local config of the repository `g` (already
/// open). Returns whether anything changed.
pub(crate) fn register_driver(g: &Repository, command: &str) -> Result<bool, GitError> {
    let mut cfg = g.config()?.open_level(ConfigLevel::Local)?;
    let name_key = format!("merge.{DRIVER}.name");
    let driver_key = format!("merge.{DRIVER}.driver");
    let same = |k: &str, v: &str| cfg.get_string(k).ok().as_deref() == Some(v);
    if same(&name_key, DRIVER_DESCRIPTION) && same(&driver_key, command) {
        return Ok(false);
    }
    cfg.set_str(&name_key, DRIVER_DESCRIPTION)?;
    cfg.set_str(&driver_key, command)?;
    Ok(true)
}

/// The attribute pattern for a document folder (`findings/**/*.md`).
pub(crate) fn pattern(folder: &str) -> Option<String> {
    let f = folder.trim().trim_matches('/');
    if f.chars()
        .any(|c| c.is_whitespace() || matches!(c, '"' | '\\' | '*' | '?' | '[' | '#' | '!'))
    {
        return None;
    }
    Some(if f.is_empty() || f == "." {
        "*.md".to_string()
    } else {
        format!("{f}/**/*.md")
    })
}

/// `.gitattributes` text with a `<pattern> merge=findings` line for each
/// folder that has none yet; `None` when nothing is missing.
pub(crate) fn attributes_with(existing: &str, folders: &[String]) -> Option<String> {
    let has = |pat: &str| {
        existing.lines().any(|l| {
            let mut w = l.split_whitespace();
            w.next() == Some(pat) && w.any(|a| a == format!("merge={DRIVER}"))
        })
    };
    let mut missing: Vec<String> = Vec::new();
    for f in folders {
        if let Some(p) = pattern(f) {
            if !has(&p) && !missing.contains(&p) {
                missing.push(p);
            }
        }
    }
    if missing.is_empty() {
        return None;
    }
    let nl = crate::document::text::line_ending(existing);
    let mut out = existing.to_string();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push_str(nl);
    }
    if !existing.contains("findings merge driver") {
        out.push_str(&format!("# findings merge driver (findings init){nl}"));
    }
    for p in missing {
        out.push_str(&format!("{p} merge={DRIVER}{nl}"));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(shell_quote("/usr/bin/findings"), "/usr/bin/findings");
        assert_eq!(shell_quote("/a b/it's"), "'/a b/it'\\''s'");
        let plain = driver_command("findings");
        assert!(plain.starts_with("command -v findings >/dev/null 2>&1 || {"), "{plain}");
        assert!(plain.ends_with("; exec findings merge-driver %O %A %B %P --marker-size %L"));
        assert_eq!(driver_program(&plain).as_deref(), Some("findings"));
        let abs = driver_command("/opt/my tools/findings");
        assert!(abs.starts_with("f='/opt/my tools/findings'; [ -x \"$f\" ]"), "{abs}");
        assert_eq!(driver_program(&abs).as_deref(), Some("/opt/my tools/findings"));
        assert_eq!(
            driver_program("/usr/bin/findings merge-driver %O %A %B %P").as_deref(),
            Some("/usr/bin/findings")
        );
        assert!(!driver_starts("/nonexistent/findings merge-driver %O %A %B"));
        assert!(driver_starts(&driver_command("/bin/sh")));
    }

    #[test]
    fn attributes_are_added_once() {
        let folders = vec!["findings".to_string(), "docs/adr/".to_string(), "a b".to_string()];
        let t = attributes_with("*.png binary", &folders).unwrap();
        assert_eq!(
            t,
            "*.png binary\n# findings merge driver (findings init)\nfindings/**/*.md merge=findings\ndocs/adr/**/*.md merge=findings\n"
        );
        assert_eq!(attributes_with(&t, &folders), None);
        let crlf = attributes_with("x\r\n", &["todos".to_string()]).unwrap();
        assert!(crlf.ends_with("todos/**/*.md merge=findings\r\n"));
    }
}
