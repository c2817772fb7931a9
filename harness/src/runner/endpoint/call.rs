//! One request the auth endpoint received.

use std::time::Instant;

/// One request the endpoint received.
#[derive(Clone, Debug)]
pub struct EndpointCall {
    /// When it arrived.
    pub at: Instant,
    /// Its `Authorization` header.
    pub authorization: Option<String>,
    /// Its body, as text.
    pub body: String,
}

impl EndpointCall {
    /// Whether the body or the `Authorization` header contains `text`.
    pub fn contains(&self, text: &str) -> bool {
        self.body.contains(text) || self.authorization.as_deref().is_some_and(|a| a.contains(text))
    }

    /// The call as one line, for reports (the caller redacts it).
    pub fn describe(&self) -> String {
        match &self.authorization {
            Some(a) => format!("Authorization: {a}; body {}", self.body),
            None => format!("body {}", self.body),
        }
    }
}
