//! The code locations a document cites: `path`, and the lines when given.
//!
//! Review documents point at code in several shapes, all read here:
//!
//! - a labelled line: `**Location**: \`src/api/route.ts\` (lines 158-195)`,
//!   `- File: \`src/services/x.ts\``, `**Affected Location**: \`a.py\` lines 31, 71-74`;
//! - any line of a `## Location` (or `## Files`, `## Affected files`) section;
//! - front-matter keys `file:` (or `location:`) with `line:` / `lines:`;
//! - `path:line`, `path:start-end` and `path#Lstart-Lend` anywhere in the prose, and
//!   `` `path` lines N-M `` or `Line N in path`.
//!
//! Only what looks like a repository path counts: a relative path ending in
//! a file name with an extension (a bare file name only with a known
//! source-file extension), never part of a URL, never absolute, never a
//! version number or a time. A path without lines is taken only where the
//! document says it is a location (a labelled line, a location section, the
//! front matter). Fenced code is not read (stack traces and examples cite
//! the machine they ran on). The parse is pure; what the cited files hold
//! is checked by [`crate::locations`].

use super::sections;
use super::Document;
use regex::Regex;
use serde::Serialize;
use std::sync::LazyLock;

/// At most this many locations are kept per document.
pub(crate) const MAX_PER_DOCUMENT: usize = 64;
/// Line numbers above this are not read as line numbers.
const MAX_LINE: u32 = 10_000_000;
/// Lines of the document longer than this are not searched.
const MAX_LINE_LEN: usize = 4096;

/// One cited location: a repository-relative path, and the lines when the
/// document gives them (`end_line` equals `start_line` for a single line).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Location {
    /// The cited file, relative to the repository root, `/`-separated.
    pub path: String,
    /// The first cited line (1-based), `None` when the document cites the file only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_line: Option<u32>,
    /// The last cited line (1-based, inclusive), `None` when the document cites the
    /// file only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_line: Option<u32>,
    /// The line of the document that cites it (1-based).
    #[serde(skip)]
    pub cited_at: usize,
}

/// Extensions a bare file name (no `/`) must carry to count as a path:
/// `api.py:960` is a location, `example.com:443` is not.
const KNOWN_EXTENSIONS: &[&str] = &[
    "bash",
    "bat",
    "c",
    "cc",
    "cfg",
    "cjs",
    "clj",
    "cmake",
    "conf",
    "cpp",
    "cs",
    "css",
    "csv",
    "cts",
    "cxx",
    "dart",
    "dockerfile",
    "el",
    "env",
    "erb",
    "erl",
    "ex",
    "exs",
    "fs",
    "gd",
    "go",
    "gradle",
    "graphql",
    "groovy",
    "h",
    "hbs",
    "hcl",
    "hh",
    "hpp",
    "hs",
    "htm",
    "html",
    "ini",
    "ipynb",
    "j2",
    "java",
    "jl",
    "js",
    "json",
    "jsonc",
    "jsx",
    "kt",
    "kts",
    "less",
    "lock",
    "lua",
    "m",
    "md",
    "mdx",
    "mjs",
    "ml",
    "mm",
    "mts",
    "nix",
    "php",
    "pl",
    "pm",
    "prisma",
    "properties",
    "proto",
    "ps1",
    "py",
    "pyi",
    "r",
    "rb",
    "rs",
    "sass",
    "scala",
    "scss",
    "sh",
    "sol",
    "sql",
    "svelte",
    "swift",
    "template",
    "tf",
    "tmpl",
    "toml",
    "ts",
    "tsx",
    "txt",
    "vb",
    "vue",
    "xml",
    "yaml",
    "yml",
    "zig",
    "zsh",
];

/// A path, then optionally `:N`, `:N-M` (`:N:col`), or `#LN-LM`.
static PATH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?P<path>(?:[A-Za-z0-9_@.+\-\[\]]+/)*[A-Za-z0-9_@+\-\[\]][A-Za-z0-9_@.+\-\[\]]*\.[A-Za-z][A-Za-z0-9]{0,11})
        (?:
            :(?P<a>[0-9]{1,8})(?:[\-–](?P<b>[0-9]{1,8}))?(?::[0-9]+)?
          | \#L(?P<c>[0-9]{1,8})(?:-L?(?P<d>[0-9]{1,8}))?
        )?",
    )
    .expect("the path pattern is valid")
});

/// `lines 158-195`, `(lines 31, 71-74)`, `- Lines 20`, `line 5` right after a path.
static LINES_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^`?\s*(?:[\-–—:,]\s*)?\(?\s*(?:at\s+)?lines?\s+(?P<r>[0-9]{1,8}(?:\s*[\-–]\s*[0-9]{1,8})?(?:\s*(?:,|and)\s*[0-9]{1,8}(?:\s*[\-–]\s*[0-9]{1,8})?)*)",
    )
    .expect("the lines pattern is valid")
});

/// `Line 960 in ` / `lines 20-22 of ` right before a path.
static LINES_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\blines?\s+(?P<r>[0-9]{1,8}(?:\s*[\-–]\s*[0-9]{1,8})?)\s+(?:in|of)\s+`?$")
        .expect("the lines-before pattern is valid")
});

/// A labelled line: `**Location**: …`, `- File: …`, `**Affected Location:** …`.
static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*(?:[\-*+]\s+)?(?:\*\*|__)?(?:[a-z]+\s+){0,2}(?:locations?|files?|file\s+path|path)(?:\*\*|__)?\s*:(?:\*\*|__)?\s*",
    )
    .expect("the label pattern is valid")
});

/// A URL (`scheme://…`) or a `www.` host: nothing in it is a path.
static URL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b[a-z][a-z0-9+.\-]*://\S*|\bwww\.\S*").expect("the URL pattern is valid"));

/// True for the title of a section that lists locations (`## Location`,
/// `## Affected files`); not one that merely mentions the word.
fn is_location_section(title: &str) -> bool {
    let t = sections::normalize_title(title).to_ascii_lowercase();
    let t = t.trim_end_matches(':').trim();
    let t = t
        .strip_prefix("affected ")
        .or_else(|| t.strip_prefix("code "))
        .unwrap_or(t);
    matches!(
        t,
        "location" | "locations" | "file" | "files" | "files affected" | "files involved" | "code" | "file location"
    )
}

/// Every location `doc` cites, in the order cited, each once.
pub fn find(doc: &Document) -> Vec<Location> {
    let mut out = Vec::new();
    front_matter(doc, &mut out);
    let text = &doc.text;
    let body = doc.split.body.clone();
    let first_line = super::text::position(text, body.start).0;
    // The level of the location section we are in, if any.
    let mut in_section: Option<usize> = None;
    let mut at = body.start;
    for (this_line, line) in (first_line..).zip(text[body.clone()].split_inclusive('\n')) {
        let start = at;
        at += line.len();
        if out.len() >= MAX_PER_DOCUMENT {
            break;
        }
        if doc.code.contains(start) {
            continue;
        }
        let line = line.trim_end_matches(['\n', '\r']);
        if let Some((level, title)) = sections::heading(line) {
            if in_section.is_some_and(|l| level <= l) {
                in_section = None;
            }
            if level >= 2 && is_location_section(title) {
                in_section = Some(level);
            }
            continue;
        }
        if line.len() > MAX_LINE_LEN {
            continue;
        }
        scan_line(line, this_line, in_section.is_some(), &mut out);
    }
    out.truncate(MAX_PER_DOCUMENT);
    out
}

/// Front-matter `file:` / `location:` with `line:` / `lines:` (or a
/// `path:line` value).
fn front_matter(doc: &Document, out: &mut Vec<Location>) {
    for key in ["file", "location"] {
        let Some(value) = doc.scalar(key) else { continue };
        let cited_at = doc
            .key(key)
            .map(|k| super::text::position(&doc.text, k.value.start).0)
            .unwrap_or(1);
        let Some(caps) = PATH.captures(value.trim().trim_matches('`')) else {
            continue;
        };
        let Some(path) = caps.name("path").filter(|m| m.start() == 0) else {
            continue;
        };
        let Some(path) = clean_path(path.as_str()) else {
            continue;
        };
        let mut ranges = suffix_range(&caps).into_iter().collect::<Vec<_>>();
        if ranges.is_empty() {
            let lines = doc.scalar("line").or_else(|| doc.scalar("lines"));
            ranges = lines.map(|l| parse_ranges(&l)).unwrap_or_default();
        }
        push(out, &path, &ranges, cited_at);
    }
}

/// The line range written right after the path (`:N-M`, `#LN-LM`).
fn suffix_range(caps: &regex::Captures<'_>) -> Option<(u32, u32)> {
    let num = |n: &str| caps.name(n).and_then(|m| m.as_str().parse::<u32>().ok());
    let (a, b) = match (num("a"), num("c")) {
        (Some(a), _) => (a, num("b")),
        (None, Some(c)) => (c, num("d")),
        (None, None) => return None,
    };
    range(a, b)
}

fn range(a: u32, b: Option<u32>) -> Option<(u32, u32)> {
    if a == 0 || a > MAX_LINE {
        return None;
    }
    match b {
        Some(b) if b >= a && b <= MAX_LINE => Some((a, b)),
        _ => Some((a, a)),
    }
}

/// `31, 71-74` → `[(31, 31), (71, 74)]`.
fn parse_ranges(s: &str) -> Vec<(u32, u32)> {
    s.split([',', ';'])
        .flat_map(|p| p.split(" and "))
        .filter_map(|p| {
            let p = p.trim().trim_start_matches(['L', 'l']);
            let mut it = p.splitn(2, ['-', '–']);
            let a = it.next()?.trim().parse().ok()?;
            let b = it
                .next()
                .and_then(|b| b.trim().trim_start_matches(['L', 'l']).parse().ok());
            range(a, b)
        })
        .collect()
}

/// The path as a repository-relative path, or `None` when it does not
/// look like one.
fn clean_path(p: &str) -> Option<String> {
    let p = p.strip_prefix("./").unwrap_or(p);
    let (dir, name) = match p.rsplit_once('/') {
        Some((d, n)) => (Some(d), n),
        None => (None, p),
    };
    let ext = name.rsplit_once('.').map(|(_, e)| e)?;
    if name.starts_with('.') && name[1..].find('.').is_none() && dir.is_none() {
        // `.env` alone is a file name; keep it only with a directory.
        return None;
    }
    if dir.is_none() && !KNOWN_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()) {
        return None;
    }
    if p.split('/')
        .any(|c| c.is_empty() || c.chars().all(|ch| ch == '.') && c != "..")
    {
        return None;
    }
    // A version (`1.2.3`), not a file name.
    if name
        .split('.')
        .next()
        .is_some_and(|stem| stem.chars().all(|c| c.is_ascii_digit()))
        && dir.is_none()
    {
        return None;
    }
    Some(p.to_string())
}

fn push(out: &mut Vec<Location>, path: &str, ranges: &[(u32, u32)], cited_at: usize) {
    let mut add = |start_line: Option<u32>, end_line: Option<u32>| {
        let l = Location {
            path: path.to_string(),
            start_line,
            end_line,
            cited_at,
        };
        let same = |o: &Location| o.path == l.path && o.start_line == l.start_line && o.end_line == l.end_line;
        if !out.iter().any(same) && out.len() < MAX_PER_DOCUMENT {
            out.push(l);
        }
    };
    if ranges.is_empty() {
        add(None, None);
    }
    for &(a, b) in ranges {
        add(Some(a), Some(b));
    }
}

/// True when a byte can continue a path or a word (a path that starts or
/// ends next to one is part of something else).
fn word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'/' | b'\\' | b'.' | b'@' | b'~' | b'$' | b'%' | b'=')
}

fn scan_line(line: &str, cited_at: usize, in_section: bool, out: &mut Vec<Location>) {
    // Cheap test first: most prose names no location.
    let bytes = line.as_bytes();
    let label_end = LABEL.find(line).map(|m| m.end());
    let colon_digit = bytes.windows(2).any(|w| w[0] == b':' && w[1].is_ascii_digit());
    let anchor = line.contains("#L");
    let lines_word = line.contains("ine") || line.contains("INE");
    if label_end.is_none() && !in_section && !colon_digit && !anchor && !lines_word {
        return;
    }
    let urls: Vec<std::ops::Range<usize>> = URL.find_iter(line).map(|m| m.range()).collect();
    for caps in PATH.captures_iter(line) {
        let Some(m) = caps.get(0) else { continue };
        let Some(pm) = caps.name("path") else { continue };
        if urls.iter().any(|u| u.start <= m.start() && m.start() < u.end) {
            continue;
        }
        // Part of a longer word, an absolute path, a `~/` path or a URL.
        if m.start() > 0 {
            let before = bytes[m.start() - 1];
            if word_byte(before) || before == b':' || before == b'-' {
                continue;
            }
        }
        if let Some(&after) = bytes.get(m.end()) {
            let next = bytes.get(m.end() + 1).copied();
            if after.is_ascii_alphanumeric()
                || matches!(after, b'_' | b'/' | b'\\' | b'@' | b'(' | b'[')
                || (after == b':' && next.is_some_and(|n| n.is_ascii_alphabetic()))
            {
                continue;
            }
        }
        let Some(path) = clean_path(pm.as_str()) else { continue };
        let mut ranges: Vec<(u32, u32)> = suffix_range(&caps).into_iter().collect();
        if ranges.is_empty() {
            if let Some(c) = LINES_BEFORE.captures(&line[..m.start()]) {
                ranges = c.name("r").map(|r| parse_ranges(r.as_str())).unwrap_or_default();
            }
        }
        if ranges.is_empty() {
            if let Some(c) = LINES_AFTER.captures(&line[m.end()..]) {
                ranges = c.name("r").map(|r| parse_ranges(r.as_str())).unwrap_or_default();
            }
        }
        let labelled = label_end.is_some_and(|e| m.start() >= e);
        if ranges.is_empty() && !(labelled || in_section) {
            continue;
        }
        push(out, &path, &ranges, cited_at);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locs(text: &str) -> Vec<(String, Option<u32>, Option<u32>)> {
        let d = Document::parse("findings/001-x.md", text.to_string());
        find(&d)
            .into_iter()
            .map(|l| (l.path, l.start_line, l.end_line))
            .collect()
    }

    fn l(p: &str, a: u32, b: u32) -> (String, Option<u32>, Option<u32>) {
        (p.to_string(), Some(a), Some(b))
    }

    fn bare(p: &str) -> (String, Option<u32>, Option<u32>) {
        (p.to_string(), None, None)
    }

    #[test]
    fn labelled_lines_in_every_shape() {
        let t = "# T\n\n**Location**: `src/app/api/external/assignments/route.ts` (lines 158-195)\n\
                 **Location:** `custom_components/x/coordinator.py:208` - called during update\n\
                 - **Affected Location**: `custom_components/x/api.py` lines 31, 71-74\n\
                 - Location: custom_components/x/api.py:424\n\
                 - File: `src/services/billing.ts`\n\
                 - **Location**: Line 960 in api.py\n\
                 - **Location**: Lines 20-22 in select.py, lines 15-17 in light.py\n";
        assert_eq!(
            locs(t),
            vec![
                l("src/app/api/external/assignments/route.ts", 158, 195),
                l("custom_components/x/coordinator.py", 208, 208),
                l("custom_components/x/api.py", 31, 31),
                l("custom_components/x/api.py", 71, 74),
                l("custom_components/x/api.py", 424, 424),
                bare("src/services/billing.ts"),
                l("api.py", 960, 960),
                l("select.py", 20, 22),
                l("light.py", 15, 17),
            ]
        );
    }

    #[test]
    fn location_sections_and_front_matter() {
        let t = "---\nfile: src/lib/auth.ts\nlines: 10-20\n---\n# T\n\n## Location\n\n- `src/a.ts`\n- src/b/c.rs\n\n## Other\n\n- `src/d.ts` is not cited\n";
        assert_eq!(
            locs(t),
            vec![l("src/lib/auth.ts", 10, 20), bare("src/a.ts"), bare("src/b/c.rs")]
        );
        let t = "---\nlocation: src/x.py:7\n---\n# T\n";
        assert_eq!(locs(t), vec![l("src/x.py", 7, 7)]);
    }

    #[test]
    fn path_line_mentions_in_prose() {
        let t = "# T\n\nThe bug is at src/utils/logger.ts:19 and `src/a.rs:10-12`, see [x](src/b.rs#L3-L5).\n";
        assert_eq!(
            locs(t),
            vec![
                l("src/utils/logger.ts", 19, 19),
                l("src/a.rs", 10, 12),
                l("src/b.rs", 3, 5)
            ]
        );
    }

    #[test]
    fn no_urls_versions_times_or_absolute_paths() {
        let t = "# T\n\nSee https://example.com/src/a.ts:10 and http://host.io:8080/x.js:3 and \
                 www.site.com/a.js:4.\nMeeting at 12:30, version 1.2.3:4, node v18.2:1, example.com:443.\n\
                 Stack: /home/u/proj/src/a.ts:19 and ~/x/b.ts:3 and C:\\x\\a.ts:4.\n\
                 Mentioning `src/only.ts` without lines is not a location; nor is file.md:line_number.\n\
                 ```\nsrc/in/code.ts:12\n```\n";
        assert_eq!(locs(t), vec![]);
    }

    #[test]
    fn zero_and_reversed_lines_and_the_cap() {
        assert_eq!(locs("# T\n\nsrc/a.rs:0\n"), vec![]);
        assert_eq!(locs("# T\n\nsrc/a.rs:9-3\n"), vec![l("src/a.rs", 9, 9)]);
        let many: String = (1..200).map(|i| format!("src/a.rs:{i}\n")).collect();
        assert_eq!(locs(&format!("# T\n\n{many}")).len(), MAX_PER_DOCUMENT);
    }

    #[test]
    fn parent_paths_are_kept_for_check_to_refuse() {
        assert_eq!(
            locs("# T\n\n**Location**: `../../etc/passwd.txt`\n"),
            vec![bare("../../etc/passwd.txt")]
        );
    }
}
