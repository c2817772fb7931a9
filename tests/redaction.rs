//! No secret a run made or was given (passwords, tokens) appears in any report format, even when
//! the server itself writes one to its log.

mod support;

use std::path::Path;

use natsfault::backend::ProcessBackend;
use natsfault::render::{REDACTED, Secrets};
use natsfault::report::{ScenarioReport, human, json, junit};
use natsfault::runner::play_with;
use natsfault::spec::{load_file, load_str};

fn every_format(reports: &[ScenarioReport]) -> String {
    let mut out = json::render(reports) + &junit::render(reports);
    for r in reports {
        out += &human::line(r);
        out += &human::failure_details(r);
    }
    out
}

fn assert_clean(secrets: &Secrets, output: &str) {
    let values = secrets.values();
    assert!(!values.is_empty(), "the run made no secrets: the check would be empty");
    for v in values {
        assert!(!output.contains(&v), "secret of {} chars found in the output", v.len());
    }
}

/// A password used as a user name: nats-server writes the user name into its log.
const LEAKY: &str = r#"
name = "password sent as the user name"
cause = "no-credentials"
summary = "the server logs the user name, which here is the password"

[server]
config = '''
authorization { users = [ { user: app, password: "{{password.app}}" } ] }
'''

[clients.app]
user = "{{password.app}}"
password = "literal-secret-value"

[[steps]]
do = "connect"
client = "app"
expect = { error = "AuthorizationViolation", log = 'authentication error - User "nobody"' }

[fix]
summary = "use the user name"
clients.app = { user = "app", password = "{{password.app}}" }
"#;

#[tokio::test]
async fn a_secret_in_the_server_log_is_redacted_in_every_format() {
    let scenario = load_str(Path::new("leaky.toml"), LEAKY).expect("valid scenario");
    let secrets = Secrets::new();
    let report = play_with(&scenario, &ProcessBackend, support::version(), &secrets).await.expect("plays");
    let out = every_format(std::slice::from_ref(&report));
    assert!(out.contains(REDACTED), "the leaked value was replaced: {out}");
    assert!(out.contains("authentication error - User"), "the log excerpt is reported");
    assert_clean(&secrets, &out);
    assert!(!out.contains("literal-secret-value"));
}

#[tokio::test]
async fn no_scenario_report_contains_a_secret() {
    let dir = support::root().join("scenarios");
    let files = natsfault::cli::scenario_files(&[dir]).expect("scenarios");
    let secrets = Secrets::new();
    let mut reports = Vec::new();
    for f in files {
        let s = load_file(&f).expect("valid scenario");
        reports.push(play_with(&s, &ProcessBackend, support::version(), &secrets).await.expect("plays"));
    }
    assert_clean(&secrets, &every_format(&reports));
}
