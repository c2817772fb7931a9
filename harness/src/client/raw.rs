//! A raw TCP client: it sends only what the scenario writes, so it can skip CONNECT entirely.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::net::tcp::OwnedWriteHalf;
use tokio::task::JoinHandle;

use super::failure::ClientFailure;
use crate::observe::Timeline;

/// A raw connection; everything received is pushed to `received` as text, line by line.
pub struct RawConn {
    writer: OwnedWriteHalf,
    reader: JoinHandle<()>,
}

impl RawConn {
    /// Connects within `timeout`.
    pub async fn connect(
        addr: SocketAddr,
        timeout: Duration,
        received: Timeline<String>,
    ) -> Result<RawConn, ClientFailure> {
        let stream = match tokio::time::timeout(timeout, TcpStream::connect(addr)).await {
            Ok(Ok(s)) => s,
            Ok(Err(e)) => return Err(ClientFailure::io("connect", &e)),
            Err(_) => return Err(ClientFailure::timed_out("connect", format!("no TCP connection within {timeout:?}"))),
        };
        let (mut r, writer) = stream.into_split();
        let reader = tokio::spawn(async move {
            let mut buf = vec![0u8; 16 * 1024];
            let mut pending = String::new();
            loop {
                match r.read(&mut buf).await {
                    Ok(0) | Err(_) => {
                        if !pending.is_empty() {
                            received.push(std::mem::take(&mut pending));
                        }
                        received.push("<closed>".into());
                        return;
                    }
                    Ok(n) => {
                        pending.push_str(&String::from_utf8_lossy(&buf[..n]));
                        while let Some(i) = pending.find("\r\n") {
                            let line: String = pending.drain(..i + 2).collect();
                            received.push(line.trim_end().to_string());
                        }
                    }
                }
            }
        });
        Ok(RawConn { writer, reader })
    }

    /// Writes `text` after turning `\r` and `\n` escapes into bytes.
    pub async fn send(&mut self, text: &str) -> Result<(), ClientFailure> {
        let bytes = text.replace("\\r", "\r").replace("\\n", "\n");
        self.writer.write_all(bytes.as_bytes()).await.map_err(|e| ClientFailure::io("raw-send", &e))?;
        self.writer.flush().await.map_err(|e| ClientFailure::io("raw-send", &e))
    }
}

impl Drop for RawConn {
    fn drop(&mut self) {
        self.reader.abort();
    }
}
