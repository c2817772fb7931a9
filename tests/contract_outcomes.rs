//! Every contract line has one of three outcomes, and none holds without a check that could have
//! failed: a request nobody answers is `not checked`, an identity that cannot connect breaks its
//! lines unless its contract says it must be refused, an empty contract is bad input, and a
//! line is judged on its own footing (a queue-only receiver, a queue refusal apart from a plain
//! one).

mod support;

use std::path::Path;

use natsfault::backend::ProcessBackend;
use natsfault::contract::{Outcome, VerifyReport, load_contract_str, render_human, verify};
use natsfault::door::load_config_file;
use natsfault::redact::Secrets;

const CONFIG: &str = r#"
no_auth_user: c
accounts {
  APP {
    users: [
      { user: a, password: "a-pass-1234" }
      { user: b, password: "b-pass-1234", permissions: {
          subscribe: { allow: ["work.> workers"] }
          publish: { allow: ["_INBOX.>"] }
      } }
      { user: inv, password: "inv-pass-1234", permissions: {
          subscribe: { allow: ["inventory.>"] }, allow_responses: { max: 1 }
      } }
      { user: c, password: "c-pass-1234", permissions: {
          subscribe: { allow: ["jobs.>"], deny: ["jobs.> workers"] }
      } }
    ]
  }
}
"#;

async fn play(contract: &str) -> VerifyReport {
    play_on(CONFIG, contract).await
}

async fn play_on(config: &str, contract: &str) -> VerifyReport {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("nats.conf"), config).expect("config");
    for (user, pass) in [
        ("a", "a-pass-1234"),
        ("b", "b-pass-1234"),
        ("c", "c-pass-1234"),
        ("inv", "inv-pass-1234"),
        ("x", "wrong-pass"),
        ("admin", "admin-pass-1234"),
        ("worker", "worker-pass-1234"),
    ] {
        std::fs::write(dir.path().join(format!("{user}.pass")), format!("{pass}\n")).expect("password");
    }
    let path = dir.path().join("contract.toml");
    let contract = load_contract_str(&path, contract).unwrap_or_else(|e| panic!("{:?}", miette::Report::new(e)));
    let deployed = load_config_file(&dir.path().join("nats.conf")).expect("config");
    verify(&contract, &deployed, &ProcessBackend, support::version(), &Secrets::new()).await.expect("verify")
}

fn outcome(r: &VerifyReport, text: &str) -> Outcome {
    r.lines.iter().find(|l| l.line.text == text).unwrap_or_else(|| panic!("no line `{text}`")).outcome
}

fn identity(name: &str, user: &str, can: &[&str], cannot: &[&str]) -> String {
    let list = |l: &[&str]| l.iter().map(|x| format!("{x:?}")).collect::<Vec<_>>().join(", ");
    format!(
        "[identities.{name}]\nuser = \"{user}\"\npassword-file = \"{user}.pass\"\ncan = [{}]\ncannot = [{}]\n",
        list(can),
        list(cannot)
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_nobody_answers_is_not_checked() {
    let r = play(&identity("a", "a", &["request $JS.API.INFO", "request svc.ping"], &[])).await;
    assert_eq!(outcome(&r, "request $JS.API.INFO"), Outcome::NotChecked, "{}", render_human(&r));
    assert_eq!(outcome(&r, "request svc.ping"), Outcome::NotChecked);
    let js = r.lines.iter().find(|l| l.line.text == "request $JS.API.INFO").expect("line");
    assert!(js.observed.contains("JetStream"), "{}", js.observed);
    assert!(!r.holds() && r.holds_where_checked(), "{}", render_human(&r));
    assert!(render_human(&r).starts_with("UNCHECKED "), "{}", render_human(&r));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_identity_that_cannot_connect_breaks_its_lines_unless_its_contract_says_so() {
    let r = play(&identity("x", "x", &[], &["publish billing.charge", "subscribe billing.>"])).await;
    for line in ["publish billing.charge", "subscribe billing.>"] {
        assert_eq!(outcome(&r, line), Outcome::Broken, "{}", render_human(&r));
    }
    let r = play(&identity("x", "x", &[], &["connect", "publish billing.charge"])).await;
    assert_eq!(outcome(&r, "connect"), Outcome::Holds, "{}", render_human(&r));
    assert_eq!(outcome(&r, "publish billing.charge"), Outcome::NotChecked, "{}", render_human(&r));
    // A connecting identity that must be refused breaks its `cannot connect`.
    let r = play(&identity("a", "a", &[], &["connect"])).await;
    assert_eq!(outcome(&r, "connect"), Outcome::Broken, "{}", render_human(&r));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_queue_only_receiver_is_a_queue_member_and_queue_refusals_are_its_own() {
    let contract = identity("a", "a", &["publish work.x -> b"], &[])
        + &identity("b", "b", &["queue work.> workers"], &["subscribe work.>"])
        + &identity("c", "c", &["subscribe jobs.>"], &["queue jobs.> workers"]);
    let r = play(&contract).await;
    assert!(r.holds(), "{}", render_human(&r));
    assert_eq!(outcome(&r, "publish work.x -> b"), Outcome::Holds);
}

#[test]
fn an_empty_contract_is_bad_input() {
    let path = Path::new("contract.toml");
    for text in ["config = \"nats.conf\"\n", "[identities.a]\nuser = \"a\"\n"] {
        let err = load_contract_str(path, text).expect_err("refused");
        let shown = format!("{:?}", miette::Report::new(err));
        assert!(shown.contains("checks") && shown.contains("nothing"), "{shown}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_identity_without_credentials_is_explained_as_the_no_auth_user() {
    let r = play("[identities.anon]\ncan = [\"subscribe jobs.>\", \"subscribe other.x\"]\n").await;
    assert_eq!(outcome(&r, "subscribe jobs.>"), Outcome::Holds, "{}", render_human(&r));
    let broken = r.lines.iter().find(|l| l.line.text == "subscribe other.x").expect("line");
    assert_eq!(broken.outcome, Outcome::Broken, "{}", render_human(&r));
    let because = broken.because.clone().unwrap_or_default();
    assert!(because.contains("`no_auth_user` `c`") && because.contains("user `c` of account `APP`"), "{because}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_responder_with_its_own_subscription_answers_within_allow_responses() {
    // On one connection the request also reaches the responder's `subscribe` line, and the
    // server counts that delivery against `allow_responses { max: 1 }`: the reply was refused.
    let contract = identity("a", "a", &["request inventory.check -> inv"], &[])
        + &identity("inv", "inv", &["subscribe inventory.check"], &[]);
    let r = play(&contract).await;
    assert!(r.holds(), "{}", render_human(&r));
    let line = r.lines.iter().find(|l| l.line.text.starts_with("request")).expect("line");
    assert_eq!(line.observed, "works, answered by `inv`");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_through_a_service_import_is_recognised() {
    let config = r#"
accounts {
  SHOP { users: [ { user: a, password: "a-pass-1234" } ], imports: [ { service: { account: INV, subject: "stock.check" } } ] }
  INV {
    users: [ { user: inv, password: "inv-pass-1234", permissions: { publish: { deny: ["_R_.>"] } } } ]
    exports: [ { service: "stock.check" } ]
  }
}
"#;
    let contract = identity("a", "a", &["request stock.check -> inv"], &[]) + &identity("inv", "inv", &[], &[]);
    let contract = contract.replace(
        "[identities.inv]\nuser = \"inv\"\npassword-file = \"inv.pass\"\ncan = []\ncannot = []\n",
        "[identities.inv]\nuser = \"inv\"\npassword-file = \"inv.pass\"\ncan = [\"subscribe stock.check\"]\n",
    );
    let r = play_on(config, &contract).await;
    let line = r.lines.iter().find(|l| l.line.text.starts_with("request")).expect("line");
    assert_eq!(line.outcome, Outcome::Broken, "{}", render_human(&r));
    let because = line.because.clone().unwrap_or_default();
    assert!(because.contains("Publish to \"_R_.") && because.contains("`publish.deny` `_R_.>`"), "{because}");
    // Without the deny, the reply crosses the import from the responder.
    let r = play_on(&config.replace(", permissions: { publish: { deny: [\"_R_.>\"] } }", ""), &contract).await;
    assert!(r.holds(), "{}", render_human(&r));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jetstream_lines_are_played_in_file_order_with_the_servers_refusal_as_evidence() {
    let config = r#"
jetstream {}
accounts {
  APP {
    jetstream: enabled
    users: [
      { user: admin, password: "admin-pass-1234" }
      { user: worker, password: "worker-pass-1234", permissions: {
          publish: { allow: ["$JS.API.CONSUMER.MSG.NEXT.ORDERS.worker", "$JS.ACK.ORDERS.worker.>", "orders.>"] }
          subscribe: { allow: ["_INBOX.>"] }
      } }
    ]
  }
  PLAIN { users: [ { user: a, password: "a-pass-1234" } ] }
}
"#;
    let contract = identity(
        "admin",
        "admin",
        &[
            "stream create ORDERS orders.>",
            "consumer create ORDERS worker",
            "stream info ORDERS",
            "kv put fleet dev.001",
        ],
        &[],
    ) + &identity(
        "worker",
        "worker",
        &["js-publish orders.created", "fetch ORDERS worker"],
        &["stream create BILLING"],
    ) + &identity("a", "a", &["stream info ORDERS"], &[]);
    let r = play_on(config, &contract).await;
    let text = render_human(&r);
    for held in [
        "stream create ORDERS orders.>",
        "consumer create ORDERS worker",
        "stream info ORDERS",
        "js-publish orders.created",
        "stream create BILLING",
    ] {
        assert!(r.lines.iter().any(|l| l.line.text == held && l.outcome == Outcome::Holds), "{held}: {text}");
    }
    // async-nats reads the consumer's info before it fetches: the worker needs that subject too.
    let fetch = r.lines.iter().find(|l| l.line.text == "fetch ORDERS worker").expect("line");
    assert_eq!(fetch.outcome, Outcome::Broken, "{text}");
    assert!(fetch.observed.contains("$JS.API.CONSUMER.INFO.ORDERS.worker"), "{}", fetch.observed);
    assert_eq!(outcome(&r, "kv put fleet dev.001"), Outcome::NotChecked, "{text}");
    let plain = r.lines.iter().find(|l| l.line.identity == "a").expect("line");
    assert_eq!(plain.outcome, Outcome::NotChecked, "{text}");
    assert!(plain.observed.contains("JetStream is not enabled for the account"), "{}", plain.observed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reply_lines_state_what_allow_responses_permits() {
    let config = |limits: &str| {
        format!(
            "authorization {{ users: [\n  {{ user: a, password: \"a-pass-1234\", permissions: {{ publish: [\"stock.>\"], subscribe: [\"_INBOX.>\"] }} }}\n  {{ user: inv, password: \"inv-pass-1234\", permissions: {{ subscribe: [\"stock.>\"], allow_responses: {limits} }} }}\n] }}\n"
        )
    };
    let contract = identity("a", "a", &["request stock.check -> inv"], &[])
        + &identity(
            "inv",
            "inv",
            &["reply stock.check x2"],
            &["reply stock.check x3", "reply stock.check after 1200ms"],
        );
    let r = play_on(&config("{ max: 2, expires: \"1s\" }"), &contract).await;
    assert!(r.holds(), "{}", render_human(&r));
    // One reply allowed: the second of `x2` is refused, with the server's words.
    let r = play_on(&config("{ max: 1, expires: \"1s\" }"), &contract).await;
    let x2 = r.lines.iter().find(|l| l.line.text == "reply stock.check x2").expect("line");
    assert_eq!(x2.outcome, Outcome::Broken, "{}", render_human(&r));
    assert!(
        x2.observed.starts_with("1 of 2 replies arrived; refused: Permissions Violation for Publish to"),
        "{}",
        x2.observed
    );
    // Without a requester the line cannot be checked.
    let r = play_on(&config("true"), &identity("inv", "inv", &["reply stock.check"], &[])).await;
    assert_eq!(outcome(&r, "reply stock.check"), Outcome::NotChecked, "{}", render_human(&r));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overlapping_subscription_lines_each_have_a_connection_and_a_refusal_of_their_own() {
    // `c` may subscribe to `jobs.>` but not as a `workers` queue member. Its three lines cover
    // one another; each is played on its own connection, so the queue line's `-ERR` is its own,
    // and a message published `-> c` arrives whichever of them covers it.
    let contract = identity("c", "c", &["subscribe jobs.>", "subscribe jobs.new"], &["queue jobs.> workers"])
        + &identity("a", "a", &["publish jobs.new -> c", "publish jobs.old -> c"], &[]);
    let r = play(&contract).await;
    let human = render_human(&r);
    for line in [
        "subscribe jobs.>",
        "subscribe jobs.new",
        "queue jobs.> workers",
        "publish jobs.new -> c",
        "publish jobs.old -> c",
    ] {
        assert_eq!(outcome(&r, line), Outcome::Holds, "{line}\n{human}");
    }
    // The same lines where the config denies `jobs.new`: that line breaks, with its own refusal,
    // and the line that covers it still holds.
    let narrowed = CONFIG.replace(
        r#"subscribe: { allow: ["jobs.>"], deny: ["jobs.> workers"] }"#,
        r#"subscribe: { allow: ["jobs.>"], deny: ["jobs.> workers", "jobs.new"] }"#,
    );
    assert_ne!(narrowed, CONFIG);
    let r = play_on(&narrowed, &contract).await;
    let human = render_human(&r);
    let line = r.lines.iter().find(|l| l.line.text == "subscribe jobs.new").expect("line");
    assert_eq!(line.outcome, Outcome::Broken, "{human}");
    assert_eq!(line.observed, "refused: Permissions Violation for Subscription to \"jobs.new\"", "{human}");
    assert_eq!(outcome(&r, "subscribe jobs.>"), Outcome::Holds, "{human}");
    assert_eq!(outcome(&r, "queue jobs.> workers"), Outcome::Holds, "{human}");
}
