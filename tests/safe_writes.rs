//! Honest, interruptible, signed writes, run as the real binary: a rename
//! interrupted after the write is repaired by the next write; "committed" is
//! printed only for a commit that exists; signals during a slow hook leave no
//! lock; signing as git signs (gpg and ssh).

mod fault_support;

use fault_support::{finding, printed_commits, Fixture};

const PENDING_001: &str = "findings/001-pending-p2-first.md";

fn one() -> Fixture {
    Fixture::new(&[(PENDING_001, finding("001", "pending", "First"))])
}

#[test]
fn an_interrupted_rename_is_reported_by_check_and_repaired_by_the_next_write() {
    let f = one();
    // What a kill between the write and the rename leaves: the old name, the
    // new content, which the killed write had recorded as its own before
    // writing (under both names).
    let ready = finding("001", "ready", "First");
    f.write(PENDING_001, &ready);
    findings::ops::handedit::remember(
        &git2::Repository::discover(f.repo()).unwrap(),
        &[
            (PENDING_001, ready.as_bytes()),
            ("findings/001-ready-p2-first.md", ready.as_bytes()),
        ],
    );
    let check = f.run(&["check"]);
    let said = String::from_utf8_lossy(&check.stdout).to_string() + &String::from_utf8_lossy(&check.stderr);
    assert!(said.contains("file name says"), "{said}");

    let out = f.run(&["log", "001", "Looked again"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("the name its status says"), "{said}");
    assert_eq!(f.files(), ["001-ready-p2-first.md"]);
    let commits = printed_commits(&out.stdout);
    assert_eq!(commits.len(), 1, "{said}");
    assert!(f.commit_exists(&commits[0]));
    let names = f.git(&["show", "--name-status", "--format=", "HEAD"]);
    assert!(names.contains("findings/001-ready-p2-first.md"), "{names}");
    assert_eq!(f.git(&["status", "--porcelain"]), "");
}

#[test]
fn a_status_change_renames_in_one_step_and_leaves_nothing_behind() {
    let f = one();
    let out = f.run(&["status", "001", "ready"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(f.files(), ["001-ready-p2-first.md"]);
    let a = f.audit();
    assert!(
        a.duplicates.is_empty() && a.torn.is_empty() && a.locks.is_empty() && a.temps.is_empty(),
        "{a:?}"
    );
    assert_eq!(f.git(&["status", "--porcelain"]), "");
}

/// A throwaway gpg home with one unprotected signing key; `None` (skipped)
/// when gpg is absent.
fn gpg_home(f: &Fixture) -> Option<std::path::PathBuf> {
    if !fault_support::have("gpg", &["--version"]) {
        fault_support::skip("gpg is not installed (apt-get install gnupg)");
        return None;
    }
    let home = f.root.path().join("gnupg");
    std::fs::create_dir(&home).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&home, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    let spec = f.root.path().join("key.spec");
    std::fs::write(
        &spec,
        "%no-protection\nKey-Type: eddsa\nKey-Curve: ed25519\nKey-Usage: sign\n\
         Name-Real: Fault Tester\nName-Email: fault@example.com\nExpire-Date: 0\n%commit\n",
    )
    .unwrap();
    let out = std::process::Command::new("gpg")
        .env("GNUPGHOME", &home)
        .args(["--batch", "--gen-key"])
        .arg(&spec)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    Some(home)
}

/// Stop the gpg-agent the test's gpg started.
fn stop_agent(home: &std::path::Path) {
    let _ = std::process::Command::new("gpgconf")
        .env("GNUPGHOME", home)
        .args(["--kill", "gpg-agent"])
        .output();
}

#[test]
fn commit_gpgsign_signs_with_gpg_as_git_does_or_refuses_with_gpgs_words() {
    let f = one();
    let Some(gnupg) = gpg_home(&f) else { return };
    f.git(&["config", "commit.gpgsign", "true"]);
    let before = f.git(&["rev-parse", "HEAD"]);

    let out = f
        .findings(&["status", "001", "ready"])
        .env("GNUPGHOME", &gnupg)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let commits = printed_commits(&out.stdout);
    assert_eq!(commits.len(), 1);
    let verify = f
        .command("git")
        .args(["verify-commit", "-v", "HEAD"])
        .env("GNUPGHOME", &gnupg)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&verify.stderr);
    assert!(verify.status.success(), "{said}");
    assert!(said.contains("Good signature"), "{said}");
    assert_ne!(f.git(&["rev-parse", "HEAD"]), before);

    // A key gpg does not have: refused with gpg's reason, the edit kept,
    // HEAD where it was.
    f.git(&["config", "user.signingkey", "nobody@nowhere.invalid"]);
    let head = f.git(&["rev-parse", "HEAD"]);
    let out = f
        .findings(&["log", "001", "Signed?"])
        .env("GNUPGHOME", &gnupg)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("cannot sign the commit with gpg"), "{err}");
    assert!(err.contains("nobody@nowhere.invalid"), "{err}");
    assert!(printed_commits(&out.stdout).is_empty());
    assert_eq!(f.git(&["rev-parse", "HEAD"]), head);
    let text = std::fs::read_to_string(f.repo().join("findings/001-ready-p2-first.md")).unwrap();
    assert!(text.contains("Signed?"), "the edit is kept");
    stop_agent(&gnupg);
}

#[test]
fn gpg_format_ssh_signs_with_ssh_keygen_as_git_does() {
    if !fault_support::have("ssh-keygen", &["-?"]) {
        fault_support::skip("ssh-keygen is not installed (apt-get install openssh-client)");
        return;
    }
    let f = one();
    let key = f.root.path().join("id_ed25519");
    let out = std::process::Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "fault@example.com", "-f"])
        .arg(&key)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let public = std::fs::read_to_string(key.with_extension("pub")).unwrap();
    let allowed = f.root.path().join("allowed_signers");
    std::fs::write(&allowed, format!("fault@example.com {public}")).unwrap();
    f.git(&["config", "commit.gpgsign", "true"]);
    f.git(&["config", "gpg.format", "ssh"]);
    f.git(&["config", "user.signingkey", key.to_str().unwrap()]);
    f.git(&["config", "gpg.ssh.allowedSignersFile", allowed.to_str().unwrap()]);

    let out = f.run(&["status", "001", "ready"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let verify = f.command("git").args(["verify-commit", "HEAD"]).output().unwrap();
    let said = String::from_utf8_lossy(&verify.stderr);
    assert!(verify.status.success(), "{said}");
    assert!(said.contains("Good \"git\" signature"), "{said}");

    // A key file that is not there: ssh-keygen's reason, no commit.
    f.git(&["config", "user.signingkey", "/nonexistent/key"]);
    let head = f.git(&["rev-parse", "HEAD"]);
    let out = f.run(&["log", "001", "Signed?"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("cannot sign the commit with ssh-keygen"), "{err}");
    assert_eq!(f.git(&["rev-parse", "HEAD"]), head);
}

#[test]
fn x509_signing_is_refused_with_a_sentence() {
    let f = one();
    f.git(&["config", "commit.gpgsign", "true"]);
    f.git(&["config", "gpg.format", "x509"]);
    let out = f.run(&["status", "001", "ready"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("x509"), "{err}");
    assert_eq!(f.git(&["rev-list", "--count", "HEAD"]).trim(), "1");
}

/// Send `sig` to `pid`, or to its whole process group (as a terminal's
/// Ctrl-C does) when `group`.
#[cfg(unix)]
fn signal(pid: u32, sig: &str, group: bool) {
    let target = if group { format!("-{pid}") } else { pid.to_string() };
    let ok = std::process::Command::new("kill")
        .args([&format!("-{sig}"), "--", &target])
        .status()
        .unwrap()
        .success();
    assert!(ok, "kill -{sig} {target}");
}

#[cfg(unix)]
#[test]
fn a_signal_during_a_slow_pre_commit_hook_leaves_no_lock_and_the_next_commit_works() {
    use std::os::unix::process::CommandExt;
    // (signal, to the whole group like a terminal, exit status)
    let cases = [("INT", true, 130), ("TERM", false, 143), ("HUP", true, 129)];
    for (sig, group, code) in cases {
        let f = one();
        let started = f.git_dir().join("hook-started");
        f.hook("pre-commit", "#!/bin/sh\ntouch \"$GIT_DIR/hook-started\"\nsleep 10\n");
        let head = f.git(&["rev-parse", "HEAD"]);
        let child = f
            .findings(&["status", "001", "ready"])
            .process_group(0)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let pid = child.id();
        let mut waited = 0;
        while !started.exists() {
            assert!(waited < 2000, "the hook never started");
            std::thread::sleep(std::time::Duration::from_millis(10));
            waited += 1;
        }
        signal(pid, sig, group);
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "SIG{sig}: {err}");
        assert!(err.contains(&format!("interrupted by SIG{sig}")), "{err}");
        assert!(err.contains("written, but the commit failed"), "{err}");
        assert!(printed_commits(&out.stdout).is_empty());
        let a = f.audit();
        assert!(a.locks.is_empty() && a.temps.is_empty(), "SIG{sig}: {a:?}");
        assert_eq!(f.git(&["rev-parse", "HEAD"]), head);
        assert_eq!(f.files(), ["001-ready-p2-first.md"], "the edit is kept");

        // The next commit works, findings' and git's.
        std::fs::remove_file(f.git_dir().join("hooks/pre-commit")).unwrap();
        let out = f.run(&["log", "001", "After the signal"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(f.commit_exists(&printed_commits(&out.stdout)[0]));
        f.write("other.txt", "x\n");
        f.git(&["add", "other.txt"]);
        f.git(&["commit", "-q", "-m", "git still commits"]);
    }
}

#[test]
fn an_index_lock_left_by_a_killed_findings_is_cleared_and_anyone_elses_is_left() {
    let f = one();
    let lock = f.git_dir().join("index.lock");
    // A findings process that is gone (a pid far above any in use).
    let host = std::process::Command::new("hostname")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    if host.is_empty() {
        fault_support::skip("no hostname command to tell this host's name");
        return;
    }
    std::fs::write(&lock, format!("findings-lock pid=4194000 start=1 host={host}\n")).unwrap();
    let out = f.run(&["status", "001", "ready"]);
    let said = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("left by findings process 4194000"), "{said}");
    assert!(!lock.exists());

    // Git's own lock (or anyone's): reported, never deleted.
    std::fs::write(&lock, "DIRC").unwrap();
    let out = f.run(&["log", "001", "Blocked"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("index.lock"), "{err}");
    assert_eq!(std::fs::read(&lock).unwrap(), b"DIRC");
}

/// Two todos, the second depending on the first.
fn pair() -> Fixture {
    let second = finding("002", "pending", "Second").replace("dependencies: []", "dependencies: [\"001\"]");
    Fixture::new(&[
        (PENDING_001, finding("001", "pending", "First")),
        ("findings/002-pending-p2-second.md", second),
    ])
}

#[cfg(unix)]
#[test]
fn a_renumber_killed_half_way_is_completed_by_the_next_write() {
    let f = pair();
    let started = f.git_dir().join("hook-started");
    f.hook(
        "pre-commit",
        "#!/bin/sh\ntouch \"$GIT_DIR/hook-started\"\nexec sleep 10\n",
    );
    let mut child = f.findings(&["renumber", "001", "5"]).spawn().unwrap();
    let mut waited = 0;
    while !started.exists() {
        assert!(waited < 2000, "the hook never started");
        std::thread::sleep(std::time::Duration::from_millis(10));
        waited += 1;
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let journal = f.git_dir().join("findings-journal.json");
    assert!(journal.exists(), "the journal outlives the kill");
    // As if killed before the reference was written.
    let second = f.git(&["show", "HEAD:findings/002-pending-p2-second.md"]);
    f.write("findings/002-pending-p2-second.md", &second);
    std::fs::remove_file(f.git_dir().join("hooks/pre-commit")).unwrap();

    let out = f.run(&["log", "002", "Next write"]);
    let said = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("completed an interrupted write"), "{said}");
    assert!(!journal.exists());
    assert_eq!(f.files(), ["002-pending-p2-second.md", "005-pending-p2-first.md"]);
    let second = std::fs::read_to_string(f.repo().join("findings/002-pending-p2-second.md")).unwrap();
    assert!(second.contains("dependencies: [\"005\"]"), "{second}");
    assert!(second.contains("Next write"), "{second}");
    let log = f.git(&["log", "--format=%s"]);
    assert!(log.contains("renumber 001 → 005"), "{log}");
    assert_eq!(f.git(&["status", "--porcelain"]), "");
    let a = f.audit();
    assert!(a.duplicates.is_empty() && a.locks.is_empty(), "{a:?}");
}

#[test]
fn a_journal_whose_files_changed_since_refuses_with_what_to_do() {
    let f = pair();
    let journal = f.git_dir().join("findings-journal.json");
    std::fs::write(
        &journal,
        r#"{"subject":"s","message":"s\n","files":[{"from":"findings/002-pending-p2-second.md","to":"findings/002-pending-p2-second.md","before":"x","after":"y","remove":false},{"from":null,"to":"findings/003-new.md","before":"","after":"z","remove":false}]}"#,
    )
    .unwrap();
    let out = f.run(&["log", "001", "Blocked"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("cannot be completed") && err.contains("remove this file"),
        "{err}"
    );
    assert!(journal.exists());
    assert!(!f.repo().join("findings/003-new.md").exists(), "nothing touched");
}

#[cfg(unix)]
#[test]
fn a_signal_while_waiting_for_the_repository_lock_stops_before_writing() {
    let f = one();
    let held = findings::store::write::lock_repo(&f.repo(), std::time::Duration::ZERO).unwrap();
    let child = f
        .findings(&["status", "001", "ready"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until it catches SIGTERM (Linux shows it in /proc), then a
    // little for it to reach the lock.
    for _ in 0..1000 {
        if catches_sigterm(child.id()) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    std::thread::sleep(std::time::Duration::from_millis(100));
    signal(child.id(), "TERM", false);
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    drop(held);
    assert_eq!(out.status.code(), Some(143), "{err}");
    assert!(err.contains("interrupted by SIGTERM"), "{err}");
    assert_eq!(f.files(), ["001-pending-p2-first.md"], "nothing written");
    assert_eq!(f.git(&["status", "--porcelain"]), "");
}

/// Whether process `pid` has a handler for SIGTERM (`SigCgt` in
/// `/proc/<pid>/status`); `true` where there is no `/proc` to ask, after a
/// pause.
#[cfg(unix)]
fn catches_sigterm(pid: u32) -> bool {
    let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) else {
        std::thread::sleep(std::time::Duration::from_millis(500));
        return true;
    };
    status
        .lines()
        .find_map(|l| l.strip_prefix("SigCgt:"))
        .and_then(|m| u64::from_str_radix(m.trim(), 16).ok())
        .is_some_and(|m| m & (1 << (15 - 1)) != 0)
}

#[test]
fn a_branch_lock_left_by_a_killed_findings_is_cleared_and_anyone_elses_is_left() {
    let f = one();
    let host = std::process::Command::new("hostname")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    if host.is_empty() {
        fault_support::skip("no hostname command to tell this host's name");
        return;
    }
    let lock = f.git_dir().join("refs/heads/main.lock");
    let id = "0123456789abcdef0123456789abcdef01234567";
    std::fs::write(&lock, format!("{id}\n")).unwrap();
    std::fs::write(
        f.git_dir().join("findings-ref-4194000"),
        format!("pid=4194000 start=1 host={host}\n{}\n{id}\n", lock.display()),
    )
    .unwrap();
    let out = f.run(&["status", "001", "ready"]);
    let said = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("main.lock, left by findings process 4194000"), "{said}");
    assert!(!lock.exists());
    assert!(f.audit().locks.is_empty(), "{:?}", f.audit());

    // A ref lock nobody recorded: reported with what to do, left alone.
    std::fs::write(&lock, format!("{id}\n")).unwrap();
    let head = f.git(&["rev-parse", "HEAD"]);
    let out = f.run(&["log", "001", "Blocked"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("main.lock exists") && err.contains("remove the file"),
        "{err}"
    );
    assert!(printed_commits(&out.stdout).is_empty());
    assert_eq!(f.git(&["rev-parse", "HEAD"]), head);
    assert!(lock.exists());
    assert!(f.audit().locks.is_empty(), "{:?}", f.audit());
}

/// An ssh-agent run for a test, stopped when dropped.
struct Agent {
    child: std::process::Child,
    socket: std::path::PathBuf,
}

impl Drop for Agent {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_literal_ssh_signing_key_signs_through_the_agent_as_git_does() {
    if !fault_support::have("ssh-agent", &["-?"]) || !fault_support::have("ssh-keygen", &["-?"]) {
        fault_support::skip("ssh-agent or ssh-keygen is not installed (apt-get install openssh-client)");
        return;
    }
    let f = one();
    let key = f.root.path().join("id_ed25519");
    let out = std::process::Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "fault@example.com", "-f"])
        .arg(&key)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let socket = f.root.path().join("agent.sock");
    let agent = Agent {
        child: std::process::Command::new("ssh-agent")
            .arg("-D")
            .arg("-a")
            .arg(&socket)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
        socket,
    };
    for _ in 0..500 {
        if agent.socket.exists() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let added = std::process::Command::new("ssh-add")
        .arg(&key)
        .env("SSH_AUTH_SOCK", &agent.socket)
        .output()
        .unwrap();
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    let public = std::fs::read_to_string(key.with_extension("pub")).unwrap();
    let allowed = f.root.path().join("allowed_signers");
    std::fs::write(&allowed, format!("fault@example.com {public}")).unwrap();
    f.git(&["config", "commit.gpgsign", "true"]);
    f.git(&["config", "gpg.format", "ssh"]);
    f.git(&["config", "user.signingkey", &format!("key::{}", public.trim())]);
    f.git(&["config", "gpg.ssh.allowedSignersFile", allowed.to_str().unwrap()]);

    let out = f
        .findings(&["status", "001", "ready"])
        .env("SSH_AUTH_SOCK", &agent.socket)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let verify = f.command("git").args(["verify-commit", "HEAD"]).output().unwrap();
    let said = String::from_utf8_lossy(&verify.stderr);
    assert!(verify.status.success(), "{said}");

    // Without the agent the literal key cannot sign: refused, no commit.
    let head = f.git(&["rev-parse", "HEAD"]);
    let out = f
        .findings(&["log", "001", "No agent"])
        .env("SSH_AUTH_SOCK", f.root.path().join("nowhere.sock"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("cannot sign the commit with ssh-keygen"), "{err}");
    assert_eq!(f.git(&["rev-parse", "HEAD"]), head);
}
