//! `down`: the proxy is down while this toxic is installed.

use std::time::Instant;

use super::super::toxic::{Ending, Output, Piece, Toxic};

/// Takes the proxy down. The listener stays bound, so a client's connect
/// succeeds, but the accepted socket is closed at once (before any upstream
/// connection is made): the client's first read returns EOF, and a write
/// racing the close may fail with `ConnectionReset` or `BrokenPipe`.
/// Connections already open are closed (FIN) at once.
///
/// ```
/// use std::time::Instant;
/// use natsfault::proxy::{toxics::Down, Ending, Toxic};
///
/// let now = Instant::now();
/// let down = Down::new(now);
/// assert!(down.refuses_connections());
/// assert_eq!(down.deadline(), Some((now, Ending::Close)));
/// ```
#[derive(Debug)]
pub struct Down {
    attached: Instant,
}

impl Down {
    /// Down from `attached` on.
    pub fn new(attached: Instant) -> Self {
        Down { attached }
    }
}

impl Toxic for Down {
    fn transform(&mut self, piece: Piece) -> Output {
        Output::pass(piece)
    }

    fn deadline(&self) -> Option<(Instant, Ending)> {
        Some((self.attached, Ending::Close))
    }

    fn refuses_connections(&self) -> bool {
        true
    }
}
