//! `findings mcp`: a Model Context Protocol server over stdio (the official
//! Rust SDK, `rmcp`), for agents working beside a person.
//!
//! Each tool calls the same library operation as the command line (the
//! functions `cli::write` calls: [`ops::triage`], [`ops::set_status`],
//! [`ops::log`], [`ops::create`]), so a tool's write has the same guarantees:
//! the lock, the minimal edit, a commit of exactly the touched paths. Its
//! arguments have typed JSON schemas (`schemars`), its results are the JSON
//! of the matching `--format json` (see `schemas/`), and a failure is a tool
//! error (`isError`) whose text is the message the CLI would print.

use crate::document::{Kind, Meta};
use crate::ops::{self, new::NewDoc, LogRequest, StatusRequest, TriageRequest, WriteOpts};
use crate::query::{select, Filter, SortKey};
use crate::store::Repo;
use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{CallToolResult, ContentBlock, Implementation, ServerCapabilities, ServerConfig};
use rmcp::{schemars, tool, tool_handler, tool_router, ErrorData, ServerHandler, ServiceExt};
use serde::Deserialize;
use std::path::PathBuf;

/// The server: one repository root.
#[derive(Clone)]
pub(crate) struct Server {
    root: PathBuf,
    tool_router: ToolRouter<Self>,
}

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
pub(crate) struct ListArgs {
    /// Only these statuses (aliases like `done` work).
    #[serde(default)]
    pub(crate) status: Vec<String>,
    /// Only these priorities: p0-p3.
    #[serde(default)]
    pub(crate) priority: Vec<String>,
    /// Only documents with one of these tags.
    #[serde(default)]
    pub(crate) tag: Vec<String>,
    /// Only these families: todo, finding, adr.
    #[serde(default)]
    pub(crate) kind: Vec<String>,
    /// Fuzzy search over ID, title and tags (fzf syntax).
    pub(crate) query: Option<String>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub(crate) struct IdArgs {
    /// The document: an ID (`030`, `DATA-001`, `adr-105`) or a repository path.
    pub(crate) id: String,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub(crate) struct SearchArgs {
    /// Text to find in titles and bodies (case-insensitive).
    pub(crate) text: String,
}

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
pub(crate) struct WriteFlags {
    /// Return the diff and the commit message; write nothing.
    #[serde(default)]
    pub(crate) dry_run: bool,
    /// Write the files but make no commit.
    #[serde(default)]
    pub(crate) no_commit: bool,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub(crate) struct TriageArgs {
    /// The document to triage.
    pub(crate) id: String,
    /// The decision: an option of this document (`A`, `2`, a title) or of an accepted ADR
    /// (`upsert`), or free text written verbatim.
    pub(crate) action: Option<String>,
    /// Move to this status instead of the family's triage status.
    pub(crate) to: Option<String>,
    /// A note for the work log and the commit message.
    pub(crate) note: Option<String>,
    #[serde(flatten)]
    pub(crate) write: WriteFlags,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub(crate) struct StatusArgs {
    /// The document.
    pub(crate) id: String,
    /// The new status (ready, complete, wontfix, resolved, superseded …).
    pub(crate) status: String,
    /// A note for the work log and the commit message.
    pub(crate) note: Option<String>,
    /// Why (required to skip: wontfix / wont_fix).
    pub(crate) reason: Option<String>,
    /// The ADR that supersedes this one (with `superseded`).
    pub(crate) by: Option<String>,
    #[serde(flatten)]
    pub(crate) write: WriteFlags,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub(crate) struct LogArgs {
    /// The document.
    pub(crate) id: String,
    /// What was done.
    pub(crate) action: String,
    /// What was learned.
    pub(crate) learnings: Option<String>,
    #[serde(flatten)]
    pub(crate) write: WriteFlags,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub(crate) struct NewArgs {
    /// The family: todo, finding or adr.
    pub(crate) kind: String,
    /// The title.
    pub(crate) title: String,
    /// p0-p3.
    pub(crate) priority: Option<String>,
    #[serde(default)]
    pub(crate) tags: Vec<String>,
    /// A finding's category (`data-integrity` gives IDs DATA-NNN).
    pub(crate) category: Option<String>,
    /// A finding's severity.
    pub(crate) severity: Option<String>,
    #[serde(flatten)]
    pub(crate) write: WriteFlags,
}

type ToolResult = Result<CallToolResult, ErrorData>;

/// A value as the tool's JSON result.
fn ok<T: serde::Serialize>(v: &T) -> ToolResult {
    // C1 controls escaped as the CLI's JSON escapes them, so none reaches
    // the client's stream raw.
    let text = serde_json::to_string(v).map_err(|e| ErrorData::internal_error(e.to_string(), None))?;
    Ok(CallToolResult::success(vec![ContentBlock::text(
        crate::document::text::escape_c1(text),
    )]))
}

/// A failure as a tool error, with the message the CLI prints.
fn fail(e: impl std::fmt::Display) -> ToolResult {
    let msg = crate::document::text::inert(&e.to_string(), true).into_owned();
    Ok(CallToolResult::error(vec![ContentBlock::text(msg)]))
}

fn opts(w: &WriteFlags) -> WriteOpts {
    WriteOpts {
        dry_run: w.dry_run,
        no_commit: w.no_commit,
        ..Default::default()
    }
}

fn outcome(r: Result<ops::Outcome, ops::OpError>) -> ToolResult {
    match r {
        Ok(o) => {
            let mut v = serde_json::to_value(&o).map_err(|e| ErrorData::internal_error(e.to_string(), None))?;
            if let Some(m) = v.as_object_mut() {
                m.insert("schema".into(), 1.into());
            }
            ok(&v)
        }
        Err(e) => fail(e),
    }
}

/// The document's JSON as `show --format json` prints it.
fn show_json(repo: &Repo, id: &str) -> Result<serde_json::Value, String> {
    let meta = repo.resolve(id).map_err(|e| e.to_string())?;
    let doc = repo.document(meta).map_err(|e| e.to_string())?;
    let mut m = doc.meta.clone();
    m.problems = meta.problems.clone();
    let mut v = serde_json::to_value(&m).map_err(|e| e.to_string())?;
    let sections: Vec<serde_json::Value> = doc
        .sections
        .iter()
        .map(|s| serde_json::json!({"level": s.level, "title": s.title, "content": &doc.text[s.content.clone()]}))
        .collect();
    if let Some(o) = v.as_object_mut() {
        o.insert("schema".into(), 1.into());
        o.insert("sections".into(), sections.into());
        o.insert("body".into(), doc.body().into());
    }
    Ok(v)
}

/// Full-text search through the same matcher as `findings search`: a
/// literal phrase, smart case, ranked (ID, title and tag words above text),
/// each document with its matching lines (1-based numbers, byte ranges).
fn text_search(repo: &Repo, text: &str) -> Result<serde_json::Value, crate::search::QueryError> {
    use crate::search;
    let q = search::Query::new(text, search::Case::Smart)?;
    let all: Vec<usize> = (0..repo.items.len()).collect();
    let hits = search::search(
        &repo.items,
        &all,
        &search::Files { root: &repo.root },
        &q,
        search::Options::default(),
    );
    let items: Vec<serde_json::Value> = hits
        .iter()
        .filter_map(|h| {
            let m = repo.items.get(h.item)?;
            Some(serde_json::json!({
                "id": m.id,
                "title": m.title,
                "status": m.status_label(),
                "path": m.path,
                "rank": h.tier,
                "fields": h.fields,
                "lines": h.lines,
                "more_lines": h.more_lines,
            }))
        })
        .collect();
    Ok(serde_json::json!({"schema": 1, "query": q.text(), "items": items}))
}

#[tool_router]
impl Server {
    pub(crate) fn new(root: PathBuf) -> Self {
        Server {
            root,
            tool_router: Self::tool_router(),
        }
    }

    #[tool(
        description = "List documents (findings, todos, ADRs), filtered and sorted by priority. \
                          Returns the JSON of `findings list --format json`."
    )]
    async fn list(&self, Parameters(a): Parameters<ListArgs>) -> ToolResult {
        let repo = match Repo::open(&self.root) {
            Ok(r) => r,
            Err(e) => return fail(e),
        };
        let mut kinds = Vec::new();
        for k in &a.kind {
            match Kind::parse(k) {
                Some(k) => kinds.push(k),
                None => return fail(format!("unknown kind {k:?}: use todo, finding or adr")),
            }
        }
        let filter = Filter {
            statuses: a.status,
            priorities: a.priority,
            tags: a.tag,
            kinds,
        };
        let idx = select(
            &repo.items,
            &filter,
            a.query.as_deref().unwrap_or(""),
            SortKey::Priority,
        );
        let items: Vec<&Meta> = idx.iter().map(|&i| &repo.items[i]).collect();
        ok(&serde_json::json!({"schema": 1, "items": items}))
    }

    #[tool(
        description = "Show one document: its fields, cited code locations, sections and body \
                          (the JSON of `findings show ID --format json`)."
    )]
    async fn show(&self, Parameters(a): Parameters<IdArgs>) -> ToolResult {
        let repo = match Repo::open_for(&self.root, &[&a.id]) {
            Ok(r) => r,
            Err(e) => return fail(e),
        };
        match show_json(&repo, &a.id) {
            Ok(v) => ok(&v),
            Err(e) => fail(e),
        }
    }

    #[tool(
        description = "Full-text search, as `findings search`: the text is a literal phrase, case ignored unless it holds a capital; ranked documents with their matching lines."
    )]
    async fn search(&self, Parameters(a): Parameters<SearchArgs>) -> ToolResult {
        let repo = match Repo::open(&self.root) {
            Ok(r) => r,
            Err(e) => return fail(e),
        };
        match text_search(&repo, &a.text) {
            Ok(v) => ok(&v),
            Err(e) => fail(e),
        }
    }

    #[tool(
        description = "The decision options a document offers (its own `Option A/B`, numbered \
                          options), which `triage` accepts as `action`."
    )]
    async fn options(&self, Parameters(a): Parameters<IdArgs>) -> ToolResult {
        let repo = match Repo::open_for(&self.root, &[&a.id]) {
            Ok(r) => r,
            Err(e) => return fail(e),
        };
        let doc = match repo.resolve(&a.id).map(|m| repo.document(m)) {
            Ok(Ok(d)) => d,
            Ok(Err(e)) => return fail(e),
            Err(e) => return fail(e),
        };
        let options: Vec<serde_json::Value> = crate::document::options::options(&doc)
            .iter()
            .map(|o| serde_json::json!({"label": o.label, "title": o.title}))
            .collect();
        ok(&serde_json::json!({"schema": 1, "id": doc.meta.id, "options": options}))
    }

    #[tool(description = "Triage a document: move it to its family's triage status, fill \
                          Recommended Action from `action`, log, commit (as `findings triage`).")]
    async fn triage(&self, Parameters(a): Parameters<TriageArgs>) -> ToolResult {
        let repo = match Repo::open_for(&self.root, &[&a.id]) {
            Ok(r) => r,
            Err(e) => return fail(e),
        };
        let req = TriageRequest {
            id: a.id,
            action: a.action,
            to: a.to,
            note: a.note,
            literal: false,
            replace: false,
        };
        outcome(ops::triage(&repo, &req, &opts(&a.write)))
    }

    #[tool(description = "Change a document's status along its workflow and commit (as `findings status`).")]
    async fn status(&self, Parameters(a): Parameters<StatusArgs>) -> ToolResult {
        let mut ids = vec![a.id.as_str()];
        ids.extend(a.by.as_deref());
        let repo = match Repo::open_for(&self.root, &ids) {
            Ok(r) => r,
            Err(e) => return fail(e),
        };
        let req = StatusRequest {
            id: a.id.clone(),
            to: a.status.clone(),
            note: a.note.clone(),
            reason: a.reason.clone(),
            by: a.by.clone(),
        };
        outcome(ops::set_status(&repo, &req, &opts(&a.write)))
    }

    #[tool(description = "Append a work-log entry to a document and commit (as `findings log`).")]
    async fn log(&self, Parameters(a): Parameters<LogArgs>) -> ToolResult {
        let repo = match Repo::open_for(&self.root, &[&a.id]) {
            Ok(r) => r,
            Err(e) => return fail(e),
        };
        let req = LogRequest {
            id: a.id,
            action: a.action,
            learnings: a.learnings,
        };
        outcome(ops::log(&repo, &req, &opts(&a.write)))
    }

    #[tool(
        name = "new",
        description = "Create a document with the next free ID in its family's convention and \
                          commit (as `findings new`)."
    )]
    async fn new_document(&self, Parameters(a): Parameters<NewArgs>) -> ToolResult {
        let Some(kind) = Kind::parse(&a.kind) else {
            return fail(format!("unknown kind {:?}: use todo, finding or adr", a.kind));
        };
        let priority = match a.priority.as_deref().map(crate::workflow::normalize_priority) {
            Some(None) => return fail("not a priority; use p0, p1, p2 or p3"),
            Some(Some(p)) => Some(p.to_string()),
            None => None,
        };
        let repo = match Repo::open(&self.root) {
            Ok(r) => r,
            Err(e) => return fail(e),
        };
        let req = NewDoc {
            kind: Some(kind),
            title: a.title,
            priority,
            tags: a.tags,
            category: a.category,
            severity: a.severity,
            prefix: None,
        };
        outcome(ops::create(&repo, &req, &opts(&a.write)))
    }

    #[tool(
        description = "Every problem in the repository (as `findings check --format json`), \
                          including cited code locations that no longer exist."
    )]
    async fn check(&self) -> ToolResult {
        let repo = match Repo::open(&self.root) {
            Ok(r) => r,
            Err(e) => return fail(e),
        };
        let mut problems: Vec<crate::document::Problem> = repo.problems().into_iter().cloned().collect();
        problems.extend(crate::locations::check(&repo));
        let errors = problems.iter().filter(|p| p.is_error()).count();
        ok(&serde_json::json!({
            "schema": 1,
            "documents": repo.items.len(),
            "errors": errors,
            "warnings": problems.len() - errors,
            "problems": problems,
        }))
    }
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("findings", env!("CARGO_PKG_VERSION")))
            .with_instructions(
                "The markdown findings, todos and ADRs of code review in this git repository: list, \
                 show and search them, see a document's decision options, triage, change status, \
                 log work, create documents, check the repository. Every write commits exactly \
                 the files it touched.",
            )
    }
}

/// Serve MCP over this process's stdin and stdout until the client closes it.
pub(crate) fn serve(root: PathBuf) -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    rt.block_on(async move {
        let service = Server::new(root)
            .serve(rmcp::transport::stdio())
            .await
            .map_err(|e| anyhow::anyhow!("MCP: {e}"))?;
        service.waiting().await.map_err(|e| anyhow::anyhow!("MCP: {e}"))?;
        Ok(())
    })
}
