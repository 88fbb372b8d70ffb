//! `findings completions SHELL` and `findings man`: each is non-empty and
//! names the subcommands.

mod common;

fn output(args: &[&str]) -> String {
    let out = common::findings().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

const SUBCOMMANDS: &[&str] = &[
    "list",
    "show",
    "check",
    "triage",
    "status",
    "search",
    "options",
    "sync",
    "completions",
];

#[test]
fn every_shell_gets_a_script_naming_the_subcommands() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let s = output(&["completions", shell]);
        assert!(s.len() > 1000, "{shell}: {} bytes", s.len());
        for sub in SUBCOMMANDS {
            assert!(s.contains(sub), "{shell} completions do not mention {sub}");
        }
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    common::findings().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn man_page_is_roff_naming_the_subcommands() {
    let s = output(&["man"]);
    assert!(
        s.starts_with(".ie") || s.contains(".TH findings 1"),
        "{}",
        &s[..s.len().min(200)]
    );
    assert!(s.contains(".TH findings 1"));
    assert!(
        s.contains(".SH SUBCOMMANDS") || s.contains(".SH COMMANDS"),
        "no subcommand section"
    );
    for sub in SUBCOMMANDS {
        assert!(s.contains(sub), "man page does not mention {sub}");
    }
}
