//! Entry point: parse arguments, run the subcommand, exit with its code.

use clap::Parser;

use super::args::{Cli, Command};
use super::{auth_bridge, bench, contract, diagnose, exit, list, matrix, run, verify};

/// Runs the CLI and exits the process.
pub fn main() -> ! {
    // Die quietly when stdout is closed (`natsfault run | head`), like other Unix tools; servers
    // still stop, through their parent-death signal.
    // SAFETY: restoring the default disposition of SIGPIPE before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    let code = match cli.command {
        Command::List(a) => list::list(a),
        Command::Check(a) => list::check(a),
        Command::Run(a) => block_on(run::run(a)),
        Command::Matrix(a) => block_on(matrix::matrix(a)),
        Command::AuthBridge(a) => block_on(auth_bridge::auth_bridge(a)),
        Command::Bench(a) => block_on(bench::bench(a)),
        Command::Diagnose(a) => block_on(diagnose::diagnose(*a)),
        Command::Verify(a) => block_on(verify::verify(a)),
        Command::Contract(a) => contract::contract(a),
    };
    std::process::exit(code)
}

/// Runs a subcommand on a multi-threaded runtime; returns its exit code.
fn block_on(work: impl std::future::Future<Output = i32>) -> i32 {
    match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => {
            let code = rt.block_on(work);
            rt.shutdown_timeout(std::time::Duration::from_secs(5));
            code
        }
        Err(e) => {
            eprintln!("natsfault: cannot start the async runtime: {e}");
            exit::ENVIRONMENT
        }
    }
}
