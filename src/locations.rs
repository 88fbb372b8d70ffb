//! What the code locations cited by documents ([`crate::document::locations`])
//! find in the repository: `check` warns (`location-missing`) when an open
//! document cites a file that no longer exists, or lines beyond its end.
//!
//! Every cited path goes through containment (`store::contain`) before it
//! is looked at, so `../../etc/passwd` or a symbolic link leading out is
//! reported and never read; files are read bounded (`store::bounded`), and
//! each once however many documents cite it.

use crate::document::{Meta, Problem};
use crate::store::{self, bounded, contain, Repo};
use std::collections::HashMap;
use std::path::Path;

/// Cited files larger than this are not read to count their lines.
pub(crate) const READ_LIMIT: u64 = 16 * 1024 * 1024;

/// Statuses after which a document no longer asks anything of the code.
const CLOSED: &[&str] = &[
    "complete",
    "resolved",
    "wontfix",
    "wont_fix",
    "rejected",
    "deprecated",
    "superseded",
    "done",
    "closed",
];

/// True when the document is still open (no status, or one that is not
/// a closing one).
pub(crate) fn is_open(meta: &Meta) -> bool {
    match meta.status_owned() {
        None => true,
        Some(s) => !CLOSED.iter().any(|c| c.eq_ignore_ascii_case(&s)),
    }
}

/// What a cited path holds in the repository.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// A file, with its line count when it could be read.
    File(Option<usize>),
    /// Nothing at that path.
    Missing,
    /// A directory or something else that is not a file.
    NotFile,
    /// The path leads outside the repository; it was not looked at.
    Outside,
}

/// Looks up cited paths under one root, each once.
pub(crate) struct Targets<'a> {
    root: &'a Path,
    seen: HashMap<String, Target>,
}

impl<'a> Targets<'a> {
    pub(crate) fn new(root: &'a Path) -> Self {
        Targets {
            root,
            seen: HashMap::new(),
        }
    }

    /// What `rel` (repository-relative) is.
    pub(crate) fn get(&mut self, rel: &str) -> Target {
        if let Some(t) = self.seen.get(rel) {
            return *t;
        }
        let t = look(self.root, rel);
        self.seen.insert(rel.to_string(), t);
        t
    }
}

fn look(root: &Path, rel: &str) -> Target {
    let Ok(abs) = contain::inside(root, rel) else {
        return Target::Outside;
    };
    match std::fs::metadata(&abs) {
        Err(_) => Target::Missing,
        Ok(m) if !m.is_file() => Target::NotFile,
        Ok(m) if m.len() > READ_LIMIT => Target::File(None),
        Ok(_) => match bounded::read(&abs, READ_LIMIT) {
            Ok(bytes) => Target::File(Some(count_lines(&bytes))),
            Err(e) if e.is_not_found() => Target::Missing,
            Err(_) => Target::File(None),
        },
    }
}

/// Lines as an editor numbers them: a last line without a newline counts.
pub(crate) fn count_lines(bytes: &[u8]) -> usize {
    let n = bytes.iter().filter(|&&b| b == b'\n').count();
    if bytes.last().is_some_and(|&b| b != b'\n') {
        n + 1
    } else {
        n
    }
}

/// The `location-missing` warnings for the open documents of `repo`.
pub(crate) fn check(repo: &Repo) -> Vec<Problem> {
    let mut targets = Targets::new(&repo.root);
    repo.items
        .iter()
        .filter(|m| is_open(m))
        .flat_map(|m| problems(m, &mut targets))
        .collect()
}

/// The warnings for one document's locations.
pub(crate) fn problems(meta: &Meta, targets: &mut Targets<'_>) -> Vec<Problem> {
    let mut out = Vec::new();
    for l in &meta.locations {
        let shown = crate::document::text::inert(&l.path, false);
        let message = match (targets.get(&l.path), l.end_line) {
            (Target::Outside, _) => format!("cites {shown}, which is outside the repository (not read)"),
            (Target::Missing, _) => format!("cites {shown}, which does not exist in the repository"),
            (Target::NotFile, _) => format!("cites {shown}, which is not a file"),
            (Target::File(Some(n)), Some(end)) if end as usize > n => {
                let lines = match l.start_line {
                    Some(s) if s != end => format!("lines {s}-{end}"),
                    _ => format!("line {end}"),
                };
                format!("cites {lines} of {shown}, which has {n} line(s)")
            }
            _ => continue,
        };
        out.push(Problem::warning("location-missing", &meta.path, l.cited_at, 1, message));
    }
    out
}

/// The absolute path of a cited location, when it is inside the repository
/// (for opening it in an editor).
pub(crate) fn resolve(root: &Path, rel: &str) -> Result<std::path::PathBuf, store::contain::ContainError> {
    contain::inside(root, rel)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;

    #[test]
    fn missing_files_short_files_and_outside_paths() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join("src")).unwrap();
        std::fs::write(d.path().join("src/a.rs"), "1\n2\n3").unwrap();
        let text = "# T\n\n- **Location**: `src/a.rs` lines 2-3\n- **Location**: `src/a.rs:4`\n\
                    - **Location**: `src/gone.rs`\n- **Location**: `../../etc/passwd.txt`\n- **Location**: `src/x.md`\n";
        std::fs::create_dir_all(d.path().join("src/x.md")).unwrap();
        let meta = Document::parse("findings/001-x.md", text.into()).meta;
        let mut t = Targets::new(d.path());
        let got: Vec<String> = problems(&meta, &mut t).iter().map(|p| p.to_string()).collect();
        assert_eq!(
            got,
            [
                "findings/001-x.md:4:1: warning[location-missing]: cites line 4 of src/a.rs, which has 3 line(s)",
                "findings/001-x.md:5:1: warning[location-missing]: cites src/gone.rs, which does not exist in the repository",
                "findings/001-x.md:6:1: warning[location-missing]: cites ../../etc/passwd.txt, which is outside the repository (not read)",
                "findings/001-x.md:7:1: warning[location-missing]: cites src/x.md, which is not a file",
            ]
        );
    }

    #[test]
    fn closed_documents_are_not_open() {
        let m = |s: &str| Document::parse("findings/001-x.md", format!("---\nstatus: {s}\n---\n# T\n")).meta;
        assert!(is_open(&m("pending")));
        assert!(!is_open(&m("complete")));
        assert!(!is_open(&m("wont_fix")));
        assert_eq!(count_lines(b""), 0);
        assert_eq!(count_lines(b"a\nb"), 2);
        assert_eq!(count_lines(b"a\nb\n"), 2);
    }
}
