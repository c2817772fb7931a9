//! A callout refusal is explained by a server-level line (`[WRN] Auth callout service returned
//! an error: ...` after the `[ERR]`, or `[DBG] Authorization callout response not received in
//! time ...` before it), not by the last line of the connection (in operator mode the sentinel's
//! successful `Authenticated JWT: ...`).

use natsfault::observe::ObservationKind;
use natsfault::spec::Phase;

use super::common::{failures, phase, play_text};

const OPERATOR: &str = r#"
name = "operator-mode callout refusal"
cause = "auth-endpoint"
summary = "the endpoint refuses"
[operator]
[accounts.AUTH]
auth-callout = { auth-users = ["bridge"], allowed-accounts = ["APP"] }
[accounts.APP]
[users.bridge]
account = "AUTH"
[users.sentinel]
account = "AUTH"
pub = { deny = [">"] }
sub = { deny = [">"] }
[server]
config = '''
operator: "{{operator.jwt}}"
system_account: "{{system-account}}"
resolver: MEMORY
{{resolver-preload}}
'''
[auth-endpoint]
mode = "operator"
callout-account = "AUTH"
service-user = "bridge"
account = "APP"
status = 401
[clients.app]
creds = "sentinel"
token = "{{token.app}}"
max-reconnects = 1
[[steps]]
do = "connect"
client = "app"
expect = { error = "AuthorizationViolation", reason = "Auth callout service returned an error: auth endpoint returned status 401 Unauthorized" }
[fix]
summary = "the endpoint accepts"
auth-endpoint = { status = 200 }
"#;

const CONFIG: &str = r#"
name = "config-mode callout refusal, reason recorded"
cause = "auth-endpoint"
summary = "the endpoint refuses"
[server]
config = '''
accounts {
  AUTH { users: [ { user: auth, password: "{{password.auth}}" } ] }
  APP {}
  SYS {}
}
system_account: SYS
authorization {
  auth_callout { issuer: "{{auth-endpoint.issuer}}", account: AUTH, auth_users: [ auth ] }
}
'''
[clients.app]
token = "{{token.app}}"
max-reconnects = 1
[auth-endpoint]
status = 403
[[steps]]
do = "connect"
client = "app"
expect = { error = "AuthorizationViolation" }
[fix]
summary = "the endpoint accepts"
auth-endpoint = { status = 200 }
"#;

#[tokio::test]
async fn operator_mode_refusal_reason_is_the_callout_error() {
    let report = play_text("operator-callout.toml", OPERATOR).await;
    assert!(failures(&report, Phase::Broken).is_empty(), "{:?}", phase(&report, Phase::Broken).failures);
}

#[tokio::test]
async fn config_mode_refusal_records_the_callout_error_as_its_reason() {
    let report = play_text("config-callout.toml", CONFIG).await;
    let reasons: Vec<Option<String>> = phase(&report, Phase::Broken)
        .observations
        .iter()
        .filter_map(|o| match &o.kind {
            ObservationKind::AuthFailure { reason, .. } => Some(reason.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        reasons,
        [Some("Auth callout service returned an error: auth endpoint returned status 403 Forbidden".to_string())]
    );
}
