//! The parser's state: what one file's parser holds, and what all files of a parse share.

use std::collections::BTreeSet;
use std::path::PathBuf;

use super::cursor::Cursor;
use crate::config::{ParseOptions, SourceFile};
use crate::error::{ConfError, ConfErrorKind};
use crate::key::key_in;
use crate::location::{FileId, Location, Pos};
use crate::value::Node;

/// State shared by the parsers of the main file, its includes and environment values.
pub(super) struct Shared<'o> {
    pub(super) options: &'o ParseOptions,
    pub(super) files: Vec<SourceFile>,
    /// Canonical paths of the files being parsed, outermost first (cycle detection).
    pub(super) include_stack: Vec<PathBuf>,
    /// Environment variables being resolved (cycle detection).
    pub(super) env_stack: Vec<String>,
    /// Keys that a `$variable` referred to.
    pub(super) used_defs: BTreeSet<Pos>,
    /// Bytes of included files read so far.
    pub(super) read_bytes: u64,
}

impl<'o> Shared<'o> {
    pub(super) fn new(options: &'o ParseOptions) -> Self {
        Shared {
            options,
            files: Vec::new(),
            include_stack: Vec::new(),
            env_stack: Vec::new(),
            used_defs: BTreeSet::new(),
            read_bytes: 0,
        }
    }

    pub(super) fn add_file(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId(u32::try_from(self.files.len() - 1).unwrap_or(u32::MAX))
    }

    pub(super) fn location(&self, pos: Pos) -> Location {
        let file = self.files.get(pos.file.0 as usize).map(|f| f.path.clone()).unwrap_or_default();
        Location { file, line: pos.line, column: pos.column }
    }
}

/// A key visible to `$variable` lookups: a key of a map that is being parsed.
pub(super) struct Binding {
    pub(super) key: String,
    pub(super) key_at: Pos,
    pub(super) value: Node,
}

/// Parses one file (or one environment value).
pub(super) struct FileParser<'s, 'o, 't> {
    pub(super) cur: Cursor<'t>,
    pub(super) shared: &'s mut Shared<'o>,
    /// The folder includes are resolved against (Go's `filepath.Dir` of the file path).
    pub(super) dir: String,
    /// One scope per map being parsed, outermost first.
    pub(super) scopes: Vec<Vec<Binding>>,
    /// The keys whose values are being parsed, outermost first.
    pub(super) keys: Vec<String>,
    /// How many arrays and maps (across includes) enclose the cursor.
    pub(super) depth: usize,
}

/// How deeply arrays and maps may nest (the server has no limit; recursion here needs one).
pub(super) const MAX_NESTING: usize = 128;

/// Keys whose values must never appear in messages.
const SECRET_KEYS: &[&str] = &[
    "password",
    "pass",
    "token",
    "auth_token",
    "seed",
    "nkey_seed",
    "key",
    "ek",
    "encryption_key",
    "prev_key",
    "prev_ek",
    "prev_encryption_key",
    "srk_password",
    "encryption_password",
    "secret",
];

/// Whether a key holds a secret (password, token, seed, encryption key).
pub(crate) fn is_secret_key(key: &str) -> bool {
    key_in(key, SECRET_KEYS)
}

/// A key as a message shows it: a word written like a nats.conf key (`max_connections`, `APP`)
/// as it is, anything else as `<redacted>`: a line holding only a password or a seed is read as
/// a key, and the message about it must not quote it.
pub(crate) fn shown_key(key: &str) -> String {
    let word = |f: fn(&char) -> bool| key.chars().all(|c| c == '_' || f(&c));
    let key_like =
        !key.is_empty() && key.len() <= 40 && (word(char::is_ascii_lowercase) || word(char::is_ascii_uppercase));
    if key_like { key.to_string() } else { "<redacted>".to_string() }
}

impl<'s, 'o, 't> FileParser<'s, 'o, 't> {
    pub(super) fn new(text: &'t str, file: FileId, dir: String, shared: &'s mut Shared<'o>) -> Self {
        FileParser { cur: Cursor::new(text, file), shared, dir, scopes: vec![Vec::new()], keys: Vec::new(), depth: 0 }
    }

    pub(super) fn err(&self, pos: Pos, kind: ConfErrorKind) -> ConfError {
        ConfError::new(&self.shared.location(pos), kind)
    }

    /// An error at the cursor.
    pub(super) fn err_here(&self, kind: ConfErrorKind) -> ConfError {
        self.err(self.cur.here(), kind)
    }

    /// `line:col` of a position, for "opened at" notes.
    pub(super) fn short(pos: Pos) -> String {
        format!("{}:{}", pos.line, pos.column)
    }

    /// Text of the value being parsed, or a placeholder when it belongs to a secret key.
    pub(super) fn shown(&self, text: &str) -> String {
        if self.keys.last().is_some_and(|k| is_secret_key(k)) {
            "<redacted>".to_string()
        } else if text.chars().count() > 60 {
            let cut: String = text.chars().take(57).collect();
            format!("{cut}...")
        } else {
            text.to_string()
        }
    }

    pub(super) fn bind(&mut self, key: String, key_at: Pos, value: Node) {
        if let Some(scope) = self.scopes.last_mut() {
            scope.push(Binding { key, key_at, value });
        }
    }
}
