//! Every scenario file under `scenarios/` is its own test, named by its path:
//! `cargo test --test scenarios -- billing` plays the files whose path contains `billing`.

fn main() -> std::process::ExitCode {
    natsfault::run_scenario_tests("scenarios")
}
