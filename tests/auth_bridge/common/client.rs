//! A NATS client under test: connect, time the connect, collect server
//! errors from the event callback.

use std::time::Duration;

use async_nats::{Client, ConnectErrorKind, ConnectOptions, Event, ServerError};
use tokio::sync::mpsc;
use tokio::time::Instant;

/// A connected client with its server-error events.
pub struct Connected {
    /// The client.
    pub client: Client,
    /// Server errors (`-ERR`) the connection received after connecting.
    pub errors: mpsc::UnboundedReceiver<ServerError>,
}

impl Connected {
    /// Waits up to `within` for the next server error.
    pub async fn next_error(&mut self, within: Duration) -> Option<ServerError> {
        tokio::time::timeout(within, self.errors.recv()).await.ok().flatten()
    }
}

/// A finished connect attempt: the result and how long it took.
pub struct Attempt {
    /// The connected client, or the error kind with its text.
    pub result: Result<Connected, (ConnectErrorKind, String)>,
    /// How long `connect` took.
    pub elapsed: Duration,
}

impl Attempt {
    /// The error kind; panics if connected.
    pub fn kind(&self) -> ConnectErrorKind {
        match &self.result {
            Ok(_) => panic!("expected the connect to fail, it succeeded"),
            Err((kind, _)) => *kind,
        }
    }

    /// The client; panics with the error if not connected.
    pub fn connected(self) -> Connected {
        match self.result {
            Ok(c) => c,
            Err((kind, text)) => panic!("expected a connection, got {kind:?}: {text}"),
        }
    }
}

/// Connects to `url` with `options`, no reconnects, a short connect timeout
/// and fast pings; server errors go to [`Connected::errors`].
pub async fn connect(url: &str, options: ConnectOptions) -> Attempt {
    let (tx, rx) = mpsc::unbounded_channel();
    let options = options
        .name("natsfault-client")
        .connection_timeout(Duration::from_secs(4))
        .ping_interval(Duration::from_secs(1))
        .max_reconnects(0)
        .event_callback(move |event| {
            let tx = tx.clone();
            async move {
                if let Event::ServerError(e) = event {
                    let _ = tx.send(e);
                }
            }
        });
    let started = Instant::now();
    let result = options.connect(url).await;
    let elapsed = started.elapsed();
    let result = result.map(|client| Connected { client, errors: rx }).map_err(|e| (e.kind(), e.to_string()));
    Attempt { result, elapsed }
}

/// Connects with a token.
pub async fn connect_token(url: &str, token: &str) -> Attempt {
    connect(url, ConnectOptions::with_token(token.to_string())).await
}

/// Connects with a user and password.
pub async fn connect_user(url: &str, user: &str, pass: &str) -> Attempt {
    connect(url, ConnectOptions::with_user_and_password(user.to_string(), pass.to_string())).await
}
