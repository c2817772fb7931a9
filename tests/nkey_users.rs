//! Config-mode nkey users against a real nats-server 2.15.1.

mod cred_support;

use async_nats::{ConnectErrorKind, ConnectOptions};
use cred_support::raw::RawClient;
use cred_support::{NatsServer, redact, report, start_expecting_failure};
use natsfault::credentials::nkey_user::{NkeyUser, authorization_block, seed_in_place_of_public_key, wrong_seed_for};
use natsfault::credentials::{Identity, Role};

/// A config with these users; the backend chooses the address (127.0.0.1) and port, the
/// `listen` line only keeps the line numbers of the original test.
fn config(users: &str) -> String {
    format!("listen: \"127.0.0.1:-1\"\n{users}")
}

#[tokio::test]
async fn nkey_user_connects() {
    let alice = NkeyUser::generate();
    let server = NatsServer::start(&config(&authorization_block(&[&alice]))).await;
    let client = ConnectOptions::with_nkey(alice.seed().to_string())
        .connect(server.url())
        .await
        .expect("the configured nkey user connects");
    client.flush().await.unwrap();
}

#[tokio::test]
async fn async_nats_with_another_seed_is_refused() {
    let alice = NkeyUser::generate();
    let server = NatsServer::start(&config(&authorization_block(&[&alice]))).await;
    // async-nats derives the nkey it announces from the seed, so another
    // seed means an nkey the server does not know.
    let other_seed = wrong_seed_for(&alice);
    let other = Identity::from_seed(Role::User, &other_seed).unwrap();
    let err = ConnectOptions::with_nkey(other_seed).connect(server.url()).await.expect_err("refused");
    assert_eq!(err.kind(), ConnectErrorKind::AuthorizationViolation, "{err}");
    let line = server.wait_for_log("authentication error - Nkey").await;
    server.wait_for_log("Client connection closed: Authentication Failure").await;
    report("nkey user, async-nats with another seed", &server);
    let line = line.expect("an authentication error is logged");
    assert!(line.contains(other.public_key()), "names the unknown nkey: {line}");
    let logs = server.logs();
    assert!(!logs.iter().any(|l| l.contains("Signature not verified")), "no signature check");
}

#[tokio::test]
async fn nonce_signed_with_another_seed_is_refused() {
    let alice = NkeyUser::generate();
    let server = NatsServer::start(&config(&authorization_block(&[&alice]))).await;
    let other = Identity::from_seed(Role::User, &wrong_seed_for(&alice)).unwrap();
    let mut raw = RawClient::open(server.port).await;
    let answer = raw.connect_nkey(alice.public_key(), &other).await;
    assert_eq!(answer, "-ERR 'Authorization Violation'");
    let line = server.wait_for_log("Signature not verified").await;
    server.wait_for_log("Client connection closed: Authentication Failure").await;
    report("nkey user, right nkey, nonce signed by another seed (raw)", &server);
    line.expect("the reason is logged");
    let nkey_line = server.wait_for_log("authentication error - Nkey").await.expect("names the nkey");
    assert!(nkey_line.contains(alice.public_key()));
}

#[tokio::test]
async fn seed_where_the_public_key_belongs_stops_the_server() {
    let alice = NkeyUser::generate();
    let entry = seed_in_place_of_public_key(&alice);
    let users = format!("authorization {{\n  users: [\n    {entry}\n  ]\n}}\n");
    let (exit, message) = start_expecting_failure(&config(&users)).await;
    eprintln!("=== seed in place of public key (exit {exit})\n{}", redact(&message));
    assert_eq!(exit, "1");
    assert!(message.contains("Not a valid public nkey for a user"), "{message}");
    assert!(message.starts_with("nats.conf:4:"), "names line 4 of the config: {message}");
    assert!(!message.contains(alice.seed()), "the refusal does not repeat the seed");
}
