//! The index's journal: what findings' own writes changed since the index
//! (the base) was written, so that a write appends a small record instead
//! of rewriting the whole index.
//!
//! It lives beside the index (`index.journal`). Its header binds it to one
//! base: the format, the key and the base's own checksum; a journal whose
//! header names another base (the index was written again since, by a full
//! load or another version) is foreign and ignored whole. Each record is
//! its length, what one write changed (the paths it removed, the entries
//! of the files it wrote, the guards of the folders it vouched for) and a
//! checksum chained from the previous record's (the first from the
//! header's), so a record is only ever read in its place in its own
//! journal. Reading stops at the first record that is cut short, does not
//! check or does not decode: a record half written by a killed writer, or
//! one being appended right now, is never trusted, nor anything after it.
//!
//! Only a writer holding the repository lock appends (cutting a torn tail
//! first) or starts a journal (a temporary file renamed into place);
//! readers apply it over the base ([`super::Previous`]). The next full
//! load writes a new base holding it, which makes the journal foreign; a
//! write that would grow it past [`FOLD_BYTES`] writes a new base instead.
//! Like the index, it only ever saves work: every entry is still checked
//! against its file's `lstat`, every guard against its folder's.

use super::codec::{Reader, Writer};
use super::{encode as put_entry, hash128, Guard, Raw, Row, Stored, FORMAT};
use std::collections::BTreeMap;
use std::io::{Read, Seek, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 8] = b"FNDJRNL\0";
/// Magic, format, key, the base's checksum.
const HEAD: usize = 8 + 4 + 16 + 16;
/// A write that would grow the journal past this writes a new base instead.
pub(crate) const FOLD_BYTES: u64 = 1 << 20;
/// A journal larger than this is not read.
const MAX_BYTES: u64 = 4 * FOLD_BYTES;
/// A record larger than this is refused (one write changes a few files).
const MAX_RECORD: u32 = 1 << 20;

/// Where the journal of the index at `place` lives.
pub(crate) fn path(place: &Path) -> PathBuf {
    let mut p = place.as_os_str().to_owned();
    p.push(".journal");
    PathBuf::from(p)
}

/// A journal as read: the records that check, in order.
#[derive(Debug)]
pub(crate) struct Journal {
    bytes: Vec<u8>,
    /// Each record's payload in `bytes`, with the chained checksum that
    /// ends it.
    records: Vec<(Range<usize>, u128)>,
}

/// Where a journal's valid records end: its length so far and the
/// checksum a next record chains from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Mark {
    pub(crate) end: u64,
    pub(crate) last: u128,
}

/// What one write changed, decoded.
#[derive(Debug)]
pub(crate) struct Change {
    pub(crate) removed: Vec<String>,
    pub(crate) entries: Vec<(String, Stored)>,
    pub(crate) guards: Vec<Guard>,
}

fn head(key: u128, base: u128) -> Vec<u8> {
    let mut h = Vec::with_capacity(HEAD);
    h.extend_from_slice(MAGIC);
    h.extend_from_slice(&FORMAT.to_le_bytes());
    h.extend_from_slice(&key.to_le_bytes());
    h.extend_from_slice(&base.to_le_bytes());
    h
}

fn chain(last: u128, payload: &[u8]) -> u128 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(&last.to_le_bytes());
    h.update(payload);
    h.digest128()
}

/// The journal of the index at `place` for `key` and the base whose
/// checksum is `base`: `None` when there is none, it is foreign or its
/// header is damaged; else its records up to the first that does not check.
pub(crate) fn read(place: &Path, key: u128, base: u128) -> Option<Journal> {
    let path = path(place);
    let (file, len) = crate::store::bounded::open_checked(&path, MAX_BYTES).ok()?;
    let mut bytes = Vec::with_capacity(usize::try_from(len).ok()?);
    file.take(MAX_BYTES).read_to_end(&mut bytes).ok()?;
    let want = head(key, base);
    if bytes.get(..HEAD)? != want.as_slice() {
        return None;
    }
    let mut last = hash128(&want);
    let mut records = Vec::new();
    let mut at = HEAD;
    while let Some(len) = bytes.get(at..at + 4) {
        let n = u32::from_le_bytes(len.try_into().ok()?);
        if n > MAX_RECORD {
            break;
        }
        let body = at + 4..at + 4 + n as usize;
        let (Some(payload), Some(sum)) = (bytes.get(body.clone()), bytes.get(body.end..body.end + 16)) else {
            break;
        };
        let next = chain(last, payload);
        if u128::from_le_bytes(sum.try_into().ok()?) != next || decode(payload).is_none() {
            break;
        }
        records.push((body.clone(), next));
        last = next;
        at = body.end + 16;
    }
    Some(Journal { bytes, records })
}

/// [`read`], with the guards its records hold put in place of `guards`
/// (the base's): how every reader takes the journal in.
pub(crate) fn read_over(place: &Path, key: u128, base: u128, guards: &mut Vec<Guard>) -> Option<Journal> {
    let journal = read(place, key, base)?;
    for c in journal.changes() {
        apply_guards(guards, c.guards);
    }
    Some(journal)
}

/// One record's payload.
fn decode(payload: &[u8]) -> Option<Change> {
    let mut r = Reader::new(payload);
    let n = r.var()?;
    let mut removed = Vec::new();
    for _ in 0..n {
        removed.push(r.str()?.to_string());
    }
    let n = r.var()?;
    let mut entries = Vec::new();
    for _ in 0..n {
        // Decoded whole once here, so that an entry that does not decode
        // fails its record rather than a reader later.
        let body = r.bytes()?;
        let raw = Raw::of(body)?;
        raw.entry()?;
        entries.push((raw.path.to_string(), Stored(body.into())));
    }
    let n = r.var()?;
    let mut guards = Vec::new();
    for _ in 0..n {
        guards.push(Guard::read(&mut r)?);
    }
    (r.left() == 0).then_some(Change {
        removed,
        entries,
        guards,
    })
}

/// One record's payload: the paths `removed`, then `rows`, then `guards`.
pub(crate) fn encode<'a>(removed: &[&str], rows: impl ExactSizeIterator<Item = Row<'a>>, guards: &[Guard]) -> Vec<u8> {
    let mut w = Writer::default();
    w.var(removed.len() as u64);
    for p in removed {
        w.str(p);
    }
    w.var(rows.len() as u64);
    let mut scratch = Writer::default();
    for row in rows {
        put_entry(&mut w, &mut scratch, &row);
    }
    w.var(guards.len() as u64);
    for g in guards {
        g.write(&mut w);
    }
    w.buf
}

impl Journal {
    /// How many records check.
    pub(crate) fn len(&self) -> usize {
        self.records.len()
    }

    /// Where its valid records end.
    pub(crate) fn mark(&self) -> Mark {
        Mark {
            end: self.records.last().map_or(HEAD, |(r, _)| r.end + 16) as u64,
            last: self
                .records
                .last()
                .map_or_else(|| hash128(&self.bytes[..HEAD]), |(_, s)| *s),
        }
    }

    /// The records after `from` (every record for `None`); `None` when
    /// `from` is not where one of its records ends.
    pub(crate) fn since(&self, from: Option<Mark>) -> Option<Vec<Change>> {
        let skip = match from {
            None => 0,
            Some(m) if m.end == HEAD as u64 && m.last == hash128(&self.bytes[..HEAD]) => 0,
            Some(m) => {
                self.records
                    .iter()
                    .position(|(r, s)| (r.end + 16) as u64 == m.end && *s == m.last)?
                    + 1
            }
        };
        self.records[skip..]
            .iter()
            .map(|(r, _)| decode(&self.bytes[r.clone()]))
            .collect()
    }

    /// Every change, in order.
    pub(crate) fn changes(&self) -> Vec<Change> {
        self.since(None).unwrap_or_default()
    }

    /// Each path the journal knows, with its entry after every record
    /// (`None`: removed).
    pub(crate) fn overlay(&self) -> BTreeMap<String, Option<Stored>> {
        let mut out = BTreeMap::new();
        for c in self.changes() {
            for p in c.removed {
                out.insert(p, None);
            }
            for (p, e) in c.entries {
                out.insert(p, Some(e));
            }
        }
        out
    }
}

/// `entries` (in path order, each's path given by `path`) with `overlay`
/// over them, in one pass: an entry of the overlay replaces the one of its
/// path or is added, `None` removes it.
pub(crate) fn merge<T>(entries: Vec<T>, overlay: BTreeMap<String, Option<T>>, path: impl Fn(&T) -> &str) -> Vec<T> {
    let mut out = Vec::with_capacity(entries.len() + overlay.len());
    let mut overlay = overlay.into_iter().peekable();
    for e in entries {
        while let Some((_, o)) = overlay.next_if(|(q, _)| q.as_str() < path(&e)) {
            out.extend(o);
        }
        match overlay.next_if(|(q, _)| q.as_str() == path(&e)) {
            Some((_, o)) => out.extend(o),
            None => out.push(e),
        }
    }
    out.extend(overlay.filter_map(|(_, o)| o));
    out
}

/// `guards` with `newer` in place of those of the same path and kind (or
/// added).
pub(crate) fn apply_guards(guards: &mut Vec<Guard>, newer: Vec<Guard>) {
    for g in newer {
        match guards.iter_mut().find(|o| o.path == g.path && o.kind == g.kind) {
            Some(o) => *o = g,
            None => guards.push(g),
        }
    }
}

/// Append one record (`payload`) to the journal of the index at `place`,
/// the repository lock held: after `at` in the journal read then (a torn
/// tail past it is cut), or in a new journal bound to the base `base` when
/// `at` is `None`. Returns where the journal now ends.
pub(crate) fn append(place: &Path, key: u128, base: u128, at: Option<Mark>, payload: &[u8]) -> std::io::Result<Mark> {
    let n = u32::try_from(payload.len())
        .ok()
        .filter(|n| *n <= MAX_RECORD)
        .ok_or_else(|| std::io::Error::other("record too large"))?;
    let path = path(place);
    let (start, last) = match at {
        Some(m) => (Vec::new(), m),
        None => {
            let h = head(key, base);
            let last = hash128(&h);
            (h, Mark { end: 0, last })
        }
    };
    let sum = chain(last.last, payload);
    let mut rec = start;
    rec.extend_from_slice(&n.to_le_bytes());
    rec.extend_from_slice(payload);
    rec.extend_from_slice(&sum.to_le_bytes());
    match at {
        Some(m) => {
            let mut f = std::fs::OpenOptions::new().write(true).open(&path)?;
            f.set_len(m.end)?;
            f.seek(std::io::SeekFrom::Start(m.end))?;
            // One write: a reader sees the record whole or fails its check.
            f.write_all(&rec)?;
            Ok(Mark {
                end: m.end + rec.len() as u64,
                last: sum,
            })
        }
        None => {
            let dir = place.parent().ok_or_else(|| std::io::Error::other("no folder"))?;
            let mut tmp = tempfile::Builder::new().prefix(".index-").tempfile_in(dir)?;
            tmp.write_all(&rec)?;
            tmp.persist(&path).map_err(|e| e.error)?;
            Ok(Mark {
                end: rec.len() as u64,
                last: sum,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{write, Entry, GuardKind, Previous, RowVerdict, Stat};
    use super::*;
    use crate::document::Meta;

    fn meta(path: &str) -> Meta {
        crate::document::Document::parse(path, "---\nstatus: pending\n---\n# T\n".into()).meta
    }

    fn stat(ino: u64) -> Stat {
        Stat {
            size: 1,
            mtime: (2, 3),
            ctime: (4, 5),
            ino,
            dev: 7,
            mode: 0o100644,
        }
    }

    fn row<'a>(path: &'a str, m: &'a Meta, ino: u64) -> Row<'a> {
        Row {
            path,
            stat: stat(ino),
            hash: None,
            verdict: RowVerdict::Document(m),
        }
    }

    fn guard(ino: u64) -> Guard {
        Guard {
            path: "t".into(),
            kind: GuardKind::Dir,
            stat: Some(stat(ino)),
            racy: false,
        }
    }

    fn paths(place: &Path, key: u128) -> Vec<String> {
        let mut p = Previous::read(place, key);
        p.entries().unwrap().into_iter().map(|(p, _)| p).collect()
    }

    #[test]
    fn an_overlay_merges_in_path_order() {
        let m = meta("t/x.md");
        let e = |ino: u64| Entry {
            stat: stat(ino),
            hash: None,
            verdict: crate::store::Loaded::Document(m.clone()),
        };
        let base = vec![("a".to_string(), e(1)), ("c".into(), e(3)), ("e".into(), e(5))];
        let overlay: BTreeMap<String, Option<(String, Entry)>> = [
            ("0".to_string(), None),
            ("b".into(), Some(("b".into(), e(2)))),
            ("c".into(), None),
            ("e".into(), Some(("e".into(), e(6)))),
            ("f".into(), Some(("f".into(), e(7)))),
        ]
        .into_iter()
        .collect();
        let got: Vec<(String, u64)> = merge(base, overlay, |(p, _)| p.as_str())
            .into_iter()
            .map(|(p, e)| (p, e.stat.ino))
            .collect();
        let want: Vec<(String, u64)> = [("a", 1), ("b", 2), ("e", 6), ("f", 7)]
            .iter()
            .map(|(p, i)| (p.to_string(), *i))
            .collect();
        assert_eq!(got, want);
    }

    /// Records apply in order over the base; a torn or damaged record is
    /// ignored with everything after it; the next append cuts a torn tail;
    /// a base written again makes the old journal foreign.
    #[test]
    fn records_apply_in_order_and_a_torn_or_foreign_journal_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let place = dir.path().join("index");
        let (a, b, c) = (meta("t/001-a.md"), meta("t/002-b.md"), meta("t/003-c.md"));
        write(&place, 7, [row("t/001-a.md", &a, 1)].into_iter(), &[guard(10)]).unwrap();
        let base = Previous::read(&place, 7).base.unwrap().1;
        assert_eq!(read(&place, 7, base).map(|j| j.len()), None, "no journal yet");

        let one = encode(&[], [row("t/002-b.md", &b, 2)].into_iter(), &[guard(11)]);
        let at = append(&place, 7, base, None, &one).unwrap();
        let two = encode(&["t/001-a.md"], std::iter::empty(), &[]);
        let end = append(&place, 7, base, Some(at), &two).unwrap();
        assert_eq!(paths(&place, 7), ["t/002-b.md"]);
        let p = Previous::read(&place, 7);
        assert_eq!(p.guards, [guard(11)], "the journal's guard replaces the base's");
        assert!(p.journaled());
        let j = read(&place, 7, base).unwrap();
        assert_eq!(j.mark(), end);
        assert_eq!(j.since(Some(at)).unwrap().len(), 1);
        assert!(
            j.since(Some(Mark { end: at.end, last: 1 })).is_none(),
            "not a record's end"
        );

        // The second record cut anywhere: only the first applies.
        let jpath = path(&place);
        let whole = std::fs::read(&jpath).unwrap();
        for cut in at.end as usize..whole.len() {
            std::fs::write(&jpath, &whole[..cut]).unwrap();
            assert_eq!(paths(&place, 7), ["t/001-a.md", "t/002-b.md"], "cut at {cut}");
        }
        // Any byte of the first record damaged: neither applies.
        for i in HEAD..at.end as usize {
            let mut bad = whole.clone();
            bad[i] ^= 0x20;
            std::fs::write(&jpath, &bad).unwrap();
            assert_eq!(paths(&place, 7), ["t/001-a.md"], "flip at {i}");
        }
        // A damaged header, another key: the journal is ignored whole.
        let mut bad = whole.clone();
        bad[0] ^= 1;
        std::fs::write(&jpath, &bad).unwrap();
        assert!(!Previous::read(&place, 7).journaled());
        std::fs::write(&jpath, &whole).unwrap();
        write(&place, 8, [row("t/001-a.md", &a, 1)].into_iter(), &[guard(10)]).unwrap();
        assert_eq!(paths(&place, 8), ["t/001-a.md"], "another key");

        // A torn tail is cut by the next append after the records that check.
        write(&place, 7, [row("t/001-a.md", &a, 1)].into_iter(), &[guard(10)]).unwrap();
        let base = Previous::read(&place, 7).base.unwrap().1;
        let at = append(&place, 7, base, None, &one).unwrap();
        std::fs::write(&jpath, [&std::fs::read(&jpath).unwrap()[..], &[9, 9, 9]].concat()).unwrap();
        let j = read(&place, 7, base).unwrap();
        assert_eq!(j.mark(), at);
        let three = encode(&[], [row("t/003-c.md", &c, 3)].into_iter(), &[]);
        append(&place, 7, base, Some(j.mark()), &three).unwrap();
        assert_eq!(paths(&place, 7), ["t/001-a.md", "t/002-b.md", "t/003-c.md"]);

        // The base written again by someone else: the old journal is foreign.
        write(&place, 7, [row("t/009-z.md", &c, 9)].into_iter(), &[guard(10)]).unwrap();
        let p = Previous::read(&place, 7);
        assert!(!p.journaled());
        assert_eq!(p.guards, [guard(10)]);
        assert_eq!(paths(&place, 7), ["t/009-z.md"]);
    }
}
