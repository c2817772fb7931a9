//! Identities a scenario declares: the operator, accounts, user JWTs and nkey users. The keys
//! and JWTs themselves are made when a phase runs, by [`crate::keyring`].

mod account;
mod callout;
mod connect_times;
mod creds_defect;
mod default_permissions;
mod identities;
mod issuer_account;
mod jetstream_limits;
mod jwt_defect;
mod locale;
mod nkey;
mod operator;
mod relative_time;
mod scoped_key;
mod user;

pub use account::{AccountSpec, LimitsSpec};
pub use callout::CalloutClaimSpec;
pub use connect_times::{ClockTime, ClockTimeParseError, ConnectWindow};
pub use creds_defect::CredsDefectKind;
pub use default_permissions::DefaultPermissionsSpec;
pub use identities::Identities;
pub use issuer_account::IssuerAccount;
pub use jetstream_limits::{ByteSize, JetStreamLimitsSpec};
pub use jwt_defect::JwtDefectKind;
pub use locale::{ZoneError, built_in_zone, clock_in, zone, zone_for_hour};
pub use nkey::NkeySpec;
pub use operator::{DEFAULT_SYSTEM_ACCOUNT, OperatorSpec};
pub use relative_time::{RelTime, RelTimeParseError, now_f64};
pub use scoped_key::ScopedKeySpec;
pub use user::{SubjectRules, UserSpec};
