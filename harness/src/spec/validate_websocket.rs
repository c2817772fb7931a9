//! Checks of a client's `ws-headers` and `ws-cookies`: the upgrade request of a raw websocket
//! client (async-nats 0.51 sets no headers on its own), with names and values HTTP can carry.

use std::ops::Range;

use super::client::{ClientKind, ClientSpec};
use super::problem::Problem;
use super::scenario::Scenario;

/// The headers the websocket handshake writes itself (`ws-cookies` writes `Cookie`).
const HANDSHAKE_HEADERS: &[&str] =
    &["host", "upgrade", "connection", "sec-websocket-key", "sec-websocket-version", "cookie"];

/// Every problem of the clients' `ws-headers` and `ws-cookies`, `[fix.clients]` included (an
/// override is checked as the client the fixed phase plays: at its own upgrade keys, or at the
/// override when it changes the `kind`, `websocket` or TLS of a client that has them).
pub fn validate_websocket(s: &Scenario) -> Vec<Problem> {
    let src = s.source.as_str();
    let mut out = Vec::new();
    for (name, c) in &s.clients {
        out.extend(problems(s, name, c.get_ref(), c.get_ref()));
    }
    for (name, over) in s.fix.iter().flat_map(|f| f.clients.iter()) {
        let o = over.get_ref();
        let merged = s.clients.get(name).map_or_else(|| o.clone(), |base| base.get_ref().merged(o));
        out.extend(problems(s, name, &merged, o));
        let changes = o.kind.is_some() || o.websocket.is_some() || o.tls_ca.is_some() || o.tls_cert.is_some();
        let inherited = [("ws-headers", o.ws_headers.is_none() && merged.ws_headers.is_some())]
            .into_iter()
            .chain([("ws-cookies", o.ws_cookies.is_none() && merged.ws_cookies.is_some())])
            .find(|(_, i)| *i);
        if let Some((key, _)) = inherited.filter(|_| changes)
            && let Some(p) = misuse(src, name, &merged, key, over.span())
        {
            out.push(p);
        }
    }
    out
}

/// The problems of `spec`'s upgrade keys, reported at those `written` sets.
fn problems(s: &Scenario, name: &str, spec: &ClientSpec, written: &ClientSpec) -> Vec<Problem> {
    let src = s.source.as_str();
    let mut out = Vec::new();
    let keys = [("ws-headers", &written.ws_headers), ("ws-cookies", &written.ws_cookies)];
    for (key, map) in keys.into_iter().filter_map(|(k, m)| m.as_ref().map(|m| (k, m))) {
        let at = map.span();
        out.extend(misuse(src, name, spec, key, at.clone()));
        let check = if key == "ws-headers" { header } else { cookie };
        out.extend(
            map.get_ref()
                .iter()
                .filter_map(|(k, v)| check(k, v))
                .map(|m| Problem::new(src, at.clone(), m).label(format!("in `{key}` of client `{name}`"))),
        );
    }
    out
}

/// `key` on a client that sends no websocket upgrade of its own: not raw, not over websocket,
/// or over TLS.
fn misuse(src: &str, name: &str, spec: &ClientSpec, key: &str, at: Range<usize>) -> Option<Problem> {
    if spec.kind() != ClientKind::Raw {
        let kind = if spec.kind() == ClientKind::Mqtt { "an MQTT" } else { "a nats" };
        return Some(
            Problem::new(src, at, format!("expected a raw client to send `{key}`, found {kind} client `{name}`"))
                .label("upgrade headers need a raw client")
                .help("async-nats 0.51 sets no headers on its websocket upgrade: declare the client with `kind = \"raw\"` and `websocket = true`, and write its CONNECT with `raw-send`"),
        );
    }
    if spec.websocket != Some(true) {
        return Some(
            Problem::new(src, at, format!("`{key}` needs `websocket = true` on client `{name}`"))
                .label("sent only in a websocket upgrade")
                .help("add `websocket = true`: the client then dials the config's `websocket {}` listener"),
        );
    }
    (spec.tls_ca.is_some() || spec.tls_cert.is_some()).then(|| {
        Problem::new(
            src,
            at,
            format!("expected a raw websocket client on `ws://`, found `tls-ca` or `tls-cert` on client `{name}`"),
        )
        .label("a raw websocket client speaks no TLS")
        .help("use `websocket { no_tls: true }` and drop `tls-ca` / `tls-cert`")
    })
}

/// What is wrong with one header, if anything.
fn header(name: &str, value: &str) -> Option<String> {
    if http::HeaderName::from_bytes(name.as_bytes()).is_err() {
        return Some(format!("expected an HTTP header name, found `{name}`"));
    }
    if HANDSHAKE_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
        let instead = if name.eq_ignore_ascii_case("cookie") { ": put cookies in `ws-cookies`" } else { "" };
        return Some(format!("header `{name}` is written by the websocket handshake itself{instead}"));
    }
    http::HeaderValue::from_str(value).is_err().then(|| {
        format!("expected a header value of visible ASCII for `{name}`, found a line end or control character")
    })
}

/// What is wrong with one cookie, if anything (RFC 6265: a token, and a value without
/// whitespace, `"`, `,`, `;` or `\`).
fn cookie(name: &str, value: &str) -> Option<String> {
    let tchar = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if name.is_empty() || !name.chars().all(tchar) {
        return Some(format!("expected a cookie name of letters, digits and `!#$%&'*+-.^_`|~`, found `{name}`"));
    }
    let octet = |c: char| c.is_ascii_graphic() && !"\",;\\".contains(c);
    (!value.chars().all(octet))
        .then(|| format!("expected the value of cookie `{name}` without whitespace, `\"`, `,`, `;` or `\\`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handshake_headers_and_bad_names_are_refused() {
        assert!(header("X-Foo", "bar").is_none());
        assert!(header("Sec-WebSocket-Key", "x").is_some());
        assert!(header("Cookie", "jwt=x").is_some_and(|m| m.contains("ws-cookies")));
        assert!(header("bad name", "x").is_some());
        assert!(header("X-Foo", "a\nb").is_some());
    }

    #[test]
    fn cookies_follow_rfc_6265() {
        assert!(cookie("jwt", "{{user.alice.jwt}}").is_none());
        assert!(cookie("jwt", "a b").is_some());
        assert!(cookie("jwt", "a;b").is_some());
        assert!(cookie("j w t", "x").is_some());
    }
}
