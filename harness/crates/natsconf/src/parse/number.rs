//! Values that start with a digit or `-`: integers (with size suffixes), floats, ISO 8601 dates,
//! IP addresses, and text that merely starts with a digit.

use super::state::FileParser;
use crate::error::{ConfError, ConfErrorKind};
use crate::location::Pos;
use crate::value::{Node, Value};

/// Letters that start a size suffix (`1K`, `2MB`, `3Gi`).
fn is_suffix(c: char) -> bool {
    matches!(c.to_ascii_lowercase(), 'k' | 'm' | 'g' | 't' | 'p' | 'e')
}

/// What ends a number (note: not `]`, so `[1, 2]` reads `2]` as text, as nats-server does).
fn ends_number(c: Option<char>) -> bool {
    matches!(c, None | Some('\n' | '\r' | '}' | ';' | ',' | ' ' | '\t'))
}

impl FileParser<'_, '_, '_> {
    /// A value starting with an ASCII digit.
    pub(super) fn number_like(&mut self) -> Result<Node, ConfError> {
        let at = self.cur.here();
        let start = self.cur.offset();
        let mut digits = 0;
        while self.cur.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.cur.bump();
            digits += 1;
        }
        match self.cur.peek() {
            Some('-') => {
                self.cur.bump();
                if digits != 4 {
                    let found = self.shown(self.cur.since(start));
                    return Err(self.err(at, ConfErrorKind::InvalidDatetime { found }));
                }
                self.datetime(start, at)
            }
            Some('.') => {
                self.cur.bump();
                self.float_or_ip(start, at)
            }
            Some(c) if is_suffix(c) => {
                self.cur.bump();
                self.size_suffix(start, at)
            }
            c if ends_number(c) => self.integer(start, at),
            _ => {
                // Not a number: the character is taken as is and the text goes on unquoted.
                self.cur.bump();
                let mut text = self.cur.since(start).to_string();
                self.scan_unquoted(&mut text)?;
                Ok(Node { value: Value::String(text), at })
            }
        }
    }

    /// A value starting with `-`: a negative integer or float.
    pub(super) fn negative_number(&mut self) -> Result<Node, ConfError> {
        let at = self.cur.here();
        let start = self.cur.offset();
        self.cur.bump();
        match self.cur.peek() {
            Some(c) if c.is_ascii_digit() => {}
            Some('.') => {
                return Err(self
                    .err(at, ConfErrorKind::InvalidNumber { found: "-.".into(), expected: "a digit before the `.`" }));
            }
            _ => {
                return Err(self.err(
                    at,
                    ConfErrorKind::InvalidNumber {
                        found: "-".into(),
                        expected: "a digit after `-`, or a quoted string",
                    },
                ));
            }
        }
        while self.cur.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.cur.bump();
        }
        match self.cur.peek() {
            Some('.') => {
                self.cur.bump();
                self.float_or_ip(start, at)
            }
            Some(c) if is_suffix(c) => {
                self.cur.bump();
                self.size_suffix(start, at)
            }
            _ => self.integer(start, at),
        }
    }

    /// After `digits.`: a float, or an IP address such as `127.0.0.1:4222` (a string).
    fn float_or_ip(&mut self, start: usize, at: Pos) -> Result<Node, ConfError> {
        if !self.cur.peek().is_some_and(|c| c.is_ascii_digit()) {
            let found = self.shown(self.cur.since(start));
            return Err(self.err(at, ConfErrorKind::InvalidNumber { found, expected: "a digit after the `.`" }));
        }
        while self.cur.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.cur.bump();
        }
        if self.cur.peek() == Some('.') {
            while self.cur.peek().is_some_and(|c| c.is_ascii_digit() || matches!(c, '.' | ':' | '-')) {
                self.cur.bump();
            }
            return Ok(Node { value: Value::String(self.cur.since(start).to_string()), at });
        }
        let raw = self.cur.since(start).to_string();
        match raw.parse::<f64>() {
            Ok(value) if value.is_finite() => Ok(Node { value: Value::Float { value, raw }, at }),
            _ => {
                let found = self.shown(&raw);
                Err(self.err(at, ConfErrorKind::InvalidNumber { found, expected: "a float within 64-bit range" }))
            }
        }
    }

    /// After a suffix letter: more `b`/`i` letters, then the end of the number or more text.
    fn size_suffix(&mut self, start: usize, at: Pos) -> Result<Node, ConfError> {
        while matches!(self.cur.peek(), Some('b' | 'B' | 'i' | 'I')) {
            self.cur.bump();
        }
        // Since 2.15.1 a digit here makes the whole value text (`5m30s`); 2.15.0 and older
        // stopped the number before the digit and then failed on it.
        if ends_number(self.cur.peek()) {
            return self.integer(start, at);
        }
        let mut text = self.cur.since(start).to_string();
        self.scan_unquoted(&mut text)?;
        Ok(Node { value: Value::String(text), at })
    }

    /// Converts the integer text from `start` to the cursor, applying its size suffix.
    fn integer(&mut self, start: usize, at: Pos) -> Result<Node, ConfError> {
        let raw = self.cur.since(start).to_string();
        let split = raw.find(|c: char| !(c.is_ascii_digit() || c == '-')).unwrap_or(raw.len());
        let (number, suffix) = raw.split_at(split);
        let Ok(number) = number.parse::<i64>() else {
            let found = self.shown(&raw);
            return Err(self.err(at, ConfErrorKind::IntegerOutOfRange { found }));
        };
        let suffix = suffix.to_ascii_lowercase();
        let Some(multiplier) = multiplier(&suffix) else {
            let found = self.shown(&raw);
            return Err(self.err(at, ConfErrorKind::UnknownSizeSuffix { found, suffix }));
        };
        // nats-server multiplies without overflow checks; so does this.
        Ok(Node { value: Value::Integer { value: number.wrapping_mul(multiplier), raw }, at })
    }

    /// `YYYY-` read; the rest must be `MM-DDTHH:MM:SSZ`.
    fn datetime(&mut self, start: usize, at: Pos) -> Result<Node, ConfError> {
        for expected in "00-00T00:00:00Z".chars() {
            let c = self.cur.peek();
            let ok = match expected {
                '0' => c.is_some_and(|c| c.is_ascii_digit()),
                other => c == Some(other),
            };
            if !ok {
                let found = self.shown(self.cur.since(start));
                return Err(self.err(at, ConfErrorKind::InvalidDatetime { found }));
            }
            self.cur.bump();
        }
        let raw = self.cur.since(start).to_string();
        if !valid_datetime(&raw) {
            let found = self.shown(&raw);
            return Err(self.err(at, ConfErrorKind::InvalidDatetime { found }));
        }
        Ok(Node { value: Value::Datetime(raw), at })
    }
}

/// The factor of a size suffix, as nats-server applies it (`k` is 1000, `kb`/`ki`/`kib` 1024).
fn multiplier(suffix: &str) -> Option<i64> {
    let (letter, rest) = suffix.split_at(suffix.len().min(1));
    let power = match letter {
        "" => return Some(1),
        "k" => 1,
        "m" => 2,
        "g" => 3,
        "t" => 4,
        "p" => 5,
        "e" => 6,
        _ => return None,
    };
    let base: i64 = match rest {
        "" => 1000,
        "b" | "i" | "ib" => 1024,
        _ => return None,
    };
    Some(base.pow(power))
}

/// Checks the ranges Go's `time.Parse` checks for `YYYY-MM-DDTHH:MM:SSZ`.
fn valid_datetime(raw: &str) -> bool {
    let num = |range: std::ops::Range<usize>| raw.get(range).and_then(|s| s.parse::<u32>().ok()).unwrap_or(99);
    let (year, month, day) = (num(0..4), num(5..7), num(8..10));
    let (hour, minute, second) = (num(11..13), num(14..16), num(17..19));
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day) && hour < 24 && minute < 60 && second < 60
}

#[cfg(test)]
mod tests {
    use super::{multiplier, valid_datetime};

    #[test]
    fn suffixes_follow_the_server() {
        assert_eq!(multiplier(""), Some(1));
        assert_eq!(multiplier("k"), Some(1000));
        assert_eq!(multiplier("kb"), Some(1024));
        assert_eq!(multiplier("mib"), Some(1024 * 1024));
        assert_eq!(multiplier("g"), Some(1_000_000_000));
        assert_eq!(multiplier("kbb"), None);
        assert_eq!(multiplier("x"), None);
    }

    #[test]
    fn dates_are_range_checked() {
        assert!(valid_datetime("2024-02-29T23:59:59Z"));
        assert!(!valid_datetime("2023-02-29T00:00:00Z"));
        assert!(!valid_datetime("2023-13-01T00:00:00Z"));
    }
}
