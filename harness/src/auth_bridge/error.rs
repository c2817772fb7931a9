//! Typed errors of starting and watching a [`Bridge`](super::Bridge).
//!
//! Failures of single callouts are not errors of the bridge: they are
//! recorded as [`Outcome`](super::Outcome)s.
//!
//! ```
//! use natsfault::auth_bridge::BridgeError;
//!
//! let err = BridgeError::InvalidSpec { field: "auth_url", value: "ftp://x".into(), expected: "an `http://` URL".into() };
//! assert_eq!(err.to_string(), "invalid `auth_url` `ftp://x`: expected an `http://` URL");
//! ```

use std::time::Duration;

/// Everything that can go wrong when starting or watching a bridge.
#[derive(Debug, thiserror::Error)]
pub enum BridgeError {
    /// A spec field has a value the bridge cannot use.
    #[error("invalid `{field}` `{value}`: expected {expected}")]
    InvalidSpec {
        /// The field's name.
        field: &'static str,
        /// The value given (seeds are never shown: only their first two letters).
        value: String,
        /// What was expected, lowercase.
        expected: String,
    },
    /// The service credentials could not be read.
    #[error("cannot read the service credentials")]
    Credentials {
        /// The parse error from async-nats.
        #[source]
        source: std::io::Error,
    },
    /// The bridge could not connect to NATS as the auth service.
    #[error("cannot connect the auth service to `{url}`")]
    Connect {
        /// The NATS URL.
        url: String,
        /// The client's error.
        #[source]
        source: async_nats::ConnectError,
    },
    /// The bridge could not subscribe to the callout subject.
    #[error("cannot subscribe to `$SYS.REQ.USER.AUTH`")]
    Subscribe {
        /// The client's error.
        #[source]
        source: async_nats::SubscribeError,
    },
    /// The subscription was not confirmed by the server.
    #[error("the server did not confirm the subscription to `$SYS.REQ.USER.AUTH`")]
    Flush {
        /// The client's error.
        #[source]
        source: async_nats::client::FlushError,
    },
    /// Fewer requests were handled than awaited.
    #[error("expected {expected} handled requests within {waited:?}, saw {seen}")]
    WaitTimedOut {
        /// How many were awaited.
        expected: usize,
        /// How many there were.
        seen: usize,
        /// How long was waited.
        waited: Duration,
    },
}

impl BridgeError {
    /// An [`BridgeError::InvalidSpec`] for a seed: shows only its prefix.
    pub(crate) fn bad_seed(field: &'static str, seed: &str, expected: &str) -> BridgeError {
        let shown: String = seed.chars().take(2).collect();
        BridgeError::InvalidSpec { field, value: format!("{shown}..."), expected: expected.to_string() }
    }
}
