//! A raw connection: it sends only what the scenario writes, so it can skip CONNECT entirely.

use std::net::SocketAddr;
use std::time::Duration;

use futures::stream::SplitSink;
use futures::{SinkExt, StreamExt};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::net::tcp::OwnedWriteHalf;
use tokio::task::JoinHandle;
use tokio_websockets::Message;

use super::lines::Lines;
use super::websocket::{Upgrade, Ws};
use crate::client::ClientFailure;
use crate::observe::Timeline;

/// Where a raw client's bytes go.
enum Writer {
    /// Straight onto a TCP connection.
    Tcp(OwnedWriteHalf),
    /// In binary websocket frames, as nats-server's websocket listener reads NATS.
    Ws(SplitSink<Ws, Message>),
}

/// A raw connection; everything received is pushed to `received` as text, line by line.
pub struct RawConn {
    writer: Writer,
    reader: JoinHandle<()>,
}

impl RawConn {
    /// Connects over TCP within `timeout`.
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
            let mut lines = Lines::new(received);
            let mut buf = vec![0u8; 16 * 1024];
            loop {
                match r.read(&mut buf).await {
                    Ok(0) | Err(_) => return lines.close(),
                    Ok(n) => lines.push(&buf[..n]),
                }
            }
        });
        Ok(RawConn { writer: Writer::Tcp(writer), reader })
    }

    /// Connects to a websocket listener within `timeout`, upgrading with `upgrade`'s headers and
    /// cookies; what the server's frames carry is received line by line, and its close frame
    /// (or the connection's end) as `<closed>`.
    pub async fn websocket(
        upgrade: Upgrade<'_>,
        timeout: Duration,
        received: Timeline<String>,
    ) -> Result<RawConn, ClientFailure> {
        let (sink, mut stream) = upgrade.open(timeout).await?.split();
        let reader = tokio::spawn(async move {
            let mut lines = Lines::new(received);
            while let Some(Ok(msg)) = stream.next().await {
                if msg.is_close() {
                    break;
                }
                if msg.is_binary() || msg.is_text() {
                    lines.push(&msg.into_payload());
                }
            }
            lines.close();
        });
        Ok(RawConn { writer: Writer::Ws(sink), reader })
    }

    /// Writes `text` after turning `\r` and `\n` escapes into bytes (one websocket frame on a
    /// websocket connection).
    pub async fn send(&mut self, text: &str) -> Result<(), ClientFailure> {
        let bytes = text.replace("\\r", "\r").replace("\\n", "\n");
        match &mut self.writer {
            Writer::Tcp(w) => {
                w.write_all(bytes.as_bytes()).await.map_err(|e| ClientFailure::io("raw-send", &e))?;
                w.flush().await.map_err(|e| ClientFailure::io("raw-send", &e))
            }
            Writer::Ws(w) => w.send(Message::binary(bytes.into_bytes())).await.map_err(|e| ClientFailure {
                op: "raw-send",
                kind: "Io".into(),
                message: e.to_string(),
                api: None,
            }),
        }
    }
}

impl Drop for RawConn {
    fn drop(&mut self) {
        self.reader.abort();
    }
}
