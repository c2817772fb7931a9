//! `bandwidth`: caps the throughput of one direction.

use std::time::{Duration, Instant};

use super::super::spec::BandwidthParams;
use super::super::toxic::{Output, Piece, Toxic};

/// Pieces are cut to at most 100 ms worth of bytes so the rate stays smooth.
const SLOTS_PER_SECOND: u64 = 10;

/// Lets at most `rate_kb_per_s * 1000` bytes per second through: each piece
/// is due only after the previous one had the time to "transmit".
///
/// ```
/// use std::time::{Duration, Instant};
/// use natsfault::proxy::{toxics::Bandwidth, BandwidthParams, Piece, Toxic};
///
/// let mut slow = Bandwidth::new(&BandwidthParams { rate_kb_per_s: 1 }).unwrap();
/// let now = Instant::now();
/// let out = slow.transform(Piece { data: vec![0u8; 50].into(), due: now });
/// assert_eq!(out.pieces[0].due, now + Duration::from_millis(50));
/// ```
#[derive(Debug)]
pub struct Bandwidth {
    bytes_per_second: u64,
    next_free: Option<Instant>,
}

impl Bandwidth {
    /// A bandwidth cap.
    ///
    /// # Errors
    ///
    /// The reason, when the rate is zero.
    pub fn new(params: &BandwidthParams) -> Result<Self, String> {
        if params.rate_kb_per_s == 0 {
            return Err("rate-kb-per-s must be above zero".into());
        }
        Ok(Bandwidth { bytes_per_second: params.rate_kb_per_s.saturating_mul(1000), next_free: None })
    }

    fn transmit_time(&self, len: usize) -> Duration {
        let nanos = len as u128 * 1_000_000_000 / u128::from(self.bytes_per_second);
        Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
    }
}

impl Toxic for Bandwidth {
    fn transform(&mut self, piece: Piece) -> Output {
        let slot = usize::try_from(self.bytes_per_second / SLOTS_PER_SECOND).unwrap_or(usize::MAX).max(1);
        let mut due = self.next_free.map_or(piece.due, |free| free.max(piece.due));
        let mut pieces = Vec::with_capacity(piece.data.len().div_ceil(slot));
        let mut rest = piece.data;
        while !rest.is_empty() {
            let data = rest.split_to(slot.min(rest.len()));
            due += self.transmit_time(data.len());
            pieces.push(Piece { data, due });
        }
        self.next_free = Some(due);
        Output { pieces, end: None }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::piece;
    use super::*;

    #[test]
    fn rate_zero_is_rejected() {
        assert!(Bandwidth::new(&BandwidthParams { rate_kb_per_s: 0 }).is_err());
    }

    #[test]
    fn back_to_back_pieces_queue_behind_each_other() {
        let mut slow = Bandwidth::new(&BandwidthParams { rate_kb_per_s: 10 }).expect("valid");
        let now = Instant::now();
        // 10 kB/s: slots of 1000 bytes, 100 ms each.
        let first = slow.transform(piece(2500, now));
        let dues: Vec<_> = first.pieces.iter().map(|p| p.due - now).collect();
        assert_eq!(dues, [Duration::from_millis(100), Duration::from_millis(200), Duration::from_millis(250)]);
        let second = slow.transform(piece(500, now));
        assert_eq!(second.pieces[0].due - now, Duration::from_millis(300));
    }

    #[test]
    fn idle_time_is_not_saved_up() {
        let mut slow = Bandwidth::new(&BandwidthParams { rate_kb_per_s: 10 }).expect("valid");
        let now = Instant::now();
        slow.transform(piece(100, now));
        let later = now + Duration::from_secs(5);
        assert_eq!(slow.transform(piece(100, later)).pieces[0].due - later, Duration::from_millis(10));
    }
}
