//! `findings list`: filter, search, sort; print a table, JSON or IDs.

use super::output::{fit, pad, terminal_width, Painter};
use super::{CmdResult, Ctx, ListArgs, ListFormat};
use crate::document::Meta;
use crate::query::{select, Filter};
use crate::store::Repo;
use std::io::Write;
use std::process::ExitCode;

impl super::FilterArgs {
    pub(crate) fn to_filter(&self) -> Filter {
        Filter {
            statuses: self.status.clone(),
            priorities: self.priority.clone(),
            tags: self.tag.clone(),
            kinds: self.kind.clone(),
        }
    }
}

/// Say in one stderr line how many files have problems (unreadable, not
/// loaded, or loaded with an error or warning), pointing at `findings
/// check`, which names each; a problem two files share (a duplicate ID) is
/// counted once per file and never printed twice.
pub(crate) fn warn_problems(repo: &Repo) {
    if let Some(line) = problems_line(&repo.problems()) {
        eprintln!("findings: warning: {line}");
    }
}

/// The summary [`warn_problems`] prints, if there is anything to say.
pub(crate) fn problems_line(problems: &[&crate::document::Problem]) -> Option<String> {
    let mut files: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    files.sort_unstable();
    files.dedup();
    match files.len() {
        0 => None,
        1 => Some(format!(
            "{} has problems; run `findings check` for details",
            crate::document::text::inert(files[0], false)
        )),
        n => Some(format!("{n} files have problems; run `findings check` for details")),
    }
}

pub(crate) fn run(ctx: &Ctx, a: &ListArgs) -> CmdResult {
    let repo = ctx.open()?;
    let tag_warnings = super::usage::check_filter(&repo, &a.filter).map_err(anyhow::Error::new)?;
    warn_problems(&repo);
    for w in tag_warnings {
        eprintln!("findings: warning: {}", crate::document::text::inert(&w, false));
    }
    let idx = select(
        &repo.items,
        &a.filter.to_filter(),
        a.filter.query.as_deref().unwrap_or(""),
        a.sort.into(),
    );
    if repo.items.is_empty() {
        eprint!("{}", super::nothing::render(&repo));
        if a.format == ListFormat::Table {
            return Ok(ExitCode::SUCCESS);
        }
    }
    let items: Vec<&Meta> = idx.iter().map(|&i| &repo.items[i]).collect();
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out.lock());
    let r = match a.format {
        ListFormat::Json => write_json(&mut out, &items),
        ListFormat::Ids => items
            .iter()
            .try_for_each(|m| writeln!(out, "{}", crate::document::text::inert(&m.id, false))),
        ListFormat::Table => write_table(&mut out, &items, ctx.painter, terminal_width(ctx.stdout_tty)),
    };
    match r.and_then(|_| out.flush()) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        // A closed pipe (`| head`) is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Serialize)]
struct ListJson<'a> {
    schema: u32,
    items: &'a [&'a Meta],
}

/// The list as one line of JSON, written as it is serialized (never held
/// whole in memory), C1 controls escaped as every JSON output escapes them.
/// The serializer's many small writes are gathered first, so the escaping
/// looks at large pieces.
fn write_json(out: &mut impl Write, items: &[&Meta]) -> std::io::Result<()> {
    let mut w = std::io::BufWriter::with_capacity(1 << 16, crate::document::text::EscapeC1::new(&mut *out));
    serde_json::to_writer(&mut w, &ListJson { schema: 1, items })?;
    w.into_inner().map_err(std::io::IntoInnerError::into_error)?.finish()?;
    writeln!(out)
}

/// Columns a title gets when the table does not go to a terminal.
const TITLE_WIDTH: usize = 60;

fn write_table(out: &mut impl Write, items: &[&Meta], p: Painter, width: Option<usize>) -> std::io::Result<()> {
    if items.is_empty() {
        return writeln!(out, "no documents match");
    }
    let col = |f: &dyn Fn(&Meta) -> usize, head: &str, cap: usize| -> usize {
        items.iter().map(|m| f(m)).max().unwrap_or(0).max(head.len()).min(cap)
    };
    use unicode_width::UnicodeWidthStr;
    let w_id = col(&|m| m.id.width(), "ID", 24);
    let w_pri = col(&|m| m.priority.unwrap_or("-").len(), "PRI", 4);
    let w_status = col(&|m| m.status_label().width(), "STATUS", 14);
    let w_kind = 7;
    let w_sev = col(&|m| m.severity.as_deref().unwrap_or("-").width(), "SEVERITY", 10);
    let fixed = w_id + w_pri + w_status + w_kind + w_sev + 5 * 2;
    let w_tags_want = col(&|m| m.tags.join(",").width(), "TAGS", 30);
    let (w_title, w_tags) = match width {
        Some(w) => {
            let rest = w.saturating_sub(fixed).max(10);
            if rest >= 40 + w_tags_want + 2 {
                (rest - w_tags_want - 2, w_tags_want)
            } else {
                (rest, 0)
            }
        }
        // Piped: the same columns every time, a long title cut at
        // TITLE_WIDTH like any other long cell.
        None => (TITLE_WIDTH, w_tags_want),
    };
    let head = format!(
        "{}  {}  {}  {}  {}  {}",
        pad("ID", w_id),
        pad("PRI", w_pri),
        pad("STATUS", w_status),
        pad("KIND", w_kind),
        pad("SEVERITY", w_sev),
        if w_tags > 0 {
            format!("{}  TAGS", pad("TITLE", w_title.min(TITLE_WIDTH)))
        } else {
            "TITLE".into()
        }
    );
    writeln!(out, "{}", p.paint("1", head.trim_end()))?;
    for m in items {
        let pri = m.priority.unwrap_or("-");
        let status = fit(m.status_label(), w_status);
        let mut title = fit(&m.title, w_title);
        if m.conflicted {
            title = fit(&format!("[CONFLICT] {}", m.title), w_title);
        }
        let mut line = format!(
            "{}  {}  {}  {}  {}  ",
            pad(&fit(&m.id, w_id), w_id),
            p.paint(Painter::priority_code(m.priority), &pad(pri, w_pri)),
            p.paint(Painter::status_code(m.status.unwrap_or("")), &pad(&status, w_status)),
            pad(m.kind.as_str(), w_kind),
            pad(&fit(m.severity.as_deref().unwrap_or("-"), w_sev), w_sev),
        );
        if w_tags > 0 {
            line.push_str(&pad(&fit(&title, w_title.min(TITLE_WIDTH)), w_title.min(TITLE_WIDTH)));
            line.push_str("  ");
            line.push_str(&p.paint("2", &fit(&m.tags.join(","), w_tags)));
        } else {
            line.push_str(&title);
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}
