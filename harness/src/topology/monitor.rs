//! Reading a server's monitoring endpoint (`/routez`, `/leafz`, `/gatewayz`) on 127.0.0.1: one
//! HTTP/1.0 GET, bounded in time.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// How long one request may take.
const REQUEST_LIMIT: Duration = Duration::from_secs(2);
/// The largest body read.
const BODY_LIMIT: u64 = 4 * 1024 * 1024;

/// Why an endpoint could not be read.
#[derive(Debug, thiserror::Error)]
pub enum MonitorError {
    /// Connecting, writing or reading failed.
    #[error("monitoring endpoint `{path}` on 127.0.0.1:{port}: {source}")]
    Io {
        /// The path asked for.
        path: String,
        /// The port.
        port: u16,
        /// What failed.
        source: std::io::Error,
    },
    /// No answer in time.
    #[error("monitoring endpoint `{path}` on 127.0.0.1:{port} did not answer within 2s")]
    TimedOut {
        /// The path asked for.
        path: String,
        /// The port.
        port: u16,
    },
    /// The answer is not an HTTP response.
    #[error("monitoring endpoint `{path}`: expected an HTTP response, found {found}")]
    NotHttp {
        /// The path asked for.
        path: String,
        /// What came.
        found: String,
    },
    /// The body is not JSON.
    #[error("monitoring endpoint `{path}`: expected a JSON body, found {found}")]
    NotJson {
        /// The path asked for.
        path: String,
        /// What came.
        found: String,
    },
}

/// `GET path` on `127.0.0.1:port`: the response's status and body.
pub async fn get_text(port: u16, path: &str) -> Result<(u16, String), MonitorError> {
    let io = |source| MonitorError::Io { path: path.to_string(), port, source };
    let request = async {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).await?;
        stream.write_all(format!("GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").as_bytes()).await?;
        let mut body = Vec::new();
        stream.take(BODY_LIMIT).read_to_end(&mut body).await?;
        Ok::<_, std::io::Error>(body)
    };
    let bytes = tokio::time::timeout(REQUEST_LIMIT, request)
        .await
        .map_err(|_| MonitorError::TimedOut { path: path.to_string(), port })?
        .map_err(io)?;
    let text = String::from_utf8_lossy(&bytes);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| MonitorError::NotHttp { path: path.to_string(), found: head.chars().take(80).collect() })?;
    Ok((status, body.to_string()))
}

/// `GET path` on `127.0.0.1:port`, as JSON.
pub async fn get_json(port: u16, path: &str) -> Result<serde_json::Value, MonitorError> {
    let (_, body) = get_text(port, path).await?;
    serde_json::from_str(&body)
        .map_err(|_| MonitorError::NotJson { path: path.to_string(), found: body.chars().take(80).collect() })
}
