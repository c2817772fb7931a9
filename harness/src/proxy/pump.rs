//! Moves the bytes of one direction through the toxics and the wire tap.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::{oneshot, watch};
use tokio::time::sleep_until;

use super::barrier::{BarrierRequest, BarrierRequests, PingFifo};
use super::pipeline::Pipeline;
use super::recorder::Recorder;
use super::registry::ToxicSet;
use super::scanner::{Scanner, Sighting};
use super::shaping::{Framer, Part, Shaper, Verb};
use super::spec::Stream;
use super::toxic::{Ending, Piece};

/// Bytes asked for per read.
const READ_CHUNK: usize = 32 * 1024;
/// Bytes queued (delayed or held) before reading pauses: back-pressure.
const MAX_QUEUED: usize = 256 * 1024;
/// Distinct (verb, subject) pairs remembered for barriers before the memory is cleared.
const MAX_TRACKED_OPS: usize = 4096;
/// Stands in for "never" in disabled timer branches.
const FAR: Duration = Duration::from_secs(365 * 24 * 3600);

/// How one direction ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PumpEnd {
    /// The source ended (EOF or read error) and every queued byte was written.
    SourceClosed,
    /// Writing to the destination failed.
    WriteFailed,
    /// A toxic ends the connection.
    Toxic { name: String, ending: Ending },
    /// A shaping rule disconnects it.
    Rule { name: String },
}

/// What a direction needs besides its two sockets.
pub(crate) struct PumpCtx<'a> {
    pub(crate) id: u64,
    pub(crate) stream: Stream,
    pub(crate) recorder: &'a Recorder,
    pub(crate) toxics: watch::Receiver<ToxicSet>,
    /// Who sent each PING still waiting for its PONG.
    pub(crate) pings: std::sync::Arc<PingFifo>,
    /// Barrier requests (upstream only): send a PING of the proxy's own once the client's
    /// bytes so far are all written.
    pub(crate) barrier_requests: Option<BarrierRequests>,
    /// The shaping rules of this direction; `None` where the bytes are not the NATS protocol
    /// (TLS the tap cannot read).
    pub(crate) shaper: Option<Shaper>,
}

enum Entry {
    Data(Piece),
    End(String, Ending),
    /// A shaping rule closes the connection here.
    Disconnect(String),
    /// The PONG that answers a barrier's PING (not forwarded): the barrier completes once every
    /// byte before it is written, and seen by the tap.
    Barrier(oneshot::Sender<()>),
}

fn tokio_instant(at: Instant) -> tokio::time::Instant {
    tokio::time::Instant::from_std(at)
}

/// Resolves at `at`, at once when it has passed. tokio's timer rounds every deadline up to its
/// next millisecond tick, so sleeping until an instant already past would delay each piece (and
/// each close) by up to a millisecond even when no toxic asks for a delay. Every timer branch of
/// [`pump`] uses it, so a toxic's deadline that has passed still wins over writing (the select
/// is biased).
async fn wait_until(at: Instant) {
    if at > Instant::now() {
        sleep_until(tokio_instant(at)).await;
    }
}

/// The next barrier request; never resolves when there is no receiver.
async fn next_request(requests: &mut Option<BarrierRequests>) -> Option<BarrierRequest> {
    match requests {
        Some(rx) => rx.recv().await,
        None => std::future::pending().await,
    }
}

/// Whether a whole frame is a `PONG`.
fn is_pong(frame: &[u8]) -> bool {
    frame.len() >= 4 && frame[..4].eq_ignore_ascii_case(b"PONG")
}

/// The PONGs in `bytes` (the server's, as they arrived), each with the barrier it answers, if
/// any.
fn pongs_in(ctx: &PumpCtx<'_>, scanner: &mut Scanner, bytes: &[u8]) -> Vec<Option<oneshot::Sender<()>>> {
    if ctx.stream != Stream::Downstream {
        return Vec::new();
    }
    let mut sightings = Vec::new();
    scanner.feed(bytes, &mut sightings);
    sightings.iter().filter(|s| **s == Sighting::Pong).map(|_| ctx.pings.pong()).collect()
}

/// Takes bytes just read into the queue: through the framer and the shaping rules (frame by
/// frame), then the toxics. Returns whether the connection ends after what was queued. A PONG
/// that answers a barrier is taken out here, before rules and toxics (held whole by the framer
/// while a barrier waits); one the framer could not hold whole passes on.
fn admit(
    data: Bytes,
    ctx: &mut PumpCtx<'_>,
    io: &mut AdmitState,
    pipeline: &mut Pipeline,
    queue: &mut VecDeque<Entry>,
    queued: &mut usize,
) -> bool {
    let AdmitState { framer, scanner } = io;
    let arrived = Instant::now();
    // The other side's INFO may have made the connection unreadable since the last read.
    let mut parts: VecDeque<Part> = VecDeque::new();
    if ctx.shaper.is_some() && ctx.recorder.is_blind(ctx.id) {
        ctx.shaper = None;
        parts.extend(framer.take_rest().map(Part::Opaque));
    }
    let barrier_waits = ctx.stream == Stream::Downstream && ctx.pings.barrier_waits();
    match ctx.shaper.as_mut() {
        Some(shaper) => parts.extend(framer.push(&data, shaper.active() || barrier_waits)),
        None => parts.push_back(Part::Opaque(data)),
    }
    let mut push = |queue: &mut VecDeque<Entry>, piece: Piece| {
        *queued += piece.data.len();
        queue.push_back(Entry::Data(piece));
    };
    while let Some(part) = parts.pop_front() {
        let bytes = match &part {
            Part::Frame(f) => f.bytes.clone(),
            Part::Opaque(b) => b.clone(),
        };
        let answered: Vec<_> = pongs_in(ctx, scanner, &bytes).into_iter().flatten().collect();
        // The barrier's own PONG, whole: the rules still see it, the client does not.
        let strip = !answered.is_empty() && matches!(&part, Part::Frame(f) if f.verb == Some(Verb::Pong));
        // A link that compresses from here on (its INFOs said so, this one or the other side's):
        // nothing after them is a frame, and what the framer holds passes as it is.
        let compressing = matches!(&part, Part::Frame(f) if f.verb == Some(Verb::Info)
            && super::shaping::offered(&String::from_utf8_lossy(&f.bytes))
                .is_some_and(|mode| ctx.recorder.compression(ctx.id, ctx.stream, mode)));
        if ctx.shaper.is_some() && compressing {
            ctx.shaper = None;
            parts.extend(framer.take_rest().map(Part::Opaque));
        }
        let (mut chunks, delay, end) = match (part, ctx.shaper.as_mut()) {
            (Part::Frame(frame), Some(shaper)) => {
                let shaped = shaper.shape(&frame);
                ctx.recorder.shaped(ctx.id, ctx.stream, shaped.fired);
                (shaped.frames, shaped.delay, shaped.end)
            }
            (Part::Frame(frame), None) => (vec![frame.bytes], Duration::ZERO, None),
            (Part::Opaque(bytes), _) => (vec![bytes], Duration::ZERO, None),
        };
        if strip && let Some(i) = chunks.iter().position(|c| is_pong(c)) {
            chunks.remove(i);
        }
        if let Some(rule) = end {
            for data in chunks {
                push(queue, Piece { data, due: arrived + delay });
            }
            queue.extend(answered.into_iter().map(Entry::Barrier));
            queue.push_back(Entry::Disconnect(rule));
            return true;
        }
        for chunk in chunks {
            let applied = pipeline.apply(chunk, arrived + delay);
            for piece in applied.pieces.into_iter().filter(|p| !p.data.is_empty()) {
                push(queue, piece);
            }
            if let Some((name, ending)) = applied.end {
                queue.push_back(Entry::End(name, ending));
                return true;
            }
        }
        queue.extend(answered.into_iter().map(Entry::Barrier));
    }
    false
}

/// What [`admit`] keeps between reads: where frames begin, and where PONGs are.
#[derive(Default)]
struct AdmitState {
    framer: Framer,
    scanner: Scanner,
}

/// Copies `src` to `dst` through the toxics until the direction ends.
///
/// Reading goes on while pieces wait for their due time or are held, up to
/// [`MAX_QUEUED`] bytes. Each piece is shown to the wire tap once it is due,
/// just before its first byte is written.
pub(crate) async fn pump<R, W>(src: &mut R, dst: &mut W, mut ctx: PumpCtx<'_>) -> PumpEnd
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut pipeline = Pipeline::new(ctx.stream);
    pipeline.sync(&ctx.toxics.borrow_and_update(), Instant::now());
    let mut scanner = Scanner::default();
    let mut queue: VecDeque<Entry> = VecDeque::new();
    let mut queued = 0usize;
    let mut buf = BytesMut::new();
    let (mut src_open, mut end_queued, mut watching) = (true, false, true);
    // State of the front piece: shown to the tap yet, bytes written so far.
    let (mut tapped, mut offset) = (false, 0usize);
    let mut closing_at: Option<Instant> = None;
    let mut pending: VecDeque<BarrierRequest> = VecDeque::new();
    let mut last_ops: std::collections::HashMap<(&'static str, String), Instant> = std::collections::HashMap::new();
    let mut admitted = AdmitState::default();
    loop {
        match queue.front() {
            Some(Entry::End(name, ending)) => return PumpEnd::Toxic { name: name.clone(), ending: *ending },
            Some(Entry::Disconnect(name)) => return PumpEnd::Rule { name: name.clone() },
            Some(Entry::Barrier(_)) => {
                if let Some(Entry::Barrier(done)) = queue.pop_front() {
                    let _ = done.send(());
                }
                continue;
            }
            _ => {}
        }
        if !src_open && queue.is_empty() && closing_at.is_none() {
            closing_at = Some(Instant::now() + pipeline.close_delay());
        }
        let deadline = pipeline.deadline();
        let front: Option<(Instant, Bytes)> = match queue.front() {
            Some(Entry::Data(p)) => Some((p.due, p.data.clone())),
            _ => None,
        };
        let can_write = front.is_some() && !pipeline.holds();
        let (due, data) = front.unwrap_or_else(|| (Instant::now() + FAR, Bytes::new()));
        let can_read = src_open && !end_queued && queued < MAX_QUEUED;
        if can_read {
            buf.reserve(READ_CHUNK);
        }
        let far = Instant::now() + FAR;
        // Barriers: a PING of the proxy's own once every byte read so far is written, the
        // scanner is between protocol lines, and the operation the barrier waits for has passed.
        while queue.is_empty()
            && scanner.at_boundary()
            && pending.front().is_some_and(|r| {
                r.after.as_ref().is_none_or(|(op, since)| {
                    last_ops.get(&(op.key().0, op.key().1.to_owned())).is_some_and(|at| at >= since)
                })
            })
        {
            let Some(r) = pending.pop_front() else { break };
            // Listed before it goes out: its PONG may be read before the write returns.
            ctx.pings.barrier_ping(r.done);
            if dst.write_all(b"PING\r\n").await.is_err() {
                return PumpEnd::WriteFailed;
            }
        }
        tokio::select! {
            biased;
            changed = ctx.toxics.changed(), if watching => match changed {
                Ok(()) => {
                    let set = ctx.toxics.borrow_and_update().clone();
                    pipeline.sync(&set, Instant::now());
                }
                Err(_) => watching = false,
            },
            () = wait_until(deadline.as_ref().map_or(far, |d| d.0)), if deadline.is_some() => {
                if let Some((_, name, ending)) = deadline {
                    return PumpEnd::Toxic { name, ending };
                }
            }
            () = wait_until(closing_at.unwrap_or(far)), if closing_at.is_some() => {
                return PumpEnd::SourceClosed;
            }
            () = wait_until(due), if can_write && !tapped => {
                let mut sightings = Vec::new();
                scanner.feed(&data, &mut sightings);
                for s in &sightings {
                    match (ctx.stream, s) {
                        (Stream::Upstream, Sighting::Op { verb, subject }) => {
                            if last_ops.len() >= MAX_TRACKED_OPS {
                                last_ops.clear();
                            }
                            last_ops.insert((*verb, subject.clone()), Instant::now());
                        }
                        (Stream::Upstream, Sighting::Ping) => ctx.pings.client_ping(),
                        _ => {}
                    }
                }
                ctx.recorder.saw(ctx.id, ctx.stream, sightings);
                tapped = true;
            }
            written = dst.write(&data[offset..]), if can_write && tapped => match written {
                Ok(n) if n > 0 => {
                    offset += n;
                    if offset == data.len() {
                        queue.pop_front();
                        queued -= data.len();
                        (tapped, offset) = (false, 0);
                    }
                }
                _ => return PumpEnd::WriteFailed,
            },
            read = src.read_buf(&mut buf), if can_read => match read {
                Ok(n) if n > 0 => {
                    let data = buf.split().freeze();
                    if admit(data, &mut ctx, &mut admitted, &mut pipeline, &mut queue, &mut queued) {
                        end_queued = true;
                    }
                }
                _ => {
                    src_open = false;
                    // A partial frame the framer held goes on as it is: nothing will complete it.
                    if let Some(rest) = admitted.framer.take_rest() {
                        ctx.shaper = None;
                        if admit(rest, &mut ctx, &mut admitted, &mut pipeline, &mut queue, &mut queued) {
                            end_queued = true;
                        }
                    }
                }
            },
            request = next_request(&mut ctx.barrier_requests), if ctx.barrier_requests.is_some() => match request {
                Some(r) => pending.push_back(r),
                None => ctx.barrier_requests = None,
            },
        }
    }
}
