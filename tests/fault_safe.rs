//! Fault cases for staying inside the repository and bounded reads: symbolic
//! links that lead outside (a folder, a file, a `findings.toml` folder, the
//! folder of a new document), `/dev/zero`, a sparse 4 GB file and a FIFO as
//! `findings.toml`, theme, document and merge-driver input, and values that
//! try to become git options. Every case runs the real binary (or the
//! library) in a temporary repository and checks that nothing outside was
//! read or written and that the answer is a clear error, not a hang.

mod common;

use assert_cmd::Command;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A guard against a hang (a FIFO read, an endless `/dev/zero`), not a
/// measure of speed.
const HANG: Duration = Duration::from_secs(60);

const TODO: &str = "---\nstatus: pending\npriority: p1\n---\n\n# Fix the thing\n\n## Work Log\n\n### 2026-01-01 - Created\n\n- by Test\n";

common::repo_type! {
    /// A git repository (`root/repo`) with one todo, a home folder and a folder
    /// outside the repository (`root/outside`) holding a document and a secret.
    struct Fixture;
}

impl Fixture {
    fn new() -> Fixture {
        let f = Fixture(common::TempRepo::init());
        for d in ["repo/todos", "outside/adr"] {
            fs::create_dir_all(f.root.path().join(d)).unwrap();
        }
        fs::write(f.repo().join("todos/001-pending-p1-fix-the-thing.md"), TODO).unwrap();
        fs::write(f.outside().join("adr/0042-outside.md"), OUTSIDE_ADR).unwrap();
        fs::write(f.outside().join("002-pending-p1-secret.md"), TODO).unwrap();
        f.commit_all("start");
        f
    }

    fn repo(&self) -> PathBuf {
        self.path().to_path_buf()
    }

    fn outside(&self) -> PathBuf {
        self.root.path().join("outside")
    }

    fn findings(&self, args: &[&str]) -> std::process::Output {
        let mut c = Command::from_std(self.findings_cmd());
        c.env("COLUMNS", "200").args(args).timeout(HANG);
        c.output().unwrap()
    }

    fn head(&self) -> String {
        self.git(&["rev-parse", "HEAD"])
    }

    /// Every file outside, with its bytes.
    fn outside_state(&self) -> Vec<(PathBuf, Vec<u8>)> {
        fn walk(d: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
            for e in fs::read_dir(d).unwrap().flatten() {
                if e.file_type().unwrap().is_dir() {
                    walk(&e.path(), out);
                } else {
                    out.push((e.path(), fs::read(e.path()).unwrap()));
                }
            }
        }
        let mut v = Vec::new();
        walk(&self.outside(), &mut v);
        v.sort();
        v
    }
}

const OUTSIDE_ADR: &str = "---\nstatus: accepted\n---\n\n# ADR 0042: Outside\n\n## Status\n\nAccepted\n";

fn text(o: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Exit 1 with one line of error (no backtrace, no panic).
fn assert_clean_failure(o: &std::process::Output, wants: &str) {
    let t = text(o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(t.contains(wants), "wanted {wants:?} in:\n{t}");
    assert!(!t.contains("panicked"), "{t}");
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

// ---------------------------------------------------------------- containment

#[cfg(unix)]
#[test]
fn a_folder_link_outside_is_skipped_named_by_check_and_never_written() {
    let f = Fixture::new();
    fs::create_dir_all(f.repo().join("docs")).unwrap();
    // docs/adr is a default folder; `docs` itself leads outside.
    fs::remove_dir(f.repo().join("docs")).unwrap();
    symlink(&f.outside(), &f.repo().join("docs"));
    let before = f.outside_state();
    let head = f.head();

    let o = f.findings(&["log", "0042", "appended through the link"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let o = f.findings(&["check"]);
    let t = text(&o);
    assert!(t.contains("symlink-outside") && t.contains("docs"), "{t}");
    let o = f.findings(&["list"]);
    assert!(!text(&o).contains("Outside"), "{}", text(&o));

    assert_eq!(f.outside_state(), before, "a file outside changed");
    assert_eq!(f.head(), head, "a commit was made");
}

#[cfg(unix)]
#[test]
fn a_file_link_outside_is_skipped_named_and_never_written() {
    let f = Fixture::new();
    let link = f.repo().join("todos/002-pending-p1-secret.md");
    symlink(&f.outside().join("002-pending-p1-secret.md"), &link);
    let before = f.outside_state();
    let head = f.head();

    let o = f.findings(&["log", "002", "appended through the link"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let o = f.findings(&["status", "002", "ready"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let t = text(&f.findings(&["check"]));
    assert!(
        t.contains("symlink-outside") && t.contains("todos/002-pending-p1-secret.md"),
        "{t}"
    );

    assert_eq!(f.outside_state(), before);
    assert_eq!(f.head(), head);
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
}

#[cfg(unix)]
#[test]
fn a_findings_toml_folder_that_leads_outside_is_skipped_and_named() {
    let f = Fixture::new();
    symlink(&f.outside(), &f.repo().join("ext"));
    fs::write(
        f.repo().join("findings.toml"),
        "folders = [\"todos\", \"ext/adr\", \"../outside\"]\n",
    )
    .unwrap();
    let before = f.outside_state();

    let t = text(&f.findings(&["check"]));
    assert!(t.contains("symlink-outside") && t.contains("ext"), "{t}");
    assert!(t.contains("bad-folder"), "{t}");
    let o = f.findings(&["log", "0042", "x"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let o = f.findings(&["log", "001", "inside still works"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(f.outside_state(), before);
}

#[cfg(unix)]
#[test]
fn new_refuses_a_target_folder_that_leads_outside() {
    let f = Fixture::new();
    // With no finding yet, a new finding goes to findings/.
    symlink(&f.outside(), &f.repo().join("findings"));
    let before = f.outside_state();
    let head = f.head();
    let o = f.findings(&["new", "--kind", "finding", "--title", "Escapes"]);
    assert_clean_failure(&o, "outside the repository");
    assert_eq!(f.outside_state(), before);
    assert_eq!(f.head(), head);
}

#[cfg(unix)]
#[test]
fn a_link_that_stays_inside_keeps_working() {
    let f = Fixture::new();
    // A folder named by findings.toml through a link that stays inside.
    fs::create_dir_all(f.repo().join("real/todos")).unwrap();
    fs::rename(
        f.repo().join("todos/001-pending-p1-fix-the-thing.md"),
        f.repo().join("real/todos/001-pending-p1-fix-the-thing.md"),
    )
    .unwrap();
    fs::remove_dir(f.repo().join("todos")).unwrap();
    symlink(Path::new("real"), &f.repo().join("alias"));
    fs::write(f.repo().join("findings.toml"), "folders = [\"alias/todos\"]\n").unwrap();
    f.git(&["add", "-A"]);
    f.git(&["commit", "-q", "-m", "move"]);
    let o = f.findings(&["log", "001", "through an inside link", "--no-commit"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let t = fs::read_to_string(f.repo().join("real/todos/001-pending-p1-fix-the-thing.md")).unwrap();
    assert!(t.contains("through an inside link"), "{t}");
}

// ---------------------------------------------------------------- bounded reads

/// The hostile inputs every bounded read must refuse: a device, a sparse
/// 4 GB file and a FIFO (with nobody writing to it), made in `dir`.
#[cfg(unix)]
fn hostile(dir: &Path) -> Vec<(&'static str, PathBuf)> {
    let sparse = dir.join("sparse-4g");
    fs::File::create(&sparse).unwrap().set_len(4 << 30).unwrap();
    let fifo = dir.join("fifo");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    vec![
        ("character device", PathBuf::from("/dev/zero")),
        ("byte limit", sparse),
        ("FIFO", fifo),
    ]
}

#[cfg(unix)]
#[test]
fn findings_toml_that_is_dev_zero_a_giant_or_a_fifo_is_a_one_line_error() {
    let f = Fixture::new();
    for (wants, target) in hostile(&f.outside()) {
        let toml = f.repo().join("findings.toml");
        let _ = fs::remove_file(&toml);
        symlink(&target, &toml);
        for cmd in [&["list"][..], &["check"], &["log", "001", "x"]] {
            let o = f.findings(cmd);
            assert_clean_failure(&o, wants);
            assert_eq!(
                String::from_utf8_lossy(&o.stderr).trim_end().lines().count(),
                1,
                "{}",
                text(&o)
            );
        }
    }
}

#[cfg(unix)]
#[test]
fn a_document_that_is_a_giant_or_a_fifo_is_a_problem_not_a_hang() {
    let f = Fixture::new();
    let giant = f.repo().join("todos/003-pending-p1-giant.md");
    fs::File::create(&giant).unwrap().set_len(4 << 30).unwrap();
    let fifo = f.repo().join("todos/004-pending-p1-fifo.md");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let o = f.findings(&["check"]);
    let t = text(&o);
    assert!(
        t.contains("todos/003-pending-p1-giant.md") && t.contains("too-large"),
        "{t}"
    );
    let o = f.findings(&["log", "003", "x"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let o = f.findings(&["log", "001", "the others still work", "--no-commit"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    // The library's own reads of one document refuse them too.
    let repo = findings::store::Repo::open(&f.repo()).unwrap();
    for p in ["todos/003-pending-p1-giant.md", "todos/004-pending-p1-fifo.md"] {
        let e = findings::store::load(&repo.abs(p), p).unwrap_err();
        assert!(["too-large", "not-a-file"].contains(&e.0.code), "{p}: {:?}", e.0);
    }
}

#[cfg(unix)]
#[test]
fn a_theme_or_user_config_that_is_dev_zero_a_giant_or_a_fifo_is_an_error() {
    use findings::tui::settings::Settings;
    use findings::tui::theme::Theme;
    let f = Fixture::new();
    let repo = findings::store::Repo::open(&f.repo()).unwrap();
    for (wants, target) in hostile(&f.outside()) {
        let e = Theme::load(target.to_str().unwrap(), Path::new("/")).unwrap_err();
        assert!(e.to_string().contains(wants), "{e}");
        let e = Settings::load(&repo, &Default::default(), Some(&target)).unwrap_err();
        assert!(e.to_string().contains(wants), "{e}");
        assert_eq!(e.to_string().lines().count(), 1, "{e}");
    }
}

#[cfg(unix)]
#[test]
fn merge_driver_inputs_that_are_dev_zero_a_giant_or_a_fifo_are_refused() {
    let f = Fixture::new();
    let ok = f.outside().join("ok.md");
    fs::write(&ok, TODO).unwrap();
    for (wants, target) in hostile(&f.outside()) {
        for slot in 0..3 {
            let current = f.outside().join("current.md");
            fs::write(&current, TODO).unwrap();
            let mut args = [ok.clone(), current.clone(), ok.clone()];
            if slot == 1 {
                fs::remove_file(&current).unwrap();
                symlink(&target, &current);
            } else {
                args[slot] = target.clone();
            }
            let mut v: Vec<&str> = vec!["merge-driver"];
            v.extend(args.iter().map(|p| p.to_str().unwrap()));
            v.push("todos/001-pending-p1-fix-the-thing.md");
            let o = f.findings(&v);
            assert!(!o.status.success(), "{}", text(&o));
            assert!(text(&o).contains(wants), "slot {slot}: {}", text(&o));
            let _ = fs::remove_file(&current);
        }
    }
}

// ---------------------------------------------------------------- option injection

#[test]
fn sync_refuses_a_remote_that_would_be_an_option_before_git_runs() {
    let f = Fixture::new();
    let marker = f.outside().join("injected");
    let evil = [
        format!("--upload-pack=touch {}", marker.display()),
        format!("--receive-pack=touch {}", marker.display()),
        format!("-oProxyCommand=touch {}", marker.display()),
        "--exec=true".to_string(),
    ];
    let head = f.head();
    for remote in &evil {
        let arg = format!("--remote={remote}");
        let o = f.findings(&["sync", &arg]);
        assert_clean_failure(&o, "not a valid name");
        assert!(!marker.exists(), "{remote}: the injected command ran");
    }
    // The same through a configured remote name a repository could carry.
    f.git(&["config", "branch.main.remote", "--upload-pack=touch x"]);
    let o = f.findings(&["sync"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(!f.repo().join("x").exists());
    assert_eq!(f.head(), head);
}

#[test]
fn merge_driver_file_names_that_look_like_options_stay_file_names() {
    let f = Fixture::new();
    let dir = f.outside();
    // Not UTF-8, so the driver hands the files to `git merge-file` itself.
    for (name, body) in [
        ("--diff3", &b"a\xff\nb\nc\nd\ne\n"[..]),
        ("-p", &b"a\xff\nB\nc\nd\ne\n"[..]),
        ("--zdiff3", &b"a\xff\nb\nc\nd\nE\n"[..]),
    ] {
        fs::write(dir.join(name), body).unwrap();
    }
    let o = Command::from_std(common::findings_cmd(&dir, f.home()))
        .args(["merge-driver", "--", "--diff3", "-p", "--zdiff3", "x.md"])
        .timeout(HANG)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(fs::read(dir.join("-p")).unwrap(), b"a\xff\nB\nc\nd\nE\n");
}

// ---------------------------------------------------------------- smaller holes

impl Fixture {
    fn doc(&self) -> PathBuf {
        self.repo().join("todos/001-pending-p1-fix-the-thing.md")
    }
}

#[test]
fn json_output_escapes_c1_control_characters() {
    let f = Fixture::new();
    let title = "Evil \u{9b}31m title \u{85} end";
    fs::write(
        f.repo().join("todos/005-pending-p2-evil.md"),
        format!("---\nstatus: pending\npriority: p2\n---\n\n# {title}\n"),
    )
    .unwrap();
    for args in [&["list", "--format", "json"][..], &["show", "005", "--format", "json"]] {
        let o = f.findings(args);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
        let raw = String::from_utf8(o.stdout.clone()).unwrap();
        assert!(
            !raw.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c)),
            "{args:?}: raw C1 in {raw}"
        );
        assert!(raw.contains("\\u009b") && raw.contains("\\u0085"), "{raw}");
        // The escapes read back as the same title.
        let v: serde_json::Value = serde_json::from_str(&raw).unwrap();
        assert!(v.to_string().contains(title), "{v}");
    }
    let o = f.findings(&["log", "005", "x\u{85}y", "--format", "json"]);
    let raw = String::from_utf8(o.stdout.clone()).unwrap();
    assert!(!raw.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c)), "{raw}");
}

#[test]
fn commit_messages_carry_no_control_characters() {
    let f = Fixture::new();
    let o = f.findings(&["log", "001", "evil\u{1b}]0;pwned\u{7} text \u{9b}31m\rmore\u{202e}"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let msg = f.git(&["log", "-1", "--format=%B"]);
    assert!(msg.contains("evil"), "{msg}");
    let bad: Vec<char> = msg
        .chars()
        .filter(|&c| (c.is_control() && c != '\n') || c == '\u{202e}')
        .collect();
    assert!(bad.is_empty(), "{bad:?} in {msg:?}");
    // The library's message builder, with control characters in every part.
    let m = findings::ops::message("0\u{1b}01", "a\u{7}b\nc", &["x\u{9b}y\nz".into()], &["9\u{0}9"]);
    assert!(!m.chars().any(|c| c.is_control() && c != '\n'), "{m:?}");
    assert_eq!(m.lines().count(), 6, "{m}");
}

#[cfg(unix)]
#[test]
fn a_read_only_file_is_refused_not_replaced() {
    use std::os::unix::fs::PermissionsExt;
    let f = Fixture::new();
    fs::set_permissions(f.doc(), fs::Permissions::from_mode(0o444)).unwrap();
    let head = f.head();
    for args in [
        &["log", "001", "x"][..],
        &["status", "001", "ready"],
        &["triage", "001"],
    ] {
        let o = f.findings(args);
        assert_clean_failure(&o, "read-only");
    }
    assert_eq!(fs::read_to_string(f.doc()).unwrap(), TODO);
    assert_eq!(fs::metadata(f.doc()).unwrap().permissions().mode() & 0o777, 0o444);
    assert_eq!(f.head(), head);
}

#[test]
fn a_bare_repository_is_refused_before_writing() {
    let f = Fixture::new();
    let bare = f.root.path().join("bare.git");
    f.git(&["init", "-q", "--bare", bare.to_str().unwrap()]);
    fs::create_dir_all(bare.join("todos")).unwrap();
    let doc = bare.join("todos/001-pending-p1-fix-the-thing.md");
    fs::write(&doc, TODO).unwrap();
    let o = f.findings(&["-C", bare.to_str().unwrap(), "log", "001", "x"]);
    assert_clean_failure(&o, "no work tree");
    assert_eq!(fs::read_to_string(&doc).unwrap(), TODO);
}

#[test]
fn a_document_inside_a_submodule_is_refused_before_writing() {
    let f = Fixture::new();
    let src = f.root.path().join("subsrc");
    fs::create_dir_all(src.join("todos")).unwrap();
    let sub_doc = "---\nstatus: pending\npriority: p1\n---\n\n# In the submodule\n\n## Work Log\n";
    fs::write(src.join("todos/009-pending-p1-in-sub.md"), sub_doc).unwrap();
    for args in [
        &["init", "-q", "-b", "main", src.to_str().unwrap()][..],
        &["-C", src.to_str().unwrap(), "add", "-A"],
        &[
            "-C",
            src.to_str().unwrap(),
            "-c",
            "user.name=T",
            "-c",
            "user.email=t@e",
            "commit",
            "-q",
            "-m",
            "sub",
        ],
        &[
            "-c",
            "protocol.file.allow=always",
            "submodule",
            "add",
            "-q",
            src.to_str().unwrap(),
            "sub",
        ],
    ] {
        f.git(args);
    }
    fs::write(f.repo().join("findings.toml"), "folders = [\"todos\", \"sub/todos\"]\n").unwrap();
    f.git(&["add", "-A"]);
    f.git(&["commit", "-q", "-m", "with a submodule"]);
    let head = f.head();
    let o = f.findings(&["log", "009", "x"]);
    assert_clean_failure(&o, "nested repository");
    let o = f.findings(&["log", "009", "x", "--no-commit"]);
    assert_clean_failure(&o, "nested repository");
    assert_eq!(
        fs::read_to_string(f.repo().join("sub/todos/009-pending-p1-in-sub.md")).unwrap(),
        sub_doc
    );
    assert_eq!(f.head(), head);
}

#[cfg(unix)]
#[test]
fn a_repository_owned_by_another_user_is_refused_before_writing() {
    use std::os::unix::fs::MetadataExt;
    let f = Fixture::new();
    // Only root can give the repository to another user.
    let me = fs::metadata(f.root.path()).unwrap().uid();
    if me != 0 {
        eprintln!("skipped: changing a repository's owner needs root");
        return;
    }
    let chown = std::process::Command::new("chown")
        .args(["-R", "12345:12345"])
        .arg(f.repo())
        .status()
        .unwrap();
    assert!(chown.success());
    let o = f.findings(&["log", "001", "x"]);
    assert_clean_failure(&o, "owned by another user");
    assert_eq!(fs::read_to_string(f.doc()).unwrap(), TODO);
    let o = f.findings(&["log", "001", "x", "--no-commit"]);
    assert_clean_failure(&o, "owned by another user");
    assert_eq!(fs::read_to_string(f.doc()).unwrap(), TODO);
}

#[cfg(unix)]
#[test]
fn the_printed_subject_is_the_one_a_commit_msg_hook_wrote() {
    use std::os::unix::fs::PermissionsExt;
    let f = Fixture::new();
    let hook = f.repo().join(".git/hooks/commit-msg");
    fs::write(
        &hook,
        "#!/bin/sh\nprintf 'rewritten by the hook\\n\\nFinding-Id: 001\\n' > \"$1\"\n",
    )
    .unwrap();
    fs::set_permissions(&hook, fs::Permissions::from_mode(0o755)).unwrap();
    let o = f.findings(&["log", "001", "x"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let t = text(&o);
    assert!(
        t.contains("rewritten by the hook") && !t.contains("findings(001)"),
        "{t}"
    );
    assert_eq!(f.git(&["log", "-1", "--format=%s"]).trim(), "rewritten by the hook");
    let o = f.findings(&["log", "001", "y", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        v["message"].as_str().unwrap().starts_with("rewritten by the hook"),
        "{v}"
    );
}

#[test]
fn an_invalid_author_date_is_refused_before_writing() {
    let f = Fixture::new();
    let head = f.head();
    for date in ["garbage", "2026-13-45", "@99999999999999999999", "yesterday"] {
        let o = Command::from_std(f.findings_cmd())
            .env("GIT_AUTHOR_DATE", date)
            .args(["log", "001", "x"])
            .timeout(HANG)
            .output()
            .unwrap();
        assert_clean_failure(&o, "GIT_AUTHOR_DATE");
        // git refuses the same date.
        let refused = f
            .command("git")
            .env("GIT_AUTHOR_DATE", date)
            .args(["commit", "-q", "--allow-empty", "-m", "t"])
            .output()
            .unwrap();
        assert!(!refused.status.success(), "git accepted {date:?}");
    }
    assert_eq!(fs::read_to_string(f.doc()).unwrap(), TODO);
    assert_eq!(f.head(), head);
}

#[test]
fn an_unknown_priority_is_a_usage_error() {
    let f = Fixture::new();
    for p in ["p9", "urgentish", ""] {
        let o = f.findings(&["new", "--title", "X", "-p", p]);
        assert_eq!(o.status.code(), Some(2), "{p}: {}", text(&o));
        assert!(text(&o).contains("unknown priority"), "{}", text(&o));
    }
    assert_eq!(fs::read_dir(f.repo().join("todos")).unwrap().count(), 1);
    let o = f.findings(&["new", "--title", "X", "-p", "P1", "--no-commit"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

#[test]
fn the_tui_without_a_terminal_says_so_in_one_sentence() {
    let f = Fixture::new();
    let o = f.findings(&["tui"]);
    assert_clean_failure(&o, "needs a terminal");
    assert_eq!(String::from_utf8_lossy(&o.stderr).trim_end().lines().count(), 1);
}

/// A folder swapped for a link outside after the repository was loaded:
/// the write's own checks (not discovery) refuse it.
#[cfg(unix)]
#[test]
fn a_folder_swapped_for_a_link_after_loading_is_refused_by_the_write() {
    let f = Fixture::new();
    let repo = findings::store::Repo::open(&f.repo()).unwrap();
    assert!(repo.resolve("001").is_ok());
    let elsewhere = f.outside().join("todos");
    fs::create_dir_all(&elsewhere).unwrap();
    fs::write(elsewhere.join("001-pending-p1-fix-the-thing.md"), TODO).unwrap();
    fs::rename(f.repo().join("todos"), f.root.path().join("moved-away")).unwrap();
    symlink(&elsewhere, &f.repo().join("todos"));
    let before = f.outside_state();
    let opts = findings::ops::WriteOpts {
        no_commit: true,
        ..Default::default()
    };
    let req = findings::ops::LogRequest {
        id: "001".into(),
        action: "through a swapped folder".into(),
        learnings: None,
    };
    let e = findings::ops::log(&repo, &req, &opts).unwrap_err();
    assert!(e.to_string().contains("outside the repository"), "{e}");
    let meta = repo.resolve("001").unwrap();
    assert!(repo.document(meta).is_err());
    assert_eq!(f.outside_state(), before);
}
