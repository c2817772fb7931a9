//! The listeners a raw client dials instead of the client port (`listener = "leafnodes"`, ...):
//! the planned listener of its server, on 127.0.0.1, which a container publishes there for it.
//! The listener's `listen` is the plan's, written into the block like every other listener's.

use std::net::{Ipv4Addr, SocketAddr};

use super::context::PhaseCtx;
use crate::spec::{ClientListener, Scenario};
use crate::topology::{ListenerKind, ServerAddrs};

/// The planned listener a client's `listener` names; none for the client port.
pub fn listener_kind(listener: ClientListener) -> Option<ListenerKind> {
    match listener {
        ClientListener::Client => None,
        ClientListener::Cluster => Some(ListenerKind::Cluster),
        ClientListener::Leafnodes => Some(ListenerKind::Leafnode),
        ClientListener::Gateway => Some(ListenerKind::Gateway),
    }
}

/// Where a client of server `name` (default the first) dials `listener`: the listener's port on
/// 127.0.0.1; none for the client port, or a server the plan does not know.
pub fn listener_upstream(ctx: &PhaseCtx<'_>, name: Option<&str>, listener: ClientListener) -> Option<SocketAddr> {
    let kind = listener_kind(listener)?;
    let plan = &ctx.topology.as_ref()?.plan;
    let addrs = match name {
        Some(n) => plan.get(n)?,
        None => plan.servers.first()?,
    };
    let port = addrs.listeners.get(&kind)?.host_port;
    Some(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))
}

/// What a container publishes on 127.0.0.1 for the raw clients that dial a listener of `addrs`.
pub fn dialled_published(scenario: &Scenario, addrs: &ServerAddrs) -> Vec<(u16, u16)> {
    scenario
        .dialled_listeners(&addrs.name)
        .into_iter()
        .filter_map(listener_kind)
        .filter_map(|k| addrs.listeners.get(&k).and_then(|l| l.publish))
        .collect()
}
