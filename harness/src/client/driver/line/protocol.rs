//! The lines natsfault and a driver program exchange, one JSON object a line.
//!
//! natsfault writes requests (`{"id":1,"op":"publish","subject":"a","payload":"x"}`); the driver
//! answers each with `{"id":1,"ok":true}` or
//! `{"id":1,"ok":false,"error":{"kind":"nats.errors.TimeoutError","message":"nats: timeout"}}`
//! and writes, whenever they happen, events without an id:
//! `{"event":"hello","library":"nats-py","version":"2.16.0"}` (first, once),
//! `{"event":"connected"}`, `{"event":"disconnected"}`, `{"event":"reconnected"}`,
//! `{"event":"closed"}`, `{"event":"error","kind":"...","message":"..."}` and
//! `{"event":"message","sub":"orders.>","subject":"orders.new","payload":"..."}`.

use serde::{Deserialize, Serialize};

use crate::client::driver::ConnectTarget;
use crate::client::{ClientAuth, DEFAULT_CONNECTION_TIMEOUT, DEFAULT_REQUEST_TIMEOUT};

/// `connect`'s options, in terms every library has. Secrets travel here, on the driver's stdin,
/// never in its arguments or environment.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ConnectRequest {
    /// `nats://127.0.0.1:PORT` (the tap), `ws://...`, possibly with `user:password@`.
    pub url: String,
    /// The connection name.
    pub name: String,
    /// User (when not in the URL).
    pub user: Option<String>,
    /// Password (when not in the URL).
    pub password: Option<String>,
    /// Token.
    pub token: Option<String>,
    /// A `.creds` file.
    pub creds_file: Option<String>,
    /// An nkey seed (`SU...`).
    pub nkey_seed: Option<String>,
    /// The public key of `nkey_seed` (`U...`), for libraries that take both (nats.c's
    /// `natsOptions_SetNKey`); absent when the seed does not decode.
    pub nkey_public: Option<String>,
    /// A user JWT; its nonce is signed with `jwt_seed`.
    pub jwt: Option<String>,
    /// The seed that signs the nonce for `jwt`.
    pub jwt_seed: Option<String>,
    /// Connect timeout, milliseconds.
    pub connect_timeout_ms: u64,
    /// Request timeout, milliseconds.
    pub request_timeout_ms: u64,
    /// Ping interval, milliseconds, when set.
    pub ping_interval_ms: Option<u64>,
    /// Reconnect attempts; `None` unlimited.
    pub max_reconnects: Option<u64>,
    /// Delay between reconnect attempts, milliseconds, when set.
    pub reconnect_delay_ms: Option<u64>,
    /// Keep retrying the first connect in the background.
    pub retry_on_initial_connect: bool,
    /// Reply inbox prefix.
    pub inbox_prefix: Option<String>,
    /// CA file the client trusts.
    pub tls_ca: Option<String>,
    /// Client certificate file.
    pub tls_cert: Option<String>,
    /// Client key file.
    pub tls_key: Option<String>,
    /// Refuse a server that does not offer TLS.
    pub tls_required: bool,
    /// TLS before the server's INFO.
    pub tls_first: bool,
}

impl ConnectRequest {
    /// The request for `t`; `Err` names what the driver protocol cannot carry.
    pub fn new(t: &ConnectTarget<'_>) -> Result<ConnectRequest, String> {
        let s = t.spec;
        let mut r = ConnectRequest {
            url: t.url(),
            name: s.name.clone().unwrap_or_else(|| t.name.to_string()),
            token: s.token.clone(),
            connect_timeout_ms: ms(s.connection_timeout.map_or(DEFAULT_CONNECTION_TIMEOUT, |d| d.get())),
            request_timeout_ms: ms(s.request_timeout.map_or(DEFAULT_REQUEST_TIMEOUT, |d| d.get())),
            ping_interval_ms: s.ping_interval.map(|d| ms(d.get())),
            max_reconnects: s.max_reconnects,
            reconnect_delay_ms: s.reconnect_delay.map(|d| ms(d.get())),
            retry_on_initial_connect: s.retry_on_initial_connect == Some(true),
            inbox_prefix: s.inbox_prefix.clone(),
            tls_ca: t.tls.ca.as_ref().map(|p| p.display().to_string()),
            tls_cert: t.tls.cert.as_ref().map(|(c, _)| c.display().to_string()),
            tls_key: t.tls.cert.as_ref().map(|(_, k)| k.display().to_string()),
            tls_required: t.tls.required,
            tls_first: t.tls.first,
            ..ConnectRequest::default()
        };
        if s.credentials_in_url != Some(true) {
            r.user = s.user.clone();
            r.password = s.user.as_ref().map(|_| s.password.clone().unwrap_or_default());
        }
        match t.auth {
            ClientAuth::None => {}
            ClientAuth::CredsFile(p) => r.creds_file = Some(p.display().to_string()),
            ClientAuth::NkeySeed(seed) => {
                r.nkey_public = nkeys::KeyPair::from_seed(seed).ok().map(|k| k.public_key());
                r.nkey_seed = Some(seed.clone());
            }
            ClientAuth::Jwt { jwt, seed } => (r.jwt, r.jwt_seed) = (Some(jwt.clone()), Some(seed.clone())),
            ClientAuth::Callback { .. } | ClientAuth::Renewed(_) => {
                return Err(
                    "`auth-callback` and `renew-jwt` are async-nats' own API: play this client with async-nats".into(),
                );
            }
        }
        Ok(r)
    }
}

impl JsCall {
    /// The call for JetStream request `r`.
    pub fn new(r: &crate::client::jetstream::JsRequest<'_>) -> JsCall {
        let a = r.args;
        JsCall {
            action: r.op.as_str().to_string(),
            domain: a.domain().map(str::to_string),
            timeout_ms: ms(r.timeout),
            within_ms: ms(r.within),
            stream: a.stream().map(str::to_string),
            subjects: a.subjects(),
            storage: match a.storage.unwrap_or_default() {
                crate::spec::StorageKind::Memory => "memory".into(),
                crate::spec::StorageKind::File => "file".into(),
            },
            consumer: a.consumer().map(str::to_string),
            ephemeral: a.ephemeral == Some(true),
            filter: a.filter().map(str::to_string),
            deliver_subject: a.deliver_subject().map(str::to_string),
            batch: a.batch.unwrap_or(1),
            bucket: a.bucket().map(str::to_string),
            key: a.key().map(str::to_string),
            subject: r.subject.to_string(),
            payload: r.payload.to_string(),
        }
    }
}

fn ms(d: std::time::Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// One request line.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "op", rename_all = "kebab-case")]
pub enum Request {
    /// Connect with these options.
    Connect(Box<ConnectRequest>),
    /// Publish and flush.
    Publish {
        /// Subject.
        subject: String,
        /// Payload.
        payload: String,
    },
    /// Subscribe and flush; messages arrive as `message` events.
    Subscribe {
        /// Subject.
        subject: String,
        /// Queue group.
        queue: Option<String>,
    },
    /// Answer every request on `subject` with `payload`.
    Respond {
        /// Subject.
        subject: String,
        /// Queue group.
        queue: Option<String>,
        /// The reply's payload.
        payload: String,
    },
    /// Request and wait for the reply, up to the connect request's request timeout.
    Request {
        /// Subject.
        subject: String,
        /// Payload.
        payload: String,
    },
    /// A JetStream, key-value or object store operation through the library's JetStream API.
    Js(Box<JsCall>),
    /// Flush (a round trip where the library makes one).
    Flush,
    /// Close the connection; the driver exits after answering.
    Close,
}

/// `{"op":"js","action":"kv-get",...}`: one JetStream step, with the step's `js` table and the
/// API timeout. An answer with a `subject` is the message the step received (a fetch, a `kv-get`).
#[derive(Clone, Debug, Default, Serialize)]
pub struct JsCall {
    /// The step's action, as scenario files name it (`js-add-stream`, `kv-get`, ...).
    pub action: String,
    /// `$JS.DOMAIN.API` instead of `$JS.API`.
    pub domain: Option<String>,
    /// The JetStream API request timeout, milliseconds.
    pub timeout_ms: u64,
    /// How long a fetch or a watch waits for a message, milliseconds.
    pub within_ms: u64,
    /// The stream.
    pub stream: Option<String>,
    /// The stream's subjects (default: its name).
    pub subjects: Vec<String>,
    /// `memory` or `file`.
    pub storage: String,
    /// The consumer.
    pub consumer: Option<String>,
    /// A named ephemeral consumer instead of a durable one.
    pub ephemeral: bool,
    /// The consumer's filter subject.
    pub filter: Option<String>,
    /// A push consumer's deliver subject.
    pub deliver_subject: Option<String>,
    /// How many messages a fetch asks for.
    pub batch: u32,
    /// The key-value or object store bucket.
    pub bucket: Option<String>,
    /// The key or object name.
    pub key: Option<String>,
    /// The subject of `js-publish`.
    pub subject: String,
    /// The payload of a publish or put.
    pub payload: String,
}

/// An error in the library's terms: an exception class or error name, and its message.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct ErrorLine {
    /// `nats.errors.TimeoutError`, `nats.ErrTimeout`, ...
    pub kind: String,
    /// The message as the library words it.
    #[serde(default)]
    pub message: String,
    /// The JetStream API error the library reports the server answered with, if any.
    #[serde(default)]
    pub api: Option<ApiLine>,
}

/// The `error` object of a `$JS.API` response, as the library exposes it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct ApiLine {
    /// `code`: 400, 404, 503, ...
    pub code: u64,
    /// `err_code`: 10039, 10059, ...
    pub err_code: u64,
    /// `description`.
    #[serde(default)]
    pub description: String,
}

/// One line from the driver: an answer (with `id`) or an event (with `event`).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct DriverLine {
    /// The request this answers.
    pub id: Option<u64>,
    /// Whether it succeeded.
    pub ok: Option<bool>,
    /// Its error.
    pub error: Option<ErrorLine>,
    /// An event's name.
    pub event: Option<String>,
    /// `hello`: the library.
    pub library: Option<String>,
    /// `hello`: its version.
    pub version: Option<String>,
    /// An `error` event's kind.
    pub kind: Option<String>,
    /// An `error` event's message.
    pub message: Option<String>,
    /// A message's subscription.
    pub sub: Option<String>,
    /// A message's (or a reply's) subject.
    pub subject: Option<String>,
    /// A message's (or a reply's) payload.
    pub payload: Option<String>,
}

impl DriverLine {
    /// An event as `expect.event` matches it: `connected`, `error: KIND: MESSAGE`, ...
    pub fn render_event(&self) -> Option<String> {
        let e = self.event.as_deref()?;
        Some(match e {
            "error" => format!(
                "error: {}: {}",
                self.kind.as_deref().unwrap_or("unknown"),
                self.message.as_deref().unwrap_or_default()
            ),
            other => other.to_string(),
        })
    }
}
