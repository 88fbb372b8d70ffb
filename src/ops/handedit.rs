//! A write commits only its own change. When a document's working file also
//! holds a person's uncommitted edits, the commit gets HEAD's version with
//! findings' edit applied to it (the same change, merged by the document
//! merge the merge driver uses), and the working file gets the edit applied
//! to its own content, so the person's edits stay there, uncommitted. When
//! the two cannot be told apart (the person edited the lines the write
//! changes), the write is refused before anything is written.
//!
//! What findings itself wrote and could not commit (a failed hook, a held
//! index lock, `--no-commit`) is not a person's edit: it is remembered in
//! `.git/findings-uncommitted` (a content hash per path) and committed by
//! the next write of that file, as long as nobody changed the file since.

use super::merge::{merge_texts, MergeOptions};
use git2::{Repository, Status};
use std::path::Path;

/// HEAD's version of `path` (relative to `root`), when the working file
/// (whose bytes are `working`) or the index differs from it; `None` when
/// they match (the usual case, decided from HEAD's tree alone), the file is
/// new, or there is no repository.
pub(crate) fn committed_version(g: &Repository, root: &Path, path: &str, working: &[u8]) -> Option<Vec<u8>> {
    let workdir = g.workdir()?.canonicalize().ok()?;
    let rel = root.canonicalize().ok()?.join(path);
    let rel = rel.strip_prefix(&workdir).ok()?;
    let rel_str = rel.to_str()?.replace('\\', "/");
    // HEAD's trees are read raw (and kept for the commit's own splice).
    let tree = g.head().ok()?.peel_to_commit().ok()?.tree_id();
    let (id, _) = crate::git::entry_at(g, tree, &rel_str).ok()??;
    let head = g.find_blob(id).ok()?.content().to_vec();
    if head == working {
        return None;
    }
    // The bytes differ; git's own view decides (a clean filter such as
    // core.autocrlf makes equal content look different).
    let st = g.status_file(Path::new(&rel_str)).ok()?;
    let changed = Status::WT_MODIFIED | Status::INDEX_MODIFIED | Status::WT_TYPECHANGE | Status::INDEX_TYPECHANGE;
    st.intersects(changed).then_some(head)
}

/// The content to commit for a document at `path` whose working file
/// (`working`) becomes `after`, given HEAD's version `head`: HEAD's version
/// with the same change. `None` when the change cannot be applied to HEAD's
/// version alone (it touches what the person edited) or a version is not
/// UTF-8 text.
pub fn own_change(path: &str, head: &[u8], working: &[u8], after: &str) -> Option<Vec<u8>> {
    let head = std::str::from_utf8(head).ok()?;
    let working = std::str::from_utf8(working).ok()?;
    // core.autocrlf: HEAD holds LF where the working file has CRLF.
    let crlf = working.contains("\r\n") && !head.contains('\r');
    let head_like = if crlf {
        head.replace('\n', "\r\n")
    } else {
        head.to_string()
    };
    let m = merge_texts(path, working, &head_like, after, &MergeOptions::default()).ok()?;
    // Exactly findings' change, line for line: the lines it removed and
    // added on the working file are the ones removed and added on HEAD's.
    if m.conflicts > 0 || changed_lines(working, after) != changed_lines(&head_like, &m.text) {
        return None;
    }
    // And back: the committed text with the person's edits is the file.
    let back = merge_texts(path, &head_like, &m.text, working, &MergeOptions::default()).ok()?;
    if back.conflicts > 0 || back.text != after {
        return None;
    }
    let text = if crlf { m.text.replace("\r\n", "\n") } else { m.text };
    Some(text.into_bytes())
}

fn ledger(g: &Repository) -> std::path::PathBuf {
    g.path().join("findings-uncommitted")
}

fn read_ledger(g: &Repository) -> Vec<(u64, String)> {
    let f = ledger(g);
    let Ok(text) = crate::store::bounded::read_string(&f, crate::store::bounded::CONFIG_LIMIT) else {
        return vec![];
    };
    text.lines()
        .filter_map(|l| {
            let (h, p) = l.split_once(' ')?;
            Some((h.parse().ok()?, p.to_string()))
        })
        .collect()
}

fn write_ledger(g: &Repository, v: &[(u64, String)]) {
    let f = ledger(g);
    if v.is_empty() {
        let _ = std::fs::remove_file(f);
        return;
    }
    let text: String = v.iter().map(|(h, p)| format!("{h} {p}\n")).collect();
    let _ = crate::store::write::atomic_write(&f, text.as_bytes());
}

/// How many uncommitted contents of one path findings remembers.
const KEEP_PER_PATH: usize = 4;

/// Remember that findings wrote `bytes` to `path` (relative to `root`) and
/// did not commit them, in the ledger of the repository `g`.
pub fn remember(g: &Repository, written: &[(&str, &[u8])]) {
    let mut v = read_ledger(g);
    for (path, bytes) in written {
        if path.contains('\n') {
            continue;
        }
        // The last few contents per path are kept: a write killed after it
        // recorded its bytes but before it wrote them leaves the file with
        // the bytes an earlier write recorded.
        let h = crate::store::write::content_hash(bytes);
        v.retain(|(x, p)| !(p == path && *x == h));
        let kept = v.iter().filter(|(_, p)| p == path).count();
        if kept >= KEEP_PER_PATH {
            if let Some(i) = v.iter().position(|(_, p)| p == path) {
                v.remove(i);
            }
        }
        v.push((h, path.to_string()));
    }
    write_ledger(g, &v);
}

/// Forget `paths` (committed now), and any path whose file is gone (a name
/// a rename left behind; `root` is the findings root the paths are
/// relative to).
pub(crate) fn forget(g: &Repository, root: &Path, paths: &[&str]) {
    let v = read_ledger(g);
    if v.is_empty() {
        return;
    }
    let before = v.len();
    let left: Vec<(u64, String)> = v
        .into_iter()
        .filter(|(_, p)| !paths.contains(&p.as_str()) && root.join(p).exists())
        .collect();
    if left.len() != before {
        write_ledger(g, &left);
    }
}

/// Whether `bytes`, the content of `path`, is exactly what findings last
/// wrote there without committing it.
pub(crate) fn is_own(g: &Repository, path: &str, bytes: &[u8]) -> bool {
    let h = crate::store::write::content_hash(bytes);
    read_ledger(g).iter().any(|(x, p)| *x == h && p == path)
}

/// The lines removed and the lines added from `a` to `b`, in order.
fn changed_lines<'a>(a: &'a str, b: &'a str) -> (Vec<&'a str>, Vec<&'a str>) {
    let d = similar::TextDiff::from_lines(a, b);
    let (mut removed, mut added) = (Vec::new(), Vec::new());
    for c in d.iter_all_changes() {
        match c.tag() {
            similar::ChangeTag::Delete => removed.push(c.value()),
            similar::ChangeTag::Insert => added.push(c.value()),
            similar::ChangeTag::Equal => {}
        }
    }
    (removed, added)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "---\nstatus: pending\ntags: [a]\n---\n\n# T\n\nBody line.\n\n## Work Log\n\n| Date | Action | Learnings |\n|---|---|---|\n| 2026-01-01 | Created | |\n";

    #[test]
    fn the_edit_goes_onto_heads_version_alone() {
        // The person retitled a paragraph and a tag; findings logs and sets the status.
        let working = HEAD
            .replace("Body line.", "Body line, edited by hand.")
            .replace("[a]", "[a, b]");
        let after = working
            .replace("status: pending", "status: ready")
            .replace("| Created | |\n", "| Created | |\n| 2026-02-01 | Triaged | |\n");
        let c = own_change("todos/001-pending-p1-t.md", HEAD.as_bytes(), working.as_bytes(), &after).unwrap();
        assert_eq!(
            String::from_utf8(c).unwrap(),
            HEAD.replace("status: pending", "status: ready")
                .replace("| Created | |\n", "| Created | |\n| 2026-02-01 | Triaged | |\n")
        );
        // CRLF in the working file, LF in HEAD.
        let w = working.replace('\n', "\r\n");
        let a = after.replace('\n', "\r\n");
        let c = own_change("todos/001-pending-p1-t.md", HEAD.as_bytes(), w.as_bytes(), &a).unwrap();
        assert!(!c.contains(&b'\r'));
    }

    #[test]
    fn an_edit_where_the_person_edited_is_refused() {
        let working = HEAD.replace("status: pending", "status: blocked");
        let after = working.replace("status: blocked", "status: ready");
        assert_eq!(
            own_change("todos/001-pending-p1-t.md", HEAD.as_bytes(), working.as_bytes(), &after),
            None
        );
    }
}
