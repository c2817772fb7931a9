//! Checks that a step's success proves something: an `await` or `raw-send` step must wait for
//! evidence in every phase it runs in, an unwanted success stands alone and has a refusal the
//! fixed phase can expect, and the pattern forms are regular expressions.

use toml::Spanned;

use super::expect::Expect;
use super::problem::Problem;
use super::scenario::Scenario;
use super::step::{Action, Phase, Step};
use super::validate::check_regex;

/// Every problem of this kind in a scenario.
pub fn validate_evidence(s: &Scenario) -> Vec<Problem> {
    let mut out = Vec::new();
    for step in &s.steps {
        let idle: Vec<&str> = s
            .phases()
            .into_iter()
            .filter(|p| step.runs_in(*p) && !proves_something(step, *p))
            .map(Phase::as_str)
            .collect();
        if !idle.is_empty() {
            out.push(idle_problem(s, step, &idle));
        }
        unwanted(s, step, &mut out);
        for e in [Some(&step.expect), step.expect_fixed.as_ref()].into_iter().flatten() {
            patterns(&s.source, e, &mut out);
        }
    }
    out
}

/// An `await` acts on nothing: passing proves something only when it checks something. A
/// `raw-send` only writes bytes: passing proves something only when it waits for evidence.
fn proves_something(step: &Step, phase: Phase) -> bool {
    let expect = step.expect_for(phase);
    match step.action.get_ref() {
        Action::Await => !expect.checks_nothing(),
        Action::RawSend => expect.awaits_evidence(),
        _ => true,
    }
}

/// The problem of a step that proves nothing in `phases`.
fn idle_problem(s: &Scenario, step: &Step, phases: &[&str]) -> Problem {
    let action = *step.action.get_ref();
    let (what, help) = match action {
        Action::Await => (
            "it would pass at once",
            "give it what the phase shows (an `event`, a `log` line, `received`, `server-err`), e.g. in `expect-fixed`, or `only = \"broken\"`",
        ),
        _ => (
            "it passes as soon as its bytes are written, before the server answered them",
            "end `send` with `PING\\r\\n` and expect `received = \"PONG\"` (the server answers a PING after everything before it), e.g. in `expect-fixed`",
        ),
    };
    let phases = if phases.len() == 1 { format!("the {} phase", phases[0]) } else { "either phase".to_string() };
    Problem::new(
        &s.source,
        step.action.span(),
        format!("`{}` has nothing to wait for in {phases}: {what}", action.as_str()),
    )
    .label("this step")
    .help(help)
}

/// `unwanted = "success"`: in `expect` only, alone (no failure next to it), and with a refusal
/// the fixed phase can expect.
fn unwanted(s: &Scenario, step: &Step, out: &mut Vec<Problem>) {
    let src = s.source.as_str();
    if let Some(u) = step.expect_fixed.as_ref().and_then(|e| e.unwanted.as_ref()) {
        out.push(
            Problem::new(src, u.span(), "`unwanted` describes the broken phase, not the fixed one")
                .help("move it to `expect`; `expect-fixed` states what the fixed phase shows"),
        );
    }
    let Some(u) = &step.expect.unwanted else { return };
    if step.expect.expects_failure() {
        out.push(
            Problem::new(
                src,
                u.span(),
                "`unwanted = \"success\"` expects the action to succeed, but this step also expects a failure",
            )
            .label("unwanted success")
            .help("remove `error`, `server-err`, `reason` and failure events, or `unwanted`"),
        );
    }
    if step.only == Some(Phase::Fixed) {
        out.push(Problem::new(
            src,
            u.span(),
            "`unwanted` needs the broken phase, but this step runs in the fixed phase only",
        ));
    }
    if step.expect_fixed.is_none() && step.refusal().is_none() && s.fix.is_some() && step.only.is_none() {
        out.push(
            Problem::new(
                src,
                u.span(),
                format!("`{}` has no refusal the fixed phase expects by default", step.action.get_ref().as_str()),
            )
            .help("give the step `expect-fixed` with the refusal the fixed phase shows (`connect`, `publish` and `subscribe` have a default)"),
        );
    }
}

fn patterns(src: &str, e: &Expect, out: &mut Vec<Problem>) {
    for (key, r) in [("server-err-matches", &e.server_err_matches), ("server-err-absent", &e.server_err_absent)] {
        if let Some(r) = r {
            check_regex(src, r, key, out);
        }
    }
    if let Some(r) = &e.log_absent {
        for p in r.get_ref().iter() {
            check_regex(src, &Spanned::new(r.span(), p.to_string()), "log-absent", out);
        }
    }
}
