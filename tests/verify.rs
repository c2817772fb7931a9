//! `natsfault verify` on a team's config (`fixtures/team/config/`): the committed contract holds,
//! and each deliberately broken change of the config (a narrowed permission, a deny added, a
//! user removed, an account moved) breaks the lines it should, named at the config's own line.

mod support;

use std::path::{Path, PathBuf};

use natsfault::backend::ProcessBackend;
use natsfault::contract::{VerifyReport, load_contract, verify};
use natsfault::deploy::load_config_file;
use natsfault::redact::Secrets;

const FIXTURE: &str = "fixtures/team/config";

/// The fixture copied to a temp folder, with `from` replaced by `to` in `accounts.conf`.
fn changed(from: &str, to: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    support::copy_dir(Path::new(FIXTURE), dir.path());
    let accounts = dir.path().join("accounts.conf");
    let text = std::fs::read_to_string(&accounts).expect("accounts.conf");
    assert!(text.contains(from), "`{from}` in accounts.conf");
    std::fs::write(&accounts, text.replacen(from, to, 1)).expect("write accounts.conf");
    dir
}

async fn play(dir: &Path) -> VerifyReport {
    let contract = load_contract(&dir.join("nats-contract.toml")).expect("contract");
    let deployed = load_config_file(&dir.join("nats.conf")).expect("config");
    verify(&contract, &deployed, &ProcessBackend, "2.15.1".parse().expect("version"), &Secrets::new())
        .await
        .expect("verify")
}

/// The broken lines as `identity can|cannot LINE` and their explanations.
fn broken(r: &VerifyReport) -> Vec<(String, String)> {
    r.broken().map(|b| (b.line.describe(), b.because.clone().unwrap_or_default())).collect()
}

/// The line of `accounts.conf` in the temp folder, as the explanation names it.
fn at(dir: &Path, line: u32, col: u32) -> String {
    format!("{}:{line}:{col}", PathBuf::from(dir).join("accounts.conf").display())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_committed_contract_holds() {
    let report = play(Path::new(FIXTURE)).await;
    assert!(report.holds(), "{}", natsfault::contract::render_human(&report));
    assert_eq!(report.lines.len(), 13);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_narrowed_permission_names_the_allow_list() {
    let dir = changed(
        r#"publish: { allow: ["orders.>", "inventory.check"] }"#,
        r#"publish: { allow: ["orders.updated", "inventory.check"] }"#,
    );
    let report = play(dir.path()).await;
    let b = broken(&report);
    assert_eq!(b.len(), 1, "{b:?}");
    assert_eq!(b[0].0, "orders can publish orders.created -> billing");
    assert!(b[0].1.contains("`publish.allow` of user `orders` of account `SHOP`"), "{}", b[0].1);
    assert!(
        b[0].1.contains(&format!("at {} lists only `orders.updated`, `inventory.check`", at(dir.path(), 6, 30))),
        "{}",
        b[0].1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_added_deny_names_the_deny_entry() {
    let dir = changed(
        r#"subscribe: { allow: ["orders.>", "_INBOX.>"] }
      } }
      { user: inventory"#,
        r#"subscribe: { allow: ["orders.>", "_INBOX.>"], deny: ["orders.created"] }
      } }
      { user: inventory"#,
    );
    let report = play(dir.path()).await;
    let b = broken(&report);
    assert_eq!(b.len(), 1, "{b:?}");
    assert_eq!(b[0].0, "orders can publish orders.created -> billing");
    // billing receives as a member of its queue group on `orders.>`, which the server allows;
    // the deny keeps `orders.created` from being delivered to it.
    assert!(b[0].1.contains("`billing` may not receive `orders.created`"), "{}", b[0].1);
    assert!(b[0].1.contains("`subscribe.deny` `orders.created` of user `billing`"), "{}", b[0].1);
    assert!(b[0].1.contains(&format!("at {} refuses it", at(dir.path(), 11, 64))), "{}", b[0].1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_removed_user_breaks_its_lines_and_the_requests_it_answers() {
    let dir = changed(
        r#"      { user: inventory, password: "inventory-pass-2b8e", permissions: {
          publish: { allow: ["_INBOX.>"] }
          subscribe: { allow: ["inventory.>"] }
      } }
"#,
        "",
    );
    let report = play(dir.path()).await;
    let b = broken(&report);
    let names: Vec<&str> = b.iter().map(|(l, _)| l.as_str()).collect();
    // An identity that cannot connect breaks every line of its own, `cannot` ones too: nothing
    // checked them.
    assert_eq!(
        names,
        [
            "orders can request inventory.check -> inventory",
            "inventory can subscribe inventory.check",
            "inventory cannot publish inventory.changed"
        ]
    );
    assert_eq!(b[0].1, "`inventory` could not connect");
    assert!(b[1].1.starts_with("the config has no user `inventory` (its users are at "), "{}", b[1].1);
    let line = report.broken().nth(1).map(|l| l.observed.clone()).unwrap_or_default();
    assert!(line.starts_with("connect refused: AuthorizationViolation"), "{line}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_moved_account_names_both_users() {
    let billing = r#"      { user: billing, password: "billing-pass-9c1d", permissions: {
          publish: { allow: ["billing.>"], deny: ["orders.>"] }
          subscribe: { allow: ["orders.>", "_INBOX.>"] }
      } }
"#;
    let dir = changed(billing, "");
    let accounts = dir.path().join("accounts.conf");
    let text = std::fs::read_to_string(&accounts).expect("read");
    let moved = text.replacen(
        "    users: [\n      { user: auditor",
        &format!("    users: [\n{billing}      {{ user: auditor"),
        1,
    );
    std::fs::write(&accounts, moved).expect("write");
    let report = play(dir.path()).await;
    let b = broken(&report);
    assert_eq!(b.len(), 1, "{b:?}");
    assert_eq!(b[0].0, "orders can publish orders.created -> billing");
    assert!(b[0].1.contains("`orders` is user `orders` of account `SHOP`"), "{}", b[0].1);
    assert!(
        b[0].1.contains(&format!("`billing` is user `billing` of account `AUDIT` ({})", at(dir.path(), 17, 7))),
        "{}",
        b[0].1
    );
    assert!(b[0].1.contains("different accounts"), "{}", b[0].1);
}

#[test]
fn a_bad_line_is_refused_at_its_position() {
    let text = "[identities.a]\nuser = \"a\"\ncan = [\"publish orders.*\", \"sub x -> b\"]\n";
    let e = natsfault::contract::load_contract_str("c.toml".as_ref(), text).unwrap_err();
    assert_eq!(
        e.plain(),
        "c.toml:3:9: expected a subject without wildcards after `publish`, found `orders.*`\n\
         c.toml:3:29: expected nothing after `subscribe x`, found `-> b`\n"
    );
}

/// The measurement `make bench` takes, here a few times: every run of the 50-line contract holds
/// (its timing against one start plus the connects is printed; the bench reports the ratio).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bench_contract_holds_on_every_run() {
    let path = Path::new(natsfault::bench::CONTRACT_BENCH);
    let b = natsfault::bench::measure_contract(path, "2.15.1".parse().expect("version"), 5).await.expect("measured");
    println!(
        "verify {:.1}ms, start and {} connects {:.1}ms: {:.2}x",
        b.verify.median_ms, b.identities, b.start_and_connects.median_ms, b.ratio
    );
    assert_eq!((b.lines, b.broken_runs), (50, 0));
}

/// A contract of creds-file identities on an operator-mode config: a broken line is explained
/// by the user JWT's permissions, named by its creds file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn creds_identities_are_explained_by_their_jwt() {
    let root = std::env::current_dir().expect("cwd").join("fixtures/team/operator");
    let dir = tempfile::tempdir().expect("temp dir");
    let text = format!(
        "config = \"{0}/nats.conf\"\n[identities.orders]\ncreds-file = \"{0}/creds/orders.creds\"\ncan = [\"publish orders.created -> billing\"]\n\
         [identities.billing]\ncreds-file = \"{0}/creds/billing.creds\"\ncan = [\"subscribe orders.>\", \"publish orders.paid\"]\n",
        root.display()
    );
    std::fs::write(dir.path().join("nats-contract.toml"), text).expect("write");
    let contract = load_contract(&dir.path().join("nats-contract.toml")).expect("contract");
    let deployed = load_config_file(&root.join("nats.conf")).expect("config");
    let report = verify(&contract, &deployed, &ProcessBackend, "2.15.1".parse().expect("version"), &Secrets::new())
        .await
        .expect("verify");
    let b = broken(&report);
    assert_eq!(b.len(), 1, "{b:?}");
    assert_eq!(b[0].0, "billing can publish orders.paid");
    // Operator mode: the creds file's line that holds the JWT deciding it.
    assert!(b[0].1.starts_with("`publish.deny` `orders.>` of the user JWT at `"), "{}", b[0].1);
    assert!(b[0].1.contains("creds/billing.creds:2` (account `A"), "{}", b[0].1);
}
