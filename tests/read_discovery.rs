//! Discovery with no configuration: documents are found wherever a
//! repository keeps them, by what they are, never by a folder list; what is
//! not a document is left out and `check --verbose` says why. Each fixture
//! is small and written here in a shape seen in real repositories.

mod common;

use findings::document::Kind;
use findings::store::Repo;
use std::fs;
use std::path::Path;

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

const NYGARD: &str = "# 1. Use Postgres\n\nDate: 2024-01-15\n\n## Status\n\nAccepted\n\n## Context\n\nWe need a database.\n\n## Decision\n\nPostgres.\n";
const MADR: &str = "---\nstatus: proposed\ndate: 2024-02-01\n---\n# Use Kafka\n\n## Context and Problem Statement\n\nEvents.\n\n## Considered Options\n\n* Kafka\n* NATS\n";
const MADR_NO_STATUS: &str = "---\nnav_order: 4\n---\n# Use Rust\n\n## Decision Outcome\n\nChosen option: Rust.\n";

/// A repository in the shapes the issue lists, plus the things that must
/// stay out.
fn fixture(root: &Path) {
    // Documents, in folders no configuration names.
    write(root, "docs/architecture/decisions/0001-use-postgres.md", NYGARD);
    write(root, ".ledge/decisions/0002-use-kafka.md", MADR);
    write(root, "doc/arch/adr/0003-use-rust.md", MADR_NO_STATUS);
    write(
        root,
        "engineering/review/SEC-003-open-api-keys-in-logs.md",
        "# API keys in logs\n\n**Severity**: high\n",
    );
    write(
        root,
        "todos/P1/DATA-001-race.md",
        "---\nid: DATA-001\nseverity: high\ncategory: data\nstatus: open\n---\n# Race on insert\n",
    );
    write(root, "todos/P2/PERF-001-open-P2-slow-query.md", "# Slow query\n");
    write(
        root,
        "todos/031-pending-p2-add-index.md",
        "---\nstatus: pending\npriority: p2\nissue_id: \"031\"\n---\n# Add index\n",
    );
    write(
        root,
        "planning/tasks/BUG-9.md",
        "---\nid: BUG-9\nstatus: open\n---\n# Crash\n",
    );
    // Not documents.
    write(root, "README.md", "# Project\n\n## Status\n\nBeta.\n");
    write(
        root,
        "docs/architecture.md",
        "# Architecture overview\n\n## Components\n\nA talks to B.\n",
    );
    write(
        root,
        "docs/release-checklist.md",
        "# Release checklist\n\n- [ ] tag\n- [ ] publish\n",
    );
    write(
        root,
        "docs/decisions/template.md",
        "# [Title]\n\n## Status\n\n{proposed}\n",
    );
    write(
        root,
        "docs/project-status.md",
        "# Where we are\n\n## Status\n\nMostly fine, some rough edges.\n",
    );
    // Dependency, build and ignored folders are never entered.
    for dir in [
        "node_modules/pkg",
        "target/doc",
        "vendor/lib",
        "dist",
        ".venv/lib",
        "tests/fixtures",
    ] {
        write(root, &format!("{dir}/adr/0009-x.md"), NYGARD);
    }
    write(root, ".gitignore", "generated/\n");
    write(root, "generated/adr/0010-x.md", NYGARD);
    fs::create_dir_all(root.join(".git")).unwrap();
}

fn paths(repo: &Repo) -> Vec<(&str, Kind)> {
    repo.items.iter().map(|m| (m.path.as_str(), m.kind)).collect()
}

#[test]
fn documents_are_found_anywhere_and_only_documents() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fixture(root);
    let repo = Repo::open(root).unwrap();
    assert_eq!(
        paths(&repo),
        [
            (".ledge/decisions/0002-use-kafka.md", Kind::Adr),
            ("doc/arch/adr/0003-use-rust.md", Kind::Adr),
            ("docs/architecture/decisions/0001-use-postgres.md", Kind::Adr),
            ("engineering/review/SEC-003-open-api-keys-in-logs.md", Kind::Finding),
            ("planning/tasks/BUG-9.md", Kind::Finding),
            ("todos/031-pending-p2-add-index.md", Kind::Todo),
            ("todos/P1/DATA-001-race.md", Kind::Finding),
            ("todos/P2/PERF-001-open-P2-slow-query.md", Kind::Finding),
        ]
    );
    let status = |p: &str| repo.items.iter().find(|m| m.path == p).and_then(|m| m.status);
    // The finding vocabulary applies to a finding under todos/.
    assert_eq!(status("todos/P1/DATA-001-race.md"), Some("open"));
    assert_eq!(status("todos/P2/PERF-001-open-P2-slow-query.md"), Some("open"));
    assert_eq!(
        status("engineering/review/SEC-003-open-api-keys-in-logs.md"),
        Some("open")
    );
    // A decision record with no status anywhere is listed, with a warning.
    let no_status: Vec<_> = repo
        .problems()
        .iter()
        .filter(|p| p.code == "no-status")
        .map(|p| p.path.clone())
        .collect();
    assert_eq!(no_status, ["doc/arch/adr/0003-use-rust.md"]);
    assert!(repo.file_problems.is_empty(), "{:?}", repo.file_problems);
    // The terminal UI watches the outermost folders that hold documents.
    assert_eq!(
        repo.document_folders(),
        [
            ".ledge/decisions",
            "doc/arch/adr",
            "docs/architecture/decisions",
            "engineering/review",
            "planning/tasks",
            "todos"
        ]
    );

    // Every skipped file is named with a reason.
    let skipped = repo.skipped();
    let names: Vec<&str> = skipped.iter().map(|s| s.path.as_str()).collect();
    assert_eq!(
        names,
        [
            "README.md",
            "docs/architecture.md",
            "docs/decisions/template.md",
            "docs/project-status.md",
            "docs/release-checklist.md",
        ]
    );
    assert!(skipped.iter().all(|s| !s.reason.is_empty()));
}

#[test]
fn configured_folders_still_decide() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fixture(root);
    write(root, "findings.toml", "folders = [\"docs\"]\n");
    let repo = Repo::open(root).unwrap();
    // Every *.md under the named folder is a document there, as before.
    let p: Vec<&str> = repo.items.iter().map(|m| m.path.as_str()).collect();
    assert_eq!(
        p,
        [
            "docs/architecture.md",
            "docs/architecture/decisions/0001-use-postgres.md",
            "docs/project-status.md",
            "docs/release-checklist.md",
        ]
    );
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_not_followed_out_of_the_repository() {
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "adr/0001-secret.md", NYGARD);
    write(outside.path(), "0002-secret.md", NYGARD);
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "adr/0003-real.md", NYGARD);
    std::os::unix::fs::symlink(outside.path().join("adr"), root.join("docs")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("0002-secret.md"), root.join("adr/0002-link.md")).unwrap();
    let repo = Repo::open(root).unwrap();
    let p: Vec<&str> = repo.items.iter().map(|m| m.path.as_str()).collect();
    assert_eq!(p, ["adr/0003-real.md"]);
}

#[test]
fn check_verbose_names_what_it_skipped() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path());
    let out = common::findings()
        .arg("-C")
        .arg(dir.path())
        .args(["check", "--verbose"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("docs/architecture.md: skipped: "), "{text}");
    assert!(text.contains("README.md: skipped: "), "{text}");
    assert!(text.contains("warning[no-status]"), "{text}");
    assert!(text.contains("8 document(s)"), "{text}");
    let quiet = common::findings()
        .arg("-C")
        .arg(dir.path())
        .arg("check")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&quiet.stdout).contains("skipped"));
}

/// A document outside any family folder whose status comes after a long
/// context (past the first 8 KB) is still found when its head has a
/// document's sections; a page with neither is left at its head.
#[test]
fn a_status_after_the_first_8_kb() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let long: String = (0..150)
        .map(|i| format!("Paragraph {i} of the background, about queues and load.\n\n"))
        .collect();
    assert!(long.len() > 8192);
    write(
        root,
        "notes/use-pulsar.md",
        &format!("# Use Pulsar\n\n## Context\n\n{long}## Decision\n\nPulsar.\n\n## Status\n\nProposed\n"),
    );
    write(
        root,
        "notes/fix-race.md",
        &format!("# Fix the race\n\n## Problem Statement\n\n{long}## Status\n\nopen\n"),
    );
    write(
        root,
        "notes/overview.md",
        &format!("# Overview\n\n## Context\n\n{long}## More\n\nText.\n"),
    );
    // A numbered page whose name starts with a status word, and an ADR
    // whose does, outside any family folder.
    write(
        root,
        "notes/0007-accepted-practices.md",
        "# Accepted practices\n\nWe review.\n",
    );
    write(
        root,
        "notes/0003-superseded-by-0004.md",
        "# 3. Use Kafka\n\n## Status\n\nSuperseded by [4. Pulsar](0004-pulsar.md)\n\n## Decision\n\nKafka.\n",
    );
    write(
        root,
        "notes/essay.md",
        &format!("# An essay\n\n{long}## Status\n\nDraft.\n"),
    );
    let repo = Repo::open(root).unwrap();
    let found: Vec<_> = repo.items.iter().map(|m| (m.path.as_str(), m.kind, m.status)).collect();
    assert_eq!(
        found,
        [
            ("notes/0003-superseded-by-0004.md", Kind::Adr, Some("superseded")),
            ("notes/fix-race.md", Kind::Finding, Some("open")),
            ("notes/use-pulsar.md", Kind::Adr, Some("proposed")),
        ]
    );
    let skipped = repo.skipped();
    let why = |p: &str| skipped.iter().find(|s| s.path == p).map(|s| s.reason);
    // Read whole, then judged: no status anywhere.
    assert_eq!(
        why("notes/overview.md"),
        Some("no status, no ID and no decision-record sections")
    );
    assert_eq!(
        why("notes/0007-accepted-practices.md"),
        Some("no status, ID, decision or document section in its first 8 KB")
    );
    // Nothing in its head says document: left at its first 8 KB.
    assert_eq!(
        why("notes/essay.md"),
        Some("no status, ID, decision or document section in its first 8 KB")
    );
}
