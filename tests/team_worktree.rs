//! `git::worktree::changed`, the working-tree half of `check --against` and
//! of sync's clash finding, answers what git answers: the tracked paths of
//! `git diff --name-only HEAD` plus `git diff --name-only --cached HEAD`,
//! and the untracked files of `git ls-files --others --exclude-standard`,
//! in every shape a working tree takes (edits of the same size made right
//! after the index was written, a touch without a change, deletions, mode
//! changes, staged and unstaged, ignored files and folders, new folders,
//! links).

mod team_support;

use findings::git::worktree::{changed, changed_by_git, Changed, Untracked};
use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use team_support::*;

fn md(p: &str) -> bool {
    p.ends_with(".md")
}

/// What `changed` says, with every `*.md` file kept and every folder but
/// `.git` entered.
fn ours(dir: &Path) -> Changed {
    let g = git2::Repository::open(dir).unwrap();
    let index = g.index().unwrap();
    let head = g.head().ok().and_then(|h| h.peel_to_tree().ok());
    let enter = |d: &str| !d.split('/').any(|c| c == ".git");
    let starts = vec![String::new()];
    let u = Untracked {
        starts: &starts,
        enter: &enter,
    };
    changed(&g, &index, head.as_ref(), &md, Some(u)).unwrap()
}

/// `changed` with untracked files looked for below `starts` only.
fn ours_below(dir: &Path, starts: &[&str]) -> Changed {
    let g = git2::Repository::open(dir).unwrap();
    let index = g.index().unwrap();
    let head = g.head().ok().and_then(|h| h.peel_to_tree().ok());
    let enter = |d: &str| !d.split('/').any(|c| c == ".git");
    let starts: Vec<String> = starts.iter().map(|s| s.to_string()).collect();
    let u = Untracked {
        starts: &starts,
        enter: &enter,
    };
    changed(&g, &index, head.as_ref(), &md, Some(u)).unwrap()
}

/// What git says, restricted to `*.md` files (links left out: loading
/// never reads one).
fn theirs(dir: &Path) -> (BTreeSet<String>, Vec<String>) {
    let lines = |s: String| -> Vec<String> { s.lines().filter(|l| md(l)).map(str::to_string).collect() };
    let mut tracked: BTreeSet<String> = lines(git(dir, &["diff", "--name-only", "--no-renames", "HEAD"]))
        .into_iter()
        .collect();
    tracked.extend(lines(git(
        dir,
        &["diff", "--name-only", "--no-renames", "--cached", "HEAD"],
    )));
    let mut untracked: Vec<String> = lines(git(dir, &["ls-files", "--others", "--exclude-standard"]))
        .into_iter()
        .filter(|p| !dir.join(p).is_symlink())
        .collect();
    untracked.sort();
    (tracked, untracked)
}

fn same_as_git(dir: &Path, what: &str) {
    let (tracked, untracked) = theirs(dir);
    let got = ours(dir);
    assert_eq!(got.paths, tracked, "{what}: tracked paths");
    assert_eq!(got.untracked, untracked, "{what}: untracked files");
    // The answer asked of the system git (what `check --against` uses when
    // git runs) agrees: the working tree against HEAD, and the same
    // untracked files (a link is listed there, and skipped by the caller).
    let by_git = changed_by_git(dir, &[String::new()], &md).expect("git answers");
    let worktree: BTreeSet<String> = git(dir, &["diff", "--name-only", "--no-renames", "HEAD"])
        .lines()
        .filter(|l| md(l))
        .map(str::to_string)
        .collect();
    assert_eq!(by_git.paths, worktree, "{what}: tracked paths, by git");
    assert!(by_git.paths.is_subset(&got.paths), "{what}: by git, a subset");
    let files: Vec<String> = by_git
        .untracked
        .into_iter()
        .filter(|p| !dir.join(p).is_symlink())
        .collect();
    assert_eq!(files, untracked, "{what}: untracked files, by git");
}

/// A repository with documents in two folders and the index freshly
/// written (`git status` refreshes it), so every entry's stat data match.
fn fresh() -> (Sandbox, std::path::PathBuf) {
    let s = Sandbox::new();
    let r = s.repo("r", "Ana");
    for i in 0..40 {
        write(
            &r,
            &format!("notes/{i:03}-pending-p2-note.md"),
            &format!("---\nstatus: pending\n---\n\n# Note {i}\n"),
        );
    }
    write(&r, "build/kept.md", "# tracked inside an ignored folder\n");
    git(&r, &["add", "-A"]);
    write(&r, ".gitignore", "build/\n*.draft.md\nscratch/\n");
    git(&r, &["add", ".gitignore"]);
    git(&r, &["commit", "-q", "-m", "notes"]);
    git(&r, &["status", "--porcelain"]);
    (s, r)
}

#[test]
fn a_clean_tree_differs_nowhere() {
    let (_s, r) = fresh();
    let got = ours(&r);
    assert!(got.paths.is_empty(), "{:?}", got.paths);
    assert!(got.untracked.is_empty(), "{:?}", got.untracked);
    same_as_git(&r, "clean");
}

#[test]
fn every_shape_of_a_working_tree_matches_git() {
    let (_s, r) = fresh();
    let note = |i: usize| format!("notes/{i:03}-pending-p2-note.md");
    // Same size, written right after the index: only the stat data tell.
    let t = read(&r, &note(1)).replace("Note 1", "Nate 1");
    write(&r, &note(1), &t);
    // Another size.
    write(&r, &note(2), "---\nstatus: ready\n---\n\n# Note 2, longer now\n");
    // Touched, content unchanged: git lists nothing.
    let t = read(&r, &note(3));
    write(&r, &note(3), &t);
    // Gone.
    fs::remove_file(r.join(note(4))).unwrap();
    // Executable now.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(r.join(note(5)), fs::Permissions::from_mode(0o755)).unwrap();
    }
    // Staged, then put back in the working tree: HEAD and the index differ.
    let t = read(&r, &note(6));
    write(&r, &note(6), "staged\n");
    git(&r, &["add", &note(6)]);
    write(&r, &note(6), &t);
    write(&r, &note(7), "staged and kept\n");
    git(&r, &["add", &note(7)]);
    // Staged removal.
    git(&r, &["rm", "-q", "--cached", &note(8)]);
    // Untracked: in a tracked folder, in a new folder, deeper, ignored by
    // pattern, in an ignored folder, in an ignored folder with tracked
    // files, a link.
    write(&r, "notes/050-pending-p1-new.md", "# new\n");
    write(&r, "fresh/deeper/051-pending-p1-new.md", "# new\n");
    write(&r, "notes/idea.draft.md", "# ignored\n");
    write(&r, "scratch/052-pending-p1-x.md", "# ignored\n");
    write(&r, "build/053-pending-p1-x.md", "# ignored\n");
    write(&r, "notes/readme.txt", "not a document\n");
    #[cfg(unix)]
    std::os::unix::fs::symlink("000-pending-p2-note.md", r.join("notes/link.md")).unwrap();

    same_as_git(&r, "every shape");
    let got = ours(&r);
    for i in [1, 2, 4, 7, 8] {
        assert!(got.paths.contains(&note(i)), "{i}: {:?}", got.paths);
    }
    assert!(!got.paths.contains(&note(3)), "{:?}", got.paths);
    assert!(
        got.paths.contains(&note(6)),
        "staged differs from HEAD: {:?}",
        got.paths
    );
    assert_eq!(
        got.untracked,
        vec![
            "fresh/deeper/051-pending-p1-new.md".to_string(),
            note(8),
            "notes/050-pending-p1-new.md".to_string(),
        ]
    );
}

#[test]
fn an_index_with_stale_stat_data_is_judged_by_content() {
    let (_s, r) = fresh();
    // Every file rewritten with the same bytes (new mtimes, new inodes):
    // no stat data match, nothing differs.
    for i in 0..40 {
        let p = format!("notes/{i:03}-pending-p2-note.md");
        let t = read(&r, &p);
        fs::remove_file(r.join(&p)).unwrap();
        write(&r, &p, &t);
    }
    let got = ours(&r);
    assert!(got.paths.is_empty(), "{:?}", got.paths);
    // One of them really changed.
    write(
        &r,
        "notes/010-pending-p2-note.md",
        "---\nstatus: pending\n---\n\n# Note X\n",
    );
    same_as_git(&r, "stale stat data");
    assert_eq!(
        ours(&r).paths.into_iter().collect::<Vec<_>>(),
        vec!["notes/010-pending-p2-note.md"]
    );
}

#[test]
fn a_big_index_is_looked_at_in_parallel_with_the_same_answer() {
    let s = Sandbox::new();
    let r = s.repo("r", "Ana");
    for i in 0..2_500 {
        write(&r, &format!("many/{:02}/{i:05}-x.md", i % 7), &format!("# {i}\n"));
    }
    git(&r, &["add", "-A"]);
    git(&r, &["commit", "-q", "-m", "many"]);
    git(&r, &["status", "--porcelain"]);
    write(&r, "many/03/00003-x.md", "# 3!\n");
    write(&r, "many/05/02497-x.md", "# changed\n");
    fs::remove_file(r.join("many/00/00000-x.md")).unwrap();
    write(&r, "many/02/new.md", "# new\n");
    same_as_git(&r, "2,500 files");
    let got = ours(&r);
    assert_eq!(got.paths.len(), 3, "{:?}", got.paths);
    assert_eq!(got.untracked, vec!["many/02/new.md".to_string()]);
}

#[cfg(unix)]
#[test]
fn a_start_folder_reached_through_a_link_is_not_walked() {
    let (s, r) = fresh();
    let outside = s.path("outside");
    fs::create_dir_all(outside.join("deep")).unwrap();
    fs::write(outside.join("deep/060-pending-p1-x.md"), "# outside\n").unwrap();
    std::os::unix::fs::symlink(&outside, r.join("linked")).unwrap();
    write(&r, "notes/061-pending-p1-new.md", "# new\n");
    let got = ours_below(&r, &["linked", "linked/deep", "notes", "../outside"]);
    assert_eq!(got.untracked, vec!["notes/061-pending-p1-new.md".to_string()]);
}
