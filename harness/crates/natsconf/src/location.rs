//! Positions in configuration files: the compact [`Pos`] kept in the tree and the printable
//! [`Location`] handed to users.

use std::fmt;
use std::path::PathBuf;

/// Index of a source file in [`Config::files`](super::Config::files).
///
/// ```
/// use natsfault_natsconf::FileId;
/// assert_eq!(FileId(0), FileId::default());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FileId(pub u32);

/// A position in one source file: 1-based line and 1-based column (counted in characters).
///
/// nats-server itself prints columns 0-based on the first line and 1-based on every other line;
/// this type is always 1-based.
///
/// ```
/// use natsfault_natsconf::{FileId, Pos};
/// let pos = Pos { file: FileId(0), line: 2, column: 3 };
/// assert_eq!(pos.line, 2);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pos {
    /// The file the position is in.
    pub file: FileId,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

/// A printable position: `file:line:col`.
///
/// ```
/// use natsfault_natsconf::Location;
/// let at = Location { file: "nats.conf".into(), line: 3, column: 5 };
/// assert_eq!(at.to_string(), "nats.conf:3:5");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Location {
    /// The file, as the config named it (includes are resolved paths).
    pub file: PathBuf,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}
