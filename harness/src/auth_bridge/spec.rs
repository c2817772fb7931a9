//! [`BridgeSpec`]: what bridge to run, apart from the running
//! [`Bridge`](super::Bridge).
//!
//! ```
//! use std::time::Duration;
//! use natsfault::auth_bridge::{BridgeMode, BridgeSpec, FailureKind, ServiceAuth};
//! use natsfault::credentials::keys;
//!
//! let issuer = keys::account();
//! let spec = BridgeSpec::new(
//!     "nats://127.0.0.1:4222",
//!     "http://127.0.0.1:8080/auth",
//!     issuer.seed(),
//!     BridgeMode::Config { target_account: "APP".into() },
//!     ServiceAuth::UserPassword { user: "auth".into(), password: "auth".into() },
//! )
//! .with_request_timeout(Duration::from_millis(300))
//! .with_silent_on(FailureKind::Timeout);
//! assert!(spec.validate().is_ok());
//! assert!(spec.is_silent_on(FailureKind::Timeout));
//! ```

use std::collections::BTreeSet;
use std::time::Duration;

use super::error::BridgeError;
use super::signers::Signers;
use super::url::EndpointUrl;

/// The bridge's HTTP timeout unless set: below the server's default
/// `authorization { timeout }` of 2 s, so the server gets the bridge's answer.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_millis(1500);

/// Where authorized users go, and who signs their user JWTs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BridgeMode {
    /// Server config mode (`authorization { auth_callout { ... } }`): the
    /// issuer signs the user JWT, whose `aud` names the target account.
    Config {
        /// The account users are placed in, e.g. `"APP"`.
        target_account: String,
    },
    /// Operator mode (the callout account's JWT has `authorization`): the
    /// user JWT is issued by the target account's key, which must be the
    /// callout account or one of its `allowed_accounts`.
    Operator {
        /// Seed (`SA...`) of the account users are placed in.
        target_account_seed: String,
    },
}

/// How the bridge itself connects to NATS (as one of `auth_users`).
#[derive(Clone, PartialEq, Eq)]
pub enum ServiceAuth {
    /// User and password (config mode).
    UserPassword {
        /// User name.
        user: String,
        /// Password.
        password: String,
    },
    /// The text of a `.creds` file (operator mode).
    Credentials(String),
}

impl std::fmt::Debug for ServiceAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServiceAuth::UserPassword { user, .. } => {
                f.debug_struct("UserPassword").field("user", user).finish_non_exhaustive()
            }
            ServiceAuth::Credentials(_) => f.write_str("Credentials(..)"),
        }
    }
}

/// A description of a bridge; [`Bridge::start`](super::Bridge::start) runs it.
#[derive(Clone)]
pub struct BridgeSpec {
    /// NATS URL the bridge connects to.
    pub nats_url: String,
    /// The HTTP auth endpoint (`http://` only).
    pub auth_url: String,
    /// Seed (`SA...`) of the issuer account: the `issuer` of the config's
    /// `auth_callout`, or the callout account in operator mode. Signs responses.
    pub issuer_seed: String,
    /// Curve seed (`SX...`) whose public key is the callout's `xkey`.
    pub xkey_seed: Option<String>,
    /// How long one HTTP exchange may take. Keep it below the server's auth
    /// timeout, or the server gives up first.
    pub request_timeout: Duration,
    /// How the bridge connects to NATS.
    pub service_auth: ServiceAuth,
    /// Config or operator mode.
    pub mode: BridgeMode,
    /// Failure kinds answered with no response at all (the server then
    /// times out) instead of an error response.
    pub silent_on: BTreeSet<super::FailureKind>,
    /// How long each user JWT the bridge signs is valid (its `exp`); none: no expiry.
    pub user_expiry: Option<Duration>,
}

impl std::fmt::Debug for BridgeSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BridgeSpec")
            .field("nats_url", &self.nats_url)
            .field("auth_url", &self.auth_url)
            .field("xkey", &self.xkey_seed.is_some())
            .field("request_timeout", &self.request_timeout)
            .field("service_auth", &self.service_auth)
            .field("mode", &self.mode)
            .field("silent_on", &self.silent_on)
            .field("user_expiry", &self.user_expiry)
            .finish_non_exhaustive()
    }
}

impl BridgeSpec {
    /// A spec with the default timeout, no xkey, and an error response for
    /// every failure that can be answered.
    pub fn new(
        nats_url: impl Into<String>,
        auth_url: impl Into<String>,
        issuer_seed: impl Into<String>,
        mode: BridgeMode,
        service_auth: ServiceAuth,
    ) -> BridgeSpec {
        BridgeSpec {
            nats_url: nats_url.into(),
            auth_url: auth_url.into(),
            issuer_seed: issuer_seed.into(),
            xkey_seed: None,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            service_auth,
            mode,
            silent_on: BTreeSet::new(),
            user_expiry: None,
        }
    }

    /// Seals and opens with this curve seed (`SX...`).
    pub fn with_xkey_seed(mut self, seed: impl Into<String>) -> BridgeSpec {
        self.xkey_seed = Some(seed.into());
        self
    }

    /// Sets the HTTP timeout.
    pub fn with_request_timeout(mut self, timeout: Duration) -> BridgeSpec {
        self.request_timeout = timeout;
        self
    }

    /// Signs user JWTs that expire `expiry` after they are signed.
    pub fn with_user_expiry(mut self, expiry: Duration) -> BridgeSpec {
        self.user_expiry = Some(expiry);
        self
    }

    /// Sends no response at all for failures of `kind`.
    pub fn with_silent_on(mut self, kind: super::FailureKind) -> BridgeSpec {
        self.silent_on.insert(kind);
        self
    }

    /// Whether failures of `kind` get no response.
    pub fn is_silent_on(&self, kind: super::FailureKind) -> bool {
        self.silent_on.contains(&kind) || !kind.can_answer()
    }

    /// Checks every field; returns the keys and URL ready to use.
    pub fn validate(&self) -> Result<(Signers, EndpointUrl), BridgeError> {
        let url = EndpointUrl::parse(&self.auth_url).map_err(|expected| BridgeError::InvalidSpec {
            field: "auth_url",
            value: self.auth_url.clone(),
            expected,
        })?;
        if self.request_timeout.is_zero() {
            return Err(BridgeError::InvalidSpec {
                field: "request_timeout",
                value: "0s".into(),
                expected: "a timeout above zero".into(),
            });
        }
        if let BridgeMode::Config { target_account } = &self.mode
            && target_account.is_empty()
        {
            return Err(BridgeError::InvalidSpec {
                field: "target_account",
                value: String::new(),
                expected: "an account name such as `APP`".into(),
            });
        }
        let signers = Signers::from_spec(self)?;
        Ok((signers, url))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth_bridge::FailureKind;
    use crate::credentials::keys;

    fn spec() -> BridgeSpec {
        BridgeSpec::new(
            "nats://127.0.0.1:1",
            "http://127.0.0.1:2/auth",
            keys::account().seed(),
            BridgeMode::Config { target_account: "APP".into() },
            ServiceAuth::UserPassword { user: "auth".into(), password: "pw".into() },
        )
    }

    #[test]
    fn refusals_name_the_field() {
        let mut s = spec();
        s.auth_url = "https://x".into();
        assert!(s.validate().unwrap_err().to_string().starts_with("invalid `auth_url` `https://x`"));
        let s = spec().with_request_timeout(Duration::ZERO);
        assert!(s.validate().unwrap_err().to_string().contains("request_timeout"));
        let mut s = spec();
        s.issuer_seed = keys::user().seed().to_string();
        let err = s.validate().unwrap_err().to_string();
        assert_eq!(err, "invalid `issuer_seed` `SU...`: expected an account seed (`SA...`)");
        let s = spec().with_xkey_seed("SXNOPE");
        assert!(s.validate().unwrap_err().to_string().contains("xkey_seed"));
    }

    #[test]
    fn unreadable_requests_are_always_silent() {
        let s = spec();
        assert!(s.is_silent_on(FailureKind::BadRequest));
        assert!(!s.is_silent_on(FailureKind::Timeout));
    }

    #[test]
    fn debug_hides_secrets() {
        let s = spec().with_xkey_seed("SXsecret");
        let shown = format!("{s:?}");
        assert!(!shown.contains(&s.issuer_seed));
        assert!(!shown.contains("SXsecret"));
        assert!(!shown.contains("pw"));
    }
}
