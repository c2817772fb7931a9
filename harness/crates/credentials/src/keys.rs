//! Key pairs by role, and the [`Identity`] that carries one.
//!
//! NATS operator mode uses ed25519 keys in the nkeys encoding: public keys
//! start with `O` (operator), `A` (account) or `U` (user); seeds start with
//! `S` followed by the same letter (`SO`, `SA`, `SU`). Signing keys are plain
//! key pairs of the same type as the identity they sign for: an operator
//! signing key is an `O` key, an account signing key an `A` key.

use std::fmt;

use nkeys::{KeyPair, KeyPairType};
use thiserror::Error;

/// The role a key plays in the operator / account / user hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// The operator identity (`O...`), self-signs the operator JWT.
    Operator,
    /// An operator signing key (`O...`), may sign account JWTs.
    OperatorSigningKey,
    /// An account identity (`A...`), the subject of an account JWT.
    Account,
    /// An account signing key (`A...`), may sign user JWTs that name the
    /// account in `issuer_account`.
    AccountSigningKey,
    /// A user identity (`U...`), the subject of a user JWT or an nkey user.
    User,
}

impl Role {
    /// The nkeys key type used for this role.
    pub fn key_pair_type(self) -> KeyPairType {
        match self {
            Role::Operator | Role::OperatorSigningKey => KeyPairType::Operator,
            Role::Account | Role::AccountSigningKey => KeyPairType::Account,
            Role::User => KeyPairType::User,
        }
    }

    /// The first letter of a public key of this role (`O`, `A` or `U`).
    pub fn public_prefix(self) -> char {
        match self.key_pair_type() {
            KeyPairType::Operator => 'O',
            KeyPairType::Account => 'A',
            _ => 'U',
        }
    }

    /// The first two letters of a seed of this role (`SO`, `SA` or `SU`).
    pub fn seed_prefix(self) -> &'static str {
        match self.key_pair_type() {
            KeyPairType::Operator => "SO",
            KeyPairType::Account => "SA",
            _ => "SU",
        }
    }
}

/// Errors raised when a key cannot be loaded for a role.
#[derive(Debug, Error)]
pub enum KeyError {
    /// The text is not a valid nkeys seed (bad prefix, length or checksum).
    #[error("expected a valid nkeys seed starting with {expected}: {source}")]
    BadSeed {
        /// The seed prefix that was expected (`SO`, `SA`, `SU`).
        expected: &'static str,
        /// The error reported by nkeys.
        #[source]
        source: nkeys::error::Error,
    },
    /// The seed decodes, but belongs to another role.
    #[error("expected a seed starting with {expected}, found one starting with {found}")]
    WrongRole {
        /// The seed prefix that was expected.
        expected: &'static str,
        /// The first two characters of the seed that was given.
        found: String,
    },
}

/// A key pair together with the role it plays.
///
/// `Debug` shows only the role and public key: the seed is a secret and is
/// never printed. Use [`Identity::seed`] to obtain it explicitly.
#[derive(Clone)]
pub struct Identity {
    role: Role,
    public_key: String,
    seed: String,
}

impl Identity {
    /// Generates a fresh random key pair for `role`.
    pub fn generate(role: Role) -> Identity {
        let kp = KeyPair::new(role.key_pair_type());
        let seed = kp.seed().expect("a freshly generated nkeys key pair always has a seed");
        Identity { role, public_key: kp.public_key(), seed }
    }

    /// Loads an identity from a seed, checking the seed's type matches `role`.
    pub fn from_seed(role: Role, seed: &str) -> Result<Identity, KeyError> {
        let expected = role.seed_prefix();
        let kp = KeyPair::from_seed(seed).map_err(|source| KeyError::BadSeed { expected, source })?;
        if kp.key_pair_type() != role.key_pair_type() {
            return Err(KeyError::WrongRole { expected, found: seed.chars().take(2).collect() });
        }
        Ok(Identity { role, public_key: kp.public_key(), seed: seed.to_string() })
    }

    /// The role of this identity.
    pub fn role(&self) -> Role {
        self.role
    }

    /// The public key (`O...`, `A...` or `U...`), safe to print or put in config.
    pub fn public_key(&self) -> &str {
        &self.public_key
    }

    /// The seed (`SO...`, `SA...` or `SU...`). A secret: never log it.
    pub fn seed(&self) -> &str {
        &self.seed
    }

    /// The nkeys key pair, able to sign.
    pub fn key_pair(&self) -> KeyPair {
        KeyPair::from_seed(&self.seed).expect("an Identity always holds a valid seed")
    }

    /// Signs `input` with this identity's seed (raw 64-byte ed25519 signature).
    pub fn sign(&self, input: &[u8]) -> Vec<u8> {
        self.key_pair().sign(input).expect("a key pair built from a seed can always sign")
    }
}

impl fmt::Debug for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Identity")
            .field("role", &self.role)
            .field("public_key", &self.public_key)
            .finish_non_exhaustive()
    }
}

/// Generates an operator identity (`O...`).
pub fn operator() -> Identity {
    Identity::generate(Role::Operator)
}

/// Generates an account identity (`A...`).
pub fn account() -> Identity {
    Identity::generate(Role::Account)
}

/// Generates an account signing key (`A...`).
pub fn account_signing_key() -> Identity {
    Identity::generate(Role::AccountSigningKey)
}

/// Generates an operator signing key (`O...`).
pub fn operator_signing_key() -> Identity {
    Identity::generate(Role::OperatorSigningKey)
}

/// Generates a user identity (`U...`).
pub fn user() -> Identity {
    Identity::generate(Role::User)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_match_roles() {
        for role in [Role::Operator, Role::OperatorSigningKey, Role::Account, Role::AccountSigningKey, Role::User] {
            let id = Identity::generate(role);
            assert!(id.public_key().starts_with(role.public_prefix()), "{role:?}");
            assert!(id.seed().starts_with(role.seed_prefix()), "{role:?}");
        }
    }

    #[test]
    fn debug_hides_seed() {
        let id = user();
        let shown = format!("{id:?}");
        assert!(shown.contains(id.public_key()));
        assert!(!shown.contains(id.seed()));
    }

    #[test]
    fn from_seed_checks_role() {
        let acc = account();
        let back = Identity::from_seed(Role::Account, acc.seed()).unwrap();
        assert_eq!(back.public_key(), acc.public_key());
        let err = Identity::from_seed(Role::User, acc.seed()).unwrap_err();
        assert!(matches!(err, KeyError::WrongRole { expected: "SU", .. }), "{err}");
        let err = Identity::from_seed(Role::User, "SUNOTASEED").unwrap_err();
        assert!(matches!(err, KeyError::BadSeed { .. }), "{err}");
    }
}
