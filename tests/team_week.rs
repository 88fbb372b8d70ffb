//! A simulated team week: a bare remote, three clones (two with `findings
//! init`, one without, merging with plain `git pull` and `git push` as well
//! as `sync`), simultaneous `new`, triage and log on the same documents,
//! conflicting statuses, a supersede, a renumber, hand edits in an editor,
//! rebase and merge-commit flows, `undo` after push. A ledger holds every
//! work-log entry written; at the end the remote's main must hold each
//! exactly as often as it was written (0 lost, 0 duplicated), never two
//! files with one ID, no conflict markers, and `check` must be green. Along
//! the way `check` is red whenever something is left unresolved.

mod team_support;

use std::collections::BTreeMap;
use std::path::Path;
use team_support::*;

struct Week {
    ledger: BTreeMap<String, usize>,
    syncs: usize,
    plain_git: usize,
    /// `sync` stopped for a person (markers to resolve).
    stops: usize,
    /// A plain `git pull` stopped; `findings sync --continue` finished it.
    git_stops: usize,
}

impl Week {
    fn log(&mut self, dir: &Path, id: &str, text: &str) {
        findings(dir, &["log", id, text]);
        *self.ledger.entry(text.to_string()).or_insert(0) += 1;
    }

    /// `findings sync` that must finish and push (or have nothing to push).
    fn sync(&mut self, dir: &Path, args: &[&str]) -> serde_json::Value {
        self.syncs += 1;
        let mut a = vec!["sync"];
        a.extend(args);
        let r = findings_json(dir, &a);
        assert!(r["conflicts"].as_array().unwrap().is_empty(), "{r}");
        r
    }

    /// `findings sync` expected to stop for a person.
    fn sync_stops(&mut self, dir: &Path, args: &[&str]) -> serde_json::Value {
        self.syncs += 1;
        self.stops += 1;
        let mut a = vec!["sync", "--format", "json"];
        a.extend(args);
        let out = findings_out(dir, &a);
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        serde_json::from_slice(&out.stdout).unwrap()
    }

    fn git(&mut self, dir: &Path, args: &[&str]) -> std::process::Output {
        self.plain_git += 1;
        git_out(dir, args)
    }
}

fn long(word: &str) -> String {
    (0..120)
        .map(|i| format!("{word} step {i} of the plan"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The file of document `id` in `findings/` (exactly one).
fn file_of(dir: &Path, folder: &str, id: &str) -> String {
    let f: Vec<String> = files(dir, folder)
        .into_iter()
        .filter(|p| p.starts_with(&format!("{folder}/{id}-")))
        .collect();
    assert_eq!(f.len(), 1, "{id}: {f:?}");
    f[0].clone()
}

fn check_is_red(dir: &Path) {
    let c = findings_out(dir, &["check"]);
    assert_eq!(c.status.code(), Some(1), "check must be red: {c:?}");
}

/// Resolve the one conflict hunk of `path` by keeping the line `keep`.
fn resolve(dir: &Path, path: &str, keep: &str) {
    let t = read(dir, path);
    let mut out = String::new();
    let mut inside = false;
    for l in t.lines() {
        if l.starts_with("<<<<<<<") {
            inside = true;
        } else if l.starts_with(">>>>>>>") {
            inside = false;
        } else if !inside || l == keep {
            out.push_str(l);
            out.push('\n');
        }
    }
    write(dir, path, &out);
}

#[test]
fn a_team_week_loses_and_duplicates_nothing() {
    let s = Sandbox::new();
    s.remote(true);
    let ana = s.clone("ana", "Ana", true);
    let ben = s.clone("ben", "Ben", true);
    let cy = s.clone("cy", "Cy", false);
    git(&cy, &["config", "pull.rebase", "false"]);
    let mut w = Week {
        ledger: BTreeMap::new(),
        syncs: 0,
        plain_git: 0,
        stops: 0,
        git_stops: 0,
    };

    // Monday: two `new` at once take the same number; logs on both, and a
    // plain-git clone logs elsewhere.
    let a = findings_json(&ana, &["new", "--title", "Login fails", "--priority", "p2"]);
    let b = findings_json(&ben, &["new", "--title", "Cache stale", "--priority", "p3"]);
    assert_eq!(a["id"], b["id"]);
    let x = a["id"].as_str().unwrap().to_string();
    w.log(&ana, &x, "mon ana on login");
    w.log(&ben, &x, "mon ben on cache");
    w.log(&cy, "030", "mon cy on 030");
    w.sync(&ana, &[]);
    let r = w.sync(&ben, &[]);
    let y = r["renumbered"][0]["to"].as_str().unwrap().to_string();
    assert!(w.git(&cy, &["pull", "-q", "--no-rebase", "--no-edit"]).status.success());
    assert!(w.git(&cy, &["push", "-q"]).status.success());

    // Tuesday: a triage git sees as delete + add, while two others log to
    // the old name (one with `sync --merge`, one with plain `git pull
    // --rebase` and then `sync --continue`).
    w.sync(&ana, &[]);
    w.sync(&ben, &[]);
    assert!(w.git(&cy, &["pull", "-q", "--no-edit"]).status.success());
    findings(
        &ana,
        &["triage", &x, "--action", &long("Session"), "--note", &long("Because")],
    );
    w.log(&ana, &x, "tue ana after triage");
    w.log(&ben, &x, "tue ben on login");
    w.log(&cy, &x, "tue cy on login");
    w.sync(&ana, &[]);
    w.sync(&ben, &["--merge"]);
    let pull = w.git(&cy, &["-c", "core.editor=true", "pull", "--rebase"]);
    if !pull.status.success() {
        check_is_red(&cy);
        w.git_stops += 1;
        w.sync(&cy, &["--continue"]);
    } else {
        w.sync(&cy, &[]);
    }

    // Wednesday: two different status changes of one document (renamed
    // both ways): one file, markers on the status only, check red until
    // resolved, then `sync --continue`.
    w.sync(&ana, &[]);
    w.sync(&ben, &[]);
    w.log(&ana, "030", "wed ana before closing");
    findings(&ana, &["status", "030", "ready", "--note", "Agreed in standup"]);
    findings(
        &ben,
        &["status", "030", "wontfix", "--reason", "Superseded by the new lock"],
    );
    w.sync(&ana, &[]);
    let r = w.sync_stops(&ben, &[]);
    let conflicted = r["conflicts"][0]["path"].as_str().unwrap().to_string();
    let t = read(&ben, &conflicted);
    let hunk = &t[t.find("<<<<<<<").unwrap()..t.find(">>>>>>>").unwrap()];
    assert_eq!(hunk.lines().count(), 4, "markers around the status only: {hunk}");
    assert_eq!(t.matches("<<<<<<<").count(), 1, "{t}");
    check_is_red(&ben);
    resolve(&ben, &conflicted, "status: ready");
    w.sync(&ben, &["--continue"]);
    assert_eq!(file_of(&ben, "findings", "030"), conflicted);

    // Wednesday evening: plain `git pull` with pull.rebase on, in a clone
    // with the driver, after both logged to one document.
    git(&ben, &["config", "pull.rebase", "true"]);
    w.log(&ana, &x, "wed ana evening");
    w.log(&ben, &x, "wed ben evening");
    w.sync(&ana, &[]);
    let pull = w.git(&ben, &["-c", "core.editor=true", "pull", "-q"]);
    if pull.status.success() {
        assert!(w.git(&ben, &["push", "-q"]).status.success());
    } else {
        w.git_stops += 1;
        check_is_red(&ben);
        w.sync(&ben, &["--continue"]);
    }

    // Thursday: hand edits in an editor stay out of findings' commits; an
    // ADR each at once, one superseding 0105 (renumbered by sync, its
    // "Superseded by" following).
    w.sync(&ana, &[]);
    let yf = file_of(&ben, "findings", &y);
    write(
        &ben,
        &yf,
        &read(&ben, &yf).replace(
            "## Problem Statement",
            "## Problem Statement\n\nBen's draft, not for sharing yet.",
        ),
    );
    w.log(&ben, &y, "thu ben with a draft open");
    findings(&ana, &["new", "--kind", "adr", "--title", "Ana's decision"]);
    findings(&ben, &["new", "--kind", "adr", "--title", "Ben's decision"]);
    findings(&ben, &["adr", "supersede", "ADR-0105", "ADR-0106"]);
    w.sync(&ana, &[]);
    let r = w.sync(&ben, &[]);
    assert_eq!(r["renumbered"][0]["to"], "ADR-0107", "{r}");
    // ADR 0105 keeps no work log, so the supersede wrote a link field; it
    // follows the renumber like the rest of findings' own text.
    let old = read(&ben, "adr/0105-prisma-race-condition-prevention.md");
    assert!(old.contains("(0107-") && !old.contains("0106"), "{old}");
    assert!(
        read(&ben, &yf).contains("Ben's draft"),
        "the hand edit stays in the file"
    );

    // Friday: `undo` of a pushed triage while someone logs to it; Cy merges
    // with plain git (a merge commit) and pushes.
    w.sync(&ana, &[]);
    w.sync(&ben, &[]);
    findings(
        &ana,
        &["triage", &y, "--action", &long("Cache"), "--note", &long("Since")],
    );
    w.sync(&ana, &[]);
    w.sync(&ben, &[]);
    findings(&ana, &["undo"]);
    w.log(&ben, &y, "fri ben on cache");
    w.log(&cy, "031", "fri cy via a merge commit");
    w.sync(&ana, &[]);
    w.sync(&ben, &[]);
    let pull = w.git(&cy, &["-c", "core.editor=true", "pull", "--no-rebase", "--no-edit"]);
    if !pull.status.success() {
        w.git_stops += 1;
        check_is_red(&cy);
        w.sync(&cy, &["--continue"]);
    } else {
        assert!(w.git(&cy, &["push", "-q"]).status.success());
    }

    // Weekend: everyone syncs; Ben's draft is still his alone.
    for dir in [&ana, &ben, &cy, &ana] {
        w.sync(dir, &[]);
    }
    let bens: String = files(&ben, "findings").iter().map(|f| read(&ben, f)).collect();
    assert_eq!(
        bens.matches("Ben's draft").count(),
        1,
        "the hand edit followed its document"
    );
    let fin = s.clone("final", "Auditor", false);
    assert!(git_out(&fin, &["grep", "-q", "Ben's draft"]).status.code() == Some(1));

    // The ledger: every entry exactly as often as it was written.
    let mut all = String::new();
    for folder in ["findings", "adr"] {
        for f in files(&fin, folder) {
            all.push_str(&read(&fin, &f));
        }
    }
    let (mut lost, mut duplicated) = (0, 0);
    for (text, n) in &w.ledger {
        let found = all
            .lines()
            .filter(|l| l.starts_with('|') && l.contains(text.as_str()))
            .count();
        lost += n.saturating_sub(found);
        duplicated += found.saturating_sub(*n);
    }
    let ids = ids(&fin);
    let mut dup_ids = ids.clone();
    dup_ids.dedup();
    let markers = all.lines().filter(|l| l.starts_with("<<<<<<<")).count();
    println!(
        "team week: {} syncs ({} stopped for a person), {} plain git runs ({} stopped, finished by \
         `sync --continue`), {} entries in the ledger: {lost} lost, {duplicated} duplicated, {} documents, \
         {} IDs on two files, {markers} conflict markers",
        w.syncs,
        w.stops,
        w.plain_git,
        w.git_stops,
        w.ledger.values().sum::<usize>(),
        ids.len(),
        ids.len() - dup_ids.len()
    );
    assert_eq!((lost, duplicated), (0, 0), "{all}");
    assert_eq!(ids.len(), dup_ids.len(), "two files with one ID: {ids:?}");
    assert_eq!(markers, 0);
    findings(&fin, &["check"]);
}
