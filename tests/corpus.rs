//! Corpus tests: the real-world sample files in `../shared/corpus`.
//!
//! Every `.md` file loads without a panic; unchanged documents serialize back
//! byte-identical (as found, CRLF-converted and BOM-prefixed); a labelled set
//! of files across every style (and every edge case in `NOTES.tsv`) parses to
//! what a careful reader expects; and the whole corpus opened as one
//! repository reports its known problems. A missing corpus fails under
//! `CI=true`; elsewhere the tests print why and pass.

mod common;

use findings::document::{self, Document, Kind};
use findings::store::config::Config;
use findings::store::Repo;
use std::collections::BTreeSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

fn corpus() -> Option<PathBuf> {
    common::corpus_dir()
}

/// Every `*.md` under `root` (hidden directories included), sorted, as
/// (absolute path, `/`-separated relative path).
fn md_files(root: &Path) -> Vec<(PathBuf, String)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(PathBuf, String)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .flatten()
            .collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let p = e.path();
            let Ok(ft) = e.file_type() else { continue };
            if ft.is_dir() {
                walk(root, &p, out);
            } else if ft.is_file() && p.extension().is_some_and(|x| x == "md") {
                out.push((p.clone(), findings::store::relative(root, &p)));
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out
}

/// Every span a document holds must lie inside its text on character
/// boundaries, so nothing that slices with them later can panic.
fn check_spans(doc: &Document) -> Result<(), String> {
    let t = &doc.text;
    let ok = |r: &std::ops::Range<usize>| r.start <= r.end && t.get(r.clone()).is_some();
    let spans = common::spans(doc);
    match spans.iter().find(|r| !ok(r)) {
        Some(r) => Err(format!("span {r:?} is not inside the text ({} bytes)", t.len())),
        None => Ok(()),
    }
}

#[test]
fn every_file_loads_without_a_panic() {
    let Some(root) = corpus() else { return };
    let files = md_files(&root);
    assert!(files.len() >= 200, "only {} files in the corpus", files.len());
    let mut failures = Vec::new();
    let (mut loaded, mut unreadable) = (0, 0);
    for (abs, rel) in &files {
        match catch_unwind(AssertUnwindSafe(|| findings::store::load(abs, rel))) {
            Err(_) => failures.push(format!("{rel}: panicked")),
            Ok(Err(u)) => {
                unreadable += 1;
                println!("{rel}: unreadable: {u}");
            }
            Ok(Ok(doc)) => {
                loaded += 1;
                if let Err(e) = check_spans(&doc) {
                    failures.push(format!("{rel}: {e}"));
                }
                let lines = doc.text.lines().count() + 1;
                for p in &doc.meta.problems {
                    if p.path != *rel || p.line > lines {
                        failures.push(format!("{rel}: problem out of range: {p}"));
                    }
                }
            }
        }
    }
    println!("{loaded} loaded, {unreadable} unreadable, {} files", files.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn to_crlf(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(b.len() + b.len() / 32);
    for (i, &c) in b.iter().enumerate() {
        if c == b'\n' && (i == 0 || b[i - 1] != b'\r') {
            out.push(b'\r');
        }
        out.push(c);
    }
    out
}

fn with_bom(b: &[u8]) -> Vec<u8> {
    let mut out = b"\xef\xbb\xbf".to_vec();
    out.extend_from_slice(b.strip_prefix(b"\xef\xbb\xbf").unwrap_or(b));
    out
}

/// What must not change when only line endings or a BOM change.
fn summary(d: &Document) -> String {
    let m = &d.meta;
    let codes: Vec<_> = m.problems.iter().map(|p| (p.code, p.line)).collect();
    format!(
        "{:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {codes:?}",
        m.kind, m.id, m.title, m.status, m.status_raw, m.status_place, m.priority, m.severity, m.tags, m.created
    )
}

#[test]
fn unchanged_documents_round_trip_byte_identical() {
    let Some(root) = corpus() else { return };
    let mut failures = Vec::new();
    let mut checked = 0;
    for (abs, rel) in md_files(&root) {
        let bytes = std::fs::read(&abs).unwrap();
        let Ok(doc) = findings::store::load(&abs, &rel) else {
            continue;
        };
        if doc.text.as_bytes() != bytes.as_slice() {
            failures.push(format!("{rel}: text differs from the file"));
        }
        let base = summary(&doc);
        for (name, variant) in [("crlf", to_crlf(&bytes)), ("bom", with_bom(&bytes))] {
            let text = match document::decode(&rel, variant.clone()) {
                Ok(t) => t,
                Err(e) => {
                    failures.push(format!("{rel} ({name}): no longer decodes: {e}"));
                    continue;
                }
            };
            let d = Document::parse(&rel, text);
            checked += 1;
            if d.text.as_bytes() != variant.as_slice() {
                failures.push(format!("{rel} ({name}): text differs"));
            }
            if let Err(e) = check_spans(&d) {
                failures.push(format!("{rel} ({name}): {e}"));
            }
            let s = summary(&d);
            if s != base {
                failures.push(format!(
                    "{rel} ({name}): metadata changed\n  lf:  {base}\n  {name}: {s}"
                ));
            }
        }
    }
    println!("{checked} variants checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The expected status: canonical, or unknown with the raw value, or none.
#[derive(Debug, Clone, Copy)]
enum St {
    Is(&'static str),
    Raw(&'static str),
    Absent,
}

struct Label {
    path: &'static str,
    kind: Kind,
    id: &'static str,
    status: St,
    title: &'static str,
    /// Problem codes the document itself reports (sorted, deduplicated).
    codes: &'static [&'static str],
}

const fn l(
    path: &'static str,
    kind: Kind,
    id: &'static str,
    status: St,
    title: &'static str,
    codes: &'static [&'static str],
) -> Label {
    Label {
        path,
        kind,
        id,
        status,
        title,
        codes,
    }
}

use Kind::{Adr, Finding, Todo};
use St::{Absent, Is, Raw};

const ARDE: &str = "Ardeagency__AI_Smart_Content/docs/task/";

/// Expectations written from reading each file, not from the parser.
const LABELS: &[Label] = &[
    // --- todo: compound-engineering file-todos and relatives ---
    l(
        "newbiet21379__billing-backend/todos/001-pending-p1-initialize-git-and-project-structure.md",
        Todo,
        "001",
        Is("pending"),
        "Initialize Git Repository and Project Structure",
        &[],
    ),
    l(
        "newbiet21379__billing-backend/todos/002-completed-p1-create-docker-compose-configuration.md",
        Todo,
        "002",
        Is("complete"),
        "Create Docker Compose Configuration",
        &[],
    ),
    l(
        "newbiet21379__billing-backend/todos/000-pending-p1-TEMPLATE.md",
        Todo,
        "TEMPLATE",
        Is("pending"),
        "[Issue Title]",
        &[],
    ),
    l(
        "EveryInc__compound-engineering-plugin/plugins/compound-engineering/skills/file-todos/assets/todo-template.md",
        Todo,
        "XXX",
        Is("pending"),
        "Brief Task Title",
        &[],
    ),
    // File name says pending, folder says completed/, front matter says resolved.
    l(
        "johnneerdael__wled-home-assistant/todos/completed/001-pending-p1-wled-api-connection-issue.md",
        Todo,
        "001",
        Is("complete"),
        "WLED API Client Connection Handling Issue",
        &["status-mismatch"],
    ),
    l(
        "johnneerdael__wled-home-assistant/todos/007-pending-p1-fix-wled-nonetype-error.md",
        Todo,
        "007",
        Is("complete"),
        "Fix WLED NoneType Error in Status Validation",
        &["status-mismatch"],
    ),
    // No status segment in the name; front matter says resolved.
    l(
        "johnneerdael__wled-home-assistant/todos/008-p1-simplify-wled-http-client.md",
        Todo,
        "008",
        Is("complete"),
        "Simplify WLED HTTP Client Architecture",
        &[],
    ),
    // No front matter, `**Status:** RESOLVED`, no final newline.
    l(
        "johnneerdael__wled-home-assistant/todos/014-completed-p1-missing-playlist-method.md",
        Todo,
        "014",
        Is("complete"),
        "TODO: P1 - Fix Missing WLEDPlaylist.from_playlist_response Method",
        &[],
    ),
    // `## Status` with a checkbox list.
    l(
        "Nissimmiracles__versatil-sdlc-framework/todos/backlog/012-pending-p1-context-management-audit.md",
        Todo,
        "012",
        Is("pending"),
        "Context Management Audit & Library claude.md Design - P1",
        &[],
    ),
    l(
        "Nissimmiracles__versatil-sdlc-framework/todos/backlog/013-pending-p1-create-library-context-files.md",
        Todo,
        "013",
        Is("pending"),
        "Create Library claude.md Context Files (Top 15) - P1",
        &[],
    ),
    l(
        "Nissimmiracles__versatil-sdlc-framework/todos/backlog/013-pending-p1-guardian-ml-workflow-implementation-validation.md",
        Todo,
        "013",
        Is("pending"),
        "ML Workflow Automation Implementation - Full Context Validation",
        &[],
    ),
    // Name says resolved, the body's checked box says In Progress: the body
    // wins and the disagreement is reported.
    l(
        "Nissimmiracles__versatil-sdlc-framework/todos/archive/resolved-2025-10/001-resolved-enhance-plan-command.md",
        Todo,
        "001",
        Is("ready"),
        "Enhance /plan Command with Compounding Engineering Patterns - P1",
        &["status-mismatch"],
    ),
    // "template" in the middle of the name: a real todo, not a template. Its
    // single unchecked box is the status.
    l(
        "Nissimmiracles__versatil-sdlc-framework/todos/archive/resolved-2025-10/009-resolved-integrate-template-matcher-service.md",
        Todo,
        "009",
        Is("pending"),
        "Integrate Template Matcher Service into /plan Command - P1",
        &["status-mismatch"],
    ),
    l(
        "Nissimmiracles__versatil-sdlc-framework/todos/archive/resolved-2025-10/012-resolved-guardian-three-layer-verification-v7-8-0.md",
        Todo,
        "012",
        Is("complete"),
        "Guardian Three-Layer Context Verification System (v7.8.0) - P1",
        &[],
    ),
    l(
        "Nissimmiracles__versatil-sdlc-framework/todos/000-pending-p1-TEMPLATE.md",
        Todo,
        "000",
        Is("pending"),
        "{{TITLE}}",
        &[],
    ),
    // Generated agent findings in todos/ (PROVENANCE.tsv labels them
    // findings): an `id` with the agent that raised it makes a finding
    // wherever it lives. The ID is the front matter's `id`; there is no
    // status anywhere (a `status: 200,` deep in a pasted log is not one).
    l(
        "Nissimmiracles__versatil-sdlc-framework/todos/deferred/enhancement-security-critical-1761757665812-ig07.md",
        Finding,
        "enhancement-security-1761757665807-bwkc",
        Absent,
        "🚀 Enhancement Suggestion - Auto-fix security vulnerabilities",
        &[],
    ),
    l(
        "Nissimmiracles__versatil-sdlc-framework/todos/guardian-combined-marcus-backend-low-1763460419470-1h0f.md",
        Finding,
        "Marcus-Backend-low-1763460419470",
        Absent,
        "🛡\u{fe0f} Guardian Health Check - Marcus-Backend",
        &[],
    ),
    // --- finding: Ardeagency (Spanish, `owner: -` breaks the YAML) ---
    l(
        "Ardeagency__AI_Smart_Content/docs/task/DATA-001-configure-competitor-entities.md",
        Finding,
        "DATA-001",
        Is("open"),
        "Faltan intelligence_entities competidoras → 4 tablas vacías",
        &["invalid-yaml"],
    ),
    l(
        "Ardeagency__AI_Smart_Content/docs/task/BUG-005-legacy-audiences-brands-references.md",
        Finding,
        "BUG-005",
        Raw("nearly-done"),
        "Frontend consulta tablas legacy `audiences` y `brands` (drop incompleto)",
        &["invalid-yaml", "unknown-status"],
    ),
    l(
        "Ardeagency__AI_Smart_Content/docs/task/BUG-005-semantic-search-vector-index-unused.md",
        Finding,
        "BUG-005",
        Is("open"),
        "Indice vectorial ai_brand_vectors_embedding_idx nunca escaneado — verificar busqueda semantica",
        &[],
    ),
    l(
        "Ardeagency__AI_Smart_Content/docs/task/FEAT-016-tendencias-engine-refactor.md",
        Finding,
        "FEAT-016",
        Is("resolved"),
        "Refactor del motor de búsqueda de tendencias (audience_demand + targeted_trends)",
        &["invalid-yaml"],
    ),
    l(
        "Ardeagency__AI_Smart_Content/docs/task/FEAT-031-dev-portal-iteration-2026-05-22.md",
        Finding,
        "FEAT-031",
        Raw("deployed_pending_backend"),
        "Dev portal iteration 2026-05-22 — Ficha builder + Studio canvas + 3 paginas nuevas + provisioning wizard",
        &["unknown-status"],
    ),
    l(
        "Ardeagency__AI_Smart_Content/docs/task/SEC-001-auditar-rpcs-panel-dev.md",
        Finding,
        "SEC-001",
        Is("open"),
        "Auditar las 11 RPCs que el panel /dev llama directo",
        &[],
    ),
    l(
        "Ardeagency__AI_Smart_Content/docs/task/REFACTOR-brandstorage-deadcode.md",
        Finding,
        "REFACTOR-brandstorage",
        Is("open"),
        "BrandstorageView — estado cargado pero nunca leido",
        &[],
    ),
    l(
        "Ardeagency__AI_Smart_Content/docs/task/reference/AUDIT-004-premium-saas-tier1-brands-2026-05-13.md",
        Finding,
        "AUDIT-004",
        Is("open"),
        "Premium SaaS readiness para marcas Tier-1 (Coca-Cola, Oster, Postobón) — análisis estratégico multi-tenant + escalabilidad",
        &[],
    ),
    // No front matter: bold Spanish fields; the H1 repeats the ID.
    l(
        "Ardeagency__AI_Smart_Content/docs/task/FEAT-025-mercadolibre-api-publica-fiche.md",
        Finding,
        "FEAT-025",
        Raw("BLOQUEADA-EXTERNO (premisa original obsoleta)."),
        "Cablear API de Mercado Libre para URL flow de ficha",
        &["unknown-status"],
    ),
    // `**Severity: 🔴 Critical (…)**` is not a status.
    l(
        "Ardeagency__AI_Smart_Content/docs/task/FEAT-036-kie-rate-governor-and-queue.md",
        Finding,
        "FEAT-036",
        Absent,
        "Governor de tasa KIE + gateway de generacion unificado",
        &[],
    ),
    l(
        "Ardeagency__AI_Smart_Content/docs/task/PERF-001-cleanup-optimization.md",
        Finding,
        "PERF-001",
        Absent,
        "Limpieza y optimizacion de rendimiento",
        &[],
    ),
    // `> **Status (2026-05-22):** …` in a blockquote is prose, not a field.
    l(
        "Ardeagency__AI_Smart_Content/docs/task/AUDIT-001-frontend-vs-backend-2026-05-05.md",
        Finding,
        "AUDIT-001",
        Absent,
        "Auditoría Frontend vs Backend — 2026-05-05",
        &[],
    ),
    l(
        "Ardeagency__AI_Smart_Content/docs/task/og-image-pendiente.md",
        Finding,
        "og-image-pendiente",
        Absent,
        "Pendiente: crear `recursos/og-image.png`",
        &[],
    ),
    l(
        "Ardeagency__AI_Smart_Content/docs/task/secure-org-delete-server-side.md",
        Finding,
        "secure-org-delete-server-side",
        Absent,
        "Borrado seguro de organizaciones",
        &[],
    ),
    // --- finding: mind-palace (comments after values, `: ` inside values) ---
    l(
        "ascalva__mind-palace/docs/findings/finding-0028.md",
        Finding,
        "finding-0028",
        Is("triaged"),
        "B-3 spike verdict: KEEP — the static shadow costs zero warranted ignores on the real seam",
        &[],
    ),
    l(
        "ascalva__mind-palace/docs/findings/finding-0039.md",
        Finding,
        "finding-0039",
        Is("resolved"),
        "Falsifier-demo run against the pre-change module live-rotated the GitLab PAT",
        &[],
    ),
    l(
        "ascalva__mind-palace/docs/findings/finding-0046.md",
        Finding,
        "finding-0046",
        Is("resolved"),
        "Live e2e test races its own clean-slate unload — flaky empty-text failure",
        &["invalid-yaml"],
    ),
    l(
        "ascalva__mind-palace/docs/findings/finding-0008.md",
        Finding,
        "finding-0008",
        Is("resolved"),
        "§3 front-matter schema and the A4 template disagree on field placement",
        &[],
    ),
    l(
        "ascalva__mind-palace/docs/findings/finding-0076.md",
        Finding,
        "finding-0076",
        Is("open"),
        "`mint_ids.py --dry-run` is not fully side-effect-free against a pre-bp-031 catalog",
        &[],
    ),
    // --- other: Backlog.md tasks (`status: To Do`, quoted dates) ---
    l(
        "MrLesk__Backlog.md/backlog/tasks/back-222 - Improve-task-and-subtask-visualization-in-web-UI.md",
        Finding,
        "BACK-222",
        Is("open"),
        "Improve parent and subtask presentation in the Web UI",
        &[],
    ),
    l(
        "MrLesk__Backlog.md/backlog/tasks/back-560 - Bind-the-browser-server-to-loopback-only.md",
        Finding,
        "BACK-560",
        Is("resolved"),
        "Bind the browser server to loopback only",
        &[],
    ),
    // --- adr-nygard: `## Status` sections ---
    l(
        "npryce__adr-tools/doc/adr/0001-record-architecture-decisions.md",
        Adr,
        "ADR-0001",
        Is("accepted"),
        "Record architecture decisions",
        &[],
    ),
    // "Amended by …" follows the status in the same section.
    l(
        "npryce__adr-tools/doc/adr/0005-help-comments.md",
        Adr,
        "ADR-0005",
        Is("accepted"),
        "Help comments",
        &[],
    ),
    l(
        "45ck__Portarium/docs/internal/adr/0001-record-architecture-decisions.md",
        Adr,
        "ADR-0001",
        Is("accepted"),
        "Record Architecture Decisions",
        &[],
    ),
    l(
        "45ck__Portarium/docs/internal/adr/ADR-0116-package-json-baseline-drift-resolution.md",
        Adr,
        "ADR-0116",
        Is("accepted"),
        "Package.json Gate Baseline Drift Resolution",
        &[],
    ),
    l(
        "DEFRA__trade-imports-reference-data/doc/adr/0002-use-reference-data-for-multiple-domains-until-they-get-too-large.md",
        Adr,
        "ADR-0002",
        Is("accepted"),
        "Use-reference-data-for-multiple-domains-until-they-get-too-large",
        &[],
    ),
    l(
        "JonQuxBurton__MobileMicroservicesSample/docs/architecture/decisions/adr-001-use-adrs.md",
        Adr,
        "ADR-001",
        Is("accepted"),
        "Architecture Decision Record: Use ADRs",
        &[],
    ),
    l(
        "steveyegge__beads/docs/adr/0002-init-safety-invariants.md",
        Adr,
        "ADR-0002",
        Is("accepted"),
        "`bd init` safety invariants",
        &[],
    ),
    // --- adr-madr ---
    l(
        "adr__madr/docs/decisions/0001-use-CC0-or-MIT-as-license.md",
        Adr,
        "ADR-0001",
        Absent,
        "Dual License the Work",
        &[],
    ),
    l(
        "adr__madr/docs/decisions/0003-provide-own-madr-tools.md",
        Adr,
        "ADR-0003",
        Raw("on hold"),
        "Write Own MADR Tooling",
        &["unknown-status"],
    ),
    // `status: on hold` appears only inside a fenced example.
    l(
        "adr__madr/docs/decisions/0008-add-status-field.md",
        Adr,
        "ADR-0008",
        Absent,
        "Add Status Field",
        &[],
    ),
    // Date-numbered log4brains ADRs: the slug is their ID (their own ADR says so).
    l(
        "thomvaill__log4brains/docs/adr/20200925-use-prettier-eslint-airbnb-for-the-code-style.md",
        Adr,
        "20200925-use-prettier-eslint-airbnb-for-the-code-style",
        Is("accepted"),
        "Use Prettier-ESLint Airbnb for the code style",
        &[],
    ),
    l(
        "thomvaill__log4brains/docs/adr/20200926-use-the-adr-number-as-its-unique-id.md",
        Adr,
        "20200926-use-the-adr-number-as-its-unique-id",
        Is("superseded"),
        "Use the ADR number as its unique ID",
        &[],
    ),
    l(
        "AdaskoTheBeAsT__AdaskoTheBeAsT.Interop.COM/docs/adr/0003-result-pattern-instead-of-exceptions.md",
        Adr,
        "ADR-0003",
        Is("accepted"),
        "Expose a Result Pattern Instead of Throwing from the Public API",
        &[],
    ),
    l(
        "MrLesk__Backlog.md/backlog/decisions/decision-1 - Use-Tailwind-CSS-v4-for-web-UI-development.md",
        Adr,
        "decision-1",
        Is("proposed"),
        "Use Tailwind CSS v4 for web UI development",
        &[],
    ),
    // `- Status: **Proposed** (pending …)`.
    l(
        "45ck__Portarium/docs/internal/adr/ADR-0148-cockpit-derives-from-vibe-kanban.md",
        Adr,
        "ADR-0148",
        Is("proposed"),
        "Cockpit Engineering Surface derives from Vibe Kanban",
        &[],
    ),
    // --- adr-bold: `**Status**: X` / `**Status:** X` ---
    l(
        "45ck__Portarium/docs/internal/adr/ADR-0083.md",
        Adr,
        "ADR-0083",
        Is("accepted"),
        "Environment Model and Artefact Promotion Pipeline",
        &[],
    ),
    l(
        "45ck__Portarium/docs/internal/adr/0123-multi-region-readiness.md",
        Adr,
        "ADR-0123",
        Is("proposed"),
        "Multi-Region Readiness Strategy",
        &[],
    ),
    l(
        "45ck__Portarium/docs/internal/adr/ADR-0098-query-cache-strategy.md",
        Adr,
        "ADR-0098",
        Is("accepted"),
        "Query Cache Strategy — Cache-Aside with TTL for Hot Policy/Config Reads",
        &[],
    ),
    l(
        "45ck__Portarium/docs/internal/adr/0058-presentation-api-client-strategy.md",
        Adr,
        "ADR-0058",
        Is("accepted"),
        "Presentation API Client Strategy",
        &[],
    ),
];

/// Files that are not documents: READMEs, indexes, templates. A repository
/// skips them.
const AUXILIARY: &[&str] = &[
    "Ardeagency__AI_Smart_Content/docs/task/README.md",
    "Ardeagency__AI_Smart_Content/docs/task/INDEX.md",
    "adr__madr/docs/decisions/adr-template.md",
    "adr__madr/docs/decisions/index.md",
    "AdaskoTheBeAsT__AdaskoTheBeAsT.Interop.COM/docs/adr/README.md",
    "AdaskoTheBeAsT__AdaskoTheBeAsT.Interop.COM/docs/adr/template.md",
    "thomvaill__log4brains/docs/adr/README.md",
    "thomvaill__log4brains/docs/adr/index.md",
    "thomvaill__log4brains/docs/adr/template.md",
    "MrLesk__Backlog.md/backlog/decisions/readme.md",
    "EveryInc__compound-engineering-plugin/plugins/compound-engineering/skills/file-todos/assets/todo-template.md",
    "newbiet21379__billing-backend/todos/000-pending-p1-TEMPLATE.md",
    "Nissimmiracles__versatil-sdlc-framework/todos/000-pending-p1-TEMPLATE.md",
    "Nissimmiracles__versatil-sdlc-framework/todos/backlog/000-pending-p1-TEMPLATE.md",
    "johnneerdael__wled-home-assistant/todos/000-pending-p1-TEMPLATE.md",
];

fn check_label(root: &Path, lab: &Label) -> Vec<String> {
    let doc = match findings::store::load(&root.join(lab.path), lab.path) {
        Ok(d) => d,
        Err(e) => return vec![format!("{}: does not load: {e}", lab.path)],
    };
    let m = &doc.meta;
    let mut bad = Vec::new();
    let mut want = |what: &str, got: String, exp: String| {
        if got != exp {
            bad.push(format!("{}: {what}: got {got}, expected {exp}", lab.path));
        }
    };
    want("kind", format!("{:?}", m.kind), format!("{:?}", lab.kind));
    want("id", format!("{:?}", m.id), format!("{:?}", lab.id));
    want("title", format!("{:?}", m.title), format!("{:?}", lab.title));
    let (st, raw) = match lab.status {
        Is(s) => (Some(s), None),
        Raw(r) => (None, Some(r)),
        Absent => (None, None),
    };
    want("status", format!("{:?}", m.status), format!("{st:?}"));
    if !matches!(lab.status, Is(_)) {
        want("status_raw", format!("{:?}", m.status_raw), format!("{raw:?}"));
    }
    let codes: BTreeSet<_> = m.problems.iter().map(|p| p.code).collect();
    let exp: BTreeSet<_> = lab.codes.iter().copied().collect();
    want("problems", format!("{codes:?}"), format!("{exp:?}"));
    bad
}

#[test]
fn labelled_files_parse_as_a_careful_reader_expects() {
    let Some(root) = corpus() else { return };
    let mut bad = Vec::new();
    for lab in LABELS {
        bad.extend(check_label(&root, lab));
    }
    assert!(bad.is_empty(), "{} mismatches:\n{}", bad.len(), bad.join("\n"));
}

#[test]
fn labelled_set_covers_every_style_and_every_noted_edge_case() {
    let Some(root) = corpus() else { return };
    assert!(LABELS.len() >= 40);
    // Every style of PROVENANCE.tsv's `format` column has labelled files.
    let prov = std::fs::read_to_string(root.join("PROVENANCE.tsv")).unwrap();
    let mut head = prov.lines().next().unwrap_or("").split('\t');
    let fcol = head.position(|c| c == "format").expect("format column");
    let pcol = prov
        .lines()
        .next()
        .unwrap_or("")
        .split('\t')
        .position(|c| c == "local_path")
        .expect("local_path column");
    let format_of = |path: &str| {
        prov.lines().skip(1).find_map(|l| {
            let cols: Vec<_> = l.split('\t').collect();
            (cols.get(pcol) == Some(&path)).then(|| cols.get(fcol).copied().unwrap_or("").to_string())
        })
    };
    let mut styles = BTreeSet::new();
    for lab in LABELS {
        assert!(root.join(lab.path).is_file(), "{} is not in the corpus", lab.path);
        styles.insert(format_of(lab.path).unwrap_or_else(|| panic!("{} not in PROVENANCE.tsv", lab.path)));
    }
    for s in ["todo", "finding", "adr-nygard", "adr-madr", "adr-bold", "other"] {
        assert!(styles.contains(s), "no labelled file of style {s}");
    }
    // Every file NOTES.tsv names is labelled or listed as auxiliary.
    let notes = std::fs::read_to_string(root.join("NOTES.tsv")).unwrap();
    for line in notes.lines().skip(1) {
        let path = line.split('\t').next().unwrap_or("");
        if path.is_empty() {
            continue;
        }
        assert!(
            LABELS.iter().any(|l| l.path == path) || AUXILIARY.contains(&path),
            "NOTES.tsv edge case {path} is not labelled"
        );
    }
}

#[test]
fn auxiliary_files_are_recognized() {
    let Some(root) = corpus() else { return };
    for path in AUXILIARY {
        assert!(root.join(path).is_file(), "{path} is not in the corpus");
        assert!(document::is_auxiliary(path), "{path} should be auxiliary");
        // Loading them must not panic, and a status shown in a fenced
        // example or an index table is not theirs.
        if let Ok(d) = findings::store::load(&root.join(path), path) {
            if path.ends_with("README.md") || path.ends_with("INDEX.md") || path.ends_with("index.md") {
                assert_eq!(d.meta.status_raw, None, "{path}");
            }
        }
    }
}

fn open_corpus(root: &Path) -> Repo {
    let config = Config {
        folders: Some(vec![".".into()]),
        ..Default::default()
    };
    Repo::open_with(root, config)
}

/// Every created date the corpus writes is read as a date (so `--sort
/// created` orders it as one); only template placeholders
/// (`{YYYY-MM-DD …}`, `[YYYY-MM-DD …]`) are not dates.
#[test]
fn every_created_date_in_the_corpus_is_read_as_a_date() {
    let Some(root) = corpus() else { return };
    let repo = open_corpus(&root);
    let mut dated = 0;
    for m in &repo.items {
        let Some(raw) = m.created.as_deref() else { continue };
        let placeholder = raw.trim_start().starts_with(['{', '[']) || raw.trim().is_empty();
        assert_eq!(m.created_at.is_some(), !placeholder, "{}: created {raw:?}", m.path);
        dated += usize::from(m.created_at.is_some());
    }
    println!("{dated} of {} documents carry a created date", repo.items.len());
    assert!(dated >= 100, "only {dated} dated documents: is the date read at all?");
}

/// Ranking scores the corpus's real titles (IDs, titles, tags: the list's
/// fuzzy haystacks) exactly as nucleo does: a fixed set of queries (letters
/// scattered and in a row, cased, several terms, markers, negation) and,
/// per document, letters taken from its own title in order, so that each
/// one matches at least its own document.
#[test]
fn ranking_scores_corpus_titles_as_nucleo_does() {
    let Some(root) = corpus() else { return };
    let repo = open_corpus(&root);
    let hay: Vec<String> = repo.items.iter().map(findings::query::haystack).collect();
    let mut queries: Vec<String> = [
        "r", "ra", "rac", "racond", "sec", "todo", "auth", "api", "AB", "Fix", "x1", "n1", "a b", "data !x",
        "'race co", "^sec rc", "md$", "e", "E", "0", "-", "_", "ts", "tst", "pdg", "Err", "fix bug", "the",
    ]
    .map(String::from)
    .to_vec();
    for h in &hay {
        let letters: String = h
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .step_by(2)
            .take(5)
            .collect();
        if !letters.is_empty() {
            queries.push(letters);
        }
    }
    let (mut scored, mut matched) = (0, 0);
    for q in &queries {
        let Some(mut f) = findings::query::Fuzzy::new(q) else {
            continue;
        };
        for h in &hay {
            let want = f.score(h);
            let got = f.rank(h).map(|r| r % findings::query::BAND);
            assert_eq!(got, want, "{q:?} in {h:?}");
            scored += 1;
            matched += usize::from(want.is_some());
        }
    }
    println!("{scored} scores of {} titles, {matched} matches", hay.len());
    assert!(
        hay.len() >= 150 && matched >= hay.len(),
        "{matched} matches of {} titles",
        hay.len()
    );
}

#[test]
fn whole_corpus_opens_as_one_repository() {
    let Some(root) = corpus() else { return };
    let repo = catch_unwind(AssertUnwindSafe(|| open_corpus(&root))).expect("opening the corpus panicked");
    let files = md_files(&root);
    let paths: BTreeSet<&str> = repo.items.iter().map(|m| m.path.as_str()).collect();
    assert_eq!(paths.len(), repo.items.len(), "a file was loaded twice");
    for p in &paths {
        assert!(!p.starts_with("./") && !p.starts_with('/'), "path {p} is not clean");
    }
    // Everything is loaded except the auxiliary files.
    for (_, rel) in &files {
        let aux = AUXILIARY.contains(&rel.as_str());
        assert_eq!(paths.contains(rel.as_str()), !aux, "{rel}: loaded = {}", !aux);
    }
    assert_eq!(repo.items.len() + AUXILIARY.len(), files.len());
    assert!(repo.file_problems.is_empty(), "{:?}", repo.file_problems);

    // The 1 MB generated file loads.
    let big =
        "Nissimmiracles__versatil-sdlc-framework/todos/deferred/enhancement-security-critical-1761757665812-ig07.md";
    assert!(std::fs::metadata(root.join(big)).unwrap().len() > 1_000_000);
    assert!(paths.contains(big));

    let problems: Vec<String> = repo.problems().iter().map(|p| p.to_string()).collect();
    let has = |s: &str| problems.iter().any(|p| p.starts_with(s));

    // Invalid YAML (`owner: -`) in 13 Ardeagency files, located at the dash.
    let arde_yaml = repo
        .problems()
        .iter()
        .filter(|p| p.code == "invalid-yaml" && p.path.starts_with(ARDE))
        .count();
    assert_eq!(arde_yaml, 13, "{problems:#?}");
    assert!(
        has(&format!(
            "{ARDE}DATA-001-configure-competitor-entities.md:12:8: error[invalid-yaml]: invalid YAML front matter"
        )),
        "{problems:#?}"
    );
    assert!(has(&format!(
        "{ARDE}BUG-005-legacy-audiences-brands-references.md:11:8: error[invalid-yaml]"
    )));
    // mind-palace: `: ` inside an unquoted `resolution:` value.
    assert!(
        has("ascalva__mind-palace/docs/findings/finding-0046.md:13:"),
        "{problems:#?}"
    );

    // Duplicate IDs name each other.
    let dup = |a: &str, b: &str| {
        let m = repo.items.iter().find(|m| m.path == a).unwrap();
        assert!(
            m.problems
                .iter()
                .any(|p| p.code == "duplicate-id" && p.message.contains(b)),
            "{a} should be reported as a duplicate of {b}: {:?}",
            m.problems
        );
    };
    dup(
        &format!("{ARDE}BUG-005-legacy-audiences-brands-references.md"),
        "BUG-005-semantic-search-vector-index-unused.md",
    );
    dup(
        &format!("{ARDE}DATA-002-backfill-organization-id-null.md"),
        "DATA-002-own-posts-hashtags-not-extracted.md",
    );
    dup(
        "Nissimmiracles__versatil-sdlc-framework/todos/backlog/013-pending-p1-create-library-context-files.md",
        "013-pending-p1-guardian-ml-workflow-implementation-validation.md",
    );
    dup(
        "45ck__Portarium/docs/internal/adr/ADR-0116-scenario-ci-gate.md",
        "ADR-0116-package-json-baseline-drift-resolution.md",
    );

    // No document produces an error other than the known kinds.
    for p in repo.problems() {
        if p.is_error() {
            assert!(
                matches!(p.code, "invalid-yaml" | "duplicate-id"),
                "unexpected error: {p}"
            );
        }
    }
    println!("{} documents, {} problems", repo.items.len(), problems.len());
}

/// Labelled expectations hold inside a repository too (same parser, but the
/// path there is computed by the walker).
#[test]
fn labels_hold_inside_the_repository() {
    let Some(root) = corpus() else { return };
    let repo = open_corpus(&root);
    for lab in LABELS.iter().filter(|l| !AUXILIARY.contains(&l.path)) {
        let m = repo
            .items
            .iter()
            .find(|m| m.path == lab.path)
            .unwrap_or_else(|| panic!("{} not loaded", lab.path));
        assert_eq!((m.kind, m.id.as_str(), m.title.as_str()), (lab.kind, lab.id, lab.title));
    }
}

/// `cargo test --test corpus -- --ignored --nocapture dump`: one line of
/// metadata per corpus file, to review the parser by eye.
#[test]
#[ignore]
fn dump() {
    let Some(root) = corpus() else { return };
    for (abs, rel) in md_files(&root) {
        match findings::store::load(&abs, &rel) {
            Ok(d) => {
                let m = &d.meta;
                let codes: Vec<_> = m
                    .problems
                    .iter()
                    .map(|p| format!("{}:{}:{}", p.code, p.line, p.column))
                    .collect();
                println!(
                    "{rel}\n    {:?} id={:?} st={:?} raw={:?} place={:?} title={:?} prio={:?} probs={codes:?}",
                    m.kind, m.id, m.status, m.status_raw, m.status_place, m.title, m.priority
                );
            }
            Err(e) => println!("{rel}\n    ERR {e}"),
        }
    }
}
