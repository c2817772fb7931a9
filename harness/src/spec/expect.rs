//! What a step expects to observe.

use serde::Deserialize;
use toml::Spanned;

use super::count_range::CountRange;
use super::duration::Dur;
use super::library::{ByLibrary, Library};
use super::patterns::Patterns;
use super::time_range::TimeRange;
use super::version_req::VersionReq;
use super::window::{Since, Unwanted};

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
    /// A regular expression an `-ERR` the server sent this client must match (for texts that
    /// name generated inboxes or consumers).
    pub server_err_matches: Option<Spanned<String>>,
    /// A regular expression no `-ERR` the server sent this client in the step's window may
    /// match (checked after the other expectations were awaited).
    pub server_err_absent: Option<Spanned<String>>,
    /// The HTTP status of an `http-get` step's response (`200`).
    pub http_status: Option<Spanned<u16>>,
    /// Regular expressions (one, or an array) the body of an `http-get` step's response must
    /// each match.
    pub http_body: Option<Spanned<Patterns>>,
    /// The JetStream API error async-nats reported: `{ code = 503, err-code = 10039,
    /// description = "jetstream not enabled for account" }`; each key optional.
    pub api_error: Option<super::api_error::ApiErrorSpec>,
    /// An async-nats event: `connected`, `disconnected`, `closed`, `lame-duck-mode`,
    /// `server-error: TEXT`, `client-error: TEXT`; a bare kind matches any event of that kind.
    pub event: Option<Spanned<String>>,
    /// Regular expressions (one, or an array) each of which some server log line must match.
    /// Placeholders such as `{{nkey.alice.public}}` match their value literally.
    pub log: Option<Spanned<Patterns>>,
    /// The server of a topology whose log `log`, `log-absent` and `reason` read (default: the
    /// first declared; for `reason`, the server the step's client connected to).
    pub server: Option<Spanned<String>>,
    /// A link between two servers of a topology that must come up within `within`:
    /// `"leaf->hub"` (the server that dials first). Read from both servers' monitoring endpoints.
    pub link_up: Option<Spanned<String>>,
    /// A link that must not be up once the other expectations were awaited (pair it with the
    /// `log` line saying why, e.g. `Leafnode Error 'Authorization Violation'`).
    pub link_down: Option<Spanned<String>>,
    /// How many server log lines of the step's window match a pattern:
    /// `{ pattern = "Route Error", range = "200.." }` (see [`super::log_count::LogCount`]).
    pub log_count: Option<super::log_count::LogCount>,
    /// Regular expressions no server log line of the step's window may match (checked after the
    /// other expectations were awaited).
    pub log_absent: Option<Spanned<Patterns>>,
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
    /// A shaping rule (its `name`) that must fire in the window, awaited up to `within`: on the
    /// step's client's tap, or, in a step without a client, on any client's tap or link.
    pub shaped: Option<Spanned<String>>,
    /// How many times `shaped` fired in the window (default `1..`); the lower bound is awaited.
    pub shaped_count: Option<CountRange>,
    /// How many requests the auth endpoint received since the step began, counted after the
    /// other expectations were awaited (a lower bound is awaited too, up to `within`).
    pub endpoint_calls: Option<CountRange>,
    /// Text the body or `Authorization` header of a request the endpoint received since the
    /// step began must contain (placeholders allowed, e.g. `"Bearer {{token.app}}"`).
    pub endpoint_received: Option<Spanned<String>>,
    /// What the server put in an authorization request the auth callout service received for
    /// the step's client since the step began: `{ connect-opts = { auth-token = "present" } }`
    /// (see [`super::callout_request::CalloutRequestMatch`]). Awaited up to `within`.
    pub callout_request: Option<Spanned<super::callout_request::CalloutRequestMatch>>,
    /// How many authorization requests the auth callout service received since the step began
    /// (from any client), counted after the other expectations were awaited (a lower bound is
    /// awaited too, up to `within`).
    pub callout_calls: Option<CountRange>,
    /// Where the window of these expectations begins: `step` (the default) or `phase`.
    pub since: Option<Since>,
    /// `success`: the broken phase shows an unwanted success (the misconfiguration lets the
    /// action through); the fixed phase then expects the refusal.
    pub unwanted: Option<Spanned<Unwanted>>,
    /// Bounds on how long the step itself took.
    pub elapsed: Option<TimeRange>,
    /// These expectations are for the versions that match; on the others the step does not run
    /// in this phase (pair it with a step for the other versions, or use the step's `versions`).
    pub versions: Option<VersionReq>,
    /// What other client libraries surface for this step, in their own terms: `error`,
    /// `error-contains` and `event` above describe async-nats; `[steps.expect.by-library.nats-py]`
    /// says what nats-py raises instead (see [`super::library::LibraryExpect`]).
    pub by_library: Option<ByLibrary>,
    /// Set when played by a library that the scenario's `libraries` does not list and that has
    /// no `by-library` entry: what the library surfaces is recorded, not asserted.
    #[serde(skip)]
    pub unasserted: bool,
    /// Set with `unasserted` when the expectations for async-nats describe a failure: the step
    /// still counts as one that may fail (no implicit "no `-ERR`" for it).
    #[serde(skip)]
    pub unasserted_failure: bool,
}

impl Expect {
    /// Whether these expectations describe a failure (an error, an `-ERR`, a failure event).
    pub fn expects_failure(&self) -> bool {
        self.error.is_some()
            || self.unasserted_failure
            || self.api_error.is_some()
            || self.server_err_matches.is_some()
            || self.server_err.as_deref().is_some_and(|t| !t.is_empty())
            || self.server_err_matches.is_some()
            || self.reason.is_some()
            || self.event.as_ref().is_some_and(|e| {
                let e = e.get_ref();
                ["server-error", "client-error", "disconnected", "closed"].iter().any(|k| e.starts_with(k))
            })
    }

    /// Whether a raw client must read an `-ERR` itself (`received = "-ERR ..."`): the failure a
    /// raw websocket client observes, as it unframes what the tap cannot read.
    pub fn expects_received_err(&self) -> bool {
        self.received.as_deref().is_some_and(|r| r.trim_start().starts_with("-ERR"))
    }

    /// Whether the broken phase calls the action's success unwanted.
    pub fn expects_unwanted_success(&self) -> bool {
        self.unwanted.as_ref().is_some_and(|u| *u.get_ref() == Unwanted::Success)
    }

    /// Whether these expectations make a step wait for evidence (a client error, an `-ERR`, an
    /// event, a log line, a reason, something received, an endpoint request): without any, a
    /// step that acts on nothing or only writes bytes proves nothing by passing.
    pub fn awaits_evidence(&self) -> bool {
        self.error.is_some()
            || self.server_err.as_deref().is_some_and(|t| !t.is_empty())
            || self.server_err_matches.is_some()
            || self.event.is_some()
            || self.log.as_ref().is_some_and(|l| !l.get_ref().is_empty())
            || self.reason.is_some()
            || self.received.is_some()
            || self.http_status.is_some()
            || self.http_body.is_some()
            || self.endpoint_received.is_some()
            || self.callout_request.is_some()
            || self.link_up.is_some()
            || self.shaped.is_some() && self.shaped_count.is_none_or(|c| c.min.is_some_and(|m| m > 0))
            || self.log_count.as_ref().is_some_and(|c| c.range.min.is_some_and(|m| m > 0))
            || self.endpoint_calls.as_ref().is_some_and(|c| c.min.is_some_and(|m| m > 0))
            || self.callout_calls.as_ref().is_some_and(|c| c.min.is_some_and(|m| m > 0))
    }

    /// Whether these expectations check nothing at all (apart from `within`, `since` and
    /// `versions`, which only shape the other checks).
    pub fn checks_nothing(&self) -> bool {
        let shape = Expect { within: None, since: None, versions: None, by_library: None, ..self.clone() };
        shape == Expect::default()
    }

    /// These expectations as `library` must meet them. async-nats keeps them as they are; another
    /// library's `by-library` entry replaces `error`, `error-contains` and `event` (and
    /// `connections`, `server-err`, `elapsed`, `callout-request`, `callout-calls` and `api-error`, when it has them); without an
    /// entry, a library the scenario lists (`asserted`) must meet them as they are (`check`
    /// refuses a file whose step expects an async-nats error or event of such a library without
    /// an entry), and any other library's own outcome is recorded, not asserted. The expectations
    /// that describe the server (`server-err`, `log`, `reason`, `connections`, `received`, ...)
    /// hold for every library.
    ///
    /// ```
    /// use natsfault::spec::{Expect, Library};
    /// let e: Expect = toml::from_str(r#"
    /// error = "TimedOut"
    /// by-library.nats-py = { error = "nats.errors.TimeoutError" }
    /// "#).unwrap();
    /// let py = e.for_library(Library::NatsPy, &[]);
    /// assert_eq!(py.error.unwrap().into_inner(), "nats.errors.TimeoutError");
    /// assert!(e.for_library(Library::NatsGo, &[]).unasserted);
    /// ```
    pub fn for_library(&self, library: Library, asserted: &[Library]) -> Expect {
        if !library.is_external() {
            return self.clone();
        }
        let own = self.by_library.as_ref().and_then(|m| m.iter().find(|(l, _)| *l.get_ref() == library));
        match own {
            Some((_, e)) => Expect {
                error: e.error.clone(),
                error_contains: e.error_contains.clone(),
                event: e.event.clone(),
                connections: e.connections.or(self.connections),
                server_err: e.server_err.clone().or_else(|| self.server_err.clone()),
                elapsed: e.elapsed.or(self.elapsed),
                callout_request: e.callout_request.clone().or_else(|| self.callout_request.clone()),
                callout_calls: e.callout_calls.or(self.callout_calls),
                api_error: e.api_error.clone().or_else(|| self.api_error.clone()),
                ..self.clone()
            },
            None if asserted.contains(&library) => self.clone(),
            None => Expect {
                error: None,
                error_contains: None,
                event: None,
                api_error: None,
                unasserted: true,
                unasserted_failure: self.expects_failure(),
                ..self.clone()
            },
        }
    }

    /// Whether these expectations name something only async-nats surfaces (an error kind, a
    /// message, an event), so another library needs its own `by-library` entry.
    pub fn names_client_surface(&self) -> bool {
        self.error.is_some() || self.error_contains.is_some() || self.event.is_some()
    }

    /// Whether the window starts at the phase's beginning.
    pub fn since_phase(&self) -> bool {
        self.since == Some(Since::Phase)
    }
}
