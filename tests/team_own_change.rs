//! A write commits only its own change: a person's uncommitted edits of the
//! same document stay in the working file, out of findings' commit (and so
//! out of what `sync` publishes), or the write is refused before anything
//! is written.

mod team_support;

use team_support::*;

const PENDING: &str = "findings/030-pending-p1-race-condition-duplicate-assignment.md";
const READY: &str = "findings/030-ready-p1-race-condition-duplicate-assignment.md";

fn hand_edit(text: &str) -> String {
    text.replace(
        "**Why it matters**:",
        "A note typed in an editor, not committed.\n\n**Why it matters**:",
    )
    .replace("race-condition]", "race-condition, hand]")
}

#[test]
fn log_and_triage_leave_hand_edits_uncommitted() {
    let s = Sandbox::new();
    let r = s.repo("r", "Ana");
    write(&r, PENDING, &hand_edit(&read(&r, PENDING)));

    let o = findings_json(&r, &["log", "030", "Checked the index"]);
    assert!(o["warnings"].to_string().contains("uncommitted edits"), "{o}");
    let committed = git(&r, &["show", &format!("HEAD:{PENDING}")]);
    assert!(committed.contains("Checked the index"), "{committed}");
    assert!(!committed.contains("typed in an editor") && !committed.contains("hand]"));
    let working = read(&r, PENDING);
    assert!(working.contains("Checked the index") && working.contains("typed in an editor"));
    assert_eq!(git(&r, &["status", "--porcelain"]), format!(" M {PENDING}\n"));
    let diff = git(&r, &["diff"]);
    assert!(
        !diff.contains("Checked the index"),
        "only the hand edits are unstaged: {diff}"
    );

    // A triage renames the file: the commit holds HEAD's text with the
    // status change, the new file keeps the hand edits.
    findings(&r, &["triage", "030"]);
    let committed = git(&r, &["show", &format!("HEAD:{READY}")]);
    assert!(committed.contains("status: ready") && !committed.contains("typed in an editor"));
    assert!(read(&r, READY).contains("typed in an editor"));
    assert!(!r.join(PENDING).exists());
    assert_eq!(git(&r, &["status", "--porcelain"]), format!(" M {READY}\n"));
    findings(&r, &["check"]);
}

#[test]
fn an_edit_on_the_lines_a_person_changed_is_refused() {
    let s = Sandbox::new();
    let r = s.repo("r", "Ana");
    let edited = read(&r, PENDING).replace("status: pending", "status: pending # waiting on Ben");
    write(&r, PENDING, &edited);
    let head = git(&r, &["rev-parse", "HEAD"]);
    let out = findings_out(&r, &["triage", "030"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("uncommitted edits") && err.contains("nothing was written"),
        "{err}"
    );
    assert_eq!(read(&r, PENDING), edited);
    assert_eq!(git(&r, &["rev-parse", "HEAD"]), head);
}

/// Over the real-world corpus: a person's line typed into a document's body
/// and a work-log entry findings appends. What is committed must be HEAD's
/// text with findings' change (the hand line out, no original line lost, the
/// entry in), or the write refused; the working file keeps both.
#[test]
fn hand_edits_stay_out_of_the_commit_over_the_corpus() {
    use findings::document::Document;
    use findings::edit::worklog::{append, Entry};
    use findings::ops::handedit::own_change;
    let Some(dir) = team_support::common::corpus_dir() else {
        return;
    };
    fn md(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                md(&p, out);
            } else if p.extension().is_some_and(|x| x == "md") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    md(&dir, &mut files);
    files.sort();
    let entry = Entry {
        date: "2099-01-02".into(),
        author: "Prop".into(),
        action: "Checked by the corpus test".into(),
        details: "Nothing else.".into(),
    };
    let (mut cases, mut same, mut near, mut refused) = (0, 0, 0, 0);
    for f in &files {
        let Ok(head) = std::fs::read_to_string(f) else { continue };
        let rel = f.strip_prefix(&dir).unwrap().to_string_lossy().replace('\\', "/");
        let hd = Document::parse(&rel, head.clone());
        let he = append(&hd, &entry);
        if he.is_empty() {
            continue;
        }
        let Ok(want) = findings::edit::apply(&head, &he) else {
            continue;
        };
        let body = hd.split.body.clone();
        let starts: Vec<usize> = head[body.clone()]
            .match_indices('\n')
            .map(|(i, _)| body.start + i + 1)
            .filter(|&i| i < head.len())
            .collect();
        for k in [starts.len() * 2 / 3] {
            let Some(&at) = starts.get(k) else { continue };
            let nl = if head.contains("\r\n") { "\r\n" } else { "\n" };
            let working = format!("{}Typed by hand, not committed.{nl}{}", &head[..at], &head[at..]);
            let wd = Document::parse(&rel, working.clone());
            let Ok(after) = findings::edit::apply(&working, &append(&wd, &entry)) else {
                continue;
            };
            assert!(after.contains("Typed by hand") && after.contains("Checked by the corpus test"));
            cases += 1;
            match own_change(&rel, head.as_bytes(), working.as_bytes(), &after) {
                None => refused += 1,
                Some(c) => {
                    let c = String::from_utf8(c).unwrap();
                    assert!(!c.contains("Typed by hand"), "{rel}: the hand edit was committed");
                    for line in head.lines() {
                        assert!(c.contains(line), "{rel}: lost {line:?}");
                    }
                    assert!(c.contains("Checked by the corpus test"), "{rel}");
                    // Usually byte for byte what the append gives on HEAD
                    // itself (the appender may lay out a new section a little
                    // differently beside the typed line).
                    if c == want {
                        same += 1;
                    } else {
                        near += 1;
                    }
                }
            }
        }
    }
    println!(
        "corpus: {} files, {cases} hand-edit cases: {same} committed as HEAD + the same append, \
         {near} as HEAD + the append laid out beside the typed line, {refused} refused",
        files.len()
    );
    assert!(cases > 0);
}
