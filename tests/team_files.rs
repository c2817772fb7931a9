//! Scenarios on a team's own files: `config-file` with includes and `password-file`, `creds-file`
//! clients; a missing file is a problem at its key; the secrets of every file stay out of reports.

mod support;

use natsfault::backend::ProcessBackend;
use natsfault::redact::scenario_secrets;
use natsfault::report::{Status, human, json};
use natsfault::runner::play;
use natsfault::spec::{load_file, load_str};

fn scenario_text(config: &str, password_file: &str, publish: &str) -> String {
    format!(
        r#"name = "orders on the team's config"
cause = "permissions"
summary = "the team's config with its include; the orders service publishes"

[server]
config-file = "{config}"

[clients.orders]
user = "orders"
password-file = "{password_file}"

[[steps]]
do = "connect"
client = "orders"

[[steps]]
do = "publish"
client = "orders"
subject = "{publish}"
expect = {{ server-err = 'Permissions Violation for Publish to "{publish}"' }}

[fix]
summary = "publish orders"
replace = [{{ from = "shop-nats-1", to = "shop-nats-2" }}]
"#
    )
}

#[test]
fn the_secrets_of_included_files_and_creds_files_are_registered() {
    let root = support::root();
    let config = root.join("fixtures/team/config/nats.conf");
    let pass = root.join("fixtures/team/config/secrets/orders.pass");
    let text = scenario_text(&config.display().to_string(), &pass.display().to_string(), "billing.charge");
    let s = load_str(&root.join("x.toml"), &text).unwrap_or_else(|e| panic!("{}", e.plain()));
    let secrets = scenario_secrets(&s);
    for literal in ["orders-pass-7f3a", "billing-pass-9c1d", "auditor-pass-5e0f"] {
        assert!(secrets.iter().any(|x| x == literal), "{literal} registered");
    }
    let operator = load_file(&root.join("scenarios/team-files/operator-creds-file.toml")).expect("loads");
    let creds = std::fs::read_to_string(root.join("fixtures/team/operator/creds/billing.creds")).expect("creds");
    let (_, seed) = natsfault::credentials::parse_creds(&creds).expect("parses");
    assert!(scenario_secrets(&operator).contains(&seed), "the creds file's seed is registered");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_scenario_on_team_files_shows_no_secret() {
    let root = support::root();
    let config = root.join("fixtures/team/config/nats.conf");
    let pass = root.join("fixtures/team/config/secrets/orders.pass");
    // `orders.created` is allowed: the broken phase's expectation fails on purpose.
    let text = scenario_text(&config.display().to_string(), &pass.display().to_string(), "orders.created");
    let s = load_str(&root.join("x.toml"), &text).unwrap_or_else(|e| panic!("{}", e.plain()));
    let report = play(&s, &ProcessBackend, support::version()).await.expect("plays");
    assert_eq!(report.status, Status::Failed);
    let shown = human::failure_details(&report) + &json::render(std::slice::from_ref(&report));
    assert!(shown.contains("Permissions Violation for Publish to"), "{shown}");
    for literal in ["orders-pass-7f3a", "billing-pass-9c1d", "inventory-pass-2b8e"] {
        assert!(!shown.contains(literal), "{literal} in {shown}");
    }
}

#[test]
fn missing_files_are_problems_at_their_keys() {
    let text = scenario_text("no/such/nats.conf", "no/such.pass", "billing.charge");
    let e = load_str("team/x.toml".as_ref(), &text).unwrap_err();
    let plain = e.plain();
    assert!(
        plain.contains("team/x.toml:6:15: `config-file`: cannot read config `team/no/such/nats.conf`: no such file"),
        "{plain}"
    );
    assert!(plain.contains("team/x.toml:10:17: "), "{plain}");
    let both = text.replace("[server]\n", "[server]\nconfig = 'port: 1'\n");
    let e = load_str("x.toml".as_ref(), &both).unwrap_err();
    assert!(e.plain().contains("expected one of `config` and `config-file`, found both"), "{}", e.plain());
}
