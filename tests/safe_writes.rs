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
    // new content.
    f.write(PENDING_001, &finding("001", "ready", "First"));
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
