//! The seven causes a scenario can reproduce.

use serde::Deserialize;

/// Which of the troubleshooting guide's causes a scenario reproduces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, serde::Serialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Cause {
    /// Cause 1: publish or subscribe permissions too narrow, deny lists.
    Permissions,
    /// Cause 2: expired, revoked or badly signed user JWTs.
    JwtInvalid,
    /// Cause 3: a user JWT whose account binding is wrong or missing.
    AccountClaim,
    /// Cause 4: the external auth endpoint (auth callout) fails.
    AuthEndpoint,
    /// Cause 5: nkey seed and public key do not match.
    NkeyMismatch,
    /// Cause 6: the client sends no or wrong credentials.
    NoCredentials,
    /// The follow-on: the server is down, paused or cut off.
    ServerUnreachable,
}

impl Cause {
    /// The name used in scenario files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Cause::Permissions => "permissions",
            Cause::JwtInvalid => "jwt-invalid",
            Cause::AccountClaim => "account-claim",
            Cause::AuthEndpoint => "auth-endpoint",
            Cause::NkeyMismatch => "nkey-mismatch",
            Cause::NoCredentials => "no-credentials",
            Cause::ServerUnreachable => "server-unreachable",
        }
    }
}

impl std::fmt::Display for Cause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
