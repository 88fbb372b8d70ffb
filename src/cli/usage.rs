//! Usage errors: a value the command line cannot use, said in one line with
//! the nearest value it can (`unknown status "pendng"; did you mean
//! "pending"?`), a hint line after it, and exit status 2.
//!
//! Clap's own errors (an unknown `--sort` value, a misspelt option or
//! command) are reworded here in the same shape; the values only the
//! repository knows (its workflow's statuses, its tags) are checked by the
//! commands with [`unknown`] and [`nearest`].

use crate::document::text::inert;
use clap::error::{ContextKind, ContextValue, ErrorKind};

/// A usage error: `message` is one line, `hint` says what would work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UsageError {
    pub(crate) message: String,
    pub(crate) hint: Option<String>,
}

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for UsageError {}

impl UsageError {
    /// The text printed to stderr: `findings: error: …` and `  hint: …`.
    pub(crate) fn render(&self) -> String {
        let mut s = format!("findings: error: {}\n", inert(&self.message, false));
        if let Some(h) = &self.hint {
            s.push_str(&format!("  hint: {}\n", inert(h, false)));
        }
        s
    }
}

/// How far apart two words are, ignoring case: the Damerau-Levenshtein
/// distance (a swapped pair of letters is one mistake).
fn distance(a: &str, b: &str) -> usize {
    strsim::damerau_levenshtein(&a.to_lowercase(), &b.to_lowercase())
}

/// The mistakes a word of this many characters may hold and still be meant
/// as another: none in one of two characters (`p7` is no more `p0` than
/// `p3`), one in a short word, about a third of a long one.
fn tolerance(word: &str) -> usize {
    match word.chars().count() {
        0..=2 => 0,
        n => (n / 3).clamp(1, 3),
    }
}

/// Up to `n` candidates near `word`, nearest first (ties in the given
/// order): within [`tolerance`] mistakes, or starting with `word` when it is
/// at least two characters long.
pub(crate) fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>, n: usize) -> Vec<&'a str> {
    let w = word.trim();
    if w.is_empty() {
        return Vec::new();
    }
    let lw = w.to_lowercase();
    let mut scored: Vec<(usize, usize, &str)> = Vec::new();
    for (i, c) in candidates.into_iter().enumerate() {
        if c.is_empty() || scored.iter().any(|(_, _, s)| s.eq_ignore_ascii_case(c)) {
            continue;
        }
        let d = distance(w, c);
        let prefix = lw.chars().count() >= 2 && c.to_lowercase().starts_with(&lw);
        if d <= tolerance(w) || prefix {
            scored.push((if prefix { d.min(1) } else { d }, i, c));
        }
    }
    scored.sort();
    scored.into_iter().take(n).map(|(_, _, c)| c).collect()
}

/// `unknown WHAT "VALUE"`, with `; did you mean "X"?` when a candidate is
/// near, and `hint` on the line after.
pub(crate) fn unknown<'a>(
    what: &str,
    value: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    hint: impl Into<String>,
) -> UsageError {
    let mut message = format!("unknown {what} {value:?}");
    if let Some(s) = nearest(value, candidates, 1).first() {
        message.push_str(&format!("; did you mean {s:?}?"));
    }
    UsageError {
        message,
        hint: Some(hint.into()),
    }
}

fn context_str(e: &clap::Error, k: ContextKind) -> Option<String> {
    match e.get(k)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::Strings(v) => v.first().cloned(),
        _ => None,
    }
}

fn context_list(e: &clap::Error, k: ContextKind) -> Vec<String> {
    match e.get(k) {
        Some(ContextValue::Strings(v)) => v.clone(),
        Some(ContextValue::String(s)) => vec![s.clone()],
        Some(ContextValue::StyledStr(s)) => vec![s.to_string()],
        _ => Vec::new(),
    }
}

/// Where to read the command's options, from clap's usage line
/// (`findings list [OPTIONS]` → see `findings list --help`).
fn usage_hint(e: &clap::Error) -> Option<String> {
    let u = context_str(e, ContextKind::Usage)?;
    let u = u.trim().trim_start_matches("Usage:").trim();
    let cmd: Vec<&str> = u
        .split_whitespace()
        .take_while(|w| !w.starts_with(['-', '<', '[']))
        .collect();
    (!cmd.is_empty()).then(|| format!("see `{} --help`", cmd.join(" ")))
}

/// A clap error in this module's shape, for the errors it knows; `None`
/// for the rest (clap prints those itself).
pub(crate) fn from_clap(e: &clap::Error) -> Option<UsageError> {
    match e.kind() {
        ErrorKind::ValueValidation => {
            use std::error::Error;
            if let Some(u) = e.source().and_then(|s| s.downcast_ref::<UsageError>()) {
                return Some(u.clone());
            }
            let arg = context_str(e, ContextKind::InvalidArg)?;
            let value = context_str(e, ContextKind::InvalidValue)?;
            let why = e.source().map(|s| format!(": {s}")).unwrap_or_default();
            Some(UsageError {
                message: format!("invalid value {value:?} for {arg}{why}"),
                hint: usage_hint(e),
            })
        }
        ErrorKind::InvalidValue => {
            let arg = context_str(e, ContextKind::InvalidArg)?;
            let value = context_str(e, ContextKind::InvalidValue)?;
            let valid = context_list(e, ContextKind::ValidValue);
            // `--sort <SORT>` → `sort`.
            let what = arg
                .split([' ', '='])
                .next()
                .unwrap_or(&arg)
                .trim_start_matches('-')
                .trim_matches(['<', '>'])
                .to_lowercase();
            if value.is_empty() {
                return Some(UsageError {
                    message: format!("{arg} needs a value"),
                    hint: Some(format!("use one of: {}", valid.join(", "))),
                });
            }
            Some(unknown(
                &what,
                &value,
                valid.iter().map(String::as_str),
                format!("use one of: {}", valid.join(", ")),
            ))
        }
        ErrorKind::UnknownArgument => {
            let arg = context_str(e, ContextKind::InvalidArg)?;
            let mut message = format!("unknown option {arg}");
            if let Some(s) = context_str(e, ContextKind::SuggestedArg) {
                message.push_str(&format!("; did you mean {s}?"));
            }
            Some(UsageError {
                message,
                hint: usage_hint(e),
            })
        }
        ErrorKind::InvalidSubcommand => {
            let cmd = context_str(e, ContextKind::InvalidSubcommand)?;
            let mut message = format!("unknown command {cmd:?}");
            if let Some(s) = context_str(e, ContextKind::SuggestedSubcommand) {
                message.push_str(&format!("; did you mean {s:?}?"));
            }
            Some(UsageError {
                message,
                hint: Some("see `findings --help` for the commands".into()),
            })
        }
        ErrorKind::MissingRequiredArgument => {
            let missing = context_list(e, ContextKind::InvalidArg);
            (!missing.is_empty()).then(|| UsageError {
                message: format!("missing {}", missing.join(" and ")),
                hint: usage_hint(e),
            })
        }
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            None
        }
        // Anything else: clap's first line, and where to read more.
        _ => {
            let text = e.render().to_string();
            let first = text
                .lines()
                .next()?
                .trim()
                .trim_start_matches("error:")
                .trim()
                .to_string();
            (!first.is_empty() && !first.ends_with(':')).then(|| UsageError {
                message: first,
                hint: usage_hint(e),
            })
        }
    }
}

/// An `anyhow` error that is a usage error, as one: a [`UsageError`]
/// itself, or an operation told a status its workflow does not have.
pub(crate) fn from_failure(e: &anyhow::Error) -> Option<UsageError> {
    if let Some(u) = e.downcast_ref::<UsageError>() {
        return Some(u.clone());
    }
    if let Some(crate::ops::OpError::UnknownTarget { id, kind, to, statuses }) = e.downcast_ref::<crate::ops::OpError>()
    {
        let mut u = unknown(
            "status",
            to,
            statuses.iter().map(String::as_str),
            format!("{id} is a {kind}; a {kind}'s statuses: {}", statuses.join(", ")),
        );
        u.message.insert_str(0, &format!("{id}: "));
        return Some(u);
    }
    None
}

/// The priorities every repository understands, for suggestions.
const PRIORITIES: &[&str] = &["p0", "p1", "p2", "p3", "critical", "high", "medium", "low"];

/// `unknown priority "VALUE"`, suggesting the nearest of p0–p3, their
/// words, and `seen` (the raw priorities the repository's documents carry).
pub(crate) fn unknown_priority(value: &str, seen: &[&str]) -> UsageError {
    unknown(
        "priority",
        value,
        PRIORITIES.iter().copied().chain(seen.iter().copied()),
        "use p0, p1, p2 or p3 (critical, high, medium and low also work)",
    )
}

/// Check `list`'s filter values against what `repo` knows: a status no
/// workflow of the repository has (nor any document's own status), or a
/// priority that is none, is a usage error; a tag no document carries is a
/// warning naming the nearest tags (returned, for stderr).
pub(crate) fn check_filter(repo: &crate::store::Repo, f: &crate::cli::FilterArgs) -> Result<Vec<String>, UsageError> {
    use crate::document::Kind;
    let workflows = repo.workflows();
    for s in &f.status {
        let known = Kind::ALL.iter().any(|k| workflows.normalize(*k, s).is_some())
            || repo.items.iter().any(|m| crate::query::status_matches(m, s));
        if known {
            continue;
        }
        let kinds: &[Kind] = if f.kind.is_empty() { &Kind::ALL } else { &f.kind };
        let mut names: Vec<&str> = Vec::new();
        for k in kinds {
            for st in &workflows.get(*k).statuses {
                if !names.contains(&st.as_str()) {
                    names.push(st);
                }
            }
        }
        let hint = format!(
            "statuses: {} (aliases such as done and wip also work)",
            names.join(", ")
        );
        let raw = repo.items.iter().filter_map(|m| m.status_raw.as_deref());
        return Err(unknown("status", s, names.iter().copied().chain(raw), hint));
    }
    for p in &f.priority {
        let known = crate::workflow::normalize_priority(p).is_some()
            || repo.items.iter().any(|m| crate::query::priority_matches(m, p));
        if !known {
            let raw: Vec<&str> = repo.items.iter().filter_map(|m| m.priority_raw.as_deref()).collect();
            return Err(unknown_priority(p, &raw));
        }
    }
    let mut warnings = Vec::new();
    for t in &f.tag {
        if repo
            .items
            .iter()
            .any(|m| m.tags.iter().any(|mt| mt.eq_ignore_ascii_case(t)))
        {
            continue;
        }
        let mut tags: Vec<&str> = repo
            .items
            .iter()
            .flat_map(|m| m.tags.iter().map(String::as_str))
            .collect();
        tags.sort_unstable();
        tags.dedup();
        let near = nearest(t, tags.iter().copied(), 3);
        let mut w = format!("no document has the tag {t:?}");
        if !near.is_empty() {
            let near: Vec<String> = near.iter().map(|n| format!("{n:?}")).collect();
            w.push_str(&format!("; nearest tags: {}", near.join(", ")));
        } else if tags.is_empty() {
            w.push_str("; no document has any tag");
        }
        warnings.push(w);
    }
    Ok(warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_word() {
        let statuses = ["pending", "ready", "complete", "wontfix"];
        assert_eq!(nearest("pendng", statuses, 1), ["pending"]);
        assert_eq!(nearest("redy", statuses, 1), ["ready"]);
        assert_eq!(nearest("READY", statuses, 1), ["ready"]);
        assert_eq!(nearest("compelte", statuses, 1), ["complete"]);
        assert_eq!(nearest("comp", statuses, 1), ["complete"]);
        assert!(nearest("zzzzzz", statuses, 1).is_empty());
        assert!(nearest("", statuses, 1).is_empty());
        assert!(nearest("p7", ["p0", "p1", "p2", "p3"], 1).is_empty());
        assert_eq!(
            nearest("secrity", ["api", "security", "secrets"], 2),
            ["security", "secrets"]
        );
    }

    #[test]
    fn unknown_says_what_and_suggests() {
        let u = unknown("status", "pendng", ["pending", "ready"], "use one of: pending, ready");
        assert_eq!(u.message, r#"unknown status "pendng"; did you mean "pending"?"#);
        assert_eq!(
            u.render(),
            "findings: error: unknown status \"pendng\"; did you mean \"pending\"?\n  hint: use one of: pending, ready\n"
        );
        let u = unknown("status", "x\x1b[2J", ["pending"], "h");
        assert!(!u.render().contains('\x1b'));
    }
}
