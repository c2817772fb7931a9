//! The phase's auth endpoint: a wiremock server on 127.0.0.1 whose answer a scenario sets (and
//! a `set-endpoint` step changes), the auth callout bridge in front of it, and the record of
//! every request the endpoint and the callout service received.

use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::watch;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::{EndpointCall, EndpointKeys};
use crate::auth_bridge::{
    Bridge, BridgeMode, BridgeSpec, DEFAULT_REQUEST_TIMEOUT, FailureKind, HandledRequest, ServiceAuth,
};
use crate::credentials::format_creds;
use crate::keyring::Keyring;
use crate::observe::CalloutRequestSeen;
use crate::spec::{ENDPOINT_AUTH_USER, EndpointChange, EndpointMode, EndpointSpec};

/// The path the endpoint serves.
const ENDPOINT_PATH: &str = "/auth";

/// What the endpoint answers, and what it received; shared with the mock's responder.
struct Shared {
    answer: Mutex<EndpointSpec>,
    calls: Mutex<Vec<EndpointCall>>,
    count: watch::Sender<usize>,
}

struct Responder(Arc<Shared>);

impl Respond for Responder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let call = EndpointCall {
            at: Instant::now(),
            authorization: request.headers.get("authorization").and_then(|v| v.to_str().ok()).map(str::to_string),
            body: String::from_utf8_lossy(&request.body).into_owned(),
        };
        let n = {
            let mut calls = self.0.calls.lock().unwrap_or_else(|p| p.into_inner());
            calls.push(call);
            calls.len()
        };
        self.0.count.send_replace(n);
        let answer = self.0.answer.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let status = answer.status_for(request.headers.get("authorization").and_then(|v| v.to_str().ok()));
        if status != answer.status() {
            return ResponseTemplate::new(status).set_delay(answer.delay());
        }
        let body = answer.body();
        let content_type =
            if serde_json::from_str::<serde_json::Value>(&body).is_ok() { "application/json" } else { "text/html" };
        ResponseTemplate::new(answer.status()).set_body_raw(body, content_type).set_delay(answer.delay())
    }
}

/// A running endpoint and bridge, for one phase.
pub struct RunningEndpoint {
    /// The wire tap between the bridge and the server: shaping rules and toxics of steps with
    /// `callout = true` act here.
    tap: crate::proxy::Proxy,
    mock: MockServer,
    shared: Arc<Shared>,
    bridge: Option<Bridge>,
    /// What the bridges stopped before the current one handled (a `set-endpoint` step restarts
    /// the bridge).
    past: Vec<HandledRequest>,
    /// The bridge's spec with the endpoint's URL.
    spec: BridgeSpec,
    /// Whether the bridge now points at a closed port.
    unreachable: bool,
}

impl RunningEndpoint {
    /// Starts the endpoint, then the bridge, connected to the server at `server` as the auth
    /// user with `auth_password`.
    pub async fn start(
        endpoint: &EndpointSpec,
        keys: &EndpointKeys,
        ring: &Keyring,
        server: SocketAddr,
        auth_password: String,
    ) -> Result<RunningEndpoint, String> {
        let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("cannot bind 127.0.0.1: {e}"))?;
        let mock = MockServer::builder().listener(listener).start().await;
        let shared = Arc::new(Shared {
            answer: Mutex::new(endpoint.clone()),
            calls: Mutex::new(Vec::new()),
            count: watch::Sender::new(0),
        });
        Mock::given(method("POST")).and(path(ENDPOINT_PATH)).respond_with(Responder(shared.clone())).mount(&mock).await;

        let (issuer_seed, mode, service) = bridge_identity(endpoint, keys, ring, auth_password)?;
        let tap = crate::proxy::Proxy::start(server).await.map_err(|e| format!("the auth callout's tap: {e}"))?;
        let mut spec = BridgeSpec::new(
            format!("nats://{}", tap.listen_addr()),
            format!("{}{ENDPOINT_PATH}", mock.uri()),
            issuer_seed,
            mode,
            service,
        )
        .with_request_timeout(endpoint.bridge_timeout.map_or(DEFAULT_REQUEST_TIMEOUT, |d| d.get()));
        if let Some(expires) = endpoint.expires {
            spec = spec.with_user_expiry(expires.get());
        }
        if endpoint.silent_on_timeout == Some(true) {
            spec = spec.with_silent_on(FailureKind::Timeout);
        }
        if endpoint.xkey == Some(true) {
            spec = spec.with_xkey_seed(keys.xkey.seed().map_err(|e| format!("xkey seed: {e}"))?);
        }
        let mut running =
            RunningEndpoint { tap, mock, shared, bridge: None, past: Vec::new(), spec, unreachable: false };
        running.start_bridge(endpoint.is_unreachable()).await?;
        Ok(running)
    }

    /// (Re)starts the bridge, pointed at the endpoint or at a closed port.
    async fn start_bridge(&mut self, unreachable: bool) -> Result<(), String> {
        if let Some(old) = self.bridge.take() {
            self.past.extend(old.stop().await);
        }
        let mut spec = self.spec.clone();
        if unreachable {
            spec.auth_url = closed_url()?;
        }
        self.bridge = Some(Bridge::start(spec).await.map_err(|e| format!("the auth bridge did not start: {e}"))?);
        self.unreachable = unreachable;
        Ok(())
    }

    /// Applies a `set-endpoint` change; the bridge is pointed elsewhere when `unreachable`
    /// changes.
    pub async fn change(&mut self, change: &EndpointChange) -> Result<(), String> {
        let unreachable = {
            let mut answer = self.shared.answer.lock().unwrap_or_else(|p| p.into_inner());
            *answer = answer.changed(change);
            answer.is_unreachable()
        };
        if unreachable != self.unreachable {
            self.start_bridge(unreachable).await?;
        }
        Ok(())
    }

    /// The wire tap between the auth callout service (the bridge) and the server.
    pub fn tap(&self) -> &crate::proxy::Proxy {
        &self.tap
    }

    /// How many requests the endpoint has received.
    pub fn count(&self) -> usize {
        *self.shared.count.borrow()
    }

    /// The requests received after the first `mark`.
    pub fn calls_since(&self, mark: usize) -> Vec<EndpointCall> {
        self.shared.calls.lock().unwrap_or_else(|p| p.into_inner()).iter().skip(mark).cloned().collect()
    }

    /// Waits up to `within` until the endpoint has received `count` requests in all; returns
    /// the count then.
    pub async fn wait_count(&self, count: usize, within: Duration) -> usize {
        let mut rx = self.shared.count.subscribe();
        let _ = tokio::time::timeout(within, rx.wait_for(|n| *n >= count)).await;
        self.count()
    }

    /// Waits up to `within` for a request after `mark` that matches `pred`.
    pub async fn wait_call(
        &self,
        mark: usize,
        within: Duration,
        pred: impl Fn(&EndpointCall) -> bool,
    ) -> Option<EndpointCall> {
        let mut rx = self.shared.count.subscribe();
        let deadline = tokio::time::Instant::now() + within;
        let mut seen = mark;
        loop {
            let calls = self.calls_since(seen);
            seen += calls.len();
            if let Some(c) = calls.into_iter().find(|c| pred(c)) {
                return Some(c);
            }
            match tokio::time::timeout_at(deadline, rx.changed()).await {
                Ok(Ok(())) => {}
                _ => return None,
            }
        }
    }

    /// How many authorization requests the callout service has handled (read or not).
    pub fn callout_count(&self) -> usize {
        self.past.len() + self.bridge.as_ref().map_or(0, |b| b.handled().len())
    }

    /// The authorization requests handled after the first `mark`, those that could be read.
    pub fn callout_requests_since(&self, mark: usize) -> Vec<CalloutRequestSeen> {
        let current = self.bridge.as_ref().map(|b| b.handled()).unwrap_or_default();
        self.past.iter().chain(current.iter()).skip(mark).filter_map(|h| h.request.clone()).collect()
    }

    /// Waits up to `within` until the callout service has handled `count` requests in all;
    /// returns the count then.
    pub async fn wait_callout_count(&self, count: usize, within: Duration) -> usize {
        if let Some(bridge) = &self.bridge {
            let _ = bridge.wait_handled(count.saturating_sub(self.past.len()), within).await;
        }
        self.callout_count()
    }

    /// Stops the bridge, then the endpoint.
    pub async fn stop(mut self) {
        if let Some(bridge) = self.bridge.take() {
            bridge.stop().await;
        }
        drop(self.mock);
    }
}

/// Who the bridge is: the seed that signs its responses, its mode, and how it connects. Config
/// mode: the phase's issuer key and the `auth` user; operator mode: the callout account's key, the
/// target account's key, and the service user's creds.
fn bridge_identity(
    endpoint: &EndpointSpec,
    keys: &EndpointKeys,
    ring: &Keyring,
    auth_password: String,
) -> Result<(String, BridgeMode, ServiceAuth), String> {
    match endpoint.mode() {
        EndpointMode::Config => Ok((
            keys.issuer.seed().to_string(),
            BridgeMode::Config { target_account: endpoint.account().to_string() },
            ServiceAuth::UserPassword { user: ENDPOINT_AUTH_USER.into(), password: auth_password },
        )),
        EndpointMode::Operator => {
            let name = |f: &Option<toml::Spanned<String>>, what: &str| {
                f.as_ref().map(|v| v.get_ref().clone()).ok_or_else(|| format!("operator mode needs `{what}`"))
            };
            let (callout, service) =
                (name(&endpoint.callout_account, "callout-account")?, name(&endpoint.service_user, "service-user")?);
            let seed = |account: &str| {
                ring.account_key(account)
                    .map(|k| k.seed().to_string())
                    .ok_or_else(|| format!("account `{account}` has no key"))
            };
            let user = ring.user(&service).ok_or_else(|| format!("user `{service}` was not issued"))?;
            Ok((
                seed(&callout)?,
                BridgeMode::Operator { target_account_seed: seed(endpoint.account())? },
                ServiceAuth::Credentials(format_creds(&user.jwt, &user.seed)),
            ))
        }
    }
}

/// A URL on 127.0.0.1 where nothing listens (a port just released).
fn closed_url() -> Result<String, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("cannot bind 127.0.0.1: {e}"))?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    drop(listener);
    Ok(format!("http://127.0.0.1:{port}{ENDPOINT_PATH}"))
}
