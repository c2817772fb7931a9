//! Reading a file the user names (a scenario, a secret, a creds file): regular files only, and
//! never more than a bound, so a FIFO, a device or a huge file is refused instead of blocking
//! or filling memory.

use std::fs::{File, Metadata, OpenOptions};
use std::io::Read;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// The bound for small files: secrets, seeds, creds files.
pub const SMALL_FILE_LIMIT: u64 = 64 * 1024;

/// Why a named file was not read.
#[derive(Debug, thiserror::Error)]
pub enum InputFileError {
    /// The file cannot be opened or read.
    #[error("cannot read {what} `{}`: {reason}", path.display())]
    Unreadable {
        /// What the file is for (`password file`, `scenario file`).
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// The operating system's reason, lowercase.
        reason: String,
    },
    /// A directory, FIFO, socket or device.
    #[error("{what} `{}` is a {kind}; expected a regular file", path.display())]
    NotRegular {
        /// What the file is for.
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// What it is instead (`directory`, `named pipe (FIFO)`, ...).
        kind: &'static str,
    },
    /// Larger than the bound.
    #[error("{what} `{}` is larger than {limit} bytes; expected a small text file", path.display())]
    TooLarge {
        /// What the file is for.
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// The bound, in bytes.
        limit: u64,
    },
}

/// Refuses what is not a regular file, from its metadata alone (the file is not opened, so a
/// FIFO does not block and a device is not touched).
pub fn check_regular(path: &Path, what: &'static str) -> Result<(), InputFileError> {
    let meta = std::fs::metadata(path).map_err(|e| unreadable(path, what, &e))?;
    regular(&meta, path, what)
}

/// The file's bytes, at most `limit` of them: a file that is not regular or is larger is
/// refused. The file is opened without blocking (`O_NONBLOCK`) and checked again once open.
///
/// ```
/// # use natsfault::input_file::read_bounded;
/// let dir = tempfile::tempdir().unwrap();
/// let fifo = dir.path().join("pipe");
/// assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
/// let err = read_bounded(&fifo, "password file", 64).unwrap_err();
/// assert!(err.to_string().ends_with("is a named pipe (FIFO); expected a regular file"));
/// ```
pub fn read_bounded(path: &Path, what: &'static str, limit: u64) -> Result<Vec<u8>, InputFileError> {
    check_regular(path, what)?;
    let file: File = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
        .map_err(|e| unreadable(path, what, &e))?;
    // The path may have been replaced between the check and the open.
    regular(&file.metadata().map_err(|e| unreadable(path, what, &e))?, path, what)?;
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes).map_err(|e| unreadable(path, what, &e))?;
    if bytes.len() as u64 > limit {
        return Err(InputFileError::TooLarge { what, path: path.to_path_buf(), limit });
    }
    Ok(bytes)
}

/// [`read_bounded`] as UTF-8 text.
pub fn read_text(path: &Path, what: &'static str, limit: u64) -> Result<String, InputFileError> {
    String::from_utf8(read_bounded(path, what, limit)?).map_err(|e| InputFileError::Unreadable {
        what,
        path: path.to_path_buf(),
        reason: format!(
            "expected UTF-8 text, found a byte that is not UTF-8 at offset {}",
            e.utf8_error().valid_up_to()
        ),
    })
}

fn regular(meta: &Metadata, path: &Path, what: &'static str) -> Result<(), InputFileError> {
    let t = meta.file_type();
    let kind = if t.is_file() {
        return Ok(());
    } else if t.is_dir() {
        "directory"
    } else if t.is_fifo() {
        "named pipe (FIFO)"
    } else if t.is_socket() {
        "socket"
    } else if t.is_char_device() {
        "character device"
    } else if t.is_block_device() {
        "block device"
    } else {
        "special file"
    };
    Err(InputFileError::NotRegular { what, path: path.to_path_buf(), kind })
}

fn unreadable(path: &Path, what: &'static str, e: &std::io::Error) -> InputFileError {
    InputFileError::Unreadable { what, path: path.to_path_buf(), reason: e.to_string().to_lowercase() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_files_within_the_bound_are_read() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("f");
        std::fs::write(&p, "12345").expect("write");
        assert_eq!(read_bounded(&p, "file", 5).expect("read"), b"12345");
        let err = read_bounded(&p, "file", 4).expect_err("too large");
        assert!(matches!(err, InputFileError::TooLarge { limit: 4, .. }), "{err}");
    }

    #[test]
    fn directories_and_devices_are_refused_without_reading() {
        let dir = tempfile::tempdir().expect("tempdir");
        let err = read_bounded(dir.path(), "token file", 64).expect_err("a directory");
        assert!(err.to_string().ends_with("is a directory; expected a regular file"), "{err}");
        let err = read_bounded(Path::new("/dev/zero"), "token file", 64).expect_err("a device");
        assert!(err.to_string().ends_with("is a character device; expected a regular file"), "{err}");
    }
}
