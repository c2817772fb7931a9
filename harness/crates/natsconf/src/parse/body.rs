//! The top level of a file, anonymous `{ ... }` blocks around it, and `key: value` entries.

use super::cursor::show_char;
use super::state::{FileParser, is_secret_key, shown_key};
use crate::error::{ConfError, ConfErrorKind, Hint};
use crate::key::key_is;
use crate::location::Pos;
use crate::value::{Entry, Map, Node, Pair, Value};

/// Where an entry stands: which rules end its key and its value.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Body {
    /// The top level of a file, or an anonymous block around it.
    Top,
    /// Inside a `{ ... }` map value.
    Map,
}

impl FileParser<'_, '_, '_> {
    /// Parses the whole text as a file's top-level map.
    pub(super) fn parse_document(&mut self) -> Result<Map, ConfError> {
        let mut map = Map::default();
        self.top_entries(&mut map, None)?;
        Ok(map)
    }

    /// Entries at the top level, or inside an anonymous block opened at `block` (which, like
    /// nats-server, may stay open at the end of the file).
    fn top_entries(&mut self, map: &mut Map, block: Option<Pos>) -> Result<(), ConfError> {
        loop {
            self.cur.eat_whitespace();
            match self.cur.peek() {
                // nats-server accepts a file that ends inside an anonymous top-level block.
                None => return Ok(()),
                // ... and a lone quote at the very end, where a key would start.
                Some('"' | '\'') if self.cur.peek2().is_none() => {
                    self.cur.bump();
                    return Ok(());
                }
                Some('#') => self.cur.skip_comment(),
                Some('/') if self.cur.at_comment() => self.cur.skip_comment(),
                Some('/') => return Err(self.unexpected("where a key should start", "a key or a comment", None)),
                Some('{') => {
                    let open = self.cur.here();
                    self.cur.bump();
                    self.top_entries(map, Some(open))?;
                }
                Some('}') if block.is_some() => {
                    self.cur.bump();
                    return Ok(());
                }
                Some('}') => {
                    // nats-server accepts one stray closing brace at the very end (JSON-like files).
                    let at = self.cur.here();
                    self.cur.bump();
                    if self.cur.only_trivia_left() {
                        return Ok(());
                    }
                    return Err(self.err(
                        at,
                        ConfErrorKind::UnexpectedChar {
                            found: "}".into(),
                            context: "at the top level".into(),
                            expected: "a key; a closing brace is only accepted as the last thing in the file",
                            hint: Hint(None),
                        },
                    ));
                }
                Some(_) => {
                    let key = self.entry(map, Body::Top)?;
                    self.top_value_end(&key, last_value(map), block.is_some())?;
                }
            }
        }
    }

    /// After a top-level value: blanks, then a comment, new line, `;`, `,` or `}`.
    fn top_value_end(&mut self, key: &str, value: Option<&Node>, in_block: bool) -> Result<(), ConfError> {
        loop {
            match self.cur.peek() {
                Some(' ' | '\t') => {
                    self.cur.bump();
                }
                Some('#') => {
                    self.cur.skip_comment();
                    return Ok(());
                }
                Some('/') if self.cur.at_comment() => {
                    self.cur.skip_comment();
                    return Ok(());
                }
                // nats-server skips a lone `/` here like a blank.
                Some('/') => {
                    self.cur.bump();
                }
                None if in_block => {
                    return Err(self.err_here(ConfErrorKind::UnexpectedEof {
                        inside: format!("after the value of `{}` inside a top-level block", shown_key(key)),
                        expected: "a new line or `}`",
                        hint: Hint(None),
                    }));
                }
                None => return Ok(()),
                Some('\n' | '\r' | ';' | ',') => {
                    self.cur.bump();
                    return Ok(());
                }
                Some('}') if in_block => return Ok(()),
                Some('}') => {
                    self.cur.bump();
                    return Ok(());
                }
                Some(c) => {
                    let hint = value_end_hint(value, c);
                    return Err(self.unexpected_after(key, "a new line, `;`, `,` or a comment", hint));
                }
            }
        }
    }

    /// After a value inside a map: blanks, then a comment, new line, `;`, `,` or `}`.
    /// Returns true when the map closed.
    pub(super) fn map_value_end(&mut self, key: &str, value: Option<&Node>, open: Pos) -> Result<bool, ConfError> {
        loop {
            match self.cur.peek() {
                Some(' ' | '\t') => {
                    self.cur.bump();
                }
                Some('#') => self.cur.skip_comment(),
                Some('/') if self.cur.at_comment() => self.cur.skip_comment(),
                // nats-server takes a lone `/` here for a separator.
                Some('\n' | '\r' | ';' | ',' | '/') => {
                    self.cur.bump();
                    return Ok(false);
                }
                Some('}') => {
                    self.cur.bump();
                    return Ok(true);
                }
                None => {
                    return Err(self.err_here(ConfErrorKind::UnexpectedEof {
                        inside: format!("inside the map opened at {}", Self::short(open)),
                        expected: "`}`",
                        hint: Hint(None),
                    }));
                }
                Some(c) => {
                    let hint = value_end_hint(value, c);
                    return Err(self.unexpected_after(key, "a new line, `,`, `;`, `}` or a comment", hint));
                }
            }
        }
    }

    /// One `key: value` or `include path`, added to `map`. Returns the key (or `include`).
    pub(super) fn entry(&mut self, map: &mut Map, body: Body) -> Result<String, ConfError> {
        let key_at = self.cur.here();
        let (key, quoted) = self.key(body)?;
        let ended_by_space = self.cur.peek().is_some_and(char::is_whitespace);
        if !quoted && ended_by_space && key_is(&key, "include") {
            let include = self.include()?;
            map.entries.push(Entry::Include(include));
            return Ok(key);
        }
        self.keys.push(key.clone());
        let value = self.key_value(&key, body);
        self.keys.pop();
        let value = value?;
        self.bind(key.clone(), key_at, value.clone());
        map.entries.push(Entry::Pair(Pair { key: key.clone(), key_at, value }));
        Ok(key)
    }

    /// The text between quote `q` (at the cursor) and the next `q`, without escapes, the cursor
    /// left after the closing quote; `what` names it in the error at the end of the file.
    pub(super) fn raw_quoted(&mut self, q: char, what: &str) -> Result<String, ConfError> {
        let open = self.cur.here();
        self.cur.bump();
        let start = self.cur.offset();
        loop {
            match self.cur.peek() {
                None => {
                    return Err(self.err_here(ConfErrorKind::UnexpectedEof {
                        inside: format!("inside {what} that starts at {}", Self::short(open)),
                        expected: "the closing quote",
                        hint: Hint(None),
                    }));
                }
                Some(c) if c == q => break,
                Some(_) => {
                    self.cur.bump();
                }
            }
        }
        let text = self.cur.since(start).to_string();
        self.cur.bump();
        Ok(text)
    }

    /// A key: quoted (no escapes) or a run of characters up to whitespace, `=` or `:`.
    fn key(&mut self, body: Body) -> Result<(String, bool), ConfError> {
        match self.cur.peek() {
            Some('=' | ':') => Err(self.unexpected("where a key should start", "a key before the separator", None)),
            Some(']') if body == Body::Map => Err(self.unexpected("inside a map", "a key or `}`", None)),
            Some(q @ ('"' | '\'')) => Ok((self.raw_quoted(q, "the quoted key")?, true)),
            _ => {
                let start = self.cur.offset();
                while let Some(c) = self.cur.peek() {
                    if c.is_whitespace() || c == '=' || c == ':' {
                        break;
                    }
                    self.cur.bump();
                }
                if body == Body::Map && self.cur.peek().is_none() {
                    return Err(self.err_here(ConfErrorKind::UnexpectedEof {
                        inside: "inside a map key".into(),
                        expected: "the key's value and `}`",
                        hint: Hint(None),
                    }));
                }
                Ok((self.cur.since(start).to_string(), false))
            }
        }
    }

    /// What follows a key: optional separator, then the value.
    fn key_value(&mut self, key: &str, body: Body) -> Result<Node, ConfError> {
        self.cur.eat_whitespace();
        let sep = matches!(self.cur.peek(), Some('=' | ':'));
        if sep {
            self.cur.bump();
        }
        match body {
            Body::Top => {
                if !sep && self.cur.peek().is_none() {
                    return Err(self.err_here(ConfErrorKind::KeyWithoutValue { key: shown_key(key) }));
                }
                if sep {
                    self.cur.eat_blanks();
                    if matches!(self.cur.peek(), Some('\n' | '\r')) {
                        return Err(self.err_here(ConfErrorKind::NewlineBeforeValue { key: shown_key(key) }));
                    }
                }
                self.value()
            }
            Body::Map => {
                self.cur.eat_whitespace();
                match self.cur.peek() {
                    Some(',') => Err(self.unexpected(
                        &format!("where the value of `{}` should be", shown_key(key)),
                        "a value",
                        None,
                    )),
                    Some('}') => Err(self.err_here(ConfErrorKind::MissingValue { key: shown_key(key) })),
                    None => Err(self.err_here(ConfErrorKind::UnexpectedEof {
                        inside: format!("after the key `{}`", shown_key(key)),
                        expected: "its value and `}`",
                        hint: Hint(None),
                    })),
                    Some(_) => self.value(),
                }
            }
        }
    }

    /// An unexpected character after the value of `key`; the character is not shown when the
    /// value is a secret.
    fn unexpected_after(&self, key: &str, expected: &'static str, hint: Option<String>) -> ConfError {
        let found = if is_secret_key(key) { "<redacted character>".to_string() } else { show_char(self.cur.peek()) };
        self.err_here(ConfErrorKind::UnexpectedChar {
            found,
            context: format!("after the value of `{}`", shown_key(key)),
            expected,
            hint: Hint(hint.map(Into::into)),
        })
    }

    /// An unexpected character at the cursor.
    pub(super) fn unexpected(&self, context: &str, expected: &'static str, hint: Option<String>) -> ConfError {
        self.err_here(ConfErrorKind::UnexpectedChar {
            found: show_char(self.cur.peek()),
            context: context.to_string(),
            expected,
            hint: Hint(hint.map(Into::into)),
        })
    }
}

/// The value of the last pair of a map (for hints about what went wrong after it).
pub(super) fn last_value(map: &Map) -> Option<&Node> {
    match map.entries.last() {
        Some(Entry::Pair(pair)) => Some(&pair.value),
        _ => None,
    }
}

/// A hint for a value followed by an unexpected character.
pub(super) fn value_end_hint(value: Option<&Node>, found: char) -> Option<String> {
    let value = value?;
    match &value.value {
        Value::Float { .. } | Value::Integer { .. } if found.is_alphabetic() => Some(
            "a number ends before this letter; write durations and other text as quoted strings, e.g. `\"1.5s\"`"
                .into(),
        ),
        Value::String(_) | Value::Bool { .. } | Value::Variable(_) => {
            Some("unquoted strings end at a space; quote values that contain spaces".into())
        }
        _ => None,
    }
}
