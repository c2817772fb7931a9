//! Readiness: the server said it is ready and answered a client round trip on its port.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::AsyncReadExt;

use super::confine::Dialer;
use super::error::ServerError;

/// How long a server may take to become ready.
pub const START_TIMEOUT: Duration = Duration::from_secs(15);

/// How long an accepted probe may stay silent before it counts as ready: a server with
/// `tls { handshake_first: true }` sends nothing until the client's TLS handshake.
const SILENT_READY: Duration = Duration::from_millis(250);

/// Connects to `addr` and waits for the server's `INFO` line (or, from a `handshake_first`
/// server, `SILENT_READY` of silence on the accepted connection); closes without sending
/// anything, so the probe leaves no authentication error in the server log.
pub async fn probe_info(addr: SocketAddr, within: Duration) -> Result<(), ServerError> {
    probe_via(&Dialer::Host, addr, within).await
}

/// [`probe_info`] through `dialer` (a confined server's namespace).
pub(crate) async fn probe_via(dialer: &Dialer, addr: SocketAddr, within: Duration) -> Result<(), ServerError> {
    let attempt = async {
        let mut s = dialer.connect(addr).await?;
        let mut buf = [0u8; 4096];
        let mut seen = Vec::new();
        loop {
            let n = match tokio::time::timeout(SILENT_READY, s.read(&mut buf)).await {
                Ok(read) => read?,
                Err(_) if seen.is_empty() => return Ok(()),
                Err(_) => continue,
            };
            if n == 0 {
                return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "closed before INFO"));
            }
            seen.extend_from_slice(&buf[..n]);
            if seen.starts_with(b"INFO ") && seen.windows(2).any(|w| w == b"\r\n") {
                return Ok(());
            }
            if seen.len() > 64 * 1024 {
                return Err(std::io::Error::other("no INFO line in the first 64 KiB"));
            }
        }
    };
    match tokio::time::timeout(within, attempt).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => {
            Err(ServerError::NotReady { waited_ms: within.as_millis() as u64, detail: format!("probe of {addr}: {e}") })
        }
        Err(_) => {
            Err(ServerError::NotReady { waited_ms: within.as_millis() as u64, detail: format!("no INFO from {addr}") })
        }
    }
}

/// The client port in a `Listening for client connections on HOST:PORT` log line.
pub fn listening_port(line: &str) -> Option<u16> {
    let rest = line.split("Listening for client connections on ").nth(1)?;
    rest.trim().rsplit(':').next()?.parse().ok()
}

/// Whether a log line says the server is ready.
pub fn is_ready_line(line: &str) -> bool {
    line.contains("Server is ready")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_listen_line() {
        let l = "[42] 2026/11/28 13:00:00.000000 [INF] Listening for client connections on 127.0.0.1:41733";
        assert_eq!(listening_port(l), Some(41733));
        assert_eq!(listening_port("[INF] Server is ready"), None);
    }
}
