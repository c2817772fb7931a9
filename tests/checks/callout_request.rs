//! `callout-request` reads the authorization request the auth callout service received for the
//! step's client: a field that differs fails the step, the client's secrets are compared without
//! being shown, and a request from another client does not count. `callout-calls` counts every
//! request; `[auth-endpoint] token` refuses a request without that bearer token.

use natsfault::observe::ObservationKind;
use natsfault::spec::Phase;

use super::common::{failures, phase, play_text};

const SCENARIO: &str = r#"
name = "what the callout service received"
cause = "auth-endpoint"
summary = "the endpoint accepts only the token of `app`"
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
[auth-endpoint]
token = "{{token.app}}"
[clients.app]
user = "app"
password = "{{password.app}}"
token = "{{token.app}}"
[clients.other]
token = "{{token.other}}"
max-reconnects = 1
[[steps]]
do = "connect"
client = "other"
expect = { error = "AuthorizationViolation", callout-calls = "1",
           reason = "Auth callout service returned an error: auth endpoint returned status 401 Unauthorized",
           callout-request = { connect-opts = { auth-token = "{{token.other}}", user = "absent", name = "other" } } }
expect-fixed = { error = "AuthorizationViolation", callout-calls = "1" }
[[steps]]
do = "connect"
client = "app"
note = "the broken phase expects what async-nats does not do: no token, another password"
expect = { callout-request = { connect-opts = { auth-token = "absent", user = "app", pass = "{{password.other}}" }, client-info = { kind = "Client", type = "nats" } } }
expect-fixed = { callout-calls = "1", callout-request = { connect-opts = { auth-token = "{{token.app}}", user = "app", pass = "{{password.app}}", name = "app", lang = "rust" }, client-info = { kind = "Client", type = "nats", host = "127.0.0.1" } } }
[fix]
summary = "expect what the client sends"
auth-endpoint = { status = 200 }
"#;

#[tokio::test]
async fn a_field_that_differs_fails_and_no_secret_is_shown() {
    let report = play_text("callout-request.toml", SCENARIO).await;
    assert_eq!(failures(&report, Phase::Broken), ["2:callout-request"]);
    let m = &phase(&report, Phase::Broken).failures[0];
    assert_eq!(
        m.observed,
        "request 2: connect-opts.auth-token present (<redacted>), connect-opts.pass present (<redacted>) (another \
         value), connect-opts.user `app`, client-info.kind `Client`, client-info.type `nats`"
    );
    assert!(m.expected.contains("connect-opts.pass `<redacted>`"), "{}", m.expected);

    assert!(failures(&report, Phase::Fixed).is_empty(), "{:?}", phase(&report, Phase::Fixed).failures);
    let seen: Vec<&str> = phase(&report, Phase::Fixed)
        .observations
        .iter()
        .filter_map(|o| match &o.kind {
            ObservationKind::CalloutRequest { fields } => Some(fields.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert!(seen[0].starts_with("request 2: connect-opts.auth-token present (<redacted>)"), "{}", seen[0]);
}

#[tokio::test]
async fn another_clients_request_does_not_count() {
    let steps = SCENARIO.find("[[steps]]\ndo = \"connect\"\nclient = \"app\"").expect("second step");
    let fix = SCENARIO.find("[fix]").expect("fix");
    let await_app = r#"[[steps]]
do = "await"
client = "app"
expect = { callout-request = { connect-opts = { auth-token = "present" } }, within = "300ms" }
expect-fixed = { callout-calls = "1" }
"#;
    let text = format!("{}{await_app}{}", &SCENARIO[..steps], &SCENARIO[fix..]);
    let report = play_text("callout-request-other.toml", &text).await;
    let m = phase(&report, Phase::Broken).failures.iter().find(|m| m.step == Some(2)).expect("step 2 fails");
    assert_eq!(m.expectation, "callout-request");
    assert_eq!(m.observed, "no authorization request from client `app` within 300ms (1 from other clients)");
}

const TOPOLOGY: &str = r#"
name = "the callout service on the leaf"
cause = "auth-endpoint"
summary = "the leaf's link is authenticated on the hub's leafnode listener"
[servers.hub]
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
leafnodes { authorization { users = [ { user: leaf, password: "{{password.leaf}}", account: AUTH } ] } }
'''
[servers.leaf]
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
leafnodes {
  remotes = [ { url: "nats://leaf:{{password.leaf}}@{{servers.hub.host}}:{{servers.hub.leafnode-port}}", account: AUTH } ]
}
'''
links = ["hub"]
[auth-endpoint]
server = "leaf"
status = 401
[clients.hub-app]
token = "{{token.app}}"
[clients.leaf-app]
server = "leaf"
token = "{{token.app}}"
[[steps]]
do = "connect"
client = "leaf-app"
expect = { error = "AuthorizationViolation", server = "leaf", log = "Auth callout service returned an error", callout-request = { server-id = { name = "leaf" } } }
expect-fixed = { callout-request = { server-id = { name = "leaf" } } }
[[steps]]
do = "connect"
client = "hub-app"
expect = { error = "AuthorizationViolation", callout-request = { server-id = { name = "hub" } } }
expect-fixed = { callout-request = { server-id = { name = "hub" } } }
[fix]
summary = "the endpoint accepts"
auth-endpoint = { status = 200 }
"#;

#[tokio::test]
async fn the_callout_service_connects_to_the_server_auth_endpoint_names() {
    let report = play_text("callout-on-leaf.toml", TOPOLOGY).await;
    assert!(failures(&report, Phase::Broken).is_empty(), "{:?}", phase(&report, Phase::Broken).failures);
    assert!(failures(&report, Phase::Fixed).is_empty(), "{:?}", phase(&report, Phase::Fixed).failures);
}

#[test]
fn an_auth_endpoint_server_must_be_declared() {
    let p = super::common::problems(
        &TOPOLOGY.replace("server = \"leaf\"\nstatus = 401", "server = \"edge\"\nstatus = 401"),
    );
    assert!(p.contains("undefined server `edge` in `auth-endpoint`"), "{p}");
}
