//! The running side of identities: the keys and JWTs of a phase ([`Keyring`]), the
//! placeholders they fill, and the credentials each client gets.

mod client_auth;
mod issue;
mod keys;
mod renew;
mod ring;
mod zones;

pub use client_auth::{ClientAuthError, client_auth};
pub use issue::{IssueCause, IssueError, Issued, IssuedAccount, IssuedUser};
pub use keys::{KeyKind, KeySet};
pub use renew::renewer;
pub use ring::Keyring;
pub use zones::{ZONE_DIR, ZoneFileError, ship_zones};
