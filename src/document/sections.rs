//! Markdown section spans: ATX headings (`#` … `######`) outside fenced code
//! blocks, each with the byte range of its heading line and of its content
//! (up to the next heading of the same or a higher level).

use super::text::lines;
use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub level: usize,
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

/// A fenced-code tracker: feed it lines, it says whether each is code.
#[derive(Default)]
pub struct Fences {
    open: Option<(u8, usize)>,
}

impl Fences {
    /// True when `line` is inside a fenced block or is one of its fences.
    pub fn is_code(&mut self, line: &str) -> bool {
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

/// Which of `lines` are fenced code (fences included), where a fence that
/// is never closed is not a fence: broken markdown (an unclosed or
/// mis-nested fence) must not turn the rest of the document into code and
/// hide its sections. Linear: an opener counts only when a line after it
/// can close it.
pub fn code_lines(lines: &[&str]) -> Vec<bool> {
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
    let mut out = vec![false; lines.len()];
    let mut fences = Fences::default();
    for (i, l) in lines.iter().enumerate() {
        let was_open = fences.open.is_some();
        let code = fences.is_code(l);
        if !was_open {
            if let Some((c, n)) = fences.open {
                let (ticks, tildes) = longest_after[i];
                let best = if c == b'`' { ticks } else { tildes };
                if best < n {
                    // Never closed: plain text.
                    fences.open = None;
                    continue;
                }
            }
        }
        out[i] = code;
    }
    out
}

/// All sections in `text[range]`, in document order.
pub fn sections(text: &str, range: Range<usize>) -> Vec<Section> {
    let end = range.end;
    let all: Vec<_> = lines(text, range).collect();
    let code = code_lines(&all.iter().map(|l| &text[l.content.clone()]).collect::<Vec<_>>());
    let mut heads: Vec<(usize, String, Range<usize>)> = Vec::new();
    for (l, is_code) in all.iter().zip(code) {
        let s = &text[l.content.clone()];
        if is_code {
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

pub fn normalize_title(t: &str) -> &str {
    t.trim_start_matches(|c: char| !c.is_alphanumeric())
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .trim_start_matches(['.', ')', ' '])
        .trim_end_matches([':', ' '])
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
        // Mis-nested: the inner fence closes the outer one, the last fence
        // never closes.
        let t = "## A\n```markdown\n## Inner\n```bash\nx\n```\n```\n## B\n~~~~\n## C\n~~~\n";
        let titles: Vec<_> = sections(t, 0..t.len()).into_iter().map(|s| s.title).collect();
        assert_eq!(titles, ["A", "B", "C"]);
        // A closed fence still hides what it holds.
        let t = "## A\n````\n```\n## Not\n````\n## B\n";
        let titles: Vec<_> = sections(t, 0..t.len()).into_iter().map(|s| s.title).collect();
        assert_eq!(titles, ["A", "B"]);
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
