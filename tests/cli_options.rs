//! `findings options ID [--action TEXT]`: the document's own options and
//! the accepted ADRs' options, ranked as `triage --action` ranks them, and
//! the one it would adopt; checked against what `triage --dry-run` adopts.

use assert_cmd::Command;
use std::path::Path;

mod common;

fn findings() -> Command {
    common::findings()
}

fn samples() -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    std::fs::create_dir(t.path().join(".git")).unwrap();
    common::copy_samples(t.path());
    t
}

fn json(root: &Path, args: &[&str]) -> serde_json::Value {
    common::json(root, "options", args)
}

#[test]
fn lists_own_and_accepted_adr_options() {
    let t = samples();
    let v = json(t.path(), &["030"]);
    assert_eq!(v["id"], "030");
    let opts = v["options"].as_array().unwrap();
    let own: Vec<&str> = opts
        .iter()
        .filter(|o| o["adr"].is_null())
        .map(|o| o["label"].as_str().unwrap())
        .collect();
    assert_eq!(own, ["A", "B"]);
    let adr: Vec<&str> = opts
        .iter()
        .filter(|o| !o["adr"].is_null())
        .map(|o| o["adr"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(adr, ["ADR-0105", "ADR-0105"]);
    assert!(opts.iter().all(|o| o["tier"].is_null() && o["adopted"] == false));
    assert!(v.get("adopts").is_none());
}

#[test]
fn action_ranks_and_names_what_triage_adopts() {
    let t = samples();
    let v = json(t.path(), &["030", "--action", "upsert"]);
    assert_eq!(v["adopts"]["result"], "adr");
    assert_eq!(v["adopts"]["adr"]["id"], "ADR-0105");
    assert_eq!(v["adopts"]["option"]["label"], "A");
    let first = &v["options"][0];
    assert_eq!(
        (first["adr"]["id"].as_str(), first["label"].as_str()),
        (Some("ADR-0105"), Some("A"))
    );
    assert_eq!(first["adopted"], true);
    assert!(first["tier"].is_u64());
    assert_eq!(
        v["options"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["adopted"] == true)
            .count(),
        1
    );

    // The same answer as triage gives.
    let out = findings()
        .arg("-C")
        .arg(t.path())
        .args(["triage", "030", "--action", "upsert", "--dry-run"])
        .output()
        .unwrap();
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.contains("0105"), "{s}");

    let v = json(t.path(), &["030", "-a", "B"]);
    assert_eq!(v["adopts"]["result"], "own");
    assert_eq!(v["adopts"]["option"]["label"], "B");
    assert_eq!(v["options"][0]["tier"], 0);

    let v = json(t.path(), &["030", "-a", "something nobody wrote"]);
    assert_eq!(v["adopts"]["result"], "none");
}

#[test]
fn text_output_marks_the_adopted_option() {
    let t = samples();
    let out = findings()
        .arg("-C")
        .arg(t.path())
        .args(["options", "030", "--action", "upsert", "--color", "never"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let s = String::from_utf8(out.stdout).unwrap();
    let adopted: Vec<&str> = s.lines().filter(|l| l.contains("<- adopted")).collect();
    assert_eq!(adopted.len(), 1, "{s}");
    assert!(
        adopted[0].contains("ADR-0105") && adopted[0].contains("Prisma upsert"),
        "{s}"
    );
    assert!(s.contains("--action \"upsert\" adopts ADR-0105 Option A"), "{s}");
}

#[test]
fn unknown_id_is_an_error() {
    let t = samples();
    findings()
        .arg("-C")
        .arg(t.path())
        .args(["options", "999"])
        .assert()
        .code(1);
}

#[test]
fn the_adopted_option_has_the_best_tier_shown() {
    let t = samples();
    for action in [
        "upsert",
        "B",
        "option a",
        "partial index",
        "transaction",
        "serializable isolation",
        "ADR-0105",
        "ADR-0105 B",
        "P2002 catch",
        "Prisma upsert",
    ] {
        let v = json(t.path(), &["030", "--action", action]);
        let opts = v["options"].as_array().unwrap();
        let adopted: Vec<&serde_json::Value> = opts.iter().filter(|o| o["adopted"] == true).collect();
        match v["adopts"]["result"].as_str().unwrap() {
            "own" | "adr" => {
                assert_eq!(adopted.len(), 1, "{action}: {v}");
                assert!(adopted[0]["tier"].is_u64(), "{action}: the adopted option matched");
                assert_eq!(adopted[0]["tier"], opts[0]["tier"], "{action}: best tier first: {v}");
            }
            _ => assert!(adopted.is_empty(), "{action}: {v}"),
        }
    }
}

/// An accepted ADR found by its content, in a folder with no family name
/// (`notes/`), lends its options as one in `adr/` does: the one-document
/// commands open the repository partially and must still see it.
#[test]
fn an_adr_found_by_content_outside_adr_folders_lends_its_options() {
    let src = tempfile::tempdir().unwrap();
    common::copy_samples(src.path());
    let t = tempfile::tempdir().unwrap();
    std::fs::create_dir(t.path().join(".git")).unwrap();
    let notes = t.path().join("notes");
    std::fs::create_dir(&notes).unwrap();
    for dir in ["findings", "todos", "adr"] {
        let Ok(rd) = std::fs::read_dir(src.path().join(dir)) else {
            continue;
        };
        for e in rd {
            let e = e.unwrap();
            if e.path().extension().is_some_and(|x| x == "md") {
                std::fs::copy(e.path(), notes.join(e.file_name())).unwrap();
            }
        }
    }
    let v = json(t.path(), &["030", "--action", "upsert"]);
    assert_eq!(v["adopts"]["adr"]["id"], "ADR-0105", "{v}");
}
