//! Sandbox rules on small configs: variables whose references go away, JetStream forms,
//! resolver hosts, missing files. Each rewritten config must pass `nats-server -t`.

use std::path::Path;

use natsfault::natsconf::{Config, ParseOptions, SandboxOptions, SandboxPlan, sandbox};

/// Writes `files` into a temp dir, sandboxes `nats.conf`, writes the sandbox, checks it.
fn sandboxed(files: &[(&str, &str)]) -> (SandboxPlan, tempfile::TempDir) {
    sandboxed_with(files, natsfault::natsconf::JetStreamPolicy::MoveStore)
}

/// The plan under a JetStream policy; nats-server's `-t` checks the written config.
fn sandboxed_with(
    files: &[(&str, &str)],
    jetstream: natsfault::natsconf::JetStreamPolicy,
) -> (SandboxPlan, tempfile::TempDir) {
    let tmp = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = tmp.path().join("src").join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let config = Config::parse_file(tmp.path().join("src/nats.conf"), &ParseOptions::default()).unwrap();
    let mut options = SandboxOptions::new(tmp.path().join("sbx"));
    options.jetstream = jetstream;
    let plan = sandbox(&config, &options).unwrap();
    plan.write().unwrap();
    let checked = crate::common::check(&crate::common::nats_server(), &plan.main, tmp.path());
    let texts: String = plan.config_files.iter().map(|f| f.text.clone()).collect();
    assert!(checked.valid, "{}\n{texts}", checked.output);
    (plan, tmp)
}

fn main_text(plan: &SandboxPlan) -> &str {
    &plan.config_files[0].text
}

#[test]
fn a_removed_definition_is_written_as_its_value() {
    let (plan, _tmp) = sandboxed(&[("nats.conf", "http_port: 8222\nmax_connections: $http_port\n")]);
    assert!(main_text(&plan).contains("max_connections: 8222"), "{}", main_text(&plan));
}

#[test]
fn a_variable_still_used_elsewhere_stays() {
    let text = "PASS: shared\ncluster { authorization { user: r, password: $PASS } }\nauthorization { user: a, password: $PASS }\n";
    let (plan, _tmp) = sandboxed(&[("nats.conf", text)]);
    assert!(main_text(&plan).contains("PASS: \"shared\"") && main_text(&plan).contains("password: $PASS"));
}

#[test]
fn includes_inside_removed_blocks_disappear() {
    let (plan, _tmp) = sandboxed(&[
        ("nats.conf", "cluster {\n  include ./cluster-auth.conf\n}\ninclude ./auth.conf\n"),
        ("cluster-auth.conf", "authorization { user: r, password: p }\n"),
        ("auth.conf", "authorization { token: t }\nport: 4333\n"),
    ]);
    assert_eq!(plan.config_files.len(), 2);
    assert!(plan.config_files[1].text.contains("token") && !plan.config_files[1].text.contains("port"));
    assert!(plan.rewrites.iter().any(|r| r.key == "port" && r.at.file.ends_with("auth.conf")));
}

#[test]
fn jetstream_true_gets_a_store_in_the_sandbox() {
    let (plan, tmp) = sandboxed(&[("nats.conf", "jetstream: true\n")]);
    let store = tmp.path().join("sbx/jetstream");
    assert!(main_text(&plan).contains(&format!("store_dir: \"{}\"", store.display())), "{}", main_text(&plan));
    assert!(store.is_dir());
}

#[test]
fn every_store_dir_is_removed_for_the_store_flag_and_the_rest_of_jetstream_stays() {
    // The policy every door uses: the server gets `--store_dir`, which nats-server refuses beside
    // a `store_dir` of the config's (`Duplicate 'store_dir' configuration`).
    for text in [
        "jetstream { store_dir: \"/var/lib/nats\", max_file: 1G, domain: hub }\n",
        "store_dir: \"/var/lib/nats\"\njetstream: enabled\n",
        "jetstream { storedir: \"/var/lib/nats\", tpm { keys_file: \"/etc/keys.json\" } }\n",
    ] {
        let (plan, _tmp) = sandboxed_with(&[("nats.conf", text)], natsfault::natsconf::JetStreamPolicy::StoreFlag);
        let main = main_text(&plan);
        assert!(!main.to_lowercase().contains("store") && !main.contains("/var/") && !main.contains("tpm"), "{main}");
        assert!(main.contains("jetstream"), "{main}");
        assert!(plan.rewrites.iter().any(|r| r.what.contains("--store_dir")), "{:?}", plan.rewrites);
    }
}

#[test]
fn jetstream_map_without_store_gets_one() {
    let (plan, _tmp) = sandboxed(&[("nats.conf", "jetstream { max_mem: 64MB }\n")]);
    assert!(plan.rewrites.iter().any(|r| r.key == "jetstream.store_dir"));
}

#[test]
fn a_store_dir_variable_is_dropped_with_its_reference() {
    let (plan, _tmp) = sandboxed(&[("nats.conf", "SD: \"/data/js\"\njetstream: enabled\nstore_dir: $SD\n")]);
    let text = main_text(&plan);
    assert!(!text.contains("SD") && !text.contains("/data/js"), "{text}");
    assert!(plan.rewrites.iter().any(|r| r.key == "SD"));
}

#[test]
fn tls_given_through_a_variable_is_copied() {
    let cert = crate::common::fixture("full/tls/server.pem");
    let key = crate::common::fixture("full/tls/server-key.pem");
    let text = format!(
        "TLS_SETTINGS {{ cert_file: \"{}\", key_file: \"{}\" }}\ntls: $TLS_SETTINGS\n",
        cert.display(),
        key.display()
    );
    let (plan, _tmp) = sandboxed(&[("nats.conf", &text)]);
    assert_eq!(plan.copies.iter().filter(|c| c.exists).count(), 2);
    assert!(!main_text(&plan).contains("TLS_SETTINGS"), "{}", main_text(&plan));
}

#[test]
fn resolver_hosts() {
    for (resolver, expected) in [
        // Every account server is replaced, loopback ones too: the customer's is never contacted.
        ("URL(http://localhost:9090/jwt/)", "URL(http://127.0.0.1:1/jwt/)"),
        ("URL(http://127.0.0.1:9090/jwt/)", "URL(http://127.0.0.1:1/jwt/)"),
        ("URL(https://admin:pw@accounts.internal:443/jwt/)", "URL(http://127.0.0.1:1/jwt/)"),
        ("URL(http://admin:p@ss@accounts.internal:443/jwt/?token=pw#x)", "URL(http://127.0.0.1:1/jwt/)"),
    ] {
        let config =
            Config::parse_str(&format!("resolver: \"{resolver}\"\n"), "n.conf", &ParseOptions::default()).unwrap();
        let plan = sandbox(&config, &SandboxOptions::new("/tmp/unwritten")).unwrap();
        assert!(main_text(&plan).contains(expected), "{resolver}: {}", main_text(&plan));
        assert!(
            plan.rewrites
                .iter()
                .all(|r| !r.what.contains("pw") && !r.what.contains("admin") && !r.what.contains("ss@")),
            "{:?}",
            plan.rewrites
        );
    }
}

#[test]
fn missing_files_are_reported_not_fatal() {
    let config =
        Config::parse_str("operator: \"/nonexistent/op.jwt\"\n", "/x/nats.conf", &ParseOptions::default()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let plan = sandbox(&config, &SandboxOptions::new(tmp.path().join("sbx"))).unwrap();
    assert!(!plan.copies[0].exists);
    assert!(plan.rewrites[0].what.contains("not on this machine"), "{}", plan.rewrites[0]);
    plan.write().unwrap();
    assert!(!plan.copies[0].to.exists());
}

#[test]
fn relative_paths_resolve_against_the_base_folder() {
    let config = Config::parse_str("operator: \"keys/op.jwt\"\n", "conf/nats.conf", &ParseOptions::default()).unwrap();
    let mut options = SandboxOptions::new("/tmp/unwritten");
    options.base_dir = Some("/srv/nats".into());
    let plan = sandbox(&config, &options).unwrap();
    assert_eq!(plan.copies[0].from, Path::new("/srv/nats/keys/op.jwt"));
}

#[test]
fn everything_stays_inside_the_sandbox() {
    let outside = tempfile::tempdir().unwrap();
    let pid = outside.path().join("x.pid");
    let log_file = outside.path().join("x.log");
    let text = format!("pid_file: \"{}\"\nlog_file: \"{}\"\njetstream: true\n", pid.display(), log_file.display());
    let (plan, tmp) = sandboxed(&[("nats.conf", &text)]);
    for file in &plan.config_files {
        assert!(file.path.starts_with(tmp.path().join("sbx")));
    }
    let log = crate::common::start_until_ready(&crate::common::nats_server(), &plan.main, tmp.path());
    assert!(log.contains("Starting JetStream"), "{log}");
    assert!(!pid.exists() && !log_file.exists());
}
