//! Splits one direction's bytes into whole frames, holding at most one partial frame.
//!
//! Written here rather than taken from a crate: no maintained crate parses the NATS protocol
//! incrementally for a proxy (async-nats' parser is private to its connection, and decodes
//! into its own message types rather than handing back the frame's bytes).

use bytes::{Bytes, BytesMut};

use super::frame::Frame;

/// The longest control line held whole; a longer one passes unframed.
const MAX_LINE: usize = 64 * 1024;
/// The largest frame held whole (control line and payload); a larger one passes unframed.
const MAX_FRAME: usize = 8 * 1024 * 1024;

/// What came out of the framer.
#[derive(Debug)]
pub(crate) enum Part {
    /// A whole frame a rule may act on.
    Frame(Frame),
    /// Bytes passed on unframed (a frame too long to hold), as they came.
    Opaque(Bytes),
}

/// The framer of one direction. While no rule is installed it holds nothing: a partial frame
/// passes on at once and the framer only keeps track of where the next frame begins, so that
/// a rule added later meets whole frames.
#[derive(Debug, Default)]
pub(crate) struct Framer {
    buf: BytesMut,
    /// Bytes of an unframed frame still to pass on as they come.
    passing: usize,
    /// An overlong control line is passing until its line end.
    passing_line: bool,
}

impl Framer {
    /// Feeds the next bytes; returns the whole frames (and unframed bytes) they complete. With
    /// `hold`, a partial frame waits for its end; without, it passes on unframed.
    pub(crate) fn push(&mut self, data: &[u8], hold: bool) -> Vec<Part> {
        let mut out = Vec::new();
        let mut data = data;
        while !data.is_empty() {
            if self.passing > 0 {
                let n = self.passing.min(data.len());
                out.push(Part::Opaque(Bytes::copy_from_slice(&data[..n])));
                self.passing -= n;
                data = &data[n..];
                continue;
            }
            if self.passing_line {
                let end = data.iter().position(|&b| b == b'\n').map_or(data.len(), |p| p + 1);
                out.push(Part::Opaque(Bytes::copy_from_slice(&data[..end])));
                self.passing_line = end == data.len() && data.last() != Some(&b'\n');
                data = &data[end..];
                continue;
            }
            self.buf.extend_from_slice(data);
            data = &[];
            self.drain(&mut out);
            if !hold && !self.buf.is_empty() {
                match self.buf.iter().position(|&b| b == b'\n') {
                    Some(nl) => self.passing = nl + 1 + payload_len(&self.buf[..nl]) - self.buf.len(),
                    None => self.passing_line = true,
                }
                out.push(Part::Opaque(self.buf.split().freeze()));
            }
        }
        out
    }

    /// Gives up framing: the bytes held so far, to pass on as they are.
    pub(crate) fn take_rest(&mut self) -> Option<Bytes> {
        (!self.buf.is_empty()).then(|| self.buf.split().freeze())
    }

    /// Takes every whole frame off the front of the buffer.
    fn drain(&mut self, out: &mut Vec<Part>) {
        loop {
            let Some(nl) = self.buf.iter().position(|&b| b == b'\n') else {
                if self.buf.len() > MAX_LINE {
                    out.push(Part::Opaque(self.buf.split().freeze()));
                    self.passing_line = true;
                }
                return;
            };
            let total = nl + 1 + payload_len(&self.buf[..nl]);
            if total > MAX_FRAME {
                let n = total.min(self.buf.len());
                out.push(Part::Opaque(self.buf.split_to(n).freeze()));
                self.passing = total - n;
                return;
            }
            if self.buf.len() < total {
                return;
            }
            out.push(Part::Frame(Frame::parse(self.buf.split_to(total).freeze())));
        }
    }
}

/// The bytes after the control line: the announced size and its line end, for the message
/// verbs of clients (`PUB`, `HPUB`, `MSG`, `HMSG`) and of the links between servers (`LMSG`,
/// `RMSG`, `HRMSG`, ...), whose last word is the size.
fn payload_len(line: &[u8]) -> usize {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let text = String::from_utf8_lossy(line);
    let op = text.split([' ', '\t']).next().unwrap_or_default().to_ascii_uppercase();
    if op.ends_with("MSG") || op.ends_with("PUB") {
        text.rsplit([' ', '\t']).next().and_then(|s| s.parse::<usize>().ok()).map_or(0, |s| s.saturating_add(2))
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(stream: &[u8], piece: usize) -> Vec<Vec<u8>> {
        let mut framer = Framer::default();
        let mut out = Vec::new();
        for chunk in stream.chunks(piece) {
            for part in framer.push(chunk, true) {
                match part {
                    Part::Frame(f) => out.push(f.bytes.to_vec()),
                    Part::Opaque(b) => out.push(b.to_vec()),
                }
            }
        }
        out
    }

    #[test]
    fn frames_split_anywhere_come_out_whole() {
        let stream = b"CONNECT {}\r\nPUB a 6\r\nPING\r\n\r\nHPUB b 12 14\r\nNATS/1.0\r\n\r\nhi\r\nPING\r\n";
        let expected: Vec<Vec<u8>> = vec![
            b"CONNECT {}\r\n".to_vec(),
            b"PUB a 6\r\nPING\r\n\r\n".to_vec(),
            b"HPUB b 12 14\r\nNATS/1.0\r\n\r\nhi\r\n".to_vec(),
            b"PING\r\n".to_vec(),
        ];
        for piece in 1..stream.len() {
            assert_eq!(frames(stream, piece), expected, "piece size {piece}");
        }
    }

    #[test]
    fn overlong_frames_pass_unframed_with_bounded_memory() {
        let mut stream = b"CONNECT ".to_vec();
        stream.extend(std::iter::repeat_n(b'x', 3 * MAX_LINE));
        stream.extend_from_slice(b"\r\nPING\r\n");
        let mut framer = Framer::default();
        let mut passed = 0;
        let mut whole = Vec::new();
        for chunk in stream.chunks(1000) {
            for part in framer.push(chunk, true) {
                match part {
                    Part::Frame(f) => whole.push(f.describe()),
                    Part::Opaque(b) => passed += b.len(),
                }
            }
            assert!(framer.buf.len() <= MAX_LINE + 1000);
        }
        assert_eq!(passed, stream.len() - 6);
        assert_eq!(whole, ["PING"]);

        let mut framer = Framer::default();
        let big = format!("PUB a {}\r\n", MAX_FRAME);
        let parts = framer.push(big.as_bytes(), true);
        assert!(matches!(&parts[..], [Part::Opaque(_)]));
        assert_eq!(framer.passing, MAX_FRAME + 2);
    }

    #[test]
    fn without_hold_partial_frames_pass_and_the_next_frame_is_whole() {
        let mut framer = Framer::default();
        let mut seen = Vec::new();
        for chunk in [&b"PUB a 5\r\nhe"[..], b"llo\r\nPI", b"NG\r\n", b"SUB b 1\r\n"] {
            for part in framer.push(chunk, false) {
                if let Part::Frame(f) = part {
                    seen.push(f.describe());
                }
            }
        }
        assert_eq!(seen, ["SUB b"], "partial frames passed unframed; the framer kept its place");
    }
}
