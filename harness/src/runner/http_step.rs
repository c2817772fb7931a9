//! The `http-get` step: one request to a server's monitoring port on 127.0.0.1, its status and
//! body checked against `http-status` and `http-body`.

use regex::Regex;

use super::context::PhaseCtx;
use super::exec::Outcome;
use crate::observe::ObservationKind;
use crate::spec::{Action, Step};

/// Requests the step's `path` of its server's (else the first's) monitoring port and checks the
/// response; `Harness` when the port cannot be reached.
pub async fn http_get(ctx: &mut PhaseCtx<'_>, index: usize, step: &Step) -> Outcome {
    let action = Action::HttpGet.as_str();
    let Some(path) = step.path.as_ref().map(|p| p.get_ref().clone()) else {
        return Outcome::Harness("`http-get` needs `path`".into());
    };
    let name = step.server.as_ref().map(|s| s.get_ref().as_str());
    let port =
        ctx.topology.as_ref().and_then(|t| t.plan.get(name.unwrap_or(&t.primary))).and_then(|a| a.monitor_port());
    let Some(port) = port else {
        return Outcome::Harness(format!("server `{}` has no monitoring port", name.unwrap_or("the first")));
    };
    let (status, body) = match crate::topology::get_text(port, &path).await {
        Ok(r) => r,
        Err(e) => return Outcome::Harness(e.to_string()),
    };
    ctx.observe(Some(index), None, ObservationKind::ServerAction { action: format!("{action} {path}: {status}") });
    let expect = step.expect_for(ctx.phase);
    if let Some(want) = expect.http_status.as_ref().map(|s| *s.get_ref())
        && want != status
    {
        ctx.fail(Some(index), action, "http-status", format!("HTTP status {want}"), format!("HTTP status {status}"));
    }
    let patterns: Vec<String> =
        expect.http_body.as_ref().map(|p| p.get_ref().iter().map(str::to_string).collect()).unwrap_or_default();
    for pattern in patterns {
        let expected = format!("a body matching `{pattern}`");
        match Regex::new(&pattern).ok() {
            Some(re) if re.is_match(&body) => {}
            Some(_) => ctx.fail(Some(index), action, "http-body", expected, excerpt(&body)),
            None => ctx.fail(Some(index), action, "http-body", expected, "a pattern that does not compile"),
        }
    }
    Outcome::Ok(None)
}

/// The start of a body, for a failure report.
fn excerpt(body: &str) -> String {
    const SHOWN: usize = 300;
    let cut: String = body.chars().take(SHOWN).collect();
    if body.chars().count() > SHOWN { format!("{cut}...") } else { cut }
}
