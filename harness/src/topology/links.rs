//! Links between servers, read from both ends' monitoring endpoints: a link `from->to` is up when
//! `from` lists `to` among its routes, leafnodes or gateways and `to` lists `from`.

use serde_json::Value;

use super::monitor::{MonitorError, get_json};

/// The kinds of link, with the endpoint that lists each and the key of its list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkKind {
    /// A route of a cluster (`/routez`, `routes`).
    Route,
    /// A leafnode connection, solicited or accepted (`/leafz`, `leafs`).
    Leafnode,
    /// A gateway connection, outbound or inbound (`/gatewayz`).
    Gateway,
}

impl LinkKind {
    /// Every kind.
    pub const ALL: [LinkKind; 3] = [LinkKind::Route, LinkKind::Leafnode, LinkKind::Gateway];

    fn path(self) -> &'static str {
        match self {
            LinkKind::Route => "/routez",
            LinkKind::Leafnode => "/leafz",
            LinkKind::Gateway => "/gatewayz",
        }
    }

    fn lists(self) -> &'static [&'static str] {
        match self {
            LinkKind::Route => &["routes"],
            LinkKind::Leafnode => &["leafs"],
            LinkKind::Gateway => &["outbound_gateways", "inbound_gateways"],
        }
    }

    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::Route => "route",
            LinkKind::Leafnode => "leafnode",
            LinkKind::Gateway => "gateway",
        }
    }
}

/// What one server's endpoints say about its links to a peer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LinkState {
    /// The kind of link to the peer it lists (the first found).
    pub kinds: Vec<LinkKind>,
    /// How many route connections to the peer it lists (a route is a pool of connections from
    /// 2.10: three and one for the system account by default).
    pub routes: usize,
}

impl LinkState {
    /// Whether any link to the peer is listed.
    pub fn is_up(&self) -> bool {
        !self.kinds.is_empty()
    }
}

/// The links the server whose monitoring endpoint is on `port` lists to the server named `peer`
/// (its `server_name` for routes and leafnodes; `gateway` for gateways, which are listed by
/// gateway name).
pub async fn link_state(port: u16, peer: &str, gateway: Option<&str>) -> Result<LinkState, MonitorError> {
    let mut kinds = Vec::new();
    let mut routes = 0;
    for kind in LinkKind::ALL {
        let body = get_json(port, kind.path()).await?;
        if kind == LinkKind::Route {
            let list = body.get("routes").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
            routes = list.iter().filter(|r| names(r, peer)).count();
        }
        let listed = |v: &Value| match (kind, gateway) {
            (LinkKind::Gateway, Some(g)) => v.as_object().is_some_and(|m| m.contains_key(g)),
            (LinkKind::Gateway, None) => false,
            _ => names(v, peer),
        };
        if kind.lists().iter().any(|list| body.get(*list).is_some_and(listed)) {
            kinds.push(kind);
            // Two servers are linked one way: the other endpoints need not be read.
            break;
        }
    }
    Ok(LinkState { kinds, routes })
}

/// Whether an object under `v` has `name` or `remote_name` equal to `peer`.
fn names(v: &Value, peer: &str) -> bool {
    match v {
        Value::Array(items) => items.iter().any(|i| names(i, peer)),
        Value::Object(map) => {
            ["name", "remote_name"].iter().any(|k| map.get(*k).and_then(Value::as_str) == Some(peer))
                || map.values().any(|i| names(i, peer))
        }
        _ => false,
    }
}

/// One end of a link: the port of its monitoring endpoint on 127.0.0.1, and the names its peer
/// lists it by (`server_name`, and its gateway name if it has a gateway).
#[derive(Clone, Debug)]
pub struct LinkEnd {
    /// The monitoring port.
    pub monitor_port: u16,
    /// Its `server_name`.
    pub server_name: String,
    /// Its `gateway { name }`.
    pub gateway_name: Option<String>,
}

/// How often [`await_link_up`] reads both ends.
const LINK_POLL: std::time::Duration = std::time::Duration::from_millis(10);
/// How many reads in a row must agree before a leafnode or gateway link counts as up.
const LINK_STABLE_READS: usize = 3;
/// How long both ends must agree on a route's connections before it counts as up: the
/// connections of a route's pool come up one by one, and a message sent before the one its
/// account uses is up is lost (seen on 2.10.26 when a third server joins).
const ROUTE_SETTLE: std::time::Duration = std::time::Duration::from_millis(100);

/// Whether `a` and `b` list each other now: `Ok(Some((n, m)))` up with `n` and `m` route
/// connections on each end (0 for leafnodes and gateways), `Ok(None)` down.
pub async fn link_between(a: &LinkEnd, b: &LinkEnd) -> Result<Option<(usize, usize)>, MonitorError> {
    let mut routes = [0; 2];
    for (i, (from, to)) in [(a, b), (b, a)].into_iter().enumerate() {
        let state = link_state(from.monitor_port, &to.server_name, to.gateway_name.as_deref()).await?;
        if !state.is_up() {
            return Ok(None);
        }
        routes[i] = state.routes;
    }
    Ok(Some((routes[0], routes[1])))
}

/// How many route connections a server opens to each peer once its pool is complete, from its
/// `/varz`: `pool_size` connections plus one per pinned account (the system account's and
/// `cluster { accounts }`), seen on 2.10.26, 2.12.8 and 2.15.1 (3 + 1 by default). `None` when
/// the server does not pool (before 2.10, or `pool_size: -1`).
async fn full_pool(end: &LinkEnd) -> Option<usize> {
    let varz = super::monitor::get_json(end.monitor_port, "/varz").await.ok()?;
    let cluster = varz.get("cluster")?;
    let pool = usize::try_from(cluster.get("pool_size")?.as_i64()?).ok().filter(|p| *p > 0)?;
    let pinned = cluster.get("accounts").and_then(serde_json::Value::as_array).map_or(0, Vec::len);
    Some(pool + 1 + pinned)
}

/// Reads both ends until they list each other and agree on the link's connections, for
/// `LINK_STABLE_READS` reads in a row (a leafnode, a gateway), or (a route) until its pool is
/// complete on both ends or, where the pool's size is unknown, for `ROUTE_SETTLE`,
/// up to `within`; the error says what was last seen.
pub async fn await_link_up(
    a: &LinkEnd,
    b: &LinkEnd,
    within: std::time::Duration,
) -> Result<std::time::Instant, String> {
    use std::time::Instant;
    let deadline = Instant::now() + within;
    let (mut seen, mut reads, mut since) = (None, 0, Instant::now());
    // A route whose pool is complete on both ends is up at once; otherwise it must settle.
    let full = match full_pool(a).await {
        Some(n) if full_pool(b).await == Some(n) => Some(n),
        _ => None,
    };
    loop {
        let last = match link_between(a, b).await {
            Ok(Some((n, m))) if n == m => {
                if seen != Some(n) {
                    (reads, since) = (0, Instant::now());
                }
                reads += 1;
                seen = Some(n);
                let settled = if n == 0 {
                    reads >= LINK_STABLE_READS
                } else {
                    full == Some(n) || since.elapsed() >= ROUTE_SETTLE
                };
                if settled {
                    return Ok(Instant::now());
                }
                format!("up with {n} route connections, not yet stable")
            }
            Ok(Some((n, m))) => {
                reads = 0;
                format!("up, one end listing {n} route connections and the other {m}")
            }
            Ok(None) => {
                reads = 0;
                "down: no route, leafnode or gateway listed on both ends".to_string()
            }
            Err(e) => e.to_string(),
        };
        if Instant::now() >= deadline {
            let mut shown = String::new();
            let _ = crate::spec::fmt_duration(within, &mut shown);
            return Err(format!("{last} after {shown}"));
        }
        tokio::time::sleep(LINK_POLL.min(deadline.saturating_duration_since(Instant::now()))).await;
    }
}

#[cfg(test)]
mod tests {
    use super::names;

    #[test]
    fn a_peer_is_found_by_server_name_or_remote_name_at_any_depth() {
        let leafz = serde_json::json!([{ "name": "leaf", "account": "$G" }]);
        let routez = serde_json::json!([{ "rid": 5, "remote_name": "b" }, { "rid": 6, "remote_name": "b" }]);
        assert!(names(&leafz, "leaf"));
        assert!(!names(&leafz, "hub"));
        assert!(names(&routez, "b"));
        assert!(!names(&routez, "c"), "another server's routes do not count");
    }
}
