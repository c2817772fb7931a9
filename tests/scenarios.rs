//! Every scenario file under `scenarios/` is its own test: the broken phase must fail the way
//! the file says, and the fixed phase must succeed.

mod support;

use std::path::PathBuf;

use natsfault::backend::ProcessBackend;
use natsfault::report::{Status, human};
use natsfault::runner::play;
use natsfault::spec::load_file;
use rstest::rstest;

#[rstest]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenario_on_process(#[files("scenarios/**/*.toml")] path: PathBuf) {
    let path = support::relative(&path);
    let scenario = match load_file(&support::root().join(&path)) {
        Ok(s) => s,
        Err(e) => panic!("{:?}", miette::Report::new(e)),
    };
    let mut scenario = scenario;
    scenario.path = path;
    let report =
        play(&scenario, &ProcessBackend, support::version()).await.unwrap_or_else(|e| panic!("natsfault: {e}"));
    if report.status == Status::Failed {
        panic!("{}", human::failure_details(&report));
    }
}
