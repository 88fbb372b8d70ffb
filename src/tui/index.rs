//! The list's filter engine, built for per-keystroke speed on 100k items.
//!
//! Done once per load: the fuzzy haystack of every item
//! ([`crate::query::haystack`]) with the set of its characters
//! ([`crate::query::char_mask`]) and, per sort key, the sort order as
//! ranks. Facet filters (the same [`crate::query::Filter`] the CLI uses)
//! narrow to a base set in sort order; the fuzzy query
//! ([`crate::query::Fuzzy`]) ranks that set on all cores.
//!
//! A match is kept as one `u64` sort key (its rank's complement above its
//! place in sort order), so ranking sorts plain integers. Scoring is
//! incremental twice over. When a query only extends the previous one
//! (typing), only the previous matches are scored again, and an item
//! lacking one of the query's characters is passed over without scoring.
//! And a query over many items scores only its first [`STEP`] candidates
//! when it is set, so a keystroke never waits for 100k items: the rest
//! are scored by a background job on the rayon pool (both cores, one
//! matcher per task), cancelled when the query changes, whose sorted
//! result the runner merges in while the user is idle ([`Index::work`]).
//! The finished fuzzy result equals [`crate::query::select`].
//!
//! With texts to search ([`Index::search_bodies`]) a plain query of three
//! characters or more is also looked for in each document's text
//! (`index/bodies.rs`); those matches rank below a match of the title as typed and
//! above letters scattered through it ([`crate::query::BAND`]), and the
//! list shows their matching line (`Index::body_line`).
//!
//! About 720 lines (its tests in `index/tests.rs`): the ranking's incremental state (the base set,
//! the steps, the background job, the text search's results) is one state machine, kept in one file
//! so its invariants are read in one place.

mod bodies;
#[cfg(test)]
mod tests;

use crate::document::Meta;
use crate::query::{self, Filter, Fuzzy, SortKey};
use crate::search::cache::TextCache;
use crate::search::LineHit;
use bodies::Bodies;
use rayon::prelude::*;
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

/// The sort key of a match of rank `score` for the item at `rank` in sort
/// order: lower sorts first (better rank, then sort order).
fn key(score: u32, rank: u32) -> u64 {
    (u64::from(u32::MAX - score) << 32) | u64::from(rank)
}

/// The place in sort order a key is for.
fn key_rank(k: u64) -> usize {
    (k & u64::from(u32::MAX)) as usize
}

/// The rest of a query's candidates, scored on the rayon pool. Dropping it
/// cancels it.
#[derive(Debug)]
struct Job {
    cancel: Arc<AtomicBool>,
    /// Candidates scored so far (for progress).
    scored: Arc<AtomicUsize>,
    /// The matches' keys, sorted; nothing when cancelled.
    result: mpsc::Receiver<Vec<u64>>,
}

impl Drop for Job {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

/// What scoring reads, shared with background jobs: every item's
/// haystack, one after another in one buffer (scoring reads them in item
/// order, so memory is read in order rather than chasing 100k pointers).
#[derive(Debug, Default)]
struct Haystacks {
    bytes: String,
    /// `ends[i]`: where item `i`'s text ends in `bytes` (it starts where
    /// item `i - 1`'s ends).
    ends: Vec<usize>,
    /// [`query::char_mask`] of each text.
    mask: Vec<u64>,
}

impl Haystacks {
    fn new(texts: Vec<String>, mask: Vec<u64>) -> Haystacks {
        let mut bytes = String::with_capacity(texts.iter().map(String::len).sum());
        let ends = texts
            .iter()
            .map(|t| {
                bytes.push_str(t);
                bytes.len()
            })
            .collect();
        Haystacks { bytes, ends, mask }
    }

    /// Item `i`'s text.
    fn text(&self, i: usize) -> Option<&str> {
        let start = match i.checked_sub(1) {
            Some(p) => *self.ends.get(p)?,
            None => 0,
        };
        self.bytes.get(start..*self.ends.get(i)?)
    }
}

/// The list's rows: the documents that pass the filter, ranked by the fuzzy query (then
/// the sort order), computed in steps so a keystroke over many documents returns at
/// once.
#[derive(Debug)]
pub struct Index {
    hay: Arc<Haystacks>,
    sort: SortKey,
    /// `rank[i]`: position of item `i` in sort order.
    rank: Arc<Vec<u32>>,
    /// Items in sort order.
    order: Vec<u32>,
    filter: Filter,
    /// Items passing the facet filter, in sort order.
    base: Vec<u32>,
    query: String,
    /// Fuzzy matches found so far, as sorted keys ([`key`]).
    hits: Vec<u64>,
    /// Candidates of the running query; `todo[done..]` are not scored yet.
    todo: Vec<u32>,
    done: usize,
    shown: Vec<u32>,
    step: usize,
    /// Score what the first step leaves in the background.
    background: bool,
    /// Scoring `todo[done..]` in the background.
    job: Option<Job>,
    /// The search of the documents' texts.
    bodies: Bodies,
}

impl Default for Index {
    fn default() -> Self {
        Index {
            hay: Arc::new(Haystacks::default()),
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
            bodies: Bodies::default(),
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

/// The keys of the candidates of `chunk` that match `f` (all of them, with
/// no query), unsorted.
fn score_chunk(f: Option<&mut Fuzzy>, hay: &Haystacks, rank: &[u32], chunk: &[u32]) -> Vec<u64> {
    let rank_of = |i: u32| rank.get(i as usize).copied().unwrap_or(u32::MAX);
    let Some(f) = f else {
        return chunk.iter().map(|&i| key(0, rank_of(i))).collect();
    };
    chunk
        .iter()
        .filter_map(|&i| {
            let at = i as usize;
            let mask = hay.mask.get(at).copied().unwrap_or(u64::MAX);
            if !f.may_match(mask) {
                return None;
            }
            let s = f.rank_known(hay.text(at)?, mask != u64::MAX)?;
            Some(key(s, rank_of(i)))
        })
        .collect()
}

/// Score `candidates` on the rayon pool, one matcher per task, and sort the
/// matches; `None` when cancelled.
fn score_background(
    query: &str,
    hay: &Haystacks,
    rank: &[u32],
    candidates: &[u32],
    cancel: &AtomicBool,
    scored: &AtomicUsize,
) -> Option<Vec<u64>> {
    let parts: Vec<Vec<u64>> = candidates
        .par_chunks(CHUNK)
        .map_init(
            || Fuzzy::new(query),
            |f, chunk| {
                if cancel.load(Ordering::Relaxed) {
                    return Vec::new();
                }
                let out = score_chunk(f.as_mut(), hay, rank, chunk);
                scored.fetch_add(chunk.len(), Ordering::Relaxed);
                out
            },
        )
        .collect();
    if cancel.load(Ordering::Relaxed) {
        return None;
    }
    let mut all = parts.concat();
    sort_keys(&mut all);
    Some(all)
}

/// Score `candidates` now (on all cores when there are many), sorted.
fn score_all(query: &str, hay: &Haystacks, rank: &[u32], candidates: &[u32]) -> Vec<u64> {
    let mut out = if candidates.len() <= STEP {
        score_chunk(Fuzzy::new(query).as_mut(), hay, rank, candidates)
    } else {
        candidates
            .par_chunks(STEP)
            .map(|c| score_chunk(Fuzzy::new(query).as_mut(), hay, rank, c))
            .collect::<Vec<_>>()
            .concat()
    };
    sort_keys(&mut out);
    out
}

/// `c` with what follows its first `first` in item order, the order of the
/// haystacks in memory; the first stay as they are (the previous query's
/// best matches, or the top of the sort order: scored at once, they make a
/// keystroke's first results). Candidates are distinct items.
fn rest_in_item_order(mut c: Vec<u32>, first: usize, items: usize) -> Vec<u32> {
    if c.len() <= first.saturating_add(1) {
        return c;
    }
    let mut bits = vec![0u64; items.div_ceil(64)];
    for &i in &c[first..] {
        if let Some(w) = bits.get_mut(i as usize / 64) {
            *w |= 1 << (i % 64);
        }
    }
    c.truncate(first);
    for (w, &word) in bits.iter().enumerate() {
        let mut b = word;
        while b != 0 {
            c.push((w * 64) as u32 + b.trailing_zeros());
            b &= b - 1;
        }
    }
    c
}

/// Sort match keys (public for the benchmark's breakdown). Many keys are
/// sorted by their bytes, lowest first (a radix sort: a few linear passes
/// instead of a comparison sort's n log n; a byte every key shares is
/// skipped, as are most of the score's and the rank's high bytes); a few,
/// the usual way.
pub fn sort_keys(keys: &mut Vec<u64>) {
    const RADIX_FROM: usize = 1024;
    if keys.len() < RADIX_FROM {
        keys.sort_unstable();
        return;
    }
    let n = keys.len();
    let mut counts = [[0usize; 256]; 8];
    for &k in keys.iter() {
        for (d, c) in counts.iter_mut().enumerate() {
            c[((k >> (8 * d)) & 0xff) as usize] += 1;
        }
    }
    let mut buf = vec![0u64; n];
    for (d, c) in counts.iter().enumerate() {
        if c.contains(&n) {
            continue;
        }
        let mut at = [0usize; 256];
        let mut sum = 0;
        for (a, &count) in at.iter_mut().zip(c.iter()) {
            *a = sum;
            sum += count;
        }
        for &k in keys.iter() {
            let b = ((k >> (8 * d)) & 0xff) as usize;
            buf[at[b]] = k;
            at[b] += 1;
        }
        std::mem::swap(keys, &mut buf);
    }
}

/// Merge two sorted key lists.
fn merge_sorted(a: &[u64], b: &[u64]) -> Vec<u64> {
    let mut merged = Vec::with_capacity(a.len() + b.len());
    let (mut x, mut y) = (0, 0);
    while x < a.len() && y < b.len() {
        if a[x] <= b[y] {
            merged.push(a[x]);
            x += 1;
        } else {
            merged.push(b[y]);
            y += 1;
        }
    }
    merged.extend_from_slice(&a[x..]);
    merged.extend_from_slice(&b[y..]);
    merged
}

impl Index {
    /// An index of `items` with this sort order, filter and query (scoring starts;
    /// [`Index::busy`] says when more is to do).
    pub fn new(items: &[Meta], sort: SortKey, filter: Filter, query: &str) -> Index {
        let hay = |m: &Meta| {
            let h = query::haystack(m);
            let mask = query::char_mask(&h);
            (h, mask)
        };
        let (text, mask): (Vec<String>, Vec<u64>) = if items.len() >= STEP {
            items.par_iter().map(hay).unzip()
        } else {
            items.iter().map(hay).unzip()
        };
        let mut ix = Index {
            hay: Arc::new(Haystacks::new(text, mask)),
            filter,
            ..Index::default()
        };
        ix.sort_by(items, sort);
        ix.query = query.to_string();
        ix.refilter(items);
        ix
    }

    /// Also search the texts of `items` (this index's items), read through
    /// `cache`, for a plain query of three characters or more.
    pub fn search_bodies(&mut self, cache: &TextCache, items: &[Meta]) {
        self.bodies = Bodies::new(cache, items);
        self.restart_bodies(false);
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
        self.restart_bodies(false);
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
            self.show();
            return;
        }
        let candidates: Vec<u32> = if narrow {
            // Every match of the new query is among the old one's matches
            // so far and the candidates it had not scored yet.
            let mut c: Vec<u32> = self.hits.iter().map(|&k| self.item_at(k)).collect();
            c.extend_from_slice(self.todo.get(self.done..).unwrap_or(&[]));
            c
        } else {
            self.base.clone()
        };
        self.hits.clear();
        self.todo = rest_in_item_order(candidates, self.step, self.hay.ends.len());
        self.done = 0;
        // The job starts first, so the pool scores the rest while this
        // thread scores the first step.
        self.start_job(self.step);
        self.advance(self.step);
    }

    /// The item a key is for.
    fn item_at(&self, k: u64) -> u32 {
        self.order.get(key_rank(k)).copied().unwrap_or(u32::MAX)
    }

    /// Search the texts for the query again: from the previous text
    /// matches when `narrow` allows, else over the base set.
    fn restart_bodies(&mut self, narrow: bool) {
        let (base, rank, query) = (&self.base, &self.rank, self.query.as_str());
        self.bodies.restart(query, base, rank, narrow);
        self.show();
    }

    /// Hand the candidates after the first `first` to a background job.
    fn start_job(&mut self, first: usize) {
        let rest = self.todo.get(self.done + first..).unwrap_or(&[]);
        if !self.background || rest.len() <= self.step {
            return;
        }
        let rest = rest.to_vec();
        let cancel = Arc::new(AtomicBool::new(false));
        let scored = Arc::new(AtomicUsize::new(0));
        let (tx, rx) = mpsc::channel();
        let (query, hay, rank) = (self.query.clone(), self.hay.clone(), self.rank.clone());
        let (c, n) = (cancel.clone(), scored.clone());
        rayon::spawn(move || {
            if let Some(hits) = score_background(&query, &hay, &rank, &rest, &c, &n) {
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
    /// cores; take in the text search's result if it is there (never
    /// waiting for it: the runner waits for input meanwhile). True when the
    /// shown list changed.
    pub fn work(&mut self) -> bool {
        let texts = self.collect_bodies(Some(Duration::ZERO));
        if self.job.is_some() {
            return self.collect_job(Some(WAIT)) || texts;
        }
        if !self.busy() {
            return texts;
        }
        self.advance(self.step.saturating_mul(BATCH));
        true
    }

    /// Take in the text search's result, waiting up to `wait` (forever when
    /// `None`); true when the shown list changed.
    fn collect_bodies(&mut self, wait: Option<Duration>) -> bool {
        if self.bodies.collect(wait) {
            self.show();
            return true;
        }
        false
    }

    fn advance(&mut self, n: usize) -> bool {
        if self.done >= self.todo.len() {
            return false;
        }
        let end = (self.done + n).min(self.todo.len());
        let fresh = score_all(&self.query, &self.hay, &self.rank, &self.todo[self.done..end]);
        self.merge(fresh, end);
        self.busy()
    }

    /// Merge `fresh` matches (sorted) of the candidates up to `end`.
    fn merge(&mut self, fresh: Vec<u64>, end: usize) {
        self.hits = if self.hits.is_empty() {
            fresh
        } else {
            merge_sorted(&self.hits, &fresh)
        };
        self.done = end;
        if self.done >= self.todo.len() {
            self.todo = Vec::new();
            self.done = 0;
        }
        self.show();
    }

    /// The shown list: the fuzzy matches and the text matches, each item
    /// once, at its better rank.
    fn show(&mut self) {
        if self.query.trim().is_empty() {
            self.shown = self.base.clone();
            self.bodies.won.clear();
            return;
        }
        let body = self.bodies.keys();
        if body.is_empty() {
            self.shown = self.hits.iter().map(|&k| self.item_at(k)).collect();
            self.bodies.won.clear();
            return;
        }
        let merged = merge_sorted(&self.hits, body);
        let mut seen = vec![0u64; self.order.len().div_ceil(64)];
        let mut shown = Vec::with_capacity(merged.len());
        let mut won = std::collections::HashSet::new();
        let from_body = |k: u64| body.binary_search(&k).is_ok();
        for k in merged {
            let item = self.item_at(k);
            let (w, b) = (item as usize / 64, 1u64 << (item % 64));
            let Some(word) = seen.get_mut(w) else {
                continue;
            };
            if *word & b != 0 {
                continue;
            }
            *word |= b;
            if from_body(k) {
                won.insert(item);
            }
            shown.push(item);
        }
        self.shown = shown;
        self.bodies.won = won;
    }

    /// Scoring is not finished: [`Index::shown`] holds the matches so far.
    pub fn busy(&self) -> bool {
        self.done < self.todo.len()
    }

    /// The documents' texts are still being searched for the query.
    pub fn searching(&self) -> bool {
        self.bodies.running()
    }

    /// Either is still under way ([`Index::busy`], [`Index::searching`]):
    /// the runner keeps calling [`Index::work`].
    pub fn pending(&self) -> bool {
        self.busy() || self.searching()
    }

    /// (scored, total) candidates of an unfinished query.
    pub(crate) fn progress(&self) -> Option<(usize, usize)> {
        let background = self.job.as_ref().map_or(0, |j| j.scored.load(Ordering::Relaxed));
        self.busy()
            .then_some(((self.done + background).min(self.todo.len()), self.todo.len()))
    }

    /// Score everything that is left, and wait for the text search (tests
    /// and benchmarks; the terminal UI never waits for the texts).
    pub fn finish(&mut self) {
        self.finish_ranking();
        self.collect_bodies(None);
    }

    /// Score everything that is left (the text search goes on).
    pub(crate) fn finish_ranking(&mut self) {
        self.collect_job(None);
        let n = self.todo.len();
        self.advance(n);
        self.collect_bodies(Some(Duration::ZERO));
    }

    /// Change the query; a query that narrows the last one rescores only the rows it
    /// kept.
    pub fn set_query(&mut self, query: &str) {
        if query == self.query {
            return;
        }
        let narrow = narrows(&self.query, query);
        let texts_narrow = bodies::extends(&self.query, query);
        self.query = query.to_string();
        self.rescore(narrow);
        self.restart_bodies(texts_narrow);
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

    /// The search query as typed.
    pub fn query(&self) -> &str {
        &self.query
    }

    /// The active facet filters.
    pub fn filter(&self) -> &Filter {
        &self.filter
    }

    /// The sort order ties are broken by (and, without a query, the rows' order).
    pub fn sort(&self) -> SortKey {
        self.sort
    }

    /// The haystack of item `i` (what highlight indices refer to).
    pub fn haystack(&self, i: usize) -> &str {
        self.hay.text(i).unwrap_or("")
    }

    /// The line of item `i`'s text that matched, when the item is shown for
    /// its text (its ID, title and tags do not hold the query as typed).
    pub(crate) fn body_line(&self, i: usize) -> Option<&LineHit> {
        let i = u32::try_from(i).ok()?;
        if !self.bodies.won.contains(&i) {
            return None;
        }
        self.bodies.line(i)
    }
}
