//! What flows through the update loop: [`Msg`] in (terminal events and the
//! results of effects), [`Effect`] out (everything that touches the world:
//! writes, the editor, the clipboard, reading git history, reloading,
//! quitting).

use crate::document::Meta;
use crate::git::history::HistoryEntry;
use crate::git::GitError;
use crate::ops::OpError;
use crate::store::{Repo, StoreError};
use crossterm::event::{KeyEvent, MouseEvent};

/// The outcome of a write, as the backend reports it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WriteResult {
    /// What happened, for the status bar ("030: pending → ready").
    pub message: String,
    /// The commit made, when the write was committed.
    pub commit: Option<String>,
    /// The document's new path when the write renamed it.
    pub new_path: Option<String>,
}

/// How a write ended, as the runtime reports it in [`Msg::WriteDone`].
#[derive(Debug)]
pub enum WriteOutcome {
    /// Written (and committed when [`WriteResult::commit`] says so).
    Done(WriteResult),
    /// Refused: the document at `path` no longer holds the bytes that were
    /// shown (someone edited it since); nothing was written.
    Stale {
        /// The document, relative to the root.
        path: String,
    },
    /// Failed with this error; the library's guarantees hold (an edit made
    /// before a failed commit is kept, and the error says so).
    Failed(WriteFailure),
}

impl WriteOutcome {
    /// A failure with a message of the backend's own.
    pub fn failed(text: impl Into<String>) -> WriteOutcome {
        WriteOutcome::Failed(WriteFailure::Other(text.into()))
    }
}

/// Why a write failed (other than a stale document, [`WriteOutcome::Stale`]).
#[derive(Debug, thiserror::Error)]
pub enum WriteFailure {
    /// The library refused or failed the write.
    #[error(transparent)]
    Op(#[from] OpError),
    /// The repository could not be opened for the write.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A backend's own reason (a read-only session, a scripted failure).
    #[error("{0}")]
    Other(String),
}

/// A step of the streaming load ([`Effect::Load`]).
#[derive(Debug)]
pub enum LoadStep {
    /// More documents, in path order (appended to those shown); `done` of
    /// `total` files read so far.
    Batch {
        /// The documents of this batch.
        items: Vec<Meta>,
        /// Files read so far.
        done: usize,
        /// Files to read in all (0 while the walk is still finding them).
        total: usize,
    },
    /// Everything read (with the problems only the whole repository shows),
    /// or why it could not be.
    Done(Box<Result<Repo, String>>),
}

/// What the document looked like when it was shown: a write is refused when
/// the file no longer hashes to this ([`super::backend::content_hash`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shown {
    /// [`super::backend::content_hash`] of the file's bytes as shown.
    pub hash: u64,
}

/// Input to [`super::update()`].
#[derive(Debug)]
pub enum Msg {
    /// A key press from the terminal.
    Key(KeyEvent),
    /// A mouse click or scroll (when the mouse is on).
    Mouse(MouseEvent),
    /// Text pasted into the terminal (bracketed paste), for the field being typed in.
    Paste(String),
    /// The terminal's new size (columns, rows).
    Resize(u16, u16),
    /// Result of a write effect (triage, status, log, undo).
    WriteDone(WriteOutcome),
    /// Result of [`Effect::Reload`].
    Reloaded(Box<Result<Repo, String>>),
    /// Progress of [`Effect::Load`]: documents as they are read, then the
    /// whole repository.
    Load(LoadStep),
    /// Files changed on disk (from the watcher).
    FilesChanged,
    /// Idle: score more of a query over many documents
    /// ([`super::index::Index::busy`]).
    Work,
    /// The editor exited.
    EditorDone(Result<(), String>),
    /// Result of [`Effect::Copy`]: the tool used, or why nothing was copied.
    Copied(Result<String, String>),
    /// Result of [`Effect::LoadHistory`] for a path.
    HistoryLoaded(String, Result<Vec<HistoryEntry>, GitError>),
    /// Result of [`Effect::LoadTrend`]: opened and closed per week.
    TrendLoaded(Box<crate::stats::Trend>),
    /// Result of [`Effect::CheckEdits`]: the documents holding hand edits.
    HandEdits(Vec<String>),
}

/// Work [`super::update()`] asks the runner to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Triage a document: as is (`action: None`), picking an option
    /// (`action: Some("A")`, `literal: false`: the key of an `### Option A`
    /// heading) or with a typed action (`literal: true`).
    Triage {
        /// The document, relative to the root.
        path: String,
        /// The option's key or the typed action; `None` triages as is.
        action: Option<String>,
        /// `action` is typed text, written verbatim.
        literal: bool,
        /// The document as it was shown.
        shown: Shown,
    },
    /// Move a document to status `to`.
    SetStatus {
        /// The document, relative to the root.
        path: String,
        /// The new status.
        to: String,
        /// A note for the work-log entry.
        note: Option<String>,
        /// Why (a skip needs one).
        reason: Option<String>,
        /// The document as it was shown.
        shown: Shown,
    },
    /// Append a work-log entry.
    Log {
        /// The document, relative to the root.
        path: String,
        /// What was done: the entry's action.
        action: String,
        /// What was learned, for the entry's details.
        learnings: Option<String>,
        /// The document as it was shown.
        shown: Shown,
    },
    /// Undo a commit this session made.
    Undo {
        /// The commit to undo.
        commit: String,
    },
    /// Undo the last findings write not undone yet (the CLI's `undo`).
    UndoLast,
    /// Re-apply the last undone write (the CLI's `redo`).
    Redo,
    /// The same write to several documents, as one commit.
    Batch {
        /// Each document's path and what it looked like when shown.
        items: Vec<(String, Shown)>,
        /// The write.
        what: crate::ops::batch::BatchWrite,
    },
    /// Each document its own write (a triage walk's decisions), as one
    /// commit.
    BatchEach {
        /// Each document's path, what it looked like when shown, and its
        /// write.
        items: Vec<(String, Shown, crate::ops::batch::BatchWrite)>,
    },
    /// Commit a document's hand edit as `findings(ID): edit`.
    CommitEdit {
        /// The document's path.
        path: String,
        /// What it looked like when shown.
        shown: Shown,
    },
    /// Put a document back as HEAD has it (its hand edit dropped).
    DiscardEdit {
        /// The document's path.
        path: String,
        /// What it looked like when shown.
        shown: Shown,
    },
    /// Find the documents that hold hand edits ([`Msg::HandEdits`]).
    CheckEdits,
    /// ADR `path` is superseded by ADR `by` (both repository-relative):
    /// the status, the links in both files, one commit.
    Supersede {
        /// The superseded ADR, relative to the root.
        path: String,
        /// The ADR that supersedes it, relative to the root.
        by: String,
        /// The superseded ADR as it was shown.
        shown: Shown,
    },
    /// Tick (`undo`: untick) acceptance criterion `n` (from 1).
    Tick {
        /// The document, relative to the root.
        path: String,
        /// Which criterion, counting from 1 in document order.
        n: usize,
        /// Untick it instead.
        undo: bool,
        /// The document as it was shown.
        shown: Shown,
    },
    /// Suspend the terminal and edit a file (repository-relative path), at
    /// `line` when given (`+LINE`, as editors take it).
    OpenEditor {
        /// The file, relative to the root.
        path: String,
        /// The line to open at (1-based), `None` for the top.
        line: Option<u32>,
    },
    /// Put text on the system clipboard.
    Copy(String),
    /// Read a document's git history (repository-relative path); answered
    /// by [`Msg::HistoryLoaded`].
    LoadHistory {
        /// The document, relative to the root.
        path: String,
    },
    /// Read the opened/closed trend of the last `weeks` weeks as of `now`
    /// from git (the stats view); answered by [`Msg::TrendLoaded`].
    LoadTrend {
        /// The moment the weeks count back from.
        now: chrono::NaiveDateTime,
        /// How many weeks, the current one included.
        weeks: usize,
    },
    /// Reload every document from disk.
    Reload,
    /// Read every document of the repository opened with only its
    /// configuration, in batches ([`Msg::Load`]), off the UI thread.
    Load,
    /// Stop: restore the terminal and exit.
    Quit,
}

impl Effect {
    /// True for the writes (what the runtime runs one at a time on its
    /// worker, and waits for before quitting).
    pub(crate) fn is_write(&self) -> bool {
        matches!(
            self,
            Effect::Triage { .. }
                | Effect::SetStatus { .. }
                | Effect::Log { .. }
                | Effect::Undo { .. }
                | Effect::UndoLast
                | Effect::Redo
                | Effect::Batch { .. }
                | Effect::BatchEach { .. }
                | Effect::CommitEdit { .. }
                | Effect::DiscardEdit { .. }
                | Effect::Supersede { .. }
                | Effect::Tick { .. }
        )
    }
}
