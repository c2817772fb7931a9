//! Toxics added to and removed from open connections; toxicity.

use std::time::{Duration, Instant};

use super::super::{LatencyParams, Proxy, ProxyError, Stream, ToxicKind, ToxicSpec};
use super::support::{connect, echo_server, round_trip};

fn latency(name: &str, ms: u64) -> ToxicSpec {
    let kind = ToxicKind::Latency(LatencyParams { latency: Duration::from_millis(ms), jitter: Duration::ZERO });
    ToxicSpec::new(name, Stream::Upstream, kind)
}

async fn timed_round_trip(client: &mut tokio::net::TcpStream) -> Duration {
    let started = Instant::now();
    assert_eq!(round_trip(client, b"tick").await, b"tick");
    started.elapsed()
}

#[tokio::test]
async fn add_and_remove_act_on_an_open_connection() {
    let upstream = echo_server().await;
    let proxy = Proxy::start(upstream.addr).await.expect("proxy starts");
    let mut client = connect(proxy.listen_addr()).await;
    let before = timed_round_trip(&mut client).await;

    proxy.add_toxic(latency("lag", 400)).expect("add");
    let during = timed_round_trip(&mut client).await;
    proxy.remove_toxic("lag").expect("remove");
    let after = timed_round_trip(&mut client).await;
    eprintln!("live latency 400ms: before {before:?}, during {during:?}, after {after:?}");
    assert!(during >= Duration::from_millis(400), "during {during:?}");
    assert!(after < Duration::from_millis(400), "after {after:?}");
    assert_eq!(proxy.wire().attempts(), 1);
}

#[tokio::test]
async fn zero_toxicity_spares_every_connection() {
    let upstream = echo_server().await;
    let proxy = Proxy::start(upstream.addr).await.expect("proxy starts");
    proxy.add_toxic(latency("never", 1000).with_toxicity(0.0)).expect("add");
    let mut client = connect(proxy.listen_addr()).await;
    let rtt = timed_round_trip(&mut client).await;
    assert!(rtt < Duration::from_millis(1000), "round trip {rtt:?}");
}

#[tokio::test]
async fn names_are_unique_and_listed() {
    let upstream = echo_server().await;
    let proxy = Proxy::start(upstream.addr).await.expect("proxy starts");
    proxy.add_toxic(latency("a", 1)).expect("add a");
    proxy.add_toxic(latency("b", 1)).expect("add b");
    assert!(matches!(proxy.add_toxic(latency("a", 2)), Err(ProxyError::ToxicExists { .. })));
    let names: Vec<_> = proxy.toxics().into_iter().map(|t| t.name).collect();
    assert_eq!(names, ["a", "b"]);
    proxy.remove_toxic("a").expect("remove a");
    assert!(matches!(proxy.remove_toxic("a"), Err(ProxyError::ToxicNotFound { .. })));
}
