//! Bounded reads: the one way findings reads a whole file into memory.
//!
//! [`read`] looks at the file's metadata before opening it and refuses
//! anything that is not a regular file (a device such as `/dev/zero`, a FIFO,
//! a socket, a folder) and anything whose size is over the limit. It opens
//! without blocking (so a FIFO swapped in meanwhile cannot hang it), checks
//! the opened file again, and even then reads at most the limit plus one
//! byte, so a file that grows while it is read is refused too. Documents,
//! `findings.toml`, the user's settings, theme files and the merge driver's
//! inputs are all read through it.

use std::fs::{File, Metadata, OpenOptions};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// The most `findings.toml`, the user's settings or a theme file may hold.
pub(crate) const CONFIG_LIMIT: u64 = 1024 * 1024;

/// Why a file was not read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{}: not a regular file ({kind}); refusing to read it", .path.display())]
    NotAFile { path: PathBuf, kind: &'static str },
    #[error("{}: {size} bytes is over the {limit} byte limit; refusing to read it", .path.display())]
    TooLarge { path: PathBuf, size: u64, limit: u64 },
    #[error("{}: {source}", .path.display())]
    Io { path: PathBuf, source: io::Error },
}

impl ReadError {
    /// Why, without the path (for callers that name the file themselves).
    pub(crate) fn reason(&self) -> String {
        match self {
            ReadError::NotAFile { kind, .. } => format!("not a regular file ({kind}); refusing to read it"),
            ReadError::TooLarge { size, limit, .. } => {
                format!("{size} bytes is over the {limit} byte limit; refusing to read it")
            }
            ReadError::Io { source, .. } => source.to_string(),
        }
    }

    /// As an [`io::Error`] carrying [`ReadError::reason`].
    pub(crate) fn into_io(self) -> io::Error {
        match self {
            ReadError::Io { source, .. } => source,
            e => io::Error::new(io::ErrorKind::InvalidData, e.reason()),
        }
    }

    /// Whether the file does not exist.
    pub(crate) fn is_not_found(&self) -> bool {
        matches!(self, ReadError::Io { source, .. } if source.kind() == io::ErrorKind::NotFound)
    }
}

/// What kind of file `m` describes, for an error message.
fn kind(m: &Metadata) -> &'static str {
    let ft = m.file_type();
    if ft.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a FIFO";
        }
        if ft.is_socket() {
            return "a socket";
        }
        if ft.is_char_device() {
            return "a character device";
        }
        if ft.is_block_device() {
            return "a block device";
        }
    }
    "not a plain file"
}

/// Refuse `m` unless it is a regular file of at most `limit` bytes.
fn judge(path: &Path, m: &Metadata, limit: u64) -> Result<(), ReadError> {
    if !m.is_file() {
        return Err(ReadError::NotAFile {
            path: path.to_path_buf(),
            kind: kind(m),
        });
    }
    if m.len() > limit {
        return Err(ReadError::TooLarge {
            path: path.to_path_buf(),
            size: m.len(),
            limit,
        });
    }
    Ok(())
}

/// Open `path` for reading without blocking on a FIFO or taking a terminal.
fn open(path: &Path) -> io::Result<File> {
    let mut o = OpenOptions::new();
    o.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    o.open(path)
}

/// Read all of `path`, a regular file of at most `limit` bytes (symbolic
/// links are followed; containment is the caller's, see
/// [`super::contain`]).
pub(crate) fn read(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let io_err = |source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let (file, len) = open_checked(path, limit)?;
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io_err)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            path: path.to_path_buf(),
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// Open `path` as [`read`] does (a regular file, within `limit`, checked
/// before and after opening), for a reader that reads it in parts: the
/// file and its size.
pub(crate) fn open_checked(path: &Path, limit: u64) -> Result<(File, u64), ReadError> {
    let io_err = |source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    };
    judge(path, &std::fs::metadata(path).map_err(io_err)?, limit)?;
    let file = open(path).map_err(io_err)?;
    let meta = file.metadata().map_err(io_err)?;
    judge(path, &meta, limit)?;
    Ok((file, meta.len()))
}

/// [`read`], as UTF-8 text.
pub(crate) fn read_string(path: &Path, limit: u64) -> Result<String, ReadError> {
    String::from_utf8(read(path, limit)?).map_err(|_| ReadError::Io {
        path: path.to_path_buf(),
        source: io::Error::new(io::ErrorKind::InvalidData, "not valid UTF-8"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_small_file_and_refuses_a_large_one() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.toml");
        std::fs::write(&p, "0123456789").unwrap();
        assert_eq!(read(&p, 10).unwrap(), b"0123456789");
        let e = read(&p, 9).unwrap_err();
        assert!(matches!(e, ReadError::TooLarge { size: 10, limit: 9, .. }), "{e}");
        assert!(e.to_string().contains("over the 9 byte limit"), "{e}");
    }

    #[test]
    fn a_missing_file_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let e = read(&dir.path().join("nope"), 10).unwrap_err();
        assert!(e.is_not_found());
    }

    #[test]
    fn a_folder_is_not_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let e = read(dir.path(), 10).unwrap_err();
        assert!(matches!(e, ReadError::NotAFile { kind: "a folder", .. }), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_refused_without_reading() {
        let e = read(Path::new("/dev/zero"), 1 << 20).unwrap_err();
        assert!(matches!(e, ReadError::NotAFile { .. }), "{e}");
        assert!(e.to_string().contains("character device"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn a_sparse_giant_is_refused_from_its_size() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.md");
        let f = File::create(&p).unwrap();
        f.set_len(4 << 30).unwrap();
        let e = read(&p, 1 << 20).unwrap_err();
        assert!(matches!(e, ReadError::TooLarge { size, .. } if size == 4 << 30), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("pipe.md");
        assert!(std::process::Command::new("mkfifo").arg(&p).status().unwrap().success());
        let e = read(&p, 1 << 20).unwrap_err();
        assert!(matches!(e, ReadError::NotAFile { kind: "a FIFO", .. }), "{e}");
    }

    #[test]
    fn utf8_is_checked() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x");
        std::fs::write(&p, [0xff, 0xfe]).unwrap();
        assert!(read_string(&p, 10).is_err());
        std::fs::write(&p, "ok").unwrap();
        assert_eq!(read_string(&p, 10).unwrap(), "ok");
    }
}
