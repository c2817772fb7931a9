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
    /// The kinds of link to the peer it lists.
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
