//! The store: a repository of documents on disk.
//!
//! Over 600 lines: discovery and loading (full, by ID, in batches) share the walker, the config
//! and the parse; the index helper reshapes loading this round.
//!
//! [`Repo::open`] finds the root, reads `findings.toml`, walks the document
//! folders and parses every `*.md` in parallel, keeping only each document's
//! small [`Meta`]; bodies are read again on demand ([`Repo::document`]).
//! Files that cannot be documents (binary, not UTF-8, empty) become problems,
//! never panics, and the rest keep loading.
//!
//! About 850 lines: discovery (the candidate rules, the `ignore` walker),
//! judging a candidate, and the ways to open (whole, only the files an ID
//! can name, configuration only) share those rules; moving discovery to a
//! file of its own is the next split.

pub(crate) mod bounded;
pub mod config;
pub mod contain;
pub(crate) mod index;
mod one;
pub mod resolve;
pub mod write;

use crate::document::{self, Document, Kind, Meta, Problem, Unreadable};
use crate::workflow::Workflows;
use config::{Config, ConfigError};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

static WALKS: AtomicUsize = AtomicUsize::new(0);
static STATS: AtomicUsize = AtomicUsize::new(0);
static READS: AtomicUsize = AtomicUsize::new(0);

/// How much of the file system this process has looked at so far: what
/// tests and benchmarks count to show that a command touches only what
/// its answer depends on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IoCounts {
    /// Walks of document folders (a whole tree, or one folder's entries).
    pub walks: usize,
    /// `lstat` calls on documents, folders and ignore files by the index.
    pub stats: usize,
    /// Document files opened to be read.
    pub reads: usize,
}

/// The [`IoCounts`] of this process so far.
pub fn io_counts() -> IoCounts {
    IoCounts {
        walks: WALKS.load(Ordering::Relaxed),
        stats: STATS.load(Ordering::Relaxed),
        reads: READS.load(Ordering::Relaxed),
    }
}

/// Count one document file read (see [`io_counts`]).
pub(crate) fn counted_read() {
    READS.fetch_add(1, Ordering::Relaxed);
}

/// Count one `lstat` (see [`io_counts`]).
pub(crate) fn counted_stat() {
    counted_stats(1);
}

/// Count `n` `lstat`s at once (see [`io_counts`]).
pub(crate) fn counted_stats(n: usize) {
    STATS.fetch_add(n, Ordering::Relaxed);
}

/// Why a repository or a document in it cannot be opened.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// `findings.toml` cannot be used.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A file or folder cannot be read.
    #[error("{path}: {source}")]
    Io {
        /// The path, relative to the root where it applies.
        path: String,
        /// The system's error.
        source: std::io::Error,
    },
    /// No document, or more than one, has the ID asked for.
    #[error(transparent)]
    Resolve(#[from] resolve::ResolveError),
    /// The file cannot be a document (binary, too large, not UTF-8, ...), with its
    /// position.
    #[error("{0}")]
    Unreadable(Problem),
    /// The path leads outside the repository.
    #[error(transparent)]
    Outside(#[from] contain::ContainError),
}

/// A loaded repository.
#[derive(Debug, Clone)]
pub struct Repo {
    /// The repository's root folder: every document path is relative to it.
    pub root: PathBuf,
    /// The repository's `findings.toml` (the default when there is none).
    pub config: Config,
    /// Documents in path order.
    pub items: Vec<Meta>,
    /// Problems with files that could not be loaded as documents.
    pub file_problems: Vec<Problem>,
    /// `Some` when only some documents were loaded (`Repo::open_for`,
    /// [`Repo::config_only`]): what is known of the others.
    pub partial: Option<Partial>,
}

/// What a repository opened in part knows of the documents it did not
/// load.
#[derive(Debug, Clone, Default)]
pub struct Partial {
    /// Every document's path (opened by file name: every candidate file's).
    pub paths: Paths,
    /// The ADRs' paths, when they are known without reading the files
    /// (opened through the index, which knows every document's family).
    pub adrs: Option<Paths>,
}

/// A list of paths kept in one buffer (a one-document command knows every
/// document of the repository by its path: 100k of them cost two
/// allocations, not 100k).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Paths {
    text: String,
    /// Where each path ends in `text`.
    ends: Vec<usize>,
}

impl Paths {
    /// How many paths it holds.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The paths, in the order they were given.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts.zip(&self.ends).map(|(a, &b)| &self.text[a..b])
    }
}

impl Paths {
    /// The paths `paths` gives, each time it is asked, in one allocation
    /// for their text and one for where each ends.
    pub(crate) fn sized<'a, I: Iterator<Item = &'a str>>(paths: impl Fn() -> I) -> Paths {
        let (mut count, mut bytes) = (0, 0);
        for p in paths() {
            count += 1;
            bytes += p.len();
        }
        let mut out = Paths {
            text: String::with_capacity(bytes),
            ends: Vec::with_capacity(count),
        };
        out.extend(paths());
        out
    }
}

impl<'a> Extend<&'a str> for Paths {
    fn extend<I: IntoIterator<Item = &'a str>>(&mut self, paths: I) {
        for path in paths {
            self.text.push_str(path);
            self.ends.push(self.text.len());
        }
    }
}

impl<'a> FromIterator<&'a str> for Paths {
    fn from_iter<I: IntoIterator<Item = &'a str>>(paths: I) -> Paths {
        let mut p = Paths::default();
        p.extend(paths);
        p
    }
}

/// Folder names that hold ADRs.
pub(crate) const ADR_DIRS: &[&str] = &["adr", "adrs", "decisions", "decision-records", "architecture-decisions"];

/// The repository root for `start`: the nearest ancestor holding `.git`, or
/// `start` itself.
pub(crate) fn discover_root(start: &Path) -> PathBuf {
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
    // What the walk gives: `root`, `/`, then plain UTF-8 names. Taken as
    // it is; anything else goes through the components below.
    #[cfg(unix)]
    {
        let rest = abs
            .as_os_str()
            .as_encoded_bytes()
            .strip_prefix(root.as_os_str().as_encoded_bytes())
            .and_then(|r| r.strip_prefix(b"/"))
            .and_then(|r| std::str::from_utf8(r).ok());
        if let Some(rest) = rest.filter(|r| r.split('/').all(|c| !matches!(c, "" | "." | ".."))) {
            return rest.to_string();
        }
    }
    let rel = abs.strip_prefix(root).unwrap_or(abs);
    rel.components()
        .filter(|c| matches!(c, std::path::Component::Normal(_)))
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Folders default discovery never enters: version control, dependencies,
/// build output, tool caches and test fixtures (copies of documents that
/// are not the team's).
pub(crate) const SKIP_DIRS: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    "node_modules",
    "bower_components",
    "vendor",
    "target",
    "dist",
    "build",
    ".venv",
    "venv",
    "__pycache__",
    ".tox",
    ".cache",
    ".next",
    ".nuxt",
    ".gradle",
    ".terraform",
    "site-packages",
    "fixtures",
    "__fixtures__",
    "testdata",
    "test-data",
    "golden",
    "snapshots",
    "__snapshots__",
];

/// Folder names whose files belong to a family: the weakest signal of a
/// document's family, and, with an ID in the file name, enough to count a
/// file without a status as a document.
pub(crate) const FAMILY_DIRS: &[&str] = &[
    "adr",
    "adrs",
    "decisions",
    "decision-records",
    "architecture-decisions",
    "todos",
    ".todos",
    "findings",
    "review",
    "reviews",
];

/// How documents are found: under the folders `findings.toml` names (every
/// `*.md` there is a document), or anywhere in the repository (only files
/// that read as a todo, finding or ADR are).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Discovery {
    Configured,
    Anywhere,
}

impl Discovery {
    pub(crate) fn of(config: &Config) -> Discovery {
        if config.folders.is_some() {
            Discovery::Configured
        } else {
            Discovery::Anywhere
        }
    }
}

/// The `*.md` files documents may be in, as repository-relative
/// `/`-separated paths, sorted: under the configured folders, or (none
/// configured) anywhere under the root with `.gitignore` respected and
/// `SKIP_DIRS` skipped. Symbolic links are neither followed nor read, so
/// nothing outside the root is.
pub fn candidates(root: &Path, config: &Config, problems: &mut Vec<Problem>) -> Vec<String> {
    candidates_seen(root, config, problems, &mut |_| {})
}

/// What a walk names as it goes: a candidate file, or a folder it is
/// about to read (below its starting folders).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Found<'a> {
    File(&'a str),
    Dir(&'a Path),
}

/// [`candidates`], naming each file and folder to `seen` as the walk finds
/// it (in walk order, a file under two configured folders twice).
fn candidates_seen(
    root: &Path,
    config: &Config,
    problems: &mut Vec<Problem>,
    seen: &mut dyn FnMut(Found<'_>),
) -> Vec<String> {
    match &config.folders {
        Some(f) => walk_seen(root, f, problems, seen),
        None => walk_from(root, &[root.to_path_buf()], Discovery::Anywhere, None, problems, seen),
    }
}

/// Every `*.md` file under `folders` (relative to `root`), sorted and
/// deduplicated; hidden folders below them are not entered.
pub fn walk(root: &Path, folders: &[String], problems: &mut Vec<Problem>) -> Vec<String> {
    walk_seen(root, folders, problems, &mut |_| {})
}

/// [`walk`], naming each file and folder to `seen` as it is found.
fn walk_seen(
    root: &Path,
    folders: &[String],
    problems: &mut Vec<Problem>,
    seen: &mut dyn FnMut(Found<'_>),
) -> Vec<String> {
    let mut starts = Vec::new();
    let mut outside = Vec::new();
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
        // A configured folder reached through a link that leads outside is
        // skipped (and named); one through a link that stays inside works.
        if let Err(e) = contain::check(root, rel) {
            outside.push((f.clone(), e));
            continue;
        }
        let dir = root.join(rel);
        if std::fs::symlink_metadata(&dir).is_ok_and(|md| md.is_dir()) {
            starts.push(dir);
        }
    }
    report_outside(outside, problems);
    walk_from(root, &starts, Discovery::Configured, None, problems, seen)
}

/// Name each symbolic link that leads outside the repository once, as a
/// `symlink-outside` warning (a dangling link is skipped like any other).
fn report_outside(outside: Vec<(String, contain::ContainError)>, problems: &mut Vec<Problem>) {
    let mut named = std::collections::BTreeSet::new();
    for (path, e) in outside {
        match e {
            contain::ContainError::SymlinkOutside { link, target, .. } => {
                if named.insert(link.clone()) {
                    let why = format!("symbolic link to {}, outside the repository; skipped", target.display());
                    problems.push(Problem::warning("symlink-outside", &link, 1, 1, why));
                }
            }
            contain::ContainError::SymlinkBroken { .. } => {}
            e => problems.push(Problem::error("unreadable", &path, 1, 1, e.to_string())),
        }
    }
}

/// The walk itself: the `ignore` crate's walker, on one thread (loading
/// is what runs in parallel). Its parallel walker queued every entry of a
/// large folder at once across threads: 10k documents cost 1345 B each at
/// the peak instead of 866 B, and no less time. `max_depth: Some(1)`
/// looks at the starting folders' own entries only.
fn walk_from(
    root: &Path,
    starts: &[PathBuf],
    mode: Discovery,
    max_depth: Option<usize>,
    problems: &mut Vec<Problem>,
    seen: &mut dyn FnMut(Found<'_>),
) -> Vec<String> {
    let Some((first, rest)) = starts.split_first() else {
        return Vec::new();
    };
    WALKS.fetch_add(1, Ordering::Relaxed);
    let anywhere = mode == Discovery::Anywhere;
    let mut b = ignore::WalkBuilder::new(first);
    for s in rest {
        b.add(s);
    }
    b.follow_links(false)
        .max_depth(max_depth)
        .hidden(!anywhere)
        .parents(anywhere)
        .git_ignore(anywhere)
        .git_exclude(anywhere)
        .git_global(false)
        .ignore(anywhere)
        .filter_entry(move |e| {
            let skip = e.depth() > 0
                && e.file_type().is_some_and(|t| t.is_dir())
                && e.file_name().to_str().is_some_and(|n| {
                    if anywhere {
                        SKIP_DIRS.contains(&n)
                    } else {
                        n == "node_modules"
                    }
                });
            !skip
        });
    let (mut out, mut found_problems) = (Vec::new(), Vec::new());
    let mut outside = Vec::new();
    for entry in b.build() {
        // Links are never followed; one that leads outside is named.
        if let Ok(e) = &entry {
            if e.path_is_symlink() {
                let rel = relative(root, e.path());
                if let Err(err) = contain::check(root, &rel) {
                    outside.push((rel, err));
                }
                continue;
            }
        }
        if let Ok(e) = &entry {
            if e.depth() > 0 && e.file_type().is_some_and(|t| t.is_dir()) {
                seen(Found::Dir(e.path()));
            }
        }
        let got = match entry {
            Ok(e) => md_file(root, &e),
            Err(e) => walk_problem(root, &e).map(Err),
        };
        match got {
            Some(Ok(p)) => {
                seen(Found::File(&p));
                out.push(p)
            }
            Some(Err(p)) => found_problems.push(p),
            None => {}
        }
    }
    report_outside(outside, &mut found_problems);
    found_problems.sort_by(|a: &Problem, b| a.path.cmp(&b.path));
    problems.extend(found_problems);
    out.sort_unstable();
    out.dedup();
    out
}

/// A walked entry: `Some(Ok(path))` for a regular `*.md` file, a problem
/// for one whose name is not UTF-8; folders and symbolic links are no
/// documents.
fn md_file(root: &Path, e: &ignore::DirEntry) -> Option<Result<String, Problem>> {
    let ft = e.file_type()?;
    if !ft.is_file() || e.path_is_symlink() {
        return None;
    }
    let name = e.file_name();
    let Some(name) = name.to_str() else {
        let is_md = name.as_encoded_bytes().ends_with(b".md");
        return is_md.then(|| {
            Err(Problem::warning(
                "bad-file-name",
                &relative(root, e.path()),
                1,
                1,
                "file name is not valid UTF-8; skipped",
            ))
        });
    };
    (name.ends_with(".md") || name.ends_with(".MD")).then(|| Ok(relative(root, e.path())))
}

/// A folder the walk could not read, as a problem.
fn walk_problem(root: &Path, e: &ignore::Error) -> Option<Problem> {
    let mut err = e;
    let mut path = None;
    loop {
        match err {
            ignore::Error::WithPath { path: p, err: inner } => {
                path = Some(relative(root, p));
                err = inner;
            }
            ignore::Error::WithDepth { err: inner, .. } | ignore::Error::WithLineNumber { err: inner, .. } => {
                err = inner
            }
            ignore::Error::Io(_) => break,
            // A bad .gitignore line or a link loop: nothing we would read.
            _ => return None,
        }
    }
    Some(Problem::error(
        "unreadable",
        path.as_deref().unwrap_or("."),
        1,
        1,
        e.to_string(),
    ))
}

/// How much of a file default discovery reads before deciding whether the
/// rest is worth reading.
const SNIFF_BYTES: usize = 8192;

/// Whether a file's first [`SNIFF_BYTES`] hold any word a document starts
/// with (a status, an ID key, a severity, a decision), or a section only
/// documents have (`## Context`, `## Problem Statement`, `## Work Log`):
/// a document whose status comes after a long context is read whole, and
/// parsing decides ([`not_a_document`]). Other pages stop at their head.
fn sniff_says_document(head: &[u8]) -> bool {
    let lower = String::from_utf8_lossy(&head.to_ascii_lowercase()).into_owned();
    ["status", "estado", "issue_id", "\nid:", "severity", "decision", "# adr"]
        .iter()
        .any(|w| lower.contains(w))
        || lower
            .lines()
            .any(|l| l.trim_start().starts_with('#') && document::is_family_section_heading(l))
}

/// Whether a path's name or folder says it is meant as a document, so
/// that default discovery reads it whole and reports it when it cannot be
/// read (empty, binary, not UTF-8).
fn meant_as_document(rel: &str) -> bool {
    name_says_document(rel)
        || rel
            .rsplit('/')
            .skip(1)
            .any(|d| FAMILY_DIRS.contains(&d.to_ascii_lowercase().as_str()))
}

/// Read a file once; in default discovery stop after its first
/// [`SNIFF_BYTES`] (`None`) when neither its name, its folder nor that
/// head can be a document's. Never more than one byte past the size limit
/// is read.
fn read_candidate(abs: &Path, rel: &str, mode: Discovery) -> Result<Option<Vec<u8>>, Problem> {
    use std::io::Read;
    let io = |e: std::io::Error| Problem::error("unreadable", rel, 1, 1, e.to_string());
    counted_read();
    let mut f = std::fs::File::open(abs).map_err(io)?;
    let size = f.metadata().map(|m| m.len() as usize).unwrap_or(0);
    let mut bytes = Vec::with_capacity(size.min(document::MAX_FILE_BYTES + 1));
    if mode == Discovery::Anywhere && !meant_as_document(rel) {
        (&mut f).take(SNIFF_BYTES as u64).read_to_end(&mut bytes).map_err(io)?;
        if !sniff_says_document(&bytes) {
            return Ok(None);
        }
    }
    let room = (document::MAX_FILE_BYTES + 1).saturating_sub(bytes.len());
    f.take(room as u64).read_to_end(&mut bytes).map_err(io)?;
    Ok(Some(bytes))
}

/// A file name that makes a document by itself: a todo's (a number and a
/// priority: `030-pending-p1-x.md`), a finding's (its ID with a status or
/// a priority: `SEC-003-open-x.md`), or an ADR's (`ADR-0083.md`,
/// `adr-001-x.md`). A number and a status word alone
/// (`0003-accepted-practices.md`) are no more than a numbered page's name.
fn name_says_document(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let f = document::filename::FileName::parse(name);
    f.id_str().is_some_and(|id| {
        f.priority.is_some()
            || (f.status.is_some() && document::is_finding_id(id))
            || id.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("adr-"))
    })
}

/// Why a file that default discovery found is not a document, or `None`
/// when it is one: it has a status, an ID with a family's keys, or the
/// sections of a decision record; a status-less file counts when both its
/// name carries an ID and its folder is a family's ([`FAMILY_DIRS`]).
pub(crate) fn not_a_document(doc: &Document) -> Option<&'static str> {
    let path = doc.meta.path.as_str();
    if name_says_document(path) {
        return None;
    }
    let fm = |k: &str| doc.key(k).is_some();
    if fm("status") || fm("issue_id") {
        return None;
    }
    let family_key = [
        "severity", "priority", "category", "agent", "file", "line", "created", "date",
    ]
    .iter()
    .any(|k| fm(k));
    if fm("id") && (family_key || doc.scalar("id").is_some_and(|id| document::is_finding_id(&id))) {
        return None;
    }
    if doc.meta.kind == Kind::Adr && doc.is_decision_record() {
        return None;
    }
    let in_family_dir = path
        .rsplit('/')
        .skip(1)
        .any(|d| FAMILY_DIRS.contains(&d.to_ascii_lowercase().as_str()));
    let named_id = doc.file.id_str().is_some();
    match (doc.meta.status, &doc.meta.status_raw) {
        (Some(_), _) => None,
        (None, Some(_)) if named_id || in_family_dir => None,
        (None, Some(_)) => Some("its Status line holds no status, and neither its name nor its folder is a document's"),
        (None, None) if named_id && in_family_dir => None,
        (None, None) => Some("no status, no ID and no decision-record sections"),
    }
}

/// An ID compared as the resolver compares IDs, ASCII case aside,
/// without a lowercase copy.
#[derive(Debug, Clone, Copy)]
struct Caseless<'a>(&'a str);

impl PartialEq for Caseless<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(other.0)
    }
}

impl Eq for Caseless<'_> {}

impl std::hash::Hash for Caseless<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        // Lowercased a piece at a time into a buffer, hashed a piece at a
        // time (an ID is one piece).
        let mut buf = [0u8; 32];
        for piece in self.0.as_bytes().chunks(buf.len()) {
            for (low, b) in buf.iter_mut().zip(piece) {
                *low = b.to_ascii_lowercase();
            }
            state.write(&buf[..piece.len()]);
        }
        state.write_u8(0xff);
    }
}

/// The problems that need the whole repository, duplicate IDs and
/// dependencies on IDs that do not exist, of the documents at `of` in
/// `items` (every one when `None`), each with its document's place in
/// `items`: for one document, its duplicate first, then its missing
/// dependencies in the order it lists them. `items` must be the whole
/// repository's documents, in path order.
///
/// For a few documents (a one-document command's), each is compared with
/// every document in one pass; for more, a table of every ID is built
/// once. Both give the same problems.
pub(crate) fn cross_problems<T: resolve::Named>(items: &[T], of: Option<&[usize]>) -> Vec<(usize, Problem)> {
    match of {
        Some(of) if of.len() <= SCANNED => cross_problems_scanned(items, of),
        _ => cross_problems_tabled(items, of),
    }
}

/// Up to how many documents [`cross_problems`] compares with every
/// document rather than building a table of every ID (a pass over the
/// IDs costs a few nanoseconds a document, the table over a hundred).
const SCANNED: usize = 8;

/// [`cross_problems`] through a table of every (family, ID).
fn cross_problems_tabled<T: resolve::Named>(items: &[T], of: Option<&[usize]>) -> Vec<(usize, Problem)> {
    use std::collections::hash_map::Entry as Slot;
    // Each (family, ID) with the first document that has it; the others
    // that have it too, by that first one.
    let mut first: HashMap<(Kind, Caseless<'_>), usize> = HashMap::with_capacity(items.len());
    let mut more: HashMap<usize, Vec<usize>> = HashMap::new();
    // Each document's first one with its family and ID (itself, mostly).
    let mut group: Vec<usize> = Vec::with_capacity(items.len());
    for (i, m) in items.iter().enumerate() {
        match first.entry((m.kind(), Caseless(m.id()))) {
            Slot::Vacant(v) => {
                v.insert(i);
                group.push(i);
            }
            Slot::Occupied(o) => {
                more.entry(*o.get()).or_default().push(i);
                group.push(*o.get());
            }
        }
    }
    let known = |id: &str| Kind::ALL.iter().any(|k| first.contains_key(&(*k, Caseless(id))));
    let mut add: Vec<(usize, Problem)> = Vec::new();
    let all: Vec<usize>;
    let of = match of {
        Some(of) => of,
        None => {
            all = (0..items.len()).collect();
            &all
        }
    };
    for &i in of {
        if i >= items.len() {
            continue;
        }
        let f = group[i];
        let same: Vec<usize> = match more.get(&f) {
            Some(rest) => std::iter::once(f)
                .chain(rest.iter().copied())
                .filter(|&j| j != i)
                .collect(),
            None => Vec::new(),
        };
        problems_of(items, i, &same, &known, &mut add);
    }
    add
}

/// [`cross_problems`] for a few documents, each compared with every
/// document in one pass: the others of its family and ID, and which of
/// the IDs its dependencies name exist.
fn cross_problems_scanned<T: resolve::Named>(items: &[T], of: &[usize]) -> Vec<(usize, Problem)> {
    let mut add: Vec<(usize, Problem)> = Vec::new();
    for &i in of {
        let Some(m) = items.get(i) else {
            continue;
        };
        // Every ID a dependency may be looked up by (see `problems_of`).
        let mut wanted: Vec<(std::borrow::Cow<'_, str>, bool)> = Vec::new();
        for dep in m.dependencies() {
            wanted.push((dep.into(), false));
            wanted.push((dependency_id(dep), false));
        }
        let mut same: Vec<usize> = Vec::new();
        for (j, o) in items.iter().enumerate() {
            let id = o.id();
            if j != i && o.kind() == m.kind() && id.eq_ignore_ascii_case(m.id()) {
                same.push(j);
            }
            for (w, found) in wanted.iter_mut() {
                *found |= id.eq_ignore_ascii_case(w);
            }
        }
        let known = |id: &str| wanted.iter().any(|(w, found)| *found && *w == id);
        problems_of(items, i, &same, &known, &mut add);
    }
    add
}

/// The ID a dependency names when it is not one exactly: without `.md`,
/// the ID in a file name.
fn dependency_id(dep: &str) -> std::borrow::Cow<'_, str> {
    let id = dep.trim_end_matches(".md");
    match document::filename::FileName::parse(id).id_str() {
        Some(named) => named.to_string().into(),
        None => id.into(),
    }
}

/// The problems of the document at `i` in `items`, given the others of its
/// family and ID (`same`, in order) and whether an ID exists in any family
/// (`known`, asked only of its dependencies and the IDs they name).
fn problems_of<T: resolve::Named>(
    items: &[T],
    i: usize,
    same: &[usize],
    known: &impl Fn(&str) -> bool,
    add: &mut Vec<(usize, Problem)>,
) {
    let m = &items[i];
    if !same.is_empty() {
        let others: Vec<&str> = same.iter().map(|&j| items[j].path()).collect();
        add.push((
            i,
            Problem::error(
                "duplicate-id",
                m.path(),
                1,
                1,
                format!("ID {} is also used by {}", m.id(), others.join(", ")),
            ),
        ));
    }
    // Exact IDs answer almost every dependency; the resolver (a scan of
    // every item) only runs for the rest.
    for dep in m.dependencies() {
        if known(dep) {
            continue;
        }
        let id = &*dependency_id(dep);
        let missing = |q: &str| matches!(resolve::resolve(items, q), Err(resolve::ResolveError::NotFound { .. }));
        if !known(id) && missing(id) && missing(dep) {
            add.push((
                i,
                Problem::warning(
                    "missing-dependency",
                    m.path(),
                    1,
                    1,
                    format!("depends on {dep:?}, which is not in this repository"),
                ),
            ));
        }
    }
}

/// What loading one candidate file gave.
#[allow(clippy::large_enum_variant)] // one per file, moved once
#[derive(Debug, Clone)]
pub(crate) enum Loaded {
    Document(Meta),
    Failed(Problem),
    Skipped(&'static str),
}

/// Judge bytes read from elsewhere (a git blob) as [`load_meta`] judges a
/// file at `rel`: its metadata, the problem reading it, or `None` when it
/// is not a document.
pub(crate) fn meta_from_bytes(
    rel: &str,
    bytes: Vec<u8>,
    workflows: &Workflows,
    mode: Discovery,
) -> Option<Result<Meta, Problem>> {
    match judge_bytes(rel, bytes, workflows, mode) {
        Loaded::Document(m) => Some(Ok(m)),
        Loaded::Failed(p) => Some(Err(p)),
        Loaded::Skipped(_) => None,
    }
}

/// The verdict on a whole file's bytes, as [`load_candidate`] gives it for
/// the same file (the head sniffed first in default discovery).
fn judge_bytes(rel: &str, bytes: Vec<u8>, workflows: &Workflows, mode: Discovery) -> Loaded {
    if mode == Discovery::Anywhere
        && !meant_as_document(rel)
        && !sniff_says_document(&bytes[..bytes.len().min(SNIFF_BYTES)])
    {
        return Loaded::Skipped("no status, ID, decision or document section in its first 8 KB");
    }
    judge(rel, bytes, workflows, mode)
}

/// Whether discovery would look at `rel` (repository-relative, `/`-separated):
/// a `*.md` file under a configured folder (not in a hidden folder below
/// it), or (none configured) anywhere outside [`SKIP_DIRS`]. `.gitignore` is not consulted:
/// the callers get their paths from git, which has applied it.
pub(crate) fn discoverable(config: &Config, rel: &str) -> bool {
    if !(rel.ends_with(".md") || rel.ends_with(".MD")) || rel.split('/').any(|c| c.is_empty() || c == "..") {
        return false;
    }
    let dirs: Vec<&str> = rel.split('/').collect();
    let dirs = &dirs[..dirs.len() - 1];
    match &config.folders {
        Some(folders) => folders.iter().any(|f| {
            let f = f.trim_matches('/');
            let below = if f.is_empty() || f == "." {
                Some(rel)
            } else {
                rel.strip_prefix(f).and_then(|r| r.strip_prefix('/'))
            };
            below.is_some_and(|b| {
                let parts: Vec<&str> = b.split('/').collect();
                parts.iter().all(|d| !d.starts_with('.')) && !parts.contains(&"node_modules")
            })
        }),
        None => dirs.iter().all(|d| !SKIP_DIRS.contains(d)),
    }
}

/// Read and parse one candidate file. README, index and template files
/// that declare no document are skipped, and in default discovery so is
/// every file that is not a document ([`not_a_document`]). A document
/// with no status anywhere gets a `no-status` warning.
fn load_candidate(root: &Path, rel: &str, workflows: &Workflows, mode: Discovery) -> Loaded {
    let bytes = match read_candidate(&root.join(rel), rel, mode) {
        Ok(Some(b)) => b,
        Ok(None) => return Loaded::Skipped("no status, ID, decision or document section in its first 8 KB"),
        Err(p) => return Loaded::Failed(p),
    };
    judge(rel, bytes, workflows, mode)
}

/// The verdict on a candidate's bytes (see [`load_candidate`]).
fn judge(rel: &str, bytes: Vec<u8>, workflows: &Workflows, mode: Discovery) -> Loaded {
    let doc = match document::decode(rel, bytes) {
        Ok(text) => Document::parse_with(rel, text, workflows),
        Err(u)
            if u.0.code == "empty"
                && (document::is_auxiliary(rel) || (mode == Discovery::Anywhere && !meant_as_document(rel))) =>
        {
            return Loaded::Skipped("empty file")
        }
        Err(u) => return Loaded::Failed(u.0),
    };
    if !document::counts_as_document(rel, &doc) {
        return Loaded::Skipped(if document::is_template(rel) {
            "a template"
        } else {
            "a README, index or the like that declares no status or ID"
        });
    }
    if mode == Discovery::Anywhere {
        if let Some(why) = not_a_document(&doc) {
            return Loaded::Skipped(why);
        }
    }
    let mut meta = doc.meta;
    if meta.status_raw.is_none() {
        meta.problems.push(Problem::warning(
            "no-status",
            rel,
            1,
            1,
            "no status anywhere (front matter, a Status section, heading, field or table row, or the file name)",
        ));
    }
    Loaded::Document(meta)
}

/// Load one file into its metadata, or a problem saying why it cannot be
/// read; `None` when it is not a document.
pub(crate) fn load_meta(
    root: &Path,
    rel: &str,
    workflows: &Workflows,
    mode: Discovery,
) -> Option<Result<Meta, Problem>> {
    match load_candidate(root, rel, workflows, mode) {
        Loaded::Document(m) => Some(Ok(m)),
        Loaded::Failed(p) => Some(Err(p)),
        Loaded::Skipped(_) => None,
    }
}

/// A load in progress ([`Repo::open_in_batches`]): the files read so far,
/// each with what the index keeps of it, their documents in the same
/// order, and the problems of those that failed.
struct Loading<'a> {
    root: &'a Path,
    workflows: &'a Workflows,
    mode: Discovery,
    racy_since: i64,
    kept: Vec<(String, Kept)>,
    items: Vec<Meta>,
    failed: Vec<Problem>,
    /// The index must be written again.
    changed: bool,
}

impl Loading<'_> {
    /// Load `chunk` (paths in path order with their previous index
    /// entries, still encoded) in parallel: each file's `lstat` taken
    /// relative to its open folder, its entry decoded only when the file
    /// is unchanged.
    fn chunk(&mut self, chunk: Vec<(String, Option<index::Stored>)>) {
        let (root, workflows, mode, racy_since) = (self.root, self.workflows, self.mode, self.racy_since);
        let records: Vec<index::Record> = chunk
            .par_iter()
            .map_init(
                || index::At::new(root),
                |at, (p, e)| {
                    let stat = at.lstat(p);
                    let old = e.as_ref().and_then(index::Stored::raw);
                    index::load_known(root, p, old, stat, workflows, mode, racy_since)
                },
            )
            .collect();
        for ((path, _), r) in chunk.into_iter().zip(records) {
            self.changed |= r.changed;
            let verdict = match r.loaded {
                Loaded::Document(m) => {
                    self.items.push(m);
                    KeptVerdict::Document
                }
                Loaded::Failed(p) => {
                    self.failed.push(p);
                    KeptVerdict::Failed(self.failed.len() - 1)
                }
                Loaded::Skipped(why) => KeptVerdict::Skipped(why),
            };
            self.kept.push((
                path,
                Kept {
                    stat: r.stat,
                    hash: r.hash,
                    verdict,
                },
            ));
        }
    }
}

/// What loading kept of one candidate for the index, its document or
/// problem aside.
struct Kept {
    stat: Option<index::Stat>,
    hash: Option<u128>,
    verdict: KeptVerdict,
}

/// A [`Kept`] file's verdict: a document (the next of the loaded items),
/// a problem (its place among the failures), or why it was skipped.
enum KeptVerdict {
    Document,
    Failed(usize),
    Skipped(&'static str),
}

/// Documents read so far by [`Repo::open_in_batches`].
#[derive(Debug, Clone, Copy)]
pub struct Batch<'a> {
    /// The documents of this batch: in path order when an index was
    /// checked, else in the order the walk found them.
    pub items: &'a [Meta],
    /// Files read so far, and files to read in all (0 while the walk is
    /// still finding them).
    pub done: usize,
    /// Files to read in all (0 while the walk is still finding them).
    pub total: usize,
}

/// A `*.md` file discovery looked at and did not list, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Skipped {
    /// The file, relative to the root.
    pub path: String,
    /// Why it was not listed (`empty file`, or no status, ID or document section in its
    /// first 8 KB).
    pub reason: &'static str,
}

/// Read, decode and parse one file with the built-in workflows; `Err` when
/// it cannot be a document.
pub fn load(abs: &Path, rel: &str) -> Result<Document, Unreadable> {
    load_with(abs, rel, Workflows::builtin())
}

/// [`load`] with a repository's workflows: the one way a document file is
/// read whole (through [`bounded`]).
pub(crate) fn load_with(abs: &Path, rel: &str, workflows: &Workflows) -> Result<Document, Unreadable> {
    counted_read();
    let bytes = bounded::read(abs, document::MAX_FILE_BYTES as u64).map_err(|e| {
        let code = match e {
            bounded::ReadError::NotAFile { .. } => "not-a-file",
            bounded::ReadError::TooLarge { .. } => "too-large",
            bounded::ReadError::Io { .. } => "unreadable",
        };
        Unreadable(Problem::error(code, rel, 1, 1, e.reason()))
    })?;
    let text = document::decode(rel, bytes)?;
    Ok(Document::parse_with(rel, text, workflows))
}

impl Repo {
    /// Open the repository whose root is `root` (see `discover_root`).
    pub fn open(root: &Path) -> Result<Repo, StoreError> {
        let config = Config::load(root)?;
        Ok(Self::open_with(root, config))
    }

    /// Load every document under `root` with an already read configuration.
    pub fn open_with(root: &Path, config: Config) -> Repo {
        Self::open_in_batches(root, config, |_| {})
    }

    /// [`Repo::open_with`], reporting the documents as they are read:
    /// `batch` is called after each [`Batch`] of files (small at first, so
    /// the first rows come at once). With a usable index the files are
    /// checked against it in path order; without one they are read as the
    /// walk finds them. The repository returned is the same as
    /// `open_with`'s, in path order, and the index is written when it
    /// changed.
    pub fn open_in_batches(root: &Path, config: Config, batch: impl FnMut(Batch<'_>)) -> Repo {
        Self::load(root, config, false, batch)
    }

    /// [`Repo::open_in_batches`] for a display: with a usable index, its
    /// documents as they were at the last run come at once as one batch,
    /// unchecked, and the repository returned (checked against the files)
    /// replaces them; without one, batches as `open_in_batches` sends them.
    pub(crate) fn open_for_display(root: &Path, config: Config, batch: impl FnMut(Batch<'_>)) -> Repo {
        Self::load(root, config, true, batch)
    }

    /// The load behind [`Repo::open_in_batches`] and
    /// [`Repo::open_for_display`] (`preview`).
    fn load(root: &Path, config: Config, preview: bool, mut batch: impl FnMut(Batch<'_>)) -> Repo {
        let workflows = config.workflows();
        let mode = Discovery::of(&config);
        let mut file_problems = Vec::new();
        if !config.workflow.is_empty() {
            let text = std::fs::read_to_string(root.join(config::FILE_NAME)).ok();
            file_problems.extend(config.workflow_problems(text.as_deref()));
        }
        // What the last run learned of each file (nothing when there is no
        // usable index): unchanged files are not read again.
        let place = index::location(root);
        let key = index::key(&config);
        let mut previous = place
            .as_deref()
            .map(|p| index::Previous::read(p, key))
            .unwrap_or_default();
        let racy_since = index::racy_since();
        let mut load = Loading {
            root,
            workflows: &workflows,
            mode,
            racy_since,
            kept: Vec::new(),
            items: Vec::new(),
            failed: Vec::new(),
            changed: false,
        };
        let guards: Vec<index::Guard>;
        if previous.len() == 0 {
            // Nothing to check against: files are read as the walk (on a
            // thread of its own) finds them, so the first batch does not
            // wait for the whole walk.
            load.changed = true;
            let (tx, rx) = std::sync::mpsc::channel::<String>();
            let cfg = &config;
            let walked = std::thread::scope(|s| {
                let walker = s.spawn(move || {
                    let mut problems = Vec::new();
                    let mut guards = index::Guards::new(root, cfg, racy_since);
                    candidates_seen(root, cfg, &mut problems, &mut |f| match f {
                        Found::File(f) => {
                            let _ = tx.send(f.to_string());
                        }
                        Found::Dir(d) => guards.dir(d),
                    });
                    (problems, guards.list)
                });
                let mut seen = std::collections::HashSet::new();
                let mut step = 512;
                let mut open = true;
                while open {
                    let mut chunk = Vec::with_capacity(step);
                    while chunk.len() < step {
                        match rx.recv() {
                            Ok(p) if seen.insert(p.clone()) => chunk.push((p, None)),
                            Ok(_) => {}
                            Err(_) => {
                                open = false;
                                break;
                            }
                        }
                    }
                    if chunk.is_empty() {
                        break;
                    }
                    let first = load.items.len();
                    load.chunk(chunk);
                    step = (step * 2).min(16_384);
                    let done = load.kept.len();
                    let total = if open { 0 } else { done };
                    batch(Batch {
                        items: &load.items[first..],
                        done,
                        total,
                    });
                }
                walker.join()
            });
            match walked {
                Ok((problems, g)) => {
                    file_problems.extend(problems);
                    guards = g;
                }
                Err(panic) => std::panic::resume_unwind(panic),
            }
            load.kept.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            load.items.sort_unstable_by(|a, b| a.path.cmp(&b.path));
        } else {
            if preview {
                let shown = previous.documents();
                batch(Batch {
                    items: &shown,
                    done: shown.len(),
                    total: shown.len(),
                });
            }
            let mut walk = index::Guards::new(root, &config, racy_since);
            let files = candidates_seen(root, &config, &mut file_problems, &mut |f| {
                if let Found::Dir(d) = f {
                    walk.dir(d)
                }
            });
            let mut walked = walk.list;
            index::keep_vouched(&mut walked, &previous.guards);
            guards = walked;
            let had = previous.len();
            // Findings' own writes journaled since are folded into a new index.
            load.changed = guards != previous.guards || previous.journaled();
            let total = files.len();
            // Known sizes: no doubling (a Meta is 344 bytes).
            load.items.reserve_exact(total);
            load.kept.reserve_exact(total);
            let mut matched = 0;
            let mut rest = previous
                .take_stored(files)
                .inspect(|(_, e)| matched += usize::from(e.is_some()));
            let mut step = 512;
            loop {
                let chunk: Vec<_> = rest.by_ref().take(step).collect();
                if chunk.is_empty() {
                    load.changed |= matched != had;
                    break;
                }
                let first = load.items.len();
                load.chunk(chunk);
                step = (step * 2).min(16_384);
                if !preview {
                    batch(Batch {
                        items: &load.items[first..],
                        done: load.kept.len(),
                        total,
                    });
                }
            }
        }
        let Loading {
            kept,
            mut items,
            failed,
            changed,
            ..
        } = load;
        // The index found current: what a write after this load needs of it
        // (`index::own`), as when it is written below.
        if let Some((at, base)) = place.as_deref().filter(|_| !changed && cfg!(unix)).zip(previous.base) {
            let journal = previous.journal.as_ref().map(index::journal::Journal::mark);
            let paths = kept.iter().map(|(p, _)| p.as_str());
            index::own::remember_written(at, key, base, journal, &guards, paths);
        }
        if let Some(place) = place.filter(|_| changed && cfg!(unix)) {
            // Before the whole-repository checks add their problems: the
            // index keeps what each file says by itself.
            let mut docs = items.iter();
            let rows = kept.iter().filter_map(|(path, k)| {
                let verdict = match k.verdict {
                    KeptVerdict::Document => index::RowVerdict::Document(docs.next()?),
                    KeptVerdict::Failed(i) => index::RowVerdict::Failed(failed.get(i)?),
                    KeptVerdict::Skipped(why) => index::RowVerdict::Skipped(why),
                };
                Some(index::Row {
                    path,
                    stat: k.stat?,
                    hash: k.hash,
                    verdict,
                })
            });
            // A failed write costs the next run its speed, nothing else.
            if let Ok(written) = index::write(&place, key, rows, &guards) {
                // What a write after this load needs of the index (`index::own`).
                let paths = kept.iter().filter(|(_, k)| k.stat.is_some()).map(|(p, _)| p.as_str());
                index::own::remember_written(&place, key, written, None, &guards, paths);
            }
        }
        drop(kept);
        items.shrink_to_fit();
        file_problems.extend(failed);
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
            partial: Some(Partial::default()),
        })
    }

    /// Paths of the repository's ADRs: the loaded ones, or, when the
    /// repository was opened partially, every file under an ADR folder
    /// (`adr/`, `decisions/`, …) or under no family folder (an ADR is known
    /// by its content too); not read here.
    pub(crate) fn adr_paths(&self) -> Vec<String> {
        if let Some(adrs) = self.partial.as_ref().and_then(|p| p.adrs.as_ref()) {
            return adrs.iter().map(str::to_string).collect();
        }
        let walked;
        let files: Box<dyn Iterator<Item = &str>> = match self.partial.as_ref().map(|p| &p.paths) {
            None => {
                return self
                    .items
                    .iter()
                    .filter(|m| m.kind == Kind::Adr)
                    .map(|m| m.path.clone())
                    .collect()
            }
            Some(f) if !f.is_empty() => Box::new(f.iter()),
            Some(_) => {
                walked = candidates(&self.root, &self.config, &mut Vec::new());
                Box::new(walked.iter().map(String::as_str))
            }
        };
        // Under an ADR folder, or under no family folder at all: an ADR
        // found by its content (`notes/0105-….md`) counts as much as one in
        // `adr/`. Files under a todo or finding folder are not ADRs.
        files
            .filter(|p| {
                let dirs = || p.split('/').rev().skip(1).map(str::to_ascii_lowercase);
                dirs().any(|d| ADR_DIRS.contains(&d.as_str())) || !dirs().any(|d| FAMILY_DIRS.contains(&d.as_str()))
            })
            .map(str::to_string)
            .collect()
    }

    /// Problems that need the whole repository: duplicate IDs and
    /// dependencies on IDs that do not exist.
    fn cross_check(&mut self) {
        for (i, p) in cross_problems(&self.items, None) {
            self.items[i].problems.push(p);
        }
    }

    /// The `*.md` files discovery looked at and did not list, with the
    /// reason (for `check --verbose`). Walks and reads them again.
    pub fn skipped(&self) -> Vec<Skipped> {
        let mode = Discovery::of(&self.config);
        let workflows = self.workflows();
        let files = candidates(&self.root, &self.config, &mut Vec::new());
        let mut out: Vec<Skipped> = files
            .par_iter()
            .filter_map(|p| match load_candidate(&self.root, p, workflows, mode) {
                Loaded::Skipped(reason) => Some(Skipped {
                    path: p.clone(),
                    reason,
                }),
                _ => None,
            })
            .collect();
        out.sort_by(|a, b| a.path.cmp(&b.path));
        out
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

    /// The document `query` names (see `resolve::resolve`).
    pub fn resolve(&self, query: &str) -> Result<&Meta, resolve::ResolveError> {
        resolve::resolve(&self.items, query)
    }

    /// Absolute path of a repository-relative path.
    pub fn abs(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// Read and parse a document in full.
    pub fn document(&self, meta: &Meta) -> Result<Document, StoreError> {
        self.read(&meta.path)
    }

    /// Read and parse the document at `rel` (repository-relative) in full,
    /// with this repository's workflows.
    pub(crate) fn read(&self, rel: &str) -> Result<Document, StoreError> {
        contain::check(&self.root, rel)?;
        load_with(&self.abs(rel), rel, self.workflows()).map_err(|u| StoreError::Unreadable(u.0))
    }

    /// The folders that hold this repository's documents, for watching:
    /// the configured ones, else the outermost folders of the loaded
    /// documents.
    pub fn document_folders(&self) -> Vec<String> {
        if let Some(f) = &self.config.folders {
            return f.clone();
        }
        let mut dirs: Vec<&str> = self
            .items
            .iter()
            .filter_map(|m| m.path.rsplit_once('/').map(|(d, _)| d))
            .collect();
        dirs.sort_unstable();
        dirs.dedup();
        let mut out: Vec<String> = Vec::new();
        for d in dirs {
            if !out
                .iter()
                .any(|o| d.strip_prefix(o.as_str()).is_some_and(|r| r.starts_with('/')))
            {
                out.push(d.to_string());
            }
        }
        out
    }

    /// The families' workflows, `findings.toml`'s overrides applied: a
    /// property of the repository, built once.
    pub(crate) fn workflows(&self) -> &Workflows {
        self.config.built()
    }

    /// Parse a document's text with this repository's workflows.
    pub(crate) fn parse(&self, path: &str, text: String) -> Document {
        Document::parse_with(path, text, self.workflows())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A document as the whole-repository checks see it.
    struct Doc {
        path: String,
        id: &'static str,
        kind: Kind,
        deps: Vec<&'static str>,
    }

    impl resolve::Named for Doc {
        fn id(&self) -> &str {
            self.id
        }
        fn kind(&self) -> Kind {
            self.kind
        }
        fn path(&self) -> &str {
            &self.path
        }
        fn title(&self) -> &str {
            "T"
        }
        fn dependencies(&self) -> impl Iterator<Item = &str> {
            self.deps.iter().copied()
        }
    }

    /// Paths kept in one buffer come back as they were given, empty ones
    /// and non-ASCII ones included.
    #[test]
    fn paths_in_one_buffer_come_back_as_given() {
        let given = ["todos/001-a.md", "", "adr/0001-é.md", "x", ""];
        let p: Paths = given.iter().copied().collect();
        assert_eq!(p.len(), given.len());
        assert!(!p.is_empty());
        assert_eq!(p.iter().collect::<Vec<_>>(), given);
        assert_eq!(Paths::sized(|| given.iter().copied()), p);
        let none: Paths = std::iter::empty().collect();
        assert!(none.is_empty() && none.iter().next().is_none());
        assert_eq!(none, Paths::default());
    }

    /// The problems of a few documents, found by comparing each with every
    /// document, are the ones the table of every ID gives: duplicates
    /// within a family (ASCII case aside, listed in path order, three of
    /// one ID included), not across families; dependencies by exact ID, in
    /// another case, by file name, with `.md`, on a document's path, and
    /// missing.
    #[test]
    fn a_few_documents_have_the_problems_the_table_gives() {
        let d = |path: &str, id: &'static str, kind: Kind, deps: &[&'static str]| Doc {
            path: path.to_string(),
            id,
            kind,
            deps: deps.to_vec(),
        };
        let items = [
            d("adr/0001-a.md", "ADR-0001", Kind::Adr, &["001", "adr-0002"]),
            d("adr/0002-b.md", "ADR-0002", Kind::Adr, &[]),
            d("findings/001-pending-p1-x.md", "001", Kind::Finding, &["missing-7"]),
            d("todos/001-pending-p2-a.md", "001", Kind::Todo, &["002", "ADR-0001"]),
            d(
                "todos/002-pending-p2-b.md",
                "002",
                Kind::Todo,
                &["002-pending-p2-b.md", "404"],
            ),
            d(
                "todos/002-ready-p2-c.md",
                "002",
                Kind::Todo,
                &["003-pending-p2-d", "nowhere.md"],
            ),
            d(
                "todos/003-pending-p2-d.md",
                "003",
                Kind::Todo,
                &["todos/002-ready-p2-c.md"],
            ),
            d("todos/abc-pending-p2-e.md", "Abc", Kind::Todo, &["ABC", "x", "001"]),
            d("todos/abc-pending-p2-f.md", "aBC", Kind::Todo, &[]),
            d("todos/abc-pending-p2-g.md", "abc", Kind::Todo, &["adr-0001", "abd"]),
        ];
        let all = cross_problems_tabled(&items, None);
        assert!(all.iter().filter(|(_, p)| p.code == "duplicate-id").count() == 5);
        assert!(all.iter().any(|(_, p)| p.code == "missing-dependency"));
        for i in 0..items.len() {
            assert_eq!(
                cross_problems_scanned(&items, &[i]),
                cross_problems_tabled(&items, Some(&[i])),
                "{i}"
            );
            let ours: Vec<_> = all.iter().filter(|(j, _)| *j == i).cloned().collect();
            assert_eq!(cross_problems(&items, Some(&[i])), ours, "{i}");
        }
        let some = [0, 4, 5, 9];
        assert_eq!(
            cross_problems(&items, Some(&some)),
            cross_problems_tabled(&items, Some(&some))
        );
        let every: Vec<usize> = (0..items.len()).collect();
        assert_eq!(cross_problems_scanned(&items, &every), all);
    }
}
