//! `findings show` and `findings check`.

use super::{CheckArgs, CheckFormat, CmdResult, Ctx, ShowArgs, ShowFormat};
use crate::document::text::inert;
use crate::document::{Document, Problem};
use crate::store::Repo;
use std::io::Write;
use std::process::ExitCode;

#[derive(serde::Serialize)]
struct SectionJson<'a> {
    level: usize,
    title: &'a str,
    content: &'a str,
}

#[derive(serde::Serialize)]
struct ShowJson<'a> {
    schema: u32,
    #[serde(flatten)]
    meta: &'a crate::document::Meta,
    sections: Vec<SectionJson<'a>>,
    /// The acceptance criteria, numbered as `findings tick` names them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    criteria: Vec<crate::document::criteria::Criterion>,
    body: &'a str,
}

fn print(s: &str) -> CmdResult {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(e.into()),
    }
}

pub(crate) fn show(ctx: &Ctx, a: &ShowArgs) -> CmdResult {
    let repo = ctx.open_for(&[&a.id])?;
    let meta = repo.resolve(&a.id)?;
    let doc: Document = repo.document(meta)?;
    // Repository-level problems (duplicates) live on the loaded meta.
    let mut m = doc.meta.clone();
    m.problems = meta.problems.clone();
    match a.format {
        ShowFormat::Markdown => {
            if ctx.stdout_tty {
                print(&inert(&doc.text, true))
            } else {
                print(&doc.text)
            }
        }
        ShowFormat::Json => {
            let j = ShowJson {
                schema: 1,
                meta: &m,
                sections: doc
                    .sections
                    .iter()
                    .map(|s| SectionJson {
                        level: s.level,
                        title: &s.title,
                        content: &doc.text[s.content.clone()],
                    })
                    .collect(),
                criteria: crate::document::criteria::criteria(&doc),
                body: doc.body(),
            };
            print(&(super::output::json_pretty(&j)? + "\n"))
        }
        ShowFormat::Text => {
            let p = ctx.painter;
            let mut s = String::new();
            s.push_str(&p.paint("1", &format!("{}  {}", inert(&m.id, false), inert(&m.title, false))));
            s.push('\n');
            let field =
                |k: &str, v: Option<&str>| v.map(|v| format!("{k:<10}{}\n", inert(v, false))).unwrap_or_default();
            s.push_str(&field("kind", Some(m.kind.as_str())));
            s.push_str(&field("status", m.status_raw.as_deref()));
            s.push_str(&field("priority", m.priority_raw.as_deref()));
            s.push_str(&field("severity", m.severity.as_deref()));
            if !m.tags.is_empty() {
                s.push_str(&field("tags", Some(&m.tags.join(", "))));
            }
            if !m.dependencies.is_empty() {
                s.push_str(&field("depends", Some(&m.dependencies.join(", "))));
            }
            s.push_str(&field("created", m.created.as_deref()));
            s.push_str(&field("path", Some(&m.path)));
            for pr in &m.problems {
                s.push_str(&format!("{pr}\n"));
            }
            s.push_str(&criteria_lines(&doc));
            s.push('\n');
            s.push_str(&inert(doc.body().trim_start_matches(['\n', '\r']), true));
            if !s.ends_with('\n') {
                s.push('\n');
            }
            print(&s)
        }
    }
}

/// The acceptance criteria, numbered as `findings tick` names them.
fn criteria_lines(doc: &Document) -> String {
    let list = crate::document::criteria::criteria(doc);
    if list.is_empty() {
        return String::new();
    }
    let done = list.iter().filter(|c| c.done).count();
    let mut s = format!("{:<10}{done} of {} done\n", "criteria", list.len());
    for c in &list {
        let mark = if c.done { "x" } else { " " };
        s.push_str(&format!("{:>4} [{mark}] {}\n", c.n, inert(&c.text, false)));
    }
    s
}

#[derive(serde::Serialize)]
struct CheckJson {
    schema: u32,
    documents: usize,
    errors: usize,
    warnings: usize,
    problems: Vec<Problem>,
    #[serde(skip_serializing_if = "Option::is_none")]
    skipped: Option<Vec<crate::store::Skipped>>,
}

/// The error `check` gives for a pending write journal: what was
/// interrupted, and what completes or discards it.
fn journal_problem(j: crate::ops::journal::Pending) -> Problem {
    let what = j
        .subject
        .as_deref()
        .map(|s| format!(" ({})", inert(s, false)))
        .unwrap_or_default();
    let files = if j.files.is_empty() {
        String::new()
    } else {
        let shown: Vec<String> = j.files.iter().take(5).map(|f| inert(f, false).into_owned()).collect();
        let more = j.files.len().saturating_sub(shown.len());
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        format!(" of {}{more}", shown.join(", "))
    };
    let message = match &j.stuck {
        None => format!(
            "an interrupted write{what}{files} is pending; the next findings write (any `findings log`, \
             `status`, `triage`, …) completes and commits it. To discard it instead, put the files \
             back as you want them and remove this file"
        ),
        Some(why) => format!(
            "an interrupted write{what}{files} is pending and cannot be completed: {}; put the files \
             right by hand (the journal lists each file's bytes before and after), then remove this file",
            inert(why, false)
        ),
    };
    Problem::error("pending-write", &j.path, 1, 1, message)
}

pub(crate) fn check(ctx: &Ctx, a: &CheckArgs) -> CmdResult {
    // Plain `check`: every document and the checks across them.
    // `--against REF`: what merging REF would break, found from what git
    // knows differs; no other document is read, so it costs what the
    // change costs, not what the repository does.
    let (repo, mut problems, documents, unmerged): (Repo, Vec<Problem>, usize, Vec<String>) = match &a.against {
        None => {
            let repo = ctx.open()?;
            let mut problems: Vec<Problem> = repo.problems().into_iter().cloned().collect();
            problems.extend(crate::locations::check(&repo));
            let n = repo.items.len();
            let unmerged = crate::ops::identity::unmerged_paths(&repo.root);
            (repo, problems, n, unmerged)
        }
        Some(r) => {
            let repo = Repo::config_only(&ctx.root)?;
            let found = crate::ops::ids::against(&repo, r, true).map_err(|e| anyhow::anyhow!("--against {r}: {e}"))?;
            let mut problems = found.problems;
            problems.extend(found.clashes.iter().map(|c| {
                Problem::error(
                    "duplicate-id",
                    &c.ours,
                    1,
                    1,
                    format!(
                        "ID {} is also used by {} on {}; merging it would duplicate the ID \
                         (renumber one: findings renumber {} NEW)",
                        c.id, c.theirs, c.refname, c.ours
                    ),
                )
            }));
            (repo, problems, found.documents, found.unmerged)
        }
    };
    // Conflicts git left in the index, with or without markers in the file.
    let unmerged: Vec<Problem> = unmerged
        .iter()
        .map(|p| {
            Problem::error(
                "unmerged",
                p,
                1,
                1,
                "git left this path conflicted (unmerged in the index); resolve it, then \
                 `findings sync --continue` (or `git add` it)",
            )
        })
        .collect();
    problems.extend(unmerged);
    // A write of several files that was interrupted (killed, power cut)
    // and that the next findings write will complete.
    let journal: Option<Problem> = crate::ops::journal::pending(&repo.root).map(journal_problem);
    problems.extend(journal);
    let skipped = a.verbose.then(|| repo.skipped());
    let errors = problems.iter().filter(|p| p.is_error()).count();
    let warnings = problems.len() - errors;
    // No documents at all is no clean bill of health: say where to look.
    let nothing = a.against.is_none() && documents == 0;
    if nothing {
        eprint!("{}", super::nothing::render(&repo));
    }
    let code = if errors > 0 || nothing {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    match a.format {
        CheckFormat::Json => {
            let j = CheckJson {
                schema: 1,
                documents,
                errors,
                warnings,
                problems,
                skipped,
            };
            print(&(super::output::json_pretty(&j)? + "\n"))?;
        }
        CheckFormat::Text => {
            let mut s = String::new();
            for k in skipped.iter().flatten() {
                s.push_str(&format!("{}: skipped: {}\n", inert(&k.path, false), k.reason));
            }
            let shown = once_per_clash(&problems);
            let errors = shown.iter().filter(|p| p.is_error()).count();
            let warnings = shown.len() - errors;
            for p in shown {
                let line = super::errors::plain(&p.to_string());
                let line = match p.severity {
                    crate::document::Severity::Error => ctx.painter.paint("31", &line),
                    crate::document::Severity::Warning => ctx.painter.paint("33", &line),
                };
                s.push_str(&line);
                s.push('\n');
            }
            let what = match &a.against {
                None => format!("{documents} document(s)"),
                Some(r) => format!("{documents} document(s) that differ from {}", inert(r, false)),
            };
            s.push_str(&format!("{what}: {errors} error(s), {warnings} warning(s)\n"));
            print(&s)?;
        }
    }
    Ok(code)
}

/// The problems to print, a duplicate ID said once: each file of a clash
/// carries a `duplicate-id` problem naming the others, so the problem of a
/// file already named by an earlier one's message (which this one names
/// back) is left out.
fn once_per_clash(problems: &[Problem]) -> Vec<&Problem> {
    let mut shown: Vec<&Problem> = Vec::new();
    for p in problems {
        let mirror = p.code == "duplicate-id"
            && shown
                .iter()
                .any(|q| q.code == "duplicate-id" && names(&q.message, &p.path) && names(&p.message, &q.path));
        if !mirror {
            shown.push(p);
        }
    }
    shown
}

/// Whether `message` names `path` as a whole (`a.md` is not named by
/// `ba.md`): the path with a separator or the end on either side.
fn names(message: &str, path: &str) -> bool {
    message.match_indices(path).any(|(i, _)| {
        let before = message[..i].chars().next_back();
        let after = message[i + path.len()..].chars().next();
        matches!(before, None | Some(' ' | ',')) && matches!(after, None | Some(',' | ' '))
    })
}

#[cfg(test)]
mod clash_tests {
    use super::*;

    #[test]
    fn a_duplicate_id_is_said_once() {
        let dup = |path: &str, other: &str| {
            Problem::error("duplicate-id", path, 1, 1, format!("ID 001 is also used by {other}"))
        };
        let ps = vec![
            dup("todos/a.md", "todos/b.md"),
            dup("todos/b.md", "todos/a.md"),
            dup("todos/ba.md", "todos/c.md"),
            dup("todos/c.md", "todos/ba.md"),
            Problem::warning("unknown-status", "todos/b.md", 2, 1, "x"),
        ];
        let shown: Vec<&str> = once_per_clash(&ps).iter().map(|p| p.path.as_str()).collect();
        assert_eq!(shown, ["todos/a.md", "todos/ba.md", "todos/b.md"]);
    }
}
