//! `findings stats`: counts by status, priority and age, and the opened /
//! closed trend per week from a git history written here with dates.

use std::fs;
use std::path::Path;

mod common;

fn git(dir: &Path, home: &Path, date: &str, args: &[&str]) {
    let config = [
        "-c",
        "user.name=T",
        "-c",
        "user.email=t@example.com",
        "-c",
        "commit.gpgsign=false",
    ];
    let dates = [("GIT_AUTHOR_DATE", date), ("GIT_COMMITTER_DATE", date)];
    common::git_env(dir, home, &dates, &[&config[..], args].concat());
}

fn todo(status: &str, pri: &str, created: &str) -> String {
    format!("---\nstatus: {status}\npriority: {pri}\ncreated: {created}\n---\n\n# T\n\nBody.\n")
}

fn stats(root: &Path, args: &[&str]) -> serde_json::Value {
    common::json(root, "stats", args)
}

#[test]
fn counts_and_trend_from_history() {
    let t = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let r = t.path();
    let now = chrono::Local::now();
    let day = |ago: i64| {
        (now - chrono::Duration::days(ago))
            .format("%Y-%m-%dT12:00:00%z")
            .to_string()
    };
    let ymd = |ago: i64| (now - chrono::Duration::days(ago)).format("%Y-%m-%d").to_string();
    git(r, home.path(), &day(0), &["init", "-q"]);
    let dir = r.join("todos");
    fs::create_dir_all(&dir).unwrap();
    // Three weeks ago: three todos opened, and a README that is no document.
    fs::write(dir.join("001-pending-p1-a.md"), todo("pending", "p1", &ymd(21))).unwrap();
    fs::write(dir.join("002-pending-p2-b.md"), todo("pending", "p2", &ymd(400))).unwrap();
    fs::write(dir.join("003-ready-p2-c.md"), todo("ready", "p2", &ymd(2))).unwrap();
    fs::write(r.join("README.md"), "# Project\n\nNothing to see.\n").unwrap();
    git(r, home.path(), &day(21), &["add", "-A"]);
    git(r, home.path(), &day(21), &["commit", "-qm", "add"]);
    // Today: 001 completed (renamed with its status), 002 edited but open.
    fs::remove_file(dir.join("001-pending-p1-a.md")).unwrap();
    fs::write(dir.join("001-complete-p1-a.md"), todo("complete", "p1", &ymd(21))).unwrap();
    fs::write(
        dir.join("002-pending-p2-b.md"),
        todo("pending", "p2", &ymd(400)) + "More.\n",
    )
    .unwrap();
    git(r, home.path(), &day(0), &["add", "-A"]);
    git(r, home.path(), &day(0), &["commit", "-qm", "work"]);

    let v = stats(r, &["--weeks", "6"]);
    assert_eq!(v["schema"], 1);
    assert_eq!((v["total"].as_u64(), v["open"].as_u64()), (Some(3), Some(2)));
    let status = |s: &str| {
        v["by_status"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["kind"] == "todo" && c["status"] == s)
            .map(|c| c["count"].as_u64().unwrap())
    };
    assert_eq!(
        (status("pending"), status("ready"), status("complete")),
        (Some(1), Some(1), Some(1))
    );
    assert_eq!(status("wontfix"), Some(0), "the workflow's statuses are all listed");
    let bucket = |k: &str, l: &str| {
        let b = v[k].as_array().unwrap().iter().find(|b| b["label"] == l).unwrap();
        (b["count"].as_u64().unwrap(), b["open"].as_u64().unwrap())
    };
    assert_eq!(bucket("by_priority", "p1"), (1, 0));
    assert_eq!(bucket("by_priority", "p2"), (2, 2));
    assert_eq!(bucket("by_age", "under a week"), (1, 1));
    assert_eq!(bucket("by_age", "1-3 months"), (0, 0));
    assert_eq!(bucket("by_age", "over a year"), (1, 1));

    let weeks = v["trend"]["weeks"].as_array().unwrap();
    assert_eq!(weeks.len(), 6);
    let sum = |k: &str| weeks.iter().map(|w| w[k].as_u64().unwrap()).sum::<u64>();
    assert_eq!((sum("opened"), sum("closed")), (3, 1));
    assert_eq!(weeks.last().unwrap()["closed"], 1, "closed this week");
    assert_eq!(weeks.last().unwrap()["opened"], 0, "a rename is not an opening");
    assert!(weeks.iter().any(|w| w["opened"] == 3));
    assert_eq!(v["trend"]["commits"], 2);

    // A shorter window leaves the older week out.
    let v = stats(r, &["--weeks", "1"]);
    assert_eq!(v["trend"]["weeks"][0]["opened"], 0);
    assert_eq!(v["trend"]["weeks"][0]["closed"], 1);

    // Text names the sections.
    let out = common::findings()
        .arg("-C")
        .arg(r)
        .args(["stats", "--color", "never"])
        .output()
        .unwrap();
    let s = String::from_utf8(out.stdout).unwrap();
    for want in [
        "3 documents, 2 open",
        "BY STATUS",
        "BY PRIORITY",
        "BY AGE",
        "OPENED / CLOSED PER WEEK",
    ] {
        assert!(s.contains(want), "{want}: {s}");
    }
}

#[test]
fn without_git_there_is_no_trend() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("todos");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("001-pending-p1-a.md"), todo("pending", "p1", "2026-01-01")).unwrap();
    let v = stats(t.path(), &[]);
    assert_eq!(v["total"], 1);
    assert!(v["trend"]["unavailable"].is_string(), "{v}");
}
