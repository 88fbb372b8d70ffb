//! Repository statistics for `findings stats` and the terminal UI's chart:
//! documents by status (each family's workflow, as the repository
//! configures it), by priority and by age, and the opened/closed trend per
//! week from git history. Plain data ([`Stats`]); drawing is the shells'.
//!
//! What counts:
//! - *closed*: a status that ends a document's work: a todo's `complete` or
//!   `wontfix`, a finding's `resolved` or `wont_fix`, an ADR's `rejected`,
//!   `deprecated` or `superseded`, and a status configured in `findings.toml`
//!   whose phase is final (no move leads on from it, or a skip leads to it;
//!   `is_closed`). Every other status, and no status, is *open*.
//! - *age*: from the document's created date (front matter or `Date:`);
//!   documents with none are counted as `no date`.
//! - *opened* in a week: a commit that week added a file that reads as a
//!   document (judged as discovery judges it, from the added blob).
//! - *closed* in a week: a commit that week changed a document (renamed or
//!   not) from an open status to a closed one.
//!
//! The history walk is bounded: commits reachable from HEAD, newest first,
//! back to the start of the first week shown, at most `MAX_COMMITS`;
//! merge commits are skipped (the commits they bring are counted
//! themselves). A repository with no git history has no trend.

use crate::document::{Kind, Meta};
use crate::store::{self, Repo};
use crate::workflow::{Phase, Workflows};
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use git2::Repository;
use std::collections::HashMap;

/// The most commits the trend walk reads.
pub(crate) const MAX_COMMITS: usize = 20_000;

/// Statuses that end a document's work: a final phase (done or closed) of
/// the family's workflow, as the repository configures it
/// ([`Workflows::phase_of`], the one status-phase table).
pub(crate) fn is_closed(workflows: &Workflows, kind: Kind, status: &str) -> bool {
    workflows.get(kind).statuses.iter().any(|s| s == status)
        && workflows.phase_of(Some(kind), status).is_some_and(Phase::is_final)
}

fn meta_closed(workflows: &Workflows, m: &Meta) -> bool {
    m.status.is_some_and(|s| is_closed(workflows, m.kind, s))
}

/// Documents of one family with one status.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct StatusCount {
    pub(crate) kind: Kind,
    /// The normalized status; a value the workflow does not know as
    /// written; `none` when the document has no status.
    pub(crate) status: String,
    /// Whether the workflow knows it.
    pub(crate) known: bool,
    pub(crate) closed: bool,
    pub(crate) count: usize,
}

/// A labelled count, and how many of those are open.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Bucket {
    pub(crate) label: String,
    pub(crate) count: usize,
    pub(crate) open: usize,
}

/// Opened and closed documents in one week (Monday to Sunday).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Week {
    /// The Monday the week starts on (`YYYY-MM-DD` in JSON).
    #[serde(serialize_with = "ymd")]
    pub start: NaiveDate,
    /// Documents a commit that week added (files that read as documents).
    pub opened: usize,
    /// Documents a commit that week moved from an open status to a closed one.
    pub closed: usize,
}

fn ymd<S: serde::Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&d.format("%Y-%m-%d"))
}

/// The trend from git history.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, Default)]
pub struct Trend {
    /// Oldest first; the last is the current week.
    pub weeks: Vec<Week>,
    /// Commits read.
    pub commits: usize,
    /// The walk stopped at `MAX_COMMITS` before the first week's start.
    pub truncated: bool,
    /// Why there is no trend (not a git repository, no commits).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unavailable: Option<String>,
}

/// Everything `findings stats` shows.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    /// Every document loaded.
    pub total: usize,
    /// Documents whose status is not closed for their family (no status counts as
    /// open).
    pub open: usize,
    pub(crate) by_status: Vec<StatusCount>,
    pub(crate) by_priority: Vec<Bucket>,
    pub(crate) by_age: Vec<Bucket>,
    pub(crate) trend: Trend,
}

/// The age buckets: label and upper bound in days (exclusive).
const AGES: &[(&str, i64)] = &[
    ("under a week", 7),
    ("1-4 weeks", 28),
    ("1-3 months", 91),
    ("3-12 months", 365),
    ("over a year", i64::MAX),
];

/// The counts of `repo`'s loaded documents (no git), as of `now`.
pub(crate) fn counts(repo: &Repo, now: NaiveDateTime) -> Stats {
    let items = &repo.items;
    let workflows = repo.workflows();
    let mut by_status = Vec::new();
    for kind in Kind::ALL {
        let of_kind: Vec<&Meta> = items.iter().filter(|m| m.kind == kind).collect();
        if of_kind.is_empty() {
            continue;
        }
        let mut known: Vec<StatusCount> = workflows
            .get(kind)
            .statuses
            .iter()
            .map(|s| StatusCount {
                kind,
                status: s.clone(),
                known: true,
                closed: is_closed(workflows, kind, s),
                count: 0,
            })
            .collect();
        let mut other: HashMap<String, usize> = HashMap::new();
        for m in of_kind {
            match m.status {
                Some(s) => match known.iter_mut().find(|c| c.status == s) {
                    Some(c) => c.count += 1,
                    None => *other.entry(s.to_string()).or_default() += 1,
                },
                None => {
                    let raw = m.status_raw.as_deref().map(str::trim).filter(|r| !r.is_empty());
                    *other.entry(raw.unwrap_or("none").to_string()).or_default() += 1;
                }
            }
        }
        let mut other: Vec<(String, usize)> = other.into_iter().collect();
        other.sort();
        by_status.extend(known);
        by_status.extend(other.into_iter().map(|(status, count)| StatusCount {
            kind,
            status,
            known: false,
            closed: false,
            count,
        }));
    }

    let bucket = |label: &str, f: &dyn Fn(&Meta) -> bool| Bucket {
        label: label.to_string(),
        count: items.iter().filter(|m| f(m)).count(),
        open: items.iter().filter(|m| f(m) && !meta_closed(workflows, m)).count(),
    };
    let mut by_priority: Vec<Bucket> = ["p0", "p1", "p2", "p3"]
        .iter()
        .map(|p| bucket(p, &|m: &Meta| m.priority == Some(*p)))
        .collect();
    by_priority.push(bucket("none", &|m: &Meta| m.priority.is_none()));

    let age_of = |m: &Meta| m.created_at.map(|c| (now - c).num_days().max(0));
    let mut by_age = Vec::new();
    let mut lo = i64::MIN;
    for (label, hi) in AGES {
        let (l, h) = (lo, *hi);
        by_age.push(bucket(label, &|m: &Meta| {
            age_of(m).is_some_and(|d| d >= l.max(0) && d < h)
        }));
        lo = h;
    }
    by_age.push(bucket("no date", &|m: &Meta| m.created_at.is_none()));

    Stats {
        total: items.len(),
        open: items.iter().filter(|m| !meta_closed(workflows, m)).count(),
        by_status,
        by_priority,
        by_age,
        trend: Trend::default(),
    }
}

/// The Monday of `d`'s week.
pub(crate) fn week_start(d: NaiveDate) -> NaiveDate {
    d - Duration::days(d.weekday().num_days_from_monday() as i64)
}

/// The trend of the last `weeks` weeks (the current one included) as of
/// `now`, from `git`, the repository holding `repo.root` as the caller opened
/// it ([`crate::git::open`]; `None`: not in a git repository).
pub(crate) fn trend(repo: &Repo, git: Option<&Repository>, now: NaiveDateTime, weeks: usize) -> Trend {
    let weeks = weeks.max(1);
    let this_week = week_start(now.date());
    let first = this_week - Duration::weeks(weeks as i64 - 1);
    let mut t = Trend {
        weeks: (0..weeks)
            .map(|i| Week {
                start: first + Duration::weeks(i as i64),
                opened: 0,
                closed: 0,
            })
            .collect(),
        ..Trend::default()
    };
    let walked = match git {
        Some(g) => walk(repo, g, first, &mut t),
        None => Err("not a git repository".to_string()),
    };
    if let Err(e) = walked {
        t.unavailable = Some(e);
    }
    t
}

fn walk(repo: &Repo, g: &Repository, first: NaiveDate, t: &mut Trend) -> Result<(), String> {
    let prefix = match g.workdir() {
        Some(wd) => {
            let wd = wd.canonicalize().unwrap_or_else(|_| wd.to_path_buf());
            let root = repo.root.canonicalize().unwrap_or_else(|_| repo.root.clone());
            match root.strip_prefix(&wd) {
                Ok(rel) if !rel.as_os_str().is_empty() => format!("{}/", store::relative(&wd, &wd.join(rel))),
                _ => String::new(),
            }
        }
        None => return Err("a bare repository has no work tree".into()),
    };
    let head = match g.head().ok().and_then(|h| h.peel_to_commit().ok()) {
        Some(c) => c,
        None => return Err("no commits yet".into()),
    };
    let mut revwalk = g.revwalk().map_err(|e| e.message().to_string())?;
    revwalk
        .set_sorting(git2::Sort::TIME)
        .map_err(|e| e.message().to_string())?;
    revwalk.push(head.id()).map_err(|e| e.message().to_string())?;
    let workflows = repo.workflows();
    let mode = store::Discovery::of(&repo.config);
    let meta_of = |path: &str, oid: git2::Oid| -> Option<Meta> {
        let rel = path.strip_prefix(&prefix)?;
        if !store::discoverable(&repo.config, rel) {
            return None;
        }
        let blob = g.find_blob(oid).ok()?;
        if blob.size() > crate::document::MAX_FILE_BYTES {
            return None;
        }
        store::meta_from_bytes(rel, blob.content().to_vec(), workflows, mode)?.ok()
    };
    let start_secs = first.and_hms_opt(0, 0, 0).map_or(i64::MIN, |d| d.and_utc().timestamp());
    for oid in revwalk {
        let Ok(oid) = oid else { continue };
        let Ok(c) = g.find_commit(oid) else { continue };
        let when = c.time();
        let secs = when.seconds();
        if secs + when.offset_minutes() as i64 * 60 < start_secs {
            break;
        }
        if t.commits >= MAX_COMMITS {
            t.truncated = true;
            break;
        }
        t.commits += 1;
        if c.parent_count() > 1 {
            continue;
        }
        // The week in the committer's own time zone, as `git log` shows it.
        let local =
            chrono::DateTime::from_timestamp(secs + when.offset_minutes() as i64 * 60, 0).map(|d| d.naive_utc().date());
        let Some(week) = local
            .map(week_start)
            .and_then(|w| t.weeks.iter().position(|x| x.start == w))
        else {
            continue;
        };
        let Ok(tree) = c.tree() else { continue };
        let parent_tree = c.parent(0).ok().and_then(|p| p.tree().ok());
        let mut opts = git2::DiffOptions::new();
        opts.pathspec(format!("{prefix}*.md"));
        let Ok(mut diff) = g.diff_tree_to_tree(parent_tree.as_ref(), Some(&tree), Some(&mut opts)) else {
            continue;
        };
        let mut find = git2::DiffFindOptions::new();
        find.renames(true);
        let _ = diff.find_similar(Some(&mut find));
        for d in diff.deltas() {
            let new_path = d.new_file().path().and_then(|p| p.to_str()).unwrap_or("");
            match d.status() {
                git2::Delta::Added if meta_of(new_path, d.new_file().id()).is_some() => {
                    t.weeks[week].opened += 1;
                }
                git2::Delta::Modified | git2::Delta::Renamed => {
                    let old_path = d.old_file().path().and_then(|p| p.to_str()).unwrap_or("");
                    let Some(new) = meta_of(new_path, d.new_file().id()) else {
                        continue;
                    };
                    if !meta_closed(workflows, &new) {
                        continue;
                    }
                    // A file that was not a document before (an old path
                    // outside the folders) was open as far as we know.
                    let was_closed = meta_of(old_path, d.old_file().id()).is_some_and(|m| meta_closed(workflows, &m));
                    if !was_closed {
                        t.weeks[week].closed += 1;
                    }
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// [`counts`] and [`trend`] together.
pub(crate) fn compute(repo: &Repo, git: Option<&Repository>, now: NaiveDateTime, weeks: usize) -> Stats {
    let mut s = counts(repo, now);
    s.trend = trend(repo, git, now, weeks);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_configured_final_status_counts_as_closed() {
        use crate::workflow::{Transition, Workflow};
        let mv = |from: &str, to: &str, name: Option<&str>| Transition {
            from: vec![from.to_string()],
            to: to.to_string(),
            name: name.map(str::to_string),
            needs_reason: false,
        };
        let w = Workflows {
            todo: Workflow {
                statuses: ["inbox", "ready", "shipped", "dropped"].map(String::from).to_vec(),
                transitions: vec![
                    mv("inbox", "ready", Some("triage")),
                    mv("inbox", "dropped", Some("skip")),
                    mv("ready", "shipped", None),
                ],
                triage_to: "ready".into(),
            },
            ..Workflows::default()
        };
        assert!(is_closed(&w, Kind::Todo, "shipped") && is_closed(&w, Kind::Todo, "dropped"));
        assert!(!is_closed(&w, Kind::Todo, "inbox") && !is_closed(&w, Kind::Todo, "ready"));
        // A status the family's workflow does not have is not closed there.
        assert!(!is_closed(&w, Kind::Todo, "complete"));
    }

    #[test]
    fn weeks_start_on_monday() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(); // a Sunday
        assert_eq!(week_start(d), NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
        assert_eq!(week_start(week_start(d)), week_start(d));
    }

    #[test]
    fn closed_statuses_per_family() {
        let w = Workflows::builtin();
        assert!(is_closed(w, Kind::Todo, "complete") && !is_closed(w, Kind::Todo, "ready"));
        assert!(is_closed(w, Kind::Finding, "wont_fix") && !is_closed(w, Kind::Finding, "blocked"));
        assert!(is_closed(w, Kind::Adr, "superseded") && !is_closed(w, Kind::Adr, "accepted"));
    }
}
