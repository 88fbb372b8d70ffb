//! Team operations over git: `findings init` (register the merge driver,
//! route the document folders to it) and `findings sync` (fetch, renumber
//! our unpublished documents whose IDs the remote took meanwhile, rebase or
//! merge with the driver active, push).
//!
//! Over 600 lines (about 940 before its tests): `init`, `sync` and the renumbering of
//! unpublished documents share one sequence of git steps and their recovery.

use super::identity::{self, IdentityError, Rejoined, Restored, Sides};
use super::ids::{clashes_against, taken_ids, Clash, Folders};
use super::renumber::{renumber, reshape, RenumberRequest};
use super::{check_git_state, commit_edits, lock, open_git, FileEdit, OpError, WriteOpts};
use crate::document::Document;
use crate::git::setup;
use crate::git::sync::{Git, Strategy, SyncError};
use crate::git::{self, GitError, RepoState};
use crate::store::write::Snapshot;
use crate::store::Repo;
use git2::Repository;
use serde::Serialize;
use std::path::Path;

/// Errors of the team operations.
#[derive(Debug, thiserror::Error)]
pub(crate) enum TeamError {
    #[error(transparent)]
    Op(#[from] OpError),
    #[error(transparent)]
    Sync(#[from] SyncError),
    #[error(transparent)]
    Git(#[from] GitError),
    #[error(transparent)]
    Identity(#[from] IdentityError),
    #[error("{} is in progress{}; resolve the conflicts, then run `findings sync --continue` (or `{}` to go back)", .state, list_paths(.paths), abort(*.state))]
    Unfinished { state: RepoState, paths: Vec<String> },
}

fn list_paths(v: &[String]) -> String {
    if v.is_empty() {
        String::new()
    } else {
        format!(" (conflicts in {})", v.join(", "))
    }
}

fn abort(s: RepoState) -> &'static str {
    match s {
        RepoState::Merging => "git merge --abort",
        RepoState::Rebasing => "git rebase --abort",
        _ => "git status",
    }
}

/// What `findings init` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct InitReport {
    /// `merge.findings.driver` as registered.
    pub(crate) driver: String,
    /// The config was written (false: it was already so).
    pub(crate) config_changed: bool,
    /// Lines added to `.gitattributes`.
    pub(crate) attributes_added: Vec<String>,
    /// The commit of `.gitattributes`, when one was made.
    pub(crate) commit: Option<String>,
    pub(crate) warnings: Vec<String>,
    /// How many document folders are routed to the driver (0: none exists yet).
    pub(crate) folders: usize,
}

/// The `.gitattributes` file.
pub(crate) const ATTRIBUTES: &str = ".gitattributes";

/// Folders to route to the driver: the configured (or default) folders
/// that exist (none when none does: `init` writes only what it found);
/// plus, when none is
/// configured, every other folder where `repo`'s documents were found (not
/// the root: that would route every `*.md` of the repository).
fn driver_folders(repo: &Repo) -> Vec<String> {
    let all = repo.config.folders();
    let mut existing: Vec<String> = all.iter().filter(|f| repo.abs(f).is_dir()).cloned().collect();
    for f in Folders::of(repo).shallow {
        if f != "." && !existing.contains(&f) {
            existing.push(f);
        }
    }
    existing
}

/// The folders documents are in, as loading finds them (the configured or
/// default folders, and every folder holding a tracked file named like a
/// document), for joining documents by identity. Read from the index of
/// `lg` (the repository, opened once for the command; the index is re-read
/// when git changed it since), not by loading.
fn doc_folders(repo: &Repo, lg: &Repository) -> Vec<String> {
    if let Ok(mut index) = lg.index() {
        let _ = index.read(false);
    }
    Folders::from_index(lg, &repo.config).all()
}

/// Register the merge driver (`program merge-driver %O %A %B %P`) in
/// `.git/config` and add the `.gitattributes` lines for the document
/// folders, committing `.gitattributes` alone (unless `no_commit`). Running
/// it again changes nothing.
pub(crate) fn init(repo: &Repo, program: &str, opts: &WriteOpts) -> Result<InitReport, TeamError> {
    // Opened once: the driver's config, the state check and the commit.
    let git = open_git(&repo.root, opts)?;
    let Some(lg) = git.as_ref() else {
        return Err(GitError::NotARepo {
            path: repo.root.clone(),
        }
        .into());
    };
    let driver = setup::driver_command(program);
    let config_changed = if opts.dry_run {
        setup::registered_driver(lg).as_deref() != Some(driver.as_str())
    } else {
        setup::register_driver(lg, &driver)?
    };
    let mut report = InitReport {
        driver,
        config_changed,
        attributes_added: vec![],
        commit: None,
        warnings: vec![],
        folders: 0,
    };
    let folders = driver_folders(repo);
    report.folders = folders.len();
    if folders.is_empty() {
        report.warnings.push(
            "no document folder yet, so no .gitattributes line was written; run `findings init` again once documents exist"
                .into(),
        );
    }
    for f in &folders {
        if setup::pattern(f).is_none() {
            report.warnings.push(format!(
                "folder {f:?} cannot be written as a .gitattributes pattern; add a line for it by hand"
            ));
        }
    }
    let abs = repo.abs(ATTRIBUTES);
    let _lock = lock(repo, opts)?;
    let snap = if abs.exists() {
        Some(Snapshot::read(&abs).map_err(OpError::from)?)
    } else {
        None
    };
    let before = snap
        .as_ref()
        .map(|s| String::from_utf8_lossy(&s.bytes).into_owned())
        .unwrap_or_default();
    let Some(after) = setup::attributes_with(&before, &folders) else {
        return Ok(report);
    };
    report.attributes_added = after
        .lines()
        .filter(|l| !before.lines().any(|b| b == *l) && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    if opts.dry_run {
        return Ok(report);
    }
    check_git_state(git.as_ref(), opts)?;
    let fe = FileEdit {
        from: snap.as_ref().map(|_| ATTRIBUTES.to_string()),
        to: ATTRIBUTES.into(),
        before,
        after,
        remove: false,
    };
    let snaps: Vec<Snapshot> = snap.into_iter().collect();
    let msg = "findings: merge documents with the findings merge driver\n\n\
               Work-log entries from both sides are kept; front matter merges key by key.\n\
               Each clone registers the driver with `findings init`.\n";
    let (commit, warnings) = commit_edits(repo, git.as_ref(), &[fe], &snaps, msg, opts)?;
    report.commit = commit;
    report.warnings.extend(warnings);
    Ok(report)
}

/// How to sync.
#[derive(Debug, Clone)]
pub(crate) struct SyncOptions {
    /// Rebase or merge; `findings.toml`'s `[git] sync` when `None`.
    pub(crate) strategy: Option<Strategy>,
    /// The remote when the branch has no upstream (default `origin`).
    pub(crate) remote: Option<String>,
    pub(crate) push: bool,
    /// Renumber our unpublished documents whose IDs the remote took.
    pub(crate) renumber: bool,
    /// The program for the merge driver when the clone has not registered one.
    pub(crate) program: String,
    /// Author, dates and hooks for renumber commits.
    pub(crate) write: WriteOpts,
    /// Resume a sync that stopped (`findings sync --continue`).
    pub(crate) resume: bool,
}

/// A document `sync` renumbered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Renumbered {
    pub(crate) from: String,
    pub(crate) to: String,
    pub(crate) path: String,
    pub(crate) commit: Option<String>,
}

/// A path left with conflicts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct ConflictDoc {
    pub(crate) path: String,
    pub(crate) id: Option<String>,
}

/// What `findings sync` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct SyncReport {
    pub(crate) branch: String,
    pub(crate) remote: String,
    pub(crate) upstream: String,
    pub(crate) strategy: Strategy,
    /// Commits fetched that we did not have, and ours they did not.
    pub(crate) incoming: usize,
    pub(crate) outgoing: usize,
    pub(crate) renumbered: Vec<Renumbered>,
    /// ID clashes left (published on both sides): nothing was integrated.
    pub(crate) clashes: Vec<Clash>,
    /// The upstream is integrated (or there was nothing to integrate).
    pub(crate) integrated: bool,
    pub(crate) conflicts: Vec<ConflictDoc>,
    /// Documents joined back into one file (one side renamed, the other
    /// edited the old name; or both renamed).
    pub(crate) rejoined: Vec<Rejoined>,
    /// Work-log entries git's own merge dropped, put back.
    pub(crate) restored: Vec<Restored>,
    pub(crate) pushed: bool,
    /// What to do next, when sync stopped.
    pub(crate) instructions: Vec<String>,
    pub(crate) warnings: Vec<String>,
}

impl SyncReport {
    /// A report of a sync that has done nothing yet.
    fn start(
        branch: String,
        remote: String,
        upstream: String,
        strategy: Strategy,
        warnings: Vec<String>,
    ) -> SyncReport {
        SyncReport {
            branch,
            remote,
            upstream,
            strategy,
            incoming: 0,
            outgoing: 0,
            renumbered: vec![],
            clashes: vec![],
            integrated: false,
            conflicts: vec![],
            rejoined: vec![],
            restored: vec![],
            pushed: false,
            instructions: vec![],
            warnings,
        }
    }
}

impl SyncReport {
    /// Sync finished: integrated, nothing left to resolve.
    pub(crate) fn ok(&self) -> bool {
        self.integrated && self.conflicts.is_empty() && self.clashes.is_empty()
    }
}

/// Whether `path` exists on any remote-tracking branch of `lg`.
fn published(lg: &Repository, path: &str) -> bool {
    let Ok(refs) = lg.references() else { return false };
    let found = refs
        .flatten()
        .filter(|r| r.is_remote())
        .filter_map(|r| r.peel_to_tree().ok())
        .any(|t| t.get_path(Path::new(path)).is_ok());
    found
}

/// Fetch, resolve ID clashes, integrate, push.
pub(crate) fn sync(repo: &Repo, opts: &SyncOptions) -> Result<SyncReport, TeamError> {
    // The repository is opened once for the whole sync: every read through
    // libgit2 (state, config, index, refs, objects) uses this handle, while
    // the system git does the fetching and integrating.
    let lg = git::open(&repo.root)?;
    if opts.resume {
        return resume(repo, &lg, opts);
    }
    sync_in(repo, &lg, opts)
}

/// [`sync`] in the repository `lg`, already open.
fn sync_in(repo: &Repo, lg: &Repository, opts: &SyncOptions) -> Result<SyncReport, TeamError> {
    match RepoState::from(lg.state()) {
        RepoState::Clean => {}
        RepoState::NotARepo => {
            return Err(GitError::NotARepo {
                path: repo.root.clone(),
            }
            .into())
        }
        s @ (RepoState::Rebasing | RepoState::Merging) => {
            return Err(TeamError::Unfinished {
                state: s,
                paths: Git::new(&repo.root).conflicted(),
            })
        }
        s => return Err(OpError::InProgress(s).into()),
    }
    let (g, driver_warning) = Git::new(&repo.root).with_driver(lg, &opts.program);
    let branch = g.branch()?;
    let (remote, upstream, has_upstream) = match (g.upstream(&branch), &opts.remote) {
        (Some((r, u)), None) => (r, u, true),
        (Some((r, u)), Some(want)) if *want == r => (r, u, true),
        (_, want) => {
            let r = want.clone().unwrap_or_else(|| "origin".into());
            let u = format!("{r}/{branch}");
            (r, u, false)
        }
    };
    let strategy = opts
        .strategy
        .unwrap_or_else(|| Strategy::from_config(repo.config.git.sync.as_deref()));
    let mut report = SyncReport::start(branch.clone(), remote.clone(), upstream.clone(), strategy, vec![]);
    report.warnings.extend(driver_warning);
    if !identity::unmerged_in(lg, &repo.root).is_empty() {
        stopped(repo, &g, lg, strategy, &mut report);
        return Ok(report);
    }
    // Whatever an earlier sync left to finish is finished (or abandoned).
    Record::clear(lg);
    let attrs = std::fs::read_to_string(repo.abs(ATTRIBUTES)).unwrap_or_default();
    if setup::attributes_with(&attrs, &driver_folders(repo)).is_some() {
        report.warnings.push(
            "the document folders are not routed to the findings merge driver in .gitattributes; \
             run `findings init` so work logs merge without conflicts"
                .into(),
        );
    }
    let remote_ref = format!("refs/remotes/{upstream}");
    for attempt in 0..3 {
        g.fetch(&remote)?;
        let exists = g.exists(&remote_ref);
        if exists {
            // Only incoming commits can bring a clashing ID: with none, no
            // document is read at all.
            let incoming = g.count(&remote_ref, "HEAD");
            if incoming > 0 && !resolve_clashes(repo, lg, opts, &upstream, &mut report)? {
                return Ok(report);
            }
            // A renumber commit adds to what goes out.
            report.incoming = incoming;
            let outgoing = g.count("HEAD", &remote_ref);
            if report.incoming > 0 && outgoing > 0 {
                let orig = g.ok(&["rev-parse", "HEAD"])?;
                let rec = Record {
                    orig,
                    upstream: remote_ref.clone(),
                    strategy,
                    commit: vec![],
                    remove: vec![],
                };
                rec.save(lg)?;
                let clean = g.integrate(&remote_ref, strategy)?;
                if !clean && !settle(repo, &g, lg, strategy, false, &mut report)? {
                    stopped(repo, &g, lg, strategy, &mut report);
                    return Ok(report);
                }
                if !restash(repo, &g, lg, strategy, &mut report)? {
                    return Ok(report);
                }
                if !after_integration(repo, &g, lg, rec, opts, &mut report)? {
                    return Ok(report);
                }
            } else if report.incoming > 0 {
                // Nothing of ours to lose: a fast-forward never stops, but
                // say so if git did.
                if !g.integrate(&remote_ref, strategy)? {
                    stopped(repo, &g, lg, strategy, &mut report);
                    return Ok(report);
                }
                if !restash(repo, &g, lg, strategy, &mut report)? {
                    return Ok(report);
                }
            }
            report.outgoing = if report.incoming > 0 {
                g.count("HEAD", &remote_ref)
            } else {
                outgoing
            };
            if report.outgoing > 0 && !publishable(repo, &g, &remote_ref, &mut report)? {
                return Ok(report);
            }
        } else {
            report.outgoing = g.ok(&["rev-list", "--count", "HEAD"])?.trim().parse().unwrap_or(0);
        }
        report.integrated = true;
        if !opts.push || (exists && report.outgoing == 0) {
            return Ok(report);
        }
        if g.push(&remote, &branch, !has_upstream)? {
            report.pushed = true;
            return Ok(report);
        }
        report.integrated = false;
        if attempt < 2 {
            report
                .warnings
                .push(format!("{remote} moved on while syncing; fetching again"));
        }
    }
    report
        .instructions
        .push(format!("{remote} kept moving while syncing; run `findings sync` again"));
    Ok(report)
}

/// Renumber our unpublished documents that clash with `upstream`; returns
/// false (with the clashes in the report) when some cannot be renumbered.
fn resolve_clashes(
    repo: &Repo,
    lg: &Repository,
    opts: &SyncOptions,
    upstream: &str,
    report: &mut SyncReport,
) -> Result<bool, TeamError> {
    // The clashes come from what git says differs: no document is loaded.
    let fresh = Repo::config_only(&repo.root).map_err(OpError::from)?;
    let clashes = clashes_against(&fresh, lg, upstream)?;
    let mut left = Vec::new();
    let mut done: Vec<String> = Vec::new();
    for c in clashes {
        if done.contains(&c.ours) {
            continue;
        }
        if !opts.renumber || published(lg, &c.ours) {
            left.push(c);
            continue;
        }
        let now = Repo::open(&repo.root).map_err(OpError::from)?;
        let taken = taken_ids(&now, Some(lg));
        let (prefix, _) =
            c.id.split_at(c.id.len() - c.id.trim_end_matches(|ch: char| ch.is_ascii_digit()).len());
        let next = super::new::next_id(
            c.kind,
            prefix.trim_end_matches('-'),
            taken.iter().map(|(k, s)| (*k, s.as_str())),
        );
        let new_id = reshape(&c.id, &next);
        let o = renumber(
            &now,
            &RenumberRequest {
                id: c.ours.clone(),
                new_id: new_id.clone(),
            },
            &WriteOpts {
                dry_run: false,
                no_commit: false,
                expected_hash: None,
                ..opts.write.clone()
            },
        )?;
        done.push(c.ours.clone());
        report.renumbered.push(Renumbered {
            from: c.id.clone(),
            to: new_id,
            path: o.path().to_string(),
            commit: o.commit.clone(),
        });
        report.warnings.extend(o.warnings);
    }
    if left.is_empty() {
        return Ok(true);
    }
    for c in &left {
        report.instructions.push(format!(
            "ID {} is used by {} here and by {} on {}; renumber one (`findings renumber {} NEW`) and sync again",
            c.id, c.ours, c.theirs, c.refname, c.ours
        ));
    }
    report.clashes = left;
    Ok(false)
}

/// The rebase or merge stopped: list the conflicted documents and say how
/// to go on. Every instruction is safe to follow literally.
fn stopped(repo: &Repo, g: &Git, lg: &Repository, strategy: Strategy, report: &mut SyncReport) {
    for p in g.conflicted() {
        if report.conflicts.iter().any(|c| c.path == p) {
            continue;
        }
        let id = std::fs::read_to_string(repo.abs(&p))
            .ok()
            .map(|t| Document::parse(&p, t).meta.id);
        report.conflicts.push(ConflictDoc { path: p, id });
    }
    let list = report
        .conflicts
        .iter()
        .map(|c| c.path.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let state = RepoState::from(lg.state());
    let (what, abort) = match (state, strategy) {
        (RepoState::Rebasing, _) => ("the rebase", Some("git rebase --abort")),
        (RepoState::Merging, _) => ("the merge", Some("git merge --abort")),
        _ => ("sync", None),
    };
    report
        .instructions
        .push(format!("{what} stopped with conflicts in {list}."));
    report.instructions.push(
        "In each of those files, keep the value you want between the <<<<<<< and >>>>>>> lines \
         and delete the marker lines (work-log entries of both sides are already kept; a file \
         with no markers needs nothing), then run `findings sync --continue`."
            .into(),
    );
    if let Some(abort) = abort {
        report
            .instructions
            .push(format!("To go back to where you were instead: `{abort}`."));
    }
}

/// What `sync` must remember when it stops: our branch before integrating,
/// the upstream, and the paths of a rejoin left for a person to finish
/// (`.git/findings-sync`).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Record {
    orig: String,
    upstream: String,
    strategy: Strategy,
    /// Paths to commit by `--continue` (a rejoin after git finished).
    commit: Vec<String>,
    remove: Vec<String>,
}

impl Record {
    fn file(lg: &Repository) -> std::path::PathBuf {
        lg.path().join("findings-sync")
    }

    fn save(&self, lg: &Repository) -> Result<(), OpError> {
        let f = Record::file(lg);
        let mut s = format!(
            "orig {}\nupstream {}\nstrategy {}\n",
            self.orig,
            self.upstream,
            match self.strategy {
                Strategy::Rebase => "rebase",
                Strategy::Merge => "merge",
            }
        );
        for p in self.commit.iter().filter(|p| !p.contains('\n')) {
            s.push_str(&format!("commit {p}\n"));
        }
        for p in self.remove.iter().filter(|p| !p.contains('\n')) {
            s.push_str(&format!("remove {p}\n"));
        }
        crate::store::write::atomic_write(&f, s.as_bytes()).map_err(|e| OpError::Io {
            path: f.display().to_string(),
            message: e.to_string(),
        })
    }

    fn load(lg: &Repository) -> Option<Record> {
        let text = std::fs::read_to_string(Record::file(lg)).ok()?;
        let mut r = Record {
            orig: String::new(),
            upstream: String::new(),
            strategy: Strategy::Rebase,
            commit: vec![],
            remove: vec![],
        };
        for line in text.lines() {
            let (k, v) = line.split_once(' ')?;
            match k {
                "orig" => r.orig = v.to_string(),
                "upstream" => r.upstream = v.to_string(),
                "strategy" => r.strategy = Strategy::from_config(Some(v)),
                "commit" => r.commit.push(v.to_string()),
                "remove" => r.remove.push(v.to_string()),
                _ => {}
            }
        }
        (!r.orig.is_empty() && !r.upstream.is_empty()).then_some(r)
    }

    fn clear(lg: &Repository) {
        let _ = std::fs::remove_file(Record::file(lg));
    }
}

/// A stopped rebase or merge: join renamed documents back by identity and
/// go on while nothing is left for a person. `Ok(true)`: finished.
/// With `resolved`, conflicted documents without markers count as resolved
/// (`--continue`: a person was told to resolve them).
fn settle(
    repo: &Repo,
    g: &Git,
    lg: &Repository,
    strategy: Strategy,
    resolved: bool,
    report: &mut SyncReport,
) -> Result<bool, TeamError> {
    let folders = doc_folders(repo, lg);
    // Each round either finishes, stops for a person, or moves one commit on.
    for _ in 0..10_000 {
        let state = RepoState::from(lg.state());
        if state.is_clean() {
            return Ok(true);
        }
        let strategy = match state {
            RepoState::Rebasing => Strategy::Rebase,
            RepoState::Merging => Strategy::Merge,
            _ => strategy,
        };
        identity::remerge(g, lg, &folders)?;
        let rejoined = identity::rejoin_conflicts(g, lg, &folders, strategy)?;
        report.rejoined.extend(rejoined);
        if resolved {
            add_resolved(repo, g, lg)?;
        }
        if !g.conflicted().is_empty() {
            return Ok(false);
        }
        let out = match state {
            RepoState::Rebasing => g.run(&["rebase", "--continue"])?,
            RepoState::Merging => g.run(&["commit", "--no-edit"])?,
            _ => return Ok(false),
        };
        if out.status.success() {
            continue;
        }
        if state == RepoState::Rebasing
            && RepoState::from(lg.state()) == RepoState::Rebasing
            && g.conflicted().is_empty()
        {
            // Nothing left to commit at this step (the other side already
            // had it): skipping it loses nothing, the index is HEAD's.
            if g.run(&["diff", "--cached", "--quiet"])?.status.success() {
                g.ok(&["rebase", "--skip"]).map(|_| ())?;
                continue;
            }
        }
        if !g.conflicted().is_empty() {
            continue;
        }
        return Err(SyncError::Failed {
            args: "rebase --continue".into(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
        .into());
    }
    Ok(false)
}

/// After the integration, uncommitted edits git re-applied to a document
/// the upstream renamed follow it to its new file. `Ok(false)` when some
/// re-applied edits conflict (they are safe in the stash, as git says).
fn restash(
    repo: &Repo,
    g: &Git,
    lg: &Repository,
    strategy: Strategy,
    report: &mut SyncReport,
) -> Result<bool, TeamError> {
    if g.conflicted().is_empty() {
        return Ok(true);
    }
    let moved = identity::rejoin_stashed(g, lg, &doc_folders(repo, lg))?;
    report.rejoined.extend(moved);
    if g.conflicted().is_empty() {
        return Ok(true);
    }
    stopped(repo, g, lg, strategy, report);
    report.instructions.push(
        "Your uncommitted edits were re-applied with conflicts; they are also safe in the stash \
         (`git stash list`): resolve the files, then `git stash drop`."
            .into(),
    );
    Ok(false)
}

/// After git finished integrating: one file per document and every
/// work-log entry of both sides, committed as one fix-up commit. `Ok(false)`
/// when a rejoin left conflicts for a person (the report says which).
fn after_integration(
    repo: &Repo,
    g: &Git,
    lg: &Repository,
    mut rec: Record,
    opts: &SyncOptions,
    report: &mut SyncReport,
) -> Result<bool, TeamError> {
    let folders = doc_folders(repo, lg);
    let Some(sides) = Sides::new(lg, &rec.upstream, &rec.orig) else {
        Record::clear(lg);
        return Ok(true);
    };
    let rejoined = identity::rejoin_duplicates(g, &sides, &folders)?;
    let restored = if rejoined.iter().any(|r| r.conflicts > 0) {
        vec![]
    } else {
        identity::missing_entries(g, &sides, &folders)?
    };
    let mut changes = Vec::new();
    for r in &rejoined {
        changes.push(git::Change::Write(r.path.clone()));
        changes.extend(r.removed.iter().cloned().map(git::Change::Remove));
    }
    for r in &restored {
        changes.push(git::Change::Write(r.path.clone()));
    }
    report.rejoined.extend(rejoined.iter().cloned());
    report.restored.extend(restored.iter().cloned());
    if rejoined.iter().any(|r| r.conflicts > 0) {
        rec.commit = rejoined.iter().map(|r| r.path.clone()).collect();
        rec.remove = rejoined.iter().flat_map(|r| r.removed.clone()).collect();
        rec.save(lg)?;
        stopped(repo, g, lg, rec.strategy, report);
        return Ok(false);
    }
    Record::clear(lg);
    if changes.is_empty() {
        return Ok(true);
    }
    commit_fixup(repo, &changes, &rejoined, &restored, opts)?;
    Ok(true)
}

fn commit_fixup(
    repo: &Repo,
    changes: &[git::Change],
    rejoined: &[Rejoined],
    restored: &[Restored],
    opts: &SyncOptions,
) -> Result<(), TeamError> {
    let mut body = Vec::new();
    for r in rejoined {
        body.push(format!(
            "{}: one file ({}) after both sides renamed it; removed {}",
            r.id,
            r.path,
            r.removed.join(", ")
        ));
    }
    for r in restored {
        body.push(format!(
            "{}: {} work-log entr{} git's merge dropped put back",
            r.id,
            r.entries.len(),
            if r.entries.len() == 1 { "y" } else { "ies" }
        ));
    }
    let msg = format!(
        "findings: keep every document once and every work-log entry after sync\n\n{}\n",
        body.join("\n")
    );
    git::commit_paths(
        &repo.root,
        changes,
        &msg,
        &git::CommitOptions {
            no_verify: opts.write.no_verify,
        },
    )?;
    Ok(())
}

/// Nothing unresolved leaves this clone: no unmerged index entries and no
/// conflict markers in a file our outgoing commits change.
fn publishable(repo: &Repo, g: &Git, remote_ref: &str, report: &mut SyncReport) -> Result<bool, TeamError> {
    let mut bad: Vec<String> = g.conflicted();
    let out = g.run(&[
        "diff",
        "--name-only",
        "-z",
        "--no-renames",
        "--diff-filter=AM",
        remote_ref,
        "HEAD",
    ])?;
    for p in out.stdout.split(|&b| b == 0).filter(|p| !p.is_empty()) {
        let p = String::from_utf8_lossy(p).into_owned();
        let Ok(text) = g.ok(&["cat-file", "blob", &format!("HEAD:{p}")]) else {
            continue;
        };
        // Markers the upstream's version already had (a document about
        // merge conflicts, say) are content, not a conflict.
        let had = g
            .ok(&["cat-file", "blob", &format!("{remote_ref}:{p}")])
            .map(|t| hunks(&t))
            .unwrap_or(0);
        if hunks(&text) > had && !bad.contains(&p) {
            bad.push(p);
        }
    }
    if bad.is_empty() {
        return Ok(true);
    }
    for p in &bad {
        if !report.conflicts.iter().any(|c| &c.path == p) {
            let id = std::fs::read_to_string(repo.abs(p))
                .ok()
                .map(|t| Document::parse(p, t).meta.id);
            report.conflicts.push(ConflictDoc { path: p.clone(), id });
        }
    }
    report.instructions.push(format!(
        "not pushed: {} still hold{} conflict markers or unresolved entries; resolve them, \
         commit, then run `findings sync` again.",
        bad.join(", "),
        if bad.len() == 1 { "s" } else { "" }
    ));
    Ok(false)
}

/// Whether `text` holds a conflict hunk: a `<<<<<<<` line followed by a
/// `>>>>>>>` line.
fn has_markers(text: &str) -> bool {
    hunks(text) > 0
}

/// The conflict hunks of `text`: `<<<<<<<` lines each followed by a
/// `>>>>>>>` line.
fn hunks(text: &str) -> usize {
    let mut open = false;
    let mut n = 0;
    for l in text.lines() {
        if l.starts_with("<<<<<<<") {
            open = true;
        } else if open && l.starts_with(">>>>>>>") {
            open = false;
            n += 1;
        }
    }
    n
}

/// Stage each conflicted document whose file now holds no conflict markers
/// (a person resolved it, or it had none).
fn add_resolved(repo: &Repo, g: &Git, lg: &Repository) -> Result<(), TeamError> {
    let folders = doc_folders(repo, lg);
    for p in g.conflicted() {
        let in_folder = folders.iter().any(|f| {
            let f = f.trim_matches('/');
            f.is_empty() || f == "." || p.starts_with(&format!("{f}/"))
        });
        if !in_folder || !p.ends_with(".md") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(repo.abs(&p)) else {
            continue;
        };
        if !has_markers(&text) {
            g.ok(&["add", "--", &p])?;
        }
    }
    Ok(())
}

/// `findings sync --continue`: finish what a stopped sync left (with the
/// merge driver and the rejoin by identity, which a plain `git rebase
/// --continue` does not have), then sync as usual.
fn resume(repo: &Repo, lg: &Repository, opts: &SyncOptions) -> Result<SyncReport, TeamError> {
    let (g, driver_warning) = Git::new(&repo.root).with_driver(lg, &opts.program);
    let state = RepoState::from(lg.state());
    // The record is of this stop only when git's ORIG_HEAD is the commit the
    // sync started from (a rebase or merge someone started by hand is not).
    let rec = Record::load(lg).filter(|r| {
        state.is_clean()
            || g.ok(&["rev-parse", "--verify", "--quiet", "ORIG_HEAD"]).ok().as_deref() == Some(r.orig.as_str())
    });
    let strategy = match state {
        RepoState::Rebasing => Strategy::Rebase,
        RepoState::Merging => Strategy::Merge,
        _ => rec
            .as_ref()
            .map(|r| r.strategy)
            .or(opts.strategy)
            .unwrap_or_else(|| Strategy::from_config(repo.config.git.sync.as_deref())),
    };
    let mut early = SyncReport::start(
        g.branch().unwrap_or_default(),
        String::new(),
        rec.as_ref().map(|r| r.upstream.clone()).unwrap_or_default(),
        strategy,
        driver_warning.into_iter().collect(),
    );
    match state {
        RepoState::Rebasing | RepoState::Merging => {
            if !settle(repo, &g, lg, strategy, true, &mut early)? {
                stopped(repo, &g, lg, strategy, &mut early);
                return Ok(early);
            }
            if !restash(repo, &g, lg, strategy, &mut early)? {
                return Ok(early);
            }
            if let Some(rec) = rec {
                if !after_integration(repo, &g, lg, rec, opts, &mut early)? {
                    return Ok(early);
                }
            }
        }
        RepoState::Clean => {
            identity::remerge(&g, lg, &doc_folders(repo, lg))?;
            add_resolved(repo, &g, lg)?;
            if !g.conflicted().is_empty() {
                stopped(repo, &g, lg, strategy, &mut early);
                return Ok(early);
            }
            if let Some(rec) = rec.filter(|r| !r.commit.is_empty()) {
                let mut changes: Vec<git::Change> = rec.commit.iter().cloned().map(git::Change::Write).collect();
                changes.extend(rec.remove.iter().cloned().map(git::Change::Remove));
                let rejoined: Vec<Rejoined> = early.rejoined.clone();
                match commit_fixup(repo, &changes, &rejoined, &[], opts) {
                    Ok(()) | Err(TeamError::Git(GitError::NothingToCommit)) => {}
                    Err(e) => return Err(e),
                }
                Record::clear(lg);
            }
        }
        RepoState::NotARepo => {
            return Err(GitError::NotARepo {
                path: repo.root.clone(),
            }
            .into())
        }
        s => return Err(OpError::InProgress(s).into()),
    }
    let mut r = sync_in(
        repo,
        lg,
        &SyncOptions {
            resume: false,
            ..opts.clone()
        },
    )?;
    early.rejoined.append(&mut r.rejoined);
    early.restored.append(&mut r.restored);
    r.rejoined = early.rejoined;
    r.restored = early.restored;
    r.warnings.splice(0..0, early.warnings);
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_need_both_ends() {
        assert!(has_markers("a\n<<<<<<< ours\nx\n=======\ny\n>>>>>>> theirs\n"));
        assert!(!has_markers("a\n<<<<<<< only an opening\n"));
        assert!(!has_markers(">>>>>>> before\n<<<<<<< after\n"));
        assert!(!has_markers("text with <<<<<<< inside\n>>>>>>> x\n"));
        assert_eq!(hunks("<<<<<<< a\n=======\n>>>>>>> b\n<<<<<<< c\n>>>>>>> d\n"), 2);
    }

    #[test]
    fn the_record_survives_a_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let ok = std::process::Command::new("git")
            .args(["init", "-q"])
            .current_dir(dir.path())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            eprintln!("skipped: no git");
            return;
        }
        let lg = git::open(dir.path()).unwrap();
        assert_eq!(Record::load(&lg), None);
        let r = Record {
            orig: "abc".into(),
            upstream: "refs/remotes/origin/main".into(),
            strategy: Strategy::Merge,
            commit: vec!["findings/030-ready-p1-x.md".into()],
            remove: vec!["findings/030-wontfix-p1-x.md".into()],
        };
        r.save(&lg).unwrap();
        assert_eq!(Record::load(&lg), Some(r));
        Record::clear(&lg);
        assert_eq!(Record::load(&lg), None);
    }
}
