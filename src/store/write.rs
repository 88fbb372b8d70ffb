//! Atomic, concurrent-safe file writes.
//!
//! About 540 lines before the tests: atomic writes, renames that never
//! replace, the repository lock and snapshots share the temporary-file and
//! sync rules kept here (who holds a lock: `crate::owner`).
//!
//! Every write goes to a temporary file in the target's own folder, is flushed
//! to disk, takes the original file's permissions and is renamed over the
//! target, so a reader sees the old bytes or the new ones, never a mix, and a
//! crash leaves the old file whole. No temporary file survives an error.
//!
//! [`RepoLock`] serializes findings processes around read, edit, write and
//! commit; [`Snapshot`] and [`ensure_unchanged`] let a caller check that a file
//! still holds the bytes it read before replacing it (optimistic concurrency
//! against editors, which take no lock).

use crate::owner::{pid_alive, Owner};
use std::ffi::{OsStr, OsString};
use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};
use tempfile::NamedTempFile;

/// Errors of the checked writes ([`Snapshot`], [`ensure_unchanged`]).
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The file no longer holds the bytes that were read (or is gone).
    #[error("{}: changed on disk since it was read; reload and try again", .path.display())]
    Changed {
        /// The file that changed.
        path: PathBuf,
    },
    /// The destination of a rename already exists and is another file.
    #[error("{}: already exists", .path.display())]
    Exists {
        /// The destination.
        path: PathBuf,
    },
    /// The file could not be read, written or renamed.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file that could not be read, written or renamed.
        path: PathBuf,
        /// The system's error.
        source: io::Error,
    },
}

/// Errors of [`lock_repo`].
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another findings process held the lock for the whole wait.
    #[error("{}: another findings process{} still holds the lock after {:.1}s", .path.display(), holder_text(.holder), .waited.as_secs_f64())]
    Timeout {
        /// The lock file (`.git/findings.lock`, or `.findings.lock` outside a repository).
        path: PathBuf,
        /// How long this process waited.
        waited: Duration,
        /// What the lock file says about its holder (`pid=… host=…`).
        holder: Option<String>,
    },
    /// A signal (Ctrl-C) arrived while waiting for the lock.
    #[error("{}: {source} while waiting for the lock; nothing was written", .path.display())]
    Interrupted {
        /// The lock file waited for.
        path: PathBuf,
        /// Which signal.
        source: crate::interrupt::Interrupted,
    },
    /// The lock file could not be created or read.
    #[error("{}: cannot lock: {source}", .path.display())]
    Io {
        /// The lock file that could not be created or read.
        path: PathBuf,
        /// The system's error.
        source: io::Error,
    },
}

fn holder_text(h: &Option<String>) -> String {
    match h {
        Some(h) => format!(" ({h})"),
        None => String::new(),
    }
}

/// The folder and file name of `path` (the folder is `.` for a bare name).
fn split(path: &Path) -> io::Result<(PathBuf, OsString)> {
    let name = path.file_name().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{}: not a file name", path.display()),
        )
    })?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((dir, name.to_os_string()))
}

/// The file a write to `path` should replace: a symbolic link is written
/// through (the link stays a link), anything else is `path` itself.
fn resolve(path: &Path) -> io::Result<PathBuf> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => fs::canonicalize(path),
        _ => Ok(path.to_path_buf()),
    }
}

fn is_a_directory(path: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::IsADirectory,
        format!("{} is a directory", path.display()),
    )
}

/// Metadata of an existing file to replace; `None` when there is none yet.
fn existing(path: &Path) -> io::Result<Option<fs::Metadata>> {
    match fs::metadata(path) {
        Ok(m) if m.is_dir() => Err(is_a_directory(path)),
        Ok(m) => Ok(Some(m)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// The start of a temporary file's name for `name`:
/// `.{name}.findings-tmp-{pid}-` (without the name when it is so long the
/// result would not fit); `tempfile` adds random letters.
fn temp_prefix(name: &OsStr) -> OsString {
    let mut s = OsString::from(".");
    if name.len() <= 200 {
        s.push(name);
    }
    s.push(format!(".findings-tmp-{}-", std::process::id()));
    s
}

/// Write `bytes` to a new temporary file in `dir`, with the permissions of
/// `like` when given (else those a new file gets: 0666 less the umask),
/// flushed to disk. Dropped unpersisted, it is removed.
fn write_temp(dir: &Path, name: &OsStr, bytes: &[u8], like: Option<&fs::Metadata>) -> io::Result<NamedTempFile> {
    let prefix = temp_prefix(name);
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).rand_bytes(8);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let mut temp = builder.tempfile_in(dir)?;
    if let Some(m) = like {
        temp.as_file().set_permissions(m.permissions())?;
    }
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    Ok(temp)
}

/// Rename the temporary file over `target` (`NamedTempFile::persist`); on
/// failure the temporary file is removed.
fn publish(temp: NamedTempFile, target: &Path) -> io::Result<()> {
    temp.persist(target).map(|_| ()).map_err(|e| e.error)
}

/// Whether a file name may be one of [`atomic_write`]'s temporary files
/// (`.NAME.findings-tmp-PID-…`), which [`clear_dead_temps`] looks at.
pub(crate) fn temp_name(name: &[u8]) -> bool {
    name.starts_with(b".") && memchr::memmem::find(name, b".findings-tmp-").is_some()
}

/// Remove the temporary files ([`atomic_write`]'s `.NAME.findings-tmp-PID-…`)
/// that findings processes which are gone (killed mid-write) left in `dir`.
/// Returns how many were removed. Call it holding the repository lock.
pub(crate) fn clear_dead_temps(dir: &Path) -> usize {
    let Ok(entries) = fs::read_dir(dir) else { return 0 };
    let me = std::process::id();
    let mut removed = 0;
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some((_, rest)) = name.split_once(".findings-tmp-") else {
            continue;
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if name.starts_with('.') && pid != me && !pid_alive(pid) && fs::remove_file(e.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// Flush a folder's entries to disk, so a rename survives a crash. Best
/// effort: the data is already in place when this runs, so a file system that
/// cannot sync folders is not an error.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Replace the contents of `path` with `bytes` atomically.
///
/// The new bytes go to a temporary file in the same folder (named
/// `.{name}.findings-tmp-{pid}-{random}`), which is synced, given the original
/// file's permissions when it exists, renamed over `path`, and the folder is
/// synced. A symbolic link is written through. On any error the original is
/// untouched and no temporary file is left behind.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let target = resolve(path)?;
    let like = existing(&target)?;
    let (dir, name) = split(&target)?;
    let temp = write_temp(&dir, &name, bytes, like.as_ref())?;
    publish(temp, &target)?;
    sync_dir(&dir);
    Ok(())
}

#[cfg(unix)]
fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_: &fs::Metadata, _: &fs::Metadata) -> bool {
    false
}

fn already_exists(path: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!("{} already exists", path.display()),
    )
}

/// Rename `old` to `new` in one system call, failing with
/// [`io::ErrorKind::AlreadyExists`] (and changing nothing) when `new` exists.
///
/// Linux uses `renameat2(RENAME_NOREPLACE)`, macOS `renamex_np(RENAME_EXCL)`;
/// where the file system or platform has neither, the check and the rename
/// are two steps (findings' repository lock keeps its own writers apart).
/// `tempfile`'s `persist_noclobber` does the same for a temporary file, but
/// what is renamed here is the document itself (already rewritten in place
/// by [`atomic_write`], which does use `NamedTempFile::persist`), so the
/// call is made directly.
pub fn rename_no_replace(old: &Path, new: &Path) -> io::Result<()> {
    match rename_exclusive(old, new) {
        Some(Ok(())) => Ok(()),
        Some(Err(e)) if e.kind() == io::ErrorKind::AlreadyExists => Err(already_exists(new)),
        Some(Err(e)) if !unsupported(&e) => Err(e),
        _ => {
            if fs::symlink_metadata(new).is_ok() {
                return Err(already_exists(new));
            }
            fs::rename(old, new)
        }
    }
}

/// Errors meaning "this file system cannot rename exclusively".
fn unsupported(e: &io::Error) -> bool {
    #[cfg(unix)]
    {
        matches!(
            e.raw_os_error(),
            Some(libc::EINVAL) | Some(libc::ENOSYS) | Some(libc::ENOTSUP)
        )
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        true
    }
}

#[cfg(any(target_os = "linux", target_os = "android"))]
fn rename_exclusive(old: &Path, new: &Path) -> Option<io::Result<()>> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let o = CString::new(old.as_os_str().as_bytes()).ok()?;
    let n = CString::new(new.as_os_str().as_bytes()).ok()?;
    // SAFETY: both paths are valid NUL-terminated strings that outlive the call.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            o.as_ptr(),
            libc::AT_FDCWD,
            n.as_ptr(),
            libc::RENAME_NOREPLACE,
        )
    };
    Some(if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    })
}

#[cfg(target_os = "macos")]
fn rename_exclusive(old: &Path, new: &Path) -> Option<io::Result<()>> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let o = CString::new(old.as_os_str().as_bytes()).ok()?;
    let n = CString::new(new.as_os_str().as_bytes()).ok()?;
    // SAFETY: both paths are valid NUL-terminated strings that outlive the call.
    let rc = unsafe { libc::renamex_np(o.as_ptr(), n.as_ptr(), libc::RENAME_EXCL) };
    Some(if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    })
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_os = "macos")))]
fn rename_exclusive(_: &Path, _: &Path) -> Option<io::Result<()>> {
    None
}

/// Give `old` the contents `bytes` and the name `new`: a status change that
/// renames the file (`030-pending-p1-x.md` → `030-ready-p1-x.md`).
///
/// Two steps, each atomic, so an interruption at any point leaves exactly one
/// file: the new bytes are written over `old` ([`atomic_write`]), then `old`
/// is renamed to `new` in one `rename(2)` that never replaces a file
/// ([`rename_no_replace`]). Killed between the two, the file keeps the old
/// name with the new content (which `findings check` reports and the next
/// write repairs). If `new` already exists and is a different file, this
/// fails with [`io::ErrorKind::AlreadyExists`] and changes nothing (a name
/// that differs from `old` only in letter case and is the same file, on a
/// case-insensitive file system, is allowed); if the rename fails, `old` gets
/// its bytes back. Both folders are synced. `old == new` is a plain
/// [`atomic_write`].
pub fn atomic_replace_and_rename(old: &Path, new: &Path, bytes: &[u8]) -> io::Result<()> {
    if old == new {
        return atomic_write(new, bytes);
    }
    let old_meta = fs::metadata(old)?;
    if old_meta.is_dir() {
        return Err(is_a_directory(old));
    }
    let mut case_only = false;
    match fs::symlink_metadata(new) {
        Ok(_) => {
            let same_name = old.to_string_lossy().eq_ignore_ascii_case(&new.to_string_lossy());
            let same = fs::metadata(new).map(|m| same_file(&old_meta, &m)).unwrap_or(false);
            if !(same_name && same) {
                return Err(already_exists(new));
            }
            case_only = true;
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    let before = fs::read(old)?;
    atomic_write(old, bytes)?;
    let renamed = if case_only {
        fs::rename(old, new)
    } else {
        rename_no_replace(old, new)
    };
    if let Err(e) = renamed {
        let _ = atomic_write(old, &before);
        return Err(e);
    }
    let (dir, _) = split(new)?;
    sync_dir(&dir);
    if let Ok((old_dir, _)) = split(old) {
        if old_dir != dir {
            sync_dir(&old_dir);
        }
    }
    Ok(())
}

/// The file that holds the repository lock: `.git/findings.lock` when `.git`
/// is a folder; the linked work tree's own git folder when `.git` is a file
/// pointing at one (`gitdir: …`); otherwise `<root>/.findings.lock`.
pub fn lock_path(root: &Path) -> PathBuf {
    let dot_git = root.join(".git");
    match fs::metadata(&dot_git) {
        Ok(m) if m.is_dir() => return dot_git.join("findings.lock"),
        Ok(m) if m.is_file() => {
            if let Ok(text) = fs::read_to_string(&dot_git) {
                if let Some(dir) = text.lines().next().and_then(|l| l.strip_prefix("gitdir:")) {
                    let dir = root.join(dir.trim());
                    if dir.is_dir() {
                        return dir.join("findings.lock");
                    }
                }
            }
        }
        _ => {}
    }
    root.join(".findings.lock")
}

/// An exclusive advisory lock on the repository, held until dropped.
#[derive(Debug)]
pub struct RepoLock {
    file: File,
}

impl Drop for RepoLock {
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}

/// Take the repository lock (see [`lock_path`]), polling until `timeout`.
///
/// The lock serializes read-edit-write-commit across findings processes and
/// threads (each call opens the lock file anew, so two threads exclude each
/// other too). It is an advisory lock the kernel drops when its holder exits,
/// however it exits, so it is never left stale; the file itself stays on
/// disk and says who took it last (`Owner`).
pub fn lock_repo(root: &Path, timeout: Duration) -> Result<RepoLock, LockError> {
    let path = lock_path(root);
    let io_err = |source| LockError::Io {
        path: path.clone(),
        source,
    };
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(io_err)?;
    let start = Instant::now();
    let mut pause = Duration::from_millis(2);
    loop {
        match file.try_lock() {
            Ok(()) => {
                // Who holds it, for a process that has to wait. The lock is
                // the kernel's (released when the holder dies, even by
                // SIGKILL), so these words are never what keeps it held.
                let _ = file.set_len(0);
                let _ = (&file).write_all(format!("{}\n", Owner::me().render()).as_bytes());
                return Ok(RepoLock { file });
            }
            Err(TryLockError::WouldBlock) => {
                let waited = start.elapsed();
                if waited >= timeout {
                    let holder = fs::read_to_string(&path)
                        .ok()
                        .and_then(|t| {
                            t.lines()
                                .next()
                                .map(|l| crate::document::text::inert(l, false).into_owned())
                        })
                        .filter(|l| !l.trim().is_empty());
                    return Err(LockError::Timeout { path, waited, holder });
                }
                if let Err(source) = crate::interrupt::check() {
                    return Err(LockError::Interrupted { path, source });
                }
                std::thread::sleep(pause.min(timeout - waited));
                pause = (pause * 2).min(Duration::from_millis(50));
            }
            Err(TryLockError::Error(e)) => return Err(io_err(e)),
        }
    }
}

/// Fail with [`WriteError::Changed`] unless `path` still holds exactly
/// `expected` (a missing file has changed too).
pub fn ensure_unchanged(path: &Path, expected: &[u8]) -> Result<(), WriteError> {
    use super::bounded::{self, ReadError};
    let changed = || WriteError::Changed {
        path: path.to_path_buf(),
    };
    // One byte more than expected is enough to tell.
    match bounded::read(path, expected.len() as u64) {
        Ok(now) if now == expected => Ok(()),
        Err(e) if e.is_not_found() => Err(changed()),
        Err(ReadError::Io { source, .. }) => Err(WriteError::Io {
            path: path.to_path_buf(),
            source,
        }),
        // Different bytes, larger, or no longer a regular file.
        _ => Err(changed()),
    }
}

/// A file as it was read: write it back only if nobody changed it since.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub(crate) path: PathBuf,
    pub(crate) bytes: Vec<u8>,
    /// Modification time when read, if the file system has one.
    pub(crate) mtime: Option<SystemTime>,
}

impl Snapshot {
    /// Read `path`.
    pub fn read(path: &Path) -> Result<Snapshot, WriteError> {
        let io_err = |source| WriteError::Io {
            path: path.to_path_buf(),
            source,
        };
        let mtime = fs::metadata(path).and_then(|m| m.modified()).ok();
        let limit = crate::document::MAX_FILE_BYTES as u64;
        let bytes = super::bounded::read(path, limit).map_err(|e| io_err(e.into_io()))?;
        Ok(Snapshot {
            path: path.to_path_buf(),
            bytes,
            mtime,
        })
    }

    /// Fail with [`WriteError::Changed`] unless the file still holds the bytes read.
    pub(crate) fn check(&self) -> Result<(), WriteError> {
        ensure_unchanged(&self.path, &self.bytes)
    }

    /// Check, then replace the file with `bytes` ([`atomic_write`]).
    pub fn write(&self, bytes: &[u8]) -> Result<(), WriteError> {
        self.check()?;
        atomic_write(&self.path, bytes).map_err(|source| WriteError::Io {
            path: self.path.clone(),
            source,
        })
    }

    /// Check, then give this file `bytes` and the name `new`
    /// ([`atomic_replace_and_rename`]).
    pub fn replace_and_rename(&self, new: &Path, bytes: &[u8]) -> Result<(), WriteError> {
        self.check()?;
        atomic_replace_and_rename(&self.path, new, bytes).map_err(|source| {
            if source.kind() == io::ErrorKind::AlreadyExists {
                WriteError::Exists {
                    path: new.to_path_buf(),
                }
            } else {
                WriteError::Io {
                    path: new.to_path_buf(),
                    source,
                }
            }
        })
    }
}

/// A stable 64-bit hash of file contents (FNV-1a): what a shell remembers of
/// the bytes it showed, to refuse a write when the file changed since.
pub fn content_hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .map(|rd| {
                rd.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    }

    #[test]
    fn temp_names_keep_the_name_and_are_hidden() {
        let n = temp_prefix(OsStr::new("030-ready-p1-x.md"));
        let n = n.to_string_lossy();
        assert!(n.starts_with(".030-ready-p1-x.md.findings-tmp-"), "{n}");
        let long = "x".repeat(250);
        assert!(temp_prefix(OsStr::new(&long)).len() < 60);
        let dir = tempfile::tempdir().unwrap();
        let t = write_temp(dir.path(), OsStr::new("a.md"), b"x", None).unwrap();
        let name = t.path().file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with(".a.md.findings-tmp-"), "{name}");
    }

    #[cfg(unix)]
    #[test]
    fn a_new_file_gets_the_mode_a_new_file_gets() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("new.md");
        atomic_write(&p, b"x").unwrap();
        let plain = dir.path().join("plain");
        fs::write(&plain, b"x").unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&p), mode(&plain));
    }

    #[test]
    fn failed_publish_removes_the_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("inside"), "x").unwrap();
        let temp = write_temp(dir.path(), OsStr::new("target"), b"new", None).unwrap();
        assert!(publish(temp, &target).is_err());
        assert_eq!(names(dir.path()), vec!["target"]);
    }

    #[test]
    fn writes_a_new_file_and_replaces_an_old_one() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.md");
        atomic_write(&p, b"one").unwrap();
        atomic_write(&p, b"two").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        assert_eq!(names(dir.path()), vec!["a.md"]);
    }

    #[cfg(unix)]
    #[test]
    fn writes_through_a_symbolic_link() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.md");
        let link = dir.path().join("link.md");
        fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink("real.md", &link).unwrap();
        atomic_write(&link, b"new").unwrap();
        assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(fs::read(&real).unwrap(), b"new");
    }

    #[test]
    fn snapshot_refuses_a_changed_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.md");
        fs::write(&p, "one").unwrap();
        let snap = Snapshot::read(&p).unwrap();
        fs::write(&p, "edited elsewhere").unwrap();
        assert!(matches!(snap.write(b"two"), Err(WriteError::Changed { .. })));
        assert_eq!(fs::read(&p).unwrap(), b"edited elsewhere");
        let snap = Snapshot::read(&p).unwrap();
        snap.write(b"two").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        fs::remove_file(&p).unwrap();
        assert!(matches!(snap.check(), Err(WriteError::Changed { .. })));
    }

    #[test]
    fn lock_times_out_while_held_and_frees_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let held = lock_repo(dir.path(), Duration::ZERO).unwrap();
        assert_eq!(lock_path(dir.path()), dir.path().join(".findings.lock"));
        assert!(lock_path(dir.path()).exists());
        let again = lock_repo(dir.path(), Duration::from_millis(20));
        assert!(matches!(again, Err(LockError::Timeout { .. })), "{again:?}");
        drop(held);
        assert!(lock_repo(dir.path(), Duration::ZERO).is_ok());
    }

    #[test]
    fn temporary_files_of_gone_processes_are_cleared_and_others_kept() {
        let dir = tempfile::tempdir().unwrap();
        let mine = write_temp(dir.path(), OsStr::new("a.md"), b"x", None).unwrap();
        for n in [".a.md.findings-tmp-4194000-abcdefgh", "a.md", ".a.md.findings-tmp-x-1"] {
            fs::write(dir.path().join(n), "x").unwrap();
        }
        assert_eq!(clear_dead_temps(dir.path()), 1);
        let mut left = names(dir.path());
        left.retain(|n| !n.starts_with(".a.md.findings-tmp-") || n.contains("-x-1"));
        assert_eq!(left, vec![".a.md.findings-tmp-x-1", "a.md"]);
        assert!(mine.path().exists(), "a live process's file stays");
    }

    #[test]
    fn lock_lives_in_the_git_folder() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join(".git")).unwrap();
        assert_eq!(lock_path(dir.path()), dir.path().join(".git/findings.lock"));
        let wt = tempfile::tempdir().unwrap();
        fs::write(
            wt.path().join(".git"),
            format!("gitdir: {}\n", dir.path().join(".git").display()),
        )
        .unwrap();
        assert_eq!(lock_path(wt.path()), dir.path().join(".git/findings.lock"));
    }
}
