//! A real nats-server on 127.0.0.1 with a kernel-chosen port and `-D`; its
//! stderr is captured line by line; killed on drop. Waits are bounded.

use std::time::Duration;

use natsfault::backend::{Backend, ProcessBackend, RunningServer, ServerSpec, resolve_version};
use natsfault::observe::Timeline;

/// A running nats-server (the harness's process backend, `-D`, 127.0.0.1).
pub struct NatsServer {
    server: Box<dyn RunningServer>,
    log: Timeline<String>,
    /// The version run, e.g. `"2.15.1"`.
    pub version: String,
    /// The client port.
    pub port: u16,
}

impl NatsServer {
    /// Starts nats-server `version` with `config` and waits until it is ready.
    pub async fn start(version: &str, config: &str) -> NatsServer {
        let v = resolve_version(version).unwrap_or_else(|e| panic!("{e}"));
        let spec = ServerSpec::new(v, config).label("bridge-test");
        let server = ProcessBackend.start(&spec).await.unwrap_or_else(|e| panic!("nats-server {version}: {e}"));
        let log = server.log();
        let port = server.client_addr().port();
        NatsServer { server, log, version: version.to_string(), port }
    }

    /// The client URL.
    pub fn url(&self) -> String {
        format!("nats://{}", self.server.client_addr())
    }

    /// All log lines so far.
    pub fn logs(&self) -> Vec<String> {
        self.log.all().into_iter().map(|l| l.value).collect()
    }

    /// How many lines were logged so far (a mark for [`NatsServer::lines_since`]).
    pub fn mark(&self) -> usize {
        self.log.len()
    }

    /// The lines logged after `mark`.
    pub fn lines_since(&self, mark: usize) -> Vec<String> {
        self.log.since(mark).into_iter().map(|l| l.value).collect()
    }

    /// Waits up to `within` for a line containing `needle`; returns it.
    pub async fn wait_line(&self, needle: &str, within: Duration) -> Option<String> {
        self.wait_line_since(0, needle, within).await
    }

    /// Like [`NatsServer::wait_line`], among the lines after `mark`.
    pub async fn wait_line_since(&self, mark: usize, needle: &str, within: Duration) -> Option<String> {
        self.log.wait_for(mark, within, |l| l.contains(needle)).await.map(|l| l.value)
    }
}

/// The part of a log line after `[pid] date time `: `[WRN] ...`.
pub fn body(line: &str) -> &str {
    line.find("] ").and_then(|i| line[i + 2..].find(" [").map(|j| &line[i + 2 + j + 1..])).unwrap_or(line)
}

/// Replaces nkeys public keys and seeds in a log line with `<key>`.
pub use natsfault::matrix::mask_keys as redact;

/// The `cid` of a log line, if it names one.
pub fn cid(line: &str) -> Option<u64> {
    let rest = &line[line.find(" - cid:")? + 7..];
    rest[..rest.find(' ').unwrap_or(rest.len())].parse().ok()
}

impl NatsServer {
    /// The lines after `mark` that concern the newest connection (the
    /// client under test, which connects last) or no connection at all.
    /// Stderr is read by a thread, so a mark can fall a few lines early;
    /// this drops the earlier connections' late lines.
    pub fn client_lines_since(&self, mark: usize) -> Vec<String> {
        let lines = self.lines_since(mark);
        let newest = lines.iter().filter_map(|l| cid(l)).max();
        lines.into_iter().filter(|l| cid(l).is_none() || cid(l) == newest).collect()
    }
}

/// Prints a case's log lines, redacted, for OBSERVED.md (`--nocapture`).
pub fn report(case: &str, server: &NatsServer, mark: usize) {
    let mut out = format!("=== {case} (nats-server {})\n", server.version);
    for l in server.client_lines_since(mark) {
        out.push_str(&redact(&l));
        out.push('\n');
    }
    eprint!("{out}");
}
