//! async-nats events rendered as scenario files name them.

use async_nats::{ClientError, Event, ServerError};

/// `connected`, `disconnected`, `server-error: TEXT`, ... — the form `expect.event` matches.
///
/// ```
/// use natsfault::client::render_event;
/// let e = async_nats::Event::ServerError(async_nats::ServerError::Other("Permissions Violation for Publish to \"x\"".into()));
/// assert_eq!(render_event(&e), "server-error: Permissions Violation for Publish to \"x\"");
/// ```
pub fn render_event(e: &Event) -> String {
    match e {
        Event::Connected => "connected".into(),
        Event::Disconnected => "disconnected".into(),
        Event::LameDuckMode => "lame-duck-mode".into(),
        Event::Draining => "draining".into(),
        Event::Closed => "closed".into(),
        Event::SlowConsumer(sid) => format!("slow-consumer: {sid}"),
        Event::ServerError(ServerError::AuthorizationViolation) => "server-error: Authorization Violation".into(),
        Event::ServerError(ServerError::SlowConsumer(sid)) => format!("server-error: slow consumer {sid}"),
        Event::ServerError(ServerError::Other(text)) => format!("server-error: {text}"),
        Event::ClientError(ClientError::MaxReconnects) => "client-error: max reconnects".into(),
        Event::ClientError(ClientError::ServerNotInPool) => "client-error: server not in pool".into(),
        Event::ClientError(ClientError::Other(text)) => format!("client-error: {text}"),
    }
}

/// Whether a rendered event matches an expectation: the exact text, or a bare kind (`server-error`)
/// matching any event of that kind.
pub fn event_matches(expected: &str, seen: &str) -> bool {
    if expected.contains(':') {
        expected.trim() == seen.trim()
    } else {
        seen.split(':').next().is_some_and(|k| k.trim() == expected.trim())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_texts() {
        assert!(event_matches("server-error", "server-error: anything"));
        assert!(event_matches("disconnected", "disconnected"));
        assert!(!event_matches("server-error: a", "server-error: b"));
        assert!(!event_matches("connected", "disconnected"));
    }
}
