//! Helpers for the toxics' unit tests.

use std::time::Instant;

use bytes::Bytes;

use super::super::toxic::Piece;

/// A piece of `len` bytes (`b'x'`) due at `due`.
pub(crate) fn piece(len: usize, due: Instant) -> Piece {
    Piece { data: Bytes::from(vec![b'x'; len]), due }
}
