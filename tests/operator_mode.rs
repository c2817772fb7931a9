//! Operator-mode JWT scenarios against a real nats-server 2.15.1.
//!
//! Every connect-time JWT failure reaches async-nats only as
//! `ConnectErrorKind::AuthorizationViolation`; the reason is only in the
//! server's debug log, which each test checks.

mod cred_support;

use std::time::Duration;

use async_nats::{ConnectErrorKind, ConnectOptions};
use cred_support::raw::RawClient;
use cred_support::trust::{Trust, jwt_for};
use cred_support::{NatsServer, report};
use natsfault::credentials::{Identity, Role, claims::now_unix, defects, format_creds, keys, parse_creds, write_creds};

/// Connects with `creds`, expects an authorization violation, and returns
/// the server's log line containing `reason`.
async fn refused(case: &str, server: &NatsServer, creds: &str, reason: &str) -> String {
    let err = ConnectOptions::with_credentials(creds)
        .expect("async-nats accepts the creds text")
        .connection_timeout(Duration::from_secs(5))
        .connect(server.url())
        .await
        .expect_err("the server must refuse this user");
    assert_eq!(err.kind(), ConnectErrorKind::AuthorizationViolation, "{case}: {err}");
    let line = server.wait_for_log(reason).await;
    server.wait_for_log("Client connection closed: Authentication Failure").await;
    report(case, server);
    let line = line.unwrap_or_else(|| panic!("{case}: no log line containing {reason:?}"));
    // The reason is logged before the `[ERR] ... - authentication error` line.
    let logs = server.logs();
    let at = |needle: &str| logs.iter().position(|l| l.contains(needle));
    assert!(at(reason) < at("- authentication error"), "{case}: reason comes first");
    line
}

#[tokio::test]
async fn good_creds_connect_and_pubsub() {
    let trust = Trust::new();
    let server = NatsServer::start(&trust.config()).await;
    let creds = trust.app_user_creds(|_| {});
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("alice.creds");
    let (jwt, seed) = parse_creds(&creds).unwrap();
    write_creds(&path, &jwt, &seed).unwrap();

    // The subscriber is a raw-protocol client using the same user JWT.
    let user = Identity::from_seed(Role::User, &seed).unwrap();
    let mut raw = RawClient::open(server.port).await;
    assert_eq!(raw.connect_jwt(&jwt, Some(&user)).await, "PONG");
    raw.subscribe("orders.>").await;

    let from_str = ConnectOptions::with_credentials(&creds).unwrap().connect(server.url()).await;
    let from_file = ConnectOptions::new().credentials_file(&path).await.unwrap();
    let from_file = from_file.connect(server.url()).await;
    for (client, subject) in [(from_str.unwrap(), "orders.a"), (from_file.unwrap(), "orders.b")] {
        client.publish(subject, "hello".into()).await.unwrap();
        client.flush().await.unwrap();
        let got = raw.next_msg().await.expect("message within 5 s");
        assert_eq!(got, (subject.to_string(), "hello".to_string()));
    }
}

#[tokio::test]
async fn expired_user_jwt_is_refused() {
    let trust = Trust::new();
    let server = NatsServer::start(&trust.config()).await;
    let creds = trust.app_user_creds(|u| defects::expire(u, 30));
    refused("user jwt expired", &server, &creds, "claim is expired").await;
}

#[tokio::test]
async fn revoked_user_is_refused() {
    let user = keys::user();
    let trust = Trust::with_app(|a| defects::revoke(a, user.public_key(), now_unix()));
    let server = NatsServer::start(&trust.config()).await;
    let jwt = jwt_for(&user, &trust.app, |u| u.data.iat = now_unix() - 60);
    let creds = format_creds(&jwt, user.seed());
    refused("user revoked", &server, &creds, "User authentication revoked").await;
}

#[tokio::test]
async fn tampered_signature_is_refused() {
    let trust = Trust::new();
    let server = NatsServer::start(&trust.config()).await;
    let (jwt, user) = trust.user_signed_by(&trust.app, |_| {});
    let creds = format_creds(&defects::tamper_signature(&jwt).unwrap(), user.seed());
    refused("tampered signature", &server, &creds, "Authentication requires a user JWT").await;
}

#[tokio::test]
async fn wrong_signer_is_refused() {
    let trust = Trust::new();
    let server = NatsServer::start(&trust.config()).await;
    let user = keys::user();
    let mut claims = natsfault::credentials::UserClaims::new(user.public_key(), "x");
    let jwt = defects::sign_with_wrong_key(&mut claims, &trust.app, &keys::account()).unwrap();
    let creds = format_creds(&jwt, user.seed());
    refused("signed by another key", &server, &creds, "Authentication requires a user JWT").await;
}

#[tokio::test]
async fn signing_key_with_issuer_account_connects() {
    let trust = Trust::new();
    let server = NatsServer::start(&trust.config()).await;
    let (jwt, user) = trust.user_signed_by(&trust.app_signing, |u| {
        u.nats.issuer_account = trust.app.public_key().into();
    });
    let client = ConnectOptions::with_credentials(&format_creds(&jwt, user.seed()))
        .unwrap()
        .connect(server.url())
        .await
        .expect("a listed signing key with issuer_account is accepted");
    client.flush().await.unwrap();
}

#[tokio::test]
async fn signing_key_without_issuer_account_is_refused() {
    let trust = Trust::new();
    let server = NatsServer::start(&trust.config()).await;
    let (jwt, user) = trust.user_signed_by(&trust.app_signing, |_| {});
    let creds = format_creds(&jwt, user.seed());
    refused("signing key, no issuer_account", &server, &creds, "account missing").await;
}

#[tokio::test]
async fn issuer_account_without_that_signing_key_is_refused() {
    let trust = Trust::new();
    let server = NatsServer::start(&trust.config()).await;
    let stranger = keys::account_signing_key();
    let (jwt, user) = trust.user_signed_by(&stranger, |u| {
        u.nats.issuer_account = trust.app.public_key().into();
    });
    let creds = format_creds(&jwt, user.seed());
    refused("issuer_account, unlisted key", &server, &creds, "User JWT issuer is not known").await;
}

#[tokio::test]
async fn unknown_account_is_refused() {
    let trust = Trust::new();
    let server = NatsServer::start(&trust.config()).await;
    let (jwt, user) = trust.user_signed_by(&keys::account(), |_| {});
    let creds = format_creds(&jwt, user.seed());
    refused("unknown account", &server, &creds, "Account JWT lookup error: account missing").await;
}

#[tokio::test]
async fn expired_account_jwt_is_refused() {
    let trust = Trust::with_app(|a| defects::expire(a, 30));
    let server = NatsServer::start(&trust.config()).await;
    let creds = trust.app_user_creds(|_| {});
    let reason = "Account JWT lookup error: account validation failed";
    refused("account jwt expired", &server, &creds, reason).await;
}

#[tokio::test]
async fn nonce_signed_with_another_seed_is_refused() {
    let trust = Trust::new();
    let server = NatsServer::start(&trust.config()).await;
    let (jwt, _user) = trust.user_signed_by(&trust.app, |_| {});
    let creds = format_creds(&jwt, keys::user().seed());
    refused("jwt user, other seed", &server, &creds, "Signature not verified").await;
}

#[tokio::test]
async fn truncated_jwt_passes_the_client_and_is_refused() {
    let trust = Trust::new();
    let server = NatsServer::start(&trust.config()).await;
    let (jwt, user) = trust.user_signed_by(&trust.app, |_| {});
    let creds = format_creds(&defects::truncate_jwt(&jwt), user.seed());
    assert!(parse_creds(&creds).is_err(), "the strict parser rejects it");
    refused("truncated jwt", &server, &creds, "Authentication requires a user JWT").await;
}

#[tokio::test]
async fn missing_signature_is_refused() {
    let trust = Trust::new();
    let server = NatsServer::start(&trust.config()).await;
    let (jwt, _user) = trust.user_signed_by(&trust.app, |_| {});
    let mut raw = RawClient::open(server.port).await;
    assert_eq!(raw.connect_jwt(&jwt, None).await, "-ERR 'Authorization Violation'");
    let line = server.wait_for_log("Signature missing").await;
    server.wait_for_log("Client connection closed: Authentication Failure").await;
    report("no nonce signature (raw protocol)", &server);
    line.expect("log names the missing signature");
}
