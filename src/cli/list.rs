//! `findings list`: filter, search, sort; print a table, JSON or IDs.

use super::output::{fit, pad, terminal_width, Painter};
use super::{CmdResult, Ctx, ListArgs, ListFormat};
use crate::document::Meta;
use crate::query::{select, Filter};
use crate::store::Repo;
use std::io::Write;
use std::process::ExitCode;

impl super::FilterArgs {
    pub fn to_filter(&self) -> Filter {
        Filter {
            statuses: self.status.clone(),
            priorities: self.priority.clone(),
            tags: self.tag.clone(),
            kinds: self.kind.clone(),
        }
    }
}

/// Print load problems that hide or damage a document to stderr (list keeps
/// going); warnings are only counted.
pub fn warn_problems(repo: &Repo) {
    let mut warnings = 0;
    for p in repo.problems() {
        if p.is_error() {
            eprintln!("findings: warning: {p}");
        } else {
            warnings += 1;
        }
    }
    if warnings > 0 {
        eprintln!("findings: {warnings} more warning(s); run `findings check` for details");
    }
}

pub fn run(ctx: &Ctx, a: &ListArgs) -> CmdResult {
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

fn write_json(out: &mut impl Write, items: &[&Meta]) -> std::io::Result<()> {
    let json = super::output::json_line(&ListJson { schema: 1, items })?;
    writeln!(out, "{json}")
}

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
        None => (usize::MAX, w_tags_want),
    };
    let head = format!(
        "{}  {}  {}  {}  {}  {}",
        pad("ID", w_id),
        pad("PRI", w_pri),
        pad("STATUS", w_status),
        pad("KIND", w_kind),
        pad("SEVERITY", w_sev),
        if w_tags > 0 {
            format!("{}  TAGS", pad("TITLE", w_title.min(60)))
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
            line.push_str(&pad(&title, w_title.min(60)));
            line.push_str("  ");
            line.push_str(&p.paint("2", &fit(&m.tags.join(","), w_tags)));
        } else {
            line.push_str(&title);
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}
