//! Commit signing, as `git commit` signs when `commit.gpgsign` is true.
//!
//! The configuration is read as git reads it: `gpg.format` (`openpgp`, the
//! default, or `ssh`; `x509` is refused with a sentence), the signer program
//! (`gpg.openpgp.program` or `gpg.program`, default `gpg`; `gpg.ssh.program`,
//! default `ssh-keygen`) and `user.signingkey` (for openpgp the committer's
//! `Name <email>` when unset). The signer runs as git runs it:
//!
//! - openpgp: `gpg --status-fd=2 -bsau KEY`, the commit on standard input,
//!   the armoured signature on standard output, and success only when the
//!   status lines say `SIG_CREATED`;
//! - ssh: `ssh-keygen -Y sign -n git -f KEYFILE [-U] FILE`, the signature
//!   read from `FILE.sig`; a literal key (`key::…` or `ssh-…`) is written to
//!   a temporary file and signed through the agent (`-U`).
//!
//! Any failure refuses the commit with the signer's own message: never an
//! unsigned commit where git would sign.

use super::GitError;
use crate::document::text::inert;
use git2::{Config, ErrorCode, Signature};
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// How a commit is signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Signer {
    OpenPgp { program: String, key: String },
    Ssh { program: String, key: SshKey },
}

/// `user.signingkey` for ssh: a key file, or a literal public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SshKey {
    File(PathBuf),
    Literal(String),
}

fn refuse(message: impl Into<String>) -> GitError {
    GitError::Sign {
        program: "git config".into(),
        message: message.into(),
    }
}

/// A string setting; `None` when unset, an error when unreadable.
fn setting(config: &Config, key: &str) -> Result<Option<String>, GitError> {
    match config.get_string(key) {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.code() == ErrorCode::NotFound => Ok(None),
        Err(e) => Err(refuse(format!("{key}: {}", e.message()))),
    }
}

/// The signer git would use for a commit by `committer`; `None` when git
/// would not sign.
pub(crate) fn signer(config: &Config, committer: &Signature) -> Result<Option<Signer>, GitError> {
    let sign = match config.get_bool("commit.gpgsign") {
        Ok(b) => b,
        Err(e) if e.code() == ErrorCode::NotFound => false,
        Err(e) => return Err(refuse(format!("commit.gpgsign: {}", e.message()))),
    };
    if !sign {
        return Ok(None);
    }
    let format = setting(config, "gpg.format")?.unwrap_or_else(|| "openpgp".into());
    let key = setting(config, "user.signingkey")?.filter(|k| !k.trim().is_empty());
    match format.as_str() {
        "openpgp" => {
            let program = match setting(config, "gpg.openpgp.program")? {
                Some(p) => p,
                None => setting(config, "gpg.program")?.unwrap_or_else(|| "gpg".into()),
            };
            let key = key.unwrap_or_else(|| {
                format!(
                    "{} <{}>",
                    String::from_utf8_lossy(committer.name_bytes()),
                    String::from_utf8_lossy(committer.email_bytes())
                )
            });
            Ok(Some(Signer::OpenPgp { program, key }))
        }
        "ssh" => {
            let program = setting(config, "gpg.ssh.program")?.unwrap_or_else(|| "ssh-keygen".into());
            let Some(key) = key else {
                return Err(refuse(
                    "commit.gpgsign is true and gpg.format is ssh, but user.signingkey is not set \
                     (findings does not run gpg.ssh.defaultKeyCommand); set it to your key file",
                ));
            };
            let key = if let Some(lit) = key.strip_prefix("key::") {
                SshKey::Literal(lit.to_string())
            } else if key.starts_with("ssh-") {
                SshKey::Literal(key)
            } else if let Some(rest) = key.strip_prefix("~/") {
                SshKey::File(dirs::home_dir().unwrap_or_default().join(rest))
            } else {
                SshKey::File(PathBuf::from(key))
            };
            Ok(Some(Signer::Ssh { program, key }))
        }
        "x509" => Err(refuse(
            "commit.gpgsign is true with gpg.format x509, which findings cannot sign with; \
             commit with git, or set gpg.format to openpgp or ssh",
        )),
        other => Err(refuse(format!(
            "gpg.format {other:?} is not one git knows (openpgp, ssh, x509)"
        ))),
    }
}

impl Signer {
    fn program(&self) -> &str {
        match self {
            Signer::OpenPgp { program, .. } | Signer::Ssh { program, .. } => program,
        }
    }

    fn failed(&self, message: impl Into<String>) -> GitError {
        GitError::Sign {
            program: self.program().to_string(),
            message: shown(&message.into()),
        }
    }

    /// Sign the commit `buffer`; the signature to store in its `gpgsig` header.
    pub(crate) fn sign(&self, buffer: &str) -> Result<String, GitError> {
        match self {
            Signer::OpenPgp { program, key } => self.openpgp(program, key, buffer),
            Signer::Ssh { program, key } => self.ssh(program, key, buffer),
        }
    }

    fn openpgp(&self, program: &str, key: &str, buffer: &str) -> Result<String, GitError> {
        let mut child = Command::new(program)
            .args(["--status-fd=2", "-bsau", key])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| self.failed(format!("cannot run it: {e}")))?;
        // Fed from a thread, so a signer that writes before it has read
        // everything never deadlocks against us.
        let feeder = child.stdin.take().map(|mut stdin| {
            let bytes = buffer.as_bytes().to_vec();
            std::thread::spawn(move || {
                let _ = stdin.write_all(&bytes);
            })
        });
        let out = child
            .wait_with_output()
            .map_err(|e| self.failed(format!("it did not finish: {e}")))?;
        if let Some(f) = feeder {
            let _ = f.join();
        }
        let status = String::from_utf8_lossy(&out.stderr);
        let created = status.lines().any(|l| l.starts_with("[GNUPG:] SIG_CREATED "));
        let signature = String::from_utf8_lossy(&out.stdout).into_owned();
        if !out.status.success() || !created || signature.trim().is_empty() {
            let said: Vec<&str> = status
                .lines()
                .filter(|l| !l.starts_with("[GNUPG:]") && !l.trim().is_empty())
                .collect();
            let said = if said.is_empty() {
                format!("it exited with {}", out.status)
            } else {
                said.join("\n")
            };
            return Err(self.failed(format!("{said} (key {key:?})")));
        }
        Ok(signature)
    }

    fn ssh(&self, program: &str, key: &SshKey, buffer: &str) -> Result<String, GitError> {
        let io = |what: &str, e: std::io::Error| self.failed(format!("{what}: {e}"));
        let dir = tempfile::Builder::new()
            .prefix("findings-sign-")
            .tempdir()
            .map_err(|e| io("cannot make a temporary folder", e))?;
        let file = dir.path().join("commit");
        std::fs::write(&file, buffer).map_err(|e| io("cannot write the commit to sign", e))?;
        let (key_file, literal) = match key {
            SshKey::File(p) => (p.clone(), false),
            SshKey::Literal(k) => {
                let p = dir.path().join("key.pub");
                std::fs::write(&p, format!("{}\n", k.trim())).map_err(|e| io("cannot write the key", e))?;
                (p, true)
            }
        };
        let mut cmd = Command::new(program);
        cmd.args(["-Y", "sign", "-n", "git", "-f"]).arg(&key_file);
        if literal {
            cmd.arg("-U");
        }
        let out = cmd
            .arg(&file)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| self.failed(format!("cannot run it: {e}")))?;
        let sig_file = dir.path().join("commit.sig");
        let signature = std::fs::read_to_string(&sig_file).unwrap_or_default();
        if !out.status.success() || signature.trim().is_empty() {
            let said = String::from_utf8_lossy(&out.stderr).trim().to_string();
            let said = if said.is_empty() {
                format!("it exited with {}", out.status)
            } else {
                said
            };
            return Err(self.failed(format!("{said} (key {})", key_file.display())));
        }
        Ok(signature)
    }
}

/// The signer's words, made inert for a terminal.
fn shown(message: &str) -> String {
    inert(message.trim_end(), true).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(pairs: &[(&str, &str)]) -> (tempfile::TempDir, Config) {
        let dir = tempfile::tempdir().unwrap();
        let mut c = Config::open(&dir.path().join("config")).unwrap();
        for (k, v) in pairs {
            c.set_str(k, v).unwrap();
        }
        (dir, c)
    }

    fn me() -> Signature<'static> {
        Signature::now("Ann Example", "ann@example.com").unwrap()
    }

    #[test]
    fn reads_the_configuration_as_git_does() {
        let (_d, c) = config(&[]);
        assert_eq!(signer(&c, &me()).unwrap(), None);
        let (_d, c) = config(&[("commit.gpgsign", "true")]);
        assert_eq!(
            signer(&c, &me()).unwrap(),
            Some(Signer::OpenPgp {
                program: "gpg".into(),
                key: "Ann Example <ann@example.com>".into()
            })
        );
        let (_d, c) = config(&[
            ("commit.gpgsign", "true"),
            ("gpg.program", "gpg2"),
            ("user.signingkey", "ABCD"),
        ]);
        assert_eq!(
            signer(&c, &me()).unwrap(),
            Some(Signer::OpenPgp {
                program: "gpg2".into(),
                key: "ABCD".into()
            })
        );
        let (_d, c) = config(&[
            ("commit.gpgsign", "true"),
            ("gpg.format", "ssh"),
            ("user.signingkey", "key::ssh-ed25519 AAAA me"),
        ]);
        assert_eq!(
            signer(&c, &me()).unwrap(),
            Some(Signer::Ssh {
                program: "ssh-keygen".into(),
                key: SshKey::Literal("ssh-ed25519 AAAA me".into())
            })
        );
    }

    #[test]
    fn refuses_what_it_cannot_sign_with_a_sentence() {
        for pairs in [
            vec![("commit.gpgsign", "true"), ("gpg.format", "x509")],
            vec![("commit.gpgsign", "true"), ("gpg.format", "ssh")],
            vec![("commit.gpgsign", "true"), ("gpg.format", "pgp2")],
            vec![("commit.gpgsign", "maybe")],
        ] {
            let (_d, c) = config(&pairs);
            let e = signer(&c, &me()).unwrap_err();
            assert!(e.to_string().contains("nothing was committed"), "{e}");
        }
    }

    #[test]
    fn a_signer_that_fails_refuses_with_its_message() {
        let s = Signer::OpenPgp {
            program: "false".into(),
            key: "K".into(),
        };
        let e = s.sign("tree x\n").unwrap_err().to_string();
        assert!(e.contains("false") && e.contains("nothing was committed"), "{e}");
        let s = Signer::OpenPgp {
            program: "/nonexistent/gpg".into(),
            key: "K".into(),
        };
        assert!(s.sign("tree x\n").unwrap_err().to_string().contains("cannot run it"));
    }
}
