//! Running a diagnosis, checking it, and playing the scenario it emits.

use std::path::{Path, PathBuf};

use natsfault::backend::{DEFAULT_VERSION, ProcessBackend, resolve_version};
use natsfault::diagnose::emit::scenario;
use natsfault::diagnose::input::Prepared;
use natsfault::diagnose::render::{human, json};
use natsfault::diagnose::{Credentials, DiagnoseInput, Diagnosis, Operation, ServerState, diagnose_prepared};
use natsfault::report::Status;
use natsfault::runner::play;
use natsfault::spec::load_str;

/// A file under `fixtures/diagnose/`.
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/diagnose").join(rel)
}

/// An input with the default version and a running server.
pub fn input(config: &Path, credentials: Credentials, operations: Vec<Operation>) -> DiagnoseInput {
    let version = std::env::var("NATSFAULT_SERVER_VERSION").unwrap_or_else(|_| DEFAULT_VERSION.to_string());
    DiagnoseInput {
        config: config.to_path_buf(),
        credentials,
        operations,
        version: resolve_version(&version).expect("a pinned version"),
        server_state: ServerState::Up,
        tls: Default::default(),
        library: natsfault::spec::Library::AsyncNats,
        door: Default::default(),
    }
}

/// `user` and `password`.
pub fn user(user: &str, password: &str) -> Credentials {
    Credentials::UserPassword { user: user.into(), password: password.into() }
}

/// Runs the diagnosis; checks the verdict name, that no secret shows in human or JSON output.
pub async fn run(input: &DiagnoseInput, verdict: &str, secrets: &[&str]) -> (Diagnosis, Prepared) {
    let (d, p) = diagnose_prepared(input).await.unwrap_or_else(|e| panic!("diagnose failed: {e}"));
    let text = human(&d);
    let js = json(&d).to_string();
    assert_eq!(d.verdict.name(), verdict, "{text}");
    for s in secrets {
        assert!(!text.contains(s) && !js.contains(s), "secret `{s}` in the output:\n{text}");
    }
    assert_eq!(json(&d)["verdict"], verdict);
    (d, p)
}

/// The fix text, which must mention each of `needles`.
pub fn fix_mentions(d: &Diagnosis, needles: &[&str]) {
    let fix = d.fix.clone().unwrap_or_default();
    for n in needles {
        assert!(fix.contains(n), "fix does not mention `{n}`: {fix}");
    }
}

/// Emits the scenario, checks it holds none of `secrets`, and plays it: both phases must pass.
pub async fn emitted_scenario_passes(p: &Prepared, d: &Diagnosis, secrets: &[&str]) {
    let text = scenario(p, d).unwrap_or_else(|e| panic!("no scenario: {e}"));
    for s in secrets {
        assert!(!text.contains(s), "secret `{s}` in the scenario:\n{text}");
    }
    let path = Path::new("emitted.toml");
    let scenario = load_str(path, &text).unwrap_or_else(|e| panic!("{:?}\n{text}", miette::Report::new(e)));
    let report = play(&scenario, &ProcessBackend, p.input.version).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.status, Status::Passed, "{}\n{text}", natsfault::report::human::failure_details(&report));
}
