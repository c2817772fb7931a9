//! The smallest client round trip: `CONNECT {}` and `PING`, then wait for `PONG`.

use std::net::SocketAddr;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// How much a server may send before its `PONG` (its `INFO` line, mostly).
const MAX_BEFORE_PONG: usize = 64 * 1024;

/// Connects to `addr`, sends `CONNECT {}\r\nPING\r\n` and reads until `PONG\r\n`. A server that
/// closes first (a container whose server is not up yet: the engine's proxy accepts and closes)
/// or answers `-ERR` gives an error. Unbounded in time: callers wrap it in a timeout.
///
/// ```no_run
/// # async fn demo() -> std::io::Result<()> {
/// natsfault::bench::ping_pong("127.0.0.1:4222".parse().unwrap()).await?;
/// # Ok(()) }
/// ```
pub async fn ping_pong(addr: SocketAddr) -> std::io::Result<()> {
    let mut s = TcpStream::connect(addr).await?;
    s.set_nodelay(true)?;
    s.write_all(b"CONNECT {}\r\nPING\r\n").await?;
    let mut seen = Vec::with_capacity(1024);
    let mut buf = [0u8; 4096];
    loop {
        let n = s.read(&mut buf).await?;
        if n == 0 {
            return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "closed before PONG"));
        }
        seen.extend_from_slice(&buf[..n]);
        if seen.windows(6).any(|w| w == b"PONG\r\n") {
            return Ok(());
        }
        if let Some(at) = seen.windows(4).position(|w| w == b"-ERR") {
            let line = String::from_utf8_lossy(&seen[at..]).lines().next().unwrap_or_default().to_string();
            return Err(std::io::Error::other(line));
        }
        if seen.len() > MAX_BEFORE_PONG {
            return Err(std::io::Error::other("no PONG in the first 64 KiB"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::net::TcpListener;

    #[tokio::test]
    async fn waits_past_info_for_pong() {
        let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = l.local_addr().unwrap();
        let server = tokio::spawn(async move {
            let (mut s, _) = l.accept().await.unwrap();
            s.write_all(b"INFO {}\r\n").await.unwrap();
            let mut buf = [0u8; 64];
            let n = s.read(&mut buf).await.unwrap();
            assert!(buf[..n].starts_with(b"CONNECT {}"));
            s.write_all(b"PONG\r\n").await.unwrap();
        });
        ping_pong(addr).await.unwrap();
        server.await.unwrap();
    }

    #[tokio::test]
    async fn a_close_before_pong_is_an_error() {
        let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = l.local_addr().unwrap();
        tokio::spawn(async move {
            let (s, _) = l.accept().await.unwrap();
            drop(s);
        });
        // EOF, or a reset when the close found the client's bytes unread.
        let kind = ping_pong(addr).await.unwrap_err().kind();
        assert!(matches!(kind, std::io::ErrorKind::UnexpectedEof | std::io::ErrorKind::ConnectionReset), "{kind:?}");
    }
}
