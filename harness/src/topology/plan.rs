//! The addresses of a topology's servers, chosen before any starts so that each config can name
//! the others: 127.0.0.1 and free ports for processes, a host name of its own on natsfault's
//! network and the usual ports inside containers.

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, TcpListener};

use crate::backend::Backend;
use crate::render::{Provider, random_alnum};

/// A listener of a server the harness binds itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ListenerKind {
    /// `cluster {}`: routes.
    Cluster,
    /// `leafnodes {}`.
    Leafnode,
    /// `gateway {}`.
    Gateway,
    /// `websocket {}`.
    Websocket,
    /// `mqtt {}`.
    Mqtt,
    /// `http`: the monitoring endpoint the harness reads links from.
    Monitor,
}

impl ListenerKind {
    /// Every kind, in config order.
    pub const ALL: [ListenerKind; 6] = [
        ListenerKind::Cluster,
        ListenerKind::Leafnode,
        ListenerKind::Gateway,
        ListenerKind::Websocket,
        ListenerKind::Mqtt,
        ListenerKind::Monitor,
    ];

    /// The port inside a container.
    pub fn inner_port(self) -> u16 {
        match self {
            ListenerKind::Cluster => 6222,
            ListenerKind::Leafnode => 7422,
            ListenerKind::Gateway => 7222,
            ListenerKind::Websocket => 8080,
            ListenerKind::Mqtt => 1883,
            ListenerKind::Monitor => 8222,
        }
    }

    /// The placeholder prefix (`cluster` in `{{servers.a.cluster-url}}`).
    pub fn placeholder(self) -> &'static str {
        match self {
            ListenerKind::Cluster => "cluster",
            ListenerKind::Leafnode => "leafnode",
            ListenerKind::Gateway => "gateway",
            ListenerKind::Websocket => "websocket",
            ListenerKind::Mqtt => "mqtt",
            ListenerKind::Monitor => "monitor",
        }
    }

    /// The URL scheme peers dial.
    fn scheme(self) -> &'static str {
        match self {
            ListenerKind::Cluster => "nats-route",
            ListenerKind::Leafnode | ListenerKind::Gateway => "nats",
            ListenerKind::Websocket => "ws",
            ListenerKind::Mqtt => "mqtt",
            ListenerKind::Monitor => "http",
        }
    }
}

/// One listener's addresses.
#[derive(Clone, Debug)]
pub struct Listener {
    /// The `listen` value written into the config block.
    pub listen: String,
    /// The port peers dial (on 127.0.0.1, or inside the container).
    pub peer_port: u16,
    /// The port on 127.0.0.1 the harness reaches it on.
    pub host_port: u16,
    /// (inside, host) for a container that publishes it.
    pub publish: Option<(u16, u16)>,
}

/// The addresses of one server.
#[derive(Clone, Debug)]
pub struct ServerAddrs {
    /// The scenario's name for it.
    pub name: String,
    /// Its host name on natsfault's network (unique per run: phases may run side by side).
    pub hostname: String,
    /// The host peers dial: 127.0.0.1, or the host name.
    pub host: String,
    /// The client port on 127.0.0.1 a process listens on (a container's is chosen by the backend).
    pub client_host_port: u16,
    /// The client port peers dial.
    pub client_peer_port: u16,
    /// Its other listeners.
    pub listeners: BTreeMap<ListenerKind, Listener>,
}

impl ServerAddrs {
    /// The `{{servers.NAME.FIELD}}` value.
    pub fn field(&self, field: &str) -> Option<String> {
        match field {
            "host" => return Some(self.host.clone()),
            "port" => return Some(self.client_peer_port.to_string()),
            "url" => return Some(format!("nats://{}:{}", self.host, self.client_peer_port)),
            _ => {}
        }
        let (prefix, what) = field.rsplit_once('-')?;
        let kind = ListenerKind::ALL.into_iter().find(|k| k.placeholder() == prefix)?;
        let l = self.listeners.get(&kind)?;
        match what {
            "port" => Some(l.peer_port.to_string()),
            "url" => Some(format!("{}://{}:{}", kind.scheme(), self.host, l.peer_port)),
            _ => None,
        }
    }

    /// What a container publishes on 127.0.0.1: the monitoring port and the client listeners
    /// (websocket, MQTT); peers use natsfault's network.
    pub fn published(&self) -> Vec<(u16, u16)> {
        [ListenerKind::Monitor, ListenerKind::Websocket, ListenerKind::Mqtt]
            .iter()
            .filter_map(|k| self.listeners.get(k).and_then(|l| l.publish))
            .collect()
    }

    /// The monitoring port on 127.0.0.1.
    pub fn monitor_port(&self) -> Option<u16> {
        self.listeners.get(&ListenerKind::Monitor).map(|l| l.host_port)
    }
}

/// Every server's addresses, in declaration order.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    /// The servers.
    pub servers: Vec<ServerAddrs>,
}

impl Plan {
    /// Chooses the addresses of `names` on `backend`.
    ///
    /// ```
    /// use natsfault::backend::ProcessBackend;
    /// use natsfault::render::Provider;
    /// let plan = natsfault::topology::Plan::choose(&["hub", "leaf"], &ProcessBackend).unwrap();
    /// let url = plan.value("servers.hub.leafnode-url").unwrap();
    /// assert!(url.starts_with("nats://127.0.0.1:"));
    /// ```
    pub fn choose(names: &[&str], backend: &dyn Backend) -> std::io::Result<Plan> {
        let tag = random_alnum(6).to_lowercase();
        let mut servers = Vec::new();
        for name in names {
            let hostname = format!("{name}-{tag}");
            let client_host_port = free_port()?;
            let (host, client_peer_port) =
                backend.peer_address(&hostname, client_host_port, crate::backend::CLIENT_PORT);
            let mut listeners = BTreeMap::new();
            for kind in ListenerKind::ALL {
                let host_port = free_port()?;
                let (listen, publish) = backend.extra_listener(host_port, kind.inner_port());
                let (_, peer_port) = backend.peer_address(&hostname, host_port, kind.inner_port());
                listeners.insert(kind, Listener { listen, peer_port, host_port, publish });
            }
            servers.push(ServerAddrs {
                name: name.to_string(),
                hostname,
                host,
                client_host_port,
                client_peer_port,
                listeners,
            });
        }
        Ok(Plan { servers })
    }

    /// The addresses of server `name`.
    pub fn get(&self, name: &str) -> Option<&ServerAddrs> {
        self.servers.iter().find(|s| s.name == name)
    }
}

/// Where ports are chosen: below Linux's ephemeral range (32768-60999), so that no outgoing
/// connection (a client, a leafnode dialling its hub) takes a port between its choice and the
/// server's bind.
const PORT_RANGE: std::ops::Range<u16> = 20000..32000;
/// How many random ports are tried before the kernel chooses one.
const PORT_TRIES: usize = 64;

/// A free port on 127.0.0.1, released for the server to bind.
fn free_port() -> std::io::Result<u16> {
    use rand::RngExt;
    let mut rng = rand::rng();
    for _ in 0..PORT_TRIES {
        let port = rng.random_range(PORT_RANGE);
        if crate::backend::claim_port(port) && TcpListener::bind((Ipv4Addr::LOCALHOST, port)).is_ok() {
            return Ok(port);
        }
    }
    Ok(TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?.local_addr()?.port())
}

impl Provider for Plan {
    fn value(&self, key: &str) -> Option<String> {
        let rest = key.strip_prefix("servers.")?;
        let (name, field) = rest.rsplit_once('.')?;
        self.get(name)?.field(field)
    }

    fn describe(&self) -> &'static str {
        "servers.NAME.host|port|url|cluster-port|cluster-url|leafnode-port|leafnode-url|gateway-port|gateway-url|websocket-port|websocket-url"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::ProcessBackend;

    #[test]
    fn every_placeholder_field_has_a_value_and_ports_differ() {
        let plan = Plan::choose(&["a", "b"], &ProcessBackend).expect("ports");
        for field in crate::render::SERVER_FIELDS {
            assert!(plan.value(&format!("servers.a.{field}")).is_some(), "{field}");
        }
        assert_eq!(plan.value("servers.a.host").as_deref(), Some("127.0.0.1"));
        assert!(plan.value("servers.a.cluster-url").is_some_and(|u| u.starts_with("nats-route://127.0.0.1:")));
        assert_eq!(plan.value("servers.c.port"), None, "an undeclared server");
        let mut ports: Vec<u16> = plan.servers.iter().flat_map(|s| s.listeners.values().map(|l| l.host_port)).collect();
        let n = ports.len();
        ports.sort();
        ports.dedup();
        assert_eq!(ports.len(), n, "every listener has a port of its own");
    }
}
