//! `timeout`: stops forwarding, then closes the connection after a while.

use std::time::Instant;

use super::super::spec::TimeoutParams;
use super::super::toxic::{Ending, Output, Piece, Toxic};

/// Holds every byte (nothing is written, nothing is dropped: once the toxic
/// is removed the held data flows again, as after a healed partition) and
/// closes the connection `timeout` after the toxic met it. A zero timeout
/// never closes: a black hole until removed.
///
/// ```
/// use std::time::{Duration, Instant};
/// use natsfault::proxy::{toxics::Timeout, Ending, TimeoutParams, Toxic};
///
/// let now = Instant::now();
/// let hole = Timeout::new(&TimeoutParams { timeout: Duration::from_secs(1) }, now);
/// assert!(hole.holds());
/// assert_eq!(hole.deadline(), Some((now + Duration::from_secs(1), Ending::Close)));
/// ```
#[derive(Debug)]
pub struct Timeout {
    close_at: Option<Instant>,
}

impl Timeout {
    /// A timeout whose clock starts at `attached`.
    pub fn new(params: &TimeoutParams, attached: Instant) -> Self {
        let close_at = (!params.timeout.is_zero()).then(|| attached + params.timeout);
        Timeout { close_at }
    }
}

impl Toxic for Timeout {
    fn transform(&mut self, piece: Piece) -> Output {
        Output::pass(piece)
    }

    fn holds(&self) -> bool {
        true
    }

    fn deadline(&self) -> Option<(Instant, Ending)> {
        self.close_at.map(|at| (at, Ending::Close))
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn zero_timeout_never_closes() {
        let hole = Timeout::new(&TimeoutParams { timeout: Duration::ZERO }, Instant::now());
        assert!(hole.holds());
        assert_eq!(hole.deadline(), None);
    }
}
