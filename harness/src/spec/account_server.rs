//! The `[account-server]` table: a mocked URL account resolver (`resolver: URL(...)`) that
//! serves the scenario's account JWTs over HTTP, or fails the way a scenario asks.

use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use super::duration::Dur;

/// The path under which account JWTs are served, as nats-account-server and `nsc` lay it out.
pub const ACCOUNT_SERVER_PATH: &str = "/jwt/v1/accounts/";

/// One `[account-server]` table (or `[fix.account-server]`, whose set fields override it).
///
/// nats-server fetches the resolver's base URL once at startup (and exits when that fails), then
/// `<base><account public key>` whenever it needs an account it does not have. The config names
/// the mock with `{{account-server.url}}`:
///
/// ```toml
/// [account-server]
/// status = 404          # lookups of APP answer 404
/// accounts = ["APP"]
///
/// [server]
/// config = '''
/// operator: "{{operator.jwt}}"
/// system_account: "{{system-account}}"
/// resolver: URL({{account-server.url}})
/// '''
/// ```
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct AccountServerSpec {
    /// The status account lookups answer with; default 200 with the account's JWT (404 for an
    /// account marked `unknown-to-resolver`).
    pub status: Option<Spanned<u16>>,
    /// How long account lookups wait before answering.
    pub delay: Option<Dur>,
    /// The accounts `status` and `delay` apply to (default: every account except the system
    /// account, so the server still starts).
    pub accounts: Option<Vec<Spanned<String>>>,
    /// The status of the base URL, which the server fetches once at startup (default 200).
    pub probe_status: Option<Spanned<u16>>,
    /// How long the base URL waits before answering.
    pub probe_delay: Option<Dur>,
}

impl AccountServerSpec {
    /// This spec with every field that `over` sets replaced by `over`'s value.
    pub fn merged(&self, over: &AccountServerSpec) -> AccountServerSpec {
        let mut out = self.clone();
        pick!(out, over; status, delay, accounts, probe_status, probe_delay);
        out
    }

    /// The status set for lookups, if any.
    pub fn status(&self) -> Option<u16> {
        self.status.as_ref().map(|s| *s.get_ref())
    }

    /// The delay of lookups.
    pub fn delay(&self) -> Duration {
        self.delay.map(|d| d.get()).unwrap_or_default()
    }

    /// The status of the startup probe, default 200.
    pub fn probe_status(&self) -> u16 {
        self.probe_status.as_ref().map_or(200, |s| *s.get_ref())
    }

    /// The delay of the startup probe.
    pub fn probe_delay(&self) -> Duration {
        self.probe_delay.map(|d| d.get()).unwrap_or_default()
    }

    /// Whether `status` and `delay` apply to account `name` (`system` names the system account).
    pub fn applies_to(&self, name: &str, system: &str) -> bool {
        match &self.accounts {
            Some(list) => list.iter().any(|a| a.get_ref() == name),
            None => name != system,
        }
    }

    /// Every status the table sets, with its span, for validation.
    pub fn statuses(&self) -> impl Iterator<Item = &Spanned<u16>> {
        self.status.iter().chain(self.probe_status.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_serve_every_account_and_spare_the_system_account() {
        let s = AccountServerSpec::default();
        assert_eq!((s.status(), s.probe_status(), s.delay()), (None, 200, Duration::ZERO));
        assert!(s.applies_to("APP", "SYS") && !s.applies_to("SYS", "SYS"));
    }

    #[test]
    fn fix_overrides_set_fields_only() {
        let base: AccountServerSpec = toml::from_str("status = 404\naccounts = [\"APP\"]").unwrap();
        let fix: AccountServerSpec = toml::from_str("status = 200").unwrap();
        let m = base.merged(&fix);
        assert_eq!(m.status(), Some(200));
        assert!(m.applies_to("APP", "SYS") && !m.applies_to("OTHER", "SYS"));
        assert!(toml::from_str::<AccountServerSpec>("stauts = 1").is_err());
    }
}
