//! What the rules that fired on one frame make of it, gathered before any byte moves.

use std::time::Duration;

use bytes::{Bytes, BytesMut};

use super::frame::Frame;

/// The combined effect of every rule that fired on one frame, in the order they were added.
///
/// ```
/// use bytes::Bytes;
/// use natsfault::proxy::shaping::{Effect, Frame};
/// let frame = Frame::parse(Bytes::from_static(b"PONG\r\n"));
/// let mut effect = Effect::default();
/// effect.copies = 2;
/// effect.before.push(Bytes::from_static(b"PING\r\n"));
/// let out: Vec<Bytes> = effect.frames(&frame);
/// assert_eq!(out, [&b"PING\r\n"[..], b"PONG\r\n", b"PONG\r\n"]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Effect {
    /// Frames injected before the matched one.
    pub before: Vec<Bytes>,
    /// How many times the frame is forwarded: 0 dropped, 1 as is, 2 duplicated.
    pub copies: usize,
    /// How much later the frame (and the injected ones) are forwarded.
    pub delay: Duration,
    /// The control-line byte replaced, if one is.
    pub corrupt_at: Option<usize>,
    /// Close the connection after the injected frames, instead of forwarding the frame.
    pub disconnect: bool,
}

impl Default for Effect {
    fn default() -> Self {
        Effect { before: Vec::new(), copies: 1, delay: Duration::ZERO, corrupt_at: None, disconnect: false }
    }
}

/// The byte a `corrupt` action writes in place of the original.
pub const CORRUPT_BYTE: u8 = b'~';

impl Effect {
    /// The bytes to forward, in order.
    pub fn frames(&self, frame: &Frame) -> Vec<Bytes> {
        let mut out = self.before.clone();
        if self.disconnect {
            return out;
        }
        let bytes = match self.corrupt_at {
            Some(at) if frame.line_len > 0 => {
                let mut b = BytesMut::from(&frame.bytes[..]);
                b[at.min(frame.line_len - 1)] = CORRUPT_BYTE;
                b.freeze()
            }
            _ => frame.bytes.clone(),
        };
        out.extend(std::iter::repeat_n(bytes, self.copies));
        out
    }
}
