//! A real nats-server for the proxy's tests, started by the process backend.

use std::net::SocketAddr;

use crate::backend::{Backend, DEFAULT_VERSION, ProcessBackend, RunningServer, ServerSpec};

/// A running nats-server on 127.0.0.1; stopped on drop.
pub(crate) struct NatsServer {
    pub(crate) addr: SocketAddr,
    _server: Box<dyn RunningServer>,
}

impl NatsServer {
    /// Starts nats-server with `config` (the backend chooses the address) and waits until ready.
    pub(crate) async fn start(config: &str) -> NatsServer {
        let version = DEFAULT_VERSION.parse().expect("the default version parses");
        let spec = ServerSpec::new(version, config).label("proxy-test");
        let server = ProcessBackend.start(&spec).await.unwrap_or_else(|e| panic!("nats-server: {e}"));
        NatsServer { addr: server.client_addr(), _server: server }
    }
}
