//! Entry point: parse arguments, run the subcommand, exit with its code.

use clap::Parser;

use super::args::{Cli, Command};
use super::{auth_bridge, bench, bisect, contract, diagnose, exit, list, matrix, run, verify, versions};

/// Runs the CLI and exits the process.
pub fn main() -> ! {
    quiet_on_closed_stdout();
    let cli = Cli::parse();
    let code = match cli.command {
        Command::List(a) => list::list(a),
        Command::Check(a) => list::check(a),
        Command::Run(a) => block_on(run::run(a)),
        Command::Matrix(a) => block_on(matrix::matrix(a)),
        Command::Bisect(a) => block_on(bisect::bisect_command(a)),
        Command::Versions(a) => versions::versions(a),
        Command::AuthBridge(a) => block_on(auth_bridge::auth_bridge(a)),
        Command::Bench(a) => block_on(bench::bench(a)),
        Command::Diagnose(a) => block_on(diagnose::diagnose(*a)),
        Command::Verify(a) => block_on(verify::verify(a)),
        Command::Contract(a) => contract::contract(a),
    };
    std::process::exit(code)
}

/// Dies quietly when stdout is closed (`natsfault run | head`), like other Unix tools (servers
/// still stop, through their parent-death signal), and only then: a client library writing to
/// a socket the server has closed raises SIGPIPE too (async-nats writing `UNSUB` after an auth
/// refusal), which must not kill a run. A handler is written by hand here because no crate
/// tells one SIGPIPE from another: it asks whether stdout's reader is gone (`poll` reports
/// `POLLERR` on a pipe without a reader; both calls are async-signal-safe) and only then takes
/// the default action; otherwise the write fails with `EPIPE`, which the socket's owner handles.
fn quiet_on_closed_stdout() {
    extern "C" fn on_sigpipe(_: libc::c_int) {
        let mut fd = libc::pollfd { fd: libc::STDOUT_FILENO, events: libc::POLLOUT, revents: 0 };
        // SAFETY: poll on one valid pollfd, then the default action for this signal; both are
        // async-signal-safe.
        unsafe {
            if libc::poll(&mut fd, 1, 0) == 1 && fd.revents & (libc::POLLERR | libc::POLLHUP) != 0 {
                libc::signal(libc::SIGPIPE, libc::SIG_DFL);
                libc::raise(libc::SIGPIPE);
            }
        }
    }
    // SAFETY: installing a handler before any thread starts; the handler only calls
    // async-signal-safe functions.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_sigpipe as *const () as usize;
        action.sa_flags = libc::SA_RESTART;
        libc::sigemptyset(&mut action.sa_mask);
        libc::sigaction(libc::SIGPIPE, &action, std::ptr::null_mut());
    }
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
