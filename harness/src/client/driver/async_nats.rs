//! async-nats as a [`ClientDriver`], in-process.

use std::time::Duration;

use futures::future::BoxFuture;

use super::api::{ClientDriver, DriverResult};
use crate::client::{NatsConn, Received};
use crate::spec::Library;

/// The async-nats version natsfault is built with (the one `Cargo.lock` pins).
pub const ASYNC_NATS_VERSION: &str = "0.51.0";

impl ClientDriver for NatsConn {
    fn library(&self) -> Library {
        Library::AsyncNats
    }

    fn version(&self) -> String {
        ASYNC_NATS_VERSION.into()
    }

    fn publish<'a>(&'a mut self, subject: &'a str, payload: &'a str) -> BoxFuture<'a, DriverResult<()>> {
        Box::pin(async move { Ok(NatsConn::publish(self, subject, payload).await?) })
    }

    fn subscribe<'a>(&'a mut self, subject: &'a str, queue: Option<&'a str>) -> BoxFuture<'a, DriverResult<()>> {
        Box::pin(async move { Ok(NatsConn::subscribe(self, subject, queue).await?) })
    }

    fn respond<'a>(
        &'a mut self,
        subject: &'a str,
        queue: Option<&'a str>,
        payload: &'a str,
    ) -> BoxFuture<'a, DriverResult<()>> {
        Box::pin(async move { Ok(NatsConn::respond(self, subject, queue, payload).await?) })
    }

    fn request<'a>(&'a mut self, subject: &'a str, payload: &'a str) -> BoxFuture<'a, DriverResult<Received>> {
        Box::pin(async move { Ok(NatsConn::request(self, subject, payload).await?) })
    }

    fn flush(&mut self) -> BoxFuture<'_, DriverResult<()>> {
        Box::pin(async move { Ok(NatsConn::flush(self).await?) })
    }

    fn close(&mut self) -> BoxFuture<'_, ()> {
        // Dropping the client closes it; the state that holds it drops it next.
        Box::pin(async {})
    }

    fn next_message<'a>(&'a mut self, subject: &'a str, within: Duration) -> BoxFuture<'a, Option<Received>> {
        Box::pin(NatsConn::next_message(self, subject, within))
    }

    fn pending_message(&mut self, subject: &str) -> Option<Received> {
        NatsConn::pending_message(self, subject)
    }

    fn has_subscription(&self, subject: &str) -> bool {
        NatsConn::has_subscription(self, subject)
    }

    fn async_nats(&mut self) -> Option<&mut NatsConn> {
        Some(self)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_version_is_the_one_the_lock_file_pins() {
        let lock = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.lock")).unwrap();
        let pinned = format!("name = \"async-nats\"\nversion = \"{}\"", super::ASYNC_NATS_VERSION);
        assert!(lock.contains(&pinned), "Cargo.lock pins another async-nats than {}", super::ASYNC_NATS_VERSION);
    }
}
