//! Emitted scenarios for the details that had no template: a JWT not yet valid, a seed that is not
//! a seed, user and password for a JWT-only server, a JWT that expires mid-session, a config
//! refused for a reason outside the seven causes; and clear refusals where a scenario cannot be
//! written (TLS, a URL account resolver).

use natsfault::credentials::{keys, now_unix};
use natsfault::diagnose::emit::scenario;
use natsfault::diagnose::{Credentials, Diagnosis, Operation, Verdict};
use natsfault::spec::Cause;

use crate::common::{emitted_scenario_passes, fix_mentions, input, run, user};
use crate::trust::Trust;

fn refs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[tokio::test]
async fn user_jwt_not_yet_valid() {
    let t = Trust::new(|_| {});
    let app = t.app.clone();
    let (creds, secrets) = t.creds("night-batch", &app, |c| c.data.nbf = Some(now_unix() + 3600));
    let i = input(&t.config(), Credentials::CredsFile(creds), vec![]);
    let (d, p) = run(&i, "jwt-invalid", &refs(&secrets)).await;
    assert_eq!(d.detail, "not-yet-valid");
    assert_eq!(d.evidence.reason.as_deref(), Some("User JWT no longer valid: &{Issues:[claim is not yet valid]}"));
    fix_mentions(&d, &["nbf", "--start"]);
    emitted_scenario_passes(&p, &d, &refs(&secrets)).await;
}

#[tokio::test]
async fn nkey_seed_file_holding_the_public_key() {
    let dir = tempfile::tempdir().unwrap();
    let alice = keys::user();
    let config =
        write(&dir, "nats.conf", &format!("authorization {{ users: [ {{ nkey: {} }} ] }}\n", alice.public_key()));
    let seed = write(&dir, "alice.nk", &format!("{}\n", alice.public_key()));
    let i = input(&config, Credentials::NkeySeedFile(seed), vec![]);
    let (d, p) = run(&i, "nkey-mismatch", &[alice.seed()]).await;
    assert_eq!(d.detail, "bad-seed");
    assert!(d.decoded.iter().any(|n| n.contains("does not hold a valid nkey seed")), "{:?}", d.decoded);
    emitted_scenario_passes(&p, &d, &[alice.seed()]).await;
}

#[tokio::test]
async fn nkey_seed_file_with_a_damaged_seed() {
    let dir = tempfile::tempdir().unwrap();
    let bob = keys::user();
    let config =
        write(&dir, "nats.conf", &format!("authorization {{ users: [ {{ nkey: {} }} ] }}\n", bob.public_key()));
    let damaged = &bob.seed()[..bob.seed().len() - 4];
    let seed = write(&dir, "bob.nk", damaged);
    let i = input(&config, Credentials::NkeySeedFile(seed), vec![Operation::Publish("x".into())]);
    let (d, p) = run(&i, "nkey-mismatch", &[damaged]).await;
    assert_eq!(d.detail, "bad-seed");
    fix_mentions(&d, &["not a valid nkey seed"]);
    emitted_scenario_passes(&p, &d, &[damaged]).await;
}

#[tokio::test]
async fn user_and_password_for_a_jwt_only_server() {
    let t = Trust::new(|_| {});
    let i = input(&t.config(), user("reporting", "rep-Pw-77"), vec![]);
    let (d, p) = run(&i, "no-credentials", &["rep-Pw-77"]).await;
    assert_eq!(d.detail, "operator-mode-needs-jwt");
    fix_mentions(&d, &[".creds"]);
    emitted_scenario_passes(&p, &d, &["rep-Pw-77"]).await;
}

#[tokio::test]
async fn nothing_sent_to_a_jwt_only_server() {
    let t = Trust::new(|_| {});
    let i = input(&t.config(), Credentials::None, vec![]);
    let (d, p) = run(&i, "no-credentials", &[]).await;
    assert_eq!(d.detail, "operator-mode-needs-jwt");
    emitted_scenario_passes(&p, &d, &[]).await;
}

#[tokio::test]
async fn unknown_top_level_key() {
    let dir = tempfile::tempdir().unwrap();
    let config = write(
        &dir,
        "nats.conf",
        "port: 4222\nauthorization {\n  users = [ { user: app, password: \"top-Pw-31\" } ]\n}\nmax_conections: 64\n",
    );
    let i = input(&config, user("app", "top-Pw-31"), vec![]);
    let (d, p) = run(&i, "config-refused", &["top-Pw-31"]).await;
    assert_eq!(d.detail, "config-refused");
    fix_mentions(&d, &["remove `max_conections`", "nats.conf:5:1"]);
    emitted_scenario_passes(&p, &d, &["top-Pw-31"]).await;
}

#[tokio::test]
async fn misspelled_secret_key_in_authorization() {
    let dir = tempfile::tempdir().unwrap();
    let config = write(&dir, "nats.conf", "authorization {\n  user: ops\n  pasword: \"Typo-Secret-9\"\n}\n");
    let i = input(&config, user("ops", "Typo-Secret-9"), vec![]);
    let (d, p) = run(&i, "config-refused", &["Typo-Secret-9"]).await;
    fix_mentions(&d, &["remove `pasword`", "nats.conf:3:3"]);
    emitted_scenario_passes(&p, &d, &["Typo-Secret-9"]).await;
}

#[tokio::test]
async fn unknown_key_inside_a_user_entry() {
    let dir = tempfile::tempdir().unwrap();
    let config = write(
        &dir,
        "nats.conf",
        "accounts {\n  APP {\n    users: [\n      { user: svc, password: \"entry-Pw-5\", permisions: { publish: \"a.>\" } }\n    ]\n  }\n}\n",
    );
    let i = input(&config, user("svc", "entry-Pw-5"), vec![]);
    let (d, p) = run(&i, "config-refused", &["entry-Pw-5"]).await;
    fix_mentions(&d, &["remove `permisions`"]);
    emitted_scenario_passes(&p, &d, &["entry-Pw-5"]).await;
}

/// The same diagnosis with another detail: for details a local play cannot bring about on demand.
fn as_detail(d: &Diagnosis, cause: Cause, detail: &str) -> Diagnosis {
    let mut d = d.clone();
    d.verdict = Verdict::Cause { cause };
    d.detail = detail.into();
    d
}

/// `exp` passing during the few operations of a diagnosis is a matter of timing, so the detail is
/// set on a diagnosis of the same user.
#[tokio::test]
async fn user_jwt_expiring_while_connected() {
    let t = Trust::new(|_| {});
    let app = t.app.clone();
    let (creds, secrets) = t.creds("stream-reader", &app, |_| {});
    let i = input(&t.config(), Credentials::CredsFile(creds), vec![]);
    let (d, p) = run(&i, "works", &refs(&secrets)).await;
    let d = as_detail(&d, Cause::JwtInvalid, "expired-while-connected");
    emitted_scenario_passes(&p, &d, &refs(&secrets)).await;
}

/// `auth_callout` is refused only by servers before 2.10, which are not installed here.
#[tokio::test]
async fn auth_callout_unknown_to_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let issuer = keys::account();
    let conf = format!(
        "accounts {{\n  AUTH {{ users: [ {{ user: auth, password: \"old-Auth-Pw\" }} ] }}\n}}\nauthorization {{\n  timeout: 0.5\n  auth_callout {{\n    issuer: {}\n    account: AUTH\n    auth_users: [ auth ]\n  }}\n}}\n",
        issuer.public_key()
    );
    let config = write(&dir, "nats.conf", &conf);
    let (d, p) = run(&input(&config, user("app", "old-App-Pw"), vec![]), "auth-endpoint", &["old-Auth-Pw"]).await;
    let d = as_detail(&d, Cause::AuthEndpoint, "auth-callout-unsupported");
    emitted_scenario_passes(&p, &d, &["old-Auth-Pw", "old-App-Pw"]).await;
}

#[tokio::test]
async fn no_scenario_for_tls_or_a_url_resolver_and_the_error_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let config = write(&dir, "nats.conf", "port: 4222\n");
    let (d, p) = run(&input(&config, Credentials::None, vec![]), "works", &[]).await;
    let tls = scenario(&p, &as_detail(&d, Cause::ServerUnreachable, "tls-handshake")).unwrap_err().to_string();
    assert!(tls.contains("the config has no `tls` block to replay"), "{tls}");
    let mut url = d.clone();
    url.verdict = Verdict::ConfigRefused { cause: None, reason: "could not fetch".into(), at: None };
    url.detail = "url-resolver-not-contacted".into();
    let url = scenario(&p, &url).unwrap_err().to_string();
    assert!(url.contains("was not contacted") && url.contains("`[account-server]`"), "{url}");
}
