//! URLs read as nats-server reads them, with Go's `net/url.Parse`: the fragment is cut at the
//! first `#` and the query at the first `?` before the authority is looked at, the userinfo runs
//! up to the LAST `@` of the authority, and a URL without `scheme://` has no host at all. So in
//! `http://h:1/x/#@127.0.0.1` and `http://h:1/x?@127.0.0.1` the host is `h`, and in
//! `http://u:p@ss@h:1/` it is `h` too.

/// The parts of a URL that say where a client connects and what it asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoUrl {
    /// The scheme, lowercased as Go does (empty when there is none).
    pub(crate) scheme: String,
    /// The host (percent escapes decoded; IPv6 literals keep their brackets); empty when the
    /// URL has no authority.
    pub(crate) host: String,
    /// The port text after the host's last `:` (outside brackets), if any.
    pub(crate) port: Option<String>,
    /// Whether a userinfo (`user:password@`) was given; it is never kept.
    pub(crate) has_userinfo: bool,
    /// The path as written (escaped), empty when there is none; `None` for an opaque URL
    /// (`scheme:rest` without `//`).
    pub(crate) path: Option<String>,
}

impl GoUrl {
    /// The host a client dials (IPv6 literals keep their brackets); empty without one.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The port as written, if any.
    pub fn port(&self) -> Option<&str> {
        self.port.as_deref()
    }

    /// The scheme, lowercased.
    pub fn scheme(&self) -> &str {
        &self.scheme
    }

    /// `host:port` as a client would dial it, without userinfo; `None` without a host.
    pub fn host_port(&self) -> Option<String> {
        if self.host.is_empty() {
            return None;
        }
        Some(match &self.port {
            Some(port) if !port.is_empty() => format!("{}:{port}", self.host),
            _ => self.host.clone(),
        })
    }
}

/// Why Go's `url.Parse` refuses a URL (its own words).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoUrlError(pub &'static str);

impl std::fmt::Display for GoUrlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

/// Parses `raw` as Go's `url.Parse` does (nats-server trims spaces first).
pub fn parse(raw: &str) -> Result<GoUrl, GoUrlError> {
    let raw = raw.trim();
    let (before_fragment, fragment) = match raw.split_once('#') {
        Some((u, f)) => (u, Some(f)),
        None => (raw, None),
    };
    if before_fragment.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return Err(GoUrlError("net/url: invalid control character in URL"));
    }
    if let Some(fragment) = fragment {
        unescape(fragment, false)?;
    }
    let (scheme, rest) = scheme(before_fragment)?;
    let rest = match rest.strip_suffix('?').filter(|r| !r.contains('?')) {
        Some(r) => r,
        None => rest.split_once('?').map_or(rest, |(r, _query)| r),
    };
    let mut url =
        GoUrl { scheme: scheme.to_ascii_lowercase(), host: String::new(), port: None, has_userinfo: false, path: None };
    if !rest.starts_with('/') {
        if !url.scheme.is_empty() {
            return Ok(url);
        }
        if rest.split('/').next().is_some_and(|segment| segment.contains(':')) {
            return Err(GoUrlError("first path segment in URL cannot contain colon"));
        }
    }
    let mut path = rest;
    if (!url.scheme.is_empty() || !rest.starts_with("///")) && rest.starts_with("//") {
        let after = &rest[2..];
        let (authority, tail) = match after.find('/') {
            Some(i) => (&after[..i], &after[i..]),
            None => (after, ""),
        };
        let host = match authority.rfind('@') {
            Some(i) => {
                url.has_userinfo = true;
                &authority[i + 1..]
            }
            None => authority,
        };
        let (host, port) = split_host(host)?;
        url.host = unescape(host, true)?;
        url.port = port.map(str::to_string);
        path = tail;
    }
    unescape(path, false)?;
    url.path = Some(path.to_string());
    Ok(url)
}

/// The scheme and the rest, as Go's `getScheme`.
fn scheme(raw: &str) -> Result<(&str, &str), GoUrlError> {
    for (i, c) in raw.bytes().enumerate() {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' if i > 0 => {}
            b':' if i == 0 => return Err(GoUrlError("missing protocol scheme")),
            b':' => return Ok((&raw[..i], &raw[i + 1..])),
            _ => return Ok(("", raw)),
        }
    }
    Ok(("", raw))
}

/// Host and optional port, as Go's `parseHost` checks them.
fn split_host(host: &str) -> Result<(&str, Option<&str>), GoUrlError> {
    if host.starts_with('[') {
        let end = host.rfind(']').ok_or(GoUrlError("missing ']' in host"))?;
        let colon_port = &host[end + 1..];
        return match colon_port {
            "" => Ok((host, None)),
            _ => match colon_port.strip_prefix(':') {
                Some(port) if port.bytes().all(|b| b.is_ascii_digit()) => Ok((&host[..=end], Some(port))),
                _ => Err(GoUrlError("invalid port after host")),
            },
        };
    }
    match host.rfind(':') {
        Some(i) if host[i + 1..].bytes().all(|b| b.is_ascii_digit()) => Ok((&host[..i], Some(&host[i + 1..]))),
        Some(_) => Err(GoUrlError("invalid port after host")),
        None => Ok((host, None)),
    }
}

/// Percent escapes decoded; a `%` not followed by two hex digits is an error, as in Go. In a
/// host (`host: true`) Go also refuses escapes of ASCII other than `%25` and characters that
/// would need escaping.
fn unescape(text: &str, host: bool) -> Result<String, GoUrlError> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
            let value = hex
                .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or(GoUrlError("invalid URL escape"))?;
            if host && value < 0x80 && value != b'%' {
                return Err(GoUrlError("invalid URL escape"));
            }
            out.push(value);
            i += 3;
        } else {
            if host && bytes[i] < 0x80 && !host_char(bytes[i]) {
                return Err(GoUrlError("invalid character in host name"));
            }
            out.push(bytes[i]);
            i += 1;
        }
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// ASCII characters Go leaves unescaped in a host.
fn host_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-_.~!$&'()*+,;=:[]<>\"".contains(&b)
}

#[cfg(test)]
mod tests {
    use super::{GoUrlError, parse};

    fn host_port(raw: &str) -> Option<String> {
        parse(raw).ok().and_then(|u| u.host_port())
    }

    #[test]
    fn plain_urls() {
        let url = parse("http://accounts.example.com:9090/jwt/v1/accounts/").unwrap();
        assert_eq!((url.scheme.as_str(), url.host.as_str()), ("http", "accounts.example.com"));
        assert_eq!((url.port.as_deref(), url.path.as_deref()), (Some("9090"), Some("/jwt/v1/accounts/")));
        assert_eq!(host_port("https://[::1]:8080").as_deref(), Some("[::1]:8080"));
        assert_eq!(host_port("http://[fe80::1%25en0]/x").as_deref(), Some("[fe80::1%en0]"));
        assert_eq!(parse("http://h").unwrap().path.as_deref(), Some(""));
    }

    #[test]
    fn fragment_and_query_end_the_authority_first() {
        for raw in [
            "http://127.0.0.2:9090/jwt/v1/accounts/#@127.0.0.1",
            "http://127.0.0.2:9090/jwt/v1/accounts/?@127.0.0.1",
            "http://127.0.0.2:9090#@127.0.0.1/x",
            "http://127.0.0.2:9090?@127.0.0.1/x",
            "http://127.0.0.2:9090?a=b#@127.0.0.1",
        ] {
            assert_eq!(host_port(raw).as_deref(), Some("127.0.0.2:9090"), "{raw}");
        }
        assert_eq!(parse("http://127.0.0.2:9090/a/?@127.0.0.1").unwrap().path.as_deref(), Some("/a/"));
    }

    #[test]
    fn userinfo_runs_to_the_last_at() {
        let url = parse("http://admin:p@ss@127.0.0.2:9090/jwt/").unwrap();
        assert!(url.has_userinfo);
        assert_eq!(url.host_port().as_deref(), Some("127.0.0.2:9090"));
        assert_eq!(host_port("http://127.0.0.1@127.0.0.2:1/").as_deref(), Some("127.0.0.2:1"));
        // An `@` after the first `/` is in the path, not the authority.
        assert_eq!(host_port("http://127.0.0.2:1/@127.0.0.1").as_deref(), Some("127.0.0.2:1"));
    }

    #[test]
    fn scheme_case_and_missing_schemes() {
        let url = parse("HTTP://127.0.0.2:1/x").unwrap();
        assert_eq!((url.scheme.as_str(), url.host_port().as_deref()), ("http", Some("127.0.0.2:1")));
        // `host:port/path` reads as scheme `host` and an opaque rest: no host to dial.
        let url = parse("accounts.internal:9090/jwt/").unwrap();
        assert_eq!((url.scheme.as_str(), url.host_port(), url.path), ("accounts.internal", None, None));
        assert_eq!(parse("127.0.0.2:9090/jwt/"), Err(GoUrlError("first path segment in URL cannot contain colon")));
        assert_eq!(host_port("//127.0.0.2:1/x").as_deref(), Some("127.0.0.2:1"));
        assert_eq!(host_port("localhost/x"), None);
        assert_eq!(parse(":x"), Err(GoUrlError("missing protocol scheme")));
    }

    #[test]
    fn go_refusals() {
        assert_eq!(parse("http://h:abc/"), Err(GoUrlError("invalid port after host")));
        assert_eq!(parse("http://[::1/"), Err(GoUrlError("missing ']' in host")));
        assert_eq!(parse("http://h/%zz"), Err(GoUrlError("invalid URL escape")));
        assert_eq!(parse("http://h/\u{1}"), Err(GoUrlError("net/url: invalid control character in URL")));
        assert_eq!(parse("http://%31%32%37.0.0.2:1/"), Err(GoUrlError("invalid URL escape")));
        assert_eq!(parse("http://h\\x:1/"), Err(GoUrlError("invalid character in host name")));
    }
}
