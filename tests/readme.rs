//! The README's promises to a newcomer: the quick-start tour runs as
//! written (every line of the block after the `quick-start` marker, in
//! order, with the built binary, on a git copy of the samples that has a
//! remote to sync with), and the screenshot is the current code's frame.

mod common;

use common::git;
use std::path::Path;

#[path = "../examples/screenshot.rs"]
#[allow(dead_code)]
mod screenshot;

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap()
}

/// The lines of the fenced block right after the `<!-- quick-start` marker.
fn quick_start(readme: &str) -> Vec<String> {
    let at = readme
        .find("<!-- quick-start")
        .expect("the README has a quick-start marker");
    let rest = &readme[at..];
    let open = rest.find("```").expect("a fenced block after the marker");
    let body = &rest[open..];
    let body = &body[body.find('\n').unwrap() + 1..];
    let close = body.find("\n```").expect("the block is closed");
    body[..close]
        .lines()
        .map(|l| match l.find(" #") {
            Some(i) => l[..i].trim().to_string(),
            None => l.trim().to_string(),
        })
        .filter(|l| !l.is_empty())
        .collect()
}

/// Split a command line as `sh` would for plain words and double quotes.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            c if c.is_whitespace() && !quoted => {
                if any {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            c => {
                cur.push(c);
                any = true;
            }
        }
    }
    assert!(!quoted, "unbalanced quotes in {line:?}");
    if any {
        out.push(cur);
    }
    out
}

#[test]
fn quick_start_runs_as_written() {
    let lines = quick_start(&readme());
    assert!(lines.len() >= 8, "{lines:?}");
    let t = tempfile::tempdir().unwrap();
    let home = t.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::write(
        home.join(".gitconfig"),
        "[user]\n\tname = Newcomer\n\temail = new@example.com\n[init]\n\tdefaultBranch = main\n",
    )
    .unwrap();
    let remote = t.path().join("remote.git");
    let repo = t.path().join("your-repo");
    std::fs::create_dir_all(&repo).unwrap();
    git(t.path(), &home, &["init", "-q", "--bare", remote.to_str().unwrap()]);
    git(&repo, &home, &["init", "-q"]);
    common::copy_samples(&repo);
    git(&repo, &home, &["add", "-A"]);
    git(&repo, &home, &["commit", "-qm", "samples"]);
    git(&repo, &home, &["remote", "add", "origin", remote.to_str().unwrap()]);
    git(&repo, &home, &["push", "-q", "-u", "origin", "main"]);

    let mut cwd = t.path().to_path_buf();
    for line in &lines {
        let w = words(line);
        match w[0].as_str() {
            "cd" => {
                cwd = cwd.join(&w[1]);
                assert!(cwd.is_dir(), "{line}: no such folder");
            }
            "findings" => {
                let out = common::findings_cmd(&cwd, &home)
                    .args(&w[1..])
                    .env("COLUMNS", "120")
                    .output()
                    .unwrap();
                assert!(
                    out.status.success(),
                    "{line}: exit {:?}\n{}{}",
                    out.status.code(),
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                );
            }
            other => panic!("{line}: the quick start runs only cd and findings, not {other}"),
        }
    }
    // What the tour did is in the remote: the triage and the log entry.
    let out = common::git_output(
        t.path(),
        &home,
        &["--git-dir", remote.to_str().unwrap(), "log", "--format=%s", "main"],
    );
    let log = String::from_utf8_lossy(&out.stdout);
    assert!(log.lines().any(|l| l.starts_with("findings(030)")), "{log}");
}

#[test]
fn screenshot_is_current() {
    let want = screenshot::render();
    let have = std::fs::read_to_string(screenshot::target()).unwrap_or_default();
    assert!(
        have == want,
        "docs/screenshot.svg is stale: run `cargo run --example screenshot` and commit it"
    );
    assert!(
        readme().contains("](docs/screenshot.svg)"),
        "the README shows the screenshot"
    );
}
