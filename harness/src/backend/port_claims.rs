//! Host ports handed out in this process. Ports are chosen at random and checked free by binding
//! them, but a container's published port is bound by the engine only when it starts: two
//! choices made in between (one scenario's topology plan, another's container, both in one test
//! binary) could pick the same free port, and the second container would fail to start. A port
//! is handed out once per process.

use std::collections::BTreeSet;
use std::sync::Mutex;

static CLAIMED: Mutex<BTreeSet<u16>> = Mutex::new(BTreeSet::new());

/// Claims `port` for this process; `false` when it was handed out before.
pub(crate) fn claim(port: u16) -> bool {
    CLAIMED.lock().unwrap_or_else(|p| p.into_inner()).insert(port)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_port_is_handed_out_once() {
        assert!(super::claim(1));
        assert!(!super::claim(1));
    }
}
