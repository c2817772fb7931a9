//! The expectation of JetStream steps: the API error async-nats reported (`api-error`). An
//! `-ERR` naming a subject the client generated is matched by `server-err-matches`, with the
//! other wire checks.

use super::check::At;
use super::context::PhaseCtx;
use super::exec::Outcome;
use crate::spec::Expect;

/// Checks `api-error` against the client's failure.
pub fn check_api_error(ctx: &mut PhaseCtx<'_>, at: At<'_>, expect: &Expect, outcome: &Outcome) {
    let Some(want) = &expect.api_error else { return };
    let got = match outcome {
        Outcome::Client(f) => f.api.clone(),
        _ => None,
    };
    match got {
        None => at.fail(ctx, "api-error", want.describe(), "no JetStream API error"),
        Some(a) => {
            let ok = want.code.is_none_or(|c| c == a.code)
                && want.err_code.is_none_or(|c| c == a.err_code)
                && want.description.as_ref().is_none_or(|d| *d == a.description);
            if !ok {
                at.fail(ctx, "api-error", want.describe(), a.to_string());
            }
        }
    }
}
