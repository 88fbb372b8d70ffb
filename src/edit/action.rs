//! Recommended Action: the decision options a document offers
//! (`### Option A: Title (Recommended)`, `### Option 1 - Title`, `### 1. Title`
//! under Proposed Solutions / Considered Options / Decision), matching a
//! triage `--action` against them and against accepted ADRs' options, and
//! writing the chosen text into the `## Recommended Action` section.
//!
//! A match is "clear" only when one option stands out. Labels (`A`,
//! `option b`, `2`) match exactly. Titles are ranked in tiers: the whole
//! title, then every query word as a word (or word prefix) of the title's
//! main part (parenthesised asides such as "(when upsert not possible)"
//! left out), then of the whole title, then as substrings, then a nucleo
//! fuzzy match of short queries above a quality bar. The best tier wins;
//! the document's own options win a tie with ADR options; within a tier a
//! single option marked "(Recommended)" / "(preferred)" wins, anything
//! else is ambiguous. A leading ADR reference (`ADR-0105 A`) restricts the
//! search to that ADR.

use super::{
    blank_after_heading, eol, fill_empty_section, is_blank, last_nonblank, own_content_end, paragraph_after,
    relative_link, Edit,
};
use crate::document::sections::{self, normalize_title, Section};
use crate::document::Document;
use crate::query::Fuzzy;
use std::ops::Range;

/// One option heading of a document.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DecisionOption {
    /// `A`, `B`, `1`, … (letters upper-cased).
    pub label: String,
    /// The title as written after the label ("Prisma upsert (preferred)").
    pub title: String,
    /// The heading line (with its line ending).
    pub heading: Range<usize>,
    pub level: usize,
}

impl DecisionOption {
    /// The option marks itself as the recommended or preferred one.
    pub fn preferred(&self) -> bool {
        let t = self.title.to_lowercase();
        ["recommended", "preferred", "chosen", "selected", "✅"]
            .iter()
            .any(|w| t.contains(w))
    }

    /// `Option A: Prisma upsert (preferred)`.
    pub fn display(&self) -> String {
        if self.title.is_empty() {
            format!("Option {}", self.label)
        } else {
            format!("Option {}: {}", self.label, self.title)
        }
    }
}

/// An ADR whose options a document may adopt.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AdrRef {
    /// `ADR-0105`.
    pub id: String,
    pub title: String,
    /// Repository-relative path.
    pub path: String,
}

impl AdrRef {
    pub fn of(doc: &Document) -> AdrRef {
        AdrRef {
            id: doc.meta.id.clone(),
            title: doc.meta.title.clone(),
            path: doc.meta.path.clone(),
        }
    }
}

/// One possible target of an `--action`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// `None` for the document's own option.
    pub adr: Option<AdrRef>,
    pub option: DecisionOption,
}

/// An ADR and its options.
pub type AdrOptions = (AdrRef, Vec<DecisionOption>);

/// The outcome of matching an `--action`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionMatch {
    Own(DecisionOption),
    Adr(AdrRef, DecisionOption),
    Ambiguous(Vec<Candidate>),
    None,
}

/// Section titles that hold decision options.
const PARENTS: &[&str] = &[
    "proposed solutions",
    "proposed solution",
    "possible solutions",
    "solutions",
    "solution options",
    "options",
    "considered options",
    "options considered",
    "options evaluated",
    "evaluated options",
    "decision",
    "decision outcome",
    "alternatives",
    "alternatives considered",
    "considered alternatives",
    "alternatives evaluated",
    "pros and cons of the options",
];

fn is_parent(s: &Section) -> bool {
    PARENTS.contains(&normalize_title(&s.title).to_lowercase().as_str())
}

/// The document's decision options, in order: option headings (`### Option
/// A: T`, `### A — T`, `### Option 1 – T`, and under an options section
/// `#### 1. T`), else the top-level bullets of a MADR "Considered Options"
/// list (labelled as they say, `A: T`, else by position: `A`, `B`, … for
/// `*`/`-` bullets, their number for `1.` items).
pub fn options(doc: &Document) -> Vec<DecisionOption> {
    let mut out = Vec::new();
    for (i, s) in doc.sections.iter().enumerate() {
        if s.level < 2 {
            continue;
        }
        // Right under an options section, or deeper under one that names
        // options (`## Considered Options` > `### Group` > `#### 1. T`; not
        // the numbered points of a Decision's sub-section).
        let mut under = false;
        let mut child = s;
        let mut depth = 0;
        for p in doc.sections[..i].iter().rev() {
            if p.level < child.level && p.content.start <= child.heading.start && child.heading.start < p.content.end {
                if is_parent(p) && (depth == 0 || names_options(p)) {
                    under = true;
                    break;
                }
                child = p;
                depth += 1;
            }
        }
        if let Some((label, title)) = parse_heading(&s.title, under) {
            out.push(DecisionOption {
                label,
                title,
                heading: s.heading.clone(),
                level: s.level,
            });
        }
    }
    if out.is_empty() {
        // Bullets count under a section that names options, not under a
        // Decision (its bullets are the decision's points).
        if let Some(sec) = doc
            .sections
            .iter()
            .find(|s| s.level >= 2 && is_parent(s) && names_options(s))
        {
            out = bullet_options(doc, sec);
        }
    }
    out
}

/// The section's title speaks of options, alternatives or solutions.
fn names_options(s: &Section) -> bool {
    let t = normalize_title(&s.title).to_lowercase();
    ["option", "alternative", "solution"].iter().any(|w| t.contains(w))
}

/// The top-level list items of a section's own text, as options.
fn bullet_options(doc: &Document, sec: &Section) -> Vec<DecisionOption> {
    let t = &doc.text;
    let all: Vec<_> = crate::document::text::lines(t, sec.content.start..own_content_end(doc, sec)).collect();
    let mut out = Vec::new();
    for l in &all {
        let line = &t[l.content.clone()];
        if doc.code.contains(l.full.start) || line.starts_with([' ', '\t']) {
            continue;
        }
        let (ordinal, item) = if let Some(rest) = line.strip_prefix(['*', '-', '+']) {
            (None, rest)
        } else {
            let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            match line.get(digits..) {
                Some(rest) if digits > 0 && digits <= 3 && rest.starts_with(['.', ')']) => {
                    (Some(&line[..digits]), &rest[1..])
                }
                _ => continue,
            }
        };
        if !item.starts_with([' ', '\t']) || item.trim().is_empty() || item.trim_start().starts_with("[ ]") {
            continue;
        }
        let item = item.trim();
        let (label, title) = match parse_heading(item, true) {
            Some(lt) => lt,
            None => {
                let n = out.len();
                let label = match ordinal {
                    Some(d) => d.trim_start_matches('0').to_string(),
                    None if n < 26 => char::from(b'A' + n as u8).to_string(),
                    None => (n + 1).to_string(),
                };
                (label, item.to_string())
            }
        };
        out.push(DecisionOption {
            label,
            title,
            heading: l.full.clone(),
            level: sec.level + 1,
        });
    }
    out
}

/// `Option A: T`, `Option 1 - T`, and (under an options section) `1. T`,
/// `B) T`, `A — T` → (label, title).
pub fn parse_heading(title: &str, under_options: bool) -> Option<(String, String)> {
    let t = title
        .trim()
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .trim_end_matches(['*', '_', ' ']);
    let is_sep = |c: char| matches!(c, ':' | '-' | '—' | '–' | '.' | ')' | ' ' | '\t');
    let label_ok = |l: &str| {
        (l.chars().count() == 1 && l.chars().all(|c| c.is_ascii_alphabetic()))
            || (!l.is_empty() && l.len() <= 3 && l.bytes().all(|b| b.is_ascii_digit()))
    };
    let word = t.get(..6).filter(|w| w.eq_ignore_ascii_case("option"));
    if word.is_some() {
        let rest = t.get(6..)?;
        if !rest.starts_with([' ', '\t']) {
            return None;
        }
        let rest = rest.trim_start().trim_start_matches('#');
        let end = rest.find(|c: char| !c.is_alphanumeric()).unwrap_or(rest.len());
        let label = &rest[..end];
        let after = &rest[end..];
        if !label_ok(label) || !(after.is_empty() || after.starts_with(is_sep)) {
            return None;
        }
        let title = after.trim_start_matches(is_sep).trim();
        return Some((label.to_ascii_uppercase(), title.to_string()));
    }
    if !under_options {
        return None;
    }
    let end = t.find(|c: char| !c.is_alphanumeric()).unwrap_or(t.len());
    let label = &t[..end];
    let after = &t[end..];
    // `1. T`, `B) T`, `A: T` (the mark right after the label), or a dash
    // with spaces around it (`A — T`, `2 - T`).
    let dashed = after.trim_start_matches([' ', '\t']);
    let (mark, rest) = if after.starts_with(['.', ')', ':']) {
        (true, &after[1..])
    } else if after.starts_with([' ', '\t']) && dashed.starts_with(['—', '–', '-']) {
        let len = dashed.chars().next().map(char::len_utf8).unwrap_or(1);
        (true, &dashed[len..])
    } else {
        (false, after)
    };
    let spaced = rest.starts_with([' ', '\t']);
    let upper = label.chars().all(|c| !c.is_ascii_lowercase());
    if !label_ok(label) || !mark || !spaced || !upper {
        return None;
    }
    Some((label.to_ascii_uppercase(), rest.trim().to_string()))
}

// ------------------------------------------------------------- matching

fn norm(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The title without parenthesised or bracketed asides.
fn main_part(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut depth = 0usize;
    for c in title.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// `A`, `option b`, `Opt. 2`, `#3`, `(B)` → the label.
fn as_label(q: &str) -> Option<String> {
    let l = q.trim().to_lowercase();
    let rest = ["option", "opt.", "opt"]
        .iter()
        .find_map(|w| {
            l.strip_prefix(w)
                .filter(|r| r.is_empty() || r.starts_with([' ', '#', '.']))
        })
        .unwrap_or(&l);
    let rest = rest
        .trim()
        .trim_start_matches(['#', '(', '.'])
        .trim_end_matches([':', '.', ')'])
        .trim();
    let single_letter = rest.chars().count() == 1 && rest.chars().all(|c| c.is_ascii_alphabetic());
    let number = !rest.is_empty() && rest.len() <= 3 && rest.bytes().all(|b| b.is_ascii_digit());
    (single_letter || number).then(|| rest.to_ascii_uppercase())
}

/// A leading `ADR-0105` / `ADR 105` / `adr0105:` reference: its number and
/// the rest of the query.
fn split_adr_ref(q: &str) -> Option<(u64, &str)> {
    let t = q.trim_start();
    t.get(..3).filter(|h| h.eq_ignore_ascii_case("adr"))?;
    let rest = t.get(3..)?.trim_start_matches(['-', '#', ' ', '_']);
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 {
        return None;
    }
    let n = rest.get(..digits)?.parse().ok()?;
    let after = rest.get(digits..)?;
    if !(after.is_empty() || after.starts_with([' ', ':', ',', '/', '-'])) {
        return None;
    }
    Some((n, after.trim_start_matches([' ', ':', ',', '/', '-'])))
}

struct Ranker {
    query: String,
    terms: Vec<String>,
    fuzzy: Option<Fuzzy>,
    bar: u32,
}

impl Ranker {
    fn new(q: &str) -> Ranker {
        let query = norm(q);
        let terms: Vec<String> = query.split_whitespace().map(str::to_string).collect();
        // Fuzzy only for short queries: a sentence is a literal action.
        let short = !terms.is_empty() && terms.len() <= 3 && terms.iter().all(|t| t.chars().count() >= 3);
        let mut fuzzy = if short { Fuzzy::new(&query) } else { None };
        let bar = fuzzy.as_mut().and_then(|f| f.score(&query)).unwrap_or(u32::MAX);
        Ranker {
            query,
            terms,
            fuzzy,
            bar: bar.saturating_mul(7) / 10,
        }
    }

    /// Lower is better; `None` when the option does not match.
    fn tier(&mut self, title: &str) -> Option<u8> {
        if self.terms.is_empty() {
            return None;
        }
        let main = norm(&main_part(title));
        let full = norm(title);
        if self.query == main || self.query == full {
            return Some(1);
        }
        let word_in = |hay: &str, t: &str| {
            hay.split_whitespace()
                .any(|w| w == t || (t.chars().count() >= 2 && w.starts_with(t)))
        };
        if self.terms.iter().all(|t| word_in(&main, t)) {
            return Some(2);
        }
        if self
            .terms
            .iter()
            .all(|t| word_in(&full, t) || main.contains(t.as_str()))
        {
            return Some(3);
        }
        if self.terms.iter().all(|t| full.contains(t.as_str())) {
            return Some(4);
        }
        let bar = self.bar;
        let f = self.fuzzy.as_mut()?;
        f.score(&full).filter(|s| *s >= bar).map(|_| 5)
    }
}

/// Keep the best-tier candidates of a pool: (tier, candidates).
fn best(cands: Vec<(u8, Candidate)>) -> Option<(u8, Vec<Candidate>)> {
    let top = cands.iter().map(|(t, _)| *t).min()?;
    Some((
        top,
        cands.into_iter().filter(|(t, _)| *t == top).map(|(_, c)| c).collect(),
    ))
}

fn decide(mut cands: Vec<Candidate>) -> ActionMatch {
    if cands.len() > 1 {
        let preferred: Vec<&Candidate> = cands.iter().filter(|c| c.option.preferred()).collect();
        if let [one] = preferred.as_slice() {
            let one = (*one).clone();
            cands = vec![one];
        }
    }
    match cands.len() {
        0 => ActionMatch::None,
        1 => match cands.pop() {
            Some(Candidate { adr: Some(a), option }) => ActionMatch::Adr(a, option),
            Some(Candidate { adr: None, option }) => ActionMatch::Own(option),
            None => ActionMatch::None,
        },
        _ => ActionMatch::Ambiguous(cands),
    }
}

/// Match a triage `--action` against the document's own options, then
/// against (accepted) ADRs' options. The caller passes only the ADRs that
/// may be adopted.
pub fn match_action(query: &str, own: &[DecisionOption], adrs: &[AdrOptions]) -> ActionMatch {
    let q = query.trim();
    if q.is_empty() {
        return ActionMatch::None;
    }
    let own_c = |o: &DecisionOption| Candidate {
        adr: None,
        option: o.clone(),
    };
    let adr_c = |a: &AdrRef, o: &DecisionOption| Candidate {
        adr: Some(a.clone()),
        option: o.clone(),
    };
    // `ADR-0105 …`: only that ADR.
    let named = split_adr_ref(q).is_some();
    let (own, adrs, q): (&[DecisionOption], Vec<&AdrOptions>, &str) = match split_adr_ref(q) {
        Some((n, rest)) => {
            let only: Vec<_> = adrs
                .iter()
                .filter(|(a, _)| crate::document::trailing_number(&a.id) == Some(n))
                .collect();
            if only.is_empty() {
                return ActionMatch::None;
            }
            if rest.trim().is_empty() {
                let all = only
                    .iter()
                    .flat_map(|(a, os)| os.iter().map(move |o| adr_c(a, o)))
                    .collect();
                return decide(all);
            }
            (&[], only, rest)
        }
        None => (own, adrs.iter().collect(), q),
    };

    if let Some(label) = as_label(q) {
        let mine: Vec<Candidate> = own.iter().filter(|o| o.label == label).map(own_c).collect();
        if !mine.is_empty() || !named {
            // A bare letter or number names this document's own option,
            // never another ADR's (`ADR-0105 A` does).
            return decide(mine);
        }
        let theirs: Vec<Candidate> = adrs
            .iter()
            .flat_map(|(a, os)| os.iter().filter(|o| o.label == label).map(move |o| adr_c(a, o)))
            .collect();
        return decide(theirs);
    }

    let mut r = Ranker::new(q);
    let mine: Vec<(u8, Candidate)> = own
        .iter()
        .filter_map(|o| r.tier(&o.title).map(|t| (t, own_c(o))))
        .collect();
    // Other ADRs match on meaningful words only: a query of letters,
    // numbers and small words adopts nothing of theirs.
    let meaningful = if named { norm(q) } else { meaningful_words(q) };
    let mut theirs: Vec<(u8, Candidate)> = Vec::new();
    if !meaningful.is_empty() {
        let mut r = Ranker::new(&meaningful);
        for (a, os) in &adrs {
            for o in os {
                if let Some(t) = r.tier(&o.title) {
                    theirs.push((t, adr_c(a, o)));
                }
            }
        }
    }
    match (best(mine), best(theirs)) {
        (Some((tm, m)), Some((ta, _))) if tm <= ta => decide(m),
        (Some(_), Some((_, a))) | (None, Some((_, a))) => decide(a),
        (Some((_, m)), None) => decide(m),
        (None, None) => ActionMatch::None,
    }
}

/// Every option `match_action` chooses from, each with the tier `query`
/// gives it (lower is better: 0 a label, 1 the whole title, 2 every word
/// of the main part, 3 and 4 words or parts of the full title, 5 a fuzzy
/// match; `None`: no match), for showing what `--action` would weigh.
/// `match_action` stays the one that decides.
pub fn rank_options(query: &str, own: &[DecisionOption], adrs: &[AdrOptions]) -> Vec<(Candidate, Option<u8>)> {
    let mut out: Vec<(Candidate, Option<u8>)> = own
        .iter()
        .map(|o| {
            (
                Candidate {
                    adr: None,
                    option: o.clone(),
                },
                None,
            )
        })
        .chain(adrs.iter().flat_map(|(a, os)| {
            os.iter().map(move |o| {
                (
                    Candidate {
                        adr: Some(a.clone()),
                        option: o.clone(),
                    },
                    None,
                )
            })
        }))
        .collect();
    let q = query.trim();
    if q.is_empty() {
        return out;
    }
    let (named, q) = match split_adr_ref(q) {
        Some((n, rest)) => (Some(n), rest),
        None => (None, q),
    };
    let in_scope = |c: &Candidate| match named {
        Some(n) => c
            .adr
            .as_ref()
            .is_some_and(|a| crate::document::trailing_number(&a.id) == Some(n)),
        None => true,
    };
    if named.is_some() && q.trim().is_empty() {
        out.iter_mut()
            .filter(|(c, _)| in_scope(c))
            .for_each(|(_, t)| *t = Some(1));
        return out;
    }
    if let Some(label) = as_label(q) {
        for (c, t) in &mut out {
            if in_scope(c) && c.option.label == label && (c.adr.is_none() || named.is_some()) {
                *t = Some(0);
            }
        }
        return out;
    }
    let mut mine = Ranker::new(q);
    let meaningful = if named.is_some() { norm(q) } else { meaningful_words(q) };
    let mut theirs = (!meaningful.is_empty()).then(|| Ranker::new(&meaningful));
    for (c, t) in &mut out {
        if in_scope(c) {
            *t = match c.adr {
                None => mine.tier(&c.option.title),
                Some(_) => theirs.as_mut().and_then(|r| r.tier(&c.option.title)),
            };
        }
    }
    out
}

/// The words of a query that can identify another ADR's option: no bare
/// letters or numbers, no small function words.
fn meaningful_words(q: &str) -> String {
    const SMALL: &[&str] = &[
        "a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "with", "by", "use", "using", "option", "opt",
        "adr", "is", "it", "be", "as", "at", "we", "our", "this", "that", "from", "into", "via", "per", "not", "no",
        "do", "add",
    ];
    norm(q)
        .split_whitespace()
        .filter(|w| w.chars().count() >= 3 && !w.chars().all(|c| c.is_ascii_digit()) && !SMALL.contains(w))
        .collect::<Vec<_>>()
        .join(" ")
}

fn sentence(s: &str) -> String {
    let s = s.trim();
    if s.ends_with(['.', '!', '?']) {
        s.to_string()
    } else {
        format!("{s}.")
    }
}

/// The text to write as the Recommended Action. `from_path` is the
/// document's repository-relative path (for the ADR link).
pub fn recommended_action_text(m: &ActionMatch, literal: &str, from_path: &str) -> String {
    match m {
        ActionMatch::Own(o) => sentence(&format!("Adopt {}", o.display())),
        ActionMatch::Adr(a, o) => sentence(&format!(
            "Adopt [{}]({}) {}",
            a.id,
            relative_link(from_path, &a.path),
            o.display()
        )),
        ActionMatch::Ambiguous(_) | ActionMatch::None => literal.trim().to_string(),
    }
}

// ------------------------------------------------------------- writing

const RA_TITLE: &str = "recommended action";
const PROPOSED: &[&str] = &[
    "proposed solutions",
    "proposed solution",
    "possible solutions",
    "solutions",
    "solution options",
    "considered options",
    "options",
    "alternatives considered",
];

/// True when the text is a template placeholder rather than a decision.
pub fn is_placeholder(s: &str) -> bool {
    // Drop HTML comments (an unclosed one runs to the end).
    let mut rest = s;
    let mut kept = String::new();
    while let Some(i) = rest.find("<!--") {
        kept.push_str(&rest[..i]);
        rest = match rest[i..].find("-->") {
            Some(j) => &rest[i + j + 3..],
            None => "",
        };
    }
    kept.push_str(rest);
    let phrases = [
        "to be filled",
        "will be filled",
        "to be determined",
        "to be decided",
        "leave blank",
        "fill in",
        "pending triage",
    ];
    let says_placeholder = |l: &str| {
        let low = l.to_lowercase();
        phrases.iter().any(|p| low.contains(p))
    };
    let mut nonblank = kept.lines().filter(|l| !is_blank(l)).peekable();
    // A template's own instructions ("**To be filled during triage.** Clear,
    // actionable plan…", then a quoted example) make the whole section a
    // placeholder; a line of anything else is a person's text.
    if nonblank.peek().is_some_and(|l| says_placeholder(l)) {
        return nonblank.skip(1).all(|l| {
            let t = l.trim().trim_start_matches(['*', '_', '>', ' ']);
            let quoted = t.len() >= 2 && t.starts_with(['"', '“']) && t.ends_with(['"', '”']);
            says_placeholder(t) || quoted || t.to_lowercase().starts_with("example")
        });
    }
    nonblank.all(|l| {
        let t = l.trim();
        let bracket = t.starts_with('[') && t.ends_with(']') && !t.contains("](");
        let emph = |m: &str| t.len() > 2 * m.len() && t.starts_with(m) && t.ends_with(m);
        let italic = (emph("_") && !emph("__")) || (emph("*") && !emph("**"));
        let word = matches!(
            t.to_lowercase().as_str(),
            "tbd" | "todo" | "n/a" | "-" | "..." | "…" | "none yet" | "tba"
        );
        bracket || italic || word || says_placeholder(t)
    })
}

/// What to do with a Recommended Action that already holds a person's text
/// (not a placeholder).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Existing {
    /// Keep the text where it is and add the adopted action after it.
    #[default]
    Keep,
    /// Put the adopted action in its place and keep the old text verbatim
    /// right below it, under a `Previous recommended action` heading.
    Replace,
}

/// What [`set_recommended_action`] did to the section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionWritten {
    /// Created the section, filled an empty one or replaced a placeholder.
    Filled,
    /// The section held text: kept, the action added after it.
    Added,
    /// The section held this text: moved below the new action.
    Replaced(String),
    /// The section already says exactly this: nothing to write.
    AlreadyThere,
}

/// The edits of [`set_recommended_action`] and what they do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionEdit {
    pub edits: Vec<Edit>,
    pub written: ActionWritten,
}

/// The document's Recommended Action section.
pub fn find_section(doc: &Document) -> Option<&Section> {
    doc.sections
        .iter()
        .find(|s| normalize_title(&s.title).to_lowercase().starts_with(RA_TITLE))
}

/// Write `text` as the Recommended Action. A placeholder (or an empty
/// section) is replaced; text a person wrote is never removed: with
/// [`Existing::Keep`] it stays and the action follows it as
/// `**Adopted at triage (DATE):** TEXT`, with [`Existing::Replace`] the
/// action takes its place and the old text follows verbatim (code fences
/// and indentation included) under `Previous recommended action (replaced
/// DATE)`. Without a section, one is created after Proposed Solutions.
pub fn set_recommended_action(doc: &Document, text: &str, existing: Existing, date: &str) -> ActionEdit {
    let nl = eol(doc);
    let body = text.trim().replace("\r\n", "\n").replace('\n', nl);
    if let Some(sec) = find_section(doc) {
        let own_end = own_content_end(doc, sec);
        let first = crate::document::text::lines(&doc.text, sec.content.start..own_end)
            .find(|l| !is_blank(&doc.text[l.content.clone()]));
        let last = last_nonblank(&doc.text, sec.content.start..own_end);
        let (Some(f), Some(l)) = (first, last) else {
            return ActionEdit {
                edits: vec![fill_empty_section(doc, sec, &body)],
                written: ActionWritten::Filled,
            };
        };
        let range = f.content.start..l.content.end;
        let old = &doc.text[range.clone()];
        if is_placeholder(old) {
            return ActionEdit {
                edits: vec![Edit::replace(range, body)],
                written: ActionWritten::Filled,
            };
        }
        let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        if flat(old).contains(&flat(&body)) {
            return ActionEdit {
                edits: vec![],
                written: ActionWritten::AlreadyThere,
            };
        }
        return match existing {
            Existing::Keep => ActionEdit {
                edits: vec![Edit::insert(
                    range.end,
                    format!("{nl}{nl}**Adopted at triage ({}):** {body}", date.trim()),
                )],
                written: ActionWritten::Added,
            },
            Existing::Replace => {
                let blank = if blank_after_heading(doc) { nl } else { "" };
                let heading = format!(
                    "{} Previous recommended action (replaced {})",
                    "#".repeat((sec.level + 1).min(6)),
                    date.trim()
                );
                // The new text goes before the old, which stays byte for
                // byte (from its first line's indentation to its last
                // character) under its own heading.
                ActionEdit {
                    edits: vec![Edit::insert(
                        f.content.start,
                        format!("{body}{nl}{nl}{heading}{nl}{blank}"),
                    )],
                    written: ActionWritten::Replaced(old.replace("\r\n", "\n").trim().to_string()),
                }
            }
        };
    }
    // No section: after Proposed Solutions, else before the Work Log or
    // Resources/References, else at the end.
    let proposed = sections::find(&doc.sections, PROPOSED);
    let (at, level) = match proposed {
        Some(p) => (p.content.end, p.level.max(2)),
        None => match sections::find(&doc.sections, &["work log", "worklog", "resources", "references"]) {
            Some(s) => (s.heading.start, s.level.max(2)),
            None => (doc.text.len(), 2),
        },
    };
    let blank = if blank_after_heading(doc) { nl } else { "" };
    let block = format!("{} Recommended Action{nl}{blank}{body}", "#".repeat(level));
    let (at, ins) = paragraph_after(doc, at, &block);
    ActionEdit {
        edits: vec![Edit::insert(at, ins)],
        written: ActionWritten::Filled,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::apply;

    fn opt(label: &str, title: &str) -> DecisionOption {
        DecisionOption {
            label: label.into(),
            title: title.into(),
            heading: 0..0,
            level: 3,
        }
    }

    fn seed_030() -> Vec<DecisionOption> {
        vec![
            opt("A", "Database Unique Partial Index (Recommended)"),
            opt("B", "Wrap in Transaction with Serializable Isolation"),
        ]
    }

    fn adr_0105() -> Vec<(AdrRef, Vec<DecisionOption>)> {
        vec![(
            AdrRef {
                id: "ADR-0105".into(),
                title: "Prisma Race Condition Prevention".into(),
                path: "adr/0105-prisma-race-condition-prevention.md".into(),
            },
            vec![
                opt("A", "Prisma upsert (preferred)"),
                opt("B", "Create with P2002 catch (when upsert not possible)"),
            ],
        )]
    }

    fn label_of(m: &ActionMatch) -> String {
        match m {
            ActionMatch::Own(o) => format!("own {}", o.label),
            ActionMatch::Adr(a, o) => format!("{} {}", a.id, o.label),
            ActionMatch::Ambiguous(c) => format!("ambiguous {}", c.len()),
            ActionMatch::None => "none".into(),
        }
    }

    #[test]
    fn parses_option_headings() {
        let p = |t, u| parse_heading(t, u);
        assert_eq!(
            p("Option A: Database Unique Partial Index (Recommended)", false),
            Some(("A".into(), "Database Unique Partial Index (Recommended)".into()))
        );
        assert_eq!(p("Option 1 - Title", false), Some(("1".into(), "Title".into())));
        assert_eq!(p("Option b — T", false), Some(("B".into(), "T".into())));
        assert_eq!(p("Option C", false), Some(("C".into(), String::new())));
        assert_eq!(p("1. Title", true), Some(("1".into(), "Title".into())));
        assert_eq!(p("1. Title", false), None);
        assert_eq!(p("C.6 Soporte", true), None);
        assert_eq!(p("Options overview", false), None);
        assert_eq!(p("2024 plans", true), None);
        assert_eq!(
            p("A — Hard fork (whole product)", true),
            Some(("A".into(), "Hard fork (whole product)".into()))
        );
        assert_eq!(p("Option 1 – Title", false), Some(("1".into(), "Title".into())));
        assert_eq!(p("2 - Title", true), Some(("2".into(), "Title".into())));
        assert_eq!(p("A — T", false), None);
        assert_eq!(p("Rule 1 — Vendor", true), None);
        assert_eq!(p("D1. Beads API", true), None);
        assert_eq!(p("A-B testing", true), None);
    }

    #[test]
    fn options_of_a_document() {
        let t = "# T\n\n## Proposed Solutions\n\n### Option A: One\nx\n### Option B - Two\n\n## Considered Options\n\n### 1. Three\n\n## Notes\n\n### 1. Not an option\n";
        let d = Document::parse("findings/x.md", t.into());
        let o = options(&d);
        let got: Vec<_> = o.iter().map(|o| (o.label.as_str(), o.title.as_str())).collect();
        assert_eq!(got, [("A", "One"), ("B", "Two"), ("1", "Three")]);
        assert_eq!(&t[o[0].heading.clone()], "### Option A: One\n");
    }

    fn labels(t: &str) -> Vec<(String, String)> {
        let d = Document::parse("docs/adr/0001-x.md", t.into());
        options(&d).into_iter().map(|o| (o.label, o.title)).collect()
    }

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn adr_option_shapes() {
        let t = "# ADR-0148 — T\n\n## Alternatives considered\n\n### A — Hard fork\n\nx\n\n### B – Transplant\n\n## Rules\n\n### Rule 1 — Vendor\n";
        assert_eq!(labels(t), pairs(&[("A", "Hard fork"), ("B", "Transplant")]));
        let t = "# T\n\n## Options Considered\n\n### Option 1 – Kafka\n\n### Option 2 – NATS\n";
        assert_eq!(labels(t), pairs(&[("1", "Kafka"), ("2", "NATS")]));
        let t = "# T\n\n## Options Evaluated\n\n### Brokers\n\n#### 1. Apache Kafka\n\n#### 2. Redis Streams\n";
        assert_eq!(labels(t), pairs(&[("1", "Apache Kafka"), ("2", "Redis Streams")]));
        // A Decision's bullets are its points, not options.
        let t = "# T\n\n## Decision\n\n- We use Kafka\n- We keep Redis\n";
        assert_eq!(labels(t), pairs(&[]));
        // The numbered points of a Decision's sub-section are not options.
        let t = "# T\n\n## Decision\n\n### Component strategies\n\n#### 1. Temporal\n";
        assert_eq!(labels(t), pairs(&[]));
        // MADR: bullets, labelled by position, or as they say.
        let t = "# Use dashes\n\n## Considered Options\n\n* `NNNN-title.md` - adr-tools\n* `YYYY-MM-DD Title` - dated\n  * a sub-point\n\n```\n* not an option\n```\n\n## Decision Outcome\n\nChosen option: 1\n";
        assert_eq!(
            labels(t),
            pairs(&[
                ("A", "`NNNN-title.md` - adr-tools"),
                ("B", "`YYYY-MM-DD Title` - dated")
            ])
        );
        let t = "## Considered Options\n\n1. Kafka\n2. NATS\n";
        assert_eq!(labels(t), pairs(&[("1", "Kafka"), ("2", "NATS")]));
        let t = "## Considered Options\n\n- Option A: Kafka\n- Option B: NATS\n";
        assert_eq!(labels(t), pairs(&[("A", "Kafka"), ("B", "NATS")]));
        // `--action A` adopts the ADR's own option A.
        let d = Document::parse(
            "docs/adr/0001-x.md",
            "# T\n\n## Considered Options\n\n* Kafka\n* NATS\n".into(),
        );
        assert_eq!(label_of(&match_action("b", &options(&d), &adr_0105())), "own B");
    }

    #[test]
    fn matching() {
        let own = seed_030();
        let adrs = adr_0105();
        let m = |q: &str| label_of(&match_action(q, &own, &adrs));
        assert_eq!(m("upsert"), "ADR-0105 A");
        assert_eq!(m("Upsert"), "ADR-0105 A");
        assert_eq!(m("prisma upsert"), "ADR-0105 A");
        assert_eq!(m("A"), "own A");
        assert_eq!(m("option b"), "own B");
        assert_eq!(m("unique index"), "own A");
        assert_eq!(m("transaction"), "own B");
        assert_eq!(m("serializable"), "own B");
        assert_eq!(m("P2002 catch"), "ADR-0105 B");
        assert_eq!(m("ADR-0105 B"), "ADR-0105 B");
        assert_eq!(m("adr 105: upsert"), "ADR-0105 A");
        assert_eq!(m("ADR-0105"), "ADR-0105 A");
        assert_eq!(m("ADR-0999 A"), "none");
        assert_eq!(m("C"), "none");
        // Another ADR's option is never adopted by a bare letter, number or
        // small word; naming the ADR does.
        assert_eq!(label_of(&match_action("A", &[], &adrs)), "none");
        assert_eq!(label_of(&match_action("option 2", &[], &adrs)), "none");
        assert_eq!(label_of(&match_action("use a", &[], &adrs)), "none");
        assert_eq!(label_of(&match_action("ADR-0105 B", &[], &adrs)), "ADR-0105 B");
        assert_eq!(label_of(&match_action("the upsert", &[], &adrs)), "ADR-0105 A");
        assert_eq!(m("Add a mutex around the check"), "none");
        assert_eq!(m("redis lock"), "none");
        assert_eq!(m(""), "none");
        // Typos still find an option when the match is close.
        assert_eq!(m("serializble"), "own B");
        assert_eq!(m("upsrt"), "ADR-0105 A");
        // Two equally good options, none preferred.
        let two = vec![opt("A", "Use a lock"), opt("B", "Use a queue")];
        assert_eq!(label_of(&match_action("use", &two, &[])), "ambiguous 2");
    }

    #[test]
    fn action_text() {
        let adrs = adr_0105();
        let m = match_action("upsert", &seed_030(), &adrs);
        assert_eq!(
            recommended_action_text(&m, "upsert", "findings/030-pending-p1-x.md"),
            "Adopt [ADR-0105](../adr/0105-prisma-race-condition-prevention.md) Option A: Prisma upsert (preferred)."
        );
        let m = match_action("a", &seed_030(), &adrs);
        assert_eq!(
            recommended_action_text(&m, "a", "x.md"),
            "Adopt Option A: Database Unique Partial Index (Recommended)."
        );
        assert_eq!(recommended_action_text(&ActionMatch::None, " Do X. ", "x.md"), "Do X.");
    }

    #[test]
    fn placeholders() {
        for p in [
            "[To be filled during triage]",
            "**To be filled during triage.**",
            "_Pending._",
            "<!-- what should we do? -->",
            "<!-- a\nb -->\n[Leave blank - will be filled during approval]",
            "TBD",
            "**To be filled during triage.** Clear plan.\n\n**Example:**\n\"Do X.\"",
        ] {
            assert!(is_placeholder(p), "{p}");
        }
        for p in [
            "**To be filled during triage.**\n\nShard the queue by tenant.",
            "Use option A.",
            "**Use option A.**",
            "[ADR](x.md) says so",
            "*a* and *b*x",
        ] {
            assert!(!is_placeholder(p), "{p}");
        }
    }

    fn ra_with(text: &str, new: &str, existing: Existing) -> (String, ActionWritten) {
        let d = Document::parse("findings/x.md", text.into());
        let w = set_recommended_action(&d, new, existing, "2026-02-01");
        (apply(text, &w.edits).unwrap(), w.written)
    }

    fn ra(text: &str, new: &str) -> (String, ActionWritten) {
        ra_with(text, new, Existing::Keep)
    }

    #[test]
    fn fills_a_placeholder_or_an_empty_section() {
        let t = "## Recommended Action\n\n[To be filled during triage]\n\n## Next\n";
        assert_eq!(
            ra(t, "Do X."),
            (
                t.replace("[To be filled during triage]", "Do X."),
                ActionWritten::Filled
            )
        );
        let t = "## Problem\n\ntext\n\n## Recommended Action\n\n## Next\n";
        assert_eq!(ra(t, "Do X.").0, t.replace("Action\n\n", "Action\n\nDo X.\n\n"));
        let t = "## Problem\n\ntext\n\n## Recommended Action";
        assert_eq!(ra(t, "Do X.").0, format!("{t}\n\nDo X."));
    }

    #[test]
    fn keeps_a_persons_text_and_adds_after_it() {
        let t = "## Recommended Action\r\nOld plan\r\n    indented\r\n## Next\r\n";
        assert_eq!(
            ra(t, "Do X.\nThen Y."),
            (
                "## Recommended Action\r\nOld plan\r\n    indented\r\n\r\n**Adopted at triage (2026-02-01):** Do X.\r\nThen Y.\r\n## Next\r\n".into(),
                ActionWritten::Added
            )
        );
        // Saying it again writes nothing.
        let once = ra(t, "Do X.").0;
        assert_eq!(ra(&once, "Do X."), (once.clone(), ActionWritten::AlreadyThere));
    }

    #[test]
    fn replace_keeps_the_old_text_verbatim_below() {
        let t = "## Recommended Action\n\n  Old plan:\n\n```sh\nrm -rf build\n```\n\n## Next\n";
        let (out, w) = ra_with(t, "Do X.", Existing::Replace);
        assert_eq!(
            out,
            "## Recommended Action\n\nDo X.\n\n### Previous recommended action (replaced 2026-02-01)\n\n  Old plan:\n\n```sh\nrm -rf build\n```\n\n## Next\n"
        );
        assert_eq!(
            w,
            ActionWritten::Replaced("Old plan:\n\n```sh\nrm -rf build\n```".into())
        );
        // A second replace keeps both earlier texts.
        let (twice, _) = ra_with(&out, "Do Z.", Existing::Replace);
        assert!(twice.contains("Do X.") && twice.contains("rm -rf build") && twice.contains("Do Z."));
    }

    #[test]
    fn creates_the_section() {
        let t = "# T\n\n## Proposed Solutions\n\n### Option A: X\n\ntext\n\n## Acceptance Criteria\n\n- [ ] y\n";
        assert_eq!(
            ra(t, "Do X.").0,
            t.replace("text\n\n", "text\n\n## Recommended Action\n\nDo X.\n\n")
        );
        let t = "# T\n## Context\nc";
        assert_eq!(ra(t, "Do X.").0, "# T\n## Context\nc\n\n## Recommended Action\nDo X.");
    }
}
