//! Containment: the one rule for whether a path stays inside the repository.
//!
//! A repository-relative path is inside only if every component resolves
//! inside the root: it is not absolute, no `..` climbs above the root, and
//! no existing component is a symbolic link whose target lies outside (or
//! cannot be resolved). Symbolic links that stay inside keep working. Every
//! read or write of a document by path, every `findings.toml` folder and the
//! folder of a new document go through `inside`, so `log` through
//! `docs -> /elsewhere` is refused and nothing outside is read or written.

use std::io;
use std::path::{Component, Path, PathBuf};

/// Why a path is not inside the repository.
#[derive(Debug, thiserror::Error)]
pub enum ContainError {
    /// The path is absolute.
    #[error("{path}: absolute paths are outside the repository")]
    Absolute {
        /// The path as given.
        path: String,
    },
    /// A `..` component leads above the repository root.
    #[error("{path}: `..` leads outside the repository")]
    ParentEscape {
        /// The path as given.
        path: String,
    },
    /// A symbolic link on the way leads outside the repository.
    #[error("{path}: {link} is a symbolic link to {}, outside the repository; refusing to read or write through it", .target.display())]
    SymlinkOutside {
        /// The path as given.
        path: String,
        /// The repository-relative link.
        link: String,
        /// Where the link leads (resolved, absolute).
        target: PathBuf,
    },
    /// A symbolic link on the way cannot be resolved (dangling, a loop, no permission).
    #[error(
        "{path}: {link} is a symbolic link that cannot be resolved ({source}); refusing to read or write through it"
    )]
    SymlinkBroken {
        /// The path as given.
        path: String,
        /// The repository-relative link.
        link: String,
        /// Why it cannot be resolved.
        source: io::Error,
    },
    /// The repository root itself cannot be resolved.
    #[error("{path}: cannot resolve the repository root: {source}")]
    Root {
        /// The path that was checked.
        path: String,
        /// The system's error.
        source: io::Error,
    },
    /// A folder on the way cannot be examined.
    #[error("{path}: {source}")]
    Io {
        /// The path that was checked.
        path: String,
        /// The system's error.
        source: io::Error,
    },
}

impl ContainError {
    /// The repository-relative symbolic link that leads outside, when that is
    /// the reason.
    #[cfg(test)]
    pub(crate) fn link(&self) -> Option<&str> {
        match self {
            ContainError::SymlinkOutside { link, .. } | ContainError::SymlinkBroken { link, .. } => Some(link),
            _ => None,
        }
    }
}

/// The canonical form of `root` (symbolic links in the root's own path are
/// the user's choice and are resolved, not judged).
pub(crate) fn canonical_root(root: &Path) -> io::Result<PathBuf> {
    root.canonicalize()
}

/// Resolve `rel` (repository-relative, `/`-separated or native) against
/// `root`, component by component, and return the real absolute path: the
/// resolved existing part followed by the components that do not exist yet.
///
/// Refuses an absolute path, a `..` that climbs above the root, and any
/// existing component that is a symbolic link leading outside the root or
/// one that cannot be resolved (dangling or looping). The empty path is the
/// root itself.
pub(crate) fn inside(root: &Path, rel: impl AsRef<Path>) -> Result<PathBuf, ContainError> {
    let rel = rel.as_ref();
    let shown = || rel.to_string_lossy().into_owned();
    let root = canonical_root(root).map_err(|source| ContainError::Root { path: shown(), source })?;
    let mut cur = root.clone();
    // Once a component does not exist, the rest cannot be links either.
    let mut missing = false;
    let mut walked = PathBuf::new();
    for comp in rel.components() {
        match comp {
            Component::Prefix(_) | Component::RootDir => return Err(ContainError::Absolute { path: shown() }),
            Component::CurDir => {}
            Component::ParentDir => {
                // `cur` holds no links, so dropping its last component is
                // what the kernel's `..` does.
                if cur == root {
                    return Err(ContainError::ParentEscape { path: shown() });
                }
                cur.pop();
                walked.pop();
            }
            Component::Normal(name) => {
                walked.push(name);
                let next = cur.join(name);
                if missing {
                    cur = next;
                    continue;
                }
                match std::fs::symlink_metadata(&next) {
                    Ok(m) if m.file_type().is_symlink() => {
                        let link = walked.to_string_lossy().replace('\\', "/");
                        let target = next.canonicalize().map_err(|source| ContainError::SymlinkBroken {
                            path: shown(),
                            link: link.clone(),
                            source,
                        })?;
                        if !target.starts_with(&root) {
                            return Err(ContainError::SymlinkOutside {
                                path: shown(),
                                link,
                                target,
                            });
                        }
                        cur = target;
                    }
                    Ok(_) => cur = next,
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {
                        missing = true;
                        cur = next;
                    }
                    Err(source) => return Err(ContainError::Io { path: shown(), source }),
                }
            }
        }
    }
    Ok(cur)
}

/// Whether `rel` is inside the repository at `root` ([`inside`], without
/// the resolved path).
pub(crate) fn check(root: &Path, rel: impl AsRef<Path>) -> Result<(), ContainError> {
    inside(root, rel).map(|_| ())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::fs;
    use std::os::unix::fs::symlink;

    fn setup() -> (tempfile::TempDir, tempfile::TempDir) {
        let root = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        fs::create_dir_all(root.path().join("todos")).unwrap();
        fs::write(root.path().join("todos/001-pending-p1-a.md"), "x").unwrap();
        fs::write(outside.path().join("secret.md"), "s").unwrap();
        (root, outside)
    }

    #[test]
    fn plain_paths_inside_resolve() {
        let (root, _o) = setup();
        let canon = root.path().canonicalize().unwrap();
        assert_eq!(
            inside(root.path(), "todos/001-pending-p1-a.md").unwrap(),
            canon.join("todos/001-pending-p1-a.md")
        );
        assert_eq!(
            inside(root.path(), "todos/new/deeper.md").unwrap(),
            canon.join("todos/new/deeper.md")
        );
        assert_eq!(
            inside(root.path(), "todos/../todos/x.md").unwrap(),
            canon.join("todos/x.md")
        );
        assert_eq!(inside(root.path(), "").unwrap(), canon);
    }

    #[test]
    fn absolute_and_climbing_paths_are_refused() {
        let (root, _o) = setup();
        assert!(matches!(
            inside(root.path(), "/etc/passwd"),
            Err(ContainError::Absolute { .. })
        ));
        assert!(matches!(
            inside(root.path(), "../x.md"),
            Err(ContainError::ParentEscape { .. })
        ));
        assert!(matches!(
            inside(root.path(), "todos/../../x.md"),
            Err(ContainError::ParentEscape { .. })
        ));
        assert!(matches!(
            inside(root.path(), "new/../../x"),
            Err(ContainError::ParentEscape { .. })
        ));
    }

    #[test]
    fn a_folder_link_outside_is_refused_and_named() {
        let (root, out) = setup();
        symlink(out.path(), root.path().join("docs")).unwrap();
        let e = inside(root.path(), "docs/secret.md").unwrap_err();
        assert_eq!(e.link(), Some("docs"));
        assert!(e.to_string().contains("outside the repository"), "{e}");
        // Even a file that does not exist yet under the link.
        assert!(inside(root.path(), "docs/adr/new.md").is_err());
    }

    #[test]
    fn a_file_link_outside_is_refused() {
        let (root, out) = setup();
        symlink(
            out.path().join("secret.md"),
            root.path().join("todos/002-pending-p1-b.md"),
        )
        .unwrap();
        let e = inside(root.path(), "todos/002-pending-p1-b.md").unwrap_err();
        assert_eq!(e.link(), Some("todos/002-pending-p1-b.md"));
    }

    #[test]
    fn a_link_inside_keeps_working() {
        let (root, _o) = setup();
        symlink("todos", root.path().join("alias")).unwrap();
        symlink("001-pending-p1-a.md", root.path().join("todos/same.md")).unwrap();
        let canon = root.path().canonicalize().unwrap();
        assert_eq!(
            inside(root.path(), "alias/001-pending-p1-a.md").unwrap(),
            canon.join("todos/001-pending-p1-a.md")
        );
        assert_eq!(
            inside(root.path(), "todos/same.md").unwrap(),
            canon.join("todos/001-pending-p1-a.md")
        );
        // `..` after a link applies to where the link leads, as the kernel does.
        fs::create_dir_all(root.path().join("a/b")).unwrap();
        symlink("a/b", root.path().join("deep")).unwrap();
        assert_eq!(inside(root.path(), "deep/../x").unwrap(), canon.join("a/x"));
    }

    #[test]
    fn a_relative_link_climbing_out_and_a_dangling_link_are_refused() {
        let (root, _o) = setup();
        symlink("../../..", root.path().join("todos/up")).unwrap();
        assert!(matches!(
            inside(root.path(), "todos/up/etc"),
            Err(ContainError::SymlinkOutside { .. })
        ));
        symlink("nowhere/at/all", root.path().join("dangling")).unwrap();
        assert!(matches!(
            inside(root.path(), "dangling/x.md"),
            Err(ContainError::SymlinkBroken { .. })
        ));
        symlink("loop", root.path().join("loop")).unwrap();
        assert!(inside(root.path(), "loop").is_err());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
        /// Whatever the path, through links inside and out, up and down:
        /// an answer is under the root, and the real file it names (when
        /// it exists) is under the root too.
        #[test]
        fn every_answer_is_inside(parts in proptest::collection::vec(
            proptest::sample::select(vec!["todos", "a", "b", "..", ".", "in", "out", "up", "x.md"]),
            0..7,
        )) {
            let (root, out) = setup();
            fs::create_dir_all(root.path().join("a/b")).unwrap();
            symlink("a", root.path().join("in")).unwrap();
            symlink(out.path(), root.path().join("a/out")).unwrap();
            symlink("../..", root.path().join("a/b/up")).unwrap();
            let canon = root.path().canonicalize().unwrap();
            let rel = parts.join("/");
            if let Ok(p) = inside(root.path(), &rel) {
                proptest::prop_assert!(p.starts_with(&canon), "{rel} -> {}", p.display());
                if let Ok(real) = root.path().join(&rel).canonicalize() {
                    proptest::prop_assert!(real.starts_with(&canon), "{rel} -> {}", real.display());
                    proptest::prop_assert_eq!(real, p);
                }
            }
        }
    }
}
