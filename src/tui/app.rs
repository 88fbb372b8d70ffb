//! The terminal UI's whole state, [`App`], and the pure helpers that keep it
//! consistent (selection kept by item across re-filtering and by path across
//! reloads, scroll offsets, loading a document for the detail screen).
//! Only [`super::update()`] changes an `App`; [`super::view`] only reads it.
//!
//! About 650 lines: the state every screen shares and the helpers that keep it consistent
//! (selection by item and by path, reloads, loading a document) stay in one file, so that an `App`
//! changes in one place; each screen's own state lives in its folder.

use super::index::Index;
use super::keymap::Keymap;
use super::layout::Layout;
use super::msg::Shown;
use super::screen;
pub use super::screen::board::state::Board;
pub use super::screen::detail::state::*;
pub use super::screen::facets::update::FacetPane;
use super::screen::facets::values::facet_values;
pub use super::screen::list::preview::Preview;
pub use super::screen::list::search::Search;
pub use super::screen::popup::state::*;
pub use super::screen::stats::StatsView;
pub use super::screen::triage::state::*;
use super::theme::Theme;
use crate::document::{Kind, Meta};
use crate::query::{Filter, SortKey};
use crate::search::cache::TextCache;
use crate::store::Repo;
use crate::workflow::Workflows;
use chrono::NaiveDate;
use std::cell::Cell;

/// How an [`App`] starts.
#[derive(Debug, Clone)]
pub struct AppOptions {
    /// "Today", for ages (injected so snapshots do not depend on the clock).
    pub today: NaiveDate,
    /// The colours to draw with (the settings' theme, or the default).
    pub theme: Theme,
    /// The key bindings (the built-in keys with the configuration's overrides).
    pub keymap: Keymap,
    /// Terminal size (columns, rows) until the first resize.
    pub size: (u16, u16),
    /// The list's first sort order (`o` cycles it).
    pub sort: SortKey,
    /// The user config file `T` remembers the theme in (none: not
    /// remembered, and the status line says so).
    pub user_config: Option<std::path::PathBuf>,
}

impl Default for AppOptions {
    fn default() -> Self {
        AppOptions {
            today: chrono::Local::now().date_naive(),
            theme: Theme::default(),
            keymap: Keymap::default(),
            size: (80, 24),
            sort: SortKey::Priority,
            user_config: None,
        }
    }
}

/// Which screen has the keyboard and fills the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// The document list (with the search, the filters and the preview).
    List,
    /// One document, rendered ([`App::detail`]).
    Detail,
    /// The triage walk, one document at a time ([`App::triage`]).
    Triage,
    /// The board: a column per status of one family ([`Board`]).
    Board,
    /// Counts and the weekly trend ([`StatsView`]).
    Stats,
}

/// How the status bar shows a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Neutral information (a copy, a notice).
    Info,
    /// A write that worked (committed, undone).
    Success,
    /// Something failed or was refused; its whole text shows until the next key.
    Error,
}

/// The status bar's last message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The message, with the repository root taken out of the paths it names.
    pub text: String,
    /// How it is shown.
    pub level: Level,
    /// An error not read yet: when it does not fit the status bar, its
    /// whole text shows above it until the next key.
    pub(crate) open: bool,
}

/// The document an action applies to, as it was shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub(crate) path: String,
    /// The document's ID, for messages.
    pub id: String,
    pub(crate) kind: Kind,
    /// Its status when shown (the raw value when the workflow does not know it).
    pub status: String,
    pub(crate) shown: Shown,
}

/// A write awaiting its result (one at a time: while it runs, another is
/// refused with a notice).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    /// A write to one document (triage, status, log, tick, supersede).
    Write {
        /// The document's path, relative to the root.
        path: String,
        /// The document's ID, for the status bar.
        id: String,
        /// The triage decision it carries out, recorded when it succeeds; `None`
        /// outside a triage walk.
        decided: Option<Decided>,
    },
    /// An undo of a commit this session made.
    Undo {
        /// The commit undone.
        commit: String,
        /// Undone from the triage walk (its decision is taken back too).
        triage: bool,
    },
    /// An undo or a redo of the last write, as the CLI's.
    Stack {
        /// A redo, not an undo.
        redo: bool,
    },
    /// One write to the marked documents.
    Batch {
        /// Documents written.
        count: usize,
    },
    /// Committing or discarding a document's hand edit.
    HandEdit {
        /// The document's path.
        path: String,
        /// Its ID, for the status bar.
        id: String,
        /// Committing it, not discarding it.
        commit: bool,
    },
}

impl Pending {
    /// A write to document `t`; `decided` is what a triage decided.
    pub(crate) fn write(t: &Target, decided: Option<Decided>) -> Pending {
        Pending::Write {
            path: t.path.clone(),
            id: t.id.clone(),
            decided,
        }
    }

    /// What the status bar says while the write runs (`writing 030…`).
    pub(crate) fn label(&self) -> String {
        match self {
            Pending::Write { id, .. } => format!("writing {id}…"),
            Pending::Undo { commit, .. } => format!("undoing {}…", screen::triage::short(commit)),
            Pending::Stack { redo: false } => "undoing…".into(),
            Pending::Stack { redo: true } => "redoing…".into(),
            Pending::Batch { count } => format!("writing {count} documents…"),
            Pending::HandEdit { id, commit: true, .. } => format!("committing the edit of {id}…"),
            Pending::HandEdit { id, commit: false, .. } => format!("discarding the edit of {id}…"),
        }
    }
}

/// The terminal UI's state.
pub struct App {
    /// The repository and its documents as last loaded.
    pub repo: Repo,
    /// The repository's workflows (configured statuses and moves), built
    /// once per load.
    pub(crate) workflows: Workflows,
    /// The list's filtered, searched and sorted rows over `repo.items`.
    pub index: Index,
    /// The documents' texts the list search has read ([`Index::search_bodies`]).
    pub texts: TextCache,
    pub(crate) today: NaiveDate,
    /// The colours to draw with.
    pub theme: Theme,
    /// The key bindings.
    pub keymap: Keymap,
    /// The terminal's size (columns, rows).
    pub(crate) size: (u16, u16),
    /// The screen that has the keyboard.
    pub screen: Screen,
    /// Selected row of the list and the first row drawn.
    pub row: usize,
    pub(crate) offset: usize,
    /// The list's search box while it is open (`None`: closed; the query stays in the
    /// index).
    pub search: Option<Search>,
    /// The filter pane while it is open (the filters stay in the index after it
    /// closes).
    pub facets: Option<FacetPane>,
    /// The document being read, on the detail screen.
    pub detail: Option<Detail>,
    /// The triage walk, while it runs.
    pub triage: Option<Triage>,
    /// The menu, form, picker or help drawn over the screen, which has the keyboard
    /// while open.
    pub popup: Option<Popup>,
    /// The status bar's last message, `None` once it was cleared.
    pub message: Option<Message>,
    /// The write in flight (one at a time), `None` when none runs.
    pub pending: Option<Pending>,
    /// Select this path after the next reload (a renamed document).
    pub(crate) follow: Option<String>,
    /// The last commit of this session.
    pub(crate) last_commit: Option<String>,
    /// The marked documents ([`super::marks`]).
    pub(crate) marks: super::marks::Marks,
    /// Documents holding hand edits nobody committed (paths), as the last
    /// check found them ([`super::msg::Effect::CheckEdits`]).
    pub(crate) modified: std::collections::BTreeSet<String>,
    /// The document last opened in the editor: said to hold uncommitted
    /// edits when the next check finds some.
    pub(crate) edited: Option<String>,
    /// Row clicked last, to open on a second click.
    pub(crate) clicked: Option<usize>,
    /// The item selected before the list changed and lost it: selected
    /// again when it shows up (scoring finishes, the query is taken back),
    /// forgotten when the user moves or opens another.
    pub(crate) want: Option<u32>,
    /// The documents are still being read (the UI opened on a repository
    /// with only its configuration loaded; the first reload fills it).
    pub(crate) loading: bool,
    /// Files read and files to read while loading.
    pub(crate) progress: Option<(usize, usize)>,
    /// Set when the user quits: the runner stops after this update.
    pub(crate) quit: bool,
    /// The last frame's layout ([`App::layout`]).
    layout: Cell<Option<Layout>>,
    /// The preview beside the list: on or off, documents rendered last.
    pub(crate) preview: Preview,
    /// The board, while it is the screen (or under a document opened from it).
    pub(crate) board: Option<Board>,
    /// The stats view, while open.
    pub(crate) stats: Option<StatsView>,
    /// The user config file the theme is remembered in ([`AppOptions::user_config`]).
    pub(crate) user_config: Option<std::path::PathBuf>,
}

impl App {
    /// An app over `repo`, on the list, sorted and themed as `opts` says.
    pub fn new(repo: Repo, opts: AppOptions) -> App {
        let texts = TextCache::new(&repo.root);
        let mut index = Index::new(&repo.items, opts.sort, Filter::default(), "");
        index.search_bodies(&texts, &repo.items);
        let loading = repo.partial.is_some() && repo.items.is_empty();
        App {
            texts,
            workflows: repo.workflows().clone(),
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
            marks: Default::default(),
            modified: Default::default(),
            edited: None,
            clicked: None,
            want: None,
            loading,
            progress: None,
            quit: false,
            layout: Cell::new(None),
            preview: Preview::default(),
            board: None,
            stats: None,
            user_config: opts.user_config,
        }
    }

    /// The whole terminal as a rectangle.
    pub fn area(&self) -> ratatui::layout::Rect {
        ratatui::layout::Rect::new(0, 0, self.size.0, self.size.1)
    }

    /// Item index of the selected row.
    pub(crate) fn selected_item(&self) -> Option<usize> {
        self.index.shown().get(self.row).map(|&i| i as usize)
    }

    /// The document on the selected row, `None` when the list is empty.
    pub fn selected(&self) -> Option<&Meta> {
        self.selected_item().and_then(|i| self.repo.items.get(i))
    }

    /// The layout of the last frame drawn, for mouse hits and page sizes;
    /// built afresh when the state changed shape since (a resize, another
    /// screen or popup before the next frame).
    pub(crate) fn layout(&self) -> Layout {
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
    pub(crate) fn keep_layout(&self, l: Layout) {
        self.layout.set(Some(l));
    }

    /// The marked documents.
    pub fn marked(&self) -> &super::marks::Marks {
        &self.marks
    }

    /// The documents holding hand edits, as the last check found them.
    pub fn hand_edited(&self) -> &std::collections::BTreeSet<String> {
        &self.modified
    }

    /// The terminal's size (columns, rows), as last resized.
    pub fn size(&self) -> (u16, u16) {
        self.size
    }

    /// The documents are still being read (the first frame came before them).
    pub fn is_loading(&self) -> bool {
        self.loading
    }

    /// Files read and files to read while loading; `None` once loaded.
    pub fn load_progress(&self) -> Option<(usize, usize)> {
        self.progress
    }

    /// The last commit this session made, `None` before the first.
    pub fn last_commit(&self) -> Option<&str> {
        self.last_commit.as_deref()
    }

    /// The user asked to quit: the runner stops after this update.
    pub fn quit_requested(&self) -> bool {
        self.quit
    }

    /// Rows of the list that fit on screen.
    pub(crate) fn list_height(&self) -> usize {
        self.layout().list_rows()
    }

    /// Keep the selected row inside the drawn window.
    pub(crate) fn ensure_visible(&mut self) {
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

    /// Select list row `row` (scrolling it into view); the selection no longer follows
    /// a remembered document.
    pub fn select_row(&mut self, row: usize) {
        self.row = row;
        self.want = None;
        self.ensure_visible();
    }

    /// Move the selection by `delta` rows (clamped).
    pub(crate) fn move_by(&mut self, delta: isize) {
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
    pub(crate) fn keeping_selection(&mut self, f: impl FnOnce(&mut App)) {
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

    /// Score more of a running query, and read the document the preview
    /// wants (the runner calls this while idle).
    pub fn work(&mut self) {
        let item = self.want.or(self.selected_item().map(|i| i as u32));
        if self.index.work() {
            self.reselect(item);
        }
        screen::list::preview::load(self);
    }

    /// True while there is work for idle time ([`App::work`]): a query
    /// still being scored, a preview not read yet.
    pub fn busy(&self) -> bool {
        self.index.pending() || screen::list::preview::pending(self)
    }

    /// The only work left is the search of the documents' texts, which
    /// runs on its own thread: the runner waits for input meanwhile and
    /// takes the result in when it is there.
    pub(crate) fn only_texts_pending(&self) -> bool {
        !self.index.busy() && self.index.searching() && !screen::list::preview::pending(self)
    }

    /// The preview beside the list.
    pub fn preview(&self) -> &Preview {
        &self.preview
    }

    /// The board, when open.
    pub fn board(&self) -> Option<&Board> {
        self.board.as_ref()
    }

    /// The stats view, when open.
    pub fn stats(&self) -> Option<&StatsView> {
        self.stats.as_ref()
    }

    /// Finish ranking a running query now (what a mark range or a triage
    /// walk needs); the search of the texts goes on off the UI thread.
    pub fn finish_query(&mut self) {
        self.keeping_selection(|app| app.index.finish_ranking());
    }

    /// Finish the query and wait for the search of the texts too (tests,
    /// benchmarks: the terminal UI never waits for it).
    pub fn settle_query(&mut self) {
        self.keeping_selection(|app| app.index.finish());
    }

    pub(crate) fn set_query(&mut self, q: &str) {
        self.keeping_selection(|app| app.index.set_query(q));
    }

    pub(crate) fn set_filter(&mut self, f: Filter) {
        self.keeping_selection(|app| app.index.set_filter(&app.repo.items, f));
        self.refresh_facets();
    }

    pub(crate) fn set_sort(&mut self, s: SortKey) {
        self.keeping_selection(|app| app.index.set_sort(&app.repo.items, s));
    }

    pub(crate) fn refresh_facets(&mut self) {
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
    pub(crate) fn detail_width(&self) -> u16 {
        super::layout::body_width(self.area())
    }

    /// Replace the repository, keeping filters, query, sort and selection.
    pub(crate) fn replace_repo(&mut self, repo: Repo) {
        let path = self.follow.take().or_else(|| self.selected().map(|m| m.path.clone()));
        let (filter, query, sort) = (
            self.index.filter().clone(),
            self.index.query().to_string(),
            self.index.sort(),
        );
        // Checked documents that are what is shown already (the index's
        // documents at launch, a reload that found nothing new) keep the
        // ranking: rebuilding it costs the UI thread most of a second at
        // 100k documents.
        let same = repo.items == self.repo.items;
        self.repo = repo;
        self.workflows = self.repo.workflows().clone();
        // The files may have changed: the preview reads them again.
        self.preview.clear();
        self.loading = false;
        self.progress = None;
        if !same {
            self.index = Index::new(&self.repo.items, sort, filter, &query);
        }
        // Texts are read again either way: an edit may change only a body.
        self.index.search_bodies(&self.texts, &self.repo.items);
        if let Some(p) = path {
            if !self.select_path(&p) && self.index.busy() {
                self.want = self.repo.items.iter().position(|m| m.path == p).map(|i| i as u32);
            }
        }
        self.ensure_visible();
        self.refresh_facets();
        let items = &self.repo.items;
        self.marks.retain(|p| items.iter().any(|m| m.path == p));
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
    pub(crate) fn loaded_batch(&mut self, items: Vec<Meta>, done: usize, total: usize) {
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
            app.index.search_bodies(&app.texts, &app.repo.items);
        });
        self.refresh_facets();
    }

    /// The end of the streaming load: the whole repository (with the
    /// problems only all of it shows) replaces the batches.
    pub(crate) fn loaded(&mut self, repo: Result<Repo, String>) {
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

    /// Show `text` in the status bar as information.
    pub fn info(&mut self, text: impl Into<String>) {
        self.say(text.into(), Level::Info);
    }

    pub(crate) fn success(&mut self, text: impl Into<String>) {
        self.say(text.into(), Level::Success);
    }

    /// Show `text` in the status bar as an error (its whole text shows until the next
    /// key).
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

    pub(crate) fn current_detail_mut(&mut self) -> Option<&mut Detail> {
        match self.screen {
            Screen::Triage => self.triage.as_mut().and_then(|t| t.detail.as_mut()),
            _ => self.detail.as_mut(),
        }
    }
}
