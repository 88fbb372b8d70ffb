//! The store: a repository of documents on disk.
//!
//! [`Repo::open`] finds the root, reads `findings.toml`, walks the document
//! folders and parses every `*.md` in parallel, keeping only each document's
//! small [`Meta`]; bodies are read again on demand ([`Repo::document`]).
//! Files that cannot be documents (binary, not UTF-8, empty) become problems,
//! never panics, and the rest keep loading.

pub mod config;
pub mod resolve;
pub mod write;

use crate::document::{self, Document, Kind, Meta, Problem};
use crate::workflow::Workflows;
use config::{Config, ConfigError};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error(transparent)]
    Resolve(#[from] resolve::ResolveError),
    #[error("{0}")]
    Unreadable(Problem),
}

/// A loaded repository.
#[derive(Debug, Clone)]
pub struct Repo {
    pub root: PathBuf,
    pub config: Config,
    /// Documents in path order.
    pub items: Vec<Meta>,
    /// Problems with files that could not be loaded as documents.
    pub file_problems: Vec<Problem>,
    /// `Some(every document path)` when only some documents were loaded
    /// ([`Repo::open_for`], [`Repo::config_only`]).
    pub partial: Option<Vec<String>>,
}

/// Folder names that hold ADRs.
pub const ADR_DIRS: &[&str] = &["adr", "adrs", "decisions", "decision-records", "architecture-decisions"];

/// The repository root for `start`: the nearest ancestor holding `.git`, or
/// `start` itself.
pub fn discover_root(start: &Path) -> PathBuf {
    let start = start.canonicalize().unwrap_or_else(|_| start.to_path_buf());
    let mut dir = Some(start.as_path());
    while let Some(d) = dir {
        if d.join(".git").exists() {
            return d.to_path_buf();
        }
        dir = d.parent();
    }
    start
}

/// `/`-separated path of `abs` relative to `root`.
pub fn relative(root: &Path, abs: &Path) -> String {
    let rel = abs.strip_prefix(root).unwrap_or(abs);
    rel.components()
        .filter(|c| matches!(c, std::path::Component::Normal(_)))
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Every `*.md` file under the configured folders as repository-relative
/// `/`-separated paths, sorted, deduplicated. Symbolic links are not
/// followed, so nothing outside the root is read.
pub fn walk(root: &Path, folders: &[String], problems: &mut Vec<Problem>) -> Vec<String> {
    let mut out = Vec::new();
    for f in folders {
        let rel = Path::new(f);
        if rel.is_absolute() || rel.components().any(|c| matches!(c, std::path::Component::ParentDir)) {
            problems.push(Problem::error(
                "bad-folder",
                config::FILE_NAME,
                1,
                1,
                format!("folder {f:?} is outside the repository"),
            ));
            continue;
        }
        let dir = root.join(rel);
        if let Ok(md) = std::fs::symlink_metadata(&dir) {
            if md.is_dir() {
                let prefix = relative(root, &dir);
                walk_dir(&dir, &prefix, &mut out, problems);
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

fn walk_dir(dir: &Path, rel: &str, out: &mut Vec<String>, problems: &mut Vec<Problem>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            problems.push(Problem::error("unreadable", rel, 1, 1, e.to_string()));
            return;
        }
    };
    let join = |name: &str| {
        if rel.is_empty() {
            name.to_string()
        } else {
            format!("{rel}/{name}")
        }
    };
    for entry in entries.flatten() {
        let Ok(ft) = entry.file_type() else { continue };
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            problems.push(Problem::warning(
                "bad-file-name",
                &join(&name.to_string_lossy()),
                1,
                1,
                "file name is not valid UTF-8; skipped",
            ));
            continue;
        };
        if ft.is_dir() {
            if !name.starts_with('.') && name != "node_modules" {
                walk_dir(&entry.path(), &join(name), out, problems);
            }
        } else if ft.is_file() && (name.ends_with(".md") || name.ends_with(".MD")) {
            out.push(join(name));
        }
    }
}

/// Load one file into its metadata, or a problem saying why not. Auxiliary
/// files (README, index, templates) that declare no document are skipped.
fn load_meta(root: &Path, rel: &str, workflows: &Workflows) -> Option<Result<Meta, Problem>> {
    let rel = rel.to_string();
    match document::load_with(&root.join(&rel), &rel, workflows) {
        Ok(doc) => document::counts_as_document(&rel, &doc).then_some(Ok(doc.meta)),
        Err(u) if u.0.code == "empty" && document::is_auxiliary(&rel) => None,
        Err(u) => Some(Err(u.0)),
    }
}

impl Repo {
    /// Open the repository whose root is `root` (see [`discover_root`]).
    pub fn open(root: &Path) -> Result<Repo, StoreError> {
        let config = Config::load(root)?;
        Ok(Self::open_with(root, config))
    }

    pub fn open_with(root: &Path, config: Config) -> Repo {
        let workflows = config.workflows();
        let mut file_problems = Vec::new();
        let files = walk(root, &config.folders(), &mut file_problems);
        let failed = std::sync::Mutex::new(Vec::new());
        let mut items: Vec<Meta> = files
            .par_iter()
            .filter_map(|p| match load_meta(root, p, &workflows)? {
                Ok(m) => Some(m),
                Err(p) => {
                    failed.lock().unwrap_or_else(|e| e.into_inner()).push(p);
                    None
                }
            })
            .collect();
        drop(files);
        items.shrink_to_fit();
        file_problems.extend(failed.into_inner().unwrap_or_else(|e| e.into_inner()));
        let mut repo = Repo {
            root: root.to_path_buf(),
            config,
            items,
            file_problems,
            partial: None,
        };
        repo.cross_check();
        repo
    }

    /// The repository's root and config with no documents loaded, for
    /// operations that work from git alone (undo).
    pub fn config_only(root: &Path) -> Result<Repo, StoreError> {
        let config = Config::load(root)?;
        Ok(Repo {
            root: root.to_path_buf(),
            config,
            items: Vec::new(),
            file_problems: Vec::new(),
            partial: Some(Vec::new()),
        })
    }

    /// Open only the documents `queries` can name, judged by file name, for
    /// a write that needs nothing else; the whole repository when a query
    /// does not resolve among them (an ID kept only inside a file). Files
    /// whose name carries no ID are always read, since their ID is inside
    /// them and may make a query ambiguous. With 100k documents this reads a
    /// handful of files instead of all of them.
    pub fn open_for(root: &Path, queries: &[&str]) -> Result<Repo, StoreError> {
        let config = Config::load(root)?;
        let workflows = config.workflows();
        let mut file_problems = Vec::new();
        let files = walk(root, &config.folders(), &mut file_problems);
        let unnamed = |p: &str| {
            let name = p.rsplit('/').next().unwrap_or(p);
            crate::document::filename::FileName::parse(name).id_str().is_none()
        };
        let items: Vec<Meta> = files
            .iter()
            .filter(|p| unnamed(p) || queries.iter().any(|q| resolve::could_name(q, p)))
            .filter_map(|p| load_meta(root, p, &workflows))
            .filter_map(Result::ok)
            .collect();
        let repo = Repo {
            root: root.to_path_buf(),
            config,
            items,
            file_problems,
            partial: Some(files),
        };
        if !repo.items.is_empty() && queries.iter().all(|q| repo.resolve(q).is_ok()) {
            return Ok(repo);
        }
        Ok(Self::open_with(root, repo.config))
    }

    /// Paths of the repository's ADRs: the loaded ones, or, when the
    /// repository was opened partially, every file under an ADR folder
    /// (`adr/`, `decisions/`, …; not read here).
    pub fn adr_paths(&self) -> Vec<String> {
        let walked;
        let files = match &self.partial {
            None => {
                return self
                    .items
                    .iter()
                    .filter(|m| m.kind == Kind::Adr)
                    .map(|m| m.path.clone())
                    .collect()
            }
            Some(f) if !f.is_empty() => f,
            Some(_) => {
                walked = walk(&self.root, &self.config.folders(), &mut Vec::new());
                &walked
            }
        };
        files
            .iter()
            .filter(|p| {
                p.split('/')
                    .rev()
                    .skip(1)
                    .any(|d| ADR_DIRS.contains(&d.to_ascii_lowercase().as_str()))
            })
            .cloned()
            .collect()
    }

    /// Problems that need the whole repository: duplicate IDs and
    /// dependencies on IDs that do not exist.
    fn cross_check(&mut self) {
        let mut by_id: HashMap<(Kind, String), Vec<usize>> = HashMap::new();
        for (i, m) in self.items.iter().enumerate() {
            by_id.entry((m.kind, m.id.to_ascii_lowercase())).or_default().push(i);
        }
        let mut add: Vec<(usize, Problem)> = Vec::new();
        for idx in by_id.values().filter(|v| v.len() > 1) {
            for &i in idx {
                let others: Vec<_> = idx
                    .iter()
                    .filter(|&&j| j != i)
                    .map(|&j| self.items[j].path.clone())
                    .collect();
                let m = &self.items[i];
                add.push((
                    i,
                    Problem::error(
                        "duplicate-id",
                        &m.path,
                        1,
                        1,
                        format!("ID {} is also used by {}", m.id, others.join(", ")),
                    ),
                ));
            }
        }
        // Exact IDs answer almost every dependency; the resolver (a scan of
        // every item) only runs for the rest.
        let ids: std::collections::HashSet<String> = by_id.keys().map(|(_, id)| id.clone()).collect();
        for (i, m) in self.items.iter().enumerate() {
            for dep in &m.dependencies {
                if ids.contains(&dep.to_ascii_lowercase()) {
                    continue;
                }
                let id = dep.trim_end_matches(".md");
                let id = document::filename::FileName::parse(id)
                    .id_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| id.to_string());
                let missing = |q: &str| {
                    matches!(
                        resolve::resolve(&self.items, q),
                        Err(resolve::ResolveError::NotFound { .. })
                    )
                };
                if !ids.contains(&id.to_ascii_lowercase()) && missing(&id) && missing(dep) {
                    add.push((
                        i,
                        Problem::warning(
                            "missing-dependency",
                            &m.path,
                            1,
                            1,
                            format!("depends on {dep:?}, which is not in this repository"),
                        ),
                    ));
                }
            }
        }
        for (i, p) in add {
            self.items[i].problems.push(p);
        }
    }

    /// Every problem: files that could not load, then each document's.
    pub fn problems(&self) -> Vec<&Problem> {
        let mut v: Vec<&Problem> = self
            .file_problems
            .iter()
            .chain(self.items.iter().flat_map(|m| m.problems.iter()))
            .collect();
        v.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
        v
    }

    /// The document `query` names (see [`resolve::resolve`]).
    pub fn resolve(&self, query: &str) -> Result<&Meta, resolve::ResolveError> {
        resolve::resolve(&self.items, query)
    }

    /// Absolute path of a repository-relative path.
    pub fn abs(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// Read and parse a document in full.
    pub fn document(&self, meta: &Meta) -> Result<Document, StoreError> {
        document::load_with(&self.abs(&meta.path), &meta.path, &self.workflows())
            .map_err(|u| StoreError::Unreadable(u.0))
    }

    /// The families' workflows, `findings.toml`'s overrides applied.
    pub fn workflows(&self) -> Workflows {
        self.config.workflows()
    }

    /// Parse a document's text with this repository's workflows.
    pub fn parse(&self, path: &str, text: String) -> Document {
        Document::parse_with(path, text, &self.workflows())
    }
}
