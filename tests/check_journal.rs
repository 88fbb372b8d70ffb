//! `findings check` reports a write of several files that was interrupted
//! (its journal is still there): what it was, and that the next write
//! completes it or how to discard it.

mod fault_support;

use fault_support::{finding, Fixture};

const FIRST: &str = "findings/001-pending-p2-first.md";
const SECOND: &str = "findings/002-pending-p2-second.md";

fn pair() -> Fixture {
    let second = finding("002", "pending", "Second").replace("dependencies: []", "dependencies: [\"001\"]");
    Fixture::new(&[(FIRST, finding("001", "pending", "First")), (SECOND, second)])
}

fn read(f: &Fixture, rel: &str) -> String {
    std::fs::read_to_string(f.repo().join(rel)).unwrap()
}

/// What a renumber of 001 to 005 killed before touching any file leaves.
fn plant_renumber(f: &Fixture) {
    let first = read(f, FIRST);
    let second = read(f, SECOND);
    let j = serde_json::json!({
        "subject": "findings(001): renumber 001 → 005",
        "message": "findings(001): renumber 001 → 005\n",
        "files": [
            {"from": FIRST, "to": "findings/005-pending-p2-first.md", "before": first,
             "after": first.replace("\"001\"", "\"005\""), "remove": false},
            {"from": SECOND, "to": SECOND, "before": second,
             "after": second.replace("[\"001\"]", "[\"005\"]"), "remove": false},
        ],
    });
    std::fs::write(f.git_dir().join("findings-journal.json"), j.to_string()).unwrap();
}

#[test]
fn check_names_a_pending_journal_and_the_next_write_clears_it() {
    let f = pair();
    let out = f.run(&["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    plant_renumber(&f);

    let out = f.run(&["check"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains(".git/findings-journal.json:1:1: error[pending-write]"),
        "{text}"
    );
    assert!(text.contains("renumber 001 → 005"), "{text}");
    assert!(text.contains(SECOND), "{text}");
    assert!(text.contains("the next findings write"), "{text}");
    assert!(text.contains("remove this file"), "{text}");
    // Checking touched nothing.
    assert!(f.git_dir().join("findings-journal.json").exists());
    assert_eq!(f.git(&["status", "--porcelain"]), "");

    let out = f.run(&["check", "--format", "json"]);
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["errors"], 1);
    assert_eq!(j["problems"][0]["code"], "pending-write");

    let out = f.run(&["log", "002", "Next write"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!f.git_dir().join("findings-journal.json").exists());
    let out = f.run(&["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn check_says_when_a_pending_journal_cannot_be_completed() {
    let f = pair();
    plant_renumber(&f);
    // Someone edited a planned file since.
    f.write(SECOND, &(read(&f, SECOND) + "\nA hand edit.\n"));
    let out = f.run(&["check"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("error[pending-write]"), "{text}");
    assert!(text.contains("cannot be completed"), "{text}");
    assert!(text.contains(&format!("{SECOND} changed since")), "{text}");
}
