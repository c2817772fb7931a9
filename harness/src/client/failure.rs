//! A client operation's failure, reduced to async-nats' error kind and message.

use std::fmt::Debug;

/// What a failed client operation reported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientFailure {
    /// The operation (`connect`, `publish`, `request`, ...).
    pub op: &'static str,
    /// async-nats' kind, e.g. `AuthorizationViolation`, `TimedOut`, `Io`.
    pub kind: String,
    /// The error's message, with its source chain.
    pub message: String,
    /// The JetStream API error the server answered a JetStream operation with, if any.
    pub api: Option<super::jetstream::ApiError>,
}

impl ClientFailure {
    /// From an async-nats error with a kind.
    pub fn from_nats<K>(op: &'static str, e: &async_nats::error::Error<K>) -> ClientFailure
    where
        K: Debug + Clone + PartialEq + std::fmt::Display,
    {
        let mut message = e.to_string();
        let mut src = std::error::Error::source(e);
        while let Some(s) = src {
            let t = s.to_string();
            if !message.contains(&t) {
                message.push_str(": ");
                message.push_str(&t);
            }
            src = s.source();
        }
        ClientFailure { op, kind: format!("{:?}", e.kind()), message, api: None }
    }

    /// From an I/O error (raw clients).
    pub fn io(op: &'static str, e: &std::io::Error) -> ClientFailure {
        let kind = if e.kind() == std::io::ErrorKind::TimedOut { "TimedOut" } else { "Io" };
        ClientFailure { op, kind: kind.into(), message: e.to_string(), api: None }
    }

    /// A creds file async-nats refused to read (`ConnectOptions::credentials_file`): the kind is
    /// the `io::ErrorKind` (`InvalidData` for a malformed file, `Other` for a missing one).
    pub fn credentials(e: &std::io::Error) -> ClientFailure {
        ClientFailure { op: "credentials-file", kind: format!("{:?}", e.kind()), message: e.to_string(), api: None }
    }

    /// A timeout the harness itself enforced.
    pub fn timed_out(op: &'static str, what: impl Into<String>) -> ClientFailure {
        ClientFailure { op, kind: "TimedOut".into(), message: what.into(), api: None }
    }
}
