//! Opening a repository for a command about one or two documents (`show`,
//! `log`, `status`, `triage`, `tick` by ID): through the index when its
//! guards vouch that a walk would find the files it lists, checking each
//! of them (below); by file name when there is no usable
//! index; the whole repository (which writes the index again) when the
//! names in a folder changed since the index was written or neither way
//! can answer.
//!
//! Through the index, every indexed file is checked by its `lstat`, as
//! `git status` checks every tracked file (on both cores), and read only
//! when its stat changed since it was indexed or it is racily clean: any
//! edit is seen, an ID changed in a file's front matter without a rename
//! included, and no file is read that did not change.

use super::index::own::parent;
use super::index::{self, Entry, Guard, GuardKind, Previous};
use super::{
    candidates, contain, load_meta, relative, resolve, walk_from, Config, Discovery, Found, Loaded, Repo, StoreError,
};
use crate::document::Meta;
use rayon::prelude::*;
use std::path::Path;

impl Repo {
    /// Open enough of the repository at `root` to answer `queries` (IDs or
    /// paths) as a full load would: through the index when it is usable,
    /// reading only the files that changed, else by file name
    /// (see the module documentation); the whole repository when a query
    /// does not resolve that way.
    pub fn open_for(root: &Path, queries: &[&str]) -> Result<Repo, StoreError> {
        let config = Config::load(root)?;
        match through_index(root, &config) {
            Some(Through::Answer(repo)) => Ok(*repo),
            Some(Through::Whole) => Ok(Self::open_with(root, config)),
            None => Ok(by_name(root, config, queries)),
        }
    }
}

/// What the index could do for a one-document command.
enum Through {
    /// The repository as the index knows it, every file checked.
    Answer(Box<Repo>),
    /// The index is there, but the names in a folder changed.
    Whole,
}

/// Open through the index (see the module documentation); `None` when
/// there is no usable index.
fn through_index(root: &Path, config: &Config) -> Option<Through> {
    if !cfg!(unix) {
        return None;
    }
    let place = index::location(root)?;
    let mut previous = Previous::read(&place, index::key(config));
    if previous.guards.is_empty() {
        return None;
    }
    let entries = previous.entries()?;
    // What a write after this open needs of the index (`index::own`).
    index::own::remember(&place, index::key(config), &previous, &entries);
    let mode = Discovery::of(config);
    // Names changed since the index was written: the full load writes it
    // again, so that the next command finds it sound. A folder whose stat
    // changed but whose names did not needs nothing more: every file is
    // checked below.
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
            }
        }
    }
    let workflows = config.workflows();
    let racy_since = index::racy_since();
    let loaded: Vec<Loaded> = entries
        .into_par_iter()
        .map(|(path, entry)| index::load_one(root, &path, Some(entry), &workflows, mode, racy_since).loaded)
        .collect();
    let mut items: Vec<Meta> = Vec::with_capacity(loaded.len());
    let mut file_problems = Vec::new();
    for l in loaded {
        match l {
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
    Some(Through::Answer(Box::new(repo)))
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
        crate::document::filename::FileName::parse(crate::document::file_name(p))
            .id_str()
            .is_none()
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
