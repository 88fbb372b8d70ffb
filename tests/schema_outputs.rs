//! The JSON schemas in `schemas/` against real output: `list` and `show` of
//! the bundled samples and of corpus documents, and every write command's
//! `--format json` (committed, `--dry-run`, `--no-commit`) in a git copy of
//! the samples.

mod common;
mod schema_support;

use assert_cmd::Command;
use schema_support::{assert_valid, is_valid, schema};
use std::path::Path;

fn findings(root: &Path, home: &Path, args: &[&str]) -> serde_json::Value {
    let mut std = std::process::Command::new(assert_cmd::cargo::cargo_bin("findings"));
    std.current_dir(root);
    common::isolate_git(&mut std, home);
    let out = Command::from_std(std).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "findings {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("findings {args:?}: {e}"))
}

fn git(root: &Path, home: &Path, args: &[&str]) {
    let mut c = std::process::Command::new("git");
    c.current_dir(root).args(args);
    common::isolate_git(&mut c, home);
    assert!(c.status().unwrap().success(), "git {args:?}");
}

#[test]
fn list_and_show_of_the_samples_and_the_corpus_validate() {
    let (list, show) = (schema("schemas/list.schema.json"), schema("schemas/show.schema.json"));
    // One home for the shared definitions: the two files hold the same `$defs`.
    assert_eq!(
        list["$defs"], show["$defs"],
        "schemas/list and schemas/show define items differently"
    );
    let home = tempfile::tempdir().unwrap();
    let samples = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut roots = vec![samples.to_path_buf()];
    if let Some(corpus) = common::corpus_dir() {
        for p in [
            "johnneerdael__wled-home-assistant",
            "steveyegge__beads",
            "ascalva__mind-palace",
        ] {
            roots.push(corpus.join(p));
        }
    }
    let mut shown = 0;
    for root in &roots {
        let v = findings(root, home.path(), &["list", "--format", "json"]);
        assert_valid(&list, &v, &format!("list of {}", root.display()));
        // `show` of the first few documents (every one for the samples).
        for item in v["items"].as_array().unwrap().iter().take(8) {
            let id = item["path"].as_str().unwrap();
            let s = findings(root, home.path(), &["show", id, "--format", "json"]);
            assert_valid(&show, &s, &format!("show {id}"));
            shown += 1;
        }
    }
    assert!(shown >= 5);
    // The schemas are not vacuous.
    let mut bad = findings(samples, home.path(), &["list", "--format", "json"]);
    bad["items"][0]["locations"][0]["start_line"] = 0.into();
    assert!(!is_valid(&list, &bad));
    bad["items"][0]["kind"] = "bug".into();
    assert!(!is_valid(&list, &bad));
}

#[test]
fn every_write_command_json_validates() {
    let write = schema("schemas/write.schema.json");
    let d = tempfile::tempdir().unwrap();
    let (root, home) = (d.path().join("repo"), d.path().join("home"));
    std::fs::create_dir_all(&root).unwrap();
    std::fs::create_dir_all(&home).unwrap();
    git(&root, &home, &["init", "-q", "-b", "main"]);
    git(&root, &home, &["config", "user.name", "Test User"]);
    git(&root, &home, &["config", "user.email", "test@example.com"]);
    git(&root, &home, &["config", "commit.gpgsign", "false"]);
    common::copy_samples(&root);
    git(&root, &home, &["add", "-A"]);
    git(&root, &home, &["commit", "-q", "-m", "samples"]);
    let runs: &[&[&str]] = &[
        &["triage", "030", "--action", "upsert", "--dry-run"],
        &["triage", "030", "--action", "upsert"],
        &["log", "030", "checked the route", "--no-commit"],
        &["status", "003", "wontfix", "--reason", "duplicate of 030"],
        &[
            "new",
            "-k",
            "finding",
            "--title",
            "Schema check",
            "--category",
            "security",
        ],
        &["new", "-k", "adr", "--title", "Schemas for every output"],
        &["adr", "supersede", "0105", "0106"],
    ];
    let mut with_commit = 0;
    for args in runs {
        let mut a = args.to_vec();
        a.extend(["--format", "json"]);
        let v = findings(&root, &home, &a);
        assert_valid(&write, &v, &format!("findings {args:?}"));
        with_commit += usize::from(v["commit"].is_string());
    }
    assert_eq!(with_commit, 5, "the committed runs name their commit");
}
