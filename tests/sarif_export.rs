//! `findings export --format sarif`: the log validates against the SARIF
//! 2.1.0 JSON schema, on the bundled samples and on every project of the
//! corpus, and carries what the issue asks (rules, levels, locations,
//! fingerprints).
//!
//! The schema, `tests/fixtures/sarif-schema-2.1.0.json`, is the OASIS SARIF
//! 2.1.0 schema as published at
//! https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json
//! (its `$id`; the copy shipped in the serde-sarif 0.8.0 crate), with one
//! change: the `pattern` of `language` (in `run` and `toolComponent`), published as
//! `^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`, is not a valid regular
//! expression (a stray `]`), and a validator that checks the schema refuses
//! it; it is written as intended, `^[a-zA-Z]{2}(-[a-zA-Z]{2})?$`. The
//! export writes no `language`.

mod common;
mod schema_support;

use assert_cmd::Command;
use std::path::Path;

fn sarif_schema() -> serde_json::Value {
    schema_support::schema("tests/fixtures/sarif-schema-2.1.0.json")
}

#[test]
fn the_samples_export_validates_and_says_what_the_issue_asks() {
    let out = Command::cargo_bin("findings")
        .unwrap()
        .arg("-C")
        .arg(env!("CARGO_MANIFEST_DIR"))
        .args(["export", "--format", "sarif"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    schema_support::assert_valid(&sarif_schema(), &v, "the samples' SARIF");
    assert_eq!(v["version"], "2.1.0");
    // The schema is strict enough to refuse a wrong level.
    let mut bad = v.clone();
    bad["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!schema_support::is_valid(&sarif_schema(), &bad));
    let run = &v["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "findings");
    let results = run["results"].as_array().unwrap();
    // Open findings and todos: 003, 030 and DATA-001; not the resolved
    // DATA-005, not the ADR.
    let ids: Vec<&str> = results
        .iter()
        .map(|r| r["fingerprints"]["findingsId/v1"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["003", "030", "DATA-001"]);
    let r030 = &results[1];
    assert_eq!(r030["ruleId"], "030");
    assert_eq!(r030["level"], "error", "p1 without a severity");
    assert_eq!(r030["partialFingerprints"]["findingsId/v1"], "030");
    let loc = &r030["locations"][0]["physicalLocation"];
    assert_eq!(
        loc["artifactLocation"]["uri"],
        "src/app/api/external/assignments/route.ts"
    );
    assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(loc["region"]["startLine"], 158);
    assert_eq!(loc["region"]["endLine"], 195);
    let data = &results[2];
    assert_eq!(data["ruleId"], "data-integrity", "the category is the rule");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(
        rules[data["ruleIndex"].as_u64().unwrap() as usize]["id"],
        "data-integrity"
    );
}

/// Every corpus project exported in-process: each log validates, and each
/// result has a location and the fingerprint of its ID.
#[test]
fn every_corpus_project_exports_valid_sarif() {
    let Some(dir) = common::corpus_dir() else { return };
    let schema = sarif_schema();
    let mut projects: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    projects.sort();
    let (mut results, mut cited) = (0, 0);
    for p in &projects {
        let repo = findings::store::Repo::open(Path::new(p)).unwrap();
        let all: Vec<usize> = (0..repo.items.len()).collect();
        let log = findings::export::sarif::export(&repo, &all);
        let v = serde_json::to_value(&log).unwrap();
        schema_support::assert_valid(&schema, &v, &p.display().to_string());
        for r in v["runs"][0]["results"].as_array().unwrap() {
            results += 1;
            assert!(r["fingerprints"]["findingsId/v1"].is_string(), "{r}");
            let locs = r["locations"].as_array().unwrap();
            assert!(!locs.is_empty());
            if locs[0]["physicalLocation"]["artifactLocation"]["uri"]
                != r["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            {
                cited += 1;
            }
        }
    }
    println!("{} projects, {results} results, {cited} at cited code", projects.len());
    assert!(results > 50 && cited > 10, "{results} results, {cited} cited");
}
