//! Golden tests of the text edits on the five seed documents, plus CRLF,
//! BOM and no-final-newline variants of each, plus the shared corpus.
//!
//! Expected outputs for the seeds as checked in (LF) live in
//! `tests/golden/<file stem>.<operation>.md`; regenerate them with
//! `UPDATE_GOLDEN=1 cargo test --test edit_golden` and review the diff. A
//! variant's expected output is the same transformation applied to the
//! reviewed LF output (CRLF line endings, a leading BOM, the final newline
//! removed): edits must carry a file's conventions, never change them.

mod common;
use findings::document::options::{self as action, AdrRef};
use findings::document::{self, Document};
use findings::edit::action::{set_recommended_action, Existing};
use findings::edit::worklog::{self, Entry};
use findings::edit::{apply, status, supersede, Edit};
use findings::ops::action::{match_action, recommended_action_text, ActionMatch};
use std::path::{Path, PathBuf};

const SEEDS: &[&str] = &[
    "findings/030-pending-p1-race-condition-duplicate-assignment.md",
    "findings/003-pending-p1-race-condition-existence-checks.md",
    "findings/DATA-001-open-P2-race-condition-objection-response.md",
    "findings/DATA-005-resolved-P1-race-condition-call-outcome.md",
    "adr/0105-prisma-race-condition-prevention.md",
];
const ADR: &str = "adr/0105-prisma-race-condition-prevention.md";

/// A new ADR (adr-tools style) that supersedes 0105, for the supersede test.
const NEW_ADR_PATH: &str = "adr/0106-prisma-upsert-everywhere.md";
const NEW_ADR: &str = "# 106. Prisma upsert everywhere\n\nDate: 2026-02-03\n\n## Status\n\nAccepted\n\n## Context\n\nADR 0105 left find-then-create acceptable in admin endpoints.\n\n## Decision\n\nUse `upsert` everywhere.\n\n## Consequences\n\nNo exceptions to review.\n";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[derive(Clone, Copy, Debug)]
enum Variant {
    Lf,
    Crlf,
    Bom,
    NoFinalNewline,
}

const VARIANTS: [Variant; 4] = [Variant::Lf, Variant::Crlf, Variant::Bom, Variant::NoFinalNewline];

impl Variant {
    fn apply(self, s: &str) -> String {
        match self {
            Variant::Lf => s.to_string(),
            Variant::Crlf => s.replace('\n', "\r\n"),
            Variant::Bom => format!("\u{feff}{s}"),
            Variant::NoFinalNewline => s.strip_suffix('\n').unwrap_or(s).to_string(),
        }
    }
}

/// What each seed is moved to.
fn new_status(path: &str) -> &'static str {
    match path {
        p if p.contains("DATA-001") => "triaged",
        p if p.contains("DATA-005") => "wont_fix",
        p if p.starts_with("adr/") => "superseded",
        _ => "ready",
    }
}

/// The `--action` given for each seed.
fn action_query(path: &str) -> &'static str {
    match path {
        p if p.contains("/030-") => "upsert",
        p if p.contains("/003-") => "unique index",
        p if p.contains("DATA-001") => "Validate and create inside one prisma.$transaction.",
        p if p.contains("DATA-005") => "ADR-0105 A",
        _ => "Keep this decision; see ADR 0106.",
    }
}

fn entry(doc: &Document) -> Entry {
    let from = doc.meta.status.unwrap_or("?");
    Entry {
        date: "2026-02-03".into(),
        author: "Dana Reviewer".into(),
        action: "Triage".into(),
        details: format!("{from} → {}. Confirmed | reproduced in CI", new_status(&doc.meta.path)),
    }
}

fn adrs(variant: Variant) -> Vec<(AdrRef, Vec<action::DecisionOption>)> {
    let d = Document::parse(ADR, variant.apply(&read(ADR)));
    vec![(AdrRef::of(&d), action::options(&d))]
}

fn op_status(doc: &Document, _v: Variant) -> Vec<Edit> {
    status::set_status(doc, new_status(&doc.meta.path)).expect("status edit")
}

fn op_worklog(doc: &Document, _v: Variant) -> Vec<Edit> {
    worklog::append(doc, &entry(doc))
}

fn op_action(doc: &Document, v: Variant) -> Vec<Edit> {
    let q = action_query(&doc.meta.path);
    let m = match_action(q, &action::options(doc), &adrs(v));
    let text = recommended_action_text(&m, q, &doc.meta.path);
    set_recommended_action(doc, &text, Existing::Keep, "2026-02-01").edits
}

/// Status, Recommended Action and work-log entry in one pass, as triage does.
fn op_triage(doc: &Document, v: Variant) -> Vec<Edit> {
    let mut e = op_status(doc, v);
    e.extend(op_action(doc, v));
    e.extend(op_worklog(doc, v));
    e
}

type Op = fn(&Document, Variant) -> Vec<Edit>;
const OPS: &[(&str, Op)] = &[
    ("status", op_status),
    ("worklog", op_worklog),
    ("action", op_action),
    ("triage", op_triage),
];

fn golden_path(seed: &str, op: &str) -> PathBuf {
    let stem = Path::new(seed).file_stem().and_then(|s| s.to_str()).unwrap_or("x");
    root().join("tests/golden").join(format!("{stem}.{op}.md"))
}

fn check(expected_file: &Path, actual_lf: &str) -> Result<String, String> {
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(expected_file, actual_lf).map_err(|e| e.to_string())?;
    }
    let expected = std::fs::read_to_string(expected_file)
        .map_err(|e| format!("{}: {e} (run with UPDATE_GOLDEN=1)", expected_file.display()))?;
    if expected != actual_lf {
        let diff = similar::TextDiff::from_lines(expected.as_str(), actual_lf)
            .unified_diff()
            .header("expected", "actual")
            .to_string();
        return Err(format!("{} differs:\n{diff}", expected_file.display()));
    }
    Ok(expected)
}

#[test]
fn seeds_golden_in_every_variant() {
    let mut failures = Vec::new();
    for seed in SEEDS {
        let original = read(seed);
        for (name, op) in OPS {
            let file = golden_path(seed, name);
            let doc = Document::parse(seed, original.clone());
            let out = apply(&original, &op(&doc, Variant::Lf)).expect("apply");
            let expected = match check(&file, &out) {
                Ok(e) => e,
                Err(e) => {
                    failures.push(e);
                    continue;
                }
            };
            for v in VARIANTS {
                let text = v.apply(&original);
                let doc = Document::parse(seed, text.clone());
                let out = apply(&text, &op(&doc, v)).expect("apply");
                if out != v.apply(&expected) {
                    let want = v.apply(&expected);
                    let diff = similar::TextDiff::from_lines(&want, &out)
                        .unified_diff()
                        .header("expected", "actual")
                        .to_string();
                    failures.push(format!("{seed} {name} {v:?}:\n{diff}"));
                }
                // The edited document still reads, with its new status.
                let after = Document::parse(seed, out);
                if *name == "status" || *name == "triage" {
                    let want = findings::workflow::normalize_status(after.meta.kind, new_status(seed));
                    assert_eq!(after.meta.status, want, "{seed} {name} {v:?}");
                }
                assert!(
                    after.meta.problems.iter().all(|p| p.code != "invalid-yaml"),
                    "{seed} {name} {v:?}"
                );
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn action_on_030_resolves_to_adr_0105_option_a() {
    let seed = SEEDS[0];
    let doc = Document::parse(seed, read(seed));
    let own = action::options(&doc);
    let titles: Vec<&str> = own.iter().map(|o| o.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Database Unique Partial Index (Recommended)",
            "Wrap in Transaction with Serializable Isolation"
        ]
    );
    match match_action("upsert", &own, &adrs(Variant::Lf)) {
        ActionMatch::Adr(a, o) => {
            assert_eq!(a.id, "ADR-0105");
            assert_eq!((o.label.as_str(), o.title.as_str()), ("A", "Prisma upsert (preferred)"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn status_changes_are_one_line_diffs() {
    for seed in SEEDS {
        let original = read(seed);
        let expected = std::fs::read_to_string(golden_path(seed, "status")).expect("golden file");
        let diff = similar::TextDiff::from_lines(&original, &expected);
        let changed: Vec<_> = diff
            .iter_all_changes()
            .filter(|c| c.tag() != similar::ChangeTag::Equal)
            .collect();
        assert_eq!(changed.len(), 2, "{seed}: one line out, one line in");
    }
}

#[test]
fn supersede_adr_0105() {
    let old = Document::parse(ADR, read(ADR));
    let new = Document::parse(NEW_ADR_PATH, NEW_ADR.to_string());
    let old_link = findings::edit::relative_link(NEW_ADR_PATH, ADR);
    let new_link = findings::edit::relative_link(ADR, NEW_ADR_PATH);
    let (mut eo, en) = supersede::supersede(&old, &new, &old_link, &new_link).unwrap();
    eo.extend(status::set_status(&old, "superseded").unwrap());
    let o = apply(&old.text, &eo).unwrap();
    let n = apply(&new.text, &en).unwrap();
    let mut failures = Vec::new();
    for (file, out) in [
        (golden_path(ADR, "superseded"), &o),
        (golden_path(NEW_ADR_PATH, "supersedes"), &n),
    ] {
        if let Err(e) = check(&file, out) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let after = Document::parse(ADR, o);
    assert_eq!(after.meta.status, Some("superseded"));
}

// ---------------------------------------------------------------- corpus

fn corpus_files() -> Option<Vec<(String, PathBuf)>> {
    let dir = common::corpus_dir()?;
    let mut out = Vec::new();
    let mut stack = vec![dir.clone()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else { continue };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "md") {
                let rel = p
                    .strip_prefix(&dir)
                    .map(|r| r.to_string_lossy().replace('\\', "/"))
                    .unwrap_or_default();
                out.push((rel, p));
            }
        }
    }
    out.sort();
    Some(out)
}

fn corpus_docs() -> Option<Vec<Document>> {
    let files = corpus_files()?;
    let mut docs = Vec::new();
    for (rel, abs) in files {
        let Ok(bytes) = std::fs::read(&abs) else { continue };
        if let Ok(text) = document::decode(&rel, bytes) {
            docs.push(Document::parse(&rel, text));
        }
    }
    Some(docs)
}

/// The status as the file writes it (what `set_status` would write back).
fn written_status(doc: &Document) -> Option<String> {
    let at = doc.status_at.as_ref()?;
    match at.place {
        findings::document::fields::StatusPlace::FrontMatter => {
            doc.key("status").map(|k| k.text(&doc.text).into_owned())
        }
        _ => doc.text.get(at.word.clone()).map(str::to_string),
    }
}

#[test]
fn corpus_status_round_trips() {
    let Some(docs) = corpus_docs() else { return };
    let mut tried = 0;
    let mut failures = Vec::new();
    for doc in &docs {
        let Some(old) = written_status(doc) else { continue };
        let other = if old.eq_ignore_ascii_case("superseded") {
            "accepted"
        } else {
            "superseded"
        };
        let edits = match status::set_status(doc, other) {
            Ok(e) => e,
            Err(e) => {
                failures.push(format!("{}: {e}", doc.meta.path));
                continue;
            }
        };
        tried += 1;
        let changed = apply(&doc.text, &edits).expect("apply");
        let doc2 = Document::parse(&doc.meta.path, changed.clone());
        let Some(now) = written_status(&doc2) else {
            failures.push(format!("{}: status lost after the edit", doc.meta.path));
            continue;
        };
        if !now.eq_ignore_ascii_case(other) && !now.eq_ignore_ascii_case(&other.replace('_', " ")) {
            failures.push(format!("{}: wrote {other:?}, reads back {now:?}", doc.meta.path));
            continue;
        }
        let back = status::set_status(&doc2, &old).expect("status back");
        let restored = apply(&changed, &back).expect("apply back");
        // A second place that spelled the status differently (front matter
        // `completed`, body `**RESOLVED**`) comes back in the first's words.
        let same_words = doc
            .status_also
            .iter()
            .all(|v| doc.text[v.word.clone()].eq_ignore_ascii_case(&old));
        if restored != doc.text && same_words {
            failures.push(format!(
                "{}: {old:?} → {other:?} → {old:?} is not the original",
                doc.meta.path
            ));
        }
    }
    println!("status round trip on {tried} of {} corpus files", docs.len());
    assert!(tried > 100, "only {tried} corpus files have a status location");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn corpus_worklog_and_action_never_fail() {
    let Some(docs) = corpus_docs() else { return };
    for doc in &docs {
        let e = Entry {
            date: "2026-02-03".into(),
            author: "A | B".into(),
            action: "Triage".into(),
            details: "line one\nline | two".into(),
        };
        let edits = worklog::append(doc, &e);
        let out = apply(&doc.text, &edits).unwrap_or_else(|err| panic!("{}: {err}", doc.meta.path));
        assert!(out.len() > doc.text.len(), "{}", doc.meta.path);
        let after = Document::parse(&doc.meta.path, out);
        assert!(
            worklog::find(&after).is_some(),
            "{}: no work log after append",
            doc.meta.path
        );
        assert_eq!(after.meta.status, doc.meta.status, "{}", doc.meta.path);

        let m = match_action("upsert", &action::options(doc), &adrs(Variant::Lf));
        let text = recommended_action_text(&m, "upsert", &doc.meta.path);
        let edits = set_recommended_action(doc, &text, Existing::Keep, "2026-02-01").edits;
        let out = apply(&doc.text, &edits).unwrap_or_else(|err| panic!("{}: {err}", doc.meta.path));
        assert!(out.contains(&text), "{}", doc.meta.path);
        // Both together, computed on the same original.
        let mut all = worklog::append(doc, &e);
        all.extend(edits);
        apply(&doc.text, &all).unwrap_or_else(|err| panic!("{}: {err}", doc.meta.path));
    }
}
