//! The child side of confinement: before `exec`, the server process joins natsfault's network
//! namespace and gets a private mount view where everything is read-only but its sandbox.
//!
//! Written by hand on libc: the steps must run between `fork` and `exec` (no allocation, no
//! locks), which no crate offers for `mount_setattr(2)`, the one call that makes a whole mount
//! tree read-only at once.

use std::ffi::CString;
use std::io;
use std::os::fd::RawFd;
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;

use tokio::process::Command;

/// `MOUNT_ATTR_RDONLY` from `<linux/mount.h>`.
const MOUNT_ATTR_RDONLY: u64 = 0x0000_0001;

/// `struct mount_attr` from `<linux/mount.h>`.
#[repr(C)]
struct MountAttr {
    attr_set: u64,
    attr_clr: u64,
    propagation: u64,
    userns_fd: u64,
}

/// Makes `cmd`'s process join namespace `netns` and see the file system read-only except the
/// folders in `writable` (its sandbox first). Fails at spawn with the errno the kernel gave.
pub(crate) fn confine_child(cmd: &mut Command, netns: RawFd, writable: &[PathBuf]) -> io::Result<()> {
    let dirs = writable
        .iter()
        .map(|p| CString::new(p.as_os_str().as_bytes()))
        .collect::<Result<Vec<CString>, _>>()
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "a sandbox path holds a NUL byte"))?;
    let root = c"/";
    // SAFETY: the closure runs in the forked child before exec; it only makes system calls on
    // values prepared above (no allocation, no locks), and returns the first error.
    unsafe {
        cmd.pre_exec(move || {
            check(libc::setns(netns, libc::CLONE_NEWNET), "join the network namespace")?;
            check(libc::unshare(libc::CLONE_NEWNS), "make a private mount namespace")?;
            let none = std::ptr::null::<libc::c_char>();
            check(
                libc::mount(none, root.as_ptr(), none, libc::MS_REC | libc::MS_PRIVATE, std::ptr::null()),
                "make mounts private",
            )?;
            // Each writable folder becomes a mount of its own, so it can stay writable below.
            for dir in &dirs {
                check(
                    libc::mount(dir.as_ptr(), dir.as_ptr(), none, libc::MS_BIND | libc::MS_REC, std::ptr::null()),
                    "bind a writable folder",
                )?;
            }
            set_attr(root.as_ptr(), MOUNT_ATTR_RDONLY, 0, "make the file system read-only")?;
            for dir in &dirs {
                set_attr(dir.as_ptr(), 0, MOUNT_ATTR_RDONLY, "make a writable folder writable")?;
            }
            Ok(())
        });
    }
    Ok(())
}

/// `mount_setattr(path, AT_RECURSIVE, {set, clr})`.
///
/// # Safety
/// `path` must point to a NUL-terminated string.
unsafe fn set_attr(path: *const libc::c_char, set: u64, clr: u64, what: &'static str) -> io::Result<()> {
    let attr = MountAttr { attr_set: set, attr_clr: clr, propagation: 0, userns_fd: 0 };
    // SAFETY: `attr` lives across the call and its size is passed; `path` is valid per contract.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_mount_setattr,
            libc::AT_FDCWD,
            path,
            libc::AT_RECURSIVE as libc::c_uint,
            &attr as *const MountAttr,
            std::mem::size_of::<MountAttr>(),
        )
    };
    check(rc as libc::c_int, what)
}

/// The errno of a failed call. Nothing is allocated here (the child of a threaded parent must
/// not), and only the errno reaches the parent anyway; `_what` documents the step.
fn check(rc: libc::c_int, _what: &'static str) -> io::Result<()> {
    if rc == 0 { Ok(()) } else { Err(io::Error::last_os_error()) }
}
