//! End to end: the real `findings` binary in a real terminal (tmux), on a
//! temporary copy of the bundled samples in a git repository. Open, search
//! `race`, open 030's detail, triage it with an action, quit; then the file
//! and `git log` show the change and the terminal is restored.
//!
//! During a slow pre-commit hook the UI keeps answering keys (help opens,
//! the selection moves) and says a write is in progress; quitting then waits
//! for the commit. SIGTERM during a slow hook quits cleanly.
//!
//! Skips (with a printed reason) when tmux is not installed; under
//! `CI=true` a missing tmux is a failure (`.ci/run` installs it).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// True when tmux runs here. Under `CI=true` a missing tmux fails the test
/// (it would otherwise pass as skipped); elsewhere it is a printed skip.
fn have_tmux() -> bool {
    if Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        return true;
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("tmux is required under CI=true and does not run here");
    }
    println!("skipped: tmux is not installed (.ci/run installs it)");
    false
}

struct Tmux {
    socket: String,
    session: String,
}

impl Tmux {
    fn cmd(&self) -> Command {
        let mut c = Command::new("tmux");
        // The server this starts, and findings inside it, inherit this.
        common::isolate_git(&mut c, &common::empty_home());
        c.args(["-L", &self.socket]);
        c
    }

    fn run(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", &self.session])
    }

    /// The ID on the selected row of the list: the row drawn in reverse
    /// video (the UI runs with `NO_COLOR`).
    fn selected(&self) -> Option<String> {
        let s = self.run(&["capture-pane", "-e", "-p", "-t", &self.session]);
        s.lines()
            .find(|l| l.contains("\x1b[7m") || l.contains(";7m"))
            .and_then(|l| strip_ansi(l).split_whitespace().next().map(str::to_string))
    }

    fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.run(&["send-keys", "-t", &self.session, k]);
            std::thread::sleep(Duration::from_millis(60));
        }
    }

    fn literal(&self, text: &str) {
        self.run(&["send-keys", "-t", &self.session, "-l", text]);
        std::thread::sleep(Duration::from_millis(60));
    }

    /// Wait until the screen satisfies `ok`; panic with the screen if not.
    fn wait(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if ok(&s) {
                return s;
            }
            if start.elapsed() > Duration::from_secs(20) {
                panic!("timed out waiting for {what}; screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd().arg("kill-server").output();
    }
}

/// `s` without its escape sequences (CSI only: what tmux emits).
fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            if chars.next() == Some('[') {
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
            continue;
        }
        out.push(c);
    }
    out
}

/// `git args` in `dir` with git isolated (the repository holds the identity).
fn git(dir: &Path, args: &[&str]) -> String {
    common::git(dir, &common::empty_home(), args)
}

/// The samples committed by Tess Tmux, and the repository's folder.
fn sample_repo() -> (common::TempRepo, PathBuf) {
    let r = common::TempRepo::init_as_in(tempfile::tempdir().unwrap(), "Tess Tmux", "tess@example.com");
    common::copy_samples(r.path());
    r.commit_all("samples");
    let dir = r.path().to_path_buf();
    (r, dir)
}

#[test]
fn browse_search_detail_triage_quit_in_a_real_terminal() {
    if !have_tmux() {
        return;
    }
    let (_tmp, dir) = sample_repo();
    let exit_file = dir.join("..").join("exit-status");
    let bin = env!("CARGO_BIN_EXE_findings");
    let t = Tmux {
        socket: format!("findings-e2e-{}", std::process::id()),
        session: "e2e".into(),
    };
    let script = format!(
        "cd '{}' && env -u NO_COLOR TERM=xterm-256color EDITOR=true '{}'; echo $? > '{}'; echo FINDINGS-EXITED; sleep 60",
        dir.display(),
        bin,
        exit_file.display()
    );
    let out = t
        .cmd()
        .args(["new-session", "-d", "-s", "e2e", "-x", "120", "-y", "36", &script])
        .output()
        .expect("tmux starts");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    // Open: the list of the five samples.
    let s = t.wait("the list", |s| s.contains("DATA-001") && s.contains("ADR-0105"));
    assert!(s.contains("030") && s.contains("003") && s.contains("DATA-005"), "{s}");
    assert_eq!(t.run(&["display", "-p", "-t", "e2e", "#{alternate_on}"]).trim(), "1");

    // Search `race`.
    t.keys(&["/"]);
    t.literal("race");
    t.keys(&["Enter"]);
    t.wait("the search line", |s| s.contains("race"));

    // Open 030's detail (walk the list with J until the header names 030).
    t.keys(&["Enter"]);
    let mut s = t.wait("a detail", |s| s.contains("path findings/"));
    for _ in 0..6 {
        if s.lines().next().is_some_and(|l| l.trim_start().starts_with("030 ")) {
            break;
        }
        t.keys(&["J"]);
        std::thread::sleep(Duration::from_millis(200));
        s = t.screen();
    }
    assert!(s.lines().next().unwrap_or("").trim_start().starts_with("030 "), "{s}");
    assert!(s.contains("Race Condition in Duplicate Assignment Check"), "{s}");

    // Triage it with an action typed like `--action upsert`.
    t.keys(&["t"]);
    t.wait("triage mode", |s| s.contains("TRIAGE"));
    t.keys(&["c"]);
    std::thread::sleep(Duration::from_millis(200));
    t.literal("upsert");
    t.keys(&["Enter"]);
    let s = t.wait("the commit in the status bar", |s| s.contains("committed"));
    assert!(s.contains("ADR-0105"), "the action matched ADR 0105:\n{s}");
    // The only item decided: triage ends with its summary.
    assert!(s.contains("Triage summary") && s.contains("action: upsert"), "{s}");

    // Close the summary, then quit the application.
    t.keys(&["Escape"]);
    t.wait("the list again", |s| s.contains(" LIST "));
    t.keys(&["q"]);
    let s = t.wait("the shell again", |s| s.contains("FINDINGS-EXITED"));

    // The terminal is restored: normal screen, cursor shown, no UI left over.
    assert_eq!(t.run(&["display", "-p", "-t", "e2e", "#{alternate_on}"]).trim(), "0");
    assert_eq!(t.run(&["display", "-p", "-t", "e2e", "#{cursor_flag}"]).trim(), "1");
    assert!(!s.contains("TRIAGE") && !s.contains("DATA-001"), "{s}");
    let status = std::fs::read_to_string(&exit_file).unwrap();
    assert_eq!(status.trim(), "0");

    // The file and the git log show the change.
    let new = dir.join("findings/030-ready-p1-race-condition-duplicate-assignment.md");
    let text = std::fs::read_to_string(&new).expect("renamed to 030-ready-…");
    assert!(!dir
        .join("findings/030-pending-p1-race-condition-duplicate-assignment.md")
        .exists());
    assert!(text.starts_with("---\nstatus: ready\n"), "{text}");
    assert!(text.contains("[ADR-0105](../adr/0105-prisma-race-condition-prevention.md) Option A: Prisma upsert"));
    assert!(!text.contains("[To be filled during triage]"));
    let log = git(&dir, &["log", "--format=%an|%s", "-2"]);
    assert_eq!(
        log.lines().next(),
        Some("Tess Tmux|findings(030): triage pending → ready"),
        "{log}"
    );
    assert_eq!(git(&dir, &["status", "--porcelain"]).trim(), "", "everything committed");
}

/// SIGTERM while a write's pre-commit hook runs: the write stops at its safe
/// point, the application quits with the terminal restored and exit 143,
/// no lock is left, and the next commit works.
#[test]
fn sigterm_during_a_slow_hook_quits_cleanly_and_leaves_no_lock() {
    if !have_tmux() {
        return;
    }
    let (_tmp, dir) = sample_repo();
    let started = dir.join("..").join("hook-started");
    let hook = dir.join(".git/hooks/pre-commit");
    std::fs::write(&hook, format!("#!/bin/sh\ntouch '{}'\nsleep 5\n", started.display())).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let exit_file = dir.join("..").join("exit-status");
    let bin = env!("CARGO_BIN_EXE_findings");
    let t = Tmux {
        socket: format!("findings-e2e-sig-{}", std::process::id()),
        session: "sig".into(),
    };
    let script = format!(
        "cd '{}' && env TERM=xterm-256color '{}'; echo $? > '{}'; echo FINDINGS-EXITED; sleep 60",
        dir.display(),
        bin,
        exit_file.display()
    );
    let out = t
        .cmd()
        .args(["new-session", "-d", "-s", "sig", "-x", "120", "-y", "36", &script])
        .output()
        .expect("tmux starts");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    t.wait("the list", |s| s.contains("DATA-001") && s.contains("ADR-0105"));

    // Approve the first pending document in triage mode: a write whose hook
    // sleeps.
    t.keys(&["t"]);
    t.wait("triage mode", |s| s.contains("TRIAGE"));
    t.keys(&["a"]);
    let start = Instant::now();
    while !started.exists() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the hook never started:\n{}",
            t.screen()
        );
        std::thread::sleep(Duration::from_millis(50));
    }

    // The application is the shell's only child.
    let shell = t.run(&["display", "-p", "-t", "sig", "#{pane_pid}"]);
    let pgrep = Command::new("pgrep")
        .args(["-P", shell.trim()])
        .output()
        .expect("pgrep runs");
    let pid = String::from_utf8_lossy(&pgrep.stdout).trim().to_string();
    assert!(
        !pid.is_empty() && !pid.contains('\n'),
        "one child of the shell: {pid:?}"
    );
    let kill = Command::new("kill").args(["-TERM", &pid]).status().expect("kill runs");
    assert!(kill.success());

    let s = t.wait("the shell again", |s| s.contains("FINDINGS-EXITED"));
    assert_eq!(t.run(&["display", "-p", "-t", "sig", "#{alternate_on}"]).trim(), "0");
    assert_eq!(t.run(&["display", "-p", "-t", "sig", "#{cursor_flag}"]).trim(), "1");
    assert!(s.contains("SIGTERM"), "says why it stopped:\n{s}");
    let status = std::fs::read_to_string(&exit_file).unwrap();
    assert_eq!(status.trim(), "143");

    // No lock left; the next commit works; one file per ID.
    assert!(!dir.join(".git/index.lock").exists(), "index.lock left behind");
    std::fs::remove_file(&hook).unwrap();
    git(&dir, &["commit", "-q", "--allow-empty", "-m", "after the signal"]);
    let check = common::findings_cmd(&dir, &common::empty_home())
        .args(["check"])
        .output()
        .expect("findings check runs");
    let report = String::from_utf8_lossy(&check.stdout).into_owned() + &String::from_utf8_lossy(&check.stderr);
    assert!(!report.contains("duplicate-id"), "{report}");
}

/// A pre-commit hook that says it started, sleeps 3 s and then holds the
/// commit until the test creates `release` (at most 30 s more), so every
/// step below happens while the write is known to run, however busy the
/// machine; it removes both files when it ends, ready for the next write.
fn slow_hook(dir: &Path) -> (PathBuf, PathBuf) {
    let started = dir.join("..").join("hook-started");
    let release = dir.join("..").join("hook-release");
    let hook = dir.join(".git/hooks/pre-commit");
    std::fs::write(
        &hook,
        format!(
            "#!/bin/sh\ntouch '{s}'\nsleep 3\ni=0\nwhile [ ! -e '{r}' ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done\nrm -f '{s}' '{r}'\n",
            s = started.display(),
            r = release.display(),
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    (started, release)
}

fn wait_file(t: &Tmux, f: &Path, what: &str) {
    let start = Instant::now();
    while !f.exists() {
        assert!(start.elapsed() < Duration::from_secs(20), "{what}:\n{}", t.screen());
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// During a 3 s pre-commit hook the UI answers keys: help opens, the
/// selection moves, the status bar says what is being written; then the
/// commit shows. Quitting while a write runs waits for its commit.
#[test]
fn keys_are_answered_during_a_slow_hook_and_quitting_waits_for_the_commit() {
    if !have_tmux() {
        return;
    }
    let (_tmp, dir) = sample_repo();
    let (started, release) = slow_hook(&dir);
    let exit_file = dir.join("..").join("exit-status");
    let bin = env!("CARGO_BIN_EXE_findings");
    let t = Tmux {
        socket: format!("findings-e2e-slow-{}", std::process::id()),
        session: "slow".into(),
    };
    let script = format!(
        "cd '{}' && env NO_COLOR=1 TERM=xterm-256color '{}'; echo $? > '{}'; echo FINDINGS-EXITED; sleep 60",
        dir.display(),
        bin,
        exit_file.display()
    );
    let out = t
        .cmd()
        .args(["new-session", "-d", "-s", "slow", "-x", "120", "-y", "36", &script])
        .output()
        .expect("tmux starts");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    t.wait("the list", |s| s.contains("DATA-001") && s.contains("ADR-0105"));

    // A triage write (approve 003) held in its hook.
    t.keys(&["t"]);
    t.wait("triage mode", |s| s.contains("TRIAGE") && s.contains("1/"));
    t.keys(&["a"]);
    wait_file(&t, &started, "the hook never started");
    t.wait("the write in the status bar", |s| s.contains("writing 003…"));
    // Help opens while it runs, and closes.
    t.keys(&["?"]);
    let s = t.wait("help over the running write", |s| s.contains("HELP"));
    assert!(s.contains("writing 003…"), "{s}");
    t.keys(&["Escape"]);
    t.wait("help closed", |s| !s.contains("HELP"));
    std::fs::write(&release, "").unwrap();
    let s = t.wait("the triage commit", |s| s.contains("committed"));
    assert!(!s.contains("writing 003"), "{s}");
    assert!(s.contains("2/"), "the session moved on:\n{s}");

    // Back to the list; a status change held in its hook; the selection moves.
    t.keys(&["q"]);
    t.wait("the summary", |s| s.contains("Triage summary"));
    t.keys(&["Escape"]);
    t.wait("the list again", |s| s.contains(" LIST "));
    t.keys(&["g"]);
    t.wait("the first row selected", |_| t.selected().is_some_and(|id| id == "003"));
    t.keys(&["j"]);
    t.wait("030 selected", |_| t.selected().is_some_and(|id| id == "030"));
    t.keys(&["s"]);
    t.wait("the status menu", |s| s.contains("030: pending"));
    t.keys(&["Enter"]);
    wait_file(&t, &started, "the second hook never started");
    t.wait("the write in the status bar", |s| s.contains("writing 030…"));
    t.keys(&["j"]);
    t.wait("the selection moved during the write", |s| {
        s.contains("writing 030…") && t.selected().is_some_and(|id| id != "030")
    });
    std::fs::write(&release, "").unwrap();
    t.wait("the status commit", |s| {
        s.contains("committed") && !s.contains("writing")
    });

    // A write held in its hook, then quit: the UI says it waits, and the
    // commit is made before the terminal is restored.
    t.keys(&["s"]);
    t.wait("the status menu", |s| s.contains("→ ?"));
    t.keys(&["Enter"]);
    wait_file(&t, &started, "the third hook never started");
    t.keys(&["q"]);
    t.wait("the quit notice", |s| s.contains("quitting when it is done"));
    std::fs::write(&release, "").unwrap();
    let s = t.wait("the shell again", |s| s.contains("FINDINGS-EXITED"));
    assert_eq!(t.run(&["display", "-p", "-t", "slow", "#{alternate_on}"]).trim(), "0");
    assert!(!s.contains("LIST"), "{s}");
    assert_eq!(std::fs::read_to_string(&exit_file).unwrap().trim(), "0");
    let log = git(&dir, &["log", "--format=%s"]);
    let ours: Vec<&str> = log.lines().filter(|l| l.starts_with("findings(")).collect();
    assert_eq!(ours.len(), 3, "three writes, three commits:\n{log}");
    assert!(ours[2].starts_with("findings(003): triage"), "{log}");
    assert!(ours[1].starts_with("findings(030):"), "{log}");
    assert!(!dir.join(".git/index.lock").exists(), "index.lock left behind");
    assert_eq!(git(&dir, &["status", "--porcelain"]).trim(), "", "everything committed");
}

/// The list search finds documents by their text and shows the matching
/// line; in a document, `/` finds and `n` steps to the next match.
#[test]
fn search_finds_body_text_and_find_steps_in_a_document() {
    if !have_tmux() {
        return;
    }
    let (_tmp, dir) = sample_repo();
    let bin = env!("CARGO_BIN_EXE_findings");
    let t = Tmux {
        socket: format!("findings-e2e-body-{}", std::process::id()),
        session: "e2e".into(),
    };
    let script = format!(
        "cd '{}' && env -u NO_COLOR TERM=xterm-256color '{}'; echo FINDINGS-EXITED; sleep 60",
        dir.display(),
        bin,
    );
    let out = t
        .cmd()
        .args(["new-session", "-d", "-s", "e2e", "-x", "120", "-y", "36", &script])
        .output()
        .expect("tmux starts");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    t.wait("the list", |s| s.contains("DATA-001") && s.contains("ADR-0105"));

    // `prisma` is in ADR 0105's title and in three findings' code only.
    t.keys(&["/"]);
    t.literal("prisma");
    let s = t.wait("the matching lines", |s| {
        s.contains("prisma.callSession") && s.contains("prisma.assignment") && !s.contains("searching bodies")
    });
    let rows: Vec<&str> = s.lines().filter(|l| l.contains("prisma.")).collect();
    assert_eq!(rows.len(), 3, "three findings by their text:\n{s}");
    assert!(!s.contains("003 "), "003 never says prisma:\n{s}");
    t.keys(&["Enter", "Enter"]);
    t.wait("ADR 0105 open", |s| s.contains("path adr/0105"));

    // Find in the document: the prompt on the rule, then the count.
    t.keys(&["/"]);
    t.literal("upsert");
    t.keys(&["Enter"]);
    t.wait("the first match", |s| s.contains("match 1/"));
    t.keys(&["n"]);
    t.wait("the second match", |s| s.contains("match 2/"));
    t.keys(&["q", "q"]);
    t.wait("the shell again", |s| s.contains("FINDINGS-EXITED"));
}
