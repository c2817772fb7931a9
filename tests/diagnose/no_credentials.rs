//! No credentials, a wrong password, an unknown user, a wrong token.

use natsfault::diagnose::Credentials;

use crate::common::{emitted_scenario_passes, fix_mentions, fixture, input, run, user};

const SECRETS: &[&str] = &["app-Pass-1234", "adm-Pass-5678", "tok-Secret-abcdef"];

#[tokio::test]
async fn no_credentials_sent() {
    let i = input(&fixture("no-credentials/users.conf"), Credentials::None, vec![]);
    let (d, p) = run(&i, "no-credentials", SECRETS).await;
    assert_eq!(d.detail, "none-sent");
    assert_eq!(d.evidence.server_errs, ["Authorization Violation"]);
    assert!(d.evidence.client_error.as_deref().is_some_and(|e| e.contains("AuthorizationViolation")));
    fix_mentions(&d, &["sent no credentials", "[app, admin]"]);
    emitted_scenario_passes(&p, &d, SECRETS).await;
}

#[tokio::test]
async fn wrong_password() {
    let i = input(&fixture("no-credentials/users.conf"), user("admin", "hunter2-wrong"), vec![]);
    let (d, p) = run(&i, "no-credentials", &["hunter2-wrong", "app-Pass-1234", "adm-Pass-5678"]).await;
    assert_eq!(d.detail, "wrong-password");
    assert!(d.evidence.log.iter().any(|l| l.contains(r#"authentication error - User "admin""#)));
    fix_mentions(&d, &["`admin`", "users.conf:5:"]);
    emitted_scenario_passes(&p, &d, &["hunter2-wrong", "app-Pass-1234", "adm-Pass-5678"]).await;
}

#[tokio::test]
async fn unknown_user() {
    let i = input(&fixture("no-credentials/users.conf"), user("reporting", "rep-Pw-1"), vec![]);
    let (d, p) = run(&i, "no-credentials", &["rep-Pw-1", "app-Pass-1234"]).await;
    assert_eq!(d.detail, "unknown-user");
    fix_mentions(&d, &["no user `reporting`", "[app, admin]"]);
    emitted_scenario_passes(&p, &d, &["rep-Pw-1", "app-Pass-1234", "adm-Pass-5678"]).await;
}

#[tokio::test]
async fn wrong_token() {
    let i = input(&fixture("no-credentials/token.conf"), Credentials::Token("tok-Guess-000".into()), vec![]);
    let (d, p) = run(&i, "no-credentials", &["tok-Guess-000", "tok-Secret-abcdef"]).await;
    assert_eq!(d.detail, "wrong-token");
    fix_mentions(&d, &["token.conf:1:1"]);
    emitted_scenario_passes(&p, &d, &["tok-Guess-000", "tok-Secret-abcdef"]).await;
}

#[tokio::test]
async fn user_and_password_against_operator_mode() {
    let t = crate::trust::Trust::new(|_| {});
    let i = input(&t.config(), user("app", "app-Pw-x"), vec![]);
    let (d, _) = run(&i, "no-credentials", &["app-Pw-x"]).await;
    assert_eq!(d.detail, "operator-mode-needs-jwt");
    fix_mentions(&d, &[".creds"]);
}
