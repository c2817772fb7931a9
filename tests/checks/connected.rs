//! async-nats delivers `connected` from a task of its own, after `connect` returned: the event
//! of the first connection must belong to the `connect` step, never to a later `await`.

use natsfault::spec::Phase;

use super::common::{failures, play_text};

const SCENARIO: &str = r#"
name = "late connected event"
cause = "server-unreachable"
summary = "an await for a reconnect that never happens"
[server]
config = '''
authorization { users = [ { user: app, password: "{{password.app}}" } ] }
'''
[clients.app]
user = "app"
password = "{{password.app}}"
[clients.bad]
user = "app"
password = "wrong"
max-reconnects = 1
[[steps]]
do = "connect"
client = "app"
[[steps]]
do = "flush"
client = "app"
[[steps]]
do = "await"
client = "app"
note = "no reconnect happened: nothing may match"
expect = { event = "connected", within = "300ms" }
[[steps]]
do = "connect"
client = "bad"
expect = { error = "AuthorizationViolation" }
"#;

/// On a current-thread runtime the event task runs only once the runner yields, which it did
/// first in the step after `connect`.
#[tokio::test]
async fn the_first_connected_event_is_not_a_reconnect() {
    let report = play_text("late-connected.toml", SCENARIO).await;
    assert_eq!(failures(&report, Phase::Broken), ["3:event"]);
}
