//! Opening a repository for a command about one or two documents (`show`,
//! `log`, `status`, `triage`, `tick` by ID): through the index when its
//! guards vouch that a walk would find the files it lists, checking only
//! the files the answer depends on; by file name when there is no usable
//! index; the whole repository (which writes the index again) when the
//! names in a folder changed since the index was written or neither way
//! can answer.
//!
//! Which files the answer depends on: a file whose name can name the query,
//! a file whose ID is kept inside it (its name does not carry that ID, or
//! it is not a document by the index: a README that gains an ID), every
//! file in a folder whose stat changed since the index was written, and
//! each document the answer names. A document whose name carries the ID it
//! has is trusted to keep it without an `lstat`: an edit that gives it
//! another ID in its front matter without renaming it is seen by the next
//! full load (`list`, `check`, the TUI), not by these commands.

use super::index::own::parent;
use super::index::{self, Entry, Guard, GuardKind, Previous};
use super::{
    candidates, contain, load_meta, relative, resolve, walk_from, Config, Discovery, Found, Loaded, Repo, StoreError,
};
use crate::document::Meta;
use std::collections::HashSet;
use std::path::Path;

impl Repo {
    /// Open enough of the repository at `root` to answer `queries` (IDs or
    /// paths) as a full load would: through the index when it is usable,
    /// reading only the files the answer depends on, else by file name
    /// (see the module documentation); the whole repository when a query
    /// does not resolve that way.
    pub fn open_for(root: &Path, queries: &[&str]) -> Result<Repo, StoreError> {
        let config = Config::load(root)?;
        match through_index(root, &config, queries) {
            Some(Through::Answer(repo)) => Ok(*repo),
            Some(Through::Whole) => Ok(Self::open_with(root, config)),
            None => Ok(by_name(root, config, queries)),
        }
    }
}

/// What the index could do for a one-document command.
enum Through {
    /// The repository as the index knows it, with every file the answer
    /// depends on checked.
    Answer(Box<Repo>),
    /// The index is there, but the names in a folder changed, or the
    /// answer names a file it did not check.
    Whole,
}

/// Open through the index (see the module documentation); `None` when
/// there is no usable index.
fn through_index(root: &Path, config: &Config, queries: &[&str]) -> Option<Through> {
    if !cfg!(unix) {
        return None;
    }
    let place = index::location(root)?;
    let mut previous = Previous::read(&place, index::key(config));
    if previous.guards.is_empty() {
        return None;
    }
    let entries = previous.entries()?;
    let mode = Discovery::of(config);
    // Folders whose names may have changed: listed again, their files
    // checked.
    let mut recheck: HashSet<String> = HashSet::new();
    // Names changed since the index was written: the full load writes it
    // again, so that the next command finds it sound.
    for g in &previous.guards {
        if g.holds(root) {
            continue;
        }
        match g.kind {
            GuardKind::File => return Some(Through::Whole),
            GuardKind::Start | GuardKind::Dir => {
                if g.stat.is_none() || !same_names(root, mode, g, &previous.guards, &entries) {
                    return Some(Through::Whole);
                }
                recheck.insert(g.path.clone());
            }
        }
    }
    let depends = |path: &str, e: &Entry| {
        recheck.contains(parent(path))
            || queries.iter().any(|q| resolve::could_name(q, path))
            || match &e.verdict {
                Loaded::Document(m) => !resolve::could_name(&m.id, path),
                Loaded::Failed(_) | Loaded::Skipped(_) => true,
            }
    };
    let workflows = config.workflows();
    let racy_since = index::racy_since();
    let mut checked: HashSet<String> = HashSet::new();
    let mut items: Vec<Meta> = Vec::with_capacity(entries.len());
    let mut file_problems = Vec::new();
    for (path, entry) in entries {
        let loaded = if depends(&path, &entry) {
            let record = index::load_one(root, &path, Some(entry), &workflows, mode, racy_since);
            checked.insert(path);
            record.loaded
        } else {
            entry.verdict
        };
        match loaded {
            Loaded::Document(m) => items.push(m),
            Loaded::Failed(p) => file_problems.push(p),
            Loaded::Skipped(_) => {}
        }
    }
    let mut repo = Repo {
        root: root.to_path_buf(),
        config: config.clone(),
        items,
        file_problems,
        partial: None,
    };
    repo.cross_check();
    // Documents sharing an ID with an answer carry its duplicate-id
    // problem: they must have been checked too.
    let answer_checked = |q: &str| match repo.resolve(q) {
        Ok(m) => {
            checked.contains(&m.path)
                && repo
                    .items
                    .iter()
                    .filter(|o| o.kind == m.kind && o.id.eq_ignore_ascii_case(&m.id))
                    .all(|o| checked.contains(&o.path))
        }
        Err(resolve::ResolveError::Ambiguous { paths, .. }) => paths.iter().all(|p| checked.contains(p)),
        Err(resolve::ResolveError::NotFound { .. }) => true,
    };
    if queries.iter().all(|q| answer_checked(q)) {
        Some(Through::Answer(Box::new(repo)))
    } else {
        Some(Through::Whole)
    }
}

/// Whether the folder `g` watches still holds the candidate files and
/// folders the index lists directly in it (one folder's entries are read,
/// with the walk's rules).
fn same_names(root: &Path, mode: Discovery, g: &Guard, guards: &[Guard], entries: &[(String, Entry)]) -> bool {
    if g.kind == GuardKind::Start && contain::check(root, Path::new(&g.path)).is_err() {
        return false;
    }
    let mut dirs = Vec::new();
    let files = walk_from(root, &[root.join(&g.path)], mode, Some(1), &mut Vec::new(), &mut |f| {
        if let Found::Dir(d) = f {
            dirs.push(relative(root, d));
        }
    });
    let mut had: Vec<&str> = entries
        .iter()
        .map(|(p, _)| p.as_str())
        .filter(|p| parent(p) == g.path)
        .collect();
    let mut had_dirs: Vec<&str> = guards
        .iter()
        .filter(|o| o.kind == GuardKind::Dir && !o.path.is_empty() && parent(&o.path) == g.path)
        .map(|o| o.path.as_str())
        .collect();
    let mut files: Vec<&str> = files
        .iter()
        .map(String::as_str)
        .filter(|p| parent(p) == g.path)
        .collect();
    let mut dirs: Vec<&str> = dirs.iter().map(String::as_str).collect();
    for v in [&mut had, &mut had_dirs, &mut files, &mut dirs] {
        v.sort_unstable();
        v.dedup();
    }
    had == files && had_dirs == dirs
}

/// Without a usable index: read only the files whose name can name a
/// query, and those whose name carries no ID (their ID is inside them and
/// may make a query ambiguous); the whole repository when a query does not
/// resolve among them. With 100k documents this reads a handful of files
/// instead of all of them, after a walk of the names.
fn by_name(root: &Path, config: Config, queries: &[&str]) -> Repo {
    let workflows = config.workflows();
    let mode = Discovery::of(&config);
    let mut file_problems = Vec::new();
    let files = candidates(root, &config, &mut file_problems);
    let unnamed = |p: &str| {
        let name = p.rsplit('/').next().unwrap_or(p);
        crate::document::filename::FileName::parse(name).id_str().is_none()
    };
    let items: Vec<Meta> = files
        .iter()
        .filter(|p| unnamed(p) || queries.iter().any(|q| resolve::could_name(q, p)))
        .filter_map(|p| load_meta(root, p, &workflows, mode))
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
        return repo;
    }
    Repo::open_with(root, repo.config)
}
