//! The terminal UI's whole state, [`App`], and the pure helpers that keep it
//! consistent (selection kept by item across re-filtering and by path across
//! reloads, scroll offsets, loading a document for the detail screen).
//! Only [`super::update()`] changes an `App`; [`super::view`] only reads it.

use super::backend::content_hash;
use super::index::{facet_values, Index};
use super::input::LineEdit;
use super::keymap::Keymap;
use super::layout::Layout;
use super::markdown::{self, Rendered};
use super::msg::Shown;
use super::screen;
pub use super::screen::facets::update::FacetPane;
use super::theme::Theme;
use crate::document::{Document, Kind, Meta};
use crate::edit::action::DecisionOption;
use crate::git::history::HistoryEntry;
use crate::query::{Filter, SortKey};
use crate::store::Repo;
use crate::workflow::Workflows;
use chrono::NaiveDate;
use std::cell::Cell;
use std::collections::HashMap;

/// How an [`App`] starts.
#[derive(Debug, Clone)]
pub struct AppOptions {
    /// "Today", for ages (injected so snapshots do not depend on the clock).
    pub today: NaiveDate,
    pub theme: Theme,
    pub keymap: Keymap,
    /// Terminal size (columns, rows) until the first resize.
    pub size: (u16, u16),
    pub sort: SortKey,
}

impl Default for AppOptions {
    fn default() -> Self {
        AppOptions {
            today: chrono::Local::now().date_naive(),
            theme: Theme::default(),
            keymap: Keymap::default(),
            size: (80, 24),
            sort: SortKey::Priority,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    List,
    Detail,
    Triage,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Success,
    Error,
}

/// The status bar's last message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub level: Level,
    /// An error not read yet: when it does not fit the status bar, its
    /// whole text shows above it until the next key.
    pub open: bool,
}

/// The search box while it has focus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search {
    pub edit: LineEdit,
    /// The query before searching began (Esc restores it).
    pub before: String,
}

/// What a link of the detail screen points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    Dependency,
    Supersedes,
    SupersededBy,
    Related,
    Link,
}

impl LinkKind {
    pub fn label(self) -> &'static str {
        match self {
            LinkKind::Dependency => "depends on",
            LinkKind::Supersedes => "supersedes",
            LinkKind::SupersededBy => "superseded by",
            LinkKind::Related => "related",
            LinkKind::Link => "link",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkTarget {
    pub kind: LinkKind,
    /// What the user sees (link text, dependency ID).
    pub label: String,
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
    /// Asked for ([`super::Effect::LoadHistory`]); not back yet.
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
    pub path: String,
    pub meta: Meta,
    pub doc: Option<Document>,
    /// Why the document could not be read.
    pub error: Option<String>,
    /// Hash of the bytes shown (writes are refused when the file differs).
    pub shown: Shown,
    pub rendered: Rendered,
    /// The width `rendered` was wrapped for.
    pub width: u16,
    pub scroll: usize,
    pub choices: Vec<DecisionOption>,
    pub links: Vec<LinkTarget>,
    /// Documents visited before this one by following links.
    pub history: Vec<String>,
    pub tab: DetailTab,
    /// Git histories asked for while reading, per path (loaded lazily the
    /// first time the History tab shows a document; dropped on reload).
    pub changes: HashMap<String, Changes>,
    /// First row of the history table drawn.
    pub changes_scroll: usize,
}

impl Detail {
    /// The history of the document shown, when asked for.
    pub fn current_changes(&self) -> Option<&Changes> {
        self.changes.get(&self.path)
    }

    /// Lines the current tab can scroll through.
    pub fn scroll_len(&self) -> usize {
        match self.tab {
            DetailTab::Document => self.rendered.lines.len(),
            DetailTab::History => match self.current_changes() {
                Some(Changes::Loaded(v)) => v.len(),
                _ => 0,
            },
        }
    }

    /// The scroll offset of the current tab.
    pub fn scroll_mut(&mut self) -> &mut usize {
        match self.tab {
            DetailTab::Document => &mut self.scroll,
            DetailTab::History => &mut self.changes_scroll,
        }
    }

    /// Keep the tab and the histories loaded so far of `old` (moving to
    /// another document of the same reading session).
    pub fn carry_from(&mut self, old: &Detail) {
        self.tab = old.tab;
        self.changes = old.changes.clone();
    }
}

/// The document an action applies to, as it was shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub path: String,
    pub id: String,
    pub kind: Kind,
    pub status: String,
    pub shown: Shown,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MenuPurpose {
    /// Move to a status: (status, transition name, needs a reason) per item.
    Status {
        target: Target,
        moves: Vec<(String, Option<String>, bool)>,
    },
    Links(Vec<LinkTarget>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Menu {
    pub title: String,
    pub items: Vec<String>,
    pub cursor: usize,
    pub purpose: MenuPurpose,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub label: String,
    pub edit: LineEdit,
    pub required: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormPurpose {
    Log(Target),
    /// A status change that needs a reason.
    Reason {
        target: Target,
        to: String,
    },
    TriageAction(Target),
    TriageSkip {
        target: Target,
        to: String,
    },
}

/// A dialog of text fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub title: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub purpose: FormPurpose,
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Popup {
    Help {
        scroll: usize,
    },
    Menu(Menu),
    Form(Form),
    /// The end of a triage session.
    Summary {
        scroll: usize,
    },
}

/// What a triage decision was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decided {
    Approved,
    Option(String),
    Action(String),
    Skipped(String),
    Deferred,
}

impl Decided {
    pub fn describe(&self) -> String {
        match self {
            Decided::Approved => "approved".into(),
            Decided::Option(o) => format!("option {o}"),
            Decided::Action(a) => format!("action: {a}"),
            Decided::Skipped(r) => format!("skipped: {r}"),
            Decided::Deferred => "deferred".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The queue position decided.
    pub pos: usize,
    /// The path before the decision (undo restores it).
    pub path: String,
    pub id: String,
    pub what: Decided,
    pub commit: Option<String>,
}

/// A triage session.
#[derive(Debug, Clone)]
pub struct Triage {
    /// Paths, in the order shown.
    pub queue: Vec<String>,
    pub pos: usize,
    pub decisions: Vec<Decision>,
    pub detail: Option<Detail>,
}

/// A write awaiting its result (one at a time: while it runs, another is
/// refused with a notice).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    Write {
        path: String,
        /// The document's ID, for the status bar.
        id: String,
        decided: Option<Decided>,
    },
    Undo {
        commit: String,
        triage: bool,
    },
}

impl Pending {
    /// What the status bar says while the write runs (`writing 030…`).
    pub fn label(&self) -> String {
        match self {
            Pending::Write { id, .. } => format!("writing {id}…"),
            Pending::Undo { commit, .. } => format!("undoing {}…", screen::triage::short(commit)),
        }
    }
}

/// The terminal UI's state.
pub struct App {
    pub repo: Repo,
    /// The repository's workflows (configured statuses and moves), built
    /// once per load.
    pub workflows: Workflows,
    pub index: Index,
    pub today: NaiveDate,
    pub theme: Theme,
    pub keymap: Keymap,
    pub size: (u16, u16),
    pub screen: Screen,
    /// Selected row of the list and the first row drawn.
    pub row: usize,
    pub offset: usize,
    pub search: Option<Search>,
    pub facets: Option<FacetPane>,
    pub detail: Option<Detail>,
    pub triage: Option<Triage>,
    pub popup: Option<Popup>,
    pub message: Option<Message>,
    pub pending: Option<Pending>,
    /// Select this path after the next reload (a renamed document).
    pub follow: Option<String>,
    /// The last commit of this session, for undo.
    pub last_commit: Option<String>,
    /// Row clicked last, to open on a second click.
    pub clicked: Option<usize>,
    /// The item selected before the list changed and lost it: selected
    /// again when it shows up (scoring finishes, the query is taken back),
    /// forgotten when the user moves or opens another.
    pub want: Option<u32>,
    /// The documents are still being read (the UI opened on a repository
    /// with only its configuration loaded; the first reload fills it).
    pub loading: bool,
    /// Files read and files to read while loading.
    pub progress: Option<(usize, usize)>,
    pub quit: bool,
    /// The last frame's layout ([`App::layout`]).
    layout: Cell<Option<Layout>>,
}

impl App {
    pub fn new(repo: Repo, opts: AppOptions) -> App {
        let index = Index::new(&repo.items, opts.sort, Filter::default(), "");
        let loading = repo.partial.is_some() && repo.items.is_empty();
        App {
            workflows: repo.workflows(),
            repo,
            index,
            today: opts.today,
            theme: opts.theme,
            keymap: opts.keymap,
            size: opts.size,
            screen: Screen::List,
            row: 0,
            offset: 0,
            search: None,
            facets: None,
            detail: None,
            triage: None,
            popup: None,
            message: None,
            pending: None,
            follow: None,
            last_commit: None,
            clicked: None,
            want: None,
            loading,
            progress: None,
            quit: false,
            layout: Cell::new(None),
        }
    }

    pub fn area(&self) -> ratatui::layout::Rect {
        ratatui::layout::Rect::new(0, 0, self.size.0, self.size.1)
    }

    /// Item index of the selected row.
    pub fn selected_item(&self) -> Option<usize> {
        self.index.shown().get(self.row).map(|&i| i as usize)
    }

    pub fn selected(&self) -> Option<&Meta> {
        self.selected_item().and_then(|i| self.repo.items.get(i))
    }

    /// The layout of the last frame drawn, for mouse hits and page sizes;
    /// built afresh when the state changed shape since (a resize, another
    /// screen or popup before the next frame).
    pub fn layout(&self) -> Layout {
        match self.layout.get() {
            Some(l) if l.fits(self) => l,
            _ => {
                let l = Layout::of(self, self.area());
                self.layout.set(Some(l));
                l
            }
        }
    }

    /// Keep the layout a frame was drawn with ([`super::view`]).
    pub fn keep_layout(&self, l: Layout) {
        self.layout.set(Some(l));
    }

    /// Rows of the list that fit on screen.
    pub fn list_height(&self) -> usize {
        self.layout().list_rows()
    }

    /// Keep the selected row inside the drawn window.
    pub fn ensure_visible(&mut self) {
        let len = self.index.shown().len();
        if len == 0 {
            self.row = 0;
            self.offset = 0;
            return;
        }
        self.row = self.row.min(len - 1);
        let h = self.list_height();
        if self.row < self.offset {
            self.offset = self.row;
        } else if self.row >= self.offset + h {
            self.offset = self.row + 1 - h;
        }
        self.offset = self.offset.min(len.saturating_sub(h));
    }

    pub fn select_row(&mut self, row: usize) {
        self.row = row;
        self.want = None;
        self.ensure_visible();
    }

    /// Move the selection by `delta` rows (clamped).
    pub fn move_by(&mut self, delta: isize) {
        let len = self.index.shown().len();
        if len == 0 {
            return;
        }
        let r = (self.row as isize + delta).clamp(0, len as isize - 1);
        self.select_row(r as usize);
    }

    /// Run `f` (which changes what is shown), keeping the selected item
    /// selected when it is still shown. Else the first row (the best match)
    /// is selected, and the item is selected again as soon as it shows up
    /// (a query still being scored, or one taken back), until the user
    /// moves.
    pub fn keeping_selection(&mut self, f: impl FnOnce(&mut App)) {
        let item = self.want.or(self.selected_item().map(|i| i as u32));
        f(self);
        self.reselect(item);
    }

    /// Select `item` again after what is shown changed.
    fn reselect(&mut self, item: Option<u32>) {
        if let Some(item) = item {
            if let Some(pos) = self.index.shown().iter().position(|&i| i == item) {
                self.row = pos;
                self.want = None;
            } else {
                self.row = 0;
                self.want = Some(item);
            }
        }
        self.ensure_visible();
    }

    /// Score more of a running query (the runner calls this while idle).
    pub fn work(&mut self) {
        let item = self.want.or(self.selected_item().map(|i| i as u32));
        if self.index.work() {
            self.reselect(item);
        }
    }

    /// Finish scoring a running query now.
    pub fn finish_query(&mut self) {
        self.keeping_selection(|app| app.index.finish());
    }

    pub fn set_query(&mut self, q: &str) {
        self.keeping_selection(|app| app.index.set_query(q));
    }

    pub fn set_filter(&mut self, f: Filter) {
        self.keeping_selection(|app| app.index.set_filter(&app.repo.items, f));
        self.refresh_facets();
    }

    pub fn set_sort(&mut self, s: SortKey) {
        self.keeping_selection(|app| app.index.set_sort(&app.repo.items, s));
    }

    pub fn refresh_facets(&mut self) {
        if let Some(p) = &mut self.facets {
            p.values = facet_values(&self.repo.items, self.index.filter());
            p.cursor = p.cursor.min(p.values.len().saturating_sub(1));
        }
    }

    /// Select the row showing `path`, if shown.
    pub fn select_path(&mut self, path: &str) -> bool {
        let items = &self.repo.items;
        let found = self
            .index
            .shown()
            .iter()
            .position(|&i| items.get(i as usize).is_some_and(|m| m.path == path));
        if let Some(p) = found {
            self.row = p;
            self.want = None;
        }
        self.ensure_visible();
        found.is_some()
    }

    /// The wrap width of the detail body for the current size.
    pub fn detail_width(&self) -> u16 {
        super::layout::body_width(self.area())
    }

    /// Replace the repository, keeping filters, query, sort and selection.
    pub fn replace_repo(&mut self, repo: Repo) {
        let path = self.follow.take().or_else(|| self.selected().map(|m| m.path.clone()));
        let (filter, query, sort) = (
            self.index.filter().clone(),
            self.index.query().to_string(),
            self.index.sort(),
        );
        self.repo = repo;
        self.workflows = self.repo.workflows();
        self.loading = false;
        self.progress = None;
        self.index = Index::new(&self.repo.items, sort, filter, &query);
        if let Some(p) = path {
            if !self.select_path(&p) && self.index.busy() {
                self.want = self.repo.items.iter().position(|m| m.path == p).map(|i| i as u32);
            }
        }
        self.ensure_visible();
        self.refresh_facets();
        let width = self.detail_width();
        if let Some(d) = self.detail.take() {
            self.detail = Some(reload_detail(&self.repo, d, &self.theme, width));
        }
        if let Some(t) = &mut self.triage {
            if let Some(d) = t.detail.take() {
                t.detail = Some(reload_detail(&self.repo, d, &self.theme, width));
            }
        }
    }

    /// Show a batch of documents read while loading: appended to those
    /// shown, filtered, searched and sorted like them, the selected
    /// document kept selected. Ignored once loading has ended (a reload
    /// after a write already shows everything).
    pub fn loaded_batch(&mut self, items: Vec<Meta>, done: usize, total: usize) {
        if !self.loading {
            return;
        }
        self.progress = Some((done, total));
        if items.is_empty() {
            return;
        }
        // Items are appended, so the selected item keeps its number.
        self.keeping_selection(|app| {
            app.repo.items.extend(items);
            let (filter, query, sort) = (
                app.index.filter().clone(),
                app.index.query().to_string(),
                app.index.sort(),
            );
            app.index = Index::new(&app.repo.items, sort, filter, &query);
        });
        self.refresh_facets();
    }

    /// The end of the streaming load: the whole repository (with the
    /// problems only all of it shows) replaces the batches.
    pub fn loaded(&mut self, repo: Result<Repo, String>) {
        if !self.loading {
            return;
        }
        match repo {
            Ok(repo) => self.replace_repo(repo),
            Err(e) => {
                self.loading = false;
                self.progress = None;
                self.error(format!("cannot read the documents: {e}"));
            }
        }
    }

    fn say(&mut self, text: String, level: Level) {
        // Paths inside the repository read as the rest of the UI names them.
        let root = format!("{}/", self.repo.root.display());
        let text = if root.len() > 1 { text.replace(&root, "") } else { text };
        self.message = Some(Message {
            text,
            level,
            open: level == Level::Error,
        });
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.say(text.into(), Level::Info);
    }

    pub fn success(&mut self, text: impl Into<String>) {
        self.say(text.into(), Level::Success);
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.say(text.into(), Level::Error);
    }

    /// The detail being read: the triage item in triage mode.
    pub fn current_detail(&self) -> Option<&Detail> {
        match self.screen {
            Screen::Triage => self.triage.as_ref().and_then(|t| t.detail.as_ref()),
            _ => self.detail.as_ref(),
        }
    }

    pub fn current_detail_mut(&mut self) -> Option<&mut Detail> {
        match self.screen {
            Screen::Triage => self.triage.as_mut().and_then(|t| t.detail.as_mut()),
            _ => self.detail.as_mut(),
        }
    }
}

/// Problems only the whole repository can see (kept from the loaded meta).
const REPO_PROBLEMS: &[&str] = &["duplicate-id", "missing-dependency"];

/// Read and render a document for the detail screen.
pub fn load_detail(repo: &Repo, meta: &Meta, theme: &Theme, width: u16) -> Detail {
    match repo.document(meta) {
        Ok(doc) => {
            let shown = Shown {
                hash: content_hash(doc.text.as_bytes()),
            };
            let rendered = markdown::render(doc.body(), width, theme);
            let choices = crate::edit::action::options(&doc);
            let links = links_of(&doc, &rendered);
            let mut m = doc.meta.clone();
            for p in &meta.problems {
                if REPO_PROBLEMS.contains(&p.code) && !m.problems.contains(p) {
                    m.problems.push(p.clone());
                }
            }
            Detail {
                path: meta.path.clone(),
                meta: m,
                doc: Some(doc),
                error: None,
                shown,
                rendered,
                width,
                scroll: 0,
                choices,
                links,
                history: Vec::new(),
                tab: DetailTab::Document,
                changes: HashMap::new(),
                changes_scroll: 0,
            }
        }
        Err(e) => Detail {
            path: meta.path.clone(),
            meta: meta.clone(),
            doc: None,
            error: Some(e.to_string()),
            shown: Shown { hash: 0 },
            rendered: Rendered::default(),
            width,
            scroll: 0,
            choices: Vec::new(),
            links: Vec::new(),
            history: Vec::new(),
            tab: DetailTab::Document,
            changes: HashMap::new(),
            changes_scroll: 0,
        },
    }
}

/// Load `d`'s document again (after a reload), keeping scroll, the links
/// followed and the tab. Git histories are dropped: a reload follows writes,
/// which commit.
pub fn reload_detail(repo: &Repo, d: Detail, theme: &Theme, width: u16) -> Detail {
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
    fresh.changes_scroll = d.changes_scroll;
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
pub fn is_url(t: &str) -> bool {
    t.contains("://") || t.starts_with("mailto:") || t.starts_with('#')
}

/// The document a link names, when it is one of the repository's.
pub fn resolve_link<'a>(repo: &'a Repo, l: &LinkTarget) -> Option<&'a Meta> {
    if is_url(&l.target) {
        return None;
    }
    let t = l.target.split('#').next().unwrap_or("");
    let file = t.rsplit('/').next().unwrap_or(t);
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
pub fn meta_for(repo: &Repo, path: &str) -> Option<Meta> {
    if let Some(m) = repo.items.iter().find(|m| m.path == path) {
        return Some(m.clone());
    }
    crate::document::load(&repo.abs(path), path).ok().map(|d| d.meta)
}
