//! Toxics that end connections: timeout, reset-peer, limit-data, slow-close, down.

use std::io::ErrorKind;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::mpsc;

use super::super::{
    ClosedBy, LimitDataParams, Proxy, ResetPeerParams, SlowCloseParams, Stream, TimeoutParams, ToxicKind, ToxicSpec,
    WireEvent,
};
use super::support::{connect, echo_server, read_to_end, round_trip, scripted_server, sink_server, wait_event, within};

/// Slack for a loaded 2-core machine on top of the expected time.
const SLACK: Duration = Duration::from_secs(3);

#[tokio::test]
async fn timeout_black_holes_then_closes() {
    let timeout = Duration::from_millis(500);
    let (upstream, mut received) = sink_server().await;
    let proxy = Proxy::start(upstream.addr).await.expect("proxy starts");
    let kind = ToxicKind::Timeout(TimeoutParams { timeout });
    proxy.add_toxic(ToxicSpec::new("hole", Stream::Upstream, kind)).expect("add timeout");

    let started = Instant::now();
    let mut client = connect(proxy.listen_addr()).await;
    client.write_all(b"PING\r\n").await.expect("write");
    let (data, ended) = read_to_end(&mut client).await;
    let took = started.elapsed();
    eprintln!("timeout {timeout:?}: closed after {took:?}");
    assert!(data.is_empty() && ended.is_ok(), "{data:?} {ended:?}");
    assert!(took >= timeout && took < timeout + SLACK, "closed after {took:?}");
    assert!(received.try_recv().is_err(), "the held bytes reached the server");
    assert_eq!(proxy.wire().connections[0].closed_by, Some(ClosedBy::Toxic("hole".into())));
}

#[tokio::test]
async fn zero_timeout_holds_data_until_removed() {
    let (upstream, mut received) = sink_server().await;
    let proxy = Proxy::start(upstream.addr).await.expect("proxy starts");
    let kind = ToxicKind::Timeout(TimeoutParams { timeout: Duration::ZERO });
    proxy.add_toxic(ToxicSpec::new("hole", Stream::Upstream, kind)).expect("add timeout");
    let mut client = connect(proxy.listen_addr()).await;
    client.write_all(b"held").await.expect("write");

    // Nothing signals "still nothing arrived": wait a bounded while.
    let early = tokio::time::timeout(Duration::from_millis(400), received.recv()).await;
    assert!(early.is_err(), "data passed the black hole: {early:?}");
    proxy.remove_toxic("hole").expect("remove");
    let late = within("held data", received.recv()).await.expect("sink alive");
    assert_eq!(late, b"held");
    assert_eq!(proxy.wire().connections[0].closed_by, None);
}

#[tokio::test]
async fn reset_peer_gives_the_client_connection_reset() {
    let timeout = Duration::from_millis(600);
    let upstream = echo_server().await;
    let proxy = Proxy::start(upstream.addr).await.expect("proxy starts");
    let kind = ToxicKind::ResetPeer(ResetPeerParams { timeout });
    proxy.add_toxic(ToxicSpec::new("rst", Stream::Downstream, kind)).expect("add reset-peer");

    let started = Instant::now();
    let mut client = connect(proxy.listen_addr()).await;
    assert_eq!(round_trip(&mut client, b"before").await, b"before");
    let (_, ended) = read_to_end(&mut client).await;
    let took = started.elapsed();
    eprintln!("reset-peer {timeout:?}: {ended:?} after {took:?}");
    assert_eq!(ended.map_err(|e| e.kind()), Err(ErrorKind::ConnectionReset));
    assert!(took >= timeout && took < timeout + SLACK, "reset after {took:?}");
}

#[tokio::test]
async fn limit_data_closes_after_n_bytes() {
    let upstream = scripted_server(|mut socket: TcpStream| async move {
        let _ = socket.write_all(&[b'd'; 100]).await;
        let mut sink = [0u8; 16];
        while let Ok(1..) = socket.read(&mut sink).await {}
    })
    .await;
    let proxy = Proxy::start(upstream.addr).await.expect("proxy starts");
    let kind = ToxicKind::LimitData(LimitDataParams { bytes: 10 });
    proxy.add_toxic(ToxicSpec::new("limit", Stream::Downstream, kind)).expect("add limit-data");
    let mut client = connect(proxy.listen_addr()).await;

    let (data, ended) = read_to_end(&mut client).await;
    assert!(ended.is_ok(), "{ended:?}");
    assert_eq!(data, [b'd'; 10]);
    assert_eq!(proxy.wire().connections[0].closed_by, Some(ClosedBy::Toxic("limit".into())));
}

#[tokio::test]
async fn slow_close_delays_the_eof() {
    let delay = Duration::from_millis(500);
    let (closed_tx, mut closed_rx) = mpsc::unbounded_channel();
    let upstream = scripted_server(move |mut socket: TcpStream| {
        let closed_tx = closed_tx.clone();
        async move {
            let _ = socket.write_all(b"bye").await;
            drop(socket);
            let _ = closed_tx.send(Instant::now());
        }
    })
    .await;
    let proxy = Proxy::start(upstream.addr).await.expect("proxy starts");
    let kind = ToxicKind::SlowClose(SlowCloseParams { delay });
    proxy.add_toxic(ToxicSpec::new("slow", Stream::Downstream, kind)).expect("add slow-close");
    let mut client = connect(proxy.listen_addr()).await;

    let (data, ended) = read_to_end(&mut client).await;
    let eof_at = Instant::now();
    let server_closed_at = within("server close", closed_rx.recv()).await.expect("script ran");
    let held = eof_at - server_closed_at;
    eprintln!("slow-close {delay:?}: EOF {held:?} after the server closed");
    assert_eq!(data, b"bye");
    assert!(ended.is_ok(), "{ended:?}");
    assert!(held >= delay && held < delay + SLACK, "EOF {held:?} after the server closed");
    assert_eq!(proxy.wire().connections[0].closed_by, Some(ClosedBy::Server));
}

#[tokio::test]
async fn down_closes_open_and_new_connections_until_removed() {
    let upstream = echo_server().await;
    let proxy = Proxy::start(upstream.addr).await.expect("proxy starts");
    let mut events = proxy.events();
    let mut open = connect(proxy.listen_addr()).await;
    round_trip(&mut open, b"up").await;

    proxy.add_toxic(ToxicSpec::new("down", Stream::Downstream, ToxicKind::Down)).expect("add down");
    let (_, ended) = read_to_end(&mut open).await;
    assert!(ended.is_ok(), "open connection: {ended:?}");

    let started = Instant::now();
    let mut refused = connect(proxy.listen_addr()).await;
    let (data, ended) = read_to_end(&mut refused).await;
    eprintln!("down: new connection saw EOF after {:?}", started.elapsed());
    assert!(data.is_empty() && ended.is_ok(), "new connection: {data:?} {ended:?}");
    let closed = wait_event(&mut events, "refusal", |e| matches!(e, WireEvent::ConnectionClosed { id: 2, .. })).await;
    assert_eq!(closed, WireEvent::ConnectionClosed { id: 2, by: ClosedBy::Toxic("down".into()) });

    proxy.remove_toxic("down").expect("remove");
    let mut back = connect(proxy.listen_addr()).await;
    assert_eq!(round_trip(&mut back, b"again").await, b"again");
    let log = proxy.wire();
    assert_eq!(log.attempts(), 3);
    assert_eq!(log.connections[0].closed_by, Some(ClosedBy::Toxic("down".into())));
}
