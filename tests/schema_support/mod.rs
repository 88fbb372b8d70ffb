//! Validating JSON output against a checked-in JSON schema (with formats
//! checked), for the SARIF export and the `--format json` outputs.

#![allow(dead_code)]

use std::path::Path;

/// The schema at `rel` (relative to the crate root), parsed.
pub fn schema(rel: &str) -> serde_json::Value {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Panics with every violation when `value` does not validate against
/// `schema`, formats (`uri`, `date-time` …) checked too.
pub fn assert_valid(schema: &serde_json::Value, value: &serde_json::Value, what: &str) {
    check(schema, value, what, true)
}

fn check(schema: &serde_json::Value, value: &serde_json::Value, what: &str, formats: bool) {
    let v = jsonschema::options()
        .should_validate_formats(formats)
        .build(schema)
        .expect("the schema compiles");
    let errors: Vec<String> = v
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what} does not validate:\n{}", errors.join("\n"));
}

/// True when `value` validates against `schema`.
pub fn is_valid(schema: &serde_json::Value, value: &serde_json::Value) -> bool {
    jsonschema::options()
        .should_validate_formats(true)
        .build(schema)
        .expect("the schema compiles")
        .is_valid(value)
}
