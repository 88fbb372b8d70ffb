//! `findings search TEXT`: full-text search of IDs, titles, tags and the
//! documents' text through [`crate::search`], printed as text or JSON.
//! Exit status as grep's: 0 something matched, 1 nothing did, 2 an error.

use super::output::{json_line, terminal_width, Painter};
use super::{CmdResult, Ctx, FilterArgs};
use crate::document::text::inert;
use crate::document::Meta;
use crate::search::{self, Case, FieldHit, Hit, LineHit, Match, Query};
use clap::{Args, ValueEnum};
use std::io::Write;
use std::process::ExitCode;
use unicode_width::UnicodeWidthStr;

#[derive(Args, Debug, Clone)]
pub(crate) struct SearchArgs {
    /// The text to find: a phrase, matched literally (no pattern syntax). Case is ignored
    /// unless TEXT holds a capital letter.
    #[arg(value_name = "TEXT")]
    pub(crate) text: String,
    #[command(flatten)]
    pub(crate) filter: FilterArgs,
    /// Ignore case even when TEXT holds a capital letter.
    #[arg(short = 'i', long, conflicts_with = "case_sensitive")]
    pub(crate) ignore_case: bool,
    /// Match case even when TEXT is all lowercase.
    #[arg(long)]
    pub(crate) case_sensitive: bool,
    /// The most matching lines shown per document (the rest are counted).
    #[arg(short = 'm', long, value_name = "N", default_value_t = 5)]
    pub(crate) max_lines: usize,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = SearchFormat::Text)]
    pub(crate) format: SearchFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum SearchFormat {
    Text,
    Json,
}

pub(crate) fn run(ctx: &Ctx, a: &SearchArgs) -> CmdResult {
    match search(ctx, a) {
        Ok(code) => Ok(code),
        // Like grep, an error is 2 so that 1 always means "nothing matched".
        Err(e) => {
            eprintln!("findings: error: {}", inert(&format!("{:#}", e.0), true));
            Ok(ExitCode::from(2))
        }
    }
}

fn search(ctx: &Ctx, a: &SearchArgs) -> CmdResult {
    let case = if a.ignore_case {
        Case::Ignore
    } else if a.case_sensitive {
        Case::Sensitive
    } else {
        Case::Smart
    };
    let q = Query::new(&a.text, case)?;
    let repo = ctx.open()?;
    super::list::warn_problems(&repo);
    let candidates = crate::query::select(
        &repo.items,
        &a.filter.to_filter(),
        a.filter.query.as_deref().unwrap_or(""),
        crate::query::SortKey::Priority,
    );
    let hits = search::search(
        &repo.items,
        &candidates,
        &search::Files { root: &repo.root },
        &q,
        search::Options { max_lines: a.max_lines },
    );
    for h in &hits {
        if let Some(why) = &h.unreadable {
            eprintln!(
                "findings: warning: {}: text not searched: {}",
                inert(&repo.items[h.item].path, false),
                inert(why, false)
            );
        }
    }
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out.lock());
    let r = match a.format {
        SearchFormat::Json => write_json(&mut out, &repo.items, &hits, &q),
        SearchFormat::Text => write_text(
            &mut out,
            &repo.items,
            &hits,
            ctx.painter,
            terminal_width(ctx.stdout_tty),
        ),
    };
    match r.and_then(|_| out.flush()) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(e) => return Err(e.into()),
    }
    if hits.is_empty() {
        if a.format == SearchFormat::Text {
            let hint = if q.case_sensitive() && !a.case_sensitive && !a.ignore_case {
                " (case matched because TEXT holds a capital; -i ignores case)"
            } else {
                ""
            };
            eprintln!("findings: no document matches {:?}{hint}", inert(q.text(), false));
        }
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

const MATCH_CODE: &str = "1;31";

/// `s` made inert with `matches` painted; `None` for the whole of `s`.
fn highlighted(s: &str, matches: &[Match], p: Painter) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    let mut at = 0;
    for m in matches {
        let (start, end) = (m.start.max(at).min(s.len()), m.end.min(s.len()));
        if start >= end || !s.is_char_boundary(start) || !s.is_char_boundary(end) {
            continue;
        }
        out.push_str(&inert(&s[at..start], false));
        out.push_str(&p.paint(MATCH_CODE, &inert(&s[start..end], false)));
        at = end;
    }
    out.push_str(&inert(&s[at..], false));
    out
}

/// A line cut to `width` columns around its first match: the part before
/// the match is shortened first, with `…` where text was left out.
fn window(line: &LineHit, width: Option<usize>) -> (String, Vec<Match>) {
    let text = &line.text;
    let Some(width) = width.filter(|&w| inert(text, false).width() > w && w > 10) else {
        return (text.clone(), line.matches.clone());
    };
    let first = line.matches.first().map_or(0, |m| m.start);
    // Keep about a quarter of the width before the first match.
    let lead = width / 4;
    let mut start = first;
    let mut cols = 0;
    for (i, c) in text[..first].char_indices().rev() {
        cols += unicode_width::UnicodeWidthChar::width(c).unwrap_or(1);
        if cols > lead {
            break;
        }
        start = i;
    }
    let prefix = if start > 0 { "…" } else { "" };
    let budget = width.saturating_sub(prefix.width() + 1);
    let mut end = start;
    let mut cols = 0;
    for (i, c) in text[start..].char_indices() {
        let w = inert(&text[start + i..start + i + c.len_utf8()], false).width();
        if cols + w > budget {
            break;
        }
        cols += w;
        end = start + i + c.len_utf8();
    }
    let suffix = if end < text.len() { "…" } else { "" };
    let shown = format!("{prefix}{}{suffix}", &text[start..end]);
    let shift = prefix.len();
    let matches = line
        .matches
        .iter()
        .filter(|m| m.start >= start && m.start < end)
        .map(|m| Match {
            start: m.start - start + shift,
            end: m.end.min(end) - start + shift,
            word: m.word,
        })
        .collect();
    (shown, matches)
}

fn field(h: &Hit, f: search::Field) -> Option<&FieldHit> {
    h.fields.iter().find(|x| x.field == f)
}

fn write_text(
    out: &mut impl Write,
    items: &[Meta],
    hits: &[Hit],
    p: Painter,
    width: Option<usize>,
) -> std::io::Result<()> {
    let num_w = hits
        .iter()
        .flat_map(|h| h.lines.iter().map(|l| l.line.to_string().len()))
        .max()
        .unwrap_or(1);
    for (n, h) in hits.iter().enumerate() {
        let m = &items[h.item];
        if n > 0 {
            writeln!(out)?;
        }
        let id = match field(h, search::Field::Id) {
            Some(f) => highlighted(&m.id, &f.matches, p),
            None => inert(&m.id, false).into_owned(),
        };
        let title = match field(h, search::Field::Title) {
            Some(f) => highlighted(&m.title, &f.matches, p),
            None => inert(&m.title, false).into_owned(),
        };
        let status = inert(m.status_label(), false);
        let mut head = format!(
            "{}  {}  {}  {}",
            p.paint("1", &id),
            p.paint(Painter::status_code(m.status.unwrap_or("")), &status),
            p.paint(Painter::priority_code(m.priority), m.priority.unwrap_or("-")),
            title
        );
        let tags: Vec<String> = h
            .fields
            .iter()
            .filter(|f| f.field == search::Field::Tag)
            .map(|f| highlighted(&f.text, &f.matches, p))
            .collect();
        if !tags.is_empty() {
            head.push_str(&format!("  [{}]", tags.join(",")));
        }
        writeln!(out, "{head}")?;
        writeln!(out, "  {}", p.paint("2", &inert(&m.path, false)))?;
        let line_width = width.map(|w| w.saturating_sub(num_w + 4));
        for l in &h.lines {
            let (shown, matches) = window(l, line_width);
            writeln!(
                out,
                "  {}: {}",
                p.paint("32", &format!("{:>num_w$}", l.line)),
                highlighted(&shown, &matches, p)
            )?;
        }
        if h.more_lines > 0 {
            let s = if h.more_lines == 1 { "" } else { "s" };
            writeln!(out, "  {} more matching line{s}", h.more_lines)?;
        }
    }
    Ok(())
}

#[derive(serde::Serialize)]
struct SearchJson<'a> {
    schema: u32,
    query: &'a str,
    case_sensitive: bool,
    items: Vec<ItemJson<'a>>,
}

#[derive(serde::Serialize)]
struct ItemJson<'a> {
    id: &'a str,
    kind: &'a str,
    title: &'a str,
    status: Option<&'a str>,
    priority: Option<&'a str>,
    tags: &'a [String],
    path: &'a str,
    rank: search::Tier,
    matches: usize,
    fields: &'a [FieldHit],
    lines: &'a [LineHit],
    more_lines: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    unreadable: Option<&'a str>,
}

fn write_json(out: &mut impl Write, items: &[Meta], hits: &[Hit], q: &Query) -> std::io::Result<()> {
    let items = hits
        .iter()
        .map(|h| {
            let m = &items[h.item];
            ItemJson {
                id: &m.id,
                kind: m.kind.as_str(),
                title: &m.title,
                status: m.status,
                priority: m.priority,
                tags: &m.tags,
                path: &m.path,
                rank: h.tier,
                matches: h.count,
                fields: &h.fields,
                lines: &h.lines,
                more_lines: h.more_lines,
                unreadable: h.unreadable.as_deref(),
            }
        })
        .collect();
    let j = SearchJson {
        schema: 1,
        query: q.text(),
        case_sensitive: q.case_sensitive(),
        items,
    };
    writeln!(out, "{}", json_line(&j)?)
}
