//! Who makes a commit, read as git reads it.
//!
//! Names and emails come from `GIT_AUTHOR_*` / `GIT_COMMITTER_*`, then the
//! `author.*` / `committer.*` config keys, then `user.*` (and `EMAIL` for the
//! address); dates from `GIT_AUTHOR_DATE` / `GIT_COMMITTER_DATE`, else now.
//! libgit2's own `Repository::signature` reads no environment, hence this.
//! The environment is passed as a lookup function so tests need not mutate
//! the process environment.

use super::GitError;
use chrono::{DateTime, FixedOffset, Local, NaiveDateTime, TimeZone};
use git2::{Config, Repository, Signature, Time};
use std::path::Path;

/// A lookup of environment variables.
pub(crate) type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The real process environment.
pub(crate) fn process_env(key: &str) -> Option<String> {
    std::env::var(key).ok()
}

/// Remove what git removes from a name or email ("crud": angle brackets,
/// newlines, surrounding blanks); `None` when nothing is left.
fn clean(s: Option<String>) -> Option<String> {
    let s = s?;
    let s: String = s
        .chars()
        .filter(|c| !matches!(c, '<' | '>' | '\n' | '\r' | '\0'))
        .collect();
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

fn config_str(config: &Config, key: &str) -> Option<String> {
    clean(config.get_string(key).ok())
}

/// The user's name: `GIT_AUTHOR_NAME`, else `author.name`, else `user.name`
/// from the configuration of the repository holding `root` (or the global
/// configuration outside a repository).
pub fn user_name(root: &Path) -> Option<String> {
    user_name_with_env(root, &process_env)
}

/// [`user_name`] with an explicit environment lookup.
pub fn user_name_with_env(root: &Path, env: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    if let Some(name) = clean(env("GIT_AUTHOR_NAME")) {
        return Some(name);
    }
    name_in(super::open(root).ok().as_ref(), env)
}

/// [`user_name`] from a repository already open (`None`: outside one).
pub(crate) fn user_name_in(repo: Option<&Repository>) -> Option<String> {
    name_in(repo, &process_env)
}

fn name_in(repo: Option<&Repository>, env: Env) -> Option<String> {
    if let Some(name) = clean(env("GIT_AUTHOR_NAME")) {
        return Some(name);
    }
    let config = match repo {
        Some(repo) => repo.config().ok()?,
        None => Config::open_default().ok()?,
    };
    config_str(&config, "author.name").or_else(|| config_str(&config, "user.name"))
}

/// Author and committer of a new commit.
pub(crate) fn signatures(config: &Config, env: Env) -> Result<(Signature<'static>, Signature<'static>), GitError> {
    Ok((
        person(config, env, "author", "GIT_AUTHOR")?,
        person(config, env, "committer", "GIT_COMMITTER")?,
    ))
}

fn person(config: &Config, env: Env, role: &'static str, var: &str) -> Result<Signature<'static>, GitError> {
    let name = clean(env(&format!("{var}_NAME")))
        .or_else(|| config_str(config, &format!("{role}.name")))
        .or_else(|| config_str(config, "user.name"))
        .ok_or(GitError::Identity { role, missing: "name" })?;
    let email = clean(env(&format!("{var}_EMAIL")))
        .or_else(|| config_str(config, &format!("{role}.email")))
        .or_else(|| config_str(config, "user.email"))
        .or_else(|| clean(env("EMAIL")))
        .ok_or(GitError::Identity { role, missing: "email" })?;
    let date_var = format!("{var}_DATE");
    match env(&date_var).filter(|v| !v.trim().is_empty()) {
        Some(value) => {
            let time = parse_date(&value).ok_or(GitError::BadDate { var: date_var, value })?;
            Ok(Signature::new(&name, &email, &time)?)
        }
        None => Ok(Signature::now(&name, &email)?),
    }
}

/// Parse a date as given in `GIT_AUTHOR_DATE`: git's own `[@]<seconds>
/// [<+/-hhmm>]`, RFC 2822 (`Thu, 07 Apr 2005 22:13:13 +0200`) or ISO 8601
/// (`2005-04-07T22:13:13+02:00`, `2005-04-07 22:13:13 +0200`, or without a
/// zone for local time).
pub fn parse_date(s: &str) -> Option<Time> {
    let s = s.trim();
    if let Some(t) = parse_raw(s) {
        return Some(t);
    }
    let fixed = |d: DateTime<FixedOffset>| Time::new(d.timestamp(), d.offset().local_minus_utc() / 60);
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some(fixed(d));
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(fixed(d));
    }
    for f in [
        "%Y-%m-%d %H:%M:%S %z",
        "%Y-%m-%d %H:%M:%S%z",
        "%Y-%m-%dT%H:%M:%S %z",
        "%Y-%m-%dT%H:%M:%S%z",
    ] {
        if let Ok(d) = DateTime::parse_from_str(s, f) {
            return Some(fixed(d));
        }
    }
    for f in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"] {
        if let Ok(n) = NaiveDateTime::parse_from_str(s, f) {
            let d = Local.from_local_datetime(&n).earliest()?;
            return Some(Time::new(d.timestamp(), d.offset().local_minus_utc() / 60));
        }
    }
    None
}

/// `[@]<seconds> [<+/-hhmm>]`.
fn parse_raw(s: &str) -> Option<Time> {
    let mut parts = s.strip_prefix('@').unwrap_or(s).split_whitespace();
    let secs = parts.next()?;
    let zone = parts.next();
    if parts.next().is_some() || secs.is_empty() || !secs.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let secs: i64 = secs.parse().ok()?;
    let offset = match zone {
        None => 0,
        Some(z) => {
            let (sign, digits) = match z.as_bytes().first()? {
                b'+' => (1, z.get(1..)?),
                b'-' => (-1, z.get(1..)?),
                _ => return None,
            };
            if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let hours: i32 = digits.get(..2)?.parse().ok()?;
            let minutes: i32 = digits.get(2..)?.parse().ok()?;
            if minutes >= 60 {
                return None;
            }
            sign * (hours * 60 + minutes)
        }
    };
    Some(Time::new(secs, offset))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Option<(i64, i32)> {
        parse_date(s).map(|t| (t.seconds(), t.offset_minutes()))
    }

    #[test]
    fn dates_git_understands() {
        assert_eq!(t("@1112911993 +0200"), Some((1112911993, 120)));
        assert_eq!(t("1112911993 -0130"), Some((1112911993, -90)));
        assert_eq!(t("@1112911993"), Some((1112911993, 0)));
        assert_eq!(t("Thu, 07 Apr 2005 22:13:13 +0200"), Some((1112904793, 120)));
        assert_eq!(t("2005-04-07T22:13:13+02:00"), Some((1112904793, 120)));
        assert_eq!(t("2005-04-07T22:13:13Z"), Some((1112911993, 0)));
        assert_eq!(t("2005-04-07 22:13:13 +0200"), Some((1112904793, 120)));
        assert!(t("2005-04-07 22:13:13").is_some());
        assert_eq!(t("yesterday"), None);
        assert_eq!(t("12 +99x9"), None);
        assert_eq!(t(""), None);
    }

    fn config_with(text: &str) -> (tempfile::TempDir, Config) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        std::fs::write(&path, text).unwrap();
        let mut c = Config::new().unwrap();
        c.add_file(&path, git2::ConfigLevel::Local, false).unwrap();
        (dir, c)
    }

    #[test]
    fn environment_wins_over_config() {
        let (_d, c) = config_with("[user]\n\tname = Conf Name\n\temail = conf@example.com\n");
        let env = |k: &str| match k {
            "GIT_AUTHOR_NAME" => Some("Env <Author>".to_string()),
            "GIT_COMMITTER_EMAIL" => Some("env@example.com".to_string()),
            "GIT_AUTHOR_DATE" => Some("@1112911993 +0200".to_string()),
            _ => None,
        };
        let (a, m) = signatures(&c, &env).unwrap();
        assert_eq!(a.name(), Some("Env Author"));
        assert_eq!(a.email(), Some("conf@example.com"));
        assert_eq!(a.when().seconds(), 1112911993);
        assert_eq!(m.name(), Some("Conf Name"));
        assert_eq!(m.email(), Some("env@example.com"));
    }

    #[test]
    fn role_keys_and_email_variable() {
        let (_d, c) = config_with("[user]\n\tname = U\n[committer]\n\tname = C\n");
        let env = |k: &str| (k == "EMAIL").then(|| "mail@example.com".to_string());
        let (a, m) = signatures(&c, &env).unwrap();
        assert_eq!((a.name(), m.name()), (Some("U"), Some("C")));
        assert_eq!(a.email(), Some("mail@example.com"));
    }

    #[test]
    fn missing_identity_says_how_to_set_it() {
        let (_d, c) = config_with("[core]\n\tbare = false\n");
        let e = signatures(&c, &|_: &str| None).err().unwrap();
        assert!(matches!(
            e,
            GitError::Identity {
                role: "author",
                missing: "name"
            }
        ));
        assert!(e.to_string().contains("git config --global user.email"));
        let bad = |k: &str| match k {
            "GIT_AUTHOR_NAME" | "GIT_COMMITTER_NAME" => Some("N".to_string()),
            "EMAIL" => Some("e@x".to_string()),
            "GIT_COMMITTER_DATE" => Some("soon".to_string()),
            _ => None,
        };
        let e = signatures(&c, &bad).err().unwrap();
        assert!(matches!(e, GitError::BadDate { .. }), "{e}");
    }
}
