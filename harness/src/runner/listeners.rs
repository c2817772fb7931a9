//! The client listeners a scenario's (first) server opens besides the client port (`websocket
//! {}`, `mqtt {}`): a free port on 127.0.0.1 per listener, the `listen` value the backend wants,
//! which [`crate::topology::insert_listens`] writes into the block like every other listener, and
//! the ports a container publishes (on 127.0.0.1 only). MQTT needs JetStream: its store is inside
//! the sandbox, set by the backend (`--store_dir`).

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, TcpListener};

use crate::backend::Backend;
use crate::topology::ListenerKind;

/// The listener kinds and the port each uses inside a container.
const KINDS: &[(&str, u16)] = &[("websocket", 8080), ("mqtt", 1883)];

/// One extra listener.
#[derive(Clone, Debug)]
pub struct Listener {
    /// `host:port` for the config.
    pub listen: String,
    /// The port clients dial on 127.0.0.1.
    pub host_port: u16,
    /// (inside, host) for a container.
    pub publish: Option<(u16, u16)>,
}

/// The extra listeners of a phase, by kind.
#[derive(Clone, Debug, Default)]
pub struct Listeners(BTreeMap<&'static str, Listener>);

impl Listeners {
    /// A port for each kind whose block the first server's config (broken or fixed) names: the
    /// one `planned` (a topology's first server) has for it, so that its peers dial it, else a
    /// free one.
    pub fn choose(
        configs: &[String],
        backend: &dyn Backend,
        planned: Option<&crate::topology::ServerAddrs>,
    ) -> std::io::Result<Listeners> {
        let mut out = BTreeMap::new();
        for (kind, inner) in KINDS {
            if !configs.iter().any(|c| c.contains(kind)) {
                continue;
            }
            let listener_kind = if *kind == "websocket" { ListenerKind::Websocket } else { ListenerKind::Mqtt };
            if let Some(l) = planned.and_then(|p| p.listeners.get(&listener_kind)) {
                out.insert(*kind, Listener { listen: l.listen.clone(), host_port: l.host_port, publish: l.publish });
                continue;
            }
            let host_port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?.local_addr()?.port();
            let (listen, publish) = backend.extra_listener(host_port, *inner);
            out.insert(*kind, Listener { listen, host_port, publish });
        }
        Ok(Listeners(out))
    }

    /// The listener of a kind.
    pub fn get(&self, kind: &str) -> Option<&Listener> {
        self.0.get(kind)
    }

    /// What a container publishes.
    pub fn published(&self) -> Vec<(u16, u16)> {
        self.0.values().filter_map(|l| l.publish).collect()
    }
}

impl Listeners {
    /// The `listen` of a block of `kind`, if the phase chose one.
    pub fn listen_for(&self, kind: ListenerKind) -> Option<String> {
        let name = match kind {
            ListenerKind::Websocket => "websocket",
            ListenerKind::Mqtt => "mqtt",
            _ => return None,
        };
        self.0.get(name).map(|l| l.listen.clone())
    }
}
