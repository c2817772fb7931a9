//! `drop`: the frame is not forwarded.

use super::super::{Effect, Frame};
use super::Act;

/// Drops the frame: the peer never sees it, as if the network lost it.
///
/// ```
/// use bytes::Bytes;
/// use natsfault::proxy::shaping::{Effect, Frame, actions::{Act, Drop}};
/// let frame = Frame::parse(Bytes::from_static(b"PONG\r\n"));
/// let mut effect = Effect::default();
/// Drop.act(&frame, &mut effect);
/// assert!(effect.frames(&frame).is_empty());
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Drop;

impl Act for Drop {
    fn act(&self, _: &Frame, effect: &mut Effect) {
        effect.copies = 0;
    }
}
