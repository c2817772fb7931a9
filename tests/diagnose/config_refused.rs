//! Configs nats-server refuses, and input that cannot be read.

use natsfault::diagnose::{Credentials, DiagnoseError, Verdict, diagnose};

use crate::common::{emitted_scenario_passes, fix_mentions, fixture, input, run, user};

fn refused_at(d: &natsfault::diagnose::Diagnosis) -> String {
    match &d.verdict {
        Verdict::ConfigRefused { at, .. } => at.clone().unwrap_or_default(),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn auth_url_is_not_a_field() {
    let i = input(&fixture("auth-endpoint/auth-url.conf"), user("svc", "svc-Pw-42"), vec![]);
    let (d, p) = run(&i, "config-refused", &["svc-Pw-42"]).await;
    assert_eq!(d.verdict.cause().map(|c| c.as_str()), Some("auth-endpoint"));
    assert!(refused_at(&d).ends_with("auth-url.conf:4:3"));
    fix_mentions(&d, &["remove `auth_url`", "auth_callout", "auth-bridge"]);
    emitted_scenario_passes(&p, &d, &["svc-Pw-42"]).await;
}

#[tokio::test]
async fn auth_url_in_an_included_file() {
    let i = input(&fixture("auth-endpoint/main.conf"), Credentials::Token("edge-Token-xyz".into()), vec![]);
    let (d, p) = run(&i, "config-refused", &["edge-Token-xyz"]).await;
    assert_eq!(d.verdict.cause().map(|c| c.as_str()), Some("auth-endpoint"));
    assert!(refused_at(&d).ends_with("auth-endpoint/auth.conf:4:3"), "{}", refused_at(&d));
    emitted_scenario_passes(&p, &d, &["edge-Token-xyz"]).await;
}

#[tokio::test]
async fn unknown_key_is_refused_with_its_position() {
    let i = input(&fixture("config-refused/unknown-key.conf"), Credentials::None, vec![]);
    let (d, _) = run(&i, "config-refused", &["app-Pw-0"]).await;
    assert_eq!(d.verdict.cause(), None);
    assert!(refused_at(&d).ends_with("unknown-key.conf:5:1"));
    fix_mentions(&d, &["max_connectionz"]);
}

#[tokio::test]
async fn unparsable_config_is_bad_input_with_its_position() {
    let i = input(&fixture("config-refused/syntax-error.conf"), Credentials::None, vec![]);
    match diagnose(&i).await {
        Err(DiagnoseError::Input(m)) => assert!(m.contains("syntax-error.conf:3:1: "), "{m}"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn missing_files_are_bad_input() {
    let i = input(&fixture("nope.conf"), Credentials::None, vec![]);
    assert!(matches!(diagnose(&i).await, Err(DiagnoseError::Input(_))));
    let i = input(&fixture("no-credentials/users.conf"), Credentials::CredsFile(fixture("missing.creds")), vec![]);
    assert!(matches!(diagnose(&i).await, Err(DiagnoseError::Input(m)) if m.contains("missing.creds")));
}

#[tokio::test]
async fn auth_callout_without_a_service() {
    let dir = tempfile::tempdir().unwrap();
    let issuer = natsfault::credentials::keys::account();
    let conf = format!(
        "accounts {{\n  AUTH {{ users: [ {{ user: auth, password: \"cb-Auth-Pw\" }} ] }}\n  APP {{ }}\n}}\nauthorization {{\n  timeout: 0.5\n  auth_callout {{\n    issuer: {}\n    account: AUTH\n    auth_users: [ auth ]\n  }}\n}}\n",
        issuer.public_key()
    );
    let config = dir.path().join("nats.conf");
    std::fs::write(&config, conf).unwrap();
    let i = input(&config, user("app", "cb-App-Pw"), vec![]);
    let (d, p) = run(&i, "auth-endpoint", &["cb-Auth-Pw", "cb-App-Pw"]).await;
    assert_eq!(d.detail, "auth-callout-refused");
    assert!(d.evidence.log.iter().any(|l| l.contains("callout")), "{:?}", d.evidence.log);
    fix_mentions(&d, &["$SYS.REQ.USER.AUTH", "`AUTH`", issuer.public_key()]);
    emitted_scenario_passes(&p, &d, &["cb-Auth-Pw", "cb-App-Pw"]).await;
}

/// A config of the parser's corpus, not written for diagnose: auth callout in config mode with no
/// service running. The client waits the callout timeout, which must not look like a stall.
#[tokio::test]
async fn auth_callout_from_the_config_corpus() {
    let config = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/natsconf/callout/nats.conf");
    let i = input(&config, user("app", "wrong-app-pw"), vec![]);
    let (d, _) = run(&i, "auth-endpoint", &["wrong-app-pw"]).await;
    assert!(d.evidence.log.iter().any(|l| l.contains("callout response not received in time")), "{:?}", d.evidence);
    fix_mentions(&d, &["ABIFWNQH6ICSSUANXIBGJYVWZYX6PA3HBNH4LFQEK47URYIWXZSVY7ER"]);
}
