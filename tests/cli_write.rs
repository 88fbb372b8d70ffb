//! The write commands end to end: `triage`, `status`, `log`, `new` and
//! `adr supersede` run as the real binary in temporary git repositories
//! holding a copy of the bundled findings/ and adr/, checked with the `git`
//! command line: what changed on disk (line by line and byte by byte), which
//! commit was made and what it holds, what stayed staged or unstaged, hooks,
//! identities, refusals, and the odd repository states (merge in progress,
//! no repository, a held index.lock, detached HEAD, unborn branch).

mod common;

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::fs;

const OLD_030: &str = "findings/030-pending-p1-race-condition-duplicate-assignment.md";
const NEW_030: &str = "findings/030-ready-p1-race-condition-duplicate-assignment.md";
const OLD_003: &str = "findings/003-pending-p1-race-condition-existence-checks.md";
const ADR_0105: &str = "adr/0105-prisma-race-condition-prevention.md";
const DATA_001: &str = "findings/DATA-001-open-P2-race-condition-objection-response.md";
const DATA_005: &str = "findings/DATA-005-resolved-P1-race-condition-call-outcome.md";

common::repo_type! {
    /// A temporary git repository (in `root/repo`) with its own empty home
    /// folder (`root/home`), so no user or system configuration leaks in.
    struct Sample;
}

impl Sample {
    /// An empty folder (no repository yet).
    fn bare() -> Sample {
        Sample(common::TempRepo::bare())
    }

    /// `git init` with an identity in the repository's config, the samples
    /// copied in, nothing committed.
    fn unborn() -> Sample {
        Sample(common::TempRepo::unborn_samples())
    }

    /// The sample repository, committed once.
    fn new() -> Sample {
        Sample(common::TempRepo::samples())
    }

    fn copy_samples(&self) {
        common::copy_samples(self.path());
    }

    fn commits(&self) -> usize {
        self.git(&["rev-list", "--count", "HEAD"]).trim().parse().unwrap()
    }

    fn head(&self) -> String {
        self.git(&["rev-parse", "HEAD"]).trim().to_string()
    }

    /// `findings` in the repository, with a clean environment.
    fn cmd(&self) -> Command {
        let mut std = self.findings_cmd();
        std.env("COLUMNS", "200");
        Command::from_std(std)
    }

    fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, &[])
    }

    fn run_with(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut c = self.cmd();
        c.args(args);
        for (k, v) in env {
            c.env(k, v);
        }
        let out = c.output().unwrap();
        Run {
            code: out.status.code(),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
        }
    }

    /// Run a command that must succeed.
    fn ok(&self, args: &[&str]) -> Run {
        let r = self.run(args);
        assert_eq!(r.code, Some(0), "findings {args:?}:\n{}{}", r.stdout, r.stderr);
        r
    }

    fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    fn bytes(&self, rel: &str) -> Vec<u8> {
        fs::read(self.path().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    fn write(&self, rel: &str, text: impl AsRef<[u8]>) {
        let p = self.path().join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    fn exists(&self, rel: &str) -> bool {
        self.path().join(rel).exists()
    }

    /// Every file under findings/ and adr/ with its bytes.
    fn snapshot(&self) -> BTreeMap<String, Vec<u8>> {
        let mut m = BTreeMap::new();
        for dir in ["findings", "adr"] {
            let Ok(rd) = fs::read_dir(self.path().join(dir)) else {
                continue;
            };
            for e in rd {
                let e = e.unwrap();
                m.insert(
                    format!("{dir}/{}", e.file_name().to_string_lossy()),
                    fs::read(e.path()).unwrap(),
                );
            }
        }
        m
    }

    /// The paths of the files under `dir` (repository-relative).
    fn files(&self, dir: &str) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(self.path().join(dir))
            .unwrap()
            .map(|e| format!("{dir}/{}", e.unwrap().file_name().to_string_lossy()))
            .collect();
        v.sort();
        v
    }

    /// `git show --name-status -M` of HEAD, one line per path.
    fn head_paths(&self) -> Vec<String> {
        self.git(&["show", "--name-status", "-M", "--format=", "HEAD"])
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect()
    }

    fn hook(&self, name: &str, script: &str) {
        let p = self.path().join(".git/hooks").join(name);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, script).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&p, fs::Permissions::from_mode(0o755)).unwrap();
        }
    }
}

#[derive(Debug)]
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("{e}: {}", self.stdout))
    }
}

/// The lines removed from `a` and the lines added in `b`, in order.
fn changed_lines(a: &str, b: &str) -> (Vec<String>, Vec<String>) {
    let d = similar::TextDiff::from_lines(a, b);
    let mut removed = Vec::new();
    let mut added = Vec::new();
    for c in d.iter_all_changes() {
        match c.tag() {
            similar::ChangeTag::Delete => removed.push(c.value().to_string()),
            similar::ChangeTag::Insert => added.push(c.value().to_string()),
            similar::ChangeTag::Equal => {}
        }
    }
    (removed, added)
}

/// The front matter's lines (between the `---` fences).
fn front_matter(text: &str) -> Vec<&str> {
    let mut lines = text.lines();
    assert_eq!(
        lines.next().map(|l| l.trim_start_matches('\u{feff}').trim_end()),
        Some("---")
    );
    lines.take_while(|l| l.trim_end() != "---").collect()
}

fn keys(text: &str) -> Vec<String> {
    front_matter(text)
        .iter()
        .filter_map(|l| l.split_once(':').map(|(k, _)| k.to_string()))
        .collect()
}

/// The rows of the Work Log table.
fn work_log_rows(text: &str) -> Vec<String> {
    let mut in_log = false;
    let mut rows = Vec::new();
    for l in text.lines() {
        if l.starts_with("## ") {
            in_log = l.trim_end() == "## Work Log";
            continue;
        }
        if in_log && l.starts_with('|') && !l.starts_with("| Date") && !l.starts_with("|---") {
            rows.push(l.trim_end().to_string());
        }
    }
    rows
}

/// Mask the date of work-log rows (`| 2026-01-26 |`), so results produced
/// on either side of midnight compare equal.
fn mask_dates(text: &str) -> String {
    let mut out = String::new();
    for piece in text.split_inclusive('\n') {
        let b = piece.as_bytes();
        let dated = b.len() > 14
            && b.starts_with(b"| ")
            && b[2..12].iter().enumerate().all(|(i, c)| match i {
                4 | 7 => *c == b'-',
                _ => c.is_ascii_digit(),
            });
        if dated {
            out.push_str("| DATE");
            out.push_str(&piece[12..]);
        } else {
            out.push_str(piece);
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Triage of 030

#[test]
fn triage_030_upsert_renames_edits_three_places_and_commits_only_that_rename() {
    let s = Sample::new();
    let before = s.read(OLD_030);
    let count = s.commits();
    // Unrelated work of the user: one file staged, one edit unstaged.
    s.write("notes.txt", "staged work\n");
    s.git(&["add", "notes.txt"]);
    let mut t003 = s.read(OLD_003);
    t003.push_str("\nan unstaged edit\n");
    s.write(OLD_003, &t003);

    let r = s.ok(&["triage", "030", "--action", "upsert"]);
    assert!(r.stdout.contains("030: pending → ready"), "{}", r.stdout);

    // Renamed, the old name gone.
    assert!(!s.exists(OLD_030));
    let after = s.read(NEW_030);

    // The front matter differs in exactly one line: the status.
    let (fa, fb) = (front_matter(&before), front_matter(&after));
    assert_eq!(fa.len(), fb.len());
    let diff: Vec<(&str, &str)> = fa
        .iter()
        .zip(&fb)
        .filter(|(a, b)| a != b)
        .map(|(a, b)| (*a, *b))
        .collect();
    assert_eq!(diff, [("status: pending", "status: ready")]);

    // The whole file: status, the Recommended Action placeholder, one new
    // work-log row; nothing else.
    let (removed, added) = changed_lines(&before, &after);
    assert_eq!(removed, ["status: pending\n", "[To be filled during triage]\n"]);
    assert_eq!(added.len(), 3, "{added:?}");
    assert_eq!(added[0], "status: ready\n");
    let action = &added[1];
    assert!(action.to_lowercase().contains("upsert"), "{action}");
    let link = "[ADR-0105](../adr/0105-prisma-race-condition-prevention.md)";
    assert!(action.contains(link), "{action}");
    // The relative link resolves from the file's new place.
    assert!(s
        .path()
        .join("findings")
        .join("../adr/0105-prisma-race-condition-prevention.md")
        .is_file());
    let old_rows = work_log_rows(&before);
    let new_rows = work_log_rows(&after);
    assert_eq!(new_rows.len(), old_rows.len() + 1);
    assert_eq!(new_rows[..old_rows.len()], old_rows[..]);
    assert_eq!(added[2].trim_end(), new_rows.last().unwrap());
    assert!(
        added[2].contains("| Triage: pending → ready (by Test User) |"),
        "{}",
        added[2]
    );
    // The section follows its heading where the placeholder was.
    let ra = after.find("## Recommended Action\n\n").unwrap();
    assert!(after[ra..].starts_with(&format!("## Recommended Action\n\n{action}")));

    // Exactly one commit, holding exactly the rename.
    assert_eq!(s.commits(), count + 1);
    let paths = s.head_paths();
    assert_eq!(paths.len(), 1, "{paths:?}");
    let cols: Vec<&str> = paths[0].split('\t').collect();
    assert!(cols[0].starts_with('R'), "{paths:?}");
    assert_eq!(cols[1..], [OLD_030, NEW_030]);
    // The committed file is the file on disk.
    assert_eq!(s.git(&["show", &format!("HEAD:{NEW_030}")]), after);

    // The user's work is where it was.
    assert_eq!(s.git(&["diff", "--cached", "--name-only"]).trim(), "notes.txt");
    assert_eq!(s.git(&["diff", "--name-only"]).trim(), OLD_003);
    assert_eq!(s.read(OLD_003), t003);
    assert!(s
        .git(&["ls-tree", "-r", "--name-only", "HEAD"])
        .lines()
        .all(|l| l != "notes.txt"));

    // Message and trailer; author from the repository's config.
    assert_eq!(
        s.git(&["log", "-1", "--format=%s"]).trim(),
        "findings(030): triage pending → ready"
    );
    assert_eq!(
        s.git(&["log", "-1", "--format=%(trailers:key=Finding-Id,valueonly)"])
            .trim(),
        "030"
    );
    assert_eq!(
        s.git(&["log", "-1", "--format=%an <%ae> / %cn <%ce>"]).trim(),
        "Test User <test@example.com> / Test User <test@example.com>"
    );
    // The repository still checks clean.
    s.ok(&["check"]);
}

#[test]
fn identity_from_the_environment_is_honoured() {
    let s = Sample::new();
    let r = s.run_with(
        &["triage", "030", "--action", "upsert"],
        &[
            ("GIT_AUTHOR_NAME", "Env Author"),
            ("GIT_COMMITTER_EMAIL", "env-committer@example.com"),
        ],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(
        s.git(&["log", "-1", "--format=%an <%ae> / %cn <%ce>"]).trim(),
        "Env Author <test@example.com> / Test User <env-committer@example.com>"
    );
}

#[test]
fn dry_run_writes_nothing_and_prints_the_diff_and_the_message() {
    let s = Sample::new();
    let files = s.snapshot();
    let head = s.head();
    let status = s.git(&["status", "--porcelain", "--untracked-files=all"]);

    let r = s.ok(&["triage", "030", "--action", "upsert", "--dry-run"]);
    assert_eq!(s.snapshot(), files);
    assert_eq!(s.head(), head);
    assert_eq!(s.git(&["status", "--porcelain", "--untracked-files=all"]), status);

    let out = &r.stdout;
    for needle in [
        format!("rename from {OLD_030}"),
        format!("rename to {NEW_030}"),
        format!("--- a/{OLD_030}"),
        format!("+++ b/{NEW_030}"),
        "\n-status: pending\n".into(),
        "\n+status: ready\n".into(),
        "\n-[To be filled during triage]\n".into(),
        "\n+Adopt [ADR-0105](../adr/0105-prisma-race-condition-prevention.md)".into(),
        "@@ ".into(),
        "findings(030): triage pending → ready".into(),
        "Finding-Id: 030".into(),
    ] {
        assert!(out.contains(&needle), "missing {needle:?} in\n{out}");
    }
    // The dry run's message is the one a real run commits.
    s.ok(&["triage", "030", "--action", "upsert"]);
    let msg = s.git(&["log", "-1", "--format=%B"]);
    let shown = out.split("--- commit message ---\n").nth(1).unwrap();
    assert_eq!(shown.trim(), msg.trim());

    // JSON dry run: no commit, the diff included.
    let s = Sample::new();
    let v = s.ok(&["triage", "030", "--dry-run", "-f", "json"]).json();
    assert_eq!(v["dry_run"], true);
    assert!(v["commit"].is_null());
    assert!(v["diff"].as_str().unwrap().contains("+status: ready"));
    assert_eq!(s.snapshot(), Sample::new().snapshot());
}

#[test]
fn json_output_has_schema_files_statuses_and_commit() {
    let s = Sample::new();
    let v = s
        .ok(&["triage", "030", "--action", "upsert", "--format", "json"])
        .json();
    assert_eq!(v["schema"], 1);
    assert_eq!(v["id"], "030");
    assert_eq!(v["kind"], "todo");
    assert_eq!(v["old_status"], "pending");
    assert_eq!(v["new_status"], "ready");
    assert_eq!(v["dry_run"], false);
    let files = v["files"].as_array().unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0]["path"], NEW_030);
    assert_eq!(files[0]["renamed_from"], OLD_030);
    assert_eq!(v["commit"].as_str().unwrap(), s.head());
    assert!(v["message"]
        .as_str()
        .unwrap()
        .starts_with("findings(030): triage pending → ready\n"));
    assert!(v["action"]["matched"].as_str().unwrap().starts_with("ADR-0105"));
    assert!(v["warnings"].as_array().unwrap().is_empty());
}

// ---------------------------------------------------------------------------
// Refusals and the workflow

/// A refused command: exit 1, the message on stderr, nothing written.
fn refused(s: &Sample, args: &[&str]) -> String {
    refused_with(s, args, 1)
}

/// Like [`refused`], with the exit status expected (2: a usage error).
fn refused_with(s: &Sample, args: &[&str], code: i32) -> String {
    let files = s.snapshot();
    let head = s.head();
    let r = s.run(args);
    assert_eq!(r.code, Some(code), "findings {args:?}:\n{}{}", r.stdout, r.stderr);
    assert!(r.stderr.starts_with("findings: error: "), "{}", r.stderr);
    assert_eq!(s.snapshot(), files, "findings {args:?} wrote");
    assert_eq!(s.head(), head);
    r.stderr
}

#[test]
fn transitions_the_workflow_does_not_allow_are_refused_with_the_allowed_ones() {
    let s = Sample::new();
    let e = refused(&s, &["status", "003", "complete"]);
    assert!(
        e.contains("pending → complete is not an allowed todo transition"),
        "{e}"
    );
    assert!(e.contains("allowed from pending: ready, wontfix"), "{e}");

    // A finding: resolved straight from open is not allowed either.
    let e = refused(&s, &["status", "DATA-001", "resolved"]);
    assert!(e.contains("open → resolved"), "{e}");
    assert!(e.contains("triaged") && e.contains("in_progress"), "{e}");

    // Already there.
    let e = refused(&s, &["status", "DATA-005", "resolved"]);
    assert!(e.contains("already resolved"), "{e}");

    // --force allows it.
    s.ok(&["status", "003", "complete", "--force"]);
    assert!(s.exists("findings/003-complete-p1-race-condition-existence-checks.md"));
}

#[test]
fn skipping_needs_a_reason() {
    let s = Sample::new();
    let e = refused(&s, &["status", "003", "wontfix"]);
    assert!(
        e.contains("003: moving to wontfix needs a reason (--reason TEXT)"),
        "{e}"
    );
    let e = refused(&s, &["status", "003", "wontfix", "--reason", "  "]);
    assert!(e.contains("needs a reason"), "{e}");
    let e = refused(&s, &["status", "DATA-001", "wont_fix"]);
    assert!(e.contains("needs a reason"), "{e}");
}

#[test]
fn unknown_statuses_are_refused() {
    let s = Sample::new();
    // A target no family workflow knows: the statuses are listed.
    let e = refused_with(&s, &["status", "003", "bogus"], 2);
    assert!(e.contains("003: unknown status \"bogus\"\n"), "{e}");
    assert!(
        e.contains("hint: 003 is a todo; a todo's statuses: pending, ready, complete, wontfix"),
        "{e}"
    );
    // A near miss is named.
    let e = refused_with(&s, &["status", "003", "redy"], 2);
    assert!(e.contains("unknown status \"redy\"; did you mean \"ready\"?"), "{e}");
    // A document whose current status is unknown: refused unless --force.
    let text = s.read(OLD_003).replacen("status: pending", "status: limbo", 1);
    s.write(OLD_003, &text);
    s.commit_all("limbo");
    let e = refused(&s, &["triage", "003"]);
    assert!(
        e.contains("\"limbo\" is not one the todo workflow knows; pass --force"),
        "{e}"
    );
    let r = s.ok(&["triage", "003", "--force"]);
    assert!(r.stdout.contains("003: limbo → ready"), "{}", r.stdout);
    let after = s.read("findings/003-ready-p1-race-condition-existence-checks.md");
    let (removed, added) = changed_lines(&text, &after);
    assert_eq!(removed, ["status: limbo\n"]);
    assert_eq!(added[0], "status: ready\n");
    assert_eq!(added.len(), 2, "{added:?}");
}

#[test]
fn a_skip_deletes_nothing_and_logs_the_reason() {
    let s = Sample::new();
    let before = s.read(OLD_003);
    let count = s.commits();
    s.ok(&["status", "003", "wontfix", "--reason", "covered by the 030 fix"]);
    let new = "findings/003-wontfix-p1-race-condition-existence-checks.md";
    assert!(!s.exists(OLD_003));
    let after = s.read(new);
    assert_eq!(s.files("findings").len(), 4);
    let row = work_log_rows(&after).pop().unwrap();
    assert!(row.contains("Status: pending → wontfix"), "{row}");
    assert!(row.contains("Reason: covered by the 030 fix."), "{row}");
    let (removed, added) = changed_lines(&before, &after);
    assert_eq!(removed, ["status: pending\n"]);
    assert_eq!(added.len(), 2, "{added:?}");
    assert_eq!(s.commits(), count + 1);
    let paths = s.head_paths();
    assert_eq!(paths.len(), 1);
    assert!(paths[0].starts_with('R') && paths[0].ends_with(new), "{paths:?}");
    assert!(s
        .git(&["log", "-1", "--format=%B"])
        .contains("Reason: covered by the 030 fix"));
}

// ---------------------------------------------------------------------------
// Findings: resolved timestamps and key order

#[test]
fn resolving_data_001_stamps_resolved_right_after_created() {
    let s = Sample::new();
    let before = s.read(DATA_001);
    s.ok(&["status", "DATA-001", "in_progress"]);
    let mid_path = "findings/DATA-001-in_progress-P2-race-condition-objection-response.md";
    let mid = s.read(mid_path);
    assert_eq!(keys(&mid), keys(&before));
    assert!(!mid.contains("\nresolved:"));
    s.ok(&["status", "DATA-001", "resolved"]);
    let path = "findings/DATA-001-resolved-P2-race-condition-objection-response.md";
    let after = s.read(path);
    assert!(!s.exists(mid_path) && !s.exists(DATA_001));

    let fm = front_matter(&after);
    let created = fm.iter().position(|l| l.starts_with("created:")).unwrap();
    let resolved = fm[created + 1];
    let stamp = resolved.strip_prefix("resolved: ").unwrap();
    assert!(chrono::DateTime::parse_from_rfc3339(stamp).is_ok(), "{resolved}");
    // Everything else in the front matter is as it was, in its order.
    let mut without: Vec<&str> = fm.clone();
    without.remove(created + 1);
    let old: Vec<&str> = front_matter(&before)
        .into_iter()
        .map(|l| if l == "status: open" { "status: resolved" } else { l })
        .collect();
    assert_eq!(without, old);
    s.ok(&["check"]);
}

#[test]
fn a_data_005_style_finding_keeps_its_key_order() {
    let s = Sample::new();
    // DATA-005 as it was before it was resolved: in progress, with its
    // `resolved:` key still empty and kept last.
    let text = s
        .read(DATA_005)
        .replacen("id: DATA-005", "id: DATA-007", 1)
        .replacen("status: resolved", "status: in_progress", 1)
        .replacen("resolved: 2026-01-11T00:00:00Z\n", "", 1)
        .replacen(
            "severity: dangerous\n",
            "severity: dangerous # keep me\nresolved: null\n",
            1,
        );
    let path = "findings/DATA-007-in_progress-P1-race-condition-call-outcome.md";
    s.write(path, &text);
    // And a copy of DATA-005 itself, resolved key right after created.
    let text8 = s.read(DATA_005).replacen("id: DATA-005", "id: DATA-008", 1).replacen(
        "status: resolved",
        "status: in_progress",
        1,
    );
    let path8 = "findings/DATA-008-in_progress-P1-race-condition-call-outcome.md";
    s.write(path8, &text8);
    s.commit_all("two in progress");

    for (id, path, text) in [("DATA-007", path, &text), ("DATA-008", path8, &text8)] {
        s.ok(&["status", id, "resolved"]);
        let new = path.replace("in_progress", "resolved");
        let after = s.read(&new);
        assert_eq!(keys(&after), keys(text), "{id}");
        let (removed, added) = changed_lines(text, &after);
        let old_resolved = if id == "DATA-007" {
            "resolved: null\n"
        } else {
            "resolved: 2026-01-11T00:00:00Z\n"
        };
        assert_eq!(removed, ["status: in_progress\n", old_resolved], "{id}");
        assert_eq!(added[0], "status: resolved\n");
        assert!(added[1].starts_with("resolved: 20"), "{added:?}");
        // DATA-005 keeps no Work Log, and no note asked for one: the
        // commit message records the change, the document gets no section.
        assert_eq!(added.len(), 2, "{id}: {added:?}");
        assert!(!after.contains("## Work Log"), "{id}");
        assert!(after.contains("severity: dangerous # keep me\n") || id == "DATA-008");
    }
    s.ok(&["check"]);
}

// ---------------------------------------------------------------------------
// ADRs

#[test]
fn new_adr_and_supersede_link_both_ways_in_one_commit() {
    let s = Sample::new();
    let r = s.ok(&["new", "-k", "adr", "--title", "Prisma upsert everywhere"]);
    let new = "adr/0106-prisma-upsert-everywhere.md";
    assert!(r.stdout.contains(new), "{}", r.stdout);
    assert!(s.exists(new));
    assert_eq!(s.head_paths(), [format!("A\t{new}")]);
    let new_before = s.read(new);
    assert!(
        new_before.starts_with("# ADR 0106: Prisma upsert everywhere\n"),
        "{new_before}"
    );

    let old_before = s.read(ADR_0105);
    let count = s.commits();
    s.ok(&["adr", "supersede", "105", "106"]);
    assert_eq!(s.commits(), count + 1);
    let mut paths = s.head_paths();
    paths.sort();
    assert_eq!(paths, [format!("M\t{ADR_0105}"), format!("M\t{new}")]);

    let old_after = s.read(ADR_0105);
    let new_after = s.read(new);
    let (removed, added) = changed_lines(&old_before, &old_after);
    assert_eq!(removed, ["**Status**: Accepted\n"]);
    assert_eq!(added[0], "**Status**: Superseded\n");
    assert!(
        added[1].contains("Superseded by") && added[1].contains("(0106-prisma-upsert-everywhere.md)"),
        "{added:?}"
    );
    // ADR 0105 keeps no work log: none is added, the commit records it.
    assert!(!old_after.contains("Work Log"), "{old_after}");
    let (removed, added) = changed_lines(&new_before, &new_after);
    assert!(removed.is_empty(), "{removed:?}");
    assert_eq!(added.len(), 1);
    assert!(
        added[0].contains("Supersedes") && added[0].contains("(0105-prisma-race-condition-prevention.md)"),
        "{added:?}"
    );
    let msg = s.git(&["log", "-1", "--format=%B"]);
    assert!(msg.starts_with("findings(ADR-0105): superseded by ADR-0106\n"), "{msg}");
    assert!(msg.contains("Finding-Id: ADR-0105\nFinding-Id: ADR-0106"), "{msg}");

    let v = s.ok(&["show", "105", "-f", "json"]).json();
    assert_eq!(v["status"], "superseded");
    s.ok(&["check"]);
}

// ---------------------------------------------------------------------------
// Work log and new documents

#[test]
fn log_appends_one_row_with_the_pipe_escaped() {
    let s = Sample::new();
    let before = s.read(OLD_030);
    let count = s.commits();
    s.ok(&["log", "030", "Checked the call sites", "--learnings", "a | b"]);
    let after = s.read(OLD_030);
    let (removed, added) = changed_lines(&before, &after);
    assert!(removed.is_empty(), "{removed:?}");
    assert_eq!(added.len(), 1);
    let row = added[0].trim_end();
    assert!(
        row.ends_with(" | Checked the call sites (by Test User) | a \\| b |"),
        "{row}"
    );
    assert_eq!(work_log_rows(&after).last().unwrap(), row);
    assert_eq!(s.commits(), count + 1);
    assert_eq!(s.head_paths(), [format!("M\t{OLD_030}")]);
    assert_eq!(
        s.git(&["log", "-1", "--format=%s"]).trim(),
        "findings(030): log Checked the call sites"
    );
}

#[test]
fn new_ids_follow_each_family() {
    let s = Sample::new();
    let id = |args: &[&str]| -> (String, String) {
        let mut a = vec!["new"];
        a.extend_from_slice(args);
        a.extend_from_slice(&["-f", "json"]);
        let v = s.ok(&a).json();
        (
            v["id"].as_str().unwrap().to_string(),
            v["files"][0]["path"].as_str().unwrap().to_string(),
        )
    };
    let (t1, p1) = id(&["--title", "Cache the session lookup", "-p", "p2", "-t", "perf"]);
    assert_eq!(t1, "031");
    assert!(p1.starts_with("findings/031-pending-p2-"), "{p1}");
    let (t2, p2) = id(&["--title", "Another todo"]);
    assert_eq!(t2, "032");
    assert_ne!(p1, p2);
    let (f1, fp1) = id(&[
        "-k",
        "finding",
        "--title",
        "Lost update",
        "--category",
        "data-integrity",
    ]);
    assert_eq!(f1, "DATA-006");
    assert!(fp1.starts_with("findings/DATA-006-open-"), "{fp1}");
    let (f2, _) = id(&[
        "-k",
        "finding",
        "--title",
        "Lost delete",
        "--category",
        "data-integrity",
    ]);
    assert_eq!(f2, "DATA-007");
    let (f3, _) = id(&["-k", "finding", "--title", "Token leak", "--prefix", "sec"]);
    assert_eq!(f3, "SEC-001");
    let (a1, ap1) = id(&["-k", "adr", "--title", "Use upsert"]);
    assert_eq!(a1, "ADR-0106");
    assert_eq!(ap1, "adr/0106-use-upsert.md");
    let (a2, _) = id(&["-k", "adr", "--title", "Use upsert again"]);
    assert_eq!(a2, "ADR-0107");

    // Every new document reads back with its ID and family; one commit each.
    let list = s.ok(&["list", "-f", "json"]).json();
    let ids: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    for want in ["031", "032", "DATA-006", "DATA-007", "SEC-001", "ADR-0106", "ADR-0107"] {
        assert!(ids.contains(&want), "{want} not in {ids:?}");
    }
    assert_eq!(s.commits(), 8);
    let todo = s.read(&p1);
    assert!(todo.contains("issue_id: \"031\""), "{todo}");
    s.ok(&["check"]);
}

// ---------------------------------------------------------------------------
// Hooks

#[test]
fn a_failing_pre_commit_keeps_the_edit_and_no_verify_commits_it() {
    let s = Sample::new();
    s.hook("pre-commit", "#!/bin/sh\necho 'lint says no' >&2\nexit 1\n");
    let count = s.commits();
    let r = s.run(&["log", "030", "First entry"]);
    assert_eq!(r.code, Some(1), "{}{}", r.stdout, r.stderr);
    let e = &r.stderr;
    assert!(e.contains("pre-commit hook failed"), "{e}");
    assert!(e.contains("lint says no"), "{e}");
    assert!(e.contains(&format!("{OLD_030} written")), "{e}");
    // Each cause is printed once.
    assert_eq!(e.matches("lint says no").count(), 1, "{e}");
    assert_eq!(s.commits(), count);
    assert!(s.read(OLD_030).contains("| First entry (by Test User) |"));
    assert!(!s.exists(".git/index.lock"));
    assert_eq!(s.git(&["status", "--porcelain"]).trim(), format!("M {OLD_030}"));

    s.ok(&["log", "030", "Second entry", "--no-verify"]);
    assert_eq!(s.commits(), count + 1);
    let committed = s.git(&["show", &format!("HEAD:{OLD_030}")]);
    assert!(committed.contains("| First entry (by Test User) |"));
    assert!(committed.contains("| Second entry (by Test User) |"));
    assert_eq!(s.git(&["status", "--porcelain"]), "");
}

#[test]
fn commit_msg_and_post_commit_hooks_run() {
    let s = Sample::new();
    let marker = s.root.path().join("post-commit-ran");
    s.hook(
        "commit-msg",
        "#!/bin/sh\nprintf '\\nReviewed-by: the commit-msg hook\\n' >> \"$1\"\n",
    );
    s.hook(
        "post-commit",
        &format!("#!/bin/sh\ngit rev-parse HEAD > '{}'\n", marker.display()),
    );
    s.ok(&["log", "030", "Hooked"]);
    let msg = s.git(&["log", "-1", "--format=%B"]);
    assert!(msg.contains("Reviewed-by: the commit-msg hook"), "{msg}");
    assert!(msg.contains("Finding-Id: 030"), "{msg}");
    assert_eq!(fs::read_to_string(&marker).unwrap().trim(), s.head());

    // --no-verify skips commit-msg (as git does); post-commit still runs.
    fs::remove_file(&marker).unwrap();
    s.ok(&["log", "030", "Unhooked", "--no-verify"]);
    assert!(!s.git(&["log", "-1", "--format=%B"]).contains("Reviewed-by"));
    assert_eq!(fs::read_to_string(&marker).unwrap().trim(), s.head());
}

// ---------------------------------------------------------------------------
// Repository states

#[test]
fn a_merge_in_progress_is_refused_and_nothing_changes() {
    let s = Sample::new();
    s.git(&["checkout", "-q", "-b", "side"]);
    s.write(ADR_0105, s.read(ADR_0105) + "side\n");
    s.git(&["commit", "-q", "-am", "side"]);
    s.git(&["checkout", "-q", "main"]);
    s.write(ADR_0105, s.read(ADR_0105) + "main\n");
    s.git(&["commit", "-q", "-am", "main"]);
    let m = s.git_output(&["merge", "side"]);
    assert!(!m.status.success(), "the merge must conflict");
    assert!(s.exists(".git/MERGE_HEAD"));

    for args in [
        &["triage", "030", "--action", "upsert"][..],
        &["log", "030", "During the merge"],
        &["status", "003", "wontfix", "--reason", "x"],
        &["new", "--title", "During the merge"],
        &["adr", "supersede", "105", "105"],
    ] {
        let e = refused(&s, args);
        assert!(e.contains("while a merge is in progress"), "{e}");
        assert!(!e.contains("a a merge"), "{e}");
    }
    assert!(s.exists(".git/MERGE_HEAD"));
    // A dry run still shows what would happen.
    s.ok(&["triage", "030", "--dry-run"]);
}

#[test]
fn outside_a_git_repository_the_file_is_written_and_nothing_committed() {
    let s = Sample::bare();
    if s.git_output(&["rev-parse", "--git-dir"]).status.success() {
        eprintln!("skipped: the temporary folder is inside a git repository");
        return;
    }
    s.copy_samples();
    let before = s.read(OLD_030);
    let r = s.ok(&["triage", "030", "--action", "upsert"]);
    assert!(r.stdout.contains("nothing was committed"), "{}", r.stdout);
    assert!(r.stdout.contains("not committed"), "{}", r.stdout);
    assert!(!s.exists(OLD_030));
    let after = s.read(NEW_030);
    let (removed, added) = changed_lines(&before, &after);
    assert_eq!(removed.len(), 2);
    assert_eq!(added.len(), 3);
    assert!(!s.exists(".git"));
    let v = s.ok(&["log", "030", "More", "-f", "json"]).json();
    assert!(v["commit"].is_null());
    assert!(v["warnings"][0].as_str().unwrap().contains("not a git repository"));
}

/// A write reads git's index for its commit on a thread of its own from its
/// first step. Whatever becomes of the write (committed, refused before it
/// opened anything, written without a commit, a dry run), no copy of the
/// index is left in `.git`, and the index is left as git would leave it.
#[test]
fn a_write_leaves_no_copy_of_the_index_whatever_becomes_of_it() {
    let s = Sample::new();
    let copies = || -> Vec<String> {
        fs::read_dir(s.path().join(".git"))
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("findings-") && n.contains("index"))
            .collect()
    };
    s.ok(&["log", "030", "Committed"]);
    assert_eq!(copies(), Vec::<String>::new());
    let r = s.run(&["log", "999", "No such document"]);
    assert_ne!(r.code, Some(0), "{}{}", r.stdout, r.stderr);
    assert_eq!(copies(), Vec::<String>::new());
    s.ok(&["log", "030", "Dry", "--dry-run"]);
    s.ok(&["log", "030", "Kept", "--no-commit"]);
    assert_eq!(copies(), Vec::<String>::new());
    assert_eq!(s.git(&["status", "--porcelain"]), format!(" M {OLD_030}\n"));
    s.ok(&["log", "030", "Committed again"]);
    assert_eq!(copies(), Vec::<String>::new());
    assert_eq!(s.git(&["status", "--porcelain"]), "");
}

#[test]
fn a_held_index_lock_is_reported_never_deleted_and_the_edit_kept() {
    let s = Sample::new();
    let lock = s.path().join(".git/index.lock");
    fs::write(&lock, "held by someone else").unwrap();
    let count = s.commits();
    let r = s.run(&["log", "030", "While locked"]);
    assert_eq!(r.code, Some(1), "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("index.lock"), "{}", r.stderr);
    assert!(r.stderr.contains(&format!("{OLD_030} written")), "{}", r.stderr);
    assert_eq!(fs::read_to_string(&lock).unwrap(), "held by someone else");
    assert!(s.read(OLD_030).contains("| While locked (by Test User) |"));
    assert_eq!(s.commits(), count);

    // Released: the next write commits both entries.
    fs::remove_file(&lock).unwrap();
    s.ok(&["log", "030", "After the lock"]);
    let committed = s.git(&["show", &format!("HEAD:{OLD_030}")]);
    assert!(committed.contains("While locked") && committed.contains("After the lock"));
}

#[test]
fn detached_head_commits_with_a_warning() {
    let s = Sample::new();
    let main = s.git(&["rev-parse", "main"]);
    s.git(&["checkout", "-q", "--detach"]);
    let r = s.ok(&["triage", "030", "--action", "upsert"]);
    assert!(r.stdout.contains("warning: HEAD is detached"), "{}", r.stdout);
    assert_eq!(s.git(&["rev-parse", "HEAD~1"]), main);
    assert_eq!(s.git(&["rev-parse", "main"]), main);
    assert!(!s.git_output(&["symbolic-ref", "-q", "HEAD"]).status.success());
    assert_eq!(s.head_paths().len(), 1);
}

#[test]
fn an_unborn_branch_gets_its_first_commit() {
    let s = Sample::unborn();
    assert!(!s.git_output(&["rev-parse", "--verify", "-q", "HEAD"]).status.success());
    s.ok(&["triage", "030", "--action", "upsert"]);
    assert_eq!(s.commits(), 1);
    // The first commit holds the one document that was written.
    assert_eq!(s.head_paths(), [format!("A\t{NEW_030}")]);
    assert_eq!(s.git(&["rev-parse", "--abbrev-ref", "HEAD"]).trim(), "main");
    // The other samples are still untracked, and present.
    let untracked = s.git(&["ls-files", "--others", "--exclude-standard"]);
    assert_eq!(untracked.lines().count(), 4, "{untracked}");
    assert!(!untracked.contains("030-"));
}

// ---------------------------------------------------------------------------
// Bytes

#[test]
fn crlf_bom_and_no_final_newline_survive_a_triage() {
    // The LF result is the reference.
    let lf = Sample::new();
    let original = lf.read(OLD_030);
    lf.ok(&["triage", "030", "--action", "upsert", "--note", "Checked twice"]);
    let reference = mask_dates(&lf.read(NEW_030));
    assert!(!original.contains('\r') && original.ends_with('\n'));

    type Transform = fn(&str) -> String;
    let variants: [(&str, Transform); 4] = [
        ("crlf", |t| t.replace('\n', "\r\n")),
        ("bom", |t| format!("\u{feff}{t}")),
        ("no final newline", |t| t.strip_suffix('\n').unwrap_or(t).to_string()),
        ("bom + crlf + no final newline", |t| {
            format!("\u{feff}{}", t.strip_suffix('\n').unwrap_or(t).replace('\n', "\r\n"))
        }),
    ];
    for (name, f) in variants {
        let s = Sample::new();
        s.write(OLD_030, f(&original));
        s.commit_all(name);
        s.ok(&["triage", "030", "--action", "upsert", "--note", "Checked twice"]);
        let got = s.bytes(NEW_030);
        let got = String::from_utf8(got).unwrap();
        assert_eq!(mask_dates(&got), f(&reference), "{name}");
        // The commit holds those exact bytes.
        assert_eq!(s.git(&["show", &format!("HEAD:{NEW_030}")]), got, "{name}");
        // And it still reads as the same document.
        let v = s.ok(&["show", "030", "-f", "json"]).json();
        assert_eq!(v["status"], "ready", "{name}");
    }
}

#[test]
fn an_id_kept_only_inside_a_file_makes_a_write_ambiguous_too() {
    let s = Sample::new();
    // A second document with issue_id 030 whose file name carries no ID.
    s.write(
        "findings/legacy-race.md",
        "---\nstatus: pending\npriority: p2\nissue_id: \"030\"\n---\n\n# Legacy copy\n",
    );
    s.commit_all("legacy");
    let shown = s.run(&["show", "030"]);
    assert_eq!(shown.code, Some(1));
    for args in [&["log", "030", "Which one?"][..], &["triage", "030"]] {
        let e = refused(&s, args);
        assert!(e.contains("ID \"030\" is ambiguous"), "{e}");
        assert!(e.contains(OLD_030) && e.contains("findings/legacy-race.md"), "{e}");
    }
    // The full path still names one.
    s.ok(&["log", OLD_030, "This one"]);
}

#[test]
fn triage_keeps_a_written_action_and_replace_keeps_it_below() {
    let s = Sample::new();
    let text = s.read(OLD_030).replace(
        "[To be filled during triage]",
        "Add the index first:\n\n```sql\nCREATE UNIQUE INDEX x;\n```",
    );
    s.write(OLD_030, &text);
    s.commit_all("a written action");
    // --replace needs --action.
    let r = s.run(&["triage", "030", "--replace"]);
    assert_ne!(r.code, Some(0), "{}", r.stdout);
    s.ok(&["triage", "030", "--action", "B", "--replace"]);
    let after = s.read(NEW_030);
    assert!(
        after.contains(
            "Adopt Option B: Wrap in Transaction with Serializable Isolation.\n\n### Previous recommended action (replaced "
        ),
        "{after}"
    );
    assert!(
        after.contains("Add the index first:\n\n```sql\nCREATE UNIQUE INDEX x;\n```\n"),
        "{after}"
    );
    let (removed, _) = changed_lines(&text, &after);
    assert!(removed.iter().all(|l| l.starts_with("status:")), "{removed:?}");
}
