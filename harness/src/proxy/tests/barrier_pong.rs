//! A barrier's round trip on real sockets: the server's PONG to the proxy's own PING completes
//! the barrier and never reaches the client, so a client that counts PONGs against its PINGs
//! (nats.c) is not answered twice.

use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use super::super::shaping::{Count, FrameMatch, RuleAction, RuleSpec, Verb};
use super::super::{Proxy, Stream};
use super::support::{connect, read_to_end, scripted_server, within};

/// Answers each `PING` line with a `PONG` written in two pieces, and `SUB` with one `MSG`
/// before it closes.
async fn ponging_server() -> super::support::Upstream {
    scripted_server(|socket| async move {
        let (r, mut w) = socket.into_split();
        let mut lines = BufReader::new(r).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            if line.starts_with("PING") {
                let _ = w.write_all(b"PO").await;
                let _ = w.flush().await;
                let _ = w.write_all(b"NG\r\n").await;
            } else if line.starts_with("SUB") {
                let _ = w.write_all(b"MSG end 1 0\r\n\r\n").await;
                return;
            }
        }
    })
    .await
}

/// The client's PING, a barrier, the client's PING again, then the end: what the client read.
async fn client_reads(proxy: &Proxy) -> String {
    let mut client = connect(proxy.listen_addr()).await;
    client.write_all(b"PING\r\n").await.expect("write");
    let mut first = [0u8; 6];
    within("the client's PONG", tokio::io::AsyncReadExt::read_exact(&mut client, &mut first)).await.expect("PONG");
    assert_eq!(&first, b"PONG\r\n");
    assert!(proxy.barrier(Duration::from_secs(5)).await, "the barrier's round trip completes");
    client.write_all(b"PING\r\nSUB end 1\r\n").await.expect("write");
    let (rest, _) = read_to_end(&mut client).await;
    String::from_utf8_lossy(&rest).into_owned()
}

#[tokio::test]
async fn the_barriers_pong_completes_it_and_is_not_forwarded() {
    let upstream = ponging_server().await;
    let proxy = Proxy::start(upstream.addr).await.expect("proxy");
    assert_eq!(client_reads(&proxy).await, "PONG\r\nMSG end 1 0\r\n\r\n", "one PONG per client PING");
}

#[tokio::test]
async fn a_rule_still_sees_the_barriers_pong_and_its_frames_reach_the_client() {
    let upstream = ponging_server().await;
    let proxy = Proxy::start(upstream.addr).await.expect("proxy");
    proxy
        .add_rule(RuleSpec {
            name: "fake".into(),
            matching: FrameMatch { to: Some(Stream::Downstream), verb: Some(Verb::Pong), ..FrameMatch::default() },
            count: Count { nth: Some(2), ..Count::default() },
            action: RuleAction::Inject("-ERR 'x'".into()),
        })
        .expect("rule");
    assert_eq!(client_reads(&proxy).await, "-ERR 'x'\r\nPONG\r\nMSG end 1 0\r\n\r\n");
}
