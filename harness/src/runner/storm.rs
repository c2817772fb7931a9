//! `on-disconnect = "new-connection"`: at every `disconnected` a client reports, the application
//! opens another connection of the same client and keeps the old one, which its library goes on
//! reconnecting; the new ones report to the same events, so their disconnects open more, up to
//! `max-connections` in all.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::task::JoinHandle;

use crate::client::driver::{ClientDriver, ConnectTarget};
use crate::client::{ClientAuth, ClientTls};
use crate::observe::Timeline;
use crate::spec::{ClientSpec, Library};

/// How long one look for the next `disconnected` waits before it looks again.
const LOOK: Duration = Duration::from_secs(1);

/// The connections an application opened at its client's disconnects; dropping it (the phase's
/// end) stops opening more and closes them.
pub struct Storm {
    task: JoinHandle<()>,
}

/// Everything the storm needs to connect the client again.
pub struct StormClient {
    /// The client's key.
    pub name: String,
    /// Its spec.
    pub spec: ClientSpec,
    /// Its credentials.
    pub auth: ClientAuth,
    /// Its TLS and websocket options.
    pub tls: ClientTls,
    /// Where it dials (its tap, so the tap counts every connection).
    pub addr: SocketAddr,
    /// Its events, which every connection reports to.
    pub events: Timeline<String>,
    /// The library it is played with.
    pub library: Library,
}

impl Storm {
    /// Starts watching `client`'s events from `from` (the first connection's own `connected`
    /// and earlier are not disconnects), opening at most `bound - 1` more connections.
    pub fn start(client: StormClient, from: usize, bound: u32) -> Storm {
        Storm { task: tokio::spawn(run(client, from, bound)) }
    }
}

impl Drop for Storm {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn run(c: StormClient, from: usize, bound: u32) {
    let mut kept: Vec<Box<dyn ClientDriver>> = Vec::new();
    let mut opened = 1u32;
    let mut handled = 0usize;
    let is_disconnect = |e: &String| e == "disconnected";
    while opened < bound {
        let mark = c.events.len();
        let seen = c.events.since(from).iter().filter(|e| is_disconnect(&e.value)).count();
        if seen <= handled {
            // Bounded look; the task ends with the phase (its handle is aborted on drop).
            c.events.wait_for(mark, LOOK, is_disconnect).await;
            continue;
        }
        handled += 1;
        opened += 1;
        let target =
            ConnectTarget { name: &c.name, spec: &c.spec, auth: &c.auth, tls: &c.tls, addr: c.addr, events: &c.events };
        // A connection the server refuses at once is still one the application opened (the tap
        // counts it); one that connects is kept, never closed.
        if let Ok(d) = crate::client::driver::connect(c.library, target).await {
            kept.push(d);
        }
    }
    // Every allowed connection is open: keep them until the phase ends.
    std::future::pending::<()>().await;
    drop(kept);
}
