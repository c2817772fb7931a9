//! The guard: what a config that keeps its own listener blocks (a scenario's servers, which
//! form clusters, leafnodes and gateways among themselves) may not do. It reads the same key
//! table as the rewrite, folds keys as nats-server folds them and reads URLs as Go's
//! `net/url` does; where the rewrite removes a key from a customer's config, the guard refuses
//! it with its position.

use super::go_url::{GoUrl, parse as parse_url};
use super::rules::{
    ADVERTISE_KEYS, BLOCK_BOUND_KEYS, LISTENER_BLOCKS, TLS_BLOCKS, TLS_CERT_LISTS, TLS_FILE_KEYS, guarded_reason,
};
use crate::config::Config;
use crate::key::{key_in, key_is};
use crate::location::Pos;
use crate::value::{Map, Node, Pair, Value};

/// One thing the guard refuses, with the key's position.
///
/// ```
/// use natsfault_natsconf::{Config, ParseOptions, guard};
/// let config = Config::parse_str("remote_syslog: \"udp://10.0.0.9:514\"", "nats.conf", &ParseOptions::default())?;
/// let breaches = guard(&config, &|_| false);
/// assert_eq!(breaches[0].key, "remote_syslog");
/// assert!(breaches[0].what.contains("another host"));
/// # Ok::<(), natsfault_natsconf::ConfError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Breach {
    /// The key, as a dotted path of the keys as written (`cluster.lİsten`).
    pub key: String,
    /// Where the key is.
    pub at: Pos,
    /// Where the offending value is (a URL, a path), when it is a value.
    pub value_at: Option<Pos>,
    /// What it would do, lowercase (`would open a profiling port`).
    pub what: String,
    /// What kind of value is refused.
    pub kind: BreachKind,
}

/// What a [`Breach`] refuses.
///
/// ```
/// use natsfault_natsconf::BreachKind;
/// assert_ne!(BreachKind::Url, BreachKind::Path);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreachKind {
    /// The key itself (a listener, a log file, an OCSP check).
    Key,
    /// A URL the server would dial.
    Url,
    /// A path the server would read or write outside its folder.
    Path,
}

/// A URL the guard lets a server dial: `peer` decides (a server of the same scenario, natsfault's
/// account server); anything that does not parse as Go parses it is refused.
pub type PeerCheck<'a> = &'a dyn Fn(&GoUrl) -> bool;

/// Every breach of `config`: listeners the harness does not bind, files written or read outside
/// the sandbox, dials to anything `peer` does not accept.
///
/// ```
/// use natsfault_natsconf::{Config, ParseOptions, guard};
/// let text = "cluster { lİsten: \"0.0.0.0:6222\", routes: [\"nats://127.0.0.2:6222#@peer:1\"] }";
/// let config = Config::parse_str(text, "nats.conf", &ParseOptions::default())?;
/// let breaches = guard(&config, &|url| url.host() == "peer");
/// assert_eq!(breaches.len(), 2, "{breaches:?}");
/// assert!(breaches[1].what.contains("127.0.0.2:6222"));
/// # Ok::<(), natsfault_natsconf::ConfError>(())
/// ```
pub fn guard(config: &Config, peer: PeerCheck<'_>) -> Vec<Breach> {
    let mut out = Vec::new();
    for pair in config.root().pairs() {
        top_level(pair, peer, &mut out);
    }
    out.sort_by_key(|b| b.at);
    out
}

fn breach(out: &mut Vec<Breach>, key: String, at: Pos, value_at: Option<Pos>, what: impl Into<String>) {
    out.push(Breach { key, at, value_at, what: what.into(), kind: BreachKind::Key });
}

fn breach_of(out: &mut Vec<Breach>, kind: BreachKind, key: &str, at: Pos, value_at: Pos, what: String) {
    out.push(Breach { key: key.to_string(), at, value_at: Some(value_at), what, kind });
}

fn top_level(pair: &Pair, peer: PeerCheck<'_>, out: &mut Vec<Breach>) {
    let key = pair.key.as_str();
    if let Some(why) = guarded_reason(key) {
        breach(out, key.to_string(), pair.key_at, None, why);
        return;
    }
    let value = pair.value.resolved();
    if key_in(key, LISTENER_BLOCKS) {
        if let Some(block) = value.as_map() {
            listener_block(key, block, peer, out);
        }
    } else if key_in(key, TLS_BLOCKS) {
        if let Some(block) = value.as_map() {
            tls_block(key, block, out);
        }
    } else if key_is(key, "ocsp") {
        if let Some(map) = value.as_map() {
            for inner in map.pairs().into_iter().filter(|p| key_in(&p.key, &["url", "urls"])) {
                breach(
                    out,
                    format!("{key}.{}", inner.key),
                    inner.key_at,
                    Some(inner.value.at),
                    "would make the server contact an OCSP responder",
                );
            }
        }
    } else if key_is(key, "jetstream") {
        if let Some(map) = value.as_map() {
            for inner in map.pairs().into_iter().filter(|p| key_is(&p.key, "tpm")) {
                breach(
                    out,
                    format!("{key}.{}", inner.key),
                    inner.key_at,
                    None,
                    "would read and write its keys file outside the sandbox",
                );
            }
        }
    } else if key_in(key, &["resolver", "account_resolver", "accounts_resolver"]) {
        resolver(key, &pair.value, peer, out);
    } else if key_in(key, crate::query::OPERATOR_KEYS) {
        for node in items(value) {
            if let Some(path) = node.resolved().as_str().filter(|p| !p.starts_with("eyJ")) {
                path_rule(out, key, pair.key_at, node.at, path);
            }
        }
    }
}

/// `cluster`, `leafnodes`, `gateway`, `websocket`, `mqtt`: the harness binds the listener; routes,
/// remotes and gateways must be peers; TLS files stay in the sandbox.
fn listener_block(block: &str, map: &Map, peer: PeerCheck<'_>, out: &mut Vec<Breach>) {
    for inner in map.pairs() {
        let key = format!("{block}.{}", inner.key);
        let value = inner.value.resolved();
        if key_in(&inner.key, BLOCK_BOUND_KEYS) {
            breach(
                out,
                key,
                inner.key_at,
                None,
                "would choose the listener's address; the harness binds every listener itself",
            );
        } else if key_in(&inner.key, ADVERTISE_KEYS) {
            breach(out, key, inner.key_at, None, "would tell peers to dial another address");
        } else if key_is(&inner.key, "routes") {
            urls(out, &key, inner.key_at, value, peer);
        } else if key_is(&inner.key, "tls") {
            if let Some(tls) = value.as_map() {
                tls_block(&key, tls, out);
            }
        } else if key_in(&inner.key, &["remotes", "gateways"]) {
            for (i, item) in items(value).into_iter().enumerate() {
                let Some(remote) = item.resolved().as_map() else { continue };
                remote_entry(&format!("{key}[{i}]"), remote, peer, out);
            }
        }
    }
}

/// One leafnode remote or gateway: its URLs, credentials, proxy and TLS.
fn remote_entry(path: &str, map: &Map, peer: PeerCheck<'_>, out: &mut Vec<Breach>) {
    for inner in map.pairs() {
        let key = format!("{path}.{}", inner.key);
        let value = inner.value.resolved();
        if key_in(&inner.key, &["url", "urls"]) {
            urls(out, &key, inner.key_at, value, peer);
        } else if key_in(&inner.key, &["credentials", "creds"]) {
            if let Some(p) = value.as_str() {
                path_rule(out, &key, inner.key_at, inner.value.at, p);
            }
        } else if key_is(&inner.key, "proxy") {
            for url in value.as_map().map(Map::pairs).unwrap_or_default().into_iter().filter(|p| key_is(&p.key, "url"))
            {
                urls(out, &format!("{key}.{}", url.key), url.key_at, url.value.resolved(), peer);
            }
        } else if key_is(&inner.key, "tls")
            && let Some(tls) = value.as_map()
        {
            tls_block(&key, tls, out);
        }
    }
}

/// A TLS block: files stay in the sandbox; no OCSP peer checks (they dial responders).
fn tls_block(block: &str, map: &Map, out: &mut Vec<Breach>) {
    for inner in map.pairs() {
        let key = format!("{block}.{}", inner.key);
        let value = inner.value.resolved();
        if key_is(&inner.key, "ocsp_peer") && value.as_bool() != Some(false) {
            breach(out, key, inner.key_at, None, "would make the server contact OCSP responders");
        } else if key_in(&inner.key, TLS_FILE_KEYS) {
            if let Some(p) = value.as_str() {
                path_rule(out, &key, inner.key_at, inner.value.at, p);
            }
        } else if key_in(&inner.key, TLS_CERT_LISTS) {
            for item in items(value) {
                for file in item.resolved().as_map().map(Map::pairs).unwrap_or_default() {
                    if let (true, Some(p)) = (key_in(&file.key, TLS_FILE_KEYS), file.value.resolved().as_str()) {
                        path_rule(out, &format!("{key}.{}", file.key), file.key_at, file.value.at, p);
                    }
                }
            }
        }
    }
}

/// `resolver: URL(...)` dials; `resolver { dir }` writes.
fn resolver(key: &str, node: &Node, peer: PeerCheck<'_>, out: &mut Vec<Breach>) {
    let value = node.resolved();
    if let Some(text) = value.as_str() {
        let trimmed = text.trim();
        if let Some(url) = trimmed.strip_prefix("URL(").or_else(|| trimmed.strip_prefix("url(")) {
            let url = url.trim_end_matches(')');
            check_url(out, key, node.at, node.at, url, peer);
        }
    } else if let Some(map) = value.as_map() {
        for dir in map.pairs().into_iter().filter(|p| p.key == "dir") {
            if let Some(p) = dir.value.resolved().as_str() {
                path_rule(out, &format!("{key}.dir"), dir.key_at, dir.value.at, p);
            }
        }
    }
}

fn urls(out: &mut Vec<Breach>, key: &str, key_at: Pos, value: &Node, peer: PeerCheck<'_>) {
    for node in items(value) {
        if let Some(url) = node.resolved().as_str() {
            check_url(out, key, key_at, node.at, url, peer);
        }
    }
}

fn check_url(out: &mut Vec<Breach>, key: &str, key_at: Pos, at: Pos, url: &str, peer: PeerCheck<'_>) {
    let what = match parse_url(url) {
        Ok(parsed) if peer(&parsed) => return,
        Ok(parsed) => format!(
            "would dial `{}` (read as Go's net/url reads `{}`), which is not a server of this run",
            parsed.host_port().unwrap_or_default(),
            shown_url(url)
        ),
        Err(e) => format!("would not be read: `{}` is not a URL nats-server reads ({})", shown_url(url), e.0),
    };
    breach_of(out, BreachKind::Url, key, key_at, at, what);
}

/// A URL without its userinfo (which may hold a password).
fn shown_url(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => match rest.rsplit_once('@') {
            Some((_, host)) => format!("{scheme}://…@{host}"),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

/// A path the server reads or writes must stay in its working folder, the sandbox: relative,
/// without `..`.
fn path_rule(out: &mut Vec<Breach>, key: &str, key_at: Pos, at: Pos, path: &str) {
    let outside = path.starts_with('/')
        || path.starts_with('~')
        || path.contains('\\')
        || path.split('/').any(|part| part == "..");
    if outside {
        let what = format!("would read or write `{path}`, outside the server's folder");
        breach_of(out, BreachKind::Path, key, key_at, at, what);
    }
}

/// The items of an array, or the value itself.
fn items(node: &Node) -> Vec<&Node> {
    match &node.resolved().value {
        Value::Array(a) => a.iter().collect(),
        _ => vec![node],
    }
}
