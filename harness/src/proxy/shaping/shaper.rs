//! The rules acting on one direction of one connection.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use tokio::sync::watch;

use super::super::registry::{Entry, Installed, Set};
use super::super::spec::Stream;
use super::actions::{Act, Corrupt, Delay, Disconnect, Drop, Duplicate, Inject};
use super::counter::RuleCounter;
use super::effect::Effect;
use super::frame::Frame;
use super::spec::{RuleAction, RuleSpec};
use crate::proxy::ProxyError;

/// An installed rule with its proxy-wide counts.
#[derive(Debug, Clone)]
pub(crate) struct Rule {
    pub(crate) spec: RuleSpec,
    pub(crate) counter: Arc<RuleCounter>,
}

impl Entry for Rule {
    fn name(&self) -> &str {
        &self.spec.name
    }
    fn check(&self) -> Result<(), ProxyError> {
        self.spec.check()
    }
    fn exists(name: String) -> ProxyError {
        ProxyError::RuleExists { name }
    }
    fn not_found(name: String) -> ProxyError {
        ProxyError::RuleNotFound { name }
    }
}

/// The installed rules, in the order they act.
type RuleSet = Set<Rule>;

/// One rule that fired on a frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Firing {
    pub(crate) rule: String,
    pub(crate) action: &'static str,
    pub(crate) frame: String,
}

/// What the rules made of one frame.
#[derive(Debug)]
pub(crate) struct Shaped {
    /// The bytes to forward, in order.
    pub(crate) frames: Vec<Bytes>,
    /// How much later than now they go.
    pub(crate) delay: Duration,
    /// The rule that closes the connection after them.
    pub(crate) end: Option<String>,
    /// The rules that fired.
    pub(crate) fired: Vec<Firing>,
}

/// The action of `action`, behind the one trait.
fn act_of(action: &RuleAction) -> Box<dyn Act> {
    match action {
        RuleAction::Drop => Box::new(Drop),
        RuleAction::Delay(d) => Box::new(Delay(*d)),
        RuleAction::Duplicate => Box::new(Duplicate),
        RuleAction::Corrupt(at) => Box::new(Corrupt(*at)),
        RuleAction::Disconnect => Box::new(Disconnect),
        RuleAction::Inject(frame) => Box::new(Inject(frame.clone())),
    }
}

/// The rules of one direction, kept in step with the proxy's rule set.
pub(crate) struct Shaper {
    stream: Stream,
    rules: watch::Receiver<RuleSet>,
}

impl Shaper {
    pub(crate) fn new(stream: Stream, rules: watch::Receiver<RuleSet>) -> Self {
        Shaper { stream, rules }
    }

    /// Whether any rule is installed (frames are then held until whole).
    pub(crate) fn active(&self) -> bool {
        !self.rules.borrow().entries.is_empty()
    }

    /// Runs `frame` through every installed rule, in the order they were added.
    pub(crate) fn shape(&mut self, frame: &Frame) -> Shaped {
        let set = self.rules.borrow().clone();
        shape_with(self.stream, &set.entries, frame)
    }
}

fn shape_with(stream: Stream, rules: &[Installed<Rule>], frame: &Frame) -> Shaped {
    let mut effect = Effect::default();
    let (mut fired, mut end) = (Vec::new(), None);
    for Installed { spec: rule, .. } in rules {
        if !rule.spec.matching.matches(stream, frame) || !rule.counter.hit(&rule.spec.count) {
            continue;
        }
        act_of(&rule.spec.action).act(frame, &mut effect);
        if effect.disconnect && end.is_none() {
            end = Some(rule.spec.name.clone());
        }
        fired.push(Firing { rule: rule.spec.name.clone(), action: rule.spec.action.as_str(), frame: frame.describe() });
    }
    Shaped { frames: effect.frames(frame), delay: effect.delay, end, fired }
}

#[cfg(test)]
mod tests {
    use super::super::{Count, FrameMatch, Verb};
    use super::*;

    fn rule(name: &str, verb: Verb, count: Count, action: RuleAction) -> Installed<Rule> {
        let matching = FrameMatch { verb: Some(verb), ..FrameMatch::default() };
        let spec = RuleSpec { name: name.into(), matching, count, action };
        Installed { id: 0, spec: Rule { spec, counter: Arc::default() } }
    }

    fn pong() -> Frame {
        Frame::parse(Bytes::from_static(b"PONG\r\n"))
    }

    #[test]
    fn rules_chain_in_order_and_count_their_matches() {
        let rules = [
            rule("fake", Verb::Pong, Count { nth: Some(2), ..Count::default() }, RuleAction::Inject("-ERR 'x'".into())),
            rule("cut", Verb::Pong, Count { nth: Some(2), ..Count::default() }, RuleAction::Disconnect),
        ];
        let first = shape_with(Stream::Downstream, &rules, &pong());
        assert_eq!(first.frames, [Bytes::from_static(b"PONG\r\n")]);
        assert!(first.fired.is_empty() && first.end.is_none());
        let second = shape_with(Stream::Downstream, &rules, &pong());
        assert_eq!(second.frames, [Bytes::from_static(b"-ERR 'x'\r\n")]);
        assert_eq!(second.end.as_deref(), Some("cut"));
        assert_eq!(second.fired.iter().map(|f| f.rule.as_str()).collect::<Vec<_>>(), ["fake", "cut"]);
    }

    #[test]
    fn duplicated_pongs_answer_no_ping_and_direction_is_respected() {
        let rules = [rule("twice", Verb::Pong, Count::default(), RuleAction::Duplicate)];
        let out = shape_with(Stream::Downstream, &rules, &pong());
        assert_eq!(out.frames.len(), 2);
        let mut up = rule("up", Verb::Pong, Count::default(), RuleAction::Drop);
        up.spec.spec.matching.to = Some(Stream::Upstream);
        let out = shape_with(Stream::Downstream, &[up], &pong());
        assert_eq!(out.frames.len(), 1);
    }
}
