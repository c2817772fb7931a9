//! Every scenario file under `scenarios/` is its own test, on each backend: the broken phase
//! must fail the way the file says, and the fixed phase must succeed.

mod support;

use std::path::PathBuf;

use natsfault::backend::{Backend, ProcessBackend};
use natsfault::report::{Status, human};
use natsfault::runner::play;
use natsfault::spec::load_file;
use rstest::rstest;

#[rstest]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenario(#[files("scenarios/**/*.toml")] path: PathBuf, #[values("process", "container")] backend: &str) {
    let relative = support::relative(&path);
    let mut scenario = load_file(&path).unwrap_or_else(|e| panic!("{:?}", miette::Report::new(e)));
    scenario.path = relative.clone();
    let container;
    let backend: &dyn Backend = match backend {
        "process" => &ProcessBackend,
        _ => match support::container_backend(&relative.display().to_string()).await {
            Some(b) => {
                container = b;
                &container
            }
            None => return,
        },
    };
    let report = play(&scenario, backend, support::version()).await.unwrap_or_else(|e| panic!("natsfault: {e}"));
    if report.status == Status::Failed {
        panic!("{}", human::failure_details(&report));
    }
}

/// A fixed phase proves its fix: with the fix taken out (the broken config and clients played in
/// the fixed phase), it fails. For failures that come with time (an expiry while connected), the
/// fixed phase must outlive what the broken phase waited for.
#[rstest]
#[case::expiry_and_reconnect("scenarios/clients/auth-expired-reconnect.toml")]
#[case::expiry_while_connected("scenarios/jwt-invalid/expires-while-connected.toml")]
#[case::outside_connect_window("scenarios/jwt-invalid/outside-connect-window.toml")]
#[case::account_default_permissions("scenarios/account-claim/default-permissions-deny.toml")]
#[case::callout_jwt_expiry("scenarios/auth-endpoint/callout-jwt-expires.toml")]
#[case::new_connection_per_disconnect("scenarios/auth-endpoint/new-connection-per-disconnect.toml")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fixed_phase_fails_without_its_fix(#[case] file: &str) {
    let mut scenario =
        load_file(&support::root().join(file)).unwrap_or_else(|e| panic!("{:?}", miette::Report::new(e)));
    let fix = scenario.fix.as_mut().expect("a fix");
    assert!(fix.config.is_none() && fix.replace.is_empty(), "the fix changes identities, clients or the endpoint");
    fix.users.clear();
    fix.auth_endpoint = None;
    fix.accounts.clear();
    fix.clients.clear();
    let report =
        play(&scenario, &ProcessBackend, support::version()).await.unwrap_or_else(|e| panic!("natsfault: {e}"));
    let fixed_failures = report.failures().filter(|(p, _)| *p == natsfault::spec::Phase::Fixed).count();
    assert!(fixed_failures > 0, "the fixed phase passes without its fix:\n{}", human::failure_details(&report));
}
