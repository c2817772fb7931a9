//! The one door from a library: a team's JetStream config (its own `store_dir`, limits, domain,
//! a cluster and an include) played by `verify` on both backends and by
//! `TestServer::from_config_file`, and a contract written by `contract --from-config` from it.

mod support;

use std::path::Path;

use natsfault::TestServer;
use natsfault::backend::{Backend, ProcessBackend};
use natsfault::contract::{load_contract, render_human, verify};
use natsfault::door::load_config_file;
use natsfault::redact::Secrets;

const TEAM: &str = "fixtures/team/jetstream";

async fn holds_on(backend: &dyn Backend) {
    let root = support::root();
    let contract = load_contract(&root.join(TEAM).join("nats-contract.toml")).expect("contract");
    let deployed = load_config_file(&root.join(TEAM).join("nats.conf")).expect("the door plans the config");
    assert!(!deployed.main.contains("store_dir") && deployed.main.contains("max_file"), "{}", deployed.main);
    let report = verify(&contract, &deployed, backend, support::version(), &Secrets::new()).await.expect("verify");
    assert!(report.holds(), "{}", render_human(&report));
    let js = report.lines.iter().find(|l| l.line.text.contains("$JS.API.INFO")).expect("a JetStream line");
    assert!(js.observed.contains("answered"), "JetStream answered: {}", js.observed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_plays_a_jetstream_config_with_its_own_store_dir_on_processes() {
    holds_on(&ProcessBackend).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_plays_a_jetstream_config_with_its_own_store_dir_on_containers() {
    let Some(backend) = support::container_backend("verify on containers").await else { return };
    holds_on(&backend).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_server_from_config_file_runs_a_jetstream_account() {
    let root = support::root();
    let server = TestServer::from_config_file(root.join(TEAM).join("fixed/nats.conf"))
        .version(support::version().to_string())
        .start()
        .await
        .expect("the team's config starts");
    let client = async_nats::ConnectOptions::with_user_and_password("orders".into(), "orders-js-pass-41d2".into())
        .connect(server.url())
        .await
        .expect("connect");
    let js = async_nats::jetstream::with_domain(client, "orders");
    let stream = js
        .create_stream(async_nats::jetstream::stream::Config {
            name: "ORDERS".into(),
            subjects: vec!["orders.>".into()],
            ..Default::default()
        })
        .await
        .expect("the account's JetStream creates the stream");
    let ack = js.publish("orders.created", "order 1".into()).await.expect("published").await.expect("acked");
    assert_eq!((ack.stream.as_str(), ack.sequence), ("ORDERS", 1));
    assert_eq!(stream.cached_info().config.name, "ORDERS");
    // The store is the sandbox's, not the config's own `store_dir`.
    assert!(!Path::new("/var/lib/nats/orders").exists());
    let sockets = server.sockets().expect("a process is audited").expect("audit");
    assert!(sockets.loopback_only(), "{sockets}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_server_config_text_is_held_to_the_door() {
    let err = TestServer::builder()
        .config("cluster { name: c, routes: [\"nats-route://10.0.0.7:6222\"] }")
        .start()
        .await
        .err()
        .expect("refused");
    assert!(err.to_string().contains("would dial `10.0.0.7:6222`"), "{err}");
}
