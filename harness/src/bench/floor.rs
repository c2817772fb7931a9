//! The floor: a bare nats-server (`nats-server -a 127.0.0.1 -p -1`, no config, no debug log) from
//! spawn to the first `PONG` of a raw-protocol client. Nothing a harness does to start a server
//! can take less.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;
use tokio::sync::mpsc;

use super::error::BenchErrorKind;
use super::pong::ping_pong;
use crate::backend::START_TIMEOUT;

/// The line that names the client port.
const LISTEN_LINE: &str = "Listening for client connections on ";
/// How long a bare server may take to exit after SIGKILL.
const EXIT_WAIT: Duration = Duration::from_secs(5);

/// Spawns `binary -a 127.0.0.1 -p -1`, reads the port from its stderr line
/// `Listening for client connections on 127.0.0.1:PORT`, and waits for the `PONG` of a raw
/// client; returns the time from spawn to `PONG`. The server is killed afterwards (not timed).
///
/// ```no_run
/// # async fn demo() -> Result<(), natsfault::bench::BenchErrorKind> {
/// let bin = natsfault::backend::nats_server_binary("2.15.1".parse().unwrap())?;
/// let took = natsfault::bench::bare_process_start(&bin).await?;
/// println!("floor: {took:?}");
/// # Ok(()) }
/// ```
pub async fn bare_process_start(binary: &Path) -> Result<Duration, BenchErrorKind> {
    let began = Instant::now();
    let mut child = Command::new(binary)
        .args(["-a", "127.0.0.1", "-p", "-1"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(BenchErrorKind::io(format!("spawn `{}`", binary.display())))?;
    // The pipe stays open until the server is gone: a Go program writing to a closed stderr dies
    // of SIGPIPE.
    let (tx, mut lines) = mpsc::unbounded_channel();
    if let Some(err) = child.stderr.take() {
        tokio::spawn(async move {
            let mut r = BufReader::new(err).lines();
            while let Ok(Some(line)) = r.next_line().await {
                let _ = tx.send(line);
            }
        });
    }
    let deadline = began + START_TIMEOUT;
    let port = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, lines.recv()).await {
            Ok(Some(line)) => {
                if let Some(p) = listening_port(&line) {
                    break p;
                }
            }
            Ok(None) | Err(_) => return Err(BenchErrorKind::NoPort { waited_ms: START_TIMEOUT.as_millis() as u64 }),
        }
    };
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let left = deadline.saturating_duration_since(Instant::now());
    let answered = tokio::time::timeout(left, ping_pong(addr)).await;
    let took = began.elapsed();
    let _ = child.start_kill();
    let _ = tokio::time::timeout(EXIT_WAIT, child.wait()).await;
    match answered {
        Ok(Ok(())) => Ok(took),
        Ok(Err(e)) => Err(no_pong(addr, e.to_string())),
        Err(_) => Err(no_pong(addr, "timed out".into())),
    }
}

fn no_pong(addr: SocketAddr, detail: String) -> BenchErrorKind {
    BenchErrorKind::NoPong { addr: addr.to_string(), waited_ms: START_TIMEOUT.as_millis() as u64, detail }
}

/// The port of a `Listening for client connections on HOST:PORT` line.
fn listening_port(line: &str) -> Option<u16> {
    line.split(LISTEN_LINE).nth(1)?.trim().rsplit(':').next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_port() {
        let l = "[7] 2026/01/01 10:00:00.000000 [INF] Listening for client connections on 127.0.0.1:40123";
        assert_eq!(listening_port(l), Some(40123));
        assert_eq!(listening_port("[INF] Server is ready"), None);
    }
}
