//! The [`ClientDriver`] trait: what a scenario does with a client, whatever its library.

use std::time::Duration;

use futures::future::BoxFuture;

use crate::client::{ClientFailure, NatsConn, Received};
use crate::spec::Library;

/// Why a driver operation did not succeed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DriverError {
    /// The library reported an error, in its own terms (a step's `error` matches it).
    Client(ClientFailure),
    /// The driver itself failed: it crashed, hung, or answered what the protocol does not allow.
    /// Always a failure of the step, whatever it expects.
    Harness(String),
}

impl From<ClientFailure> for DriverError {
    fn from(f: ClientFailure) -> DriverError {
        DriverError::Client(f)
    }
}

/// A driver operation's result.
pub type DriverResult<T> = Result<T, DriverError>;

/// A connected client of some library. Every operation is bounded: a driver that does not answer
/// in time is a [`DriverError::Harness`]. The events the library surfaces (`connected`,
/// `disconnected`, `reconnected`, `closed`, `error: ...`) go to the timeline given at connect.
pub trait ClientDriver: Send {
    /// The library.
    fn library(&self) -> Library;
    /// The library's version, as the library itself reports it.
    fn version(&self) -> String;
    /// Publishes, and makes sure the bytes left the client (a flush where the library has one).
    fn publish<'a>(&'a mut self, subject: &'a str, payload: &'a str) -> BoxFuture<'a, DriverResult<()>>;
    /// Subscribes (in queue group `queue`), then flushes.
    fn subscribe<'a>(&'a mut self, subject: &'a str, queue: Option<&'a str>) -> BoxFuture<'a, DriverResult<()>>;
    /// Answers every request on `subject` with `payload` from now on.
    fn respond<'a>(
        &'a mut self,
        subject: &'a str,
        queue: Option<&'a str>,
        payload: &'a str,
    ) -> BoxFuture<'a, DriverResult<()>>;
    /// Sends a request and waits for its reply (the client's request timeout).
    fn request<'a>(&'a mut self, subject: &'a str, payload: &'a str) -> BoxFuture<'a, DriverResult<Received>>;
    /// Flushes the client's buffer (a PING/PONG round trip where the library makes one).
    fn flush(&mut self) -> BoxFuture<'_, DriverResult<()>>;
    /// Closes the connection; the driver is gone afterwards.
    fn close(&mut self) -> BoxFuture<'_, ()>;
    /// The next message on the subscription to `subject`, waiting up to `within`.
    fn next_message<'a>(&'a mut self, subject: &'a str, within: Duration) -> BoxFuture<'a, Option<Received>>;
    /// A message already delivered to the subscription to `subject`, without waiting.
    fn pending_message(&mut self, subject: &str) -> Option<Received>;
    /// Whether there is a subscription to `subject`.
    fn has_subscription(&self, subject: &str) -> bool;
    /// Plays a JetStream, key-value or object store step through the library's own JetStream
    /// API: the message it received, if any.
    fn jetstream<'a>(
        &'a mut self,
        op: &'static str,
        call: super::line::JsCall,
    ) -> BoxFuture<'a, DriverResult<Option<Received>>> {
        let _ = call;
        let library = self.library();
        Box::pin(async move { Err(DriverError::Harness(format!("`{op}` cannot be played with {library}"))) })
    }
    /// The async-nats connection, for what async-nats drives through its own API (JetStream,
    /// key-value and object stores); `None` for every other library.
    fn async_nats(&mut self) -> Option<&mut NatsConn> {
        None
    }
}
