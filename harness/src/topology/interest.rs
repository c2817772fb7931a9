//! Whether a subscription made on one server has reached its peers: a peer lists the subject
//! among the subscriptions of the route or leafnode connection from that server
//! (`/routez?subs=1`, `/leafz?subs=1`). A route or leafnode forwards interest asynchronously, so
//! a message published on a peer right after a `SUB` was answered can still be dropped there.

use std::time::{Duration, Instant};

use serde_json::Value;

use super::monitor::get_json;

/// How often [`await_interest`] reads a peer.
const POLL: Duration = Duration::from_millis(5);

/// What a peer says about the subscriber's connection to it.
enum Seen {
    /// No route or leafnode from the subscriber is up: nothing to wait for.
    NoLink,
    /// The link is up; the subject is (or is not yet) among its subscriptions.
    Link(bool),
}

async fn seen(port: u16, from: &str, subject: &str) -> Seen {
    let mut link = false;
    for (path, list, name_key) in [("/routez?subs=1", "routes", "remote_name"), ("/leafz?subs=1", "leafs", "name")] {
        let Ok(body) = get_json(port, path).await else { continue };
        let conns = body.get(list).and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
        for c in conns.iter().filter(|c| c.get(name_key).and_then(Value::as_str) == Some(from)) {
            link = true;
            let subs = c.get("subscriptions_list").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
            // A queue subscription is listed as `subject group`.
            if subs.iter().filter_map(Value::as_str).any(|s| s.split(' ').next() == Some(subject)) {
                return Seen::Link(true);
            }
        }
    }
    if link { Seen::Link(false) } else { Seen::NoLink }
}

/// Waits, up to `within`, until every peer (by monitoring port) that has a route or leafnode
/// from `from` (its `server_name`) up lists `subject` among that connection's subscriptions.
/// Peers without such a link are not waited for; returns the peers still without it.
pub async fn await_interest(peers: &[(String, u16)], from: &str, subject: &str, within: Duration) -> Vec<String> {
    let deadline = Instant::now() + within;
    let mut waiting: Vec<&(String, u16)> = peers.iter().collect();
    // Bounded by the deadline; each pass sleeps POLL.
    loop {
        let mut still = Vec::new();
        for p in waiting {
            if let Seen::Link(false) = seen(p.1, from, subject).await {
                still.push(p);
            }
        }
        if still.is_empty() || Instant::now() >= deadline {
            return still.into_iter().map(|p| p.0.clone()).collect();
        }
        waiting = still;
        tokio::time::sleep(POLL).await;
    }
}
