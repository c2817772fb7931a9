//! `[operator]`: the scenario runs in operator mode.

use serde::Deserialize;
use toml::Spanned;

/// The system account's name when `[operator]` does not give one.
pub const DEFAULT_SYSTEM_ACCOUNT: &str = "SYS";

/// The operator of an operator-mode scenario. Its presence turns on `{{operator.jwt}}`,
/// `{{system-account}}` and `{{resolver-preload}}`; the system account is made for the scenario
/// when `[accounts.SYS]` (or the named one) is not declared.
///
/// ```toml
/// [operator]
/// name = "ACME"
/// system-account = "SYS"
/// signing-keys = ["op-sk"]     # accounts with `signed-by = "op-sk"` are signed by it
/// strict-signing-keys = true   # and every account must be
/// ```
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct OperatorSpec {
    /// The operator JWT's `name` (default `OP`).
    pub name: Option<String>,
    /// The account named as the system account (default `SYS`).
    pub system_account: Option<Spanned<String>>,
    /// Names of operator signing keys the operator JWT lists; an account's `signed-by` names one.
    pub signing_keys: Option<Vec<Spanned<String>>>,
    /// `strict_signing_key_usage`: account JWTs must be signed by a signing key, not by the
    /// operator's own key.
    pub strict_signing_keys: Option<bool>,
}

impl OperatorSpec {
    /// The system account's name.
    pub fn system_account(&self) -> &str {
        self.system_account.as_ref().map_or(DEFAULT_SYSTEM_ACCOUNT, |s| s.get_ref().as_str())
    }

    /// The signing key names, in order.
    pub fn signing_key_names(&self) -> impl Iterator<Item = &str> {
        self.signing_keys.iter().flatten().map(|s| s.get_ref().as_str())
    }
}
