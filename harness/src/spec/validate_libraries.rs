//! Checks of `libraries` and `by-library`: a library the scenario asserts must be told what it
//! surfaces wherever a step names what async-nats surfaces.

use super::expect::Expect;
use super::library::Library;
use super::problem::Problem;
use super::scenario::Scenario;
use super::step::Step;

/// Every problem of `libraries` and the steps' `by-library` tables.
pub fn validate_libraries(s: &Scenario) -> Vec<Problem> {
    let src = s.source.as_str();
    let mut out = Vec::new();
    for (i, l) in s.libraries.iter().enumerate() {
        if s.libraries[..i].iter().any(|o| o.get_ref() == l.get_ref()) {
            out.push(
                Problem::new(src, l.span(), format!("`{}` is listed twice in `libraries`", l.get_ref())).label("again"),
            );
        }
    }
    for (i, step) in s.steps.iter().enumerate() {
        let pinned = step.client_name().and_then(|c| s.clients.get(c)).and_then(|c| {
            let c = c.get_ref();
            // An auth callback is async-nats' own API: such a client is always async-nats.
            let callback = c.uses_auth_callback().then_some(Library::AsyncNats);
            c.library.as_ref().map(|l| *l.get_ref()).or(callback)
        });
        for (expect, table) in [(Some(&step.expect), "expect"), (step.expect_fixed.as_ref(), "expect-fixed")] {
            let Some(expect) = expect else { continue };
            check_expect(s, i + 1, step, expect, table, pinned, &mut out);
        }
    }
    out
}

fn check_expect(
    s: &Scenario,
    index: usize,
    step: &Step,
    expect: &Expect,
    table: &str,
    pinned: Option<Library>,
    out: &mut Vec<Problem>,
) {
    let src = s.source.as_str();
    for key in expect.by_library.iter().flat_map(|m| m.keys()) {
        if !key.get_ref().is_external() {
            out.push(
                Problem::new(src, key.span(), format!("`{table}.by-library.async-nats` is not needed"))
                    .label("async-nats")
                    .help("`error`, `error-contains` and `event` of the table itself are what async-nats surfaces"),
            );
        } else if pinned.is_some_and(|p| p != *key.get_ref()) {
            out.push(
                Problem::new(
                    src,
                    key.span(),
                    format!(
                        "step {index}'s client is played with `{}` only, never `{}`",
                        pinned.unwrap_or_default(),
                        key.get_ref()
                    ),
                )
                .label("never played")
                .help("remove this entry, or the client's `library`"),
            );
        }
    }
    if !expect.names_client_surface() {
        return;
    }
    if let Some(p) = pinned {
        let has = expect.by_library.as_ref().is_some_and(|m| m.keys().any(|k| *k.get_ref() == p));
        if p.is_external() && !has {
            out.push(
                Problem::new(
                    src,
                    step.action.span(),
                    format!(
                        "step {index}'s client is played with `{p}`, and `{table}` names what async-nats surfaces without saying what `{p}` surfaces"
                    ),
                )
                .label("no by-library entry")
                .help(format!(
                    "add `[steps.{table}.by-library.{}]` with its `error` (an exception class or error name) and `event`",
                    quoted(p)
                )),
            );
        }
        return;
    }
    for l in s.libraries.iter().filter(|l| l.get_ref().is_external()) {
        let has = expect.by_library.as_ref().is_some_and(|m| m.keys().any(|k| k.get_ref() == l.get_ref()));
        if !has {
            let what = if expect.error.is_some() { "`error`" } else { "`event`" };
            out.push(
                Problem::new(
                    src,
                    step.action.span(),
                    format!(
                        "step {index} names what async-nats surfaces ({what} in `{table}`) and `libraries` lists `{}`, without saying what `{}` surfaces",
                        l.get_ref(),
                        l.get_ref()
                    ),
                )
                .label("no by-library entry")
                .help(format!(
                    "add `[steps.{table}.by-library.{}]` with its `error` (an exception class or error name) and `event`, or nothing for success",
                    quoted(*l.get_ref())
                )),
            );
        }
    }
}

fn quoted(l: Library) -> String {
    if l.as_str().contains('.') { format!("\"{l}\"") } else { l.to_string() }
}
