//! The entries of a `users: [ ... ]` array: credentials, permissions (own or the block's
//! defaults), connection types.

use super::finding::{Sink, join};
use super::permissions::{Permissions, read_permissions};
use super::secret::Secret;
use super::users::ConfigUser;
use crate::value::Node;

/// Reads `users` at `path`; users without permissions get `defaults`.
pub(crate) fn read_users(
    sink: &mut Sink<'_>,
    node: &Node,
    path: &str,
    account: Option<&str>,
    defaults: Option<&Permissions>,
) -> Vec<ConfigUser> {
    let Some(items) = node.as_array() else {
        sink.wrong_type(path, node.at, node.type_name(), "an array of user maps");
        return Vec::new();
    };
    let mut users = Vec::new();
    for item in items {
        let Some(map) = item.as_map() else {
            sink.wrong_type(path, item.at, item.type_name(), "a user map such as `{user: a, password: b}`");
            continue;
        };
        let text = |keys: &[&str]| map.get_any(keys).and_then(|p| p.value.as_str().map(str::to_string));
        let own = map
            .get_any(&["permission", "permissions", "authorization"])
            .and_then(|p| read_permissions(sink, &p.value, &join(path, &p.key)));
        let permissions_are_default = own.is_none() && defaults.is_some();
        let allowed_connection_types = map
            .get_any(&["allowed_connection_types", "connection_types", "clients"])
            .map(|p| match p.value.as_array() {
                Some(items) => items.iter().filter_map(|i| i.as_str().map(str::to_string)).collect(),
                None => p.value.as_str().map(|s| vec![s.to_string()]).unwrap_or_default(),
            })
            .unwrap_or_default();
        users.push(ConfigUser {
            account: account.map(str::to_string),
            user: text(&["user", "username"]),
            password: text(&["password", "pass"]).map(Secret::new),
            nkey: text(&["nkey"]),
            permissions: own.or_else(|| defaults.cloned()),
            permissions_are_default,
            allowed_connection_types,
            at: sink.loc(item.at),
        });
    }
    users
}
