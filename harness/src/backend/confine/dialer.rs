//! How the harness reaches a server's port: directly on this host, or inside the server's own
//! network namespace.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use super::netns::NetNs;

/// Opens connections to a server, wherever its network lives.
#[derive(Clone, Debug, Default)]
pub(crate) enum Dialer {
    /// The host's network (unconfined servers, containers' published ports).
    #[default]
    Host,
    /// A confined server's namespace.
    Namespace(Arc<NetNs>),
}

impl Dialer {
    /// Connects to `addr` as seen from the server's network.
    pub(crate) async fn connect(&self, addr: SocketAddr) -> io::Result<tokio::net::TcpStream> {
        match self {
            Dialer::Host => tokio::net::TcpStream::connect(addr).await,
            Dialer::Namespace(ns) => ns.connect(addr).await,
        }
    }
}
