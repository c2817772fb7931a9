//! Why a test server did not start.

/// A [`super::TestServer`] that could not start.
///
/// ```
/// let e = natsfault::testing::TestServerError::UnknownUser("orders".into());
/// assert_eq!(e.to_string(), "no user `orders`; expected a name given to `TestServer::builder().user(...)` or `.creds_file(...)`");
/// ```
#[derive(Debug, thiserror::Error)]
pub enum TestServerError {
    /// The version is not one natsfault knows.
    #[error("nats-server version `{0}`: {1}")]
    Version(String, String),
    /// Keys, JWTs or creds files could not be made.
    #[error("credentials: {0}")]
    Credentials(String),
    /// The server did not start (or this machine lacks its binary or a container engine).
    #[error(transparent)]
    Server(#[from] crate::backend::ServerError),
    /// The wire tap in front of the server did not start.
    #[error("proxy: {0}")]
    Proxy(String),
    /// A user name the builder was not given.
    #[error("no user `{0}`; expected a name given to `TestServer::builder().user(...)` or `.creds_file(...)`")]
    UnknownUser(String),
    /// The config (a file, or the text given to `config`) cannot be played in the sandbox.
    #[error("config: {0}")]
    Config(String),
}
