//! "No original line is lost": every write operation (a status change to
//! each target, `log`, `triage` with and without `--action`, `supersede`
//! for ADRs) run in-process on a temporary copy of every corpus file and
//! every fixture keeps each line of the original in the result, as a
//! multiset of lines (CRLF or LF alike). The only lines allowed to go are
//! the status value's own line(s), a replaced placeholder (Recommended
//! Action, `**Superseded by**: -`, an empty `resolved:` key).
//!
//! The corpus is `../shared/corpus`: under `CI=true` a missing corpus is a
//! failure, elsewhere a skip with a printed reason.

mod common;
use findings::document::sections;
use findings::document::{Document, Kind};
use findings::edit::action::is_placeholder;
use findings::ops::{self, LogRequest, StatusRequest, TriageRequest, WriteOpts};
use findings::store::config::Config;
use findings::store::Repo;
use std::collections::HashMap;
use std::fs;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

fn corpus() -> Option<PathBuf> {
    common::corpus_dir()
}

/// Every `*.md` under `root` as (path relative to its repository folder,
/// contents), the repository folder being the first component.
fn corpus_files(root: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        let Ok(rd) = fs::read_dir(dir) else { return };
        let mut entries: Vec<_> = rd.flatten().collect();
        entries.sort_by_key(|e| e.path());
        for e in entries {
            let p = e.path();
            if p.is_dir() {
                walk(root, &p, out);
            } else if p.extension().is_some_and(|x| x == "md") {
                if let (Ok(rel), Ok(bytes)) = (p.strip_prefix(root), fs::read(&p)) {
                    let rel = rel.to_string_lossy().replace('\\', "/");
                    // Drop the `owner__repo/` component.
                    let inside = rel.split_once('/').map(|(_, r)| r.to_string()).unwrap_or(rel);
                    out.push((inside, bytes));
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out
}

/// The fixtures of `tests/fixtures/edit/` (each keeps the folder its
/// family lives in: `todos/…`, `adr/…`, `findings/…`).
fn fixture_files() -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/edit");
    let mut out = Vec::new();
    for family in ["todos", "findings", "adr"] {
        let Ok(rd) = fs::read_dir(root.join(family)) else {
            continue;
        };
        let mut names: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
        names.sort();
        for p in names {
            if let (Some(name), Ok(bytes)) = (p.file_name(), fs::read(&p)) {
                out.push((format!("{family}/{}", name.to_string_lossy()), bytes));
            }
        }
    }
    out
}

/// Lines without their ending (`\r\n` or `\n`).
fn lines_of(s: &str) -> Vec<&str> {
    s.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect()
}

/// The new ADR a superseded one points to.
const NEW_ADR: &str = "# 9999. Replacement decision\n\nDate: 2026-01-01\n\n## Status\n\nAccepted\n\n## Context\n\nc\n";

#[derive(Debug, Clone)]
enum Op {
    Status(String),
    Log,
    Triage,
    TriageAction(&'static str),
    TriageReplace(&'static str),
    Supersede,
}

struct Case {
    rel: String,
    op: Op,
}

/// A fresh repository holding `rel` (and the replacement ADR), the folders
/// set so discovery finds exactly them.
fn setup(dir: &Path, rel: &str, bytes: &[u8]) -> Repo {
    let abs = dir.join(rel);
    fs::create_dir_all(abs.parent().unwrap()).unwrap();
    fs::write(&abs, bytes).unwrap();
    let folder = rel.rsplit_once('/').map(|(d, _)| d.to_string()).unwrap_or_default();
    let mut folders = vec![if folder.is_empty() { ".".to_string() } else { folder }];
    let new_adr = dir.join("zz-new-adr/adr/9999-replacement-decision.md");
    fs::create_dir_all(new_adr.parent().unwrap()).unwrap();
    fs::write(&new_adr, NEW_ADR).unwrap();
    folders.push("zz-new-adr/adr".into());
    let config = Config {
        folders: Some(folders),
        ..Config::default()
    };
    Repo::open_with(dir, config)
}

fn opts() -> WriteOpts {
    WriteOpts {
        no_commit: true,
        force: true,
        author: Some("Prop Tester".into()),
        today: Some("2026-02-01".into()),
        now: Some("2026-02-01T00:00:00Z".into()),
        ..WriteOpts::default()
    }
}

/// The operations to try on a document.
fn ops_for(doc: &Document) -> Vec<Op> {
    let kind = doc.meta.kind;
    let wf = findings::workflow::Workflow::default_for(kind);
    let mut out: Vec<Op> = wf
        .statuses
        .iter()
        .filter(|s| Some(s.as_str()) != doc.meta.status)
        .filter(|s| !(kind == Kind::Adr && s.as_str() == "superseded"))
        .map(|s| Op::Status(s.clone()))
        .collect();
    out.extend([
        Op::Log,
        Op::Triage,
        Op::TriageAction("A"),
        Op::TriageAction("Use a queue and retry the write"),
        Op::TriageReplace("B"),
    ]);
    if kind == Kind::Adr {
        out.push(Op::Supersede);
    }
    out
}

/// Run `op` on the copy of `rel`; the new text (and path) or why not.
fn run(dir: &Path, rel: &str, bytes: &[u8], op: &Op) -> Result<Option<String>, String> {
    let repo = setup(dir, rel, bytes);
    let o = opts();
    // A document already at its triage status is triaged to another one,
    // so its Recommended Action is still exercised.
    let to = repo.resolve(rel).ok().and_then(|m| {
        let wf = findings::workflow::Workflow::default_for(m.kind);
        (m.status == Some(wf.triage_to.as_str()))
            .then(|| wf.statuses.iter().find(|s| Some(s.as_str()) != m.status).cloned())
            .flatten()
    });
    let res = match op {
        Op::Status(to) => ops::set_status(
            &repo,
            &StatusRequest {
                id: rel.to_string(),
                to: to.clone(),
                reason: Some("a reason".into()),
                ..StatusRequest::default()
            },
            &o,
        ),
        Op::Log => ops::log(
            &repo,
            &LogRequest {
                id: rel.to_string(),
                action: "Checked again".into(),
                learnings: Some("still there".into()),
            },
            &o,
        ),
        Op::Triage => ops::triage(
            &repo,
            &TriageRequest {
                id: rel.to_string(),
                to: to.clone(),
                note: Some("a note".into()),
                ..TriageRequest::default()
            },
            &o,
        ),
        Op::TriageAction(a) => ops::triage(
            &repo,
            &TriageRequest {
                id: rel.to_string(),
                to: to.clone(),
                action: Some(a.to_string()),
                note: Some("a note".into()),
                ..TriageRequest::default()
            },
            &o,
        ),
        Op::TriageReplace(a) => ops::triage(
            &repo,
            &TriageRequest {
                id: rel.to_string(),
                to: to.clone(),
                action: Some(a.to_string()),
                replace: true,
                ..TriageRequest::default()
            },
            &o,
        ),
        Op::Supersede => ops::supersede(&repo, rel, "zz-new-adr/adr/9999-replacement-decision.md", None, &o),
    };
    match res {
        Ok(out) => {
            let bytes = fs::read(dir.join(out.path())).map_err(|e| format!("cannot read the result: {e}"))?;
            Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
        }
        Err(e) => Err(e.to_string()),
    }
}

/// The original lines that may go: the status value's line(s), a replaced
/// placeholder, an empty `resolved:` key.
fn may_go(doc: &Document, op: &Op, line: &str, added: &[&str]) -> bool {
    let low = line.to_lowercase();
    let key = low.trim_start().trim_start_matches(['-', '*', '|', '#', ' ', '_']);
    let raw = doc.meta.status_raw.as_deref().unwrap_or("").trim().to_lowercase();
    let status_line = key.starts_with("status")
        || key.starts_with("estado")
        // A status line such as `## Status: Proposed` or `**PROPOSED**`.
        || (!raw.is_empty() && low.contains(&raw) && line.trim().len() <= raw.len() + 40);
    if status_line && added.iter().any(|a| rewritten(line, a)) {
        return true;
    }
    if key.starts_with("resolved:") && matches!(key["resolved:".len()..].trim(), "" | "null" | "~" | "''" | "\"\"") {
        return true;
    }
    if matches!(op, Op::Supersede) && low.replace(['_', '-'], " ").contains("superseded by") {
        let value = low.rsplit(['|', ':']).find(|v| !v.trim().is_empty()).unwrap_or("");
        let v = value
            .split(" #")
            .next()
            .unwrap_or("")
            .trim()
            .trim_matches(['*', '_', ' ', '|']);
        if matches!(v, "" | "-" | "—" | "n/a" | "none" | "tbd" | "null" | "~") {
            return true;
        }
    }
    if matches!(op, Op::TriageAction(_) | Op::TriageReplace(_)) {
        if let Some(sec) = doc.sections.iter().find(|s| {
            sections::normalize_title(&s.title)
                .to_lowercase()
                .starts_with("recommended action")
        }) {
            let own = &doc.text[sec.content.clone()];
            if is_placeholder(own) && lines_of(own).contains(&line) {
                return true;
            }
        }
    }
    false
}

/// The original lines missing from `after` (multiset), less those allowed.
/// `after` is `before` with only a short span in the middle changed (the
/// status value), the rest kept.
fn rewritten(before: &str, after: &str) -> bool {
    let (b, a) = (before.as_bytes(), after.as_bytes());
    let prefix = b.iter().zip(a).take_while(|(x, y)| x == y).count();
    let room = b.len().min(a.len()) - prefix;
    let suffix = b
        .iter()
        .rev()
        .zip(a.iter().rev())
        .take(room)
        .take_while(|(x, y)| x == y)
        .count();
    b.len() - prefix - suffix <= 40
}

fn lost_lines(doc: &Document, op: &Op, after: &str) -> Vec<String> {
    let mut have: HashMap<&str, usize> = HashMap::new();
    for l in lines_of(after) {
        *have.entry(l).or_default() += 1;
    }
    let mut missing = Vec::new();
    for l in lines_of(&doc.text) {
        match have.get_mut(l) {
            Some(n) if *n > 0 => *n -= 1,
            _ => missing.push(l),
        }
    }
    // The result's lines that are not the original's.
    let added: Vec<&str> = lines_of(after)
        .into_iter()
        .filter(|l| match have.get_mut(l) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        })
        .collect();
    missing
        .into_iter()
        .filter(|l| !may_go(doc, op, l, &added))
        .map(str::to_string)
        .collect()
}

#[derive(Default)]
struct Tally {
    cases: usize,
    written: usize,
    refused: usize,
    failures: Vec<String>,
}

/// Every operation on every file, the files spread over the cores.
fn check_all(files: &[(String, Vec<u8>)], tally: &mut Tally) {
    use rayon::prelude::*;
    let parts: Vec<Tally> = files
        .par_iter()
        .map(|f| {
            let mut t = Tally::default();
            check_file(f, &mut t);
            t
        })
        .collect();
    for p in parts {
        tally.cases += p.cases;
        tally.written += p.written;
        tally.refused += p.refused;
        tally.failures.extend(p.failures);
    }
}

fn check_file((rel, bytes): &(String, Vec<u8>), tally: &mut Tally) {
    let Ok(text) = findings::document::decode(rel, bytes.clone()) else {
        return;
    };
    let doc = Document::parse(rel, text);
    for op in ops_for(&doc) {
        let case = Case {
            rel: rel.clone(),
            op: op.clone(),
        };
        tally.cases += 1;
        let dir = tempfile::tempdir().unwrap();
        let got = catch_unwind(AssertUnwindSafe(|| run(dir.path(), rel, bytes, &op)));
        match got {
            Err(_) => tally.failures.push(format!("{} {:?}: panicked", case.rel, case.op)),
            Ok(Err(e)) => {
                tally.refused += 1;
                if std::env::var_os("SHOW_REFUSALS").is_some() {
                    println!("refused {} {:?}: {e}", case.rel, case.op);
                }
            }
            Ok(Ok(None)) => {}
            Ok(Ok(Some(after))) => {
                tally.written += 1;
                let lost = lost_lines(&doc, &op, &after);
                if !lost.is_empty() {
                    tally.failures.push(format!(
                        "{} {:?}: lost {} line(s), first {:?}",
                        case.rel,
                        case.op,
                        lost.len(),
                        lost[0]
                    ));
                }
            }
        }
    }
}

fn report(what: &str, t: &Tally) {
    println!(
        "{what}: {} cases ({} written, {} refused), {} lost a line",
        t.cases,
        t.written,
        t.refused,
        t.failures.len()
    );
    for f in &t.failures {
        println!("  {f}");
    }
}

#[test]
fn no_corpus_line_is_lost_by_any_operation() {
    let Some(root) = corpus() else { return };
    let files = corpus_files(&root);
    assert!(files.len() >= 200, "only {} corpus files", files.len());
    let mut t = Tally::default();
    check_all(&files, &mut t);
    report("corpus", &t);
    assert!(t.failures.is_empty(), "{} corpus cases lost a line", t.failures.len());
}

#[test]
fn no_fixture_line_is_lost_by_any_operation() {
    let files = fixture_files();
    let mut t = Tally::default();
    check_all(&files, &mut t);
    report("fixtures", &t);
    assert!(t.failures.is_empty(), "{} fixture cases lost a line", t.failures.len());
}

/// Triage `rel` of the fixtures with `--action` (and `--replace`); the new text.
fn triage_fixture(rel: &str, action: &str, replace: bool) -> String {
    let bytes = fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/edit")
            .join(rel),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let repo = setup(dir.path(), rel, &bytes);
    let out = ops::triage(
        &repo,
        &TriageRequest {
            id: rel.to_string(),
            action: Some(action.into()),
            replace,
            ..TriageRequest::default()
        },
        &opts(),
    )
    .unwrap();
    fs::read_to_string(dir.path().join(out.path())).unwrap()
}

#[test]
fn an_action_someone_wrote_is_kept_and_the_adopted_one_follows() {
    let out = triage_fixture("todos/001-pending-p1-action-already-written.md", "B", false);
    let want = "  - with a bullet\n\n**Adopted at triage (2026-02-01):** Adopt Option B: Server-side rate limit.\n\n## Work Log";
    assert!(out.contains(want), "{out}");
    assert!(
        out.contains("Keep the backoff we sketched:\n\n```rust\nlet delay"),
        "{out}"
    );
}

#[test]
fn a_replaced_action_survives_verbatim_below_the_new_one() {
    let rel = "todos/001-pending-p1-action-already-written.md";
    let out = triage_fixture(rel, "B", true);
    let want = "## Recommended Action\n\nAdopt Option B: Server-side rate limit.\n\n### Previous recommended action (replaced 2026-02-01)\n\nKeep the backoff we sketched:\n\n```rust\nlet delay = base * 2u32.pow(attempt);\n```\n\n    and indent the follow-up notes\n  - with a bullet\n\n## Work Log";
    assert!(out.contains(want), "{out}");
    // The work log says so without squeezing the old text into a cell.
    let row = out.lines().last().unwrap();
    assert!(row.contains("Replaced the previous recommended action"), "{row}");
    assert!(!row.contains("backoff"), "{row}");
    // A table in the section is kept whole, never flattened.
    let out = triage_fixture(
        "findings/DATA-003-open-P2-action-in-a-table.md",
        "Use optimistic locking",
        true,
    );
    assert!(
        out.contains("| 1 | Add a version column |\n| 2 | Compare-and-swap on save |"),
        "{out}"
    );
}

#[test]
fn a_placeholder_is_replaced() {
    let out = triage_fixture("todos/002-pending-p2-action-placeholder.md", "1", false);
    assert!(!out.contains("To be filled"), "{out}");
    assert!(
        out.contains("## Recommended Action\n\nAdopt Option 1: Cache the lookup.\n"),
        "{out}"
    );
}

/// `findings status REL TO [--note NOTE]` on a copy of a fixture: the new
/// text and the commit message.
fn status_fixture(rel: &str, to: &str, note: Option<&str>) -> (String, String) {
    let bytes = fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/edit")
            .join(rel),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let repo = setup(dir.path(), rel, &bytes);
    let out = ops::set_status(
        &repo,
        &StatusRequest {
            id: rel.to_string(),
            to: to.into(),
            note: note.map(str::to_string),
            ..StatusRequest::default()
        },
        &opts(),
    )
    .unwrap();
    (fs::read_to_string(dir.path().join(out.path())).unwrap(), out.message)
}

#[test]
fn a_document_without_a_work_log_gets_none_unless_a_note_asks() {
    let rel = "adr/0001-record-without-a-work-log.md";
    let before = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/edit")
            .join(rel),
    )
    .unwrap();
    let (after, msg) = status_fixture(rel, "accepted", None);
    assert_eq!(after, before.replace("\nProposed\n", "\nAccepted\n"));
    assert!(
        msg.starts_with("findings(ADR-0001): status proposed → accepted\n"),
        "{msg}"
    );
    let (after, _) = status_fixture(rel, "accepted", Some("agreed in review"));
    assert!(after.contains("## Work Log\n"), "{after}");
    assert!(after.contains("agreed in review"), "{after}");
    // A document with a log keeps getting entries.
    let (after, _) = status_fixture("adr/0002-record-with-a-work-log.md", "accepted", None);
    assert!(
        after
            .ends_with("- 2026-01-04 — proposed by Ana\n- 2026-02-01 — Status: proposed → accepted (by Prop Tester)\n"),
        "{after}"
    );
}

/// Run `op` on a copy of a fixture; the new text.
fn fixture_op(rel: &str, op: &Op) -> String {
    let bytes = fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/edit")
            .join(rel),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    run(dir.path(), rel, &bytes, op).unwrap().unwrap()
}

#[test]
fn an_unclosed_fence_moves_no_text_and_adds_no_second_work_log() {
    let rel = "todos/003-pending-p2-unclosed-fence.md";
    let out = fixture_op(rel, &Op::Log);
    assert_eq!(out.matches("## Work Log").count(), 1, "{out}");
    assert!(
        out.ends_with(
            "| 2026-01-06 | Found | the fence |\n| 2026-02-01 | Checked again (by Prop Tester) | still there |\n"
        ),
        "{out}"
    );
    let out = fixture_op(rel, &Op::TriageAction("Restart the worker and add a health probe"));
    assert_eq!(out.matches("## Work Log").count(), 1, "{out}");
    assert!(
        out.contains("Restart the worker.\n\n**Adopted at triage (2026-02-01):** Restart the worker and add a health probe\n\n## Work Log"),
        "{out}"
    );
    // A mis-nested fence: the option after it is still an option, the log
    // gets its block.
    let rel = "todos/004-pending-p3-nested-fence.md";
    let out = fixture_op(rel, &Op::TriageAction("A"));
    assert!(out.contains("Adopt Option A: Rewrite the template."), "{out}");
    assert_eq!(out.matches("## Work Log").count(), 1, "{out}");
    assert!(
        out.contains("- spotted the nesting\n\n### 2026-02-01 - Triage: pending → ready"),
        "{out}"
    );
}

#[test]
fn supersede_fills_the_placeholder_field() {
    let out = fixture_op("adr/0006-front-matter-link-key.md", &Op::Supersede);
    assert!(
        out.starts_with(
            "---\nstatus: superseded\nsuperseded_by: \"../zz-new-adr/adr/9999-replacement-decision.md\" # filled in when replaced\n"
        ),
        "{out}"
    );
    assert_eq!(out.matches("uperseded by").count(), 0, "{out}");
    let out = fixture_op("adr/0003-poll-the-queue.md", &Op::Supersede);
    assert_eq!(out.matches("Superseded by").count(), 1, "{out}");
    assert!(
        out.contains("**Status**: Superseded\n**Date**: 2026-01-05\n**Superseded by**: [9999. Replacement decision]("),
        "{out}"
    );
}

#[test]
fn action_on_an_adr_adopts_its_own_option() {
    let out = fixture_op("adr/0005-cockpit-surface.md", &Op::TriageAction("B"));
    assert!(out.contains("Adopt Option B: Cherry-pick components."), "{out}");
    assert!(out.contains("**Status:** Accepted"), "{out}");
    let out = fixture_op("adr/0004-event-transport.md", &Op::TriageAction("B"));
    assert!(out.contains("Adopt Option B: Apache Kafka - heavy, proven."), "{out}");
    let out = fixture_op("adr/0004-event-transport.md", &Op::TriageAction("redis"));
    assert!(out.contains("Adopt Option C: Redis Streams - simple."), "{out}");
}

// ------------------------------------------------------------------ proptest

use proptest::prelude::*;

/// One generated body part: sections, fences (closed, unclosed, nested),
/// tables, placeholders, work logs in each style.
fn part() -> impl Strategy<Value = &'static str> {
    proptest::sample::select(vec![
        "## Problem\n\nIt breaks under load.",
        "## Recommended Action\n\n[To be filled during triage]",
        "## Recommended Action\n\nShard the queue.\n\n    indented detail\n  - bullet",
        "## Recommended Action",
        "## Recommended Action\n\n```sh\nrm -rf cache\n```",
        "## Proposed Solutions\n\n### Option A: Shard the queue\n\nSplit it.\n\n### Option B: Bigger box\n\nScale up.",
        "## Considered Options\n\n* Shard the queue\n* Bigger box",
        "## Work Log\n\n| Date | Action | Learnings |\n|------|--------|-----------|\n| 2026-01-01 | Found | load |",
        "## Work Log\n\n### 2026-01-01 - Found\n\n**By:** Bot\n\n**Actions:**\n- found",
        "## Work Log",
        "## Work Log\n\n- 2026-01-01: found",
        "```bash\necho never closed",
        "```markdown\n## Inner\n```python\nx = 1\n```\n```",
        "````\n```\n## Not a section\n```\n````",
        "| a | b |\n|---|---|\n| 1 | 2 |",
        "**Superseded by**: -",
        "## Resources\n\n- [link](x.md)",
        "Plain paragraph.\n",
        "└──┘ — naïve ünïcode ~~~ `x`",
        "",
    ])
}

fn generated() -> impl Strategy<Value = (String, String)> {
    (
        proptest::collection::vec(part(), 0..8),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(parts, adr, crlf, final_nl)| {
            let (rel, head) = if adr {
                ("adr/0007-generated.md", "# 7. Generated\n\n## Status\n\nProposed\n")
            } else {
                (
                    "todos/007-pending-p2-generated.md",
                    "---\nstatus: pending\npriority: p2\nissue_id: \"007\"\n---\n\n# Generated\n",
                )
            };
            let mut text = head.to_string();
            for p in parts {
                text.push('\n');
                text.push_str(p);
                text.push('\n');
            }
            if !final_nl {
                text = text.trim_end_matches('\n').to_string();
            }
            if crlf {
                text = text.replace('\n', "\r\n");
            }
            (rel.to_string(), text)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn generated_documents_lose_no_line((rel, text) in generated()) {
        let doc = Document::parse(&rel, text.clone());
        for op in ops_for(&doc) {
            let dir = tempfile::tempdir().unwrap();
            let got = catch_unwind(AssertUnwindSafe(|| run(dir.path(), &rel, text.as_bytes(), &op)));
            prop_assert!(got.is_ok(), "{op:?} panicked on {text:?}");
            if let Ok(Ok(Some(after))) = got {
                let lost = lost_lines(&doc, &op, &after);
                prop_assert!(lost.is_empty(), "{op:?} lost {lost:?}\n--- before\n{text}\n--- after\n{after}");
                // Never a second Work Log where there was one. (A Work Log
                // heading inside a block CommonMark pairs as closed code,
                // e.g. ```` ```bash ```` … ```` ```` ````, is code: a new section is
                // right there.)
                let logs = |s: &str| {
                    Document::parse(&rel, s.to_string())
                        .sections
                        .iter()
                        .filter(|s| s.title == "Work Log")
                        .count()
                };
                prop_assert!(logs(&after) <= logs(&text).max(1), "{op:?} added a second Work Log\n{after}");
            }
        }
    }
}
