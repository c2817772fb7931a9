//! Why a callout was not granted, and every text the bridge puts in an error
//! response (and so in the server's log). All such texts live here.
//!
//! The server logs a refusal as `Auth callout service returned an error: `
//! followed by [`Failure::message`], so the messages are lowercase fragments
//! that name the value at fault. They never contain `%`: the server passes the
//! text to its logger as a format string.
//!
//! ```
//! use std::time::Duration;
//! use natsfault::auth_bridge::{Failure, FailureKind};
//!
//! let f = Failure::status(401, "Unauthorized");
//! assert_eq!(f.kind, FailureKind::Status);
//! assert_eq!(f.message, "auth endpoint returned status 401 Unauthorized");
//! let f = Failure::timeout(Duration::from_millis(300));
//! assert_eq!(f.message, "auth endpoint did not answer within 300ms");
//! ```

use std::fmt;
use std::time::Duration;

/// The kinds of failure, to match on (and to choose which stay unanswered).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FailureKind {
    /// The request was sealed and could not be opened (no or wrong xkey).
    Unseal,
    /// The message is not a valid authorization request JWT.
    BadRequest,
    /// The endpoint answered with a status outside 2xx.
    Status,
    /// The endpoint's body is not JSON.
    NotJson,
    /// The endpoint's JSON is not `{"user": ..., "permissions": {"pub": [...], "sub": [...]}}`.
    BadShape,
    /// The endpoint did not answer completely within the bridge's timeout.
    Timeout,
    /// No TCP connection to the endpoint could be made.
    Unreachable,
    /// The HTTP exchange broke after connecting (reset, malformed response).
    Http,
    /// The response JWT could not be signed, sealed or sent.
    Respond,
}

impl FailureKind {
    /// Whether an error response can be sent for this kind: not when the
    /// request itself could not be read (its user key and server id are
    /// needed to address a response).
    pub fn can_answer(self) -> bool {
        !matches!(self, FailureKind::Unseal | FailureKind::BadRequest | FailureKind::Respond)
    }
}

/// A failure with its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// What kind of failure.
    pub kind: FailureKind,
    /// The text sent as the response's `error` (and recorded).
    pub message: String,
}

/// Keeps messages safe for the server's format-string logging.
fn clean(text: impl fmt::Display) -> String {
    text.to_string().replace('%', " percent ")
}

impl Failure {
    fn new(kind: FailureKind, message: String) -> Failure {
        Failure { kind, message: clean(message) }
    }

    /// The request carried `Nats-Server-Xkey` but the bridge has no xkey.
    pub fn sealed_without_xkey() -> Failure {
        Failure::new(FailureKind::Unseal, "request is sealed but the bridge has no xkey seed".into())
    }

    /// The sealed request could not be opened.
    pub fn unseal(detail: impl fmt::Display) -> Failure {
        Failure::new(FailureKind::Unseal, format!("cannot open the sealed request: {detail}"))
    }

    /// The request is not a valid authorization request.
    pub fn bad_request(detail: impl fmt::Display) -> Failure {
        Failure::new(FailureKind::BadRequest, format!("expected an authorization request JWT: {detail}"))
    }

    /// The endpoint answered `code reason`.
    pub fn status(code: u16, reason: &str) -> Failure {
        let text = if reason.is_empty() {
            format!("auth endpoint returned status {code}")
        } else {
            format!("auth endpoint returned status {code} {reason}")
        };
        Failure::new(FailureKind::Status, text)
    }

    /// The endpoint's body is not JSON.
    pub fn not_json(detail: impl fmt::Display) -> Failure {
        Failure::new(FailureKind::NotJson, format!("auth endpoint returned a body that is not JSON: {detail}"))
    }

    /// The endpoint's JSON has the wrong shape.
    pub fn bad_shape(detail: impl fmt::Display) -> Failure {
        Failure::new(
            FailureKind::BadShape,
            format!("auth endpoint returned JSON without `user` and `permissions` as expected: {detail}"),
        )
    }

    /// No complete answer within `limit`.
    pub fn timeout(limit: Duration) -> Failure {
        Failure::new(FailureKind::Timeout, format!("auth endpoint did not answer within {limit:?}"))
    }

    /// No connection to `url`.
    pub fn unreachable(url: &str, detail: impl fmt::Display) -> Failure {
        Failure::new(FailureKind::Unreachable, format!("auth endpoint `{url}` is unreachable: {detail}"))
    }

    /// The HTTP exchange with `url` broke.
    pub fn http(url: &str, detail: impl fmt::Display) -> Failure {
        Failure::new(FailureKind::Http, format!("http exchange with `{url}` failed: {detail}"))
    }

    /// The response could not be built or sent.
    pub fn respond(detail: impl fmt::Display) -> Failure {
        Failure::new(FailureKind::Respond, format!("cannot send the authorization response: {detail}"))
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_never_carry_percent() {
        let f = Failure::unreachable("http://127.0.0.1:1/a%20b", "refused");
        assert!(!f.message.contains('%'), "{}", f.message);
    }

    #[test]
    fn only_readable_requests_can_be_answered() {
        assert!(!FailureKind::Unseal.can_answer());
        assert!(!FailureKind::BadRequest.can_answer());
        assert!(FailureKind::Timeout.can_answer());
        assert!(FailureKind::Status.can_answer());
    }
}
