//! A listener on 127.0.0.2, standing for a remote host, that counts the connections it accepts
//! until dropped (at most [`LIMIT`]): proof from outside natsfault that nothing dialled it.

use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The longest a canary listens.
pub const LIMIT: Duration = Duration::from_secs(90);

/// A counting listener on 127.0.0.2.
pub struct Canary {
    /// Its port.
    pub port: u16,
    count: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl Canary {
    /// A canary on a port of its own.
    pub fn start() -> Canary {
        Canary::at(0).expect("bind 127.0.0.2 (loopback)")
    }

    /// A canary on `port` (0: any), or `None` when the port is taken.
    pub fn at(port: u16) -> Option<Canary> {
        let listener = TcpListener::bind(("127.0.0.2", port)).ok()?;
        listener.set_nonblocking(true).ok()?;
        let port = listener.local_addr().ok()?.port();
        let (count, stop) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicBool::new(false)));
        let (c, s) = (count.clone(), stop.clone());
        std::thread::spawn(move || {
            let began = Instant::now();
            while !s.load(Ordering::SeqCst) && began.elapsed() < LIMIT {
                match listener.accept() {
                    Ok(_) => {
                        c.fetch_add(1, Ordering::SeqCst);
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(2)),
                }
            }
        });
        Some(Canary { port, count, stop })
    }

    /// The connections accepted so far.
    pub fn connections(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }
}

impl Drop for Canary {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}
