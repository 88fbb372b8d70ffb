//! SARIF 2.1.0 export: every open finding and todo as a result, built from
//! the typed structures of `serde-sarif` (never hand-written JSON).
//!
//! - rule: the document's `category` (`data-integrity`), else its ID;
//! - level: from the severity (`critical`, `dangerous`, `high` → `error`; `medium`, `risky`
//!   → `warning`; `low`, `info` → `note`), else from the priority (`p0`, `p1` → `error`,
//!   `p2` → `warning`, `p3`, `p4` → `note`), else `warning`;
//! - locations: the code locations the document cites ([`crate::document::locations`]) that
//!   stay inside the repository, relative to `%SRCROOT%`; a document that cites none is
//!   located at its own file; the document's file is always a related location;
//! - fingerprint: `findingsId/v1`, the document's ID, stable across edits and renames.

use crate::document::locations::Location as Cited;
use crate::document::{Kind, Meta};
use crate::store::Repo;
use serde_sarif::sarif::{
    ArtifactLocation, Location, Message, MultiformatMessageString, PhysicalLocation, PropertyBag, Region,
    ReportingDescriptor, Result as SarifResult, ResultLevel, Run, Sarif, Tool, ToolComponent,
};
use std::collections::BTreeMap;

/// The `$schema` the log names.
pub(crate) const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The base every location's `uri` is relative to (the repository root).
pub(crate) const SRCROOT: &str = "%SRCROOT%";
/// The key of the fingerprint made from the document's ID.
pub(crate) const FINGERPRINT: &str = "findingsId/v1";

/// True for the documents the export reports: open findings and todos.
pub(crate) fn reported(meta: &Meta) -> bool {
    meta.kind != Kind::Adr && crate::locations::is_open(meta)
}

/// The SARIF level for a severity word, else a priority.
pub(crate) fn level(severity: Option<&str>, priority: Option<&str>) -> ResultLevel {
    let by_severity = severity.and_then(|s| match s.trim().to_ascii_lowercase().as_str() {
        "critical" | "blocker" | "dangerous" | "high" | "error" | "severe" | "major" => Some(ResultLevel::Error),
        "medium" | "moderate" | "risky" | "warning" | "warn" => Some(ResultLevel::Warning),
        "low" | "minor" | "info" | "informational" | "note" | "trivial" => Some(ResultLevel::Note),
        _ => None,
    });
    by_severity.unwrap_or(match priority {
        Some("p0") | Some("p1") => ResultLevel::Error,
        Some("p3") | Some("p4") => ResultLevel::Note,
        _ => ResultLevel::Warning,
    })
}

/// One document to export: its meta and its `category`, when it has one.
pub struct Item<'a> {
    pub(crate) meta: &'a Meta,
    pub(crate) category: Option<String>,
}

/// The SARIF log of `items` (already filtered with `reported`).
pub fn log(root: &std::path::Path, items: &[Item<'_>]) -> Sarif {
    let mut rules: Vec<ReportingDescriptor> = Vec::new();
    let mut results = Vec::new();
    for item in items {
        let m = item.meta;
        let rule_id = item.category.clone().unwrap_or_else(|| m.id.clone());
        let rule_index = match rules.iter().position(|r| r.id == rule_id) {
            Some(i) => i,
            None => {
                let text = match &item.category {
                    Some(c) => format!("findings of category {c}"),
                    None => format!("{} {}", m.kind, m.id),
                };
                rules.push(
                    ReportingDescriptor::builder()
                        .id(rule_id.clone())
                        .short_description(MultiformatMessageString::builder().text(text).build())
                        .build(),
                );
                rules.len() - 1
            }
        };
        let own = location(&m.path, Some(1), None);
        let mut locations: Vec<Location> = m
            .locations
            .iter()
            .filter(|c| crate::locations::resolve(root, &c.path).is_ok())
            .map(cited)
            .collect();
        if locations.is_empty() {
            locations.push(own.clone());
        }
        let mut props = BTreeMap::new();
        props.insert("id".to_string(), serde_json::json!(m.id));
        props.insert("kind".to_string(), serde_json::json!(m.kind.as_str()));
        props.insert("status".to_string(), serde_json::json!(m.status_owned()));
        props.insert("priority".to_string(), serde_json::json!(m.priority));
        props.insert("severity".to_string(), serde_json::json!(m.severity));
        props.insert("path".to_string(), serde_json::json!(m.path));
        let mut bag = PropertyBag::builder().additional_properties(props).build();
        if !m.tags.is_empty() {
            bag.tags = Some(m.tags.clone());
        }
        let fingerprint: BTreeMap<String, String> = [(FINGERPRINT.to_string(), m.id.clone())].into();
        results.push(
            SarifResult::builder()
                .rule_id(rule_id)
                .rule_index(rule_index as i64)
                .level(level(m.severity.as_deref(), m.priority))
                .message(Message::builder().text(format!("{}: {}", m.id, m.title)).build())
                .locations(locations)
                .related_locations(vec![own])
                .partial_fingerprints(fingerprint.clone())
                .fingerprints(fingerprint)
                .properties(bag)
                .build(),
        );
    }
    let driver = ToolComponent::builder()
        .name("findings")
        .version(env!("CARGO_PKG_VERSION"))
        .information_uri("https://crates.io/crates/findings")
        .rules(rules)
        .build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .build();
    Sarif::builder()
        .schema(SCHEMA)
        .version(serde_json::json!("2.1.0"))
        .runs(vec![run])
        .build()
}

fn location(path: &str, start: Option<u32>, end: Option<u32>) -> Location {
    let artifact = ArtifactLocation::builder().uri(uri(path)).uri_base_id(SRCROOT).build();
    let mut physical = PhysicalLocation::builder().artifact_location(artifact).build();
    if let Some(s) = start {
        let mut region = Region::builder().start_line(s as i64).build();
        region.end_line = end.filter(|&e| e > s).map(|e| e as i64);
        physical.region = Some(region);
    }
    Location::builder().physical_location(physical).build()
}

fn cited(c: &Cited) -> Location {
    location(&c.path, c.start_line, c.end_line)
}

/// A relative path as a URI reference: each byte outside the unreserved
/// set and `/` percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The SARIF log of the repository's open findings and todos among
/// `selected` (indices into `repo.items`); documents that cannot be read
/// again are exported without a category.
pub fn export(repo: &Repo, selected: &[usize]) -> Sarif {
    let items: Vec<Item<'_>> = selected
        .iter()
        .map(|&i| &repo.items[i])
        .filter(|m| reported(m))
        .map(|meta| Item {
            meta,
            category: repo
                .document(meta)
                .ok()
                .and_then(|d| d.scalar("category"))
                .filter(|c| !c.trim().is_empty()),
        })
        .collect();
    log(&repo.root, &items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_from_severity_then_priority() {
        assert_eq!(level(Some("Critical"), Some("p3")), ResultLevel::Error);
        assert_eq!(level(Some("risky"), None), ResultLevel::Warning);
        assert_eq!(level(Some("low"), Some("p0")), ResultLevel::Note);
        assert_eq!(level(Some("whatever"), Some("p1")), ResultLevel::Error);
        assert_eq!(level(None, Some("p2")), ResultLevel::Warning);
        assert_eq!(level(None, Some("p3")), ResultLevel::Note);
        assert_eq!(level(None, None), ResultLevel::Warning);
    }

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(uri("src/a b/é.rs"), "src/a%20b/%C3%A9.rs");
        assert_eq!(uri("src/x_y-z.ts"), "src/x_y-z.ts");
    }
}
