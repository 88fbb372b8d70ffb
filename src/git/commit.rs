//! Committing exactly the paths an operation touched (`git commit --only -- <paths>`).
//!
//! Over 600 lines (about 960 before its tests): `git commit --only` step by step (index lock,
//! tree, hooks, signing, objects read back, HEAD moved under git's ref-lock protocol, the index
//! updated), one sequence whose steps share their locks and scratch files.
//!
//! The steps, in git's order: refuse during a merge, rebase, cherry-pick,
//! revert, bisect or `git am`; take `index.lock` (waiting briefly for another
//! git); build the new tree from HEAD's tree (an empty one on an unborn
//! branch) with the written paths' working-tree content (through git's clean
//! filters) and the removed paths dropped; run `pre-commit` against a
//! temporary index holding exactly that tree, then `prepare-commit-msg` and
//! `commit-msg` on `$GIT_DIR/COMMIT_EDITMSG`; create the commit and move HEAD;
//! update just those paths' entries of the real index (new blob, stat data of
//! the file as hashed), leaving the user's staged work alone; release the lock;
//! run `post-commit`, whose failure is only a warning.

use super::hooks::{self, Context};
use super::ident::{self, process_env};
use super::index::{clear_dead_scratch, private_path, Copied, IndexAhead, Scratch};
use super::sign;
use super::{GitError, RepoState};
use git2::build::TreeUpdateBuilder;
use git2::{Commit, ErrorCode, FileMode, Index, IndexEntry, IndexTime, ObjectType, Oid, ReferenceType, Repository};
use std::ffi::OsStr;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// One path to commit, relative to the root given to [`commit_paths`],
/// `/`-separated.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Change {
    /// Commit the file's working-tree content.
    Write(String),
    /// Commit the file's removal.
    Remove(String),
    /// Commit these bytes as the file's content, not the working file's:
    /// HEAD's version with only findings' edit, when the working file also
    /// holds a person's uncommitted edits. Its index entry gets no stat
    /// data, so git sees the working file's other edits as unstaged.
    Content(String, Vec<u8>),
}

impl Change {
    pub(crate) fn path(&self) -> &str {
        match self {
            Change::Write(p) | Change::Remove(p) | Change::Content(p, _) => p,
        }
    }
}

/// How to commit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CommitOptions {
    /// Skip the `pre-commit` and `commit-msg` hooks (`git commit --no-verify`).
    pub no_verify: bool,
}

/// A commit that was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Committed {
    /// Full hex ID of the new commit.
    pub id: String,
    /// Things the user should know (detached HEAD, a failed post-commit hook…).
    pub warnings: Vec<String>,
}

/// How long to wait for another git process's `index.lock`.
const INDEX_LOCK_WAIT: Duration = Duration::from_secs(2);

/// Commit exactly `changes` with `message`, as `git commit --only -- <paths>`
/// would, reading identities from the process environment and git config.
///
/// Changes name paths relative to `root`; a later change of the same path wins.
/// The message is committed as given after `commit-msg` (whitespace cleaned up
/// as `git commit -m` does). Errors: [`GitError::NotARepo`] outside a
/// repository; [`GitError::InProgress`] during a merge, rebase, cherry-pick,
/// revert, bisect or `git am`; [`GitError::NothingToCommit`] when the paths
/// already match HEAD; [`GitError::IndexLocked`] when another git holds the
/// index for more than two seconds; [`GitError::HookFailed`] when `pre-commit`
/// or `commit-msg` fail. The files on disk are never touched.
pub fn commit_paths(
    root: &Path,
    changes: &[Change],
    message: &str,
    opts: &CommitOptions,
) -> Result<Committed, GitError> {
    commit_paths_with_env(root, changes, message, opts, &process_env)
}

/// [`commit_paths`] with an explicit environment lookup for `GIT_AUTHOR_*`,
/// `GIT_COMMITTER_*` and `EMAIL` (hooks still inherit the real environment).
pub fn commit_paths_with_env(
    root: &Path,
    changes: &[Change],
    message: &str,
    opts: &CommitOptions,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Committed, GitError> {
    commit_in(&super::open(root)?, root, changes, message, opts, env, None)
}

/// [`commit_paths`] in the repository holding `root`, already open (a write
/// opens it once).
/// `ahead`, when given, is git's index being read since the write began
/// (taken only if the index is unchanged once `index.lock` is held).
pub(crate) fn commit_paths_in(
    repo: &Repository,
    root: &Path,
    changes: &[Change],
    message: &str,
    opts: &CommitOptions,
    ahead: Option<IndexAhead>,
) -> Result<Committed, GitError> {
    commit_in(repo, root, changes, message, opts, &process_env, ahead)
}

fn commit_in(
    repo: &Repository,
    root: &Path,
    changes: &[Change],
    message: &str,
    opts: &CommitOptions,
    env: &dyn Fn(&str) -> Option<String>,
    ahead: Option<IndexAhead>,
) -> Result<Committed, GitError> {
    let workdir = repo
        .workdir()
        .ok_or_else(|| GitError::NoWorkTree {
            path: root.to_path_buf(),
        })?
        .to_path_buf();
    let state = RepoState::from(repo.state());
    if !state.is_clean() {
        return Err(GitError::InProgress(state));
    }
    let pre = prefix(&workdir, root)?;
    let paths = plan(&pre, changes)?;
    // Explicit contents, by work-tree path (a later change of a path wins).
    let mut contents: std::collections::HashMap<String, &[u8]> = std::collections::HashMap::new();
    for c in changes {
        let full = format!("{pre}{}", c.path());
        match c {
            Change::Content(_, bytes) => contents.insert(full, bytes.as_slice()),
            _ => contents.remove(&full),
        };
    }
    let config = repo.config()?;
    let (author, committer) = ident::signatures(&config, env)?;
    let mut warnings = Vec::new();
    if repo.head_detached().unwrap_or(false) {
        warnings.push("HEAD is detached: the commit is on no branch".to_string());
    }
    let message = cleanup(message)?;
    let signer = sign::signer(&config, &committer)?;

    let git_dir = repo.path().to_path_buf();
    let index_path = git_dir.join("index");
    let lock = IndexLock::acquire(&git_dir, &mut warnings)?;
    clear_dead_scratch(&git_dir);
    clear_dead_ref_locks(&git_dir, &mut warnings);
    crate::interrupt::check()?;

    // HEAD's tree is read whole; the new objects are read back below.
    super::skip_read_verification();
    let parent = head_commit(repo)?;
    let base = match &parent {
        Some(c) => c.tree()?,
        None => repo.find_tree(repo.treebuilder(None)?.write()?)?,
    };
    // The real index, worked on in a copy that replaces it at the end; its
    // handle's index is the copy, so attribute lookups (clean filters in
    // `blob_path`) read it rather than the real one a second time.
    let copied = Copied::now(repo, ahead.and_then(IndexAhead::join))?;

    let filemode = config.get_bool("core.filemode").unwrap_or(cfg!(unix));
    let mut staged: Vec<(String, Option<IndexEntry>)> = Vec::new();
    {
        let index = copied.repo.index()?;
        for (path, write) in &paths {
            if *write {
                // The mode git knows the path by: looked up (HEAD's tree read
                // for a path the index lacks, a new name) only when the file's
                // own mode does not decide.
                let known = || {
                    index
                        .get_path(Path::new(path), 0)
                        .map(|e| e.mode)
                        .or_else(|| base.get_path(Path::new(path)).ok().map(|e| e.filemode() as u32))
                };
                let entry = match contents.get(path) {
                    Some(bytes) => content_entry(&copied.repo, path, bytes, known())?,
                    None => entry_for(
                        &copied.repo,
                        &workdir,
                        path,
                        filemode,
                        (!filemode).then(known).flatten(),
                    )?,
                };
                staged.push((path.clone(), Some(entry)));
            } else {
                staged.push((path.clone(), None));
            }
        }
    }

    let hooks_dir = hooks::dir(repo, &config, &workdir);
    let verify = !opts.no_verify;
    let hooks = Hooks {
        pre_commit: verify
            .then(|| hooks::find(&hooks_dir, "pre-commit", &mut warnings))
            .flatten(),
        prepare_msg: hooks::find(&hooks_dir, "prepare-commit-msg", &mut warnings),
        commit_msg: verify
            .then(|| hooks::find(&hooks_dir, "commit-msg", &mut warnings))
            .flatten(),
    };
    let parents: Vec<&Commit> = parent.iter().collect();
    let make = Make {
        repo,
        git_dir: &git_dir,
        parents: &parents,
        author: &author,
        committer: &committer,
        signer: signer.as_ref(),
    };

    // The new index is written beside the real one before HEAD moves, so all
    // that is left after the move is one rename: a kill in between (as in
    // git's own window) leaves the old index, never a half-written one.
    // Without hooks (which may change what is committed) the copy gets its
    // new entries and is written on another thread while this one writes
    // the tree and the commit: they touch different files.
    let (id, message, copied, index_ready) = if hooks.any() {
        let (mut tree_id, mut new_trees) = new_tree(repo, &base, &staged)?;
        let mut message = message;
        hooks.run(
            repo,
            (&workdir, &git_dir),
            &mut tree_id,
            &mut new_trees,
            &mut staged,
            &mut message,
            &mut warnings,
        )?;
        let id = make.commit(tree_id, new_trees.as_deref(), &staged, &message)?;
        let index_ready = prepare_index(&copied.repo, &staged);
        (id, message, copied, index_ready)
    } else {
        let staged = &staged;
        let (made, prepared) = std::thread::scope(|s| {
            let prepared = s.spawn(move || {
                let ready = prepare_index(&copied.repo, staged);
                (copied, ready)
            });
            let made = new_tree(repo, &base, staged)
                .and_then(|(tree_id, new_trees)| make.commit(tree_id, new_trees.as_deref(), staged, &message));
            (made, prepared.join())
        });
        let id = made?;
        // A panic on that thread is a bug; the commit is not made.
        let (copied, index_ready) = prepared.map_err(|_| GitError::NotRecorded {
            what: format!("the commit {id} was written but the index could not be prepared"),
            head: "HEAD was not moved".into(),
        })?;
        (id, message, copied, index_ready)
    };

    // The last point to stop: once HEAD moves, the commit is finished.
    crate::interrupt::check()?;
    move_head(
        repo,
        &git_dir,
        id,
        parent.as_ref().map(|c| c.id()),
        &message,
        &committer,
    )?;
    confirm_head(repo, id, parent.as_ref().map(|c| c.id()))?;

    let installed = index_ready.and_then(|()| {
        fs::rename(&copied.scratch.path, &index_path).map_err(|source| GitError::Io {
            path: index_path.to_path_buf(),
            source,
        })
    });
    if let Err(e) = installed {
        let list: Vec<&str> = staged.iter().map(|(p, _)| p.as_str()).collect();
        warnings.push(format!(
            "committed, but the index could not be updated ({e}); `git reset -q -- {}` fixes it",
            list.join(" ")
        ));
    }
    drop(lock);

    if let Some(hook) = hooks::find(&hooks_dir, "post-commit", &mut warnings) {
        let ctx = Context {
            workdir: &workdir,
            git_dir: &git_dir,
            index_file: &index_path,
        };
        if let Err(e) = hooks::run(&ctx, "post-commit", &hook, &[]) {
            warnings.push(match e {
                GitError::HookFailed { .. } => e.to_string().replace("; nothing was committed", ""),
                GitError::Interrupted(i) => format!("the post-commit hook was {i}; the commit is made"),
                e => e.to_string(),
            });
        }
    }
    Ok(Committed {
        id: id.to_string(),
        warnings,
    })
}

/// The hooks that run before a commit is made (`None`: not there, or
/// skipped by `--no-verify`).
struct Hooks {
    pre_commit: Option<PathBuf>,
    prepare_msg: Option<PathBuf>,
    commit_msg: Option<PathBuf>,
}

impl Hooks {
    fn any(&self) -> bool {
        self.pre_commit.is_some() || self.prepare_msg.is_some() || self.commit_msg.is_some()
    }

    /// Run them as `git commit --only` does: against a temporary index
    /// holding exactly the tree `tree_id` about to be committed (in the
    /// work tree and git folder `dirs`), then on the message in
    /// `$GIT_DIR/COMMIT_EDITMSG`. What a `pre-commit` hook stages is
    /// committed (`tree_id`, `new_trees` and `staged` follow it); the
    /// message is what the message hooks leave.
    #[allow(clippy::too_many_arguments)]
    fn run(
        &self,
        repo: &Repository,
        (workdir, git_dir): (&Path, &Path),
        tree_id: &mut Oid,
        new_trees: &mut Option<Vec<Oid>>,
        staged: &mut [(String, Option<IndexEntry>)],
        message: &mut String,
        warnings: &mut Vec<String>,
    ) -> Result<(), GitError> {
        let next = Scratch::new(git_dir, "next-index");
        let mut next_index = Index::open(&next.path)?;
        next_index.read_tree(&repo.find_tree(*tree_id)?)?;
        for entry in staged.iter().filter_map(|(_, e)| e.as_ref()) {
            next_index.add(entry)?;
        }
        next_index.write()?;
        let ctx = Context {
            workdir,
            git_dir,
            index_file: &next.path,
        };
        if let Some(hook) = &self.pre_commit {
            hooks::run(&ctx, "pre-commit", hook, &[])?;
            // The hook may have staged something into the temporary index
            // (a formatter, say): commit what it holds, as git does.
            let mut after = Index::open(&next.path)?;
            let id = after.write_tree_to(repo)?;
            if id != *tree_id {
                warnings.push("the pre-commit hook changed what is committed".to_string());
                *tree_id = id;
                *new_trees = None;
                for (path, entry) in staged.iter_mut() {
                    *entry = after.get_path(Path::new(path.as_str()), 0);
                }
            }
        }
        if self.prepare_msg.is_some() || self.commit_msg.is_some() {
            let file = git_dir.join("COMMIT_EDITMSG");
            fs::write(&file, &*message).map_err(|source| GitError::Io {
                path: file.clone(),
                source,
            })?;
            if let Some(hook) = &self.prepare_msg {
                hooks::run(
                    &ctx,
                    "prepare-commit-msg",
                    hook,
                    &[file.as_os_str(), OsStr::new("message")],
                )?;
            }
            if let Some(hook) = &self.commit_msg {
                hooks::run(&ctx, "commit-msg", hook, &[file.as_os_str()])?;
            }
            let edited = fs::read(&file).map_err(|source| GitError::Io {
                path: file.clone(),
                source,
            })?;
            *message = cleanup(&String::from_utf8_lossy(&edited))?;
        }
        Ok(())
    }
}

/// What a commit object is made of besides its tree and message.
struct Make<'a> {
    repo: &'a Repository,
    git_dir: &'a Path,
    parents: &'a [&'a Commit<'a>],
    author: &'a git2::Signature<'static>,
    committer: &'a git2::Signature<'static>,
    signer: Option<&'a sign::Signer>,
}

impl Make<'_> {
    /// Write the commit of `tree_id` (signed when git would sign it) and
    /// read it back with what it holds (`trees` written for it, the blobs
    /// of `staged`): its ID, HEAD not yet moved.
    fn commit(
        &self,
        tree_id: Oid,
        trees: Option<&[Oid]>,
        staged: &[(String, Option<IndexEntry>)],
        message: &str,
    ) -> Result<Oid, GitError> {
        let tree = self.repo.find_tree(tree_id)?;
        let buffer = self
            .repo
            .commit_create_buffer(self.author, self.committer, message, &tree, self.parents)?;
        let id = match self.signer {
            Some(s) => {
                let text = buffer.as_str().ok_or_else(|| GitError::Sign {
                    program: "findings".into(),
                    message: "the commit is not UTF-8 and cannot be signed".into(),
                })?;
                let signature = s.sign(text)?;
                self.repo.commit_signed(text, &signature, None)?
            }
            None => self.repo.odb()?.write(ObjectType::Commit, &buffer)?,
        };
        let written: Vec<(&str, Oid)> = staged
            .iter()
            .filter_map(|(p, e)| e.as_ref().map(|e| (p.as_str(), e.id)))
            .collect();
        confirm_objects(self.git_dir, id, tree_id, trees, &written)?;
        Ok(id)
    }
}

/// The tree to commit: HEAD's tree `base` with the `staged` paths written
/// (their entries) or removed (`None`), and every tree written for it when
/// they are known (the common case: a few entries spliced into the trees
/// on their way, `super::tree`; else libgit2's tree builder).
/// [`GitError::NothingToCommit`] when that is `base` itself.
fn new_tree(
    repo: &Repository,
    base: &git2::Tree<'_>,
    staged: &[(String, Option<IndexEntry>)],
) -> Result<(Oid, Option<Vec<Oid>>), GitError> {
    let changes: Vec<(&str, super::tree::Update)> = staged
        .iter()
        .map(|(p, e)| (p.as_str(), e.as_ref().map(|e| (e.id, u32::from(file_mode(e.mode))))))
        .collect();
    let made = match super::tree::update(repo, base.id(), &changes)? {
        Some(w) => (w.id, Some(w.trees)),
        None => (built_tree(repo, base, staged)?, None),
    };
    if made.0 == base.id() {
        return Err(GitError::NothingToCommit);
    }
    Ok(made)
}

/// [`new_tree`] through libgit2's tree builder.
fn built_tree(
    repo: &Repository,
    base: &git2::Tree<'_>,
    staged: &[(String, Option<IndexEntry>)],
) -> Result<Oid, GitError> {
    let mut update = TreeUpdateBuilder::new();
    for (path, entry) in staged {
        match entry {
            Some(e) => {
                update.upsert(path.as_str(), e.id, file_mode(e.mode));
            }
            None => {
                if base.get_path(Path::new(path)).is_ok() {
                    update.remove(path.as_str());
                }
            }
        }
    }
    Ok(update.create_updated(repo, base)?)
}

/// Read the new commit back from the object database, through a
/// repository opened afresh (no object cache), and the headers of the
/// trees written for it (`trees`, when known; else its tree is read and
/// each written path looked up) and of the written blobs, so a write that
/// failed silently (a full disk) is never reported as a commit.
fn confirm_objects(
    git_dir: &Path,
    id: Oid,
    tree_id: Oid,
    trees: Option<&[Oid]>,
    written: &[(&str, Oid)],
) -> Result<(), GitError> {
    let unrecorded = |what: String| GitError::NotRecorded {
        what,
        head: "HEAD was not moved".into(),
    };
    let fresh = super::reopen(git_dir).map_err(|e| unrecorded(format!("cannot reopen the repository: {e}")))?;
    let odb = fresh.odb()?;
    let commit = odb
        .read(id)
        .map_err(|e| unrecorded(format!("the commit object {id} cannot be read back: {e}")))?;
    if commit.kind() != ObjectType::Commit {
        return Err(unrecorded(format!("{id} reads back as a {}", commit.kind())));
    }
    let reread = fresh
        .find_commit(id)
        .map_err(|e| unrecorded(format!("the commit object {id} does not parse: {e}")))?;
    if reread.tree_id() != tree_id {
        return Err(unrecorded(format!("the commit {id} names another tree")));
    }
    let blobs: Vec<(&str, Oid)> = match trees {
        Some(trees) => {
            for t in trees {
                if !matches!(odb.read_header(*t), Ok((_, ObjectType::Tree))) {
                    return Err(unrecorded(format!("the tree {t} cannot be read back")));
                }
            }
            written.to_vec()
        }
        None => {
            let tree = fresh
                .find_tree(tree_id)
                .map_err(|e| unrecorded(format!("its tree {tree_id} cannot be read back: {e}")))?;
            let mut found = Vec::new();
            for (path, _) in written {
                let Ok(entry) = tree.get_path(Path::new(path)) else {
                    return Err(unrecorded(format!("{path} is missing from the tree written")));
                };
                found.push((*path, entry.id()));
            }
            found
        }
    };
    for (path, blob) in blobs {
        if odb.read_header(blob).is_err() {
            return Err(unrecorded(format!(
                "the content of {path} ({blob}) cannot be read back"
            )));
        }
    }
    Ok(())
}

/// The reference a commit on HEAD moves: the branch HEAD names (also an
/// unborn one), or `HEAD` itself when detached.
fn head_ref_name(repo: &Repository) -> Result<String, GitError> {
    let head = repo.find_reference("HEAD")?;
    if head.kind() == Some(ReferenceType::Symbolic) {
        if let Some(t) = head.symbolic_target() {
            return Ok(t.to_string());
        }
    }
    Ok("HEAD".to_string())
}

/// Move HEAD's branch from `parent` to `id` as `git commit` does: under
/// git's lock protocol (`<ref>.lock` holding the new value, renamed over the
/// ref), failing if another process moved it meanwhile, with the reflog
/// lines git writes.
///
/// The ref lock is created whole in one step (a hard link of a prepared
/// file) after a marker (`findings-ref-<pid>`) names the lock and the commit
/// it holds, so a lock left by a killed findings is recognised and cleared by
/// the next commit ([`clear_dead_ref_locks`]); libgit2's own reference
/// update leaves an empty lock nobody can tell from git's.
fn move_head(
    repo: &Repository,
    git_dir: &Path,
    id: Oid,
    parent: Option<Oid>,
    message: &str,
    committer: &git2::Signature,
) -> Result<(), GitError> {
    let name = head_ref_name(repo)?;
    let not_moved = |what: String| GitError::NotRecorded {
        what,
        head: "HEAD was not moved".into(),
    };
    let base = if name == "HEAD" { repo.path() } else { repo.commondir() };
    let ref_path = base.join(&name);
    let mut lock = ref_path.clone().into_os_string();
    lock.push(".lock");
    let lock = PathBuf::from(lock);
    let io = |path: &Path, e: io::Error| not_moved(format!("{}: {e}", path.display()));
    let marker = git_dir.join(format!("findings-ref-{}", std::process::id()));
    let owner = crate::owner::Owner::me().render();
    fs::write(&marker, format!("{owner}\n{}\n{id}\n", lock.display())).map_err(|e| io(&marker, e))?;
    let result = (|| {
        if let Some(dir) = ref_path.parent() {
            fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        }
        match create_whole(git_dir, &lock, format!("{id}\n").as_bytes()) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                return Err(not_moved(format!(
                    "{} exists: another git process is updating {name}; if none is, remove the file and try again",
                    lock.display()
                )))
            }
            Err(e) => return Err(io(&lock, e)),
        }
        // Compare and swap, now that the ref is locked.
        // A reference is read from disk at each lookup (libgit2 caches only
        // objects), so the handle the commit was made with sees another
        // process's move.
        let current = repo.refname_to_id(&name);
        let moved_meanwhile = match (&current, parent) {
            (Ok(now), Some(p)) => *now != p,
            (Err(e), None) => e.code() != ErrorCode::NotFound,
            _ => true,
        };
        if moved_meanwhile {
            let _ = fs::remove_file(&lock);
            return Err(not_moved(format!("{name} moved while the commit was being made")));
        }
        if let Err(e) = fs::rename(&lock, &ref_path) {
            let _ = fs::remove_file(&lock);
            return Err(io(&ref_path, e));
        }
        if let Some(dir) = ref_path.parent() {
            sync_dir(dir);
        }
        Ok(())
    })();
    let _ = fs::remove_file(&marker);
    result?;
    let subject = message.lines().next().unwrap_or("").replace(['\r', '\n'], " ");
    let line = reflog_line(
        parent,
        id,
        committer,
        &match parent {
            Some(_) => format!("commit: {subject}"),
            None => format!("commit (initial): {subject}"),
        },
    );
    let log_all = repo
        .config()
        .and_then(|c| c.get_bool("core.logAllRefUpdates"))
        .unwrap_or(true);
    append_reflog(
        &repo.commondir().join("logs").join(&name),
        &line,
        log_all && name.starts_with("refs/heads/"),
    );
    append_reflog(&repo.path().join("logs/HEAD"), &line, log_all);
    Ok(())
}

/// One reflog line, as git writes it.
fn reflog_line(old: Option<Oid>, new: Oid, who: &git2::Signature, message: &str) -> String {
    let when = who.when();
    let off = when.offset_minutes();
    let sign = if off < 0 { '-' } else { '+' };
    format!(
        "{} {new} {} <{}> {} {sign}{:02}{:02}\t{message}\n",
        old.unwrap_or_else(Oid::zero),
        String::from_utf8_lossy(who.name_bytes()),
        String::from_utf8_lossy(who.email_bytes()),
        when.seconds(),
        off.abs() / 60,
        off.abs() % 60
    )
}

/// Append `line` to a reflog that exists (or create it when `create`).
fn append_reflog(path: &Path, line: &str, create: bool) {
    if !create && !path.exists() {
        return;
    }
    if let Some(dir) = path.parent() {
        let _ = fs::create_dir_all(dir);
    }
    if let Ok(mut f) = fs::OpenOptions::new().create(true).append(true).open(path) {
        let _ = io::Write::write_all(&mut f, line.as_bytes());
    }
}

/// Flush a folder's entries to disk (best effort).
fn sync_dir(dir: &Path) {
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Create `path` holding `content` in one step, never replacing a file:
/// the content goes to a private file first, which is hard-linked into
/// place, so the file never exists empty. Falls back to an exclusive create
/// where hard links are not supported.
fn create_whole(git_dir: &Path, path: &Path, content: &[u8]) -> io::Result<()> {
    let temp = private_path(git_dir, "lockfile");
    let write = |p: &Path, new: bool| -> io::Result<()> {
        let mut o = fs::OpenOptions::new();
        o.write(true);
        if new {
            o.create_new(true);
        } else {
            o.create(true).truncate(true);
        }
        let mut f = o.open(p)?;
        io::Write::write_all(&mut f, content)
    };
    write(&temp, false)?;
    let linked = fs::hard_link(&temp, path);
    let _ = fs::remove_file(&temp);
    match linked {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(e),
        Err(_) => write(path, true),
    }
}

/// Remove ref locks left by findings processes that are gone: a marker
/// `findings-ref-<pid>` of a dead process names a lock that still holds
/// exactly the commit it was to record. Called with `index.lock` held.
fn clear_dead_ref_locks(git_dir: &Path, warnings: &mut Vec<String>) {
    let Ok(entries) = fs::read_dir(git_dir) else { return };
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix("findings-ref-"))
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(text) = fs::read_to_string(e.path()) else {
            continue;
        };
        let mut lines = text.lines();
        let (Some(owner), Some(lock), Some(id)) = (lines.next(), lines.next(), lines.next()) else {
            // Cut short by the kill: no lock was taken after it.
            if pid != std::process::id() && !crate::owner::pid_alive(pid) {
                let _ = fs::remove_file(e.path());
            }
            continue;
        };
        let Some(owner) = crate::owner::Owner::parse(owner) else {
            continue;
        };
        if !owner.is_gone() {
            continue;
        }
        let lock = PathBuf::from(lock);
        if fs::read_to_string(&lock).is_ok_and(|held| held == format!("{id}\n")) && fs::remove_file(&lock).is_ok() {
            warnings.push(format!(
                "removed {}, left by findings process {} that is gone (killed)",
                lock.display(),
                owner.pid
            ));
        }
        let _ = fs::remove_file(e.path());
    }
}

/// Read HEAD back from disk; if it does not name `id`, put it back where it
/// was (when it can be) and fail.
fn confirm_head(repo: &Repository, id: Oid, parent: Option<Oid>) -> Result<(), GitError> {
    let now = repo.refname_to_id("HEAD");
    match now {
        Ok(at) if at == id => Ok(()),
        other => {
            let seen = match other {
                Ok(at) => format!("HEAD reads back as {at}"),
                Err(e) => format!("HEAD cannot be read back: {}", e.message()),
            };
            let name = head_ref_name(repo).unwrap_or_else(|_| "HEAD".into());
            let head = match parent {
                Some(p) => match repo.reference_matching(&name, p, true, id, "findings: commit not recorded") {
                    Ok(_) => format!("{name} was put back at {p}"),
                    Err(e) => format!(
                        "{name} could not be put back at {p} ({}); check `git status`",
                        e.message()
                    ),
                },
                None => match repo.find_reference(&name).and_then(|mut r| r.delete()) {
                    Ok(()) => format!("{name} is unborn again"),
                    Err(e) => format!("{name} could not be reset ({}); check `git status`", e.message()),
                },
            };
            Err(GitError::NotRecorded {
                what: format!("the commit {id} was written but {seen}"),
                head,
            })
        }
    }
}

/// Put the committed entries into the private index copy (the index of
/// `copy`, its own handle) and write it out (it is moved over the real
/// index once HEAD has moved).
fn prepare_index(copy: &Repository, staged: &[(String, Option<IndexEntry>)]) -> Result<(), GitError> {
    let mut index = copy.index()?;
    for (path, entry) in staged {
        match entry {
            Some(e) => index.add(e)?,
            None => index.remove_path(Path::new(path))?,
        }
    }
    index.write()?;
    Ok(())
}

/// The commit HEAD points at; `None` on an unborn branch.
fn head_commit(repo: &Repository) -> Result<Option<Commit<'_>>, GitError> {
    match repo.head() {
        Ok(head) => Ok(Some(head.peel_to_commit()?)),
        Err(e) if e.code() == ErrorCode::UnbornBranch || e.code() == ErrorCode::NotFound => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Cleanup as `git commit -m` does it: trailing blanks and surrounding empty
/// lines removed, runs of empty lines collapsed, one final newline.
fn cleanup(message: &str) -> Result<String, GitError> {
    let clean = git2::message_prettify(message.replace('\0', ""), None)?;
    if clean.trim().is_empty() {
        return Err(GitError::EmptyMessage);
    }
    Ok(clean)
}

/// `root`'s place inside the work tree: `""` or `"sub/dir/"`.
fn prefix(workdir: &Path, root: &Path) -> Result<String, GitError> {
    let outside = || GitError::OutsideWorkTree {
        path: root.to_path_buf(),
    };
    let w = workdir.canonicalize().map_err(|_| outside())?;
    let r = root.canonicalize().map_err(|_| outside())?;
    let rel = r.strip_prefix(&w).map_err(|_| outside())?;
    let mut out = String::new();
    for c in rel.components() {
        out.push_str(c.as_os_str().to_str().ok_or_else(outside)?);
        out.push('/');
    }
    Ok(out)
}

/// Check every path and key it by its place in the work tree; a later change
/// of a path replaces an earlier one. `true` means write.
fn plan(prefix: &str, changes: &[Change]) -> Result<Vec<(String, bool)>, GitError> {
    let mut out: Vec<(String, bool)> = Vec::new();
    for c in changes {
        let path = c.path();
        if let Some(reason) = bad_path(path) {
            return Err(GitError::BadPath {
                path: path.to_string(),
                reason,
            });
        }
        let full = format!("{prefix}{path}");
        let write = !matches!(c, Change::Remove(_));
        match out.iter_mut().find(|(p, _)| *p == full) {
            Some(slot) => slot.1 = write,
            None => out.push((full, write)),
        }
    }
    Ok(out)
}

/// Why `path` cannot be committed, if it cannot.
fn bad_path(path: &str) -> Option<&'static str> {
    if path.is_empty() {
        return Some("empty path");
    }
    if path.contains('\0') {
        return Some("NUL in path");
    }
    if path.contains('\\') {
        return Some("paths are /-separated");
    }
    if path.starts_with('/') {
        return Some("absolute path");
    }
    for part in path.split('/') {
        match part {
            "" => return Some("empty path component"),
            "." | ".." => return Some("relative component"),
            p if p.eq_ignore_ascii_case(".git") => return Some("inside .git"),
            _ => {}
        }
    }
    None
}

fn file_mode(mode: u32) -> FileMode {
    match mode {
        0o100755 => FileMode::BlobExecutable,
        0o120000 => FileMode::Link,
        _ => FileMode::Blob,
    }
}

/// The index entry for the working-tree file `path`: its blob (written
/// through git's clean filters) and the stat data taken before hashing, so a
/// later change of the file is never mistaken for clean.
fn entry_for(
    repo: &Repository,
    workdir: &Path,
    path: &str,
    filemode: bool,
    known_mode: Option<u32>,
) -> Result<IndexEntry, GitError> {
    let abs = workdir.join(path);
    let meta = match fs::symlink_metadata(&abs) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(GitError::Missing { path: path.to_string() }),
        Err(source) => return Err(GitError::Io { path: abs, source }),
    };
    if meta.is_dir() {
        return Err(GitError::BadPath {
            path: path.to_string(),
            reason: "is a directory",
        });
    }
    let executable = {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            meta.permissions().mode() & 0o111 != 0
        }
        #[cfg(not(unix))]
        {
            false
        }
    };
    let mode = if meta.file_type().is_symlink() {
        0o120000
    } else if filemode {
        if executable {
            0o100755
        } else {
            0o100644
        }
    } else if known_mode == Some(0o100755) {
        0o100755
    } else {
        0o100644
    };
    let id = repo.blob_path(&abs)?;
    Ok(stat_entry(&meta, mode, id, path))
}

/// The index entry for explicit content: its blob, and no stat data (so
/// git compares the working file by content).
fn content_entry(repo: &Repository, path: &str, bytes: &[u8], known_mode: Option<u32>) -> Result<IndexEntry, GitError> {
    let id = repo.blob(bytes)?;
    let mode = if known_mode == Some(0o100755) {
        0o100755
    } else {
        0o100644
    };
    Ok(IndexEntry {
        ctime: IndexTime::new(0, 0),
        mtime: IndexTime::new(0, 0),
        dev: 0,
        ino: 0,
        mode,
        uid: 0,
        gid: 0,
        file_size: 0,
        id,
        flags: 0,
        flags_extended: 0,
        path: path.as_bytes().to_vec(),
    })
}

#[cfg(unix)]
fn stat_entry(meta: &fs::Metadata, mode: u32, id: Oid, path: &str) -> IndexEntry {
    use std::os::unix::fs::MetadataExt;
    // The index keeps 32 bits of each; git truncates the same way.
    let time = |s: i64, ns: i64| IndexTime::new(s as i32, ns as u32);
    IndexEntry {
        ctime: time(meta.ctime(), meta.ctime_nsec()),
        mtime: time(meta.mtime(), meta.mtime_nsec()),
        dev: meta.dev() as u32,
        ino: meta.ino() as u32,
        mode,
        uid: meta.uid(),
        gid: meta.gid(),
        file_size: meta.size() as u32,
        id,
        flags: 0,
        flags_extended: 0,
        path: path.as_bytes().to_vec(),
    }
}

#[cfg(not(unix))]
fn stat_entry(meta: &fs::Metadata, mode: u32, id: Oid, path: &str) -> IndexEntry {
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| IndexTime::new(d.as_secs() as i32, d.subsec_nanos()))
        .unwrap_or_else(|| IndexTime::new(0, 0));
    IndexEntry {
        ctime: mtime,
        mtime,
        dev: 0,
        ino: 0,
        mode,
        uid: 0,
        gid: 0,
        file_size: meta.len() as u32,
        id,
        flags: 0,
        flags_extended: 0,
        path: path.as_bytes().to_vec(),
    }
}

/// `.git/index.lock`, held for the whole commit as git holds it. Only a lock
/// this process created is ever removed.
///
/// Git writes the new index into its `index.lock`; findings never does (the
/// index is built in a scratch file), so it writes who it is there instead:
/// `findings-lock pid=… start=… host=…`. A lock holding that, from a findings
/// process on this host that is gone (killed), is provably stale and is
/// removed, with a warning; any other lock is waited on, then reported and
/// left alone.
struct IndexLock {
    path: PathBuf,
}

/// The first bytes of an `index.lock` findings holds.
const OWNER_TAG: &str = "findings-lock ";

impl IndexLock {
    fn acquire(git_dir: &Path, warnings: &mut Vec<String>) -> Result<IndexLock, GitError> {
        let path = &git_dir.join("index.lock");
        let owner = format!("{OWNER_TAG}{}\n", crate::owner::Owner::me().render());
        let start = Instant::now();
        let mut cleared = false;
        loop {
            match create_whole(git_dir, path, owner.as_bytes()) {
                Ok(()) => {
                    return Ok(IndexLock {
                        path: path.to_path_buf(),
                    })
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    if !cleared {
                        cleared = true;
                        if let Some(dead) = stale_owner(path) {
                            if fs::remove_file(path).is_ok() {
                                warnings.push(format!(
                                    "removed {}, left by findings process {} that is gone (killed)",
                                    path.display(),
                                    dead
                                ));
                                continue;
                            }
                        }
                    }
                    if start.elapsed() >= INDEX_LOCK_WAIT {
                        return Err(GitError::IndexLocked {
                            path: path.to_path_buf(),
                        });
                    }
                    crate::interrupt::check()?;
                    std::thread::sleep(Duration::from_millis(25));
                }
                Err(source) => {
                    return Err(GitError::Io {
                        path: path.to_path_buf(),
                        source,
                    })
                }
            }
        }
    }
}

/// The pid of the findings process that left the lock at `path`, when that
/// process is provably gone; `None` for a lock that is git's, anyone else's,
/// or a live process's.
fn stale_owner(path: &Path) -> Option<u32> {
    let mut head = [0u8; 256];
    let n = io::Read::read(&mut fs::File::open(path).ok()?, &mut head).ok()?;
    let text = std::str::from_utf8(&head[..n]).ok()?;
    let owner = crate::owner::Owner::parse(text.strip_prefix(OWNER_TAG)?.lines().next()?)?;
    owner.is_gone().then_some(owner.pid)
}

impl Drop for IndexLock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_checked() {
        for bad in [
            "",
            "/abs",
            "a//b",
            "a/./b",
            "../x",
            "x/..",
            ".git/config",
            "a/.GIT/x",
            "a\\b",
            "a\0b",
            "a/",
        ] {
            assert!(bad_path(bad).is_some(), "{bad:?}");
        }
        for good in ["a.md", "findings/030-ready-p1-x.md", ".todos/x.md", "a/.gitignore"] {
            assert_eq!(bad_path(good), None, "{good:?}");
        }
    }

    #[test]
    fn later_changes_of_a_path_win() {
        let p = plan(
            "sub/",
            &[
                Change::Write("a".into()),
                Change::Remove("b".into()),
                Change::Remove("a".into()),
            ],
        )
        .unwrap();
        assert_eq!(p, vec![("sub/a".to_string(), false), ("sub/b".to_string(), false)]);
    }

    #[test]
    fn a_commit_whose_objects_do_not_read_back_is_not_reported() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let tree = repo.treebuilder(None).unwrap().write().unwrap();
        let missing = Oid::from_str("0123456789012345678901234567890123456789").unwrap();
        let e = confirm_objects(repo.path(), missing, tree, None, &[]).unwrap_err();
        assert!(matches!(e, GitError::NotRecorded { .. }), "{e}");
        assert!(e.to_string().contains("nothing was committed"), "{e}");
        let blob = repo.blob(b"x").unwrap();
        let e = confirm_objects(repo.path(), blob, tree, None, &[]).unwrap_err();
        assert!(e.to_string().contains("reads back as a blob"), "{e}");

        // A commit that exists: each tree written and each blob is looked
        // up by its header (or, trees unknown, through the tree read back).
        let mut b = repo.treebuilder(None).unwrap();
        b.insert("x.md", blob, 0o100644).unwrap();
        let tree = b.write().unwrap();
        let me = git2::Signature::now("T", "t@example.com").unwrap();
        let t = repo.find_tree(tree).unwrap();
        let id = repo.commit(None, &me, &me, "m", &t, &[]).unwrap();
        let ok = [("x.md", blob)];
        confirm_objects(repo.path(), id, tree, Some(&[tree]), &ok).unwrap();
        confirm_objects(repo.path(), id, tree, None, &ok).unwrap();
        let e = confirm_objects(repo.path(), id, tree, Some(&[tree, missing]), &ok).unwrap_err();
        assert!(e.to_string().contains("cannot be read back"), "{e}");
        let e = confirm_objects(repo.path(), id, tree, Some(&[tree]), &[("x.md", missing)]).unwrap_err();
        assert!(e.to_string().contains("the content of x.md"), "{e}");
        let e = confirm_objects(repo.path(), id, tree, None, &[("y.md", blob)]).unwrap_err();
        assert!(e.to_string().contains("missing from the tree"), "{e}");
    }

    #[test]
    fn messages_are_cleaned_like_git_commit_m() {
        assert_eq!(cleanup("\n\nsubject  \n\n\n\nbody\n\n").unwrap(), "subject\n\nbody\n");
        assert!(matches!(cleanup(" \n\n"), Err(GitError::EmptyMessage)));
    }
}
