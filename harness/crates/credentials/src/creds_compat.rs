//! Reading a creds file the way async-nats 0.51 does.
//!
//! async-nats (`auth_utils.rs`) finds blocks with the regex
//! `\s*(?:(?:[-]{3,}.*[-]{3,}\r?\n)([\w\-.=]+)(?:\r?\n[-]{3,}.*[-]{3,}\r?\n))`:
//! the first match is the JWT, the second the seed, which must then load
//! with `nkeys::KeyPair::from_seed`. [`check_as_async_nats`] reproduces
//! that without the regex crate.
//!
//! Accepted by async-nats but rejected by [`super::creds_file::parse_creds`]:
//! - any marker text with at least three dashes on each side: labels are
//!   not read, five-dash END lines pass, and a marker need not start its
//!   line;
//! - a JWT that is not three parts (a truncated JWT is sent as is and the
//!   server refuses it);
//! - an account or operator seed (`SA...`, `SO...`): any seed type loads;
//!   the server then refuses the nonce signature;
//! - blocks in either order, duplicates (the first two blocks win).
//!
//! Rejected by async-nats but accepted by the strict parser:
//! - no newline after the final END line (the regex needs `\r?\n` there;
//!   nats.go's regex also allows end of input);
//!
//! Rejected by both, with different messages: a stray blank line inside
//! the JWT block makes async-nats skip that block, take the seed block as
//! the JWT and report "cannot parse nkey from the credentials file".

use thiserror::Error;

/// Why async-nats would refuse a creds string (its messages, verbatim).
#[derive(Debug, Error)]
pub enum AsyncNatsCredsError {
    /// No block matched.
    #[error("cannot parse user JWT from the credentials file")]
    NoJwt,
    /// Only one block matched.
    #[error("cannot parse nkey from the credentials file")]
    NoSeed,
    /// The second block is not a seed nkeys can load.
    #[error("expected an nkeys seed in the second block: {0}")]
    BadSeed(#[source] nkeys::error::Error),
}

/// A marker line `[-]{3,}.*[-]{3,}` starting at byte `i` of `s`, followed
/// by `\r?\n`; returns the index just after the newline.
fn marker_at(s: &str, i: usize) -> Option<usize> {
    let rest = &s[i..];
    let nl = rest.find('\n')?;
    let line = &rest[..nl];
    let line = line.strip_suffix('\r').unwrap_or(line);
    let ok = line.len() >= 6 && line.starts_with("---") && line.ends_with("---");
    ok.then_some(i + nl + 1)
}

/// Regex `[\w\-.=]`; `is_alphanumeric` approximates Unicode `\w`.
fn is_token_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-' || c == '.' || c == '='
}

/// A whole decorated block starting at byte `i`: returns the token's range
/// and the index just after the END line's newline.
fn block_at(s: &str, i: usize) -> Option<((usize, usize), usize)> {
    let tok_start = marker_at(s, i)?;
    let tok_len: usize = s[tok_start..].chars().take_while(|c| is_token_char(*c)).map(char::len_utf8).sum();
    if tok_len == 0 {
        return None;
    }
    let tok_end = tok_start + tok_len;
    let after = &s[tok_end..];
    let skip = if after.starts_with("\r\n") {
        2
    } else if after.starts_with('\n') {
        1
    } else {
        return None;
    };
    // The END marker must begin right after that newline.
    let end = marker_at(s, tok_end + skip)?;
    Some(((tok_start, tok_end), end))
}

/// Finds the leftmost block at or after byte `from`, as the regex would.
fn find_block(s: &str, from: usize) -> Option<((usize, usize), usize)> {
    let mut i = from;
    while let Some(off) = s[i..].find("---") {
        let at = i + off;
        if let Some(found) = block_at(s, at) {
            return Some(found);
        }
        // Later dashes on the same line share its end; skip to the next line.
        i = match s[at..].find('\n') {
            Some(nl) => at + nl + 1,
            None => return None,
        };
    }
    None
}

/// Reads `text` as async-nats 0.51 would; returns the `(jwt, seed)` it
/// would use.
pub fn check_as_async_nats(text: &str) -> Result<(String, String), AsyncNatsCredsError> {
    let ((js, je), after_jwt) = find_block(text, 0).ok_or(AsyncNatsCredsError::NoJwt)?;
    let ((ss, se), _) = find_block(text, after_jwt).ok_or(AsyncNatsCredsError::NoSeed)?;
    let seed = &text[ss..se];
    nkeys::KeyPair::from_seed(seed).map_err(AsyncNatsCredsError::BadSeed)?;
    Ok((text[js..je].to_string(), seed.to_string()))
}
