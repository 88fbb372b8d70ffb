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

/// A git repository (`root/repo`) with one todo, a home folder and a folder
/// outside the repository (`root/outside`) holding a document and a secret.
struct Fixture {
    root: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Fixture {
        let root = tempfile::tempdir().unwrap();
        for d in ["repo/todos", "home", "outside/adr"] {
            fs::create_dir_all(root.path().join(d)).unwrap();
        }
        let f = Fixture { root };
        f.git(&["init", "-q", "-b", "main"]);
        f.git(&["config", "user.name", "Test User"]);
        f.git(&["config", "user.email", "test@example.com"]);
        f.git(&["config", "commit.gpgsign", "false"]);
        fs::write(f.repo().join("todos/001-pending-p1-fix-the-thing.md"), TODO).unwrap();
        fs::write(f.outside().join("adr/0042-outside.md"), OUTSIDE_ADR).unwrap();
        fs::write(f.outside().join("002-pending-p1-secret.md"), TODO).unwrap();
        f.git(&["add", "-A"]);
        f.git(&["commit", "-q", "-m", "start"]);
        f
    }

    fn repo(&self) -> PathBuf {
        self.root.path().join("repo")
    }

    fn outside(&self) -> PathBuf {
        self.root.path().join("outside")
    }

    fn git(&self, args: &[&str]) -> String {
        let mut c = std::process::Command::new("git");
        common::isolate_git(&mut c, &self.root.path().join("home"));
        let out = c.current_dir(self.repo()).args(args).output().unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn findings(&self, args: &[&str]) -> std::process::Output {
        let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("findings"));
        common::isolate_git(&mut c, &self.root.path().join("home"));
        let mut c = Command::from_std(c);
        c.current_dir(self.repo())
            .env("COLUMNS", "200")
            .env("XDG_CONFIG_HOME", self.root.path().join("home/.config"))
            .args(args)
            .timeout(HANG);
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
        let e = findings::document::load(&repo.abs(p), p).unwrap_err();
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
    let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("findings"));
    common::isolate_git(&mut c, &f.root.path().join("home"));
    let o = Command::from_std(c)
        .current_dir(&dir)
        .args(["merge-driver", "--", "--diff3", "-p", "--zdiff3", "x.md"])
        .timeout(HANG)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(fs::read(dir.join("-p")).unwrap(), b"a\xff\nB\nc\nd\nE\n");
}
