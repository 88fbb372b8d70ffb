//! The History tab: switching to it, asking for a document's git history
//! (read off the UI thread), and taking the answer in.

use crate::git::GitError;
use crate::tui::app::*;
use crate::tui::msg::Effect;
use crate::tui::update::*;

/// Switch the open document between its text and its git history.
pub(crate) fn toggle_history(app: &mut App) -> Vec<Effect> {
    let Some(d) = app.current_detail_mut() else {
        return Vec::new();
    };
    d.tab = match d.tab {
        DetailTab::Document => DetailTab::History,
        DetailTab::History => DetailTab::Document,
    };
    want_history(app)
}

/// Ask for the history of the document shown when its History tab is up
/// and it was not asked for yet.
pub(crate) fn want_history(app: &mut App) -> Vec<Effect> {
    let Some(d) = app.current_detail_mut() else {
        return Vec::new();
    };
    if d.tab != DetailTab::History || d.changes.contains_key(&d.path) {
        return Vec::new();
    }
    d.changes.insert(d.path.clone(), Changes::Loading);
    vec![Effect::LoadHistory { path: d.path.clone() }]
}

pub(crate) fn history_loaded(app: &mut App, path: &str, r: Result<Vec<crate::git::history::HistoryEntry>, GitError>) {
    let c = match r {
        Ok(v) => Changes::Loaded(v),
        Err(GitError::NotARepo { .. }) => Changes::Unavailable("not a git repository: no history to show".into()),
        Err(e) => Changes::Failed(format!("cannot read the history: {e}")),
    };
    // Kept only by the documents still reading (a reload drops what it asked).
    for d in [app.detail.as_mut(), app.triage.as_mut().and_then(|t| t.detail.as_mut())]
        .into_iter()
        .flatten()
    {
        if d.changes.contains_key(path) || d.path == path {
            d.changes.insert(path.to_string(), c.clone());
        }
    }
    clamp_scroll(app);
}
