//! One small fixture per shape real repositories write a todo, finding or
//! ADR in (family, status place, front matter place, title), each read as a
//! careful person would, and each status change read back with every other
//! line of the original kept.

use findings::document::{Document, Kind};
use findings::edit::{apply, status::set_status};

struct Shape {
    path: &'static str,
    text: &'static str,
    kind: Kind,
    id: &'static str,
    status: Option<&'static str>,
    title: &'static str,
    /// A status to change to, and what the file must read afterwards.
    to: &'static str,
}

const SHAPES: &[Shape] = &[
    // Family by content.
    Shape {
        path: "todos/P1/DATA-001-race.md",
        text: "---\nid: DATA-001\nseverity: high\nfile: src/db.rs\nline: 42\nstatus: open\n---\n# Race on insert\n",
        kind: Kind::Finding,
        id: "DATA-001",
        status: Some("open"),
        title: "Race on insert",
        to: "triaged",
    },
    Shape {
        path: "todos/P2/SEC-003-open-P2-keys-in-logs.md",
        text: "---\nstatus: open\n---\n# Keys in logs\n",
        kind: Kind::Finding,
        id: "SEC-003",
        status: Some("open"),
        title: "Keys in logs",
        to: "triaged",
    },
    Shape {
        path: "review/PERF-001-open-slow-query.md",
        text: "# PERF-001: Slow query\n\n**Status**: Open\n",
        kind: Kind::Finding,
        id: "PERF-001",
        status: Some("open"),
        title: "Slow query",
        to: "in_progress",
    },
    // Every status place.
    Shape {
        path: "docs/adr/0001-heading.md",
        text: "# 1. Use Postgres\n\n## Status: Accepted\n\n## Context\n\nx\n",
        kind: Kind::Adr,
        id: "ADR-0001",
        status: Some("accepted"),
        title: "Use Postgres",
        to: "deprecated",
    },
    Shape {
        path: "docs/adr/0002-table.md",
        text: "# ADR-002: Use Kafka\n\n| Field | Value |\n|---|---|\n| Status | Accepted |\n| Date | 2024-01-01 |\n",
        kind: Kind::Adr,
        id: "ADR-0002",
        status: Some("accepted"),
        title: "Use Kafka",
        to: "deprecated",
    },
    Shape {
        path: "docs/adr/0003-bold-table.md",
        text: "# ADR — Use NATS\n\n| **Status** | **PROPOSED** |\n| **Date** | 2024-01-01 |\n",
        kind: Kind::Adr,
        id: "ADR-0003",
        status: Some("proposed"),
        title: "Use NATS",
        to: "accepted",
    },
    Shape {
        path: "docs/adr/0004-line.md",
        text: "# 4. Use gRPC\n\nStatus: Proposed | Date: 2024-02-02 | Deciders: A, B\n",
        kind: Kind::Adr,
        id: "ADR-0004",
        status: Some("proposed"),
        title: "Use gRPC",
        to: "accepted",
    },
    Shape {
        path: "docs/adr/0005-caps.md",
        text: "# 5. Cache\n\n## Status\n\n**PROPOSED**\n\n## Decision\n\nx\n",
        kind: Kind::Adr,
        id: "ADR-0005",
        status: Some("proposed"),
        title: "Cache",
        to: "rejected",
    },
    Shape {
        path: "todos/014-completed-p1-playlist.md",
        text: "# Fix playlist\n\n**Status:** ✅ IMPLEMENTED\n",
        kind: Kind::Todo,
        id: "014",
        status: Some("complete"),
        title: "Fix playlist",
        to: "ready",
    },
    // Two places: both change.
    Shape {
        path: "docs/decisions/0006-two-places.md",
        text: "---\nstatus: proposed\n---\n# Use Rust\n\n## Status\n\nProposed\n\n## Decision\n\nRust.\n",
        kind: Kind::Adr,
        id: "ADR-0006",
        status: Some("proposed"),
        title: "Use Rust",
        to: "accepted",
    },
    // Front matter after the title.
    Shape {
        path: "todos/031-add-index.md",
        text: "# Add an index\n\n---\nstatus: pending\npriority: p2\ntags: [db]\n---\n\n## Problem\n\nSlow.\n",
        kind: Kind::Todo,
        id: "031",
        status: Some("pending"),
        title: "Add an index",
        to: "ready",
    },
    // Titles with no H1.
    Shape {
        path: "docs/adr/2024-01-15-use-postgres.md",
        text: "## Status\n\nAccepted\n\n## Context\n\nx\n",
        kind: Kind::Adr,
        id: "2024-01-15-use-postgres",
        status: Some("accepted"),
        title: "2024-01-15 use postgres",
        to: "deprecated",
    },
    Shape {
        path: "docs/adr/0007-no-h1.md",
        text: "## Status\n\nProposed\n\n## Adopt OpenTelemetry\n\n## Context\n",
        kind: Kind::Adr,
        id: "ADR-0007",
        status: Some("proposed"),
        title: "Adopt OpenTelemetry",
        to: "accepted",
    },
];

#[test]
fn every_shape_reads_right_and_changes_in_every_place() {
    let mut bad = Vec::new();
    for s in SHAPES {
        let d = Document::parse(s.path, s.text.to_string());
        let m = &d.meta;
        let got = (m.kind, m.id.as_str(), m.status, m.title.as_str());
        let want = (s.kind, s.id, s.status, s.title);
        if got != want {
            bad.push(format!("{}: read {got:?}, expected {want:?}", s.path));
            continue;
        }
        if m.problems.iter().any(|p| p.code != "status-mismatch") {
            bad.push(format!("{}: problems {:?}", s.path, m.problems));
        }
        let edits = match set_status(&d, s.to) {
            Ok(e) => e,
            Err(e) => {
                bad.push(format!("{}: {e}", s.path));
                continue;
            }
        };
        let after = apply(&d.text, &edits).unwrap();
        let d2 = Document::parse(s.path, after.clone());
        if d2.meta.status != Some(s.to) {
            bad.push(format!("{}: reads {:?} after the edit", s.path, d2.meta.status));
        }
        // Every place reads the new status, and no other line changed.
        let old_word = s.status.unwrap_or_default();
        for line in s.text.lines() {
            let is_status_line =
                line.to_lowercase().contains(old_word) || (old_word == "complete" && line.contains("IMPLEMENTED"));
            if !is_status_line && !after.lines().any(|a| a == line) {
                bad.push(format!("{}: lost {line:?}", s.path));
            }
        }
        let problems: Vec<_> = d2.meta.problems.iter().map(|p| p.code).collect();
        if problems.contains(&"status-disagrees") {
            bad.push(format!("{}: places disagree after the edit:\n{after}", s.path));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn places_that_disagree_are_reported_where_they_differ() {
    let t = "---\nstatus: accepted\n---\n# X\n\n## Status\n\nSuperseded by [2. Y](0002-y.md)\n";
    let d = Document::parse("docs/adr/0001-x.md", t.to_string());
    let p = d.meta.problems.iter().find(|p| p.code == "status-disagrees").unwrap();
    assert_eq!((p.line, p.column), (8, 1), "{p}");
    assert!(p.message.contains("front matter"), "{p}");
    // A field that lists the possible values is not a second place.
    let t = "---\nstatus: accepted\n---\n# X\n\n- **Status** -- Proposed, Accepted, or Superseded\n";
    let d = Document::parse("docs/adr/0002-x.md", t.to_string());
    assert!(d.meta.problems.is_empty(), "{:?}", d.meta.problems);
    assert!(d.status_also.is_empty());
}
