//! A rule's description: what it matches, which matches fire, and what it does then.

use std::time::Duration;

use super::super::error::ProxyError;
use super::counter::Count;
use super::matcher::FrameMatch;

/// What a rule does to a frame it fires on. Each action is one file of [`super::actions`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleAction {
    /// The frame is not forwarded.
    Drop,
    /// The frame (and everything behind it on this direction) is forwarded this much later.
    Delay(Duration),
    /// The frame is forwarded twice.
    Duplicate,
    /// The byte at this index of the control line (clamped to the line) is replaced by `~`.
    Corrupt(usize),
    /// The connection is closed (FIN, no `-ERR`) instead of forwarding the frame.
    Disconnect,
    /// This frame (a line end added when missing) is forwarded before the matched one.
    Inject(String),
}

impl RuleAction {
    /// The action's name in scenario files and reports.
    pub fn as_str(&self) -> &'static str {
        match self {
            RuleAction::Drop => "drop",
            RuleAction::Delay(_) => "delay",
            RuleAction::Duplicate => "duplicate",
            RuleAction::Corrupt(_) => "corrupt",
            RuleAction::Disconnect => "disconnect",
            RuleAction::Inject(_) => "inject",
        }
    }
}

/// One shaping rule, installed on a proxy like a toxic and removed by its name.
///
/// ```
/// use natsfault::proxy::shaping::{Count, FrameMatch, RuleAction, RuleSpec, Verb};
/// use natsfault::proxy::Stream;
///
/// // The first PONG the server sends never reaches the client: its connect times out.
/// let rule = RuleSpec {
///     name: "lost-pong".into(),
///     matching: FrameMatch { to: Some(Stream::Downstream), verb: Some(Verb::Pong), ..FrameMatch::default() },
///     count: Count { nth: Some(1), ..Count::default() },
///     action: RuleAction::Drop,
/// };
/// assert!(rule.check().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSpec {
    /// Unique name on its proxy.
    pub name: String,
    /// Which frames match.
    pub matching: FrameMatch,
    /// Which matches fire.
    pub count: Count,
    /// What a firing does.
    pub action: RuleAction,
}

impl RuleSpec {
    /// Checks the rule can fire and its action's parameters.
    ///
    /// # Errors
    ///
    /// [`ProxyError::InvalidRule`] naming the first reason it could never fire.
    pub fn check(&self) -> Result<(), ProxyError> {
        let invalid = |reason: String| ProxyError::InvalidRule { name: self.name.clone(), reason };
        if self.name.trim().is_empty() {
            return Err(invalid("the name is empty".into()));
        }
        if let Some((_, reason)) = self.matching.never().into_iter().next() {
            return Err(invalid(reason));
        }
        if let Some(reason) = self.count.never() {
            return Err(invalid(reason));
        }
        if let RuleAction::Inject(frame) = &self.action
            && frame.trim().is_empty()
        {
            return Err(invalid("`inject` needs a frame such as `-ERR 'Authorization Violation'`".into()));
        }
        Ok(())
    }
}
