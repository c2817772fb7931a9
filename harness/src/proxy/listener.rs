//! The accept loop: one task per connection, refused ones closed at once.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::net::TcpListener;
use tokio::task::JoinSet;

use super::connection::serve;
use super::pipeline::refusal;
use super::shared::Shared;
use super::wire::ClosedBy;

/// Pause after a failed accept (e.g. out of file descriptors).
const ACCEPT_BACKOFF: Duration = Duration::from_millis(20);

/// Accepts connections until the task is aborted; aborting it drops the
/// listener and the [`JoinSet`], which aborts every connection task.
pub(crate) async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((socket, _peer)) => {
                    let id = shared.recorder.open();
                    if let Some(name) = refusal(&shared.registry.current(), Instant::now()) {
                        shared.recorder.close(id, ClosedBy::Toxic(name));
                        drop(socket);
                        continue;
                    }
                    connections.spawn(serve(socket, id, Arc::clone(&shared)));
                }
                Err(_) => tokio::time::sleep(ACCEPT_BACKOFF).await,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}
