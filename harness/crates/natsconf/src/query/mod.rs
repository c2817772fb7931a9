//! Questions an auth diagnosis asks of a parsed config: users, permissions, tokens, operator
//! mode, auth callout, and keys the server rejects or ignores.

mod callout;
mod finding;
mod findings;
mod jwt;
mod known_keys;
mod located;
mod operator;
mod permissions;
mod secret;
mod tls;
mod user_entries;
mod users;

pub use callout::AuthCallout;
pub use finding::{Finding, FindingKind};
pub use located::Located;
pub use operator::{DirResolverKind, OperatorRef, PreloadEntry, Resolver};
pub use permissions::{AllowResponses, Permissions, SubjectRule};
pub use secret::Secret;
pub use tls::TlsBlock;
pub use users::{Account, Authorization, ConfigUser};

pub(crate) use jwt::{claims_json, find_jwt, string_claim};
pub(crate) use known_keys::{KnownKey, known_key};
pub(crate) use operator::{OPERATOR_KEYS, RESOLVER_KEYS, parse_resolver_string};
