//! Keeps the [`WireLog`] and broadcasts [`WireEvent`]s.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use tokio::sync::broadcast;

use super::scanner::Sighting;
use super::shaping::Firing;
use super::spec::Stream;
use super::wire::{ClosedBy, ConnRecord, ServerErr, ShapedFrame, WireEvent, WireLog};

/// Events kept for a slow receiver before it lags.
const EVENT_CAPACITY: usize = 4096;
/// `-ERR` lines kept per connection; later ones are counted out.
const MAX_ERRORS_PER_CONNECTION: usize = 1024;
/// Rule firings kept per connection; later ones are still announced as events.
const MAX_SHAPED_PER_CONNECTION: usize = 1024;

/// The shared wire log of one proxy.
#[derive(Debug)]
pub(crate) struct Recorder {
    log: Mutex<WireLog>,
    events: broadcast::Sender<WireEvent>,
}

impl Recorder {
    pub(crate) fn new() -> Self {
        Recorder { log: Mutex::new(WireLog::default()), events: broadcast::Sender::new(EVENT_CAPACITY) }
    }

    fn log(&self) -> MutexGuard<'_, WireLog> {
        // A panic elsewhere while holding the lock leaves a usable log.
        self.log.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn emit(&self, event: WireEvent) {
        // No receiver is fine: nobody is waiting.
        let _ = self.events.send(event);
    }

    /// Records a newly accepted connection and returns its id.
    pub(crate) fn open(&self) -> u64 {
        let id = {
            let mut log = self.log();
            let id = log.connections.len() as u64 + 1;
            log.connections.push(ConnRecord::new(id, Instant::now()));
            id
        };
        self.emit(WireEvent::ConnectionOpened { id });
        id
    }

    /// Records protocol lines about to be forwarded in direction `stream`.
    pub(crate) fn saw(&self, id: u64, stream: Stream, sightings: Vec<Sighting>) {
        if sightings.is_empty() {
            return;
        }
        let now = Instant::now();
        let mut events = Vec::new();
        {
            let mut log = self.log();
            let Some(rec) = log.connections.iter_mut().rev().find(|c| c.id == id) else {
                return;
            };
            for sighting in sightings {
                let counts = match stream {
                    Stream::Upstream => &mut rec.from_client,
                    Stream::Downstream => &mut rec.from_server,
                };
                match sighting {
                    Sighting::Ping => counts.pings += 1,
                    Sighting::Pong => counts.pongs += 1,
                    Sighting::Info => rec.infos += 1,
                    Sighting::Op { .. } => {}
                    Sighting::Connect { name } => {
                        rec.connect_seen = true;
                        rec.client_name.clone_from(&name);
                        events.push(WireEvent::ConnectSeen { id, name });
                    }
                    Sighting::Err(text) => {
                        if rec.server_errors.len() < MAX_ERRORS_PER_CONNECTION {
                            rec.server_errors.push(ServerErr { text: text.clone(), at: now });
                        }
                        events.push(WireEvent::ServerErr { id, text });
                    }
                }
            }
        }
        for event in events {
            self.emit(event);
        }
    }

    /// Records the rules that fired on a frame travelling `stream`.
    pub(crate) fn shaped(&self, id: u64, stream: Stream, fired: Vec<Firing>) {
        if fired.is_empty() {
            return;
        }
        let at = Instant::now();
        let rules: Vec<String> = fired.iter().map(|f| f.rule.clone()).collect();
        {
            let mut log = self.log();
            let Some(rec) = log.connections.iter_mut().rev().find(|c| c.id == id) else {
                return;
            };
            for f in fired {
                if rec.shaped.len() < MAX_SHAPED_PER_CONNECTION {
                    rec.shaped.push(ShapedFrame { rule: f.rule, action: f.action, frame: f.frame, stream, at });
                }
            }
        }
        for rule in rules {
            self.emit(WireEvent::Shaped { id, rule });
        }
    }

    /// Records the compression one side offered in its `INFO`; returns whether the connection
    /// now compresses (it is then recorded as unreadable).
    pub(crate) fn compression(&self, id: u64, stream: Stream, mode: String) -> bool {
        let mut log = self.log();
        let Some(rec) = log.connections.iter_mut().rev().find(|c| c.id == id) else { return false };
        rec.compression[usize::from(stream == Stream::Downstream)] = Some(mode);
        let [Some(a), Some(b)] = &rec.compression else { return false };
        if !super::shaping::compresses(a, b) {
            return false;
        }
        rec.blind = Some(format!("the link compresses ({a} and {b} offered): no frame after the INFOs can be read"));
        true
    }

    /// Whether the tap cannot read connection `id`.
    pub(crate) fn is_blind(&self, id: u64) -> bool {
        self.log().connections.iter().rev().find(|c| c.id == id).is_some_and(|c| c.blind.is_some())
    }

    /// Records that the tap cannot read inside connection `id`'s TLS, and why.
    pub(crate) fn blind(&self, id: u64, why: &str) {
        let mut log = self.log();
        if let Some(rec) = log.connections.iter_mut().rev().find(|c| c.id == id) {
            rec.blind = Some(why.to_string());
        }
    }

    /// Records the end of a connection; the first call wins.
    pub(crate) fn close(&self, id: u64, by: ClosedBy) {
        {
            let mut log = self.log();
            let Some(rec) = log.connections.iter_mut().rev().find(|c| c.id == id) else {
                return;
            };
            if rec.closed_by.is_some() {
                return;
            }
            rec.closed_at = Some(Instant::now());
            rec.closed_by = Some(by.clone());
        }
        self.emit(WireEvent::ConnectionClosed { id, by });
    }

    /// A copy of the log.
    pub(crate) fn snapshot(&self) -> WireLog {
        self.log().clone()
    }

    /// A receiver of the events from now on.
    pub(crate) fn subscribe(&self) -> broadcast::Receiver<WireEvent> {
        self.events.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_sightings_and_the_first_close() {
        let recorder = Recorder::new();
        let mut events = recorder.subscribe();
        let id = recorder.open();
        recorder.saw(id, Stream::Upstream, vec![Sighting::Connect { name: Some("c1".into()) }, Sighting::Ping]);
        recorder.saw(id, Stream::Downstream, vec![Sighting::Info, Sighting::Err("boom".into()), Sighting::Pong]);
        recorder.close(id, ClosedBy::Server);
        recorder.close(id, ClosedBy::Client);
        let log = recorder.snapshot();
        let rec = log.connection(id).expect("recorded");
        assert_eq!(rec.client_name.as_deref(), Some("c1"));
        assert_eq!((rec.from_client.pings, rec.from_server.pongs, rec.infos), (1, 1, 1));
        assert!(rec.has_error("boom"));
        assert_eq!(rec.closed_by, Some(ClosedBy::Server));
        let seen: Vec<_> = std::iter::from_fn(|| events.try_recv().ok()).collect();
        assert_eq!(
            seen,
            vec![
                WireEvent::ConnectionOpened { id },
                WireEvent::ConnectSeen { id, name: Some("c1".into()) },
                WireEvent::ServerErr { id, text: "boom".into() },
                WireEvent::ConnectionClosed { id, by: ClosedBy::Server },
            ]
        );
    }
}
