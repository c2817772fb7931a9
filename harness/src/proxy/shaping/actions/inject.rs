//! `inject`: a frame the peer never sent is forwarded before the matched one.

use bytes::Bytes;

use super::super::{Effect, Frame};
use super::Act;

/// Writes a frame of its own (a line end added when missing) ahead of the matched frame, in the
/// same direction: an `-ERR 'Authorization Violation'` the server never sent, a `PING`, ...
///
/// ```
/// use bytes::Bytes;
/// use natsfault::proxy::shaping::{Effect, Frame, actions::{Act, Inject}};
/// let frame = Frame::parse(Bytes::from_static(b"PONG\r\n"));
/// let mut effect = Effect::default();
/// Inject("-ERR 'Authorization Violation'".into()).act(&frame, &mut effect);
/// assert_eq!(&effect.frames(&frame)[0][..], b"-ERR 'Authorization Violation'\r\n");
/// ```
#[derive(Debug, Clone)]
pub struct Inject(pub String);

impl Act for Inject {
    fn act(&self, _: &Frame, effect: &mut Effect) {
        let mut text = self.0.clone();
        if !text.ends_with('\n') {
            text.push_str("\r\n");
        }
        effect.before.push(Bytes::from(text));
    }
}
