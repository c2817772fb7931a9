//! The wire tap against a real nats-server.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::super::{ClosedBy, Proxy, SlicerParams, Stream, ToxicKind, ToxicSpec, WireEvent};
use super::nats_server::NatsServer;
use super::support::{connect, read_to_end, wait_event, within};

const CONFIG: &str = r#"
listen: 127.0.0.1:-1
authorization { users = [{user: a, password: b, permissions: {publish: ["data.>"]}}] }
"#;

const VIOLATION: &str = r#"Permissions Violation for Publish to "x.y""#;

/// Reads until the received bytes end with `marker`; returns them and when.
async fn read_until(client: &mut TcpStream, marker: &[u8]) -> (Vec<u8>, Instant) {
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    within("a marker from the server", async {
        while !seen.windows(marker.len()).any(|w| w == marker) {
            let n = client.read(&mut buf).await.expect("read from the proxy");
            assert!(
                n > 0,
                "EOF before {:?}; got {:?}",
                String::from_utf8_lossy(marker),
                String::from_utf8_lossy(&seen)
            );
            seen.extend_from_slice(&buf[..n]);
        }
    })
    .await;
    (seen, Instant::now())
}

async fn publish_outside_permissions(proxy: &Proxy) -> Instant {
    let mut client = connect(proxy.listen_addr()).await;
    client
        .write_all(b"CONNECT {\"user\":\"a\",\"pass\":\"b\",\"name\":\"c1\",\"verbose\":false,\"pedantic\":false}\r\nPUB x.y 2\r\nhi\r\nPING\r\n")
        .await
        .expect("write");
    let (seen, pong_at) = read_until(&mut client, b"PONG\r\n").await;
    let text = String::from_utf8_lossy(&seen);
    assert!(text.starts_with("INFO "), "{text}");
    assert!(text.contains(VIOLATION), "{text}");
    pong_at
}

#[tokio::test]
async fn permission_violation_is_recorded_before_the_pong_arrives() {
    let server = NatsServer::start(CONFIG).await;
    let proxy = Proxy::start(server.addr).await.expect("proxy starts");
    let pong_at = publish_outside_permissions(&proxy).await;

    // No waiting: the record must already be there when PONG arrived.
    let log = proxy.wire();
    let rec = &log.connections[0];
    assert!(rec.connect_seen);
    assert_eq!(rec.client_name.as_deref(), Some("c1"));
    assert_eq!(rec.infos, 1);
    let err = rec.server_errors.iter().find(|e| e.text == VIOLATION).expect("violation recorded");
    assert!(err.at <= pong_at);
    assert_eq!((rec.from_client.pings, rec.from_server.pongs), (1, 1));
    assert_eq!(rec.closed_by, None);
    assert_eq!(log.named("c1").count(), 1);
}

#[tokio::test]
async fn lines_split_by_a_slicer_are_still_recognised() {
    let server = NatsServer::start(CONFIG).await;
    let proxy = Proxy::start(server.addr).await.expect("proxy starts");
    for stream in [Stream::Upstream, Stream::Downstream] {
        let kind = ToxicKind::Slicer(SlicerParams { average_size: 3, size_variation: 2, delay: Duration::ZERO });
        proxy.add_toxic(ToxicSpec::new(format!("{stream:?}"), stream, kind)).expect("add slicer");
    }
    let pong_at = publish_outside_permissions(&proxy).await;
    let log = proxy.wire();
    let rec = &log.connections[0];
    assert_eq!(rec.client_name.as_deref(), Some("c1"));
    assert!(rec.server_errors.iter().any(|e| e.text == VIOLATION && e.at <= pong_at), "{rec:?}");
    assert_eq!((rec.infos, rec.from_server.pongs), (1, 1));
}

#[tokio::test]
async fn wrong_password_records_authorization_violation_and_server_close() {
    let server = NatsServer::start(CONFIG).await;
    let proxy = Proxy::start(server.addr).await.expect("proxy starts");
    let mut events = proxy.events();
    let mut client = connect(proxy.listen_addr()).await;
    client
        .write_all(b"CONNECT {\"user\":\"a\",\"pass\":\"wrong\",\"name\":\"c2\",\"verbose\":false,\"pedantic\":false}\r\nPING\r\n")
        .await
        .expect("write");
    let (data, _) = read_to_end(&mut client).await;
    let text = String::from_utf8_lossy(&data);
    assert!(text.contains("-ERR 'Authorization Violation'"), "{text}");

    let log = proxy.wire();
    let rec = &log.connections[0];
    assert!(rec.has_error("Authorization Violation"), "{rec:?}");
    assert_eq!(rec.closed_by, Some(ClosedBy::Server));
    assert_eq!(rec.client_name.as_deref(), Some("c2"));
    let err = wait_event(&mut events, "-ERR event", |e| matches!(e, WireEvent::ServerErr { .. })).await;
    assert_eq!(err, WireEvent::ServerErr { id: 1, text: "Authorization Violation".into() });
    let closed = wait_event(&mut events, "close event", |e| matches!(e, WireEvent::ConnectionClosed { .. })).await;
    assert_eq!(closed, WireEvent::ConnectionClosed { id: 1, by: ClosedBy::Server });
}
