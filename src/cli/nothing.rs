//! When a repository has no documents: say where findings looked, name the
//! folders that hold markdown files (with how many each), and give the one
//! command that points findings at them.
//!
//! The folders come from a bounded walk with the `ignore` crate that skips
//! what discovery skips ([`crate::store::SKIP_DIRS`], `.gitignore`d paths,
//! symbolic links), so a huge tree costs at most [`WALK_LIMIT`] entries.

use crate::document::text::inert;
use crate::store::{Discovery, Repo, SKIP_DIRS};
use std::collections::BTreeMap;
use std::path::Path;

/// Entries the walk for candidate folders looks at, at most.
pub(crate) const WALK_LIMIT: usize = 20_000;
/// Candidate folders named, at most.
const SHOWN: usize = 5;

/// A folder holding markdown files, relative to the root (`/`-separated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Candidate {
    pub(crate) folder: String,
    pub(crate) files: usize,
}

/// Folders under `root` holding `*.md` files, most files first (the root
/// itself left out: its README is no document folder), and whether the walk
/// stopped at [`WALK_LIMIT`].
pub(crate) fn candidate_folders(root: &Path) -> (Vec<Candidate>, bool) {
    let mut b = ignore::WalkBuilder::new(root);
    b.follow_links(false)
        .hidden(false)
        .parents(true)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(false)
        .ignore(true)
        .require_git(false)
        .filter_entry(|e| {
            !(e.depth() > 0
                && e.file_type().is_some_and(|t| t.is_dir())
                && e.file_name().to_str().is_some_and(|n| SKIP_DIRS.contains(&n)))
        });
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut seen = 0;
    let mut cut = false;
    for entry in b.build() {
        seen += 1;
        if seen > WALK_LIMIT {
            cut = true;
            break;
        }
        let Ok(e) = entry else { continue };
        if e.path_is_symlink() || !e.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let Some(name) = e.file_name().to_str() else { continue };
        if !(name.ends_with(".md") || name.ends_with(".MD")) {
            continue;
        }
        let rel = crate::store::relative(root, e.path());
        if let Some((dir, _)) = rel.rsplit_once('/') {
            *counts.entry(dir.to_string()).or_default() += 1;
        }
    }
    let mut v: Vec<Candidate> = counts
        .into_iter()
        .map(|(folder, files)| Candidate { folder, files })
        .collect();
    v.sort_by(|a, b| b.files.cmp(&a.files).then_with(|| a.folder.cmp(&b.folder)));
    (v, cut)
}

/// The command that points findings at `folders`, quoted for a shell when
/// a name needs it.
pub(crate) fn init_command(folders: &[&str]) -> String {
    let mut s = String::from("findings init --folders");
    for f in folders {
        let plain = f
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '_' | '-'));
        if plain {
            s.push_str(&format!(" {f}"));
        } else {
            s.push_str(&format!(" '{}'", f.replace('\'', r"'\''")));
        }
    }
    s
}

/// What to tell a user whose repository has no documents: lines for
/// stderr, the first saying nothing was found.
pub(crate) fn explain(repo: &Repo) -> Vec<String> {
    let root = repo.root.display().to_string();
    let mut out = vec![format!("no documents found in {root}")];
    match Discovery::of(&repo.config) {
        Discovery::Configured => {
            let folders = repo.config.folders();
            let named: Vec<String> = folders
                .iter()
                .map(|f| {
                    if repo.abs(f).is_dir() {
                        format!("{f}/")
                    } else {
                        format!("{f}/ (missing)")
                    }
                })
                .collect();
            out.push(format!(
                "  looked in the folders findings.toml names: {}",
                named.join(", ")
            ));
        }
        Discovery::Anywhere => out.push(format!(
            "  looked at every .md file under {root} (skipping {}, … and .gitignored paths) \
             for a todo, finding or ADR; none reads as one",
            SKIP_DIRS[..4].join(", ")
        )),
    }
    let (found, cut) = candidate_folders(&repo.root);
    let configured = repo.config.folders.clone().unwrap_or_default();
    let found: Vec<Candidate> = found
        .into_iter()
        .filter(|c| !configured.iter().any(|f| f.trim_end_matches('/') == c.folder))
        .collect();
    if found.is_empty() {
        out.push(format!(
            "  no {}folder under {root} holds .md files{}",
            if configured.is_empty() { "" } else { "other " },
            if cut {
                " (looked at the first 20000 entries)"
            } else {
                ""
            }
        ));
        out.push(
            "  hint: run findings in the repository that holds them (`findings -C DIR`), \
             or write the first one: findings new --title \"…\""
                .into(),
        );
        return out.iter().map(|l| inert(l, false).into_owned()).collect();
    }
    out.push("  folders with markdown files:".into());
    let width = found.iter().take(SHOWN).map(|c| c.folder.len()).max().unwrap_or(0) + 1;
    for c in found.iter().take(SHOWN) {
        out.push(format!(
            "    {:<width$}  {} .md file{}",
            format!("{}/", c.folder),
            c.files,
            if c.files == 1 { "" } else { "s" }
        ));
    }
    if found.len() > SHOWN {
        out.push(format!("    … and {} more folder(s)", found.len() - SHOWN));
    }
    out.push(format!(
        "  hint: to read every .md file under {}/ as a document: {}",
        found[0].folder,
        init_command(&[&found[0].folder])
    ));
    out.iter().map(|l| inert(l, false).into_owned()).collect()
}

/// [`explain`] as printed: `findings: ` before the first line.
pub(crate) fn render(repo: &Repo) -> String {
    let mut s = String::new();
    for (i, l) in explain(repo).iter().enumerate() {
        if i == 0 {
            s.push_str("findings: ");
        }
        s.push_str(l);
        s.push('\n');
    }
    s
}

/// Point findings at document folders: write `folders = [...]` at the top
/// of `findings.toml` (creating it), for `findings init`. With `folders`
/// empty and no documents found, offer the folders that hold markdown
/// files: asked on a terminal, taken with `yes`, otherwise only named.
/// Nothing is written when findings.toml already names folders (other ones
/// are refused), when a folder is missing or outside the root, or on a dry
/// run. Returns the lines to print.
pub(crate) fn init_folders(repo: &Repo, folders: &[String], yes: bool, dry_run: bool) -> anyhow::Result<Vec<String>> {
    use std::io::IsTerminal;
    let file = crate::store::config::FILE_NAME;
    // init refuses a folder that is no git repository; write nothing first.
    if !crate::git::is_repo(&repo.root) {
        return Ok(Vec::new());
    }
    let mut chosen: Vec<String> = Vec::new();
    for f in folders {
        let f = f.trim_end_matches('/').trim_start_matches("./").to_string();
        let rel = Path::new(&f);
        if f.is_empty() || rel.is_absolute() || rel.components().any(|c| matches!(c, std::path::Component::ParentDir)) {
            anyhow::bail!("--folders {f:?}: name a folder inside the repository, relative to its root");
        }
        crate::store::contain::check(&repo.root, rel).map_err(|e| anyhow::anyhow!("--folders {f:?}: {e}"))?;
        if !repo.abs(&f).is_dir() {
            anyhow::bail!(
                "--folders {f:?}: no such folder under {}; findings never creates an empty one",
                repo.root.display()
            );
        }
        if !chosen.contains(&f) {
            chosen.push(f);
        }
    }
    if let Some(have) = &repo.config.folders {
        if chosen.is_empty() || chosen.iter().all(|c| have.iter().any(|h| h.trim_end_matches('/') == c)) {
            return Ok(Vec::new());
        }
        anyhow::bail!(
            "{file} already names folders ({}); edit `folders` there to change them",
            have.join(", ")
        );
    }
    if chosen.is_empty() {
        if !repo.items.is_empty() {
            return Ok(Vec::new());
        }
        let (found, _) = candidate_folders(&repo.root);
        let Some(first) = found.first() else {
            return Ok(vec![format!(
                "no documents found, and no folder under {} holds .md files; nothing written to {file}",
                repo.root.display()
            )]);
        };
        let terminal = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
        if yes {
            chosen.push(first.folder.clone());
        } else if terminal && !dry_run {
            for c in found.iter().take(SHOWN) {
                eprint!(
                    "Read the {} .md file(s) under {}/ as documents? [y/N] ",
                    c.files,
                    inert(&c.folder, false)
                );
                let mut answer = String::new();
                std::io::stdin().read_line(&mut answer)?;
                if matches!(answer.trim(), "y" | "Y" | "yes" | "Yes") {
                    chosen.push(c.folder.clone());
                }
            }
            if chosen.is_empty() {
                return Ok(vec![format!("nothing written to {file}")]);
            }
        } else {
            return Ok(vec![format!(
                "no documents found; {}/ holds {} .md file(s): run `{}` (or `findings init --yes`) to read them as documents",
                inert(&first.folder, false),
                first.files,
                init_command(&[&first.folder])
            )]);
        }
    }
    let path = repo.abs(file);
    let old = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => anyhow::bail!("{file}: {e}"),
    };
    let new = with_folders(&old, &chosen);
    let text = String::from_utf8(new.clone()).map_err(|_| anyhow::anyhow!("{file} is not UTF-8 text"))?;
    crate::store::config::Config::parse(&path, &text)?;
    let line = format!(
        "folders = [{}]",
        chosen.iter().map(|f| toml_string(f)).collect::<Vec<_>>().join(", ")
    );
    if dry_run {
        return Ok(vec![format!("would write to {file}: {}", inert(&line, false))]);
    }
    crate::store::write::atomic_write(&path, &new).map_err(|e| anyhow::anyhow!("{file}: {e}"))?;
    Ok(vec![format!(
        "wrote to {file}: {} (not committed; commit it with `git add {file}`)",
        inert(&line, false)
    )])
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `old` (a findings.toml without `folders`) with `folders = [...]` as its
/// first line, after a byte-order mark, in the file's line ending: a key at
/// the top belongs to no table. Every byte of `old` is kept.
fn with_folders(old: &[u8], folders: &[String]) -> Vec<u8> {
    let bom: &[u8] = if old.starts_with(b"\xEF\xBB\xBF") {
        b"\xEF\xBB\xBF"
    } else {
        b""
    };
    let eol: &[u8] = if old.windows(2).any(|w| w == b"\r\n") {
        b"\r\n"
    } else {
        b"\n"
    };
    let line = format!(
        "folders = [{}]",
        folders.iter().map(|f| toml_string(f)).collect::<Vec<_>>().join(", ")
    );
    let mut out = Vec::with_capacity(old.len() + line.len() + 2);
    out.extend_from_slice(bom);
    out.extend_from_slice(line.as_bytes());
    out.extend_from_slice(eol);
    out.extend_from_slice(&old[bom.len()..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_go_first_and_every_byte_stays() {
        let f = vec!["notes".to_string(), "a\"b".to_string()];
        assert_eq!(with_folders(b"", &f), b"folders = [\"notes\", \"a\\\"b\"]\n");
        let old = b"\xEF\xBB\xBF# mine\r\n[tui]\r\ntheme = \"light\"";
        let new = with_folders(old, &f[..1]);
        assert_eq!(
            new,
            b"\xEF\xBB\xBFfolders = [\"notes\"]\r\n# mine\r\n[tui]\r\ntheme = \"light\""
        );
    }

    #[test]
    fn quotes_what_a_shell_would_split() {
        assert_eq!(init_command(&["docs/review"]), "findings init --folders docs/review");
        assert_eq!(
            init_command(&["my notes", "a'b"]),
            r"findings init --folders 'my notes' 'a'\''b'"
        );
    }

    #[test]
    fn counts_markdown_files_by_folder_skipping_what_discovery_skips() {
        let d = tempfile::tempdir().unwrap();
        let r = d.path();
        for p in [
            "notes/a.md",
            "notes/b.md",
            "docs/review/c.md",
            "README.md",
            "node_modules/x/d.md",
        ] {
            std::fs::create_dir_all(r.join(p).parent().unwrap()).unwrap();
            std::fs::write(r.join(p), "# x\n").unwrap();
        }
        std::fs::write(r.join("notes/c.txt"), "x").unwrap();
        let (v, cut) = candidate_folders(r);
        assert!(!cut);
        assert_eq!(
            v,
            [
                Candidate {
                    folder: "notes".into(),
                    files: 2
                },
                Candidate {
                    folder: "docs/review".into(),
                    files: 1
                }
            ]
        );
    }
}
