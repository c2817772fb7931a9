//! A real nats-server child process for the wire tap tests.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicU32, Ordering};

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::task::JoinHandle;

use super::support::within;

/// Where the project keeps the server binary, relative to a workspace root.
const CACHED_BINARY: &str = ".cache/nats-server/2.15.1/nats-server";
/// Overrides the binary's location.
const BINARY_ENV: &str = "NATSFAULT_NATS_SERVER";
/// The line nats-server prints once it accepts clients.
const LISTENING: &str = "Listening for client connections on ";

/// Finds the nats-server binary: `$NATSFAULT_NATS_SERVER`, else the cache
/// in an ancestor of this crate, else the main checkout's cache.
fn binary() -> PathBuf {
    if let Some(path) = std::env::var_os(BINARY_ENV) {
        return PathBuf::from(path);
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .map(|dir| dir.join(CACHED_BINARY))
        .chain([Path::new("/work/main").join(CACHED_BINARY)])
        .find(|candidate| candidate.is_file())
        .unwrap_or_else(|| panic!("nats-server not found: set {BINARY_ENV} or install it under {CACHED_BINARY}"))
}

/// A running nats-server on 127.0.0.1; killed on drop.
pub(crate) struct NatsServer {
    pub(crate) addr: SocketAddr,
    child: Child,
    config: PathBuf,
    drain: JoinHandle<()>,
}

impl NatsServer {
    /// Starts nats-server with `config` (which must listen on 127.0.0.1:-1)
    /// and waits until it reports its client port.
    pub(crate) async fn start(config: &str) -> NatsServer {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let name = format!("natsfault-proxy-{}-{}.conf", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
        let path = std::env::temp_dir().join(name);
        std::fs::write(&path, config).expect("write the nats-server config");
        let mut child = Command::new(binary())
            .arg("-c")
            .arg(&path)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("spawn nats-server");
        let stderr = child.stderr.take().expect("piped stderr");
        let mut lines = BufReader::new(stderr).lines();
        let addr = within("nats-server to listen", async {
            while let Ok(Some(line)) = lines.next_line().await {
                if let Some((_, addr)) = line.split_once(LISTENING) {
                    return addr.trim().parse::<SocketAddr>().expect("a socket address after the listening line");
                }
            }
            panic!("nats-server exited before listening");
        })
        .await;
        // Keep reading so the server never blocks on a full pipe.
        let drain = tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        NatsServer { addr, child, config: path, drain }
    }
}

impl Drop for NatsServer {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
        self.drain.abort();
        let _ = std::fs::remove_file(&self.config);
    }
}
