//! `reply` lines: an identity answers one request on a subject `xN` times, `after` a while, on a
//! connection of its own (its own `allow_responses` count), to a request from the identity whose
//! contract has `request SUBJECT -> IT`; the server's `-ERR` on that connection is the refusal.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::Duration;

use futures::StreamExt;

use super::line::Verb;
use super::model::Contract;
use super::play::{LiveRef, open};
use crate::proxy::Proxy;

/// How long a request or a reply may take to arrive here.
const WITHIN: Duration = Duration::from_millis(500);

/// What one `reply` line showed.
#[derive(Clone, Debug)]
pub(crate) enum ReplyOutcome {
    /// No identity requests the subject from this one.
    NoRequester(String),
    /// The request never reached the replying connection.
    NotDelivered,
    /// How many replies arrived, and the `-ERR`s the replying connection got.
    Sent {
        /// Replies that reached the requester.
        arrived: u32,
        /// Replies sent.
        sent: u32,
        /// The server's `-ERR`s on the replying connection.
        errs: Vec<String>,
    },
}

/// Plays every `reply` line in file order; by line index.
pub(crate) async fn play_replies(
    contract: &Contract,
    lives: &[LiveRef<'_>],
    server: SocketAddr,
) -> HashMap<usize, ReplyOutcome> {
    let mut out = HashMap::new();
    for (i, l) in contract.lines.iter().enumerate() {
        let Verb::Reply { count, after } = l.verb else { continue };
        let requester = contract.lines.iter().find(|r| {
            r.verb == Verb::Request && r.subject == l.subject && r.to.as_deref() == Some(l.identity.as_str())
        });
        let requester =
            requester.and_then(|r| lives.iter().find(|x| x.name == r.identity)).and_then(|x| x.client.clone());
        let Some(requester) = requester else {
            out.insert(
                i,
                ReplyOutcome::NoRequester(format!("no identity has `request {} -> {}`", l.subject, l.identity)),
            );
            continue;
        };
        let Ok(tap) = Proxy::start(SocketAddr::from(([127, 0, 0, 1], 0))).await else { continue };
        let (Some(conn), _) = open(&contract.identities[&l.identity], &tap, server).await else {
            out.insert(i, ReplyOutcome::NotDelivered);
            continue;
        };
        let responder = conn.client().clone();
        let Ok(mut requests) = responder.subscribe(l.subject.clone()).await else { continue };
        let _ = responder.flush().await;
        tap.barrier(WITHIN).await;
        let inbox = requester.new_inbox();
        let Ok(mut replies) = requester.subscribe(inbox.clone()).await else { continue };
        let _ = requester.publish_with_reply(l.subject.clone(), inbox, "natsfault verify request".into()).await;
        let _ = requester.flush().await;
        let Ok(Some(request)) = tokio::time::timeout(WITHIN, requests.next()).await else {
            out.insert(i, ReplyOutcome::NotDelivered);
            continue;
        };
        let Some(reply) = request.reply else {
            out.insert(i, ReplyOutcome::NotDelivered);
            continue;
        };
        tokio::time::sleep(after).await;
        for k in 1..=count {
            let _ = responder.publish(reply.clone(), format!("natsfault verify answer {k}").into()).await;
        }
        let _ = responder.flush().await;
        tap.barrier(WITHIN).await;
        tap.barrier(WITHIN).await;
        let mut arrived = 0;
        let deadline = tokio::time::Instant::now() + WITHIN;
        while arrived < count {
            match tokio::time::timeout_at(deadline, replies.next()).await {
                Ok(Some(m)) if m.payload.starts_with(b"natsfault verify answer ") => arrived += 1,
                Ok(Some(_)) => {}
                _ => break,
            }
        }
        let errs = tap.wire().server_errors().map(|(_, e)| e.text.clone()).collect();
        out.insert(i, ReplyOutcome::Sent { arrived, sent: count, errs });
    }
    out
}
