//! [`Bridge`]: a running bridge. It is subscribed to `$SYS.REQ.USER.AUTH`
//! as the auth service, handles each request concurrently, and records it.
//! Dropping it stops it (in-flight requests are abandoned unanswered).

use std::sync::Arc;
use std::time::Duration;

use async_nats::{Client, ConnectOptions, Message, Subscriber};
use futures::StreamExt;
use tokio::task::{JoinHandle, JoinSet};

use super::error::BridgeError;
use super::failure::Failure;
use super::handler::Handler;
use super::journal::{HandledRequest, Journal, Outcome};
use super::request::XKEY_HEADER;
use super::spec::{BridgeSpec, ServiceAuth};

/// The subject the server sends authorization requests on.
pub const AUTH_CALLOUT_SUBJECT: &str = "$SYS.REQ.USER.AUTH";

/// The client name the bridge connects with.
pub const CLIENT_NAME: &str = "natsfault-auth-bridge";

/// A running auth-callout-to-HTTP bridge.
///
/// ```no_run
/// # async fn demo(spec: natsfault::auth_bridge::BridgeSpec) -> Result<(), Box<dyn std::error::Error>> {
/// use std::time::Duration;
/// use natsfault::auth_bridge::Bridge;
///
/// let bridge = Bridge::start(spec).await?;
/// // ... a client connects; the server asks the bridge, the bridge asks the endpoint ...
/// let handled = bridge.wait_handled(1, Duration::from_secs(5)).await?;
/// assert!(handled[0].outcome.is_authorized());
/// let all = bridge.stop().await;
/// # let _ = all; Ok(()) }
/// ```
#[derive(Debug)]
pub struct Bridge {
    client: Option<Client>,
    task: Option<JoinHandle<()>>,
    journal: Arc<Journal>,
}

fn connect_options(auth: &ServiceAuth) -> Result<ConnectOptions, BridgeError> {
    let options = match auth {
        ServiceAuth::UserPassword { user, password } => {
            ConnectOptions::with_user_and_password(user.clone(), password.clone())
        }
        ServiceAuth::Credentials(text) => {
            ConnectOptions::with_credentials(text).map_err(|source| BridgeError::Credentials { source })?
        }
    };
    Ok(options.name(CLIENT_NAME))
}

impl Bridge {
    /// Checks `spec`, connects as the auth service, subscribes and waits
    /// until the server has the subscription; then requests are answered.
    pub async fn start(spec: BridgeSpec) -> Result<Bridge, BridgeError> {
        let (signers, url) = spec.validate()?;
        let client = connect_options(&spec.service_auth)?
            .connect(spec.nats_url.as_str())
            .await
            .map_err(|source| BridgeError::Connect { url: spec.nats_url.clone(), source })?;
        let subscriber =
            client.subscribe(AUTH_CALLOUT_SUBJECT).await.map_err(|source| BridgeError::Subscribe { source })?;
        client.flush().await.map_err(|source| BridgeError::Flush { source })?;

        let handler =
            Arc::new(Handler { signers, url, timeout: spec.request_timeout, silent_on: spec.silent_on.clone() });
        let journal = Arc::new(Journal::new());
        let task = tokio::spawn(serve(client.clone(), subscriber, handler, journal.clone()));
        Ok(Bridge { client: Some(client), task: Some(task), journal })
    }

    /// Every request handled so far, in the order they were finished.
    pub fn handled(&self) -> Vec<HandledRequest> {
        self.journal.snapshot()
    }

    /// Waits until at least `count` requests were handled, for at most `within`.
    pub async fn wait_handled(&self, count: usize, within: Duration) -> Result<Vec<HandledRequest>, BridgeError> {
        self.journal.wait(count, within).await
    }

    /// Stops handling, closes the connection, and returns the record.
    pub async fn stop(mut self) -> Vec<HandledRequest> {
        self.abort();
        if let Some(client) = self.client.take() {
            // Best effort, bounded: the server may already be gone, and async-nats would wait for
            // a reconnect before draining.
            let _ = tokio::time::timeout(std::time::Duration::from_secs(2), client.drain()).await;
        }
        self.journal.snapshot()
    }

    fn abort(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

impl Drop for Bridge {
    fn drop(&mut self) {
        self.abort();
    }
}

async fn serve(client: Client, mut subscriber: Subscriber, handler: Arc<Handler>, journal: Arc<Journal>) {
    // Dropping the set (when this task is aborted) aborts in-flight handlers.
    let mut inflight = JoinSet::new();
    let mut seq = 0u64;
    loop {
        tokio::select! {
            message = subscriber.next() => {
                let Some(message) = message else { break };
                seq += 1;
                inflight.spawn(handle_one(client.clone(), message, seq, handler.clone(), journal.clone()));
            }
            Some(_) = inflight.join_next(), if !inflight.is_empty() => {}
        }
    }
    while inflight.join_next().await.is_some() {}
}

async fn handle_one(client: Client, message: Message, seq: u64, handler: Arc<Handler>, journal: Arc<Journal>) {
    let server_xkey = message.headers.as_ref().and_then(|h| h.get(XKEY_HEADER)).map(|v| v.as_str().to_string());
    let mut decision = handler.handle(seq, &message.payload, server_xkey.as_deref()).await;
    if let Some(reply) = decision.reply.take() {
        let sent = match &message.reply {
            None => Err(Failure::respond("the request has no reply subject")),
            Some(subject) => match client.publish(subject.clone(), reply.into()).await {
                Ok(()) => client.flush().await.map_err(Failure::respond),
                Err(e) => Err(Failure::respond(e)),
            },
        };
        if let Err(failure) = sent {
            decision.record.outcome = Outcome::Unanswered(failure);
        }
    }
    journal.push(decision.record);
}
