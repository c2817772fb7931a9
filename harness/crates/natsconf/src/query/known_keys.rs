//! The keys nats-server (2.15) accepts in each block an auth diagnosis reads, all matched
//! case-insensitively by the server.

use crate::key::{fold, key_in};

/// Top-level keys.
pub(crate) const TOP: &[&str] = &[
    "listen",
    "client_advertise",
    "port",
    "server_name",
    "host",
    "net",
    "debug",
    "trace",
    "trace_verbose",
    "trace_headers",
    "logtime",
    "logtime_utc",
    "mappings",
    "maps",
    "disable_sublist_cache",
    "no_sublist_cache",
    "accounts",
    "default_sentinel",
    "authorization",
    "http",
    "https",
    "http_port",
    "monitor_port",
    "https_port",
    "http_base_path",
    "cluster",
    "gateway",
    "leaf",
    "leafnodes",
    "store_dir",
    "storedir",
    "jetstream",
    "logfile",
    "log_file",
    "logfile_size_limit",
    "log_size_limit",
    "logfile_max_num",
    "log_max_num",
    "syslog",
    "remote_syslog",
    "pidfile",
    "pid_file",
    "ports_file_dir",
    "prof_port",
    "prof_block_rate",
    "max_control_line",
    "max_payload",
    "max_pending",
    "proxy_protocol",
    "max_connections",
    "max_conn",
    "max_traced_msg_len",
    "max_subscriptions",
    "max_subs",
    "max_sub_tokens",
    "max_subscription_tokens",
    "ping_interval",
    "ping_max",
    "tls",
    "ocsp",
    "allow_non_tls",
    "write_deadline",
    "write_timeout",
    "lame_duck_duration",
    "lame_duck_grace_period",
    "operator",
    "operators",
    "roots",
    "root",
    "root_operators",
    "root_operator",
    "resolver",
    "account_resolver",
    "accounts_resolver",
    "resolver_tls",
    "resolver_preload",
    "resolver_pinned_accounts",
    "no_auth_user",
    "system_account",
    "system",
    "no_system_account",
    "no_system",
    "no_sys_acc",
    "no_header_support",
    "trusted",
    "trusted_keys",
    "connect_error_reports",
    "reconnect_error_reports",
    "websocket",
    "ws",
    "mqtt",
    "server_tags",
    "server_metadata",
    "feature_flags",
    "default_js_domain",
    "ocsp_cache",
    "no_fast_producer_stall",
    "max_closed_clients",
    "proxies",
];

/// Keys of `authorization { }`.
pub(crate) const AUTHORIZATION: &[&str] = &[
    "user",
    "username",
    "pass",
    "password",
    "token",
    "timeout",
    "users",
    "default_permission",
    "default_permissions",
    "permissions",
    "auth_callout",
    "auth_hook",
    "proxy_required",
];

/// Keys of one entry of `users: [ ]`.
pub(crate) const USER: &[&str] = &[
    "nkey",
    "user",
    "username",
    "pass",
    "password",
    "permission",
    "permissions",
    "authorization",
    "allowed_connection_types",
    "connection_types",
    "clients",
    "proxy_required",
];

/// Keys of a permissions map.
pub(crate) const PERMISSIONS: &[&str] =
    &["pub", "publish", "import", "sub", "subscribe", "export", "publish_allow_responses", "allow_responses"];

/// Keys of `publish { }` / `subscribe { }`.
pub(crate) const SUBJECT_RULE: &[&str] = &["allow", "deny"];

/// Keys of `allow_responses { }`.
pub(crate) const ALLOW_RESPONSES: &[&str] =
    &["max", "max_msgs", "max_messages", "max_responses", "expires", "expiration", "ttl"];

/// Keys of one account of `accounts { NAME { } }`.
pub(crate) const ACCOUNT: &[&str] = &[
    "nkey",
    "imports",
    "exports",
    "jetstream",
    "users",
    "default_permissions",
    "mappings",
    "maps",
    "limits",
    "msg_trace",
    "trace_dest",
];

/// Keys of `auth_callout { }`.
pub(crate) const AUTH_CALLOUT: &[&str] =
    &["issuer", "account", "acc", "auth_users", "users", "xkey", "key", "allowed_accounts"];

/// Whether a key is known where it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KnownKey {
    Known,
    Unknown,
    /// The block is not one this module has a table for.
    NoTable,
}

/// The table for a block, by the keys of the maps around it (arrays do not count).
pub(crate) fn table_for(path: &[String]) -> Option<&'static [&'static str]> {
    let lower: Vec<String> = path.iter().map(|k| fold(k).into_owned()).collect();
    let parts: Vec<&str> = lower.iter().map(String::as_str).collect();
    let last = parts.last().copied();
    let parent = parts.len().checked_sub(2).and_then(|i| parts.get(i)).copied();
    match (parts.as_slice(), last, parent) {
        ([], _, _) => Some(TOP),
        (["authorization"], _, _) => Some(AUTHORIZATION),
        (["authorization", "auth_callout" | "auth_hook"], _, _) => Some(AUTH_CALLOUT),
        (["accounts", _], _, _) => Some(ACCOUNT),
        (_, Some("users"), Some("authorization")) => Some(USER),
        ([_, _, "users"], _, _) if parts[0] == "accounts" => Some(USER),
        (_, Some("permission" | "permissions" | "default_permission" | "default_permissions"), _) => Some(PERMISSIONS),
        (_, Some("authorization"), Some("users")) => Some(PERMISSIONS),
        (_, Some("pub" | "publish" | "import" | "sub" | "subscribe" | "export"), _) => Some(SUBJECT_RULE),
        (_, Some("allow_responses" | "publish_allow_responses"), _) => Some(ALLOW_RESPONSES),
        _ => None,
    }
}

/// Whether `key` is known in the block at `path`.
pub(crate) fn known_key(path: &[String], key: &str) -> KnownKey {
    match table_for(path) {
        None => KnownKey::NoTable,
        Some(table) if key_in(key, table) => KnownKey::Known,
        Some(_) => KnownKey::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::{KnownKey, known_key};

    fn path(parts: &[&str]) -> Vec<String> {
        parts.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn tables_by_path() {
        assert_eq!(known_key(&path(&[]), "PORT"), KnownKey::Known);
        assert_eq!(known_key(&path(&[]), "auth_url"), KnownKey::Unknown);
        assert_eq!(known_key(&path(&["authorization"]), "type"), KnownKey::Unknown);
        assert_eq!(known_key(&path(&["authorization", "users"]), "nkey"), KnownKey::Known);
        assert_eq!(known_key(&path(&["accounts", "A", "users"]), "password"), KnownKey::Known);
        assert_eq!(known_key(&path(&["accounts", "A"]), "users"), KnownKey::Known);
        assert_eq!(known_key(&path(&["accounts", "A", "users", "permissions", "publish"]), "deny"), KnownKey::Known);
        assert_eq!(known_key(&path(&["cluster"]), "routes"), KnownKey::NoTable);
    }
}
