//! nucleo-matcher's score of one fuzzy term in an ASCII text, computed in
//! one pass over the text that looks only at the characters of the term.
//!
//! nucleo (0.3, `Config::DEFAULT`) scores a fuzzy term with a full matrix:
//! a row per term character, a column per text character between the first
//! possible start and the last possible end, each cell a few branches, and
//! the class and bonus of every column worked out again for each text. The
//! score it finds is a maximum over the places the term's characters occur,
//! so the cells where the text character is not the row's character only
//! carry the best score along, less a gap penalty of one a column. That
//! penalty is linear, so the best a row can pass on to column `c` is
//! `max(cell score + cell column) - c - 1` over its earlier cells: one
//! running maximum per row. This scorer keeps that maximum and the row's
//! last cell (a cell directly before may be continued instead), and does
//! the work only at the columns holding a character of the term, a few per
//! title instead of the whole matrix.
//!
//! The result is nucleo's score exactly (the same rules: match score,
//! first-character bonus doubled, boundary and camelCase bonuses,
//! consecutive bonus carried along a run, gap start and extension
//! penalties, saturating at zero, ties going to the gap), proven by a
//! proptest against `nucleo_matcher` in this module's tests. It is used
//! only where nucleo scores with its matrix: texts of at most
//! [`MAX_TEXT`] bytes and terms of at most [`MAX_TERM`]; past that nucleo
//! may fall back to a greedy match, so the caller asks nucleo.

use nucleo_matcher::Utf32Str;

/// The longest text this scorer is used for (nucleo's matrix holds 100 KB
/// of cells; `MAX_TEXT * MAX_TERM` stays well inside).
pub(crate) const MAX_TEXT: usize = 1024;
/// The longest term: one bit per character in a `u32`.
pub(crate) const MAX_TERM: usize = 32;

/// nucleo's scoring constants (`score.rs`, `config.rs` of nucleo-matcher
/// 0.3 with `Config::DEFAULT`).
const SCORE_MATCH: u16 = 16;
const GAP_START: i32 = 3;
const BOUNDARY: u8 = 8;
const BOUNDARY_WHITE: u8 = BOUNDARY + 2;
const BOUNDARY_DELIMITER: u8 = BOUNDARY + 1;
const CAMEL: u8 = BOUNDARY - 3;
const NON_WORD: u8 = BOUNDARY;
const CONSECUTIVE: u8 = 4;
const FIRST_CHAR_TIMES: u16 = 2;

/// Character classes, in nucleo's order (a class above `DELIMITER` is a
/// word character).
const WHITESPACE: u8 = 0;
const NONWORD: u8 = 1;
const DELIMITER: u8 = 2;
const LOWER: u8 = 3;
const UPPER: u8 = 4;
const NUMBER: u8 = 6;

const fn class_of(b: u8) -> u8 {
    match b {
        b'a'..=b'z' => LOWER,
        b'A'..=b'Z' => UPPER,
        b'0'..=b'9' => NUMBER,
        b' ' | b'\t' | b'\n' | 0x0c | b'\r' => WHITESPACE,
        b'/' | b',' | b':' | b';' | b'|' => DELIMITER,
        _ => NONWORD,
    }
}

/// The bonus of a character of class `class` after one of class `prev`.
const fn bonus_of(prev: u8, class: u8) -> u8 {
    if class > DELIMITER {
        match prev {
            WHITESPACE => return BOUNDARY_WHITE,
            DELIMITER => return BOUNDARY_DELIMITER,
            NONWORD => return BOUNDARY,
            _ => {}
        }
    }
    if (prev == LOWER && class == UPPER) || (prev != NUMBER && class == NUMBER) {
        CAMEL
    } else if class == WHITESPACE {
        BOUNDARY_WHITE
    } else if class == NONWORD {
        NON_WORD
    } else {
        0
    }
}

/// The class of every byte (non-ASCII bytes never reach this scorer).
const CLASS: [u8; 256] = {
    let mut t = [NONWORD; 256];
    let mut b = 0;
    while b < 128 {
        t[b] = class_of(b as u8);
        b += 1;
    }
    t
};

/// `BONUS[prev * 8 + class]`.
const BONUS: [u8; 64] = {
    let mut t = [0; 64];
    let mut p = 0;
    while p < 8 {
        let mut c = 0;
        while c < 8 {
            t[p * 8 + c] = bonus_of(p as u8, c as u8);
            c += 1;
        }
        p += 1;
    }
    t
};

/// The bonus of the character at `c` of `text` (after the one before it,
/// or after white space at the start).
fn bonus_at(text: &[u8], c: usize) -> u8 {
    let prev = match c.checked_sub(1) {
        Some(p) => CLASS[usize::from(text[p])],
        None => WHITESPACE,
    };
    BONUS[usize::from(prev * 8 + CLASS[usize::from(text[c])])]
}

/// A cell of the matrix that holds a match: its score, the bonus a run
/// through it carries on, and whether the term's characters up to its row
/// lie in one piece ending here (the term as typed, when on the last row).
#[derive(Clone, Copy)]
struct Cell {
    at: i32,
    score: u16,
    carry: u8,
    typed: bool,
}

const NONE: Cell = Cell {
    at: -2,
    score: 0,
    carry: 0,
    typed: false,
};

/// One fuzzy term, ready to score ASCII texts.
#[derive(Debug, Clone)]
pub(crate) struct Term {
    len: usize,
    /// `rows[b]`: the term's places that text byte `b` matches (a bit
    /// each; with case ignored, an upper-case byte matches as its lower
    /// case).
    rows: [u32; 256],
    /// `any[b]`: 1 when text byte `b` matches some place of the term.
    any: [u8; 256],
    /// The first and last characters of the term, and their other case
    /// when case is ignored (else the same byte), for `memchr2`.
    first: (u8, u8),
    last: (u8, u8),
}

impl Term {
    /// The term of nucleo's fuzzy atom `needle` (as nucleo keeps it: lower
    /// case when case is ignored), `None` when this scorer does not take
    /// it: kept as Unicode (nucleo matches no ASCII text with such a
    /// needle, even one whose characters are ASCII), empty or longer than
    /// [`MAX_TERM`]. Case is ignored when the needle holds no upper-case
    /// letter (nucleo's smart case; with case ignored throughout, nucleo
    /// has lowered the needle).
    pub(crate) fn new(needle: Utf32Str<'_>) -> Option<Term> {
        let Utf32Str::Ascii(needle) = needle else {
            return None;
        };
        let (&first, &last) = (needle.first()?, needle.last()?);
        if needle.len() > MAX_TERM {
            return None;
        }
        let ignore_case = !needle.iter().any(u8::is_ascii_uppercase);
        let other = |b: u8| if ignore_case { b.to_ascii_uppercase() } else { b };
        let mut rows = [0u32; 256];
        for (j, &c) in needle.iter().enumerate() {
            rows[usize::from(c)] |= 1 << j;
            rows[usize::from(other(c))] |= 1 << j;
        }
        let mut any = [0u8; 256];
        for (a, r) in any.iter_mut().zip(&rows) {
            *a = u8::from(*r != 0);
        }
        Some(Term {
            len: needle.len(),
            rows,
            any,
            first: (first, other(first)),
            last: (last, other(last)),
        })
    }

    /// nucleo's score of this term in `text` (ASCII, at most [`MAX_TEXT`]
    /// bytes: the caller checks), `None` when it does not match; and
    /// whether the text holds the term as typed, in one piece (ignoring
    /// ASCII case when the term's case is ignored), found on the way.
    pub(crate) fn score(&self, text: &[u8]) -> Option<(u16, bool)> {
        let m = self.len;
        if m > text.len() {
            return None;
        }
        if m == 1 {
            // The best bonus of any occurrence; none beats a word start
            // after white space.
            let mut best: Option<u8> = None;
            for c in memchr::memchr2_iter(self.first.0, self.first.1, text) {
                let b = bonus_at(text, c);
                best = Some(best.map_or(b, |x| x.max(b)));
                if b >= BOUNDARY_WHITE {
                    break;
                }
            }
            return best.map(|b| (SCORE_MATCH + FIRST_CHAR_TIMES * u16::from(b), true));
        }
        // Cells lie between the first character's first occurrence and the
        // last one's last.
        let start = memchr::memchr2(self.first.0, self.first.1, &text[..=text.len() - m])?;
        let end = start + m - 1 + memchr::memrchr2(self.last.0, self.last.1, &text[start + m - 1..])?;
        // The rows' state on the stack, no larger than most terms need.
        if m <= 8 {
            self.cells::<8>(text, start, end)
        } else {
            self.cells::<MAX_TERM>(text, start, end)
        }
    }

    /// The matrix's cells between `start` and `end` (inclusive), for a term
    /// of at most `R` characters.
    fn cells<const R: usize>(&self, text: &[u8], start: usize, end: usize) -> Option<(u16, bool)> {
        let last_row = 1u32 << (self.len - 1);
        // Per row: its last cell, the best `score + column` of the cells
        // before that one (`i32::MIN` when none), and whether it has any.
        let mut last = [NONE; R];
        let mut best = [i32::MIN; R];
        let mut started = 0u32;
        // The best score of the last row so far; 0 for none (a cell
        // scores at least `SCORE_MATCH`).
        let mut top = 0u16;
        let mut typed = false;
        // The columns holding a character of the term, 64 at a time as the
        // bits of a word (found without a branch per byte), then each of
        // them in turn.
        for (k, block) in text[start..=end].chunks(64).enumerate() {
            let mut bits = block
                .iter()
                .enumerate()
                .fold(0u64, |w, (i, &b)| w | u64::from(self.any[usize::from(b)]) << i);
            while bits != 0 {
                let c = start + k * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                // Row `j` has cells only after the first cell of row `j - 1`.
                let mut rows = self.rows[usize::from(text[c])] & ((started << 1) | 1);
                let bonus = bonus_at(text, c);
                let c = c as i32;
                // Higher rows first: each reads the row below as it was
                // before this column.
                while rows != 0 {
                    let j = 31 - rows.leading_zeros() as usize;
                    rows &= !(1 << j);
                    let cell = if j == 0 {
                        Cell {
                            at: c,
                            score: SCORE_MATCH + FIRST_CHAR_TIMES * u16::from(bonus),
                            carry: bonus,
                            typed: true,
                        }
                    } else {
                        let below = last[j - 1];
                        let (run, gap) = if below.at == c - 1 {
                            (Some(below), best[j - 1])
                        } else {
                            (None, best[j - 1].max(i32::from(below.score) + below.at))
                        };
                        // The best score of row `j - 1` carried to column
                        // `c - 1` through a gap: from a cell at `k`, a
                        // start penalty, then one for each column
                        // `k + 2 ..= c - 1`; never below zero.
                        let gap = gap.saturating_sub(GAP_START).saturating_sub(c - 2);
                        let gap = u16::try_from(gap.max(0)).unwrap_or(u16::MAX);
                        Cell {
                            typed: run.is_some_and(|r| r.typed),
                            ..next_cell(c, gap, bonus, run)
                        }
                    };
                    if last[j].at >= 0 {
                        best[j] = best[j].max(i32::from(last[j].score) + last[j].at);
                    }
                    last[j] = cell;
                    started |= 1 << j;
                    if (1 << j) == last_row {
                        top = top.max(cell.score);
                        typed |= cell.typed;
                    }
                }
            }
        }
        (top > 0).then_some((top, typed))
    }
}

/// The cell at column `c` of a row after the first: the row below's best
/// through a gap (`gap`) or, when the row below has a cell at `c - 1`
/// (`run`), continuing that run, whichever scores more (the gap on a tie).
fn next_cell(c: i32, gap: u16, bonus: u8, run: Option<Cell>) -> Cell {
    let through_gap = Cell {
        at: c,
        score: gap + u16::from(bonus) + SCORE_MATCH,
        carry: bonus,
        typed: false,
    };
    let Some(run) = run else {
        return through_gap;
    };
    let mut carry = run.carry.max(CONSECUTIVE);
    if bonus >= BOUNDARY && bonus > carry {
        carry = bonus;
    }
    let continued = run.score + u16::from(carry.max(bonus));
    if continued > gap + u16::from(bonus) {
        Cell {
            at: c,
            score: continued + SCORE_MATCH,
            carry,
            typed: false,
        }
    } else {
        through_gap
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nucleo_matcher::pattern::{Atom, AtomKind, CaseMatching, Normalization};
    use nucleo_matcher::{Config, Matcher};
    use proptest::prelude::*;

    /// A fuzzy term as the list's query builds it (smart case).
    fn atom(needle: &str) -> Atom {
        Atom::new(
            needle,
            CaseMatching::Smart,
            Normalization::Smart,
            AtomKind::Fuzzy,
            false,
        )
    }

    fn nucleo(m: &mut Matcher, needle: &str, text: &str) -> Option<u16> {
        atom(needle).score(Utf32Str::Ascii(text.as_bytes()), m)
    }

    /// Our score, checked on the way that the text holds the term as typed
    /// exactly when the scorer says so.
    fn ours(needle: &str, text: &str) -> Option<u16> {
        let atom = atom(needle);
        let (score, typed) = Term::new(atom.needle_text())?.score(text.as_bytes())?;
        let holds = if needle.bytes().any(|b| b.is_ascii_uppercase()) {
            text.contains(needle)
        } else {
            text.to_ascii_lowercase().contains(needle)
        };
        assert_eq!(typed, holds, "{needle:?} as typed in {text:?}");
        Some(score)
    }

    /// Texts over letters of both cases, digits and every class of
    /// separator (space, tab, delimiters, other punctuation), so that runs,
    /// gaps, camelCase and boundaries all occur.
    fn text(chars: &'static str, max: usize) -> impl Strategy<Value = String> {
        let set: Vec<char> = chars.chars().collect();
        prop::collection::vec(prop::sample::select(set), 0..max).prop_map(|v| v.into_iter().collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        /// The score equals nucleo's for every term and text.
        #[test]
        fn equals_nucleo(
            needle in text("abcABC1 -", 7).prop_filter("a term", |n| !n.trim().is_empty() && !n.contains(' ')),
            hay in text("abcdABCD1 2-_/:.\t", 60),
        ) {
            let mut m = Matcher::new(Config::DEFAULT);
            prop_assert_eq!(ours(&needle, &hay), nucleo(&mut m, &needle, &hay), "{:?} in {:?}", needle, hay);
        }

        /// Longer texts with repeats of few letters: many cells a row.
        #[test]
        fn equals_nucleo_on_long_repetitive_texts(
            needle in text("ab", 12).prop_filter("a term", |n| !n.is_empty()),
            hay in text("aabAB -", 300),
        ) {
            let mut m = Matcher::new(Config::DEFAULT);
            prop_assert_eq!(ours(&needle, &hay), nucleo(&mut m, &needle, &hay), "{:?} in {:?}", needle, hay);
        }
    }

    #[test]
    fn edge_cases_equal_nucleo() {
        let mut m = Matcher::new(Config::DEFAULT);
        let cases = [
            ("a", "a"),
            ("ab", "ab"),
            ("ab", "AB"),
            ("AB", "ab"),
            ("ab", "a b"),
            ("abc", "xaxbxcx"),
            ("race", "Race condition"),
            ("racond", "SEC-00012 Race condition token refresh"),
            ("rc", "fooBar raceCond/rc"),
            ("12", "n+1 v12 1-2"),
            ("aaa", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
            ("ab", ""),
            ("a", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb a"),
        ];
        for (n, h) in cases {
            assert_eq!(ours(n, h), nucleo(&mut m, n, h), "{n:?} in {h:?}");
        }
        let long = "x".repeat(MAX_TEXT - 2) + "ab";
        assert_eq!(ours("ab", &long), nucleo(&mut m, "ab", &long));
        let term = "a".repeat(MAX_TERM);
        let hay = "a ".repeat(MAX_TERM * 3);
        assert_eq!(ours(&term, &hay), nucleo(&mut m, &term, &hay));
    }
}
