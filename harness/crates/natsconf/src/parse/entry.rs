//! Entry points: parse a file from disk, or text that stands for a file.

use std::path::{Path, PathBuf};

use super::include::io_reason;
use super::paths::go_dir;
use super::state::{FileParser, Shared};
use crate::config::{Config, Origin, ParseOptions, SourceFile};
use crate::error::{ConfError, ConfErrorKind};
use crate::location::{FileId, Location};

/// Reads `path` and parses it with everything it includes.
pub(crate) fn parse_file(path: &Path, options: &ParseOptions) -> Result<Config, ConfError> {
    let at = Location { file: path.to_path_buf(), line: 1, column: 1 };
    let bytes = read_bounded(path, options.max_file_bytes).map_err(|kind| ConfError::new(&at, kind))?;
    let text = utf8_text(bytes, path)?;
    parse_text(&text, path, options)
}

/// A regular file's bytes, refused when larger than `limit` (checked before reading, and
/// the read itself stops past the limit, so a growing file is not read whole either).
pub(super) fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, ConfErrorKind> {
    use std::io::Read;
    let read_err = |e: &std::io::Error| ConfErrorKind::Read { path: path.display().to_string(), reason: io_reason(e) };
    // Decided before opening: opening a FIFO blocks until something writes to it.
    let before = std::fs::metadata(path).map_err(|e| read_err(&e))?;
    if !before.is_file() {
        return Err(ConfErrorKind::Read { path: path.display().to_string(), reason: "not a regular file".into() });
    }
    let file = std::fs::File::open(path).map_err(|e| read_err(&e))?;
    let meta = file.metadata().map_err(|e| read_err(&e))?;
    if !meta.is_file() {
        return Err(ConfErrorKind::Read { path: path.display().to_string(), reason: "not a regular file".into() });
    }
    let too_large = |size| ConfErrorKind::TooLarge { path: path.display().to_string(), size, limit };
    if meta.len() > limit {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes).map_err(|e| read_err(&e))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// The file's bytes as text, or an error at the line and column of the first byte that is not
/// UTF-8 (columns count characters, as everywhere here).
pub(super) fn utf8_text(bytes: Vec<u8>, path: &Path) -> Result<String, ConfError> {
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let valid = e.utf8_error().valid_up_to();
        let before = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
        let line = u32::try_from(before.matches('\n').count() + 1).unwrap_or(u32::MAX);
        let column = before.rsplit('\n').next().map_or(1, |l| l.chars().count() + 1);
        let at = Location { file: path.to_path_buf(), line, column: u32::try_from(column).unwrap_or(u32::MAX) };
        ConfError::new(&at, ConfErrorKind::NotUtf8 { byte: bytes.get(valid).copied().unwrap_or_default() })
    })
}

/// Parses `text` as the file `path` (includes resolve against its folder).
pub(crate) fn parse_text(text: &str, path: &Path, options: &ParseOptions) -> Result<Config, ConfError> {
    let mut shared = Shared::new(options);
    shared.add_file(SourceFile { path: path.to_path_buf(), origin: Origin::Main });
    shared.include_stack.push(std::fs::canonicalize(path).unwrap_or_else(|_| PathBuf::from(path)));
    let dir = go_dir(&path.to_string_lossy());
    let root = {
        let mut parser = FileParser::new(text, FileId(0), dir, &mut shared);
        parser.check_nul()?;
        parser.parse_document()?
    };
    Ok(Config { files: shared.files, root, used_defs: shared.used_defs })
}
