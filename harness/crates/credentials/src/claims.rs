//! Serde structs for operator, account and user JWT claims (nats-io/jwt v2).
//!
//! Field names, order and omission rules follow the Go library, so the JSON
//! these produce is the JSON `nsc` writes:
//! - zero numbers, empty strings, lists and maps are omitted (Go `omitempty`);
//! - nested structs are never omitted in Go, so a user's `pub` and `sub`
//!   always appear (as `{}` when empty), and so do an account's `limits` and
//!   `default_permissions`;
//! - the limits default to `-1` (unlimited) as `NewAccountClaims` and
//!   `NewUserClaims` set them, with `wildcards: true` for accounts.
//!
//! One deliberate difference: an account's `authorization` is an `Option`
//! and is omitted when `None`; Go always writes `"authorization":{}`. The
//! server treats both the same.

use std::collections::BTreeMap;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::claim_fields::{
    AccountLimits, ExternalAuthorization, NatsLimits, Permissions, UserLimits, is_false, is_zero,
};
use super::signing_key::SigningKey;

/// Current time in whole Unix seconds, as the Go library stamps `iat`.
pub fn now_unix() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

fn default_version() -> u32 {
    2
}

/// The standard claims shared by every NATS JWT (Go `ClaimsData`).
///
/// The JSON of this struct alone, with `jti` empty, is what the jti hashes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClaimsData {
    /// Audience, rarely used outside auth callout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aud: Option<String>,
    /// Expiry, Unix seconds; `None` means the JWT never expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exp: Option<i64>,
    /// JWT id: base32 SHA-512/256 of these claims with `jti` empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub jti: String,
    /// Issued-at, Unix seconds. Revocations compare against it.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub iat: i64,
    /// Public key of the signer (`O...` or `A...`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub iss: String,
    /// Human-readable name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Not-before, Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
    /// Public key of the subject (`O...`, `A...` or `U...`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sub: String,
}

impl ClaimsData {
    /// Claims for `subject`, named `name`, issued now; `iss` and `jti` are
    /// filled in when the JWT is encoded.
    pub fn new(subject: &str, name: &str) -> ClaimsData {
        ClaimsData { sub: subject.to_string(), name: name.to_string(), iat: now_unix(), ..ClaimsData::default() }
    }
}

/// The `nats` section of an operator JWT.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OperatorNats {
    /// Operator signing keys (`O...`) that may sign account JWTs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signing_keys: Vec<String>,
    /// Account server URL, for tools.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub account_server_url: String,
    /// Public key of the system account.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub system_account: String,
    /// Whether account JWTs must be signed by a signing key.
    #[serde(default, skip_serializing_if = "is_false")]
    pub strict_signing_key_usage: bool,
    /// Always `"operator"`.
    #[serde(rename = "type")]
    pub claim_type: String,
    /// Always 2.
    #[serde(default = "default_version")]
    pub version: u32,
}

/// The `nats` section of an account JWT.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountNats {
    /// Limits; defaults to unlimited.
    #[serde(default)]
    pub limits: AccountLimits,
    /// Account signing keys: bare `A...` keys or scoped ones with a template.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signing_keys: Vec<SigningKey>,
    /// Revocations: user public key (or `"*"`) to Unix seconds; user JWTs
    /// issued at or before that second are refused.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub revocations: BTreeMap<String, i64>,
    /// Permissions for users without their own; written as `{pub:{},sub:{}}`.
    #[serde(default)]
    pub default_permissions: Permissions,
    /// Auth callout settings, omitted when `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization: Option<ExternalAuthorization>,
    /// Always `"account"`.
    #[serde(rename = "type")]
    pub claim_type: String,
    /// Always 2.
    #[serde(default = "default_version")]
    pub version: u32,
}

/// The `nats` section of a user JWT.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserNats {
    /// `pub`, `sub` and optional `resp`.
    #[serde(flatten)]
    pub permissions: Permissions,
    /// Connect times and their zone.
    #[serde(flatten)]
    pub user_limits: UserLimits,
    /// Subscription, data and payload limits; default unlimited.
    #[serde(flatten)]
    pub limits: NatsLimits,
    /// A bearer token skips the nonce signature.
    #[serde(default, skip_serializing_if = "is_false")]
    pub bearer_token: bool,
    /// The account a signing key signed for; required when `iss` is a
    /// signing key rather than the account itself.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub issuer_account: String,
    /// Always `"user"`.
    #[serde(rename = "type")]
    pub claim_type: String,
    /// Always 2.
    #[serde(default = "default_version")]
    pub version: u32,
}

/// Operator JWT claims: `iss = sub = O...`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OperatorClaims {
    /// Standard claims.
    #[serde(flatten)]
    pub data: ClaimsData,
    /// Operator section.
    pub nats: OperatorNats,
}

/// Account JWT claims: `iss = O...`, `sub = A...`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountClaims {
    /// Standard claims.
    #[serde(flatten)]
    pub data: ClaimsData,
    /// Account section.
    pub nats: AccountNats,
}

/// User JWT claims: `iss = A...` (account or signing key), `sub = U...`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserClaims {
    /// Standard claims.
    #[serde(flatten)]
    pub data: ClaimsData,
    /// User section.
    pub nats: UserNats,
}

impl OperatorClaims {
    /// Operator claims for operator `subject` (self-signed when encoded).
    pub fn new(subject: &str, name: &str) -> OperatorClaims {
        OperatorClaims {
            data: ClaimsData::new(subject, name),
            nats: OperatorNats {
                signing_keys: Vec::new(),
                account_server_url: String::new(),
                system_account: String::new(),
                strict_signing_key_usage: false,
                claim_type: "operator".into(),
                version: 2,
            },
        }
    }
}

impl AccountClaims {
    /// Account claims for account `subject` with nsc's unlimited defaults.
    pub fn new(subject: &str, name: &str) -> AccountClaims {
        AccountClaims {
            data: ClaimsData::new(subject, name),
            nats: AccountNats {
                limits: AccountLimits::default(),
                signing_keys: Vec::new(),
                revocations: BTreeMap::new(),
                default_permissions: Permissions::default(),
                authorization: None,
                claim_type: "account".into(),
                version: 2,
            },
        }
    }
}

impl UserClaims {
    /// User claims for user `subject` with no permission limits.
    pub fn new(subject: &str, name: &str) -> UserClaims {
        UserClaims {
            data: ClaimsData::new(subject, name),
            nats: UserNats {
                permissions: Permissions::default(),
                user_limits: UserLimits::default(),
                limits: NatsLimits::default(),
                bearer_token: false,
                issuer_account: String::new(),
                claim_type: "user".into(),
                version: 2,
            },
        }
    }
}
