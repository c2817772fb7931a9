//! The server answers a raw client's denied `PUB` with `-ERR` and then the `PONG` of the PING
//! behind it: a step awaiting that PONG must fail on the `-ERR`, and the report must show it.

use natsfault::observe::ObservationKind;
use natsfault::spec::Phase;

use super::common::{failures, phase, play_text};

const SCENARIO: &str = r#"
name = "raw -ERR before PONG"
cause = "permissions"
summary = "a denied PUB, then PING"
[server]
config = '''
authorization { users = [ { user: app, password: "{{password.app}}", permissions: { publish: ["ok.>"] } } ] }
'''
[clients.raw]
kind = "raw"
[[steps]]
do = "connect"
client = "raw"
expect = { received = "INFO" }
[[steps]]
do = "raw-send"
client = "raw"
send = 'CONNECT {"user":"app","pass":"{{password.app}}","verbose":false,"pedantic":false,"protocol":1}\r\nPUB secret 2\r\nhi\r\nPING\r\n'
expect = { server-err = 'Permissions Violation for Publish to "secret"' }
expect-fixed = { received = "PONG" }
[fix]
summary = "a fix that does not fix the publish"
replace = [ { from = 'publish: ["ok.>"]', to = 'publish: ["ok.>", "fine"]' } ]
"#;

#[tokio::test]
async fn an_err_before_the_awaited_pong_fails_the_step_and_is_reported() {
    let report = play_text("raw-err.toml", SCENARIO).await;
    assert!(failures(&report, Phase::Broken).is_empty(), "{:?}", failures(&report, Phase::Broken));
    assert_eq!(failures(&report, Phase::Fixed), ["2:no-server-err"], "the -ERR came before the PONG");
    let errs: Vec<&ObservationKind> = phase(&report, Phase::Fixed)
        .observations
        .iter()
        .filter(|o| o.step == Some(2))
        .map(|o| &o.kind)
        .filter(|k| matches!(k, ObservationKind::ServerErr { .. }))
        .collect();
    assert_eq!(errs.len(), 1, "the -ERR is in the report: {errs:?}");
}
