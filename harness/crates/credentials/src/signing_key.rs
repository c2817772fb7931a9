//! An account's signing keys as the JWT lists them: a bare `A...` key, or a scoped one (Go
//! `UserScope`) whose template replaces the permissions of every user it signs.

use serde::{Deserialize, Serialize};

use super::claim_fields::{NatsLimits, Permissions, is_false};

/// One entry of an account's `signing_keys`.
///
/// ```
/// use natsfault_credentials::{SigningKey, UserScope};
/// let plain: SigningKey = "AKEY".into();
/// assert_eq!(serde_json::to_string(&plain).unwrap(), r#""AKEY""#);
/// let scoped = SigningKey::Scoped(Box::new(UserScope::new("AKEY", "svc")));
/// assert!(serde_json::to_string(&scoped).unwrap().starts_with(r#"{"kind":"user_scope","key":"AKEY","role":"svc""#));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SigningKey {
    /// A key that signs users with the permissions they carry.
    Key(String),
    /// A scoped key: its users carry no permissions of their own.
    Scoped(Box<UserScope>),
}

impl SigningKey {
    /// The public key.
    pub fn key(&self) -> &str {
        match self {
            SigningKey::Key(k) => k,
            SigningKey::Scoped(s) => &s.key,
        }
    }
}

impl From<String> for SigningKey {
    fn from(k: String) -> Self {
        SigningKey::Key(k)
    }
}

impl From<&str> for SigningKey {
    fn from(k: &str) -> Self {
        SigningKey::Key(k.to_string())
    }
}

/// The permissions and limits a scoped key gives its users (Go `UserPermissionLimits`, without
/// connection times and types). Subjects may use the template functions `{{name()}}`,
/// `{{subject()}}`, `{{account-name()}}`, `{{account-subject()}}`, `{{tag(NAME)}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserTemplate {
    /// `pub`, `sub` and optional `resp`.
    #[serde(flatten)]
    pub permissions: Permissions,
    /// Subscription, data and payload limits (default unlimited, as `nsc` writes them).
    #[serde(flatten)]
    pub limits: NatsLimits,
    /// Users signed with this key are bearer tokens.
    #[serde(default, skip_serializing_if = "is_false")]
    pub bearer_token: bool,
}

/// A scoped signing key (Go `UserScope`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserScope {
    /// Always `user_scope`.
    pub kind: String,
    /// The public key (`A...`).
    pub key: String,
    /// A name for the role the key stands for.
    #[serde(default)]
    pub role: String,
    /// What every user it signs may do.
    pub template: UserTemplate,
    /// Free text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

impl UserScope {
    /// A scope for `key` with an unrestricted template, as `nsc edit signing-key --sk ... --role`.
    pub fn new(key: &str, role: &str) -> UserScope {
        UserScope {
            kind: "user_scope".into(),
            key: key.to_string(),
            role: role.to_string(),
            template: UserTemplate {
                permissions: Permissions::default(),
                limits: NatsLimits::default(),
                bearer_token: false,
            },
            description: String::new(),
        }
    }
}
