//! State shared by the proxy handle, the accept loop and every connection.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::watch;

use super::barrier::Barriers;
use super::recorder::Recorder;
use super::registry::Registry;
use super::shaping::Rule;
use super::spec::ToxicSpec;
use super::tls::TapTls;

/// One proxy's shared state.
#[derive(Debug)]
pub(crate) struct Shared {
    upstream: Mutex<SocketAddr>,
    pub(crate) registry: Registry<ToxicSpec>,
    /// The installed shaping rules.
    pub(crate) rules: Registry<Rule>,
    pub(crate) recorder: Recorder,
    /// Bumped to close every open connection.
    pub(crate) reset: watch::Sender<u64>,
    /// Open connections that take barrier requests.
    pub(crate) barriers: Barriers,
    /// TLS for new connections, when the client speaks it.
    tls: Mutex<Option<Arc<TapTls>>>,
}

impl Shared {
    pub(crate) fn new(upstream: SocketAddr) -> Self {
        Shared {
            upstream: Mutex::new(upstream),
            registry: Registry::new(),
            rules: Registry::new(),
            recorder: Recorder::new(),
            reset: watch::Sender::new(0),
            barriers: Barriers::default(),
            tls: Mutex::new(None),
        }
    }

    fn upstream_slot(&self) -> MutexGuard<'_, SocketAddr> {
        self.upstream.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Where new connections go.
    pub(crate) fn upstream(&self) -> SocketAddr {
        *self.upstream_slot()
    }

    pub(crate) fn set_upstream(&self, addr: SocketAddr) {
        *self.upstream_slot() = addr;
    }

    /// TLS for new connections.
    pub(crate) fn tls(&self) -> Option<Arc<TapTls>> {
        self.tls.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    pub(crate) fn set_tls(&self, tls: Option<TapTls>) {
        *self.tls.lock().unwrap_or_else(PoisonError::into_inner) = tls.map(Arc::new);
    }

    /// Closes every open connection.
    pub(crate) fn reset_all(&self) {
        self.reset.send_modify(|generation| *generation = generation.wrapping_add(1));
    }
}
