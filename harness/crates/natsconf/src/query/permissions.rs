//! User permissions: `publish`/`subscribe` allow and deny lists and `allow_responses`, read the
//! way nats-server reads them (aliases, old list style, map style).

use super::finding::{Sink, join};
use crate::key::fold;
use crate::location::Location;
use crate::value::{Node, Value};

/// The permissions of a user (or the defaults of a block).
///
/// ```
/// use natsfault_natsconf::{Config, ParseOptions};
/// let text = "authorization { users: [ {user: a, password: b, permissions: {
///     publish: { allow: [\"orders.>\"], deny: \"orders.secret\" }, sub: \"_INBOX.>\" } } ] }";
/// let config = Config::parse_str(text, "nats.conf", &ParseOptions::default())?;
/// let perms = config.users()[0].permissions.clone().unwrap();
/// let publish = perms.publish.unwrap();
/// assert_eq!(publish.allow, Some(vec!["orders.>".to_string()]));
/// assert_eq!(publish.deny, Some(vec!["orders.secret".to_string()]));
/// assert_eq!(perms.subscribe.unwrap().allow, Some(vec!["_INBOX.>".to_string()]));
/// # Ok::<(), natsfault_natsconf::ConfError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Permissions {
    /// `publish` / `pub` / `import`.
    pub publish: Option<SubjectRule>,
    /// `subscribe` / `sub` / `export`.
    pub subscribe: Option<SubjectRule>,
    /// `allow_responses` / `publish_allow_responses`, when enabled.
    pub allow_responses: Option<AllowResponses>,
    /// Where the permissions map is.
    pub at: Location,
}

impl Permissions {
    /// True when `allow_responses` is on and no publish allow list is given: nats-server then
    /// blocks every other publish of this user.
    ///
    /// ```
    /// use natsfault_natsconf::{Config, ParseOptions};
    /// let text = "authorization { users: [ {user: a, permissions: { allow_responses: true } } ] }";
    /// let config = Config::parse_str(text, "nats.conf", &ParseOptions::default())?;
    /// assert!(config.users()[0].permissions.as_ref().unwrap().responses_block_publish());
    /// # Ok::<(), natsfault_natsconf::ConfError>(())
    /// ```
    pub fn responses_block_publish(&self) -> bool {
        self.allow_responses.is_some() && self.publish.as_ref().is_none_or(|p| p.allow.is_none())
    }
}

/// Allow and deny subject lists. A plain list (old style) is an allow list.
///
/// ```
/// use natsfault_natsconf::SubjectRule;
/// let rule = SubjectRule { allow: Some(vec!["a.>".into()]), deny: None };
/// assert!(rule.deny.is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SubjectRule {
    /// Subjects allowed; `None` when not given (everything allowed unless denied).
    pub allow: Option<Vec<String>>,
    /// Subjects denied.
    pub deny: Option<Vec<String>>,
}

/// `allow_responses`: `true`, or a map of limits.
///
/// ```
/// use natsfault_natsconf::AllowResponses;
/// let limits = AllowResponses::Limits { max: Some(5), expires: Some("1s".into()) };
/// assert_ne!(limits, AllowResponses::Defaults);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AllowResponses {
    /// `true`: one response within 2 minutes per request.
    Defaults,
    /// `{ max: N, expires: "1s" }`.
    Limits {
        /// `max` / `max_msgs` / `max_messages` / `max_responses`.
        max: Option<i64>,
        /// `expires` / `expiration` / `ttl`, a duration string.
        expires: Option<String>,
    },
}

/// Reads a permissions map at `path`.
pub(crate) fn read_permissions(sink: &mut Sink<'_>, node: &Node, path: &str) -> Option<Permissions> {
    let Some(map) = node.as_map() else {
        sink.wrong_type(path, node.at, node.type_name(), "a map with `publish`, `subscribe` or `allow_responses`");
        return None;
    };
    let mut perms = Permissions { publish: None, subscribe: None, allow_responses: None, at: sink.loc(node.at) };
    for pair in map.pairs() {
        let key_path = join(path, &pair.key);
        match fold(&pair.key).as_ref() {
            "pub" | "publish" | "import" => perms.publish = read_rule(sink, &pair.value, &key_path),
            "sub" | "subscribe" | "export" => perms.subscribe = read_rule(sink, &pair.value, &key_path),
            "allow_responses" | "publish_allow_responses" => {
                perms.allow_responses = read_responses(sink, &pair.value, &key_path);
            }
            _ => {}
        }
    }
    Some(perms)
}

/// `publish: "a"`, `publish: ["a", "b"]` or `publish: { allow: ..., deny: ... }`.
fn read_rule(sink: &mut Sink<'_>, node: &Node, path: &str) -> Option<SubjectRule> {
    match node.as_map() {
        // An empty map means no restriction at all.
        Some(map) if map.pairs().is_empty() => None,
        Some(map) => {
            let mut rule = SubjectRule::default();
            for pair in map.pairs() {
                let key_path = join(path, &pair.key);
                match fold(&pair.key).as_ref() {
                    "allow" => rule.allow = subjects(sink, &pair.value, &key_path),
                    "deny" => rule.deny = subjects(sink, &pair.value, &key_path),
                    _ => {}
                }
            }
            Some(rule)
        }
        None => Some(SubjectRule { allow: subjects(sink, node, path), deny: None }),
    }
}

/// A subject or an array of subjects.
fn subjects(sink: &mut Sink<'_>, node: &Node, path: &str) -> Option<Vec<String>> {
    if let Some(subject) = node.as_str() {
        return Some(vec![subject.to_string()]);
    }
    let Some(items) = node.as_array() else {
        sink.wrong_type(path, node.at, node.type_name(), "a subject or an array of subjects");
        return None;
    };
    let mut out = Vec::new();
    for item in items {
        match item.as_str() {
            Some(subject) => out.push(subject.to_string()),
            None => sink.wrong_type(path, item.at, item.type_name(), "a subject string"),
        }
    }
    Some(out)
}

/// `allow_responses: true` or `{ max, expires }`.
fn read_responses(sink: &mut Sink<'_>, node: &Node, path: &str) -> Option<AllowResponses> {
    if let Some(on) = node.as_bool() {
        return on.then_some(AllowResponses::Defaults);
    }
    let Some(map) = node.as_map() else {
        sink.wrong_type(path, node.at, node.type_name(), "a boolean or a map with `max` and `expires`");
        return None;
    };
    let max = map.get_any(&["max", "max_msgs", "max_messages", "max_responses"]).and_then(|p| p.value.as_i64());
    let expires = map.get_any(&["expires", "expiration", "ttl"]).and_then(|p| match &p.value.resolved().value {
        Value::String(s) => Some(s.clone()),
        _ => None,
    });
    Some(AllowResponses::Limits { max, expires })
}
