//! `findings.toml` as the README documents it, end to end: the TOML blocks
//! are read out of README.md itself (so the documentation and the product
//! cannot drift apart) and run against small repositories written here.

mod common;

use findings::store::config::Config;
use findings::store::Repo;
use std::fs;
use std::path::{Path, PathBuf};

/// The README's ```toml blocks, in order.
fn readme_toml_blocks() -> Vec<String> {
    let readme = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let mut out = Vec::new();
    let mut cur: Option<String> = None;
    for line in readme.lines() {
        match (&mut cur, line.trim_end()) {
            (None, "```toml") => cur = Some(String::new()),
            (Some(b), "```") => {
                out.push(std::mem::take(b));
                cur = None;
            }
            (Some(b), l) => {
                b.push_str(l);
                b.push('\n');
            }
            _ => {}
        }
    }
    out
}

fn readme_block(containing: &str) -> String {
    readme_toml_blocks()
        .into_iter()
        .find(|b| b.contains(containing))
        .unwrap_or_else(|| panic!("README.md has no ```toml block with {containing:?}"))
}

common::repo_type! {
    struct Repo0;
}

impl Repo0 {
    fn new() -> Repo0 {
        Repo0(common::TempRepo::init())
    }
    fn root(&self) -> PathBuf {
        self.path().to_path_buf()
    }
    fn commit_all(&self) {
        self.0.commit_all("fixtures");
    }
    fn run(&self, args: &[&str]) -> (bool, String, String) {
        let mut c = self.findings_cmd();
        c.arg("-C").arg(self.root()).args(args).env("COLUMNS", "200");
        let o = c.output().unwrap();
        (
            o.status.success(),
            String::from_utf8_lossy(&o.stdout).into_owned(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    }
    fn ok(&self, args: &[&str]) -> String {
        let (ok, out, err) = self.run(args);
        assert!(ok, "findings {args:?} failed:\n{out}\n{err}");
        out
    }
    fn files(&self, dir: &str) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(self.root().join(dir))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }
}

const TODO: &str = "---\nstatus: pending\npriority: p1\nissue_id: \"030\"\ntags: [race]\n---\n\n# Race condition\n\n## Work Log\n\n| Date | Action | Learnings |\n|------|--------|-----------|\n";

/// The README's `[workflow.todo]` example: a configured status is a status
/// like any other for triage, `status`, renames, `list -s` and `check`.
#[test]
fn the_readme_workflow_example_works_end_to_end() {
    let r = Repo0::new();
    r.write("findings.toml", &readme_block("[workflow.todo]"));
    r.write("todos/030-pending-p1-race-condition.md", TODO);
    r.commit_all();

    r.ok(&["triage", "030"]);
    assert_eq!(r.files("todos"), ["030-ready-p1-race-condition.md"]);
    let out = r.ok(&["status", "030", "in_review"]);
    assert!(out.contains("in_review"), "{out}");
    assert_eq!(r.files("todos"), ["030-in_review-p1-race-condition.md"]);
    let text = fs::read_to_string(r.root().join("todos/030-in_review-p1-race-condition.md")).unwrap();
    assert!(text.contains("status: in_review\n"), "{text}");

    // Listed, filtered and checked as a known status.
    let json = r.ok(&["list", "-f", "json", "-s", "in_review"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["items"][0]["status"], "in_review", "{json}");
    assert_eq!(v["items"][0]["priority"], "p1", "{json}");
    let check = r.ok(&["check"]);
    assert!(!check.contains("unknown-status"), "{check}");

    // Sorted by status, the configured status sits where the workflow puts
    // it: after ready, before complete.
    for (id, status) in [("031", "complete"), ("032", "ready"), ("033", "pending")] {
        let text = TODO.replace("pending", status).replace("\"030\"", &format!("\"{id}\""));
        r.write(&format!("todos/{id}-{status}-p1-other.md"), &text);
    }
    r.commit_all();
    let json = r.ok(&["list", "-f", "json", "--sort", "status"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let order: Vec<&str> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["status"].as_str().unwrap())
        .collect();
    assert_eq!(order, ["pending", "ready", "in_review", "complete"], "{json}");
    for id in ["031", "032", "033"] {
        r.git(&["rm", "-q", &format!("todos/{id}-*.md")]);
    }
    r.git(&["commit", "-q", "-m", "drop the sorting fixtures"]);

    // Only the configured transitions apply.
    let (ok, _, err) = r.run(&["status", "030", "pending"]);
    assert!(!ok && err.contains("complete"), "{err}");
    r.ok(&["status", "030", "complete"]);
    assert_eq!(r.files("todos"), ["030-complete-p1-race-condition.md"]);
    let log = r.git(&["log", "--format=%s"]);
    assert_eq!(log.lines().count(), 6, "{log}");
}

/// `folders = [...]` names where documents are, and nothing else is read.
#[test]
fn configured_folders_override_discovery() {
    let r = Repo0::new();
    let block = readme_block("folders = ");
    assert!(block.contains("docs/review"), "{block}");
    r.write("findings.toml", &block);
    r.write(
        "docs/review/SEC-001-open-p1-x.md",
        "---\nid: SEC-001\nstatus: open\n---\n# X\n",
    );
    r.write("elsewhere/adr/0001-y.md", "# 1. Y\n\n## Status\n\nAccepted\n");
    let json = r.ok(&["list", "-f", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let paths: Vec<&str> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["docs/review/SEC-001-open-p1-x.md"]);
}

/// The `[tui]` and `[keys]` example, and `[git] sync`, are accepted and
/// take effect; a typo is a located error.
#[test]
fn tui_keys_and_git_keys_take_effect() {
    let r = Repo0::new();
    let block = readme_block("[keys]");
    r.write("findings.toml", &format!("{block}\n[git]\nsync = \"merge\"\n"));
    let repo = Repo::open(&r.root()).unwrap();
    assert_eq!(repo.config.tui.theme.as_deref(), Some("light"));
    assert_eq!(repo.config.tui.mouse, Some(true));
    assert_eq!(repo.config.git.sync.as_deref(), Some("merge"));
    let opts = findings::tui::TuiOptions {
        theme: None,
        no_color: false,
        mouse: true,
    };
    let s = findings::tui::settings::Settings::load(&repo, &opts, None).unwrap();
    assert!(s.mouse);
    let quit = s.keymap.keys_of(findings::tui::keymap::Action::Quit);
    assert!(quit.iter().any(|k| k.contains("ctrl") && k.contains('q')), "{quit:?}");

    r.write("findings.toml", "[tui]\nthme = \"light\"\n");
    let (ok, _, err) = r.run(&["list"]);
    assert!(
        !ok && err.contains("findings.toml:2:1") && err.contains("thme"),
        "{err}"
    );
    let e = Config::parse(Path::new("findings.toml"), "[workflow.todo]\nstatus = []\n").unwrap_err();
    assert!(e.to_string().contains("status"), "{e}");
}

/// A document that keeps its status in the front matter and in a
/// `## Status` section: a status change updates both, and `check` reports
/// the places when they disagree.
#[test]
fn a_status_change_updates_every_place() {
    let r = Repo0::new();
    let text = "---\nid: SEC-003\nseverity: high\nstatus: open\n---\n# Keys in logs\n\n## Status\n\n**Open** (found in review)\n\n## Work Log\n\n| Date | Action | Learnings |\n|------|--------|-----------|\n";
    r.write("review/SEC-003-keys.md", text);
    r.write(
        "docs/adr/0001-x.md",
        "---\nstatus: accepted\n---\n# 1. X\n\n**Status**: Proposed\n\n## Decision\n\nX.\n",
    );
    r.commit_all();
    let check = r.run(&["check"]).1;
    assert!(
        check.contains("docs/adr/0001-x.md:6:13: warning[status-disagrees]"),
        "{check}"
    );
    assert!(!check.contains("SEC-003-keys.md"), "{check}");

    r.ok(&["triage", "SEC-003"]);
    let after = fs::read_to_string(r.root().join("review/SEC-003-keys.md")).unwrap();
    assert!(after.contains("status: triaged\n"), "{after}");
    assert!(after.contains("\n**Triaged** (found in review)\n"), "{after}");
    for line in text.lines().filter(|l| !l.contains("pen")) {
        assert!(after.lines().any(|a| a == line), "lost {line:?}:\n{after}");
    }
    let check = r.run(&["check"]).1;
    assert!(!check.contains("SEC-003-keys.md"), "{check}");
}

/// Front matter on line 3, after the title: all of its keys are read, and a
/// triage edits it where it is.
#[test]
fn front_matter_after_the_title_stays_where_it_is() {
    let r = Repo0::new();
    let text = "# Add an index\n\n---\nstatus: pending\npriority: p2\ntags: [db]\ndependencies: []\n---\n\n## Problem\n\nSlow.\n";
    r.write("todos/031-pending-p2-add-index.md", text);
    r.commit_all();
    let json = r.ok(&["list", "-f", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let item = &v["items"][0];
    assert_eq!(
        (&item["title"], &item["status"], &item["priority"], &item["tags"][0]),
        (
            &serde_json::json!("Add an index"),
            &serde_json::json!("pending"),
            &serde_json::json!("p2"),
            &serde_json::json!("db")
        ),
        "{json}"
    );
    r.ok(&["triage", "031"]);
    let after = fs::read_to_string(r.root().join("todos/031-ready-p2-add-index.md")).unwrap();
    assert!(
        after.starts_with("# Add an index\n\n---\nstatus: ready\npriority: p2\ntags: [db]\ndependencies: []\n---\n"),
        "{after}"
    );
}

/// An ADR whose slug starts with a status word is an ADR, end to end: it is
/// listed as one, and a status change edits its Status section and renames
/// nothing.
#[test]
fn an_adr_named_like_a_status_keeps_its_name() {
    let r = Repo0::new();
    let text = "# 4. Deprecated API removal\n\n## Status\n\nProposed\n\n## Decision\n\nRemove it.\n";
    r.write("adr/0004-deprecated-api-removal.md", text);
    r.commit_all();
    let json = r.ok(&["list", "-f", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        (&v["items"][0]["kind"], &v["items"][0]["id"], &v["items"][0]["status"]),
        (&"adr".into(), &"ADR-0004".into(), &"proposed".into()),
        "{json}"
    );
    r.ok(&["status", "ADR-0004", "accepted"]);
    assert_eq!(r.files("adr"), ["0004-deprecated-api-removal.md"]);
    let after = fs::read_to_string(r.root().join("adr/0004-deprecated-api-removal.md")).unwrap();
    assert_eq!(after, text.replace("Proposed", "Accepted"));
}
