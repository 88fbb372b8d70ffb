//! Team operations over git: `findings init` (register the merge driver,
//! route the document folders to it) and `findings sync` (fetch, renumber
//! our unpublished documents whose IDs the remote took meanwhile, rebase or
//! merge with the driver active, push).

use super::renumber::{renumber, reshape, RenumberRequest};
use super::{check_git_state, commit_edits, lock, FileEdit, OpError, WriteOpts};
use crate::document::Document;
use crate::git::ids::{clashes_against, taken_ids, Clash};
use crate::git::setup;
use crate::git::sync::{Git, Strategy, SyncError};
use crate::git::{self, GitError, RepoState};
use crate::store::write::Snapshot;
use crate::store::Repo;
use serde::Serialize;
use std::path::Path;

/// Errors of the team operations.
#[derive(Debug, thiserror::Error)]
pub enum TeamError {
    #[error(transparent)]
    Op(#[from] OpError),
    #[error(transparent)]
    Sync(#[from] SyncError),
    #[error(transparent)]
    Git(#[from] GitError),
}

/// What `findings init` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InitReport {
    /// `merge.findings.driver` as registered.
    pub driver: String,
    /// The config was written (false: it was already so).
    pub config_changed: bool,
    /// Lines added to `.gitattributes`.
    pub attributes_added: Vec<String>,
    /// The commit of `.gitattributes`, when one was made.
    pub commit: Option<String>,
    pub warnings: Vec<String>,
}

/// The `.gitattributes` file.
pub const ATTRIBUTES: &str = ".gitattributes";

/// Folders to route to the driver: the configured folders that exist, or
/// all of them when none does yet.
fn driver_folders(repo: &Repo) -> Vec<String> {
    let all = repo.config.folders();
    let existing: Vec<String> = all.iter().filter(|f| repo.abs(f).is_dir()).cloned().collect();
    if existing.is_empty() {
        all
    } else {
        existing
    }
}

/// Register the merge driver (`program merge-driver %O %A %B %P`) in
/// `.git/config` and add the `.gitattributes` lines for the document
/// folders, committing `.gitattributes` alone (unless `no_commit`). Running
/// it again changes nothing.
pub fn init(repo: &Repo, program: &str, opts: &WriteOpts) -> Result<InitReport, TeamError> {
    if !git::is_repo(&repo.root) {
        return Err(GitError::NotARepo {
            path: repo.root.clone(),
        }
        .into());
    }
    let driver = setup::driver_command(program);
    let config_changed = if opts.dry_run {
        setup::registered_driver(&repo.root).as_deref() != Some(driver.as_str())
    } else {
        setup::register_driver(&repo.root, &driver)?
    };
    let mut report = InitReport {
        driver,
        config_changed,
        attributes_added: vec![],
        commit: None,
        warnings: vec![],
    };
    let folders = driver_folders(repo);
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
    check_git_state(&repo.root, opts)?;
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
    let (commit, warnings) = commit_edits(repo, &[fe], &snaps, msg, opts)?;
    report.commit = commit;
    report.warnings.extend(warnings);
    Ok(report)
}

/// How to sync.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// Rebase or merge; `findings.toml`'s `[git] sync` when `None`.
    pub strategy: Option<Strategy>,
    /// The remote when the branch has no upstream (default `origin`).
    pub remote: Option<String>,
    pub push: bool,
    /// Renumber our unpublished documents whose IDs the remote took.
    pub renumber: bool,
    /// The program for the merge driver when the clone has not registered one.
    pub program: String,
    /// Author, dates and hooks for renumber commits.
    pub write: WriteOpts,
}

/// A document `sync` renumbered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Renumbered {
    pub from: String,
    pub to: String,
    pub path: String,
    pub commit: Option<String>,
}

/// A path left with conflicts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConflictDoc {
    pub path: String,
    pub id: Option<String>,
}

/// What `findings sync` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncReport {
    pub branch: String,
    pub remote: String,
    pub upstream: String,
    pub strategy: Strategy,
    /// Commits fetched that we did not have, and ours they did not.
    pub incoming: usize,
    pub outgoing: usize,
    pub renumbered: Vec<Renumbered>,
    /// ID clashes left (published on both sides): nothing was integrated.
    pub clashes: Vec<Clash>,
    /// The upstream is integrated (or there was nothing to integrate).
    pub integrated: bool,
    pub conflicts: Vec<ConflictDoc>,
    pub pushed: bool,
    /// What to do next, when sync stopped.
    pub instructions: Vec<String>,
    pub warnings: Vec<String>,
}

impl SyncReport {
    /// Sync finished: integrated, nothing left to resolve.
    pub fn ok(&self) -> bool {
        self.integrated && self.conflicts.is_empty() && self.clashes.is_empty()
    }
}

/// Whether `path` exists on any remote-tracking branch.
fn published(root: &Path, path: &str) -> bool {
    let Ok(g) = git2::Repository::discover(root) else {
        return false;
    };
    let Ok(refs) = g.references() else { return false };
    let found = refs
        .flatten()
        .filter(|r| r.is_remote())
        .filter_map(|r| r.peel_to_tree().ok())
        .any(|t| t.get_path(Path::new(path)).is_ok());
    found
}

/// Fetch, resolve ID clashes, integrate, push.
pub fn sync(repo: &Repo, opts: &SyncOptions) -> Result<SyncReport, TeamError> {
    match git::state(&repo.root) {
        RepoState::Clean => {}
        RepoState::NotARepo => {
            return Err(GitError::NotARepo {
                path: repo.root.clone(),
            }
            .into())
        }
        s => return Err(OpError::InProgress(s).into()),
    }
    let g = Git::new(&repo.root).with_driver(&opts.program);
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
    let mut report = SyncReport {
        branch: branch.clone(),
        remote: remote.clone(),
        upstream: upstream.clone(),
        strategy,
        incoming: 0,
        outgoing: 0,
        renumbered: vec![],
        clashes: vec![],
        integrated: false,
        conflicts: vec![],
        pushed: false,
        instructions: vec![],
        warnings: vec![],
    };
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
            if !resolve_clashes(repo, opts, &upstream, &mut report)? {
                return Ok(report);
            }
            report.incoming = g.count(&remote_ref, "HEAD");
            if report.incoming > 0 && !g.integrate(&remote_ref, strategy)? {
                stopped(repo, &g, strategy, &mut report);
                return Ok(report);
            }
            report.outgoing = g.count("HEAD", &remote_ref);
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
    opts: &SyncOptions,
    upstream: &str,
    report: &mut SyncReport,
) -> Result<bool, TeamError> {
    let fresh = Repo::open(&repo.root).map_err(OpError::from)?;
    let clashes = clashes_against(&fresh, upstream)?;
    let mut left = Vec::new();
    let mut done: Vec<String> = Vec::new();
    for c in clashes {
        if done.contains(&c.ours) {
            continue;
        }
        if !opts.renumber || published(&repo.root, &c.ours) {
            left.push(c);
            continue;
        }
        let now = Repo::open(&repo.root).map_err(OpError::from)?;
        let taken = taken_ids(&now);
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
/// to go on.
fn stopped(repo: &Repo, g: &Git, strategy: Strategy, report: &mut SyncReport) {
    for p in g.conflicted() {
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
    match strategy {
        Strategy::Rebase => {
            report
                .instructions
                .push(format!("git stopped the rebase with conflicts in {list}."));
            report.instructions.push(
                "Edit those files (look for <<<<<<<), `git add` them, then `git rebase --continue`; \
                 or `git rebase --abort` to go back to where you were."
                    .into(),
            );
        }
        Strategy::Merge => {
            report
                .instructions
                .push(format!("the merge stopped with conflicts in {list}."));
            report.instructions.push(
                "Edit those files (look for <<<<<<<), `git add` them, then `git commit`; \
                 or `git merge --abort` to go back to where you were."
                    .into(),
            );
        }
    }
    // Both sides renamed one document (each changed the status its file
    // name carries): git leaves both files.
    let mut seen: Vec<&str> = Vec::new();
    let mut twice = Vec::new();
    for c in &report.conflicts {
        if let Some(id) = c.id.as_deref() {
            if seen.contains(&id) && !twice.contains(&id.to_string()) {
                twice.push(id.to_string());
            }
            seen.push(id);
        }
    }
    for id in twice {
        let paths: Vec<&str> = report
            .conflicts
            .iter()
            .filter(|c| c.id.as_deref() == Some(id.as_str()))
            .map(|c| c.path.as_str())
            .collect();
        report.instructions.push(format!(
            "Both sides changed the status of {id}, so its file was renamed twice ({}): keep one file, \
             `git rm` the other, set the status you want in the one you keep.",
            paths.join(", ")
        ));
    }
    report
        .instructions
        .push("Then run `findings sync` again to push.".into());
}
