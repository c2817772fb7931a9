//! Readiness: the server said it is ready and answered a client round trip on its port.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::AsyncReadExt;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::pki_types::ServerName;

use super::confine::Dialer;
use super::error::ServerError;

/// How long a server may take to become ready.
pub const START_TIMEOUT: Duration = Duration::from_secs(15);

/// How long an accepted probe may stay silent before it counts as ready: a server with
/// `tls { handshake_first: "300ms" }` sends nothing until the client's TLS handshake or the
/// fallback delay. A server with `handshake_first: true` says so in its log (see
/// [`Greeting::TlsFirst`]) and is probed with a handshake instead, without this delay.
const SILENT_READY: Duration = Duration::from_millis(250);

/// What a server sends a new client connection first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Greeting {
    /// Its `INFO` line, in clear.
    #[default]
    Info,
    /// Nothing until the client's TLS handshake (`tls { handshake_first: true }`).
    TlsFirst,
}

impl Greeting {
    /// What a start-up log line says of the greeting, if anything: `handshake_first: true`
    /// logs `Clients that are not using "TLS Handshake First" option will fail to connect`.
    pub fn from_line(line: &str) -> Option<Greeting> {
        line.contains("\"TLS Handshake First\" option will fail to connect").then_some(Greeting::TlsFirst)
    }
}

/// Connects to `addr` and waits for the server's `INFO` line (or, from a `handshake_first`
/// server whose log did not say so, `SILENT_READY` of silence on the accepted connection);
/// closes without sending anything, so the probe leaves no authentication error in the server log.
pub async fn probe_info(addr: SocketAddr, within: Duration) -> Result<(), ServerError> {
    probe_via(&Dialer::Host, addr, within, Greeting::Info).await
}

/// [`probe_info`] through `dialer` (a confined server's namespace); a [`Greeting::TlsFirst`]
/// server is ready when it answers a TLS handshake (the probe presents no certificate: a server
/// that wants one answers with its refusal, which is an answer too).
pub(crate) async fn probe_via(
    dialer: &Dialer,
    addr: SocketAddr,
    within: Duration,
    greeting: Greeting,
) -> Result<(), ServerError> {
    if greeting == Greeting::TlsFirst {
        return probe_tls(dialer, addr, within).await;
    }
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

async fn probe_tls(dialer: &Dialer, addr: SocketAddr, within: Duration) -> Result<(), ServerError> {
    let not_ready = |detail: String| ServerError::NotReady { waited_ms: within.as_millis() as u64, detail };
    let config = crate::proxy::probe_client_config().ok_or_else(|| not_ready("no TLS client configuration".into()))?;
    let attempt = async {
        let s = dialer.connect(addr).await?;
        let name = ServerName::IpAddress(std::net::Ipv4Addr::LOCALHOST.into());
        match TlsConnector::from(config).connect(name, s).await {
            Ok(_) => Ok(()),
            // The server spoke TLS (an alert, a refused certificate): it is up.
            Err(e) if e.get_ref().is_some_and(|i| i.is::<tokio_rustls::rustls::Error>()) => Ok(()),
            Err(e) => Err(e),
        }
    };
    match tokio::time::timeout(within, attempt).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(not_ready(format!("TLS-first probe of {addr}: {e}"))),
        Err(_) => Err(not_ready(format!("no TLS handshake from {addr}"))),
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
    fn a_tls_first_server_says_so() {
        let l = "[7] 2026/12/07 20:45:19.016435 [WRN] Clients that are not using \"TLS Handshake First\" option will fail to connect";
        assert_eq!(Greeting::from_line(l), Some(Greeting::TlsFirst));
        assert_eq!(Greeting::from_line("[7] [INF] TLS required for client connections"), None);
    }

    #[test]
    fn parses_listen_line() {
        let l = "[42] 2026/11/28 13:00:00.000000 [INF] Listening for client connections on 127.0.0.1:41733";
        assert_eq!(listening_port(l), Some(41733));
        assert_eq!(listening_port("[INF] Server is ready"), None);
    }
}
