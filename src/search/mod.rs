//! Full-text search over documents: the matcher `findings search` and the
//! terminal UI's body search share. It knows nothing of terminals.
//!
//! A [`Query`] is a literal phrase (no regular-expression syntax), matched
//! ignoring case unless it holds a capital letter (smart case, as ripgrep
//! does), or as [`Case`] says. [`search`] matches it against each
//! candidate's ID, title and tags (the *fields*) and against the text of its
//! file (every line, front matter included, numbered from 1 as in the file),
//! and ranks the hits:
//!
//! 1. a whole-word match in a field, 2. any match in a field,
//! 3. a whole-word match in the text, 4. any match in the text;
//!
//! then by the number of matches (more first), then in the order the
//! candidates were given. Every match carries its byte range, so a UI can
//! highlight it; text is returned as written (the caller makes it inert).
//!
//! The text of a document comes from a `Texts` source: the files on disk
//! ([`read_text`], read through the bounded reader), or texts a caller keeps
//! in memory (the terminal UI: `[Option<String>]`, one per item). A caller
//! that matches item by item (incrementally, or on a worker) uses
//! `match_document` and sorts by `Hit::sort_key`.

pub mod cache;

use crate::document::Meta;
use rayon::prelude::*;
use std::borrow::Cow;
use std::ops::Range;

/// How letter case is matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Case {
    /// Ignore case unless the query holds an uppercase letter.
    #[default]
    Smart,
    /// Always ignore case.
    Ignore,
    /// Always match case exactly.
    Sensitive,
}

/// Why a query cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum QueryError {
    /// Nothing to search for.
    #[error("the search text is empty")]
    Empty,
    /// The text holds a line break; a query is one line.
    #[error("the search text must be one line")]
    Multiline,
    /// The text is too long to compile into a matcher (hundreds of kilobytes).
    #[error("the search text is too long")]
    TooLong,
}

/// A compiled search phrase, reusable across many documents and threads.
#[derive(Debug, Clone)]
pub struct Query {
    text: String,
    case_sensitive: bool,
    re: regex::Regex,
    /// Whether the phrase starts / ends with a word character, so that a
    /// whole-word match needs a boundary on that side.
    word_start: bool,
    word_end: bool,
}

/// One match: a byte range of the searched text, and whether it is a whole
/// word (no word character right before or after it).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Match {
    pub(crate) start: usize,
    pub(crate) end: usize,
    #[serde(skip)]
    pub(crate) word: bool,
}

impl Match {
    /// The matched bytes of the line.
    pub(crate) fn range(&self) -> Range<usize> {
        self.start..self.end
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

impl Query {
    /// Compile `text` (surrounding whitespace ignored).
    pub fn new(text: &str, case: Case) -> Result<Query, QueryError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(QueryError::Empty);
        }
        if text.contains(['\n', '\r']) {
            return Err(QueryError::Multiline);
        }
        let case_sensitive = match case {
            Case::Sensitive => true,
            Case::Ignore => false,
            Case::Smart => text.chars().any(char::is_uppercase),
        };
        // An escaped literal compiles unless it is over the regex crate's
        // size limit (a phrase of hundreds of kilobytes).
        let re = regex::RegexBuilder::new(&regex::escape(text))
            .case_insensitive(!case_sensitive)
            .unicode(true)
            .build()
            .map_err(|_| QueryError::TooLong)?;
        Ok(Query {
            word_start: text.chars().next().is_some_and(is_word),
            word_end: text.chars().next_back().is_some_and(is_word),
            text: text.to_string(),
            case_sensitive,
            re,
        })
    }

    /// The phrase as given (trimmed).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether letter case must match.
    pub(crate) fn case_sensitive(&self) -> bool {
        self.case_sensitive
    }

    /// Whether `hay` holds the phrase at all (cheap: no positions kept).
    #[allow(dead_code)] // unused since the visibility sweep; the search work of this round may use it
    pub(crate) fn is_match(&self, hay: &str) -> bool {
        self.re.is_match(hay)
    }

    /// Every non-overlapping match in `hay`, in order.
    pub(crate) fn matches<'a>(&'a self, hay: &'a str) -> impl Iterator<Item = Match> + 'a {
        self.re.find_iter(hay).map(move |m| Match {
            start: m.start(),
            end: m.end(),
            word: self.is_whole_word(hay, m.range()),
        })
    }

    fn is_whole_word(&self, hay: &str, r: Range<usize>) -> bool {
        let before_ok = !self.word_start || !hay[..r.start].chars().next_back().is_some_and(is_word);
        let after_ok = !self.word_end || !hay[r.end..].chars().next().is_some_and(is_word);
        before_ok && after_ok
    }
}

/// Which field of a document matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Field {
    Id,
    Title,
    Tag,
}

/// Matches in one field (for a tag, the tag's text).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct FieldHit {
    pub(crate) field: Field,
    pub(crate) text: String,
    pub(crate) matches: Vec<Match>,
}

/// One matching line of a document's text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct LineHit {
    /// 1-based line number in the file.
    pub(crate) line: usize,
    /// The line as written, without its line ending.
    pub(crate) text: String,
    /// Byte ranges of the matches within `text`.
    pub(crate) matches: Vec<Match>,
}

/// How a hit ranks: lower sorts first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Tier {
    /// A whole word of the ID, title or a tag.
    FieldWord,
    /// Part of a word of the ID, title or a tag.
    Field,
    /// A whole word of the text.
    TextWord,
    /// Part of a word of the text.
    Text,
}

/// One document that matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Index of the document in the `items` given to [`search`].
    pub(crate) item: usize,
    pub(crate) tier: Tier,
    /// Every match: fields plus text.
    pub(crate) count: usize,
    pub(crate) fields: Vec<FieldHit>,
    /// The first matching lines (at most [`Options::max_lines`]).
    pub(crate) lines: Vec<LineHit>,
    /// Matching lines not included in `lines`.
    pub(crate) more_lines: usize,
    /// Why the text could not be searched (the fields still were).
    pub(crate) unreadable: Option<String>,
}

impl Hit {
    /// The order [`search`] ranks by: tier, then more matches first (then
    /// the caller's order among equals).
    #[allow(dead_code)] // unused since the visibility sweep; the search work of this round may use it
    pub(crate) fn sort_key(&self) -> (Tier, std::cmp::Reverse<usize>) {
        (self.tier, std::cmp::Reverse(self.count))
    }
}

/// How much to collect per document.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The most matching lines kept per document (the rest are counted).
    pub(crate) max_lines: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options { max_lines: 5 }
    }
}

/// Where the text of a document comes from.
pub trait Texts: Sync {
    /// The text of `items[i]`, or why it cannot be had.
    fn text(&self, i: usize, meta: &Meta) -> Result<Cow<'_, str>, String>;
}

/// The documents' files on disk under `root`.
pub struct Files<'a> {
    /// The repository root the documents' paths are relative to.
    pub root: &'a std::path::Path,
}

impl Texts for Files<'_> {
    fn text(&self, _: usize, meta: &Meta) -> Result<Cow<'_, str>, String> {
        read_text(self.root, &meta.path).map(Cow::Owned)
    }
}

/// Texts kept in memory, one per item (`None`: not available).
impl<S: AsRef<str> + Sync> Texts for [Option<S>] {
    fn text(&self, i: usize, _: &Meta) -> Result<Cow<'_, str>, String> {
        match self.get(i) {
            Some(Some(s)) => Ok(Cow::Borrowed(s.as_ref())),
            _ => Err("text not loaded".into()),
        }
    }
}

/// Read a document's text as loading does: contained in `root`, bounded,
/// decoded as UTF-8.
pub fn read_text(root: &std::path::Path, rel: &str) -> Result<String, String> {
    use crate::document::{decode, MAX_FILE_BYTES};
    crate::store::contain::check(root, rel).map_err(|e| e.to_string())?;
    let bytes = crate::store::bounded::read(&root.join(rel), MAX_FILE_BYTES as u64).map_err(|e| e.reason())?;
    decode(rel, bytes).map_err(|u| u.0.message.clone())
}

/// Search `candidates` (indices into `items`, in the order to keep among
/// equals) for `q`; the hits ranked as the module says.
pub fn search(
    items: &[Meta],
    candidates: &[usize],
    texts: &(impl Texts + ?Sized),
    q: &Query,
    opts: Options,
) -> Vec<Hit> {
    let mut hits: Vec<(usize, Hit)> = candidates
        .par_iter()
        .enumerate()
        .filter_map(|(order, &i)| {
            let m = items.get(i)?;
            let hit = match texts.text(i, m) {
                Ok(t) => match_document(i, m, Some(&t), q, opts),
                Err(e) => {
                    let mut h = match_document(i, m, None, q, opts)?;
                    h.unreadable = Some(e);
                    Some(h)
                }
            };
            hit.map(|h| (order, h))
        })
        .collect();
    hits.sort_by(|(oa, a), (ob, b)| {
        (a.tier, std::cmp::Reverse(a.count), oa).cmp(&(b.tier, std::cmp::Reverse(b.count), ob))
    });
    hits.into_iter().map(|(_, h)| h).collect()
}

/// Match one document: its fields, and its text when given. `None` when
/// nothing matches.
pub(crate) fn match_document(item: usize, m: &Meta, text: Option<&str>, q: &Query, opts: Options) -> Option<Hit> {
    let mut fields = Vec::new();
    let mut field_of = |field: Field, s: &str| {
        let matches: Vec<Match> = q.matches(s).collect();
        if !matches.is_empty() {
            fields.push(FieldHit {
                field,
                text: s.to_string(),
                matches,
            });
        }
    };
    field_of(Field::Id, &m.id);
    field_of(Field::Title, &m.title);
    for t in &m.tags {
        field_of(Field::Tag, t);
    }
    let (lines, more_lines, text_count, text_word) = match text {
        Some(t) => match_lines(t, q, opts.max_lines),
        None => (Vec::new(), 0, 0, false),
    };
    let field_count: usize = fields.iter().map(|f| f.matches.len()).sum();
    if field_count == 0 && text_count == 0 {
        return None;
    }
    let field_word = fields.iter().any(|f| f.matches.iter().any(|x| x.word));
    let tier = if field_word {
        Tier::FieldWord
    } else if field_count > 0 {
        Tier::Field
    } else if text_word {
        Tier::TextWord
    } else {
        Tier::Text
    };
    Some(Hit {
        item,
        tier,
        count: field_count + text_count,
        fields,
        lines,
        more_lines,
        unreadable: None,
    })
}

/// What a text holds of a query, for a caller that ranks texts itself
/// (the terminal UI's list search): the first matching line, the number of
/// matches, and whether any is a whole word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextHit {
    pub(crate) line: LineHit,
    pub(crate) count: usize,
    pub(crate) word: bool,
}

/// Match `text` alone (no fields); `None` when the query is not in it.
pub fn match_text(text: &str, q: &Query) -> Option<TextHit> {
    let (lines, _, count, word) = match_lines(text, q, 1);
    let line = lines.into_iter().next()?;
    Some(TextHit { line, count, word })
}

/// The first `max` matching lines of `text`, how many more lines match,
/// the number of matches, and whether any is a whole word. A match never
/// spans lines (a query is one line).
fn match_lines(text: &str, q: &Query, max: usize) -> (Vec<LineHit>, usize, usize, bool) {
    let mut lines: Vec<LineHit> = Vec::new();
    let (mut more, mut count, mut word) = (0usize, 0usize, false);
    // The line of the previous match: its number, start and end (the
    // position of its `\n`, or the end of the text).
    let (mut line_no, mut line_start, mut line_end) = (0usize, 0usize, None::<usize>);
    // Newlines counted in `text[..counted_to]`.
    let (mut newlines, mut counted_to) = (0usize, 0usize);
    for mx in q.matches(text) {
        count += 1;
        word |= mx.word;
        if line_end.is_none_or(|e| mx.start >= e) {
            newlines += text.as_bytes()[counted_to..mx.start]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            counted_to = mx.start;
            line_no = newlines + 1;
            line_start = text[..mx.start].rfind('\n').map_or(0, |i| i + 1);
            line_end = Some(text[mx.start..].find('\n').map_or(text.len(), |i| mx.start + i));
            if lines.len() >= max {
                more += 1;
                continue;
            }
            let end = line_end.unwrap_or(text.len());
            let content_end = if end > line_start && text.as_bytes()[end - 1] == b'\r' {
                end - 1
            } else {
                end
            };
            lines.push(LineHit {
                line: line_no,
                text: text[line_start..content_end].to_string(),
                matches: Vec::new(),
            });
        }
        if let Some(last) = lines.last_mut().filter(|l| l.line == line_no) {
            let end = (mx.end - line_start).min(last.text.len());
            last.matches.push(Match {
                start: mx.start - line_start,
                end,
                word: mx.word,
            });
        }
    }
    (lines, more, count, word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Query {
        Query::new(s, Case::Smart).unwrap()
    }

    #[test]
    fn smart_case_and_word_boundaries() {
        let m: Vec<_> = q("prisma").matches("Prisma, prismatic; PRISMA_x").collect();
        assert_eq!(m.len(), 3);
        assert!(m[0].word && !m[1].word && !m[2].word);
        assert_eq!(q("Prisma").matches("prisma Prisma").count(), 1);
        assert!(!Query::new("Prisma", Case::Ignore).unwrap().case_sensitive());
        assert_eq!(Query::new("  ", Case::Smart).unwrap_err(), QueryError::Empty);
        // Unicode case folding, ranges in bytes of the original.
        let m: Vec<_> = q("straße").matches("die STRASSE, die Straße").collect();
        assert_eq!(m.len(), 1);
        assert_eq!(&"die STRASSE, die Straße"[m[0].range()], "Straße");
        // Regex syntax is literal.
        assert_eq!(q("a.b").matches("axb a.b").count(), 1);
    }

    #[test]
    fn lines_are_numbered_and_bounded() {
        let text = "one\r\nfoo two foo\nthree\nfoo\nfoo\nfoo\nfoo\n";
        let (lines, more, count, word) = match_lines(text, &q("foo"), 3);
        assert_eq!(count, 6);
        assert!(word);
        assert_eq!(lines.iter().map(|l| l.line).collect::<Vec<_>>(), vec![2, 4, 5]);
        assert_eq!(lines[0].text, "foo two foo");
        assert_eq!(
            lines[0].matches.iter().map(Match::range).collect::<Vec<_>>(),
            vec![0..3, 8..11]
        );
        assert_eq!(more, 2);
        let (lines, more, _, _) = match_lines("a\r\nxfoo\r\n", &q("foo"), 5);
        assert_eq!((lines[0].line, lines[0].text.as_str(), more), (2, "xfoo", 0));
    }

    #[test]
    fn texts_in_memory_rank_fields_above_text() {
        let meta = |id: &str, title: &str| {
            let mut m =
                crate::document::Document::parse(&format!("todos/{id}-pending-p1-x.md"), format!("# {title}\n"))
                    .meta
                    .clone();
            m.id = id.to_string();
            m
        };
        let items = vec![meta("001", "Other"), meta("002", "Cache rework"), meta("003", "None")];
        let texts = vec![
            Some("a cache miss\n".to_string()),
            Some("# Cache rework\n".to_string()),
            None,
        ];
        let hits = search(&items, &[0, 1, 2], texts.as_slice(), &q("cache"), Options::default());
        assert_eq!(hits.iter().map(|h| h.item).collect::<Vec<_>>(), vec![1, 0]);
        assert_eq!(hits[0].tier, Tier::FieldWord);
        assert_eq!(hits[1].lines[0].line, 1);
        // A document whose text is missing is still matched by its fields.
        let hits = search(&items, &[2], texts.as_slice(), &q("none"), Options::default());
        assert!(hits[0].unreadable.is_some() && hits[0].tier == Tier::FieldWord);
    }

    #[test]
    fn more_lines_counts_distinct_lines() {
        let (lines, more, count, _) = match_lines("foo foo\nfoo foo foo\nx\nfoo\n", &q("foo"), 1);
        assert_eq!((lines.len(), more, count), (1, 2, 6));
    }
}
