//! `check` refuses a step whose success would prove nothing, and lets a broken phase expect an
//! unwanted success or a failure in one library only (while still refusing a broken phase that
//! expects nothing).

use super::common::problems;

const HEAD: &str = r#"
name = "n"
cause = "no-credentials"
summary = "s"
[server]
config = 'authorization { users = [ { user: app, password: "{{password.app}}" } ] }'
[clients.app]
user = "app"
password = "{{password.app}}"
[clients.raw]
kind = "raw"
[fix]
summary = "f"
clients.app = { password = "{{password.app}}" }
"#;

fn with_steps(steps: &str) -> String {
    format!("{HEAD}\n{steps}")
}

#[test]
fn an_await_with_nothing_to_wait_for_in_the_fixed_phase_is_refused() {
    let p = problems(&with_steps(
        r#"
[[steps]]
do = "connect"
client = "app"
expect = { error = "AuthorizationViolation" }
[[steps]]
do = "await"
client = "app"
expect = { server-err = "Authorization Violation" }
"#,
    ));
    assert!(p.contains("`await` has nothing to wait for in the fixed phase"), "{p}");
    assert!(p.contains("expect-fixed"), "the hint names the way out: {p}");
}

#[test]
fn a_raw_send_with_nothing_to_wait_for_is_refused() {
    let p = problems(&with_steps(
        r#"
[[steps]]
do = "connect"
client = "raw"
expect = { received = "INFO" }
[[steps]]
do = "raw-send"
client = "raw"
send = 'CONNECT {}\r\n'
expect = { server-err = "Authorization Violation" }
"#,
    ));
    assert!(p.contains("`raw-send` has nothing to wait for in the fixed phase"), "{p}");
    assert!(p.contains("PING"), "the hint says how to wait: {p}");
}

#[test]
fn a_broken_phase_may_expect_an_unwanted_success() {
    let p = problems(&with_steps(
        r#"
[[steps]]
do = "connect"
client = "app"
expect = { unwanted = "success" }
"#,
    ));
    assert_eq!(p, "");
}

#[test]
fn a_broken_phase_that_expects_nothing_is_still_refused() {
    let p = problems(&with_steps(
        r#"
[[steps]]
do = "connect"
client = "app"
"#,
    ));
    assert!(p.contains("expected the broken phase to observe a failure"), "{p}");
}

#[test]
fn a_broken_phase_may_fail_in_one_library_only() {
    let p = problems(&format!(
        "libraries = [\"async-nats\", \"nats-py\"]\n{HEAD}\n{}",
        r#"
[[steps]]
do = "connect"
client = "app"
expect-fixed = {}
[steps.expect.by-library.nats-py]
error = "nats.errors.Error"
"#
    ));
    assert_eq!(p, "");
    let p = problems(&format!(
        "libraries = [\"async-nats\", \"nats-py\"]\n{HEAD}\n{}",
        r#"
[[steps]]
do = "connect"
client = "app"
[steps.expect.by-library.nats-py]
elapsed = "..5s"
"#
    ));
    assert!(p.contains("expected the broken phase to observe a failure"), "a library's success is no failure: {p}");
}

#[test]
fn an_unwanted_success_next_to_a_failure_is_refused() {
    let p = problems(&with_steps(
        r#"
[[steps]]
do = "connect"
client = "app"
expect = { unwanted = "success", error = "AuthorizationViolation" }
"#,
    ));
    assert!(p.contains("`unwanted = \"success\"` expects the action to succeed"), "{p}");
}

#[test]
fn an_unwanted_success_needs_a_refusal_the_fixed_phase_can_expect() {
    let p = problems(&with_steps(
        r#"
[[steps]]
do = "connect"
client = "app"
[[steps]]
do = "request"
client = "app"
subject = "a"
expect = { unwanted = "success" }
"#,
    ));
    assert!(
        p.contains("has no refusal the fixed phase expects by default") && p.contains("give the step `expect-fixed`"),
        "{p}"
    );
}
