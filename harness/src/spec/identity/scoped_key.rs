//! `scoped-signing-keys.NAME`: an account signing key with a template of permissions.

use serde::Deserialize;

use super::user::SubjectRules;

/// One scoped signing key of an account. A user it signs (`signing-key = "NAME"`) gets the
/// template's permissions and must carry none of its own: nats-server refuses such a user with
/// `User JWT is not valid: scoped users require no permissions or limits set`.
///
/// ```toml
/// [accounts.APP]
/// scoped-signing-keys.svc = { role = "service", pub = { allow = ["svc.{{name()}}.>"] }, sub = { allow = ["_INBOX.>"] } }
/// ```
///
/// Template subjects may use nats-server's functions: `{{name()}}`, `{{subject()}}`,
/// `{{account-name()}}`, `{{account-subject()}}`, `{{tag(NAME)}}`, `{{account-tag(NAME)}}`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ScopedKeySpec {
    /// The role the key stands for (default: the key's name).
    pub role: Option<String>,
    /// Publish permissions of every user it signs.
    #[serde(rename = "pub")]
    pub publish: Option<SubjectRules>,
    /// Subscribe permissions of every user it signs.
    #[serde(rename = "sub")]
    pub subscribe: Option<SubjectRules>,
    /// Every user it signs is a bearer token.
    pub bearer: Option<bool>,
}
