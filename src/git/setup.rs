//! Registering the merge driver: `merge.findings.*` in the repository's own
//! `.git/config` (per clone: git never copies config), and the
//! `.gitattributes` lines that route the document folders to it (committed,
//! so every clone that registered the driver uses it; a clone that did not
//! falls back to git's ordinary text merge, nothing breaks).

use super::GitError;
use git2::ConfigLevel;
use std::path::Path;

/// The driver's name in `merge=findings` and `merge.findings.*`.
pub const DRIVER: &str = "findings";

/// `merge.findings.name`.
pub const DRIVER_DESCRIPTION: &str = "findings: work-log entries from both sides, front matter key by key";

/// The command git runs: `<program> merge-driver %O %A %B %P --marker-size %L`.
/// `program` is quoted for the shell git runs it with when it needs to be.
pub fn driver_command(program: &str) -> String {
    format!("{} merge-driver %O %A %B %P --marker-size %L", shell_quote(program))
}

/// `s` as one shell word.
pub fn shell_quote(s: &str) -> String {
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
pub fn program(portable: bool) -> String {
    if portable {
        return "findings".into();
    }
    std::env::current_exe()
        .ok()
        .and_then(|p| p.to_str().map(str::to_string))
        .unwrap_or_else(|| "findings".into())
}

/// The driver command registered in the repository holding `root`, if any.
pub fn registered_driver(root: &Path) -> Option<String> {
    let g = super::open(root).ok()?;
    let cfg = g.config().ok()?;
    cfg.get_string(&format!("merge.{DRIVER}.driver")).ok()
}

/// Register the driver in the repository's local config. Returns whether
/// anything changed.
pub fn register_driver(root: &Path, command: &str) -> Result<bool, GitError> {
    let g = super::open(root)?;
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
pub fn pattern(folder: &str) -> Option<String> {
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
pub fn attributes_with(existing: &str, folders: &[String]) -> Option<String> {
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
        assert_eq!(
            driver_command("findings"),
            "findings merge-driver %O %A %B %P --marker-size %L"
        );
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
