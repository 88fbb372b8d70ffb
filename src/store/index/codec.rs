//! The index file's byte layout: little-endian fixed integers, LEB128
//! lengths and counts, length-prefixed UTF-8 strings, one record per walked file. The reader trusts nothing it
//! reads: every length is checked against the bytes left, every string
//! against UTF-8, every tag against the values it may take; any failure
//! answers `None` and the caller rebuilds the index from the files.
//!
//! `&'static str` fields ([`Meta::status`], [`Meta::priority`],
//! [`Problem::code`]) are written as text and given back through a small
//! interner, so a value the parser produced in another run reads back
//! equal. A document's metadata starts with what identifies it (its ID,
//! its family as a tag, its title and dependencies), which
//! [`Reader::head`] reads alone, borrowed; its parsed created date is
//! stored, not parsed again.

use crate::document::locations::Location;
use crate::document::{Kind, Meta, Problem, Severity};
use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::Mutex;

/// Appends values to an index being written.
#[derive(Default)]
pub(crate) struct Writer {
    pub(crate) buf: Vec<u8>,
}

impl Writer {
    pub(crate) fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }

    pub(crate) fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    pub(crate) fn u64(&mut self, v: u64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    pub(crate) fn i64(&mut self, v: i64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    /// An unsigned number in LEB128: seven bits a byte, low first (most
    /// lengths and counts take one byte).
    pub(crate) fn var(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.buf.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.buf.push(v as u8);
    }

    pub(crate) fn bytes(&mut self, b: &[u8]) {
        self.var(b.len() as u64);
        self.buf.extend_from_slice(b);
    }

    pub(crate) fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }

    fn opt_str(&mut self, s: Option<&str>) {
        match s {
            Some(s) => {
                self.u8(1);
                self.str(s);
            }
            None => self.u8(0),
        }
    }

    fn opt_u64(&mut self, v: Option<u64>) {
        match v {
            Some(v) => {
                self.u8(1);
                self.var(v);
            }
            None => self.u8(0),
        }
    }

    fn strs(&mut self, v: &[String]) {
        self.var(v.len() as u64);
        for s in v {
            self.str(s);
        }
    }

    pub(crate) fn problem(&mut self, p: &Problem) {
        self.u8(match p.severity {
            Severity::Warning => 0,
            Severity::Error => 1,
        });
        self.str(p.code);
        self.str(&p.path);
        self.var(p.line as u64);
        self.var(p.column as u64);
        self.str(&p.message);
    }

    /// A document's metadata as the loader made it (before the checks that
    /// need the whole repository add their problems); its path is the
    /// entry's, written once there.
    pub(crate) fn meta(&mut self, m: &Meta) {
        self.str(&m.id);
        self.u8(kind_tag(m.kind));
        self.str(&m.title);
        self.strs(&m.dependencies);
        self.opt_str(m.status);
        self.opt_str(m.status_raw.as_deref());
        self.u8(match m.status_place {
            None => 0,
            Some(crate::document::fields::StatusPlace::FrontMatter) => 1,
            Some(crate::document::fields::StatusPlace::Section) => 2,
            Some(crate::document::fields::StatusPlace::Field) => 3,
            Some(crate::document::fields::StatusPlace::FileName) => 4,
        });
        self.opt_str(m.priority);
        self.opt_str(m.priority_raw.as_deref());
        self.opt_str(m.severity.as_deref());
        self.strs(&m.tags);
        self.opt_str(m.created.as_deref());
        match m.created_at {
            Some(t) => {
                let t = t.and_utc();
                self.u8(1);
                self.i64(t.timestamp());
                self.u32(t.timestamp_subsec_nanos());
            }
            None => self.u8(0),
        }
        self.u8(u8::from(m.conflicted));
        self.var(m.problems.len() as u64);
        for p in &m.problems {
            self.problem(p);
        }
        self.opt_u64(m.number);
        self.opt_u64(m.status_rank.map(|r| r as u64));
        self.var(m.locations.len() as u64);
        for l in &m.locations {
            self.str(&l.path);
            self.opt_u64(l.start_line.map(u64::from));
            self.opt_u64(l.end_line.map(u64::from));
            self.var(l.cited_at as u64);
        }
    }
}

/// Reads values back from an index's bytes; every method answers `None`
/// when the bytes do not hold what it expects.
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { rest: bytes }
    }

    /// How many bytes are left to read.
    pub(crate) fn left(&self) -> usize {
        self.rest.len()
    }

    /// The bytes not read yet, all of them (the reader is done).
    pub(crate) fn rest(self) -> &'a [u8] {
        self.rest
    }

    pub(crate) fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.rest.len() {
            return None;
        }
        let (a, b) = self.rest.split_at(n);
        self.rest = b;
        Some(a)
    }

    pub(crate) fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    pub(crate) fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    pub(crate) fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    pub(crate) fn i64(&mut self) -> Option<i64> {
        Some(i64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    /// A LEB128 number ([`Writer::var`]); `None` past ten bytes or 64 bits.
    pub(crate) fn var(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for i in 0..10 {
            let b = self.u8()?;
            let part = u64::from(b & 0x7f);
            if i == 9 && part > 1 {
                return None;
            }
            v |= part << (7 * i);
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }

    fn usize(&mut self) -> Option<usize> {
        usize::try_from(self.var()?).ok()
    }

    /// A length-prefixed byte string; the length is checked against the
    /// bytes left before anything is taken.
    pub(crate) fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = self.usize()?;
        self.take(n)
    }

    pub(crate) fn str(&mut self) -> Option<&'a str> {
        std::str::from_utf8(self.bytes()?).ok()
    }

    fn string(&mut self) -> Option<String> {
        self.str().map(str::to_string)
    }

    fn flag(&mut self) -> Option<bool> {
        match self.u8()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }

    fn opt_string(&mut self) -> Option<Option<String>> {
        Some(if self.flag()? { Some(self.string()?) } else { None })
    }

    fn opt_static(&mut self) -> Option<Option<&'static str>> {
        Some(if self.flag()? { Some(intern(self.str()?)?) } else { None })
    }

    fn opt_u64(&mut self) -> Option<Option<u64>> {
        Some(if self.flag()? { Some(self.var()?) } else { None })
    }

    /// A count of items each at least `min` bytes long: never more than the
    /// bytes left could hold, so a forged count allocates nothing.
    fn count(&mut self, min: usize) -> Option<usize> {
        let n = self.usize()?;
        (n <= self.rest.len() / min.max(1)).then_some(n)
    }

    fn strings(&mut self) -> Option<Vec<String>> {
        let n = self.count(1)?;
        (0..n).map(|_| self.string()).collect()
    }

    pub(crate) fn problem(&mut self) -> Option<Problem> {
        let severity = match self.u8()? {
            0 => Severity::Warning,
            1 => Severity::Error,
            _ => return None,
        };
        Some(Problem {
            severity,
            code: intern(self.str()?)?,
            path: self.string()?,
            line: self.usize()?,
            column: self.usize()?,
            message: self.string()?,
        })
    }

    /// What identifies a document, the start of its metadata
    /// ([`Writer::meta`]): its ID, family, title and dependencies, borrowed
    /// from the bytes (nothing is allocated but the list of dependencies).
    pub(crate) fn head(&mut self) -> Option<Head<'a>> {
        let id = self.str()?;
        let kind = kind_of(self.u8()?)?;
        let title = self.str()?;
        let n = self.count(1)?;
        let dependencies = (0..n).map(|_| self.str()).collect::<Option<Vec<_>>>()?;
        Some(Head {
            id,
            kind,
            title,
            dependencies,
        })
    }

    /// A document's metadata, at `path` (the entry's).
    pub(crate) fn meta(&mut self, path: &str) -> Option<Meta> {
        use crate::document::fields::StatusPlace;
        let head = self.head()?;
        let id = head.id.to_string();
        let kind = head.kind;
        let title = head.title.to_string();
        let dependencies = head.dependencies.iter().map(|d| d.to_string()).collect();
        let status = self.opt_static()?;
        let status_raw = self.opt_string()?;
        let status_place = match self.u8()? {
            0 => None,
            1 => Some(StatusPlace::FrontMatter),
            2 => Some(StatusPlace::Section),
            3 => Some(StatusPlace::Field),
            4 => Some(StatusPlace::FileName),
            _ => return None,
        };
        let priority = self.opt_static()?;
        let priority_raw = self.opt_string()?;
        let severity = self.opt_string()?;
        let tags = self.strings()?;
        let path = path.to_string();
        let created = self.opt_string()?;
        // As `date::parse_date` read `created` when the file was parsed:
        // kept rather than parsed again.
        let created_at = match self.u8()? {
            0 => None,
            1 => {
                let (secs, nanos) = (self.i64()?, self.u32()?);
                Some(chrono::DateTime::from_timestamp(secs, nanos)?.naive_utc())
            }
            _ => return None,
        };
        let conflicted = self.flag()?;
        let n = self.count(5)?;
        let problems = (0..n).map(|_| self.problem()).collect::<Option<Vec<_>>>()?;
        let number = self.opt_u64()?;
        let status_rank = match self.opt_u64()? {
            Some(r) => Some(usize::try_from(r).ok()?),
            None => None,
        };
        let n = self.count(4)?;
        let locations = (0..n)
            .map(|_| {
                Some(Location {
                    path: self.string()?,
                    start_line: self.opt_u64()?.map(u32::try_from).transpose().ok()?,
                    end_line: self.opt_u64()?.map(u32::try_from).transpose().ok()?,
                    cited_at: self.usize()?,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Meta {
            id,
            kind,
            title,
            status,
            status_raw,
            status_place,
            priority,
            priority_raw,
            severity,
            tags,
            dependencies,
            path,
            created,
            created_at,
            conflicted,
            problems,
            number,
            status_rank,
            locations,
        })
    }
}

/// The start of a document's metadata ([`Reader::head`]), borrowed from
/// the index's bytes: enough to resolve an ID and check the whole
/// repository's IDs without decoding the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Head<'a> {
    pub(crate) id: &'a str,
    pub(crate) kind: Kind,
    pub(crate) title: &'a str,
    pub(crate) dependencies: Vec<&'a str>,
}

fn kind_tag(k: Kind) -> u8 {
    match k {
        Kind::Todo => 0,
        Kind::Finding => 1,
        Kind::Adr => 2,
    }
}

fn kind_of(tag: u8) -> Option<Kind> {
    Kind::ALL.get(usize::from(tag)).copied().filter(|k| kind_tag(*k) == tag)
}

/// At most this many distinct static strings come from indexes in one
/// process; past it a value reads as corrupt (its file is parsed again).
const MAX_INTERNED: usize = 4096;
/// Longer values are no status, priority or problem code.
const MAX_INTERNED_LEN: usize = 256;

/// The one `&'static str` with `s`'s text: status words, priorities and
/// problem codes are few, so each distinct value is kept once for the
/// process. `None` past [`MAX_INTERNED`] values or for a long one.
pub(crate) fn intern(s: &str) -> Option<&'static str> {
    static SEEN: Mutex<Option<HashSet<&'static str>>> = Mutex::new(None);
    // The few values each thread has met, looked at before the shared set:
    // entries are decoded on every core, and the lock would be taken for
    // every status, priority and problem code.
    thread_local! {
        static NEAR: RefCell<Vec<&'static str>> = const { RefCell::new(Vec::new()) };
    }
    if s.len() > MAX_INTERNED_LEN {
        return None;
    }
    if let Some(known) = NEAR.with_borrow(|near| near.iter().find(|k| **k == s).copied()) {
        return Some(known);
    }
    let known = intern_shared(&SEEN, s)?;
    NEAR.with_borrow_mut(|near| {
        if near.len() < NEAR_MAX {
            near.push(known);
        }
    });
    Some(known)
}

/// How many values [`intern`] keeps near each thread.
const NEAR_MAX: usize = 64;

/// [`intern`] through the process's one set.
fn intern_shared(seen: &Mutex<Option<HashSet<&'static str>>>, s: &str) -> Option<&'static str> {
    let mut seen = seen.lock().unwrap_or_else(|e| e.into_inner());
    let set = seen.get_or_insert_with(HashSet::new);
    if let Some(&known) = set.get(s) {
        return Some(known);
    }
    if set.len() >= MAX_INTERNED {
        return None;
    }
    let leaked: &'static str = Box::leak(s.to_string().into_boxed_str());
    set.insert(leaked);
    Some(leaked)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_round_trips_and_every_truncation_fails() {
        let text = "---\nstatus: pending\npriority: p1\ntags: [a, b]\ndependencies: [\"001\"]\ncreated: 2024-01-02\n---\n# Title\n\nSee src/a.rs:3.\n";
        let doc = crate::document::Document::parse("todos/002-pending-p1-x.md", text.into());
        let mut m = doc.meta;
        m.problems
            .push(Problem::warning("no-status", &m.path.clone(), 2, 3, "why"));
        let mut w = Writer::default();
        w.meta(&m);
        let back = Reader::new(&w.buf).meta(&m.path).unwrap();
        assert_eq!(back, m);
        for cut in 0..w.buf.len() {
            assert!(Reader::new(&w.buf[..cut]).meta(&m.path).is_none(), "cut at {cut}");
        }
    }

    #[test]
    fn numbers_round_trip_and_overlong_ones_fail() {
        for v in [0, 1, 127, 128, 300, u32::MAX as u64, u64::MAX] {
            let mut w = Writer::default();
            w.var(v);
            assert_eq!(Reader::new(&w.buf).var(), Some(v));
        }
        assert_eq!(Reader::new(&[0xff; 11]).var(), None);
        assert_eq!(
            Reader::new(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02]).var(),
            None
        );
    }

    #[test]
    fn forged_lengths_allocate_nothing() {
        let mut w = Writer::default();
        w.var(u64::MAX);
        assert!(Reader::new(&w.buf).str().is_none());
        assert!(Reader::new(&w.buf).strings().is_none());
    }
}
