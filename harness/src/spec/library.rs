//! Which client library a scenario client is played with, and what a step expects of each.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use toml::Spanned;

/// A NATS client library natsfault can drive.
///
/// ```toml
/// [clients.app]
/// library = "nats-py"     # default: async-nats
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
pub enum Library {
    /// async-nats (Rust), in-process: the default.
    #[default]
    #[serde(rename = "async-nats")]
    AsyncNats,
    /// nats-py (Python, asyncio), a driver program in a virtualenv under `.cache/clients/`.
    #[serde(rename = "nats-py")]
    NatsPy,
    /// nats.go (Go), a driver program built from Debian's package under `.cache/clients/`.
    #[serde(rename = "nats.go")]
    NatsGo,
    /// nats.c (C, libnats), a driver program built against Debian's package under `.cache/clients/`.
    #[serde(rename = "nats.c")]
    NatsC,
}

impl Library {
    /// Every library, in report order.
    pub const ALL: [Library; 4] = [Library::AsyncNats, Library::NatsPy, Library::NatsGo, Library::NatsC];

    /// The name scenario files and `--clients` use.
    pub fn as_str(self) -> &'static str {
        match self {
            Library::AsyncNats => "async-nats",
            Library::NatsPy => "nats-py",
            Library::NatsGo => "nats.go",
            Library::NatsC => "nats.c",
        }
    }

    /// Whether this library can connect over websocket (`ws://`, `wss://`).
    pub fn has_websocket(self) -> bool {
        match self {
            Library::AsyncNats | Library::NatsPy | Library::NatsGo => true,
            // libnats 3.4.1 speaks NATS over TCP only.
            Library::NatsC => false,
        }
    }

    /// Whether this library can start TLS before the server's INFO (`tls-first`, for
    /// `tls { handshake_first: true }`).
    pub fn has_tls_first(self) -> bool {
        match self {
            Library::AsyncNats | Library::NatsPy => true,
            // nats.go has `TLSHandshakeFirst` from 1.31 (Debian's is 1.22.1); libnats 3.4.1 none.
            Library::NatsGo | Library::NatsC => false,
        }
    }

    /// Whether this library can play JetStream, key-value or object store action `a` (any other
    /// action: `true`). async-nats plays every one; nats-py and nats.go every one but
    /// `js-receive` (a push consumer's message stream); nats.c none (its driver has no
    /// JetStream operations).
    ///
    /// ```
    /// use natsfault::spec::{Action, Library};
    /// assert!(Library::NatsGo.plays_js(Action::KvGet));
    /// assert!(!Library::NatsPy.plays_js(Action::JsReceive));
    /// assert!(!Library::NatsC.plays_js(Action::JsAddStream));
    /// assert!(Library::NatsC.plays_js(Action::Publish));
    /// ```
    pub fn plays_js(self, a: super::step::Action) -> bool {
        if !super::jetstream_action::is_js(a) {
            return true;
        }
        match self {
            Library::AsyncNats => true,
            Library::NatsPy | Library::NatsGo => a != super::step::Action::JsReceive,
            Library::NatsC => false,
        }
    }

    /// Why this library cannot play some JetStream actions ([`Library::plays_js`]).
    pub fn js_gap(self) -> &'static str {
        match self {
            Library::AsyncNats => "async-nats plays every JetStream action",
            Library::NatsPy | Library::NatsGo => "its driver has no push consumer's message stream",
            Library::NatsC => "its driver has no JetStream operations",
        }
    }

    /// Whether this library is a separate driver program (every one but async-nats).
    pub fn is_external(self) -> bool {
        self != Library::AsyncNats
    }
}

impl fmt::Display for Library {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a library name is not one natsfault knows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown client library `{0}`: expected `async-nats`, `nats-py`, `nats.go` or `nats.c`")]
pub struct LibraryParseError(pub String);

impl std::str::FromStr for Library {
    type Err = LibraryParseError;
    fn from_str(s: &str) -> Result<Library, LibraryParseError> {
        Library::ALL.into_iter().find(|l| l.as_str() == s.trim()).ok_or_else(|| LibraryParseError(s.trim().into()))
    }
}

/// What one library surfaces for a step, in its own terms: it replaces the step's `error`,
/// `error-contains` and `event` (which describe async-nats) for that library. No `error` means
/// the action succeeds in that library.
///
/// ```toml
/// [[steps]]
/// do = "request"
/// client = "app"
/// subject = "denied.service"
/// expect = { error = "TimedOut", server-err = 'Permissions Violation for Publish to "denied.service"' }
/// [steps.expect.by-library.nats-py]
/// error = "nats.errors.TimeoutError"
/// [steps.expect.by-library."nats.go"]
/// error = "nats.ErrTimeout"
/// event = 'error: nats: permissions violation for publish to "denied.service"'
/// ```
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LibraryExpect {
    /// The error the library's call raised or returned: an exception class (`nats.errors.TimeoutError`),
    /// a Go error variable or type (`nats.ErrTimeout`), an async-nats kind (`TimedOut`).
    pub error: Option<Spanned<String>>,
    /// Text that error's message must contain.
    pub error_contains: Option<String>,
    /// An event the library surfaced (a callback or an event stream): `connected`, `disconnected`,
    /// `reconnected`, `closed`, `error: MESSAGE`; a bare kind matches any event of that kind.
    pub event: Option<Spanned<String>>,
    /// The `-ERR` the server sent this client (replaces the step's `server-err`; `""` expects
    /// none): where the library sends something else (F27: it drops the URL's credentials), the
    /// server answers something else.
    pub server_err: Option<String>,
    /// Bounds on how long the step took (replaces the step's `elapsed`): a driver program's
    /// step includes its start (a Python driver takes a few hundred milliseconds).
    pub elapsed: Option<super::time_range::TimeRange>,
    /// How many connections the client opened through its tap (replaces the step's
    /// `connections`): how often a library reconnects is the library's own behaviour.
    pub connections: Option<super::count_range::CountRange>,
    /// What the auth callout service received for the client (replaces the step's
    /// `callout-request`): what a library puts in CONNECT (G05: a token next to a user and
    /// password) is its own.
    pub callout_request: Option<Spanned<super::callout_request::CalloutRequestMatch>>,
    /// The JetStream API error the library reported (replaces the step's `api-error`): a
    /// library may report its own sentinel instead of the server's description (nats.go).
    pub api_error: Option<super::api_error::ApiErrorSpec>,
    /// How many authorization requests the auth callout service received (replaces the step's
    /// `callout-calls`): a library that reconnects is authorized again, one that closes is not.
    pub callout_calls: Option<super::count_range::CountRange>,
}

impl LibraryExpect {
    /// Whether this entry describes a failure of the library's call: an error, an `-ERR`, or a
    /// failure event.
    pub fn expects_failure(&self) -> bool {
        self.error.is_some()
            || self.server_err.as_deref().is_some_and(|t| !t.is_empty())
            || self.event.as_ref().is_some_and(|e| {
                let e = e.get_ref();
                ["error", "disconnected", "closed"].iter().any(|k| e.starts_with(k))
            })
    }
}

/// `by-library = { nats-py = { ... }, "nats.go" = { ... } }` of one expectation table.
pub type ByLibrary = BTreeMap<Spanned<Library>, LibraryExpect>;
