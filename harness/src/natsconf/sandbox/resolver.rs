//! The account resolver: a directory resolver's folder is copied; an account server anywhere
//! but 127.0.0.1 is replaced by the local one, including the one an operator JWT names when
//! no resolver is set (the server would fetch from it).

use std::path::Path;

use super::files::materialize;
use super::plan::CopyKind;
use super::rewrite::{Ctx, string_node};
use super::tree::{for_each_pair_mut, has_key};
use crate::natsconf::query::{
    OPERATOR_KEYS, OperatorRef, RESOLVER_KEYS, Resolver, claims_json, find_jwt, parse_resolver_string, string_claim,
};
use crate::natsconf::value::{Entry, Node, Pair, Value};

/// A URL split into what matters here.
struct Url<'u> {
    host: &'u str,
    port: Option<&'u str>,
    /// Everything from the first `/` after the authority.
    path: &'u str,
}

fn split_url(url: &str) -> Option<Url<'_>> {
    let (_, rest) = url.split_once("://")?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let host_port = authority.rsplit('@').next().unwrap_or(authority);
    let (host, port) = if let Some(end) = host_port.strip_prefix('[').and_then(|h| h.find(']')) {
        let host = &host_port[..end + 2];
        (host, host_port[end + 2..].strip_prefix(':'))
    } else {
        match host_port.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (host_port, None),
        }
    };
    Some(Url { host, port, path })
}

impl Ctx<'_> {
    /// The replacement for an account server URL, or `None` when it is already 127.0.0.1.
    /// Returns (new URL, shown old host and port).
    fn local_url(&self, url: &str) -> Option<(String, String)> {
        let Some(parsed) = split_url(url) else {
            return Some((self.options.local_account_server.clone(), "an unreadable URL".to_string()));
        };
        let shown = match parsed.port {
            Some(port) => format!("{}:{port}", parsed.host),
            None => parsed.host.to_string(),
        };
        if parsed.host == "127.0.0.1" {
            return None;
        }
        let scheme = url.split_once("://").map(|(s, _)| s).unwrap_or("http");
        let new = if parsed.host.eq_ignore_ascii_case("localhost") || parsed.host == "[::1]" {
            match parsed.port {
                Some(port) => format!("{scheme}://127.0.0.1:{port}{}", parsed.path),
                None => format!("{scheme}://127.0.0.1{}", parsed.path),
            }
        } else {
            format!("{}{}", self.options.local_account_server.trim_end_matches('/'), parsed.path)
        };
        Some((new, shown))
    }

    /// Rewrites the resolver, or adds a local one for an operator's account server.
    pub(crate) fn resolver(&mut self) {
        if !has_key(&self.root, RESOLVER_KEYS) {
            self.operator_account_server();
            return;
        }
        let mut root = std::mem::take(&mut self.root);
        for_each_pair_mut(&mut root, &mut |pair| {
            if !RESOLVER_KEYS.iter().any(|k| pair.key.eq_ignore_ascii_case(k)) {
                return;
            }
            let at = pair.key_at;
            let key = pair.key.clone();
            if let Some(text) = pair.value.as_str().map(str::to_string) {
                let Resolver::Url { url, .. } = parse_resolver_string(&text, Default::default()) else {
                    return;
                };
                if let Some((new, shown)) = self.local_url(&url) {
                    pair.value = string_node(format!("URL({new})"), &pair.value);
                    // A query string may carry a token: the report shows the URL without it.
                    let new = new.split('?').next().unwrap_or_default().to_string();
                    self.note(
                        &key,
                        at,
                        format!(
                            "points at `{shown}`, which the sandbox must not contact; now `URL({new})`; the server \
                             checks that URL at startup and exits unless an account server answers there"
                        ),
                    );
                }
                return;
            }
            materialize(pair);
            if let Value::Map(map) = &mut pair.value.value {
                for_each_pair_mut(map, &mut |inner| {
                    if inner.key == "dir" {
                        self.rewrite_path(&format!("{key}.dir"), inner, CopyKind::Dir);
                    }
                });
            }
        });
        self.root = root;
    }

    /// With no `resolver`, nats-server uses the single operator's `account_server_url`.
    fn operator_account_server(&mut self) {
        let operators = self.config.operators();
        let [operator] = operators.as_slice() else { return };
        let jwt_text = match operator {
            OperatorRef::Inline { jwt, .. } => jwt.clone(),
            OperatorRef::Path { path, .. } => {
                let from = if Path::new(path).is_absolute() { path.into() } else { self.base_dir.join(path) };
                let Ok(text) = std::fs::read_to_string(from) else { return };
                text
            }
        };
        let Some(url) = find_jwt(&jwt_text).and_then(claims_json).and_then(|c| string_claim(&c, "account_server_url"))
        else {
            return;
        };
        let Some((new, shown)) = self.local_url(&url) else { return };
        let pos = self.root.get_any(OPERATOR_KEYS).map(|p| p.key_at).unwrap_or_default();
        let value = format!("URL({}/accounts)", new.trim_end_matches('/'));
        self.root.entries.push(Entry::Pair(Pair {
            key: "resolver".into(),
            key_at: pos,
            value: Node { value: Value::String(value.clone()), at: pos },
        }));
        self.note(
            "resolver",
            pos,
            format!(
                "added as `{value}`: the operator JWT names the account server `{shown}`, which the server would \
                 contact and the sandbox must not; the server checks that URL at startup and exits unless an \
                 account server answers there"
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::split_url;

    #[test]
    fn splits_urls() {
        let url = split_url("http://user:pw@accounts.example.com:9090/jwt/v1/accounts/").unwrap();
        assert_eq!((url.host, url.port, url.path), ("accounts.example.com", Some("9090"), "/jwt/v1/accounts/"));
        let url = split_url("https://[::1]:8080").unwrap();
        assert_eq!((url.host, url.port, url.path), ("[::1]", Some("8080"), ""));
        assert!(split_url("nonsense").is_none());
    }
}
