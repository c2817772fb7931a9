//! `[accounts.NAME]`: an account JWT and its signing keys.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::callout::CalloutClaimSpec;
use super::default_permissions::DefaultPermissionsSpec;
use super::relative_time::RelTime;
use super::scoped_key::ScopedKeySpec;

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
    /// Scoped signing keys by name, each with its template of permissions.
    pub scoped_signing_keys: Option<BTreeMap<String, ScopedKeySpec>>,
    /// Limits.
    pub limits: Option<LimitsSpec>,
    /// Users (by name, or `*` for all) revoked as of the moment of issue.
    pub revoke: Option<Vec<Spanned<String>>>,
    /// Users (by name, or `*`) revoked as of a moment relative to the moment of issue: their
    /// JWTs issued at or before it are refused (`revocations = { alice = "-10s" }`).
    pub revocations: Option<BTreeMap<String, Spanned<RelTime>>>,
    /// `iat`, relative to the moment of issue (default: that moment).
    pub issued_at: Option<RelTime>,
    /// An operator signing key (named in `[operator] signing-keys`) that signs this account
    /// instead of the operator's own key.
    pub signed_by: Option<Spanned<String>>,
    /// Signed by an operator the server does not trust (made for the scenario).
    pub foreign_operator: Option<bool>,
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
    /// `default_permissions`: the permissions of the account's users that set none.
    pub default_permissions: Option<DefaultPermissionsSpec>,
}

impl AccountSpec {
    /// This spec with every field that `over` sets replaced by `over`'s value.
    pub fn merged(&self, over: &AccountSpec) -> AccountSpec {
        macro_rules! pick {
            ($($f:ident),*) => { AccountSpec { $($f: over.$f.clone().or_else(|| self.$f.clone()),)* } };
        }
        pick!(
            name,
            signing_keys,
            scoped_signing_keys,
            limits,
            revoke,
            revocations,
            issued_at,
            signed_by,
            foreign_operator,
            expires,
            not_before,
            unknown_to_resolver,
            auth_callout,
            jetstream,
            default_permissions
        )
    }

    /// The signing key names, plain ones then scoped ones, in order.
    pub fn signing_key_names(&self) -> impl Iterator<Item = &str> {
        let scoped = self.scoped_signing_keys.iter().flat_map(|m| m.keys().map(String::as_str));
        self.signing_keys.iter().flatten().map(|s| s.get_ref().as_str()).chain(scoped)
    }

    /// The scoped signing key called `name`, if this account has one.
    pub fn scoped_key(&self, name: &str) -> Option<&ScopedKeySpec> {
        self.scoped_signing_keys.as_ref()?.get(name)
    }
}
