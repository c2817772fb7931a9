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
