//! The list search's look into the documents' texts: a plain query of
//! [`MIN_CHARS`] characters or more ([`phrase`]) is matched as a phrase
//! ([`crate::search::Query`]: literal, smart case) against each candidate's
//! text, off the UI thread.
//!
//! The texts come from a [`Generation`] of the repository's
//! [`crate::search::cache::TextCache`]: the first search of a load reads
//! the files, later ones find them in memory. A search runs on a thread of
//! its own, one text after another, so the rayon pool stays free for the
//! fuzzy scoring the next frame shows. A match ranks by
//! [`crate::query::BODY_WORD`] (a whole word) or [`crate::query::BODY`],
//! then by how often the phrase occurs. When a query extends the previous
//! one, only the previous matches are searched again, and until that search
//! is back the list keeps showing them (a superset: rows only leave when it
//! comes, none arrives late). The UI thread never searches a text or waits
//! for a search; only [`super::Index::finish`] (tests, benchmarks) waits.

use super::key;
use crate::query::{BAND, BODY, BODY_WORD};
use crate::search::cache::{Generation, TextCache};
use crate::search::{match_text, Case, LineHit, Query};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

/// The shortest query whose text matches are looked for: one or two
/// letters are in nearly every document.
pub(super) const MIN_CHARS: usize = 3;

/// The phrase a query looks for in the texts: the query when it is plain
/// text (no fzf operator: `!`, `'`, `^` at a term's start, `$` at its end,
/// a `\` escape) of at least [`MIN_CHARS`] characters.
pub(super) fn phrase(query: &str) -> Option<&str> {
    let q = query.trim();
    let operator = q
        .split_whitespace()
        .any(|t| t.starts_with(['!', '\'', '^']) || t.ends_with('$') || t.contains('\\'));
    (!operator && q.chars().count() >= MIN_CHARS).then_some(q)
}

/// True when every text match of `new` is a text match of `old`.
pub(super) fn extends(old: &str, new: &str) -> bool {
    match (phrase(old), phrase(new)) {
        (Some(o), Some(n)) => n.starts_with(o),
        _ => false,
    }
}

/// The text matches of one phrase.
#[derive(Debug)]
struct Done {
    phrase: String,
    /// Sort keys ([`key`]), sorted.
    keys: Vec<u64>,
    /// The items matched (the next, longer phrase's candidates).
    items: Vec<u32>,
    /// The first matching line of each.
    lines: HashMap<u32, LineHit>,
}

/// A text search running on a thread of its own; dropping it cancels it.
#[derive(Debug)]
struct Job {
    cancel: Arc<AtomicBool>,
    result: mpsc::Receiver<Done>,
}

impl Drop for Job {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

/// The text search of an [`super::Index`].
#[derive(Debug, Default)]
pub(super) struct Bodies {
    texts: Option<Arc<Generation>>,
    done: Option<Done>,
    job: Option<Job>,
    /// Items shown for their text rather than their fields (set when the
    /// shown list is built).
    pub(super) won: HashSet<u32>,
}

/// Search `candidates`' texts for `q`; `None` when cancelled.
fn search(texts: &Generation, q: &Query, candidates: &[u32], rank: &[u32], cancel: &AtomicBool) -> Option<Done> {
    let one = |&i: &u32| -> Option<(u32, crate::search::TextHit)> {
        let text = texts.text(i as usize)?;
        match_text(&text, q).map(|h| (i, h))
    };
    let mut found: Vec<(u32, crate::search::TextHit)> = Vec::new();
    for chunk in candidates.chunks(256) {
        if cancel.load(Ordering::Relaxed) {
            return None;
        }
        found.extend(chunk.iter().filter_map(one));
    }
    let mut keys = Vec::with_capacity(found.len());
    let mut items = Vec::with_capacity(found.len());
    let mut lines = HashMap::with_capacity(found.len());
    for (i, h) in found {
        let band = if h.word { BODY_WORD } else { BODY };
        let score = band + u32::try_from(h.count).unwrap_or(u32::MAX).min(BAND - 1);
        keys.push(key(score, rank.get(i as usize).copied().unwrap_or(u32::MAX)));
        items.push(i);
        lines.insert(i, h.line);
    }
    keys.sort_unstable();
    Some(Done {
        phrase: q.text().to_string(),
        keys,
        items,
        lines,
    })
}

impl Bodies {
    /// The texts of `items`, read through `cache`.
    pub(super) fn new(cache: &TextCache, items: &[crate::document::Meta]) -> Bodies {
        let paths = items.iter().map(|m| m.path.clone()).collect();
        Bodies {
            texts: Some(Arc::new(Generation::new(cache.clone(), paths))),
            ..Bodies::default()
        }
    }

    /// Search for `query` on a thread: over the last query's matches when
    /// `narrow` (the base set is the same and the phrase extends it), which
    /// stay shown until the search is back; else over `base`, with nothing
    /// shown meanwhile.
    pub(super) fn restart(&mut self, query: &str, base: &[u32], rank: &Arc<Vec<u32>>, narrow: bool) {
        self.job = None;
        let prev = self.done.take();
        let Some(texts) = &self.texts else {
            return;
        };
        let Some(q) = phrase(query).and_then(|p| Query::new(p, Case::Smart).ok()) else {
            return;
        };
        let candidates = match prev {
            Some(d) if narrow && q.text().starts_with(&d.phrase) => {
                let items = d.items.clone();
                self.done = Some(d);
                items
            }
            _ => base.to_vec(),
        };
        let cancel = Arc::new(AtomicBool::new(false));
        let (tx, rx) = mpsc::channel();
        let (texts, rank, c) = (texts.clone(), rank.clone(), cancel.clone());
        let run = move || {
            // Read what is not in memory yet, then match.
            for (n, &i) in candidates.iter().enumerate() {
                if n % 64 == 0 && c.load(Ordering::Relaxed) {
                    return;
                }
                texts.fetch(i as usize);
            }
            if candidates.len() == texts.len() {
                texts.prune();
            }
            if let Some(done) = search(&texts, &q, &candidates, &rank, &c) {
                let _ = tx.send(done);
            }
        };
        let spawned = std::thread::Builder::new().name("findings-texts".into()).spawn(run);
        if spawned.is_err() {
            // No thread: no text matches (the fuzzy ones still show), and
            // none of the last query's kept.
            self.done = None;
            return;
        }
        self.job = Some(Job { cancel, result: rx });
    }

    /// Take in the running search's result, waiting up to `wait` (forever
    /// when `None`); true when it came.
    pub(super) fn collect(&mut self, wait: Option<Duration>) -> bool {
        let Some(job) = &self.job else {
            return false;
        };
        let got = match wait {
            None => job.result.recv().ok(),
            Some(d) if d.is_zero() => match job.result.try_recv() {
                Ok(done) => Some(done),
                Err(mpsc::TryRecvError::Empty) => return false,
                Err(mpsc::TryRecvError::Disconnected) => None,
            },
            Some(d) => match job.result.recv_timeout(d) {
                Ok(done) => Some(done),
                Err(mpsc::RecvTimeoutError::Timeout) => return false,
                Err(mpsc::RecvTimeoutError::Disconnected) => None,
            },
        };
        self.job = None;
        self.done = got;
        true
    }

    /// A search is under way.
    pub(super) fn running(&self) -> bool {
        self.job.is_some()
    }

    /// The sorted keys of the text matches found.
    pub(super) fn keys(&self) -> &[u64] {
        self.done.as_ref().map_or(&[], |d| &d.keys)
    }

    /// The first matching line of item `i`.
    pub(super) fn line(&self, i: u32) -> Option<&LineHit> {
        self.done.as_ref()?.lines.get(&i)
    }
}
