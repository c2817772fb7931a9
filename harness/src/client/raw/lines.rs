//! What a raw client received, cut into lines as it arrives.

use crate::observe::Timeline;

/// Bytes received so far that end in no line end yet, and where whole lines go.
pub(super) struct Lines {
    pending: String,
    received: Timeline<String>,
}

impl Lines {
    /// Lines pushed to `received`.
    pub(super) fn new(received: Timeline<String>) -> Lines {
        Lines { pending: String::new(), received }
    }

    /// Adds `bytes`, pushing every line they complete (without its `\r\n`).
    pub(super) fn push(&mut self, bytes: &[u8]) {
        self.pending.push_str(&String::from_utf8_lossy(bytes));
        while let Some(i) = self.pending.find("\r\n") {
            let line: String = self.pending.drain(..i + 2).collect();
            self.received.push(line.trim_end().to_string());
        }
    }

    /// The connection closed: what is pending, then `<closed>`.
    pub(super) fn close(mut self) {
        if !self.pending.is_empty() {
            self.received.push(std::mem::take(&mut self.pending));
        }
        self.received.push("<closed>".into());
    }
}
