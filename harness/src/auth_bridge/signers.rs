//! The keys a bridge signs and seals with, loaded from a spec's seeds.
//!
//! ```
//! use natsfault::auth_bridge::{BridgeMode, BridgeSpec, ServiceAuth, Signers};
//! use natsfault::credentials::keys;
//!
//! let issuer = keys::account();
//! let app = keys::account();
//! let spec = BridgeSpec::new(
//!     "nats://127.0.0.1:4222",
//!     "http://127.0.0.1:8080/auth",
//!     issuer.seed(),
//!     BridgeMode::Operator { target_account_seed: app.seed().into() },
//!     ServiceAuth::Credentials(String::new()),
//! );
//! let signers = Signers::from_spec(&spec).unwrap();
//! assert_eq!(signers.issuer.public_key(), issuer.public_key());
//! assert_eq!(signers.user_issuer.public_key(), app.public_key());
//! assert_eq!(signers.audience, None);
//! ```

use nkeys::XKey;

use super::error::BridgeError;
use super::spec::{BridgeMode, BridgeSpec};
use crate::credentials::{Identity, Role};

/// Signing and sealing keys of a bridge.
#[derive(Clone)]
pub struct Signers {
    /// Signs authorization responses (the callout issuer account).
    pub issuer: Identity,
    /// Signs the user JWTs inside responses: the issuer in config mode, the
    /// target account in operator mode.
    pub user_issuer: Identity,
    /// The user JWT's `aud`: the target account name in config mode.
    pub audience: Option<String>,
    /// The curve key that opens requests and seals responses.
    pub xkey: Option<XKey>,
    /// How long each user JWT is valid from the moment it is signed (its `exp`); none: no
    /// expiry.
    pub user_expiry: Option<std::time::Duration>,
}

impl std::fmt::Debug for Signers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signers")
            .field("issuer", &self.issuer)
            .field("user_issuer", &self.user_issuer)
            .field("audience", &self.audience)
            .field("xkey", &self.xkey.as_ref().map(XKey::public_key))
            .field("user_expiry", &self.user_expiry)
            .finish()
    }
}

fn account(field: &'static str, seed: &str) -> Result<Identity, BridgeError> {
    Identity::from_seed(Role::Account, seed)
        .map_err(|_| BridgeError::bad_seed(field, seed, "an account seed (`SA...`)"))
}

impl Signers {
    /// Loads the seeds of `spec`, checking each has the right type.
    pub fn from_spec(spec: &BridgeSpec) -> Result<Signers, BridgeError> {
        let issuer = account("issuer_seed", &spec.issuer_seed)?;
        let (user_issuer, audience) = match &spec.mode {
            BridgeMode::Config { target_account } => (issuer.clone(), Some(target_account.clone())),
            BridgeMode::Operator { target_account_seed } => {
                (account("target_account_seed", target_account_seed)?, None)
            }
        };
        let xkey = match &spec.xkey_seed {
            None => None,
            Some(seed) => Some(
                XKey::from_seed(seed)
                    .map_err(|_| BridgeError::bad_seed("xkey_seed", seed, "a curve seed (`SX...`)"))?,
            ),
        };
        Ok(Signers { issuer, user_issuer, audience, xkey, user_expiry: spec.user_expiry })
    }
}
