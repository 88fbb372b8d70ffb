//! The accepted ADRs' decision options, for matching `triage --action`,
//! cached in the git directory (`.git/findings-adr-options.json`) and
//! validated by each file's size and modification time: a triage in a
//! repository of thousands of ADRs stats them instead of reading and
//! parsing every one. A missing, stale or unreadable cache is rebuilt; the
//! cache is never needed for correctness.

use crate::document::options::{self, AdrOptions, AdrRef, DecisionOption};
use crate::document::{self, Kind};
use crate::store::{write, Repo};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

const VERSION: u32 = 2;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Entry {
    len: u64,
    secs: u64,
    nanos: u32,
    /// `None`: not an accepted ADR with options.
    adr: Option<(AdrRef, Vec<DecisionOption>)>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Cache {
    version: u32,
    entries: HashMap<String, Entry>,
}

/// Where the cache lives: beside the repository lock inside the git
/// directory; `None` outside a git repository (no file in the work tree).
fn cache_path(root: &Path) -> Option<PathBuf> {
    let lock = write::lock_path(root);
    let dir = lock.parent()?;
    (dir != root).then(|| dir.join("findings-adr-options.json"))
}

fn stamp(path: &Path) -> Option<(u64, u64, u32)> {
    let m = std::fs::metadata(path).ok()?;
    let t = m.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    Some((m.len(), t.as_secs(), t.subsec_nanos()))
}

fn read_entry(repo: &Repo, rel: &str, (len, secs, nanos): (u64, u64, u32)) -> Entry {
    let adr = repo
        .read(rel)
        .ok()
        .filter(|d| d.meta.kind == Kind::Adr && d.meta.status == Some("accepted"))
        .map(|d| (AdrRef::of(&d), options::options(&d)))
        .filter(|(_, o)| !o.is_empty());
    Entry { len, secs, nanos, adr }
}

/// The accepted ADRs' options; `save` writes the refreshed cache back
/// (false for a dry run, which writes nothing).
pub(crate) fn accepted_options(repo: &Repo, save: bool) -> Vec<AdrOptions> {
    let path = cache_path(&repo.root);
    let old: Cache = path
        .as_ref()
        .and_then(|p| crate::store::bounded::read(p, document::MAX_FILE_BYTES as u64).ok())
        .and_then(|b| serde_json::from_slice::<Cache>(&b).ok())
        .filter(|c| c.version == VERSION)
        .unwrap_or_default();
    let paths = repo.adr_paths();
    let fresh: Vec<(String, Entry, bool)> = paths
        .par_iter()
        .filter_map(|rel| {
            let st = stamp(&repo.abs(rel))?;
            match old.entries.get(rel) {
                Some(e) if (e.len, e.secs, e.nanos) == st => Some((rel.clone(), e.clone(), false)),
                _ => Some((rel.clone(), read_entry(repo, rel, st), true)),
            }
        })
        .collect();
    let changed = fresh.iter().any(|(_, _, c)| *c) || fresh.len() != old.entries.len();
    let out: Vec<AdrOptions> = fresh.iter().filter_map(|(_, e, _)| e.adr.clone()).collect();
    if save && changed {
        if let Some(p) = path {
            let cache = Cache {
                version: VERSION,
                entries: fresh.into_iter().map(|(k, e, _)| (k, e)).collect(),
            };
            if let Ok(bytes) = serde_json::to_vec(&cache) {
                // Best effort: a cache that cannot be written is rebuilt next time.
                let _ = write::atomic_write(&p, &bytes);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_is_rebuilt_when_an_adr_changes() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::create_dir_all(root.join("adr")).unwrap();
        let adr = "# ADR 0001: T\n\n**Status**: Accepted\n\n## Decision\n\n### Option A: Prisma upsert\n";
        std::fs::write(root.join("adr/0001-t.md"), adr).unwrap();
        let repo = Repo::open(root).unwrap();
        let first = accepted_options(&repo, true);
        assert_eq!(first.len(), 1);
        assert!(root.join(".git/findings-adr-options.json").exists());
        assert_eq!(accepted_options(&repo, true), first, "served from the cache");
        // Deprecate it: the changed size invalidates the entry.
        std::fs::write(root.join("adr/0001-t.md"), adr.replace("Accepted", "Deprecated")).unwrap();
        assert!(accepted_options(&repo, true).is_empty());
        // A corrupt cache is ignored.
        std::fs::write(root.join(".git/findings-adr-options.json"), "{not json").unwrap();
        assert!(accepted_options(&repo, false).is_empty());
    }
}
