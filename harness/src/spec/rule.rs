//! The `rule` of an `add-rule` step: a shaping rule as a scenario writes it, checked with the
//! position of every key (a rule that can never fire is refused by `check`).

use serde::Deserialize;
use toml::Spanned;

use super::duration::Dur;
use super::problem::Problem;
use crate::proxy::Stream;
use crate::proxy::shaping::{Count, FrameMatch, RuleAction, RuleSpec, Verb};

/// Which way a rule's frames travel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleTo {
    /// Client to server (on a link: from the server that dials).
    Server,
    /// Server to client.
    Client,
}

/// What a rule does (`action = "..."`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleActionName {
    /// Drop the frame.
    Drop,
    /// Forward it `delay` later.
    Delay,
    /// Forward it twice.
    Duplicate,
    /// Replace the control line's byte at `at` (default 0) with `~`.
    Corrupt,
    /// Close the connection instead of forwarding it.
    Disconnect,
    /// Forward `frame` before it.
    Inject,
}

/// A shaping rule in a scenario file.
///
/// ```toml
/// [[steps]]
/// do = "add-rule"
/// client = "app"
/// rule = { name = "lost-pong", to = "client", verb = "PONG", nth = 1, action = "drop" }
/// ```
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleTable {
    /// Unique on its client or link; `remove-rule` and `shaped` name it.
    pub name: Spanned<String>,
    /// `server` or `client`: the direction of the frames it matches.
    pub to: Option<Spanned<RuleTo>>,
    /// The protocol verb: `INFO`, `CONNECT`, `PUB`, `HPUB`, `SUB`, `UNSUB`, `MSG`, `HMSG`,
    /// `PING`, `PONG`, `+OK`, `-ERR`.
    pub verb: Option<Spanned<String>>,
    /// The subject, exact or with wildcards.
    pub subject: Option<Spanned<String>>,
    /// The reply subject, exact or with wildcards.
    pub reply: Option<Spanned<String>>,
    /// A header name, or `Name: value`.
    pub header: Option<Spanned<String>>,
    /// Only the nth match, counted over every connection of the tap since the rule was added.
    pub nth: Option<Spanned<u64>>,
    /// Every nth match.
    pub every: Option<Spanned<u64>>,
    /// At most this many firings.
    pub limit: Option<Spanned<u64>>,
    /// What it does to a frame it fires on.
    pub action: Spanned<RuleActionName>,
    /// How much later a `delay` forwards the frame.
    pub delay: Option<Spanned<Dur>>,
    /// Which control-line byte a `corrupt` replaces (default 0, the verb's first).
    pub at: Option<Spanned<usize>>,
    /// The frame an `inject` writes, e.g. `"-ERR 'Authorization Violation'"`.
    pub frame: Option<Spanned<String>>,
}

impl RuleTable {
    /// What the rule matches, with `verb` read already.
    fn matching(&self, verb: Option<Verb>) -> FrameMatch {
        let to = self.to.as_ref().map(|t| match t.get_ref() {
            RuleTo::Server => Stream::Upstream,
            RuleTo::Client => Stream::Downstream,
        });
        let text = |v: &Option<Spanned<String>>| v.as_ref().map(|s| s.get_ref().clone());
        FrameMatch { to, verb, subject: text(&self.subject), reply: text(&self.reply), header: text(&self.header) }
    }

    /// Which matches fire.
    fn count(&self) -> Count {
        let value = |v: &Option<Spanned<u64>>| v.as_ref().map(|n| *n.get_ref());
        Count { nth: value(&self.nth), every: value(&self.every), limit: value(&self.limit) }
    }

    /// The rule the proxy installs; `None` when [`RuleTable::problems`] finds any.
    pub fn to_spec(&self) -> Option<RuleSpec> {
        let verb = match &self.verb {
            Some(v) => Some(v.get_ref().parse::<Verb>().ok()?),
            None => None,
        };
        let (matching, count) = (self.matching(verb), self.count());
        let action = match self.action.get_ref() {
            RuleActionName::Drop => RuleAction::Drop,
            RuleActionName::Delay => RuleAction::Delay(self.delay.as_ref()?.get_ref().get()),
            RuleActionName::Duplicate => RuleAction::Duplicate,
            RuleActionName::Corrupt => RuleAction::Corrupt(self.at.as_ref().map_or(0, |a| *a.get_ref())),
            RuleActionName::Disconnect => RuleAction::Disconnect,
            RuleActionName::Inject => RuleAction::Inject(self.frame.as_ref()?.get_ref().clone()),
        };
        let spec = RuleSpec { name: self.name.get_ref().clone(), matching, count, action };
        spec.check().ok().map(|()| spec)
    }

    /// Everything that keeps the rule from ever firing, or its action from running, each at the
    /// key it concerns.
    pub fn problems(&self, src: &str) -> Vec<Problem> {
        let mut out = Vec::new();
        if self.name.get_ref().trim().is_empty() {
            out.push(
                Problem::new(src, self.name.span(), "expected a rule name, found an empty one")
                    .help("`remove-rule` and `shaped` refer to the rule by this name, e.g. `name = \"lost-pong\"`"),
            );
        }
        let verb = match &self.verb {
            Some(v) => match v.get_ref().parse::<Verb>() {
                Ok(verb) => Some(verb),
                Err(e) => {
                    out.push(Problem::new(src, v.span(), e.to_string()).label("not a verb"));
                    None
                }
            },
            None => None,
        };
        if let Some(verb) = verb {
            for (key, reason) in self.matching(Some(verb)).never() {
                let span = match key {
                    "to" => self.to.as_ref().map(Spanned::span),
                    "subject" => self.subject.as_ref().map(Spanned::span),
                    "reply" => self.reply.as_ref().map(Spanned::span),
                    _ => self.header.as_ref().map(Spanned::span),
                }
                .unwrap_or_else(|| self.name.span());
                out.push(Problem::new(src, span, format!("the rule can never match: {reason}")).label("never matches"));
            }
        }
        if let Some(reason) = self.count().never() {
            let span = [&self.nth, &self.every, &self.limit]
                .into_iter()
                .flatten()
                .find(|n| *n.get_ref() == 0)
                .or(self.nth.as_ref())
                .map_or_else(|| self.name.span(), Spanned::span);
            out.push(Problem::new(src, span, format!("the rule can never fire: {reason}")).label("never fires"));
        }
        self.check_parameters(src, &mut out);
        out
    }

    /// Each action's own parameter is there, and no other action's.
    fn check_parameters(&self, src: &str, out: &mut Vec<Problem>) {
        let action = *self.action.get_ref();
        let params: [(&str, Option<std::ops::Range<usize>>, RuleActionName, bool); 3] = [
            ("delay", self.delay.as_ref().map(Spanned::span), RuleActionName::Delay, true),
            ("at", self.at.as_ref().map(Spanned::span), RuleActionName::Corrupt, false),
            ("frame", self.frame.as_ref().map(Spanned::span), RuleActionName::Inject, true),
        ];
        for (key, span, owner, required) in params {
            match span {
                Some(span) if action != owner => out.push(
                    Problem::new(src, span, format!("`{key}` belongs to the `{}` action only", name(owner)))
                        .label("remove this"),
                ),
                None if action == owner && required => out.push(
                    Problem::new(src, self.action.span(), format!("a `{}` rule needs `{key}`", name(owner))).help(
                        match owner {
                            RuleActionName::Delay => "e.g. `delay = \"2s\"`",
                            _ => "e.g. `frame = \"-ERR 'Authorization Violation'\"`",
                        },
                    ),
                ),
                _ => {}
            }
        }
        if let Some(f) = &self.frame
            && f.get_ref().trim().is_empty()
        {
            out.push(Problem::new(src, f.span(), "expected a frame to inject, found an empty one"));
        }
    }
}

fn name(action: RuleActionName) -> &'static str {
    match action {
        RuleActionName::Drop => "drop",
        RuleActionName::Delay => "delay",
        RuleActionName::Duplicate => "duplicate",
        RuleActionName::Corrupt => "corrupt",
        RuleActionName::Disconnect => "disconnect",
        RuleActionName::Inject => "inject",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(rule: &str) -> Vec<String> {
        let src = format!("rule = {rule}\n");
        #[derive(Deserialize)]
        struct Wrap {
            rule: RuleTable,
        }
        let w: Wrap = toml::from_str(&src).expect("parses");
        w.rule.problems(&src).into_iter().map(|p| p.message).collect()
    }

    #[test]
    fn rules_that_can_never_match_are_refused() {
        assert!(problems(r#"{ name = "a", verb = "PONG", to = "client", action = "drop" }"#).is_empty());
        let cases = [
            (r#"{ name = "a", verb = "PUB", to = "client", action = "drop" }"#, "`PUB` only travels to the server"),
            (r#"{ name = "a", verb = "PING", subject = "x", action = "drop" }"#, "`PING` has no subject"),
            (r#"{ name = "a", verb = "PING", reply = "x", action = "drop" }"#, "`PING` has no reply subject"),
            (r#"{ name = "a", verb = "PUB", header = "x", action = "drop" }"#, "`PUB` carries no headers"),
            (r#"{ name = "a", verb = "PUBLISH", action = "drop" }"#, "unknown verb `PUBLISH`"),
            (r#"{ name = "a", nth = 0, action = "drop" }"#, "`nth` counts from 1"),
            (r#"{ name = "a", action = "delay" }"#, "a `delay` rule needs `delay`"),
            (r#"{ name = "a", action = "drop", frame = "PING" }"#, "`frame` belongs to the `inject` action only"),
        ];
        for (rule, want) in cases {
            let got = problems(rule);
            assert!(got.iter().any(|m| m.contains(want)), "{rule}: {got:?}");
        }
    }
}
