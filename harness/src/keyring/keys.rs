//! The key pairs of a phase, made on first use and kept for the whole phase, so credentials
//! issued anew (by a `reload-server` step) keep their keys.

use std::collections::BTreeMap;

use crate::credentials::{Identity, Role};

/// What a named key is for. Signing keys share one namespace across accounts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum KeyKind {
    /// The operator (one, unnamed).
    Operator,
    /// An operator signing key.
    OperatorSigningKey,
    /// An operator the server does not trust, for accounts with `foreign-operator`.
    ForeignOperator,
    /// An account.
    Account,
    /// An account signing key.
    SigningKey,
    /// A user of a user JWT.
    User,
    /// An nkey user.
    Nkey,
    /// A key made to sign a `wrong-signer` JWT.
    Stranger,
}

impl KeyKind {
    fn role(self) -> Role {
        match self {
            KeyKind::Operator | KeyKind::ForeignOperator => Role::Operator,
            KeyKind::OperatorSigningKey => Role::OperatorSigningKey,
            KeyKind::Account | KeyKind::Stranger => Role::Account,
            KeyKind::SigningKey => Role::AccountSigningKey,
            KeyKind::User | KeyKind::Nkey => Role::User,
        }
    }
}

/// Key pairs by kind and name.
///
/// ```
/// use natsfault::keyring::{KeyKind, KeySet};
/// let mut keys = KeySet::default();
/// let a = keys.get(KeyKind::Account, "APP").public_key().to_string();
/// assert_eq!(keys.get(KeyKind::Account, "APP").public_key(), a, "made once");
/// assert!(a.starts_with('A'));
/// ```
#[derive(Clone, Debug, Default)]
pub struct KeySet {
    keys: BTreeMap<(KeyKind, String), Identity>,
}

impl KeySet {
    /// The key of `kind` called `name`, made now if it does not exist yet.
    pub fn get(&mut self, kind: KeyKind, name: &str) -> Identity {
        self.keys.entry((kind, name.to_string())).or_insert_with(|| Identity::generate(kind.role())).clone()
    }

    /// The key, if made.
    pub fn existing(&self, kind: KeyKind, name: &str) -> Option<&Identity> {
        self.keys.get(&(kind, name.to_string()))
    }

    /// Every seed made so far (secrets).
    pub fn seeds(&self) -> impl Iterator<Item = &str> {
        self.keys.values().map(Identity::seed)
    }
}
