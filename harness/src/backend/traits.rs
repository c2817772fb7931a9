//! The backend interface: a [`Backend`] starts a [`ServerSpec`] and returns a [`RunningServer`].

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use futures::future::BoxFuture;

use super::confine::{Confinement, SocketAudit};
use super::error::ServerError;
use super::spec::ServerSpec;
use crate::observe::Timeline;
use crate::spec::Version;

/// Where servers run: local processes or containers.
pub trait Backend: Send + Sync {
    /// `process` or `container`.
    fn name(&self) -> &'static str;

    /// Starts a server and waits until a client round trip succeeds. A config the server refuses
    /// gives [`ServerError::Refused`].
    fn start<'a>(&'a self, spec: &'a ServerSpec) -> BoxFuture<'a, Result<Box<dyn RunningServer>, ServerError>>;

    /// The address on this host where a service the server calls (a mocked account server) must
    /// listen for the server to reach it: 127.0.0.1 for local processes.
    fn service_host(&self) -> BoxFuture<'_, Result<IpAddr, ServerError>> {
        Box::pin(async { Ok(IpAddr::V4(Ipv4Addr::LOCALHOST)) })
    }

    /// Where an extra listener (websocket, MQTT) binds, given a free port on 127.0.0.1 and the
    /// port it would use inside a container: the `host:port` for the config's `listen`, and the
    /// (inside, host) ports to publish. A local process binds the host port on 127.0.0.1.
    fn extra_listener(&self, host_port: u16, inner_port: u16) -> (String, Option<(u16, u16)>) {
        let _ = inner_port;
        (format!("127.0.0.1:{host_port}"), None)
    }

    /// Where the other servers of a topology reach a server named `hostname` on a listener that
    /// uses `host_port` on 127.0.0.1 or `inner_port` inside a container: 127.0.0.1 and the host
    /// port for local processes.
    fn peer_address(&self, hostname: &str, host_port: u16, inner_port: u16) -> (String, u16) {
        let _ = (hostname, inner_port);
        ("127.0.0.1".into(), host_port)
    }
}

/// A started server. Dropping it stops the server and removes what it created (set
/// `NATSFAULT_KEEP=1` to keep the sandbox for debugging).
pub trait RunningServer: Send {
    /// The address clients connect to, on 127.0.0.1; stable across restarts.
    fn client_addr(&self) -> SocketAddr;

    /// The version running.
    fn version(&self) -> Version;

    /// The server's log lines (stderr), from its first start on.
    fn log(&self) -> Timeline<String>;

    /// The confinement the server runs under.
    fn confinement(&self) -> Confinement {
        Confinement::Unconfined("not asked for".into())
    }

    /// The sockets the server holds right now, read from the operating system; `None` where the
    /// backend cannot see them.
    fn audit(&self) -> Option<std::io::Result<SocketAudit>> {
        None
    }

    /// Milliseconds from spawn to ready, for the last start.
    fn ready_ms(&self) -> u64;

    /// Graceful stop (SIGTERM), waiting for exit.
    fn stop(&mut self) -> BoxFuture<'_, Result<(), ServerError>>;

    /// Immediate kill (SIGKILL).
    fn kill(&mut self) -> BoxFuture<'_, Result<(), ServerError>>;

    /// Freeze the server: it accepts TCP connections in the kernel but answers nothing.
    fn pause(&mut self) -> BoxFuture<'_, Result<(), ServerError>>;

    /// Unfreeze a paused server.
    fn resume(&mut self) -> BoxFuture<'_, Result<(), ServerError>>;

    /// Stop if running, then start again on the same address and wait until ready.
    fn restart(&mut self) -> BoxFuture<'_, Result<(), ServerError>>;

    /// Replace the config (when `config` is given) and reload it (SIGHUP), waiting for the
    /// server to say it reloaded.
    fn reload(&mut self, config: Option<String>) -> BoxFuture<'_, Result<(), ServerError>>;

    /// Cut the server off the network it shares with its peers (a partition) while it keeps
    /// running. Only containers have such a network: the default refuses with
    /// [`ServerError::Unsupported`].
    fn disconnect(&mut self) -> BoxFuture<'_, Result<(), ServerError>> {
        Box::pin(async { Err(ServerError::Unsupported { action: "disconnect-server" }) })
    }

    /// Join the network again after [`RunningServer::disconnect`], under the same host name.
    fn reconnect(&mut self) -> BoxFuture<'_, Result<(), ServerError>> {
        Box::pin(async { Err(ServerError::Unsupported { action: "reconnect-server" }) })
    }

    /// Enter lame duck mode.
    fn lame_duck(&mut self) -> BoxFuture<'_, Result<(), ServerError>>;

    /// Stop the server and clean up now, reporting errors (drop does the same silently).
    fn shutdown(self: Box<Self>) -> BoxFuture<'static, Result<(), ServerError>>;
}
