//! Authentication failures in the server's debug log, with the reason the server gives.
//!
//! nats-server 2.15.1 (`-D`) logs a refused client as three lines (the reasons seen for each
//! cause are listed in `scenarios/IDENTITIES.md`):
//!
//! ```text
//! [DBG] 127.0.0.1:51572 - cid:5 - User authentication revoked
//! [ERR] 127.0.0.1:51572 - cid:5 - authentication error
//! [DBG] 127.0.0.1:51572 - cid:5 - Client connection closed: Authentication Failure
//! ```
//!
//! The reason is the last line of the same connection before the `[ERR]` line, other than
//! `Client connection created`. Some refusals log no reason (an unknown nkey, a wrong password):
//! their `[ERR]` line names the user instead (`authentication error - Nkey "U..."`).

use std::time::Instant;

use super::timeline::Stamped;

/// One `authentication error` of the server log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthFailure {
    /// The connection id (`cid:5` gives `5`).
    pub cid: String,
    /// The debug reason, without address and cid (e.g. `User authentication revoked`).
    pub reason: Option<String>,
    /// The `[ERR]` line.
    pub line: String,
    /// When the `[ERR]` line was logged.
    pub at: Instant,
}

/// The `cid:N` of a client log line and the text after it. 2.9 puts the client's name, language
/// and version between the two once CONNECT was read (`cid:5 - "v0.51.0:rust:app" - ...`);
/// that part is skipped.
fn cid_and_text(line: &str) -> Option<(&str, &str)> {
    let rest = &line[line.find(" - cid:")? + " - cid:".len()..];
    let (cid, text) = rest.split_once(" - ")?;
    let text = match text.strip_prefix('"').and_then(|t| t.split_once("\" - ")) {
        Some((_, after)) => after,
        None => text,
    };
    Some((cid, text))
}

/// Every authentication failure logged at index `from` or later of `lines`; reasons are looked
/// up in all of `lines`.
///
/// ```
/// use natsfault::observe::{Timeline, auth_failures};
/// let log = Timeline::new();
/// for l in [
///     "[1] 2026/11/28 13:16:41.505269 [DBG] 127.0.0.1:51572 - cid:5 - Client connection created",
///     "[1] 2026/11/28 13:16:41.517511 [DBG] 127.0.0.1:51572 - cid:5 - User authentication revoked",
///     "[1] 2026/11/28 13:16:41.517532 [ERR] 127.0.0.1:51572 - cid:5 - authentication error",
/// ] {
///     log.push(l.to_string());
/// }
/// let f = auth_failures(&log.all(), 0);
/// assert_eq!(f[0].reason.as_deref(), Some("User authentication revoked"));
/// ```
pub fn auth_failures(lines: &[Stamped<String>], from: usize) -> Vec<AuthFailure> {
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate().skip(from) {
        if !l.value.contains("[ERR]") {
            continue;
        }
        let Some((cid, text)) = cid_and_text(&l.value) else { continue };
        if !text.starts_with("authentication error") {
            continue;
        }
        let reason = lines[..i]
            .iter()
            .rev()
            .filter_map(|p| cid_and_text(&p.value).filter(|(c, _)| *c == cid).map(|(_, t)| t))
            .next()
            .filter(|t| *t != "Client connection created")
            .map(str::to_string);
        out.push(AuthFailure { cid: cid.to_string(), reason, line: l.value.clone(), at: l.at });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::observe::Timeline;

    #[test]
    fn the_2_9_client_identity_between_cid_and_text_is_skipped() {
        let log = Timeline::new();
        for l in [
            "[1] 2026/11/28 16:32:14.012800 [DBG] 127.0.0.1:50580 - cid:5 - \"v0.51.0:rust:app\" - User JWT no longer valid",
            "[1] 2026/11/28 16:32:14.012926 [ERR] 127.0.0.1:50580 - cid:5 - \"v0.51.0:rust:app\" - authentication error",
        ] {
            log.push(l.to_string());
        }
        let f = auth_failures(&log.all(), 0);
        assert_eq!((f.len(), f[0].reason.as_deref()), (1, Some("User JWT no longer valid")));
    }
}
