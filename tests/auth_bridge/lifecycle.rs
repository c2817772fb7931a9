//! Starting and stopping a bridge: bad specs and bad service credentials
//! fail `start` with typed errors; after `stop` (or drop) callouts go
//! unanswered and the server times out.

use std::time::Duration;

use async_nats::ConnectErrorKind;
use natsfault::auth_bridge::{Bridge, BridgeError, ServiceAuth};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::common::client::connect_token;
use crate::common::endpoint::{self, AUTH_PATH};
use crate::common::server::{NatsServer, body};
use crate::common::setup::ConfigMode;

const WAIT: Duration = Duration::from_secs(5);

#[tokio::test]
async fn invalid_spec_fails_before_connecting() {
    let setup = ConfigMode::new(2.0);
    // Nothing listens at this NATS URL: the spec check comes first.
    let spec = setup.spec("nats://127.0.0.1:1", "https://127.0.0.1/auth", Duration::from_secs(1));
    let err = Bridge::start(spec).await.unwrap_err();
    assert!(matches!(err, BridgeError::InvalidSpec { field: "auth_url", .. }), "{err}");
}

#[tokio::test]
async fn wrong_service_password_fails_start() {
    let setup = ConfigMode::new(2.0);
    let server = NatsServer::start(&crate::common::version(), &setup.config()).await;
    let mut spec = setup.spec(&server.url(), &endpoint::closed_url(), Duration::from_secs(1));
    spec.service_auth = ServiceAuth::UserPassword { user: "auth".into(), password: "wrong".into() };
    let err = Bridge::start(spec).await.unwrap_err();
    let BridgeError::Connect { source, .. } = &err else { panic!("{err}") };
    // `auth` is an auth user, so a wrong password is not sent to the callout.
    assert_eq!(source.kind(), ConnectErrorKind::AuthorizationViolation);
    assert_eq!(err.to_string(), format!("cannot connect the auth service to `{}`", server.url()));
}

#[tokio::test]
async fn after_stop_callouts_go_unanswered() {
    let setup = ConfigMode::new(0.5);
    let server = NatsServer::start(&crate::common::version(), &setup.config()).await;
    let endpoint = endpoint::start().await;
    let grant = json!({ "user": "alice" });
    Mock::given(method("POST"))
        .and(path(AUTH_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(grant))
        .mount(&endpoint)
        .await;
    let bridge = Bridge::start(setup.spec(&server.url(), &endpoint::auth_url(&endpoint), Duration::from_millis(300)))
        .await
        .unwrap();
    connect_token(&server.url(), "t").await.connected();
    let handled = bridge.stop().await;
    assert_eq!(handled.len(), 1);
    assert!(handled[0].outcome.is_authorized());

    let mark = server.mark();
    let attempt = connect_token(&server.url(), "t").await;
    assert_eq!(attempt.kind(), ConnectErrorKind::AuthorizationViolation);
    let line = server.wait_line_since(mark, "not received in time", WAIT).await.expect("timeout logged");
    assert_eq!(body(&line), "[DBG] Authorization callout response not received in time on account \"AUTH\"");
    assert_eq!(endpoint::received(&endpoint).await.len(), 1);
}

#[tokio::test]
async fn dropping_the_bridge_stops_it() {
    let setup = ConfigMode::new(0.5);
    let server = NatsServer::start(&crate::common::version(), &setup.config()).await;
    let bridge =
        Bridge::start(setup.spec(&server.url(), &endpoint::closed_url(), Duration::from_millis(300))).await.unwrap();
    drop(bridge);
    // The server notices the service's connection closing before the next client.
    let closed = server.wait_line("\"AUTH/user:auth\" - Client connection closed", WAIT).await.expect("closed");
    assert!(closed.contains("natsfault-auth-bridge"), "{closed}");
    let mark = server.mark();
    let attempt = connect_token(&server.url(), "t").await;
    assert_eq!(attempt.kind(), ConnectErrorKind::AuthorizationViolation);
    assert!(attempt.elapsed >= Duration::from_millis(500), "{:?}", attempt.elapsed);
    assert!(server.wait_line_since(mark, "not received in time", WAIT).await.is_some());
    assert!(server.lines_since(mark).iter().all(|l| !l.contains("[WRN]")));
}
