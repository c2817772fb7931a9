//! What `verify` found: each line, whether it holds, what was observed, and why.

use super::model::ContractLine;

/// One line's result.
#[derive(Clone, Debug)]
pub struct LineResult {
    /// The line.
    pub line: ContractLine,
    /// Whether the server did what the line says.
    pub held: bool,
    /// What happened: `works`, `refused: Permissions Violation for Publish to "x"`,
    /// `not delivered to `billing``, `connect refused: ...`.
    pub observed: String,
    /// For a broken line: the permission, user or account that decides it, with its position.
    pub because: Option<String>,
}

/// A contract played on one server.
#[derive(Clone, Debug)]
pub struct VerifyReport {
    /// The config played.
    pub config: String,
    /// The server version.
    pub version: String,
    /// The backend.
    pub backend: String,
    /// Each line, in contract order.
    pub lines: Vec<LineResult>,
    /// The server's start, spawn to ready.
    pub ready_ms: u64,
    /// The whole run: start, connects, every line, stop.
    pub duration_ms: u64,
    /// The confinement the server ran under.
    pub confined: String,
    /// What the server listened on and was connected to, read from the operating system while
    /// it ran (`None` where the backend cannot see it).
    pub sockets: Option<String>,
}

impl VerifyReport {
    /// The lines that do not hold.
    pub fn broken(&self) -> impl Iterator<Item = &LineResult> {
        self.lines.iter().filter(|l| !l.held)
    }

    /// Whether every line holds.
    pub fn holds(&self) -> bool {
        self.lines.iter().all(|l| l.held)
    }
}
