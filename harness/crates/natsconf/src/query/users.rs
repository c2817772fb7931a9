//! Users of `authorization { ... }` and of `accounts { NAME { users [...] } }`, with their
//! credentials and permissions; the `token`; `no_auth_user`.

use super::callout::{AuthCallout, read_auth_callout};
use super::finding::{Sink, join};
use super::located::Located;
use super::permissions::{Permissions, read_permissions};
use super::secret::Secret;
use super::user_entries::read_users;
use crate::config::Config;
use crate::location::Location;
use crate::value::{Map, Node};

/// One user the server will accept, wherever it is defined.
///
/// ```
/// use natsfault_natsconf::{Config, ParseOptions};
/// let text = "accounts { APP { users: [ {user: alice, password: pw} ] } }";
/// let config = Config::parse_str(text, "nats.conf", &ParseOptions::default())?;
/// let alice = &config.users()[0];
/// assert_eq!((alice.account.as_deref(), alice.user.as_deref()), (Some("APP"), Some("alice")));
/// assert_eq!(alice.password.as_ref().unwrap().expose(), "pw");
/// # Ok::<(), natsfault_natsconf::ConfError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigUser {
    /// The account; `None` for users of `authorization` (the global account `$G`).
    pub account: Option<String>,
    /// `user` / `username`.
    pub user: Option<String>,
    /// `password` / `pass` (may be a bcrypt hash).
    pub password: Option<Secret>,
    /// `nkey`: the user's public key (`U...`).
    pub nkey: Option<String>,
    /// The permissions that apply: the user's own, else the block's `default_permissions`.
    pub permissions: Option<Permissions>,
    /// True when `permissions` came from `default_permissions`.
    pub permissions_are_default: bool,
    /// `allowed_connection_types` / `connection_types` / `clients`.
    pub allowed_connection_types: Vec<String>,
    /// Where the user's entry is.
    pub at: Location,
}

/// The `authorization { ... }` block.
///
/// ```
/// use natsfault_natsconf::{Config, ParseOptions};
/// let config = Config::parse_str("authorization { token: s3cret, timeout: 2 }", "nats.conf", &ParseOptions::default())?;
/// let auth = config.authorization().unwrap();
/// assert_eq!(auth.token.unwrap().expose(), "s3cret");
/// # Ok::<(), natsfault_natsconf::ConfError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    /// Single `user`.
    pub user: Option<String>,
    /// Single user's `password`.
    pub password: Option<Secret>,
    /// `token`.
    pub token: Option<Secret>,
    /// `timeout` as written (seconds, or a duration string).
    pub timeout: Option<String>,
    /// `users: [...]` (users and nkey users).
    pub users: Vec<ConfigUser>,
    /// `default_permissions` / `permissions`.
    pub default_permissions: Option<Permissions>,
    /// `auth_callout` / `auth_hook`.
    pub auth_callout: Option<AuthCallout>,
    /// Where the block is.
    pub at: Location,
}

/// One account of `accounts { NAME { ... } }`.
///
/// ```
/// use natsfault_natsconf::{Config, ParseOptions};
/// let config = Config::parse_str("accounts { A { users: [{user: u}] }, B {} }", "nats.conf", &ParseOptions::default())?;
/// let names: Vec<_> = config.accounts().into_iter().map(|a| a.name).collect();
/// assert_eq!(names, ["A", "B"]);
/// # Ok::<(), natsfault_natsconf::ConfError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// The account's name.
    pub name: String,
    /// `nkey`: the account's public key, if set.
    pub nkey: Option<String>,
    /// `users: [...]`.
    pub users: Vec<ConfigUser>,
    /// `default_permissions`.
    pub default_permissions: Option<Permissions>,
    /// Where the account is.
    pub at: Location,
}

impl Config {
    /// The `authorization` block, if any.
    ///
    /// ```
    /// use natsfault_natsconf::{Config, ParseOptions};
    /// let config = Config::parse_str("port: 1", "nats.conf", &ParseOptions::default())?;
    /// assert!(config.authorization().is_none());
    /// # Ok::<(), natsfault_natsconf::ConfError>(())
    /// ```
    pub fn authorization(&self) -> Option<Authorization> {
        read_authorization(&mut Sink::new(self))
    }

    /// The accounts of `accounts { ... }` (or `accounts: [A, B]`).
    ///
    /// ```
    /// use natsfault_natsconf::{Config, ParseOptions};
    /// let config = Config::parse_str("accounts: [A, B]", "nats.conf", &ParseOptions::default())?;
    /// assert_eq!(config.accounts().len(), 2);
    /// # Ok::<(), natsfault_natsconf::ConfError>(())
    /// ```
    pub fn accounts(&self) -> Vec<Account> {
        read_accounts(&mut Sink::new(self))
    }

    /// Every configured user: the single `authorization` user, `authorization.users`, then the
    /// users of each account.
    ///
    /// ```
    /// use natsfault_natsconf::{Config, ParseOptions};
    /// let text = "authorization { users: [{nkey: UDXU4RCSJNZOIQHZNWXHXORDPRTGNJAHAHFRGZNEEJCPQTT2M7NLCNF4}] }";
    /// let config = Config::parse_str(text, "nats.conf", &ParseOptions::default())?;
    /// assert!(config.users()[0].nkey.is_some());
    /// # Ok::<(), natsfault_natsconf::ConfError>(())
    /// ```
    pub fn users(&self) -> Vec<ConfigUser> {
        let mut sink = Sink::new(self);
        let mut users = Vec::new();
        if let Some(auth) = read_authorization(&mut sink) {
            if auth.user.is_some() {
                users.push(ConfigUser {
                    account: None,
                    user: auth.user.clone(),
                    password: auth.password.clone(),
                    nkey: None,
                    permissions: auth.default_permissions.clone(),
                    permissions_are_default: auth.default_permissions.is_some(),
                    allowed_connection_types: Vec::new(),
                    at: auth.at.clone(),
                });
            }
            users.extend(auth.users);
        }
        for account in read_accounts(&mut sink) {
            users.extend(account.users);
        }
        users
    }

    /// `no_auth_user`: the user a client without credentials becomes.
    ///
    /// ```
    /// use natsfault_natsconf::{Config, ParseOptions};
    /// let config = Config::parse_str("no_auth_user: guest", "nats.conf", &ParseOptions::default())?;
    /// assert_eq!(config.no_auth_user().unwrap().value, "guest");
    /// # Ok::<(), natsfault_natsconf::ConfError>(())
    /// ```
    pub fn no_auth_user(&self) -> Option<Located<String>> {
        let pair = self.root().get_ci("no_auth_user")?;
        Some(Located { value: pair.value.as_str()?.to_string(), at: self.location(pair.key_at) })
    }
}

pub(crate) fn read_authorization(sink: &mut Sink<'_>) -> Option<Authorization> {
    let pair = sink.config.root().get_ci("authorization")?;
    let key = pair.key.clone();
    let Some(map) = pair.value.as_map() else {
        sink.wrong_type(&key, pair.value.at, pair.value.type_name(), "a map");
        return None;
    };
    let text = |map: &Map, keys: &[&str]| map.get_any(keys).and_then(|p| p.value.as_str().map(str::to_string));
    let default_permissions = map
        .get_any(&["default_permission", "default_permissions", "permissions"])
        .and_then(|p| read_permissions(sink, &p.value, &join(&key, &p.key)));
    let users = match map.get_ci("users") {
        Some(p) => read_users(sink, &p.value, &join(&key, &p.key), None, default_permissions.as_ref()),
        None => Vec::new(),
    };
    let timeout = map.get_ci("timeout").map(|p| match p.value.as_str() {
        Some(s) => s.to_string(),
        None => scalar_text(&p.value),
    });
    Some(Authorization {
        user: text(map, &["user", "username"]),
        password: text(map, &["password", "pass"]).map(Secret::new),
        token: text(map, &["token"]).map(Secret::new),
        timeout,
        users,
        auth_callout: map
            .get_any(&["auth_callout", "auth_hook"])
            .and_then(|p| read_auth_callout(sink, &p.value, &join(&key, &p.key))),
        default_permissions,
        at: sink.loc(pair.key_at),
    })
}

pub(crate) fn read_accounts(sink: &mut Sink<'_>) -> Vec<Account> {
    let Some(pair) = sink.config.root().get_ci("accounts") else { return Vec::new() };
    let key = pair.key.clone();
    if let Some(items) = pair.value.as_array() {
        return items
            .iter()
            .filter_map(|item| item.as_str().map(|name| (name, item.at)))
            .map(|(name, at)| Account {
                name: name.to_string(),
                nkey: None,
                users: Vec::new(),
                default_permissions: None,
                at: sink.loc(at),
            })
            .collect();
    }
    let Some(map) = pair.value.as_map() else {
        sink.wrong_type(&key, pair.value.at, pair.value.type_name(), "a map of accounts or an array of names");
        return Vec::new();
    };
    let mut accounts = Vec::new();
    for account in map.pairs() {
        if sink.config.is_used_variable(account.key_at) {
            continue;
        }
        let path = join(&key, &account.key);
        let Some(body) = account.value.as_map() else {
            sink.wrong_type(&path, account.value.at, account.value.type_name(), "a map");
            continue;
        };
        let default_permissions =
            body.get_ci("default_permissions").and_then(|p| read_permissions(sink, &p.value, &join(&path, &p.key)));
        let users = match body.get_ci("users") {
            Some(p) => {
                read_users(sink, &p.value, &join(&path, &p.key), Some(&account.key), default_permissions.as_ref())
            }
            None => Vec::new(),
        };
        accounts.push(Account {
            name: account.key.clone(),
            nkey: body.get_ci("nkey").and_then(|p| p.value.as_str().map(str::to_string)),
            users,
            default_permissions,
            at: sink.loc(account.key_at),
        });
    }
    accounts
}

/// A scalar as text (numbers as written).
fn scalar_text(node: &Node) -> String {
    use crate::value::Value;
    match &node.resolved().value {
        Value::String(s) | Value::Datetime(s) => s.clone(),
        Value::Integer { raw, .. } | Value::Float { raw, .. } | Value::Bool { raw, .. } => raw.clone(),
        _ => format!("<{}>", node.type_name()),
    }
}
