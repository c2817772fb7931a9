//! The wire tap between clients and the server must not change what clients see, and its
//! barrier makes "the server has processed this" a fact rather than a race.

mod support;

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use natsfault::backend::{Backend, ProcessBackend, ServerSpec};
use natsfault::proxy::{Proxy, TapOp};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_cross_two_taps_without_loss() {
    let server = ProcessBackend.start(&ServerSpec::new(support::version(), "").label("tap")).await.expect("server");
    for round in 0..100 {
        let sub_tap = Arc::new(Proxy::start(server.client_addr()).await.expect("tap"));
        let pub_tap = Arc::new(Proxy::start(server.client_addr()).await.expect("tap"));
        let sub = async_nats::connect(format!("nats://{}", sub_tap.listen_addr())).await.expect("sub connects");
        let publ = async_nats::connect(format!("nats://{}", pub_tap.listen_addr())).await.expect("pub connects");
        let sub_began = std::time::Instant::now();
        let mut s = sub.subscribe("a.>").await.expect("subscribe");
        sub.flush().await.expect("flush sub");
        // async-nats' flush only writes the buffer; the tap's barrier is the round trip.
        let op = TapOp::Subscribe("a.>".into());
        assert!(sub_tap.barrier_after(Duration::from_secs(2), op, sub_began).await, "barrier round trip");
        let pub_began = std::time::Instant::now();
        publ.publish("a.b", "x".into()).await.expect("publish");
        publ.flush().await.expect("flush pub");
        let op = TapOp::Publish("a.b".into());
        assert!(pub_tap.barrier_after(Duration::from_secs(2), op, pub_began).await, "barrier round trip");
        let got = tokio::time::timeout(Duration::from_secs(2), s.next()).await;
        assert!(matches!(got, Ok(Some(_))), "round {round}: the message was lost; wire: {:?}", sub_tap.wire());
    }
}
