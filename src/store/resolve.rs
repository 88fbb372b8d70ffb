//! The ID resolver: turns what a user typed (`30`, `030`, `adr-105`,
//! `DATA-1`, a path) into exactly one document, or an error that lists the
//! candidates. It only ever answers with documents already loaded from inside
//! the repository, so no input can name a file outside the root.

use crate::document::{Kind, Meta};

/// Why an ID does not name exactly one document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    /// No document has the ID.
    #[error("no document with ID {query:?}{}", hint(.suggestions))]
    NotFound {
        /// The ID as asked.
        query: String,
        /// Close IDs that do exist, for the message.
        suggestions: Vec<String>,
    },
    /// Several documents have the ID.
    #[error("ID {query:?} is ambiguous; it matches:\n{}", .paths.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n"))]
    Ambiguous {
        /// The ID as asked.
        query: String,
        /// Every matching document's path.
        paths: Vec<String>,
    },
}

fn hint(s: &[String]) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!(" (did you mean {}?)", s.join(", "))
    }
}

/// Split `DATA-001` into (`data`, 1); `0105` into (``, 105); `adr 105` into (`adr`, 105).
pub(crate) fn prefix_number(s: &str) -> Option<(String, u64)> {
    let s = s.trim();
    let digits_at = s.find(|c: char| c.is_ascii_digit())?;
    let (p, d) = s.split_at(digits_at);
    if !d.bytes().all(|b| b.is_ascii_digit()) || d.len() > 18 {
        return None;
    }
    let p = p.trim_end_matches(['-', ' ', '_', '#']).to_ascii_lowercase();
    Some((p, d.parse().ok()?))
}

/// True when `query` could name the file at repository-relative `path`
/// judging by the file name alone: the name's ID part matches exactly or by
/// number. A superset of what [`resolve`] accepts for documents whose ID is
/// in their name; used to load only candidates before resolving for a write.
pub(crate) fn could_name(query: &str, path: &str) -> bool {
    let q = query.trim();
    let p = q.trim_start_matches("./").replace('\\', "/");
    let name = crate::document::file_name(path);
    if path == p || name == p {
        return true;
    }
    let file = crate::document::filename::FileName::parse(name);
    let Some(id) = file.id_str() else {
        return false;
    };
    if id.eq_ignore_ascii_case(q) {
        return true;
    }
    match (prefix_number(q), prefix_number(id)) {
        (Some((qp, qn)), Some((ip, inn))) => {
            qn == inn && (qp == ip || (qp.is_empty() && ip == "adr") || (qp == "adr" && ip.is_empty()))
        }
        _ => false,
    }
}

/// What the resolver and the whole-repository checks read of a
/// document: a loaded [`Meta`], or what the index holds of one before it
/// is decoded (`super::one`).
pub(crate) trait Named {
    fn id(&self) -> &str;
    fn kind(&self) -> Kind;
    fn path(&self) -> &str;
    fn title(&self) -> &str;
    fn dependencies(&self) -> impl Iterator<Item = &str>;
}

impl Named for Meta {
    fn id(&self) -> &str {
        &self.id
    }
    fn kind(&self) -> Kind {
        self.kind
    }
    fn path(&self) -> &str {
        &self.path
    }
    fn title(&self) -> &str {
        &self.title
    }
    fn dependencies(&self) -> impl Iterator<Item = &str> {
        self.dependencies.iter().map(String::as_str)
    }
}

/// Find the one document `query` names among `items`.
pub(crate) fn resolve<'a, T: Named>(items: &'a [T], query: &str) -> Result<&'a T, ResolveError> {
    let q = query.trim();
    let many = |v: Vec<&'a T>| -> Result<&'a T, ResolveError> {
        match v.len() {
            1 => Ok(v[0]),
            _ => Err(ResolveError::Ambiguous {
                query: q.to_string(),
                paths: v.iter().map(|m| m.path().to_string()).collect(),
            }),
        }
    };
    if q.is_empty() {
        return Err(ResolveError::NotFound {
            query: q.into(),
            suggestions: vec![],
        });
    }
    // A repository-relative path.
    if q.contains('/') || q.ends_with(".md") {
        let p = q.trim_start_matches("./").replace('\\', "/");
        let v: Vec<_> = items
            .iter()
            .filter(|m| m.path() == p || crate::document::file_name(m.path()) == p)
            .collect();
        if !v.is_empty() {
            return many(v);
        }
    }
    // Exact ID.
    let exact: Vec<_> = items.iter().filter(|m| m.id().eq_ignore_ascii_case(q)).collect();
    if !exact.is_empty() {
        return many(exact);
    }
    // By number, with or without zeros and prefix.
    if let Some((qp, qn)) = prefix_number(q) {
        let v: Vec<_> = items
            .iter()
            .filter(|m| {
                let Some((mp, mn)) = prefix_number(m.id()) else {
                    return false;
                };
                if mn != qn {
                    return false;
                }
                if qp.is_empty() {
                    mp.is_empty() || (m.kind() == Kind::Adr && mp == "adr")
                } else {
                    mp == qp
                }
            })
            .collect();
        if !v.is_empty() {
            return many(v);
        }
    }
    let lower = q.to_ascii_lowercase();
    let mut suggestions: Vec<String> = items
        .iter()
        .filter(|m| m.id().to_ascii_lowercase().contains(&lower) || m.title().to_ascii_lowercase().contains(&lower))
        .take(3)
        .map(|m| m.id().to_string())
        .collect();
    suggestions.dedup();
    Err(ResolveError::NotFound {
        query: q.into(),
        suggestions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(id: &str, kind: Kind, path: &str) -> Meta {
        let d = crate::document::Document::parse(path, "# T\n".into());
        let mut m = d.meta;
        m.id = id.into();
        m.kind = kind;
        m
    }

    #[test]
    fn resolves_numbers_prefixes_and_paths() {
        let items = vec![
            meta("030", Kind::Todo, "findings/030-pending-p1-a.md"),
            meta("003", Kind::Todo, "findings/003-pending-p1-b.md"),
            meta("DATA-001", Kind::Finding, "findings/DATA-001-open-P2-c.md"),
            meta("ADR-0105", Kind::Adr, "adr/0105-d.md"),
        ];
        for q in ["030", "30", "findings/030-pending-p1-a.md"] {
            assert_eq!(resolve(&items, q).unwrap().id, "030", "{q}");
        }
        for q in ["0105", "105", "ADR-0105", "adr-105", "adr 105"] {
            assert_eq!(resolve(&items, q).unwrap().id, "ADR-0105", "{q}");
        }
        assert_eq!(resolve(&items, "data-1").unwrap().id, "DATA-001");
        assert!(matches!(
            resolve(&items, "../../etc/passwd"),
            Err(ResolveError::NotFound { .. })
        ));
        assert!(matches!(resolve(&items, "999"), Err(ResolveError::NotFound { .. })));
    }

    #[test]
    fn ambiguity_lists_paths() {
        let items = vec![
            meta("013", Kind::Todo, "t/013-a.md"),
            meta("013", Kind::Todo, "t/013-b.md"),
        ];
        let e = resolve(&items, "13").unwrap_err();
        assert!(
            e.to_string().contains("t/013-a.md") && e.to_string().contains("t/013-b.md"),
            "{e}"
        );
    }
}
