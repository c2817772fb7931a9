//! Publish and subscribe outside a config user's permissions.

use natsfault::diagnose::Operation;

use crate::common::{emitted_scenario_passes, fix_mentions, fixture, input, run, user};

#[tokio::test]
async fn publish_outside_the_allow_list() {
    let ops = vec![Operation::Subscribe("data.in".into()), Operation::Publish("analytics.events.user_signup".into())];
    let i = input(&fixture("permissions/publish-outside-allow.conf"), user("analytics", "Zq8-analytics-pw"), ops);
    let (d, p) = run(&i, "permissions", &["Zq8-analytics-pw", "Zq8-ops-pw"]).await;
    assert_eq!(d.detail, "publish-denied");
    assert_eq!(d.evidence.server_errs, [r#"Permissions Violation for Publish to "analytics.events.user_signup""#]);
    assert!(d.evidence.log.iter().any(|l| l.contains("Publish Violation")), "{:?}", d.evidence.log);
    assert_eq!(d.failed_operation, Some(("publish".into(), "analytics.events.user_signup".into())));
    fix_mentions(
        &d,
        &[
            "`analytics`",
            "publish-outside-allow.conf:8:",
            "add exactly `analytics.events.user_signup`",
            "[data.>, analytics.events.user_signup]",
        ],
    );
    emitted_scenario_passes(&p, &d, &["Zq8-analytics-pw", "Zq8-ops-pw"]).await;
}

#[tokio::test]
async fn deny_beats_allow_in_an_account_user() {
    let ops = vec![Operation::Publish("billing.audit.invoice".into())];
    let i = input(&fixture("permissions/deny-beats-allow.conf"), user("billing", "bill-Pw-771"), ops);
    let (d, p) = run(&i, "permissions", &["bill-Pw-771"]).await;
    fix_mentions(&d, &["deny list entry `billing.audit.>`", "remove it"]);
    assert!(d.rewrites.iter().any(|r| r.contains("listen")), "{:?}", d.rewrites);
    emitted_scenario_passes(&p, &d, &["bill-Pw-771"]).await;
}

#[tokio::test]
async fn subscribe_wider_than_default_permissions_from_an_include() {
    let ops = vec![Operation::Subscribe(">".into())];
    let i = input(&fixture("permissions/subscribe-wider.conf"), user("reader", "rdr-Secret-9"), ops);
    let (d, p) = run(&i, "permissions", &["rdr-Secret-9"]).await;
    assert_eq!(d.detail, "subscribe-denied");
    fix_mentions(&d, &["default permissions", "users.conf:2:", "subscribe to `bar.>` instead"]);
    emitted_scenario_passes(&p, &d, &["rdr-Secret-9"]).await;
}

#[tokio::test]
async fn request_to_a_subject_it_may_not_publish() {
    let ops = vec![Operation::Request("ops.restart".into())];
    let i = input(&fixture("permissions/publish-outside-allow.conf"), user("analytics", "Zq8-analytics-pw"), ops);
    let (d, p) = run(&i, "permissions", &["Zq8-analytics-pw"]).await;
    assert_eq!(d.failed_operation, Some(("request".into(), "ops.restart".into())));
    fix_mentions(&d, &["add exactly `ops.restart`"]);
    emitted_scenario_passes(&p, &d, &["Zq8-analytics-pw"]).await;
}

#[tokio::test]
async fn request_without_permission_for_its_reply_inbox() {
    let ops = vec![Operation::Request("svc.ping".into())];
    let i = input(&fixture("permissions/no-inbox.conf"), user("svc", "svc-Inbox-Pw"), ops);
    let (d, p) = run(&i, "permissions", &["svc-Inbox-Pw"]).await;
    assert_eq!(d.detail, "subscribe-denied");
    assert!(d.evidence.server_errs.iter().any(|e| e.contains("Subscription to \"_INBOX.")), "{:?}", d.evidence);
    fix_mentions(&d, &["add exactly `_INBOX.>`", "[svc.>, _INBOX.>]"]);
    emitted_scenario_passes(&p, &d, &["svc-Inbox-Pw"]).await;
}

/// A config of the parser's corpus: a client without credentials becomes `no_auth_user` `guest`,
/// whose publish deny list is `>`.
#[tokio::test]
async fn no_auth_user_from_the_config_corpus() {
    let config = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/natsconf/accounts/nats.conf");
    let i = input(&config, natsfault::diagnose::Credentials::None, vec![Operation::Publish("orders.new".into())]);
    let (d, _) = run(&i, "permissions", &[]).await;
    fix_mentions(&d, &["user `guest`", "deny list entry `>`"]);
    assert!(d.decoded.iter().any(|n| n.contains("no_auth_user")), "{:?}", d.decoded);
}
