//! The account resolver: a directory resolver's account JWTs are copied; every account server
//! URL is replaced by natsfault's local one, whatever its host (a URL is read as Go's `net/url`
//! reads it, so `http://remote/#@127.0.0.1` is `remote`), including the one an operator JWT
//! names when no resolver is set (the server would fetch from it).

use std::path::Path;

use super::files::materialize;
use super::go_url;
use super::rewrite::{Ctx, string_node};
use super::tree::{for_each_pair_mut, has_key};
use crate::key::key_in;
use crate::query::{
    OPERATOR_KEYS, OperatorRef, RESOLVER_KEYS, Resolver, claims_json, find_jwt, parse_resolver_string, string_claim,
};
use crate::value::{Entry, Node, Pair, Value};

impl Ctx<'_> {
    /// The local account server that replaces `url`, whatever its host: the customer's account
    /// server is never contacted from here. Returns (new URL, what to say about the old one).
    /// The path is kept (the local server answers any); userinfo, query and fragment go.
    fn local_url(&self, url: &str) -> (String, String) {
        let local = self.options.local_account_server.trim_end_matches('/');
        match go_url::parse(url) {
            Ok(parsed) => {
                let path = parsed.path.clone().filter(|p| p.starts_with('/')).unwrap_or_default();
                let shown = match parsed.host_port() {
                    Some(host) => format!("the account server `{host}`"),
                    None => "a URL without a host".to_string(),
                };
                (format!("{local}{path}"), shown)
            }
            Err(e) => (
                format!("{local}/"),
                format!("a URL nats-server refuses ({}: `error parsing account resolver url`)", e.0),
            ),
        }
    }

    /// Rewrites the resolver, or adds a local one for an operator's account server.
    pub(crate) fn resolver(&mut self) {
        if !has_key(&self.root, RESOLVER_KEYS) {
            self.operator_account_server();
            return;
        }
        let mut root = std::mem::take(&mut self.root);
        for_each_pair_mut(&mut root, &mut |pair| {
            if !key_in(&pair.key, RESOLVER_KEYS) {
                return;
            }
            let at = pair.key_at;
            let key = pair.key.clone();
            if let Some(text) = pair.value.as_str().map(str::to_string) {
                let Resolver::Url { url, .. } = parse_resolver_string(&text, Default::default()) else {
                    return;
                };
                let (new, shown) = self.local_url(&url);
                pair.value = string_node(format!("URL({new})"), &pair.value);
                self.note(
                    &key,
                    at,
                    format!(
                        "points at {shown}, which the sandbox never contacts, whatever its host; now `URL({new})`, \
                         natsfault's local account server; the server checks that URL at startup and exits unless \
                         an account server answers there"
                    ),
                );
                return;
            }
            materialize(pair);
            if let Value::Map(map) = &mut pair.value.value {
                for_each_pair_mut(map, &mut |inner| {
                    // nats-server reads `dir` with exact case.
                    if inner.key == "dir" {
                        self.copy_account_jwts(&format!("{key}.dir"), inner);
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
                let from: std::path::PathBuf =
                    if Path::new(path).is_absolute() { path.into() } else { self.base_dir.join(path) };
                if self.refuse_read(&from, super::plan::CopyKind::File).is_some() {
                    return;
                }
                let Ok(text) = read_bounded_text(&from, self.options.max_copy_bytes) else { return };
                text
            }
        };
        let Some(url) = find_jwt(&jwt_text).and_then(claims_json).and_then(|c| string_claim(&c, "account_server_url"))
        else {
            return;
        };
        let (new, shown) = self.local_url(&url);
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
                "added as `{value}`, natsfault's local account server: the operator JWT names {shown}, which the \
                 server would contact and the sandbox never does, whatever its host; the server checks that URL at startup and exits unless an \
                 account server answers there"
            ),
        );
    }
}

/// A file's text, read no further than `limit` bytes (the size was checked from its metadata;
/// this bounds a file that grows meanwhile).
fn read_bounded_text(path: &Path, limit: u64) -> std::io::Result<String> {
    use std::io::Read;
    let mut text = String::new();
    std::fs::File::open(path)?.take(limit).read_to_string(&mut text)?;
    Ok(text)
}
