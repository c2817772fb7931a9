//! A user's `issuer-account`: written, left out, or naming another account.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

/// What a user JWT's `nats.issuer_account` holds.
///
/// `issuer-account = true` writes the user's own account, `false` leaves the claim out, and a
/// name writes that account's public key. Unset, it is written exactly when a signing key signs
/// the user (as `nsc` does).
///
/// ```toml
/// [users.alice]
/// account = "APP"
/// signing-key = "app-ops"
/// issuer-account = false   # the real trap behind the guide's cause 3
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IssuerAccount {
    /// Leave `issuer_account` out.
    Omit,
    /// The user's own account.
    Own,
    /// The account with this name.
    Named(String),
}

impl<'de> Deserialize<'de> for IssuerAccount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = IssuerAccount;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("`true`, `false` or the name of an account")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<IssuerAccount, E> {
                Ok(if v { IssuerAccount::Own } else { IssuerAccount::Omit })
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<IssuerAccount, E> {
                if v.is_empty() {
                    return Err(E::custom("expected `true`, `false` or the name of an account, found an empty name"));
                }
                Ok(IssuerAccount::Named(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}
