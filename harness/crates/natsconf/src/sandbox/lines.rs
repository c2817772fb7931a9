//! Where each line of a rewritten file came from: nats-server names positions in the file it
//! was given (`nats.conf:LINE:COL`), and the customer needs them in their own files.

use crate::config::Config;
use crate::location::{Location, Pos};

/// One key or array item of a rewritten file and where it is in the customer's files.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Span {
    line: u32,
    column: u32,
    source: Location,
}

/// The positions of a rewritten file mapped back to the customer's files.
///
/// ```
/// use natsfault_natsconf::{Config, ParseOptions, SandboxOptions, sandbox};
/// let text = "port: 4222\n\n# users\nauthorization {\n  token: x\n  timeout: \"zz\"\n}\n";
/// let config = Config::parse_str(text, "/etc/nats/nats.conf", &ParseOptions::default())?;
/// let plan = sandbox(&config, &SandboxOptions::new("/tmp/sbx"))?;
/// let main = &plan.config_files[0];
/// // `port` is gone and a header line was added: `timeout` moved from line 6 to line 4.
/// assert_eq!(main.text.lines().nth(3), Some("  timeout: \"zz\""));
/// assert_eq!(main.lines.source(4, 3).unwrap().to_string(), "/etc/nats/nats.conf:6:3");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LineMap {
    spans: Vec<Span>,
}

impl LineMap {
    /// Builds the map of `text` from byte offsets where keys and items start.
    pub(crate) fn new(config: &Config, text: &str, offsets: &[(usize, Pos)]) -> LineMap {
        let mut spans = Vec::with_capacity(offsets.len());
        let (mut line, mut column) = (1u32, 1u32);
        let mut chars = text.char_indices().peekable();
        for (offset, pos) in offsets {
            while let Some((i, c)) = chars.peek().copied() {
                if i >= *offset {
                    break;
                }
                chars.next();
                if c == '\n' {
                    line += 1;
                    column = 1;
                } else {
                    column += 1;
                }
            }
            spans.push(Span { line, column, source: config.location(*pos) });
        }
        LineMap { spans }
    }

    /// Where the rewritten `line` and `column` (1-based) came from: the key or item that
    /// starts at or before the column on that line (the first one on it when the column is
    /// before all), or `None` for a line without one (a closing brace, the header).
    ///
    /// ```
    /// use natsfault_natsconf::LineMap;
    /// assert!(LineMap::default().source(1, 1).is_none());
    /// ```
    pub fn source(&self, line: u32, column: u32) -> Option<&Location> {
        let on_line: Vec<&Span> = self.spans.iter().filter(|s| s.line == line).collect();
        on_line.iter().rev().find(|s| s.column <= column).or(on_line.first()).map(|s| &s.source)
    }
}
