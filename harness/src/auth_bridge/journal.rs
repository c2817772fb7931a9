//! The record of every request a bridge handled, with its outcome, for
//! assertions; waiting on it is bounded.
//!
//! ```
//! use natsfault::auth_bridge::{Failure, HandledRequest, Outcome};
//! use std::time::Duration;
//!
//! let r = HandledRequest {
//!     seq: 1,
//!     user_nkey: None,
//!     server_id: None,
//!     client_user: Some("bob".into()),
//!     sent_token: false,
//!     sent_password: true,
//!     sealed: false,
//!     request: None,
//!     http_status: Some(401),
//!     outcome: Outcome::Refused(Failure::status(401, "Unauthorized")),
//!     elapsed: Duration::from_millis(3),
//! };
//! assert_eq!(r.outcome.failure().unwrap().message, "auth endpoint returned status 401 Unauthorized");
//! assert!(!r.outcome.is_authorized());
//! ```

use std::sync::Mutex;
use std::time::Duration;

use tokio::sync::watch;

use super::error::BridgeError;
use super::failure::Failure;
use crate::credentials::Permissions;
use crate::observe::CalloutRequestSeen;

/// What the bridge did with one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A user JWT was sent.
    Authorized {
        /// The endpoint's `user`.
        user: String,
        /// The permissions put in the user JWT.
        permissions: Permissions,
    },
    /// An error response was sent with the failure's message.
    Refused(Failure),
    /// Nothing was sent (silent by spec, or the request was unreadable).
    Unanswered(Failure),
}

impl Outcome {
    /// The failure, unless authorized.
    pub fn failure(&self) -> Option<&Failure> {
        match self {
            Outcome::Authorized { .. } => None,
            Outcome::Refused(f) | Outcome::Unanswered(f) => Some(f),
        }
    }

    /// Whether a user JWT was sent.
    pub fn is_authorized(&self) -> bool {
        matches!(self, Outcome::Authorized { .. })
    }
}

/// One handled request. Secrets the client sent are not kept: only whether
/// it sent them, and their digests in `request`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandledRequest {
    /// Arrival order, from 1.
    pub seq: u64,
    /// The request's `user_nkey`, when it could be read.
    pub user_nkey: Option<String>,
    /// The asking server's id, when the request could be read.
    pub server_id: Option<String>,
    /// The user name the client sent.
    pub client_user: Option<String>,
    /// Whether the client sent a token.
    pub sent_token: bool,
    /// Whether the client sent a password.
    pub sent_password: bool,
    /// Whether the request was sealed (`Nats-Server-Xkey`).
    pub sealed: bool,
    /// The request's fields, when it could be read (secrets as digests only).
    pub request: Option<CalloutRequestSeen>,
    /// The endpoint's status, when it answered.
    pub http_status: Option<u16>,
    /// What the bridge did.
    pub outcome: Outcome,
    /// From receipt to reply (or giving up).
    pub elapsed: Duration,
}

/// The shared record.
#[derive(Debug)]
pub(crate) struct Journal {
    entries: Mutex<Vec<HandledRequest>>,
    count: watch::Sender<usize>,
}

impl Journal {
    pub(crate) fn new() -> Journal {
        Journal { entries: Mutex::new(Vec::new()), count: watch::Sender::new(0) }
    }

    pub(crate) fn push(&self, entry: HandledRequest) {
        let n = {
            let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
            entries.push(entry);
            entries.len()
        };
        self.count.send_replace(n);
    }

    pub(crate) fn snapshot(&self) -> Vec<HandledRequest> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub(crate) async fn wait(&self, expected: usize, within: Duration) -> Result<Vec<HandledRequest>, BridgeError> {
        let mut rx = self.count.subscribe();
        let reached = tokio::time::timeout(within, rx.wait_for(|n| *n >= expected)).await;
        match reached {
            Ok(Ok(_)) => Ok(self.snapshot()),
            _ => Err(BridgeError::WaitTimedOut { expected, seen: self.snapshot().len(), waited: within }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(seq: u64) -> HandledRequest {
        HandledRequest {
            seq,
            user_nkey: None,
            server_id: None,
            client_user: None,
            sent_token: false,
            sent_password: false,
            sealed: false,
            request: None,
            http_status: None,
            outcome: Outcome::Unanswered(Failure::bad_request("x")),
            elapsed: Duration::ZERO,
        }
    }

    #[tokio::test]
    async fn wait_is_bounded_and_wakes() {
        let j = std::sync::Arc::new(Journal::new());
        let err = j.wait(1, Duration::from_millis(20)).await.unwrap_err();
        assert_eq!(err.to_string(), "expected 1 handled requests within 20ms, saw 0");
        let j2 = j.clone();
        let waiter = tokio::spawn(async move { j2.wait(2, Duration::from_secs(5)).await });
        j.push(entry(1));
        j.push(entry(2));
        assert_eq!(waiter.await.unwrap().unwrap().len(), 2);
    }
}
