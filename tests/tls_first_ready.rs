//! A `handshake_first` server is ready when it answers a TLS handshake: the probe completes one,
//! instead of taking a silent connection for readiness after a fixed delay (which the server
//! logged as a failed handshake).

mod support;

use std::path::Path;

use natsfault::backend::{Backend, ProcessBackend, ServerSpec};
use natsfault::pki::{Pki, issue};
use natsfault::render::Secrets;
use natsfault::spec::load_file;

#[tokio::test]
async fn a_tls_first_server_is_probed_with_a_handshake() {
    let scenario = load_file(Path::new("scenarios/tls/tls-first-against-info-first.toml")).expect("loads");
    let issued = issue(scenario.tls.as_ref().expect("a [tls] table")).expect("issued");
    let dir = tempfile::tempdir().expect("a temp dir");
    let pki = Pki::write(issued, dir.path(), &Secrets::new()).expect("written");
    let config = r#"tls {
  cert_file: "tls-server-main-cert.pem"
  key_file: "tls-server-main-key.pem"
  handshake_first: true
}
"#;
    let mut spec = ServerSpec::new(support::version(), config).label("tls-first-ready");
    spec.files = pki.server_files();
    let server = ProcessBackend.start(&spec).await.expect("a tls-first server starts");
    // The probe's connection is the first client connection; it ends when the probe closes.
    let log = server.log();
    let closed = log.wait_for(0, std::time::Duration::from_secs(5), |l| l.contains("Client connection closed")).await;
    let lines: Vec<String> = log.all().into_iter().map(|l| l.value).collect();
    assert!(closed.is_some(), "the probe's connection closes: {lines:#?}");
    assert!(lines.iter().any(|l| l.contains("TLS handshake complete")), "the probe completed a handshake: {lines:#?}");
    assert!(!lines.iter().any(|l| l.contains("TLS handshake error")), "no failed handshake: {lines:#?}");
}
