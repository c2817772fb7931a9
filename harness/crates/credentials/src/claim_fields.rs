//! The nested parts of NATS JWT claims: permissions, limits and auth
//! callout settings, with the Go library's field names and defaults.

use serde::{Deserialize, Serialize};

pub(crate) fn is_zero(v: &i64) -> bool {
    *v == 0
}

pub(crate) fn is_false(v: &bool) -> bool {
    !*v
}

/// One direction of subject permissions: `{allow: [...], deny: [...]}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Permission {
    /// Subjects allowed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow: Vec<String>,
    /// Subjects denied (deny beats allow).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deny: Vec<String>,
}

/// `allow_responses` in JWT form: `{max, ttl}` with `ttl` in nanoseconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponsePermission {
    /// Replies allowed per request.
    pub max: i64,
    /// How long the reply permission lasts, nanoseconds (Go `time.Duration`).
    pub ttl: i64,
}

/// Publish / subscribe / response permissions (Go `Permissions`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Permissions {
    /// Publish permissions; always written, as `{}` when empty.
    #[serde(rename = "pub", default)]
    pub publish: Permission,
    /// Subscribe permissions; always written, as `{}` when empty.
    #[serde(rename = "sub", default)]
    pub subscribe: Permission,
    /// Response permissions (`allow_responses`), omitted when `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resp: Option<ResponsePermission>,
}

/// A window of clock time in which a user may connect (Go `TimeRange`): `"HH:MM:SS"` in the
/// user's `times_location`; a window whose start is after its end crosses midnight.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeRange {
    /// Start, `"15:04:05"` form.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub start: String,
    /// End, `"15:04:05"` form.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub end: String,
}

/// The user-only limits (Go `UserLimits` without `src`): connect times and their zone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserLimits {
    /// Windows of clock time in which the user may connect; none means any time.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub times: Vec<TimeRange>,
    /// The IANA time zone `times` are read in (nsc `--locale`); empty: the server's local zone.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub times_location: String,
}

/// Message limits shared by accounts and users; `-1` means unlimited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NatsLimits {
    /// Maximum subscriptions.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub subs: i64,
    /// Maximum bytes.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub data: i64,
    /// Maximum message payload.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub payload: i64,
}

impl Default for NatsLimits {
    fn default() -> Self {
        NatsLimits { subs: -1, data: -1, payload: -1 }
    }
}

/// Account limits (Go `OperatorLimits` without JetStream); `-1` is unlimited.
///
/// JetStream limits are all zero (disabled) in a fresh Go account and are
/// therefore omitted; they are not modelled here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountLimits {
    /// Subscription, data and payload limits.
    #[serde(flatten)]
    pub nats: NatsLimits,
    /// Maximum imports.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub imports: i64,
    /// Maximum exports.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub exports: i64,
    /// Whether exports may use wildcards.
    #[serde(default, skip_serializing_if = "is_false")]
    pub wildcards: bool,
    /// Whether bearer-token user JWTs are refused.
    #[serde(default, skip_serializing_if = "is_false")]
    pub disallow_bearer: bool,
    /// Maximum client connections.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub conn: i64,
    /// Maximum leafnode connections.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub leaf: i64,
    /// JetStream limits (Go `JetStreamLimits`, inlined); all zero means JetStream is off.
    #[serde(flatten)]
    pub jetstream: JetStreamLimits,
}

/// An account's JetStream limits (Go `JetStreamLimits`); nats-server enables JetStream for the
/// account when `mem_storage` or `disk_storage` is not zero. `-1` is unlimited.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JetStreamLimits {
    /// Memory storage, bytes.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub mem_storage: i64,
    /// File storage, bytes.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub disk_storage: i64,
    /// Streams.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub streams: i64,
    /// Consumers.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub consumer: i64,
}

impl Default for AccountLimits {
    /// The limits `nsc add account` writes: everything unlimited.
    fn default() -> Self {
        AccountLimits {
            nats: NatsLimits::default(),
            imports: -1,
            exports: -1,
            wildcards: true,
            disallow_bearer: false,
            conn: -1,
            leaf: -1,
            jetstream: JetStreamLimits::default(),
        }
    }
}

/// Auth callout settings of an account (Go `ExternalAuthorization`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExternalAuthorization {
    /// Users that bypass the callout (the auth service itself).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub auth_users: Vec<String>,
    /// Accounts the callout may place users in.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed_accounts: Vec<String>,
    /// Curve public key used to seal requests.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub xkey: String,
}
