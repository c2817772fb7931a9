//! Choosing the host port a container's client port is published on.
//!
//! The port is fixed when the container is created, so `client_addr()` survives `restart`: the
//! engine gives an ephemeral mapping (`127.0.0.1::4222`) a new port on every start (Docker 20.10
//! allocates them in sequence). It is taken below the kernel's ephemeral range, where neither
//! the process backend (`-p -1`) nor the engine's own ephemeral mappings land, and checked free
//! by binding it; if something still takes it before the engine binds, starting fails with a
//! port conflict and the backend retries with another port.

use std::net::{Ipv4Addr, TcpListener};
use std::ops::Range;
use std::time::{SystemTime, UNIX_EPOCH};

/// Ports tried when the kernel's ephemeral range cannot be read or leaves too little below it.
const FALLBACK: Range<u16> = 20000..32768;
/// How many candidates are checked before giving up.
const CANDIDATES: u32 = 64;

/// A port on 127.0.0.1 that was free a moment ago, below the ephemeral range.
pub(crate) fn choose_host_port() -> std::io::Result<u16> {
    let range = candidate_range();
    let span = u32::from(range.end - range.start);
    let mut x = seed();
    for _ in 0..CANDIDATES {
        // xorshift: cheap, and different in every process and call.
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let port = range.start + (x % u64::from(span)) as u16;
        if crate::backend::claim_port(port) && TcpListener::bind((Ipv4Addr::LOCALHOST, port)).is_ok() {
            return Ok(port);
        }
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::AddrInUse,
        format!("no free port on 127.0.0.1 among {CANDIDATES} tried in {}..{}", range.start, range.end),
    ))
}

/// From 10000 up to the start of the kernel's ephemeral range (`ip_local_port_range`).
fn candidate_range() -> Range<u16> {
    let low = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|n| n.parse::<u16>().ok()));
    match low {
        Some(l) if l > 11000 => 10000..l,
        _ => FALLBACK,
    }
}

fn seed() -> u64 {
    static CALLS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let t = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64);
    (t ^ (u64::from(std::process::id()) << 32) ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15)) | 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chooses_free_ports_below_the_ephemeral_range() {
        let range = candidate_range();
        let ports: Vec<u16> = (0..5).map(|_| choose_host_port().unwrap()).collect();
        assert!(ports.iter().all(|p| range.contains(p)), "{ports:?} in {range:?}");
        assert!(ports.iter().any(|p| *p != ports[0]), "calls should spread: {ports:?}");
        assert!(TcpListener::bind((Ipv4Addr::LOCALHOST, ports[0])).is_ok());
    }
}
