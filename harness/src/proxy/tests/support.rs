//! Upstreams and bounded waits for the socket tests.

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{broadcast, mpsc};
use tokio::task::JoinHandle;

use super::super::WireEvent;

/// Upper bound for any single wait in these tests (loaded 2-core machine).
pub(crate) const PATIENCE: Duration = Duration::from_secs(10);

/// Awaits `fut`, failing the test with `what` after [`PATIENCE`].
pub(crate) async fn within<T>(what: &str, fut: impl Future<Output = T>) -> T {
    match tokio::time::timeout(PATIENCE, fut).await {
        Ok(value) => value,
        Err(_) => panic!("timed out waiting for {what}"),
    }
}

/// An upstream task, aborted on drop.
pub(crate) struct Upstream {
    pub(crate) addr: SocketAddr,
    task: JoinHandle<()>,
}

impl Drop for Upstream {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn bind() -> TcpListener {
    TcpListener::bind("127.0.0.1:0").await.expect("bind a test upstream on 127.0.0.1")
}

/// Echoes every byte of every connection back.
pub(crate) async fn echo_server() -> Upstream {
    let listener = bind().await;
    let addr = listener.local_addr().expect("upstream address");
    let task = tokio::spawn(async move {
        let mut conns = tokio::task::JoinSet::new();
        while let Ok((mut socket, _)) = listener.accept().await {
            conns.spawn(async move {
                let (mut r, mut w) = socket.split();
                let _ = tokio::io::copy(&mut r, &mut w).await;
            });
        }
    });
    Upstream { addr, task }
}

/// Runs `script` on each accepted connection, one after the other.
pub(crate) async fn scripted_server<F, Fut>(script: F) -> Upstream
where
    F: Fn(TcpStream) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = bind().await;
    let addr = listener.local_addr().expect("upstream address");
    let task = tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            script(socket).await;
        }
    });
    Upstream { addr, task }
}

/// Forwards every chunk received on any connection to the returned channel.
pub(crate) async fn sink_server() -> (Upstream, mpsc::UnboundedReceiver<Vec<u8>>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let upstream = scripted_server(move |mut socket| {
        let tx = tx.clone();
        async move {
            let mut buf = vec![0u8; 64 * 1024];
            while let Ok(n @ 1..) = socket.read(&mut buf).await {
                let _ = tx.send(buf[..n].to_vec());
            }
        }
    })
    .await;
    (upstream, rx)
}

/// Connects a client to `addr`.
pub(crate) async fn connect(addr: SocketAddr) -> TcpStream {
    let stream = within("connect", TcpStream::connect(addr)).await.expect("connect to the proxy");
    stream.set_nodelay(true).expect("nodelay");
    stream
}

/// Writes `data` and reads exactly as many bytes back.
pub(crate) async fn round_trip(stream: &mut TcpStream, data: &[u8]) -> Vec<u8> {
    stream.write_all(data).await.expect("write to the proxy");
    let mut back = vec![0u8; data.len()];
    within("echo", stream.read_exact(&mut back)).await.expect("read the echo");
    back
}

/// Reads until EOF or error; returns the bytes and how it ended.
pub(crate) async fn read_to_end(stream: &mut TcpStream) -> (Vec<u8>, std::io::Result<()>) {
    let mut all = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    let ended = within("end of stream", async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) => return Ok(()),
                Ok(n) => all.extend_from_slice(&buf[..n]),
                Err(e) => return Err(e),
            }
        }
    })
    .await;
    (all, ended)
}

/// Waits for the first event matching `pred`.
pub(crate) async fn wait_event(
    events: &mut broadcast::Receiver<WireEvent>,
    what: &str,
    pred: impl Fn(&WireEvent) -> bool,
) -> WireEvent {
    within(what, async {
        loop {
            match events.recv().await {
                Ok(event) if pred(&event) => return event,
                Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => {
                    panic!("event stream closed waiting for {what}")
                }
            }
        }
    })
    .await
}
