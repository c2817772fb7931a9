//! A bounded scanner of NATS protocol lines, fed the bytes of one direction.

/// Longest protocol line kept; longer ones are skipped up to their newline.
const MAX_LINE: usize = 64 * 1024;

/// A protocol line of interest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Sighting {
    /// `CONNECT {json}`, with the JSON's `name`.
    Connect { name: Option<String> },
    /// `INFO {json}`.
    Info,
    /// `-ERR '<text>'`, quotes removed.
    Err(String),
    /// `PING`.
    Ping,
    /// `PONG`.
    Pong,
    /// A client operation on a subject: `PUB`/`HPUB` (as `PUB`) or `SUB`.
    Op {
        /// `PUB` or `SUB`.
        verb: &'static str,
        /// Its subject.
        subject: String,
    },
}

/// Splits a byte stream into lines, skipping message payloads by their
/// announced size, without ever buffering more than [`MAX_LINE`] bytes.
#[derive(Debug, Default)]
pub(crate) struct Scanner {
    line: Vec<u8>,
    /// Payload bytes (plus CRLF) still to skip.
    skip: usize,
    /// The current line overflowed; drop bytes until its newline.
    discarding: bool,
}

impl Scanner {
    /// Feeds the next bytes, appending what was seen to `out`.
    pub(crate) fn feed(&mut self, mut data: &[u8], out: &mut Vec<Sighting>) {
        while !data.is_empty() {
            if self.skip > 0 {
                let n = self.skip.min(data.len());
                self.skip -= n;
                data = &data[n..];
                continue;
            }
            let Some(newline) = data.iter().position(|&b| b == b'\n') else {
                self.push_partial(data);
                return;
            };
            let (head, rest) = data.split_at(newline);
            data = &rest[1..];
            if std::mem::take(&mut self.discarding) {
                self.line.clear();
                continue;
            }
            self.push_partial(head);
            if self.discarding {
                self.discarding = false;
                self.line.clear();
                continue;
            }
            let line = std::mem::take(&mut self.line);
            self.line_done(&line, out);
            self.line = line;
            self.line.clear();
        }
    }

    /// Whether everything fed so far ended at a line boundary (not inside a line or payload), so
    /// a line of the proxy's own can be inserted here.
    pub(crate) fn at_boundary(&self) -> bool {
        self.line.is_empty() && self.skip == 0 && !self.discarding
    }

    fn push_partial(&mut self, bytes: &[u8]) {
        if self.discarding {
            return;
        }
        if self.line.len() + bytes.len() > MAX_LINE {
            self.line.clear();
            self.discarding = true;
        } else {
            self.line.extend_from_slice(bytes);
        }
    }

    fn line_done(&mut self, line: &[u8], out: &mut Vec<Sighting>) {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let line = String::from_utf8_lossy(line);
        let (op, args) = match line.split_once([' ', '\t']) {
            Some((op, args)) => (op, args.trim()),
            None => (line.trim(), ""),
        };
        match op.to_ascii_uppercase().as_str() {
            verb @ ("PUB" | "HPUB" | "MSG" | "HMSG") => {
                let size = args.rsplit([' ', '\t']).next().and_then(|s| s.parse::<usize>().ok());
                self.skip = size.map_or(0, |s| s.saturating_add(2));
                if verb.ends_with("PUB")
                    && let Some(subject) = args.split([' ', '\t']).next()
                {
                    out.push(Sighting::Op { verb: "PUB", subject: subject.to_owned() });
                }
            }
            "SUB" => {
                if let Some(subject) = args.split([' ', '\t']).next() {
                    out.push(Sighting::Op { verb: "SUB", subject: subject.to_owned() });
                }
            }
            "CONNECT" => out.push(Sighting::Connect { name: connect_name(args) }),
            "INFO" => out.push(Sighting::Info),
            "-ERR" => out.push(Sighting::Err(unquote(args).to_owned())),
            "PING" => out.push(Sighting::Ping),
            "PONG" => out.push(Sighting::Pong),
            _ => {}
        }
    }
}

fn connect_name(json: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Connect {
        name: Option<String>,
    }
    serde_json::from_str::<Connect>(json).ok().and_then(|c| c.name)
}

fn unquote(text: &str) -> &str {
    text.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')).unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan_in_pieces(data: &[u8], piece: usize) -> Vec<Sighting> {
        let mut scanner = Scanner::default();
        let mut out = Vec::new();
        for chunk in data.chunks(piece) {
            scanner.feed(chunk, &mut out);
        }
        out
    }

    #[test]
    fn lines_split_anywhere_give_the_same_sightings() {
        let stream = b"CONNECT {\"name\":\"c1\",\"verbose\":false}\r\nPUB a 6\r\nPING\r\n\r\nPING\r\nHPUB b 12 14\r\nNATS/1.0\r\n\r\nhi\r\nping\r\n";
        let expected = vec![
            Sighting::Connect { name: Some("c1".into()) },
            Sighting::Op { verb: "PUB", subject: "a".into() },
            Sighting::Ping,
            Sighting::Op { verb: "PUB", subject: "b".into() },
            Sighting::Ping,
        ];
        for piece in 1..stream.len() {
            assert_eq!(scan_in_pieces(stream, piece), expected, "piece size {piece}");
        }
    }

    #[test]
    fn server_lines_are_recognised() {
        let stream = b"INFO {\"server_id\":\"x\"}\r\nMSG a 1 3\r\n-ER\r\n-ERR 'Permissions Violation for Publish to \"x.y\"'\r\nPONG\r\n+OK\r\n";
        assert_eq!(
            scan_in_pieces(stream, 3),
            vec![Sighting::Info, Sighting::Err("Permissions Violation for Publish to \"x.y\"".into()), Sighting::Pong]
        );
    }

    #[test]
    fn overlong_lines_are_skipped_with_bounded_memory() {
        let mut stream = b"CONNECT ".to_vec();
        stream.extend(std::iter::repeat_n(b'x', 3 * MAX_LINE));
        stream.extend_from_slice(b"\r\nPING\r\n");
        let mut scanner = Scanner::default();
        let mut out = Vec::new();
        for chunk in stream.chunks(1000) {
            scanner.feed(chunk, &mut out);
            assert!(scanner.line.len() <= MAX_LINE);
        }
        assert_eq!(out, vec![Sighting::Ping]);
    }

    #[test]
    fn connect_without_name_or_bad_json_is_still_seen() {
        assert_eq!(
            scan_in_pieces(b"CONNECT {}\r\nCONNECT nope\r\n", 100),
            vec![Sighting::Connect { name: None }, Sighting::Connect { name: None }]
        );
    }
}
