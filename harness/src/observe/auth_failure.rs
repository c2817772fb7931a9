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
//! The reason is the last line of the same connection before the `[ERR]` line, unless that line
//! tells of a step that went well (`Client connection created`, `Authenticated JWT: ...`). Some
//! refusals log no reason (an unknown nkey, a wrong password): their `[ERR]` line names the user
//! instead (`authentication error - Nkey "U..."`).
//!
//! An auth callout explains its refusals on server-level lines, without a connection id: the
//! error it returned after the `[ERR]` line, the response that never came before it:
//!
//! ```text
//! [DBG] 127.0.0.1:57806 - cid:8 - Authenticated JWT: Client "U..." (claim-name: "sentinel", ...
//! [ERR] 127.0.0.1:57806 - cid:8 - authentication error - JWT User "U..."
//! [DBG] 127.0.0.1:57806 - cid:8 - Client connection closed: Authentication Failure
//! [WRN] Auth callout service returned an error: auth endpoint returned status 401 Unauthorized
//!
//! [DBG] Authorization callout response not received in time on account "AUTH"
//! [ERR] 127.0.0.1:53964 - cid:9 - authentication error - Token "[REDACTED]"
//! ```
//!
//! Such a line is the reason of the first refusal without a reason of its own next to it (each
//! line explains one refusal).

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

impl AuthFailure {
    /// The `[ERR]` line's text after the address and the connection id (`authentication error -
    /// User "app"`).
    pub fn text(&self) -> &str {
        cid_and_text(&self.line).map_or(self.line.as_str(), |(_, t)| t)
    }
}

/// How nats-server names a client connection in its log: `cid:` (NATS), `mid:` (MQTT), `wid:`
/// (websocket, before 2.10 folded it into `cid:`).
const CLIENT_IDS: &[&str] = &[" - cid:", " - mid:", " - wid:"];

/// The id of a client log line (`cid:5` and `mid:5` give `5`) and the text after it. 2.9 puts the
/// client's name, language and version between the two once CONNECT was read
/// (`cid:5 - "v0.51.0:rust:app" - ...`), MQTT its client id (`mid:6 - "sensor" - ...`): that part
/// is skipped.
fn cid_and_text(line: &str) -> Option<(&str, &str)> {
    let (at, tag) = CLIENT_IDS.iter().filter_map(|t| line.find(t).map(|i| (i, t))).min()?;
    let rest = &line[at + tag.len()..];
    let (cid, text) = rest.split_once(" - ")?;
    let text = match text.strip_prefix('"').and_then(|t| t.split_once("\" - ")) {
        Some((_, after)) => after,
        None => text,
    };
    Some((cid, text))
}

/// Lines a connection logs on its way in, which explain no refusal.
const NOT_REASONS: &[&str] =
    &["Client connection created", "Authenticated JWT: ", "Connected Client has JetStream denied"];

/// How many lines after an `[ERR]` line a callout's `[WRN]` is looked for.
const CALLOUT_LOOKAHEAD: usize = 40;

/// The text of a server-level line (no connection id) at `level` (`[WRN]`, `[DBG]`).
fn server_text<'a>(line: &'a str, level: &str) -> Option<&'a str> {
    if CLIENT_IDS.iter().chain(&[" - rid:", " - lid:", " - gid:"]).any(|t| line.contains(t)) {
        return None;
    }
    Some(&line[line.find(level)? + level.len() + 1..])
}

/// What an auth callout logs, after the `[ERR]` line, for an answer it refused (`processReply`
/// in nats-server's `auth_callout.go`: the error text with its first letter raised).
fn is_callout_answer(text: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "Auth callout",
        "Authorization response had validation errors",
        "Error decrypting auth callout response",
        "Error validating user JWT",
        "Expected authorized user of",
        "Authorized user on account",
        "Wrong issuer for auth callout response",
        "Error non operator mode account",
        "No valid account",
        "User JWT issuer",
        "User JWT is not",
        "User JWT generated invalid permissions",
        "Could not register auth callout user",
    ];
    PREFIXES.iter().any(|p| text.starts_with(p)) || text.contains("for auth callout")
}

/// What an auth callout logs, before the `[ERR]` line, when no answer came or no request went.
fn is_callout_silence(text: &str) -> bool {
    text.starts_with("Authorization callout response not received in time")
        || text.contains("auth callout request")
        || text.starts_with("Error setting up reply subscription for auth request")
        || text.starts_with("Error encoding auth request claim")
        || text.starts_with("Error encrypting auth request claim")
        || text.starts_with("Error sending authorization request")
}

/// The callout line that explains the refusal logged at `i` by connection `cid`: a `[WRN]` answer
/// after it, else a silence since the connection was created; `claimed` lines explain another.
fn callout_reason(lines: &[Stamped<String>], i: usize, cid: &str, claimed: &mut Vec<usize>) -> Option<String> {
    let after = (i + 1..lines.len().min(i + 1 + CALLOUT_LOOKAHEAD))
        .find(|j| !claimed.contains(j) && server_text(&lines[*j].value, "[WRN]").is_some_and(is_callout_answer));
    let before = || {
        (0..i)
            .rev()
            .take_while(|j| {
                cid_and_text(&lines[*j].value).is_none_or(|(c, t)| c != cid || t != "Client connection created")
            })
            .find(|j| {
                let l = &lines[*j].value;
                !claimed.contains(j)
                    && [server_text(l, "[DBG]"), server_text(l, "[WRN]")].into_iter().flatten().any(is_callout_silence)
            })
    };
    let j = after.or_else(before)?;
    claimed.push(j);
    let l = &lines[j].value;
    [server_text(l, "[WRN]"), server_text(l, "[DBG]")].into_iter().flatten().next().map(str::to_string)
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
    let mut claimed = Vec::new();
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
            .filter(|t| !NOT_REASONS.iter().any(|n| t.starts_with(n)))
            .map(str::to_string)
            .or_else(|| callout_reason(lines, i, cid, &mut claimed));
        out.push(AuthFailure { cid: cid.to_string(), reason, line: l.value.clone(), at: l.at });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::observe::Timeline;

    fn failures(lines: &[&str]) -> Vec<Option<String>> {
        let log = Timeline::new();
        for l in lines {
            log.push(l.to_string());
        }
        auth_failures(&log.all(), 0).into_iter().map(|f| f.reason).collect()
    }

    #[test]
    fn a_websocket_refusal_is_a_failure() {
        let got = failures(&[
            "[1] 2026/12/07 20:40:34.196001 [DBG] 127.0.0.1:52428 - wid:6 - Client connection created",
            "[1] 2026/12/07 20:40:34.197003 [ERR] 127.0.0.1:52428 - wid:6 - authentication error",
            "[1] 2026/12/07 20:40:34.197023 [ERR] 127.0.0.1:52428 - wid:6 - read error: authentication error",
        ]);
        assert_eq!(got, [None]);
    }

    #[test]
    fn a_callout_error_after_the_err_line_is_the_reason_not_the_sentinel_jwt() {
        let got = failures(&[
            "[1] 2026/12/01 21:20:45.739661 [DBG] 127.0.0.1:57806 - cid:8 - Client connection created",
            "[1] 2026/12/01 21:20:45.741138 [DBG] 127.0.0.1:57806 - cid:8 - Authenticated JWT: Client \"U1\" (claim-name: \"sentinel\", claim-tags: [])",
            "[1] 2026/12/01 21:20:45.745211 [ERR] 127.0.0.1:57806 - cid:8 - authentication error - JWT User \"U1\"",
            "[1] 2026/12/01 21:20:45.745257 [DBG] 127.0.0.1:57806 - cid:8 - Client connection closed: Authentication Failure",
            "[1] 2026/12/01 21:20:45.745317 [WRN] Auth callout service returned an error: auth endpoint returned status 401 Unauthorized",
        ]);
        assert_eq!(
            got,
            [Some("Auth callout service returned an error: auth endpoint returned status 401 Unauthorized".into())]
        );
    }

    #[test]
    fn an_unanswered_callout_is_explained_by_the_line_before() {
        let got = failures(&[
            "[1] 2026/12/01 21:21:02.916565 [DBG] 127.0.0.1:53964 - cid:9 - Client connection created",
            "[1] 2026/12/01 21:21:03.421953 [DBG] Authorization callout response not received in time on account \"AUTH\"",
            "[1] 2026/12/01 21:21:03.422053 [ERR] 127.0.0.1:53964 - cid:9 - authentication error - Token \"[REDACTED]\"",
        ]);
        assert_eq!(got, [Some("Authorization callout response not received in time on account \"AUTH\"".into())]);
    }

    #[test]
    fn each_callout_line_explains_one_refusal_and_plain_ones_keep_none() {
        let got = failures(&[
            "[1] t [DBG] 127.0.0.1:1 - cid:3 - Client connection created",
            "[1] t [ERR] 127.0.0.1:1 - cid:3 - authentication error - Token \"[REDACTED]\"",
            "[1] t [WRN] Auth callout service returned an error: first",
            "[1] t [DBG] 127.0.0.1:2 - cid:4 - Client connection created",
            "[1] t [ERR] 127.0.0.1:2 - cid:4 - authentication error - Token \"[REDACTED]\"",
            "[1] t [WRN] Auth callout service returned an error: second",
            "[1] t [DBG] 127.0.0.1:3 - cid:5 - Client connection created",
            "[1] t [ERR] 127.0.0.1:3 - cid:5 - authentication error - Nkey \"U2\"",
        ]);
        assert_eq!(
            got,
            [
                Some("Auth callout service returned an error: first".into()),
                Some("Auth callout service returned an error: second".into()),
                None
            ]
        );
    }

    #[test]
    fn an_mqtt_refusal_is_a_failure_and_its_text_has_no_id() {
        let log = Timeline::new();
        for l in [
            "[1] 2026/12/07 20:30:00.000001 [DBG] 127.0.0.1:50580 - mid:6 - Client connection created",
            "[1] 2026/12/07 20:30:00.000002 [ERR] 127.0.0.1:50580 - mid:6 - \"mosquitto\" - authentication error",
        ] {
            log.push(l.to_string());
        }
        let f = auth_failures(&log.all(), 0);
        assert_eq!((f.len(), f[0].cid.as_str(), f[0].reason.as_deref()), (1, "6", None));
        assert_eq!(f[0].text(), "authentication error");
    }

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
