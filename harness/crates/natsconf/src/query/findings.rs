//! Walks the blocks an auth diagnosis reads and reports unknown, misplaced, case-ignored,
//! case-ambiguous and overridden keys (the mistakes troubleshooting guides make).

use std::collections::BTreeMap;

use super::finding::{Finding, FindingKind, Sink, join};
use super::known_keys::{KnownKey, known_key, table_for};
use super::users::{read_accounts, read_authorization};
use crate::config::Config;
use crate::key::{fold, key_in, key_is};
use crate::value::Map;

impl Config {
    /// Problems nats-server would refuse or silently ignore in the top level, `authorization`,
    /// its users and permissions, `auth_callout` and `accounts`.
    ///
    /// ```
    /// use natsfault_natsconf::{Config, FindingKind, ParseOptions};
    /// let config = Config::parse_str("authorization {\n  type: jwt\n}", "nats.conf", &ParseOptions::default())?;
    /// let finding = &config.findings()[0];
    /// assert_eq!((finding.kind, finding.key.as_str()), (FindingKind::UnknownKey, "authorization.type"));
    /// assert_eq!(finding.at.to_string(), "nats.conf:2:3");
    /// # Ok::<(), natsfault_natsconf::ConfError>(())
    /// ```
    pub fn findings(&self) -> Vec<Finding> {
        let mut sink = Sink::new(self);
        read_authorization(&mut sink);
        read_accounts(&mut sink);
        let mut path = Vec::new();
        check_map(&mut sink, self.root(), &mut path);
        check_exact_case(&mut sink, self.root());
        check_preload_resolver(&mut sink, self);
        let mut findings = sink.findings;
        findings.sort_by(|a, b| a.at.cmp(&b.at));
        findings
    }
}

fn check_map(sink: &mut Sink<'_>, map: &Map, path: &mut Vec<String>) {
    let dotted = path.join(".");
    check_repeats(sink, map, &dotted);
    let has_table = table_for(path).is_some();
    for pair in map.pairs() {
        let key_path = join(&dotted, &pair.key);
        if has_table && !sink.config.is_used_variable(pair.key_at) && known_key(path, &pair.key) == KnownKey::Unknown {
            let (kind, what) = unknown_key_advice(path, &pair.key);
            sink.report(kind, &key_path, pair.key_at, what);
        }
        if key_is(&pair.key, "nkey")
            && path.last().is_some_and(|k| key_is(k, "users"))
            && pair.value.as_str().is_some_and(|v| v.starts_with('S'))
        {
            sink.report(
                FindingKind::WrongType,
                &key_path,
                pair.key_at,
                "holds a seed (a private key); expected the public key `U...`; nats-server refuses to start: \
                 `Not a valid public nkey for a user`",
            );
        }
        path.push(pair.key.clone());
        let descend = table_for(path).is_some() || (path.len() == 1 && key_is(&pair.key, "accounts"));
        if descend {
            if let Some(child) = pair.value.as_map() {
                check_map(sink, child, path);
            } else if let Some(items) = pair.value.as_array() {
                for child in items.iter().filter_map(|item| item.as_map()) {
                    check_map(sink, child, path);
                }
            }
        }
        path.pop();
    }
}

/// Keys repeated in one map: exact repeats (the last wins) and case variants (random winner).
fn check_repeats(sink: &mut Sink<'_>, map: &Map, dotted: &str) {
    let mut by_lower: BTreeMap<String, Vec<(String, crate::location::Pos)>> = BTreeMap::new();
    for pair in map.pairs() {
        by_lower.entry(fold(&pair.key).into_owned()).or_default().push((pair.key.clone(), pair.key_at));
    }
    for keys in by_lower.values() {
        let Some((last_key, last_at)) = keys.last() else { continue };
        let later = sink.loc(*last_at);
        for (key, at) in &keys[..keys.len() - 1] {
            if key == last_key {
                sink.report(
                    FindingKind::Overridden,
                    &join(dotted, key),
                    *at,
                    format!("is set again at {later}; nats-server keeps only the later value"),
                );
            } else {
                sink.report(
                    FindingKind::AmbiguousCase,
                    &join(dotted, key),
                    *at,
                    format!(
                        "and `{last_key}` at {later} differ only in case; nats-server reads both in random order, \
                         so either may win at each start; keep one"
                    ),
                );
            }
        }
    }
}

/// Keys the server looks up with exact case, so other spellings are silently ignored.
fn check_exact_case(sink: &mut Sink<'_>, root: &Map) {
    for pair in root.pairs() {
        for exact in ["system_account", "system"] {
            if key_is(&pair.key, exact) && pair.key != exact {
                sink.report(
                    FindingKind::IgnoredCase,
                    &pair.key,
                    pair.key_at,
                    format!(
                        "is ignored: nats-server looks up `{exact}` with exact case, so the system account stays \
                         the default `$SYS`; write `{exact}`"
                    ),
                );
            }
        }
        let is_resolver = key_in(&pair.key, super::RESOLVER_KEYS);
        let Some(map) = pair.value.as_map().filter(|_| is_resolver) else { continue };
        for inner in map.pairs() {
            let exact = ["dir", "type", "allow_delete", "hard_delete", "limit", "ttl", "interval", "timeout"]
                .into_iter()
                .find(|k| key_is(&inner.key, k) && inner.key != *k);
            if let Some(exact) = exact {
                sink.report(
                    FindingKind::IgnoredCase,
                    &join(&pair.key, &inner.key),
                    inner.key_at,
                    format!("is ignored: nats-server reads resolver settings with exact case; write `{exact}`"),
                );
            }
        }
    }
}

/// What to say about an unknown key: where it belongs, or what exists instead.
fn unknown_key_advice(path: &[String], key: &str) -> (FindingKind, String) {
    let lower = fold(key).into_owned();
    let block = path.first().map(|k| fold(k).into_owned()).unwrap_or_default();
    let refused = "nats-server refuses to start (`unknown field`)";
    let misplaced = |place: &str| (FindingKind::MisplacedKey, format!("belongs {place}; here {refused}"));
    match lower.as_str() {
        "auth_url" => (
            FindingKind::UnknownKey,
            format!(
                "does not exist in any nats-server version; {refused}; external authentication is \
                 `authorization {{ auth_callout {{ issuer, account, auth_users }} }}` (2.10+)"
            ),
        ),
        "type" if path.len() == 1 && block == "authorization" => (
            FindingKind::UnknownKey,
            format!(
                "is not an authorization field; {refused}; JWT (operator) mode is set by the top-level \
                 `operator`, `system_account` and `resolver` keys"
            ),
        ),
        "no_auth_user" | "system_account" | "operator" | "resolver" | "resolver_preload" | "accounts"
        | "trusted_keys"
            if !path.is_empty() =>
        {
            misplaced("at the top level")
        }
        "user" | "username" | "password" | "pass" | "token" | "users" | "timeout" | "auth_callout" | "auth_hook"
            if path.is_empty() =>
        {
            misplaced("inside `authorization { }`")
        }
        "pub" | "publish" | "sub" | "subscribe" | "allow_responses" | "publish_allow_responses" => {
            misplaced("inside a user's `permissions { }` (or `default_permissions`)")
        }
        "allow" | "deny" => misplaced("inside `publish { }` or `subscribe { }`"),
        "account" if path.last().is_some_and(|k| key_is(k, "users")) => {
            misplaced("nowhere in a user: a user belongs to the account whose `accounts { NAME { users } }` lists it")
        }
        "user" | "username" | "password" | "pass" | "nkey" if block == "accounts" => {
            misplaced("inside an entry of the account's `users: [ ]`")
        }
        "token" => misplaced("inside `authorization { }` only; accounts and users have no token"),
        _ => (FindingKind::UnknownKey, format!("is not a key nats-server 2.15 knows here; {refused}")),
    }
}

/// `resolver_preload` only works with writable resolvers; with `URL(...)` the server exits at
/// startup ("resolver preloads only available for writeable resolver types MEM/DIR/CACHE_DIR"),
/// although `nats-server -t` calls the file valid.
fn check_preload_resolver(sink: &mut Sink<'_>, config: &Config) {
    let Some(preload) = config.root().get_ci("resolver_preload") else { return };
    if matches!(config.resolver(), Some(super::Resolver::Url { .. })) {
        sink.report(
            FindingKind::Conflict,
            &preload.key,
            preload.key_at,
            "cannot go with a `URL(...)` resolver: nats-server exits at startup (\"resolver preloads only available \
             for writeable resolver types MEM/DIR/CACHE_DIR\"), although `nats-server -t` accepts the file",
        );
    }
}
