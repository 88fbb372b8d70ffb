//! Find inside the open document: `/` opens a prompt on the body's rule,
//! every match of the phrase in the rendered body is highlighted (the
//! current one stronger), `n`/`N` go to the next/previous match with the
//! body scrolled to it, and the rule says `match 3/7`.
//!
//! The phrase is matched as `findings search` matches ([`Query`]: literal,
//! smart case) against each rendered line as shown, so a match never spans
//! a wrapped line. Only the phrase and the current match's number are
//! kept: matches are found again from the rendered lines when needed, so a
//! re-wrap or a reload never leaves them stale.

use crate::search::{Case, Query};
use crate::tui::app::{App, Detail};
use crate::tui::input::{Edited, LineEdit};
use crate::tui::markdown::Rendered;
use crate::tui::msg::Effect;
use crate::tui::theme::Theme;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use std::ops::Range;

/// The find state of one open document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Find {
    /// The phrase (and, while typing, the prompt's line).
    pub edit: LineEdit,
    /// The prompt has the keys.
    pub typing: bool,
    /// The current match, counted from 0 in reading order.
    pub current: usize,
    /// The phrase before the prompt opened (Esc takes it back).
    before: String,
}

/// A match: the rendered line and the byte range in its text.
pub type Hit = (usize, Range<usize>);

/// The text of a rendered line, as shown.
fn plain(l: &Line<'_>) -> String {
    l.spans.iter().map(|s| s.content.as_ref()).collect()
}

/// The query for `phrase`, `None` when it is empty.
fn query(phrase: &str) -> Option<Query> {
    Query::new(phrase, Case::Smart).ok()
}

/// Every match of `phrase` in `r`, in reading order.
pub fn hits(r: &Rendered, phrase: &str) -> Vec<Hit> {
    let Some(q) = query(phrase) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (n, l) in r.lines.iter().enumerate() {
        let text = plain(l);
        out.extend(q.matches(&text).map(|m| (n, m.range())));
    }
    out
}

impl Find {
    /// A prompt starting from `phrase` (the last one looked for).
    pub fn open(phrase: &str) -> Find {
        Find {
            edit: LineEdit::new(phrase),
            typing: true,
            current: 0,
            before: phrase.to_string(),
        }
    }

    /// The phrase looked for.
    pub fn phrase(&self) -> &str {
        self.edit.text()
    }

    /// A closed find for `phrase` (carried to the next document).
    pub fn carried(phrase: &str) -> Find {
        Find {
            typing: false,
            ..Find::open(phrase)
        }
    }
}

/// What the rule above the body says of a find: the phrase (or the prompt)
/// and `match 3/7`, `no match`.
pub fn count_label(f: &Find, hits: &[Hit]) -> String {
    if f.phrase().trim().is_empty() {
        return String::new();
    }
    if hits.is_empty() {
        "no match".into()
    } else {
        format!("match {}/{}", f.current.min(hits.len() - 1) + 1, hits.len())
    }
}

/// Line `line` of the body with the matches among `hits` styled: `hl`,
/// and the current one (`current`, an index into `hits`) also reversed.
pub fn highlight(l: &Line<'static>, line: usize, hits: &[Hit], current: usize, hl: Style) -> Line<'static> {
    let ranges: Vec<(Range<usize>, bool)> = hits
        .iter()
        .enumerate()
        .filter(|(_, (n, _))| *n == line)
        .map(|(k, (_, r))| (r.clone(), k == current))
        .collect();
    if ranges.is_empty() {
        return l.clone();
    }
    let mut out: Vec<Span<'static>> = Vec::new();
    let mut at = 0usize;
    for s in &l.spans {
        let text = s.content.as_ref();
        let (start, end) = (at, at + text.len());
        // Cut this span where matches begin and end.
        let mut cuts = vec![start, end];
        for (r, _) in &ranges {
            cuts.extend([r.start, r.end].into_iter().filter(|&c| c > start && c < end));
        }
        cuts.sort_unstable();
        cuts.dedup();
        for w in cuts.windows(2) {
            let (a, b) = (w[0], w[1]);
            let Some(piece) = text.get(a - start..b - start) else {
                continue;
            };
            let style = match ranges.iter().find(|(r, _)| r.start <= a && b <= r.end) {
                Some((_, true)) => s.style.patch(hl).add_modifier(Modifier::REVERSED),
                Some((_, false)) => s.style.patch(hl),
                None => s.style,
            };
            out.push(Span::styled(piece.to_string(), style));
        }
        at = end;
    }
    Line::from(out).style(l.style)
}

/// Scroll `d` so that hit `h` shows in a body `page` lines high, with a
/// few lines above it.
fn reveal(d: &mut Detail, line: usize, page: usize) {
    if line < d.scroll || line >= d.scroll + page.max(1) {
        d.scroll = line.saturating_sub(page / 3);
    }
    d.clamp_scroll(page);
}

/// Go to the next (`1`) or previous (`-1`) match of the open document's
/// find; what the status bar says (`match 3/7`).
pub fn step(d: &mut Detail, delta: isize, page: usize) -> String {
    let Some(phrase) = d.find.as_ref().map(|f| f.phrase().to_string()) else {
        return "nothing to find yet: / finds in the document".into();
    };
    let hits = hits(&d.rendered, &phrase);
    if hits.is_empty() {
        return format!("no match for {phrase:?}");
    }
    let n = hits.len() as isize;
    let Some(f) = d.find.as_mut() else {
        return String::new();
    };
    f.current = ((f.current.min(hits.len() - 1) as isize + delta).rem_euclid(n)) as usize;
    let label = count_label(f, &hits);
    let line = hits[f.current].0;
    reveal(d, line, page);
    label
}

/// After the phrase changed: the first match at or below the top of the
/// body becomes the current one, scrolled to.
fn refind(d: &mut Detail, page: usize) {
    let Some(f) = d.find.as_ref() else {
        return;
    };
    let hits = hits(&d.rendered, f.phrase());
    let current = hits.iter().position(|(n, _)| *n >= d.scroll).unwrap_or(0);
    if let Some(f) = d.find.as_mut() {
        f.current = current;
    }
    if let Some((line, _)) = hits.get(current) {
        reveal(d, *line, page);
    }
}

/// A key while the find prompt has the keys (a root operation: the root
/// routes here before the screen's keys).
pub(crate) fn key(app: &mut App, k: &KeyEvent) -> Vec<Effect> {
    let page = crate::tui::update::body_height(app);
    let Some(d) = app.current_detail_mut() else {
        return Vec::new();
    };
    let Some(f) = d.find.as_mut() else {
        return Vec::new();
    };
    match k.code {
        KeyCode::Enter => {
            f.typing = false;
            if f.phrase().trim().is_empty() {
                d.find = None;
                return Vec::new();
            }
            let hits = hits(&d.rendered, f.phrase());
            let msg = if hits.is_empty() {
                format!("no match for {:?}", f.phrase())
            } else {
                format!("{} · n next · N previous", count_label(f, &hits))
            };
            app.info(msg);
        }
        KeyCode::Esc => {
            let before = std::mem::take(&mut f.before);
            if before.is_empty() {
                d.find = None;
            } else {
                *f = Find::carried(&before);
                refind(d, page);
            }
        }
        KeyCode::Char('c') if k.modifiers.contains(KeyModifiers::CONTROL) => {
            app.quit = true;
            return vec![Effect::Quit];
        }
        _ => {
            if f.edit.handle(k) == Edited::Changed {
                refind(d, page);
            }
        }
    }
    Vec::new()
}

/// Pasted text into the find prompt (one line of it).
pub(crate) fn paste(app: &mut App, s: &str) {
    let page = crate::tui::update::body_height(app);
    let Some(d) = app.current_detail_mut() else {
        return;
    };
    if let Some(f) = d.find.as_mut() {
        f.edit.insert(s.lines().next().unwrap_or(""));
        refind(d, page);
    }
}

/// True when the open document's find prompt has the keys.
pub fn typing(app: &App) -> bool {
    app.current_detail()
        .and_then(|d| d.find.as_ref())
        .is_some_and(|f| f.typing)
}

/// The rule's left part for `d`'s find: the prompt (with the cursor's
/// column in it) or the phrase, and the count; the theme's styles.
pub fn rule_spans(d: &Detail, hits: &[Hit], th: &Theme, room: usize) -> (Vec<Span<'static>>, Option<usize>) {
    let Some(f) = &d.find else {
        return (Vec::new(), None);
    };
    let count = count_label(f, hits);
    let label = th.header();
    let mut spans = vec![Span::styled("/", label)];
    let mut cursor = None;
    let text = if f.typing {
        let (text, col) = f.edit.window(room.saturating_sub(count.len() + 3).clamp(1, 40));
        cursor = Some(1 + col);
        text
    } else {
        f.phrase().to_string()
    };
    spans.push(Span::styled(
        crate::tui::cells::clean(&text).into_owned(),
        th.matched().remove_modifier(Modifier::UNDERLINED),
    ));
    spans.push(Span::styled(format!(" {count} "), th.dim()));
    (spans, cursor)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(lines: &[&str]) -> Rendered {
        Rendered {
            lines: lines
                .iter()
                .map(|l| Line::from(vec![Span::raw(l.to_string())]))
                .collect(),
            links: Vec::new(),
            tasks: Vec::new(),
        }
    }

    #[test]
    fn hits_in_reading_order_and_highlight_splits_spans() {
        let r = rendered(&["Prisma and prisma", "none", "uses PRISMA"]);
        let h = hits(&r, "prisma");
        assert_eq!(h, vec![(0, 0..6), (0, 11..17), (2, 5..11)]);
        assert_eq!(hits(&r, "Prisma").len(), 1, "smart case");
        let l = Line::from(vec![
            Span::raw("Pri"),
            Span::styled("sma and prisma", Style::new().italic()),
        ]);
        let out = highlight(&l, 0, &h, 1, Style::new().bold());
        let parts: Vec<(&str, bool, bool)> = out
            .spans
            .iter()
            .map(|s| {
                (
                    s.content.as_ref(),
                    s.style.add_modifier.contains(Modifier::BOLD),
                    s.style.add_modifier.contains(Modifier::REVERSED),
                )
            })
            .collect();
        assert_eq!(
            parts,
            vec![
                ("Pri", true, false),
                ("sma", true, false),
                (" and ", false, false),
                ("prisma", true, true)
            ]
        );
        assert!(out.spans[1].style.add_modifier.contains(Modifier::ITALIC));
    }

    #[test]
    fn count_label_says_where_we_are() {
        let mut f = Find::carried("x");
        let h: Vec<Hit> = vec![(0, 0..1), (3, 0..1), (9, 2..3)];
        f.current = 1;
        assert_eq!(count_label(&f, &h), "match 2/3");
        assert_eq!(count_label(&f, &[]), "no match");
        assert_eq!(count_label(&Find::carried(""), &h), "");
    }
}
