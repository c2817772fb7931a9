//! Shaping rules on real sockets: whole frames matched, each action's effect on the bytes the
//! peer reads, counts across connections, and the barrier's PONG accounting.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::mpsc;

use super::super::shaping::{Count, FrameMatch, RuleAction, RuleSpec, Verb};
use super::super::{ClosedBy, Proxy, Stream};
use super::support::{Upstream, connect, read_to_end, scripted_server, within};

/// An upstream that sends everything one connection wrote, once the connection has ended.
async fn collecting_server() -> (Upstream, mpsc::UnboundedReceiver<Vec<u8>>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let upstream = scripted_server(move |mut socket| {
        let tx = tx.clone();
        async move {
            let mut all = Vec::new();
            let _ = socket.read_to_end(&mut all).await;
            let _ = tx.send(all);
        }
    })
    .await;
    (upstream, rx)
}

fn rule(name: &str, to: Stream, verb: Verb, count: Count, action: RuleAction) -> RuleSpec {
    RuleSpec {
        name: name.into(),
        matching: FrameMatch { to: Some(to), verb: Some(verb), ..FrameMatch::default() },
        count,
        action,
    }
}

/// What the upstream receives from one client that writes `chunks` one by one and closes.
async fn upstream_sees(
    proxy: &Proxy,
    rx: &mut tokio::sync::mpsc::UnboundedReceiver<Vec<u8>>,
    chunks: &[&[u8]],
) -> Vec<u8> {
    let mut client = connect(proxy.listen_addr()).await;
    for c in chunks {
        client.write_all(c).await.expect("write");
        client.flush().await.expect("flush");
    }
    drop(client);
    within("the upstream to read everything", rx.recv()).await.expect("the upstream saw the connection")
}

#[tokio::test]
async fn frames_split_across_writes_are_matched_whole_and_dropped() {
    let (upstream, mut rx) = collecting_server().await;
    let proxy = Proxy::start(upstream.addr).await.expect("proxy");
    proxy
        .add_rule(RuleSpec {
            name: "no-orders".into(),
            matching: FrameMatch { subject: Some("orders.*".into()), ..FrameMatch::default() },
            count: Count::default(),
            action: RuleAction::Drop,
        })
        .expect("rule");
    let seen =
        upstream_sees(&proxy, &mut rx, &[b"CONNECT {}\r\nPUB ord", b"ers.new 2\r\nh", b"i\r\nPUB other 1\r\nx\r\n"])
            .await;
    assert_eq!(String::from_utf8_lossy(&seen), "CONNECT {}\r\nPUB other 1\r\nx\r\n");
    let fired: Vec<_> = proxy.wire().shaped().map(|(_, s)| s.frame.clone()).collect();
    assert_eq!(fired, ["PUB orders.new"]);
}

#[tokio::test]
async fn nth_counts_over_connections_and_actions_change_the_bytes() {
    let (upstream, mut rx) = collecting_server().await;
    let proxy = Proxy::start(upstream.addr).await.expect("proxy");
    let connect_nth = |n| Count { nth: Some(n), ..Count::default() };
    proxy
        .add_rule(rule("corrupt-2nd", Stream::Upstream, Verb::Connect, connect_nth(2), RuleAction::Corrupt(0)))
        .expect("rule");
    proxy
        .add_rule(rule("twice-3rd", Stream::Upstream, Verb::Connect, connect_nth(3), RuleAction::Duplicate))
        .expect("rule");
    proxy
        .add_rule(rule("ping-4th", Stream::Upstream, Verb::Connect, connect_nth(4), RuleAction::Inject("PING".into())))
        .expect("rule");
    let mut seen = Vec::new();
    for _ in 0..4 {
        seen.push(String::from_utf8_lossy(&upstream_sees(&proxy, &mut rx, &[b"CONNECT {}\r\n"]).await).into_owned());
    }
    assert_eq!(seen, ["CONNECT {}\r\n", "~ONNECT {}\r\n", "CONNECT {}\r\nCONNECT {}\r\n", "PING\r\nCONNECT {}\r\n"]);
}

#[tokio::test]
async fn delay_holds_the_frame_and_what_follows_and_disconnect_closes_without_it() {
    let (upstream, mut rx) = collecting_server().await;
    let proxy = Proxy::start(upstream.addr).await.expect("proxy");
    let late = Duration::from_millis(300);
    proxy
        .add_rule(rule(
            "late",
            Stream::Upstream,
            Verb::Ping,
            Count { nth: Some(1), ..Count::default() },
            RuleAction::Delay(late),
        ))
        .expect("rule");
    let began = Instant::now();
    let seen = upstream_sees(&proxy, &mut rx, &[b"PING\r\nPUB a 0\r\n\r\n"]).await;
    assert!(began.elapsed() >= late, "the frame went out early");
    assert_eq!(String::from_utf8_lossy(&seen), "PING\r\nPUB a 0\r\n\r\n", "order kept");

    proxy.remove_rule("late").expect("remove");
    proxy.add_rule(rule("cut", Stream::Upstream, Verb::Sub, Count::default(), RuleAction::Disconnect)).expect("rule");
    let mut client = connect(proxy.listen_addr()).await;
    client.write_all(b"PING\r\nSUB a 1\r\nPING\r\n").await.expect("write");
    let (_, _) = read_to_end(&mut client).await;
    let log = proxy.wire();
    let last = log.connections.last().expect("recorded");
    assert_eq!(last.closed_by, Some(ClosedBy::Rule("cut".into())));
    let upstream_bytes = within("the upstream's record", rx.recv()).await.expect("recorded");
    assert_eq!(String::from_utf8_lossy(&upstream_bytes), "PING\r\n", "nothing from the SUB on");
}

#[tokio::test]
async fn a_compressing_link_and_a_partial_frame_at_the_end_pass_unframed() {
    // The upstream offers s2 in its INFO, then records everything until the connection ends.
    let (tx, mut rx) = mpsc::unbounded_channel();
    let upstream = scripted_server(move |mut socket| {
        let tx = tx.clone();
        async move {
            let _ = socket.write_all(b"INFO {\"compression\":\"s2_auto\"}\r\n").await;
            let mut all = Vec::new();
            let _ = socket.read_to_end(&mut all).await;
            let _ = tx.send(all);
        }
    })
    .await;
    let proxy = Proxy::start(upstream.addr).await.expect("proxy");
    proxy.add_rule(rule("any-pub", Stream::Upstream, Verb::Pub, Count::default(), RuleAction::Drop)).expect("rule");
    let mut client = connect(proxy.listen_addr()).await;
    let mut info = [0u8; 32];
    within("the INFO", client.read_exact(&mut info)).await.expect("INFO");
    // Both sides offered compression: what follows is not the protocol, and passes untouched.
    client.write_all(b"INFO {\"compression\":\"s2_auto\"}\r\nPUB a 1\r\nx\r\npartial").await.expect("write");
    drop(client);
    let seen = within("the upstream's record", rx.recv()).await.expect("recorded");
    assert_eq!(&seen[..], b"INFO {\"compression\":\"s2_auto\"}\r\nPUB a 1\r\nx\r\npartial");
    let rec = proxy.wire().connections.into_iter().next().expect("recorded");
    assert!(rec.blind.is_some_and(|b| b.contains("compresses")));
    assert_eq!(proxy.wire().shaped().count(), 0);
}
