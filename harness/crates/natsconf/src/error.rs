//! The parse error: where (`file:line:col`) and what ([`ConfErrorKind`]).
//!
//! Messages are lowercase fragments that name the user's text in backticks and say what was
//! expected. Values of secret keys (passwords, tokens, seeds) are never shown.

use std::fmt;
use std::path::PathBuf;

use super::location::Location;

/// A configuration file that nats-server would refuse, with its position.
///
/// Displays like the server's own config errors: `file:line:col: message`.
///
/// ```
/// use natsfault_natsconf::{Config, ConfErrorKind, ParseOptions};
/// let err = Config::parse_str("port: 4222\nauthorization {\n", "nats.conf", &ParseOptions::default())
///     .unwrap_err();
/// assert_eq!(err.line, 3);
/// assert!(matches!(err.kind, ConfErrorKind::UnexpectedEof { .. }));
/// assert!(err.to_string().starts_with("nats.conf:3:1: "));
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}:{line}:{column}: {kind}", file.display())]
pub struct ConfError {
    /// The file the error is in (an included file when the error is there).
    pub file: PathBuf,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// What is wrong.
    pub kind: ConfErrorKind,
}

impl ConfError {
    /// Builds an error at `at`.
    ///
    /// ```
    /// use natsfault_natsconf::{ConfError, ConfErrorKind, Location};
    /// let at = Location { file: "a.conf".into(), line: 1, column: 1 };
    /// let err = ConfError::new(&at, ConfErrorKind::NulByte);
    /// assert_eq!(err.to_string(), "a.conf:1:1: the file has a NUL byte; expected text");
    /// ```
    pub fn new(at: &Location, kind: ConfErrorKind) -> ConfError {
        ConfError { file: at.file.clone(), line: at.line, column: at.column, kind }
    }

    /// The position of the error as a [`Location`].
    ///
    /// ```
    /// use natsfault_natsconf::{ConfError, ConfErrorKind, Location};
    /// let at = Location { file: "a.conf".into(), line: 2, column: 4 };
    /// assert_eq!(ConfError::new(&at, ConfErrorKind::NulByte).location(), at);
    /// ```
    pub fn location(&self) -> Location {
        Location { file: self.file.clone(), line: self.line, column: self.column }
    }
}

/// What is wrong with a configuration file.
///
/// ```
/// use natsfault_natsconf::ConfErrorKind;
/// let kind = ConfErrorKind::UndefinedVariable { name: "NOPE".into() };
/// assert_eq!(
///     kind.to_string(),
///     "variable `$NOPE` is not defined; expected a key of that name earlier in an enclosing block of the same file, or an environment variable"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ConfErrorKind {
    /// The file could not be read.
    #[error("cannot read `{path}`: {reason}")]
    Read {
        /// The path as given.
        path: String,
        /// The operating system's reason, lowercase.
        reason: String,
    },
    /// The file is not UTF-8 text; the position is the first byte that is not.
    #[error(
        "byte `0x{byte:02x}` is not UTF-8 text; expected a config file in UTF-8 (convert it, e.g. `iconv -f latin1 -t utf-8`)"
    )]
    NotUtf8 {
        /// The first byte that is not UTF-8.
        byte: u8,
    },
    /// The file has a NUL byte, where nats-server silently stops reading.
    #[error("the file has a NUL byte; expected text")]
    NulByte,
    /// The file ends inside a construct.
    #[error("unexpected end of file {inside}; expected {expected}{hint}")]
    UnexpectedEof {
        /// Where the file ended, e.g. "inside the map opened at 2:15".
        inside: String,
        /// What would have completed the construct.
        expected: &'static str,
        /// An optional hint.
        hint: Hint,
    },
    /// A character that cannot appear here.
    #[error("unexpected `{found}` {context}; expected {expected}{hint}")]
    UnexpectedChar {
        /// The character (or `new line`).
        found: String,
        /// Where it was found, e.g. "after the value of `port`".
        context: String,
        /// What may appear there.
        expected: &'static str,
        /// An optional hint.
        hint: Hint,
    },
    /// A key inside a map is directly followed by the end of the map.
    #[error("`{key}` has no value; expected a value before `}}`")]
    MissingValue {
        /// The key.
        key: String,
    },
    /// A key at the end of the file without a value or separator.
    #[error("`{key}` has no value; expected `{key}: value`")]
    KeyWithoutValue {
        /// The key.
        key: String,
    },
    /// A `key:` or `key =` followed by a new line at the top level.
    #[error("`{key}` has no value on its line; expected the value on the same line as the `:` or `=`")]
    NewlineBeforeValue {
        /// The key.
        key: String,
    },
    /// A backslash escape nats-server does not know.
    #[error("invalid escape `\\{found}`; expected one of `\\xHH`, `\\t`, `\\n`, `\\r`, `\\\"`, `\\\\`")]
    InvalidEscape {
        /// The character after the backslash.
        found: String,
    },
    /// A `\x` escape without two hexadecimal digits.
    #[error("invalid escape `\\x{found}`; expected two hexadecimal digits after `\\x`")]
    InvalidHexEscape {
        /// What followed `\x` (redacted in secret values).
        found: String,
    },
    /// A value that starts like an ISO 8601 date but is not `YYYY-MM-DDTHH:MM:SSZ`.
    #[error(
        "`{found}` is not a date nats-server reads; expected the full form `YYYY-MM-DDTHH:MM:SSZ` or a quoted string"
    )]
    InvalidDatetime {
        /// The text read so far (redacted in secret values).
        found: String,
    },
    /// A float that does not start or continue with a digit.
    #[error("`{found}` is not a number nats-server reads; expected {expected}")]
    InvalidNumber {
        /// The text read so far (redacted in secret values).
        found: String,
        /// What a number needs there.
        expected: &'static str,
    },
    /// An integer beyond 64 bits.
    #[error("integer `{found}` is out of range; expected a value between -9223372036854775808 and 9223372036854775807")]
    IntegerOutOfRange {
        /// The integer text (redacted in secret values).
        found: String,
    },
    /// A size suffix such as `1kbb` that nats-server silently drops.
    #[error(
        "`{found}` has the size suffix `{suffix}`; expected one of k, kb, ki, kib, m, mb, mi, mib, g, gb, gi, gib, t, tb, ti, tib, p, pb, pi, pib, e, eb, ei, eib"
    )]
    UnknownSizeSuffix {
        /// The whole value (redacted in secret values).
        found: String,
        /// The suffix.
        suffix: String,
    },
    /// `include` followed by something that is not a path.
    #[error("`include` is followed by {found}; expected a file path")]
    InvalidInclude {
        /// What followed, e.g. "a new line".
        found: &'static str,
    },
    /// An included file that cannot be read.
    #[error("cannot read included file `{path}` (looked for `{resolved}`): {reason}{hint}")]
    IncludeNotFound {
        /// The path as written.
        path: String,
        /// Where nats-server looks for it.
        resolved: String,
        /// The operating system's reason, lowercase.
        reason: String,
        /// An optional hint.
        hint: Hint,
    },
    /// An included file outside the folders the config may read (see
    /// [`ParseOptions::include_roots`](crate::ParseOptions::include_roots)); it is not opened.
    #[error(
        "`include {path}` leaves the config's folder (it resolves to `{resolved}`); expected an include inside `{root}`, or that folder passed explicitly"
    )]
    IncludeOutsideRoot {
        /// The path as written.
        path: String,
        /// Where it resolves.
        resolved: String,
        /// The folder includes must stay in.
        root: String,
    },
    /// A file larger than the parser reads.
    #[error("`{path}` has {size} bytes; expected a config file of at most {limit} bytes")]
    TooLarge {
        /// The file.
        path: String,
        /// Its size.
        size: u64,
        /// The bound.
        limit: u64,
    },
    /// The config and its includes together are larger than the parser reads.
    #[error("`include {path}` brings the config and its includes to {total} bytes; expected at most {limit} in all")]
    IncludesTooLarge {
        /// The include that went over.
        path: String,
        /// The bytes read with it.
        total: u64,
        /// The bound.
        limit: u64,
    },
    /// A file that includes itself, directly or through other files.
    #[error(
        "`include {path}` makes a cycle ({chain}); expected each file to be included only by files it does not include"
    )]
    IncludeCycle {
        /// The path as written.
        path: String,
        /// The files of the cycle, joined with ` -> `.
        chain: String,
    },
    /// Includes nested deeper than the limit.
    #[error("`include {path}` is nested {limit} levels deep; expected at most {limit} levels of includes")]
    IncludeTooDeep {
        /// The path as written.
        path: String,
        /// The limit.
        limit: usize,
    },
    /// A `$NAME` that is neither a key in scope nor an environment variable.
    #[error(
        "variable `${name}` is not defined; expected a key of that name earlier in an enclosing block of the same file, or an environment variable"
    )]
    UndefinedVariable {
        /// The variable name, without `$`.
        name: String,
    },
    /// Arrays and maps nested deeper than the limit.
    #[error("arrays and maps are nested more than {limit} levels deep; expected at most {limit}")]
    TooDeep {
        /// The limit.
        limit: usize,
    },
    /// An unquoted bcrypt hash other than `$2a$`, which nats-server reads as a variable.
    #[error(
        "the unquoted bcrypt hash `{prefix}...` is read as a variable; nats-server takes only `$2a$` hashes unquoted; expected the hash in quotes"
    )]
    UnquotedBcrypt {
        /// The hash's prefix, such as `$2b$` (the hash itself is not shown).
        prefix: String,
    },
    /// Environment variables that refer to each other in a loop.
    #[error("variable `${name}` refers to itself through environment variables; expected a value without a cycle")]
    VariableCycle {
        /// The variable name.
        name: String,
    },
    /// An environment variable whose value is not a nats.conf value.
    #[error(
        "environment variable `${name}` does not read as a nats.conf value (problem at its column {column}); expected a string, number, boolean, array or map"
    )]
    EnvVariableInvalid {
        /// The variable name.
        name: String,
        /// Column in the value where reading failed.
        column: u32,
    },
}

/// An optional hint appended to a message as `; hint: ...`.
///
/// ```
/// use natsfault_natsconf::Hint;
/// assert_eq!(Hint(None).to_string(), "");
/// assert_eq!(Hint(Some("quote it".into())).to_string(), "; hint: quote it");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Hint(pub Option<Box<str>>);

impl fmt::Display for Hint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Some(hint) => write!(f, "; hint: {hint}"),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn errors_stay_small_enough_to_return() {
        assert!(std::mem::size_of::<super::ConfError>() < 128, "{}", std::mem::size_of::<super::ConfError>());
    }
}
