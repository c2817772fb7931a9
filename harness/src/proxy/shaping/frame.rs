//! One whole protocol frame: its control line and, for the message verbs, its payload.

use bytes::Bytes;

use super::verb::Verb;

/// A frame as a rule sees it.
///
/// ```
/// use bytes::Bytes;
/// use natsfault::proxy::shaping::{Frame, Verb};
/// let f = Frame::parse(Bytes::from_static(b"PUB orders.new _INBOX.1 5\r\nhello\r\n"));
/// assert_eq!(f.verb, Some(Verb::Pub));
/// assert_eq!(f.subject.as_deref(), Some("orders.new"));
/// assert_eq!(f.reply.as_deref(), Some("_INBOX.1"));
/// assert_eq!(f.describe(), "PUB orders.new");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// Every byte of the frame, line ends included.
    pub bytes: Bytes,
    /// Its verb; `None` for a line no rule can name (or bytes passed through unframed).
    pub verb: Option<Verb>,
    /// The subject, for the verbs that have one.
    pub subject: Option<String>,
    /// The reply subject, when the control line names one.
    pub reply: Option<String>,
    /// The header block (`NATS/1.0\r\nKey: Value\r\n\r\n`) of `HPUB` and `HMSG`.
    pub headers: Option<String>,
    /// The `-ERR` text without its quotes.
    pub err: Option<String>,
    /// Length of the control line without its line end.
    pub line_len: usize,
}

impl Frame {
    /// Reads a complete frame (`bytes` holds exactly one, line end and payload included).
    pub fn parse(bytes: Bytes) -> Frame {
        let line_end = bytes.iter().position(|&b| b == b'\n').unwrap_or(bytes.len());
        let line = &bytes[..line_end];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let line_len = line.len();
        let text = String::from_utf8_lossy(line);
        let (op, args) = match text.split_once([' ', '\t']) {
            Some((op, args)) => (op, args.trim()),
            None => (text.trim(), ""),
        };
        let verb: Option<Verb> = op.parse().ok();
        let words: Vec<&str> = args.split([' ', '\t']).filter(|w| !w.is_empty()).collect();
        let subject = verb.filter(|v| v.has_subject()).and_then(|_| words.first().map(|s| s.to_string()));
        // The reply is the word before the size (or the two sizes with headers), after the
        // subject, and after the sid for MSG and HMSG.
        let reply = verb.filter(|v| v.has_reply()).and_then(|v| {
            let fixed = match v {
                Verb::Pub => 2,
                Verb::Hpub => 3,
                Verb::Msg => 3,
                _ => 4,
            };
            (words.len() > fixed).then(|| words[words.len() - if v.has_headers() { 3 } else { 2 }].to_string())
        });
        let headers = verb.filter(|v| v.has_headers()).and_then(|_| {
            let size: usize = words.get(words.len().checked_sub(2)?)?.parse().ok()?;
            let start = (line_end + 1).min(bytes.len());
            let end = (start + size).min(bytes.len());
            Some(String::from_utf8_lossy(&bytes[start..end]).into_owned())
        });
        let err = (verb == Some(Verb::Err))
            .then(|| args.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')).unwrap_or(args).to_string());
        Frame { bytes, verb, subject, reply, headers, err, line_len }
    }

    /// Bytes passed on as they are (a frame too long to hold, or no frame at all).
    pub fn opaque(bytes: Bytes) -> Frame {
        Frame { bytes, verb: None, subject: None, reply: None, headers: None, err: None, line_len: 0 }
    }

    /// The frame as reports show it: the verb and its subject (`PUB orders.new`), the `-ERR`
    /// text; never a payload or a `CONNECT`'s JSON, which may hold credentials.
    pub fn describe(&self) -> String {
        match (self.verb, &self.subject, &self.err) {
            (Some(v), Some(s), _) => format!("{v} {s}"),
            (Some(v), None, Some(e)) => format!("{v} '{e}'"),
            (Some(v), None, None) => v.to_string(),
            (None, _, _) => format!("{} bytes", self.bytes.len()),
        }
    }

    /// Whether the header block has a header `name` (any case), with `value` when given.
    pub fn has_header(&self, name: &str, value: Option<&str>) -> bool {
        let Some(block) = &self.headers else { return false };
        block.lines().skip(1).filter_map(|l| l.split_once(':')).any(|(k, v)| {
            k.trim().eq_ignore_ascii_case(name.trim()) && value.is_none_or(|want| v.trim() == want.trim())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(s: &'static str) -> Frame {
        Frame::parse(Bytes::from_static(s.as_bytes()))
    }

    #[test]
    fn subjects_and_replies_of_every_message_verb() {
        let cases = [
            ("PUB a 2\r\nhi\r\n", "a", None),
            ("PUB a r 2\r\nhi\r\n", "a", Some("r")),
            ("HPUB a 12 14\r\nNATS/1.0\r\n\r\nhi\r\n", "a", None),
            ("HPUB a r 12 14\r\nNATS/1.0\r\n\r\nhi\r\n", "a", Some("r")),
            ("MSG a 1 2\r\nhi\r\n", "a", None),
            ("MSG a 1 r 2\r\nhi\r\n", "a", Some("r")),
            ("HMSG a 1 12 14\r\nNATS/1.0\r\n\r\nhi\r\n", "a", None),
            ("HMSG a 1 r 12 14\r\nNATS/1.0\r\n\r\nhi\r\n", "a", Some("r")),
            ("SUB a q 1\r\n", "a", None),
        ];
        for (text, subject, reply) in cases {
            let f = frame(text);
            assert_eq!(f.subject.as_deref(), Some(subject), "{text}");
            assert_eq!(f.reply.as_deref(), reply, "{text}");
        }
    }

    #[test]
    fn headers_errs_and_descriptions() {
        let f = frame("HPUB a 32 34\r\nNATS/1.0\r\nNats-Msg-Id: 7\r\n\r\nhi\r\n");
        assert!(f.has_header("nats-msg-id", None));
        assert!(f.has_header("Nats-Msg-Id", Some("7")));
        assert!(!f.has_header("Nats-Msg-Id", Some("8")));
        let e = frame("-ERR 'Authorization Violation'\r\n");
        assert_eq!(e.err.as_deref(), Some("Authorization Violation"));
        assert_eq!(e.describe(), "-ERR 'Authorization Violation'");
        assert_eq!(frame("CONNECT {\"pass\":\"s3cret\"}\r\n").describe(), "CONNECT");
        assert_eq!(frame("ping\r\n").verb, Some(Verb::Ping));
        assert_eq!(frame("+OK\r\n").verb, Some(Verb::Ok));
        assert_eq!(frame("LS+ a\r\n").verb, None);
    }
}
