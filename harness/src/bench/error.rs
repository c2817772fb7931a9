//! Why a measurement could not be taken.

use crate::backend::ServerError;

/// A measurement that failed: which one, and why.
///
/// ```
/// use natsfault::bench::{BenchError, BenchErrorKind};
/// let e = BenchError::new("floor", BenchErrorKind::NoPort { waited_ms: 15000 });
/// assert_eq!(e.to_string(), "floor: no `Listening for client connections on` line within 15000ms");
/// ```
#[derive(Debug, thiserror::Error)]
#[error("{measurement}: {kind}")]
pub struct BenchError {
    /// `floor`, `phases`, `container`, `suite`.
    pub measurement: &'static str,
    /// What went wrong.
    #[source]
    pub kind: BenchErrorKind,
}

/// What went wrong in a measurement.
#[derive(Debug, thiserror::Error)]
pub enum BenchErrorKind {
    /// Starting or controlling a server failed.
    #[error(transparent)]
    Server(#[from] ServerError),
    /// An operating system error.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The error.
        source: std::io::Error,
    },
    /// The bare server never said which port it listens on.
    #[error("no `Listening for client connections on` line within {waited_ms}ms")]
    NoPort {
        /// How long it was given.
        waited_ms: u64,
    },
    /// Nothing answered `PING` with `PONG`.
    #[error("no PONG from `{addr}` within {waited_ms}ms: {detail}")]
    NoPong {
        /// Where.
        addr: String,
        /// How long it was given.
        waited_ms: u64,
        /// The last error seen.
        detail: String,
    },
    /// A command (`docker run`, `natsfault run`) failed.
    #[error("`{command}` failed: {detail}")]
    Command {
        /// The command line.
        command: String,
        /// Its exit status and the end of its stderr.
        detail: String,
    },
}

impl BenchError {
    /// A failure of `measurement`.
    pub fn new(measurement: &'static str, kind: impl Into<BenchErrorKind>) -> BenchError {
        BenchError { measurement, kind: kind.into() }
    }

    /// Whether the environment lacks something (a binary, an engine): exit code 3.
    pub fn is_environment(&self) -> bool {
        matches!(&self.kind, BenchErrorKind::Server(e) if e.is_environment())
    }
}

impl BenchErrorKind {
    /// Wraps an I/O error with what was being done.
    pub fn io(context: impl Into<String>) -> impl FnOnce(std::io::Error) -> BenchErrorKind {
        let context = context.into();
        move |source| BenchErrorKind::Io { context, source }
    }
}
