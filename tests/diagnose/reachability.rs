//! A stopped or paused server, and configs where the client works.

use natsfault::diagnose::{Operation, ServerState};

use crate::common::{emitted_scenario_passes, fix_mentions, fixture, input, run, user};

#[tokio::test]
async fn stopped_server() {
    let mut i = input(&fixture("server-unreachable/plain.conf"), user("app", "app-Pw-up"), vec![]);
    i.server_state = ServerState::Stopped;
    let (d, p) = run(&i, "server-unreachable", &["app-Pw-up"]).await;
    assert_eq!(d.detail, "stopped");
    assert!(d.evidence.client_error.as_deref().is_some_and(|e| e.contains("Io")), "{:?}", d.evidence);
    fix_mentions(&d, &["not an auth problem"]);
    emitted_scenario_passes(&p, &d, &["app-Pw-up"]).await;
}

#[tokio::test]
async fn paused_server() {
    let mut i = input(&fixture("server-unreachable/plain.conf"), user("app", "app-Pw-up"), vec![]);
    i.server_state = ServerState::Paused;
    let (d, p) = run(&i, "server-unreachable", &["app-Pw-up"]).await;
    assert_eq!(d.detail, "paused");
    assert!(d.evidence.client_error.as_deref().is_some_and(|e| e.contains("TimedOut")));
    fix_mentions(&d, &["SIGCONT"]);
    emitted_scenario_passes(&p, &d, &["app-Pw-up"]).await;
}

#[tokio::test]
async fn allowed_publish_request_and_subscribe_work() {
    let ops = vec![
        Operation::Subscribe("orders.>".into()),
        Operation::Publish("orders.new".into()),
        Operation::Request("orders.get".into()),
    ];
    let i = input(&fixture("works/publish-allowed.conf"), user("orders", "ord-Pw-55"), ops);
    let (d, _) = run(&i, "works", &["ord-Pw-55"]).await;
    assert!(d.fix.is_none());
    assert!(d.evidence.server_errs.is_empty());
}

#[tokio::test]
async fn valid_jwt_works() {
    let t = crate::trust::Trust::new(|_| {});
    let sk = t.app_signing.clone();
    let app = t.app.public_key().to_string();
    let (creds, secrets) = t.creds("ok", &sk, |c| c.nats.issuer_account = app.clone());
    let ops = vec![Operation::Publish("anything.goes".into())];
    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
    run(&input(&t.config(), natsfault::diagnose::Credentials::CredsFile(creds), ops), "works", &secrets).await;
}
