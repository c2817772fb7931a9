//! `authorization { auth_callout { ... } }`: external authentication over NATS (2.10+).

use super::finding::{Sink, join};
use crate::location::Location;
use crate::value::{Map, Node};

/// The auth callout settings.
///
/// ```
/// use natsfault_natsconf::{Config, ParseOptions};
/// let text = "authorization { auth_callout { issuer: ABJHLOVMPA4CI6R5KLNGOB4GSLNIY7IOUPAJC4YFNDLQVIOBYQGUWVLA
///     account: AUTH, auth_users: [auth] } }";
/// let config = Config::parse_str(text, "nats.conf", &ParseOptions::default())?;
/// let callout = config.auth_callout().unwrap();
/// assert_eq!((callout.account.as_str(), callout.auth_users.len()), ("AUTH", 1));
/// # Ok::<(), natsfault_natsconf::ConfError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthCallout {
    /// `issuer`: the account public key (`A...`) that signs responses.
    pub issuer: Option<String>,
    /// `account` / `acc`: where the callout service runs; `$G` when not set.
    pub account: String,
    /// `auth_users` / `users`: users that bypass the callout (the service itself).
    pub auth_users: Vec<String>,
    /// `xkey` / `key`: the curve public key (`X...`) that seals requests.
    pub xkey: Option<String>,
    /// `allowed_accounts`: accounts the callout may place users in.
    pub allowed_accounts: Vec<String>,
    /// Where the block is.
    pub at: Location,
}

impl crate::config::Config {
    /// The auth callout of the `authorization` block, if any.
    ///
    /// ```
    /// use natsfault_natsconf::{Config, ParseOptions};
    /// let config = Config::parse_str("authorization { token: x }", "nats.conf", &ParseOptions::default())?;
    /// assert!(config.auth_callout().is_none());
    /// # Ok::<(), natsfault_natsconf::ConfError>(())
    /// ```
    pub fn auth_callout(&self) -> Option<AuthCallout> {
        self.authorization()?.auth_callout
    }
}

pub(crate) fn read_auth_callout(sink: &mut Sink<'_>, node: &Node, path: &str) -> Option<AuthCallout> {
    let Some(map) = node.as_map() else {
        sink.wrong_type(path, node.at, node.type_name(), "a map with `issuer`, `account` and `auth_users`");
        return None;
    };
    let text = |keys: &[&str]| map.get_any(keys).and_then(|p| p.value.as_str().map(str::to_string));
    Some(AuthCallout {
        issuer: text(&["issuer"]),
        account: text(&["account", "acc"]).unwrap_or_else(|| "$G".to_string()),
        auth_users: names(sink, map, &["auth_users", "users"], path),
        xkey: text(&["xkey", "key"]),
        allowed_accounts: names(sink, map, &["allowed_accounts"], path),
        at: sink.loc(node.at),
    })
}

/// An array of names under one of `keys`.
fn names(sink: &mut Sink<'_>, map: &Map, keys: &[&str], path: &str) -> Vec<String> {
    let Some(pair) = map.get_any(keys) else { return Vec::new() };
    match pair.value.as_array() {
        Some(items) => items.iter().filter_map(|i| i.as_str().map(str::to_string)).collect(),
        None => {
            sink.wrong_type(&join(path, &pair.key), pair.value.at, pair.value.type_name(), "an array of names");
            Vec::new()
        }
    }
}
