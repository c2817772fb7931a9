//! Plain forwarding, upstream switching, resets and the proxy's drop.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::super::{ClosedBy, Proxy, WireEvent};
use super::support::{connect, echo_server, read_to_end, round_trip, scripted_server, wait_event, within};

#[tokio::test]
async fn forwards_both_ways_and_records_the_client_close() {
    let upstream = echo_server().await;
    let proxy = Proxy::start(upstream.addr).await.expect("proxy starts");
    let mut events = proxy.events();
    let mut client = connect(proxy.listen_addr()).await;

    assert_eq!(round_trip(&mut client, b"hello").await, b"hello");
    let big: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let (mut read, mut write) = client.split();
    let writer = async { write.write_all(&big).await.expect("write a large payload") };
    let reader = async {
        let mut back = vec![0u8; big.len()];
        read.read_exact(&mut back).await.expect("read the large echo");
        back
    };
    let ((), back) = within("large echo", async { tokio::join!(writer, reader) }).await;
    assert!(back == big, "large payload came back altered");

    drop(client);
    let closed = wait_event(&mut events, "close", |e| matches!(e, WireEvent::ConnectionClosed { .. })).await;
    assert_eq!(closed, WireEvent::ConnectionClosed { id: 1, by: ClosedBy::Client });
    let log = proxy.wire();
    assert_eq!(log.attempts(), 1);
    assert!(log.connections[0].closed_at.is_some());
}

#[tokio::test]
async fn set_upstream_moves_new_connections_only() {
    let greet = |word: &'static [u8]| {
        move |mut socket: TcpStream| async move {
            let _ = socket.write_all(word).await;
            let mut sink = [0u8; 16];
            // Hold the connection until the proxy closes it.
            while let Ok(1..) = socket.read(&mut sink).await {}
        }
    };
    let a = scripted_server(greet(b"A")).await;
    let b = scripted_server(greet(b"B")).await;
    let proxy = Proxy::start(a.addr).await.expect("proxy starts");
    let mut first = connect(proxy.listen_addr()).await;
    let mut byte = [0u8; 1];
    within("greeting A", first.read_exact(&mut byte)).await.expect("read");
    assert_eq!(&byte, b"A");

    proxy.set_upstream(b.addr);
    assert_eq!(proxy.upstream(), b.addr);
    let mut second = connect(proxy.listen_addr()).await;
    within("greeting B", second.read_exact(&mut byte)).await.expect("read");
    assert_eq!(&byte, b"B");
    assert_eq!(proxy.wire().attempts(), 2);
    assert!(proxy.wire().connections[0].closed_by.is_none(), "the first connection stays up");
}

#[tokio::test]
async fn reset_all_closes_open_connections_and_accepts_new_ones() {
    let upstream = echo_server().await;
    let proxy = Proxy::start(upstream.addr).await.expect("proxy starts");
    let mut one = connect(proxy.listen_addr()).await;
    let mut two = connect(proxy.listen_addr()).await;
    round_trip(&mut one, b"1").await;
    round_trip(&mut two, b"2").await;

    proxy.reset_all();
    assert!(read_to_end(&mut one).await.1.is_ok());
    assert!(read_to_end(&mut two).await.1.is_ok());
    let log = proxy.wire();
    assert!(log.connections.iter().all(|c| c.closed_by == Some(ClosedBy::Proxy)));

    let mut three = connect(proxy.listen_addr()).await;
    assert_eq!(round_trip(&mut three, b"3").await, b"3");
}

#[tokio::test]
async fn unreachable_upstream_closes_the_client() {
    let gone = {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        listener.local_addr().expect("address")
    };
    let proxy = Proxy::start(gone).await.expect("proxy starts");
    let mut client = connect(proxy.listen_addr()).await;
    let (data, _) = read_to_end(&mut client).await;
    assert!(data.is_empty());
    assert_eq!(proxy.wire().connections[0].closed_by, Some(ClosedBy::UpstreamUnreachable));
}

#[tokio::test]
async fn drop_closes_connections_and_the_listener() {
    let upstream = echo_server().await;
    let proxy = Proxy::start(upstream.addr).await.expect("proxy starts");
    let addr = proxy.listen_addr();
    let mut client = connect(addr).await;
    round_trip(&mut client, b"x").await;

    drop(proxy);
    let (_, ended) = read_to_end(&mut client).await;
    assert!(ended.is_ok(), "clean EOF after drop: {ended:?}");
    // The listener closes when the aborted accept task is dropped; no event
    // announces it, so poll a bounded number of times.
    let mut refused = false;
    for _ in 0..200 {
        match TcpStream::connect(addr).await {
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                refused = true;
                break;
            }
            _ => tokio::time::sleep(Duration::from_millis(10)).await,
        }
    }
    assert!(refused, "the listener still accepts after drop");
}

#[test]
fn the_handle_can_be_shared_across_tasks() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Proxy>();
    assert_send_sync::<super::super::WireLog>();
}
