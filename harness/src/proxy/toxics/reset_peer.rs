//! `reset-peer`: resets the connection (TCP RST) after a while.

use std::time::Instant;

use super::super::spec::ResetPeerParams;
use super::super::toxic::{Ending, Output, Piece, Toxic};

/// Forwards as usual, then `timeout` after the toxic met the connection
/// resets it: `SO_LINGER` 0 and close, so both peers get an RST and their
/// next read fails with `ConnectionReset`.
///
/// ```
/// use std::time::{Duration, Instant};
/// use natsfault::proxy::{toxics::ResetPeer, Ending, ResetPeerParams, Toxic};
///
/// let now = Instant::now();
/// let rst = ResetPeer::new(&ResetPeerParams { timeout: Duration::from_millis(10) }, now);
/// assert_eq!(rst.deadline(), Some((now + Duration::from_millis(10), Ending::Reset)));
/// ```
#[derive(Debug)]
pub struct ResetPeer {
    reset_at: Instant,
}

impl ResetPeer {
    /// A reset whose clock starts at `attached`.
    pub fn new(params: &ResetPeerParams, attached: Instant) -> Self {
        ResetPeer { reset_at: attached + params.timeout }
    }
}

impl Toxic for ResetPeer {
    fn transform(&mut self, piece: Piece) -> Output {
        Output::pass(piece)
    }

    fn deadline(&self) -> Option<(Instant, Ending)> {
        Some((self.reset_at, Ending::Reset))
    }
}
