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
