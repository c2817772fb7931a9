//! One proxied connection: dial the upstream, run both directions, close.

use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpStream;
use tokio::time::timeout;

use super::pump::{PumpCtx, PumpEnd, pump};
use super::shared::Shared;
use super::spec::Stream;
use super::toxic::Ending;
use super::wire::ClosedBy;

/// How long dialing the upstream may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Who ended the connection, given which direction ended first and how.
fn judge(stream: Stream, end: PumpEnd) -> (ClosedBy, Ending) {
    match (stream, end) {
        (Stream::Upstream, PumpEnd::SourceClosed) | (Stream::Downstream, PumpEnd::WriteFailed) => {
            (ClosedBy::Client, Ending::Close)
        }
        (Stream::Downstream, PumpEnd::SourceClosed) | (Stream::Upstream, PumpEnd::WriteFailed) => {
            (ClosedBy::Server, Ending::Close)
        }
        (_, PumpEnd::Toxic { name, ending }) => (ClosedBy::Toxic(name), ending),
    }
}

/// Serves connection `id` until one direction ends, a toxic ends it, or the
/// proxy resets every connection. The whole connection closes as soon as
/// one direction has ended (after writing what it had queued), as in
/// toxiproxy: half-closed connections are not kept.
pub(crate) async fn serve(client: TcpStream, id: u64, shared: Arc<Shared>) {
    let mut reset = shared.reset.subscribe();
    let dial = timeout(CONNECT_TIMEOUT, TcpStream::connect(shared.upstream()));
    let server = tokio::select! {
        dialed = dial => match dialed {
            Ok(Ok(server)) => server,
            _ => return shared.recorder.close(id, ClosedBy::UpstreamUnreachable),
        },
        _ = reset.changed() => return shared.recorder.close(id, ClosedBy::Proxy),
    };
    // Forward small writes at once; the toxics decide about delays.
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let (mut client_read, mut client_write) = client.into_split();
    let (mut server_read, mut server_write) = server.into_split();
    let (requests, fifo) = shared.barriers.register(id);
    let ctx = |stream, requests| PumpCtx {
        id,
        stream,
        recorder: &shared.recorder,
        toxics: shared.registry.subscribe(),
        pings: Arc::clone(&fifo),
        barrier_requests: requests,
    };
    let (by, ending) = {
        let up = pump(&mut client_read, &mut server_write, ctx(Stream::Upstream, Some(requests)));
        let down = pump(&mut server_read, &mut client_write, ctx(Stream::Downstream, None));
        tokio::select! {
            end = up => judge(Stream::Upstream, end),
            end = down => judge(Stream::Downstream, end),
            _ = reset.changed() => (ClosedBy::Proxy, Ending::Close),
        }
    };
    shared.barriers.unregister(id);
    // Record first, so whoever sees the close finds it in the log.
    shared.recorder.close(id, by);
    if ending == Ending::Reset {
        let _ = client_write.as_ref().set_zero_linger();
        let _ = server_write.as_ref().set_zero_linger();
        // No FIN before the RST: the sockets close when the read halves drop.
        client_write.forget();
        server_write.forget();
    }
}
