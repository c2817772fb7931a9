//! `api-error = { ... }`: the JetStream API error a step expects async-nats to report.

use serde::Deserialize;

/// A JetStream API error (the `error` object of a `$JS.API` response), as async-nats reports it
/// in `jetstream::Error`. Every key is optional; those given must match exactly.
///
/// ```toml
/// expect = { error = "JetStream", api-error = { code = 503, err-code = 10039,
///            description = "jetstream not enabled for account" } }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ApiErrorSpec {
    /// The HTTP-like status (`code`): 400, 404, 503, ...
    pub code: Option<u64>,
    /// The JetStream error code (`err_code`): 10039, 10059, ...
    pub err_code: Option<u64>,
    /// The server's description, exactly.
    pub description: Option<String>,
}

impl ApiErrorSpec {
    /// The expectation in words.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(c) = self.code {
            parts.push(format!("code {c}"));
        }
        if let Some(c) = self.err_code {
            parts.push(format!("err_code {c}"));
        }
        if let Some(d) = &self.description {
            parts.push(format!("description `{d}`"));
        }
        if parts.is_empty() {
            "a JetStream API error".into()
        } else {
            format!("a JetStream API error: {}", parts.join(", "))
        }
    }
}
