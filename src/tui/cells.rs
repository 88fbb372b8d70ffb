//! Terminal cell helpers: display widths of untrusted text (wide CJK and
//! emoji count two columns), truncating and padding styled spans to an exact
//! width, per-character highlight spans for fuzzy matches, and ages
//! (`3d`, `2mo`) from a document's parsed created date
//! ([`crate::document::Meta::created_at`]).
//!
//! Everything shown from a document passes through
//! [`crate::document::text::inert`] here, so control characters and escape
//! sequences become visible placeholders and never reach the terminal.

/// Dates are read in one place, the document's; the history view asks it too.
pub(crate) use crate::document::date::parse_date;
use crate::document::text::inert;
use chrono::{NaiveDate, NaiveDateTime};
use ratatui::style::Style;
use ratatui::text::Span;
use std::borrow::Cow;
use unicode_width::UnicodeWidthStr;

/// Untrusted one-line text made terminal-safe.
pub(crate) fn clean(s: &str) -> Cow<'_, str> {
    inert(s, false)
}

/// Display width of (already clean) text.
pub(crate) fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Grapheme clusters with their widths: the one home is [`crate::document::text::clusters`].
pub(crate) use crate::document::text::clusters;

/// Spans cut to at most `max` columns, with `…` marking a cut; padded with
/// spaces to exactly `max` when `pad`.
pub(crate) fn fit(spans: Vec<Span<'static>>, max: usize, pad: bool) -> Vec<Span<'static>> {
    let total: usize = spans.iter().map(|s| width(&s.content)).sum();
    let mut out = Vec::with_capacity(spans.len() + 1);
    if total <= max {
        out = spans;
        if pad && total < max {
            out.push(Span::raw(" ".repeat(max - total)));
        }
        return out;
    }
    if max == 0 {
        return out;
    }
    let budget = max - 1;
    let mut used = 0;
    let mut last_style = Style::default();
    'outer: for s in spans {
        let mut kept = String::new();
        for (cl, w) in clusters(&s.content) {
            if used + w > budget {
                if !kept.is_empty() {
                    out.push(Span::styled(kept, s.style));
                }
                last_style = s.style;
                break 'outer;
            }
            kept.push_str(cl);
            used += w;
        }
        last_style = s.style;
        if !kept.is_empty() {
            out.push(Span::styled(kept, s.style));
        }
    }
    // A wide character that did not fit leaves a gap.
    if used < budget {
        out.push(Span::raw(" ".repeat(budget - used)));
    }
    out.push(Span::styled("…", last_style));
    out
}

/// Clean `raw`, styling the characters whose indices (in `raw`'s chars,
/// offset by `first`) are in the sorted `hits` with `hl`.
pub(crate) fn highlighted(raw: &str, first: u32, hits: &[u32], base: Style, hl: Style) -> Vec<Span<'static>> {
    if hits.is_empty() {
        return vec![Span::styled(clean(raw).into_owned(), base)];
    }
    let mut out: Vec<Span<'static>> = Vec::new();
    let mut cur = String::new();
    let mut cur_hl = false;
    let mut buf = [0u8; 4];
    for (n, c) in raw.chars().enumerate() {
        let is_hl = hits.binary_search(&(first + n as u32)).is_ok();
        if is_hl != cur_hl && !cur.is_empty() {
            out.push(Span::styled(std::mem::take(&mut cur), if cur_hl { hl } else { base }));
        }
        cur_hl = is_hl;
        cur.push_str(&clean(c.encode_utf8(&mut buf)));
    }
    if !cur.is_empty() {
        out.push(Span::styled(cur, if cur_hl { hl } else { base }));
    }
    out
}

/// How long ago `created` was, relative to `today`: `0d`, `3d`, `2mo`, `1y`.
pub(crate) fn age(created: Option<NaiveDateTime>, today: NaiveDate) -> String {
    let Some(d) = created else {
        return String::new();
    };
    let days = (today - d.date()).num_days();
    if days < 0 {
        "new".into()
    } else if days < 60 {
        format!("{days}d")
    } else if days < 730 {
        format!("{}mo", days / 30)
    } else {
        format!("{}y", days / 365)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(spans: &[Span<'_>]) -> String {
        spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn fit_cuts_and_pads_by_display_width() {
        assert_eq!(text(&fit(vec![Span::raw("abc")], 5, true)), "abc  ");
        assert_eq!(text(&fit(vec![Span::raw("abcdef")], 4, true)), "abc…");
        let cut = fit(vec![Span::raw("漢字漢字")], 4, true);
        assert_eq!(text(&cut), "漢 …");
        assert_eq!(cut.iter().map(|s| width(&s.content)).sum::<usize>(), 4);
        assert_eq!(text(&fit(vec![Span::raw("ab")], 0, true)), "");
        let emoji = "⚠\u{fe0f}x";
        let n: usize = clusters(emoji).map(|(_, w)| w).sum();
        assert_eq!(n, width(emoji));
    }

    #[test]
    fn highlight_maps_char_indices_and_cleans() {
        let s = highlighted("a\x1bbc", 10, &[10, 12], Style::default(), Style::default().bold());
        assert_eq!(text(&s), "a\u{241b}bc");
        assert_eq!(s.len(), 4);
        assert_eq!(s[2].content, "b");
    }

    #[test]
    fn ages() {
        let today = NaiveDate::from_ymd_opt(2026, 2, 1).unwrap();
        let age = |s: &str| age(parse_date(s), today);
        assert_eq!(age("2026-01-29"), "3d");
        assert_eq!(age("2026-01-10T00:00:00Z"), "22d");
        assert_eq!(age("31 January 2026"), "1d");
        assert_eq!(age("2025-10-01"), "4mo");
        assert_eq!(age("2020-01-01"), "6y");
        assert_eq!(age("2026-03-01"), "new");
        assert_eq!(age("soon"), "");
    }
}
