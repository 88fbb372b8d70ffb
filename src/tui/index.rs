//! The list's filter engine, built for per-keystroke speed on 100k items.
//!
//! Done once per load: the fuzzy haystack of every item
//! ([`crate::query::haystack`]) and, per sort key, the sort order as ranks,
//! so later sorting compares integers. Facet filters (the same
//! [`crate::query::Filter`] the CLI uses) narrow to a base set in sort order;
//! the fuzzy query ([`crate::query::Fuzzy`]) scores that set on all cores.
//!
//! Scoring is incremental twice over. When a query only extends the previous
//! one (typing), only the previous matches are scored again. And a query
//! over many items scores only its first [`STEP`] candidates when it is
//! set, so a keystroke never waits for 100k items: the rest are scored by a
//! background job on the rayon pool (both cores, one matcher per task),
//! cancelled when the query changes, whose sorted result the runner merges
//! in while the user is idle (`Index::work`). The finished result equals
//! [`crate::query::select`].
//!
//! Over 600 lines with its tests; the code is under 500.

use crate::document::Meta;
use crate::query::{self, Filter, Fuzzy, SortKey};
use rayon::prelude::*;
use std::cmp::Reverse;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

/// Candidates scored right away when a query changes: small, so a
/// keystroke returns quickly even on a busy machine.
pub const STEP: usize = 4096;

/// Idle steps ([`Index::work`]) without a background job score this many
/// steps' worth at once, one chunk of [`STEP`] per core.
const BATCH: usize = 4;

/// Candidates a background job scores per task: how often it looks for
/// cancellation and reports progress.
const CHUNK: usize = 1024;

/// The longest [`Index::work`] waits for a background job, so the runner
/// looks at input at least this often.
const WAIT: Duration = Duration::from_millis(4);

/// The rest of a query's candidates, scored on the rayon pool. Dropping it
/// cancels it.
#[derive(Debug)]
struct Job {
    cancel: Arc<AtomicBool>,
    /// Candidates scored so far (for progress).
    scored: Arc<AtomicUsize>,
    /// The matches as (score, item), best first; nothing when cancelled.
    result: mpsc::Receiver<Vec<(u32, u32)>>,
}

impl Drop for Job {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

#[derive(Debug)]
pub struct Index {
    haystacks: Arc<Vec<String>>,
    sort: SortKey,
    /// `rank[i]`: position of item `i` in sort order.
    rank: Arc<Vec<u32>>,
    /// Items in sort order.
    order: Vec<u32>,
    filter: Filter,
    /// Items passing the facet filter, in sort order.
    base: Vec<u32>,
    query: String,
    /// Matches found so far as (score, item), best first.
    hits: Vec<(u32, u32)>,
    /// Candidates of the running query; `todo[done..]` are not scored yet.
    todo: Vec<u32>,
    done: usize,
    shown: Vec<u32>,
    step: usize,
    /// Score what the first step leaves in the background.
    background: bool,
    /// Scoring `todo[done..]` in the background.
    job: Option<Job>,
}

impl Default for Index {
    fn default() -> Self {
        Index {
            haystacks: Arc::new(Vec::new()),
            sort: SortKey::default(),
            rank: Arc::new(Vec::new()),
            order: Vec::new(),
            filter: Filter::default(),
            base: Vec::new(),
            query: String::new(),
            hits: Vec::new(),
            todo: Vec::new(),
            done: 0,
            shown: Vec::new(),
            step: STEP,
            background: true,
            job: None,
        }
    }
}

/// True when every match of `new` also matches `old`: `new` extends `old`
/// and `old`'s last term is not negated (`!ab` → `!abc` widens), anchored at
/// the end (`ab$` → `ab$c`) or an escape in progress (`ab\`).
pub(crate) fn narrows(old: &str, new: &str) -> bool {
    if old.trim().is_empty() || !new.starts_with(old) {
        return false;
    }
    let last = old.rsplit(' ').next().unwrap_or("");
    // A growing capitalised `^Prefix` term is treated conservatively, and a
    // query that switches between smart case and ignoring case
    // ([`crate::query::ignores_case`]: `Race` → `Race ^D`) may match more.
    let cased_prefix = last.starts_with('^') && last.chars().any(char::is_uppercase);
    let case_switch = crate::query::ignores_case(old) != crate::query::ignores_case(new);
    !(last.starts_with('!') || last.ends_with('$') || last.ends_with('\\') || cased_prefix || case_switch)
}

/// The sort key of a match: best score first, then sort order.
fn hit_key(rank: &[u32], &(s, i): &(u32, u32)) -> (Reverse<u32>, u32) {
    (Reverse(s), rank.get(i as usize).copied().unwrap_or(u32::MAX))
}

/// Score `candidates` on the rayon pool, one matcher per task, and sort the
/// matches; `None` when cancelled.
fn score_background(
    query: &str,
    haystacks: &[String],
    rank: &[u32],
    candidates: &[u32],
    cancel: &AtomicBool,
    scored: &AtomicUsize,
) -> Option<Vec<(u32, u32)>> {
    let parts: Vec<Vec<(u32, u32)>> = candidates
        .par_chunks(CHUNK)
        .map_init(
            || Fuzzy::new(query),
            |f, chunk| {
                if cancel.load(Ordering::Relaxed) {
                    return Vec::new();
                }
                let out = match f {
                    Some(f) => chunk
                        .iter()
                        .filter_map(|&i| {
                            let h = haystacks.get(i as usize)?;
                            f.score(h).map(|s| (s, i))
                        })
                        .collect(),
                    None => chunk.iter().map(|&i| (0, i)).collect(),
                };
                scored.fetch_add(chunk.len(), Ordering::Relaxed);
                out
            },
        )
        .collect();
    if cancel.load(Ordering::Relaxed) {
        return None;
    }
    let mut all = parts.concat();
    all.par_sort_unstable_by_key(|h| hit_key(rank, h));
    Some(all)
}

fn score_all(query: &str, haystacks: &[String], candidates: &[u32]) -> Vec<(u32, u32)> {
    let score_chunk = |chunk: &[u32]| -> Vec<(u32, u32)> {
        let Some(mut f) = Fuzzy::new(query) else {
            return chunk.iter().map(|&i| (0, i)).collect();
        };
        chunk
            .iter()
            .filter_map(|&i| {
                let h = haystacks.get(i as usize)?;
                f.score(h).map(|s| (s, i))
            })
            .collect()
    };
    if candidates.len() <= STEP {
        return score_chunk(candidates);
    }
    candidates
        .par_chunks(STEP)
        .map(score_chunk)
        .collect::<Vec<_>>()
        .concat()
}

impl Index {
    pub fn new(items: &[Meta], sort: SortKey, filter: Filter, query: &str) -> Index {
        let haystacks = Arc::new(if items.len() >= STEP {
            items.par_iter().map(query::haystack).collect()
        } else {
            items.iter().map(query::haystack).collect()
        });
        let mut ix = Index {
            haystacks,
            filter,
            ..Index::default()
        };
        ix.sort_by(items, sort);
        ix.query = query.to_string();
        ix.refilter(items);
        ix
    }

    /// Score `n` candidates per step instead of [`STEP`], all of them in
    /// steps (no background job): tests, tuning.
    pub fn set_step(&mut self, n: usize) {
        self.step = n.max(1);
        self.background = false;
    }

    /// Score what a query's first step leaves on the rayon pool (the
    /// default), or only in `Index::work` steps.
    pub fn set_background(&mut self, on: bool) {
        self.background = on;
    }

    fn sort_by(&mut self, items: &[Meta], sort: SortKey) {
        self.sort = sort;
        let mut order: Vec<u32> = (0..items.len() as u32).collect();
        if sort == SortKey::Title {
            // Lower-case each title once rather than in every comparison.
            let keys: Vec<String> = items.iter().map(|m| m.title.to_lowercase()).collect();
            order.par_sort_by(|&a, &b| {
                keys[a as usize]
                    .cmp(&keys[b as usize])
                    .then_with(|| query::id_order(&items[a as usize], &items[b as usize]))
            });
        } else {
            order.par_sort_by(|&a, &b| query::compare(sort, &items[a as usize], &items[b as usize]));
        }
        let mut rank = vec![0u32; items.len()];
        for (pos, &i) in order.iter().enumerate() {
            rank[i as usize] = pos as u32;
        }
        self.order = order;
        self.rank = Arc::new(rank);
    }

    /// Recompute the base set and the shown list from scratch.
    fn refilter(&mut self, items: &[Meta]) {
        self.base = if self.filter.is_empty() {
            self.order.clone()
        } else {
            let f = &self.filter;
            self.order
                .par_iter()
                .copied()
                .filter(|&i| items.get(i as usize).is_some_and(|m| f.matches(m)))
                .collect()
        };
        self.rescore(false);
    }

    /// Start scoring the query: over the previous candidates that can still
    /// match when `narrow`, else over the whole base set.
    fn rescore(&mut self, narrow: bool) {
        // Whatever a running job would find, the candidates below include.
        self.job = None;
        if self.query.trim().is_empty() {
            self.hits.clear();
            self.todo.clear();
            self.done = 0;
            self.shown = self.base.clone();
            return;
        }
        let candidates: Vec<u32> = if narrow {
            // Every match of the new query is among the old one's matches
            // so far and the candidates it had not scored yet.
            let mut c: Vec<u32> = self.hits.iter().map(|&(_, i)| i).collect();
            c.extend_from_slice(self.todo.get(self.done..).unwrap_or(&[]));
            c
        } else {
            self.base.clone()
        };
        self.hits.clear();
        self.todo = candidates;
        self.done = 0;
        self.advance(self.step);
        self.start_job();
    }

    /// Hand the candidates the first step left to a background job.
    fn start_job(&mut self) {
        let rest = self.todo.get(self.done..).unwrap_or(&[]);
        if !self.background || rest.len() <= self.step {
            return;
        }
        let rest = rest.to_vec();
        let cancel = Arc::new(AtomicBool::new(false));
        let scored = Arc::new(AtomicUsize::new(0));
        let (tx, rx) = mpsc::channel();
        let (query, haystacks, rank) = (self.query.clone(), self.haystacks.clone(), self.rank.clone());
        let (c, n) = (cancel.clone(), scored.clone());
        rayon::spawn(move || {
            if let Some(hits) = score_background(&query, &haystacks, &rank, &rest, &c, &n) {
                let _ = tx.send(hits);
            }
        });
        self.job = Some(Job {
            cancel,
            scored,
            result: rx,
        });
    }

    /// Merge a background job's result once it is in, waiting up to `wait`
    /// (forever when `None`); true when the shown list changed.
    fn collect_job(&mut self, wait: Option<Duration>) -> bool {
        let Some(job) = &self.job else {
            return false;
        };
        let got = match wait {
            None => job.result.recv().ok(),
            Some(d) => match job.result.recv_timeout(d) {
                Ok(hits) => Some(hits),
                Err(mpsc::RecvTimeoutError::Timeout) => return false,
                Err(mpsc::RecvTimeoutError::Disconnected) => None,
            },
        };
        self.job = None;
        match got {
            Some(fresh) => {
                let end = self.todo.len();
                self.merge(fresh, end);
            }
            // The job died: score what it had here.
            None => {
                let n = self.todo.len();
                self.advance(n);
            }
        }
        true
    }

    /// Score the next [`STEP`] candidates (waiting for a background job
    /// instead, when one runs); true while more remain.
    pub fn step(&mut self) -> bool {
        if self.job.is_some() {
            self.collect_job(None);
            return self.busy();
        }
        self.advance(self.step)
    }

    /// While the user is idle: take in a background job's result (waiting
    /// a few milliseconds for it), or without one score a batch on all
    /// cores. True when the shown list changed.
    pub(crate) fn work(&mut self) -> bool {
        if self.job.is_some() {
            return self.collect_job(Some(WAIT));
        }
        if !self.busy() {
            return false;
        }
        self.advance(self.step.saturating_mul(BATCH));
        true
    }

    fn advance(&mut self, n: usize) -> bool {
        if self.done >= self.todo.len() {
            return false;
        }
        let end = (self.done + n).min(self.todo.len());
        let rank = &self.rank;
        let mut fresh = score_all(&self.query, &self.haystacks, &self.todo[self.done..end]);
        fresh.sort_unstable_by_key(|h| hit_key(rank, h));
        self.merge(fresh, end);
        self.busy()
    }

    /// Merge `fresh` matches (sorted) of the candidates up to `end`.
    fn merge(&mut self, fresh: Vec<(u32, u32)>, end: usize) {
        let rank = &self.rank;
        let key = |h: &(u32, u32)| hit_key(rank, h);
        self.hits = if self.hits.is_empty() {
            fresh
        } else {
            let mut merged = Vec::with_capacity(self.hits.len() + fresh.len());
            let (mut a, mut b) = (self.hits.iter().peekable(), fresh.iter().peekable());
            while let (Some(x), Some(y)) = (a.peek(), b.peek()) {
                if key(x) <= key(y) {
                    merged.push(**x);
                    a.next();
                } else {
                    merged.push(**y);
                    b.next();
                }
            }
            merged.extend(a);
            merged.extend(b);
            merged
        };
        self.done = end;
        if self.done >= self.todo.len() {
            self.todo = Vec::new();
            self.done = 0;
        }
        self.shown = self.hits.iter().map(|&(_, i)| i).collect();
    }

    /// Scoring is not finished: [`Index::shown`] holds the matches so far.
    pub fn busy(&self) -> bool {
        self.done < self.todo.len()
    }

    /// (scored, total) candidates of an unfinished query.
    pub(crate) fn progress(&self) -> Option<(usize, usize)> {
        let background = self.job.as_ref().map_or(0, |j| j.scored.load(Ordering::Relaxed));
        self.busy()
            .then_some(((self.done + background).min(self.todo.len()), self.todo.len()))
    }

    /// Score everything that is left.
    pub fn finish(&mut self) {
        self.collect_job(None);
        let n = self.todo.len();
        self.advance(n);
    }

    pub fn set_query(&mut self, query: &str) {
        if query == self.query {
            return;
        }
        let narrow = narrows(&self.query, query);
        self.query = query.to_string();
        self.rescore(narrow);
    }

    pub(crate) fn set_filter(&mut self, items: &[Meta], filter: Filter) {
        if filter == self.filter {
            return;
        }
        self.filter = filter;
        self.refilter(items);
    }

    pub(crate) fn set_sort(&mut self, items: &[Meta], sort: SortKey) {
        if sort == self.sort {
            return;
        }
        self.sort_by(items, sort);
        self.refilter(items);
    }

    /// Item indices shown, in order.
    pub fn shown(&self) -> &[u32] {
        &self.shown
    }

    pub fn query(&self) -> &str {
        &self.query
    }

    pub fn filter(&self) -> &Filter {
        &self.filter
    }

    pub fn sort(&self) -> SortKey {
        self.sort
    }

    /// The haystack of item `i` (what highlight indices refer to).
    pub fn haystack(&self, i: usize) -> &str {
        self.haystacks.get(i).map(String::as_str).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;
    use crate::tui::screen::facets::values::*;

    fn items() -> Vec<Meta> {
        let mk = |p: &str, t: &str| Document::parse(p, t.to_string()).meta;
        vec![
            mk(
                "findings/030-pending-p1-a.md",
                "---\nstatus: pending\npriority: p1\nissue_id: \"030\"\ntags: [race]\n---\n# Race in assignment\n",
            ),
            mk(
                "findings/031-ready-p2-b.md",
                "---\nstatus: ready\npriority: p2\nissue_id: \"031\"\n---\n# Cache stale\n",
            ),
            mk(
                "findings/DATA-001-open-P2-c.md",
                "---\nid: DATA-001\nstatus: open\npriority: P2\ntags: [race, db]\n---\n# Race C\n",
            ),
            mk("adr/0001-use-x.md", "# ADR 1: Use racecar\n\n## Status\n\nAccepted\n"),
        ]
    }

    #[test]
    fn matches_select_for_every_sort_and_query() {
        let items = items();
        for sort in SortKey::ALL {
            for q in ["", "race", "rac", "!race", "^DATA", "c$", "zzz"] {
                for f in [
                    Filter::default(),
                    Filter {
                        priorities: vec!["p2".into()],
                        ..Default::default()
                    },
                ] {
                    let ix = Index::new(&items, sort, f.clone(), q);
                    let want: Vec<u32> = query::select(&items, &f, q, sort)
                        .into_iter()
                        .map(|i| i as u32)
                        .collect();
                    assert_eq!(ix.shown(), want, "{sort:?} {q:?} {f:?}");
                }
            }
        }
    }

    #[test]
    fn scoring_in_steps_gives_the_same_result() {
        let items = items();
        for q in ["r", "race", "c", "!race", "zzz"] {
            let want: Vec<u32> = query::select(&items, &Filter::default(), q, SortKey::Priority)
                .into_iter()
                .map(|i| i as u32)
                .collect();
            let mut ix = Index::new(&items, SortKey::Priority, Filter::default(), "");
            ix.set_step(1);
            ix.set_query(q);
            let mut steps = 1;
            while ix.busy() {
                assert!(ix.progress().is_some());
                ix.step();
                steps += 1;
            }
            assert_eq!(ix.shown(), want, "{q}");
            assert!(steps >= want.len().min(4), "{q}: {steps}");
        }
        // Typing on while a query is still being scored narrows correctly.
        let mut ix = Index::new(&items, SortKey::Id, Filter::default(), "");
        ix.set_step(1);
        for q in ["r", "ra", "rac", "race"] {
            ix.set_query(q);
            ix.step();
        }
        ix.finish();
        let want: Vec<u32> = query::select(&items, &Filter::default(), "race", SortKey::Id)
            .into_iter()
            .map(|i| i as u32)
            .collect();
        assert_eq!(ix.shown(), want);
    }

    #[test]
    fn background_jobs_give_the_same_result_and_cancel() {
        let words = ["race", "cache", "lock", "stale", "token", "retry"];
        let items: Vec<Meta> = (0..3 * STEP)
            .map(|i| {
                let text = format!(
                    "---\nstatus: pending\npriority: p{}\n---\n# {} {} {i}\n",
                    i % 4,
                    words[i % words.len()],
                    words[(i / 7) % words.len()]
                );
                Document::parse(&format!("todos/{i:05}-pending-p1-x.md"), text).meta
            })
            .collect();
        let want = |q: &str| -> Vec<u32> {
            query::select(&items, &Filter::default(), q, SortKey::Priority)
                .into_iter()
                .map(|i| i as u32)
                .collect()
        };
        let mut ix = Index::new(&items, SortKey::Priority, Filter::default(), "");
        // A job per query, each replaced (cancelled) by the next keystroke,
        // narrowing or not.
        for q in ["r", "ra", "rac", "race", "race !l", "c", "ca"] {
            ix.set_query(q);
            if q.len() == 1 {
                assert!(ix.job.is_some(), "{q}: the rest is scored in the background");
            }
            assert_eq!(ix.busy(), ix.progress().is_some());
        }
        ix.finish();
        assert!(!ix.busy() && ix.job.is_none());
        assert_eq!(ix.shown(), want("ca"));
        // Idle work takes the result in once it is there.
        ix.set_query("lock");
        while ix.busy() {
            ix.work();
        }
        assert_eq!(ix.shown(), want("lock"));
        // A job whose result is never taken is cancelled when dropped.
        ix.set_query("stale");
        let cancel = ix.job.as_ref().map(|j| j.cancel.clone()).unwrap();
        ix.set_query("");
        assert!(cancel.load(Ordering::Relaxed));
        assert_eq!(ix.shown().len(), items.len());
    }

    #[test]
    fn typing_narrows_and_deleting_widens() {
        let items = items();
        let mut ix = Index::new(&items, SortKey::Id, Filter::default(), "");
        for q in [
            "r", "ra", "rac", "race", "race ", "race c", "rac", "race !c", "race !ca", "x",
        ] {
            ix.set_query(q);
            let want: Vec<u32> = query::select(&items, &Filter::default(), q, SortKey::Id)
                .into_iter()
                .map(|i| i as u32)
                .collect();
            assert_eq!(ix.shown(), want, "{q}");
        }
        assert!(narrows("ab", "abc"));
        assert!(!narrows("!ab", "!abc"));
        assert!(!narrows("ab$", "ab$c"));
        assert!(!narrows("ab\\", "ab\\ c"));
        assert!(!narrows("", "a"));
        assert!(!narrows("^DAT", "^DATA"));
        assert!(!narrows("Race", "Race ^D"), "smart case to ignoring case widens");
        assert!(narrows("!", "!a") || !narrows("!", "!a"));
    }

    #[test]
    fn facets_count_and_toggle() {
        let items = items();
        let f = Filter::default();
        let v = facet_values(&items, &f);
        let count =
            |v: &[FacetValue], facet, val: &str| v.iter().find(|x| x.facet == facet && x.value == val).map(|x| x.count);
        assert_eq!(count(&v, Facet::Tag, "race"), Some(2));
        assert_eq!(count(&v, Facet::Priority, "p2"), Some(2));
        assert_eq!(count(&v, Facet::Family, "adr"), Some(1));
        let f = toggle(&f, Facet::Priority, "p2");
        assert!(is_active(&f, Facet::Priority, "p2"));
        let v = facet_values(&items, &f);
        // Tag counts now among p2 items only; priority counts ignore their own facet.
        assert_eq!(count(&v, Facet::Tag, "race"), Some(1));
        assert_eq!(count(&v, Facet::Priority, "p1"), Some(1));
        let f = toggle(&f, Facet::Priority, "p2");
        assert!(f.is_empty());
    }
}
