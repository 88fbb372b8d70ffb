//! `findings search TEXT`: ranking, line numbers and byte ranges, bounded
//! lines, smart case, filters, exit status and inert output, on small
//! repositories written here and on the bundled samples.

mod common;

use assert_cmd::Command;
use std::fs;
use std::path::Path;

fn findings() -> Command {
    common::findings()
}

fn todo(root: &Path, name: &str, title: &str, tags: &str, body: &str) {
    let dir = root.join("todos");
    fs::create_dir_all(&dir).unwrap();
    let text = format!(
        "---\nstatus: {}\npriority: p2\ntags: [{tags}]\n---\n\n# {title}\n\n{body}",
        { name.split('-').nth(1).unwrap() }
    );
    fs::write(dir.join(name), text).unwrap();
}

fn repo() -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    fs::create_dir(t.path().join(".git")).unwrap();
    t
}

fn run(root: &Path, args: &[&str]) -> (i32, String, String) {
    let out = findings()
        .arg("-C")
        .arg(root)
        .arg("search")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn json(root: &Path, args: &[&str]) -> serde_json::Value {
    let mut a = args.to_vec();
    a.extend(["--format", "json"]);
    let (code, out, err) = run(root, &a);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

fn ids(v: &serde_json::Value) -> Vec<String> {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn title_and_word_matches_rank_above_text_and_substring_matches() {
    let t = repo();
    let r = t.path();
    // Text only, part of a word, many times.
    todo(
        r,
        "001-pending-p2-a.md",
        "Alpha",
        "",
        "prismatic prismatic prismatic prismatic\n",
    );
    // Text only, a whole word, once.
    todo(r, "002-pending-p2-b.md", "Beta", "", "We use prisma here.\n");
    // Text only, a whole word, twice (ranks above 002 by count).
    todo(r, "003-pending-p2-c.md", "Gamma", "", "prisma\nand prisma again\n");
    // Title, part of a word.
    todo(r, "004-pending-p2-d.md", "Prismatic colours", "", "nothing\n");
    // A tag, a whole word.
    todo(r, "005-pending-p2-e.md", "Epsilon", "prisma", "nothing\n");
    todo(r, "006-pending-p2-f.md", "Unrelated", "", "nothing at all\n");
    let v = json(r, &["prisma"]);
    assert_eq!(ids(&v), ["005", "004", "003", "002", "001"]);
    let ranks: Vec<&str> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["rank"].as_str().unwrap())
        .collect();
    assert_eq!(ranks, ["field-word", "field", "text-word", "text-word", "text"]);
    assert_eq!(v["items"][0]["fields"][0]["field"], "tag");
}

#[test]
fn lines_are_numbered_from_one_with_byte_ranges_and_bounded() {
    let t = repo();
    let r = t.path();
    let body = "intro\r\né prisma, Prisma\r\nx\r\nprisma 3\r\nprisma 4\r\nprisma 5\r\n";
    todo(r, "001-pending-p2-a.md", "Alpha", "", body);
    let v = json(r, &["prisma", "-m", "2"]);
    let item = &v["items"][0];
    let text = fs::read_to_string(r.join("todos/001-pending-p2-a.md")).unwrap();
    let want_line = text.lines().position(|l| l.starts_with("é prisma")).unwrap() + 1;
    let l0 = &item["lines"][0];
    assert_eq!(l0["line"], want_line);
    assert_eq!(
        l0["text"], "é prisma, Prisma",
        "the line ending is not part of the line"
    );
    // Byte ranges: `é` is two bytes.
    assert_eq!(
        l0["matches"],
        serde_json::json!([{"start": 3, "end": 9}, {"start": 11, "end": 17}])
    );
    assert_eq!(item["lines"].as_array().unwrap().len(), 2);
    assert_eq!(item["more_lines"], 2);
    assert_eq!(item["matches"], 5);

    let (code, out, _) = run(r, &["prisma", "-m", "2", "--color", "never"]);
    assert_eq!(code, 0);
    assert!(out.contains(&format!("{want_line}: é prisma, Prisma")), "{out}");
    assert!(out.contains("2 more matching lines"), "{out}");
    assert!(out.contains("todos/001-pending-p2-a.md"), "{out}");
}

#[test]
fn smart_case_unless_told_otherwise() {
    let t = repo();
    let r = t.path();
    todo(r, "001-pending-p2-a.md", "Alpha", "", "uses Prisma\n");
    todo(r, "002-pending-p2-b.md", "Beta", "", "uses prisma\n");
    assert_eq!(ids(&json(r, &["prisma"])).len(), 2);
    let v = json(r, &["Prisma"]);
    assert_eq!(ids(&v), ["001"]);
    assert_eq!(v["case_sensitive"], true);
    assert_eq!(ids(&json(r, &["Prisma", "-i"])).len(), 2);
    assert_eq!(ids(&json(r, &["prisma", "--case-sensitive"])), ["002"]);
    let (code, _, err) = run(r, &["PRISMA"]);
    assert_eq!(code, 1);
    assert!(err.contains("-i ignores case"), "{err}");
    // A phrase is literal: no pattern syntax.
    assert_eq!(run(r, &["p.isma"]).0, 1);
}

#[test]
fn list_filters_apply() {
    let t = repo();
    let r = t.path();
    todo(r, "001-pending-p2-a.md", "Alpha", "db", "cache miss\n");
    todo(r, "002-ready-p2-b.md", "Beta", "", "cache miss\n");
    fs::create_dir_all(r.join("adr")).unwrap();
    fs::write(
        r.join("adr/0001-cache.md"),
        "# ADR 0001: Cache\n\n## Status\n\nAccepted\n\n## Decision\n\nA cache miss is fine.\n",
    )
    .unwrap();
    assert_eq!(ids(&json(r, &["cache miss"])).len(), 3);
    assert_eq!(ids(&json(r, &["cache miss", "-s", "pending"])), ["001"]);
    assert_eq!(ids(&json(r, &["cache miss", "-k", "adr"])), ["ADR-0001"]);
    assert_eq!(ids(&json(r, &["cache miss", "-t", "db"])), ["001"]);
    assert_eq!(ids(&json(r, &["miss", "-p", "p2", "-s", "ready"])), ["002"]);
}

#[test]
fn nothing_found_exits_1_and_errors_exit_2() {
    let t = repo();
    let r = t.path();
    todo(r, "001-pending-p2-a.md", "Alpha", "", "text\n");
    let (code, out, err) = run(r, &["absent-word"]);
    assert_eq!(code, 1);
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("no document matches"), "{err}");
    let (code, out, _) = run(r, &["absent-word", "--format", "json"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["items"], serde_json::json!([]));
    let (code, _, err) = run(r, &["  "]);
    assert_eq!(code, 2);
    assert!(err.contains("empty"), "{err}");
}

#[test]
fn text_from_files_is_inert() {
    let t = repo();
    let r = t.path();
    todo(
        r,
        "001-pending-p2-a.md",
        "Evil \u{1b}]0;pwned\u{7} title",
        "",
        "line with \u{1b}[2J clear and evil\u{9b}31m word\n",
    );
    let (code, out, _) = run(r, &["evil", "--color", "always"]);
    assert_eq!(code, 0);
    for bad in ['\u{7}', '\u{9b}', '\u{1b}'] {
        let stripped = out.replace("\u{1b}[1;31m", "").replace("\u{1b}[0m", "");
        let stripped = stripped
            .replace("\u{1b}[1m", "")
            .replace("\u{1b}[36m", "")
            .replace("\u{1b}[33m", "")
            .replace("\u{1b}[2m", "")
            .replace("\u{1b}[32m", "");
        assert!(!stripped.contains(bad), "{bad:?} reached the terminal: {out:?}");
    }
    let (_, out, _) = run(r, &["evil", "--format", "json"]);
    assert!(!out.contains('\u{1b}') && !out.contains('\u{9b}'), "{out:?}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v["items"][0]["lines"][0]["text"].as_str().unwrap().contains('\u{1b}'));
}

#[test]
fn samples_rank_the_prisma_adr_first() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = findings()
        .arg("-C")
        .arg(root)
        .args(["search", "prisma", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let got = ids(&v);
    assert_eq!(got[0], "ADR-0105", "{got:?}");
    assert!(got.contains(&"030".to_string()), "{got:?}");
}
