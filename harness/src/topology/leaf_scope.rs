//! Which leafnode connections a new subscription's interest cannot reach: a server forwards a
//! subscription to the leafnode connections bound to the subscriber's account (or to an account
//! whose stream the subscriber's account imports), never to the others. Read from the
//! subscriber's server (`/connz?subs=1&auth=true`, `/accountz?acc=`), so a subscription that
//! cannot cross a leafnode (the leaf bound to another account) ends its step at once instead of
//! waiting for interest that never comes.

use std::collections::BTreeSet;

use serde_json::Value;

use super::monitor::get_json;

/// The `server_name`s of the leafnode peers of the server at monitoring `port` that interest in
/// `subject` from there cannot reach. Empty when that cannot be told (no subscriber of `subject`
/// listed, an endpoint unreadable): a wait that could be needed is then kept.
pub async fn unreachable_leafs(port: u16, subject: &str) -> Vec<String> {
    let Ok(connz) = get_json(port, "/connz?subs=1&auth=true&limit=10000").await else { return Vec::new() };
    let conns = connz.get("connections").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    let account = |c: &Value| c.get("account").and_then(Value::as_str).map(str::to_string);
    let subscribers: BTreeSet<String> = conns
        .iter()
        .filter(|c| c.get("kind").and_then(Value::as_str) != Some("Leafnode"))
        .filter(|c| {
            let subs = c.get("subscriptions_list").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
            // A queue subscription is listed as `subject group`.
            subs.iter().filter_map(Value::as_str).any(|s| s.split(' ').next() == Some(subject))
        })
        .filter_map(account)
        .collect();
    if subscribers.is_empty() {
        return Vec::new();
    }
    // Accounts whose streams a subscriber's account imports: its interest reaches them too.
    let mut reached = subscribers.clone();
    for a in &subscribers {
        let Ok(detail) = get_json(port, &format!("/accountz?acc={a}")).await else { return Vec::new() };
        let imports = detail.pointer("/account_detail/imports").and_then(Value::as_array).cloned().unwrap_or_default();
        reached.extend(
            imports
                .iter()
                .filter(|i| i.get("type").and_then(Value::as_str) == Some("stream"))
                .filter_map(|i| i.get("account").and_then(Value::as_str).map(str::to_string)),
        );
    }
    conns
        .iter()
        .filter(|c| c.get("kind").and_then(Value::as_str) == Some("Leafnode"))
        .filter(|c| account(c).is_some_and(|a| !reached.contains(&a)))
        .filter_map(|c| c.get("name").and_then(Value::as_str).map(str::to_string))
        .collect()
}
