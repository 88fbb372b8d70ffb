//! IDs already taken: in the working tree and in every local branch,
//! remote-tracking branch and linked worktree's HEAD (a branch or a detached
//! commit), read from git objects (never from checkouts), so `findings new`
//! does not take a number another branch already uses.
//!
//! Over 600 lines: reading documents out of git trees for every branch and worktree, and the
//! clash check that reuses that reading.
//!
//! [`clashes_against`] answers the other half: which IDs of the working tree
//! a merge of some ref would duplicate (`findings check --against REF`).
//! Neither sees documents nobody has committed or fetched yet: two people
//! allocating at the same moment can still pick the same number, and that
//! is what the check (and `findings renumber`) is for.

use crate::document::{self, Document, Kind, Problem};
use crate::git::GitError;
use crate::store::config::Config;
use crate::store::{self, Discovery, Repo};
use git2::{ObjectType, Oid, Repository, Tree, TreeWalkMode, TreeWalkResult};
use serde::Serialize;
use std::collections::{BTreeSet, HashSet};
use std::path::Path;

/// Every (family, ID) taken in the working tree or on any branch: the
/// working tree's documents, those of `HEAD`'s tree, and each branch's
/// documents at the paths where its tree differs from `HEAD`'s (a diff of
/// trees: files the branches share are not read again), wherever loading
/// would find them. `git` is the repository as the caller opened it (a
/// write's own handle); `None` outside one reads the working tree only.
pub(crate) fn taken_ids(repo: &Repo, git: Option<&Repository>) -> Vec<(Kind, String)> {
    let mut seen: HashSet<(Kind, String)> = repo.items.iter().map(|m| (m.kind, m.id.clone())).collect();
    let local: HashSet<&str> = repo.items.iter().map(|m| m.path.as_str()).collect();
    if let Some(g) = git {
        let folders = Folders::of(repo);
        let head = g.head().and_then(|h| h.peel_to_tree()).ok();
        if let Some(head) = &head {
            for d in folders_documents(g, head, &folders, &|p| local.contains(p), false) {
                seen.insert((d.kind, d.id));
            }
        }
        let judge = Judge::new(&repo.config);
        for tree in head_trees(g) {
            if head.as_ref().is_some_and(|h| h.id() == tree.id()) {
                continue;
            }
            let Ok(diff) = g.diff_tree_to_tree(head.as_ref(), Some(&tree), Some(&mut diff_options())) else {
                continue;
            };
            for d in diff.deltas() {
                if matches!(d.status(), git2::Delta::Deleted) {
                    continue;
                }
                let Some(path) = d.new_file().path().and_then(|p| p.to_str()) else {
                    continue;
                };
                // A name with an ID is enough to know the ID is taken.
                if named_like_document(path) && store::discoverable(&repo.config, path) {
                    let doc = Document::parse(path, String::new());
                    seen.insert((doc.meta.kind, doc.meta.id));
                } else if let Some(doc) = judge.blob(g, path, d.new_file().id()) {
                    seen.insert((doc.kind, doc.id));
                }
            }
        }
    }
    let mut v: Vec<_> = seen.into_iter().filter(|(_, id)| !id.trim().is_empty()).collect();
    v.sort();
    v
}

/// Diff options for comparing trees: no rename detection, no content.
fn diff_options() -> git2::DiffOptions {
    let mut o = git2::DiffOptions::new();
    o.ignore_submodules(true);
    o
}

/// Where documents are, in the sense of loading ([`crate::store::candidates`]):
/// the folders `findings.toml` names; or, when it names none, the default
/// folders plus every folder where a document was found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Folders {
    /// Walked with every folder below (configured or default folders).
    pub(crate) deep: Vec<String>,
    /// Walked one level only: the folders documents were found in.
    pub(crate) shallow: BTreeSet<String>,
}

impl Folders {
    /// The folders of `repo`'s documents: the configured ones, or the
    /// default ones and each folder holding a loaded document (when only
    /// some were loaded, each folder holding a file named like one).
    pub(crate) fn of(repo: &Repo) -> Folders {
        let mut f = Folders {
            deep: repo.config.folders(),
            shallow: BTreeSet::new(),
        };
        if Discovery::of(&repo.config) == Discovery::Anywhere {
            match &repo.partial {
                None => f.add_dirs(repo.items.iter().map(|m| m.path.as_str())),
                Some(part) => f.add_dirs(part.paths.iter().filter(|p| named_like_document(p))),
            }
        }
        f
    }

    /// The same from the git index alone (no file is read): the configured
    /// folders, or the default ones and each folder holding a tracked file
    /// named like a document.
    pub(crate) fn from_index(g: &Repository, config: &Config) -> Folders {
        let mut f = Folders {
            deep: config.folders(),
            shallow: BTreeSet::new(),
        };
        if Discovery::of(config) == Discovery::Anywhere {
            if let Ok(index) = g.index() {
                let paths: Vec<String> = index
                    .iter()
                    .filter_map(|e| String::from_utf8(e.path).ok())
                    .filter(|p| named_like_document(p) && store::discoverable(config, p))
                    .collect();
                f.add_dirs(paths.iter().map(String::as_str));
            }
        }
        f
    }

    /// Add the folder of each of `paths` (one level).
    pub(crate) fn add_dirs<'a>(&mut self, paths: impl Iterator<Item = &'a str>) {
        for p in paths {
            let dir = p.rsplit_once('/').map(|(d, _)| d).unwrap_or(".");
            if !self.covered(dir) {
                self.shallow.insert(dir.to_string());
            }
        }
    }

    /// Whether a deep folder already covers `dir`.
    fn covered(&self, dir: &str) -> bool {
        self.deep.iter().any(|f| {
            let f = f.trim_matches('/');
            f.is_empty() || f == "." || dir == f || dir.starts_with(&format!("{f}/"))
        })
    }

    /// Every folder as one list (each walked deep), for the callers that
    /// look a document up by name.
    pub(crate) fn all(&self) -> Vec<String> {
        let mut v = self.deep.clone();
        v.extend(self.shallow.iter().cloned());
        v
    }
}

/// A `*.md` file whose name carries an ID (`030-pending-p1-x.md`,
/// `0005-use-x.md`, `ADR-0083.md`).
fn named_like_document(path: &str) -> bool {
    let name = document::file_name(path);
    (name.ends_with(".md") || name.ends_with(".MD"))
        && document::filename::FileName::parse(name).id_str().is_some()
        && !document::is_auxiliary(path)
        && !document::is_template(path)
}

/// Judges a file found in git as loading judges one on disk.
struct Judge {
    config: Config,
    workflows: crate::workflow::Workflows,
    mode: Discovery,
}

impl Judge {
    fn new(config: &Config) -> Judge {
        Judge {
            config: config.clone(),
            workflows: config.workflows(),
            mode: Discovery::of(config),
        }
    }

    /// The document a blob at `path` is, if loading would list it there.
    fn blob(&self, g: &Repository, path: &str, id: Oid) -> Option<TreeDoc> {
        self.meta(g, path, id)?.ok().map(|m| TreeDoc {
            path: path.to_string(),
            kind: m.kind,
            id: m.id,
        })
    }

    /// The blob at `path` loaded as a document (or the problem loading it).
    fn meta(&self, g: &Repository, path: &str, id: Oid) -> Option<Result<crate::document::Meta, Problem>> {
        if !store::discoverable(&self.config, path) {
            return None;
        }
        let blob = g.find_blob(id).ok()?;
        if blob.size() > document::MAX_FILE_BYTES + 1 {
            return Some(Err(Problem::error(
                "too-large",
                path,
                1,
                1,
                format!(
                    "{} bytes is over the {} byte limit",
                    blob.size(),
                    document::MAX_FILE_BYTES
                ),
            )));
        }
        store::meta_from_bytes(path, blob.content().to_vec(), &self.workflows, self.mode)
            .filter(|r| r.as_ref().map_or(true, |m| !m.id.trim().is_empty()))
    }
}

/// The distinct trees of every local branch, remote-tracking branch, this
/// checkout's HEAD, the main worktree's HEAD and each linked worktree's HEAD
/// (detached ones included).
fn head_trees(g: &Repository) -> Vec<Tree<'_>> {
    let mut commits: Vec<Oid> = Vec::new();
    if let Ok(refs) = g.references() {
        for r in refs.flatten() {
            if r.is_branch() || r.is_remote() {
                if let Ok(c) = r.peel_to_commit() {
                    commits.push(c.id());
                }
            }
        }
    }
    if let Ok(c) = g.head().and_then(|h| h.peel_to_commit()) {
        commits.push(c.id());
    }
    // The HEAD files of the main worktree and of every linked worktree live
    // in the common directory; read them directly so a worktree whose folder
    // is gone (or locked) still counts.
    let common = g.commondir().to_path_buf();
    let mut heads = vec![common.join("HEAD")];
    if let Ok(names) = g.worktrees() {
        for name in names.iter().flatten() {
            heads.push(common.join("worktrees").join(name).join("HEAD"));
        }
    }
    for h in heads {
        if let Some(id) = read_head_file(g, &h) {
            commits.push(id);
        }
    }
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for c in commits {
        let Ok(tree) = g.find_commit(c).and_then(|c| c.tree()) else {
            continue;
        };
        if seen.insert(tree.id()) {
            out.push(tree);
        }
    }
    out
}

/// The commit a `HEAD` file names: a hex ID (detached) or `ref: refs/…`.
fn read_head_file(g: &Repository, path: &Path) -> Option<Oid> {
    let text = std::fs::read_to_string(path).ok()?;
    let line = text.lines().next()?.trim();
    match line.strip_prefix("ref:") {
        Some(r) => g.find_reference(r.trim()).ok()?.peel_to_commit().ok().map(|c| c.id()),
        None => Oid::from_str(line).ok(),
    }
}

/// A document found in a git tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TreeDoc {
    /// Repository-relative, `/`-separated.
    pub(crate) path: String,
    pub(crate) kind: Kind,
    pub(crate) id: String,
}

/// The documents under `folders` in `tree` (each walked deep), skipping
/// paths `skip` accepts; see [`folders_documents`].
pub(crate) fn tree_documents(
    g: &Repository,
    tree: &Tree<'_>,
    folders: &[String],
    skip: &dyn Fn(&str) -> bool,
    read: bool,
) -> Vec<TreeDoc> {
    let f = Folders {
        deep: folders.to_vec(),
        shallow: BTreeSet::new(),
    };
    folders_documents(g, tree, &f, skip, read)
}

/// The documents under `folders` in `tree`, skipping paths `skip` accepts.
/// With `read` false a file whose name carries an ID is not read (enough to
/// know the ID is taken); with `read` true every blob is parsed, so an `id:`
/// key that differs from the name wins as it does in the working tree.
pub(crate) fn folders_documents(
    g: &Repository,
    tree: &Tree<'_>,
    folders: &Folders,
    skip: &dyn Fn(&str) -> bool,
    read: bool,
) -> Vec<TreeDoc> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let mut visit = |path: String, name: &str, id: Oid| {
        if skip(&path) || !seen.insert(path.clone()) {
            return;
        }
        if !read && named_like_document(&path) {
            let d = Document::parse(&path, String::new());
            if !d.meta.id.trim().is_empty() {
                out.push(TreeDoc {
                    path,
                    kind: d.meta.kind,
                    id: d.meta.id,
                });
            }
            return;
        }
        let _ = name;
        let Ok(blob) = g.find_blob(id) else { return };
        if blob.size() > document::MAX_FILE_BYTES {
            return;
        }
        let Ok(text) = document::decode(&path, blob.content().to_vec()) else {
            return;
        };
        let d = Document::parse(&path, text);
        if document::counts_as_document(&path, &d) && !d.meta.id.trim().is_empty() {
            out.push(TreeDoc {
                path,
                kind: d.meta.kind,
                id: d.meta.id,
            });
        }
    };
    let is_md = |name: &str| name.ends_with(".md") || name.ends_with(".MD");
    let subtree = |folder: &str| -> Option<(Tree<'_>, String)> {
        if folder == "." || folder.is_empty() {
            return Some((tree.clone(), String::new()));
        }
        let sub = tree
            .get_path(Path::new(folder))
            .ok()
            .and_then(|e| e.to_object(g).ok())
            .and_then(|o| o.into_tree().ok())?;
        Some((sub, format!("{folder}/")))
    };
    for folder in &folders.deep {
        let Some((sub, prefix)) = subtree(folder.trim_matches('/')) else {
            continue;
        };
        let _ = sub.walk(TreeWalkMode::PreOrder, |dir, entry| {
            let Some(name) = entry.name() else {
                return TreeWalkResult::Ok;
            };
            if entry.kind() == Some(ObjectType::Tree) {
                // The store does not descend into hidden folders or node_modules.
                return if name.starts_with('.') || name == "node_modules" {
                    TreeWalkResult::Skip
                } else {
                    TreeWalkResult::Ok
                };
            }
            if entry.kind() == Some(ObjectType::Blob) && is_md(name) {
                visit(format!("{prefix}{dir}{name}"), name, entry.id());
            }
            TreeWalkResult::Ok
        });
    }
    for folder in &folders.shallow {
        let Some((sub, prefix)) = subtree(folder.trim_matches('/')) else {
            continue;
        };
        for entry in sub.iter() {
            let Some(name) = entry.name() else { continue };
            if entry.kind() == Some(ObjectType::Blob) && is_md(name) {
                visit(format!("{prefix}{name}"), name, entry.id());
            }
        }
    }
    out
}

/// An ID a merge of `refname` would give to two documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Clash {
    pub(crate) id: String,
    pub(crate) kind: Kind,
    /// The document in the working tree.
    pub(crate) ours: String,
    /// The other document, as it is in `refname`.
    pub(crate) theirs: String,
    /// The ref compared against, as given.
    #[serde(rename = "ref")]
    pub(crate) refname: String,
}

/// What a merge of `refname` into the working tree would break: the IDs it
/// would give to two documents, and the problems of the documents that
/// differ between the two.
#[derive(Debug, Clone, Default)]
pub(crate) struct Against {
    pub(crate) clashes: Vec<Clash>,
    /// Problems of the documents the working tree and `refname` hold
    /// differently: the working tree's version, or (a document only
    /// `refname` has) its version there, its path written `REF:path`.
    pub(crate) problems: Vec<Problem>,
    /// How many documents were checked for `problems`.
    pub(crate) documents: usize,
    /// Paths git left conflicted in the index
    /// ([`super::identity::unmerged_paths`]), read with the same index.
    pub(crate) unmerged: Vec<String>,
}

/// One side of a merge, as paths that differ from the merge base.
#[derive(Default)]
struct Side {
    /// Documents at paths the base does not have.
    new: Vec<TreeDoc>,
    /// Base paths this side no longer has.
    gone: HashSet<String>,
}

/// Every ID that exists in the working tree and in `refname` at different
/// paths, such that merging `refname` would leave both documents; see
/// [`against`]. `g` is the repository holding `repo`, already open (sync's).
pub(crate) fn clashes_against(repo: &Repo, g: &Repository, refname: &str) -> Result<Vec<Clash>, GitError> {
    // The handle may be older than the index (sync runs git between its
    // reads): re-read it if git changed it since.
    g.index()?.read(false)?;
    Ok(against_in(repo, g, refname, false)?.clashes)
}

/// What merging `refname` would break, found from what git knows differs
/// (diffs of trees, and the working tree's status against `HEAD`) rather
/// than by reading every document, so its cost follows the change, not the
/// repository. Only documents new on one side (at a path the merge base
/// lacks) can bring a clash: each side keeps its documents unless it
/// deleted (or renamed) a path the base had, exactly as a merge keeps and
/// drops files, and a document one side renamed (a status change renames
/// `030-pending-…` to `030-ready-…`) is the base document, not a second
/// one. The other document of a clash is new on the other side, or a base
/// document both sides keep. With `problems`, the documents that differ
/// between the working tree and `refname` are loaded and their problems
/// returned. `repo` need not hold any document.
pub(crate) fn against(repo: &Repo, refname: &str, problems: bool) -> Result<Against, GitError> {
    against_in(repo, &crate::git::open(&repo.root)?, refname, problems)
}

/// [`against`] in the repository `g` holding `repo`, already open.
fn against_in(repo: &Repo, g: &Repository, refname: &str, problems: bool) -> Result<Against, GitError> {
    // At 10,000 documents re-hashing the same trees was a third of this
    // check's time.
    crate::git::skip_read_verification();
    let theirs = g.revparse_single(refname)?.peel_to_commit()?;
    let their_tree = theirs.tree()?;
    let head = g.head().and_then(|h| h.peel_to_commit()).ok();
    let head_tree = head.as_ref().map(|h| h.tree()).transpose()?;
    let base_tree = match &head {
        Some(h) => match g.merge_base(h.id(), theirs.id()) {
            Ok(b) => Some(g.find_commit(b)?.tree()?),
            Err(_) => None,
        },
        None => None,
    };
    let judge = Judge::new(&repo.config);

    // Our side: the working tree, as HEAD plus what differs from it: the
    // tracked documents git would list in `git diff HEAD` (one `lstat` per
    // index entry, content compared only where the stat data changed), and
    // the documents loading finds that git does not track.
    let discoverable = |p: &str| store::discoverable(&repo.config, p);
    let (starts, prefix) = document_folders(g, repo);
    let in_root = |p: &str| p.strip_prefix(prefix.as_str()).map(str::to_string);
    // A folder is entered when a document could be in it.
    let enter = |d: &str| in_root(d).is_some_and(|r| store::discoverable(&repo.config, &format!("{r}/x.md")));
    let untracked = crate::git::worktree::Untracked {
        starts: &starts,
        enter: &enter,
    };
    // The system git answers at git's own cost (and with the clone's
    // fsmonitor and untracked cache); libgit2 answers when it cannot.
    let by_git = match (head_tree.as_ref(), g.workdir()) {
        (Some(_), Some(w)) => crate::git::worktree::changed_by_git(w, &starts, &discoverable),
        _ => None,
    };
    let changed = match by_git {
        Some(c) => c,
        None => crate::git::worktree::changed(g, &g.index()?, head_tree.as_ref(), &discoverable, Some(untracked))?,
    };
    let mut work_paths: BTreeSet<String> = changed.paths;
    work_paths.extend(changed.untracked);
    let ours_committed = tree_diff(g, base_tree.as_ref(), head_tree.as_ref())?;
    let in_base = |p: &str| base_tree.as_ref().is_some_and(|t| t.get_path(Path::new(p)).is_ok());
    let on_disk = |p: &str| std::fs::symlink_metadata(repo.abs(p)).is_ok_and(|m| m.is_file());
    let mut ours = Side::default();
    let touched: BTreeSet<String> = paths_of(&ours_committed)
        .into_iter()
        .chain(work_paths.iter().cloned())
        .collect();
    let workflows = repo.config.workflows();
    let mode = Discovery::of(&repo.config);
    for p in &touched {
        let here = if work_paths.contains(p) {
            on_disk(p)
        } else {
            head_tree.as_ref().is_some_and(|t| t.get_path(Path::new(p)).is_ok())
        };
        match (in_base(p), here) {
            (true, false) => {
                ours.gone.insert(p.clone());
            }
            (false, true) if store::discoverable(&repo.config, p) => {
                let m = if work_paths.contains(p) {
                    store::load_meta(&repo.root, p, &workflows, mode).and_then(Result::ok)
                } else {
                    head_tree
                        .as_ref()
                        .and_then(|t| t.get_path(Path::new(p)).ok())
                        .and_then(|e| judge.meta(g, p, e.id()))
                        .and_then(Result::ok)
                };
                if let Some(m) = m.filter(|m| !m.id.trim().is_empty()) {
                    ours.new.push(TreeDoc {
                        path: p.clone(),
                        kind: m.kind,
                        id: m.id,
                    });
                }
            }
            _ => {}
        }
    }

    // Their side: a diff of trees.
    let their_diff = tree_diff(g, base_tree.as_ref(), Some(&their_tree))?;
    let mut their = Side::default();
    for d in their_diff.deltas() {
        match d.status() {
            git2::Delta::Deleted => {
                if let Some(p) = d.old_file().path().and_then(|p| p.to_str()) {
                    their.gone.insert(p.to_string());
                }
            }
            git2::Delta::Added => {
                let Some(p) = d.new_file().path().and_then(|p| p.to_str()) else {
                    continue;
                };
                if let Some(doc) = judge.blob(g, p, d.new_file().id()) {
                    their.new.push(doc);
                }
            }
            _ => {}
        }
    }

    // The base documents that share an ID with a new one: looked up by name
    // where loading finds documents, then confirmed by content.
    let wanted: HashSet<(Kind, String)> = ours
        .new
        .iter()
        .chain(&their.new)
        .map(|d| (d.kind, d.id.to_ascii_lowercase()))
        .collect();
    let mut base_docs: Vec<TreeDoc> = Vec::new();
    if let (Some(base), false) = (&base_tree, wanted.is_empty()) {
        let mut folders = Folders::from_index(g, &repo.config);
        folders.add_dirs(ours.new.iter().chain(&their.new).map(|d| d.path.as_str()));
        for d in folders_documents(g, base, &folders, &|_| false, false) {
            if !wanted.contains(&(d.kind, d.id.to_ascii_lowercase())) {
                continue;
            }
            // A name can mislead (an `id:` key that differs from it, a
            // file that is no document): read the few candidates.
            let confirmed = base
                .get_path(Path::new(&d.path))
                .ok()
                .and_then(|e| judge.blob(g, &d.path, e.id()));
            base_docs.extend(confirmed);
        }
    }
    let key = |d: &TreeDoc| (d.kind, d.id.to_ascii_lowercase());
    // The base document a new document of a side is: one with its ID that
    // this side no longer has (a rename). `None`: a new document.
    let identity = |side: &Side, d: &TreeDoc| -> Option<String> {
        base_docs
            .iter()
            .find(|b| key(b) == key(d) && side.gone.contains(&b.path))
            .map(|b| b.path.clone())
    };
    let survives = |b: &TreeDoc| !ours.gone.contains(&b.path) && !their.gone.contains(&b.path);
    let mut clashes = Vec::new();
    let mut push = |ours_path: &str, theirs_path: &str, d: &TreeDoc| {
        let c = Clash {
            id: d.id.clone(),
            kind: d.kind,
            ours: ours_path.to_string(),
            theirs: theirs_path.to_string(),
            refname: refname.to_string(),
        };
        if !clashes.contains(&c) {
            clashes.push(c);
        }
    };
    for o in &ours.new {
        let ow = identity(&ours, o);
        for t in their.new.iter().filter(|t| key(t) == key(o) && t.path != o.path) {
            // Both sides renamed the same document: git reports that
            // (rename/rename); it is one ID, not two.
            let tw = identity(&their, t);
            if ow.is_some() && ow == tw {
                continue;
            }
            push(&o.path, &t.path, o);
        }
        for b in base_docs
            .iter()
            .filter(|b| key(b) == key(o) && b.path != o.path && survives(b))
        {
            push(&o.path, &b.path, o);
        }
    }
    for t in &their.new {
        for b in base_docs
            .iter()
            .filter(|b| key(b) == key(t) && b.path != t.path && survives(b))
        {
            push(&b.path, &t.path, t);
        }
    }
    clashes.sort_by(|a, b| (&a.ours, &a.theirs).cmp(&(&b.ours, &b.theirs)));

    let mut out = Against {
        clashes,
        unmerged: super::identity::unmerged_in(g, &repo.root),
        ..Against::default()
    };
    if problems {
        let head_vs_theirs = tree_diff(g, head_tree.as_ref(), Some(&their_tree))?;
        let differ: BTreeSet<String> = paths_of(&head_vs_theirs).into_iter().chain(work_paths).collect();
        for p in differ.iter().filter(|p| store::discoverable(&repo.config, p)) {
            let got = if on_disk(p) {
                store::load_meta(&repo.root, p, &workflows, mode).map(|r| r.map(|m| m.problems))
            } else {
                their_tree
                    .get_path(Path::new(p.as_str()))
                    .ok()
                    .and_then(|e| judge.meta(g, p, e.id()))
                    .map(|r| {
                        let shown = format!("{refname}:{p}");
                        r.map(|m| m.problems)
                            .map_err(|e| vec![e])
                            .unwrap_or_else(|e| e)
                            .into_iter()
                            .map(|mut pr| {
                                pr.path = shown.clone();
                                pr
                            })
                            .collect::<Vec<_>>()
                    })
                    .map(Ok)
            };
            match got {
                Some(Ok(v)) => {
                    out.documents += 1;
                    out.problems.extend(v);
                }
                Some(Err(pr)) => out.problems.push(pr),
                None => {}
            }
        }
    }
    Ok(out)
}

/// Where loading looks for documents, relative to the work tree: the
/// configured folders, or the whole root; and the root's own path in the
/// work tree (`""`, or `sub/` when the root is a folder inside it).
fn document_folders(g: &Repository, repo: &Repo) -> (Vec<String>, String) {
    let prefix = match (
        g.workdir().and_then(|w| w.canonicalize().ok()),
        repo.root.canonicalize(),
    ) {
        (Some(w), Ok(r)) => match r.strip_prefix(&w) {
            Ok(rel) if !rel.as_os_str().is_empty() => format!("{}/", rel.to_string_lossy().replace('\\', "/")),
            _ => String::new(),
        },
        _ => String::new(),
    };
    let starts = match &repo.config.folders {
        Some(f) => f.iter().map(|f| format!("{prefix}{}", f.trim_matches('/'))).collect(),
        None => vec![prefix.trim_end_matches('/').to_string()],
    };
    (starts, prefix)
}

/// The diff of two trees; nothing read when they are the same tree.
fn tree_diff<'r>(g: &'r Repository, a: Option<&Tree<'_>>, b: Option<&Tree<'_>>) -> Result<git2::Diff<'r>, GitError> {
    let same = match (a, b) {
        (Some(a), Some(b)) => a.id() == b.id(),
        (None, None) => true,
        _ => false,
    };
    let (a, b) = if same { (None, None) } else { (a, b) };
    Ok(g.diff_tree_to_tree(a, b, Some(&mut diff_options()))?)
}

/// The paths (old and new) a diff touches.
fn paths_of(diff: &git2::Diff<'_>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for d in diff.deltas() {
        for f in [d.old_file(), d.new_file()] {
            if let Some(p) = f.path().and_then(|p| p.to_str()) {
                out.insert(p.to_string());
            }
        }
    }
    out
}
