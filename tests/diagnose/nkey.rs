//! Nkey users: a seed in the config, an unknown key, a nonce signed with another seed.

use natsfault::credentials::keys;
use natsfault::diagnose::{Credentials, Operation};

use crate::common::{emitted_scenario_passes, fix_mentions, input, run};

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[tokio::test]
async fn seed_where_the_public_key_belongs() {
    let dir = tempfile::tempdir().unwrap();
    let alice = keys::user();
    let conf = format!(
        "authorization {{\n  users: [\n    {{ nkey: \"{}\", permissions: {{ publish: [\"data.>\"] }} }}\n  ]\n}}\n",
        alice.seed()
    );
    let config = write(&dir, "nats.conf", &conf);
    let seed = write(&dir, "alice.nk", alice.seed());
    let i = input(&config, Credentials::NkeySeedFile(seed), vec![Operation::Publish("data.x".into())]);
    let (d, p) = run(&i, "config-refused", &[alice.seed()]).await;
    assert_eq!(d.verdict.cause().map(|c| c.as_str()), Some("nkey-mismatch"));
    match &d.verdict {
        natsfault::diagnose::Verdict::ConfigRefused { reason, at, .. } => {
            assert!(reason.contains("Not a valid public nkey for a user"), "{reason}");
            assert!(at.as_deref().is_some_and(|a| a.ends_with("nats.conf:3:7")), "{at:?}");
        }
        other => panic!("{other:?}"),
    }
    fix_mentions(&d, &[alice.public_key(), "leaked"]);
    emitted_scenario_passes(&p, &d, &[alice.seed()]).await;
}

#[tokio::test]
async fn nkey_the_server_does_not_know() {
    let dir = tempfile::tempdir().unwrap();
    let (alice, bob) = (keys::user(), keys::user());
    let config =
        write(&dir, "nats.conf", &format!("authorization {{ users: [ {{ nkey: {} }} ] }}\n", bob.public_key()));
    let seed = write(&dir, "alice.nk", &format!("{}\n", alice.seed()));
    let i = input(&config, Credentials::NkeySeedFile(seed), vec![]);
    let (d, p) = run(&i, "nkey-mismatch", &[alice.seed()]).await;
    assert_eq!(d.detail, "unknown-nkey");
    assert!(d.decoded.iter().any(|n| n.contains(alice.public_key()) && n.contains("does not list")));
    fix_mentions(&d, &[alice.public_key(), bob.public_key()]);
    emitted_scenario_passes(&p, &d, &[alice.seed()]).await;
}

#[tokio::test]
async fn creds_file_with_another_users_seed() {
    let t = crate::trust::Trust::new(|_| {});
    let app = t.app.clone();
    let (creds, _) = t.creds("worker", &app, |_| {});
    let text = std::fs::read_to_string(&creds).unwrap();
    let (jwt, _) = natsfault::credentials::parse_creds(&text).unwrap();
    let other = keys::user();
    let (creds, secrets) = t.write_creds("worker", &jwt, other.seed());
    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
    let (d, p) = run(&input(&t.config(), Credentials::CredsFile(creds), vec![]), "nkey-mismatch", &secrets).await;
    assert_eq!(d.detail, "signature-not-verified");
    assert_eq!(d.evidence.reason.as_deref(), Some("Signature not verified"));
    assert!(d.decoded.iter().any(|n| n.contains("does not match the JWT's subject")));
    fix_mentions(&d, &["does not belong to the JWT's subject"]);
    emitted_scenario_passes(&p, &d, &secrets).await;
}
