//! The auth endpoint's address: plain `http://host[:port][/path]` only.
//!
//! ```
//! use natsfault::auth_bridge::EndpointUrl;
//!
//! let url = EndpointUrl::parse("http://127.0.0.1:8080/auth?x=1").unwrap();
//! assert_eq!(url.host(), "127.0.0.1");
//! assert_eq!(url.port(), 8080);
//! assert_eq!(url.path_and_query(), "/auth?x=1");
//! assert_eq!(url.authority(), "127.0.0.1:8080");
//! assert!(EndpointUrl::parse("https://127.0.0.1/auth").is_err());
//! ```

use std::fmt;

/// A parsed `http://` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointUrl {
    text: String,
    host: String,
    port: u16,
    path_and_query: String,
}

impl EndpointUrl {
    /// Parses `text`; the error says what was expected, in lowercase.
    pub fn parse(text: &str) -> Result<EndpointUrl, String> {
        let rest = text
            .strip_prefix("http://")
            .ok_or_else(|| "expected a URL starting with `http://` (https is not supported)".to_string())?;
        let (authority, path) = match rest.find(['/', '?']) {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        if authority.contains('@') {
            return Err("expected no user info in the URL".into());
        }
        let (host, port) = split_host_port(authority)?;
        if host.is_empty() {
            return Err("expected a host after `http://`".into());
        }
        let path_and_query = if path.starts_with('?') { format!("/{path}") } else { path.to_string() };
        Ok(EndpointUrl { text: text.to_string(), host, port, path_and_query })
    }

    /// The host, without brackets for IPv6.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The port (80 when not given).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The request target: path and query, at least `/`.
    pub fn path_and_query(&self) -> &str {
        &self.path_and_query
    }

    /// The `Host` header value.
    pub fn authority(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }

    /// The URL as given.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

fn split_host_port(authority: &str) -> Result<(String, u16), String> {
    let parse_port = |p: &str| p.parse::<u16>().map_err(|_| format!("expected a port number, found `{p}`"));
    if let Some(rest) = authority.strip_prefix('[') {
        let (host, after) = rest.split_once(']').ok_or_else(|| "expected `]` after an IPv6 host".to_string())?;
        let port = match after.strip_prefix(':') {
            Some(p) => parse_port(p)?,
            None if after.is_empty() => 80,
            None => return Err(format!("expected `:port` after `]`, found `{after}`")),
        };
        return Ok((host.to_string(), port));
    }
    match authority.rsplit_once(':') {
        Some((host, p)) => Ok((host.to_string(), parse_port(p)?)),
        None => Ok((authority.to_string(), 80)),
    }
}

impl fmt::Display for EndpointUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_port_and_path() {
        let url = EndpointUrl::parse("http://localhost").unwrap();
        assert_eq!((url.host(), url.port(), url.path_and_query()), ("localhost", 80, "/"));
        let url = EndpointUrl::parse("http://h:1?q").unwrap();
        assert_eq!(url.path_and_query(), "/?q");
    }

    #[test]
    fn ipv6_hosts() {
        let url = EndpointUrl::parse("http://[::1]:9/a").unwrap();
        assert_eq!((url.host(), url.port()), ("::1", 9));
        assert_eq!(url.authority(), "[::1]:9");
    }

    #[test]
    fn refusals_say_what_was_expected() {
        assert!(EndpointUrl::parse("ftp://x").unwrap_err().contains("http://"));
        assert!(EndpointUrl::parse("http://h:abc/").unwrap_err().contains("`abc`"));
        assert!(EndpointUrl::parse("http:///x").unwrap_err().contains("host"));
        assert!(EndpointUrl::parse("http://u:p@h/").unwrap_err().contains("user info"));
    }
}
