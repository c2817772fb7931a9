//! What `verify` found: each line, whether it holds, what was observed, and why.

use super::model::ContractLine;

/// What `verify` concluded about one line.
///
/// ```
/// use natsfault::contract::Outcome;
/// assert_eq!(Outcome::NotChecked.as_str(), "not checked");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The check ran, could have failed, and the server did what the line says.
    Holds,
    /// The server did otherwise (with its words and the config's line).
    Broken,
    /// Nothing could have shown the line wrong (no responder, the identity is refused at
    /// connect as its contract says): the reason is in `observed`.
    NotChecked,
}

impl Outcome {
    /// `holds`, `broken` or `not checked`, as printed and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Holds => "holds",
            Outcome::Broken => "broken",
            Outcome::NotChecked => "not checked",
        }
    }
}

/// One line's result.
#[derive(Clone, Debug)]
pub struct LineResult {
    /// The line.
    pub line: ContractLine,
    /// Whether the line holds (its outcome is [`Outcome::Holds`]).
    pub held: bool,
    /// Holds, broken, or not checked.
    pub outcome: Outcome,
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
    /// The lines that are broken.
    pub fn broken(&self) -> impl Iterator<Item = &LineResult> {
        self.lines.iter().filter(|l| l.outcome == Outcome::Broken)
    }

    /// The lines nothing could check, each with why.
    pub fn unchecked(&self) -> impl Iterator<Item = &LineResult> {
        self.lines.iter().filter(|l| l.outcome == Outcome::NotChecked)
    }

    /// Whether every line was checked and holds.
    pub fn holds(&self) -> bool {
        self.lines.iter().all(|l| l.outcome == Outcome::Holds)
    }

    /// Whether no line is broken (lines not checked allowed, as `--allow-unchecked`).
    pub fn holds_where_checked(&self) -> bool {
        self.broken().next().is_none()
    }
}
