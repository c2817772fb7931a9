//! Values: what starts each kind, and the compound ones (arrays and maps).

use super::body::{Body, last_value, value_end_hint};
use super::cursor::show_char;
use super::state::{FileParser, MAX_NESTING};
use crate::error::{ConfError, ConfErrorKind, Hint};
use crate::location::Pos;
use crate::value::{Map, Node, Value};

impl FileParser<'_, '_, '_> {
    /// One value; the cursor is on its first character.
    pub(super) fn value(&mut self) -> Result<Node, ConfError> {
        let at = self.cur.here();
        match self.cur.peek() {
            // Only at the top level after a separator: nats-server reads an empty string.
            None => Ok(Node { value: Value::String(String::new()), at }),
            Some('[') => self.array(),
            Some('{') => self.map(),
            Some('\'') => self.single_quoted(),
            Some('"') => self.double_quoted(),
            Some('(') => self.block_string(),
            Some('-') => self.negative_number(),
            Some(c) if c.is_ascii_digit() => self.number_like(),
            Some('.') => Err(self.err_here(ConfErrorKind::InvalidNumber {
                found: ".".into(),
                expected: "a digit before the `.` of a number; text that starts with `.`, such as `./file`, must be quoted",
            })),
            Some('\n' | '\r') => Err(self.unexpected("where a value should be", "a value", None)),
            Some(_) => self.unquoted(),
        }
    }

    /// Enters an array or map; refuses nesting past [`MAX_NESTING`].
    fn nest(&mut self) -> Result<(), ConfError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(self.err_here(ConfErrorKind::TooDeep { limit: MAX_NESTING }));
        }
        Ok(())
    }

    /// `[ value, value ... ]`; values are separated by `,` or new lines.
    fn array(&mut self) -> Result<Node, ConfError> {
        self.nest()?;
        let result = self.array_items();
        self.depth -= 1;
        result
    }

    fn array_items(&mut self) -> Result<Node, ConfError> {
        let open = self.cur.here();
        self.cur.bump();
        let mut items: Vec<Node> = Vec::new();
        loop {
            self.cur.eat_whitespace();
            match self.cur.peek() {
                None => return Err(self.array_eof(open, &items)),
                Some('#') => self.cur.skip_comment(),
                Some('/') if self.cur.at_comment() => self.cur.skip_comment(),
                Some(']') => {
                    self.cur.bump();
                    return Ok(Node { value: Value::Array(items), at: open });
                }
                Some(',' | '/') => {
                    return Err(self.unexpected(
                        &format!("in the array opened at {}", Self::short(open)),
                        "a value or `]`",
                        None,
                    ));
                }
                Some(_) => {
                    items.push(self.value()?);
                    if self.array_value_end(open, &items)? {
                        return Ok(Node { value: Value::Array(items), at: open });
                    }
                }
            }
        }
    }

    /// After an array value: blanks, then a comment, `,`, new line or `]` (true: closed).
    fn array_value_end(&mut self, open: Pos, items: &[Node]) -> Result<bool, ConfError> {
        loop {
            match self.cur.peek() {
                Some(' ' | '\t') => {
                    self.cur.bump();
                }
                Some('#') => self.cur.skip_comment(),
                Some('/') if self.cur.at_comment() => self.cur.skip_comment(),
                // nats-server takes a lone `/` here for a separator.
                Some(',' | '\n' | '\r' | '/') => {
                    self.cur.bump();
                    return Ok(false);
                }
                Some(']') => {
                    self.cur.bump();
                    return Ok(true);
                }
                None => return Err(self.array_eof(open, items)),
                Some(c) => {
                    let hint = self.array_hint(items).or_else(|| value_end_hint(items.last(), c));
                    return Err(self.err_here(ConfErrorKind::UnexpectedChar {
                        found: self.shown(&show_char(Some(c))),
                        context: format!("after a value in the array opened at {}", Self::short(open)),
                        expected: "`,`, a new line or `]`",
                        hint: Hint(hint.map(Into::into)),
                    }));
                }
            }
        }
    }

    fn array_eof(&self, open: Pos, items: &[Node]) -> ConfError {
        self.err_here(ConfErrorKind::UnexpectedEof {
            inside: format!("inside the array opened at {}", Self::short(open)),
            expected: "`]`",
            hint: Hint(self.array_hint(items).map(Into::into)),
        })
    }

    /// nats-server reads a number directly followed by `]` (like `[1, 2]`) as the string `2]`,
    /// and the array then runs on.
    fn array_hint(&self, items: &[Node]) -> Option<String> {
        let text = items
            .iter()
            .filter_map(Node::as_str)
            .find(|text| text.ends_with(']') && text.starts_with(|c: char| c.is_ascii_digit() || c == '-'))?;
        let shown = self.shown(text);
        Some(format!(
            "nats-server reads `{shown}` as one string because a number must be followed by a space, `,` or new line; put a space before `]`"
        ))
    }

    /// `{ key: value ... }`; a map is a new scope for `$variable` lookups.
    fn map(&mut self) -> Result<Node, ConfError> {
        self.nest()?;
        let open = self.cur.here();
        self.cur.bump();
        self.scopes.push(Vec::new());
        let result = self.map_entries(open);
        self.scopes.pop();
        self.depth -= 1;
        Ok(Node { value: Value::Map(result?), at: open })
    }

    fn map_entries(&mut self, open: Pos) -> Result<Map, ConfError> {
        let mut map = Map::default();
        loop {
            self.cur.eat_whitespace();
            match self.cur.peek() {
                None => {
                    return Err(self.err_here(ConfErrorKind::UnexpectedEof {
                        inside: format!("inside the map opened at {}", Self::short(open)),
                        expected: "`}`",
                        hint: Hint(None),
                    }));
                }
                Some('}') => {
                    self.cur.bump();
                    return Ok(map);
                }
                Some('#') => self.cur.skip_comment(),
                Some('/') if self.cur.at_comment() => self.cur.skip_comment(),
                Some(_) => {
                    let key = self.entry(&mut map, Body::Map)?;
                    if self.map_value_end(&key, last_value(&map), open)? {
                        return Ok(map);
                    }
                }
            }
        }
    }
}
