//! `disconnect`: the connection closes instead of forwarding the frame.

use super::super::{Effect, Frame};
use super::Act;

/// Closes both sides of the connection (FIN, no `-ERR`) where the frame would have gone; frames
/// injected by rules before it are still written first.
///
/// ```
/// use bytes::Bytes;
/// use natsfault::proxy::shaping::{Effect, Frame, actions::{Act, Disconnect}};
/// let frame = Frame::parse(Bytes::from_static(b"CONNECT {}\r\n"));
/// let mut effect = Effect::default();
/// Disconnect.act(&frame, &mut effect);
/// assert!(effect.disconnect && effect.frames(&frame).is_empty());
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Disconnect;

impl Act for Disconnect {
    fn act(&self, _: &Frame, effect: &mut Effect) {
        effect.disconnect = true;
    }
}
