//! Key bindings: every action the UI knows, the contexts it applies in, its
//! default keys and a help line. Users rebind actions by name in the
//! `[keys]` table (`quit = "ctrl-q"`, `down = ["j", "down"]`); the help
//! screen is generated from the resulting map, so overrides always show.
//!
//! Over 600 lines: about 600 lines are the table of actions, contexts and default keys, the
//! rest unit tests.
//!
//! Key names: a single character (`j`, `G`, `?`), or `[ctrl-|alt-|shift-]`
//! followed by a character or one of `space enter esc tab backtab backspace
//! delete insert up down left right home end pgup pgdn f1`…`f12`.
//!
//! Why one file of about 700 lines: most of it is the table of actions
//! (name, contexts, default keys, help line) and its tests; the code is
//! under 600 lines.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A normalized key press.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Key {
    pub(crate) code: KeyCode,
    pub(crate) mods: KeyModifiers,
}

const NAMED: &[(&str, KeyCode)] = &[
    ("space", KeyCode::Char(' ')),
    ("enter", KeyCode::Enter),
    ("return", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("escape", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("backtab", KeyCode::BackTab),
    ("backspace", KeyCode::Backspace),
    ("bs", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
    ("del", KeyCode::Delete),
    ("insert", KeyCode::Insert),
    ("ins", KeyCode::Insert),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("pgup", KeyCode::PageUp),
    ("pageup", KeyCode::PageUp),
    ("pgdn", KeyCode::PageDown),
    ("pagedown", KeyCode::PageDown),
];

impl Key {
    pub(crate) fn new(code: KeyCode, mods: KeyModifiers) -> Key {
        let mut mods = mods & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let mut code = code;
        match &mut code {
            KeyCode::Char(c) => {
                // The character already carries the shift.
                mods.remove(KeyModifiers::SHIFT);
                if mods.contains(KeyModifiers::CONTROL) {
                    *c = c.to_ascii_lowercase();
                }
            }
            KeyCode::BackTab => mods.remove(KeyModifiers::SHIFT),
            _ => {}
        }
        Key { code, mods }
    }

    pub(crate) fn from_event(e: &KeyEvent) -> Key {
        Key::new(e.code, e.modifiers)
    }

    /// Parse a key name (`ctrl-q`, `G`, `pgdn`, `shift-tab`).
    pub(crate) fn parse(s: &str) -> Result<Key, String> {
        let s = s.trim();
        if s.is_empty() {
            return Err("empty key name".into());
        }
        let mut chars = s.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            return Ok(Key::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
        let (mods_part, name) = if let Some(p) = s.strip_suffix("--") {
            (format!("{p}-"), "-")
        } else {
            match s.rfind('-') {
                Some(i) if i > 0 => (s[..=i].to_string(), &s[i + 1..]),
                _ => (String::new(), s),
            }
        };
        let mut mods = KeyModifiers::NONE;
        for m in mods_part.split('-').filter(|m| !m.is_empty()) {
            mods |= match m.to_ascii_lowercase().as_str() {
                "ctrl" | "control" | "c" => KeyModifiers::CONTROL,
                "alt" | "meta" | "m" | "a" => KeyModifiers::ALT,
                "shift" | "s" => KeyModifiers::SHIFT,
                _ => return Err(format!("unknown modifier {m:?} in key {s:?} (use ctrl-, alt-, shift-)")),
            };
        }
        let mut nc = name.chars();
        let code = if let (Some(c), None) = (nc.next(), nc.next()) {
            if mods.contains(KeyModifiers::SHIFT) {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::Char(c.to_ascii_uppercase())
            } else {
                KeyCode::Char(c)
            }
        } else {
            let lower = name.to_ascii_lowercase();
            if let Some((_, code)) = NAMED.iter().find(|(n, _)| *n == lower) {
                if *code == KeyCode::Tab && mods.contains(KeyModifiers::SHIFT) {
                    mods.remove(KeyModifiers::SHIFT);
                    KeyCode::BackTab
                } else {
                    *code
                }
            } else if let Some(n) = lower.strip_prefix('f').and_then(|d| d.parse::<u8>().ok()) {
                if (1..=12).contains(&n) {
                    KeyCode::F(n)
                } else {
                    return Err(format!("unknown key name {s:?}"));
                }
            } else {
                return Err(format!(
                    "unknown key name {s:?} (use a character, or ctrl-/alt-/shift- with space, enter, esc, tab, backspace, delete, up, down, left, right, home, end, pgup, pgdn, f1-f12)"
                ));
            }
        };
        Ok(Key::new(code, mods))
    }

    /// The name users write in `[keys]`.
    pub(crate) fn label(&self) -> String {
        let mut s = String::new();
        if self.mods.contains(KeyModifiers::CONTROL) {
            s.push_str("ctrl-");
        }
        if self.mods.contains(KeyModifiers::ALT) {
            s.push_str("alt-");
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            s.push_str("shift-");
        }
        match self.code {
            KeyCode::Char(' ') => s.push_str("space"),
            KeyCode::Char(c) => s.push(c),
            KeyCode::F(n) => s.push_str(&format!("f{n}")),
            code => {
                let name = NAMED.iter().find(|(_, c)| *c == code).map(|(n, _)| *n).unwrap_or("?");
                s.push_str(name);
            }
        }
        s
    }
}

/// Where an action applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    /// Moving and scrolling, wherever there is something to move in.
    Nav,
    /// Everywhere except popups and triage.
    Global,
    /// The list screen.
    List,
    /// The selected document, from the list or its detail.
    Item,
    /// The detail screen.
    Detail,
    /// Triage mode.
    Triage,
    /// The filter pane.
    Facets,
    /// Menus and dialogs.
    Popup,
    /// The board (`b`): status columns of one family.
    Board,
    /// The stats view (`S`).
    Stats,
}

impl Context {
    pub(crate) fn title(self) -> &'static str {
        match self {
            Context::Nav => "Moving",
            Context::Global => "Anywhere",
            Context::List => "List",
            Context::Item => "Selected document",
            Context::Detail => "Document",
            Context::Triage => "Triage",
            Context::Facets => "Filters",
            Context::Popup => "Menus and dialogs",
            Context::Board => "Board",
            Context::Stats => "Stats",
        }
    }
}

/// The contexts consulted, in order, on each screen.
pub const LIST: &[Context] = &[Context::List, Context::Item, Context::Nav, Context::Global];
pub(crate) const DETAIL: &[Context] = &[Context::Detail, Context::Item, Context::Nav, Context::Global];
pub(crate) const TRIAGE: &[Context] = &[Context::Triage, Context::Nav, Context::Global];
pub(crate) const FACETS: &[Context] = &[Context::Facets, Context::Nav, Context::Global];
pub(crate) const POPUP: &[Context] = &[Context::Popup, Context::Nav];
pub(crate) const BOARD: &[Context] = &[Context::Board, Context::Item, Context::Nav, Context::Global];
pub(crate) const STATS: &[Context] = &[Context::Stats, Context::Global];
const CHAINS: &[&[Context]] = &[LIST, DETAIL, TRIAGE, FACETS, POPUP, BOARD, STATS];

/// Everything a key can do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Move the selection up one row, or scroll up one line (`up` in `[keys]`).
    Up,
    /// Move the selection down one row, or scroll down one line (`down` in `[keys]`).
    Down,
    /// Move or scroll up one page (`page_up` in `[keys]`).
    PageUp,
    /// Move or scroll down one page (`page_down` in `[keys]`).
    PageDown,
    /// Move or scroll up half a page (`half_page_up` in `[keys]`).
    HalfPageUp,
    /// Move or scroll down half a page (`half_page_down` in `[keys]`).
    HalfPageDown,
    /// Go to the first row or the top of the text (`top` in `[keys]`).
    Top,
    /// Go to the last row or the end of the text (`bottom` in `[keys]`).
    Bottom,
    /// Leave the terminal UI (`quit` in `[keys]`).
    Quit,
    /// Show the keys of the current screen (`help` in `[keys]`).
    Help,
    /// Read every document from disk again (`reload` in `[keys]`).
    Reload,
    /// Open the selected document (`open` in `[keys]`).
    Open,
    /// Open the list's fuzzy search box (fzf syntax) (`search` in `[keys]`).
    Search,
    /// Open the filter pane (priority, status, tag, family) (`filters` in `[keys]`).
    Facets,
    /// Clear every filter and the search (`clear_filters` in `[keys]`).
    ClearFilters,
    /// Esc in the list: clear the search and every filter.
    Reset,
    /// Cycle the list's sort order (`sort` in `[keys]`).
    Sort,
    /// Triage the selected document, or walk through every pending one (`triage` in
    /// `[keys]`).
    StartTriage,
    /// Change the document's status (a menu of the moves its workflow allows) (`status`
    /// in `[keys]`).
    Status,
    /// Add a work-log entry (a form) (`log` in `[keys]`).
    Log,
    /// Open the document in `$EDITOR` (`edit` in `[keys]`).
    Edit,
    /// Copy the document's ID to the clipboard (`copy_id` in `[keys]`).
    CopyId,
    /// Copy the document's path to the clipboard (`copy_path` in `[keys]`).
    CopyPath,
    /// Undo the last findings write (again: the one before), as a new commit (`undo` in
    /// `[keys]`).
    Undo,
    /// Go back to the list (`back` in `[keys]`).
    Back,
    /// Show the document's links, dependencies and code locations to open (`links` in
    /// `[keys]`).
    Links,
    /// Open the next document of the list (`next_doc` in `[keys]`).
    NextDoc,
    /// Open the previous document of the list (`prev_doc` in `[keys]`).
    PrevDoc,
    /// Switch between the document and its git history (`history` in `[keys]`).
    History,
    /// Triage: approve the document as it is (`approve` in `[keys]`).
    Approve,
    /// Triage: adopt decision option N (1 to 9) as the Recommended Action (`option_1`
    /// .. `option_9` in `[keys]`).
    PickOption(u8),
    /// Triage: type the action to take (`type_action` in `[keys]`).
    TypeAction,
    /// Triage: skip the document with a reason (won't fix, rejected) (`skip` in
    /// `[keys]`).
    Skip,
    /// Triage: leave the document as it is and go to the next (`defer` in `[keys]`).
    Defer,
    /// Triage: undo the last decision (`undo_decision` in `[keys]`).
    UndoDecision,
    /// Stop the triage walk and show its summary (`quit_triage` in `[keys]`).
    QuitTriage,
    /// Filter pane: turn the value under the cursor on or off (`toggle` in `[keys]`).
    Toggle,
    /// Close the filter pane (the filters stay) (`close_filters` in `[keys]`).
    CloseFacets,
    /// Popup: choose the item, or submit the form (`confirm` in `[keys]`).
    Confirm,
    /// Popup: close it without acting (`cancel` in `[keys]`).
    Cancel,
    // views: the preview, the board and the stats view.
    /// Show or hide the preview pane beside the list.
    Preview,
    /// Open the board.
    Board,
    /// Stats view.
    Stats,
    /// Board: focus the column on the left.
    ColumnLeft,
    /// Board: focus the column on the right.
    ColumnRight,
    /// Board: move the card to the previous status.
    CardBack,
    /// Board: move the card to the next status.
    CardForward,
    /// Board: show the next family.
    NextFamily,
    /// Board: open the card's document.
    OpenCard,
    /// Board: back to the list.
    CloseBoard,
    /// Stats view: back to where it was opened.
    CloseStats,
    /// Board: the list's search box, over the cards.
    SearchCards,
    /// Mark or unmark the selected row.
    Mark,
    /// Mark the rows from the last mark to the selected one.
    MarkRange,
    /// Re-apply the last undone write.
    Redo,
    /// Commit the selected document's hand edit.
    CommitEdit,
    /// Discard the selected document's hand edit (after a confirmation).
    DiscardEdit,
    /// Focus the next acceptance criterion (detail).
    NextCriterion,
    /// Focus the previous acceptance criterion (detail).
    PrevCriterion,
    /// Tick or untick the focused criterion (detail).
    TickCriterion,
    /// The option picker: the document's and the accepted ADRs' options,
    /// each with the text it writes (triage).
    Options,
    /// Find in the open document.
    Find,
    /// Go to the next match of the find in the document (`find_next` in `[keys]`).
    FindNext,
    /// Go to the previous match of the find in the document (`find_prev` in `[keys]`).
    FindPrev,
    /// Switch to the next theme (bundled, then the user's `themes/*.toml`)
    /// and remember it in the user config.
    NextTheme,
}

/// One action's definition.
pub(crate) struct Def {
    pub(crate) action: Action,
    pub(crate) name: &'static str,
    pub(crate) contexts: &'static [Context],
    pub(crate) keys: &'static [&'static str],
    pub(crate) help: &'static str,
}

use Context as C;

const fn def(
    action: Action,
    name: &'static str,
    contexts: &'static [Context],
    keys: &'static [&'static str],
    help: &'static str,
) -> Def {
    Def {
        action,
        name,
        contexts,
        keys,
        help,
    }
}

/// Every action, in help order.
pub(crate) const DEFS: &[Def] = &[
    def(Action::Up, "up", &[C::Nav], &["k", "up"], "move up / scroll up"),
    def(
        Action::Down,
        "down",
        &[C::Nav],
        &["j", "down"],
        "move down / scroll down",
    ),
    def(Action::PageUp, "page_up", &[C::Nav], &["pgup", "ctrl-b"], "page up"),
    def(
        Action::PageDown,
        "page_down",
        &[C::Nav],
        &["pgdn", "ctrl-f"],
        "page down",
    ),
    def(
        Action::HalfPageUp,
        "half_page_up",
        &[C::Nav],
        &["ctrl-u"],
        "half a page up",
    ),
    def(
        Action::HalfPageDown,
        "half_page_down",
        &[C::Nav],
        &["ctrl-d"],
        "half a page down",
    ),
    def(Action::Top, "top", &[C::Nav], &["g", "home"], "go to the top"),
    def(Action::Bottom, "bottom", &[C::Nav], &["G", "end"], "go to the bottom"),
    def(Action::Quit, "quit", &[C::Global], &["q", "ctrl-c"], "quit"),
    def(
        Action::Help,
        "help",
        &[C::Global],
        &["?", "f1"],
        "show the keys of this screen",
    ),
    def(
        Action::Reload,
        "reload",
        &[C::Global],
        &["R", "ctrl-r"],
        "reload documents from disk",
    ),
    def(
        Action::Open,
        "open",
        &[C::List],
        &["enter", "l", "right"],
        "open the selected document",
    ),
    def(
        Action::Search,
        "search",
        &[C::List],
        &["/"],
        "fuzzy search (fzf syntax)",
    ),
    def(
        Action::Facets,
        "filters",
        &[C::List],
        &["f"],
        "filter pane: priority, status, tag, family",
    ),
    def(
        Action::ClearFilters,
        "clear_filters",
        &[C::List, C::Facets],
        &["x"],
        "clear every filter and the search",
    ),
    def(
        Action::Reset,
        "reset",
        &[C::List],
        &["esc"],
        "unmark all; else clear search and filters",
    ),
    def(Action::Sort, "sort", &[C::List], &["o"], "cycle the sort order"),
    def(
        Action::StartTriage,
        "triage",
        &[C::List, C::Detail],
        &["t"],
        "triage this one, or each pending one",
    ),
    def(Action::Status, "status", &[C::Item], &["s"], "change status"),
    def(Action::Log, "log", &[C::Item], &["w"], "add a work-log entry"),
    def(Action::Edit, "edit", &[C::Item], &["e"], "open in $EDITOR"),
    def(Action::CopyId, "copy_id", &[C::Item], &["y"], "copy the ID"),
    def(Action::CopyPath, "copy_path", &[C::Item], &["Y"], "copy the path"),
    def(
        Action::Undo,
        "undo",
        &[C::Item],
        &["z", "u"],
        "undo the last write (again: the one before)",
    ),
    def(
        Action::Back,
        "back",
        &[C::Detail],
        &["esc", "h", "left", "q", "backspace"],
        "back to the list",
    ),
    def(
        Action::Links,
        "links",
        &[C::Detail],
        &["L"],
        "links, dependencies, code (Enter opens)",
    ),
    def(
        Action::NextDoc,
        "next_doc",
        &[C::Detail],
        &["J"],
        "next document (no longer n: n/N find)",
    ),
    def(
        Action::PrevDoc,
        "prev_doc",
        &[C::Detail],
        &["K"],
        "previous document (no longer p)",
    ),
    def(
        Action::Approve,
        "approve",
        &[C::Triage],
        &["a"],
        "approve (triage as is)",
    ),
    def(Action::PickOption(1), "option_1", &[C::Triage], &["1"], "pick option 1"),
    def(Action::PickOption(2), "option_2", &[C::Triage], &["2"], "pick option 2"),
    def(Action::PickOption(3), "option_3", &[C::Triage], &["3"], "pick option 3"),
    def(Action::PickOption(4), "option_4", &[C::Triage], &["4"], "pick option 4"),
    def(Action::PickOption(5), "option_5", &[C::Triage], &["5"], "pick option 5"),
    def(Action::PickOption(6), "option_6", &[C::Triage], &["6"], "pick option 6"),
    def(Action::PickOption(7), "option_7", &[C::Triage], &["7"], "pick option 7"),
    def(Action::PickOption(8), "option_8", &[C::Triage], &["8"], "pick option 8"),
    def(Action::PickOption(9), "option_9", &[C::Triage], &["9"], "pick option 9"),
    def(
        Action::TypeAction,
        "type_action",
        &[C::Triage],
        &["c", "i"],
        "type the action to take",
    ),
    def(
        Action::Skip,
        "skip",
        &[C::Triage],
        &["s"],
        "skip with a reason (won't fix / rejected)",
    ),
    def(
        Action::Defer,
        "defer",
        &[C::Triage],
        &["d", "space"],
        "defer: leave it, next item",
    ),
    def(
        Action::UndoDecision,
        "undo_decision",
        &[C::Triage],
        &["u"],
        "undo the last decision",
    ),
    def(
        Action::QuitTriage,
        "quit_triage",
        &[C::Triage],
        &["q", "esc"],
        "stop triage and show the summary",
    ),
    def(
        Action::History,
        "history",
        &[C::Detail, C::Triage],
        &["H"],
        "show the document or its git history",
    ),
    def(
        Action::Toggle,
        "toggle",
        &[C::Facets],
        &["space", "enter"],
        "toggle the value under the cursor",
    ),
    def(
        Action::CloseFacets,
        "close_filters",
        &[C::Facets],
        &["esc", "f", "tab"],
        "back to the list (filters stay)",
    ),
    // Marks, batches, redo and hand edits.
    def(
        Action::Mark,
        "mark",
        &[C::List, C::Board],
        &["space"],
        "mark/unmark; s, w, t (list) act on marks",
    ),
    def(
        Action::MarkRange,
        "mark_range",
        &[C::List],
        &["v"],
        "mark from the last mark to here",
    ),
    def(Action::Redo, "redo", &[C::Item], &["Z"], "redo the last undone write"),
    def(
        Action::CommitEdit,
        "commit_edit",
        &[C::Item],
        &["C"],
        "commit the document's hand edit (✎)",
    ),
    def(
        Action::DiscardEdit,
        "discard_edit",
        &[C::Item],
        &["X"],
        "discard the hand edit (asks first)",
    ),
    def(Action::Confirm, "confirm", &[C::Popup], &["enter"], "choose / submit"),
    def(Action::Cancel, "cancel", &[C::Popup], &["esc"], "close"),
    // views: the preview, the board and the stats view.
    def(
        Action::Preview,
        "preview",
        &[C::List],
        &["P"],
        "preview pane on/off (140 columns and wider)",
    ),
    def(Action::Board, "board", &[C::List], &["b"], "board: a column per status"),
    def(
        Action::Stats,
        "stats",
        &[C::Global],
        &["S"],
        "stats: by status, priority, age; weekly trend",
    ),
    def(
        Action::NextTheme,
        "next_theme",
        &[C::Global],
        &["T"],
        "next theme (remembered in the user config)",
    ),
    def(
        Action::ColumnLeft,
        "column_left",
        &[C::Board],
        &["h", "left"],
        "the column on the left",
    ),
    def(
        Action::ColumnRight,
        "column_right",
        &[C::Board],
        &["l", "right"],
        "the column on the right",
    ),
    def(
        Action::CardBack,
        "card_back",
        &[C::Board],
        &["<"],
        "move the card to the previous status",
    ),
    def(
        Action::CardForward,
        "card_forward",
        &[C::Board],
        &[">"],
        "move the card to the next status",
    ),
    def(
        Action::NextFamily,
        "next_family",
        &[C::Board],
        &["tab"],
        "next family (todo, finding, adr) shown",
    ),
    def(Action::OpenCard, "open_card", &[C::Board], &["enter"], "open the card"),
    def(
        Action::CloseBoard,
        "close_board",
        &[C::Board],
        &["esc", "b"],
        "back to the list",
    ),
    def(
        Action::SearchCards,
        "search_cards",
        &[C::Board],
        &["/"],
        "fuzzy search of the cards (the list's search)",
    ),
    def(
        Action::CloseStats,
        "close_stats",
        &[C::Stats],
        &["esc", "q", "S"],
        "back",
    ),
    // pickers: acceptance criteria in the detail, the triage option picker.
    def(
        Action::NextCriterion,
        "next_criterion",
        &[C::Detail],
        &["tab"],
        "focus the next acceptance criterion",
    ),
    def(
        Action::PrevCriterion,
        "prev_criterion",
        &[C::Detail],
        &["backtab"],
        "focus the previous acceptance criterion",
    ),
    def(
        Action::TickCriterion,
        "tick",
        &[C::Detail],
        &["x"],
        "tick / untick the focused criterion",
    ),
    def(
        Action::Options,
        "options",
        &[C::Triage],
        &["o"],
        "every option (own, then ADRs'), with what each writes",
    ),
    // Find in the document (the search helper's block).
    def(
        Action::Find,
        "find",
        &[C::Detail],
        &["/"],
        "find in the document (matches highlighted)",
    ),
    def(Action::FindNext, "find_next", &[C::Detail], &["n"], "next match"),
    def(Action::FindPrev, "find_prev", &[C::Detail], &["N"], "previous match"),
];

/// The bindings in force: the defaults with the user's overrides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    keys: Vec<Vec<Key>>,
}

impl Default for Keymap {
    fn default() -> Self {
        let keys = DEFS
            .iter()
            .map(|d| d.keys.iter().filter_map(|k| Key::parse(k).ok()).collect())
            .collect();
        Keymap { keys }
    }
}

fn share_a_chain(a: &[Context], b: &[Context]) -> bool {
    CHAINS
        .iter()
        .any(|chain| a.iter().any(|x| chain.contains(x)) && b.iter().any(|y| chain.contains(y)))
}

impl Keymap {
    /// Bind `action` (by name) to `keys`, replacing its defaults. The keys are
    /// taken away from any other action they would shadow.
    pub fn bind(&mut self, action: &str, keys: &[String]) -> Result<(), String> {
        let Some(i) = DEFS.iter().position(|d| d.name == action) else {
            let names: Vec<_> = DEFS.iter().map(|d| d.name).collect();
            return Err(format!("unknown action {action:?}; actions are: {}", names.join(", ")));
        };
        let parsed = keys.iter().map(|k| Key::parse(k)).collect::<Result<Vec<_>, _>>()?;
        for (j, d) in DEFS.iter().enumerate() {
            if j != i && share_a_chain(d.contexts, DEFS[i].contexts) {
                self.keys[j].retain(|k| !parsed.contains(k));
            }
        }
        self.keys[i] = parsed;
        Ok(())
    }

    /// The action `key` triggers on a screen whose contexts are `chain`.
    pub(crate) fn lookup(&self, chain: &[Context], key: Key) -> Option<Action> {
        for ctx in chain {
            for (d, keys) in DEFS.iter().zip(&self.keys) {
                if d.contexts.contains(ctx) && keys.contains(&key) {
                    return Some(d.action);
                }
            }
        }
        None
    }

    pub(crate) fn lookup_event(&self, chain: &[Context], e: &KeyEvent) -> Option<Action> {
        self.lookup(chain, Key::from_event(e))
    }

    /// The keys of an action, as users write them.
    pub fn keys_of(&self, action: Action) -> Vec<String> {
        DEFS.iter()
            .zip(&self.keys)
            .find(|(d, _)| d.action == action)
            .map(|(_, k)| k.iter().map(Key::label).collect())
            .unwrap_or_default()
    }

    /// The first key of an action, for hints (`"?"`), or `""` when unbound.
    pub(crate) fn hint(&self, action: Action) -> String {
        self.keys_of(action).into_iter().next().unwrap_or_default()
    }

    /// Help rows for a screen: per context, (keys, what they do). Only the
    /// keys that do it there show: a key an earlier context of the chain
    /// takes (`q` is "back" in a document, not "quit") is left out. The
    /// nine option picks fold into one row.
    pub fn help(&self, chain: &[Context]) -> Vec<(&'static str, Vec<(String, String)>)> {
        let mut seen: Vec<Action> = Vec::new();
        // Keys taken, in the order [`Keymap::lookup`] tries them.
        let mut taken: Vec<Key> = Vec::new();
        let mut out = Vec::new();
        for ctx in chain {
            let mut rows = Vec::new();
            let mut options: Vec<String> = Vec::new();
            for (d, keys) in DEFS.iter().zip(&self.keys) {
                if !d.contexts.contains(ctx) || seen.contains(&d.action) {
                    continue;
                }
                seen.push(d.action);
                let live: Vec<Key> = keys.iter().filter(|k| !taken.contains(k)).copied().collect();
                taken.extend(keys.iter().copied());
                if live.is_empty() {
                    continue;
                }
                let labels: Vec<String> = live.iter().map(Key::label).collect();
                if matches!(d.action, Action::PickOption(_)) {
                    options.push(labels.join("/"));
                    continue;
                }
                rows.push((labels.join(", "), d.help.to_string()));
            }
            if !options.is_empty() {
                rows.push((
                    options.join(" "),
                    "show option N and what it writes; enter takes it".to_string(),
                ));
            }
            if !rows.is_empty() {
                out.push((ctx.title(), rows));
            }
        }
        out
    }
}

/// The keys line editing understands (fixed, listed in help).
pub(crate) const EDITING_HELP: &[(&str, &str)] = &[
    ("left, right", "move the cursor"),
    ("home, end, ctrl-a, ctrl-e", "start / end of the line"),
    ("backspace, delete", "delete a character"),
    ("ctrl-w", "delete the word before the cursor"),
    ("ctrl-u, ctrl-k", "delete to the start / end"),
    ("enter", "submit"),
    ("esc", "cancel"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn k(s: &str) -> Key {
        Key::parse(s).unwrap()
    }

    #[test]
    fn parses_key_names() {
        assert_eq!(k("ctrl-q"), Key::new(KeyCode::Char('q'), KeyModifiers::CONTROL));
        assert_eq!(k("G"), Key::new(KeyCode::Char('G'), KeyModifiers::NONE));
        assert_eq!(k("shift-g"), k("G"));
        assert_eq!(k("pgdn"), Key::new(KeyCode::PageDown, KeyModifiers::NONE));
        assert_eq!(k("shift-tab"), Key::new(KeyCode::BackTab, KeyModifiers::NONE));
        assert_eq!(k("ctrl--"), Key::new(KeyCode::Char('-'), KeyModifiers::CONTROL));
        assert_eq!(k("-"), Key::new(KeyCode::Char('-'), KeyModifiers::NONE));
        assert_eq!(k("f5"), Key::new(KeyCode::F(5), KeyModifiers::NONE));
        assert!(Key::parse("ctrl-qq").is_err());
        assert!(Key::parse("hyper-q").is_err());
        assert!(Key::parse("").is_err());
        for d in DEFS {
            for key in d.keys {
                assert_eq!(
                    Key::parse(key).unwrap().label(),
                    Key::parse(&k(key).label()).unwrap().label()
                );
            }
        }
    }

    #[test]
    fn events_normalize_shift() {
        let e = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(&e), k("G"));
        let e = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(&e), k("backtab"));
    }

    #[test]
    fn overrides_replace_and_unshadow() {
        let mut m = Keymap::default();
        assert_eq!(m.lookup(LIST, k("q")), Some(Action::Quit));
        m.bind("quit", &["ctrl-q".into()]).unwrap();
        assert_eq!(m.lookup(LIST, k("q")), None);
        assert_eq!(m.lookup(LIST, k("ctrl-q")), Some(Action::Quit));
        // Detail's own `q` (back) still works: back is a different action.
        assert_eq!(m.lookup(DETAIL, k("q")), Some(Action::Back));
        m.bind("quit", &["j".into()]).unwrap();
        assert_eq!(m.lookup(LIST, k("j")), Some(Action::Quit));
        assert_eq!(m.keys_of(Action::Down), ["down"]);
        assert!(m.bind("quitt", &["q".into()]).unwrap_err().contains("unknown action"));
        assert!(m.bind("quit", &["ctrl-qq".into()]).is_err());
    }

    #[test]
    fn chains_have_no_default_conflicts() {
        let m = Keymap::default();
        for chain in CHAINS {
            let mut seen: Vec<(Key, Context)> = Vec::new();
            for ctx in *chain {
                for (d, keys) in DEFS.iter().zip(&m.keys) {
                    if !d.contexts.contains(ctx) {
                        continue;
                    }
                    for key in keys {
                        // The same context must not bind one key twice.
                        assert!(
                            !seen.iter().any(|(k2, c2)| k2 == key && c2 == ctx),
                            "{} bound twice in {:?}",
                            key.label(),
                            ctx
                        );
                        seen.push((*key, *ctx));
                    }
                }
            }
        }
    }

    #[test]
    fn help_shows_only_the_keys_that_work_there() {
        let m = Keymap::default();
        let rows = |chain| -> Vec<(String, String)> { m.help(chain).into_iter().flat_map(|(_, r)| r).collect() };
        // In a document `q` goes back; quitting is ctrl-c there.
        let detail = rows(DETAIL);
        assert!(detail.iter().any(|(k, h)| k == "ctrl-c" && h == "quit"), "{detail:?}");
        assert!(detail.iter().any(|(k, h)| k.contains('q') && h.contains("back")));
        let triage = rows(TRIAGE);
        assert!(triage.iter().any(|(k, h)| k == "ctrl-c" && h == "quit"), "{triage:?}");
        assert!(triage.iter().any(|(k, _)| k == "d, space"));
        // Every key listed does what its row says.
        for chain in CHAINS {
            for (ctx, rows) in m.help(chain) {
                for (keys, help) in rows {
                    if keys.contains(' ') && !keys.contains(", ") {
                        continue; // the folded option picks
                    }
                    for k in keys.split(", ") {
                        let a = m.lookup(chain, Key::parse(k).unwrap()).unwrap();
                        let d = DEFS.iter().find(|d| d.action == a).unwrap();
                        assert_eq!(d.help, help, "{k} in {ctx}");
                    }
                }
            }
        }
    }

    #[test]
    fn help_lists_overrides() {
        let mut m = Keymap::default();
        m.bind("search", &["ctrl-s".into()]).unwrap();
        let help = m.help(LIST);
        let all: Vec<_> = help.iter().flat_map(|(_, r)| r.iter()).collect();
        assert!(all.iter().any(|(k, h)| k == "ctrl-s" && h.contains("search")));
    }
}
