//! Sending POSIX signals to a server process.

use super::error::ServerError;

/// The signals the process backend uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signal {
    /// Graceful stop.
    Term,
    /// Immediate kill.
    Kill,
    /// Pause.
    Stop,
    /// Resume.
    Cont,
    /// Reload config.
    Hup,
    /// Lame duck mode.
    Usr2,
}

impl Signal {
    fn raw(self) -> libc::c_int {
        match self {
            Signal::Term => libc::SIGTERM,
            Signal::Kill => libc::SIGKILL,
            Signal::Stop => libc::SIGSTOP,
            Signal::Cont => libc::SIGCONT,
            Signal::Hup => libc::SIGHUP,
            Signal::Usr2 => libc::SIGUSR2,
        }
    }
}

/// Sends `sig` to `pid`.
pub fn send(pid: u32, sig: Signal) -> Result<(), ServerError> {
    let pid = libc::pid_t::try_from(pid).map_err(|_| ServerError::Io {
        context: format!("signal {sig:?}"),
        source: std::io::Error::other("pid out of range"),
    })?;
    // SAFETY: kill(2) has no memory effects; a stale pid yields ESRCH, which is reported.
    let rc = unsafe { libc::kill(pid, sig.raw()) };
    if rc == 0 {
        Ok(())
    } else {
        Err(ServerError::Io {
            context: format!("signal {sig:?} to pid {pid}"),
            source: std::io::Error::last_os_error(),
        })
    }
}

/// How many times a wait interrupted by a signal is retried.
const EINTR_RETRIES: usize = 16;

/// Waits until child `pid` has stopped or exited, at most `within`. `kill(SIGSTOP)` returns
/// before the process stops: the kernel wakes one thread to start the group stop, and under load
/// the other threads of the server can still answer a client for milliseconds. The kernel tells
/// the parent once the last thread stopped; this waits for that report (`waitid(WSTOPPED)`),
/// leaving it in place (`WNOWAIT`) so an exit status stays for the runtime to reap.
pub async fn stopped(pid: u32, within: std::time::Duration) -> Result<(), ServerError> {
    let waited = tokio::time::timeout(within, tokio::task::spawn_blocking(move || wait_stopped(pid))).await;
    let source = match waited {
        Ok(Ok(Ok(()))) => return Ok(()),
        Ok(Ok(Err(e))) => e,
        Ok(Err(join)) => std::io::Error::other(join.to_string()),
        Err(_) => std::io::Error::new(std::io::ErrorKind::TimedOut, format!("not stopped after {within:?}")),
    };
    Err(ServerError::Io { context: format!("wait for pid {pid} to stop"), source })
}

/// Blocks until child `pid` stopped or exited; a child already reaped counts as exited.
fn wait_stopped(pid: u32) -> std::io::Result<()> {
    for _ in 0..EINTR_RETRIES {
        // SAFETY: siginfo_t is plain data; waitid writes into the one we own.
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        // SAFETY: waitid only writes `info`.
        let rc = unsafe {
            libc::waitid(libc::P_PID, libc::id_t::from(pid), &mut info, libc::WSTOPPED | libc::WEXITED | libc::WNOWAIT)
        };
        if rc == 0 {
            return Ok(());
        }
        let e = std::io::Error::last_os_error();
        match e.raw_os_error() {
            Some(libc::EINTR) => continue,
            Some(libc::ECHILD) => return Ok(()),
            _ => return Err(e),
        }
    }
    Err(std::io::Error::new(std::io::ErrorKind::Interrupted, "waitid interrupted too often"))
}

/// Arranges for the child to be killed when the harness dies (Linux `PR_SET_PDEATHSIG`), so a
/// killed test run leaves no server behind.
pub fn kill_with_parent(cmd: &mut tokio::process::Command) {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl is async-signal-safe and touches no memory of the parent.
    unsafe {
        cmd.pre_exec(|| {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}
