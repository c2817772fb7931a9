//! `slow-close`: holds back the close of a stream.

use std::time::Duration;

use super::super::spec::SlowCloseParams;
use super::super::toxic::{Output, Piece, Toxic};

/// Once the source of its direction has ended (EOF) and every byte is
/// written, waits `delay` before the connection is closed.
///
/// ```
/// use std::time::Duration;
/// use natsfault::proxy::{toxics::SlowClose, SlowCloseParams, Toxic};
///
/// let slow = SlowClose::new(&SlowCloseParams { delay: Duration::from_millis(300) });
/// assert_eq!(slow.close_delay(), Duration::from_millis(300));
/// ```
#[derive(Debug)]
pub struct SlowClose {
    delay: Duration,
}

impl SlowClose {
    /// A slow close of `params.delay`.
    pub fn new(params: &SlowCloseParams) -> Self {
        SlowClose { delay: params.delay }
    }
}

impl Toxic for SlowClose {
    fn transform(&mut self, piece: Piece) -> Output {
        Output::pass(piece)
    }

    fn close_delay(&self) -> Duration {
        self.delay
    }
}
