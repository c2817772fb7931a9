//! A character cursor over one source text that tracks 1-based lines and columns.

use crate::location::{FileId, Pos};

/// Reads characters and knows where it is.
pub(super) struct Cursor<'t> {
    text: &'t str,
    offset: usize,
    line: u32,
    column: u32,
    file: FileId,
}

impl<'t> Cursor<'t> {
    pub(super) fn new(text: &'t str, file: FileId) -> Self {
        Cursor { text, offset: 0, line: 1, column: 1, file }
    }

    /// The next character, not consumed.
    pub(super) fn peek(&self) -> Option<char> {
        self.text[self.offset..].chars().next()
    }

    /// The character after the next one, not consumed.
    pub(super) fn peek2(&self) -> Option<char> {
        self.text[self.offset..].chars().nth(1)
    }

    /// Consumes and returns the next character.
    pub(super) fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.offset += c.len_utf8();
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(c)
    }

    /// Where the next character is.
    pub(super) fn here(&self) -> Pos {
        Pos { file: self.file, line: self.line, column: self.column }
    }

    /// Byte offset of the next character.
    pub(super) fn offset(&self) -> usize {
        self.offset
    }

    /// The text between a byte offset and the cursor.
    pub(super) fn since(&self, start: usize) -> &'t str {
        self.text.get(start..self.offset).unwrap_or("")
    }

    /// The character just before the byte offset `at`, if any.
    pub(super) fn char_before(&self, at: usize) -> Option<char> {
        self.text.get(..at).and_then(|s| s.chars().next_back())
    }

    /// Skips spaces and tabs (what nats-server calls whitespace inside a line).
    pub(super) fn eat_blanks(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t')) {
            self.bump();
        }
    }

    /// Skips all Unicode whitespace, new lines included.
    pub(super) fn eat_whitespace(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.bump();
        }
    }

    /// Whether a `#` or `//` comment starts here.
    pub(super) fn at_comment(&self) -> bool {
        match self.peek() {
            Some('#') => true,
            Some('/') => self.peek2() == Some('/'),
            _ => false,
        }
    }

    /// Skips a comment up to (not including) the end of its line.
    pub(super) fn skip_comment(&mut self) {
        while !matches!(self.peek(), None | Some('\n' | '\r')) {
            self.bump();
        }
    }

    /// Skips whitespace and comments; true if only those remained.
    pub(super) fn only_trivia_left(&mut self) -> bool {
        loop {
            self.eat_whitespace();
            if self.at_comment() {
                self.skip_comment();
            } else {
                return self.peek().is_none();
            }
        }
    }
}

/// Shows a character in a message: `new line`, `tab` or the character itself.
pub(super) fn show_char(c: Option<char>) -> String {
    match c {
        None => "end of file".to_string(),
        Some('\n') => "new line".to_string(),
        Some('\r') => "carriage return".to_string(),
        Some('\t') => "tab".to_string(),
        Some(c) => c.to_string(),
    }
}

impl<'t> Cursor<'t> {
    /// The text from the cursor to the end.
    pub(super) fn rest(&self) -> &'t str {
        self.text.get(self.offset..).unwrap_or("")
    }
}
