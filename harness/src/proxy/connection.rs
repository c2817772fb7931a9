//! One proxied connection: dial the upstream, run both directions, close.

use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::net::tcp::OwnedWriteHalf;
use tokio::time::timeout;

use super::pump::{PumpCtx, PumpEnd, pump};
use super::scanner::Scanner;
use super::shaping::{Frame, Shaper};
use super::shared::Shared;
use super::spec::Stream;
use super::tls::{TapTls, TlsPair, handshake};
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
        (_, PumpEnd::Rule { name }) => (ClosedBy::Rule(name), Ending::Close),
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
    let tls = shared.tls();
    let (by, ending) = match tls {
        Some(cfg) => match tls_streams(&cfg, client, server, id, &shared).await {
            Ok(Some(pair)) => {
                let (mut cr, mut cw) = tokio::io::split(pair.client);
                let (sr, mut sw) = tokio::io::split(pair.server);
                let mut sr = tokio::io::AsyncReadExt::chain(std::io::Cursor::new(pair.early), sr);
                pumps((&mut cr, &mut cw), (&mut sr, &mut sw), id, &shared, &mut reset, true).await
            }
            Ok(None) => return,
            Err((client, server, readable)) => {
                let (mut cr, mut cw) = client.into_split();
                let (mut sr, mut sw) = server.into_split();
                let ended = pumps((&mut cr, &mut cw), (&mut sr, &mut sw), id, &shared, &mut reset, readable).await;
                finish(id, &shared, ended, Some((cw, sw)));
                return;
            }
        },
        None => {
            let (mut cr, mut cw) = client.into_split();
            let (mut sr, mut sw) = server.into_split();
            let ended = pumps((&mut cr, &mut cw), (&mut sr, &mut sw), id, &shared, &mut reset, true).await;
            finish(id, &shared, ended, Some((cw, sw)));
            return;
        }
    };
    finish(id, &shared, (by, ending), None);
}

/// Runs both directions until one ends.
async fn pumps<CR, CW, SR, SW>(
    (client_read, client_write): (&mut CR, &mut CW),
    (server_read, server_write): (&mut SR, &mut SW),
    id: u64,
    shared: &Arc<Shared>,
    reset: &mut tokio::sync::watch::Receiver<u64>,
    readable: bool,
) -> (ClosedBy, Ending)
where
    CR: AsyncRead + Unpin,
    CW: AsyncWrite + Unpin,
    SR: AsyncRead + Unpin,
    SW: AsyncWrite + Unpin,
{
    // A connection whose TLS the tap cannot read takes no barrier PINGs of the tap's own.
    let (requests, fifo) = if readable {
        let (r, f) = shared.barriers.register(id);
        (Some(r), f)
    } else {
        (None, Arc::new(super::barrier::PingFifo::default()))
    };
    let ctx = |stream, requests| PumpCtx {
        id,
        stream,
        recorder: &shared.recorder,
        toxics: shared.registry.subscribe(),
        pings: Arc::clone(&fifo),
        barrier_requests: requests,
        shaper: readable.then(|| Shaper::new(stream, shared.rules.subscribe())),
    };
    let up = pump(client_read, server_write, ctx(Stream::Upstream, requests));
    let down = pump(server_read, client_write, ctx(Stream::Downstream, None));
    tokio::select! {
        end = up => judge(Stream::Upstream, end),
        end = down => judge(Stream::Downstream, end),
        _ = reset.changed() => (ClosedBy::Proxy, Ending::Close),
    }
}

/// Records the close and, for a reset, closes the plain sockets without a FIN.
fn finish(id: u64, shared: &Shared, (by, ending): (ClosedBy, Ending), plain: Option<(OwnedWriteHalf, OwnedWriteHalf)>) {
    shared.barriers.unregister(id);
    // Record first, so whoever sees the close finds it in the log.
    shared.recorder.close(id, by);
    if ending == Ending::Reset
        && let Some((client_write, server_write)) = plain
    {
        let _ = client_write.as_ref().set_zero_linger();
        let _ = server_write.as_ref().set_zero_linger();
        // No FIN before the RST: the sockets close when the read halves drop.
        client_write.forget();
        server_write.forget();
    }
}

/// The longest the server's INFO line may take before the tap upgrades.
const INFO_TIMEOUT: Duration = Duration::from_secs(5);
/// The longest INFO line read.
const INFO_LIMIT: usize = 64 * 1024;

/// Forwards the server's INFO in clear (unless the client starts TLS first), then does TLS on
/// both sides when INFO requires it or the client starts it. `Err` gives the plain sockets
/// back when no TLS is wanted (readable), or when the tap cannot stand in for the client's
/// certificate (not readable: the TLS bytes pass as they are, and the record says why);
/// `Ok(None)` when the connection was closed (and recorded).
async fn tls_streams(
    cfg: &TapTls,
    mut client: TcpStream,
    mut server: TcpStream,
    id: u64,
    shared: &Shared,
) -> Result<Option<TlsPair>, (TcpStream, TcpStream, bool)> {
    if !cfg.first {
        let mut line = Vec::new();
        let read = timeout(INFO_TIMEOUT, async {
            let mut byte = [0u8; 1];
            while !line.ends_with(b"\n") && line.len() < INFO_LIMIT {
                if server.read(&mut byte).await.ok().filter(|n| *n == 1).is_none() {
                    return false;
                }
                line.push(byte[0]);
            }
            true
        })
        .await;
        if read != Ok(true) {
            shared.recorder.close(id, ClosedBy::Server);
            return Ok(None);
        }
        // The INFO sent in clear meets the shaping rules here, before the pumps start.
        let frame = Frame::parse(bytes::Bytes::from(line.clone()));
        let shaped = Shaper::new(Stream::Downstream, shared.rules.subscribe()).shape(&frame);
        shared.recorder.shaped(id, Stream::Downstream, shaped.fired);
        if !shaped.delay.is_zero() {
            tokio::time::sleep(shaped.delay).await;
        }
        for chunk in &shaped.frames {
            let mut sightings = Vec::new();
            Scanner::default().feed(chunk, &mut sightings);
            shared.recorder.saw(id, Stream::Downstream, sightings);
            if client.write_all(chunk).await.is_err() {
                shared.recorder.close(id, ClosedBy::Client);
                return Ok(None);
            }
        }
        if let Some(rule) = shaped.end {
            shared.recorder.close(id, ClosedBy::Rule(rule));
            return Ok(None);
        }
        let text = String::from_utf8_lossy(&line);
        let required = text.contains("\"tls_required\":true");
        if !required && !cfg.wants {
            return Err((client, server, true));
        }
    }
    if cfg.client_unknown {
        shared
            .recorder
            .blind(id, "the client's certificate is marked unknown to natsfault, so the tap cannot stand in for it");
        return Err((client, server, false));
    }
    match handshake(cfg, client, server).await {
        Ok(pair) => Ok(Some(pair)),
        Err(e) => {
            let by = match &e {
                super::tls::TapTlsError::Client(_) => ClosedBy::Client,
                super::tls::TapTlsError::Server(_) => ClosedBy::Server,
                other => ClosedBy::TlsStandIn(other.to_string()),
            };
            shared.recorder.close(id, by);
            Ok(None)
        }
    }
}
