//! A JetStream operation's failure: async-nats' error kind, and the API error the server answered
//! with, when it answered with one.

use std::fmt::{Debug, Display};
use std::sync::LazyLock;

use regex::Regex;

use crate::client::ClientFailure;

/// The `error` object of a `$JS.API` response, as async-nats' `jetstream::Error` carries it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ApiError {
    /// `code`: 400, 404, 503, ...
    pub code: u64,
    /// `err_code`: the JetStream error code, 10039, 10059, ...
    pub err_code: u64,
    /// `description`, as the server wrote it.
    pub description: String,
}

impl Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "code {}, err_code {}, description `{}`", self.code, self.err_code, self.description)
    }
}

/// `jetstream::Error`'s `Debug` form, wherever it sits in an error (in the kind, as
/// `JetStream(Error { .. })`, or in the source chain).
static API_DEBUG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"code: (\d+), err_code: ErrorCode\((\d+)\), description: (?:Some\("((?:[^"\\]|\\.)*)"\)|None)"#)
        .unwrap_or_else(|e| unreachable!("a fixed pattern: {e}"))
});

impl ApiError {
    /// The API error inside `e`'s `Debug` form, if any.
    pub fn find(debug: &str) -> Option<ApiError> {
        let c = API_DEBUG.captures(debug)?;
        let description = c.get(3).map_or("", |m| m.as_str()).replace("\\\"", "\"").replace("\\\\", "\\");
        Some(ApiError { code: c[1].parse().ok()?, err_code: c[2].parse().ok()?, description })
    }
}

/// The failure of JetStream operation `op`: the kind as async-nats names it without its payload
/// (`JetStream(Error { .. })` is `JetStream`), the message with its source chain, and the API
/// error when the server sent one.
pub fn js_failure<K>(op: &'static str, e: &async_nats::error::Error<K>) -> ClientFailure
where
    K: Debug + Clone + PartialEq + Display,
{
    let mut f = ClientFailure::from_nats(op, e);
    if let Some(cut) = f.kind.find(['(', ' ', '{']) {
        f.kind.truncate(cut);
    }
    f.api = ApiError::find(&format!("{e:?}"));
    f
}

/// The failure of `op` from an error async-nats boxed (the messages of a fetch): its kind read
/// from its `Debug` form where it has one (`Other` otherwise), and the API error inside.
pub fn boxed_failure(op: &'static str, e: &(dyn std::error::Error + Send + Sync)) -> ClientFailure {
    let debug = format!("{e:?}");
    let kind = debug
        .split("kind: ")
        .nth(1)
        .and_then(|k| k.split(|c: char| !c.is_ascii_alphanumeric()).next())
        .filter(|k| !k.is_empty())
        .unwrap_or("Other")
        .to_string();
    ClientFailure { op, kind, message: e.to_string(), api: ApiError::find(&debug) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_api_error() {
        let d = r#"Error { kind: JetStream(Error { code: 503, err_code: ErrorCode(10039), description: Some("jetstream not enabled for account") }), source: None }"#;
        let a = ApiError::find(d).unwrap();
        assert_eq!((a.code, a.err_code, a.description.as_str()), (503, 10039, "jetstream not enabled for account"));
        assert_eq!(ApiError::find("Error { kind: TimedOut, source: None }"), None);
    }
}
