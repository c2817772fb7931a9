//! An auth callout service that asks an HTTP endpoint.
//!
//! nats-server has no `auth_url` (it refuses to start with one); external
//! authentication is auth callout: the server sends a signed authorization
//! request on `$SYS.REQ.USER.AUTH` and waits up to `authorization { timeout }`
//! for a signed response. A [`Bridge`] is such a service whose decisions come
//! from an HTTP endpoint speaking the contract the troubleshooting guide
//! describes (see [`contract`]), so a scenario can break the
//! endpoint and watch the server and the client:
//!
//! | endpoint | the bridge answers (`error` text) | the server logs |
//! |---|---|---|
//! | 2xx `{"user", "permissions"}` | a user JWT with those permissions | nothing |
//! | 401 | `auth endpoint returned status 401 Unauthorized` | `[WRN] Auth callout service returned an error: ` + that text |
//! | 200, body not JSON | `auth endpoint returned a body that is not JSON: expected value at line 1 column 1` | the same WRN pattern |
//! | 200, no `user` | ``auth endpoint returned JSON without `user` and `permissions` as expected: missing field `user` `` | the same WRN pattern |
//! | slower than the bridge's timeout | `auth endpoint did not answer within 300ms` | the same WRN pattern |
//! | the same, [`FailureKind::Timeout`] made silent | nothing | `[DBG] Authorization callout response not received in time on account "AUTH"` |
//! | unreachable | ``auth endpoint `http://127.0.0.1:PORT/auth` is unreachable: Connection refused (os error 111)`` | the same WRN pattern |
//!
//! The client sees `-ERR 'Authorization Violation'` in every failing case.
//! What each nats-server version really logs is in `OBSERVED.md`.
//!
//! A complete scenario (config mode):
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use std::time::Duration;
//! use natsfault::auth_bridge::{Bridge, BridgeMode, BridgeSpec, ServiceAuth};
//! use natsfault::credentials::keys;
//!
//! let issuer = keys::account();
//! // The server runs with:
//! //   accounts { AUTH { users: [{user: auth, password: auth}] } APP {} SYS {} }
//! //   system_account: SYS
//! //   authorization { timeout: 2
//! //     auth_callout { issuer: <issuer.public_key()>, account: AUTH, auth_users: [auth] } }
//! let spec = BridgeSpec::new(
//!     "nats://127.0.0.1:4222",
//!     "http://127.0.0.1:8080/auth",
//!     issuer.seed(),
//!     BridgeMode::Config { target_account: "APP".into() },
//!     ServiceAuth::UserPassword { user: "auth".into(), password: "auth".into() },
//! )
//! .with_request_timeout(Duration::from_millis(1500));
//! let bridge = Bridge::start(spec).await?;
//!
//! // A client connecting with a token is now authorized by the endpoint:
//! let client = async_nats::ConnectOptions::with_token("s3cret".into()).connect("nats://127.0.0.1:4222").await?;
//! let handled = bridge.wait_handled(1, Duration::from_secs(5)).await?;
//! assert!(handled[0].outcome.is_authorized());
//! assert_eq!(handled[0].http_status, Some(200));
//! # drop(client); Ok(()) }
//! ```

mod bridge;
mod claims;
pub mod contract;
mod error;
mod failure;
mod handler;
mod http;
mod journal;
mod request;
mod response;
mod seen;
mod signers;
mod spec;
mod url;

pub use bridge::{AUTH_CALLOUT_SUBJECT, Bridge, CLIENT_NAME};
pub use claims::{
    AuthorizationRequest, AuthorizationRequestClaims, AuthorizationResponse, AuthorizationResponseClaims,
    ClientInformation, ConnectOptions, REQUEST_AUDIENCE, REQUEST_TYPE, RESPONSE_TYPE, ServerId,
};
pub use contract::{EndpointRequest, Grant, GrantPermissions};
pub use error::BridgeError;
pub use failure::{Failure, FailureKind};
pub use http::{HttpReply, MAX_BODY, post_json};
pub use journal::{HandledRequest, Outcome};
pub use request::{OpenedRequest, XKEY_HEADER, open_request};
pub use response::{error_reply, grant_reply, user_jwt};
pub use seen::request_seen;
pub use signers::Signers;
pub use spec::{BridgeMode, BridgeSpec, DEFAULT_REQUEST_TIMEOUT, ServiceAuth};
pub use url::EndpointUrl;
