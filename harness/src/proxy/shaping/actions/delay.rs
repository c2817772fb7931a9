//! `delay`: the frame is forwarded later; frames behind it wait, as on a TCP stream.

use std::time::Duration;

use super::super::{Effect, Frame};
use super::Act;

/// Holds the frame back for its duration. What follows it on the same direction waits behind
/// it (bytes of one direction stay in order), so a delayed `INFO` also delays the server's
/// `-ERR` that follows.
///
/// ```
/// use std::time::Duration;
/// use bytes::Bytes;
/// use natsfault::proxy::shaping::{Effect, Frame, actions::{Act, Delay}};
/// let frame = Frame::parse(Bytes::from_static(b"INFO {}\r\n"));
/// let mut effect = Effect::default();
/// Delay(Duration::from_secs(2)).act(&frame, &mut effect);
/// assert_eq!(effect.delay, Duration::from_secs(2));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Delay(pub Duration);

impl Act for Delay {
    fn act(&self, _: &Frame, effect: &mut Effect) {
        effect.delay = effect.delay.max(self.0);
    }
}
