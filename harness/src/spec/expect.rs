//! What a step expects to observe.

use serde::Deserialize;
use toml::Spanned;

use super::count_range::CountRange;
use super::duration::Dur;
use super::time_range::TimeRange;
use super::version_req::VersionReq;

/// The expectations of one step, `expect = { ... }` or `expect-fixed = { ... }`.
///
/// An empty table means success: the action returned no error and the server sent this client no
/// `-ERR` while the step ran.
///
/// ```toml
/// expect = { server-err = 'Permissions Violation for Publish to "analytics.events.user_signup"',
///            event = 'server-error: Permissions Violation for Publish to "analytics.events.user_signup"',
///            log = 'Publish Violation' }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Expect {
    /// The client-side error kind, as async-nats names it (`AuthorizationViolation`, `TimedOut`,
    /// `Io`, `NoResponders`, ...).
    pub error: Option<Spanned<String>>,
    /// Text the client error's message must contain.
    pub error_contains: Option<String>,
    /// The exact text of an `-ERR` the server sent this client (without the quotes); `""`
    /// expects none, also when the step fails otherwise (a connection closed without a word).
    pub server_err: Option<String>,
    /// A regular expression an `-ERR` the server sent this client must match, for a subject the
    /// client generated (an inbox): `'Permissions Violation for Subscription to "_INBOX\..*"'`.
    pub server_err_matches: Option<Spanned<String>>,
    /// The JetStream API error async-nats reported: `{ code = 503, err-code = 10039,
    /// description = "jetstream not enabled for account" }`; each key optional.
    pub api_error: Option<super::api_error::ApiErrorSpec>,
    /// An async-nats event: `connected`, `disconnected`, `closed`, `lame-duck-mode`,
    /// `server-error: TEXT`, `client-error: TEXT`; a bare kind matches any event of that kind.
    pub event: Option<Spanned<String>>,
    /// A regular expression a server log line must match. Placeholders such as
    /// `{{nkey.alice.public}}` match their value literally.
    pub log: Option<Spanned<String>>,
    /// The server's debug reason for an authentication failure since the step began: the
    /// `[DBG]` line it logs for that connection just before `[ERR] ... - authentication error`,
    /// without the address and cid (e.g. `User authentication revoked`). Exact text; `""`
    /// expects a failure for which the server logged no reason (an unknown nkey or user).
    pub reason: Option<Spanned<String>>,
    /// Text a raw client or a received message must carry.
    pub received: Option<String>,
    /// Text no line a raw client received in this phase may contain (checked after the other
    /// expectations were awaited; put it on a step after a PING/PONG round trip).
    pub not_received: Option<String>,
    /// How long to wait for `server-err`, `event`, `log` and `received` (default `2s`).
    pub within: Option<Dur>,
    /// How many connections the client opened through its tap since the step began (the first
    /// connect and every reconnect), counted after the other expectations were awaited.
    pub connections: Option<CountRange>,
    /// How many requests the auth endpoint received since the step began, counted after the
    /// other expectations were awaited (a lower bound is awaited too, up to `within`).
    pub endpoint_calls: Option<CountRange>,
    /// Text the body or `Authorization` header of a request the endpoint received since the
    /// step began must contain (placeholders allowed, e.g. `"Bearer {{token.app}}"`).
    pub endpoint_received: Option<Spanned<String>>,
    /// Bounds on how long the step itself took.
    pub elapsed: Option<TimeRange>,
    /// These expectations are for the versions that match; on the others the step does not run
    /// in this phase (pair it with a step for the other versions, or use the step's `versions`).
    pub versions: Option<VersionReq>,
}

impl Expect {
    /// Whether these expectations describe a failure (an error, an `-ERR`, a failure event).
    pub fn expects_failure(&self) -> bool {
        self.error.is_some()
            || self.api_error.is_some()
            || self.server_err_matches.is_some()
            || self.server_err.as_deref().is_some_and(|t| !t.is_empty())
            || self.reason.is_some()
            || self.event.as_ref().is_some_and(|e| {
                let e = e.get_ref();
                ["server-error", "client-error", "disconnected", "closed"].iter().any(|k| e.starts_with(k))
            })
    }
}
