//! Observations: what happened during a phase, in the order it happened.

use serde::Serialize;

/// One observed fact with its time from the start of the phase.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Observation {
    /// Milliseconds since the phase started.
    pub at_ms: u64,
    /// The step it belongs to (1-based), if any.
    pub step: Option<usize>,
    /// The client it concerns, if any.
    pub client: Option<String>,
    /// What was observed.
    #[serde(flatten)]
    pub kind: ObservationKind,
}

/// The kinds of observation.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ObservationKind {
    /// The server refused to start.
    ServerRefused {
        /// Its error, e.g. `nats.conf:1:0: unknown field "auth_url"`.
        message: String,
    },
    /// The server became ready.
    ServerReady {
        /// Milliseconds from spawn to ready.
        ready_ms: u64,
    },
    /// A server action was taken.
    ServerAction {
        /// Which.
        action: String,
    },
    /// A client-side operation returned an error.
    ClientError {
        /// The operation (`connect`, `request`, ...).
        op: String,
        /// async-nats' error kind.
        error_kind: String,
        /// The error's message.
        message: String,
    },
    /// A client connected with this library.
    ClientLibrary {
        /// `async-nats`, `nats-py`, `nats.go`, `nats.c`.
        library: String,
        /// Its version, as the library reports it.
        version: String,
    },
    /// A client-side operation succeeded.
    ClientOk {
        /// The operation.
        op: String,
    },
    /// The server sent `-ERR` on this client's connection.
    ServerErr {
        /// The text without quotes.
        text: String,
    },
    /// async-nats reported an event.
    Event {
        /// Rendered as `server-error: TEXT`, `disconnected`, ...
        event: String,
    },
    /// A server log line matched an expectation.
    LogLine {
        /// The line.
        line: String,
    },
    /// A message arrived.
    Message {
        /// Its subject.
        subject: String,
        /// Its payload as text.
        payload: String,
    },
    /// A raw client received bytes.
    Received {
        /// What arrived, as text.
        text: String,
    },
    /// A shaping rule fired on a frame.
    Shaped {
        /// The rule's name.
        rule: String,
        /// What it did (`drop`, `delay`, `duplicate`, `corrupt`, `disconnect`, `inject`).
        action: String,
        /// The frame (`PUB orders.new`, `PONG`, `-ERR 'text'`).
        frame: String,
        /// Which way the frame was going: `server` or `client`.
        to: String,
        /// The tap's id of the connection (1 for the first connection through it).
        connection: u64,
    },
    /// The auth callout service received an authorization request that a `callout-request`
    /// expectation matched.
    CalloutRequest {
        /// The fields the expectation named, as received (secrets as `present (<redacted>)`).
        fields: String,
    },
    /// The server logged an authentication failure.
    AuthFailure {
        /// Its debug reason (`User authentication revoked`), if it logged one.
        reason: Option<String>,
        /// The `[ERR] ... - authentication error` line.
        line: String,
    },
}

impl ObservationKind {
    /// The same observation with every secret replaced.
    pub fn redacted(self, secrets: &crate::render::Secrets) -> ObservationKind {
        let r = |s: String| secrets.redact(&s);
        match self {
            ObservationKind::ServerRefused { message } => ObservationKind::ServerRefused { message: r(message) },
            ObservationKind::ServerReady { ready_ms } => ObservationKind::ServerReady { ready_ms },
            ObservationKind::ServerAction { action } => ObservationKind::ServerAction { action },
            ObservationKind::ClientError { op, error_kind, message } => {
                ObservationKind::ClientError { op, error_kind, message: r(message) }
            }
            ObservationKind::ClientOk { op } => ObservationKind::ClientOk { op },
            ObservationKind::ClientLibrary { library, version } => ObservationKind::ClientLibrary { library, version },
            ObservationKind::ServerErr { text } => ObservationKind::ServerErr { text: r(text) },
            ObservationKind::Event { event } => ObservationKind::Event { event: r(event) },
            ObservationKind::LogLine { line } => ObservationKind::LogLine { line: r(line) },
            ObservationKind::Message { subject, payload } => ObservationKind::Message { subject, payload: r(payload) },
            ObservationKind::Received { text } => ObservationKind::Received { text: r(text) },
            ObservationKind::Shaped { rule, action, frame, to, connection } => {
                ObservationKind::Shaped { rule, action, frame: r(frame), to, connection }
            }
            ObservationKind::CalloutRequest { fields } => ObservationKind::CalloutRequest { fields: r(fields) },
            ObservationKind::AuthFailure { reason, line } => {
                ObservationKind::AuthFailure { reason: reason.map(r), line: r(line) }
            }
        }
    }
}
