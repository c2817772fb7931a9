//! `auth-callout` on an account: the `authorization` claim that turns on auth callout in
//! operator mode.

use serde::Deserialize;
use toml::Spanned;

/// The account JWT's `authorization` claim. The account's users named in `auth-users` are the
/// callout service; every other user of the account is sent to the service, which may place
/// them in the account itself or in one of `allowed-accounts`.
///
/// ```toml
/// [accounts.AUTH]
/// auth-callout = { auth-users = ["bridge"], allowed-accounts = ["APP"] }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CalloutClaimSpec {
    /// Users (declared under `[users]`, of this account) that answer the callouts.
    pub auth_users: Vec<Spanned<String>>,
    /// Accounts the service may place users in (`"*"`: any).
    #[serde(default)]
    pub allowed_accounts: Vec<Spanned<String>>,
}
