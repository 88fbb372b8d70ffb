//! Opening a repository for a command about one or two documents (`show`,
//! `log`, `status`, `triage`, `tick` by ID): through the index, checking
//! each file it lists (below), when its guards vouch that a walk would
//! find those files, or when the only change is of the files in a folder
//! (a rename, a new file, a removal: that folder is listed again, its new
//! files read, its gone ones dropped); by file name when there is no
//! usable index; the whole repository (which writes the index again) when
//! the folders or ignore files the walk would follow changed, or neither
//! way can answer.
//!
//! Through the index, every indexed file is checked by its `lstat`, as
//! `git status` checks every tracked file (on both cores), and read only
//! when its stat changed since it was indexed or it is racily clean: any
//! edit is seen, an ID changed in a file's front matter without a rename
//! included, and no file is read that did not change. Only the documents
//! the queries name are decoded whole; the repository returned holds
//! those (with the problems a full load gives them) and knows the others
//! by path and, for ADRs, by family ([`super::Partial`]).

use super::index::codec::Head;
use super::index::{self, At, Entry, Guard, GuardKind, Raw, Whole};
use super::resolve::Named;
use super::{
    candidates, contain, load_meta, relative, resolve, walk_from, Config, Discovery, Found, Loaded, Partial, Paths,
    Repo, StoreError,
};
use crate::document::{folder, Kind, Meta};
use rayon::prelude::*;
use std::path::Path;

impl Repo {
    /// Open enough of the repository at `root` to answer `queries` (IDs or
    /// paths) as a full load would: through the index when it is usable,
    /// reading only the files that changed, else by file name
    /// (see the module documentation); the whole repository when a query
    /// does not resolve that way.
    pub fn open_for(root: &Path, queries: &[&str]) -> Result<Repo, StoreError> {
        let config = Config::load(root)?;
        match through_index(root, &config, queries) {
            Some(Through::Answer(repo)) => Ok(*repo),
            Some(Through::Whole) => Ok(Self::open_with(root, config)),
            None => Ok(by_name(root, config, queries)),
        }
    }
}

/// What the index could do for a one-document command.
enum Through {
    /// The repository as the index knows it, every file checked.
    Answer(Box<Repo>),
    /// The index is there, but the walk would enter other folders or
    /// follow other ignore files.
    Whole,
}

/// One file after its check: an unchanged document, its entry still
/// encoded but its head decoded; or judged (read anew, or an unchanged
/// file that is not a document); or a file the index does not list, read,
/// with its entry for the index (`None`: it has no `lstat`). Kept small
/// (a verdict is boxed): there is one for every file of the repository.
enum Now<'a> {
    Indexed(Head<'a>),
    Judged(Box<Loaded>),
    New(Box<(Loaded, Option<Entry>)>),
}

impl Now<'_> {
    /// The verdict of a file judged or new.
    fn loaded(&self) -> Option<&Loaded> {
        match self {
            Now::Indexed(_) => None,
            Now::Judged(l) => Some(l),
            Now::New(n) => Some(&n.0),
        }
    }
}

/// A document as the open through the index sees it before deciding
/// which to decode: its head, from the index or from the file read anew
/// (referred to where it lies: there is one for every document).
struct Doc<'a> {
    path: &'a str,
    head: DocHead<'a>,
    /// Its place in the checked files.
    at: usize,
}

/// Where a [`Doc`]'s ID, family, title and dependencies are.
enum DocHead<'a> {
    Indexed(&'a Head<'a>),
    Parsed(&'a Meta),
}

impl Named for Doc<'_> {
    fn id(&self) -> &str {
        match self.head {
            DocHead::Indexed(h) => h.id,
            DocHead::Parsed(m) => &m.id,
        }
    }
    fn kind(&self) -> Kind {
        match self.head {
            DocHead::Indexed(h) => h.kind,
            DocHead::Parsed(m) => m.kind,
        }
    }
    fn path(&self) -> &str {
        self.path
    }
    fn title(&self) -> &str {
        match self.head {
            DocHead::Indexed(h) => h.title,
            DocHead::Parsed(m) => &m.title,
        }
    }
    fn dependencies(&self) -> impl Iterator<Item = &str> {
        let (indexed, parsed): (&[&str], &[String]) = match self.head {
            DocHead::Indexed(h) => (&h.dependencies, &[]),
            DocHead::Parsed(m) => (&[], &m.dependencies),
        };
        indexed.iter().copied().chain(parsed.iter().map(String::as_str))
    }
}

/// Open through the index (see the module documentation); `None` when
/// there is no usable index.
///
/// Every file is checked (on every core, `lstat` relative to its open
/// folder), but only what answers `queries` is decoded whole: each
/// unchanged document's head (ID, family, title, dependencies) is read in
/// place, the queries resolved against those, and the documents they name
/// decoded, with the problems a full load gives them (duplicate IDs and
/// missing dependencies, checked against every document). The others
/// stay as paths ([`Repo::partial`]), the ADRs among them known by their
/// family. A query that names nothing decodes every document, so that the
/// error's suggestions are a full load's.
fn through_index(root: &Path, config: &Config, queries: &[&str]) -> Option<Through> {
    if !cfg!(unix) {
        return None;
    }
    let place = index::location(root)?;
    let whole = Whole::read(&place, index::key(config))?;
    if whole.guards.is_empty() {
        return None;
    }
    let raws = whole.raws()?;
    let mode = Discovery::of(config);
    // A folder whose stat changed since the index was written is listed
    // again (with the walk's rules): the files named there now that the
    // index does not list are read, those it lists that are gone are
    // dropped, so a person's rename or new file costs what it changed.
    // A changed set of folders, or a changed ignore file, changes what the
    // walk would enter: the whole repository is loaded (which writes the
    // index again).
    let mut added: Vec<String> = Vec::new();
    let mut gone: Vec<&str> = Vec::new();
    for g in &whole.guards {
        if g.holds(root) {
            continue;
        }
        match g.kind {
            GuardKind::File => return Some(Through::Whole),
            GuardKind::Start | GuardKind::Dir => {
                let Some(names) = g.stat.and_then(|_| names_now(root, mode, g, &whole.guards, &raws)) else {
                    return Some(Through::Whole);
                };
                added.extend(names.added);
                gone.extend(names.gone);
            }
        }
    }
    let files: Vec<File<'_>> = if added.is_empty() && gone.is_empty() {
        raws.iter().map(File::Indexed).collect()
    } else {
        gone.sort_unstable();
        let mut v: Vec<File<'_>> = raws
            .iter()
            .filter(|r| gone.binary_search(&r.path).is_err())
            .map(File::Indexed)
            .chain(added.iter().map(|p| File::New(p.as_str())))
            .collect();
        v.sort_unstable_by(|a, b| a.path().cmp(b.path()));
        v.dedup_by(|a, b| a.path() == b.path());
        v
    };
    let workflows = config.built();
    let racy_since = index::racy_since();
    // Each file checked; a new file's entry kept for the index (below).
    let now: Vec<Now<'_>> = files
        .par_iter()
        .map_init(
            || At::new(root),
            |at, file| {
                let raw = match *file {
                    File::Indexed(raw) => raw,
                    File::New(path) => {
                        let r = index::fresh(root, path, at.lstat(path), workflows, mode, racy_since);
                        let entry = r.stat.map(|stat| Entry {
                            stat,
                            hash: r.hash,
                            verdict: r.loaded.clone(),
                        });
                        return Now::New(Box::new((r.loaded, entry)));
                    }
                };
                let stat = at.lstat(raw.path);
                let held = raw
                    .stat_hash()
                    .and_then(|(was, hash)| index::holds(root, raw.path, was, hash, stat, racy_since));
                if held.is_some() {
                    if raw.is_document() {
                        if let Some(head) = raw.head() {
                            return Now::Indexed(head);
                        }
                    } else if let Some(e) = raw.entry() {
                        return Now::Judged(Box::new(e.verdict));
                    }
                }
                let loaded = index::fresh(root, raw.path, stat, workflows, mode, racy_since).loaded;
                Now::Judged(Box::new(loaded))
            },
        )
        .collect();
    // What a write after this open needs of the index (`index::own`),
    // with the names a person changed, to be recorded by that write
    // (none when a new file could not be `lstat`ed: the folder is then
    // listed again by the next command). Kept on one core while the
    // answer is worked out on the other.
    let remember = || {
        let new_entries: Option<Vec<(String, Entry)>> = files
            .iter()
            .zip(&now)
            .filter_map(|(f, n)| match n {
                Now::New(new) => Some(new.1.clone().map(|e| (f.path().to_string(), e))),
                Now::Indexed(_) | Now::Judged(_) => None,
            })
            .collect();
        if let Some(new_entries) = new_entries {
            let others = (!new_entries.is_empty() || !gone.is_empty()).then(|| index::own::Others {
                gone: gone.iter().map(|p| p.to_string()).collect(),
                added: new_entries,
            });
            index::own::remember_with(
                &place,
                index::key(config),
                whole.base,
                whole.journal_mark(),
                &whole.guards,
                raws.iter().map(|r| r.path),
                others,
            );
        }
    };
    // What is known of every document is gathered meanwhile too, and
    // kept when only some are decoded.
    let ((), (mut answer, known)) = rayon::join(remember, || {
        rayon::join(|| answer(root, config, queries, &files, &now), || known(&files, &now))
    });
    if let Through::Answer(repo) = &mut answer {
        if let Some(partial) = &mut repo.partial {
            *partial = known;
        }
    }
    // The index's bytes (28 MB at 100k documents) are given back on
    // another core, once nothing refers to them.
    drop(now);
    drop(files);
    drop(gone);
    drop(raws);
    rayon::spawn(move || drop(whole));
    Some(answer)
}

/// What the files checked say about `queries`: the documents they name,
/// decoded whole with the problems a full load gives them, and an empty
/// [`Partial`] for what is known of the others (filled from [`known`]);
/// every document decoded, and no `Partial`, when a query names none;
/// [`Through::Whole`] when a named document's entry does not decode.
fn answer<'a>(root: &Path, config: &Config, queries: &[&str], files: &'a [File<'a>], now: &'a [Now<'a>]) -> Through {
    let mut docs: Vec<Doc<'_>> = Vec::with_capacity(now.len());
    let mut file_problems = Vec::new();
    for (at, (f, n)) in files.iter().zip(now).enumerate() {
        match doc(at, f, n) {
            Some(d) => docs.push(d),
            None => {
                if let Some(Loaded::Failed(p)) = n.loaded() {
                    file_problems.push(p.clone());
                }
            }
        }
    }
    let chosen = chosen(&docs, queries);
    let mut problems = super::cross_problems(&docs, chosen.as_deref()).into_iter().peekable();
    let mut items: Vec<Meta> = Vec::with_capacity(chosen.as_ref().map_or(docs.len(), Vec::len));
    let every: Vec<usize>;
    let take = match &chosen {
        Some(c) => c,
        None => {
            every = (0..docs.len()).collect();
            &every
        }
    };
    for &i in take {
        let at = docs[i].at;
        let mut m = match (&files[at], &now[at]) {
            (File::Indexed(raw), Now::Indexed(_)) => match raw.entry().map(|e| e.verdict) {
                Some(Loaded::Document(m)) => m,
                // A head that decodes over a rest that does not: the
                // index cannot be trusted, and is written again.
                _ => return Through::Whole,
            },
            (_, n) => match n.loaded() {
                Some(Loaded::Document(m)) => m.clone(),
                _ => return Through::Whole,
            },
        };
        while let Some((_, p)) = problems.next_if(|(j, _)| *j == i) {
            m.problems.push(p);
        }
        items.push(m);
    }
    // Filled in by `through_index` with what `known` found meanwhile.
    let partial = chosen.map(|_| Partial::default());
    Through::Answer(Box::new(Repo {
        root: root.to_path_buf(),
        config: config.clone(),
        items,
        file_problems,
        partial,
    }))
}

/// The file `f` at `at`, checked (`n`), as a document; `None` when it
/// is not one.
fn doc<'a>(at: usize, f: &File<'a>, n: &'a Now<'a>) -> Option<Doc<'a>> {
    match (n, n.loaded()) {
        (Now::Indexed(head), _) => Some(Doc {
            path: f.path(),
            head: DocHead::Indexed(head),
            at,
        }),
        (_, Some(Loaded::Document(m))) => Some(Doc {
            path: &m.path,
            head: DocHead::Parsed(m),
            at,
        }),
        (_, Some(Loaded::Failed(_) | Loaded::Skipped(_)) | None) => None,
    }
}

/// What a repository opened in part knows of the documents it did not
/// decode: every document's path and the ADRs'.
fn known<'a>(files: &'a [File<'a>], now: &'a [Now<'a>]) -> Partial {
    let docs = || {
        files
            .iter()
            .zip(now)
            .enumerate()
            .filter_map(|(at, (f, n))| doc(at, f, n))
    };
    Partial {
        paths: Paths::sized(|| docs().map(|d| d.path)),
        adrs: Some(Paths::sized(|| {
            docs().filter(|d| d.kind() == Kind::Adr).map(|d| d.path)
        })),
    }
}

/// The documents (places in `docs`, rising) that answer `queries` as the
/// resolver answers them over every document: the one each names, or all
/// those it is ambiguous between. `None` (decode every document) when a
/// query names none, so that its error suggests what a full load would.
fn chosen(docs: &[Doc<'_>], queries: &[&str]) -> Option<Vec<usize>> {
    let place = |path: &str| docs.binary_search_by(|d| d.path.cmp(path)).ok();
    let mut out = Vec::new();
    for q in queries {
        match resolve::resolve(docs, q) {
            Ok(d) => out.push(place(d.path)?),
            Err(resolve::ResolveError::Ambiguous { paths, .. }) => {
                for p in &paths {
                    out.push(place(p)?);
                }
            }
            Err(resolve::ResolveError::NotFound { .. }) => return None,
        }
    }
    out.sort_unstable();
    out.dedup();
    Some(out)
}

/// A file the open through the index checks: listed by the index, or
/// found in a listed folder and not in the index.
#[derive(Clone, Copy)]
enum File<'a> {
    Indexed(&'a Raw<'a>),
    New(&'a str),
}

impl<'a> File<'a> {
    fn path(&self) -> &'a str {
        match self {
            File::Indexed(r) => r.path,
            File::New(p) => p,
        }
    }
}

/// How the candidate files directly in a folder differ from the index's.
struct Names<'a> {
    /// Found there now, not in the index.
    added: Vec<String>,
    /// In the index, not found there now.
    gone: Vec<&'a str>,
}

/// The candidate files directly in the folder `g` watches, against those
/// the index lists there (one folder's entries are read, with the walk's
/// rules); `None` when the folders in it are not the ones the index
/// watches (the walk would enter others), or the folder is no longer
/// inside the repository.
fn names_now<'a>(root: &Path, mode: Discovery, g: &Guard, guards: &[Guard], entries: &[Raw<'a>]) -> Option<Names<'a>> {
    if g.kind == GuardKind::Start && contain::check(root, Path::new(&g.path)).is_err() {
        return None;
    }
    let mut dirs = Vec::new();
    let files = walk_from(root, &[root.join(&g.path)], mode, Some(1), &mut Vec::new(), &mut |f| {
        if let Found::Dir(d) = f {
            dirs.push(relative(root, d));
        }
    });
    let mut had: Vec<&'a str> = entries.iter().map(|e| e.path).filter(|p| folder(p) == g.path).collect();
    let mut had_dirs: Vec<&str> = guards
        .iter()
        .filter(|o| o.kind == GuardKind::Dir && !o.path.is_empty() && folder(&o.path) == g.path)
        .map(|o| o.path.as_str())
        .collect();
    let mut files: Vec<&str> = files
        .iter()
        .map(String::as_str)
        .filter(|p| folder(p) == g.path)
        .collect();
    let mut dirs: Vec<&str> = dirs.iter().map(String::as_str).collect();
    for v in [&mut had_dirs, &mut files, &mut dirs] {
        v.sort_unstable();
        v.dedup();
    }
    had.sort_unstable();
    had.dedup();
    if had_dirs != dirs {
        return None;
    }
    // Both sorted: one pass over the two, rather than a search of one for
    // each of the other (85k names each, a folder of 100k documents).
    let (mut added, mut gone) = (Vec::new(), Vec::new());
    let (mut now, mut then) = (files.iter().peekable(), had.into_iter().peekable());
    loop {
        match (now.peek(), then.peek()) {
            (Some(f), Some(h)) => match (**f).cmp(*h) {
                std::cmp::Ordering::Less => added.extend(now.next().map(|f| f.to_string())),
                std::cmp::Ordering::Greater => gone.extend(then.next()),
                std::cmp::Ordering::Equal => {
                    now.next();
                    then.next();
                }
            },
            (Some(_), None) => added.extend(now.next().map(|f| f.to_string())),
            (None, Some(_)) => gone.extend(then.next()),
            (None, None) => break,
        }
    }
    Some(Names { added, gone })
}

/// Without a usable index: read only the files whose name can name a
/// query, and those whose name carries no ID (their ID is inside them and
/// may make a query ambiguous); the whole repository when a query does not
/// resolve among them. With 100k documents this reads a handful of files
/// instead of all of them, after a walk of the names.
fn by_name(root: &Path, config: Config, queries: &[&str]) -> Repo {
    let workflows = config.workflows();
    let mode = Discovery::of(&config);
    let mut file_problems = Vec::new();
    let files = candidates(root, &config, &mut file_problems);
    let unnamed = |p: &str| {
        crate::document::filename::FileName::parse(crate::document::file_name(p))
            .id_str()
            .is_none()
    };
    let items: Vec<Meta> = files
        .iter()
        .filter(|p| unnamed(p) || queries.iter().any(|q| resolve::could_name(q, p)))
        .filter_map(|p| load_meta(root, p, &workflows, mode))
        .filter_map(Result::ok)
        .collect();
    let repo = Repo {
        root: root.to_path_buf(),
        config,
        items,
        file_problems,
        partial: Some(Partial {
            paths: files.iter().map(String::as_str).collect(),
            adrs: None,
        }),
    };
    if !repo.items.is_empty() && queries.iter().all(|q| repo.resolve(q).is_ok()) {
        return repo;
    }
    Repo::open_with(root, repo.config)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    /// Through the index, only the documents a query names are decoded,
    /// and each is what a full load gives: its duplicate ID and missing
    /// dependencies (checked against every document, some of them read
    /// anew), and the ADRs known by family wherever they lie.
    #[test]
    fn a_partial_open_answers_as_the_full_load() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        fs::create_dir_all(root.join(".git")).unwrap();
        fs::create_dir_all(root.join("todos")).unwrap();
        fs::create_dir_all(root.join("adr")).unwrap();
        fs::create_dir_all(root.join("notes")).unwrap();
        let todo = |deps: &str, title: &str| {
            format!("---\nstatus: pending\npriority: p2\ndependencies: [{deps}]\n---\n# {title}\n")
        };
        let files = [
            (
                "todos/001-pending-p2-a.md",
                todo("\"002\", \"404\", \"adr-1\"", "Alpha"),
            ),
            ("todos/002-pending-p2-b.md", todo("", "Bravo")),
            ("todos/002-pending-p2-c.md", todo("\"001\"", "Charlie")),
            ("todos/003-pending-p2-d.md", todo("\"Missing-9\"", "Delta")),
            (
                "adr/0001-first.md",
                "# ADR-0001: First\n\n## Status\n\nAccepted\n\n## Context\n\nC.\n\n## Decision\n\nD.\n".into(),
            ),
            (
                "notes/0002-second-decision.md",
                "---\nstatus: accepted\n---\n# ADR-0002: Second\n\n## Context\n\nC.\n\n## Decision\n\nD.\n".into(),
            ),
        ];
        for (p, text) in &files {
            fs::write(root.join(p), text).unwrap();
        }
        let full = Repo::open(root).unwrap();
        assert!(
            index::location(root).unwrap().is_file(),
            "the full load wrote the index"
        );
        // Read anew, not from the index: its head comes from the parser.
        fs::write(
            root.join("todos/003-pending-p2-d.md"),
            todo("\"Missing-9\", \"1\"", "Delta"),
        )
        .unwrap();
        let full_now = Repo::open_with(root, full.config.clone());
        for queries in [&["1"][..], &["2"], &["3", "adr-1"], &["todos/002-pending-p2-c.md"]] {
            let part = Repo::open_for(root, queries).unwrap();
            let p = part.partial.as_ref().expect("opened in part, through the index");
            let adrs: Option<Vec<&str>> = p.adrs.as_ref().map(|a| a.iter().collect());
            assert_eq!(
                adrs,
                Some(full_now.adr_paths().iter().map(String::as_str).collect()),
                "{queries:?}"
            );
            let paths: Vec<&str> = p.paths.iter().collect();
            let all: Vec<&str> = full_now.items.iter().map(|m| m.path.as_str()).collect();
            assert_eq!(paths, all, "{queries:?}: every document's path, in order");
            assert_eq!(p.paths.len(), full_now.items.len());
            assert!(!part.items.is_empty() && part.items.len() < full_now.items.len());
            for q in queries {
                let a = part.resolve(q).cloned();
                let b = full_now.resolve(q).cloned();
                assert_eq!(a, b, "{q}");
            }
            for m in &part.items {
                let whole = full_now.items.iter().find(|w| w.path == m.path).unwrap();
                assert_eq!(m, whole, "{queries:?}");
            }
        }
        let dup = Repo::open_for(root, &["2"]).unwrap();
        assert!(dup.resolve("2").is_err(), "ambiguous, as in a full load");
        let todos: Vec<&Meta> = dup.items.iter().filter(|m| m.kind == Kind::Todo).collect();
        assert_eq!(todos.len(), 2, "both 002s, and ADR-0002");
        assert!(todos
            .iter()
            .all(|m| m.problems.iter().any(|p| p.code == "duplicate-id")));
        let a = Repo::open_for(root, &["001"]).unwrap();
        let codes: Vec<&str> = a.resolve("001").unwrap().problems.iter().map(|p| p.code).collect();
        assert_eq!(codes, ["missing-dependency"], "404 is missing; 002 and adr-1 exist");
        // A query that names nothing decodes every document, for a full
        // load's suggestions.
        let none = Repo::open_for(root, &["Charl"]).unwrap();
        assert!(none.partial.is_none());
        assert_eq!(
            none.resolve("Charl").unwrap_err(),
            full_now.resolve("Charl").unwrap_err()
        );
    }

    /// An index whose hash holds but one of whose entries does not decode
    /// (a forged or miswritten one) is not trusted: a head that does not
    /// decode has its file read again, and a named document whose rest
    /// does not decode has the whole repository loaded (which writes the
    /// index again).
    #[test]
    fn an_entry_that_does_not_decode_is_never_trusted() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        fs::create_dir_all(root.join(".git")).unwrap();
        fs::create_dir_all(root.join("todos")).unwrap();
        let todo = |title: &str| format!("---\nstatus: pending\npriority: p2\n---\n# {title}\n");
        fs::write(root.join("todos/001-pending-p2-a.md"), todo("Alpha")).unwrap();
        fs::write(root.join("todos/002-pending-p2-b.md"), todo("Bravo")).unwrap();
        let full = Repo::open(root).unwrap();
        let place = index::location(root).unwrap();
        let good = fs::read(&place).unwrap();
        let find = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).position(|w| w == needle).unwrap();
        let forge = |at: usize| {
            let mut bytes = good.clone();
            bytes[at] = 0xff;
            let end = bytes.len() - 16;
            let sum = xxhash_rust::xxh3::xxh3_128(&bytes[..end]);
            bytes[end..].copy_from_slice(&sum.to_le_bytes());
            fs::write(&place, bytes).unwrap();
            let whole = Whole::read(&place, index::key(&full.config)).expect("its hash holds");
            assert!(whole.raws().is_some(), "its entries split");
        };
        let title = find(&good, b"Alpha");
        // The status after Alpha's title: its head decodes, its rest not.
        let status = title + find(&good[title..], b"pending");
        for at in [title, status] {
            forge(at);
            for q in ["001", "002"] {
                let part = Repo::open_for(root, &[q]).unwrap();
                assert_eq!(part.resolve(q).ok(), full.resolve(q).ok(), "{q}, byte {at}");
            }
        }
    }
}
