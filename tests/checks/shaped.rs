//! `shaped` cannot pass without a firing: a rule that matches nothing fails the step that expects
//! it, a rule that fires on the frame it names passes, and `shaped-count` bounds the firings.

use natsfault::observe::ObservationKind;
use natsfault::spec::Phase;

use super::common::{failures, phase, play_text};

fn scenario(rule: &str, count: &str) -> String {
    format!(
        r#"
name = "a rule on the client's SUB"
cause = "permissions"
summary = "the rule drops a subscription"
[server]
config = ""
[clients.app]
[[steps]]
do = "connect"
client = "app"
[[steps]]
do = "add-rule"
client = "app"
only = "broken"
rule = {rule}
[[steps]]
do = "subscribe"
client = "app"
subject = "orders.>"
only = "broken"
expect = {{ shaped = "r"{count} }}
[[steps]]
do = "expect-no-message"
client = "app"
subject = "orders.>"
only = "broken"
[fix]
summary = "no rule"
"#
    )
}

#[tokio::test]
async fn a_rule_that_never_fires_fails_the_step_that_expects_it() {
    let text = scenario(r#"{ name = "r", verb = "SUB", subject = "billing.>", action = "drop" }"#, "");
    let report = play_text("never-fires.toml", &text).await;
    assert_eq!(failures(&report, Phase::Broken), ["3:shaped"]);
}

#[tokio::test]
async fn a_firing_is_awaited_counted_and_recorded() {
    let text = scenario(r#"{ name = "r", to = "server", verb = "SUB", subject = "orders.*", action = "drop" }"#, "");
    let report = play_text("fires.toml", &text).await;
    assert!(failures(&report, Phase::Broken).is_empty(), "{:?}", failures(&report, Phase::Broken));
    let shaped: Vec<_> = phase(&report, Phase::Broken)
        .observations
        .iter()
        .filter_map(|o| match &o.kind {
            ObservationKind::Shaped { rule, action, frame, to, connection } => {
                Some(format!("{rule} {action} {frame} {to} {connection}"))
            }
            _ => None,
        })
        .collect();
    assert_eq!(shaped, ["r drop SUB orders.> server 1"]);

    let text = scenario(r#"{ name = "r", verb = "SUB", action = "drop" }"#, r#", shaped-count = "2""#);
    let report = play_text("fires-once.toml", &text).await;
    assert_eq!(failures(&report, Phase::Broken), ["3:shaped"]);
}
