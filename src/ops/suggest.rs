//! Which accepted ADRs' decision options a document's triage offers
//! before anything is typed: the options of the ADRs the document is
//! about. An ADR is about the document when most of its title's meaningful
//! words (the words `--action` matches other ADRs by: no bare letters,
//! numbers or small words) appear in the document's title, tags or body,
//! and at least two do (all of them for a one-word title). Its options are
//! ranked by how many title words match, then their share, then by how many of their own title's words the
//! document uses, then the one the ADR marks preferred. Choosing one is
//! the same as `triage --action "ADR-0105 A"` ([`adopt_query`]).

use super::action::{main_part, match_action, meaningful_words, ActionMatch, Candidate};
use crate::document::options::{options, AdrOptions};
use crate::document::Document;
use std::collections::HashSet;

fn words(text: &str) -> HashSet<String> {
    meaningful_words(text).split_whitespace().map(str::to_string).collect()
}

/// Up to `max` options of the accepted ADRs `adrs` for `doc`, best first.
pub(crate) fn suggest(doc: &Document, adrs: &[AdrOptions], max: usize) -> Vec<Candidate> {
    let mut text = String::with_capacity(doc.body().len() + 256);
    text.push_str(&doc.meta.title);
    for t in &doc.meta.tags {
        text.push(' ');
        text.push_str(t);
    }
    text.push(' ');
    text.push_str(doc.body());
    let seen = words(&text);
    let mut ranked: Vec<((usize, usize, usize, bool), Candidate)> = Vec::new();
    for (a, opts) in adrs {
        if a.path == doc.meta.path {
            continue;
        }
        let title = words(&a.title);
        let hits = title.iter().filter(|w| seen.contains(*w)).count();
        if title.is_empty() || hits < title.len().min(2) || hits * 2 < title.len() {
            continue;
        }
        let share = hits * 1000 / title.len();
        for o in opts {
            let own = words(&main_part(&o.title));
            let used = own.iter().filter(|w| seen.contains(*w)).count();
            ranked.push((
                (hits, share, used, o.preferred()),
                Candidate {
                    adr: Some(a.clone()),
                    option: o.clone(),
                },
            ));
        }
    }
    // Stable: equal scores keep the ADRs' and the options' order.
    ranked.sort_by_key(|(score, _)| std::cmp::Reverse(*score));
    ranked.into_iter().take(max).map(|(_, c)| c).collect()
}

/// The `--action` text that adopts ADR option `c` (`ADR-0105 A`), when it
/// names exactly that option among `adrs` for `doc` (as `triage --action`
/// matches it); `None` when the ADR's number is shared, so no text names it.
pub(crate) fn adopt_query(doc: &Document, c: &Candidate, adrs: &[AdrOptions]) -> Option<String> {
    let a = c.adr.as_ref()?;
    let q = format!("{} {}", a.id, c.option.label);
    match match_action(&q, &options(doc), adrs) {
        ActionMatch::Adr(r, o) if r.path == a.path && o.label == c.option.label => Some(q),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::options::{test_option as opt, AdrRef};

    fn adr(n: u32, title: &str, opts: &[(&str, &str)]) -> AdrOptions {
        (
            AdrRef {
                id: format!("ADR-{n:04}"),
                title: title.into(),
                path: format!("adr/{n:04}-x.md"),
            },
            opts.iter().map(|(l, t)| opt(l, t)).collect(),
        )
    }

    #[test]
    fn the_adrs_a_document_is_about_offer_their_options() {
        let doc = Document::parse(
            "todos/030-pending-p1-race.md",
            "---\nstatus: pending\ntags: [race-condition]\n---\n# Race Condition in Duplicate Assignment Check\n\nprisma.assignment.create races.\n".into(),
        );
        let adrs = vec![
            adr(7, "Logging Format", &[("A", "JSON lines")]),
            adr(
                105,
                "Prisma Race Condition Prevention",
                &[
                    ("A", "Prisma upsert (preferred)"),
                    ("B", "Create with P2002 catch (when upsert not possible)"),
                ],
            ),
            adr(9, "Condition", &[("A", "Words")]),
        ];
        let got: Vec<String> = suggest(&doc, &adrs, 9)
            .iter()
            .map(|c| format!("{} {}", c.adr.as_ref().unwrap().id, c.option.label))
            .collect();
        assert_eq!(got, ["ADR-0105 A", "ADR-0105 B", "ADR-0009 A"]);
        assert_eq!(suggest(&doc, &adrs, 1).len(), 1);
        let c = &suggest(&doc, &adrs, 9)[0];
        assert_eq!(adopt_query(&doc, c, &adrs).as_deref(), Some("ADR-0105 A"));
        // Two ADRs with one number: no text names either's option B (A
        // still is, being the one marked preferred, as `--action` decides).
        let mut twice = adrs.clone();
        twice.push(adr(105, "Other", &[("A", "Other"), ("B", "Other")]));
        twice[3].0.path = "adr/0105-other.md".into();
        let b = &suggest(&doc, &adrs, 9)[1];
        assert_eq!(adopt_query(&doc, b, &twice), None);
        assert_eq!(adopt_query(&doc, c, &twice).as_deref(), Some("ADR-0105 A"));
    }
}
