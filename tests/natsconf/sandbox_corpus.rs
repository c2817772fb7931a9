//! The realistic corpus under fixtures/natsconf: each config is sandboxed, the rewritten files pass
//! `nats-server -t`, and the server really starts on 127.0.0.1 with `-a 127.0.0.1 -p -1`,
//! listening for clients only (killed once it logs "Server is ready").

use std::path::Path;

use natsfault::natsconf::{Config, CopyKind, Env, ParseOptions, SandboxOptions, SandboxPlan, sandbox};

struct Sandboxed {
    config: Config,
    plan: SandboxPlan,
    log: String,
    _tmp: tempfile::TempDir,
}

/// Parses, sandboxes, writes, checks with `-t`, and starts the fixture's config.
fn run(fixture: &str, main: &str) -> Sandboxed {
    run_with(fixture, main, |_| {})
}

/// Like [`run`], with sandbox options adjusted by `configure`.
fn run_with(fixture: &str, main: &str, configure: impl FnOnce(&mut SandboxOptions)) -> Sandboxed {
    let server = crate::common::nats_server();
    let dir = crate::common::fixture(fixture);
    let options = ParseOptions { env: Env::vars([("UNUSED", "x")]), ..Default::default() };
    let config = Config::parse_file(dir.join(main), &options).unwrap_or_else(|e| panic!("{e}"));
    let original = crate::common::check(&server, Path::new(main), &dir);
    assert!(original.valid, "the original {fixture} must be valid: {}", original.output);

    let tmp = tempfile::tempdir().expect("temp dir");
    let mut sandbox_options = SandboxOptions::new(tmp.path().join("sbx"));
    // Started here without `--store_dir`: the store goes into the config.
    sandbox_options.jetstream = natsfault::natsconf::JetStreamPolicy::MoveStore;
    configure(&mut sandbox_options);
    let plan = sandbox(&config, &sandbox_options).unwrap_or_else(|e| panic!("{e}"));
    plan.write().unwrap_or_else(|e| panic!("{e}"));
    let checked = crate::common::check(&server, &plan.main, tmp.path());
    let texts: Vec<String> = plan.config_files.iter().map(|f| format!("== {}\n{}", f.path.display(), f.text)).collect();
    assert!(checked.valid, "sandboxed {fixture} rejected: {}\n{}", checked.output, texts.join("\n"));
    for version in ["2.10.26", "2.12.8"] {
        if let Some(old) = crate::common::nats_server_version(version) {
            let checked = crate::common::check(&old, &plan.main, tmp.path());
            assert!(checked.valid, "sandboxed {fixture} rejected by {version}: {}", checked.output);
        }
    }
    let log = crate::common::start_until_ready(&server, &plan.main, tmp.path());
    let listening = crate::common::listen_lines(&log);
    assert_eq!(listening.len(), 1, "{fixture} must listen for clients only:\n{log}");
    assert!(listening[0].contains("client connections on 127.0.0.1:"), "{fixture}: {}", listening[0]);
    for rewrite in &plan.rewrites {
        assert!(rewrite.to_string().starts_with(&dir.display().to_string()), "{rewrite}");
    }
    Sandboxed { config, plan, log, _tmp: tmp }
}

fn rewritten(run: &Sandboxed) -> Vec<String> {
    run.plan.rewrites.iter().map(|r| r.key.clone()).collect()
}

fn assert_no_secret(run: &Sandboxed, secrets: &[&str]) {
    for rewrite in &run.plan.rewrites {
        for secret in secrets {
            assert!(!rewrite.to_string().contains(secret), "secret in {rewrite}");
        }
    }
}

#[test]
fn token_auth() {
    let run = run("token", "nats.conf");
    assert_eq!(rewritten(&run), ["listen", "http"]);
    let main = &run.plan.config_files[0].text;
    assert!(main.contains("token: $TOKEN") && main.contains("TOKEN: \"s3cret-t0ken\""), "{main}");
    assert_no_secret(&run, &["s3cret-t0ken"]);
    assert_eq!(
        run.config.authorization().and_then(|a| a.token).map(|t| t.expose().to_string()).as_deref(),
        Some("s3cret-t0ken")
    );
}

#[test]
fn accounts_with_includes_and_permissions() {
    let run = run("accounts", "nats.conf");
    assert_eq!(rewritten(&run), ["port", "monitor_port"]);
    assert_eq!(run.plan.config_files.len(), 3, "main and two includes");
    let main = &run.plan.config_files[0].text;
    assert!(main.contains("include \"include-01-accounts.conf\""), "{main}");
    assert!(run.plan.config_files[1].text.contains("include \"include-02-app-users.conf\""));
    assert!(run.plan.config_files[2].text.contains("password: $ALICE_PASS"));
    assert_no_secret(&run, &["alice-pa55", "bob-pa55", "carol-pa55"]);
}

#[test]
fn nkey_users() {
    let run = run("nkeys", "nats.conf");
    assert_eq!(rewritten(&run), ["listen"]);
    assert_eq!(run.config.users().len(), 3);
}

#[test]
fn operator_with_preload_and_jwt_file() {
    let run = run("operator", "nats.conf");
    assert_eq!(rewritten(&run), ["port", "operator"]);
    let copy = &run.plan.copies[0];
    assert!(copy.exists && copy.kind == CopyKind::File && copy.to.starts_with(&run.plan.dir));
    assert!(run.plan.config_files[0].text.contains(&copy.to.display().to_string()));
    assert!(run.log.contains("Trusted Operators"), "{}", run.log);
}

#[test]
fn operator_with_remote_url_resolver_is_pointed_at_loopback() {
    let local = crate::common::serve_accounts(crate::common::fixture_accounts());
    let run = run_with("operator-url", "nats.conf", |o| o.local_account_server = local.clone());
    let resolver = run.plan.rewrites.iter().find(|r| r.key == "resolver").expect("resolver rewritten");
    assert!(resolver.what.contains("accounts.example.com:9090"), "{resolver}");
    let main = &run.plan.config_files[0].text;
    assert!(main.contains(&format!("resolver: \"URL({local}/jwt/v1/accounts/)\"")), "{main}");
    assert!(!main.contains("example.com"));
}

#[test]
fn url_resolver_defaults_to_a_refused_loopback_port() {
    let config =
        Config::parse_file(crate::common::fixture("operator-url/nats.conf"), &ParseOptions::default()).unwrap();
    let plan = sandbox(&config, &SandboxOptions::new("/tmp/natsconf-unwritten")).unwrap();
    assert!(plan.config_files[0].text.contains("resolver: \"URL(http://127.0.0.1:1/jwt/v1/accounts/)\""));
}

#[test]
fn operator_with_full_directory_resolver() {
    let run = run("operator-full", "nats.conf");
    let copy = run.plan.copies.iter().find(|c| c.kind == CopyKind::Dir).expect("resolver dir copied");
    assert!(copy.exists);
    assert_eq!(std::fs::read_dir(&copy.to).map(|d| d.count()).unwrap_or(0), 2);
    assert!(run.plan.rewrites.iter().any(|r| r.key == "resolver.dir"));
}

#[test]
fn operator_account_server_from_the_jwt_is_replaced() {
    let local = crate::common::serve_accounts(crate::common::fixture_accounts());
    let run = run_with("operator-jwt-url", "nats.conf", |o| o.local_account_server = local.clone());
    let added = run.plan.rewrites.iter().find(|r| r.key == "resolver").expect("resolver added");
    assert!(added.what.contains("accounts.example.com:9090"), "{added}");
    assert!(run.plan.config_files[0].text.contains(&format!("URL({local}/jwt/v1/accounts)")));
}

#[test]
fn auth_callout() {
    let run = run("callout", "nats.conf");
    assert_eq!(rewritten(&run), ["port"]);
    assert_eq!(run.config.auth_callout().map(|c| c.account), Some("AUTH".to_string()));
}

#[test]
fn production_server_is_fully_sandboxed() {
    let run = run("full", "nats.conf");
    let keys = rewritten(&run);
    for key in [
        "listen",
        "client_advertise",
        "http",
        "prof_port",
        "log_file",
        "pid_file",
        "ports_file_dir",
        "remote_syslog",
        "tls.cert_file",
        "tls.key_file",
        "tls.ca_file",
        "jetstream.store_dir",
        "CLUSTER_PASS",
        "cluster",
        "gateway",
        "leafnodes",
        "websocket",
        "mqtt",
        "ocsp",
    ] {
        assert!(keys.iter().any(|k| k == key), "no rewrite of {key}: {keys:?}");
    }
    let all: String = run.plan.config_files.iter().map(|f| f.text.as_str()).collect();
    for gone in ["example.com", "ngs.global", "/var/", "/data/", "c1uster-secret", "6222", "7422"] {
        assert!(!all.contains(gone), "`{gone}` left in:\n{all}");
    }
    assert!(run.log.contains("Starting JetStream"), "{}", run.log);
    assert!(run.log.contains(&run.plan.dir.join("jetstream").display().to_string()), "{}", run.log);
    assert_no_secret(&run, &["c1uster-secret", "sys-pa55", "app-pa55"]);
}

#[test]
fn jetstream_can_be_disabled_instead() {
    let config =
        Config::parse_file(crate::common::fixture("full").join("nats.conf"), &ParseOptions::default()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let mut options = SandboxOptions::new(tmp.path().join("sbx"));
    options.jetstream = natsfault::natsconf::JetStreamPolicy::Disable;
    let plan = sandbox(&config, &options).unwrap();
    plan.write().unwrap();
    assert!(plan.config_files[0].text.contains("jetstream: false"));
    let checked = crate::common::check(&crate::common::nats_server(), &plan.main, tmp.path());
    assert!(checked.valid, "{}", checked.output);
    let log = crate::common::start_until_ready(&crate::common::nats_server(), &plan.main, tmp.path());
    assert!(!log.contains("Starting JetStream"), "{log}");
}
