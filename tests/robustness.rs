//! Robustness: hostile and broken files never panic, and each is reported
//! with the expected problem code, alone, inside a repository and through
//! the command line. Property tests feed arbitrary bytes to `decode` and
//! arbitrary (and markdown-shaped) text to `Document::parse` and the parsers
//! beneath it.

mod common;

use findings::document::{self, fields, filename::FileName, frontmatter, sections, text, Document, Kind};
use findings::store::config::Config;
use findings::store::Repo;
use findings::workflow::{normalize_priority, normalize_status};
use proptest::prelude::*;
use std::path::Path;

/// Every span a document holds lies inside its text on character boundaries.
fn assert_spans(doc: &Document) {
    let t = &doc.text;
    let spans = common::spans(doc);
    for r in spans {
        assert!(
            r.start <= r.end && t.get(r.clone()).is_some(),
            "bad span {r:?} in {} bytes",
            t.len()
        );
    }
    for p in &doc.meta.problems {
        assert!(p.line >= 1 && p.column >= 1);
        assert!(p.line <= t.split('\n').count(), "{p}");
    }
}

/// Decode and parse like the store does; the problem codes, or the code of
/// the reason the bytes are not a document.
fn codes(path: &str, bytes: Vec<u8>) -> Outcome {
    let len = bytes.len();
    let text = document::decode(path, bytes).map_err(|u| u.0.code)?;
    assert_eq!(text.len(), len);
    let d = Document::parse(path, text);
    assert_spans(&d);
    Ok(d.meta.problems.iter().map(|p| p.code).collect())
}

const FM: &str = "---\nid: X-1\nstatus: open\npriority: P2\n---\n\n# Title\n\nBody.\n";

/// The problem codes of a loaded document, or the code of why it is not one.
type Outcome = Result<Vec<&'static str>, &'static str>;

/// Hostile files: name, bytes, and the expected outcome.
fn cases() -> Vec<(&'static str, Vec<u8>, Outcome)> {
    let mut nul_middle = FM.as_bytes().to_vec();
    nul_middle.splice(30..30, [0u8]);
    let mut non_utf8 = FM.as_bytes().to_vec();
    non_utf8.extend_from_slice(b"caf\xe9 latin-1\n");
    let mut big = FM.as_bytes().to_vec();
    while big.len() < 1_100_000 {
        big.extend_from_slice(b"A line of ordinary prose, repeated to make the file large.\n");
    }
    let mut huge = FM.as_bytes().to_vec();
    huge.resize(20 * 1024 * 1024, b'x');
    let long_line = {
        let mut v = b"---\nid: X-9\nstatus: open\n---\n# T\n".to_vec();
        v.extend(std::iter::repeat_n(b'y', 1 << 20));
        v
    };
    let long_line_only = vec![b'z'; 1 << 20];
    let long_yaml_value = format!("---\nid: X-8\nstatus: open\ntitle: {}\n---\n", "t".repeat(1 << 20)).into_bytes();
    let long_heading = format!("# {}\n**Status**: Accepted\n", "h".repeat(1 << 20)).into_bytes();
    let deep_flow = format!(
        "---\nid: X-2\nstatus: open\nx: {}{}\n---\n",
        "[".repeat(50_000),
        "]".repeat(50_000)
    );
    let deep_block = {
        let mut s = String::from("---\nid: X-3\nstatus: open\nx:\n");
        for i in 0..2000 {
            s.push_str(&" ".repeat(2 * (i + 1)));
            s.push_str("k:\n");
        }
        s.push_str("---\n# T\n");
        s
    };
    let anchors = {
        // A "billion laughs" of aliases: the YAML parser refuses the expansion.
        let mut s = String::from("---\nid: X-4\nstatus: open\na0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            s.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n",
                p = i - 1
            ));
        }
        s.push_str("---\n");
        s
    };
    vec![
        ("binary.md", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(), Err("binary")),
        ("empty.md", vec![], Err("empty")),
        ("latin1.md", non_utf8, Err("not-utf8")),
        ("nul-middle.md", nul_middle, Err("binary")),
        ("big.md", big, Ok(vec![])),
        ("huge.md", huge, Err("too-large")),
        (
            "invalid-yaml.md",
            b"---\nid: X-5\nstatus: open\nowner: -\n  bad: [\n---\n# T\n".to_vec(),
            Ok(vec!["invalid-yaml"]),
        ),
        (
            "unterminated.md",
            b"---\nid: X-6\nstatus: open\n# T\nno closing fence\n".to_vec(),
            Ok(vec!["unterminated-front-matter"]),
        ),
        (
            "conflict.md",
            b"---\nid: X-7\n<<<<<<< HEAD\nstatus: open\n=======\nstatus: resolved\n>>>>>>> branch\n---\n# T\n".to_vec(),
            Ok(vec!["invalid-yaml", "conflict-markers"]),
        ),
        (
            "conflict-body.md",
            b"---\nid: X-10\nstatus: open\n---\n# T\n<<<<<<< HEAD\na\n=======\nb\n>>>>>>> other\n".to_vec(),
            Ok(vec!["conflict-markers"]),
        ),
        ("deep-flow.md", deep_flow.into_bytes(), Ok(vec!["invalid-yaml"])),
        ("deep-block.md", deep_block.into_bytes(), Ok(vec!["invalid-yaml"])),
        (
            "deep-dash.md",
            format!("---\nid: X-11\nstatus: open\nx:\n  {}a\n---\n", "- ".repeat(100_000)).into_bytes(),
            Ok(vec!["invalid-yaml"]),
        ),
        ("anchors.md", anchors.into_bytes(), Ok(vec!["invalid-yaml"])),
        ("long-line.md", long_line, Ok(vec![])),
        ("long-line-only.md", long_line_only, Ok(vec![])),
        ("long-yaml-value.md", long_yaml_value, Ok(vec![])),
        ("long-heading.md", long_heading, Ok(vec![])),
        ("only-bom.md", b"\xef\xbb\xbf".to_vec(), Ok(vec![])),
        ("only-fence.md", b"---".to_vec(), Ok(vec!["unterminated-front-matter"])),
        ("only-fences.md", b"---\n---".to_vec(), Ok(vec![])),
        (
            "crlf-bare-cr.md",
            b"---\r\nstatus: open\r\n---\r\n# T\r\r\rx\r".to_vec(),
            Ok(vec![]),
        ),
        (
            // YAML forbids raw control characters.
            "control-chars-yaml.md",
            b"---\nid: \"\x1b[31mX\x07\"\nstatus: open\n---\n".to_vec(),
            Ok(vec!["invalid-yaml"]),
        ),
        (
            "control-chars-body.md",
            b"# \x1b]0;pwn\x07T\x1b[2J\n\n**Status**: open\x1b[0m\n".to_vec(),
            Ok(vec![]),
        ),
    ]
}

#[test]
fn hostile_files_give_the_expected_problem_codes() {
    for (name, bytes, want) in cases() {
        let path = format!("findings/{name}");
        let t0 = std::time::Instant::now();
        let got = std::panic::catch_unwind(|| codes(&path, bytes)).unwrap_or_else(|_| panic!("{name} panicked"));
        println!("{name}: {:?}", t0.elapsed());
        match (&got, &want) {
            (Ok(g), Ok(w)) => {
                let mut g = g.clone();
                let mut w = w.clone();
                g.sort();
                w.sort();
                assert_eq!(g, w, "{name}");
            }
            _ => assert_eq!(got, want, "{name}"),
        }
    }
}

#[test]
fn located_problems_point_at_the_fault() {
    let e = document::decode("a.md", b"# T\nok\nab\0c".to_vec()).unwrap_err().0;
    assert_eq!((e.code, e.line, e.column), ("binary", 3, 3));
    let e = document::decode("a.md", b"# T\n\nd\xc3\xa9j\xe0 vu\n".to_vec())
        .unwrap_err()
        .0;
    assert_eq!((e.code, e.line, e.column), ("not-utf8", 3, 4));
    let d = Document::parse("findings/X.md", "---\nid: X\nowner: -\n  bad: [\n---\n".into());
    let p = d.meta.problems.iter().find(|p| p.code == "invalid-yaml").unwrap();
    assert_eq!(p.line, 3, "{p}");
    let d = Document::parse("findings/X.md", "---\nid: X\n---\n# T\n\n<<<<<<< HEAD\n".into());
    let p = d.meta.problems.iter().find(|p| p.code == "conflict-markers").unwrap();
    assert_eq!((p.line, p.column), (6, 1));
    assert!(d.meta.conflicted);
}

#[test]
fn a_nul_after_the_binary_probe_still_loads_byte_identical() {
    // Only the first 8 KiB are probed for NUL; past that the text loads as is.
    let mut b = FM.as_bytes().to_vec();
    b.resize(100_000, b'a');
    b.push(0);
    b.extend_from_slice(b"\nmore\n");
    let t = document::decode("findings/n.md", b.clone()).unwrap();
    let d = Document::parse("findings/n.md", t);
    assert_eq!(d.text.as_bytes(), b.as_slice());
    assert_eq!(d.meta.status, Some("open"));
    assert_spans(&d);
}

fn write_cases(dir: &Path) {
    let f = dir.join("findings");
    std::fs::create_dir_all(&f).unwrap();
    // A marker so the root is not searched for above the temp dir.
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    for (name, bytes, _) in cases() {
        std::fs::write(f.join(name), bytes).unwrap();
    }
    std::fs::write(f.join("good.md"), FM).unwrap();
}

#[test]
fn a_repository_of_hostile_files_opens_and_reports_each() {
    let tmp = tempfile::tempdir().unwrap();
    write_cases(tmp.path());
    // Default discovery reads them too (and leaves out the ones that are no
    // document); with the folder named, every file there is one.
    let found = std::panic::catch_unwind(|| Repo::open_with(tmp.path(), Config::default())).expect("open panicked");
    assert!(found.items.iter().any(|m| m.path == "findings/good.md"));
    let config = Config {
        folders: Some(vec!["findings".into()]),
        ..Config::default()
    };
    let repo = std::panic::catch_unwind(|| Repo::open_with(tmp.path(), config)).expect("open panicked");
    for (name, _, want) in cases() {
        let path = format!("findings/{name}");
        match want {
            Err(code) => {
                assert!(
                    repo.file_problems.iter().any(|p| p.path == path && p.code == code),
                    "{path}: expected {code} in {:?}",
                    repo.file_problems
                );
                assert!(!repo.items.iter().any(|m| m.path == path), "{path} should not load");
            }
            Ok(w) => {
                let m = repo
                    .items
                    .iter()
                    .find(|m| m.path == path)
                    .unwrap_or_else(|| panic!("{path} not loaded"));
                for code in w {
                    assert!(
                        m.problems.iter().any(|p| p.code == code),
                        "{path}: {code} in {:?}",
                        m.problems
                    );
                }
            }
        }
    }
    assert!(repo
        .items
        .iter()
        .any(|m| m.path == "findings/good.md" && m.status == Some("open")));
    // Every problem renders as one terminal-safe line.
    for p in repo.problems() {
        let s = p.to_string();
        assert!(!s.contains('\n') && !s.contains('\x1b') && !s.contains('\x07'), "{s:?}");
    }
}

#[test]
fn the_cli_lists_and_checks_a_hostile_repository_without_panicking() {
    let tmp = tempfile::tempdir().unwrap();
    write_cases(tmp.path());
    let out = common::findings()
        .args(["-C", tmp.path().to_str().unwrap(), "list", "--format", "json"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("list --format json is JSON");
    let items = v["items"].as_array().expect("items");
    assert!(items.iter().any(|i| i["path"] == "findings/good.md"));
    assert!(!stderr.contains('\x1b'), "stderr is not terminal-safe: {stderr:?}");

    let out = common::findings()
        .args(["-C", tmp.path().to_str().unwrap(), "check"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!all.contains("panicked"), "{all}");
    assert_eq!(out.status.code(), Some(1), "check finds errors: {all}");
    for code in ["binary", "not-utf8", "too-large", "invalid-yaml", "conflict-markers"] {
        assert!(all.contains(&format!("[{code}]")), "check output lacks {code}: {all}");
    }
}

/// Markdown-shaped pieces, so random documents reach front matter, fields,
/// sections and fences far more often than uniform text would.
const PIECES: &[&str] = &[
    "---\n",
    "---\r\n",
    "...\n",
    "---",
    "\u{feff}",
    "status: open\n",
    "status: routed   # c\n",
    "status: \"in progress\n",
    "status:\n",
    "issue_id: \"001\"\n",
    "id: 'a''b'\n",
    "id: X-1\n",
    "title: T\n",
    "tags: [a, b\n",
    "tags:\n  - a\n",
    "priority: P1\n",
    "owner: -\n",
    "  bad: [\n",
    "# ADR 0105: T\n",
    "# 3. T\n",
    "# \n",
    "#\n",
    "## Status\n",
    "## Estado\n",
    "- [x] Done\n",
    "- [ ] Pending\n",
    "* Status: accepted\n",
    "**Status**: Accepted\n",
    "**Status:** In Progress\n",
    "| **Status** | X |\n",
    "|",
    "Status: ",
    "```\n",
    "~~~\n",
    "````md\n",
    "    ",
    "\t",
    "\r\n",
    "\r",
    "\n",
    "<<<<<<< HEAD\n",
    ">>>>>>> x\n",
    "é",
    "—",
    "🛡\u{fe0f}",
    "\u{1b}[31m",
    "\0",
    ":",
    "*",
    "_",
    "'",
    "\"",
    "\\",
    "[",
    "{",
    "&a ",
    "*a",
];

fn markdownish() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => prop::sample::select(PIECES).prop_map(str::to_string),
            1 => ".{0,12}",
        ],
        0..40,
    )
    .prop_map(|v| v.concat())
}

fn any_path() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(
            &[
                "findings/X-1.md",
                "findings/DATA-001-open-P2-x.md",
                "todos/001-pending-p1-x.md",
                "todos/0-x.md",
                "adr/0001-x.md",
                "adr/ADR-0083.md",
                "docs/decisions/README.md",
                "a/template.md",
                "x.md",
                ".md",
                "",
                "/",
            ][..]
        )
        .prop_map(str::to_string),
        ".{0,30}",
    ]
}

fn check_parse(path: &str, s: String) {
    let len = s.len();
    let d = Document::parse(path, s.clone());
    assert_eq!(d.text, s);
    assert_eq!(d.text.len(), len);
    assert_spans(&d);
    let _ = (
        d.meta.status_label(),
        d.h1(),
        d.body(),
        d.scalar("status"),
        d.list("tags"),
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn decode_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let copy = bytes.clone();
        if let Ok(t) = document::decode("f.md", bytes) {
            prop_assert_eq!(t.as_bytes(), copy.as_slice());
        }
    }

    #[test]
    fn decode_never_panics_on_near_utf8(s in ".{0,200}", cut in 0usize..200, junk in any::<u8>()) {
        let mut b = s.into_bytes();
        let at = cut.min(b.len());
        b.insert(at, junk);
        let _ = document::decode("f.md", b);
    }

    #[test]
    fn parse_never_panics_on_arbitrary_text(path in any_path(), s in ".{0,400}") {
        check_parse(&path, s);
    }

    #[test]
    fn parse_never_panics_on_markdown_shaped_text(path in any_path(), s in markdownish()) {
        check_parse(&path, s);
    }

    #[test]
    fn the_parts_never_panic(s in markdownish(), name in ".{0,40}") {
        let f = FileName::parse(&name);
        let _ = (f.id_str(), f.status_str(), f.priority_str(), f.slug_str(), f.with_status("done"));
        let sp = frontmatter::split(&s);
        if let Some(fm) = &sp.front {
            for k in frontmatter::keys(&s, fm.yaml.clone()) {
                let _ = k.text(&s);
            }
        }
        let secs = sections::sections(&s, sp.body.clone());
        let code = sections::Code::scan(&s, sp.body.clone(), None);
        let _ = fields::find_status(&s, sp.body.clone(), &secs, &code);
        for line in s.lines() {
            let _ = sections::heading(line);
            let _ = fields::field_value(line, &["status"]);
        }
        for k in Kind::ALL {
            let _ = normalize_status(k, &s);
        }
        let _ = normalize_priority(&s);
        let _ = document::strip_adr_prefix(&s);
        let _ = document::is_auxiliary(&name);
        let inert = text::inert(&s, true);
        prop_assert!(!inert.contains('\x1b') && !inert.contains('\0'));
        let _ = text::position(&s, s.len() / 2);
        let _ = text::line_ending(&s);
    }
}
