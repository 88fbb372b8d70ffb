//! Matching a triage `--action` against a document's decision options and
//! accepted ADRs' ([`crate::document::options`]), and the text a match
//! writes into Recommended Action.
//!
//! Over 600 lines: about 380 lines of matching, the rest unit tests.
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

use crate::document::options::{AdrOptions, AdrRef, DecisionOption};
use crate::edit::relative_link;
use crate::query::Fuzzy;

/// One possible target of an `--action`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// `None` for the document's own option.
    pub adr: Option<AdrRef>,
    /// The option itself: its label, title and text.
    pub option: DecisionOption,
}

/// The outcome of matching an `--action`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionMatch {
    /// One of the document's own decision options matches.
    Own(DecisionOption),
    /// An option of an accepted ADR matches (the ADR, then the option).
    Adr(AdrRef, DecisionOption),
    /// Several options match equally well: the text is written verbatim and the
    /// candidates reported.
    Ambiguous(Vec<Candidate>),
    /// Nothing matches: the text is written verbatim.
    None,
}

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
pub(super) fn main_part(title: &str) -> String {
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
pub(crate) fn rank_options(query: &str, own: &[DecisionOption], adrs: &[AdrOptions]) -> Vec<(Candidate, Option<u8>)> {
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
pub(super) fn meaningful_words(q: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::options::{options, parse_heading, test_option as opt};
    use crate::document::Document;
    use crate::edit::action::*;
    use crate::edit::apply;

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
