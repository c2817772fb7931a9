//! Secrets read from files (`--password-file`, `--token-file`), so they stay out of argv and the
//! shell history.

use std::path::{Path, PathBuf};

use crate::input_file::{InputFileError, SMALL_FILE_LIMIT, read_text};

/// Why a secret file gave no secret.
#[derive(Debug, thiserror::Error)]
pub enum SecretFileError {
    /// The file cannot be read: missing, not a regular file (a FIFO would block), too large.
    #[error(transparent)]
    Unreadable(#[from] InputFileError),
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
    let file = match what {
        "password" => "password file",
        "token" => "token file",
        _ => "secret file",
    };
    let text = read_text(path, file, SMALL_FILE_LIMIT)?;
    let secret = text.trim_end_matches(['\n', '\r']);
    if secret.is_empty() {
        return Err(SecretFileError::Empty { what, path: path.to_path_buf() });
    }
    Ok(secret.to_string())
}
