//! No secret a run made or was given (passwords, tokens, nkey seeds, JWT signatures) appears in
//! any report format, even when the server itself writes one to its log.

mod support;

use std::path::Path;

use futures::StreamExt;
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

/// A user JWT sent as the user name of a config-mode server, which logs the user name: the JWT
/// (and so its signature) reaches the server log.
const LEAKY_JWT: &str = r#"
name = "user JWT sent as the user name"
cause = "no-credentials"
summary = "the server logs the user name, which here is a user JWT"

[operator]

[accounts.APP]

[users.alice]
account = "APP"

[server]
config = '''
authorization { users = [ { user: app, password: "{{password.app}}" } ] }
'''

[clients.app]
user = "{{user.alice.jwt}}"
password = "{{password.app}}"

[[steps]]
do = "connect"
client = "app"
expect = { error = "AuthorizationViolation", log = 'authentication error - User "eyJ' }

[fix]
summary = "use the user name"
clients.app = { user = "app" }
"#;

/// Whether `secrets` holds an nkeys seed and an ed25519 JWT signature (86 base64url characters).
fn has_seed_and_signature(secrets: &Secrets) -> bool {
    let values = secrets.values();
    let seed = values.iter().any(|v| v.len() == 58 && v.starts_with('S'));
    let sig = values.iter().any(|v| v.len() == 86 && !v.contains('.'));
    seed && sig
}

#[tokio::test]
async fn a_jwt_in_the_server_log_loses_its_signature_in_every_format() {
    let scenario = load_str(Path::new("leaky-jwt.toml"), LEAKY_JWT).expect("valid scenario");
    let secrets = Secrets::new();
    let report = play_with(&scenario, &ProcessBackend, support::version(), &secrets).await.expect("plays");
    let out = every_format(std::slice::from_ref(&report));
    assert!(has_seed_and_signature(&secrets), "every seed and JWT signature is registered");
    assert!(out.contains(&format!(".{REDACTED}")), "the JWT is shown without its signature: {out}");
    assert_clean(&secrets, &out);
}

#[tokio::test]
async fn a_seed_the_server_logs_is_redacted() {
    let path = support::root().join("scenarios/nkey-mismatch/seed-sent-as-public-key.toml");
    let scenario = load_file(&path).expect("valid scenario");
    let secrets = Secrets::new();
    let report = play_with(&scenario, &ProcessBackend, support::version(), &secrets).await.expect("plays");
    let out = every_format(std::slice::from_ref(&report));
    // As the JSON report writes the log line.
    assert!(
        out.contains(&format!("authentication error - Nkey \\\"{REDACTED}\\\"")),
        "the leaked seed is replaced: {out}"
    );
    assert_clean(&secrets, &out);
    assert!(secrets.values().iter().any(|v| v.starts_with("SU")), "the seed was registered");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn no_scenario_report_contains_a_secret() {
    let dir = support::root().join("scenarios");
    let files = natsfault::cli::scenario_files(&[dir]).expect("scenarios");
    let secrets = Secrets::new();
    let scenarios: Vec<_> = files.iter().map(|f| load_file(f).expect("valid scenario")).collect();
    // Two at a time, as `natsfault run` plays them on this machine.
    let runs = scenarios.iter().map(|s| play_with(s, &ProcessBackend, support::version(), &secrets));
    let reports: Vec<ScenarioReport> = futures::stream::iter(runs)
        .buffer_unordered(2)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .map(|r| r.expect("plays"))
        .collect();
    assert!(has_seed_and_signature(&secrets), "the scenarios made seeds and JWTs");
    assert_clean(&secrets, &every_format(&reports));
}

/// A scenario whose prose says `token: the`: the word is not a secret, the stale token is.
#[tokio::test]
async fn prose_naming_a_secret_key_is_not_redacted() {
    let path = support::root().join("scenarios/no-credentials/wrong-token.toml");
    let scenario = load_file(&path).expect("valid scenario");
    assert!(scenario.summary.contains("token: the"), "the scenario's prose names the key");
    let secrets = Secrets::new();
    let report = play_with(&scenario, &ProcessBackend, support::version(), &secrets).await.expect("plays");
    assert!(!secrets.values().iter().any(|v| v == "the"), "prose is not a secret: {:?}", secrets.values());
    assert!(secrets.values().iter().any(|v| v == "s3cr3t-but-stale"), "the client's token is");
    assert_eq!(report.fix.as_deref(), Some("send the server's current token"));
    assert_eq!(secrets.redact(&scenario.summary), scenario.summary);
    assert!(!every_format(std::slice::from_ref(&report)).contains("s3cr3t-but-stale"));
}
