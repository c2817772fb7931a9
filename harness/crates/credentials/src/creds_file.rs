//! Writing `.creds` files in the standard format, and a strict parser.
//!
//! The format is the one nats-io/jwt `FormatUserConfig` (and so `nsc`)
//! writes: the JWT block, a blank line, nsc's warning text, the seed block,
//! and a closing line of stars. BEGIN lines have five dashes on each side,
//! END lines six.
//!
//! The strict parser accepts exactly that shape (any text outside the
//! blocks, LF or CRLF line ends, with or without a final newline) and names
//! the first line that differs. Clients are more lenient: see
//! [`super::creds_compat`] for what async-nats accepts.

use std::fmt;
use std::io;
use std::path::Path;

use thiserror::Error;

/// First line of the JWT block.
pub const JWT_BEGIN: &str = "-----BEGIN NATS USER JWT-----";
/// Last line of the JWT block (six dashes).
pub const JWT_END: &str = "------END NATS USER JWT------";
/// First line of the seed block.
pub const SEED_BEGIN: &str = "-----BEGIN USER NKEY SEED-----";
/// Last line of the seed block (six dashes).
pub const SEED_END: &str = "------END USER NKEY SEED------";

const WARNING: &str = "************************* IMPORTANT *************************\n\
NKEY Seed printed below can be used to sign and prove identity.\n\
NKEYs are sensitive and should be treated as secrets.\n";
const STARS: &str = "*************************************************************";

/// Which block of a creds file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Block {
    /// The `NATS USER JWT` block.
    Jwt,
    /// The `USER NKEY SEED` block.
    Seed,
}

impl Block {
    fn end(self) -> &'static str {
        match self {
            Block::Jwt => JWT_END,
            Block::Seed => SEED_END,
        }
    }
}

impl fmt::Display for Block {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Block::Jwt => "user jwt",
            Block::Seed => "user nkey seed",
        })
    }
}

/// What was wrong at the line a [`CredsError`] names.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CredsErrorKind {
    /// No JWT block before this line (end of file or the seed block).
    #[error("expected a `-----BEGIN NATS USER JWT-----` line before this point")]
    MissingJwtBlock,
    /// The file ends after the JWT block without a seed block.
    #[error("expected a `-----BEGIN USER NKEY SEED-----` line after the jwt block")]
    MissingSeedBlock,
    /// A BEGIN line with the wrong dashes or label.
    #[error("expected `{expected}`, found {found:?}")]
    BadBeginMarker {
        /// The marker that was expected.
        expected: &'static str,
        /// The line found.
        found: String,
    },
    /// An END line with the wrong dashes or label.
    #[error("expected `{expected}` (six dashes each side), found {found:?}")]
    BadEndMarker {
        /// The marker that was expected.
        expected: &'static str,
        /// The line found.
        found: String,
    },
    /// A blank line inside a block.
    #[error("expected the {0} or its end line, found a stray blank line inside the block")]
    BlankLineInBlock(Block),
    /// The END line follows BEGIN directly.
    #[error("expected the {0} between the begin and end lines, found nothing")]
    EmptyBlock(Block),
    /// A second value line (a value wrapped over lines).
    #[error("expected the {0} on a single line, found a second line")]
    ExtraLineInBlock(Block),
    /// The file ends inside a block.
    #[error("expected the end line of the {0} block, found end of file")]
    UnterminatedBlock(Block),
    /// Leading or trailing spaces around a value.
    #[error("expected the {0} without surrounding whitespace")]
    StrayWhitespace(Block),
    /// The JWT does not have three dot-separated parts.
    #[error("expected a jwt of three dot-separated parts, found {parts} (truncated?)")]
    TruncatedJwt {
        /// Number of parts found.
        parts: usize,
    },
    /// The JWT has characters outside base64url and `.`.
    #[error("expected only base64url characters and dots in the jwt")]
    BadJwtCharacters,
    /// The seed is not a user seed.
    #[error("expected a user seed starting with SU, found one starting with {prefix:?}")]
    SeedNotUser {
        /// The first two characters found.
        prefix: String,
    },
    /// The seed starts with `SU` but does not decode (length or checksum).
    #[error("expected a valid nkeys user seed (length and checksum)")]
    BadSeed,
    /// A block appears twice.
    #[error("expected a single {0} block, found a second one")]
    DuplicateBlock(Block),
}

/// A parse failure: the 1-based line and what was expected there. A line
/// one past the last line means the end of the file.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("creds line {line}: {kind}")]
pub struct CredsError {
    /// 1-based line number.
    pub line: usize,
    /// What was wrong.
    pub kind: CredsErrorKind,
}

/// Formats a creds file exactly as nsc does.
pub fn format_creds(jwt: &str, seed: &str) -> String {
    format!("{JWT_BEGIN}\n{jwt}\n{JWT_END}\n\n{WARNING}\n{SEED_BEGIN}\n{seed}\n{SEED_END}\n\n{STARS}\n")
}

/// Writes a creds file, mode 0600 from its first byte (nsc writes it 0600 too).
pub fn write_creds(path: &Path, jwt: &str, seed: &str) -> io::Result<()> {
    natsfault_owner_only::write(path, format_creds(jwt, seed))
}

fn fail<T>(line: usize, kind: CredsErrorKind) -> Result<T, CredsError> {
    Err(CredsError { line, kind })
}

/// The marker part of a damaged BEGIN or END line: dashes, spaces and the marker's words, then
/// `…` when more follows. A seed or JWT pasted onto the line is never quoted.
fn marker_excerpt(line: &str) -> String {
    const WORDS: &[&str] = &["BEGIN", "END", "NATS", "USER", "JWT", "NKEY", "SEED"];
    let mut at = 0;
    while at < line.len() {
        let rest = &line[at..];
        if rest.starts_with(['-', ' ']) {
            at += 1;
        } else if let Some(w) = WORDS.iter().find(|w| rest.starts_with(**w)) {
            at += w.len();
        } else {
            break;
        }
    }
    if at < line.len() { format!("{}…", &line[..at]) } else { line.to_string() }
}

/// Reads the block whose BEGIN line is line `begin` (1-based); returns the
/// value and the number of its END line.
fn read_block(lines: &[&str], begin: usize, block: Block) -> Result<(String, usize), CredsError> {
    let at = |n: usize| lines.get(n - 1).copied();
    let value = match at(begin + 1) {
        None => return fail(begin + 1, CredsErrorKind::UnterminatedBlock(block)),
        Some("") => return fail(begin + 1, CredsErrorKind::BlankLineInBlock(block)),
        Some(l) if l == block.end() => return fail(begin + 1, CredsErrorKind::EmptyBlock(block)),
        Some(l) if l.trim() != l => return fail(begin + 1, CredsErrorKind::StrayWhitespace(block)),
        Some(l) => l,
    };
    let end = begin + 2;
    match at(end) {
        Some(l) if l == block.end() => Ok((value.to_string(), end)),
        None => fail(end, CredsErrorKind::UnterminatedBlock(block)),
        Some("") => fail(end, CredsErrorKind::BlankLineInBlock(block)),
        Some(l) if l.trim_start().starts_with('-') => {
            fail(end, CredsErrorKind::BadEndMarker { expected: block.end(), found: marker_excerpt(l) })
        }
        Some(_) => fail(end, CredsErrorKind::ExtraLineInBlock(block)),
    }
}

fn check_jwt(jwt: &str, line: usize) -> Result<(), CredsError> {
    let parts = jwt.split('.').count();
    let ok_chars = jwt.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
    if !ok_chars {
        fail(line, CredsErrorKind::BadJwtCharacters)
    } else if parts != 3 || jwt.split('.').any(str::is_empty) {
        let parts = jwt.split('.').filter(|p| !p.is_empty()).count();
        fail(line, CredsErrorKind::TruncatedJwt { parts })
    } else {
        Ok(())
    }
}

fn check_seed(seed: &str, line: usize) -> Result<(), CredsError> {
    if !seed.starts_with("SU") {
        let prefix = seed.chars().take(2).collect();
        fail(line, CredsErrorKind::SeedNotUser { prefix })
    } else if nkeys::KeyPair::from_seed(seed).is_err() {
        fail(line, CredsErrorKind::BadSeed)
    } else {
        Ok(())
    }
}

/// Strictly parses a creds file into `(jwt, seed)`.
pub fn parse_creds(text: &str) -> Result<(String, String), CredsError> {
    let lines: Vec<&str> = text.lines().collect();
    let mut jwt: Option<String> = None;
    let mut seed: Option<String> = None;
    let mut n = 1;
    while n <= lines.len() {
        let line = lines[n - 1];
        let block = if line == JWT_BEGIN {
            Block::Jwt
        } else if line == SEED_BEGIN {
            Block::Seed
        } else {
            let t = line.trim();
            if t.starts_with("--") && t.contains("BEGIN") {
                let expected = if t.contains("SEED") { SEED_BEGIN } else { JWT_BEGIN };
                let found = marker_excerpt(line);
                return fail(n, CredsErrorKind::BadBeginMarker { expected, found });
            }
            n += 1;
            continue;
        };
        match (block, &jwt, &seed) {
            (Block::Seed, None, _) => return fail(n, CredsErrorKind::MissingJwtBlock),
            (Block::Jwt, Some(_), _) | (Block::Seed, _, Some(_)) => {
                return fail(n, CredsErrorKind::DuplicateBlock(block));
            }
            _ => {}
        }
        let (value, end) = read_block(&lines, n, block)?;
        match block {
            Block::Jwt => {
                check_jwt(&value, n + 1)?;
                jwt = Some(value);
            }
            Block::Seed => {
                check_seed(&value, n + 1)?;
                seed = Some(value);
            }
        }
        n = end + 1;
    }
    let eof = lines.len() + 1;
    match (jwt, seed) {
        (Some(j), Some(s)) => Ok((j, s)),
        (None, _) => fail(eof, CredsErrorKind::MissingJwtBlock),
        (Some(_), None) => fail(eof, CredsErrorKind::MissingSeedBlock),
    }
}
