//! A container's output as log lines: attached before each start (so no line is missed and
//! none is replayed from an earlier start), split into lines and pushed into the server's
//! [`Timeline`], the same log the process backend fills.

use bytes::{Bytes, BytesMut};
use futures::StreamExt;
use testcontainers::bollard::Docker;
use testcontainers::bollard::container::LogOutput;
use testcontainers::bollard::query_parameters::AttachContainerOptions;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::engine::engine_error;
use crate::backend::error::ServerError;
use crate::observe::Timeline;

/// The output of one run of a container.
pub(crate) struct Attached {
    /// Each line as it arrives, until the container's output ends (it exited); dropping the
    /// receiver stops only this copy, the log keeps filling.
    pub lines: mpsc::UnboundedReceiver<String>,
    /// The task copying output into the log; it ends when the container stops.
    pub pump: JoinHandle<()>,
}

/// Attaches to the stdout and stderr of container `id` (created or stopped, not yet started).
pub(crate) async fn attach(docker: &Docker, id: &str, log: &Timeline<String>) -> Result<Attached, ServerError> {
    let opts = AttachContainerOptions {
        stream: true,
        stdout: true,
        stderr: true,
        logs: false,
        stdin: false,
        detach_keys: None,
    };
    let attached = docker.attach_container(id, Some(opts)).await.map_err(engine_error("attach to the container"))?;
    let (tx, rx) = mpsc::unbounded_channel();
    let log = log.clone();
    let mut output = attached.output;
    let pump = tokio::spawn(async move {
        let mut out = Lines::default();
        let mut err = Lines::default();
        while let Some(Ok(frame)) = output.next().await {
            let (buf, message) = match frame {
                LogOutput::StdErr { message } => (&mut err, message),
                LogOutput::StdOut { message } | LogOutput::Console { message } => (&mut out, message),
                LogOutput::StdIn { .. } => continue,
            };
            for line in buf.feed(&message) {
                log.push(line.clone());
                let _ = tx.send(line);
            }
        }
        for line in out.finish().into_iter().chain(err.finish()) {
            log.push(line.clone());
            let _ = tx.send(line);
        }
    });
    Ok(Attached { lines: rx, pump })
}

/// Splits a byte stream into lines, keeping a partial last line for the next chunk.
#[derive(Debug, Default)]
struct Lines {
    partial: BytesMut,
}

impl Lines {
    fn feed(&mut self, chunk: &Bytes) -> Vec<String> {
        self.partial.extend_from_slice(chunk);
        let mut lines = Vec::new();
        while let Some(pos) = self.partial.iter().position(|b| *b == b'\n') {
            let raw = self.partial.split_to(pos + 1);
            lines.push(text(&raw[..pos]));
        }
        lines
    }

    fn finish(&mut self) -> Option<String> {
        (!self.partial.is_empty()).then(|| text(&self.partial.split()))
    }
}

fn text(raw: &[u8]) -> String {
    String::from_utf8_lossy(raw).trim_end_matches('\r').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_lines_split_across_frames() {
        let mut l = Lines::default();
        assert!(l.feed(&Bytes::from_static(b"[1] [INF] Server is")).is_empty());
        assert_eq!(
            l.feed(&Bytes::from_static(b" ready\r\n[1] [DBG] a\n[1] b")),
            ["[1] [INF] Server is ready", "[1] [DBG] a"]
        );
        assert_eq!(l.finish().as_deref(), Some("[1] b"));
        assert_eq!(l.finish(), None);
    }
}
