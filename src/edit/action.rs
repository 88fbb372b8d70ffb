//! Recommended Action: writing the chosen text into a document's
//! `## Recommended Action` section (filling a placeholder or an empty
//! section, adding after a person's text, or replacing it and keeping the
//! old text below). Which text: [`crate::ops::action`] matches `--action`
//! against the decision options ([`crate::document::options`]).

use super::{
    blank_after_heading, eol, fill_empty_section, is_blank, last_nonblank, own_content_end, paragraph_after, Edit,
};
use crate::document::sections::{self, normalize_title, Section};
use crate::document::Document;

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
pub(crate) enum ActionWritten {
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
    /// The span edits to apply to the document's text.
    pub edits: Vec<Edit>,
    pub(crate) written: ActionWritten,
}

/// The document's Recommended Action section.
pub(crate) fn find_section(doc: &Document) -> Option<&Section> {
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
