//! Markdown section spans: ATX headings (`#` … `######`) outside fenced code
//! blocks, each with the byte range of its heading line and of its content
//! (up to the next heading of the same or a higher level).

use super::text::lines;
use std::ops::Range;

/// One ATX heading of the body and the span of what it heads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub(crate) level: usize,
    /// The heading text, trimmed, closing `#`s removed.
    pub title: String,
    /// The heading line, with its line ending.
    pub heading: Range<usize>,
    /// From after the heading line to the start of the next heading of the
    /// same or a higher level (or the end of the range).
    pub content: Range<usize>,
}

/// `Some((level, title))` when the line is an ATX heading.
pub fn heading(line: &str) -> Option<(usize, &str)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let l = &line[indent..];
    let level = l.bytes().take_while(|&b| b == b'#').count();
    if level == 0 || level > 6 {
        return None;
    }
    let rest = &l[level..];
    if !rest.is_empty() && !rest.starts_with([' ', '\t']) {
        return None;
    }
    let mut t = rest.trim();
    let stripped = t.trim_end_matches('#');
    if stripped.is_empty() || stripped.ends_with([' ', '\t']) {
        t = stripped.trim_end();
    }
    Some((level, t))
}

/// A CommonMark fenced-code tracker: feed it lines, it says whether each
/// is code. Only [`code_lines`] uses it, to which it is a first pass: the
/// rule every reader and editor follows is [`Code`].
#[derive(Default)]
struct Fences {
    open: Option<(u8, usize)>,
}

impl Fences {
    /// True when `line` is inside a fenced block or is one of its fences.
    fn is_code(&mut self, line: &str) -> bool {
        let t = line.trim_start_matches(' ');
        let indent = line.len() - t.len();
        let fence = |c: u8| t.bytes().take_while(|&b| b == c).count();
        match self.open {
            Some((c, n)) => {
                if indent <= 3 && fence(c) >= n && t.trim_start_matches(c as char).trim().is_empty() {
                    self.open = None;
                }
                true
            }
            None => {
                if indent <= 3 {
                    for c in [b'`', b'~'] {
                        let n = fence(c);
                        if n >= 3 && !(c == b'`' && t[n..].contains('`')) {
                            self.open = Some((c, n));
                            return true;
                        }
                    }
                }
                false
            }
        }
    }
}

/// `Some((char, length))` when `line` can close a fence: only backticks or
/// only tildes (at least three), at most three spaces of indentation.
fn closer(line: &str) -> Option<(u8, usize)> {
    let t = line.trim_start_matches(' ');
    if line.len() - t.len() > 3 {
        return None;
    }
    let t = t.trim_end();
    let c = *t.as_bytes().first()?;
    let n = t.bytes().take_while(|&b| b == c).count();
    ((c == b'`' || c == b'~') && n >= 3 && n == t.len()).then_some((c, n))
}

/// `Some((char, length))` when `line` opens a fence with an info string
/// (```` ```bash ````).
fn info_opener(line: &str) -> Option<(u8, usize)> {
    let t = line.trim_start_matches(' ');
    if line.len() - t.len() > 3 {
        return None;
    }
    let c = *t.as_bytes().first().filter(|c| matches!(c, b'`' | b'~'))?;
    let n = t.bytes().take_while(|&b| b == c).count();
    let info = t.get(n..)?.trim();
    (n >= 3 && !info.is_empty() && !(c == b'`' && info.contains('`'))).then_some((c, n))
}

/// Which of `lines` are fenced code (fences included). Broken markdown must
/// not turn the rest of a document into code and hide its sections, so two
/// fences are read as a person meant them rather than as CommonMark would:
/// a fence that is never closed is plain text, and a fence that meets
/// another opener of its own kind with a language (```` ```sh ```` inside
/// ```` ``` ````, the classic unclosed block) was never closed either: its
/// lines so far are text and the new opener starts a block. Linear: an
/// opener counts only when a line after it can close it, and each line is
/// reconsidered at most once.
pub(crate) fn code_lines(lines: &[&str]) -> Vec<bool> {
    // The longest closer of each kind after each line.
    let mut longest_after = vec![(0usize, 0usize); lines.len()];
    let mut acc = (0usize, 0usize);
    for (i, l) in lines.iter().enumerate().rev() {
        longest_after[i] = acc;
        match closer(l) {
            Some((b'`', n)) => acc.0 = acc.0.max(n),
            Some((_, n)) => acc.1 = acc.1.max(n),
            None => {}
        }
    }
    let is_fence = |l: &str| closer(l).is_some() || info_opener(l).is_some();
    // The next fence line after each line.
    let mut next_fence = vec![None; lines.len()];
    let mut after: Option<usize> = None;
    for (i, l) in lines.iter().enumerate().rev() {
        next_fence[i] = after;
        if is_fence(l) {
            after = Some(i);
        }
    }
    let closes = |m: usize, c: u8, n: usize| {
        lines
            .get(m)
            .and_then(|l| closer(l))
            .is_some_and(|(c2, n2)| c2 == c && n2 >= n)
    };
    let mut out = vec![false; lines.len()];
    let mut fences = Fences::default();
    let mut opened_at = 0usize;
    let mut i = 0;
    while let Some(l) = lines.get(i) {
        if let (Some((c, n)), Some((c2, n2))) = (fences.open, info_opener(l)) {
            if c == c2 && n2 >= n {
                // Nested (```` ```python ```` … ```` ``` ```` then the outer's
                // own ```` ``` ````): one block to the outer closer. Looked
                // for among the next few fence lines only, so it stays linear.
                let mut depth = 1usize;
                let mut at = next_fence[i];
                let mut inner_end = None;
                for _ in 0..NESTING_LOOKAHEAD {
                    let Some(k) = at else { break };
                    if closes(k, c, n) {
                        depth -= 1;
                        if depth == 0 {
                            inner_end = Some(k);
                            break;
                        }
                    } else if lines.get(k).and_then(|l| info_opener(l)).is_some_and(|(c3, _)| c3 == c) {
                        depth += 1;
                    }
                    at = next_fence[k];
                }
                let outer = inner_end.and_then(|k| next_fence[k]).filter(|&m| closes(m, c, n));
                if let Some(m) = outer {
                    for o in out.iter_mut().take(m + 1).skip(i) {
                        *o = true;
                    }
                    fences.open = None;
                    i = m + 1;
                    continue;
                }
                // Else the open fence was never closed: what it held is text.
                for o in out.iter_mut().take(i).skip(opened_at) {
                    *o = false;
                }
                fences.open = None;
            }
        }
        let was_open = fences.open.is_some();
        let code = fences.is_code(l);
        if !was_open {
            if let Some((c, n)) = fences.open {
                let (ticks, tildes) = longest_after[i];
                let best = if c == b'`' { ticks } else { tildes };
                if best < n {
                    // Never closed: plain text.
                    fences.open = None;
                    i += 1;
                    continue;
                }
                opened_at = i;
            }
        }
        out[i] = code;
        i += 1;
    }
    out
}

/// How many fence lines [`code_lines`] looks ahead for a nested block's
/// closers.
const NESTING_LOOKAHEAD: usize = 16;

/// Which lines of a document are fenced code: the one home of that answer.
/// The parser computes it once per document ([`Code::scan`], the rule of
/// `code_lines`) and every reader (sections, status and field lines) and
/// every editor (options, work-log tables and lists, placeholders) asks it,
/// so none of them can disagree about what is code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Code {
    /// The byte ranges of the code blocks, fences included, in order.
    blocks: Vec<Range<usize>>,
}

impl Code {
    /// The code blocks of `text[range]`. Lines inside `skip` (a front-matter
    /// block after the title) are read as blank: YAML holds no fence.
    pub fn scan(text: &str, range: Range<usize>, skip: Option<Range<usize>>) -> Code {
        let all: Vec<_> = lines(text, range).collect();
        let outside = |at: usize| !skip.as_ref().is_some_and(|s| s.contains(&at));
        let strs: Vec<&str> = all
            .iter()
            .map(|l| {
                if outside(l.full.start) {
                    &text[l.content.clone()]
                } else {
                    ""
                }
            })
            .collect();
        let mut blocks: Vec<Range<usize>> = Vec::new();
        for (l, code) in all.iter().zip(code_lines(&strs)) {
            if !code {
                continue;
            }
            match blocks.last_mut() {
                Some(b) if b.end == l.full.start => b.end = l.full.end,
                _ => blocks.push(l.full.clone()),
            }
        }
        Code { blocks }
    }

    /// True when the byte at `at` (a line's start, say) is fenced code.
    pub(crate) fn contains(&self, at: usize) -> bool {
        let i = self.blocks.partition_point(|b| b.end <= at);
        self.blocks.get(i).is_some_and(|b| b.start <= at)
    }

    /// The code blocks' byte ranges, fences included, in order.
    #[cfg(test)]
    pub(crate) fn blocks(&self) -> &[Range<usize>] {
        &self.blocks
    }
}

/// All sections in `text[range]`, in document order.
pub fn sections(text: &str, range: Range<usize>) -> Vec<Section> {
    let code = Code::scan(text, range.clone(), None);
    sections_in(text, range, &code)
}

/// All sections in `text[range]`, with the document's code blocks.
pub(crate) fn sections_in(text: &str, range: Range<usize>, code: &Code) -> Vec<Section> {
    let end = range.end;
    let mut heads: Vec<(usize, String, Range<usize>)> = Vec::new();
    for l in lines(text, range) {
        let s = &text[l.content.clone()];
        if code.contains(l.full.start) {
            continue;
        }
        if let Some((level, title)) = heading(s) {
            heads.push((level, title.to_string(), l.full.clone()));
        }
    }
    let mut out = Vec::with_capacity(heads.len());
    for (i, (level, title, h)) in heads.iter().enumerate() {
        let stop = heads[i + 1..]
            .iter()
            .find(|(l2, _, _)| l2 <= level)
            .map(|(_, _, h2)| h2.start)
            .unwrap_or(end);
        out.push(Section {
            level: *level,
            title: title.clone(),
            heading: h.clone(),
            content: h.end..stop,
        });
    }
    out
}

/// Find a section by title, case-insensitively, ignoring a leading emoji or
/// numbering ("## 3. Status", "## 📋 Work Log").
pub fn find<'a>(secs: &'a [Section], names: &[&str]) -> Option<&'a Section> {
    secs.iter().find(|s| {
        let t = normalize_title(&s.title);
        names.iter().any(|n| t.eq_ignore_ascii_case(n))
    })
}

/// A heading's title without leading emoji or numbering (`3. `, `1)`) and trailing
/// colons, for matching section names (`## 📋 Work Log:` is `Work Log`).
pub fn normalize_title(t: &str) -> &str {
    t.trim_start_matches(|c: char| !c.is_alphanumeric())
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .trim_start_matches(['.', ')', ' '])
        .trim_end_matches([':', ' '])
}

/// Where a section's own text ends: its first sub-heading, or its end.
pub fn own_content_end(doc: &super::Document, sec: &Section) -> usize {
    doc.sections
        .iter()
        .find(|s| s.heading.start >= sec.content.start && s.heading.start < sec.content.end)
        .map(|s| s.heading.start)
        .unwrap_or(sec.content.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_outside_code_only() {
        let t = "# T\n\n## A\ntext\n```\n## not\n```\n### A1\nx\n## B\ny";
        let s = sections(t, 0..t.len());
        let titles: Vec<_> = s.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, ["T", "A", "A1", "B"]);
        assert_eq!(&t[s[1].content.clone()], "text\n```\n## not\n```\n### A1\nx\n");
        assert_eq!(&t[s[3].content.clone()], "y");
    }

    #[test]
    fn an_unclosed_fence_hides_no_section() {
        let t = "# T\n\n## A\n```sh\nnever closed\n## Work Log\n| a |\n";
        let titles: Vec<_> = sections(t, 0..t.len()).into_iter().map(|s| s.title).collect();
        assert_eq!(titles, ["T", "A", "Work Log"]);
        // Nested with the same fence: one block, as the author meant; a
        // tilde fence that never closes is text.
        let t = "## A\n```markdown\n## Inner\n```bash\nx\n```\n```\n## B\n~~~~\n## C\n~~~\n";
        let titles: Vec<_> = sections(t, 0..t.len()).into_iter().map(|s| s.title).collect();
        assert_eq!(titles, ["A", "B", "C"]);
        // An unclosed block followed by a closed one: the first opener
        // never closed, whatever CommonMark pairs it with.
        let t = "## A\n```bash\necho\n\n## Work Log\n| a |\n\n## R\n```sh\nrm\n```\n## After\n";
        let titles: Vec<_> = sections(t, 0..t.len()).into_iter().map(|s| s.title).collect();
        assert_eq!(titles, ["A", "Work Log", "R", "After"]);
        let t = "└──┘\n— x\n```bash\necho\n## Work Log\n```markdown\n## Inner\n```python\nx\n```\n```\n";
        let titles: Vec<_> = sections(t, 0..t.len()).into_iter().map(|s| s.title).collect();
        assert_eq!(titles, ["Work Log"]);
        // A closed fence still hides what it holds.
        let t = "## A\n````\n```\n## Not\n````\n## B\n";
        let titles: Vec<_> = sections(t, 0..t.len()).into_iter().map(|s| s.title).collect();
        assert_eq!(titles, ["A", "B"]);
    }

    #[test]
    fn broken_fences_stay_linear() {
        // Shapes that would make a rescan quadratic: many openers that never
        // close, many info openers inside one fence, decreasing fences.
        let n = 60_000;
        let many: String = "```x\n".repeat(n) + "```\n## End\n";
        let lines: Vec<&str> = many.lines().collect();
        let code = code_lines(&lines);
        assert_eq!(code.len(), n + 2);
        assert!(!code[n + 1]);
        let decreasing: String = (3..3000).rev().map(|k| "`".repeat(k) + "\n").collect();
        assert_eq!(code_lines(&decreasing.lines().collect::<Vec<_>>()).len(), 2997);
    }

    #[test]
    fn heading_forms() {
        assert_eq!(heading("## Work Log ##"), Some((2, "Work Log")));
        assert_eq!(heading("#hashtag"), None);
        assert_eq!(heading("#"), Some((1, "")));
        assert_eq!(normalize_title("📋 Work Log"), "Work Log");
        assert_eq!(normalize_title("3. Status"), "Status");
    }
}
