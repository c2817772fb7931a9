//! Operator mode (the AUTH account's JWT carries `authorization: {auth_users,
//! allowed_accounts, xkey}`) against real nats-servers and a wiremock
//! endpoint: success, a refusal, sealed requests, and the callout timeout
//! with no response on 2.15.1 and 2.15.0.

use std::time::Duration;

use async_nats::{ConnectErrorKind, ConnectOptions, ServerError};
use futures::StreamExt;
use natsfault::auth_bridge::{Bridge, FailureKind, Outcome};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::client::{Attempt, connect};
use crate::common::endpoint::{self, AUTH_PATH, Received};
use crate::common::raw;
use crate::common::server::{NatsServer, body, redact, report};
use crate::common::setup::OperatorMode;

const WAIT: Duration = Duration::from_secs(5);
const TOKEN: &str = "op-token";

fn grant() -> serde_json::Value {
    json!({ "user": "alice", "permissions": { "pub": ["data.>"], "sub": ["data.>"] } })
}

fn token_request() -> Received {
    Received {
        method: "POST".into(),
        path: AUTH_PATH.into(),
        authorization: Some(format!("Bearer {TOKEN}")),
        content_type: Some("application/json".into()),
        body: json!({ "token": TOKEN }),
    }
}

async fn endpoint_with(response: ResponseTemplate) -> MockServer {
    let endpoint = endpoint::start().await;
    Mock::given(method("POST")).and(path(AUTH_PATH)).respond_with(response).mount(&endpoint).await;
    endpoint
}

/// Connects as a client of AUTH (sentinel creds) sending the token.
async fn connect_client(setup: &OperatorMode, server: &NatsServer) -> Attempt {
    let options = ConnectOptions::with_credentials(&setup.client_creds()).unwrap().token(TOKEN.into());
    connect(&server.url(), options).await
}

async fn success_case(setup: OperatorMode, name: &str) {
    let server = NatsServer::start(&crate::common::version(), &setup.config()).await;
    let endpoint = endpoint_with(ResponseTemplate::new(200).set_body_json(grant())).await;
    let spec = setup.spec(&server.url(), &endpoint::auth_url(&endpoint), Duration::from_secs(1));
    let bridge = Bridge::start(spec).await.unwrap();
    let mark = server.mark();

    let mut client = connect_client(&setup, &server).await.connected();
    let mut sub = client.client.subscribe("data.>").await.unwrap();
    client.client.publish("data.x", "inside".into()).await.unwrap();
    let msg = tokio::time::timeout(WAIT, sub.next()).await.unwrap().unwrap();
    assert_eq!(&msg.payload[..], b"inside");
    client.client.publish("secret.x", "outside".into()).await.unwrap();
    client.client.flush().await.unwrap();
    let err = client.next_error(WAIT).await.expect("a permissions violation");
    assert_eq!(err, ServerError::Other("Permissions Violation for Publish to \"secret.x\"".into()));
    let line = server.wait_line_since(mark, "Publish Violation", WAIT).await.expect("violation logged");
    // The user lands in APP (its public key, then its JWT name) under the endpoint's name.
    assert!(line.contains(&format!("\"{}/APP/user:alice\"", setup.app.public_key())), "{line}");

    assert_eq!(endpoint::received(&endpoint).await, vec![token_request()]);
    let handled = bridge.wait_handled(1, WAIT).await.unwrap();
    assert!(handled[0].outcome.is_authorized(), "{:?}", handled[0]);
    assert_eq!(handled[0].sealed, setup.xkey.is_some());
    report(name, &server, mark);
}

#[tokio::test]
async fn success_places_the_user_in_the_allowed_account() {
    success_case(OperatorMode::new(None), "operator mode: success, then a publish outside the permissions").await;
}

#[tokio::test]
async fn sealed_success() {
    success_case(OperatorMode::new(None).sealed(), "operator mode, xkey: success").await;
}

#[tokio::test]
async fn status_401_is_refused() {
    let setup = OperatorMode::new(None);
    let server = NatsServer::start(&crate::common::version(), &setup.config()).await;
    let endpoint = endpoint_with(ResponseTemplate::new(401)).await;
    let spec = setup.spec(&server.url(), &endpoint::auth_url(&endpoint), Duration::from_secs(1));
    let bridge = Bridge::start(spec).await.unwrap();
    let mark = server.mark();

    let attempt = connect_client(&setup, &server).await;
    assert_eq!(attempt.kind(), ConnectErrorKind::AuthorizationViolation);
    let message = "auth endpoint returned status 401 Unauthorized";
    let wrn = "[WRN] Auth callout service returned an error: ";
    let line = server.wait_line_since(mark, wrn, WAIT).await.expect("WRN line");
    assert_eq!(body(&line), format!("{wrn}{message}"));
    let handled = bridge.wait_handled(1, WAIT).await.unwrap();
    assert_eq!(handled[0].outcome, Outcome::Refused(natsfault::auth_bridge::Failure::status(401, "Unauthorized")));
    assert_eq!(endpoint::received(&endpoint).await, vec![token_request()]);
    report("operator mode: 401", &server, mark);
}

/// A server whose callouts go unanswered: the endpoint takes 3 s, the
/// bridge gives up at 300 ms and stays silent, the server waits 0.5 s.
struct Unanswered {
    setup: OperatorMode,
    server: NatsServer,
    endpoint: MockServer,
    bridge: Bridge,
}

async fn unanswered(version: &str) -> Unanswered {
    let setup = OperatorMode::new(Some(0.5));
    let server = NatsServer::start(version, &setup.config()).await;
    let slow = ResponseTemplate::new(200).set_body_json(grant()).set_delay(Duration::from_secs(3));
    let endpoint = endpoint_with(slow).await;
    let spec = setup
        .spec(&server.url(), &endpoint::auth_url(&endpoint), Duration::from_millis(300))
        .with_silent_on(FailureKind::Timeout);
    let bridge = Bridge::start(spec).await.unwrap();
    Unanswered { setup, server, endpoint, bridge }
}

impl Unanswered {
    /// Checks the bridge and endpoint side after one connect.
    async fn check_one_silent_callout(&self, mark: usize) {
        let handled = self.bridge.wait_handled(1, WAIT).await.unwrap();
        assert!(matches!(&handled[0].outcome, Outcome::Unanswered(f) if f.kind == FailureKind::Timeout));
        assert_eq!(endpoint::received(&self.endpoint).await, vec![token_request()]);
        let line = self.server.wait_line_since(mark, "not received in time", WAIT).await.expect("timeout logged");
        assert_eq!(
            redact(body(&line)),
            "[DBG] Authorization callout response not received in time on account \"<key>\""
        );
        self.server.wait_line_since(mark, "Client connection closed", WAIT).await.expect("close logged");
    }

    /// The connection's lines, from `mark`, redacted and without the time prefix.
    fn bodies(&self, mark: usize) -> Vec<String> {
        self.server.client_lines_since(mark).iter().map(|l| redact(body(l))).collect()
    }
}

/// Replaces the client's port with `PORT` and its cid with `N`.
fn normalize(line: &str) -> String {
    let mut out = line.to_string();
    if let Some(i) = out.find("127.0.0.1:") {
        let start = i + "127.0.0.1:".len();
        let end = out[start..].find(' ').map_or(out.len(), |j| start + j);
        out.replace_range(start..end, "PORT");
    }
    if let Some(i) = out.find(" - cid:") {
        let start = i + " - cid:".len();
        let end = out[start..].find(' ').map_or(out.len(), |j| start + j);
        out.replace_range(start..end, "N");
    }
    out
}

#[tokio::test]
async fn unanswered_callout_on_2_15_1_sends_authorization_violation() {
    let u = unanswered("2.15.1").await;
    let mark = u.server.mark();
    let attempt = connect_client(&u.setup, &u.server).await;
    assert_eq!(attempt.kind(), ConnectErrorKind::AuthorizationViolation);
    assert!(attempt.elapsed >= Duration::from_millis(500) && attempt.elapsed < Duration::from_secs(2));
    u.check_one_silent_callout(mark).await;
    let tail: Vec<String> = u.bodies(mark).iter().rev().take(2).rev().map(|l| normalize(l)).collect();
    assert_eq!(
        tail,
        vec![
            "[ERR] 127.0.0.1:PORT - cid:N - authentication error - JWT User \"<key>\"".to_string(),
            "[DBG] 127.0.0.1:PORT - cid:N - Client connection closed: Authentication Failure".to_string(),
        ]
    );
    report("operator mode 2.15.1: callout unanswered (async-nats)", &u.server, mark);
}

#[tokio::test]
async fn unanswered_callout_on_2_15_1_raw() {
    let u = unanswered("2.15.1").await;
    let mark = u.server.mark();
    let raw = raw::connect_creds_token(u.server.port, &u.setup.client_creds(), TOKEN, WAIT).await;
    assert_eq!(raw.lines, vec!["-ERR 'Authorization Violation'".to_string()]);
    assert!(raw.closed);
    assert!(raw.elapsed >= Duration::from_millis(500) && raw.elapsed < Duration::from_secs(2), "{:?}", raw.elapsed);
    u.check_one_silent_callout(mark).await;
    report("operator mode 2.15.1: callout unanswered (raw protocol)", &u.server, mark);
}

#[tokio::test]
async fn unanswered_callout_on_2_15_0_closes_without_error() {
    let u = unanswered("2.15.0").await;
    let mark = u.server.mark();
    let attempt = connect_client(&u.setup, &u.server).await;
    eprintln!("client: {:?} after {:?}", attempt.result.as_ref().err(), attempt.elapsed);
    assert_eq!(attempt.kind(), ConnectErrorKind::Io);
    assert!(attempt.elapsed >= Duration::from_millis(500) && attempt.elapsed < Duration::from_secs(2));
    u.check_one_silent_callout(mark).await;
    let tail: Vec<String> = u.bodies(mark).iter().rev().take(2).rev().map(|l| normalize(l)).collect();
    assert_eq!(
        tail,
        vec![
            "[ERR] 127.0.0.1:PORT - cid:N - maximum account active connections exceeded".to_string(),
            "[DBG] 127.0.0.1:PORT - cid:N - Client connection closed: Protocol Violation".to_string(),
        ]
    );
    report("operator mode 2.15.0: callout unanswered (async-nats)", &u.server, mark);
}

#[tokio::test]
async fn unanswered_callout_on_2_15_0_raw() {
    let u = unanswered("2.15.0").await;
    let mark = u.server.mark();
    let raw = raw::connect_creds_token(u.server.port, &u.setup.client_creds(), TOKEN, WAIT).await;
    // No -ERR at all: the socket just closes at the auth timeout.
    assert_eq!(raw.lines, Vec::<String>::new());
    assert!(raw.closed);
    assert!(raw.elapsed >= Duration::from_millis(500) && raw.elapsed < Duration::from_secs(2), "{:?}", raw.elapsed);
    u.check_one_silent_callout(mark).await;
    report("operator mode 2.15.0: callout unanswered (raw protocol)", &u.server, mark);
}
