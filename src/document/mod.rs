//! Documents: one markdown file per finding, todo or ADR.
//!
//! Over 600 lines (about 900 before its tests): the one parser of a document, which reads every
//! real-world shape of front matter, status, family, ID and title; its parts (front matter,
//! fields, sections, file names) are already modules beside it.
//!
//! [`Document::parse`] reads a file's text once into exact byte spans (front
//! matter, top-level keys, sections, where the status lives) plus a
//! lightweight [`Meta`] used for listing and filtering. Nothing here rewrites
//! text: the original bytes are kept and every edit in [`crate::edit`] works on
//! these spans, so an unchanged document serializes back byte-identical.
//!
//! About 900 lines before the tests: the parse, the kind detection and the
//! section vocabularies it reads are one pass over one text and share their
//! helpers; the parts that stand alone are the sub-modules.

pub mod criteria;
pub mod date;
pub mod fields;
pub mod filename;
pub mod frontmatter;
pub mod locations;
pub mod options;
pub(crate) mod problem;
pub mod sections;
pub mod text;
pub mod worklog;

pub use crate::workflow::Kind;
use crate::workflow::{normalize_priority, Workflows};
use fields::{BodyValue, StatusPlace};
use filename::FileName;
use frontmatter::{KeyLine, Split, Style};
pub(crate) use problem::{Problem, Severity};
use sections::Section;
use serde::Serialize;

/// Files larger than this are reported and not loaded.
pub(crate) const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;

/// What listing and filtering need of a document: small, no body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Meta {
    /// The document's ID (`030`, `DATA-001`, `ADR-0105`): from the front matter or
    /// the file name (an ADR's also from its title), else the file name without `.md`.
    pub id: String,
    /// The family (todo, finding or ADR), judged from the front matter's keys, the file
    /// name, the folder and the content.
    pub kind: Kind,
    /// The title: the front matter's `title`, else the first heading (H1 first, not a
    /// standard section), without its ID prefix.
    pub title: String,
    /// The family's canonical status, or `None` when the raw value is unknown.
    pub status: Option<&'static str>,
    /// The status exactly as the document writes it, `None` when it has none.
    pub status_raw: Option<String>,
    /// Where the status was read from (front matter, section, field or file name);
    /// `None` without a status.
    pub status_place: Option<StatusPlace>,
    /// Normalized `p0`..`p4`.
    pub priority: Option<&'static str>,
    /// The priority exactly as written (front matter, file name or a body field),
    /// before normalization.
    pub priority_raw: Option<String>,
    /// The `severity` value as written (front matter or a body field), `None` when
    /// absent.
    pub severity: Option<String>,
    /// The `tags` (or `labels`) list of the front matter, empty when absent.
    pub tags: Vec<String>,
    /// IDs this document depends on (`dependencies`, `depends_on` or `blocked_by`),
    /// empty when absent.
    pub dependencies: Vec<String>,
    /// Repository-relative, `/`-separated.
    pub path: String,
    /// The created date as written (`created`, `date`, a `**Date**:` field).
    pub created: Option<String>,
    /// [`Meta::created`] read by [`date::parse_date`]: what sorting and ages
    /// compare. `None` when absent or not a readable date.
    #[serde(skip)]
    pub created_at: Option<chrono::NaiveDateTime>,
    /// The file holds unresolved merge-conflict markers.
    pub conflicted: bool,
    /// What is wrong with the document (unreadable front matter, a missing status,
    /// ...), each with its position; empty when it is clean.
    pub problems: Vec<Problem>,
    /// The trailing number of the ID, for numeric resolution and sorting.
    #[serde(skip)]
    pub number: Option<u64>,
    /// The status's place in its family's workflow as the repository
    /// configures it (`in_review` between `ready` and `complete`), for
    /// sorting and menus; `None` for a status the workflow does not know.
    #[serde(skip)]
    pub status_rank: Option<usize>,
    /// The code locations the document cites ([`locations::find`]).
    pub locations: Vec<locations::Location>,
}

impl Meta {
    /// The status to show and filter on: canonical, else the raw value.
    pub fn status_label(&self) -> &str {
        self.status.or(self.status_raw.as_deref()).unwrap_or("")
    }

    /// [`Meta::status_label`] as an owned value, `None` without any status.
    pub(crate) fn status_owned(&self) -> Option<String> {
        self.status.or(self.status_raw.as_deref()).map(str::to_string)
    }
}

/// A parsed document with its text and every span an edit needs.
#[derive(Debug, Clone)]
pub struct Document {
    /// The whole file as read (BOM, line endings and all): every span below indexes it.
    pub text: String,
    /// Where the BOM, the front matter and the body are in `text`.
    pub split: Split,
    /// Each top-level front-matter key with the byte spans of its line and value, in
    /// file order.
    pub keys: Vec<KeyLine>,
    /// The body's ATX headings outside fenced code, with their content spans, in file
    /// order.
    pub sections: Vec<Section>,
    /// Which lines are fenced code, by the one fence rule of
    /// [`sections::Code`]: every reader and editor asks this.
    pub(crate) code: sections::Code,
    pub(crate) file: FileName,
    /// Where the status value lives (front matter, section or field).
    pub status_at: Option<BodyValue>,
    /// Other places that also hold a status of the family (a `## Status`
    /// section or a bold field besides the front matter): a status change
    /// updates them too.
    pub status_also: Vec<BodyValue>,
    /// The parsed front matter, when it is valid YAML.
    pub yaml: Option<serde_yaml::Value>,
    /// The small summary listing and filtering use.
    pub meta: Meta,
}

/// Why a file could not be read as a document at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Unreadable(pub Problem);

/// The file-name part of a repository-relative path.
pub(crate) fn file_name(path: &str) -> &str {
    // `memchr`'s vector search: the standard one is slow on paths, and
    // these two are asked of every path of the repository at times.
    memchr::memrchr(b'/', path.as_bytes()).map_or(path, |at| &path[at + 1..])
}

/// The folder part of a repository-relative path (`""` at the top).
pub(crate) fn folder(path: &str) -> &str {
    memchr::memrchr(b'/', path.as_bytes()).map_or("", |at| &path[..at])
}

/// The path of the file `name` beside the file at `path` (same folder).
pub(crate) fn sibling(path: &str, name: &str) -> String {
    match folder(path) {
        "" => name.to_string(),
        dir => format!("{dir}/{name}"),
    }
}

/// True when a file name is a README, an index or a template, which carry no
/// document of their own unless their front matter says otherwise.
pub fn is_auxiliary(path: &str) -> bool {
    let name = file_name(path).to_ascii_lowercase();
    let stem = name.strip_suffix(".md").unwrap_or(&name);
    matches!(
        stem,
        "readme" | "index" | "_index" | "contributing" | "changelog" | "license"
    ) || is_template(path)
}

/// True when a file name says it is a template: `template.md`,
/// `adr-template.md`, `000-pending-p1-TEMPLATE.md` (its last word), but not
/// `009-resolved-integrate-template-matcher-service.md`.
pub(crate) fn is_template(path: &str) -> bool {
    let name = file_name(path);
    let stem = name
        .strip_suffix(".md")
        .or_else(|| name.strip_suffix(".MD"))
        .unwrap_or(name);
    stem.rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .is_some_and(|w| w.eq_ignore_ascii_case("template"))
}

/// Whether a parsed file counts as a document: README, index and
/// template files are skipped unless their front matter declares a status
/// or an ID; a template never counts. The store and the branch scan share
/// this rule.
pub(crate) fn counts_as_document(path: &str, doc: &Document) -> bool {
    if is_template(path) {
        return false;
    }
    !is_auxiliary(path) || doc.key("status").is_some() || doc.key("id").is_some()
}

/// Decode bytes as a document's text, or say precisely why not.
pub fn decode(path: &str, bytes: Vec<u8>) -> Result<String, Unreadable> {
    if bytes.is_empty() {
        return Err(Unreadable(Problem::warning("empty", path, 1, 1, "empty file")));
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Unreadable(Problem::error(
            "too-large",
            path,
            1,
            1,
            format!("{} bytes is over the {} byte limit", bytes.len(), MAX_FILE_BYTES),
        )));
    }
    let probe = &bytes[..bytes.len().min(8192)];
    if let Some(i) = probe.iter().position(|&b| b == 0) {
        let (line, col) = byte_position(&bytes, i);
        return Err(Unreadable(Problem::error(
            "binary",
            path,
            line,
            col,
            "binary file (NUL byte)",
        )));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let (line, col) = byte_position(e.as_bytes(), at);
        Unreadable(Problem::error("not-utf8", path, line, col, "not valid UTF-8"))
    })
}

fn byte_position(bytes: &[u8], at: usize) -> (usize, usize) {
    let before = &bytes[..at.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let ls = before.iter().rposition(|&b| b == b'\n').map(|i| i + 1).unwrap_or(0);
    let col = String::from_utf8_lossy(&before[ls..]).chars().count() + 1;
    (line, col)
}

/// Flow collections nested deeper than this are refused before the YAML
/// parser sees them: its scanner is quadratic in the nesting depth (50,000
/// `[` took 5 s), and it rejects more than 128 levels anyway.
const MAX_FLOW_DEPTH: usize = 128;

/// The byte offset where `[`/`{` nesting first exceeds [`MAX_FLOW_DEPTH`].
/// Brackets inside quotes count too: over-strict, but only past 128 levels.
fn too_deep(yaml: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, b) in yaml.bytes().enumerate() {
        match b {
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// A conflict marker line: seven or more `<` or `>` (git writes longer ones
/// for nested merges, renames and `conflict-marker-size`), then a space or
/// the end of the line.
fn is_marker(line: &str, c: char) -> bool {
    let n = line.len() - line.trim_start_matches(c).len();
    n >= 7
        && line[n..]
            .chars()
            .next()
            .is_none_or(|x| x == ' ' || x == '\r' || x == '\n')
}

fn has_conflict_markers(text: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if is_marker(line, '<') || is_marker(line, '>') {
            return Some(offset);
        }
        offset += line.len();
    }
    None
}

impl Document {
    /// Parse `text` found at repository-relative `path`, with the built-in
    /// workflows.
    pub fn parse(path: &str, text: String) -> Document {
        Self::parse_with(path, text, Workflows::builtin())
    }

    /// Parse `text` found at `path`, normalizing its status through a
    /// repository's workflows.
    pub(crate) fn parse_with(path: &str, text: String, workflows: &Workflows) -> Document {
        let split = frontmatter::split(&text);
        let mut problems = Vec::new();
        let keys = split
            .front
            .as_ref()
            .map(|f| frontmatter::keys(&text, f.yaml.clone()))
            .unwrap_or_default();
        let mut yaml = None;
        if let Some(f) = &split.front {
            let src = &text[f.yaml.clone()];
            if let Some(at) = too_deep(src) {
                let (l, c) = text::position(&text, f.yaml.start + at);
                problems.push(Problem::error(
                    "invalid-yaml",
                    path,
                    l,
                    c,
                    format!("invalid YAML front matter: nested deeper than {MAX_FLOW_DEPTH} levels"),
                ));
            } else {
                match serde_yaml::from_str::<serde_yaml::Value>(src) {
                    Ok(v) => yaml = Some(v),
                    Err(e) => {
                        let first = text::position(&text, f.yaml.start).0;
                        let (l, c) = e
                            .location()
                            .map(|loc| (first + loc.line().saturating_sub(1), loc.column()))
                            .unwrap_or((first, 1));
                        let msg = e.to_string();
                        let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
                        problems.push(Problem::error(
                            "invalid-yaml",
                            path,
                            l,
                            c,
                            format!("invalid YAML front matter: {msg}"),
                        ));
                    }
                }
            }
        } else if split.unterminated {
            problems.push(Problem::warning(
                "unterminated-front-matter",
                path,
                1,
                1,
                "front matter opened with --- is never closed; read as body",
            ));
        }
        let conflicted = match has_conflict_markers(&text) {
            Some(at) => {
                let (l, c) = text::position(&text, at);
                problems.push(Problem::error(
                    "conflict-markers",
                    path,
                    l,
                    c,
                    "unresolved merge conflict markers",
                ));
                true
            }
            None => false,
        };
        // Front matter after the title: the title's section is read too,
        // and nothing inside the block (`# a YAML comment`) is a heading.
        // Which lines are code: computed once, over the whole markdown.
        let (markdown, skip) = match &split.front {
            Some(f) if f.open.start > split.bom => (split.bom..text.len(), Some(f.open.start..f.close.end)),
            _ => (split.body.clone(), None),
        };
        let code = sections::Code::scan(&text, markdown.clone(), skip.clone());
        let mut sections = sections::sections_in(&text, markdown, &code);
        if let Some(skip) = skip {
            sections.retain(|s| !skip.contains(&s.heading.start));
        }
        let file = FileName::parse(file_name(path));
        let mut doc = Document {
            meta: Meta {
                id: String::new(),
                kind: Kind::Finding,
                title: String::new(),
                status: None,
                status_raw: None,
                status_place: None,
                priority: None,
                priority_raw: None,
                severity: None,
                tags: vec![],
                dependencies: vec![],
                path: path.to_string(),
                created: None,
                created_at: None,
                conflicted,
                problems,
                number: None,
                status_rank: None,
                locations: Vec::new(),
            },
            text,
            split,
            keys,
            sections,
            code,
            file,
            status_at: None,
            status_also: Vec::new(),
            yaml,
        };
        doc.fill_meta(workflows);
        doc.meta.locations = locations::find(&doc);
        doc
    }

    /// The key line of a top-level front-matter key.
    pub fn key(&self, name: &str) -> Option<&KeyLine> {
        self.keys.iter().find(|k| k.key == name)
    }

    /// A scalar front-matter value as written ("001" stays "001").
    pub fn scalar(&self, name: &str) -> Option<String> {
        let k = self.key(name)?;
        match k.style {
            Style::Plain | Style::Single | Style::Double => {
                let v = k.text(&self.text);
                let v = v.trim();
                (!v.is_empty() && v != "null" && v != "~").then(|| v.to_string())
            }
            Style::Other | Style::Empty => match self.yaml.as_ref()?.get(name)? {
                serde_yaml::Value::String(s) => Some(s.trim().to_string()),
                serde_yaml::Value::Number(n) => Some(n.to_string()),
                serde_yaml::Value::Bool(b) => Some(b.to_string()),
                _ => None,
            },
        }
    }

    /// A list-valued front-matter key (`[a, b]`, a block list, or `a, b`).
    pub fn list(&self, name: &str) -> Option<Vec<String>> {
        let k = self.key(name)?;
        if let Some(v) = self.yaml.as_ref().and_then(|y| y.get(name)) {
            return Some(match v {
                serde_yaml::Value::Sequence(s) => s.iter().filter_map(yaml_scalar).collect(),
                serde_yaml::Value::Null => vec![],
                other => yaml_scalar(other)
                    .map(|s| {
                        s.split(',')
                            .map(|p| p.trim().to_string())
                            .filter(|p| !p.is_empty())
                            .collect()
                    })
                    .unwrap_or_default(),
            });
        }
        // Invalid YAML: read a flow list by hand.
        let raw = self.text[k.value.clone()].trim();
        let inner = raw.strip_prefix('[').and_then(|r| r.strip_suffix(']')).unwrap_or(raw);
        Some(
            inner
                .split(',')
                .map(|p| p.trim().trim_matches(['"', '\'']).to_string())
                .filter(|p| !p.is_empty())
                .collect(),
        )
    }

    /// The first H1 of the body.
    pub fn h1(&self) -> Option<&Section> {
        self.sections.iter().find(|s| s.level == 1)
    }

    /// The body text (after front matter).
    pub fn body(&self) -> &str {
        &self.text[self.split.body.clone()]
    }

    /// The family, by the strongest signal first: the front matter's keys
    /// (`issue_id`; a finding ID such as `DATA-001` with a finding's keys),
    /// then the file name's convention, then the folder, then the content.
    fn detect_kind(&self) -> Kind {
        let path = self.meta.path.to_ascii_lowercase();
        let dirs: Vec<&str> = path.split('/').collect();
        let dirs = &dirs[..dirs.len().saturating_sub(1)];
        let in_dir = |names: &[&str]| dirs.iter().any(|d| names.contains(d));
        if self.key("issue_id").is_some() {
            return Kind::Todo;
        }
        // A front-matter ID with a finding's keys is a finding wherever it
        // lives: `DATA-001` with `severity`; any other ID with two of them,
        // or with the agent that raised it (`assigned_agent`), as review
        // agents write them under `todos/`.
        let finding_keys = FINDING_KEYS.iter().filter(|k| self.key(k).is_some()).count();
        let by_agent = ["agent", "assigned_agent"].iter().any(|k| self.key(k).is_some());
        let id = self.scalar("id").filter(|id| !id.trim().is_empty());
        let finding_id = id.as_deref().is_some_and(is_finding_id);
        if finding_id && finding_keys > 0 || id.is_some() && (by_agent || finding_keys >= 2) {
            return Kind::Finding;
        }
        let f = &self.file;
        let named = f.status.is_some() || f.priority.is_some();
        let adr_dir = in_dir(&["adr", "adrs", "decisions", "decision-records", "architecture-decisions"]);
        if let Some(id) = f.id_str() {
            if is_finding_id(id) && named {
                return Kind::Finding;
            }
            // `030-pending-p1-x`: a todo's name needs its priority part;
            // `0003-superseded-by-0007` is an ADR's slug. An ADR folder, or
            // a decision record's content outside a todos folder, wins.
            let todo_name = id.bytes().all(|b| b.is_ascii_digit()) && id.len() <= 4 && f.priority.is_some();
            if todo_name && !adr_dir && (in_dir(&["todos", ".todos"]) || !self.is_decision_record()) {
                return Kind::Todo;
            }
        }
        if adr_dir {
            return Kind::Adr;
        }
        if in_dir(&["todos", ".todos"]) {
            return Kind::Todo;
        }
        if self.key("id").is_some() || self.key("severity").is_some() || in_dir(&["findings", "review", "reviews"]) {
            return Kind::Finding;
        }
        if f.id_str()
            .is_some_and(|id| id.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("adr-")))
        {
            return Kind::Adr;
        }
        let h1 = self.h1().map(|h| h.title.to_ascii_lowercase()).unwrap_or_default();
        if h1.starts_with("adr") || sections::find(&self.sections, &["decision", "decision outcome"]).is_some() {
            return Kind::Adr;
        }
        Kind::Finding
    }

    /// Whether the body has a decision record's shape: an `ADR` title or a
    /// Decision / Decision Outcome / Considered Options section.
    pub(crate) fn is_decision_record(&self) -> bool {
        let h1 = self.h1().map(|h| h.title.to_ascii_lowercase()).unwrap_or_default();
        h1.starts_with("adr")
            || sections::find(
                &self.sections,
                &["decision", "decision outcome", "considered options", "decision drivers"],
            )
            .is_some()
    }

    fn fill_meta(&mut self, workflows: &Workflows) {
        let kind = self.detect_kind();
        if kind == Kind::Adr {
            // An ADR's name carries no status: what follows its ID is slug.
            self.file = self.file.id_and_slug();
        }
        let normalize_status = |kind: Kind, raw: &str| workflows.normalize(kind, raw);
        self.meta.kind = kind;
        let path = self.meta.path.clone();

        // Status: front matter, else body (section or field), else file name.
        let fm_status = self.key("status").filter(|k| !matches!(k.style, Style::Empty)).cloned();
        let mut body_places =
            fields::status_places(&self.text, self.split.body.clone(), &self.sections, &self.code).into_iter();
        if let Some(k) = fm_status {
            let raw = self.scalar("status").unwrap_or_default();
            self.status_at = Some(BodyValue {
                word: k.value.clone(),
                whole: k.value.clone(),
                line: k.line.clone(),
                place: StatusPlace::FrontMatter,
            });
            self.meta.status_raw = Some(raw);
            self.meta.status_place = Some(StatusPlace::FrontMatter);
        } else if let Some(v) = body_places.next() {
            self.meta.status_raw = Some(self.text[v.whole.clone()].trim().to_string());
            self.meta.status_place = Some(v.place);
            self.status_at = Some(v);
        } else if let Some(s) = self.file.status_str() {
            self.meta.status_raw = Some(s.to_string());
            self.meta.status_place = Some(StatusPlace::FileName);
        }
        if let Some(raw) = &self.meta.status_raw {
            self.meta.status = normalize_status(kind, raw);
            self.meta.status_rank = self
                .meta
                .status
                .and_then(|s| workflows.get(kind).statuses.iter().position(|x| x == s));
            if self.meta.status.is_none() {
                let (l, c) = self.pos_of_status();
                self.meta.problems.push(Problem::warning(
                    "unknown-status",
                    &path,
                    l,
                    c,
                    format!("status {:?} is not one the {kind} workflow knows", raw),
                ));
            }
        }
        // Every other place that holds a status of the family.
        for v in body_places {
            let value = &self.text[v.whole.clone()];
            // `Proposed, Accepted, Deprecated, or Superseded` describes the
            // field; it is no status.
            let listed = value
                .split([',', '|', '/'])
                .flat_map(|p| p.split(" or "))
                .filter(|p| normalize_status(kind, p).is_some())
                .count();
            let Some(other) = normalize_status(kind, value).filter(|_| listed < 2) else {
                continue;
            };
            if let Some(main) = self.meta.status.filter(|m| *m != other) {
                let (l, c) = text::position(&self.text, v.word.start);
                let main_at = self
                    .status_at
                    .as_ref()
                    .map(|a| text::position(&self.text, a.word.start).0);
                self.meta.problems.push(Problem::warning(
                    "status-disagrees",
                    &path,
                    l,
                    c,
                    format!(
                        "this place says {:?} but {} says {:?}",
                        self.text[v.word.clone()].to_string(),
                        match (self.meta.status_place, main_at) {
                            (Some(StatusPlace::FrontMatter), _) => "the front matter".to_string(),
                            (_, Some(line)) => format!("line {line}"),
                            _ => "the document".to_string(),
                        },
                        main
                    ),
                ));
            }
            self.status_also.push(v);
        }
        // File name and content disagree?
        if let (Some(fs), Some(place)) = (self.file.status_str(), self.meta.status_place) {
            if place != StatusPlace::FileName {
                let fname = normalize_status(kind, fs);
                if fname.is_some() && self.meta.status.is_some() && fname != self.meta.status {
                    let (l, c) = self.pos_of_status();
                    self.meta.problems.push(Problem::warning(
                        "status-mismatch",
                        &path,
                        l,
                        c,
                        format!(
                            "file name says {:?} but the document says {:?}",
                            fs,
                            self.meta.status_raw.as_deref().unwrap_or("")
                        ),
                    ));
                }
            }
        }

        // Priority. Body fields stand in for front matter only when there is none.
        let body_field = |names: &[&str]| -> Option<String> {
            if self.split.front.is_some() {
                return None;
            }
            fields::find_field(&self.text, self.split.body.clone(), names, &self.code)
                .map(|(r, _)| self.text[r].to_string())
        };
        let pr = self
            .scalar("priority")
            .or_else(|| self.file.priority_str().map(str::to_string))
            .or_else(|| body_field(&["priority", "prioridad"]));
        self.meta.priority = pr.as_deref().and_then(normalize_priority);
        self.meta.priority_raw = pr;
        self.meta.severity = self
            .scalar("severity")
            .or_else(|| body_field(&["severity", "severidad"]));
        self.meta.tags = self.list("tags").or_else(|| self.list("labels")).unwrap_or_default();
        self.meta.dependencies = self
            .list("dependencies")
            .or_else(|| self.list("depends_on"))
            .or_else(|| self.list("blocked_by"))
            .unwrap_or_default();
        self.meta.created = ["created", "created_at", "created_date", "date"]
            .iter()
            .find_map(|k| self.scalar(k))
            .or_else(|| body_field(&["date", "created", "creado", "fecha"]));
        self.meta.created_at = self.meta.created.as_deref().and_then(date::parse_date);

        // ID and title.
        let (id, number) = self.find_id(kind);
        self.meta.id = id;
        self.meta.number = number;
        self.meta.title = self.find_title(kind);
    }

    fn pos_of_status(&self) -> (usize, usize) {
        match &self.status_at {
            Some(v) => text::position(&self.text, v.word.start),
            None => (1, 1),
        }
    }

    fn find_id(&self, kind: Kind) -> (String, Option<u64>) {
        let fid = self.file.id_str();
        let id = match kind {
            Kind::Todo => self
                .scalar("issue_id")
                .or_else(|| self.scalar("id"))
                .or_else(|| fid.map(str::to_string)),
            Kind::Finding => self.scalar("id").or_else(|| fid.map(str::to_string)),
            Kind::Adr => {
                let fid = fid.filter(|_| !starts_with_date(&self.file.stem));
                let from_name = fid.and_then(|f| {
                    let d = f.trim_start_matches(|c: char| c.is_ascii_alphabetic() || c == '-');
                    (!d.is_empty() && d.len() <= 5).then(|| format!("ADR-{d}"))
                });
                from_name
                    .or_else(|| {
                        self.h1()
                            .and_then(|h| adr_number_from_title(&h.title))
                            .map(|d| format!("ADR-{d}"))
                    })
                    .or_else(|| self.scalar("id"))
            }
        };
        let id = id.unwrap_or_else(|| self.file.stem.clone());
        let n = trailing_number(&id);
        (id, n)
    }

    fn find_title(&self, kind: Kind) -> String {
        if let Some(t) = self.scalar("title") {
            return t;
        }
        // The H1, else the first heading that is not a standard section.
        let heading = self.h1().or_else(|| {
            self.sections
                .iter()
                .find(|s| !is_standard_section(&s.title) && !s.title.trim().is_empty())
        });
        if let Some(h) = heading {
            let t = h.title.as_str();
            let t = if kind == Kind::Adr {
                strip_adr_prefix(t)
            } else {
                strip_id_prefix(t, &self.meta.id)
            };
            if !t.is_empty() {
                return t.to_string();
            }
        }
        slug_title(&self.file)
    }
}

/// Front-matter keys only review findings carry.
const FINDING_KEYS: &[&str] = &["severity", "category", "file", "line", "agent", "assigned_agent", "cwe"];

/// A finding's ID: `PREFIX-NNN` (`DATA-001`, `SEC-003`, `finding-0028`),
/// a prefix of letters and digits starting with a letter, not an ADR's,
/// a decision's or a todo's.
pub(crate) fn is_finding_id(id: &str) -> bool {
    let Some((prefix, digits)) = id.split_once('-') else {
        return false;
    };
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && prefix.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && prefix.bytes().all(|b| b.is_ascii_alphanumeric())
        && !["adr", "decision", "todo"]
            .iter()
            .any(|p| prefix.eq_ignore_ascii_case(p))
}

/// Section names documents share, which are no document's title.
const STANDARD_SECTIONS: &[&str] = &[
    "status",
    "context",
    "decision",
    "consequences",
    "summary",
    "description",
    "background",
    "overview",
    "problem",
    "problem statement",
    "context and problem statement",
    "solution",
    "proposed solution",
    "proposed solutions",
    "recommended action",
    "work log",
    "acceptance criteria",
    "resources",
    "notes",
    "references",
    "findings",
    "details",
    "technical details",
    "impact",
    "decision drivers",
    "considered options",
    "decision outcome",
    "pros and cons of the options",
    "more information",
    "links",
    "alternatives",
    "options",
    "implementation",
    "testing",
    "risks",
    "tasks",
    "dependencies",
    "table of contents",
    "contents",
    "estado",
    "contexto",
    "decisión",
];

/// Sections only a family's documents have (a decision record's Context and
/// Consequences, a todo's Recommended Action and Work Log), unlike a
/// summary or notes any page may carry.
const FAMILY_SECTIONS: &[&str] = &[
    "context",
    "context and problem statement",
    "problem statement",
    "consequences",
    "decision",
    "decision drivers",
    "decision outcome",
    "considered options",
    "proposed solution",
    "proposed solutions",
    "recommended action",
    "acceptance criteria",
    "work log",
];

/// True when a heading line (`## Context`, `### 2. Work Log`) names a
/// section only the families' documents have.
pub(crate) fn is_family_section_heading(line: &str) -> bool {
    sections::heading(line).is_some_and(|(level, title)| {
        level >= 2 && FAMILY_SECTIONS.contains(&sections::normalize_title(title).to_lowercase().as_str())
    })
}

fn is_standard_section(title: &str) -> bool {
    let t = sections::normalize_title(title).to_lowercase();
    STANDARD_SECTIONS.contains(&t.as_str())
}

/// `2024-01-15…`: a name that starts with a date, whose year is no ID.
fn starts_with_date(stem: &str) -> bool {
    let b = stem.as_bytes();
    b.len() >= 10
        && b[..10].iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

/// A title made of the file name: its slug with hyphens and underscores as
/// spaces, except those of a date (`2024-01-15-use-postgres.md` →
/// `2024-01-15 use postgres`).
fn slug_title(f: &FileName) -> String {
    let stem = f.stem.as_str();
    let dated = starts_with_date(stem);
    let slug = f.slug_str();
    let src = if dated || slug.is_empty() { stem } else { slug };
    let b: Vec<char> = src.chars().collect();
    let digits_at = |i: usize, n: usize| {
        (i..i + n).all(|k| b.get(k).is_some_and(|c| c.is_ascii_digit()))
            && !b.get(i + n).is_some_and(|c| c.is_ascii_digit())
    };
    // The hyphens of `YYYY-MM` and `YYYY-MM-DD`.
    let mut keep = vec![false; b.len()];
    for i in 0..b.len() {
        let starts = i == 0 || !b[i - 1].is_ascii_digit();
        if starts && digits_at(i, 4) && b.get(i + 4) == Some(&'-') && digits_at(i + 5, 2) {
            keep[i + 4] = true;
            if b.get(i + 7) == Some(&'-') && digits_at(i + 8, 2) {
                keep[i + 7] = true;
            }
        }
    }
    let out: String = b
        .iter()
        .enumerate()
        .map(|(i, &c)| if (c == '-' && !keep[i]) || c == '_' { ' ' } else { c })
        .collect();
    out.trim().to_string()
}

/// The number at the end of an ID (`DATA-001` → 1, `ADR-0105` → 105).
pub(crate) fn trailing_number(s: &str) -> Option<u64> {
    let digits = s.len() - s.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits > 18 {
        return None;
    }
    s[s.len() - digits..].parse().ok()
}

fn yaml_scalar(v: &serde_yaml::Value) -> Option<String> {
    match v {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// `ADR 0105: T`, `ADR-0007 — T`, `3. T`, `ADR-0003: T` → the number.
fn adr_number_from_title(t: &str) -> Option<String> {
    let rest = t.strip_prefix("ADR").or_else(|| t.strip_prefix("adr")).unwrap_or(t);
    let rest = rest.trim_start_matches([' ', '-', '#']);
    let d: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    (!d.is_empty() && d.len() <= 5).then_some(d)
}

/// Remove a heading's repetition of the document's own ID: `FEAT-025 — T`
/// → `T`. A punctuation separator is required, so `001 tests fail` stays.
fn strip_id_prefix<'a>(t: &'a str, id: &str) -> &'a str {
    let n = id.len();
    if n == 0 || !t.is_char_boundary(n) || !t[..n].eq_ignore_ascii_case(id) {
        return t;
    }
    let after = &t[n..];
    let rest = after.trim_start_matches([' ', ':', '.', '-', '—', '–', '·', '|']);
    let sep = &after[..after.len() - rest.len()];
    if rest.trim().is_empty() || sep.trim().is_empty() || !after.starts_with([' ', ':', '.', '—', '–', '·', '|']) {
        return t;
    }
    rest.trim()
}

/// Remove an ADR title's number prefix: `ADR 0105: T` → `T`, `3. T` → `T`.
pub fn strip_adr_prefix(t: &str) -> &str {
    let mut rest = t;
    let mut prefixed = false;
    if rest.len() >= 3 && rest.is_char_boundary(3) && rest[..3].eq_ignore_ascii_case("adr") {
        rest = &rest[3..];
        rest = rest.trim_start_matches([' ', '-', '#']);
        prefixed = true;
    }
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 {
        // `ADR — Title`, `ADR: Title`: a separator, not `ADR-based design`.
        let after = t.get(3..).unwrap_or("");
        let sep = after.trim_start();
        let spaced_hyphen = after.starts_with(' ') && sep.starts_with("- ");
        if prefixed && (sep.starts_with([':', '—', '–']) || spaced_hyphen) {
            let r = sep.trim_start_matches([':', '—', '–', '-']).trim();
            if !r.is_empty() {
                return r;
            }
        }
        return t.trim();
    }
    let after = &rest[digits..];
    let sep = after.trim_start_matches([' ', ':', '.', '-', '—', '–']);
    let punctuated = after.trim_start().starts_with([':', '.', '—', '–', '-']);
    if !(after.is_empty() || prefixed || punctuated) {
        return t.trim();
    }
    sep.trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_with_the_agent_that_raised_it_is_a_finding_anywhere() {
        let agent = "---\nid: \"Marcus-Backend-high-17635\"\nassigned_agent: \"Marcus-Backend\"\npriority: \"high\"\n---\n\n# Health check\n";
        let d = Document::parse(
            "todos/guardian-combined-marcus-backend-high-17635.md",
            agent.to_string(),
        );
        assert_eq!(d.meta.kind, Kind::Finding);
        assert_eq!(d.meta.id, "Marcus-Backend-high-17635");
        let two_keys = "---\nid: enhancement-reliability-1761\ncategory: reliability\nfile: src/a.ts\n---\n\n# T\n";
        let d = Document::parse("todos/deferred/enhancement-reliability-1761.md", two_keys.to_string());
        assert_eq!(d.meta.kind, Kind::Finding);
        // One key that is not an agent's is not enough outside a finding ID.
        let one_key = "---\nid: chore_7\ncategory: ops\n---\n\n# T\n";
        let d = Document::parse("todos/chore_7.md", one_key.to_string());
        assert_eq!(d.meta.kind, Kind::Todo);
    }

    #[test]
    fn strips_adr_prefixes() {
        assert_eq!(strip_adr_prefix("ADR 0105: Prisma Race"), "Prisma Race");
        assert_eq!(strip_adr_prefix("ADR-0007 — Title"), "Title");
        assert_eq!(strip_adr_prefix("3. Title"), "Title");
        assert_eq!(strip_adr_prefix("Use Markdown"), "Use Markdown");
        assert_eq!(strip_adr_prefix("2024 plans"), "2024 plans");
        assert_eq!(strip_adr_prefix("ADR — Use Kafka"), "Use Kafka");
        assert_eq!(strip_adr_prefix("ADR: Use Kafka"), "Use Kafka");
        assert_eq!(strip_adr_prefix("ADR - Use Kafka"), "Use Kafka");
        assert_eq!(strip_adr_prefix("ADR-012: Use Kafka"), "Use Kafka");
        assert_eq!(strip_adr_prefix("ADR-based design"), "ADR-based design");
    }

    #[test]
    fn deep_flow_nesting_is_refused_quickly() {
        let t = format!("---\nid: X\nstatus: open\nx: {}\n---\n", "[".repeat(100_000));
        let d = Document::parse("findings/X.md", t);
        let p = d.meta.problems.iter().find(|p| p.code == "invalid-yaml").unwrap();
        assert_eq!((p.line, p.column), (4, 4 + MAX_FLOW_DEPTH));
        assert_eq!(d.meta.status, Some("open"));
        assert_eq!(too_deep("a: [[1], {b: [2]}]\n"), None);
    }

    #[test]
    fn templates_by_last_word() {
        assert!(is_template("docs/adr/template.md"));
        assert!(is_template("a/adr-template.md"));
        assert!(is_template("todos/000-pending-p1-TEMPLATE.md"));
        assert!(is_template("x/todo_template.md"));
        assert!(!is_template("todos/009-resolved-integrate-template-matcher-service.md"));
        assert!(!is_template("templates/001-x.md"));
        assert!(is_auxiliary("a/README.md") && !is_auxiliary("todos/009-resolved-integrate-template-matcher.md"));
    }

    #[test]
    fn strips_a_repeated_id_from_titles() {
        assert_eq!(strip_id_prefix("FEAT-025 — Cablear API", "FEAT-025"), "Cablear API");
        assert_eq!(strip_id_prefix("finding-0008 — §3 schema", "finding-0008"), "§3 schema");
        assert_eq!(strip_id_prefix("DATA-001 · Configurar", "DATA-001"), "Configurar");
        assert_eq!(strip_id_prefix("001 tests fail", "001"), "001 tests fail");
        assert_eq!(strip_id_prefix("FEAT-0250: x", "FEAT-025"), "FEAT-0250: x");
        assert_eq!(strip_id_prefix("FEAT-025 —", "FEAT-025"), "FEAT-025 —");
        assert_eq!(strip_id_prefix("Ünïcode", "Ü"), "Ünïcode");
    }

    #[test]
    fn todo_from_seed() {
        let t =
            "---\nstatus: pending\npriority: p1\nissue_id: 001\ntags: [a, b]\ndependencies: []\n---\n\n# Title here\n";
        let d = Document::parse("todos/001-pending-p1-title-here.md", t.to_string());
        assert_eq!(d.meta.kind, Kind::Todo);
        assert_eq!(d.meta.id, "001");
        assert_eq!(d.meta.status, Some("pending"));
        assert_eq!(d.meta.priority, Some("p1"));
        assert_eq!(d.meta.tags, ["a", "b"]);
        assert_eq!(d.meta.title, "Title here");
        assert!(d.meta.problems.is_empty(), "{:?}", d.meta.problems);
    }

    #[test]
    fn a_finding_is_a_finding_in_any_folder() {
        let t = "---\nid: DATA-001\nseverity: high\nstatus: open\n---\n# Race\n";
        let d = Document::parse("todos/P1/DATA-001-race.md", t.to_string());
        assert_eq!((d.meta.kind, d.meta.status), (Kind::Finding, Some("open")));
        let d = Document::parse("todos/P2/SEC-003-open-P2-keys.md", "# Keys\n".to_string());
        assert_eq!((d.meta.kind, d.meta.id.as_str()), (Kind::Finding, "SEC-003"));
        assert_eq!(d.meta.status, Some("open"));
        let d = Document::parse("todos/PERF-001-open-slow.md", "# Slow\n".to_string());
        assert_eq!((d.meta.kind, d.meta.status), (Kind::Finding, Some("open")));
        // An ID alone, in a todos folder, stays a todo.
        let t = "---\nid: \"enhancement-performance-1761847600933-zmof\"\ncategory: x\n---\n# E\n";
        let d = Document::parse("todos/enhancement-x.md", t.to_string());
        assert_eq!(d.meta.kind, Kind::Todo);
        assert!(is_finding_id("finding-0028") && is_finding_id("B2B-7"));
        assert!(!is_finding_id("ADR-0001") && !is_finding_id("Marcus-Backend-low-1") && !is_finding_id("001"));
    }

    #[test]
    fn adr_names_that_look_like_a_status_are_adrs() {
        let t = "# 3. Use Kafka\n\n## Status\n\nSuperseded by [7. Pulsar](0007-pulsar.md)\n\n## Decision\n\nx\n";
        for path in [
            "adr/0003-superseded-by-0007.md",
            "docs/decisions/0003-superseded-by-0007.md",
            "notes/0003-superseded-by-0007.md",
        ] {
            let d = Document::parse(path, t.to_string());
            assert_eq!((d.meta.kind, d.meta.id.as_str()), (Kind::Adr, "ADR-0003"), "{path}");
            assert_eq!(d.meta.status, Some("superseded"), "{path}");
            assert_eq!(d.meta.status_place, Some(StatusPlace::Section), "{path}");
            // The name's words are slug: a status change renames nothing.
            assert_eq!((d.file.status_str(), d.file.slug_str()), (None, "superseded-by-0007"));
            assert!(d.meta.problems.is_empty(), "{path}: {:?}", d.meta.problems);
        }
        // No status in the body: the name's word is no status of an ADR.
        let d = Document::parse(
            "doc/adr/0012-accepted-practices.md",
            "# 12. Accepted practices\n".into(),
        );
        assert_eq!((d.meta.kind, d.meta.status_raw.as_deref()), (Kind::Adr, None));
        assert_eq!(d.meta.title, "Accepted practices");
        // A todo's name has its priority part, wherever it lives.
        let t = "---\nstatus: pending\n---\n# Fix it\n";
        let d = Document::parse("work/030-pending-p1-fix-it.md", t.to_string());
        assert_eq!(d.meta.kind, Kind::Todo);
        let d = Document::parse("todos/001-resolved-enhance.md", "# E\n".to_string());
        assert_eq!((d.meta.kind, d.meta.status), (Kind::Todo, Some("complete")));
        // Without it, a status word after a number decides nothing.
        let d = Document::parse("work/0004-proposed-cache.md", "# ADR 4: Cache\n".to_string());
        assert_eq!(d.meta.kind, Kind::Adr);
    }

    #[test]
    fn front_matter_after_the_title_is_read_whole() {
        let t = "# Fix the race\n\n---\nstatus: pending\npriority: p2\ntags: [db, race]\ndependencies: [\"002\"]\n---\n\n## Problem\n\nx\n";
        let d = Document::parse("todos/031-add-index.md", t.to_string());
        assert_eq!(d.meta.title, "Fix the race");
        assert_eq!((d.meta.status, d.meta.priority), (Some("pending"), Some("p2")));
        assert_eq!(d.meta.tags, ["db", "race"]);
        assert_eq!(d.meta.dependencies, ["002"]);
        assert_eq!(d.meta.status_place, Some(StatusPlace::FrontMatter));
        let e = crate::edit::status::set_status(&d, "ready").unwrap();
        let after = crate::edit::apply(t, &e).unwrap();
        assert_eq!(after, t.replace("status: pending", "status: ready"));
    }

    #[test]
    fn titles_without_an_h1() {
        let t = "## Status\n\nAccepted\n\n## Use Kafka for events\n\n## Context\n";
        let d = Document::parse("docs/adr/0004-kafka.md", t.to_string());
        assert_eq!(d.meta.title, "Use Kafka for events");
        let t = "---\ntitle: From front matter\n---\n## Context\n";
        assert_eq!(
            Document::parse("adr/0005-x.md", t.to_string()).meta.title,
            "From front matter"
        );
        let t = "## Status\n\nAccepted\n\n## Context\n";
        let d = Document::parse("docs/adr/2024-01-15-use-postgres.md", t.to_string());
        assert_eq!(d.meta.title, "2024-01-15 use postgres");
        let d = Document::parse("docs/adr/0006-retry-after-2-tries.md", t.to_string());
        assert_eq!(d.meta.title, "retry after 2 tries");
        let d = Document::parse("x/fix-login_v2-2024-03-01.md", "Status: open\n".to_string());
        assert_eq!(d.meta.title, "fix login v2 2024-03-01");
        let d = Document::parse("docs/adr/0007-x.md", "# ADR — Use Kafka\n".to_string());
        assert_eq!(d.meta.title, "Use Kafka");
    }

    #[test]
    fn todo_without_issue_id_takes_its_id_key() {
        let t = "---\nid: \"Marcus-Backend-low-1\"\npriority: low\n---\n# T\n";
        let d = Document::parse("todos/guardian-combined-marcus-backend-low-1-x.md", t.to_string());
        assert_eq!((d.meta.kind, d.meta.id.as_str()), (Kind::Todo, "Marcus-Backend-low-1"));
    }

    #[test]
    fn invalid_yaml_is_a_located_problem_but_still_loads() {
        let t = "---\nid: X-1\nstatus: open\nowner: -\n  bad: [\n---\n# T\n";
        let d = Document::parse("findings/X-1.md", t.to_string());
        assert_eq!(d.meta.status, Some("open"));
        let p = d.meta.problems.iter().find(|p| p.code == "invalid-yaml").unwrap();
        assert!(p.line >= 2, "{p}");
    }

    #[test]
    fn conflict_markers_of_any_length() {
        assert_eq!(has_conflict_markers("a\n<<<<<<< ours\nb\n"), Some(2));
        assert_eq!(has_conflict_markers("<<<<<<<< ours\r\n"), Some(0));
        assert_eq!(has_conflict_markers("x\n>>>>>>>\n"), Some(2));
        assert_eq!(has_conflict_markers("<<<<<<<x\n<< a\n"), None);
    }

    #[test]
    fn decode_rejects_binary_and_bad_utf8() {
        assert_eq!(decode("a.md", vec![b'a', 0, b'b']).unwrap_err().0.code, "binary");
        let e = decode("a.md", b"ok\n\xff".to_vec()).unwrap_err().0;
        assert_eq!((e.code, e.line, e.column), ("not-utf8", 2, 1));
        assert_eq!(decode("a.md", vec![]).unwrap_err().0.code, "empty");
    }
}
