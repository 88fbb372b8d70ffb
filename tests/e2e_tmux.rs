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
    let script = format!(
        "cd '{}' && env -u NO_COLOR TERM=xterm-256color EDITOR=true '{}'; echo $? > '{}'; echo FINDINGS-EXITED; sleep 60",
        dir.display(),
        bin,
        exit_file.display()
    );
    let t = session("e2e", 120, 36, &script);

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
    let script = format!(
        "cd '{}' && env TERM=xterm-256color '{}'; echo $? > '{}'; echo FINDINGS-EXITED; sleep 60",
        dir.display(),
        bin,
        exit_file.display()
    );
    let t = session("sig", 120, 36, &script);
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
    let script = format!(
        "cd '{}' && env NO_COLOR=1 TERM=xterm-256color '{}'; echo $? > '{}'; echo FINDINGS-EXITED; sleep 60",
        dir.display(),
        bin,
        exit_file.display()
    );
    let t = session("slow", 120, 36, &script);
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

/// Start `script` (a shell command line) in a tmux session `name` of
/// `w`x`h`, on a tmux server of its own (named after `name` and this
/// process, so tests running at once never share one).
fn session(name: &str, w: u16, h: u16, script: &str) -> Tmux {
    let t = Tmux {
        socket: format!("findings-e2e-{name}-{}", std::process::id()),
        session: name.into(),
    };
    let (w, h) = (w.to_string(), h.to_string());
    let out = t
        .cmd()
        .args(["new-session", "-d", "-s", name, "-x", &w, "-y", &h, script])
        .output()
        .expect("tmux starts");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    t
}

/// Start the real binary in a tmux session `name` of `w`x`h` on `dir`,
/// without colour (the selection is reverse video); the shell says
/// `FINDINGS-EXITED` once it quits.
fn start(dir: &Path, name: &str, w: u16, h: u16) -> Tmux {
    let script = format!(
        "cd '{}' && env NO_COLOR=1 TERM=xterm-256color '{}'; echo FINDINGS-EXITED; sleep 60",
        dir.display(),
        env!("CARGO_BIN_EXE_findings"),
    );
    session(name, w, h, &script)
}

/// The ID on the selected card of the board: the first word drawn in
/// reverse video (cards share lines with the other columns' cards).
fn selected_card(t: &Tmux) -> Option<String> {
    let s = t.run(&["capture-pane", "-e", "-p", "-t", &t.session]);
    s.lines().find_map(|l| {
        let at = l.find("\x1b[7m").or_else(|| l.find(";7m"))?;
        let rest = &l[at..];
        let rest = &rest[rest.find('m')? + 1..];
        strip_ansi(rest).split_whitespace().next().map(str::to_string)
    })
}

/// At 200x50 the selected document is rendered beside the list and follows
/// the selection; `P` hides it.
#[test]
fn the_preview_beside_the_list_at_200_columns() {
    if !have_tmux() {
        return;
    }
    let (_tmp, dir) = sample_repo();
    let t = start(&dir, "preview", 200, 50);
    let s = t.wait("the preview of 003", |s| {
        s.contains("path findings/003-pending-p1-race-condition-existence-checks.md") && s.contains("Problem Statement")
    });
    // Beside the list: the list's rows and the preview share lines.
    let row = s.lines().find(|l| l.starts_with("030 ")).expect("030's row");
    assert!(row.contains(" │ "), "{row}");
    t.keys(&["j"]);
    t.wait("030 selected", |_| t.selected().is_some_and(|id| id == "030"));
    t.wait("the preview of 030", |s| {
        s.contains("path findings/030-pending-p1-race-condition-duplicate-assignment.md")
    });
    t.keys(&["P"]);
    let s = t.wait("the preview hidden", |s| s.contains("preview off"));
    assert!(!s.contains("path findings/"), "{s}");
    t.keys(&["q"]);
    t.wait("the shell again", |s| s.contains("FINDINGS-EXITED"));
}

/// The board: `b`, the second card, `>` moves it to `ready` (renamed and
/// committed as `s` would), the board follows it; `u` undoes the move.
#[test]
fn the_board_moves_a_card_and_commits() {
    if !have_tmux() {
        return;
    }
    let (_tmp, dir) = sample_repo();
    let t = start(&dir, "board", 120, 36);
    t.wait("the list", |s| s.contains("DATA-001") && s.contains("ADR-0105"));
    t.keys(&["b"]);
    let s = t.wait("the board", |s| s.contains(" BOARD ") && s.contains("pending 2"));
    assert!(s.contains("ready 0") && s.contains("complete 0"), "{s}");
    t.keys(&["j"]);
    t.wait("030 selected", |_| t.selected().is_some_and(|id| id == "030"));
    t.keys(&[">"]);
    let s = t.wait("the move committed", |s| {
        s.contains("committed") && s.contains("ready 1")
    });
    assert!(s.contains("pending 1") && s.contains(" BOARD "), "{s}");
    assert_eq!(
        selected_card(&t).as_deref(),
        Some("030"),
        "the card stays selected:\n{s}"
    );
    assert!(dir
        .join("findings/030-ready-p1-race-condition-duplicate-assignment.md")
        .exists());
    let log = git(&dir, &["log", "--format=%s", "-1"]);
    assert!(
        log.starts_with("findings(030): ") && log.contains("pending → ready"),
        "{log}"
    );
    assert_eq!(git(&dir, &["status", "--porcelain"]).trim(), "", "everything committed");
    // Undone as any write of the session.
    t.keys(&["u"]);
    t.wait("the undo committed", |s| {
        s.contains("committed") && s.contains("pending 2")
    });
    assert!(dir
        .join("findings/030-pending-p1-race-condition-duplicate-assignment.md")
        .exists());
    t.keys(&["Escape"]);
    t.wait("the list again", |s| s.contains(" LIST "));
    t.keys(&["q"]);
    t.wait("the shell again", |s| s.contains("FINDINGS-EXITED"));
}

/// Walk the samples' five rows from the top and mark (`space`) each one
/// triage moves (status pending or open): three of them.
fn mark_the_three(t: &Tmux) {
    t.keys(&["g"]);
    for _ in 0..5 {
        let s = t.run(&["capture-pane", "-e", "-p", "-t", &t.session]);
        let row = s
            .lines()
            .find(|l| l.contains("\x1b[7m") || l.contains(";7m"))
            .map(strip_ansi)
            .unwrap_or_default();
        if row.contains(" pending ") || row.contains(" open ") {
            t.keys(&["Space"]);
        }
        t.keys(&["j"]);
    }
    t.wait("three marked", |s| s.contains("3 marked"));
}

/// Issue 12 item 4: mark the three documents triage moves (`space` on each
/// row whose status is pending or open), triage them all as is with `t`
/// (one commit of exactly three files), then one `z` takes the whole batch
/// back: every file as it was, byte for byte.
#[test]
fn bulk_triage_of_three_documents_is_undone_in_one_step() {
    if !have_tmux() {
        return;
    }
    let (_tmp, dir) = sample_repo();
    let t = start(&dir, "bulk", 120, 36);
    t.wait("the list", |s| s.contains("DATA-001") && s.contains("ADR-0105"));
    let start = git(&dir, &["rev-parse", "HEAD"]);

    mark_the_three(&t);

    // Triage them: the menu's first choice approves all three, one commit.
    t.keys(&["t"]);
    t.wait("the batch menu", |s| s.contains("Triage 3 marked"));
    t.keys(&["Enter"]);
    let s = t.wait("the commit", |s| s.contains("committed"));
    assert!(!s.contains("3 marked"), "a written batch clears the marks:\n{s}");
    let subject = git(&dir, &["log", "-1", "--format=%s"]);
    assert!(subject.starts_with("findings: triage of 3 documents"), "{subject}");
    let touched = git(&dir, &["show", "--name-status", "--format=", "HEAD"]);
    assert_eq!(touched.lines().filter(|l| !l.is_empty()).count(), 3, "{touched}");

    // One `z`: the whole batch back.
    t.keys(&["z"]);
    let s = t.wait("the undo", |s| s.contains("undid"));
    assert!(s.contains("triage of 3 documents"), "{s}");
    assert_eq!(
        git(&dir, &["rev-list", "--count", &format!("{}..HEAD", start.trim())]).trim(),
        "2"
    );
    assert_eq!(
        git(&dir, &["diff", "--stat", start.trim(), "HEAD"]),
        "",
        "byte for byte"
    );
    assert_eq!(git(&dir, &["status", "--porcelain"]).trim(), "", "everything committed");
    t.keys(&["q"]);
    t.wait("the shell again", |s| s.contains("FINDINGS-EXITED"));
}

/// Superseding ADR 0105 in the TUI: the status menu's "superseded" opens
/// the ADR picker, typing narrows it, the preview shows both links, Enter
/// commits both files in one commit.
#[test]
fn superseding_an_adr_through_the_picker() {
    if !have_tmux() {
        return;
    }
    let r = common::TempRepo::init_as_in(tempfile::tempdir().unwrap(), "Tess Tmux", "tess@example.com");
    common::copy_samples(r.path());
    r.write(
        "adr/0106-prisma-upsert-everywhere.md",
        "# ADR 0106: Prisma Upsert Everywhere\n\n**Status**: Accepted\n**Date**: 1 February 2026\n\n## Context\n\nEvery create.\n",
    );
    r.commit_all("samples");
    let dir = r.path().to_path_buf();
    let t = start(&dir, "supersede", 120, 36);
    t.wait("the list", |s| s.contains("ADR-0105") && s.contains(" LIST "));
    t.keys(&["/"]);
    t.literal("prevention");
    t.keys(&["Enter"]);
    t.wait("ADR-0105 alone", |_| t.selected().is_some_and(|id| id == "ADR-0105"));
    t.keys(&["s"]);
    let s = t.wait("the status menu", |s| s.contains("→ superseded"));
    // The item's number is the digit just before its arrow.
    let n = s
        .lines()
        .find_map(|l| {
            l.split_once("→ superseded")
                .map(|(before, _)| before.trim_end().to_string())
        })
        .and_then(|before| before.chars().last().filter(char::is_ascii_digit))
        .map(String::from)
        .expect("a numbered item");
    t.keys(&[&n]);
    t.wait("the ADR picker", |s| {
        s.contains("is superseded by") && s.contains("ADR-0106")
    });
    t.literal("everywhere");
    let s = t.wait("the preview of both links", |s| {
        s.contains("Superseded by**: [106. Prisma Upsert Everywhere]") && s.contains("Supersedes**: [105.")
    });
    assert!(s.contains("what both files will get"), "{s}");
    t.keys(&["Enter"]);
    t.wait("the commit", |s| s.contains("committed"));
    t.keys(&["q"]);
    t.wait("the shell again", |s| s.contains("FINDINGS-EXITED"));

    let old = std::fs::read_to_string(dir.join("adr/0105-prisma-race-condition-prevention.md")).unwrap();
    assert!(old.contains("**Status**: Superseded\n**Superseded by**: [106. Prisma Upsert Everywhere](0106-prisma-upsert-everywhere.md)\n"), "{old}");
    let new = std::fs::read_to_string(dir.join("adr/0106-prisma-upsert-everywhere.md")).unwrap();
    assert!(
        new.contains(
            "**Supersedes**: [105. Prisma Race Condition Prevention](0105-prisma-race-condition-prevention.md)"
        ),
        "{new}"
    );
    let log = git(&dir, &["log", "-1", "--format=%s"]);
    assert_eq!(log.trim(), "findings(ADR-0105): superseded by ADR-0106");
    let files = git(&dir, &["show", "--name-only", "--format=", "HEAD"]);
    assert_eq!(files.lines().count(), 2, "{files}");
    assert_eq!(git(&dir, &["status", "--porcelain"]).trim(), "", "everything committed");
}

/// Triage 030 adopting ADR 0105's option A from the option picker: the
/// panel lists it after 030's own options, `3` shows what Recommended
/// Action gets, Enter commits it.
#[test]
fn triage_adopts_adr_0105s_option_from_the_picker() {
    if !have_tmux() {
        return;
    }
    let (_tmp, dir) = sample_repo();
    let t = start(&dir, "adopt", 120, 36);
    t.wait("the list", |s| s.contains("ADR-0105") && s.contains(" LIST "));
    t.keys(&["t"]);
    t.wait("triage mode", |s| s.contains("TRIAGE") && s.contains("1/"));
    // Defer until 030 is shown.
    let mut s = t.screen();
    for _ in 0..4 {
        if s.contains("Race Condition in Duplicate Assignment Check") {
            break;
        }
        t.keys(&["d"]);
        std::thread::sleep(Duration::from_millis(200));
        s = t.screen();
    }
    let s = t.wait("ADR 0105's option in the panel", |s| {
        s.contains("Duplicate Assignment Check") && s.contains("3 ADR-0105 Option A: Prisma upsert")
    });
    assert!(s.contains("from an accepted ADR"), "{s}");
    t.keys(&["3"]);
    let s = t.wait("the option picker's preview", |s| {
        s.contains("Recommended Action gets:")
    });
    assert!(
        s.contains("Adopt [ADR-0105](../adr/0105-prisma-race-condition-prevention.md) Option A"),
        "{s}"
    );
    t.keys(&["Enter"]);
    t.wait("the commit", |s| s.contains("committed"));
    t.keys(&["q"]);
    t.wait("the summary", |s| s.contains("Triage summary"));
    t.keys(&["Escape", "q"]);
    t.wait("the shell again", |s| s.contains("FINDINGS-EXITED"));

    let text =
        std::fs::read_to_string(dir.join("findings/030-ready-p1-race-condition-duplicate-assignment.md")).unwrap();
    assert!(
        text.contains(
            "Adopt [ADR-0105](../adr/0105-prisma-race-condition-prevention.md) Option A: Prisma upsert (preferred)."
        ),
        "{text}"
    );
    let log = git(&dir, &["log", "-1", "--format=%s"]);
    assert_eq!(log.trim(), "findings(030): triage pending → ready");
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
    let script = format!(
        "cd '{}' && env -u NO_COLOR TERM=xterm-256color '{}'; echo FINDINGS-EXITED; sleep 60",
        dir.display(),
        bin,
    );
    let t = session("body", 120, 36, &script);
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

/// Issue 12 item 4, a walk: mark the three documents triage moves, walk
/// them one by one with a different decision each (approve, skip with a
/// reason, defer). Nothing is written during the walk; the summary says
/// what `enter` will write, and `enter` writes it as ONE commit
/// (`findings: triage of 2 documents`) that one `z` takes back whole.
#[test]
fn a_triage_walk_over_marks_is_one_commit_and_one_undo() {
    if !have_tmux() {
        return;
    }
    let (_tmp, dir) = sample_repo();
    let t = start(&dir, "walk", 120, 36);
    t.wait("the list", |s| s.contains("DATA-001") && s.contains("ADR-0105"));
    let start = git(&dir, &["rev-parse", "HEAD"]);
    mark_the_three(&t);
    t.keys(&["t"]);
    t.wait("the batch menu", |s| s.contains("one commit at the end"));
    t.keys(&["2"]);
    t.wait("the walk", |s| s.contains(" TRIAGE ") && s.contains("1/3"));
    t.keys(&["a"]);
    t.wait("the second", |s| s.contains("2/3"));
    t.keys(&["s"]);
    t.wait("the reason form", |s| s.contains("Reason"));
    t.literal("not now");
    t.keys(&["Enter"]);
    t.wait("the third", |s| s.contains("3/3"));
    t.keys(&["d"]);
    let s = t.wait("the summary", |s| s.contains("Triage summary"));
    assert!(s.contains("nothing written yet"), "{s}");
    assert_eq!(
        git(&dir, &["rev-parse", "HEAD"]),
        start,
        "nothing written during the walk"
    );
    assert_eq!(git(&dir, &["status", "--porcelain"]).trim(), "");

    t.keys(&["Enter"]);
    t.wait("the commit", |s| s.contains("committed") && s.contains(" LIST "));
    let subject = git(&dir, &["log", "-1", "--format=%s"]);
    assert_eq!(subject.trim(), "findings: triage of 2 documents");
    assert_eq!(
        git(&dir, &["rev-list", "--count", &format!("{}..HEAD", start.trim())]).trim(),
        "1"
    );
    t.keys(&["z"]);
    t.wait("the undo", |s| s.contains("undid"));
    assert_eq!(
        git(&dir, &["diff", "--stat", start.trim(), "HEAD"]),
        "",
        "byte for byte"
    );
    assert_eq!(git(&dir, &["status", "--porcelain"]).trim(), "", "everything committed");
    t.keys(&["q"]);
    t.wait("the shell again", |s| s.contains("FINDINGS-EXITED"));
}

/// The pid of `parent`'s child process named `name`, from `/proc`.
fn child_named(parent: &str, name: &str) -> Option<String> {
    std::fs::read_dir("/proc").ok()?.flatten().find_map(|e| {
        let stat = std::fs::read_to_string(e.path().join("stat")).ok()?;
        // pid (comm) state ppid …
        let (comm, rest) = stat.split_once(") ")?;
        let comm = comm.split_once(" (")?.1;
        let ppid = rest.split(' ').nth(1)?;
        (comm == name && ppid == parent).then(|| e.file_name().to_string_lossy().into_owned())
    })
}

/// When its terminal goes away (here the tmux server is killed, as when a
/// window is closed or an ssh session drops), findings exits. crossterm's
/// reader alone would spin on the dead terminal forever, at 100% of a core,
/// never seeing the hang-up.
#[test]
fn findings_exits_when_its_terminal_goes_away() {
    if !have_tmux() || !Path::new("/proc/self/stat").exists() {
        return;
    }
    let (_tmp, dir) = sample_repo();
    let t = start(&dir, "gone", 100, 30);
    t.wait("the list", |s| s.contains("DATA-001"));
    let shell = t.run(&["display-message", "-p", "-t", "gone", "#{pane_pid}"]);
    let pid = child_named(shell.trim(), "findings").expect("findings runs under the pane's shell");
    let _ = t.cmd().arg("kill-server").output();
    let alive = || {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .ok()
            .and_then(|s| s.rsplit_once(") ").map(|(_, r)| !r.starts_with('Z')))
            .unwrap_or(false)
    };
    for _ in 0..200 {
        if !alive() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    // Not left spinning on the machine that runs the tests.
    let _ = Command::new("kill").args(["-9", &pid]).status();
    panic!("findings (pid {pid}) still runs 10 s after its terminal went away");
}
