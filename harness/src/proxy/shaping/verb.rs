//! The NATS protocol verbs a rule can match, and which way each travels.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::super::spec::Stream;

/// A protocol verb of the client protocol (`INFO` ... `-ERR`).
///
/// ```
/// use natsfault::proxy::{Stream, shaping::Verb};
/// let v: Verb = "hpub".parse().unwrap();
/// assert_eq!(v, Verb::Hpub);
/// assert_eq!(v.travels(), Some(Stream::Upstream));
/// assert!(v.has_subject() && v.has_reply() && v.has_headers());
/// assert_eq!(Verb::Pong.travels(), None, "both sides send PONG");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Verb {
    /// `INFO {json}`, server to client.
    Info,
    /// `CONNECT {json}`, client to server.
    Connect,
    /// `PUB subject [reply] size`.
    Pub,
    /// `HPUB subject [reply] hdr_size total_size`.
    Hpub,
    /// `SUB subject [queue] sid`.
    Sub,
    /// `UNSUB sid [max]`.
    Unsub,
    /// `MSG subject sid [reply] size`.
    Msg,
    /// `HMSG subject sid [reply] hdr_size total_size`.
    Hmsg,
    /// `PING`, either way.
    Ping,
    /// `PONG`, either way.
    Pong,
    /// `+OK`, server to client (verbose mode).
    Ok,
    /// `-ERR 'text'`, server to client.
    Err,
}

/// Every verb, in the order the docs list them.
pub const VERBS: [Verb; 12] = [
    Verb::Info,
    Verb::Connect,
    Verb::Pub,
    Verb::Hpub,
    Verb::Sub,
    Verb::Unsub,
    Verb::Msg,
    Verb::Hmsg,
    Verb::Ping,
    Verb::Pong,
    Verb::Ok,
    Verb::Err,
];

impl Verb {
    /// The verb as the protocol spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Verb::Info => "INFO",
            Verb::Connect => "CONNECT",
            Verb::Pub => "PUB",
            Verb::Hpub => "HPUB",
            Verb::Sub => "SUB",
            Verb::Unsub => "UNSUB",
            Verb::Msg => "MSG",
            Verb::Hmsg => "HMSG",
            Verb::Ping => "PING",
            Verb::Pong => "PONG",
            Verb::Ok => "+OK",
            Verb::Err => "-ERR",
        }
    }

    /// The only direction this verb travels in (`Upstream` is client to server), or `None`
    /// when both sides send it.
    pub fn travels(self) -> Option<Stream> {
        match self {
            Verb::Connect | Verb::Pub | Verb::Hpub | Verb::Sub | Verb::Unsub => Some(Stream::Upstream),
            Verb::Info | Verb::Msg | Verb::Hmsg | Verb::Ok | Verb::Err => Some(Stream::Downstream),
            Verb::Ping | Verb::Pong => None,
        }
    }

    /// Whether its control line names a subject.
    pub fn has_subject(self) -> bool {
        matches!(self, Verb::Pub | Verb::Hpub | Verb::Sub | Verb::Msg | Verb::Hmsg)
    }

    /// Whether its control line may name a reply subject.
    pub fn has_reply(self) -> bool {
        matches!(self, Verb::Pub | Verb::Hpub | Verb::Msg | Verb::Hmsg)
    }

    /// Whether it carries headers.
    pub fn has_headers(self) -> bool {
        matches!(self, Verb::Hpub | Verb::Hmsg)
    }

    /// Whether a payload follows its control line.
    pub fn has_payload(self) -> bool {
        self.has_reply()
    }
}

impl fmt::Display for Verb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a verb could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown verb `{0}`, expected one of INFO, CONNECT, PUB, HPUB, SUB, UNSUB, MSG, HMSG, PING, PONG, +OK, -ERR")]
pub struct VerbParseError(pub String);

impl FromStr for Verb {
    type Err = VerbParseError;

    fn from_str(s: &str) -> Result<Self, VerbParseError> {
        let upper = s.trim().to_ascii_uppercase();
        VERBS.into_iter().find(|v| v.as_str() == upper).ok_or_else(|| VerbParseError(s.to_string()))
    }
}

impl TryFrom<String> for Verb {
    type Error = VerbParseError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Verb> for String {
    fn from(v: Verb) -> String {
        v.as_str().to_string()
    }
}
