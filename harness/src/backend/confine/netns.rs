//! A network namespace of natsfault's own, holding only a loopback interface, and a thread that
//! lives in it to open connections there.
//!
//! Written by hand because no maintained crate creates a namespace for one thread and dials from
//! it: `unshare(CLONE_NEWNET)` affects only the calling thread, so one dedicated thread enters
//! the namespace at birth and serves connect requests for the rest of the harness, whose runtime
//! threads stay in the host's namespace. A socket keeps the namespace it was created in, so the
//! streams it returns work from any thread.

use std::fs::File;
use std::io;
use std::net::{SocketAddr, TcpStream};
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::sync::mpsc;
use std::time::Duration;

use tokio::sync::oneshot;

/// How long one connect inside the namespace may take (loopback: refused or accepted at once).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

struct DialRequest {
    addr: SocketAddr,
    reply: oneshot::Sender<io::Result<TcpStream>>,
}

/// A private network namespace with `lo` up and nothing else; dropped, its thread ends and the
/// kernel frees the namespace once no process is left in it.
pub(crate) struct NetNs {
    fd: OwnedFd,
    dial: mpsc::Sender<DialRequest>,
}

impl std::fmt::Debug for NetNs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NetNs").field("fd", &self.fd.as_raw_fd()).finish()
    }
}

impl NetNs {
    /// Creates the namespace (needs `CAP_SYS_ADMIN`: root, here); the error says why it could not.
    pub(crate) fn create() -> Result<NetNs, String> {
        let (ready_tx, ready_rx) = mpsc::channel::<Result<OwnedFd, String>>();
        let (dial_tx, dial_rx) = mpsc::channel::<DialRequest>();
        std::thread::Builder::new()
            .name("natsfault-netns".into())
            .spawn(move || match enter_new_namespace() {
                Ok(fd) => {
                    let _ = ready_tx.send(Ok(fd));
                    for req in dial_rx {
                        let _ = req.reply.send(TcpStream::connect_timeout(&req.addr, CONNECT_TIMEOUT));
                    }
                }
                Err(e) => {
                    let _ = ready_tx.send(Err(e));
                }
            })
            .map_err(|e| format!("cannot start the namespace thread: {e}"))?;
        let fd = ready_rx.recv().map_err(|_| "the namespace thread ended before it was ready".to_string())??;
        Ok(NetNs { fd, dial: dial_tx })
    }

    /// The namespace's file descriptor, for `setns` in a child process.
    pub(crate) fn raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }

    /// Opens a TCP connection to `addr` inside the namespace.
    pub(crate) async fn connect(&self, addr: SocketAddr) -> io::Result<tokio::net::TcpStream> {
        let (reply, answer) = oneshot::channel();
        self.dial
            .send(DialRequest { addr, reply })
            .map_err(|_| io::Error::other("the namespace's dial thread is gone"))?;
        let std_stream = answer.await.map_err(|_| io::Error::other("the namespace's dial thread is gone"))??;
        std_stream.set_nonblocking(true)?;
        tokio::net::TcpStream::from_std(std_stream)
    }
}

/// Moves the calling thread into a new network namespace, brings `lo` up, and returns a handle.
fn enter_new_namespace() -> Result<OwnedFd, String> {
    // SAFETY: unshare(2) changes only the calling thread's namespaces; no memory is touched.
    if unsafe { libc::unshare(libc::CLONE_NEWNET) } != 0 {
        return Err(format!("unshare(CLONE_NEWNET): {}", io::Error::last_os_error()));
    }
    loopback_up().map_err(|e| format!("bring up `lo` in the new namespace: {e}"))?;
    let file = File::open("/proc/thread-self/ns/net").map_err(|e| format!("open the namespace handle: {e}"))?;
    Ok(OwnedFd::from(file))
}

/// `ip link set lo up` for the calling thread's namespace, with the classic interface ioctls.
fn loopback_up() -> io::Result<()> {
    // SAFETY: a plain socket call; the descriptor is owned right away.
    let raw = unsafe { libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0) };
    if raw < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `raw` is a fresh descriptor nobody else owns.
    let sock = unsafe { <OwnedFd as std::os::fd::FromRawFd>::from_raw_fd(raw) };
    // SAFETY: ifreq is plain old data; all-zero is a valid value.
    let mut req: libc::ifreq = unsafe { std::mem::zeroed() };
    for (dst, src) in req.ifr_name.iter_mut().zip(b"lo\0") {
        *dst = *src as libc::c_char;
    }
    // SAFETY: SIOCGIFFLAGS/SIOCSIFFLAGS read and write `req`, which lives for both calls.
    unsafe {
        if libc::ioctl(sock.as_raw_fd(), libc::SIOCGIFFLAGS, &mut req) != 0 {
            return Err(io::Error::last_os_error());
        }
        req.ifr_ifru.ifru_flags |= (libc::IFF_UP | libc::IFF_RUNNING) as libc::c_short;
        if libc::ioctl(sock.as_raw_fd(), libc::SIOCSIFFLAGS, &req) != 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}
