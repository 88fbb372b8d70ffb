//! The merge driver: two edits of one document merged the way a person
//! would, so triage on one branch and a work-log entry on another never
//! conflict (`findings merge-driver %O %A %B %P`, registered by `findings init`).
//!
//! Over 600 lines: about 570 lines of merge driver, the rest unit tests.
//!
//! - Work-log entries (table rows or `### date` blocks) merge as multisets:
//!   every entry either side added is kept, even one identical to another
//!   (two separate writes of the same row are two entries), new ones placed
//!   in date order; an entry one side deleted stays deleted.
//! - Front matter merges key by key: a key only one side changed takes that
//!   change; a key both changed differently gets conflict markers around
//!   that key's lines only.
//! - Everything else is a three-way line merge by `git merge-file`, with the
//!   front matter and the work-log entries masked by one marker line each so
//!   they cannot collide there.
//!
//! Anything unexpected (not UTF-8, a marker line that did not survive the
//! line merge exactly once) falls back to a plain `git merge-file` of the
//! three versions, so the driver is never worse than git's own text merge.

use crate::document::frontmatter::FrontMatter;
use crate::document::text::line_ending;
use crate::document::worklog::{work_log, WorkLog};
use crate::document::Document;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};

/// How to write conflicts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeOptions {
    /// Length of the `<<<<<<<` markers (git's `conflict-marker-size`, 7).
    pub(crate) marker_size: usize,
    pub(crate) ours_label: String,
    pub(crate) base_label: String,
    pub(crate) theirs_label: String,
}

impl Default for MergeOptions {
    fn default() -> Self {
        MergeOptions {
            marker_size: 7,
            ours_label: "ours".into(),
            base_label: "base".into(),
            theirs_label: "theirs".into(),
        }
    }
}

/// A merge's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    /// The merged document text (with conflict markers when `conflicts` is not 0).
    pub text: String,
    /// Conflict hunks left in `text` (0: clean).
    pub conflicts: usize,
}

/// Why the merge driver could not merge.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// One of the three versions git handed over cannot be read, or the result cannot
    /// be written.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The version or result file git named (absolute).
        path: PathBuf,
        /// The system's error.
        source: std::io::Error,
    },
    /// `git merge-file`, used for the text outside the work log, could not be started.
    #[error("cannot run `git merge-file`: {0}")]
    Spawn(std::io::Error),
    /// `git merge-file` failed; what it printed.
    #[error("`git merge-file` failed: {0}")]
    MergeFile(String),
}

// ---------------------------------------------------------------- work log

/// One entry on its way into the merged work log.
struct Item<'a> {
    sep: &'a str,
    core: &'a str,
    key: &'a str,
    date: Option<&'a str>,
    /// It was the first entry of its version (its separator follows the
    /// line before the log, not another entry).
    was_first: bool,
}

fn items<'a>(text: &'a str, log: &'a WorkLog) -> Vec<Item<'a>> {
    log.entries
        .iter()
        .enumerate()
        .map(|(i, e)| Item {
            sep: text.get(e.full.start..e.core.start).unwrap_or(""),
            core: text.get(e.core.clone()).unwrap_or(""),
            key: &e.key,
            date: e.date.as_deref(),
            was_first: i == 0,
        })
        .collect()
}

/// How many copies of one entry the merge keeps, from its counts in the
/// base and on each side: copies either side added are all kept (two
/// identical rows written by two separate writes are two entries), and a
/// copy either side deleted stays deleted (both deleting one copy deletes
/// one).
pub(crate) fn merged_count(o: usize, a: usize, b: usize) -> usize {
    let (o, a, b) = (o as isize, a as isize, b as isize);
    let (da, db) = (a - o, b - o);
    (o + da.max(0) + db.max(0) + da.min(db).min(0)).max(0) as usize
}

fn counts<'a>(v: &[Item<'a>]) -> HashMap<&'a str, usize> {
    let mut m = HashMap::new();
    for i in v {
        *m.entry(i.key).or_insert(0) += 1;
    }
    m
}

/// Where an entry dated `date` goes among `out`: after the last entry dated
/// on or before it (an undated entry goes last).
fn date_position(out: &[Item<'_>], date: Option<&str>) -> usize {
    let Some(d) = date else { return out.len() };
    let mut last = None;
    let mut eff: Option<&str> = None;
    for (i, x) in out.iter().enumerate() {
        eff = x.date.or(eff);
        if eff.is_none_or(|e| e <= d) {
            last = Some(i);
        }
    }
    last.map(|i| i + 1).unwrap_or(0)
}

/// The text of `out`'s entries, each after its separator (the first one
/// after `first_sep`, the others after `inner_sep` when they were first in
/// their own version).
fn render(out: &[Item<'_>], first_sep: &str, inner_sep: &str) -> String {
    let mut s = String::new();
    for (i, item) in out.iter().enumerate() {
        let sep = match (i == 0, item.was_first) {
            (true, false) => first_sep,
            (false, true) => inner_sep,
            _ => item.sep,
        };
        s.push_str(sep);
        s.push_str(item.core);
    }
    s
}

/// The merged entries' text (replacing [`WorkLog::range`] of ours), merged
/// as multisets: ours in their order, less the copies theirs deleted, then
/// the copies theirs added, each after the last entry dated on or before it.
fn merge_entries(texts: [&str; 3], logs: [Option<&WorkLog>; 3], nl: &str) -> String {
    let [o, a, b] = [0, 1, 2].map(|i| logs[i].map(|l| items(texts[i], l)).unwrap_or_default());
    let (oc, ac, bc) = (counts(&o), counts(&a), counts(&b));
    let get = |m: &HashMap<&str, usize>, k: &str| m.get(k).copied().unwrap_or(0);
    let want = |k: &str| merged_count(get(&oc, k), get(&ac, k), get(&bc, k));
    let table = logs.iter().flatten().next().is_none_or(|l| l.table);
    let default = if table { nl.to_string() } else { format!("{nl}{nl}") };
    let sep_at = |pos: usize| -> String {
        [&a, &b, &o]
            .iter()
            .find_map(|v| v.get(pos).map(|i| i.sep.to_string()))
            .unwrap_or_else(|| default.clone())
    };
    let (first_sep, inner_sep) = (sep_at(0), sep_at(1));

    let mut kept: HashMap<&str, usize> = HashMap::new();
    let mut out: Vec<Item<'_>> = Vec::new();
    for item in a {
        let n = kept.entry(item.key).or_insert(0);
        if *n < want(item.key) {
            *n += 1;
            out.push(item);
        }
    }
    // Theirs' added copies: its last ones of each entry (new entries are
    // appended), as many as the merge keeps beyond ours'.
    let mut extra: HashMap<&str, usize> = bc.keys().map(|k| (*k, want(k).saturating_sub(get(&kept, k)))).collect();
    let mut take = vec![false; b.len()];
    for (i, item) in b.iter().enumerate().rev() {
        if let Some(e) = extra.get_mut(item.key) {
            if *e > 0 {
                *e -= 1;
                take[i] = true;
            }
        }
    }
    for (item, t) in b.into_iter().zip(take) {
        if t {
            let at = date_position(&out, item.date);
            out.insert(at, item);
        }
    }
    render(&out, &first_sep, &inner_sep)
}

/// `text` (the document at `path`) with `entries` added to its work log,
/// each after the last entry dated on or before it; each entry is
/// `(entry text, date)` as the `core` and `date` of a
/// [`LogEntry`](crate::document::worklog::LogEntry) give them. `None` when
/// the document has no work log with entries to place
/// them among.
pub(crate) fn add_entries(path: &str, text: &str, entries: &[(String, Option<String>)]) -> Option<String> {
    if entries.is_empty() {
        return Some(text.to_string());
    }
    let doc = Document::parse(path, text.to_string());
    let log = work_log(&doc)?;
    let mut out = items(text, &log);
    let first_sep = out.first()?.sep.to_string();
    let inner_sep = out.get(1).map(|i| i.sep.to_string()).unwrap_or_else(|| {
        let nl = line_ending(text);
        if log.table {
            nl.to_string()
        } else {
            format!("{nl}{nl}")
        }
    });
    for (core, date) in entries {
        let item = Item {
            sep: &inner_sep,
            core,
            key: "",
            date: date.as_deref(),
            was_first: false,
        };
        let at = date_position(&out, item.date);
        out.insert(at, item);
    }
    let merged = render(&out, &first_sep, &inner_sep);
    Some(format!(
        "{}{merged}{}",
        &text[..log.range.start],
        &text[log.range.end..]
    ))
}

// ---------------------------------------------------------------- front matter

/// The front matter's text before the first key, and each top-level key
/// with its lines (continuation lines, comments and blank lines up to the
/// next key included). `None` when a key repeats.
fn chunks<'a>(doc: &'a Document, front: &FrontMatter) -> Option<(&'a str, Vec<(&'a str, &'a str)>)> {
    let t = &doc.text;
    let yaml = front.yaml.clone();
    let mut seen = HashSet::new();
    if !doc.keys.iter().all(|k| seen.insert(k.key.as_str())) {
        return None;
    }
    let starts: Vec<usize> = doc.keys.iter().map(|k| k.line.start).collect();
    let pre = t.get(yaml.start..starts.first().copied().unwrap_or(yaml.end))?;
    let mut out = Vec::new();
    for (i, k) in doc.keys.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(yaml.end);
        out.push((k.key.as_str(), t.get(k.line.start..end)?));
    }
    Some((pre, out))
}

enum Pick<'a> {
    Take(Option<&'a str>),
    Conflict(Option<&'a str>, Option<&'a str>),
}

/// Three-way choice of one unit: a side that did not change yields to the other.
fn pick<'a>(o: Option<&'a str>, a: Option<&'a str>, b: Option<&'a str>) -> Pick<'a> {
    if a == b || b == o {
        Pick::Take(a)
    } else if a == o {
        Pick::Take(b)
    } else {
        Pick::Conflict(a, b)
    }
}

fn conflict(a: Option<&str>, b: Option<&str>, nl: &str, opts: &MergeOptions) -> String {
    let line = |s: Option<&str>| -> String {
        let s = s.unwrap_or("");
        if s.is_empty() || s.ends_with('\n') {
            s.to_string()
        } else {
            format!("{s}{nl}")
        }
    };
    let n = opts.marker_size.max(1);
    format!(
        "{} {}{nl}{}{}{nl}{}{} {}{nl}",
        "<".repeat(n),
        opts.ours_label,
        line(a),
        "=".repeat(n),
        line(b),
        ">".repeat(n),
        opts.theirs_label
    )
}

/// The merged YAML text and the number of conflicting keys.
fn get<'a>(v: &[(&str, &'a str)], k: &str) -> Option<&'a str> {
    v.iter().find(|(key, _)| *key == k).map(|(_, t)| *t)
}

fn merge_front(docs: [&Document; 3], fronts: [&FrontMatter; 3], opts: &MergeOptions) -> Option<(String, usize)> {
    let (op, oc) = chunks(docs[0], fronts[0])?;
    let (ap, ac) = chunks(docs[1], fronts[1])?;
    let (bp, bc) = chunks(docs[2], fronts[2])?;
    let nl = line_ending(&docs[1].text);
    let mut conflicts = 0;
    let mut emit = |p: Pick<'_>| -> Option<String> {
        match p {
            Pick::Take(t) => t.map(str::to_string),
            Pick::Conflict(a, b) => {
                conflicts += 1;
                Some(conflict(a, b, nl, opts))
            }
        }
    };
    let pre = emit(pick(Some(op), Some(ap), Some(bp))).unwrap_or_default();
    let mut out: Vec<(String, String)> = Vec::new();
    for (k, a) in &ac {
        if let Some(t) = emit(pick(get(&oc, k), Some(a), get(&bc, k))) {
            out.push((k.to_string(), t));
        }
    }
    let mut prev: Option<&str> = None;
    for (k, b) in &bc {
        if get(&ac, k).is_none() {
            if let Some(t) = emit(pick(get(&oc, k), None, Some(b))) {
                let at = prev
                    .and_then(|p| out.iter().position(|(key, _)| key == p))
                    .map(|i| i + 1)
                    .unwrap_or(0);
                out.insert(at, (k.to_string(), t));
            }
        }
        if out.iter().any(|(key, _)| key == k) {
            prev = Some(k);
        }
    }
    let mut s = pre;
    for (_, t) in out {
        // A last key line without its ending would run into the next one.
        if !s.is_empty() && !s.ends_with('\n') {
            s.push_str(nl);
        }
        s.push_str(&t);
    }
    if !s.is_empty() && !s.ends_with('\n') {
        s.push_str(nl);
    }
    Some((s, conflicts))
}

// ---------------------------------------------------------------- merging

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Temporary files removed on drop.
struct Temps(Vec<PathBuf>);

impl Drop for Temps {
    fn drop(&mut self) {
        for p in &self.0 {
            let _ = std::fs::remove_file(p);
        }
    }
}

fn nonce() -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("{}-{n}-{t:x}", std::process::id())
}

/// A three-way line merge of texts by `git merge-file`.
pub(crate) fn merge_lines(base: &str, ours: &str, theirs: &str, opts: &MergeOptions) -> Result<Merged, MergeError> {
    let dir = std::env::temp_dir();
    let id = nonce();
    let mut temps = Temps(Vec::new());
    let mut paths = Vec::new();
    for (name, text) in [("ours", ours), ("base", base), ("theirs", theirs)] {
        let p = dir.join(format!(".findings-merge-{id}-{name}"));
        temps.0.push(p.clone());
        std::fs::write(&p, text).map_err(|source| MergeError::Io {
            path: p.clone(),
            source,
        })?;
        paths.push(p);
    }
    let out = merge_file_command(&paths[0], &paths[1], &paths[2], opts, true)
        .output()
        .map_err(MergeError::Spawn)?;
    drop(temps);
    let conflicts = exit_conflicts(out.status.code(), &out.stderr)?;
    Ok(Merged {
        text: String::from_utf8_lossy(&out.stdout).into_owned(),
        conflicts,
    })
}

fn merge_file_command(ours: &Path, base: &Path, theirs: &Path, opts: &MergeOptions, stdout: bool) -> Command {
    let mut c = Command::new("git");
    c.arg("merge-file");
    if stdout {
        c.arg("-p");
    }
    c.arg("-q");
    if opts.marker_size != 7 {
        c.arg(format!("--marker-size={}", opts.marker_size.max(1)));
    }
    c.args(["-L", &opts.ours_label, "-L", &opts.base_label, "-L", &opts.theirs_label]);
    // After `--`, a file name can never be read as an option.
    c.arg("--").arg(ours).arg(base).arg(theirs);
    c
}

/// `git merge-file` exits with the number of conflicts (at most 127), or a
/// negative status on error.
fn exit_conflicts(code: Option<i32>, stderr: &[u8]) -> Result<usize, MergeError> {
    match code {
        Some(c) if (0..=127).contains(&c) => Ok(c as usize),
        _ => Err(MergeError::MergeFile(
            String::from_utf8_lossy(stderr).trim().to_string(),
        )),
    }
}

fn replace_ranges(text: &str, mut edits: Vec<(Range<usize>, String)>) -> String {
    edits.sort_by_key(|(r, _)| r.start);
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for (r, with) in edits {
        if r.start < pos || r.end > text.len() {
            continue;
        }
        out.push_str(&text[pos..r.start]);
        out.push_str(&with);
        pos = r.end;
    }
    out.push_str(&text[pos..]);
    out
}

/// Merge three versions of the document at `path` (repository-relative; it
/// decides the family and so where the status and the work log live).
pub fn merge_texts(
    path: &str,
    base: &str,
    ours: &str,
    theirs: &str,
    opts: &MergeOptions,
) -> Result<Merged, MergeError> {
    // Git's own trivial cases: one side unchanged, or both the same.
    if ours == theirs || theirs == base {
        return Ok(Merged {
            text: ours.to_string(),
            conflicts: 0,
        });
    }
    if ours == base {
        return Ok(Merged {
            text: theirs.to_string(),
            conflicts: 0,
        });
    }
    let texts = [base, ours, theirs];
    let docs = texts.map(|t| Document::parse(path, t.to_string()));
    let id = nonce();
    let front_mark = format!("findings-merge-front-matter-{id}");
    let log_mark = format!("findings-merge-work-log-{id}");
    if texts.iter().any(|t| t.contains(&front_mark) || t.contains(&log_mark)) {
        return merge_lines(base, ours, theirs, opts);
    }
    let nl = line_ending(ours);

    // Front matter: only when all three have it.
    let fronts: Vec<&FrontMatter> = docs.iter().filter_map(|d| d.split.front.as_ref()).collect();
    let front = match fronts.as_slice() {
        [o, a, b] => merge_front([&docs[0], &docs[1], &docs[2]], [*o, *a, *b], opts),
        _ => None,
    };
    // Work logs: those present must be of one style.
    let logs = docs.each_ref().map(work_log);
    let styles: HashSet<bool> = logs.iter().flatten().map(|l| l.table).collect();
    let use_log = styles.len() == 1;

    let masked: Vec<String> = (0..3)
        .map(|i| {
            let mut edits = Vec::new();
            if front.is_some() {
                if let Some(f) = &docs[i].split.front {
                    edits.push((f.yaml.clone(), format!("{front_mark}\n")));
                }
            }
            if use_log {
                if let Some(l) = &logs[i] {
                    edits.push((l.range.clone(), format!("\n{log_mark}")));
                }
            }
            replace_ranges(texts[i], edits)
        })
        .collect();
    let body = merge_lines(&masked[0], &masked[1], &masked[2], opts)?;
    let mut text = body.text;
    let mut conflicts = body.conflicts;
    if let Some((yaml, n)) = front {
        let mark = format!("{front_mark}\n");
        if text.matches(&mark).count() != 1 {
            return merge_lines(base, ours, theirs, opts);
        }
        text = text.replacen(&mark, &yaml, 1);
        conflicts += n;
    }
    if use_log {
        let mark = format!("\n{log_mark}");
        match text.matches(&mark).count() {
            0 if text.contains(&log_mark) => return merge_lines(base, ours, theirs, opts),
            0 => {}
            1 => {
                let merged = merge_entries(texts, [logs[0].as_ref(), logs[1].as_ref(), logs[2].as_ref()], nl);
                text = text.replacen(&mark, &merged, 1);
            }
            _ => return merge_lines(base, ours, theirs, opts),
        }
    }
    Ok(Merged { text, conflicts })
}

/// The merge driver: merge `other` into `current` (overwritten with the
/// result) given their `ancestor`, for the document at `path`. Returns the
/// number of conflicts left in `current`. Files that are not UTF-8 text are
/// merged by `git merge-file` alone.
pub(crate) fn run_driver(
    ancestor: &Path,
    current: &Path,
    other: &Path,
    path: &str,
    opts: &MergeOptions,
) -> Result<usize, MergeError> {
    let read = |p: &Path| {
        crate::store::bounded::read(p, crate::document::MAX_FILE_BYTES as u64).map_err(|e| MergeError::Io {
            path: p.into(),
            source: e.into_io(),
        })
    };
    let (o, a, b) = (read(ancestor)?, read(current)?, read(other)?);
    let text = |v: Vec<u8>| String::from_utf8(v).ok().filter(|s| !s.contains('\0'));
    match (text(o), text(a), text(b)) {
        (Some(o), Some(a), Some(b)) => {
            let m = merge_texts(path, &o, &a, &b, opts)?;
            std::fs::write(current, m.text.as_bytes()).map_err(|source| MergeError::Io {
                path: current.into(),
                source,
            })?;
            Ok(m.conflicts)
        }
        _ => {
            let out = merge_file_command(current, ancestor, other, opts, false)
                .output()
                .map_err(MergeError::Spawn)?;
            exit_conflicts(out.status.code(), &out.stderr)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::worklog::find_date;

    const DOC: &str = "---\nstatus: pending\npriority: p1\nissue_id: \"030\"\ntags: [a]\n---\n\n# T\n\n## Recommended Action\n\n[To be filled during triage]\n\n## Work Log\n\n| Date | Action | Learnings |\n|------|--------|-----------|\n| 2026-01-26 | Created | x |\n\n## Resources\n\n- r\n";

    fn git_ok() -> bool {
        Command::new("git")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    }

    fn merge(o: &str, a: &str, b: &str) -> Merged {
        merge_texts("todos/030-pending-p1-t.md", o, a, b, &MergeOptions::default()).unwrap()
    }

    #[test]
    fn dates() {
        assert_eq!(find_date("| 2026-01-26 | x"), Some("2026-01-26".into()));
        assert_eq!(find_date("### 2025-11-12 — Start"), Some("2025-11-12".into()));
        assert_eq!(find_date("12026-01-261"), None);
        assert_eq!(find_date("no"), None);
    }

    #[test]
    fn work_log_entries() {
        let d = Document::parse("todos/030-pending-p1-t.md", DOC.to_string());
        let l = work_log(&d).unwrap();
        assert!(l.table);
        assert_eq!(l.entries.len(), 1);
        assert_eq!(&DOC[l.entries[0].full.clone()], "\n| 2026-01-26 | Created | x |");
        assert_eq!(l.entries[0].key, "2026-01-26 | Created | x");
        let t =
            "# X\n\n## Work Log\n\n### 2025-01-22 - A\n**By:** Bot\n- a\n\n---\n\n### 2025-01-23 - B\n- b\n\n## Next\n";
        let d = Document::parse("todos/001-pending-p1-x.md", t.to_string());
        let l = work_log(&d).unwrap();
        assert!(!l.table);
        assert_eq!(l.entries.len(), 2);
        assert_eq!(&t[l.entries[1].full.clone()], "\n\n---\n\n### 2025-01-23 - B\n- b");
        assert_eq!(l.entries[1].date.as_deref(), Some("2025-01-23"));
        assert_eq!(
            &t[l.range.clone()],
            "\n\n### 2025-01-22 - A\n**By:** Bot\n- a\n\n---\n\n### 2025-01-23 - B\n- b"
        );
    }

    #[test]
    fn status_on_one_side_row_on_the_other_merges_clean() {
        if !git_ok() {
            eprintln!("skipped: no git");
            return;
        }
        let a = DOC
            .replace("status: pending", "status: ready")
            .replace("| x |\n", "| x |\n| 2026-02-01 | Triage: pending → ready | |\n");
        let b = DOC.replace("| x |\n", "| x |\n| 2026-02-01 | Reviewed the fix | y |\n");
        let m = merge(DOC, &a, &b);
        assert_eq!(m.conflicts, 0, "{}", m.text);
        assert_eq!(
            m.text,
            DOC.replace("status: pending", "status: ready").replace(
                "| x |\n",
                "| x |\n| 2026-02-01 | Triage: pending → ready | |\n| 2026-02-01 | Reviewed the fix | y |\n"
            )
        );
    }

    #[test]
    fn both_changing_a_key_conflicts_on_that_key_only() {
        if !git_ok() {
            eprintln!("skipped: no git");
            return;
        }
        let a = DOC
            .replace("status: pending", "status: ready")
            .replace("tags: [a]", "tags: [a, b]");
        let b = DOC
            .replace("status: pending", "status: complete")
            .replace("priority: p1", "priority: p2");
        let m = merge(DOC, &a, &b);
        assert_eq!(m.conflicts, 1);
        assert!(
            m.text.starts_with(
                "---\n<<<<<<< ours\nstatus: ready\n=======\nstatus: complete\n>>>>>>> theirs\npriority: p2\nissue_id: \"030\"\ntags: [a, b]\n---\n"
            ),
            "{}",
            m.text
        );
        let d = Document::parse("todos/030-pending-p1-t.md", m.text.clone());
        assert!(d.meta.conflicted);
        assert_eq!(d.meta.id, "030");
    }

    #[test]
    fn keys_added_and_removed() {
        if !git_ok() {
            eprintln!("skipped: no git");
            return;
        }
        let o = "---\na: 1\nb: 2\nc: 3\n---\nbody\n";
        let a = "---\na: 1\nc: 3\nd: 4\n---\nbody\n";
        let b = "---\na: 1\nb: 2\nbb: 5\nc: 3\n---\nbody\n";
        let m = merge(o, a, b);
        assert_eq!(m.conflicts, 0);
        assert_eq!(m.text, "---\na: 1\nbb: 5\nc: 3\nd: 4\n---\nbody\n");
    }

    #[test]
    fn blocks_from_both_sides_in_date_order() {
        if !git_ok() {
            eprintln!("skipped: no git");
            return;
        }
        let o = "# X\n\n## Work Log\n\n### 2025-01-22 - A\n- a\n\n## Next\n";
        let a = "# X\n\n## Work Log\n\n### 2025-01-22 - A\n- a\n\n### 2025-01-25 - C\n- c\n\n## Next\n";
        let b = "# X\n\n## Work Log\n\n### 2025-01-22 - A\n- a\n\n### 2025-01-24 - B\n- b\n\n## Next\n";
        let m = merge(o, a, b);
        assert_eq!(m.conflicts, 0);
        assert_eq!(
            m.text,
            "# X\n\n## Work Log\n\n### 2025-01-22 - A\n- a\n\n### 2025-01-24 - B\n- b\n\n### 2025-01-25 - C\n- c\n\n## Next\n"
        );
        // The same entry on both sides is kept once.
        let m = merge(o, a, a);
        assert_eq!(m.text, a);
    }

    #[test]
    fn work_logs_merge_as_multisets() {
        if !git_ok() {
            eprintln!("skipped: no git");
            return;
        }
        let row = "| 2026-02-01 | Checked the index (by Ana) | Fine |\n";
        let with = |n: usize, extra: &str| DOC.replace("| x |\n", &format!("| x |\n{}{extra}", row.repeat(n)));
        // The same row written on both sides (different elsewhere): two entries.
        let a = with(1, "").replace("priority: p1", "priority: p2");
        let b = with(1, "");
        let m = merge(DOC, &a, &b);
        assert_eq!(m.conflicts, 0);
        assert_eq!(m.text, with(2, "").replace("priority: p1", "priority: p2"));
        // Both deleting one of two copies deletes one; one side deleting
        // one while the other adds one keeps the count.
        let o = with(2, "");
        let m = merge(
            &o,
            &with(1, "| 2026-02-02 | a | |\n"),
            &with(1, "| 2026-02-03 | b | |\n"),
        );
        assert_eq!(rows(&m.text, "Checked the index"), 1, "{}", m.text);
        let m = merge(&o, &with(1, ""), &with(3, "| 2026-02-03 | b | |\n"));
        assert_eq!(rows(&m.text, "Checked the index"), 2, "{}", m.text);
        assert_eq!(merged_count(1, 0, 0), 0);
        assert_eq!(merged_count(0, 1, 1), 2);
        assert_eq!(merged_count(2, 3, 1), 2);
    }

    fn rows(text: &str, what: &str) -> usize {
        text.lines().filter(|l| l.contains(what)).count()
    }

    #[test]
    fn entries_are_added_in_date_order() {
        let t = add_entries(
            "todos/030-pending-p1-t.md",
            DOC,
            &[
                ("| 2026-01-27 | Later | |".to_string(), Some("2026-01-27".to_string())),
                ("| 2026-01-01 | Earlier | |".to_string(), Some("2026-01-01".to_string())),
            ],
        )
        .unwrap();
        assert_eq!(
            t,
            DOC.replace(
                "| 2026-01-26 | Created | x |\n",
                "| 2026-01-01 | Earlier | |\n| 2026-01-26 | Created | x |\n| 2026-01-27 | Later | |\n"
            )
        );
    }

    #[test]
    fn crlf_survives() {
        if !git_ok() {
            eprintln!("skipped: no git");
            return;
        }
        let o = DOC.replace('\n', "\r\n");
        let a = o.replace("status: pending", "status: ready");
        let b = o.replace("| x |\r\n", "| x |\r\n| 2026-02-02 | L | |\r\n");
        let m = merge(&o, &a, &b);
        assert_eq!(m.conflicts, 0);
        assert_eq!(m.text, a.replace("| x |\r\n", "| x |\r\n| 2026-02-02 | L | |\r\n"));
    }

    #[test]
    fn body_conflicts_stay_local() {
        if !git_ok() {
            eprintln!("skipped: no git");
            return;
        }
        let a = DOC.replace("[To be filled during triage]", "Option A");
        let b = DOC.replace("[To be filled during triage]", "Option B");
        let m = merge(DOC, &a, &b);
        assert_eq!(m.conflicts, 1);
        assert!(m
            .text
            .contains("<<<<<<< ours\nOption A\n=======\nOption B\n>>>>>>> theirs\n"));
        assert!(m.text.starts_with("---\nstatus: pending\n"));
    }

    #[test]
    fn one_sided_changes_come_through_unchanged_on_the_seeds() {
        if !git_ok() {
            eprintln!("skipped: no git");
            return;
        }
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for folder in ["findings", "adr"] {
            let Ok(dir) = std::fs::read_dir(root.join(folder)) else {
                continue;
            };
            for e in dir.flatten() {
                let path = format!("{folder}/{}", e.file_name().to_string_lossy());
                let Ok(o) = std::fs::read_to_string(e.path()) else {
                    continue;
                };
                let d = Document::parse(&path, o.clone());
                let mut edits = crate::edit::worklog::append(
                    &d,
                    &crate::edit::worklog::Entry {
                        date: "2026-03-01".into(),
                        author: "Ana".into(),
                        action: "Checked".into(),
                        details: "All good.".into(),
                    },
                );
                if d.split.front.is_some() {
                    edits.extend(crate::edit::frontmatter::set_key(&d, "updated", "2026-03-01", &[]).unwrap());
                }
                let a = crate::edit::apply(&o, &edits).unwrap();
                let opts = MergeOptions::default();
                for (x, y, want) in [(&a, &o, &a), (&o, &a, &a), (&a, &a, &a), (&o, &o, &o)] {
                    let m = merge_texts(&path, &o, x, y, &opts).unwrap();
                    assert_eq!(m.conflicts, 0, "{path}");
                    assert_eq!(&m.text, want, "{path}");
                }
            }
        }
    }
}
