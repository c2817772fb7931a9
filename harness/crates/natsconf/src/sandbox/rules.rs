//! Top-level keys that would make the server listen elsewhere, contact other hosts, or write
//! outside the sandbox, and why each is removed.

use crate::key::key_in;

/// Keys removed outright (matched as nats-server folds keys), with the reason for the report.
pub(crate) const REMOVED: &[(&[&str], &str)] = &[
    (&["listen", "port", "host", "net"], "removed: the harness sets the address with `-a 127.0.0.1 -p PORT`"),
    (&["client_advertise"], "removed: it would tell clients to connect to another address"),
    (&["http", "https", "http_port", "monitor_port", "https_port"], "removed: it would open a monitoring port"),
    (&["prof_port"], "removed: it would open a profiling port"),
    (&["cluster"], "removed: it would listen for routes and dial the other cluster members"),
    (&["gateway"], "removed: it would listen for gateways and dial other clusters"),
    (&["leafnodes", "leaf"], "removed: it would listen for leaf nodes or dial remote servers"),
    (&["websocket", "ws"], "removed: it would open a websocket port"),
    (&["mqtt"], "removed: it would open an mqtt port"),
    (&["log_file", "logfile"], "removed: the harness reads the log from standard error"),
    (&["syslog"], "removed: it would write to this machine's syslog"),
    (&["remote_syslog"], "removed: it would send the log to another host"),
    (&["pid_file", "pidfile"], "removed: it would write a pid file outside the sandbox"),
    (&["ports_file_dir"], "removed: it would write a ports file outside the sandbox"),
    (&["ocsp_cache"], "removed: ocsp is turned off in the sandbox, and the cache would write outside it"),
    (
        &["resolver_tls"],
        "removed: the account server is natsfault's local one, over plain http; its tls files are not read",
    ),
];

/// The reason a top-level key is removed, if it is.
pub(crate) fn removal_reason(key: &str) -> Option<&'static str> {
    REMOVED.iter().find(|(keys, _)| key_in(key, keys)).map(|(_, why)| *why)
}

/// Top-level keys a config that keeps its listener blocks (a scenario's) may not have, with
/// what each would do; the rewrite of a customer's config removes them (see [`REMOVED`]).
pub(crate) const GUARDED: &[(&[&str], &str)] = &[
    (
        &["http", "https", "http_port", "monitor_port", "https_port"],
        "would open a monitoring port; the harness opens the monitoring endpoint itself",
    ),
    (&["prof_port"], "would open a profiling port"),
    (
        &["log_file", "logfile", "logfile_size_limit", "log_size_limit", "logfile_max_num", "log_max_num"],
        "would write a log file; the harness reads the log from standard error",
    ),
    (&["syslog"], "would write to this machine's syslog"),
    (&["remote_syslog"], "would send the log to another host"),
    (&["pid_file", "pidfile"], "would write a pid file"),
    (&["ports_file_dir"], "would write a ports file"),
    (&["ocsp_cache"], "would write an OCSP cache"),
];

/// Why the guard refuses a top-level key, if it does.
pub(crate) fn guarded_reason(key: &str) -> Option<&'static str> {
    GUARDED.iter().find(|(keys, _)| key_in(key, keys)).map(|(_, why)| *why)
}

/// Blocks that open a listener of their own (and may dial peers).
pub(crate) const LISTENER_BLOCKS: &[&str] = &["cluster", "leafnodes", "leaf", "gateway", "websocket", "ws", "mqtt"];

/// Keys of a listener block that choose its address.
pub(crate) const BLOCK_BOUND_KEYS: &[&str] = &["listen", "host", "port", "net"];

/// Keys of a listener block that tell peers where to dial.
pub(crate) const ADVERTISE_KEYS: &[&str] = &["advertise", "cluster_advertise", "leafnode_advertise"];

/// Keys of a TLS block that name files.
pub(crate) const TLS_FILE_KEYS: &[&str] = &["cert_file", "key_file", "ca_file"];

/// Keys of a TLS block holding a list of certificate and key pairs (served by SNI).
pub(crate) const TLS_CERT_LISTS: &[&str] = &["certs", "certificates"];

/// Top-level blocks holding TLS settings that stay (the others are removed with their block).
pub(crate) const TLS_BLOCKS: &[&str] = &["tls", "resolver_tls"];

#[cfg(test)]
mod tests {
    use super::removal_reason;

    #[test]
    fn removals() {
        assert!(removal_reason("Cluster").is_some());
        assert!(removal_reason("leaf").is_some());
        assert!(removal_reason("authorization").is_none());
    }
}
