//! Why a team's config file cannot be played.

use std::path::PathBuf;

/// A config file, one of its includes or one of the files it names could not be read.
///
/// ```
/// use natsfault::deploy::DeployError;
/// let e = DeployError::Missing { path: "deploy/nats.conf".into() };
/// assert_eq!(e.to_string(), "cannot read config `deploy/nats.conf`: no such file");
/// ```
#[derive(Debug, thiserror::Error)]
pub enum DeployError {
    /// The main config does not exist.
    #[error("cannot read config `{}`: no such file", path.display())]
    Missing {
        /// The path as resolved.
        path: PathBuf,
    },
    /// The config or an include does not parse (the message has `file:line:col`).
    #[error("{0}")]
    Parse(String),
    /// The sandbox rewrite refused the config.
    #[error("cannot run `{}` in a sandbox: {reason}", path.display())]
    Sandbox {
        /// The config.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// A file the config names could not be read.
    #[error("cannot read `{}`, which the config names: {reason}", path.display())]
    Referenced {
        /// The file.
        path: PathBuf,
        /// The operating system's reason, lowercase.
        reason: String,
    },
}
