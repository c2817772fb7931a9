//! `default-permissions`: an account's permissions for its users that carry none of their own.

use serde::Deserialize;

use super::user::SubjectRules;

/// The account JWT's `default_permissions`: nats-server gives them to every user of the account
/// whose JWT sets no `pub` or `sub` permissions of its own.
///
/// ```toml
/// [accounts.APP]
/// default-permissions = { pub = { deny = ["admin.>"] }, sub = { allow = ["orders.>", "_INBOX.>"] } }
/// ```
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DefaultPermissionsSpec {
    /// Publish permissions.
    #[serde(rename = "pub")]
    pub publish: Option<SubjectRules>,
    /// Subscribe permissions.
    #[serde(rename = "sub")]
    pub subscribe: Option<SubjectRules>,
}
