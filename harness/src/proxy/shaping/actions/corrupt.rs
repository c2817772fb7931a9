//! `corrupt`: one byte of the control line is replaced.

use super::super::{Effect, Frame};
use super::Act;

/// Replaces the control line's byte at an index (clamped to the line) with `~`: at 0 the verb
/// becomes one the peer does not know (`~UB`), which nats-server answers with
/// `-ERR 'Unknown Protocol Operation'`.
///
/// ```
/// use bytes::Bytes;
/// use natsfault::proxy::shaping::{Effect, Frame, actions::{Act, Corrupt}};
/// let frame = Frame::parse(Bytes::from_static(b"PUB a 2\r\nhi\r\n"));
/// let mut effect = Effect::default();
/// Corrupt(0).act(&frame, &mut effect);
/// assert_eq!(&effect.frames(&frame)[0][..], b"~UB a 2\r\nhi\r\n");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Corrupt(pub usize);

impl Act for Corrupt {
    fn act(&self, _: &Frame, effect: &mut Effect) {
        effect.corrupt_at = Some(self.0);
    }
}
