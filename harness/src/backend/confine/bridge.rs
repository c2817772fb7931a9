//! The host side of a confined server's client port: a listener on 127.0.0.1 whose connections
//! are joined to the server's port inside its namespace. Closed while the server is down, so a
//! client is refused as it would be by a stopped process, and reopened on the same port.

use std::net::{Ipv4Addr, SocketAddr};
use std::os::fd::AsRawFd;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use super::netns::NetNs;

/// A host listener forwarding to `target` inside a namespace.
#[derive(Debug)]
pub(crate) struct Bridge {
    netns: Arc<NetNs>,
    addr: SocketAddr,
    target: SocketAddr,
    accept: Option<(Arc<TcpListener>, JoinHandle<()>)>,
}

impl Bridge {
    /// Listens on a free 127.0.0.1 port, forwarding to `target` in `netns`.
    pub(crate) async fn open(netns: Arc<NetNs>, target: SocketAddr) -> std::io::Result<Bridge> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let addr = listener.local_addr()?;
        let listener = Arc::new(listener);
        let accept = Some((listener.clone(), tokio::spawn(serve(listener, netns.clone(), target))));
        Ok(Bridge { netns, addr, target, accept })
    }

    /// The host address clients connect to; the same across [`Bridge::close`] and
    /// [`Bridge::reopen`].
    pub(crate) fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting: new connections are refused. Connections already joined stay until
    /// either side closes.
    pub(crate) fn close(&mut self) {
        if let Some((listener, task)) = self.accept.take() {
            // Stop listening now, not when the runtime next polls the aborted task: a client
            // that connects right after a stop must be refused.
            // SAFETY: the descriptor belongs to `listener`, which is alive for this call.
            unsafe { libc::shutdown(listener.as_raw_fd(), libc::SHUT_RDWR) };
            task.abort();
        }
    }

    /// Accepts again on the same port, forwarding to `target`.
    pub(crate) async fn reopen(&mut self, target: SocketAddr) -> std::io::Result<()> {
        self.close();
        let listener = Arc::new(TcpListener::bind(self.addr).await?);
        self.target = target;
        self.accept = Some((listener.clone(), tokio::spawn(serve(listener, self.netns.clone(), self.target))));
        Ok(())
    }
}

impl Drop for Bridge {
    fn drop(&mut self) {
        self.close();
    }
}

async fn serve(listener: Arc<TcpListener>, netns: Arc<NetNs>, target: SocketAddr) {
    while let Ok((mut client, _)) = listener.accept().await {
        let netns = netns.clone();
        tokio::spawn(async move {
            let _ = client.set_nodelay(true);
            // The server's refusal (stopped between accept and dial) closes the client at once.
            if let Ok(mut server) = netns.connect(target).await {
                let _ = server.set_nodelay(true);
                let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
            }
        });
    }
}
