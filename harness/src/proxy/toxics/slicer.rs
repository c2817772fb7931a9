//! `slicer`: cuts chunks into small slices sent with a pause between them.

use std::time::Duration;

use rand::RngExt;
use rand::rngs::SmallRng;

use super::super::spec::SlicerParams;
use super::super::toxic::{Output, Piece, Toxic};

/// Cuts each chunk into slices of `average_size` ± `size_variation` bytes,
/// the `n`-th slice due `n * delay` after the chunk. Exercises a reader's
/// handling of protocol lines split across reads.
///
/// ```
/// use std::time::{Duration, Instant};
/// use natsfault::proxy::{toxics::Slicer, Piece, SlicerParams, Toxic};
///
/// let params = SlicerParams { average_size: 2, size_variation: 0, delay: Duration::from_millis(1) };
/// let mut slicer = Slicer::new(&params).unwrap();
/// let out = slicer.transform(Piece { data: "PING\r\n".into(), due: Instant::now() });
/// assert_eq!(out.pieces.len(), 3);
/// ```
#[derive(Debug)]
pub struct Slicer {
    average_size: usize,
    size_variation: usize,
    delay: Duration,
    rng: SmallRng,
}

impl Slicer {
    /// A slicer.
    ///
    /// # Errors
    ///
    /// The reason, when `average_size` is zero or `size_variation` is not below it.
    pub fn new(params: &SlicerParams) -> Result<Self, String> {
        if params.average_size == 0 {
            return Err("average-size must be above zero".into());
        }
        if params.size_variation >= params.average_size {
            return Err("size-variation must be below average-size".into());
        }
        Ok(Slicer {
            average_size: params.average_size,
            size_variation: params.size_variation,
            delay: params.delay,
            rng: rand::make_rng(),
        })
    }

    fn next_size(&mut self) -> usize {
        if self.size_variation == 0 {
            return self.average_size;
        }
        let low = self.average_size - self.size_variation;
        let high = self.average_size + self.size_variation;
        self.rng.random_range(low..=high)
    }
}

impl Toxic for Slicer {
    fn transform(&mut self, piece: Piece) -> Output {
        let mut rest = piece.data;
        let mut due = piece.due;
        let mut pieces = Vec::with_capacity(rest.len() / self.average_size + 1);
        while !rest.is_empty() {
            let size = self.next_size().min(rest.len());
            pieces.push(Piece { data: rest.split_to(size), due });
            due += self.delay;
        }
        Output { pieces, end: None }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::super::test_support::piece;
    use super::*;

    #[test]
    fn slices_cover_the_chunk_in_order_with_spaced_dues() {
        let params = SlicerParams { average_size: 10, size_variation: 4, delay: Duration::from_millis(5) };
        let mut slicer = Slicer::new(&params).expect("valid");
        let now = Instant::now();
        let out = slicer.transform(piece(1000, now));
        assert_eq!(out.pieces.iter().map(|p| p.data.len()).sum::<usize>(), 1000);
        for (i, p) in out.pieces.iter().enumerate() {
            assert_eq!(p.due, now + params.delay * u32::try_from(i).expect("few slices"));
            assert!(p.data.len() <= 14);
        }
        assert!(out.pieces.len() >= 1000 / 14);
    }

    #[test]
    fn bad_sizes_are_rejected() {
        let zero = SlicerParams { average_size: 0, size_variation: 0, delay: Duration::ZERO };
        assert!(Slicer::new(&zero).is_err());
        let wide = SlicerParams { average_size: 4, size_variation: 4, delay: Duration::ZERO };
        assert!(Slicer::new(&wide).is_err());
    }
}
