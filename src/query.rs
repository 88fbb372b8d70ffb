//! Filtering, fuzzy search and sorting of document metadata: one
//! implementation for `findings list` and the terminal UI.
//!
//! Repeated values of one facet are OR-ed, different facets AND-ed. The
//! fuzzy query uses nucleo-matcher with fzf's syntax (`'exact`, `^prefix`,
//! `suffix$`, `!negation`, space-separated terms all required) over the ID,
//! title and tags. Ranking takes a fuzzy term's score in an ASCII text from
//! `query/ascii.rs`, which computes nucleo's score directly (and held equal
//! to it by tests) at a fraction of the cost.

mod ascii;

use crate::document::{Kind, Meta};
use crate::workflow::{normalize_priority, priority_rank};
use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};
use rayon::slice::ParallelSliceMut;
use std::cmp::Ordering;

/// Facet filters; empty facets match everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub(crate) statuses: Vec<String>,
    /// Priorities to keep (`p0`..`p4`); empty keeps every priority.
    pub priorities: Vec<String>,
    pub(crate) tags: Vec<String>,
    pub(crate) kinds: Vec<Kind>,
}

impl Filter {
    pub(crate) fn is_empty(&self) -> bool {
        self.statuses.is_empty() && self.priorities.is_empty() && self.tags.is_empty() && self.kinds.is_empty()
    }

    pub(crate) fn matches(&self, m: &Meta) -> bool {
        (self.kinds.is_empty() || self.kinds.contains(&m.kind))
            && (self.statuses.is_empty() || self.statuses.iter().any(|s| status_matches(m, s)))
            && (self.priorities.is_empty() || self.priorities.iter().any(|p| priority_matches(m, p)))
            && (self.tags.is_empty()
                || self
                    .tags
                    .iter()
                    .any(|t| m.tags.iter().any(|mt| mt.eq_ignore_ascii_case(t))))
    }
}

/// A status filter value matches the canonical status (read through the
/// repository's workflow when the document was loaded; spelled in any case,
/// with spaces or hyphens for `_`: `In Review` is `in_review`), the
/// family's aliases of it, or the raw value.
pub(crate) fn status_matches(m: &Meta, want: &str) -> bool {
    let want_l = want.trim().to_lowercase();
    if let Some(s) = &m.status {
        if *s == want_l || *s == want_l.replace([' ', '-'], "_") {
            return true;
        }
        // Aliases (`completed`, `done`) apply only when the word is not itself
        // a status of some family: `pending` never selects an `open` finding.
        let canonical = Kind::ALL
            .iter()
            .any(|k| crate::workflow::statuses(*k).contains(&want_l.as_str()));
        if !canonical && crate::workflow::normalize_status(m.kind, &want_l) == Some(*s) {
            return true;
        }
    }
    m.status_raw
        .as_deref()
        .is_some_and(|r| r.trim().eq_ignore_ascii_case(&want_l))
}

pub(crate) fn priority_matches(m: &Meta, want: &str) -> bool {
    match (normalize_priority(want), m.priority) {
        (Some(w), Some(p)) => w == p,
        _ => m
            .priority_raw
            .as_deref()
            .is_some_and(|r| r.eq_ignore_ascii_case(want.trim())),
    }
}

/// The text the fuzzy query searches.
pub fn haystack(m: &Meta) -> String {
    let mut s = String::with_capacity(m.id.len() + m.title.len() + 16);
    s.push_str(&m.id);
    s.push(' ');
    s.push_str(&m.title);
    for t in &m.tags {
        s.push(' ');
        s.push_str(t);
    }
    s
}

/// True when `query` is matched ignoring case rather than with smart case:
/// nucleo-matcher 0.3 matches a case-sensitive `^Prefix` term as if it were
/// exact (helix-editor/nucleo#71), so `^DATA` would find nothing; a query
/// with such a term matches ignoring case instead (a superset, never less).
pub(crate) fn ignores_case(query: &str) -> bool {
    query
        .split_whitespace()
        .any(|t| t.starts_with('^') && t.chars().any(char::is_uppercase))
}

/// Ranks are banded: a match whose every term is in the text as typed
/// (`pending` in "Pending retries") ranks above any body-text match
/// ([`BODY_WORD`], [`BODY`]), which ranks above a match of letters
/// scattered through the text (`pending` in "Prevent duplicate ending").
/// Within a band, nucleo's score (capped below [`BAND`]) orders.
pub const BAND: u32 = 1 << 24;
/// The band of a body-text match that is a whole word.
pub const BODY_WORD: u32 = 2 * BAND;
/// The band of a body-text match inside a word.
pub const BODY: u32 = BAND;
/// The band of a fuzzy match whose terms are all in the text as typed.
pub const LITERAL: u32 = 3 * BAND;

/// The characters of `text` as a set for [`Fuzzy::may_match`]: one bit
/// per ASCII letter (either case) and digit, one per group of other ASCII
/// characters; every bit when `text` holds a non-ASCII character (whose
/// normalized form may match an ASCII letter). The highest bit is set only
/// then, so a mask other than `u64::MAX` is an ASCII text's.
pub fn char_mask(text: &str) -> u64 {
    let mut m = 0u64;
    for &b in text.as_bytes() {
        if !b.is_ascii() {
            return u64::MAX;
        }
        m |= 1 << char_bit(b);
    }
    m
}

fn char_bit(b: u8) -> u32 {
    match b.to_ascii_lowercase() {
        c @ b'a'..=b'z' => u32::from(c - b'a'),
        c @ b'0'..=b'9' => 26 + u32::from(c - b'0'),
        c => 36 + u32::from(c) % 27,
    }
}

/// A positive term of a query as it must appear in the text: its
/// characters (markers `'`, `^`, `$` taken off) and whether case counts.
#[derive(Debug, Clone)]
struct Term {
    text: String,
    cased: bool,
    /// A match of the term in an ASCII text is already the term as typed:
    /// a `'`, `^` or `$` term (matched as a substring, prefix or suffix),
    /// or a single character. Only the other terms (fuzzy, two characters
    /// or more) are looked for again.
    implied: bool,
    /// The pattern's atom the direct ASCII scorer scores with this very
    /// text and case rule, if any: scoring an ASCII text then says whether
    /// the term is there as typed, and it is not looked for again.
    atom: Option<usize>,
}

/// The positive terms of an fzf-syntax query; `None` when one cannot be
/// read as plain text (an escape).
fn terms(query: &str, ignore_case: bool) -> Option<Vec<Term>> {
    let mut out = Vec::new();
    for t in query.split_whitespace() {
        if t.starts_with('!') {
            continue;
        }
        if t.contains('\\') {
            return None;
        }
        let raw = t;
        let t = t.strip_prefix('\'').or_else(|| t.strip_prefix('^')).unwrap_or(t);
        let t = t.strip_suffix('$').unwrap_or(t);
        if t.is_empty() {
            continue;
        }
        out.push(Term {
            cased: !ignore_case && t.chars().any(char::is_uppercase),
            text: if ignore_case { t.to_lowercase() } else { t.to_string() },
            implied: t.len() != raw.len() || t.chars().nth(1).is_none(),
            atom: None,
        });
    }
    Some(out)
}

/// Whether `hay` holds `needle` (already lower-case when case does not
/// count).
fn contains(hay: &str, needle: &str, cased: bool) -> bool {
    if cased {
        return hay.contains(needle);
    }
    let n = needle.as_bytes();
    if !needle.is_ascii() {
        return hay.to_lowercase().contains(needle);
    }
    let h = hay.as_bytes();
    let Some(&first) = n.first() else {
        return true;
    };
    let Some(last_start) = h.len().checked_sub(n.len()) else {
        return false;
    };
    // Candidates by the first byte in either case (memchr's vector search),
    // then the rest compared ignoring ASCII case.
    let (lo, up) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    let mut from = 0;
    while let Some(at) = h.get(from..=last_start).and_then(|w| memchr::memchr2(lo, up, w)) {
        let at = from + at;
        if h[at..at + n.len()].eq_ignore_ascii_case(n) {
            return true;
        }
        from = at + 1;
    }
    false
}

thread_local! {
    /// A matcher a dropped [`Fuzzy`] left on this thread for the next one:
    /// a matcher allocates and zeroes about 135 KB, and ranking makes one
    /// per task, many per keystroke.
    static SPARE: std::cell::RefCell<Option<Matcher>> = const { std::cell::RefCell::new(None) };
}

/// A compiled fuzzy query, reusable across many items.
pub struct Fuzzy {
    pattern: Pattern,
    /// Per atom of `pattern`: its term for the direct ASCII scorer (a
    /// positive fuzzy atom with an ASCII needle), else `None` (nucleo
    /// scores it).
    direct: Vec<Option<ascii::Term>>,
    /// Always there (taken out only when dropped).
    matcher: Option<Matcher>,
    buf: Vec<char>,
    /// The positive terms as typed (`None`: the query has escapes, and no
    /// match counts as literal).
    terms: Option<Vec<Term>>,
    /// The characters every match must hold ([`char_mask`]).
    mask: u64,
    /// Below this score an ASCII text cannot hold every term as typed
    /// ([`literal_floor`]), so `rank` does not look; 0 when unknown.
    floor: u32,
}

/// nucleo-matcher's score of a matched character, and the least bonus it
/// adds for each one that follows the previous matched character
/// directly (`SCORE_MATCH`, `BONUS_CONSECUTIVE` in its `score.rs`).
const SCORE_MATCH: u32 = 16;
const BONUS_CONSECUTIVE: u32 = 4;

/// The longest ASCII text and fuzzy term [`literal_floor`] is sure for:
/// nucleo scores such a pair with its full matrix (it falls back to a
/// greedy match, whose score may be lower, only past 100 KB of cells).
const FLOOR_TEXT: usize = 1024;
const FLOOR_TERM: usize = 32;

/// The least score nucleo gives an ASCII text (of at most [`FLOOR_TEXT`]
/// bytes) that holds every fuzzy term as typed: a term of `n` characters
/// found in one piece scores at least `SCORE_MATCH` for its first
/// character and `SCORE_MATCH + BONUS_CONSECUTIVE` for each next one, and
/// nucleo's matrix keeps the best path, never one below that; other atoms
/// add to the sum, never take from it. 0 (no floor) for a term that is not
/// ASCII or longer than [`FLOOR_TERM`].
fn literal_floor(terms: &[Term]) -> u32 {
    let mut floor = 0;
    for t in terms.iter().filter(|t| !t.implied) {
        if !t.text.is_ascii() || t.text.len() > FLOOR_TERM {
            return 0;
        }
        let n = t.text.len() as u32;
        floor += SCORE_MATCH + (n - 1) * (SCORE_MATCH + BONUS_CONSECUTIVE);
    }
    floor
}

impl Fuzzy {
    /// `None` for an empty (all-matching) query.
    pub fn new(query: &str) -> Option<Fuzzy> {
        if query.trim().is_empty() {
            return None;
        }
        let case = if ignores_case(query) {
            CaseMatching::Ignore
        } else {
            CaseMatching::Smart
        };
        let mut terms = terms(query, case == CaseMatching::Ignore);
        // Only terms without escapes, and only their ASCII characters
        // (a non-ASCII one may match its normalized form).
        let mask = terms.as_ref().map_or(0, |ts| {
            ts.iter()
                .flat_map(|t| t.text.bytes())
                .filter(u8::is_ascii)
                .fold(0u64, |m, b| m | 1 << char_bit(b))
        });
        let floor = terms.as_deref().map_or(0, literal_floor);
        let pattern = Pattern::parse(query, case, Normalization::Smart);
        let direct: Vec<Option<ascii::Term>> = pattern
            .atoms
            .iter()
            .map(|a| {
                (!a.negative && a.kind == AtomKind::Fuzzy)
                    .then(|| ascii::Term::new(a.needle_text()))
                    .flatten()
            })
            .collect();
        // A term the direct scorer scores as it is (same characters, case
        // counting exactly when the term has an upper-case letter, as the
        // scorer's smart case does) takes its "as typed" from that score.
        for t in terms.iter_mut().flatten().filter(|t| !t.implied) {
            let same_case = t.cased == t.text.bytes().any(|b| b.is_ascii_uppercase());
            t.atom =
                pattern.atoms.iter().zip(&direct).take(64).position(|(a, d)| {
                    same_case && d.is_some() && a.needle_text() == Utf32Str::Ascii(t.text.as_bytes())
                });
        }
        Some(Fuzzy {
            floor,
            direct,
            pattern,
            matcher: Some(
                SPARE
                    .try_with(|m| m.borrow_mut().take())
                    .ok()
                    .flatten()
                    .unwrap_or_else(|| Matcher::new(Config::DEFAULT)),
            ),
            buf: Vec::new(),
            terms,
            mask,
        })
    }

    /// False when a text whose [`char_mask`] is `mask` cannot match (it
    /// lacks a character of the query): a test far cheaper than scoring.
    pub fn may_match(&self, mask: u64) -> bool {
        mask & self.mask == self.mask
    }

    /// The rank of `text` (higher is better; banded, see [`BAND`]), `None`
    /// when it does not match.
    pub fn rank(&mut self, text: &str) -> Option<u32> {
        self.rank_known(text, text.is_ascii())
    }

    /// [`Fuzzy::rank`] of a text already known to be ASCII or not (its
    /// [`char_mask`] says: every bit only when it is not), so the text is
    /// not looked over again to find out.
    pub fn rank_known(&mut self, text: &str, ascii: bool) -> Option<u32> {
        let (score, typed) = if ascii && text.len() <= ascii::MAX_TEXT {
            let (s, typed) = self.score_ascii(text.as_bytes())?;
            (s, Some(typed))
        } else {
            let h = if ascii {
                Utf32Str::Ascii(text.as_bytes())
            } else {
                Utf32Str::new(text, &mut self.buf)
            };
            let m = self.matcher.get_or_insert_with(|| Matcher::new(Config::DEFAULT));
            (self.pattern.score(h, m)?, None)
        };
        let s = score.min(BAND - 1);
        let below_floor = ascii && score < self.floor && text.len() <= FLOOR_TEXT;
        Some(if !below_floor && self.literal(text, ascii, typed) {
            LITERAL + s
        } else {
            s
        })
    }

    /// nucleo's score of the pattern in an ASCII text of at most
    /// [`ascii::MAX_TEXT`] bytes: the sum of its atoms' scores, each fuzzy
    /// term's by the direct scorer, the others' by nucleo; with the atoms
    /// (the first 64) the direct scorer found as typed, a bit each.
    fn score_ascii(&mut self, text: &[u8]) -> Option<(u32, u64)> {
        let m = self.matcher.get_or_insert_with(|| Matcher::new(Config::DEFAULT));
        let (mut sum, mut typed) = (0u32, 0u64);
        for (i, (atom, direct)) in self.pattern.atoms.iter().zip(&self.direct).enumerate() {
            sum += u32::from(match direct {
                Some(term) => {
                    let (s, whole) = term.score(text)?;
                    if whole && i < 64 {
                        typed |= 1 << i;
                    }
                    s
                }
                None => atom.score(Utf32Str::Ascii(text), m)?,
            });
        }
        Some((sum, typed))
    }

    /// Whether a text the query matches holds every positive term as typed
    /// (`typed`: the atoms the direct scorer found as typed in it, when it
    /// scored it).
    fn literal(&self, text: &str, ascii: bool, typed: Option<u64>) -> bool {
        let Some(ts) = self.terms.as_ref().filter(|ts| !ts.is_empty()) else {
            return false;
        };
        // In a non-ASCII text a match may be of normalized letters (`cafe`
        // in "café"), so every term is looked for.
        ts.iter().all(|t| {
            (ascii && t.implied)
                || match (t.atom, typed) {
                    (Some(i), Some(found)) => found & (1 << i) != 0,
                    _ => contains(text, &t.text, t.cased),
                }
        })
    }

    /// [`Fuzzy::rank`] the plain way, every term looked for again: what
    /// the shortcuts of `literal` must agree with.
    #[cfg(test)]
    pub(crate) fn rank_plainly(&mut self, text: &str) -> Option<u32> {
        let s = self.score(text)?.min(BAND - 1);
        let holds = |t: &Term| {
            let (h, n) = (text.as_bytes(), t.text.as_bytes());
            if t.cased {
                text.contains(&t.text)
            } else if !t.text.is_ascii() {
                text.to_lowercase().contains(&t.text)
            } else {
                n.len() <= h.len() && (0..=h.len() - n.len()).any(|i| h[i..i + n.len()].eq_ignore_ascii_case(n))
            }
        };
        let literal = self
            .terms
            .as_ref()
            .is_some_and(|ts| !ts.is_empty() && ts.iter().all(holds));
        Some(if literal { LITERAL + s } else { s })
    }

    /// The score of `text` as nucleo computes it, `None` when it does not
    /// match (ranking takes the same score from the direct ASCII scorer,
    /// `query/ascii.rs`, where it applies).
    pub fn score(&mut self, text: &str) -> Option<u32> {
        let h = Utf32Str::new(text, &mut self.buf);
        let m = self.matcher.get_or_insert_with(|| Matcher::new(Config::DEFAULT));
        self.pattern.score(h, m)
    }

    /// Score and matched character indices (for highlighting).
    pub(crate) fn indices(&mut self, text: &str) -> Option<(u32, Vec<u32>)> {
        let mut idx = Vec::new();
        let h = Utf32Str::new(text, &mut self.buf);
        let m = self.matcher.get_or_insert_with(|| Matcher::new(Config::DEFAULT));
        let s = self.pattern.indices(h, m, &mut idx)?;
        idx.sort_unstable();
        idx.dedup();
        Some((s, idx))
    }
}

impl Drop for Fuzzy {
    fn drop(&mut self) {
        // Each pattern sets the case and normalization it matches with, so
        // a matcher carries nothing from one query to the next.
        if let Some(m) = self.matcher.take() {
            let _ = SPARE.try_with(|s| *s.borrow_mut() = Some(m));
        }
    }
}

/// Sort orders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    /// Most urgent first (`p0` before `p4`), then by ID.
    #[default]
    Priority,
    /// By ID: its prefix, then its trailing number compared as a number.
    Id,
    /// By the status's place in its family's workflow, then by ID.
    Status,
    /// Newest first by the created date read as a date; a date that cannot be read,
    /// then none, last.
    Created,
    /// By title ignoring case, then by ID.
    Title,
}

impl SortKey {
    pub(crate) const ALL: [SortKey; 5] = [
        SortKey::Priority,
        SortKey::Id,
        SortKey::Status,
        SortKey::Created,
        SortKey::Title,
    ];
    /// The key's name as the CLI's `--sort` and the TUI's status bar write it.
    pub fn as_str(self) -> &'static str {
        match self {
            SortKey::Priority => "priority",
            SortKey::Id => "id",
            SortKey::Status => "status",
            SortKey::Created => "created",
            SortKey::Title => "title",
        }
    }
    pub(crate) fn next(self) -> SortKey {
        let i = Self::ALL.iter().position(|k| *k == self).unwrap_or(0);
        Self::ALL[(i + 1) % Self::ALL.len()]
    }
}

/// A document's place when sorting by status: its status's place in the
/// workflow it was read with (the repository's, configured statuses
/// included), then statuses no workflow knows, by name.
fn status_rank(m: &Meta) -> (usize, String) {
    match m.status_rank {
        Some(i) => (i, String::new()),
        None => (usize::MAX, m.status_label().to_lowercase()),
    }
}

/// The order of status values across documents, for status menus and
/// facets: the families in order (todo, finding, ADR), each family's
/// statuses in its workflow's order as the documents were read (the
/// repository's, so a configured `in_review` sits where it was put); a key
/// for [`Ord`], values no workflow knows last.
pub(crate) fn status_order(items: &[Meta]) -> impl Fn(&str) -> (usize, usize) {
    let mut at: std::collections::HashMap<&'static str, (usize, usize)> = std::collections::HashMap::new();
    for m in items {
        if let (Some(s), Some(r)) = (m.status, m.status_rank) {
            let fam = Kind::ALL.iter().position(|k| *k == m.kind).unwrap_or(usize::MAX);
            let e = at.entry(s).or_insert((fam, r));
            *e = (*e).min((fam, r));
        }
    }
    move |s: &str| at.get(s).copied().unwrap_or((usize::MAX, usize::MAX))
}

/// Natural ID order: prefix, then number, then the text.
pub(crate) fn id_order(a: &Meta, b: &Meta) -> Ordering {
    // Compared a byte at a time, case folded, without allocating: sorting
    // 100k documents makes about two million of these comparisons.
    fn folded(m: &Meta) -> impl Iterator<Item = u8> + '_ {
        let p = m.id.trim_end_matches(|c: char| c.is_ascii_digit());
        p.bytes().map(|c| c.to_ascii_lowercase())
    }
    folded(a)
        .cmp(folded(b))
        .then(a.number.cmp(&b.number))
        .then_with(|| a.id.cmp(&b.id))
        .then_with(|| a.path.cmp(&b.path))
}

pub(crate) fn compare(key: SortKey, a: &Meta, b: &Meta) -> Ordering {
    match key {
        SortKey::Priority => priority_rank(a.priority)
            .cmp(&priority_rank(b.priority))
            .then_with(|| id_order(a, b)),
        SortKey::Id => id_order(a, b),
        SortKey::Status => status_rank(a).cmp(&status_rank(b)).then_with(|| id_order(a, b)),
        // Newest first by the parsed date, whatever form it was written in;
        // then a created value that is not a date; then none.
        SortKey::Created => {
            let rank = |m: &Meta| (m.created_at.is_none(), m.created.is_none());
            rank(a)
                .cmp(&rank(b))
                .then_with(|| b.created_at.cmp(&a.created_at))
                .then_with(|| id_order(a, b))
        }
        SortKey::Title => a
            .title
            .to_lowercase()
            .cmp(&b.title.to_lowercase())
            .then_with(|| id_order(a, b)),
    }
}

/// Filter, search and sort: the indices of matching items, in order. With a
/// query, better fuzzy matches come first ([`Fuzzy::rank`]: every term as
/// typed, then scattered letters; ties by `sort`).
pub fn select(items: &[Meta], filter: &Filter, query: &str, sort: SortKey) -> Vec<usize> {
    let mut fuzzy = Fuzzy::new(query);
    let hits: Vec<(u32, usize)> = items
        .iter()
        .enumerate()
        .filter(|(_, m)| filter.matches(m))
        .filter_map(|(i, m)| match &mut fuzzy {
            Some(f) => f.rank(&haystack(m)).map(|s| (s, i)),
            None => Some((0, i)),
        })
        .collect();
    // On every core, each document's leading sort key worked out once
    // rather than in each of the two million comparisons at 100k; ties
    // (only between equal documents) keep their order, as a stable sort
    // would.
    let mut keyed: Vec<(u32, Lead, usize)> = hits
        .into_iter()
        .map(|(s, i)| (s, Lead::of(sort, &items[i]), i))
        .collect();
    keyed.par_sort_unstable_by(|(sa, la, a), (sb, lb, b)| {
        sb.cmp(sa)
            .then_with(|| la.cmp(lb))
            .then_with(|| compare(sort, &items[*a], &items[*b]))
            .then(a.cmp(b))
    });
    keyed.into_iter().map(|(_, _, i)| i).collect()
}

/// The start of a document's place in the `Priority` and `Id` orders,
/// cheap to compare: its priority's rank (`Priority` only), the first
/// eight bytes of its ID's prefix case folded, and (when those are the
/// whole prefix) its ID's number. Where two leads differ, [`compare`]
/// orders the documents the same way; where they are equal, it decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Lead {
    rank: u8,
    prefix: u64,
    /// The prefix is whole in `prefix` (at most 8 bytes, none of them 0):
    /// equal prefixes mean equal folded prefixes, so the numbers decide next.
    whole: bool,
    number: Option<u64>,
}

impl Lead {
    fn of(sort: SortKey, m: &Meta) -> Lead {
        let rank = match sort {
            SortKey::Priority => priority_rank(m.priority),
            SortKey::Id => 0,
            // Every document leads alike: `compare` decides.
            _ => {
                return Lead {
                    rank: 0,
                    prefix: 0,
                    whole: false,
                    number: None,
                }
            }
        };
        let p = m.id.trim_end_matches(|c: char| c.is_ascii_digit()).as_bytes();
        let mut bytes = [0u8; 8];
        for (b, c) in bytes.iter_mut().zip(p) {
            *b = c.to_ascii_lowercase();
        }
        Lead {
            rank,
            prefix: u64::from_be_bytes(bytes),
            whole: p.len() <= 8 && !p.contains(&0),
            number: m.number,
        }
    }

    fn cmp(&self, other: &Lead) -> Ordering {
        self.rank
            .cmp(&other.rank)
            .then(self.prefix.cmp(&other.prefix))
            .then_with(|| match self.whole && other.whole {
                true => self.number.cmp(&other.number),
                false => Ordering::Equal,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;

    /// The keyed parallel sort gives the order of a plain stable sort by
    /// `compare`, whatever the IDs: long prefixes, case, NUL bytes,
    /// numbers shared, none, the same ID twice.
    #[test]
    fn keyed_sort_is_the_plain_sort() {
        let ids = [
            "030",
            "30",
            "0030",
            "DATA-001",
            "data-1",
            "Data-2",
            "ADR-0105",
            "adr-105",
            "LONGPREFIX-1",
            "LONGPREFIX-2",
            "longprefiy-0",
            "LONGPREFIX",
            "x\u{0}-1",
            "x-1",
            "x",
            "",
            "UX-999",
            "ux-1000",
            "ÉTÉ-3",
            "été-3",
        ];
        let mut items = Vec::new();
        for (n, id) in ids.iter().enumerate() {
            for p in ["p1", "p3", "P2", "high"] {
                let path = format!("findings/{n:02}-{p}.md");
                let text = format!("---\nid: \"{id}\"\nstatus: open\npriority: {p}\n---\n# T {n}\n");
                items.push(Document::parse(&path, text).meta);
            }
        }
        items.push(items[0].clone());
        for sort in [
            SortKey::Priority,
            SortKey::Id,
            SortKey::Status,
            SortKey::Created,
            SortKey::Title,
        ] {
            let mut plain: Vec<usize> = (0..items.len()).collect();
            plain.sort_by(|a, b| compare(sort, &items[*a], &items[*b]));
            assert_eq!(select(&items, &Filter::default(), "", sort), plain, "{sort:?}");
        }
    }

    fn m(path: &str, text: &str) -> Meta {
        Document::parse(path, text.into()).meta
    }

    #[test]
    fn facets_or_within_and_across() {
        let items = vec![
            m(
                "findings/030-pending-p1-a.md",
                "---\nstatus: pending\npriority: p1\nissue_id: \"030\"\ntags: [race]\n---\n# Race A\n",
            ),
            m(
                "findings/031-ready-p2-b.md",
                "---\nstatus: ready\npriority: p2\nissue_id: \"031\"\n---\n# B\n",
            ),
            m(
                "findings/DATA-001-open-P2-c.md",
                "---\nid: DATA-001\nstatus: open\npriority: P2\n---\n# Race C\n",
            ),
        ];
        let f = Filter {
            statuses: vec!["pending".into(), "ready".into()],
            ..Default::default()
        };
        assert_eq!(select(&items, &f, "", SortKey::Id), [0, 1]);
        let f = Filter {
            priorities: vec!["P2".into()],
            kinds: vec![Kind::Finding],
            ..Default::default()
        };
        assert_eq!(select(&items, &f, "", SortKey::Id), [2]);
        assert_eq!(select(&items, &Filter::default(), "race", SortKey::Id).len(), 2);
        assert_eq!(select(&items, &Filter::default(), "!race", SortKey::Id), [1]);
        assert_eq!(select(&items, &Filter::default(), "^DATA", SortKey::Id), [2]);
        assert_eq!(select(&items, &Filter::default(), "^data", SortKey::Id), [2]);
        let f = Filter {
            statuses: vec!["completed".into()],
            ..Default::default()
        };
        assert!(select(&items, &f, "", SortKey::Id).is_empty());
    }

    mod literal {
        use super::super::Fuzzy;
        use proptest::prelude::*;

        /// Texts and queries over a few letters in both cases, the query
        /// markers, spaces and non-ASCII letters (`é` normalizes to `e`;
        /// the Kelvin sign lower-cases to `k`).
        fn text(max: usize) -> impl Strategy<Value = String> {
            prop::collection::vec(
                prop::sample::select(vec!['a', 'b', 'c', 'k', 'A', 'B', 'K', ' ', '-', 'é', 'É', '\u{212a}']),
                0..max,
            )
            .prop_map(|v| v.into_iter().collect())
        }

        fn query() -> impl Strategy<Value = String> {
            prop::collection::vec(
                prop::sample::select(vec!['a', 'b', 'c', 'k', 'A', 'C', 'é', ' ', '!', '^', '$', '\'']),
                1..7,
            )
            .prop_map(|v| v.into_iter().collect())
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]

            /// The shortcuts of the literal band never change a rank.
            #[test]
            fn rank_equals_the_plain_rank(q in query(), texts in prop::collection::vec(text(24), 1..8)) {
                let Some(mut f) = Fuzzy::new(&q) else {
                    return Ok(());
                };
                for t in &texts {
                    prop_assert_eq!(f.rank(t), f.rank_plainly(t), "{:?} in {:?}", q, t);
                }
            }
        }

        /// Every title made of a few words (camelCase, digits, delimiters,
        /// either case) against every query of two to six of their letters
        /// in a row or scattered: the floor below which `rank` does not
        /// look for the terms never changes a rank (and does pass over
        /// some scattered matches).
        #[test]
        fn the_literal_floor_never_hides_a_literal_match() {
            let words = [
                "Race",
                "condition",
                "raceCond",
                "n+1",
                "SEC-00012",
                "re_try",
                "cond",
                "a.rc",
            ];
            let mut texts = Vec::new();
            for a in words {
                for b in words {
                    for c in words {
                        texts.push(format!("{a} {b}-{c}"));
                        texts.push(format!("{a}{b}/{c}"));
                    }
                }
            }
            let queries = [
                "rc",
                "ra",
                "rac",
                "racond",
                "cond",
                "con",
                "rcd",
                "Rc",
                "RaC",
                "sec",
                "n1",
                "12",
                "rond",
                "race cond",
                "c r",
                "tryc",
                "'race co",
                "^sec rc",
                "race !cond",
                "eco",
            ];
            let (mut skipped, mut scattered) = (0, 0);
            for q in queries {
                let mut f = Fuzzy::new(q).unwrap();
                for t in &texts {
                    let rank = f.rank(t);
                    assert_eq!(rank, f.rank_plainly(t), "{q:?} in {t:?}");
                    if rank.is_some_and(|r| r < super::super::LITERAL) {
                        scattered += 1;
                        if f.score(t).is_some_and(|s| s < f.floor) {
                            skipped += 1;
                        }
                    }
                }
            }
            assert!(skipped > 0, "none of {scattered} scattered matches passed over");
        }

        #[test]
        fn single_letters_and_markers_are_literal_without_a_second_look() {
            let mut f = Fuzzy::new("r ^SEC 'cond ken$").unwrap();
            let hay = "SEC-00001 Race condition token";
            assert!(f.rank(hay).unwrap() >= super::super::LITERAL);
            assert_eq!(f.rank(hay), f.rank_plainly(hay));
            // Scattered letters are not.
            let mut f = Fuzzy::new("rcn").unwrap();
            assert!(f.rank(hay).unwrap() < super::super::LITERAL);
        }
    }

    #[test]
    fn configured_statuses_sort_in_their_workflow_order() {
        let mut w = crate::workflow::Workflows::default();
        w.todo.statuses = ["pending", "ready", "in_review", "complete", "wontfix"]
            .map(String::from)
            .to_vec();
        let doc = |id: &str, status: &str| {
            let t = format!("---\nstatus: {status}\nissue_id: \"{id}\"\n---\n# T\n");
            Document::parse_with(&format!("todos/{id}-x.md"), t, &w).meta
        };
        let items = vec![
            doc("001", "complete"),
            doc("002", "In Review"),
            doc("003", "pending"),
            doc("004", "mystery"),
            doc("005", "ready"),
        ];
        let order: Vec<&str> = select(&items, &Filter::default(), "", SortKey::Status)
            .into_iter()
            .map(|i| items[i].status_label())
            .collect();
        assert_eq!(order, ["pending", "ready", "in_review", "complete", "mystery"]);
        // Menus and facets: the same order, families in turn.
        let mut values = vec!["complete", "in_review", "open", "pending", "mystery"];
        let mut items = items;
        items.push(m(
            "findings/X-1.md",
            "---\nid: X-1\nseverity: low\nstatus: open\n---\n# F\n",
        ));
        let key = status_order(&items);
        values.sort_by_key(|v| key(v));
        assert_eq!(values, ["pending", "in_review", "complete", "open", "mystery"]);
        let f = Filter {
            statuses: vec!["In Review".into()],
            ..Default::default()
        };
        let r = doc("040", "in_review");
        assert!(f.matches(&r), "a configured status in any spelling");
        assert!(!f.matches(&doc("041", "ready")));
    }
}
