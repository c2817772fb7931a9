//! The running side of identities: the keys and JWTs of a phase ([`Keyring`]), the
//! placeholders they fill, and the credentials each client gets.

mod client_auth;
mod issue;
mod keys;
mod ring;

pub use client_auth::{ClientAuthError, client_auth};
pub use issue::{IssueError, Issued, IssuedAccount, IssuedUser};
pub use keys::{KeyKind, KeySet};
pub use ring::Keyring;
