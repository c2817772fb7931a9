//! Reading a client's wire tap: the `-ERR` lines the server sent and the connections made.

use std::time::{Duration, Instant};

use tokio::sync::broadcast::error::RecvError;

use crate::proxy::{Proxy, ServerErr};

/// Every `-ERR` the server sent through `tap` at or after `since`.
pub fn errs_since(tap: &Proxy, since: Instant) -> Vec<ServerErr> {
    let mut v: Vec<ServerErr> =
        tap.wire().server_errors().filter(|(_, e)| e.at >= since).map(|(_, e)| e.clone()).collect();
    v.sort_by_key(|e| e.at);
    v
}

/// The first `-ERR` at or after `since` whose text satisfies `pred`, waiting up to `within`.
pub async fn wait_err(tap: &Proxy, since: Instant, within: Duration, pred: impl Fn(&str) -> bool) -> Option<ServerErr> {
    let deadline = Instant::now() + within;
    let mut rx = tap.events();
    loop {
        if let Some(e) = errs_since(tap, since).into_iter().find(|e| pred(&e.text)) {
            return Some(e);
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return None;
        }
        match tokio::time::timeout(left, rx.recv()).await {
            Ok(Ok(_)) | Ok(Err(RecvError::Lagged(_))) => {}
            Ok(Err(RecvError::Closed)) | Err(_) => {
                return errs_since(tap, since).into_iter().find(|e| pred(&e.text));
            }
        }
    }
}
