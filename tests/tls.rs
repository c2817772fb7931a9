//! TLS in the harness: the run's private keys never reach a report and are written owner-only,
//! and a wire tap that cannot stand in for a client's certificate says so instead of asserting
//! nothing.

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use natsfault::backend::ProcessBackend;
use natsfault::pki::{Pki, issue};
use natsfault::render::Secrets;
use natsfault::report::{ScenarioReport, human, json, junit};
use natsfault::runner::play_with;
use natsfault::spec::{Phase, load_file, load_str};

fn every_format(reports: &[ScenarioReport]) -> String {
    let mut out = json::render(reports) + &junit::render(reports);
    for r in reports {
        out += &human::line(r);
        out += &human::failure_details(r);
    }
    out
}

#[tokio::test]
async fn no_private_key_of_the_pki_reaches_a_report() {
    let scenario = load_file(Path::new("scenarios/tls/verify-and-map-subject.toml")).expect("loads");
    let secrets = Secrets::new();
    let report = play_with(&scenario, &ProcessBackend, support::version(), &secrets).await.expect("plays");
    let out = every_format(std::slice::from_ref(&report));
    let keys: Vec<String> = secrets.values().into_iter().filter(|v| v.contains("PRIVATE KEY")).collect();
    assert!(keys.len() >= 3, "every key of the PKI is a known secret ({} found)", keys.len());
    for k in keys {
        assert!(!out.contains(&k), "a private key is in the report");
    }
    assert!(!out.contains("PRIVATE KEY"), "no PEM key block in the report");
}

#[test]
fn key_files_are_owner_only() {
    let scenario = load_file(Path::new("scenarios/tls/expired-client-cert.toml")).expect("loads");
    let issued = issue(scenario.tls.as_ref().expect("a [tls] table")).expect("issued");
    let dir = tempfile::tempdir().expect("a temp dir");
    let pki = Pki::write(issued, dir.path(), &Secrets::new()).expect("written");
    let files: Vec<_> = std::fs::read_dir(dir.path()).expect("listed").flatten().collect();
    assert!(files.len() >= 7, "CA, server and two clients: {} files", files.len());
    for f in files {
        let mode = f.metadata().expect("metadata").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{} is owner-only", f.path().display());
    }
    assert!(pki.client_paths("app-expired").is_some_and(|(c, k)| c.exists() && k.exists()));
}

/// A client whose certificate natsfault does not hold the key of: the tap passes its TLS unread.
const BLIND: &str = r#"
name = "a certificate the tap cannot stand in for"
cause = "permissions"
summary = "the tap passes the TLS unread, and says so where an -ERR is expected"

[server]
config = '''
tls {
  cert_file: "{{tls.server.main.cert}}"
  key_file: "{{tls.server.main.key}}"
  ca_file: "{{tls.ca.main}}"
  verify_and_map: true
}
authorization { users = [ { user: "CN=ingest", permissions: { publish: ["ingest.>"] } } ] }
'''

[tls.ca.main]
[tls.server.main]
[tls.client.ingest]
unknown-to-natsfault = true

[clients.ingest]
tls-ca = "main"
tls-cert = "ingest"

[[steps]]
do = "connect"
client = "ingest"

[[steps]]
do = "publish"
client = "ingest"
subject = "events.raw"
expect = { server-err = 'Permissions Violation for Publish to "events.raw"' }

[fix]
summary = "allow `events.>`"
replace = [ { from = 'publish: ["ingest.>"]', to = 'publish: ["ingest.>", "events.>"]' } ]
"#;

#[tokio::test]
async fn a_tap_that_cannot_stand_in_says_so() {
    let scenario = load_str(Path::new("blind.toml"), BLIND).expect("valid scenario");
    let report = play_with(&scenario, &ProcessBackend, support::version(), &Secrets::new()).await.expect("plays");
    let broken = report.phases.iter().find(|p| p.phase == Phase::Broken).expect("a broken phase");
    let connect_ok = broken.steps.first().is_some_and(|s| s.status == natsfault::report::Status::Passed);
    assert!(connect_ok, "the client connects through a blind tap: {:?}", broken.failures);
    let said =
        broken.failures.iter().any(|f| f.expectation == "server-err" && f.observed.contains("cannot be observed"));
    assert!(said, "the report says the tap could not read the TLS: {:?}", broken.failures);
}
