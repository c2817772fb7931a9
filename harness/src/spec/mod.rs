//! The description of a scenario, as read from a scenario file (the running side is in
//! [`crate::runner`]).

#[macro_use]
mod macros;

mod account_server;
mod api_error;
mod auth_callback;
mod bounds;
mod callout_request;
mod cause;
mod client;
mod count_range;
mod creds;
pub mod discover;
mod duration;
mod endpoint;
mod expect;
mod fix;
mod header;
mod identity;
mod jetstream;
mod jetstream_action;
mod library;
mod library_choice;
mod load;
mod load_files;
mod log_count;
mod on_disconnect;
mod patterns;
mod problem;
mod rule;
mod scenario;
mod server;
mod servers;
mod step;
mod subject;
mod time_range;
mod tls;
mod toxic;
mod validate;
mod validate_account_server;
mod validate_callout;
mod validate_callout_request;
mod validate_evidence;
mod validate_http;
mod validate_identities;
mod validate_libraries;
mod validate_mqtt;
mod validate_on_disconnect;
mod validate_placeholders;
mod validate_raw_listener;
mod validate_tls;
mod validate_topology;
mod validate_toxics;
mod validate_websocket;
mod version_req;
mod window;

pub use account_server::{ACCOUNT_SERVER_PATH, AccountServerSpec};
pub use api_error::ApiErrorSpec;
pub use auth_callback::AuthCallbackSpec;
pub use callout_request::{
    CalloutRequestMatch, ClientInfoMatch, ConnectOptsMatch, FieldMatch, SECRET_FIELDS, ServerIdMatch,
};
pub use cause::Cause;
pub use client::{ClientKind, ClientListener, ClientSpec};
pub use count_range::{CountRange, CountRangeParseError};
pub use creds::{CredsPair, CredsRef};
pub use duration::{Dur, DurationParseError, fmt_duration};
pub use endpoint::{
    DEFAULT_ENDPOINT_ACCOUNT, DEFAULT_GRANT_SUBJECTS, DEFAULT_GRANT_USER, ENDPOINT_AUTH_USER, EndpointChange,
    EndpointMode, EndpointSpec,
};
pub use expect::Expect;
pub use fix::{Fix, Replace};
pub use identity::{
    AccountSpec, ByteSize, CalloutClaimSpec, ClockTime, ClockTimeParseError, ConnectWindow, CredsDefectKind,
    DEFAULT_SYSTEM_ACCOUNT, DefaultPermissionsSpec, Identities, IssuerAccount, JetStreamLimitsSpec, JwtDefectKind,
    LimitsSpec, NkeySpec, OperatorSpec, RelTime, RelTimeParseError, ScopedKeySpec, SubjectRules, UserSpec, ZoneError,
    built_in_zone, clock_in, now_f64, zone, zone_for_hour,
};
pub use jetstream::{JsArgs, StorageKind};
pub use jetstream_action::{JS_ERROR_KINDS, is_js as is_js_action};
pub use library::{ByLibrary, Library, LibraryExpect, LibraryParseError};
pub use load::{LoadError, SCENARIO_FILE_LIMIT, load_bytes, load_file, load_str};
pub use log_count::LogCount;
pub use on_disconnect::{DEFAULT_MAX_CONNECTIONS, MAX_CONNECTIONS_LIMIT, OnDisconnect};
pub use patterns::Patterns;
pub use problem::{Problem, ScenarioError, line_col};
pub use rule::{RuleActionName, RuleTable, RuleTo};
pub use scenario::Scenario;
pub use server::ServerSection;
pub use servers::{NamedServer, SHORTHAND_NAME};
pub use step::{Action, Phase, Step};
pub use subject::{SubjectError, check_subject};
pub use time_range::{TimeRange, TimeRangeParseError};
pub use tls::{CaSpec, CertDefect, CertSpec, TlsSpec};
pub use validate::ERROR_KINDS;
pub use validate_topology::parse_link;
pub use version_req::{Version, VersionParseError, VersionReq};
pub use window::{Since, Unwanted};
