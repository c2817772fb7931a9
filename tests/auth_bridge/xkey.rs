//! Sealed requests in config mode (`auth_callout { xkey: X... }`): the
//! server seals each request to the xkey and sends `Nats-Server-Xkey`; the
//! bridge opens it and seals its reply. Also what happens when the bridge
//! cannot open it.

use std::time::Duration;

use async_nats::{ConnectErrorKind, ServerError};
use natsfault::auth_bridge::{Bridge, BridgeSpec, FailureKind, Outcome};
use nkeys::XKey;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::client::connect_token;
use crate::common::endpoint::{self, AUTH_PATH};
use crate::common::server::{NatsServer, body, report};
use crate::common::setup::ConfigMode;

const WAIT: Duration = Duration::from_secs(5);
const TOKEN: &str = "sealed-token";

async fn endpoint_with(response: ResponseTemplate) -> MockServer {
    let endpoint = endpoint::start().await;
    Mock::given(method("POST")).and(path(AUTH_PATH)).respond_with(response).mount(&endpoint).await;
    endpoint
}

fn grant() -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({ "user": "alice", "permissions": { "pub": ["data.>"], "sub": ["data.>"] } }))
}

async fn started(
    setup: &ConfigMode,
    response: ResponseTemplate,
    edit: impl FnOnce(BridgeSpec) -> BridgeSpec,
) -> (NatsServer, MockServer, Bridge) {
    let server = NatsServer::start(&crate::common::version(), &setup.config()).await;
    let endpoint = endpoint_with(response).await;
    let spec = edit(setup.spec(&server.url(), &endpoint::auth_url(&endpoint), Duration::from_millis(300)));
    let bridge = Bridge::start(spec).await.unwrap();
    (server, endpoint, bridge)
}

#[tokio::test]
async fn sealed_request_is_opened_and_granted() {
    let setup = ConfigMode::new(2.0).sealed();
    let (server, endpoint, bridge) = started(&setup, grant(), |s| s).await;
    let mark = server.mark();
    let mut client = connect_token(&server.url(), TOKEN).await.connected();
    client.client.publish("secret.x", "outside".into()).await.unwrap();
    client.client.flush().await.unwrap();
    let err = client.next_error(WAIT).await.expect("a permissions violation");
    assert_eq!(err, ServerError::Other("Permissions Violation for Publish to \"secret.x\"".into()));

    let handled = bridge.wait_handled(1, WAIT).await.unwrap();
    assert!(handled[0].sealed);
    assert!(handled[0].outcome.is_authorized(), "{:?}", handled[0]);
    let got = endpoint::received(&endpoint).await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].authorization.as_deref(), Some("Bearer sealed-token"));
    assert_eq!(got[0].body, json!({ "token": TOKEN }));
    report("config mode, xkey: success", &server, mark);
}

#[tokio::test]
async fn sealed_request_refusal_is_sealed_too() {
    let setup = ConfigMode::new(2.0).sealed();
    let (server, endpoint, bridge) = started(&setup, ResponseTemplate::new(401), |s| s).await;
    let mark = server.mark();
    let attempt = connect_token(&server.url(), TOKEN).await;
    assert_eq!(attempt.kind(), ConnectErrorKind::AuthorizationViolation);
    let wrn = "[WRN] Auth callout service returned an error: auth endpoint returned status 401 Unauthorized";
    let line = server.wait_line_since(mark, "[WRN]", WAIT).await.expect("WRN line");
    assert_eq!(body(&line), wrn);
    let handled = bridge.wait_handled(1, WAIT).await.unwrap();
    assert!(handled[0].sealed);
    assert!(matches!(&handled[0].outcome, Outcome::Refused(f) if f.kind == FailureKind::Status));
    assert_eq!(endpoint::received(&endpoint).await.len(), 1);
    report("config mode, xkey: 401", &server, mark);
}

/// The bridge cannot open the request: it cannot answer, the endpoint is
/// never called, and the server gives up at its auth timeout.
async fn cannot_open(edit: impl FnOnce(BridgeSpec) -> BridgeSpec, name: &str, message: &str) {
    let setup = ConfigMode::new(0.5).sealed();
    let (server, endpoint, bridge) = started(&setup, grant(), edit).await;
    let mark = server.mark();
    let attempt = connect_token(&server.url(), TOKEN).await;
    assert_eq!(attempt.kind(), ConnectErrorKind::AuthorizationViolation);
    assert!(attempt.elapsed >= Duration::from_millis(500), "{:?}", attempt.elapsed);
    let line = server.wait_line_since(mark, "not received in time", WAIT).await.expect("timeout logged");
    assert_eq!(body(&line), "[DBG] Authorization callout response not received in time on account \"AUTH\"");

    let handled = bridge.wait_handled(1, WAIT).await.unwrap();
    assert!(handled[0].sealed);
    let Outcome::Unanswered(failure) = &handled[0].outcome else { panic!("{:?}", handled[0]) };
    assert_eq!(failure.kind, FailureKind::Unseal);
    assert!(failure.message.starts_with(message), "{}", failure.message);
    eprintln!("bridge recorded: {}", failure.message);
    assert_eq!(endpoint::received(&endpoint).await.len(), 0);
    report(name, &server, mark);
}

#[tokio::test]
async fn sealed_request_without_an_xkey_goes_unanswered() {
    let edit = |mut s: BridgeSpec| {
        s.xkey_seed = None;
        s
    };
    cannot_open(edit, "config mode, xkey: bridge has no xkey", "request is sealed but the bridge has no xkey seed")
        .await;
}

#[tokio::test]
async fn sealed_request_with_the_wrong_xkey_goes_unanswered() {
    let edit = |s: BridgeSpec| s.with_xkey_seed(XKey::new().seed().unwrap());
    cannot_open(edit, "config mode, xkey: bridge has another xkey", "cannot open the sealed request: ").await;
}
