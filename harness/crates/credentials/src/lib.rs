//! NATS credentials for fault scenarios: nkeys by role, operator-mode JWTs
//! (operator, account, user), `.creds` files, nkey users, and the
//! deliberate defects that break each of them.
//!
//! ```
//! use natsfault_credentials::{UserClaims, encode, format_creds, keys, parse_creds, verify};
//!
//! let account = keys::account();
//! let user = keys::user();
//! let mut claims = UserClaims::new(user.public_key(), "alice");
//! claims.nats.permissions.publish.allow = vec!["orders.>".into()];
//! let jwt = encode(&mut claims, &account).unwrap();
//! assert_eq!(verify(&jwt).unwrap().issuer(), Some(account.public_key()));
//!
//! let creds = format_creds(&jwt, user.seed());
//! assert_eq!(parse_creds(&creds).unwrap(), (jwt, user.seed().to_string()));
//! ```

pub mod claim_fields;
pub mod claims;
pub mod creds_compat;
pub mod creds_defects;
pub mod creds_file;
pub mod defects;
pub mod jwt;
pub mod keys;
pub mod nkey_user;
pub mod signing_key;

#[cfg(test)]
mod tests_creds;
#[cfg(test)]
mod tests_jwt;

pub use claim_fields::{
    AccountLimits, ExternalAuthorization, NatsLimits, Permission, Permissions, ResponsePermission, TimeRange,
    UserLimits,
};
pub use claims::{
    AccountClaims, AccountNats, ClaimsData, OperatorClaims, OperatorNats, UserClaims, UserNats, now_unix,
};
pub use creds_compat::{AsyncNatsCredsError, check_as_async_nats};
pub use creds_defects::CredsDefect;
pub use creds_file::{Block, CredsError, CredsErrorKind, format_creds, parse_creds, write_creds};
pub use defects::JwtDefect;
pub use jwt::{DecodedJwt, JwtError, JwtHeader, JwtPart, NatsClaims, decode, encode, verify};
pub use keys::{Identity, KeyError, Role};
pub use nkey_user::NkeyUser;
pub use signing_key::{SigningKey, UserScope, UserTemplate};
