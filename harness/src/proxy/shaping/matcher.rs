//! What frames a rule matches: direction, verb, subject, reply subject, header.

use serde::{Deserialize, Serialize};

use super::super::spec::Stream;
use super::frame::Frame;
use super::verb::Verb;

/// The match part of a rule; every field optional, all given must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrameMatch {
    /// The direction: `Upstream` is to the server (on a link: to the server dialled).
    pub to: Option<Stream>,
    /// The verb.
    pub verb: Option<Verb>,
    /// The subject, exact or with `*` and `>` wildcards.
    pub subject: Option<String>,
    /// The reply subject, exact or with wildcards.
    pub reply: Option<String>,
    /// A header name (`Nats-Msg-Id`), or a name and value (`Nats-Msg-Id: 7`).
    pub header: Option<String>,
}

impl FrameMatch {
    /// Whether `frame`, travelling `stream`, matches.
    pub fn matches(&self, stream: Stream, frame: &Frame) -> bool {
        if self.to.is_some_and(|to| to != stream) {
            return false;
        }
        if self.verb.is_some_and(|v| Some(v) != frame.verb) {
            return false;
        }
        if let Some(p) = &self.subject
            && !frame.subject.as_deref().is_some_and(|s| subject_matches(p, s))
        {
            return false;
        }
        if let Some(p) = &self.reply
            && !frame.reply.as_deref().is_some_and(|s| subject_matches(p, s))
        {
            return false;
        }
        if let Some(h) = &self.header {
            let (name, value) = match h.split_once(':') {
                Some((n, v)) => (n, Some(v)),
                None => (h.as_str(), None),
            };
            if !frame.has_header(name, value) {
                return false;
            }
        }
        true
    }

    /// Why this match can never hold, if it cannot: a verb that never travels that way, a
    /// subject, reply or header on a verb without one. Each reason names the key.
    pub fn never(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        let Some(verb) = self.verb else {
            return out;
        };
        if let (Some(to), Some(only)) = (self.to, verb.travels())
            && to != only
        {
            let way = |s: Stream| if s == Stream::Upstream { "to the server" } else { "to the client" };
            out.push(("to", format!("`{verb}` only travels {}, never {}", way(only), way(to))));
        }
        if self.subject.is_some() && !verb.has_subject() {
            out.push(("subject", format!("`{verb}` has no subject")));
        }
        if self.reply.is_some() && !verb.has_reply() {
            out.push(("reply", format!("`{verb}` has no reply subject")));
        }
        if self.header.is_some() && !verb.has_headers() {
            out.push(("header", format!("`{verb}` carries no headers (only HPUB and HMSG do)")));
        }
        out
    }
}

/// Whether `subject` matches `pattern` (`*` one token, `>` one or more at the end): the subject
/// matching nats-server does, the same as `diagnose` uses.
///
/// ```
/// use natsfault::proxy::shaping::subject_matches;
/// assert!(subject_matches("orders.*", "orders.new"));
/// assert!(subject_matches("$JS.API.>", "$JS.API.STREAM.CREATE.ORDERS"));
/// assert!(!subject_matches("orders.*", "orders.new.eu"));
/// ```
pub fn subject_matches(pattern: &str, subject: &str) -> bool {
    crate::diagnose::subject::matches(pattern, subject)
}
