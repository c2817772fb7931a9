//! Round-trip barriers: the proxy sends its own `PING` to the server on a client's connection,
//! after every byte the client sent so far, and waits for the matching `PONG`. When it arrives,
//! the server has processed everything before it; the harness uses this where async-nats'
//! `flush()` only writes the client's buffer to the socket.
//!
//! PONGs answer PINGs in order, so a FIFO of who sent each PING (the client or a barrier) tells
//! which PONG is the barrier's. The barrier's PONG does not reach the client: a library that
//! counts PONGs against its own PINGs (nats.c) would take it for the answer to its next flush and
//! then wait for one PONG too many.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::{mpsc, oneshot};

/// Who sent a PING that is waiting for its PONG.
type Owner = Option<oneshot::Sender<()>>;

/// The PING/PONG bookkeeping of one connection, shared by its two directions.
#[derive(Debug, Default)]
pub(crate) struct PingFifo {
    owners: Mutex<VecDeque<Owner>>,
}

impl PingFifo {
    fn lock(&self) -> MutexGuard<'_, VecDeque<Owner>> {
        self.owners.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The client sent a PING.
    pub(crate) fn client_ping(&self) {
        self.lock().push_back(None);
    }

    /// The proxy sent a PING for a barrier.
    pub(crate) fn barrier_ping(&self, done: oneshot::Sender<()>) {
        self.lock().push_back(Some(done));
    }

    /// The server sent a PONG: the barrier it answers, if a barrier's PING asked for it.
    pub(crate) fn pong(&self) -> Option<oneshot::Sender<()>> {
        self.lock().pop_front().flatten()
    }

    /// Whether a barrier's PING waits for its PONG.
    pub(crate) fn barrier_waits(&self) -> bool {
        self.lock().iter().any(Option::is_some)
    }
}

/// A client operation a barrier waits for: the tap must have forwarded it before the barrier's
/// PING goes out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TapOp {
    /// A `PUB` or `HPUB` on this subject.
    Publish(String),
    /// A `SUB` on this subject.
    Subscribe(String),
}

impl TapOp {
    /// The protocol verb and subject, as the scanner reports them.
    pub(crate) fn key(&self) -> (&'static str, &str) {
        match self {
            TapOp::Publish(s) => ("PUB", s),
            TapOp::Subscribe(s) => ("SUB", s),
        }
    }
}

/// One barrier asked for: complete `done` after a PING round trip, once `after` (an operation
/// the client wrote at or after the instant) has passed the tap.
#[derive(Debug)]
pub(crate) struct BarrierRequest {
    pub(crate) done: oneshot::Sender<()>,
    pub(crate) after: Option<(TapOp, std::time::Instant)>,
}

/// Requests for barriers, sent to a connection's upstream direction.
pub(crate) type BarrierRequests = mpsc::UnboundedReceiver<BarrierRequest>;

/// The open connections that accept barrier requests, by connection id.
#[derive(Debug, Default)]
pub(crate) struct Barriers {
    open: Mutex<HashMap<u64, mpsc::UnboundedSender<BarrierRequest>>>,
}

impl Barriers {
    fn lock(&self) -> MutexGuard<'_, HashMap<u64, mpsc::UnboundedSender<BarrierRequest>>> {
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Registers connection `id`; returns its request receiver and its PING FIFO.
    pub(crate) fn register(&self, id: u64) -> (BarrierRequests, Arc<PingFifo>) {
        let (tx, rx) = mpsc::unbounded_channel();
        self.lock().insert(id, tx);
        (rx, Arc::new(PingFifo::default()))
    }

    /// Forgets connection `id`.
    pub(crate) fn unregister(&self, id: u64) {
        self.lock().remove(&id);
    }

    /// Asks the newest open connection for a barrier; `None` when no connection is open.
    pub(crate) fn request(&self, after: Option<(TapOp, std::time::Instant)>) -> Option<oneshot::Receiver<()>> {
        let open = self.lock();
        let (_, tx) = open.iter().max_by_key(|(id, _)| **id)?;
        let (done, wait) = oneshot::channel();
        tx.send(BarrierRequest { done, after }).ok()?;
        Some(wait)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pongs_answer_barriers_in_ping_order() {
        let fifo = PingFifo::default();
        let (a, mut wait_a) = oneshot::channel();
        fifo.client_ping();
        fifo.barrier_ping(a);
        assert!(fifo.barrier_waits());
        assert!(fifo.pong().is_none(), "the first PONG answers the client's PING");
        let done = fifo.pong().expect("the second answers the barrier");
        assert!(!fifo.barrier_waits());
        done.send(()).expect("the barrier waits");
        assert!(wait_a.try_recv().is_ok());
        assert!(fifo.pong().is_none(), "an unmatched PONG answers nothing");
    }
}
