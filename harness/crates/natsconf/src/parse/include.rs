//! `include path`: resolved like nats-server (joined to the including file's folder, even when
//! absolute), with cycle detection and a depth limit the server lacks.

use std::path::{Path, PathBuf};

use super::entry::{read_bounded, utf8_text};
use super::paths::{go_dir, go_join, lexical, within_roots};
use super::state::FileParser;
use crate::config::{Origin, SourceFile};
use crate::error::{ConfError, ConfErrorKind, Hint};
use crate::value::Include;

impl FileParser<'_, '_, '_> {
    /// The include directive after the `include` keyword: reads and parses the file, and makes
    /// its top-level keys visible to later `$variable` lookups, as nats-server merges them.
    pub(super) fn include(&mut self) -> Result<Include, ConfError> {
        self.cur.eat_blanks();
        let at = self.cur.here();
        let path = self.include_path()?;
        let resolved = go_join(&self.dir, &path);
        self.check_include_root(&path, &resolved, at)?;
        let text = match read_bounded(Path::new(&resolved), self.shared.options.max_file_bytes) {
            Ok(bytes) => {
                self.shared.read_bytes += bytes.len() as u64;
                let limit = self.shared.options.max_total_bytes;
                if self.shared.read_bytes > limit {
                    let total = self.shared.read_bytes;
                    return Err(self.err(at, ConfErrorKind::IncludesTooLarge { path, total, limit }));
                }
                utf8_text(bytes, Path::new(&resolved))?
            }
            Err(ConfErrorKind::Read { reason, .. }) => {
                let hint = Path::new(&path).is_absolute().then(|| {
                    "nats-server joins include paths to the including file's folder, even absolute ones; \
                     write the path relative to this file"
                        .to_string()
                });
                return Err(self.err(
                    at,
                    ConfErrorKind::IncludeNotFound { path, resolved, reason, hint: Hint(hint.map(Into::into)) },
                ));
            }
            Err(kind) => return Err(self.err(at, kind)),
        };
        let canonical = std::fs::canonicalize(&resolved).unwrap_or_else(|_| PathBuf::from(&resolved));
        if let Some(i) = self.shared.include_stack.iter().position(|p| *p == canonical) {
            let mut chain: Vec<String> =
                self.shared.include_stack[i..].iter().map(|p| p.display().to_string()).collect();
            chain.push(canonical.display().to_string());
            return Err(self.err(at, ConfErrorKind::IncludeCycle { path, chain: chain.join(" -> ") }));
        }
        let limit = self.shared.options.max_include_depth;
        if self.shared.include_stack.len() > limit {
            return Err(self.err(at, ConfErrorKind::IncludeTooDeep { path, limit }));
        }
        let file =
            self.shared.add_file(SourceFile { path: PathBuf::from(&resolved), origin: Origin::Include { from: at } });
        self.shared.include_stack.push(canonical);
        let body = {
            let mut sub = FileParser::new(&text, file, go_dir(&resolved), &mut *self.shared);
            sub.depth = self.depth;
            sub.check_nul().and_then(|()| sub.parse_document())
        };
        self.shared.include_stack.pop();
        let body = body?;
        for pair in body.pairs() {
            self.bind(pair.key.clone(), pair.key_at, pair.value.clone());
        }
        Ok(Include { path, at, file, resolved: PathBuf::from(resolved), body })
    }

    /// Refuses an include outside the allowed folders before anything of it is read.
    fn check_include_root(&self, path: &str, resolved: &str, at: crate::location::Pos) -> Result<(), ConfError> {
        let Some(extra) = &self.shared.options.include_roots else { return Ok(()) };
        let main = self.shared.files.first().map(|f| PathBuf::from(go_dir(&f.path.to_string_lossy())));
        let roots: Vec<PathBuf> = main.into_iter().chain(extra.iter().cloned()).collect();
        if within_roots(Path::new(resolved), &roots) {
            return Ok(());
        }
        let roots: Vec<PathBuf> = roots.iter().map(|r| lexical(r)).collect();
        let target = lexical(Path::new(resolved));
        let root = roots.first().map(|r| r.display().to_string()).unwrap_or_default();
        Err(self.err(
            at,
            ConfErrorKind::IncludeOutsideRoot { path: path.to_string(), resolved: target.display().to_string(), root },
        ))
    }

    /// The path after `include`: quoted (no escapes) or up to a blank, new line, `;` or `}`.
    fn include_path(&mut self) -> Result<String, ConfError> {
        let invalid = |found: &'static str| ConfErrorKind::InvalidInclude { found };
        match self.cur.peek() {
            Some(q @ ('\'' | '"')) => self.raw_quoted(q, "the include path"),
            Some('[') => Err(self.err_here(invalid("the start of an array"))),
            Some('{') => Err(self.err_here(invalid("the start of a map"))),
            Some('(') => Err(self.err_here(invalid("the start of a block string"))),
            Some('\\') => Err(self.err_here(invalid("an escape sequence"))),
            Some('\n' | '\r') => Err(self.err_here(invalid("a new line"))),
            None => Err(self.err_here(invalid("the end of the file"))),
            Some(c) if c.is_ascii_digit() || c == '-' => Err(self.err_here(invalid("the start of a number"))),
            Some(_) => {
                let start = self.cur.offset();
                while !matches!(self.cur.peek(), None | Some('\n' | '\r' | ';' | '}' | ' ' | '\t' | '\'')) {
                    self.cur.bump();
                }
                let path = self.cur.since(start).to_string();
                if self.cur.peek() == Some('\'') {
                    self.cur.bump();
                }
                Ok(path)
            }
        }
    }

    /// nats-server stops reading at a NUL byte; this parser refuses the file instead.
    pub(super) fn check_nul(&self) -> Result<(), ConfError> {
        match self.cur.rest().find('\0') {
            None => Ok(()),
            Some(offset) => {
                let before = &self.cur.rest()[..offset];
                let line = u32::try_from(before.matches('\n').count() + 1).unwrap_or(u32::MAX);
                let column = before.rsplit('\n').next().map(|l| l.chars().count() + 1).unwrap_or(1);
                let mut pos = self.cur.here();
                pos.line = line;
                pos.column = u32::try_from(column).unwrap_or(u32::MAX);
                Err(self.err(pos, ConfErrorKind::NulByte))
            }
        }
    }
}

/// An I/O error as a lowercase reason without the "(os error N)" tail.
pub(crate) fn io_reason(e: &std::io::Error) -> String {
    let text = match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    };
    let text = text.split(" (os error").next().unwrap_or(&text).to_string();
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => text,
    }
}
