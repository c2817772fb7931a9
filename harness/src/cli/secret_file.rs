//! Secrets read from files (`--password-file`, `--token-file`), so they stay out of argv and the
//! shell history.

use std::path::{Path, PathBuf};

/// Why a secret file gave no secret.
#[derive(Debug, thiserror::Error)]
pub enum SecretFileError {
    /// The file cannot be read.
    #[error("cannot read {what} file `{}`: {reason}", path.display())]
    Unreadable {
        /// `password` or `token`.
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// The operating system's reason, lowercase.
        reason: String,
    },
    /// The file is empty, or holds only line ends.
    #[error("{what} file `{}` is empty; expected the {what} on its first line", path.display())]
    Empty {
        /// `password` or `token`.
        what: &'static str,
        /// The file.
        path: PathBuf,
    },
}

/// The file's text without its trailing line ends (`\n`, `\r\n`); `what` names the secret in
/// errors, which never show the file's content.
///
/// ```
/// # use natsfault::cli::secret_file::read_secret;
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("pass");
/// std::fs::write(&path, "s3cret\n").unwrap();
/// assert_eq!(read_secret(&path, "password").unwrap(), "s3cret");
/// std::fs::write(&path, "\n").unwrap();
/// assert!(read_secret(&path, "password").unwrap_err().to_string().ends_with("is empty; expected the password on its first line"));
/// ```
pub fn read_secret(path: &Path, what: &'static str) -> Result<String, SecretFileError> {
    let text = std::fs::read_to_string(path).map_err(|e| SecretFileError::Unreadable {
        what,
        path: path.to_path_buf(),
        reason: e.to_string().to_lowercase(),
    })?;
    let secret = text.trim_end_matches(['\n', '\r']);
    if secret.is_empty() {
        return Err(SecretFileError::Empty { what, path: path.to_path_buf() });
    }
    Ok(secret.to_string())
}
