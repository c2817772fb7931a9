//! An async-nats client that records what it observes.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::Duration;

use async_nats::{Client, ConnectOptions, Subscriber};
use futures::{FutureExt, StreamExt};
use tokio::task::JoinHandle;

use super::event::render_event;
use super::failure::ClientFailure;
use crate::observe::Timeline;
use crate::spec::ClientSpec;

/// Default connection timeout (async-nats: 5s), compressed so failing scenarios stay fast.
pub const DEFAULT_CONNECTION_TIMEOUT: Duration = Duration::from_secs(2);
/// How long a flush may wait: async-nats flushes only once it is connected.
pub const FLUSH_TIMEOUT: Duration = Duration::from_secs(2);
/// Default request timeout (async-nats: 10s).
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(1);

/// A received message, as text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Received {
    /// Subject.
    pub subject: String,
    /// Payload as (lossy) UTF-8.
    pub payload: String,
}

/// A connected async-nats client with its event record and subscriptions.
pub struct NatsConn {
    client: Client,
    subs: HashMap<String, Subscriber>,
    responders: Vec<JoinHandle<()>>,
}

/// The connect options a spec asks for. Events go to `events`, rendered.
pub fn connect_options(name: &str, spec: &ClientSpec, events: &Timeline<String>) -> ConnectOptions {
    configure(ConnectOptions::new(), name, spec, events)
}

/// `base` with the options a spec asks for (name, timeouts, reconnects, user, password, token).
/// Events go to `events`, rendered.
pub fn configure(base: ConnectOptions, name: &str, spec: &ClientSpec, events: &Timeline<String>) -> ConnectOptions {
    let ev = events.clone();
    let mut o = base
        .name(spec.name.clone().unwrap_or_else(|| name.to_string()))
        .connection_timeout(spec.connection_timeout.map_or(DEFAULT_CONNECTION_TIMEOUT, |d| d.get()))
        .request_timeout(Some(spec.request_timeout.map_or(DEFAULT_REQUEST_TIMEOUT, |d| d.get())))
        .event_callback(move |e| {
            let ev = ev.clone();
            async move { ev.push(render_event(&e)) }
        });
    if spec.credentials_in_url == Some(true) {
        // The URL carries them (see `driver::ConnectTarget::url`).
    } else if let (Some(u), Some(p)) = (&spec.user, &spec.password) {
        o = o.user_and_password(u.clone(), p.clone());
    } else if let Some(u) = &spec.user {
        o = o.user_and_password(u.clone(), String::new());
    }
    if let Some(t) = &spec.token {
        o = o.token(t.clone());
    }
    if let Some(prefix) = &spec.inbox_prefix {
        o = o.custom_inbox_prefix(prefix.clone());
    }
    if let Some(p) = spec.ping_interval {
        o = o.ping_interval(p.get());
    }
    if let Some(m) = spec.max_reconnects {
        o = o.max_reconnects(usize::try_from(m).unwrap_or(usize::MAX));
    }
    if spec.retry_on_initial_connect == Some(true) {
        o = o.retry_on_initial_connect();
    }
    if let Some(d) = spec.reconnect_delay {
        let d = d.get();
        // async-nats asks for a delay before the very first connect too (attempt 1); the delay
        // is meant between reconnect attempts, so the client's first connect goes at once.
        let first = std::sync::atomic::AtomicBool::new(true);
        o = o.reconnect_delay_callback(move |attempt| {
            if attempt <= 1 && first.swap(false, std::sync::atomic::Ordering::Relaxed) { Duration::ZERO } else { d }
        });
    }
    o
}

impl NatsConn {
    /// Connects to `addr`.
    pub async fn connect(addr: SocketAddr, opts: ConnectOptions) -> Result<NatsConn, ClientFailure> {
        let client =
            opts.connect(format!("nats://{addr}")).await.map_err(|e| ClientFailure::from_nats("connect", &e))?;
        Ok(NatsConn { client, subs: HashMap::new(), responders: Vec::new() })
    }

    /// Connects to `url` (`ws://...`, `wss://...`).
    pub async fn connect_url(url: &str, opts: ConnectOptions) -> Result<NatsConn, ClientFailure> {
        let client = opts.connect(url).await.map_err(|e| ClientFailure::from_nats("connect", &e))?;
        Ok(NatsConn { client, subs: HashMap::new(), responders: Vec::new() })
    }

    /// The underlying client.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Publishes and flushes, so the server has processed the message when this returns.
    pub async fn publish(&self, subject: &str, payload: &str) -> Result<(), ClientFailure> {
        self.client
            .publish(subject.to_string(), payload.to_string().into())
            .await
            .map_err(|e| ClientFailure::from_nats("publish", &e))?;
        self.flush().await
    }

    /// PING/PONG round trip.
    pub async fn flush(&self) -> Result<(), ClientFailure> {
        // async-nats waits for a reconnect before it flushes: a client in a reconnect loop would
        // wait forever, so the wait is bounded.
        match tokio::time::timeout(FLUSH_TIMEOUT, self.client.flush()).await {
            Ok(r) => r.map_err(|e| ClientFailure::from_nats("flush", &e)),
            Err(_) => Err(ClientFailure::timed_out(
                "flush",
                format!("the client buffer was not written within {FLUSH_TIMEOUT:?}"),
            )),
        }
    }

    /// Subscribes and flushes.
    pub async fn subscribe(&mut self, subject: &str, queue: Option<&str>) -> Result<(), ClientFailure> {
        let sub = match queue {
            Some(q) => self.client.queue_subscribe(subject.to_string(), q.to_string()).await,
            None => self.client.subscribe(subject.to_string()).await,
        }
        .map_err(|e| ClientFailure::from_nats("subscribe", &e))?;
        self.subs.insert(subject.to_string(), sub);
        self.flush().await
    }

    /// Answers every request on `subject` with `payload`, in the background.
    pub async fn respond(&mut self, subject: &str, queue: Option<&str>, payload: &str) -> Result<(), ClientFailure> {
        let mut sub = match queue {
            Some(q) => self.client.queue_subscribe(subject.to_string(), q.to_string()).await,
            None => self.client.subscribe(subject.to_string()).await,
        }
        .map_err(|e| ClientFailure::from_nats("respond", &e))?;
        let client = self.client.clone();
        let payload = bytes::Bytes::from(payload.to_string());
        self.responders.push(tokio::spawn(async move {
            while let Some(msg) = sub.next().await {
                if let Some(reply) = msg.reply {
                    let _ = client.publish(reply, payload.clone()).await;
                    let _ = tokio::time::timeout(FLUSH_TIMEOUT, client.flush()).await;
                }
            }
        }));
        self.flush().await
    }

    /// Sends a request and waits for the reply (bounded by the request timeout).
    pub async fn request(&self, subject: &str, payload: &str) -> Result<Received, ClientFailure> {
        let msg = self
            .client
            .request(subject.to_string(), payload.to_string().into())
            .await
            .map_err(|e| ClientFailure::from_nats("request", &e))?;
        Ok(Received { subject: msg.subject.to_string(), payload: String::from_utf8_lossy(&msg.payload).into() })
    }

    /// The next message on the subscription to `subject`, waiting up to `within`.
    pub async fn next_message(&mut self, subject: &str, within: Duration) -> Option<Received> {
        let sub = self.subs.get_mut(subject)?;
        let msg = tokio::time::timeout(within, sub.next()).await.ok().flatten()?;
        Some(Received { subject: msg.subject.to_string(), payload: String::from_utf8_lossy(&msg.payload).into() })
    }

    /// A message already delivered to the subscription to `subject`, without waiting.
    pub fn pending_message(&mut self, subject: &str) -> Option<Received> {
        let sub = self.subs.get_mut(subject)?;
        let msg = sub.next().now_or_never().flatten()?;
        Some(Received { subject: msg.subject.to_string(), payload: String::from_utf8_lossy(&msg.payload).into() })
    }

    /// Whether there is a subscription to `subject`.
    pub fn has_subscription(&self, subject: &str) -> bool {
        self.subs.contains_key(subject)
    }
}

impl Drop for NatsConn {
    fn drop(&mut self) {
        for r in &self.responders {
            r.abort();
        }
    }
}
