//! `limit-data`: closes the connection once a number of bytes has passed.

use super::super::spec::LimitDataParams;
use super::super::toxic::{Ending, Output, Piece, Toxic};

/// Lets `bytes` bytes through in its direction, then closes the connection;
/// the chunk that crosses the limit is cut at the limit.
///
/// ```
/// use std::time::Instant;
/// use natsfault::proxy::{toxics::LimitData, Ending, LimitDataParams, Piece, Toxic};
///
/// let mut limit = LimitData::new(&LimitDataParams { bytes: 3 });
/// let out = limit.transform(Piece { data: "PING\r\n".into(), due: Instant::now() });
/// assert_eq!(&out.pieces[0].data[..], b"PIN");
/// assert_eq!(out.end, Some(Ending::Close));
/// ```
#[derive(Debug)]
pub struct LimitData {
    remaining: u64,
}

impl LimitData {
    /// A limit with the full allowance left.
    pub fn new(params: &LimitDataParams) -> Self {
        LimitData { remaining: params.bytes }
    }
}

impl Toxic for LimitData {
    fn transform(&mut self, mut piece: Piece) -> Output {
        let len = piece.data.len() as u64;
        if len < self.remaining {
            self.remaining -= len;
            return Output::pass(piece);
        }
        // `remaining <= len`, which fits a usize.
        piece.data.truncate(usize::try_from(self.remaining).unwrap_or(usize::MAX));
        self.remaining = 0;
        let pieces = if piece.data.is_empty() { Vec::new() } else { vec![piece] };
        Output { pieces, end: Some(Ending::Close) }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::super::test_support::piece;
    use super::*;

    #[test]
    fn counts_across_pieces_and_closes_at_the_limit() {
        let mut limit = LimitData::new(&LimitDataParams { bytes: 10 });
        let now = Instant::now();
        assert_eq!(limit.transform(piece(4, now)).end, None);
        assert_eq!(limit.transform(piece(5, now)).end, None);
        let last = limit.transform(piece(5, now));
        assert_eq!(last.pieces.len(), 1);
        assert_eq!(last.pieces[0].data.len(), 1);
        assert_eq!(last.end, Some(Ending::Close));
    }

    #[test]
    fn exact_limit_closes_too() {
        let mut limit = LimitData::new(&LimitDataParams { bytes: 4 });
        let out = limit.transform(piece(4, Instant::now()));
        assert_eq!(out.pieces[0].data.len(), 4);
        assert_eq!(out.end, Some(Ending::Close));
    }

    #[test]
    fn zero_bytes_passes_nothing() {
        let mut limit = LimitData::new(&LimitDataParams { bytes: 0 });
        let out = limit.transform(piece(4, Instant::now()));
        assert!(out.pieces.is_empty());
        assert_eq!(out.end, Some(Ending::Close));
    }
}
