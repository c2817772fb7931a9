//! What a server that did not start said: its last lines, and its own error without the
//! sandbox path.

use std::path::Path;

use crate::observe::Timeline;

pub(crate) fn last_lines(log: &Timeline<String>) -> String {
    let all = log.all();
    let tail: Vec<String> = all.iter().rev().take(5).rev().map(|l| l.value.clone()).collect();
    if tail.is_empty() { "the server wrote nothing".into() } else { tail.join(" | ") }
}

/// The server's own error, with the sandbox path removed so it reads `nats.conf:1:0: ...`.
pub(crate) fn refusal(log: &Timeline<String>, dir: &Path) -> String {
    let prefix = format!("{}/", dir.display());
    let lines: Vec<String> =
        log.all().into_iter().map(|l| l.value.replace(&prefix, "")).filter(|l| !l.trim().is_empty()).collect();
    let pick = lines
        .iter()
        .rev()
        .find(|l| l.contains("nats-server:") || l.contains("[FTL]") || l.contains("[ERR]"))
        .or(lines.last())
        .cloned()
        .unwrap_or_else(|| "the server exited without a message".into());
    pick.trim_start_matches("nats-server: ").trim().to_string()
}

/// The reason of a `Failed to reload` log line, without the log's prefix.
///
/// ```text
/// [7] 2026/12/07 20:50:00.000000 [ERR] Failed to reload server configuration: config reload not supported for ...
/// ```
pub(crate) fn reload_failure(line: &str) -> String {
    let text = line.find("Failed to reload").map_or(line, |i| &line[i..]);
    text.trim().to_string()
}
