//! Config mode (`authorization { auth_callout { ... } }`) against a real
//! nats-server 2.15.1 and a wiremock endpoint: the success path with
//! permissions enforced, and each way the endpoint can fail.

use std::time::Duration;

use async_nats::{ConnectErrorKind, ServerError};
use futures::StreamExt;
use natsfault::auth_bridge::{Bridge, FailureKind, Outcome};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::client::{Attempt, connect_token, connect_user};
use crate::common::endpoint::{self, AUTH_PATH, Received};
use crate::common::server::{NatsServer, body, report};
use crate::common::setup::ConfigMode;

const WAIT: Duration = Duration::from_secs(5);
const TOKEN: &str = "s3cret-token";
const WRN: &str = "[WRN] Auth callout service returned an error: ";

/// A running server, endpoint and bridge for one case.
struct Case {
    server: NatsServer,
    endpoint: MockServer,
    bridge: Bridge,
}

async fn case(setup: &ConfigMode, timeout: Duration, response: Option<ResponseTemplate>) -> Case {
    let server = NatsServer::start(&crate::common::version(), &setup.config()).await;
    let endpoint = endpoint::start().await;
    if let Some(response) = response {
        Mock::given(method("POST")).and(path(AUTH_PATH)).respond_with(response).mount(&endpoint).await;
    }
    let spec = setup.spec(&server.url(), &endpoint::auth_url(&endpoint), timeout);
    let bridge = Bridge::start(spec).await.expect("bridge starts");
    Case { server, endpoint, bridge }
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

fn grant() -> serde_json::Value {
    json!({ "user": "alice", "permissions": { "pub": ["data.>"], "sub": ["data.>"] } })
}

/// Connects with the token, expects `Authorization Violation`, and checks
/// the server's WRN line and the bridge record.
async fn refused_with(c: &Case, name: &str, expected_status: Option<u16>, kind: FailureKind, message: &str) {
    let mark = c.server.mark();
    let attempt = connect_token(&c.server.url(), TOKEN).await;
    check_refusal(c, mark, attempt, name, expected_status, kind, message).await;
}

async fn check_refusal(
    c: &Case,
    mark: usize,
    attempt: Attempt,
    name: &str,
    expected_status: Option<u16>,
    kind: FailureKind,
    message: &str,
) {
    assert_eq!(attempt.kind(), ConnectErrorKind::AuthorizationViolation);
    let line = c.server.wait_line_since(mark, WRN, WAIT).await.expect("WRN line");
    assert_eq!(body(&line), format!("{WRN}{message}"));

    let handled = c.bridge.wait_handled(1, WAIT).await.unwrap();
    assert_eq!(handled.len(), 1);
    assert_eq!(handled[0].http_status, expected_status);
    let Outcome::Refused(failure) = &handled[0].outcome else { panic!("expected a refusal: {:?}", handled[0]) };
    assert_eq!(failure.kind, kind);
    assert_eq!(failure.message, message);
    report(name, &c.server, mark);
}

#[tokio::test]
async fn success_enforces_the_endpoints_permissions() {
    let setup = ConfigMode::new(2.0);
    let c = case(&setup, Duration::from_secs(1), Some(ResponseTemplate::new(200).set_body_json(grant()))).await;
    let mark = c.server.mark();

    let mut client = connect_token(&c.server.url(), TOKEN).await.connected();
    let mut sub = client.client.subscribe("data.>").await.unwrap();
    client.client.publish("data.x", "inside".into()).await.unwrap();
    let msg = tokio::time::timeout(WAIT, sub.next()).await.unwrap().unwrap();
    assert_eq!(&msg.payload[..], b"inside");

    client.client.publish("secret.x", "outside".into()).await.unwrap();
    client.client.flush().await.unwrap();
    let err = client.next_error(WAIT).await.expect("a permissions violation");
    assert_eq!(err, ServerError::Other("Permissions Violation for Publish to \"secret.x\"".into()));
    let line = c.server.wait_line_since(mark, "Publish Violation", WAIT).await.expect("violation logged");
    assert!(body(&line).ends_with(" - Publish Violation - Subject \"secret.x\""), "{line}");
    assert!(line.contains("\"APP/user:alice\""), "{line}");

    assert_eq!(endpoint::received(&c.endpoint).await, vec![token_request()]);
    let handled = c.bridge.wait_handled(1, WAIT).await.unwrap();
    let Outcome::Authorized { user, permissions } = &handled[0].outcome else { panic!("{:?}", handled[0]) };
    assert_eq!(user, "alice");
    assert_eq!(permissions.publish.allow, vec!["data.>".to_string()]);
    assert_eq!(handled[0].http_status, Some(200));
    report("config mode: success, then a publish outside the permissions", &c.server, mark);
}

#[tokio::test]
async fn status_401_is_refused() {
    let setup = ConfigMode::new(2.0);
    let c = case(&setup, Duration::from_secs(1), Some(ResponseTemplate::new(401))).await;
    let message = "auth endpoint returned status 401 Unauthorized";
    refused_with(&c, "config mode: 401", Some(401), FailureKind::Status, message).await;
    assert_eq!(endpoint::received(&c.endpoint).await, vec![token_request()]);
}

#[tokio::test]
async fn status_403_is_refused_for_a_password_client() {
    let setup = ConfigMode::new(2.0);
    let c = case(&setup, Duration::from_secs(1), Some(ResponseTemplate::new(403))).await;
    let mark = c.server.mark();
    let attempt = connect_user(&c.server.url(), "bob", "hunter2").await;
    let message = "auth endpoint returned status 403 Forbidden";
    check_refusal(&c, mark, attempt, "config mode: 403 (user and password)", Some(403), FailureKind::Status, message)
        .await;
    let handled = c.bridge.handled();
    assert_eq!(handled[0].client_user.as_deref(), Some("bob"));
    assert!(handled[0].sent_password && !handled[0].sent_token);
    let expected = Received {
        method: "POST".into(),
        path: AUTH_PATH.into(),
        authorization: None,
        content_type: Some("application/json".into()),
        body: json!({ "user": "bob", "pass": "hunter2" }),
    };
    assert_eq!(endpoint::received(&c.endpoint).await, vec![expected]);
}

#[tokio::test]
async fn status_500_is_refused() {
    let setup = ConfigMode::new(2.0);
    let c = case(&setup, Duration::from_secs(1), Some(ResponseTemplate::new(500).set_body_string("boom"))).await;
    let message = "auth endpoint returned status 500 Internal Server Error";
    refused_with(&c, "config mode: 500", Some(500), FailureKind::Status, message).await;
    assert_eq!(endpoint::received(&c.endpoint).await, vec![token_request()]);
}

#[tokio::test]
async fn body_that_is_not_json_is_refused() {
    let setup = ConfigMode::new(2.0);
    let html = ResponseTemplate::new(200).set_body_raw("<html>welcome</html>", "text/html");
    let c = case(&setup, Duration::from_secs(1), Some(html)).await;
    let message = "auth endpoint returned a body that is not JSON: expected value at line 1 column 1";
    refused_with(&c, "config mode: body not JSON", Some(200), FailureKind::NotJson, message).await;
    assert_eq!(endpoint::received(&c.endpoint).await, vec![token_request()]);
}

#[tokio::test]
async fn body_without_user_is_refused() {
    let setup = ConfigMode::new(2.0);
    let no_user = json!({ "permissions": { "pub": ["data.>"], "sub": ["data.>"] } });
    let c = case(&setup, Duration::from_secs(1), Some(ResponseTemplate::new(200).set_body_json(no_user))).await;
    let message = "auth endpoint returned JSON without `user` and `permissions` as expected: missing field `user`";
    refused_with(&c, "config mode: body without user", Some(200), FailureKind::BadShape, message).await;
    assert_eq!(endpoint::received(&c.endpoint).await, vec![token_request()]);
}

#[tokio::test]
async fn unreachable_endpoint_is_refused() {
    let setup = ConfigMode::new(2.0);
    let server = NatsServer::start(&crate::common::version(), &setup.config()).await;
    let url = endpoint::closed_url();
    let bridge = Bridge::start(setup.spec(&server.url(), &url, Duration::from_secs(1))).await.unwrap();
    // An endpoint that is never called, to keep the case's shape.
    let c = Case { server, endpoint: endpoint::start().await, bridge };
    let message = format!("auth endpoint `{url}` is unreachable: Connection refused (os error 111)");
    refused_with(&c, "config mode: endpoint unreachable", None, FailureKind::Unreachable, &message).await;
    assert_eq!(endpoint::received(&c.endpoint).await, vec![]);
}

/// An endpoint that answers only after 3 s; the server's auth timeout is 0.5 s.
fn slow() -> Option<ResponseTemplate> {
    Some(ResponseTemplate::new(200).set_body_json(grant()).set_delay(Duration::from_secs(3)))
}

#[tokio::test]
async fn slow_endpoint_gets_the_bridges_timeout_error() {
    let setup = ConfigMode::new(0.5);
    let c = case(&setup, Duration::from_millis(300), slow()).await;
    let mark = c.server.mark();
    let attempt = connect_token(&c.server.url(), TOKEN).await;
    let elapsed = attempt.elapsed;
    let message = "auth endpoint did not answer within 300ms";
    check_refusal(
        &c,
        mark,
        attempt,
        "config mode: slow endpoint, bridge answers at its timeout",
        None,
        FailureKind::Timeout,
        message,
    )
    .await;
    assert!(elapsed >= Duration::from_millis(300) && elapsed < Duration::from_millis(1500), "{elapsed:?}");
    assert_eq!(endpoint::received(&c.endpoint).await, vec![token_request()]);
}

#[tokio::test]
async fn slow_endpoint_with_a_silent_bridge_hits_the_servers_auth_timeout() {
    let setup = ConfigMode::new(0.5);
    let server = NatsServer::start(&crate::common::version(), &setup.config()).await;
    let endpoint = endpoint::start().await;
    Mock::given(method("POST")).and(path(AUTH_PATH)).respond_with(slow().unwrap()).mount(&endpoint).await;
    let spec = setup
        .spec(&server.url(), &endpoint::auth_url(&endpoint), Duration::from_millis(300))
        .with_silent_on(FailureKind::Timeout);
    let bridge = Bridge::start(spec).await.unwrap();

    let mark = server.mark();
    let attempt = connect_token(&server.url(), TOKEN).await;
    assert_eq!(attempt.kind(), ConnectErrorKind::AuthorizationViolation);
    assert!(
        attempt.elapsed >= Duration::from_millis(500) && attempt.elapsed < Duration::from_secs(2),
        "{:?}",
        attempt.elapsed
    );
    let line = server.wait_line_since(mark, "not received in time", WAIT).await.expect("timeout logged");
    assert_eq!(body(&line), "[DBG] Authorization callout response not received in time on account \"AUTH\"");
    assert!(server.lines_since(mark).iter().all(|l| !l.contains("[WRN]")), "no WRN expected");

    let handled = bridge.wait_handled(1, WAIT).await.unwrap();
    let Outcome::Unanswered(failure) = &handled[0].outcome else { panic!("{:?}", handled[0]) };
    assert_eq!(failure.kind, FailureKind::Timeout);
    assert_eq!(endpoint::received(&endpoint).await, vec![token_request()]);
    report("config mode: slow endpoint, silent bridge, server auth timeout 0.5s", &server, mark);
}

#[tokio::test]
async fn bridge_timeout_above_the_servers_answers_too_late() {
    let setup = ConfigMode::new(0.5);
    let c = case(&setup, Duration::from_millis(1500), slow()).await;
    let mark = c.server.mark();
    let attempt = connect_token(&c.server.url(), TOKEN).await;
    assert_eq!(attempt.kind(), ConnectErrorKind::AuthorizationViolation);
    assert!(attempt.elapsed < Duration::from_millis(1500), "{:?}", attempt.elapsed);
    c.server.wait_line_since(mark, "not received in time", WAIT).await.expect("timeout logged");

    // The bridge still answers, at 1.5 s, to a server that stopped listening.
    let handled = c.bridge.wait_handled(1, WAIT).await.unwrap();
    let Outcome::Refused(failure) = &handled[0].outcome else { panic!("{:?}", handled[0]) };
    assert_eq!(failure.message, "auth endpoint did not answer within 1.5s");
    assert!(c.server.lines_since(mark).iter().all(|l| !l.contains("[WRN]")), "the late answer is not logged");
    report("config mode: slow endpoint, bridge timeout 1.5s above the server's 0.5s", &c.server, mark);
}
