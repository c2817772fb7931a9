//! One step of a scenario: an action, who takes it, and what it expects.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde::de::IgnoredAny;
use toml::Spanned;

use super::duration::Dur;
use super::endpoint::EndpointChange;
use super::expect::Expect;
use super::identity::{AccountSpec, UserSpec};

/// What a step does (`do = "..."`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// Connect `client` (async-nats or raw TCP).
    Connect,
    /// Publish `payload` to `subject`, then flush: any `-ERR` for it has arrived when the step ends.
    Publish,
    /// Subscribe to `subject` (optionally in `queue`), then flush.
    Subscribe,
    /// Send a request to `subject` and wait for the reply (`request-timeout`).
    Request,
    /// Answer every request on `subject` with `payload`.
    Respond,
    /// Wait for a message on the subscription to `subject`.
    ExpectMessage,
    /// Prove no message is pending on the subscription to `subject` (after a flush barrier on
    /// every client, so no waiting is needed).
    ExpectNoMessage,
    /// Wait for the step's expectations (an event, an `-ERR`, a log line) without acting.
    Await,
    /// Sleep for `duration` (only where no event can be awaited).
    Wait,
    /// Flush `client` (PING/PONG round trip).
    Flush,
    /// Close `client`.
    Close,
    /// Write `send` on a raw client's socket (`\r\n` escapes allowed).
    RawSend,
    /// Stop the server with SIGTERM and wait for it to exit.
    StopServer,
    /// Kill the server with SIGKILL.
    KillServer,
    /// Pause the server (SIGSTOP or `docker pause`).
    PauseServer,
    /// Resume a paused server.
    ResumeServer,
    /// Restart the server on the same address.
    RestartServer,
    /// Reload the server's config (SIGHUP), with `config` replacing it when given.
    ReloadServer,
    /// Put the server in lame duck mode.
    LameDuckServer,
    /// Cut the server off the network (a partition): on containers it leaves natsfault's
    /// network; on processes every link through natsfault's proxy (`proxy-links`) to or from it
    /// goes down.
    DisconnectServer,
    /// Join a disconnected server to the network again (same host name and ports).
    ReconnectServer,
    /// Install `toxic` on the client's proxy (acts on new and open connections).
    AddToxic,
    /// Remove the toxic named `toxic-name` from the client's proxy.
    RemoveToxic,
    /// Close every connection through the client's proxy at once.
    ResetConnections,
    /// Point the client's address (its wire tap) at `server` from now on, as a load balancer
    /// moves a name to another node: its open connection stays, its next connect goes there.
    MoveAddress,
    /// Install the shaping `rule` on the client's tap or a link's proxy.
    AddRule,
    /// Remove the shaping rule named `rule-name`.
    RemoveRule,
    /// Change what the auth endpoint does (`endpoint = { ... }`).
    SetEndpoint,
    /// Request `path` of a server's monitoring port on 127.0.0.1 (`/varz`, `/connz?auth=1`,
    /// `/healthz`) and check the response's `http-status` and `http-body`.
    HttpGet,
    // JetStream, key-value and object store, through async-nats' `jetstream` module
    // (`super::jetstream_action`).
    /// The account's JetStream information (`$JS.API.INFO`); the answer's `domain`, `streams`
    /// and `consumers` are what `received` reads.
    JsAccountInfo,
    /// Create a stream (`js = { stream, subjects, storage }`).
    JsAddStream,
    /// Update a stream's subjects.
    JsUpdateStream,
    /// Delete a stream.
    JsDeleteStream,
    /// Create a consumer (`js = { stream, consumer, ephemeral, filter, deliver-subject }`).
    JsAddConsumer,
    /// Publish to `subject` and wait for the stream's ack.
    JsPublish,
    /// Fetch a batch from a pull consumer; no message within `within` is `TimedOut`.
    JsFetch,
    /// The next message of a pull consumer.
    JsNext,
    /// The next message of a push consumer.
    JsReceive,
    /// Ack every JetStream message the client received and has not acked.
    JsAck,
    /// Create a key-value bucket (`js = { bucket }`).
    KvCreate,
    /// Put `payload` under `js.key`.
    KvPut,
    /// Get `js.key`; a missing key is `NotFound`.
    KvGet,
    /// Delete `js.key`.
    KvDelete,
    /// Watch `js.key` and wait for its latest value.
    KvWatch,
    /// Create an object store bucket.
    ObjCreate,
    /// Put `payload` as object `js.key`.
    ObjPut,
    /// Get object `js.key`.
    ObjGet,
}

impl Action {
    /// The name used in scenario files.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Connect => "connect",
            Action::Publish => "publish",
            Action::Subscribe => "subscribe",
            Action::Request => "request",
            Action::Respond => "respond",
            Action::ExpectMessage => "expect-message",
            Action::ExpectNoMessage => "expect-no-message",
            Action::Await => "await",
            Action::Wait => "wait",
            Action::Flush => "flush",
            Action::Close => "close",
            Action::RawSend => "raw-send",
            Action::StopServer => "stop-server",
            Action::KillServer => "kill-server",
            Action::PauseServer => "pause-server",
            Action::ResumeServer => "resume-server",
            Action::RestartServer => "restart-server",
            Action::ReloadServer => "reload-server",
            Action::LameDuckServer => "lame-duck-server",
            Action::DisconnectServer => "disconnect-server",
            Action::ReconnectServer => "reconnect-server",
            Action::AddToxic => "add-toxic",
            Action::RemoveToxic => "remove-toxic",
            Action::ResetConnections => "reset-connections",
            Action::MoveAddress => "move-address",
            Action::AddRule => "add-rule",
            Action::RemoveRule => "remove-rule",
            Action::SetEndpoint => "set-endpoint",
            Action::HttpGet => "http-get",
            other => super::jetstream_action::name(other).unwrap_or("unknown"),
        }
    }

    /// Whether the action needs a `client`.
    pub fn needs_client(self) -> bool {
        !matches!(
            self,
            Action::Await
                | Action::Wait
                | Action::StopServer
                | Action::KillServer
                | Action::PauseServer
                | Action::ResumeServer
                | Action::RestartServer
                | Action::ReloadServer
                | Action::LameDuckServer
                | Action::DisconnectServer
                | Action::ReconnectServer
                | Action::SetEndpoint
                | Action::HttpGet
        )
    }

    /// Whether the action needs a `subject`.
    pub fn needs_subject(self) -> bool {
        matches!(
            self,
            Action::JsPublish
                | Action::Publish
                | Action::Subscribe
                | Action::Request
                | Action::Respond
                | Action::ExpectMessage
                | Action::ExpectNoMessage
        )
    }
}

/// Which phase a step runs in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    /// The scenario as the customer has it.
    Broken,
    /// The scenario with its `[fix]` applied.
    Fixed,
}

impl Phase {
    /// The name used in files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Broken => "broken",
            Phase::Fixed => "fixed",
        }
    }
}

/// One `[[steps]]` entry.
///
/// ```toml
/// [[steps]]
/// do = "publish"
/// client = "alice"
/// subject = "analytics.events.user_signup"
/// expect = { server-err = 'Permissions Violation for Publish to "analytics.events.user_signup"' }
/// ```
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Step {
    /// The action.
    #[serde(rename = "do")]
    pub action: Spanned<Action>,
    /// The client taking the action.
    pub client: Option<Spanned<String>>,
    /// The link between two servers (`"leaf->hub"`) whose proxy an `add-toxic`, `remove-toxic`,
    /// `add-rule`, `remove-rule` or `reset-connections` step acts on instead of a client's (see
    /// `proxy-links`).
    pub link: Option<Spanned<String>>,
    /// An `add-rule`, `remove-rule`, `add-toxic`, `remove-toxic` or `reset-connections` step acts
    /// on the connection of the auth callout service (natsfault's bridge, `[auth-endpoint]`) to
    /// the server instead of a client's.
    pub callout: Option<bool>,
    /// The server of a topology a server action acts on (`[servers.NAME]`); default the first
    /// declared.
    pub server: Option<Spanned<String>>,
    /// The subject acted on.
    pub subject: Option<Spanned<String>>,
    /// Message payload (publish, respond, request).
    pub payload: Option<String>,
    /// Queue group (subscribe, respond).
    pub queue: Option<String>,
    /// The MQTT QoS of an MQTT client's `subscribe`: `0` (default) or `1`, which the server
    /// serves through JetStream and its internal `$MQTT_sub.` subscriptions.
    pub qos: Option<Spanned<u8>>,
    /// How long a `wait` step sleeps.
    pub duration: Option<Dur>,
    /// New server config for `reload-server` (placeholders allowed).
    pub config: Option<Spanned<String>>,
    /// Account fields a `reload-server` step changes before the config is rendered again
    /// (`accounts.APP = { revoke = ["alice"] }`); keys stay the same, JWTs are issued anew.
    #[serde(default)]
    pub accounts: BTreeMap<String, Spanned<AccountSpec>>,
    /// User fields a `reload-server` step changes, like `accounts`.
    #[serde(default)]
    pub users: BTreeMap<String, Spanned<UserSpec>>,
    /// Bytes a `raw-send` step writes.
    pub send: Option<Spanned<String>>,
    /// Where the step's `toxic` table is; the table itself is read on its own (see
    /// `super::toxic`), so that its attributes keep their positions.
    #[serde(rename = "toxic")]
    pub(crate) toxic_at: Option<Spanned<IgnoredAny>>,
    /// The toxic an `add-toxic` step installs, in toxiproxy's shape:
    /// `{ name = "blackhole", type = "timeout", stream = "downstream", attributes = { timeout = "0s" } }`.
    #[serde(skip)]
    pub toxic: Option<crate::proxy::ToxicSpec>,
    /// What a `set-endpoint` step changes: `{ status, body, user, pub, sub, delay, unreachable }`.
    pub endpoint: Option<Spanned<EndpointChange>>,
    /// The path an `http-get` step requests of the server's monitoring port (`/varz`,
    /// `/connz?auth=1`).
    pub path: Option<Spanned<String>>,
    /// The toxic a `remove-toxic` step removes.
    pub toxic_name: Option<Spanned<String>>,
    /// The shaping rule an `add-rule` step installs:
    /// `{ name = "lost-pong", to = "client", verb = "PONG", nth = 1, action = "drop" }`.
    pub rule: Option<Spanned<super::rule::RuleTable>>,
    /// The rule a `remove-rule` step removes.
    pub rule_name: Option<Spanned<String>>,
    /// Run this step only in one phase.
    pub only: Option<Phase>,
    /// Run this step only on matching server versions (`">=2.12"`): a behaviour that changed
    /// between releases is asserted by one step per side.
    pub versions: Option<super::version_req::VersionReq>,
    /// What a JetStream, key-value or object store step acts on.
    pub js: Option<Spanned<super::jetstream::JsArgs>>,
    /// A note shown in reports.
    pub note: Option<String>,
    /// The step's name across versions and phases, for the matrix and `bisect` to match it by
    /// (default: its action, client, subject and note): a step that version-gated steps before
    /// it move keeps its name.
    pub id: Option<String>,
    /// Expectations in the broken phase (and in the fixed phase when they expect success).
    #[serde(default)]
    pub expect: Expect,
    /// Expectations in the fixed phase; default: success where `expect` expected a failure
    /// (except in a step with `only = "fixed"`, whose `expect` is the fixed phase's).
    pub expect_fixed: Option<Expect>,
}

impl Step {
    /// What the matrix matches the step by: its `id`, else its action, client, subject and note
    /// (`publish alice analytics.events "the refused publish"`).
    pub fn identity(&self) -> String {
        if let Some(id) = &self.id {
            return format!("id {id}");
        }
        let mut s = self.action.get_ref().as_str().to_string();
        for part in
            [self.client.as_ref().map(|c| c.get_ref().as_str()), self.subject.as_ref().map(|c| c.get_ref().as_str())]
                .into_iter()
                .flatten()
        {
            s.push(' ');
            s.push_str(part);
        }
        if let Some(note) = &self.note {
            s.push_str(&format!(" \"{note}\""));
        }
        s
    }

    /// The expectations in force for `phase`.
    pub fn expect_for(&self, phase: Phase) -> Expect {
        match phase {
            Phase::Broken => self.expect.clone(),
            Phase::Fixed => match &self.expect_fixed {
                Some(e) => e.clone(),
                // A step of the fixed phase alone means its `expect` as written.
                None if self.only == Some(Phase::Fixed) => self.expect.clone(),
                None if self.expect.expects_unwanted_success() => self.refusal().unwrap_or_default(),
                None if self.expect.expects_failure() => Expect::default(),
                None => self.expect.clone(),
            },
        }
    }

    /// The refusal the fixed phase expects of a step whose success the broken phase calls
    /// unwanted: a refused connect, or the permissions violation of a publish or subscription.
    /// `None` for other actions (they need `expect-fixed`).
    pub fn refusal(&self) -> Option<Expect> {
        let subject = self.subject_str().unwrap_or_default();
        let span = self.action.span();
        match self.action.get_ref() {
            Action::Connect => {
                Some(Expect { error: Some(Spanned::new(span, "AuthorizationViolation".into())), ..Expect::default() })
            }
            Action::Publish => Some(Expect {
                server_err: Some(format!("Permissions Violation for Publish to \"{subject}\"")),
                ..Expect::default()
            }),
            Action::Subscribe => Some(Expect {
                server_err: Some(format!("Permissions Violation for Subscription to \"{subject}\"")),
                ..Expect::default()
            }),
            _ => None,
        }
    }

    /// Whether the step runs on server `version`.
    pub fn runs_on(&self, version: super::version_req::Version) -> bool {
        self.versions.as_ref().is_none_or(|r| r.matches(version))
    }

    /// Whether the step runs in `phase`.
    pub fn runs_in(&self, phase: Phase) -> bool {
        self.only.is_none_or(|p| p == phase)
    }

    /// The client name, if any.
    pub fn client_name(&self) -> Option<&str> {
        self.client.as_ref().map(|c| c.get_ref().as_str())
    }

    /// The name of the toxic a `remove-toxic` step removes, if any.
    pub fn toxic_name_str(&self) -> Option<&str> {
        self.toxic_name.as_ref().map(|n| n.get_ref().as_str())
    }

    /// The subject, if any.
    pub fn subject_str(&self) -> Option<&str> {
        self.subject.as_ref().map(|c| c.get_ref().as_str())
    }
}
