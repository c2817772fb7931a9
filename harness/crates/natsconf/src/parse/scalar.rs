//! Strings: single-quoted, double-quoted with escapes, `( ... )` blocks, and unquoted text
//! (which may turn out to be a boolean or a `$variable`).

use super::state::FileParser;
use crate::error::{ConfError, ConfErrorKind, Hint};
use crate::key::key_is;
use crate::location::Pos;
use crate::value::{Node, Value};

const BOOL_WORDS: [(&str, bool); 6] =
    [("true", true), ("yes", true), ("on", true), ("false", false), ("no", false), ("off", false)];

impl FileParser<'_, '_, '_> {
    /// `'text'`: no escapes, may span lines.
    pub(super) fn single_quoted(&mut self) -> Result<Node, ConfError> {
        let at = self.cur.here();
        self.cur.bump();
        let start = self.cur.offset();
        loop {
            match self.cur.peek() {
                None => return Err(self.string_eof(at, "a closing `'`")),
                Some('\'') => break,
                Some(_) => {
                    self.cur.bump();
                }
            }
        }
        let text = self.cur.since(start).to_string();
        self.cur.bump();
        Ok(Node { value: Value::String(text), at })
    }

    /// `"text"`: escapes `\t \n \r \" \\ \xHH`, may span lines.
    pub(super) fn double_quoted(&mut self) -> Result<Node, ConfError> {
        let at = self.cur.here();
        self.cur.bump();
        let mut text = String::new();
        loop {
            match self.cur.peek() {
                None => return Err(self.string_eof(at, "a closing `\"`")),
                Some('"') => {
                    self.cur.bump();
                    return Ok(Node { value: Value::String(text), at });
                }
                Some('\\') => self.escape(&mut text)?,
                Some(c) => {
                    self.cur.bump();
                    text.push(c);
                }
            }
        }
    }

    /// An escape; the cursor is on the backslash.
    pub(super) fn escape(&mut self, text: &mut String) -> Result<(), ConfError> {
        let at = self.cur.here();
        self.cur.bump();
        let c = match self.cur.bump() {
            Some('t') => '\t',
            Some('n') => '\n',
            Some('r') => '\r',
            Some('"') => '"',
            Some('\\') => '\\',
            Some('x') => return self.hex_escape(at, text),
            None => return Err(self.string_eof(at, "an escape character after `\\`")),
            Some(other) => {
                let found = self.shown(&other.to_string());
                return Err(self.err(at, ConfErrorKind::InvalidEscape { found }));
            }
        };
        text.push(c);
        Ok(())
    }

    /// `\xHH`; the two characters must not end the line.
    fn hex_escape(&mut self, at: Pos, text: &mut String) -> Result<(), ConfError> {
        let mut digits = String::new();
        for _ in 0..2 {
            match self.cur.peek() {
                None | Some('\n' | '\r') => {
                    let found = self.shown(&digits);
                    return Err(self.err(at, ConfErrorKind::InvalidHexEscape { found }));
                }
                Some(c) => {
                    self.cur.bump();
                    digits.push(c);
                }
            }
        }
        match u8::from_str_radix(&digits, 16) {
            // nats-server keeps the raw byte; above 0x7f it is read here as Latin-1.
            Ok(byte) if digits.chars().all(|c| c.is_ascii_hexdigit()) => {
                text.push(char::from(byte));
                Ok(())
            }
            _ => {
                let found = self.shown(&digits);
                Err(self.err(at, ConfErrorKind::InvalidHexEscape { found }))
            }
        }
    }

    /// `( ... )`: everything up to a `)` alone at the start of a line.
    pub(super) fn block_string(&mut self) -> Result<Node, ConfError> {
        let at = self.cur.here();
        self.cur.bump();
        let start = self.cur.offset();
        loop {
            let before = self.cur.offset();
            match self.cur.bump() {
                None => {
                    return Err(self.err_here(ConfErrorKind::UnexpectedEof {
                        inside: format!("inside the block string opened at {}", Self::short(at)),
                        expected: "a line holding only `)`",
                        hint: Hint(Some("the closing `)` must be the first character of its line".into())),
                    }));
                }
                Some(')') if before > start && self.cur.char_before(before) == Some('\n') => {
                    match self.cur.peek() {
                        Some('\n') => {
                            let text = self.cur.since(start);
                            let text = text.get(..text.len().saturating_sub(1)).unwrap_or("").to_string();
                            return Ok(Node { value: Value::String(text), at });
                        }
                        // At the end of the file nats-server keeps the `)` in the string.
                        None => return Ok(Node { value: Value::String(self.cur.since(start).to_string()), at }),
                        Some(_) => {}
                    }
                }
                Some(_) => {}
            }
        }
    }

    /// Unquoted text up to a blank, new line, `,`, `;`, `]` or `}`.
    pub(super) fn unquoted(&mut self) -> Result<Node, ConfError> {
        let at = self.cur.here();
        let mut text = String::new();
        let (escaped, quote_ended) = self.scan_unquoted(&mut text)?;
        if escaped || quote_ended {
            return Ok(Node { value: Value::String(text), at });
        }
        if let Some((_, value)) = BOOL_WORDS.iter().find(|(word, _)| key_is(&text, word)) {
            return Ok(Node { value: Value::Bool { value: *value, raw: text }, at });
        }
        if let Some(name) = text.strip_prefix('$') {
            let name = name.to_string();
            return self.variable(&name, at);
        }
        Ok(Node { value: Value::String(text), at })
    }

    /// Appends unquoted text to `text`; returns (had escapes, ended by a `'`).
    pub(super) fn scan_unquoted(&mut self, text: &mut String) -> Result<(bool, bool), ConfError> {
        let mut escaped = false;
        loop {
            match self.cur.peek() {
                None | Some('\n' | '\r' | ';' | ',' | ']' | '}' | ' ' | '\t') => return Ok((escaped, false)),
                // nats-server ends unquoted text at a single quote and drops the quote.
                Some('\'') => {
                    self.cur.bump();
                    return Ok((escaped, true));
                }
                Some('\\') => {
                    escaped = true;
                    self.escape(text)?;
                }
                Some(c) => {
                    self.cur.bump();
                    text.push(c);
                }
            }
        }
    }

    fn string_eof(&self, open: Pos, expected: &'static str) -> ConfError {
        self.err_here(ConfErrorKind::UnexpectedEof {
            inside: format!("inside the string that starts at {}", Self::short(open)),
            expected,
            hint: Hint(None),
        })
    }
}
