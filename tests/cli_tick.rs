//! `findings tick ID N [--undo]` end to end: the real binary in temporary
//! git repositories holding the bundled samples (030 has three acceptance
//! criteria and a work-log table) and small documents written here. What
//! changed on disk byte by byte, the commit and what it holds, refusals
//! that write nothing, `--dry-run`, `--format json`, and `show` numbering
//! the criteria the way `tick` names them.

mod common;

use std::fs;
use std::path::Path;

const T030: &str = "findings/030-pending-p1-race-condition-duplicate-assignment.md";

common::repo_type! {
    /// The samples, committed once, with an identity and no user config.
    struct Repo;
}

impl Repo {
    fn new() -> Repo {
        Repo(common::TempRepo::samples())
    }

    fn run(&self, args: &[&str]) -> std::process::Output {
        self.findings_cmd().args(args).output().unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "findings {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(out.status.code(), Some(1), "findings {args:?} should fail");
        String::from_utf8(out.stderr).unwrap()
    }

    fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path().join(rel)).unwrap()
    }

    fn head(&self) -> String {
        self.git(&["rev-parse", "HEAD"]).trim().to_string()
    }
}

/// The lines of `a` and `b` that differ, in order, as (old, new).
fn changed_lines<'a>(a: &'a str, b: &'a str) -> (Vec<&'a str>, Vec<&'a str>) {
    let (old, new): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let removed = old.iter().filter(|l| !new.contains(l)).copied().collect();
    let added = new.iter().filter(|l| !old.contains(l)).copied().collect();
    (removed, added)
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

#[test]
fn ticks_one_criterion_logs_and_commits_only_that_file() {
    let r = Repo::new();
    let before = r.read(T030);
    let out = r.ok(&["tick", "030", "2", "--author", "Ana"]);
    assert!(
        out.contains("criterion 2 [x] Second request receives 409 Conflict response"),
        "{out}"
    );
    assert!(out.contains("committed"), "{out}");
    let after = r.read(T030);
    let (removed, added) = changed_lines(&before, &after);
    assert_eq!(removed, ["- [ ] Second request receives 409 Conflict response"]);
    assert_eq!(added.len(), 2, "{added:?}");
    assert_eq!(added[0], "- [x] Second request receives 409 Conflict response");
    assert!(
        added[1].starts_with("| 20")
            && added[1].ends_with(" | Ticked: criterion 2 (by Ana) | Second request receives 409 Conflict response |"),
        "{added:?}"
    );
    // One byte of the criterion changed: everything else is as it was.
    assert_eq!(before.len() + added[1].len() + 1, after.len());
    assert_eq!(
        r.git(&["log", "-1", "--format=%s"]).trim(),
        "findings(030): ticked criterion 2"
    );
    assert_eq!(r.git(&["show", "--name-only", "--format=", "HEAD"]).trim(), T030);
    assert_eq!(r.git(&["status", "--porcelain"]), "");
    // `show` numbers the criteria as `tick` names them.
    let shown = r.ok(&["show", "030", "--format", "text"]);
    assert!(shown.contains("criteria  1 of 3 done"), "{shown}");
    assert!(
        shown.contains("   2 [x] Second request receives 409 Conflict response"),
        "{shown}"
    );
    assert!(shown.contains("   3 [ ] No duplicate active assignments"), "{shown}");
    let json: serde_json::Value = serde_json::from_str(&r.ok(&["show", "030", "--format", "json"])).unwrap();
    assert_eq!(json["criteria"][1]["n"], 2);
    assert_eq!(json["criteria"][1]["done"], true);
    assert_eq!(json["criteria"][0]["done"], false);
}

#[test]
fn undo_unticks_and_json_reports_the_criterion() {
    let r = Repo::new();
    let before = r.read(T030);
    r.ok(&["tick", "030", "1"]);
    let out = r.ok(&["tick", "030", "1", "--undo", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["criterion"]["n"], 1);
    assert_eq!(v["criterion"]["done"], false);
    assert_eq!(
        v["criterion"]["text"],
        "Concurrent duplicate assignment requests result in only one assignment created"
    );
    assert_eq!(v["commit"].as_str().unwrap(), r.head());
    assert_eq!(v["old_status"], "pending");
    assert_eq!(v["new_status"], "pending");
    // Back to the original criteria, with both moves in the work log.
    let after = r.read(T030);
    let (removed, added) = changed_lines(&before, &after);
    assert!(removed.is_empty(), "{removed:?}");
    assert_eq!(added.len(), 2, "{added:?}");
    assert!(added[0].contains("| Ticked: criterion 1"), "{added:?}");
    assert!(added[1].contains("| Unticked: criterion 1"), "{added:?}");
}

#[test]
fn refusals_write_nothing() {
    let r = Repo::new();
    let before = r.read(T030);
    let head = r.head();
    let e = r.fails(&["tick", "030", "9"]);
    assert!(
        e.contains("has 3 acceptance criteria (1 to 3); there is no criterion 9"),
        "{e}"
    );
    let e = r.fails(&["tick", "030", "0"]);
    assert!(e.contains("there is no criterion 0"), "{e}");
    let e = r.fails(&["tick", "030", "2", "--undo"]);
    assert!(e.contains("criterion 2 is already not ticked"), "{e}");
    let e = r.fails(&["tick", "ADR-0105", "1"]);
    assert!(e.contains("has no acceptance criteria"), "{e}");
    r.ok(&["tick", "030", "3"]);
    let head3 = r.head();
    let e = r.fails(&["tick", "030", "3"]);
    assert!(e.contains("criterion 3 is already ticked"), "{e}");
    assert_ne!(head, head3);
    assert_eq!(r.head(), head3, "a refusal makes no commit");
    assert_eq!(r.git(&["status", "--porcelain"]), "");
    assert_ne!(r.read(T030), before);
    // A usage error is not a write.
    let out = r.run(&["tick", "030", "two"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn dry_run_shows_the_diff_and_writes_nothing() {
    let r = Repo::new();
    let before = r.read(T030);
    let head = r.head();
    let out = r.ok(&["tick", "030", "2", "--dry-run"]);
    assert!(out.contains("-- [ ] Second request"), "{out}");
    assert!(out.contains("+- [x] Second request"), "{out}");
    assert!(out.contains("findings(030): ticked criterion 2"), "{out}");
    assert_eq!(r.read(T030), before);
    assert_eq!(r.head(), head);
}

#[test]
fn a_document_without_a_work_log_changes_by_one_byte_keeping_crlf() {
    let r = Repo::new();
    let text = "---\r\nstatus: pending\r\n---\r\n# Ship it\r\n\r\n## Acceptance Criteria\r\n\r\n1. [ ] Builds\r\n  * [X] Tested | twice\r\n\r\n```md\r\n- [ ] not a criterion\r\n```\r\n- [ ] Documented";
    write(r.path(), "todos/040-pending-p2-ship-it.md", text);
    r.commit_all("ship it");
    let shown = r.ok(&["show", "040", "--format", "text"]);
    assert!(shown.contains("criteria  1 of 3 done"), "{shown}");
    assert!(shown.contains("   3 [ ] Documented"), "{shown}");
    r.ok(&["tick", "040", "3"]);
    let after = r.read("todos/040-pending-p2-ship-it.md");
    assert_eq!(after, text.replace("- [ ] Documented", "- [x] Documented"));
    r.ok(&["tick", "040", "2", "--undo"]);
    let after = r.read("todos/040-pending-p2-ship-it.md");
    assert_eq!(
        after,
        text.replace("- [ ] Documented", "- [x] Documented")
            .replace("[X] Tested", "[ ] Tested")
    );
    assert_eq!(
        r.git(&["log", "-1", "--format=%B"]).trim_end(),
        "findings(040): unticked criterion 2\n\nTested | twice\n\nFinding-Id: 040"
    );
}
