//! The detail screen's state: one document opened for reading ([`Detail`]:
//! its rendered body, scroll, links, the History tab), how it is loaded
//! and reloaded, and what its links lead to.

use crate::document::criteria::Criterion;
use crate::document::options::DecisionOption;
use crate::document::{Document, Meta};
use crate::git::history::HistoryEntry;
use crate::store::Repo;
use crate::tui::backend::content_hash;
use crate::tui::markdown::{self, Rendered};
use crate::tui::msg::Shown;
use crate::tui::theme::Theme;
use std::collections::HashMap;

/// What a link of the detail screen points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LinkKind {
    Dependency,
    Supersedes,
    SupersededBy,
    Related,
    Link,
    /// Code the document cites (`path:line`): Enter opens it in `$EDITOR`.
    Code,
}

impl LinkKind {
    pub(crate) fn label(self) -> &'static str {
        match self {
            LinkKind::Dependency => "depends on",
            LinkKind::Supersedes => "supersedes",
            LinkKind::SupersededBy => "superseded by",
            LinkKind::Related => "related",
            LinkKind::Link => "link",
            LinkKind::Code => "code",
        }
    }
}

/// A place a document points to: a dependency, a supersede link, a markdown link or a
/// cited code location, which `Links` lists and `enter` follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkTarget {
    pub(crate) kind: LinkKind,
    /// What the user sees (link text, dependency ID).
    pub(crate) label: String,
    /// What to resolve (an ID, a file name, a URL).
    pub target: String,
}

/// What the detail screen shows of its document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DetailTab {
    /// The header and the rendered markdown.
    #[default]
    Document,
    /// The git history (commits that changed it, following renames).
    History,
}

/// A document's git history, as the History tab knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Changes {
    /// Asked for ([`crate::tui::Effect::LoadHistory`]); not back yet.
    Loading,
    /// Newest first; empty when nothing was committed yet.
    Loaded(Vec<HistoryEntry>),
    /// There is no history to read (not a git repository).
    Unavailable(String),
    /// Reading it failed.
    Failed(String),
}

/// One document opened for reading.
#[derive(Debug, Clone)]
pub struct Detail {
    /// The document's path, relative to the root.
    pub path: String,
    /// The document's summary as read when it was opened (with the problems only the
    /// whole repository shows, such as a duplicate ID); the list's when it could not be
    /// read.
    pub meta: Meta,
    pub(crate) doc: Option<Document>,
    /// Why the document could not be read.
    pub(crate) error: Option<String>,
    /// Hash of the bytes shown (writes are refused when the file differs).
    pub(crate) shown: Shown,
    /// The body rendered for the terminal, wrapped to the screen's width.
    pub rendered: Rendered,
    /// The width `rendered` was wrapped for.
    pub(crate) width: u16,
    /// The first rendered line shown.
    pub scroll: usize,
    /// Find in the document (`/`): the phrase and the current match.
    pub find: Option<super::find::Find>,
    /// The document's own decision options (`### Option A` ...), in document order, for
    /// triage.
    pub choices: Vec<DecisionOption>,
    /// Everything the document points to (dependencies, links, code locations), in
    /// document order.
    pub links: Vec<LinkTarget>,
    /// Documents visited before this one by following links.
    pub(crate) history: Vec<String>,
    /// Whether the text or the git history is shown.
    pub tab: DetailTab,
    /// Git histories asked for while reading, per path (loaded lazily the
    /// first time the History tab shows a document; dropped on reload).
    pub changes: HashMap<String, Changes>,
    /// First row of the history table drawn.
    pub changes_scroll: usize,
    /// The acceptance criteria (`- [ ]` items under the heading), numbered
    /// as `findings tick` numbers them.
    pub criteria: Vec<Criterion>,
    /// The criterion focused (an index into `criteria`): highlighted, and
    /// what the tick key ticks.
    pub focus: Option<usize>,
    /// In triage: the accepted ADRs' options offered after the document's
    /// own (`choices`), best first.
    pub adopt: Vec<crate::ops::action::Candidate>,
}

impl Detail {
    /// `meta`'s document as shown before (or instead of) reading it: the
    /// header from the loaded metadata, an empty body, and `error` when
    /// reading it failed. Every field a read fills in starts here.
    pub(crate) fn unread(meta: &Meta, width: u16, error: Option<String>) -> Detail {
        Detail {
            path: meta.path.clone(),
            meta: meta.clone(),
            doc: None,
            error,
            shown: Shown { hash: 0 },
            rendered: Rendered::default(),
            width,
            scroll: 0,
            find: None,
            choices: Vec::new(),
            links: Vec::new(),
            history: Vec::new(),
            tab: DetailTab::Document,
            changes: HashMap::new(),
            changes_scroll: 0,
            criteria: Vec::new(),
            focus: None,
            adopt: Vec::new(),
        }
    }

    /// The history of the document shown, when asked for.
    pub fn current_changes(&self) -> Option<&Changes> {
        self.changes.get(&self.path)
    }

    /// Lines the current tab can scroll through.
    pub(crate) fn scroll_len(&self) -> usize {
        match self.tab {
            DetailTab::Document => self.rendered.lines.len(),
            DetailTab::History => match self.current_changes() {
                Some(Changes::Loaded(v)) => v.len(),
                _ => 0,
            },
        }
    }

    /// The scroll offset of the current tab.
    pub(crate) fn scroll_mut(&mut self) -> &mut usize {
        match self.tab {
            DetailTab::Document => &mut self.scroll,
            DetailTab::History => &mut self.changes_scroll,
        }
    }

    /// Scroll the current tab by `delta` lines, for a body `h` lines high.
    pub(crate) fn scroll_by(&mut self, delta: isize, h: usize) {
        let s = self.scroll_mut();
        *s = (*s as isize + delta).max(0) as usize;
        self.clamp_scroll(h);
    }

    /// Keep the current tab's scroll within its length, for a body `h`
    /// lines high.
    pub(crate) fn clamp_scroll(&mut self, h: usize) {
        let max = self.scroll_len().saturating_sub(h);
        let s = self.scroll_mut();
        *s = (*s).min(max);
    }

    /// The rendered lines of criterion `i` (its task-list item), when it
    /// was drawn as one.
    pub fn criterion_lines(&self, i: usize) -> Option<std::ops::Range<usize>> {
        let c = self.criteria.get(i)?;
        let doc = self.doc.as_ref()?;
        let at = c.mark.start.checked_sub(doc.split.body.start)?;
        self.rendered
            .tasks
            .iter()
            .find(|t| t.source.start <= at && at < t.source.end)
            .map(|t| t.lines.clone())
    }

    /// Focus the next (`delta` 1) or previous (-1) criterion, wrapping
    /// around, and scroll it into a body `h` lines high. False when the
    /// document has none.
    pub fn focus_criterion(&mut self, delta: isize, h: usize) -> bool {
        let n = self.criteria.len();
        if n == 0 {
            return false;
        }
        let next = match self.focus {
            None if delta < 0 => n - 1,
            None => 0,
            Some(i) => (i as isize + delta).rem_euclid(n as isize) as usize,
        };
        self.focus = Some(next);
        self.tab = DetailTab::Document;
        if let Some(lines) = self.criterion_lines(next) {
            let h = h.max(1);
            // Out of view: a third of the page down, so what follows shows.
            if lines.start < self.scroll || lines.end > self.scroll + h {
                self.scroll = lines.start.saturating_sub(h / 3);
            }
            self.clamp_scroll(h);
        }
        true
    }

    /// Keep the tab and the histories loaded so far of `old` (moving to
    /// another document of the same reading session).
    pub(crate) fn carry_from(&mut self, old: &Detail) {
        self.tab = old.tab;
        self.changes = old.changes.clone();
        // The phrase looked for goes along, as in a pager.
        self.find = old.find.as_ref().map(|f| super::find::Find::carried(f.phrase()));
    }
}

/// Problems only the whole repository can see (kept from the loaded meta).
const REPO_PROBLEMS: &[&str] = &["duplicate-id", "missing-dependency"];

/// Read and render a document for the detail screen.
pub(crate) fn load_detail(repo: &Repo, meta: &Meta, theme: &Theme, width: u16) -> Detail {
    match repo.document(meta) {
        Ok(doc) => {
            let shown = Shown {
                hash: content_hash(doc.text.as_bytes()),
            };
            let rendered = markdown::render(doc.body(), width, theme);
            let choices = crate::document::options::options(&doc);
            let criteria = crate::document::criteria::criteria(&doc);
            let links = links_of(&doc, &rendered);
            let mut m = doc.meta.clone();
            for p in &meta.problems {
                if REPO_PROBLEMS.contains(&p.code) && !m.problems.contains(p) {
                    m.problems.push(p.clone());
                }
            }
            Detail {
                meta: m,
                doc: Some(doc),
                shown,
                rendered,
                choices,
                links,
                criteria,
                ..Detail::unread(meta, width, None)
            }
        }
        Err(e) => Detail::unread(meta, width, Some(e.to_string())),
    }
}

/// Load `d`'s document again (after a reload), keeping scroll, the links
/// followed and the tab. Git histories are dropped: a reload follows writes,
/// which commit.
pub(crate) fn reload_detail(repo: &Repo, d: Detail, theme: &Theme, width: u16) -> Detail {
    let meta = repo
        .items
        .iter()
        .find(|m| m.path == d.path)
        .cloned()
        .unwrap_or_else(|| d.meta.clone());
    let mut fresh = load_detail(repo, &meta, theme, width);
    fresh.scroll = d.scroll.min(fresh.rendered.lines.len().saturating_sub(1));
    fresh.history = d.history;
    fresh.tab = d.tab;
    fresh.find = d.find;
    fresh.changes_scroll = d.changes_scroll;
    // The focused criterion stays focused (ticking it reloads).
    fresh.focus = d.focus.filter(|&i| i < fresh.criteria.len());
    fresh.adopt = d.adopt;
    fresh
}

fn links_of(doc: &Document, rendered: &Rendered) -> Vec<LinkTarget> {
    let mut out = Vec::new();
    let mut add = |kind: LinkKind, label: &str, target: &str| {
        let t = target.trim();
        if !t.is_empty() && !out.iter().any(|l: &LinkTarget| l.kind == kind && l.target == t) {
            out.push(LinkTarget {
                kind,
                label: label.trim().to_string(),
                target: t.to_string(),
            });
        }
    };
    for d in &doc.meta.dependencies {
        add(LinkKind::Dependency, d, d);
    }
    for (key, kind) in [
        ("supersedes", LinkKind::Supersedes),
        ("replaces", LinkKind::Supersedes),
        ("superseded_by", LinkKind::SupersededBy),
        ("superseded-by", LinkKind::SupersededBy),
        ("replaced_by", LinkKind::SupersededBy),
        ("related", LinkKind::Related),
        ("see_also", LinkKind::Related),
    ] {
        for v in doc.list(key).unwrap_or_default() {
            add(kind, &v, &v);
        }
    }
    for c in &doc.meta.locations {
        let at = match (c.start_line, c.end_line) {
            (Some(a), Some(b)) if b > a => format!("{}:{a}-{b}", c.path),
            (Some(a), _) => format!("{}:{a}", c.path),
            _ => c.path.clone(),
        };
        let target = match c.start_line {
            Some(a) => format!("{}:{a}", c.path),
            None => c.path.clone(),
        };
        add(LinkKind::Code, &at, &target);
    }
    for l in &rendered.links {
        add(
            LinkKind::Link,
            if l.text.trim().is_empty() { &l.url } else { &l.text },
            &l.url,
        );
    }
    out
}

/// True when a link target is a web address rather than a document.
pub(crate) fn is_url(t: &str) -> bool {
    t.contains("://") || t.starts_with("mailto:") || t.starts_with('#')
}

/// The document a link names, when it is one of the repository's.
pub(crate) fn resolve_link<'a>(repo: &'a Repo, l: &LinkTarget) -> Option<&'a Meta> {
    if is_url(&l.target) {
        return None;
    }
    let t = l.target.split('#').next().unwrap_or("");
    let file = crate::document::file_name(t);
    let id = crate::document::filename::FileName::parse(file.trim_end_matches(".md"))
        .id_str()
        .map(str::to_string);
    repo.resolve(file)
        .ok()
        .or_else(|| id.as_deref().and_then(|i| repo.resolve(i).ok()))
        .or_else(|| repo.resolve(t).ok())
}

/// The metadata of `path`: the loaded item, else read from disk (a document
/// renamed since the last reload).
pub(crate) fn meta_for(repo: &Repo, path: &str) -> Option<Meta> {
    if let Some(m) = repo.items.iter().find(|m| m.path == path) {
        return Some(m.clone());
    }
    repo.read(path).ok().map(|d| d.meta)
}
