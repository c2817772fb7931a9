//! The billing service against a real nats-server with the shop's users, including while the
//! server restarts and while the network to it is slow.

use std::time::Duration;

use futures::StreamExt;
use natsfault::proxy::{LatencyParams, Stream, ToxicKind, ToxicSpec};
use natsfault::{TestServer, TestUser};

async fn shop() -> TestServer {
    TestServer::builder()
        .user("orders", TestUser::new("SHOP").publish(["orders.>", "billing.status"]).subscribe(["_INBOX.>"]))
        .user(
            "billing",
            TestUser::new("SHOP").publish(["billing.>", "_INBOX.>"]).subscribe(["orders.>", "billing.status"]),
        )
        .user("auditor", TestUser::new("SHOP").publish(["_INBOX.>"]).subscribe(["billing.>"]))
        .start()
        .await
        .expect("a nats-server for the shop")
}

async fn connect(server: &TestServer, user: &str) -> async_nats::Client {
    let creds = server.creds(user).expect("creds file");
    async_nats::ConnectOptions::with_credentials_file(creds)
        .await
        .expect("creds")
        .connect(server.url())
        .await
        .expect("connect")
}

#[tokio::test]
async fn every_order_is_charged() {
    let server = shop().await;
    let (orders, billing, auditor) =
        (connect(&server, "orders").await, connect(&server, "billing").await, connect(&server, "auditor").await);
    let mut charges = auditor.subscribe("billing.charged").await.expect("subscribe");
    auditor.flush().await.expect("flush");
    let service = tokio::spawn(team_service::run_billing(billing));
    tokio::time::sleep(Duration::from_millis(50)).await;
    orders.publish("orders.created", "order-1".into()).await.expect("publish");
    let charge = tokio::time::timeout(Duration::from_secs(2), charges.next()).await.expect("a charge in time");
    assert_eq!(charge.expect("a message").payload, "charged:order-1");
    let status = orders.request("billing.status", "".into()).await.expect("a status reply");
    assert_eq!(status.payload, "charged 1");
    service.abort();
}

#[tokio::test]
async fn the_service_charges_again_after_a_server_restart() {
    let mut server = shop().await;
    let (orders, billing, auditor) =
        (connect(&server, "orders").await, connect(&server, "billing").await, connect(&server, "auditor").await);
    let mut charges = auditor.subscribe("billing.charged").await.expect("subscribe");
    let service = tokio::spawn(team_service::run_billing(billing));
    server.restart().await.expect("restart");
    // Every client reconnects and resubscribes; an order published then is charged.
    let charge = async {
        let mut i = 0;
        loop {
            orders.publish("orders.created", format!("order-{i}").into()).await.expect("publish");
            if let Ok(Some(m)) = tokio::time::timeout(Duration::from_millis(200), charges.next()).await {
                return m.payload;
            }
            i += 1;
        }
    };
    let payload = tokio::time::timeout(Duration::from_secs(10), charge).await.expect("a charge after the restart");
    assert!(payload.starts_with(b"charged:order-"));
    service.abort();
}

#[tokio::test]
async fn a_slow_network_delays_the_charge_but_loses_nothing() {
    let server = shop().await;
    let (orders, billing, auditor) =
        (connect(&server, "orders").await, connect(&server, "billing").await, connect(&server, "auditor").await);
    let mut charges = auditor.subscribe("billing.charged").await.expect("subscribe");
    auditor.flush().await.expect("flush");
    let service = tokio::spawn(team_service::run_billing(billing));
    tokio::time::sleep(Duration::from_millis(50)).await;
    let lag = LatencyParams { latency: Duration::from_millis(150), jitter: Duration::ZERO };
    server.add_toxic(ToxicSpec::new("lag", Stream::Downstream, ToxicKind::Latency(lag))).expect("toxic");
    let began = std::time::Instant::now();
    orders.publish("orders.created", "order-slow".into()).await.expect("publish");
    let charge = tokio::time::timeout(Duration::from_secs(3), charges.next()).await.expect("a charge in time");
    assert_eq!(charge.expect("a message").payload, "charged:order-slow");
    assert!(began.elapsed() >= Duration::from_millis(150), "the toxic delayed it: {:?}", began.elapsed());
    server.remove_toxic("lag").expect("remove");
    service.abort();
}
