//! Helpers for the credential tests: a real nats-server started through the harness's process
//! backend (127.0.0.1, random port, `-D`), its log awaited line by line, and log lines printed
//! with keys redacted (run with `--nocapture` to see the lines each case logs).

#![allow(dead_code)]

pub mod raw;
pub mod trust;

use std::time::Duration;

use natsfault::backend::{Backend, ProcessBackend, RunningServer, ServerError, ServerSpec};

#[path = "../support/mod.rs"]
mod support;

/// How long to wait for a log line.
const LOG_WAIT: Duration = Duration::from_secs(5);

/// A running nats-server; stopped when dropped.
pub struct NatsServer {
    inner: Box<dyn RunningServer>,
    /// The client port.
    pub port: u16,
}

impl NatsServer {
    /// Starts the server with `config` and waits until it answers.
    pub async fn start(config: &str) -> NatsServer {
        let spec = ServerSpec::new(support::version(), config).label("credentials");
        let inner = match ProcessBackend.start(&spec).await {
            Ok(s) => s,
            Err(e) => panic!("nats-server did not start: {e}"),
        };
        let port = inner.client_addr().port();
        NatsServer { inner, port }
    }

    /// The client URL.
    pub fn url(&self) -> String {
        format!("nats://{}", self.inner.client_addr())
    }

    /// Waits up to 5 s for a log line containing `needle`.
    pub async fn wait_for_log(&self, needle: &str) -> Option<String> {
        self.inner.log().wait_for(0, LOG_WAIT, |l| l.contains(needle)).await.map(|l| l.value)
    }

    /// All log lines so far.
    pub fn logs(&self) -> Vec<String> {
        self.inner.log().all().into_iter().map(|l| l.value).collect()
    }
}

/// Starts a server whose config it must refuse; returns the exit status and its message.
pub async fn start_expecting_failure(config: &str) -> (String, String) {
    let spec = ServerSpec::new(support::version(), config).label("credentials");
    match ProcessBackend.start(&spec).await {
        Ok(_) => panic!("nats-server kept running with a bad config"),
        Err(ServerError::Refused { exit, message }) => (exit, message),
        Err(e) => panic!("expected a refusal, got: {e}"),
    }
}

/// Replaces nkeys public keys and seeds in a log line with `<key>`.
pub use natsfault::matrix::mask_keys as redact;

/// Prints the log lines that matter for a case, redacted.
pub fn report(case: &str, server: &NatsServer) {
    eprintln!("=== {case}");
    for l in server.logs() {
        let interesting = ["[ERR]", "[WRN]", " - cid:"];
        if interesting.iter().any(|k| l.contains(k)) {
            eprintln!("{}", redact(&l));
        }
    }
}
