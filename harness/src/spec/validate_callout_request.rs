//! Checks of `callout-request` and `callout-calls`: they read what natsfault's auth callout
//! service received, so they need an `[auth-endpoint]`, and a `callout-request` must name a field.

use toml::Spanned;

use super::callout_request::CalloutRequestMatch;
use super::expect::Expect;
use super::problem::Problem;
use super::scenario::Scenario;

/// Every such problem in a scenario, at the expectation (or the step, for `callout-calls`).
pub fn validate_callout_request(s: &Scenario) -> Vec<Problem> {
    let src = s.source.as_str();
    let mut out = Vec::new();
    for step in &s.steps {
        for e in [Some(&step.expect), step.expect_fixed.as_ref()].into_iter().flatten() {
            let own = e.callout_request.iter();
            let libraries = e.by_library.iter().flat_map(|m| m.values()).filter_map(|l| l.callout_request.as_ref());
            for m in own.chain(libraries) {
                out.extend(empty(src, m));
                if s.auth_endpoint.is_none() {
                    out.push(needs_endpoint(src, m.span(), "callout-request"));
                }
            }
            let library_calls = e.by_library.iter().flat_map(|m| m.values()).any(|l| l.callout_calls.is_some());
            if (e.callout_calls.is_some() || library_calls) && s.auth_endpoint.is_none() {
                out.push(needs_endpoint(src, step.action.span(), "callout-calls"));
            }
        }
    }
    out
}

fn empty(src: &str, m: &Spanned<CalloutRequestMatch>) -> Option<Problem> {
    m.get_ref().fields().is_empty().then(|| {
        Problem::new(src, m.span(), "expected `callout-request` to name a field, but it checks nothing")
            .label("no field")
            .help("e.g. `callout-request = { connect-opts = { auth-token = \"present\" } }`; sections `connect-opts`, `client-info`, `server-id`")
    })
}

fn needs_endpoint(src: &str, span: std::ops::Range<usize>, key: &str) -> Problem {
    Problem::new(
        src,
        span,
        format!("`{key}` reads what the auth callout service received, but there is no `[auth-endpoint]`"),
    )
    .label("needs the callout service")
    .help("declare `[auth-endpoint]` (it may be empty): natsfault then runs the callout service")
}

/// The spans of the values a `callout-request` compares literally, which may hold placeholders.
pub fn callout_value_spans(e: &Expect) -> Vec<std::ops::Range<usize>> {
    let own = e.callout_request.iter();
    let libraries = e.by_library.iter().flat_map(|m| m.values()).filter_map(|l| l.callout_request.as_ref());
    own.chain(libraries).flat_map(|m| m.get_ref().fields().into_iter().map(|(_, f)| f.span())).collect()
}
