//! Dates as people write them in documents: `created: 2026-01-26`,
//! `created: "2025-11-18T10:06:59.470Z"`, `created_date: '2026-07-09 06:50'`,
//! `**Date**: 31 January 2025`, `Date: Jan 31, 2025`.
//!
//! [`parse_date`] reads such a value once, at load, into
//! [`super::Meta::created_at`], so sorting and ages compare dates, never
//! text. The raw value stays in [`super::Meta::created`] for display.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};

/// A date, with its time when one is given, from the forms documents use.
///
/// - ISO days: `2026-01-26`, `2026/01/26`, `2026.01.26`, `2026-1-5`;
/// - with a time after `T` or a space: `2026-01-10T00:00:00Z`,
///   `2025-11-18T10:06:59.470Z`, `2026-07-09 06:50`, `2026-01-10 09:00 +0200`;
/// - words: `31 January 2025`, `31st Jan 2025`, `Jan 31, 2025`,
///   `January 31 2025`, `Friday, 31 January 2025`, also followed by a time
///   (`Jan 31, 2025 10:30 PM`);
/// - dotted day first: `31.01.2025`.
///
/// A time with a zone (`Z`, `UTC`, `+02:00`, `-0500`) is turned into UTC; a
/// time without one is taken as written; a day alone is midnight. Text after
/// a readable date (`2025-08-10 (modern .NET)`) is ignored. Anything else is
/// `None`: the caller keeps the raw value and treats the document as undated.
pub fn parse_date(raw: &str) -> Option<NaiveDateTime> {
    // Values come from files: look at a bounded prefix only.
    let s = raw[..cut(raw)].trim().trim_matches(['"', '\'', '*', '`', '_']).trim();
    let (day, rest) = iso_day(s).or_else(|| word_day(s))?;
    match time_of(rest) {
        Some((time, offset)) => day.and_time(time).checked_sub_signed(offset),
        None => Some(day.and_time(NaiveTime::MIN)),
    }
}

/// Longest value looked at; real dates are a few dozen bytes.
const MAX_LEN: usize = 120;

/// A char boundary at or below [`MAX_LEN`].
fn cut(s: &str) -> usize {
    (0..=MAX_LEN.min(s.len()))
        .rev()
        .find(|&i| s.is_char_boundary(i))
        .unwrap_or(0)
}

/// `2026-01-26…`, `2026/01/26…`, `2026.01.26…`: the day and the text after it.
fn iso_day(s: &str) -> Option<(NaiveDate, &str)> {
    let end = s
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '-' | '/' | '.')))
        .unwrap_or(s.len());
    let token = s[..end].trim_end_matches(['.', '-', '/']);
    // The year comes first: four digits, then a separator.
    if token.len() < 8 || !token.as_bytes()[..4].iter().all(u8::is_ascii_digit) {
        return dotted_day(token).map(|d| (d, &s[end..]));
    }
    ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(token, f).ok())
        .map(|d| (d, &s[end..]))
}

/// `31.01.2025`: day first, dotted (as German and Spanish texts write it).
fn dotted_day(token: &str) -> Option<NaiveDate> {
    if token.len() < 8 || token.matches('.').count() != 2 {
        return None;
    }
    NaiveDate::parse_from_str(token, "%d.%m.%Y").ok()
}

/// `31 January 2025`, `Jan 31, 2025`, with an optional weekday and ordinal
/// suffixes: the day and the text after it.
fn word_day(s: &str) -> Option<(NaiveDate, &str)> {
    let mut words = s.split_whitespace().map(|w| w.trim_end_matches([',', '.']));
    let mut first = words.next()?;
    if is_weekday(first) {
        first = words.next()?;
    }
    let second = words.next()?;
    let year = words.next()?;
    let (day, month) = match (ordinal(first), ordinal(second)) {
        (Some(d), None) => (d, second),
        (None, Some(d)) => (d, first),
        _ => return None,
    };
    if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let date = NaiveDate::parse_from_str(&format!("{day} {month} {year}"), "%d %B %Y").ok()?;
    // The text after the year, found in the original string.
    let after = s.find(year).map_or("", |i| &s[i + year.len()..]);
    Some((date, after))
}

/// `31`, `31st`, `2nd`, `3rd`, `4th`: the day number as digits.
fn ordinal(w: &str) -> Option<&str> {
    let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &w[digits.len()..];
    let ok_suffix = matches!(suffix.to_ascii_lowercase().as_str(), "" | "st" | "nd" | "rd" | "th");
    (!digits.is_empty() && digits.len() <= 2 && digits.bytes().all(|b| b.is_ascii_digit()) && ok_suffix)
        .then_some(digits)
}

fn is_weekday(w: &str) -> bool {
    let w = w.to_ascii_lowercase();
    ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        .iter()
        .any(|d| w.starts_with(d))
        && w.bytes().all(|b| b.is_ascii_alphabetic())
}

/// A time after a day (`T10:06:59.470Z`, ` 06:50`, ` at 10:30 PM +02:00`):
/// the time and the zone's offset from UTC (zero without a zone).
fn time_of(rest: &str) -> Option<(NaiveTime, Duration)> {
    let rest = rest.trim_start_matches([',', ' ', '\t']);
    let rest = rest
        .strip_prefix('T')
        .or_else(|| rest.strip_prefix("at "))
        .unwrap_or(rest)
        .trim_start();
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, ':' | '.')))
        .unwrap_or(rest.len());
    let token = &rest[..end];
    if !token.contains(':') {
        return None;
    }
    let mut time = ["%H:%M:%S%.f", "%H:%M"]
        .iter()
        .find_map(|f| NaiveTime::parse_from_str(token, f).ok())?;
    let mut zone = rest[end..].trim_start();
    let meridiem = zone.get(..2).map(str::to_ascii_lowercase);
    if let Some(m @ ("am" | "pm")) = meridiem.as_deref() {
        use chrono::Timelike;
        let h = time.hour() % 12 + if m == "pm" { 12 } else { 0 };
        time = time.with_hour(h)?;
        zone = zone[2..].trim_start();
    }
    Some((time, offset(zone)))
}

/// `Z`, `UTC`, `GMT`, `+02:00`, `+0200`, `-05`: the offset from UTC; zero for
/// anything else (a time without a zone is taken as written).
fn offset(zone: &str) -> Duration {
    let sign = match zone.as_bytes().first() {
        Some(b'+') => 1,
        Some(b'-') => -1,
        _ => return Duration::zero(),
    };
    let digits: String = zone[1..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ':')
        .filter(char::is_ascii_digit)
        .collect();
    let (h, m) = match digits.len() {
        2 => (&digits[..2], "0"),
        4 => (&digits[..2], &digits[2..]),
        _ => return Duration::zero(),
    };
    match (h.parse::<i64>(), m.parse::<i64>()) {
        (Ok(h), Ok(m)) if h <= 14 && m < 60 => Duration::minutes(sign * (h * 60 + m)),
        _ => Duration::zero(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Option<NaiveDateTime> {
        NaiveDate::from_ymd_opt(y, mo, d).and_then(|d| d.and_hms_opt(h, mi, s))
    }

    #[test]
    fn iso_days_and_times() {
        assert_eq!(parse_date("2026-01-26"), at(2026, 1, 26, 0, 0, 0));
        assert_eq!(parse_date(" '2026/01/26' "), at(2026, 1, 26, 0, 0, 0));
        assert_eq!(parse_date("2026.01.26"), at(2026, 1, 26, 0, 0, 0));
        assert_eq!(parse_date("2026-1-5"), at(2026, 1, 5, 0, 0, 0));
        assert_eq!(parse_date("2026-01-10T00:00:00Z"), at(2026, 1, 10, 0, 0, 0));
        let ms = parse_date("\"2025-11-18T10:06:59.470Z\"").unwrap();
        assert_eq!(ms.format("%F %T%.3f").to_string(), "2025-11-18 10:06:59.470");
        assert_eq!(parse_date("2026-07-09 06:50"), at(2026, 7, 9, 6, 50, 0));
        assert_eq!(parse_date("2026-01-10T09:30:00+02:00"), at(2026, 1, 10, 7, 30, 0));
        assert_eq!(parse_date("2026-01-10 09:30 -0500"), at(2026, 1, 10, 14, 30, 0));
        assert_eq!(parse_date("2026-01-01T01:00:00+02:00"), at(2025, 12, 31, 23, 0, 0));
        assert_eq!(
            parse_date("2025-08-10 (modern .NET), 2026-04-19 (.NET Framework 4.6.2-4.8.1)"),
            at(2025, 8, 10, 0, 0, 0)
        );
    }

    #[test]
    fn words_in_either_order() {
        let jan31 = at(2025, 1, 31, 0, 0, 0);
        for s in [
            "31 January 2025",
            "31 Jan 2025",
            "31st January 2025",
            "Jan 31, 2025",
            "January 31, 2025",
            "January 31 2025",
            "january 31st, 2025",
            "Friday, 31 January 2025",
            "Fri, Jan 31, 2025",
            "**31 January 2025**",
            "31.01.2025",
        ] {
            assert_eq!(parse_date(s), jan31, "{s}");
        }
        assert_eq!(parse_date("Jan 31, 2025 10:30 PM"), at(2025, 1, 31, 22, 30, 0));
        assert_eq!(parse_date("31 January 2025 at 12:15 am UTC"), at(2025, 1, 31, 0, 15, 0));
    }

    #[test]
    fn anything_else_is_undated() {
        for s in [
            "",
            "soon",
            "TBD",
            "{YYYY-MM-DD when the decision was last updated}",
            "[YYYY-MM-DD]",
            "2026-13-01",
            "2026-02-30",
            "31 Smarch 2025",
            "January 2025",
            "32 January 2025",
            "123 January 2025",
            "2025",
            "20250131x",
            "31.01",
            "\u{1b}[31m2026-01-01",
        ] {
            assert_eq!(parse_date(s), None, "{s:?}");
        }
        // Long and multi-byte input is bounded and never panics.
        assert_eq!(parse_date(&"é".repeat(10_000)), None);
        assert_eq!(
            parse_date(&format!("2026-01-02 {}", "9".repeat(10_000))),
            at(2026, 1, 2, 0, 0, 0)
        );
    }
}
