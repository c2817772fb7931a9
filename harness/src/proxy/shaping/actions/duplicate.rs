//! `duplicate`: the frame is forwarded twice.

use super::super::{Effect, Frame};
use super::Act;

/// Forwards the frame twice, back to back (a retransmission a broken middlebox replays).
///
/// ```
/// use bytes::Bytes;
/// use natsfault::proxy::shaping::{Effect, Frame, actions::{Act, Duplicate}};
/// let frame = Frame::parse(Bytes::from_static(b"MSG a 1 2\r\nhi\r\n"));
/// let mut effect = Effect::default();
/// Duplicate.act(&frame, &mut effect);
/// assert_eq!(effect.frames(&frame).len(), 2);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Duplicate;

impl Act for Duplicate {
    fn act(&self, _: &Frame, effect: &mut Effect) {
        if effect.copies > 0 {
            effect.copies += 1;
        }
    }
}
