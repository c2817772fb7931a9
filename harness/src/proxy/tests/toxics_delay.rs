//! Toxics that delay or reshape data: latency, bandwidth, slicer.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::super::{BandwidthParams, LatencyParams, Proxy, SlicerParams, Stream, ToxicKind, ToxicSpec};
use super::support::{connect, echo_server, round_trip, scripted_server, sink_server, within};

/// Slack for a loaded 2-core machine on top of the expected time.
const SLACK: Duration = Duration::from_secs(3);

#[tokio::test]
async fn latency_delays_each_round_trip() {
    let latency = Duration::from_millis(300);
    let upstream = echo_server().await;
    let proxy = Proxy::start(upstream.addr).await.expect("proxy starts");
    let kind = ToxicKind::Latency(LatencyParams { latency, jitter: Duration::ZERO });
    proxy.add_toxic(ToxicSpec::new("lag", Stream::Downstream, kind)).expect("add latency");
    let mut client = connect(proxy.listen_addr()).await;

    for _ in 0..2 {
        let started = Instant::now();
        assert_eq!(round_trip(&mut client, b"ping").await, b"ping");
        let rtt = started.elapsed();
        eprintln!("latency {latency:?}: round trip {rtt:?}");
        assert!(rtt >= latency && rtt < latency + SLACK, "round trip {rtt:?}");
    }
}

#[tokio::test]
async fn bandwidth_bounds_throughput() {
    const BYTES: usize = 50_000;
    let rate_kb_per_s = 100; // 100_000 bytes/s: 50_000 bytes need 0.5 s.
    let (upstream, mut received) = sink_server().await;
    let proxy = Proxy::start(upstream.addr).await.expect("proxy starts");
    let kind = ToxicKind::Bandwidth(BandwidthParams { rate_kb_per_s });
    proxy.add_toxic(ToxicSpec::new("narrow", Stream::Upstream, kind)).expect("add bandwidth");
    let mut client = connect(proxy.listen_addr()).await;

    let started = Instant::now();
    client.write_all(&vec![7u8; BYTES]).await.expect("write");
    let mut got = 0;
    while got < BYTES {
        got += within("throttled bytes", received.recv()).await.expect("sink alive").len();
    }
    let took = started.elapsed();
    let ideal = Duration::from_millis(500);
    eprintln!("bandwidth {rate_kb_per_s} kB/s: {BYTES} bytes in {took:?} (ideal {ideal:?})");
    assert!(took >= ideal && took < ideal + SLACK, "took {took:?}");
}

#[tokio::test]
async fn slicer_splits_a_write_into_many_reads() {
    const BYTES: usize = 1000;
    let upstream = scripted_server(|mut socket: TcpStream| async move {
        let _ = socket.write_all(&[b'z'; BYTES]).await;
        let mut sink = [0u8; 16];
        while let Ok(1..) = socket.read(&mut sink).await {}
    })
    .await;
    let proxy = Proxy::start(upstream.addr).await.expect("proxy starts");
    let delay = Duration::from_millis(20);
    let kind = ToxicKind::Slicer(SlicerParams { average_size: 100, size_variation: 20, delay });
    proxy.add_toxic(ToxicSpec::new("slices", Stream::Downstream, kind)).expect("add slicer");
    let mut client = connect(proxy.listen_addr()).await;

    let mut buf = [0u8; 4096];
    let (mut reads, mut got, mut first) = (0, 0, None);
    while got < BYTES {
        let n = within("a slice", client.read(&mut buf)).await.expect("read");
        assert!(n > 0, "early EOF after {got} bytes");
        first.get_or_insert_with(Instant::now);
        reads += 1;
        got += n;
    }
    let spread = first.map(|t| t.elapsed()).unwrap_or_default();
    eprintln!("slicer: {BYTES} bytes in {reads} reads over {spread:?}");
    assert_eq!(got, BYTES);
    // At most 120 bytes a slice: at least 9 slices, 8 gaps of 20 ms.
    assert!(reads >= 5, "only {reads} reads");
    assert!(spread >= delay * 7, "slices spread over {spread:?}");
}
