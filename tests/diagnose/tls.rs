//! TLS configs: the customer's certificates are read for their shape only, stand-ins of that
//! shape play the handshake, each failure is named, and the emitted TLS scenario passes.

use std::path::PathBuf;

use natsfault::diagnose::tls::ClientTlsInput;
use natsfault::diagnose::{Credentials, DiagnoseInput};
use natsfault::pki::{IssuedPki, issue};
use natsfault::spec::TlsSpec;
use tempfile::TempDir;

use super::common::{emitted_scenario_passes, input, run};

/// The customer's PKI, made here with keys diagnose never sees: `ca` (the company CA),
/// `staging` (another CA), a server certificate and client certificates.
struct Customer {
    dir: TempDir,
    pki: IssuedPki,
}

const CUSTOMER_PKI: &str = r#"
[ca.ca]
cn = "Acme Root CA"
[ca.staging]
cn = "Acme Staging CA"
[server.nats]
ca = "ca"
cn = "nats.acme.example"
org = "Acme"
dns = ["nats.acme.example"]
[client.alice]
ca = "ca"
cn = "alice"
org = "Acme"
email = "alice@acme.example"
[client.staging]
ca = "staging"
cn = "alice"
org = "Acme"
[client.expired]
ca = "ca"
cn = "alice"
org = "Acme"
defect = "expired"
"#;

impl Customer {
    /// Writes the customer's files (the server key nowhere: diagnose must not need it) and a
    /// config with `tls { ... }` plus `extra`.
    fn new(tls_extra: &str, extra: &str) -> Customer {
        let spec: TlsSpec = toml::from_str(CUSTOMER_PKI).unwrap();
        let pki = issue(&spec).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let put = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
        put("ca.pem", &pki.cas["ca"].cert_pem);
        put("staging-ca.pem", &pki.cas["staging"].cert_pem);
        put("server.pem", &pki.servers["nats"].cert_pem);
        for name in ["alice", "staging", "expired"] {
            // The client's key in the same file, as many people keep it: only the certificate is read.
            put(&format!("{name}.pem"), &format!("{}{}", pki.clients[name].key_pem, pki.clients[name].cert_pem));
        }
        put(
            "nats.conf",
            &format!(
                "tls {{\n  cert_file: \"./server.pem\"\n  key_file: \"./server-key.pem\"\n  ca_file: \"./ca.pem\"\n{tls_extra}}}\n{extra}"
            ),
        );
        Customer { dir, pki }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn input(&self, cert: Option<&str>, ca: &str) -> DiagnoseInput {
        let mut i = input(&self.path("nats.conf"), Credentials::None, vec![]);
        i.tls = ClientTlsInput {
            cert: cert.map(|c| self.path(&format!("{c}.pem"))),
            ca: Some(self.path(ca)),
            first: false,
        };
        i
    }

    /// Every private key of the customer: none may reach a report or an emitted scenario.
    fn keys(&self) -> Vec<String> {
        let all = self.pki.cas.values().chain(self.pki.servers.values()).chain(self.pki.clients.values());
        all.map(|i| i.key_pem.lines().nth(1).unwrap_or_default().to_string()).collect()
    }
}

fn has(lines: &[String], needle: &str) -> bool {
    lines.iter().any(|l| l.contains(needle))
}

async fn diagnosed(c: &Customer, i: &DiagnoseInput, verdict: &str, detail: &str) -> natsfault::diagnose::Diagnosis {
    let keys = c.keys();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    let (d, p) = run(i, verdict, &keys).await;
    assert_eq!(d.detail, detail, "{}", natsfault::diagnose::render::human(&d));
    assert!(has(&d.rewrites, "tls.cert_file") && has(&d.rewrites, "not read"), "{:?}", d.rewrites);
    assert!(
        has(&d.decoded, "subject `CN=nats.acme.example, O=Acme`") || has(&d.decoded, "nats.acme.example"),
        "{:?}",
        d.decoded
    );
    if verdict != "works" {
        emitted_scenario_passes(&p, &d, &keys).await;
    }
    d
}

#[tokio::test]
async fn a_client_certificate_of_another_ca_is_named_with_the_servers_log_line() {
    let c = Customer::new("  verify: true\n", "");
    let d = diagnosed(&c, &c.input(Some("staging"), "ca.pem"), "no-credentials", "tls-client-cert-unknown-ca").await;
    assert!(has(&d.evidence.log, "certificate signed by unknown authority"), "{:?}", d.evidence.log);
    assert!(has(&d.decoded, "issuer `CN=Acme Staging CA`"), "{:?}", d.decoded);
}

#[tokio::test]
async fn an_expired_client_certificate_is_named() {
    let c = Customer::new("  verify: true\n", "");
    let d = diagnosed(&c, &c.input(Some("expired"), "ca.pem"), "no-credentials", "tls-client-cert-expired").await;
    assert!(has(&d.evidence.log, "expired or is not yet valid"), "{:?}", d.evidence.log);
    assert!(has(&d.decoded, "expired"), "{:?}", d.decoded);
}

#[tokio::test]
async fn a_client_without_a_certificate_under_verify_is_named() {
    let c = Customer::new("  verify: true\n", "");
    diagnosed(&c, &c.input(None, "ca.pem"), "no-credentials", "tls-client-cert-missing").await;
}

#[tokio::test]
async fn a_client_that_trusts_another_ca_fails_the_handshake_on_its_side() {
    let c = Customer::new("", "");
    let d = diagnosed(&c, &c.input(None, "staging-ca.pem"), "server-unreachable", "tls-server-untrusted").await;
    assert!(d.evidence.client_error.as_deref().is_some_and(|e| e.contains("UnknownIssuer")), "{:?}", d.evidence);
}

#[tokio::test]
async fn verify_and_map_without_a_user_for_the_subject_is_a_mapping_failure_and_with_one_it_works() {
    let c = Customer::new("  verify_and_map: true\n", "authorization { users = [ { user: \"CN=bob,O=Acme\" } ] }\n");
    let d = diagnosed(&c, &c.input(Some("alice"), "ca.pem"), "no-credentials", "tls-mapping").await;
    assert!(d.evidence.server_errs.iter().any(|e| e.contains("Authorization Violation")), "{:?}", d.evidence);
    let ok = Customer::new("  verify_and_map: true\n", "authorization { users = [ { user: \"CN=alice,O=Acme\" } ] }\n");
    diagnosed(&ok, &ok.input(Some("alice"), "ca.pem"), "works", "works").await;
}

#[tokio::test]
async fn tls_first_against_an_info_first_server_is_named() {
    let c = Customer::new("", "");
    let mut i = c.input(None, "ca.pem");
    i.tls.first = true;
    diagnosed(&c, &i, "server-unreachable", "tls-first-mismatch").await;
}

#[tokio::test]
async fn tls_options_without_a_tls_block_are_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("nats.conf"), "port: 4222\n").unwrap();
    let mut i = input(&dir.path().join("nats.conf"), Credentials::None, vec![]);
    i.tls.first = true;
    let err = natsfault::diagnose::diagnose(&i).await.unwrap_err().to_string();
    assert!(err.contains("need a `tls {}` block"), "{err}");
}

#[tokio::test]
async fn a_certs_list_is_replaced_by_stand_ins_and_its_keys_are_never_read() {
    // `certs: [...]` instead of `cert_file`/`key_file`: the server serves them by SNI. The keys
    // are absent: a server that tried the customer's files could not start.
    let c = Customer::new("", "");
    let conf = "tls {\n  certs: [\n    { cert_file: \"./server.pem\", key_file: \"./server-key.pem\" }\n    { cert_file: \"./server.pem\", key_file: \"./other-key.pem\" }\n  ]\n  ca_file: \"./ca.pem\"\n}\n";
    std::fs::write(c.path("nats.conf"), conf).unwrap();
    let keys = c.keys();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    let (d, _) = run(&c.input(None, "ca.pem"), "works", &keys).await;
    let stand_ins = d.rewrites.iter().filter(|r| r.contains("tls.certs.") && r.contains("stands in")).count();
    assert_eq!(stand_ins, 4, "every certificate and key of the list: {:?}", d.rewrites);
    assert!(has(&d.decoded, "nats.acme.example"), "the stand-in has the listed certificate's shape: {:?}", d.decoded);
}

#[tokio::test]
async fn a_certificate_outside_the_config_folder_is_not_read_unless_passed() {
    let c = Customer::new("", "");
    let outside = tempfile::tempdir().unwrap();
    std::fs::copy(c.path("server.pem"), outside.path().join("server.pem")).unwrap();
    let conf = format!(
        "tls {{\n  cert_file: \"{}\"\n  key_file: \"./server-key.pem\"\n}}\n",
        outside.path().join("server.pem").display()
    );
    std::fs::write(c.path("nats.conf"), conf).unwrap();
    let mut i = c.input(None, "ca.pem");
    let err = natsfault::diagnose::diagnose(&i).await.unwrap_err().to_string();
    assert!(err.contains("is outside the config's folder") && err.contains("--allow-read"), "{err}");
    i.door.roots = vec![outside.path().to_path_buf()];
    let (d, _) = run(&i, "works", &[]).await;
    assert!(has(&d.decoded, "nats.acme.example"), "{:?}", d.decoded);
}
