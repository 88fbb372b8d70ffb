//! `findings renumber ID NEW`: give a document another ID, for the duplicate
//! two people allocating at once created (`findings check --against` finds
//! them). One commit holds every change:
//!
//! - the file is renamed (the ID segment of its name: `031-pending-p2-x.md`
//!   → `032-pending-p2-x.md`, `0105-x.md` → `0107-x.md`);
//! - the ID inside is rewritten where the family keeps it: front-matter
//!   `issue_id` / `id`, an ADR's H1 number (`# ADR 0105: T`, `# 3. T`);
//! - other documents' references follow: IDs in `dependencies` /
//!   `depends_on` / `blocked_by`, markdown links to the old file name
//!   (relative paths resolved, so only links to this file change), and the
//!   number in a supersede link's text (`[105. Title](0105-x.md)`);
//! - a work-log entry records the old ID.
//!
//! IDs mentioned in running text (`see ADR-0105`) are not rewritten (the
//! ID may mean the other document); they are listed as warnings. Text
//! findings itself wrote follows: the `Superseded by ADR-0105.` of a
//! supersede's work-log entry, in the document that links to this one. While
//! another document still has the old ID, `dependencies` entries are left
//! alone too (they are ambiguous) and reported.

use super::{message, FileChange, FileEdit, OpError, Outcome, Transaction, WriteOpts};
use crate::document::filename::FileName;
use crate::document::text::{lines, position};
use crate::document::{self, folder, Document, Kind};
use crate::edit::{self, Edit};
use crate::store::resolve::prefix_number;
use crate::store::Repo;

/// `findings renumber ID NEW`.
#[derive(Debug, Clone, Default)]
pub(crate) struct RenumberRequest {
    /// The document (an ID or a path: with a duplicate, the path says which).
    pub(crate) id: String,
    /// The new ID; a bare number takes the old ID's prefix and width
    /// (`renumber DATA-001 7` → `DATA-007`).
    pub(crate) new_id: String,
}

/// `(prefix with separator, trailing digits)` of an ID: `("ADR-", "0105")`.
fn split_id(s: &str) -> (&str, &str) {
    let digits = s.len() - s.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    s.split_at(s.len() - digits)
}

/// `new_id` written the way `old` is: its prefix (case included) unless the
/// new ID names another, its zero padding.
pub(crate) fn reshape(old: &str, new_id: &str) -> String {
    let (op, od) = split_id(old);
    let (np, nd) = split_id(new_id.trim());
    let digits = if od.starts_with('0') && nd.len() < od.len() {
        format!("{}{nd}", "0".repeat(od.len() - nd.len()))
    } else {
        nd.to_string()
    };
    let prefix = if op.is_empty() || np.is_empty() || np.eq_ignore_ascii_case(op) {
        op.to_string()
    } else if op.chars().any(|c| c.is_ascii_lowercase()) {
        np.to_ascii_lowercase()
    } else {
        np.to_ascii_uppercase()
    };
    format!("{prefix}{digits}")
}

/// The same ID written two ways (`0105` and `ADR-0105`, `30` and `030`).
fn same_id(a: &str, b: &str) -> bool {
    if a.trim().eq_ignore_ascii_case(b.trim()) {
        return true;
    }
    match (prefix_number(a), prefix_number(b)) {
        (Some((pa, na)), Some((pb, nb))) => na == nb && (pa == pb || pa.is_empty() || pb.is_empty()),
        _ => false,
    }
}

fn is_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')
}

/// Byte ranges of `id` in `text[range]` as a whole token (case-insensitive).
fn tokens(text: &str, range: std::ops::Range<usize>, id: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let Some(hay) = text.get(range.clone()) else {
        return out;
    };
    let lower = hay.to_ascii_lowercase();
    let needle = id.to_ascii_lowercase();
    if needle.is_empty() {
        return out;
    }
    let mut from = 0;
    while let Some(i) = lower[from..].find(&needle) {
        let s = from + i;
        let e = s + needle.len();
        let before = hay[..s].chars().next_back();
        // A trailing `.` ends a sentence; `.md` or `.5` continue the token.
        let after = hay[e..].chars().next();
        let after_ok = match after {
            None => true,
            Some('.') => !hay[e + 1..].starts_with(|c: char| c.is_ascii_alphanumeric()),
            Some(c) => !is_id_char(c),
        };
        if before.is_none_or(|c| !is_id_char(c)) && after_ok {
            out.push(range.start + s..range.start + e);
        }
        from = e;
    }
    out
}

/// The end of a front-matter key's block (its line and the indented or
/// `- ` lines below it).
fn key_block_end(doc: &Document, line_start: usize) -> usize {
    let Some(front) = &doc.split.front else {
        return line_start;
    };
    let t = &doc.text;
    let mut it = lines(t, line_start..front.yaml.end);
    let mut end = it.next().map(|l| l.content.end).unwrap_or(line_start);
    for l in it {
        let s = &t[l.content.clone()];
        if s.trim().is_empty() {
            continue;
        }
        if s.starts_with([' ', '\t']) || s == "-" || s.starts_with("- ") {
            end = l.content.end;
        } else {
            break;
        }
    }
    end
}

/// `target` (a link, relative to the folder `from_dir`) as a
/// repository-relative path, or `None` when it leaves the repository.
fn resolve_link(from_dir: &str, target: &str) -> Option<String> {
    let target = target.split(['#', '?']).next().unwrap_or(target);
    let mut parts: Vec<&str> = if target.starts_with('/') {
        vec![]
    } else {
        from_dir.split('/').filter(|s| !s.is_empty()).collect()
    };
    for c in target.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            c => parts.push(c),
        }
    }
    Some(parts.join("/"))
}

/// Edits that point `doc`'s links to `old_path` at `new_name` instead, and
/// renumber adr-tools link texts (`[105. Title](…)`).
fn link_edits(doc: &Document, old_path: &str, new_name: &str, old_n: Option<u64>, new_n: Option<u64>) -> Vec<Edit> {
    let t = &doc.text;
    let old_name = document::file_name(old_path);
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = t[from..].find(old_name) {
        let s = from + i;
        let e = s + old_name.len();
        from = e;
        let after = t[e..].chars().next();
        if !after.is_none_or(|c| matches!(c, ')' | '#' | '>' | '"' | '\'' | '?' | ']') || c.is_whitespace()) {
            continue;
        }
        // The whole link target: back to `(`, `<`, a quote or a space.
        let start = t[..s]
            .rfind(|c: char| c.is_whitespace() || matches!(c, '(' | '<' | '[' | '"' | '\'' | '`' | ')' | ':'))
            .map(|p| p + t[p..].chars().next().map(char::len_utf8).unwrap_or(1))
            .unwrap_or(0);
        let target = &t[start..e];
        if resolve_link(folder(&doc.meta.path), target).as_deref() != Some(old_path) {
            continue;
        }
        out.push(Edit::replace(s..e, new_name.to_string()));
        // `[105. Title](0105-x.md)`: the number in the link text follows.
        if let (Some(on), Some(nn), true) = (old_n, new_n, t[..start].ends_with("](")) {
            let close = start - 2;
            let line_start = t[..close].rfind('\n').map(|p| p + 1).unwrap_or(0);
            if let Some(lb) = t[line_start..close].rfind('[').map(|p| line_start + p) {
                let inner = &t[lb + 1..close];
                let d = inner.len() - inner.trim_start_matches(|c: char| c.is_ascii_digit()).len();
                if d > 0 && inner[d..].starts_with('.') && inner[..d].parse::<u64>().ok() == Some(on) {
                    out.push(Edit::replace(lb + 1..lb + 1 + d, nn.to_string()));
                }
            }
        }
    }
    out
}

/// The edit of an ADR's H1 number (`# ADR 0105: T`, `# 3. T`).
fn h1_edit(doc: &Document, new_id: &str) -> Option<Edit> {
    let h = doc.h1()?;
    let t = &doc.text;
    let line = lines(t, h.heading.clone()).next()?;
    let heading = &t[line.content.clone()];
    let title_at = line.content.start + heading.find(h.title.as_str())?;
    let title = &h.title;
    let rest = title
        .strip_prefix("ADR")
        .or_else(|| title.strip_prefix("adr"))
        .or_else(|| title.strip_prefix("Adr"))
        .unwrap_or(title);
    let rest_at = title.len() - rest.len();
    let trimmed = rest.trim_start_matches([' ', '-', '#']);
    let digits_at = rest_at + (rest.len() - trimmed.len());
    let d = trimmed.len() - trimmed.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if d == 0 || d > 5 {
        return None;
    }
    // `# 2024 plans` is not a number: a bare number needs punctuation after it.
    let after = &trimmed[d..];
    if rest_at == 0 && !(after.is_empty() || after.trim_start().starts_with([':', '.', '—', '–', '-'])) {
        return None;
    }
    let old = &trimmed[..d];
    let (_, nd) = split_id(new_id);
    let n: u64 = nd.parse().ok()?;
    let new = if old.starts_with('0') {
        format!("{n:0width$}", width = old.len())
    } else {
        n.to_string()
    };
    let at = title_at + digits_at;
    Some(Edit::replace(at..at + d, new))
}

/// Renumber a document and everything that points at it, in one commit.
/// Whether the ID at `at` is in text findings itself wrote: the
/// `Superseded by ID.` of the work-log entry a supersede adds (its action
/// reads `Status: … → superseded`). A person's text is never rewritten.
fn findings_wrote(doc: &Document, at: std::ops::Range<usize>) -> bool {
    let Some(log) = crate::document::worklog::work_log(doc) else {
        return false;
    };
    log.entries.iter().any(|e| {
        let Some(text) = doc.text.get(e.core.clone()) else {
            return false;
        };
        e.core.start <= at.start
            && at.end <= e.core.end
            && text.contains("→ superseded")
            && doc.text.get(at.start.saturating_sub(14)..at.start) == Some("Superseded by ")
            && doc.text.get(at.end..at.end + 1) == Some(".")
    })
}

pub(crate) fn renumber(repo: &Repo, req: &RenumberRequest, opts: &WriteOpts) -> Result<Outcome, OpError> {
    let mut tx = Transaction::begin(repo, opts)?;
    let meta = tx.resolve(&req.id)?;
    let doc = tx.read(&meta.path)?;
    let fresh = tx.fresh();
    let old_id = doc.meta.id.clone();
    let kind = doc.meta.kind;
    let invalid = |what: String| OpError::Invalid {
        id: old_id.clone(),
        what,
    };
    if req.new_id.trim().is_empty() || !req.new_id.trim().chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(invalid(format!(
            "{:?} is not an ID (letters, digits and -)",
            req.new_id
        )));
    }
    let new_id = reshape(&old_id, &req.new_id);
    if split_id(&new_id).1.is_empty() {
        return Err(invalid(format!("{new_id:?} has no number")));
    }
    if new_id.eq_ignore_ascii_case(&old_id) {
        return Err(invalid(format!("already {new_id}")));
    }
    let taken = super::ids::taken_ids(fresh, tx.git());
    if !opts.force
        && taken
            .iter()
            .any(|(k, id)| *k == kind && id.eq_ignore_ascii_case(&new_id))
    {
        let (prefix, _) = split_id(&old_id);
        let next = super::new::next_id(
            kind,
            prefix.trim_end_matches('-'),
            taken.iter().map(|(k, s)| (*k, s.as_str())),
        );
        let next = reshape(&old_id, &next);
        return Err(invalid(format!(
            "{new_id} is already taken (in the working tree or on a branch); the next free ID is {next}"
        )));
    }

    // The document itself: file name, ID keys, ADR title, a work-log entry.
    let path = doc.meta.path.clone();
    let name = document::file_name(&path);
    let file = FileName::parse(name);
    let new_name = match &file.id {
        Some(r) => {
            let stem = &file.stem;
            format!(
                "{}{}{}{}",
                &stem[..r.start],
                reshape(&stem[r.clone()], &new_id),
                &stem[r.end..],
                &name[stem.len().min(name.len())..]
            )
        }
        None => name.to_string(),
    };
    let new_path = document::sibling(&path, &new_name);
    let mut edits: Vec<Edit> = Vec::new();
    for key in ["issue_id", "id"] {
        if let Some(v) = doc.scalar(key).filter(|v| same_id(v, &old_id)) {
            let e =
                edit::frontmatter::set_key(&doc, key, &reshape(&v, &new_id), &[]).map_err(|source| OpError::Edit {
                    path: path.clone(),
                    source,
                })?;
            edits.extend(e);
        }
    }
    if kind == Kind::Adr {
        edits.extend(h1_edit(&doc, &new_id));
    }

    // Everything that points at it.
    let still_used = fresh
        .items
        .iter()
        .any(|m| m.path != path && m.kind == kind && m.id.eq_ignore_ascii_case(&old_id));
    let (old_n, new_n) = (
        prefix_number(&old_id).map(|(_, n)| n),
        prefix_number(&new_id).map(|(_, n)| n),
    );
    let mut warnings = Vec::new();
    let mut fes = Vec::new();
    let mut snaps = Vec::new();
    let mut files = Vec::new();
    let mut touched = Vec::new();
    for m in fresh.items.iter().filter(|m| m.path != path) {
        let Ok((s, d)) = tx.peek(&m.path) else {
            continue;
        };
        let mut e = link_edits(&d, &path, &new_name, old_n, new_n);
        // The document links to this file: the mentions findings itself
        // wrote beside that link are of this document.
        let linked = !e.is_empty();
        let mut dep_hits = Vec::new();
        for key in ["dependencies", "depends_on", "blocked_by"] {
            if let Some(k) = d.key(key) {
                let region = k.value.start..key_block_end(&d, k.line.start);
                dep_hits.extend(tokens(&d.text, region, &old_id));
            }
        }
        if still_used && !dep_hits.is_empty() {
            warnings.push(format!(
                "{}: depends on {old_id}, which another document still has; left as written",
                m.path
            ));
        } else {
            for r in &dep_hits {
                e.push(Edit::replace(r.clone(), reshape(&d.text[r.clone()], &new_id)));
            }
        }
        // Mentions in running text (only distinctive, prefixed IDs).
        if !split_id(&old_id).0.is_empty() {
            for r in tokens(&d.text, d.split.body.clone(), &old_id) {
                if e.iter().any(|x| x.range.start <= r.start && r.end <= x.range.end) {
                    continue;
                }
                if linked && findings_wrote(&d, r.clone()) {
                    e.push(Edit::replace(r.clone(), reshape(&d.text[r.clone()], &new_id)));
                    continue;
                }
                let (l, _) = position(&d.text, r.start);
                warnings.push(format!("{}:{l}: mentions {old_id} in text; left as written", m.path));
            }
        }
        if e.is_empty() {
            continue;
        }
        let after = Transaction::apply(&d, &e)?;
        touched.push(m.path.clone());
        files.push(FileChange {
            path: m.path.clone(),
            renamed_from: None,
            created: false,
            removed: false,
        });
        fes.push(FileEdit {
            from: Some(m.path.clone()),
            to: m.path.clone(),
            before: d.text.clone(),
            after,
            remove: false,
        });
        snaps.push(s);
    }
    let details = if touched.is_empty() {
        "Keeps IDs unique.".to_string()
    } else {
        format!("References updated in {}.", touched.join(", "))
    };
    let log = tx.entry(format!("Renumbered: {old_id} → {new_id}"), details);
    edits.extend(edit::worklog::append(&doc, &log));
    let after = Transaction::apply(&doc, &edits)?;
    let check = repo.parse(&new_path, after.clone());
    if !check.meta.id.eq_ignore_ascii_case(&new_id) && !opts.force {
        return Err(invalid(format!(
            "after renumbering the document would read as ID {:?}, not {new_id}; nothing was written",
            check.meta.id
        )));
    }
    tx.stage_text(&doc, Some(new_path.clone()), after);
    tx.stage(fes, snaps);
    files.insert(
        0,
        FileChange {
            path: new_path.clone(),
            renamed_from: (new_path != path).then(|| path.clone()),
            created: false,
            removed: false,
        },
    );
    let mut body = Vec::new();
    if new_path != path {
        body.push(format!("Renamed {path} → {new_path}."));
    }
    if !touched.is_empty() {
        body.push(format!("References updated in {}.", touched.join(", ")));
    }
    let msg = message(&old_id, &format!("renumber {old_id} → {new_id}"), &body, &[&new_id]);
    let status = doc.meta.status_owned();
    let out = Outcome {
        files,
        old_status: status.clone(),
        new_status: status,
        warnings,
        ..Outcome::new(new_id, kind, opts)
    };
    tx.finish(msg, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reshaping_ids() {
        assert_eq!(reshape("030", "31"), "031");
        assert_eq!(reshape("ADR-0105", "106"), "ADR-0106");
        assert_eq!(reshape("ADR-0105", "adr-106"), "ADR-0106");
        assert_eq!(reshape("0105", "ADR-0106"), "0106");
        assert_eq!(reshape("DATA-001", "7"), "DATA-007");
        assert_eq!(reshape("DATA-001", "sec-4"), "SEC-004");
        assert_eq!(reshape("adr-0003", "ADR-12"), "adr-0012");
        assert_eq!(reshape("3", "ADR-0012"), "0012");
        assert_eq!(reshape("105", "7"), "7");
    }

    #[test]
    fn whole_tokens_only() {
        let t = "dependencies: [\"030\", 0300, 030-x, a030, 030.md]";
        let r = tokens(t, 0..t.len(), "030");
        assert_eq!(r.len(), 1);
        assert_eq!(&t[r[0].clone()], "030");
        let t = "See DATA-001. And data-001, DATA-0011.";
        assert_eq!(tokens(t, 0..t.len(), "DATA-001").len(), 2);
    }

    #[test]
    fn links_follow_the_file() {
        let t = "# ADR 0106: New\n\nSupersedes [105. Old](0105-old.md) and [x](../adr/0105-old.md#ctx).\nNot [y](other/0105-old.md).\n";
        let d = Document::parse("adr/0106-new.md", t.to_string());
        let e = link_edits(&d, "adr/0105-old.md", "0107-old.md", Some(105), Some(107));
        let out = crate::edit::apply(t, &e).unwrap();
        assert_eq!(
            out,
            "# ADR 0106: New\n\nSupersedes [107. Old](0107-old.md) and [x](../adr/0107-old.md#ctx).\nNot [y](other/0105-old.md).\n"
        );
    }

    #[test]
    fn adr_titles() {
        let d = Document::parse("adr/0105-x.md", "# ADR 0105: Prisma\n".to_string());
        let e = h1_edit(&d, "ADR-0107").unwrap();
        assert_eq!(crate::edit::apply(&d.text, &[e]).unwrap(), "# ADR 0107: Prisma\n");
        let d = Document::parse("docs/adr/0003-x.md", "# 3. Use X\n".to_string());
        let e = h1_edit(&d, "ADR-0012").unwrap();
        assert_eq!(crate::edit::apply(&d.text, &[e]).unwrap(), "# 12. Use X\n");
        let d = Document::parse("docs/adr/0003-x.md", "# Use X\n".to_string());
        assert!(h1_edit(&d, "ADR-0012").is_none());
    }
}
