//! The user's editor, chosen and run as git runs it.
//!
//! The editor is `$VISUAL`, else `$EDITOR`, else `vi` (a blank value counts
//! as unset). Its value is a shell command, not a program name: `code
//! --wait`, `"/opt/My Editor/bin/edit" -n` and `emacsclient -t` all work,
//! because it runs as git runs it,
//! `sh -c '<editor> "$@"' '<editor>' FILE`. The file name reaches the
//! editor as an argument (`"$@"`) and is never read by the shell as code,
//! whatever characters it holds. The terminal UI suspends itself around
//! [`command`]; nothing here touches the terminal.

use std::ffi::{OsStr, OsString};
use std::path::Path;
use std::process::Command;

/// The editor when neither `$VISUAL` nor `$EDITOR` names one, as in git.
pub(crate) const DEFAULT: &str = "vi";

/// The first of `visual`, `editor` that is not blank, else [`DEFAULT`].
pub(crate) fn choose(visual: Option<OsString>, editor: Option<OsString>) -> OsString {
    let set = |v: &OsString| !v.to_string_lossy().trim().is_empty();
    visual
        .filter(set)
        .or_else(|| editor.filter(set))
        .unwrap_or_else(|| DEFAULT.into())
}

/// The editor this process's environment names ([`choose`] over `$VISUAL`
/// and `$EDITOR`).
pub(crate) fn from_env() -> OsString {
    choose(std::env::var_os("VISUAL"), std::env::var_os("EDITOR"))
}

/// The command that opens `file` in `editor`: `sh -c '<editor> "$@"'
/// '<editor>' FILE`, the editor's value also naming the shell's `$0` (as git
/// does, so the shell's own errors name the editor).
#[cfg(test)]
pub(crate) fn command(editor: &OsStr, file: &Path) -> Command {
    let mut script = editor.to_os_string();
    script.push(" \"$@\"");
    let mut c = Command::new("sh");
    c.arg("-c").arg(script).arg(editor).arg(file);
    c
}

/// The command that opens `file` at `line` (1-based): the `+LINE`
/// convention vi, vim, nano, emacs, micro, helix and kakoune share, passed as
/// an argument before the file (`sh -c '<editor> "$@"' '<editor>' +LINE
/// FILE`). Without a line it is [`command`].
pub(crate) fn command_at(editor: &OsStr, file: &Path, line: Option<u32>) -> Command {
    let mut script = editor.to_os_string();
    script.push(" \"$@\"");
    let mut c = Command::new("sh");
    c.arg("-c").arg(script).arg(editor);
    if let Some(n) = line.filter(|&n| n > 0) {
        c.arg(format!("+{n}"));
    }
    c.arg(file);
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(s: &str) -> Option<OsString> {
        Some(s.into())
    }

    #[test]
    fn visual_before_editor_before_vi() {
        assert_eq!(choose(os("nvim"), os("nano")), "nvim");
        assert_eq!(choose(None, os("nano")), "nano");
        assert_eq!(choose(os("  "), os("nano")), "nano");
        assert_eq!(choose(os(""), os("")), "vi");
        assert_eq!(choose(None, None), "vi");
    }

    #[test]
    fn the_command_is_sh_with_the_file_as_an_argument() {
        let c = command(OsStr::new("code --wait"), Path::new("/r/findings/030 a.md"));
        assert_eq!(c.get_program(), "sh");
        let args: Vec<&OsStr> = c.get_args().collect();
        assert_eq!(
            args,
            ["-c", "code --wait \"$@\"", "code --wait", "/r/findings/030 a.md"]
        );
    }

    #[test]
    fn the_line_goes_before_the_file_as_plus_line() {
        let c = command_at(OsStr::new("vim"), Path::new("src/a b.rs"), Some(42));
        let args: Vec<&OsStr> = c.get_args().collect();
        assert_eq!(args, ["-c", "vim \"$@\"", "vim", "+42", "src/a b.rs"]);
        let c = command_at(OsStr::new("vim"), Path::new("a.rs"), None);
        assert_eq!(c.get_args().count(), 4);
    }

    /// Through a real `sh`: a quoted editor path with a space, an argument,
    /// and a file name full of shell syntax, which stays one inert argument.
    #[cfg(unix)]
    #[test]
    fn quoted_paths_arguments_and_odd_file_names_work() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().unwrap();
        let bin = d.path().join("My Editor");
        std::fs::create_dir(&bin).unwrap();
        let script = bin.join("edit");
        let out = d.path().join("args");
        std::fs::write(
            &script,
            format!(
                "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > '{}'\n",
                out.display()
            ),
        )
        .unwrap();
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        let file = d.path().join("030 $(touch pwned) `x`; 'q\".md");
        let editor = format!("\"{}\" --wait", script.display());
        let status = command(OsStr::new(&editor), &file)
            .current_dir(d.path())
            .status()
            .unwrap();
        assert!(status.success());
        let got = std::fs::read_to_string(&out).unwrap();
        assert_eq!(got, format!("--wait\n{}\n", file.display()));
        assert!(!d.path().join("pwned").exists());
        // An editor that fails is reported by its exit status.
        assert!(!command(OsStr::new("false"), &file).status().unwrap().success());
    }
}
