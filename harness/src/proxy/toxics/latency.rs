//! `latency`: delays every chunk by a fixed time plus or minus jitter.

use std::time::Duration;

use rand::RngExt;
use rand::rngs::SmallRng;

use super::super::spec::LatencyParams;
use super::super::toxic::{Output, Piece, Toxic};

/// Delays each chunk by `latency` ± a uniform `jitter`, counted from when
/// the chunk reached this toxic, so a steady stream is delayed, not slowed.
///
/// ```
/// use std::time::{Duration, Instant};
/// use natsfault::proxy::{toxics::Latency, LatencyParams, Piece, Toxic};
///
/// let mut lag = Latency::new(&LatencyParams { latency: Duration::from_millis(20), jitter: Duration::ZERO });
/// let now = Instant::now();
/// let out = lag.transform(Piece { data: "x".into(), due: now });
/// assert_eq!(out.pieces[0].due, now + Duration::from_millis(20));
/// ```
#[derive(Debug)]
pub struct Latency {
    latency: Duration,
    jitter: Duration,
    rng: SmallRng,
}

impl Latency {
    /// A latency toxic with a random seed.
    pub fn new(params: &LatencyParams) -> Self {
        Latency { latency: params.latency, jitter: params.jitter, rng: rand::make_rng() }
    }

    fn delay(&mut self) -> Duration {
        if self.jitter.is_zero() {
            return self.latency;
        }
        let jitter = u64::try_from(self.jitter.as_nanos()).unwrap_or(u64::MAX / 2);
        let offset = self.rng.random_range(0..=jitter.saturating_mul(2));
        (self.latency + Duration::from_nanos(offset)).saturating_sub(self.jitter)
    }
}

impl Toxic for Latency {
    fn transform(&mut self, piece: Piece) -> Output {
        let due = piece.due + self.delay();
        Output::pass(Piece { due, ..piece })
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::super::test_support::piece;
    use super::*;

    #[test]
    fn jitter_stays_within_bounds() {
        let params = LatencyParams { latency: Duration::from_millis(100), jitter: Duration::from_millis(30) };
        let mut lag = Latency::new(&params);
        let now = Instant::now();
        for _ in 0..1000 {
            let out = lag.transform(piece(1, now));
            let delay = out.pieces[0].due - now;
            assert!(delay >= Duration::from_millis(70) && delay <= Duration::from_millis(130), "{delay:?}");
        }
    }

    #[test]
    fn jitter_larger_than_latency_never_goes_negative() {
        let params = LatencyParams { latency: Duration::from_millis(1), jitter: Duration::from_millis(50) };
        let mut lag = Latency::new(&params);
        let now = Instant::now();
        for _ in 0..100 {
            assert!(lag.transform(piece(1, now)).pieces[0].due >= now);
        }
    }
}
