//! Every scenario that lists `libraries` is played by each listed library other than async-nats
//! (tests/scenarios.rs plays async-nats), where its driver is installed: each library's
//! observations as the file asserts them. A library whose driver is missing is one `skipped`
//! line; under `CI=true` a failure.

mod support;

use std::io::Write;
use std::path::PathBuf;
use std::sync::OnceLock;

use natsfault::backend::ProcessBackend;
use natsfault::client::driver::program_for;
use natsfault::report::{Status, human};
use natsfault::runner::play;
use natsfault::spec::{Library, Phase, load_file, load_str};
use rstest::rstest;

/// Whether `library`'s driver is installed; says once why not.
fn installed(library: Library) -> bool {
    static SAID: [OnceLock<bool>; Library::ALL.len()] = [const { OnceLock::new() }; Library::ALL.len()];
    let i = Library::ALL.iter().position(|l| *l == library).expect("a known library");
    *SAID[i].get_or_init(|| match program_for(library) {
        Ok(_) => true,
        Err(why) => {
            let ci = std::env::var("CI").unwrap_or_default();
            if ci == "true" || ci == "1" {
                panic!("the {library} driver is missing under CI={ci}: {why}");
            }
            let _ =
                writeln!(std::io::stderr(), "skipped every {library} scenario: {why} (set CI=true to fail instead)");
            false
        }
    })
}

#[rstest]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenario_by_library(
    #[files("scenarios/**/*.toml")] path: PathBuf,
    #[values("nats-py", "nats.go", "nats.c")] library: &str,
) {
    let library: Library = library.parse().expect("a library");
    let relative = support::relative(&path);
    let mut scenario = load_file(&path).unwrap_or_else(|e| panic!("{:?}", miette::Report::new(e)));
    if !scenario.asserted_libraries().contains(&library) || !installed(library) {
        return;
    }
    scenario.path = relative;
    let scenario = scenario.with_library(library);
    let report =
        play(&scenario, &ProcessBackend, support::version()).await.unwrap_or_else(|e| panic!("natsfault: {e}"));
    if report.status == Status::Failed {
        panic!("played with {library}:\n{}", human::failure_details(&report));
    }
}

/// A client pinned to nats-py in a file that lists no `libraries`: its steps are asserted for
/// nats-py, so a connect nats-py could not make (the server is stopped: no `-ERR` tells of it)
/// fails the fixed phase at that step instead of being recorded only.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pinned_library_is_asserted_without_libraries() {
    if !installed(Library::NatsPy) {
        return;
    }
    let path = support::root().join("scenarios/clients/nats-py-service-wrong-password.toml");
    let text = std::fs::read_to_string(&path).expect("scenario file");
    let first_step = "[[steps]]\ndo = \"connect\"";
    assert!(text.contains(first_step), "the first step connects");
    let stopped =
        text.replacen(first_step, &format!("[[steps]]\ndo = \"stop-server\"\nonly = \"fixed\"\n\n{first_step}"), 1);
    let scenario = load_str(&path, &stopped).unwrap_or_else(|e| panic!("{:?}", miette::Report::new(e)));
    assert!(scenario.asserted_libraries().is_empty(), "the file lists no `libraries`");
    let report =
        play(&scenario, &ProcessBackend, support::version()).await.unwrap_or_else(|e| panic!("natsfault: {e}"));
    let first = report.failures().find(|(phase, _)| *phase == Phase::Fixed).map(|(_, f)| f);
    let first = first.unwrap_or_else(|| panic!("the fixed phase fails:\n{}", human::failure_details(&report)));
    assert_eq!((first.step, first.expectation.as_str()), (Some(2), "success"), "{first:?}");
}

/// `diagnose --library`: the customer's case played through their library, classified the same
/// way, with the library named.
#[rstest]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diagnose_plays_the_customers_library(#[values("nats-py", "nats.go", "nats.c")] library: &str) {
    use natsfault::diagnose::{Credentials, DiagnoseInput, Operation, ServerState, diagnose_prepared};
    let library: Library = library.parse().expect("a library");
    if !installed(library) {
        return;
    }
    let input = DiagnoseInput {
        config: support::root().join("fixtures/diagnose/permissions/publish-outside-allow.conf"),
        credentials: Credentials::UserPassword { user: "analytics".into(), password: "Zq8-analytics-pw".into() },
        operations: vec![Operation::Publish("analytics.events".into())],
        version: support::version(),
        server_state: ServerState::Up,
        tls: Default::default(),
        library,
        door: Default::default(),
    };
    let (d, _) = diagnose_prepared(&input).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(d.detail, "publish-denied", "{d:?}");
    assert!(d.library.as_deref().is_some_and(|l| l.starts_with(library.as_str())), "{:?}", d.library);
    assert!(d.summary.contains(&format!("{library} succeeds with the call")), "{}", d.summary);
}

/// A library that cannot play a scenario at all is `n/a` with the reason, not a failure: nats.c
/// has no websocket transport, and neither nats.go 1.22 nor nats.c can start TLS first. Nothing
/// is started, so no driver needs to be installed.
#[rstest]
#[case("scenarios/websocket/no-credentials-fails-fast.toml", "nats.c", "nats.c has no websocket transport")]
#[case("scenarios/tls/tls-first-against-info-first.toml", "nats.go", "cannot start TLS before the server's INFO")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_library_that_cannot_play_a_scenario_is_not_applicable(
    #[case] file: &str,
    #[case] library: &str,
    #[case] why: &str,
) {
    let library: Library = library.parse().expect("a library");
    let scenario = load_file(&support::root().join(file)).unwrap_or_else(|e| panic!("{:?}", miette::Report::new(e)));
    let report = play(&scenario.with_library(library), &ProcessBackend, support::version())
        .await
        .unwrap_or_else(|e| panic!("natsfault: {e}"));
    assert_eq!(report.status, Status::NotApplicable, "{}", human::failure_details(&report));
    assert!(report.reason.as_deref().is_some_and(|r| r.contains(why)), "{:?}", report.reason);
    assert!(human::line(&report).contains(why), "{}", human::line(&report));
}
