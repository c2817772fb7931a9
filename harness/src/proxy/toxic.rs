//! The one trait every toxic implements, and the turning of a [`ToxicKind`]
//! into a running toxic.

use std::time::{Duration, Instant};

use bytes::Bytes;

use super::error::ProxyError;
use super::spec::{ToxicKind, ToxicSpec};
use super::toxics::{Bandwidth, Down, Latency, LimitData, ResetPeer, Slicer, SlowClose, Timeout};

/// Bytes on their way through one direction, with the earliest instant they
/// may be written to the peer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// The bytes.
    pub data: Bytes,
    /// Not written before this instant.
    pub due: Instant,
}

/// How a toxic ends a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// Orderly close (FIN) of both sockets.
    Close,
    /// Abortive close (RST, `SO_LINGER` 0) of both sockets.
    Reset,
}

/// What a toxic made of one [`Piece`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Pieces to write, in order.
    pub pieces: Vec<Piece>,
    /// End the connection once these pieces are written.
    pub end: Option<Ending>,
}

impl Output {
    /// The piece goes on unchanged.
    pub fn pass(piece: Piece) -> Self {
        Output { pieces: vec![piece], end: None }
    }
}

/// One toxic acting on one direction of one connection.
///
/// A running toxic is built per connection and direction (so it may keep
/// state, such as a byte count) from its description by [`ToxicSpec::build`].
/// Every method but [`Toxic::transform`] has a harmless default, so each
/// toxic overrides only what it changes.
///
/// ```
/// use std::time::{Duration, Instant};
/// use bytes::Bytes;
/// use natsfault::proxy::{LatencyParams, Piece, Stream, ToxicKind, ToxicSpec};
///
/// let now = Instant::now();
/// let kind = ToxicKind::Latency(LatencyParams { latency: Duration::from_millis(50), jitter: Duration::ZERO });
/// let mut toxic = ToxicSpec::new("lag", Stream::Downstream, kind).build(now).unwrap();
/// let out = toxic.transform(Piece { data: Bytes::from_static(b"PING\r\n"), due: now });
/// assert_eq!(out.pieces[0].due, now + Duration::from_millis(50));
/// ```
pub trait Toxic: Send {
    /// Turns one piece into the pieces to write, possibly ending the connection.
    fn transform(&mut self, piece: Piece) -> Output;

    /// Whether nothing may be written for now (the data is kept).
    fn holds(&self) -> bool {
        false
    }

    /// An instant at which the connection must end, and how.
    fn deadline(&self) -> Option<(Instant, Ending)> {
        None
    }

    /// How long to hold back the close once the source has ended.
    fn close_delay(&self) -> Duration {
        Duration::ZERO
    }

    /// Whether newly accepted connections are closed at once.
    fn refuses_connections(&self) -> bool {
        false
    }
}

impl ToxicSpec {
    /// Checks the description and builds the running toxic, attached at
    /// `attached` (its timers start there).
    ///
    /// # Errors
    ///
    /// [`ProxyError::InvalidToxic`] when the name is empty, the
    /// toxicity is outside `0.0..=1.0`, or a parameter is out of range.
    pub fn build(&self, attached: Instant) -> Result<Box<dyn Toxic>, ProxyError> {
        if self.name.is_empty() {
            return Err(ProxyError::invalid(&self.name, "the name is empty"));
        }
        if !(0.0..=1.0).contains(&self.toxicity) {
            return Err(ProxyError::invalid(&self.name, "toxicity must be within 0.0..=1.0"));
        }
        let toxic: Box<dyn Toxic> = match &self.kind {
            ToxicKind::Latency(p) => Box::new(Latency::new(p)),
            ToxicKind::Bandwidth(p) => Box::new(Bandwidth::new(p).map_err(|r| ProxyError::invalid(&self.name, r))?),
            ToxicKind::Slicer(p) => Box::new(Slicer::new(p).map_err(|r| ProxyError::invalid(&self.name, r))?),
            ToxicKind::Timeout(p) => Box::new(Timeout::new(p, attached)),
            ToxicKind::ResetPeer(p) => Box::new(ResetPeer::new(p, attached)),
            ToxicKind::LimitData(p) => Box::new(LimitData::new(p)),
            ToxicKind::SlowClose(p) => Box::new(SlowClose::new(p)),
            ToxicKind::Down => Box::new(Down::new(attached)),
        };
        Ok(toxic)
    }
}
