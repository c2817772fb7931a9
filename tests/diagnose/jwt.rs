//! Operator mode: jwt-invalid and account-claim.

use natsfault::credentials::{keys, now_unix};
use natsfault::diagnose::Credentials;

use crate::common::{emitted_scenario_passes, fix_mentions, input, run};
use crate::trust::Trust;

fn refs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[tokio::test]
async fn expired_user_jwt() {
    let t = Trust::new(|_| {});
    let app = t.app.clone();
    let (creds, secrets) = t.creds("billing-svc", &app, |c| {
        c.data.iat = now_unix() - 7200;
        c.data.exp = Some(now_unix() - 3600);
    });
    let i = input(&t.config(), Credentials::CredsFile(creds), vec![]);
    let (d, p) = run(&i, "jwt-invalid", &refs(&secrets)).await;
    assert_eq!(d.detail, "expired");
    assert_eq!(d.evidence.reason.as_deref(), Some("User JWT no longer valid: &{Issues:[claim is expired]}"));
    assert_eq!(d.evidence.server_errs, ["Authorization Violation"]);
    fix_mentions(&d, &["billing-svc", "--expiry", "nsc generate creds"]);
    assert!(d.decoded.iter().any(|n| n.contains("s ago")), "{:?}", d.decoded);
    emitted_scenario_passes(&p, &d, &refs(&secrets)).await;
}

#[tokio::test]
async fn tampered_signature() {
    let t = Trust::new(|_| {});
    let app = t.app.clone();
    let (creds, _) = t.creds("orders", &app, |_| {});
    let text = std::fs::read_to_string(&creds).unwrap();
    let (jwt, seed) = natsfault::credentials::parse_creds(&text).unwrap();
    let (head, sig) = jwt.rsplit_once('.').unwrap();
    let first = if sig.starts_with('A') { "B" } else { "A" };
    let flipped = format!("{first}{}", &sig[1..]);
    let (creds, secrets) = t.write_creds("orders", &format!("{head}.{flipped}"), &seed);
    let i = input(&t.config(), Credentials::CredsFile(creds), vec![]);
    let (d, p) = run(&i, "jwt-invalid", &refs(&secrets)).await;
    assert_eq!(d.detail, "bad-signature");
    assert!(d.decoded.iter().any(|n| n.contains("signature invalid")), "{:?}", d.decoded);
    fix_mentions(&d, &[t.app.public_key(), "never edit"]);
    emitted_scenario_passes(&p, &d, &refs(&secrets)).await;
}

#[tokio::test]
async fn signed_by_another_key_than_its_issuer() {
    let t = Trust::new(|_| {});
    let user = keys::user();
    let mut claims = natsfault::credentials::UserClaims::new(user.public_key(), "intruder");
    // `iss` names APP, but another account key signs.
    let jwt =
        natsfault::credentials::jwt::encode_signed_by(&mut claims, t.app.public_key(), &keys::account().key_pair())
            .unwrap();
    let (creds, secrets) = t.write_creds("intruder", &jwt, user.seed());
    let (d, _) = run(&input(&t.config(), Credentials::CredsFile(creds), vec![]), "jwt-invalid", &refs(&secrets)).await;
    assert_eq!(d.detail, "bad-signature");
}

#[tokio::test]
async fn signing_key_without_issuer_account() {
    let t = Trust::new(|_| {});
    let sk = t.app_signing.clone();
    let (creds, secrets) = t.creds("reports", &sk, |_| {});
    let i = input(&t.config(), Credentials::CredsFile(creds), vec![]);
    let (d, p) = run(&i, "account-claim", &refs(&secrets)).await;
    assert_eq!(d.detail, "missing-issuer-account");
    assert_eq!(d.evidence.reason.as_deref(), Some("Account JWT lookup error: account missing"));
    fix_mentions(&d, &[&format!("issuer_account: \"{}\"", t.app.public_key()), t.app_signing.public_key()]);
    emitted_scenario_passes(&p, &d, &refs(&secrets)).await;
}

#[tokio::test]
async fn account_unknown_to_the_resolver() {
    let t = Trust::new(|_| {});
    let stranger = keys::account();
    let (creds, secrets) = t.creds("legacy", &stranger, |_| {});
    let i = input(&t.config(), Credentials::CredsFile(creds), vec![]);
    let (d, p) = run(&i, "account-claim", &refs(&secrets)).await;
    assert_eq!(d.detail, "unknown-account");
    fix_mentions(&d, &[stranger.public_key(), "nsc push"]);
    emitted_scenario_passes(&p, &d, &refs(&secrets)).await;
}

#[tokio::test]
async fn issuer_account_that_does_not_list_the_key() {
    let t = Trust::new(|_| {});
    let unlisted = keys::account_signing_key();
    let app_key = t.app.public_key().to_string();
    let (creds, secrets) = t.creds("metrics", &unlisted, |c| c.nats.issuer_account = app_key.clone());
    let i = input(&t.config(), Credentials::CredsFile(creds), vec![]);
    let (d, p) = run(&i, "account-claim", &refs(&secrets)).await;
    assert_eq!(d.detail, "signing-key-not-listed");
    fix_mentions(&d, &[unlisted.public_key(), "--sk"]);
    emitted_scenario_passes(&p, &d, &refs(&secrets)).await;
}

#[tokio::test]
async fn jwt_publish_outside_its_permissions() {
    let t = Trust::new(|_| {});
    let app = t.app.clone();
    let (creds, secrets) = t.creds("ingest", &app, |c| {
        c.nats.permissions.publish.allow = vec!["ingest.>".into()];
    });
    let ops = vec![natsfault::diagnose::Operation::Publish("metrics.cpu".into())];
    let (d, p) = run(&input(&t.config(), Credentials::CredsFile(creds), ops), "permissions", &refs(&secrets)).await;
    fix_mentions(&d, &["--allow-pub \"metrics.cpu\"", "ingest"]);
    emitted_scenario_passes(&p, &d, &refs(&secrets)).await;
}

#[tokio::test]
async fn revoked_user() {
    let t = Trust::new(|a| {
        a.nats.revocations.insert("*".into(), now_unix() + 60);
    });
    let app = t.app.clone();
    let (creds, secrets) = t.creds("batch", &app, |_| {});
    let i = input(&t.config(), Credentials::CredsFile(creds), vec![]);
    let (d, p) = run(&i, "jwt-invalid", &refs(&secrets)).await;
    assert_eq!(d.detail, "revoked");
    assert_eq!(d.evidence.reason.as_deref(), Some("User authentication revoked"));
    fix_mentions(&d, &["nsc revocations delete-user --name batch"]);
    emitted_scenario_passes(&p, &d, &refs(&secrets)).await;
}

#[tokio::test]
async fn expired_account() {
    let t = Trust::new(|a| {
        a.data.iat = now_unix() - 7200;
        a.data.exp = Some(now_unix() - 3600);
    });
    let app = t.app.clone();
    let (creds, secrets) = t.creds("late", &app, |_| {});
    let i = input(&t.config(), Credentials::CredsFile(creds), vec![]);
    let (d, p) = run(&i, "jwt-invalid", &refs(&secrets)).await;
    assert_eq!(d.detail, "account-expired");
    fix_mentions(&d, &["nsc edit account"]);
    emitted_scenario_passes(&p, &d, &refs(&secrets)).await;
}

#[tokio::test]
async fn creds_file_with_a_stray_blank_line() {
    let t = Trust::new(|_| {});
    let app = t.app.clone();
    let (creds, secrets) = t.creds("edited", &app, |_| {});
    let text = std::fs::read_to_string(&creds).unwrap();
    let damaged = text.replacen("-----BEGIN USER NKEY SEED-----\n", "-----BEGIN USER NKEY SEED-----\n\n", 1);
    std::fs::write(&creds, damaged).unwrap();
    let i = input(&t.config(), Credentials::CredsFile(creds), vec![]);
    let (d, p) = run(&i, "jwt-invalid", &refs(&secrets)).await;
    assert_eq!(d.detail, "damaged-creds-file");
    assert!(d.decoded.iter().any(|n| n.contains("does not parse")), "{:?}", d.decoded);
    fix_mentions(&d, &["nsc generate creds"]);
    emitted_scenario_passes(&p, &d, &refs(&secrets)).await;
}
