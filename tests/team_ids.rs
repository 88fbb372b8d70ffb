//! IDs across branches: what `new` sees, what `check --against` catches,
//! how `renumber` fixes a duplicate and carries the references along.

mod team_support;

use team_support::*;

const MINE: &str = "---\nstatus: pending\npriority: p2\nissue_id: \"031\"\ntags: [x]\ndependencies: []\n---\n\n# Mine\n\n## Work Log\n\n| Date | Action | Learnings |\n|------|--------|-----------|\n| 2026-02-01 | Created | |\n";
const THEIRS: &str =
    "---\nstatus: pending\npriority: p3\nissue_id: \"031\"\ntags: []\ndependencies: []\n---\n\n# Theirs\n";

#[test]
fn check_against_catches_a_planted_duplicate_and_renumber_fixes_it() {
    let s = Sandbox::new();
    let r = s.repo("r", "Ana");
    git(&r, &["checkout", "-q", "-b", "other"]);
    write(&r, "findings/031-pending-p3-theirs.md", THEIRS);
    git(&r, &["add", "-A"]);
    git(&r, &["commit", "-q", "-m", "theirs"]);
    git(&r, &["checkout", "-q", "main"]);
    write(&r, "findings/031-pending-p2-mine.md", MINE);
    // 003 depends on 031 and links to it.
    let p003 = "findings/003-pending-p1-race-condition-existence-checks.md";
    let t = read(&r, p003)
        .replace("dependencies: []", "dependencies: [\"031\", \"030\"]")
        .replace(
            "## Resources\n",
            "## Resources\n- Follow-up: [031](031-pending-p2-mine.md), see also [other](./031-pending-p2-mine.md#work-log)\n",
        );
    write(&r, p003, &t);
    git(&r, &["add", "-A"]);
    git(&r, &["commit", "-q", "-m", "mine"]);

    // Each branch alone is fine; merging would duplicate 031.
    findings(&r, &["check"]);
    let out = findings_out(&r, &["check", "--against", "other"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("findings/031-pending-p2-mine.md:1:1: error[duplicate-id]: ID 031 is also used by findings/031-pending-p3-theirs.md on other"),
        "{text}"
    );
    let out = findings_out(&r, &["check", "--against", "other", "--format", "json"]);
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["errors"], 1);

    // A taken number is refused, with the next free one suggested.
    let out = findings_out(&r, &["renumber", "findings/031-pending-p2-mine.md", "30"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the next free ID is 032"));

    let before = git(&r, &["rev-parse", "HEAD"]);
    let o = findings_json(&r, &["renumber", "findings/031-pending-p2-mine.md", "32"]);
    assert_eq!(o["id"], "032");
    assert_eq!(o["files"][0]["path"], "findings/032-pending-p2-mine.md");
    assert_eq!(o["files"][0]["renamed_from"], "findings/031-pending-p2-mine.md");
    // One commit with exactly these files.
    assert_eq!(git(&r, &["rev-parse", "HEAD~1"]), before);
    let mut changed: Vec<String> = git(&r, &["show", "--name-status", "-M", "--format=", "HEAD"])
        .lines()
        .map(str::to_string)
        .collect();
    changed.sort();
    assert_eq!(changed.len(), 2, "{changed:?}");
    assert!(changed[0].starts_with("M\tfindings/003-"), "{changed:?}");
    assert!(changed[1].starts_with("R") && changed[1].ends_with("findings/032-pending-p2-mine.md"));
    assert_eq!(git(&r, &["status", "--porcelain"]), "");
    assert_eq!(
        git(&r, &["log", "-1", "--format=%s"]).trim(),
        "findings(031): renumber 031 → 032"
    );

    let mine = read(&r, "findings/032-pending-p2-mine.md");
    assert!(mine.contains("issue_id: \"032\""), "{mine}");
    assert!(mine.contains("| Renumbered: 031 → 032 (by Ana) |"), "{mine}");
    let t = read(&r, p003);
    assert!(t.contains("dependencies: [\"032\", \"030\"]"), "{t}");
    assert!(t.contains("[031](032-pending-p2-mine.md)"), "{t}");
    assert!(t.contains("[other](./032-pending-p2-mine.md#work-log)"), "{t}");

    findings(&r, &["check", "--against", "other"]);
    git(&r, &["merge", "-q", "--no-edit", "other"]);
    findings(&r, &["check"]);
}

#[test]
fn a_renamed_document_is_not_a_clash() {
    let s = Sandbox::new();
    let r = s.repo("r", "Ana");
    git(&r, &["checkout", "-q", "-b", "other"]);
    findings(&r, &["triage", "030"]);
    git(&r, &["checkout", "-q", "main"]);
    findings(&r, &["log", "030", "Still looking"]);
    // 030 is findings/030-pending-… here and 030-ready-… on other: one document.
    findings(&r, &["check", "--against", "other"]);
}

#[test]
fn renumbering_an_adr_follows_its_title_and_supersede_links() {
    let s = Sandbox::new();
    let r = s.repo("r", "Ana");
    findings(&r, &["new", "--kind", "adr", "--title", "Prisma upsert everywhere"]);
    findings(&r, &["adr", "supersede", "ADR-0105", "ADR-0106"]);
    let new_adr = files(&r, "adr").into_iter().find(|p| p.contains("0106")).unwrap();
    assert!(read(&r, &new_adr)
        .contains("[105. Prisma Race Condition Prevention](0105-prisma-race-condition-prevention.md)"));

    let o = findings_json(&r, &["renumber", "ADR-0105", "110"]);
    assert_eq!(o["id"], "ADR-0110");
    let old = read(&r, "adr/0110-prisma-race-condition-prevention.md");
    assert!(
        old.starts_with("# ADR 0110: Prisma Race Condition Prevention\n"),
        "{old}"
    );
    let n = read(&r, &new_adr);
    assert!(
        n.contains("[110. Prisma Race Condition Prevention](0110-prisma-race-condition-prevention.md)"),
        "{n}"
    );
    assert!(ids(&r).contains(&"ADR-0110".to_string()));
    findings(&r, &["check"]);
}

#[test]
fn new_counts_ids_on_branches_and_linked_worktrees_even_detached() {
    let s = Sandbox::new();
    let r = s.repo("r", "Ana");
    // A branch holding 031, checked out detached in a linked worktree, then
    // the branch deleted: only the worktree's HEAD still has it.
    git(&r, &["checkout", "-q", "-b", "tmp"]);
    write(&r, "findings/031-pending-p3-theirs.md", THEIRS);
    git(&r, &["add", "-A"]);
    git(&r, &["commit", "-q", "-m", "theirs"]);
    git(&r, &["checkout", "-q", "main"]);
    let wt = s.path("wt");
    git(&r, &["worktree", "add", "-q", "--detach", wt.to_str().unwrap(), "tmp"]);
    git(&r, &["branch", "-q", "-D", "tmp"]);
    let n = findings_json(&r, &["new", "--title", "Next", "--dry-run"]);
    assert_eq!(n["id"], "032");

    // A branch checked out in a linked worktree counts from its commits, not
    // its checkout; and a remote-tracking branch counts too.
    git(&r, &["worktree", "remove", "--force", wt.to_str().unwrap()]);
    let n = findings_json(&r, &["new", "--title", "Next", "--dry-run"]);
    assert_eq!(n["id"], "031", "the worktree is gone");
    git(&r, &["checkout", "-q", "-b", "feature"]);
    write(&r, "findings/035-pending-p3-far.md", &THEIRS.replace("031", "035"));
    git(&r, &["add", "-A"]);
    git(&r, &["commit", "-q", "-m", "far"]);
    git(&r, &["checkout", "-q", "main"]);
    git(&r, &["update-ref", "refs/remotes/origin/feature", "feature"]);
    git(&r, &["branch", "-q", "-D", "feature"]);
    let n = findings_json(&r, &["new", "--title", "Next", "--dry-run"]);
    assert_eq!(n["id"], "036");
}

#[test]
fn init_registers_the_driver_and_commits_gitattributes_alone_once() {
    let s = Sandbox::new();
    let r = s.repo("r", "Ana");
    write(&r, "notes.txt", "uncommitted work\n");
    let out = findings(&r, &["init"]);
    assert!(
        out.contains("add to .gitattributes: findings/**/*.md merge=findings"),
        "{out}"
    );
    let driver = git(&r, &["config", "--get", "merge.findings.driver"]);
    assert!(
        driver
            .trim()
            .ends_with("; exec \"$f\" merge-driver %O %A %B %P --marker-size %L"),
        "{driver}"
    );
    assert!(
        driver.starts_with("f=/"),
        "the absolute path of the executable: {driver}"
    );
    assert!(driver.contains("command -v findings"), "falls back to PATH: {driver}");
    assert_eq!(
        read(&r, ".gitattributes"),
        "# findings merge driver (findings init)\nfindings/**/*.md merge=findings\nadr/**/*.md merge=findings\n"
    );
    assert_eq!(
        git(&r, &["show", "--name-only", "--format=%s", "HEAD"]).trim(),
        "findings: merge documents with the findings merge driver\n\n.gitattributes"
    );
    assert_eq!(git(&r, &["status", "--porcelain"]), "?? notes.txt\n");
    assert_eq!(
        git(
            &r,
            &[
                "check-attr",
                "merge",
                "findings/030-pending-p1-race-condition-duplicate-assignment.md"
            ]
        )
        .trim(),
        "findings/030-pending-p1-race-condition-duplicate-assignment.md: merge: findings"
    );
    // Again (as `git setup`): nothing changes, nothing is committed.
    let head = git(&r, &["rev-parse", "HEAD"]);
    let out = findings(&r, &["git", "setup"]);
    assert!(
        out.contains("already registered") && out.contains("already routes"),
        "{out}"
    );
    assert_eq!(git(&r, &["rev-parse", "HEAD"]), head);
    // --portable registers plain `findings`.
    findings(&r, &["init", "--portable"]);
    let portable = git(&r, &["config", "--get", "merge.findings.driver"]);
    assert!(
        portable
            .trim()
            .ends_with("; exec findings merge-driver %O %A %B %P --marker-size %L"),
        "{portable}"
    );
}

#[test]
fn the_merge_driver_exits_as_git_expects() {
    let s = Sandbox::new();
    let d = s.path("d");
    let base = "---\nstatus: pending\n---\n\n# T\n\n## Work Log\n\n| Date | Action | Learnings |\n|---|---|---|\n| 2026-01-01 | a | |\n";
    write(&d, "O", base);
    write(&d, "A", &base.replace("pending", "ready"));
    write(&d, "B", &format!("{base}| 2026-01-02 | b | |\n"));
    let run = |args: &[&str]| findings_out(&d, &[&["merge-driver"], args].concat());
    let out = run(&["O", "A", "B", "todos/001-x.md"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(
        read(&d, "A"),
        format!("{}| 2026-01-02 | b | |\n", base.replace("pending", "ready"))
    );
    write(&d, "A", &base.replace("pending", "ready"));
    write(&d, "B", &base.replace("pending", "complete"));
    let out = run(&["O", "A", "B", "todos/001-x.md", "--marker-size", "9"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(read(&d, "A")
        .starts_with("---\n<<<<<<<<< ours\nstatus: ready\n=========\nstatus: complete\n>>>>>>>>> theirs\n---\n"));
    let out = run(&["O", "missing", "B", "todos/001-x.md"]);
    assert_eq!(out.status.code(), Some(2));
}

/// An ADR in the shape the issue names, numbered `n`.
fn adr(n: &str, title: &str) -> String {
    format!(
        "# ADR {n}: {title}\n\n**Status**: Accepted\n**Date**: 1 February 2026\n\n## Context\n\nWhy.\n\n## Decision\n\nWhat.\n\n## Consequences\n\nThen.\n"
    )
}

const DECISIONS: &str = "docs/architecture/decisions";

#[test]
fn documents_outside_the_default_folders_clash_across_branches_and_count_for_new() {
    let s = Sandbox::new();
    let r = s.repo("r", "Ana");
    // Main keeps its decisions where loading finds them, not in a default folder.
    write(
        &r,
        &format!("{DECISIONS}/0100-shared-base.md"),
        &adr("0100", "Shared base"),
    );
    git(&r, &["add", "-A"]);
    git(&r, &["commit", "-q", "-m", "decisions folder"]);
    assert!(ids(&r).contains(&"ADR-0100".to_string()), "{:?}", ids(&r));

    // Another branch adds ADR 0106 in that folder and ADR 0100 in adr/.
    git(&r, &["checkout", "-q", "-b", "other"]);
    write(&r, &format!("{DECISIONS}/0106-theirs.md"), &adr("0106", "Theirs"));
    write(&r, "adr/0100-again.md", &adr("0100", "Again"));
    git(&r, &["add", "-A"]);
    git(&r, &["commit", "-q", "-m", "theirs"]);
    git(&r, &["checkout", "-q", "main"]);

    // `new` sees their 0106 in a folder no default names.
    let n = findings_json(&r, &["new", "--kind", "adr", "--title", "Next", "--dry-run"]);
    assert_eq!(n["id"], "ADR-0107", "{n}");

    // Ours takes 0106 anyway (made before fetching theirs, say).
    write(&r, "adr/0106-ours.md", &adr("0106", "Ours"));
    git(&r, &["add", "-A"]);
    git(&r, &["commit", "-q", "-m", "ours"]);
    findings(&r, &["check"]);
    let out = findings_out(&r, &["check", "--against", "other"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains(&format!(
            "adr/0106-ours.md:1:1: error[duplicate-id]: ID ADR-0106 is also used by {DECISIONS}/0106-theirs.md on other"
        )),
        "{text}"
    );
    // Their new 0100 against the one both sides keep in the decisions folder.
    assert!(
        text.contains(&format!(
            "{DECISIONS}/0100-shared-base.md:1:1: error[duplicate-id]: ID ADR-0100 is also used by adr/0100-again.md on other"
        )),
        "{text}"
    );
    let out = findings_out(&r, &["check", "--against", "other", "--format", "json"]);
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["errors"], 2, "{j}");
}

#[test]
fn check_against_reports_the_problems_of_what_differs_and_nothing_else() {
    let s = Sandbox::new();
    let r = s.repo("r", "Ana");
    // A broken document both sides share: plain `check` sees it; `--against`
    // asks what the merge would break, and the merge changes nothing there.
    write(
        &r,
        "findings/040-pending-p2-shared.md",
        "---\nstatus: pending\npriority: [p2\n---\n\n# Shared\n",
    );
    git(&r, &["add", "-A"]);
    git(&r, &["commit", "-q", "-m", "shared"]);
    git(&r, &["checkout", "-q", "-b", "other"]);
    write(
        &r,
        "findings/041-pending-p2-incoming.md",
        "---\nstatus: pending\ntags: [x\n---\n\n# Incoming\n",
    );
    git(&r, &["add", "-A"]);
    git(&r, &["commit", "-q", "-m", "incoming"]);
    git(&r, &["checkout", "-q", "main"]);
    // An uncommitted broken edit here differs from other too.
    write(
        &r,
        "findings/042-pending-p2-local.md",
        "---\nstatus: pending\nowner: [a\n---\n\n# Local\n",
    );

    let plain = findings_out(&r, &["check"]);
    let plain = String::from_utf8_lossy(&plain.stdout).to_string();
    assert!(plain.contains("findings/040-pending-p2-shared.md"), "{plain}");

    let out = findings_out(&r, &["check", "--against", "other"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(!text.contains("040-pending"), "{text}");
    assert!(text.contains("other:findings/041-pending-p2-incoming.md:"), "{text}");
    assert!(text.contains("findings/042-pending-p2-local.md:"), "{text}");
    assert!(text.contains("document(s) that differ from other"), "{text}");
}
