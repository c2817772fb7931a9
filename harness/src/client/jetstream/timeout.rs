//! How long a JetStream step's API requests wait for their answer.

use std::time::Duration;

use crate::client::DEFAULT_REQUEST_TIMEOUT;
use crate::spec::Expect;

/// The API timeout of a step that expects the server to refuse it on the wire (`server-err`,
/// `server-err-matches`). The server never answers a request it refused: async-nats reports its
/// timeout (`TimedOut`, or `Ack` for a publish's ack) whatever the value, so the scenario's
/// evidence (the `-ERR`, the log line) is all there within milliseconds. A permitted request the
/// operation makes first (the `STREAM.INFO` of a `kv-get`) is answered in 1-5 ms here, even with
/// the whole suite playing at once; 250ms leaves it a margin of fifty.
pub const REFUSED_API_TIMEOUT: Duration = Duration::from_millis(250);

/// The API timeout of a JetStream step: the client's `request-timeout` when it sets one, else
/// [`REFUSED_API_TIMEOUT`] when the step (with the expectations of the phase played) expects a
/// refusal on the wire, else [`DEFAULT_REQUEST_TIMEOUT`].
pub fn api_timeout(request_timeout: Option<Duration>, expect: &Expect) -> Duration {
    let refused = expect.server_err.as_deref().is_some_and(|t| !t.is_empty()) || expect.server_err_matches.is_some();
    match request_timeout {
        Some(t) => t,
        None if refused => REFUSED_API_TIMEOUT,
        None => DEFAULT_REQUEST_TIMEOUT,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_on_the_wire_compresses_the_timeout() {
        let refused =
            Expect { server_err: Some("Permissions Violation for Publish to \"x\"".into()), ..Expect::default() };
        assert_eq!(api_timeout(None, &refused), REFUSED_API_TIMEOUT);
        assert!(REFUSED_API_TIMEOUT < DEFAULT_REQUEST_TIMEOUT);
        assert_eq!(api_timeout(None, &Expect::default()), DEFAULT_REQUEST_TIMEOUT);
        // An empty `server-err` asserts that none came: nothing is refused.
        let none = Expect { server_err: Some(String::new()), ..Expect::default() };
        assert_eq!(api_timeout(None, &none), DEFAULT_REQUEST_TIMEOUT);
        // The client's own `request-timeout` is the scenario's choice.
        assert_eq!(api_timeout(Some(Duration::from_secs(3)), &refused), Duration::from_secs(3));
    }
}
