//! Checks of `http-get` steps: a path on the server's own monitoring port, and the
//! `http-status` and `http-body` expectations only where a response is read.

use super::problem::Problem;
use super::scenario::Scenario;
use super::step::Action;
use super::validate::http_status_problem;

/// Whether `path` is a request path of the monitoring port: `/` first, then no whitespace or
/// control character (nothing else can be requested, and no header can be written).
fn path_is_plain(path: &str) -> bool {
    path.starts_with('/') && !path.starts_with("//") && !path.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Every problem of the scenario's `http-get` steps.
pub fn validate_http(s: &Scenario) -> Vec<Problem> {
    let src = s.source.as_str();
    let mut out = Vec::new();
    for step in &s.steps {
        let action = *step.action.get_ref();
        match (&step.path, action) {
            (None, Action::HttpGet) => out.push(
                Problem::new(src, step.action.span(), "`http-get` needs `path`, e.g. `path = \"/varz\"`")
                    .label("this step"),
            ),
            (Some(p), Action::HttpGet) if !path_is_plain(p.get_ref()) => out.push(
                Problem::new(
                    src,
                    p.span(),
                    format!("expected a path of the monitoring port such as `/varz`, found `{}`", p.get_ref()),
                )
                .label("not a plain path")
                .help("start with `/`, without a host and without spaces: the request goes to the server's own monitoring port on 127.0.0.1"),
            ),
            (Some(p), a) if a != Action::HttpGet => out.push(
                Problem::new(src, p.span(), format!("`{}` takes no `path`", a.as_str())).label("remove this"),
            ),
            _ => {}
        }
        for expect in [Some(&step.expect), step.expect_fixed.as_ref()].into_iter().flatten() {
            out.extend(expect.http_status.as_ref().and_then(|st| http_status_problem(src, st)));
            if action == Action::HttpGet {
                continue;
            }
            let spans = [
                expect.http_status.as_ref().map(|v| (v.span(), "http-status")),
                expect.http_body.as_ref().map(|v| (v.span(), "http-body")),
            ];
            for (span, key) in spans.into_iter().flatten() {
                out.push(
                    Problem::new(
                        src,
                        span,
                        format!("`{key}` is checked only by an `http-get` step, not `{}`", action.as_str()),
                    )
                    .label("nothing to read it from"),
                );
            }
        }
    }
    out
}
