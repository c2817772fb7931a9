//! `[accounts.NAME]`: an account JWT and its signing keys.

use serde::Deserialize;
use toml::Spanned;

use super::callout::CalloutClaimSpec;
use super::relative_time::RelTime;

/// Account limits; unset ones stay unlimited (`-1`), as `nsc add account` writes them.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LimitsSpec {
    /// Client connections.
    pub conn: Option<i64>,
    /// Subscriptions.
    pub subs: Option<i64>,
    /// Bytes.
    pub data: Option<i64>,
    /// Message payload.
    pub payload: Option<i64>,
    /// Leafnode connections.
    pub leaf: Option<i64>,
    /// Imports.
    pub imports: Option<i64>,
    /// Exports.
    pub exports: Option<i64>,
    /// Whether exports may use wildcards.
    pub wildcards: Option<bool>,
    /// Refuse bearer user JWTs.
    pub disallow_bearer: Option<bool>,
}

/// One `[accounts.NAME]` table. Every field is optional so that `[fix.accounts.NAME]` and a
/// `reload-server` step can override single fields.
///
/// ```toml
/// [accounts.APP]
/// signing-keys = ["app-ops"]
/// revoke = ["alice"]          # users whose JWTs issued until now are refused
/// expires = "-1h"
/// limits = { conn = 10 }
/// ```
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct AccountSpec {
    /// The JWT's `name` (default: the table's key).
    pub name: Option<String>,
    /// Names of signing keys this account lists; a user's `signing-key` names one.
    pub signing_keys: Option<Vec<Spanned<String>>>,
    /// Limits.
    pub limits: Option<LimitsSpec>,
    /// Users (by name, or `*` for all) revoked as of the moment of issue.
    pub revoke: Option<Vec<Spanned<String>>>,
    /// `exp`, relative to the moment of issue.
    pub expires: Option<RelTime>,
    /// `nbf`, relative to the moment of issue.
    pub not_before: Option<RelTime>,
    /// Leave the account out of `{{resolver-preload}}`.
    pub unknown_to_resolver: Option<bool>,
    /// The `authorization` claim: auth callout for this account's users.
    pub auth_callout: Option<CalloutClaimSpec>,
    /// JetStream limits; without them the account has no JetStream.
    pub jetstream: Option<super::jetstream_limits::JetStreamLimitsSpec>,
}

impl AccountSpec {
    /// This spec with every field that `over` sets replaced by `over`'s value.
    pub fn merged(&self, over: &AccountSpec) -> AccountSpec {
        macro_rules! pick {
            ($($f:ident),*) => { AccountSpec { $($f: over.$f.clone().or_else(|| self.$f.clone()),)* } };
        }
        pick!(name, signing_keys, limits, revoke, expires, not_before, unknown_to_resolver, auth_callout, jetstream)
    }

    /// The signing key names, in order.
    pub fn signing_key_names(&self) -> impl Iterator<Item = &str> {
        self.signing_keys.iter().flatten().map(|s| s.get_ref().as_str())
    }
}
