//! The description of a scenario, as read from a scenario file (the running side is in
//! [`crate::runner`]).

#[macro_use]
mod macros;

mod account_server;
mod auth_callback;
mod bounds;
mod cause;
mod client;
mod count_range;
mod duration;
mod endpoint;
mod expect;
mod fix;
mod header;
mod identity;
mod load;
mod load_files;
mod problem;
mod scenario;
mod server;
mod step;
mod subject;
mod time_range;
mod toxic;
mod validate;
mod validate_account_server;
mod validate_callout;
mod validate_identities;
mod validate_placeholders;
mod validate_toxics;
mod version_req;

pub use account_server::{ACCOUNT_SERVER_PATH, AccountServerSpec};
pub use auth_callback::AuthCallbackSpec;
pub use cause::Cause;
pub use client::{ClientKind, ClientSpec};
pub use count_range::{CountRange, CountRangeParseError};
pub use duration::{Dur, DurationParseError, fmt_duration};
pub use endpoint::{
    DEFAULT_ENDPOINT_ACCOUNT, DEFAULT_GRANT_SUBJECTS, DEFAULT_GRANT_USER, ENDPOINT_AUTH_USER, EndpointChange,
    EndpointMode, EndpointSpec,
};
pub use expect::Expect;
pub use fix::{Fix, Replace};
pub use identity::{
    AccountSpec, CalloutClaimSpec, CredsDefectKind, DEFAULT_SYSTEM_ACCOUNT, Identities, IssuerAccount, JwtDefectKind,
    LimitsSpec, NkeySpec, OperatorSpec, RelTime, RelTimeParseError, SubjectRules, UserSpec, now_f64,
};
pub use load::{LoadError, SCENARIO_FILE_LIMIT, load_bytes, load_file, load_str};
pub use problem::{Problem, ScenarioError, line_col};
pub use scenario::Scenario;
pub use server::ServerSection;
pub use step::{Action, Phase, Step};
pub use subject::{SubjectError, check_subject};
pub use time_range::{TimeRange, TimeRangeParseError};
pub use validate::ERROR_KINDS;
pub use version_req::{Version, VersionParseError, VersionReq};
