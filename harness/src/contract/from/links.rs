//! The lines between users that a config's responses and imports promise, for a first contract:
//! a user with `allow_responses` answers a request from a user of its account that may send it
//! (`request S -> R` for the one, `reply S xN` and `cannot reply S xN+1` for the other); a
//! service import is a request from a user of the importing account to a user of the exporting
//! one that subscribes to it; a stream import a message from a publisher of the exporting account
//! to a subscriber of the importing one. Where no two users fit, the line is left out, and why.

use std::collections::BTreeMap;
use std::time::Duration;

use super::config::concrete;
use crate::contract::explain::{Who, decide, from_user};
use crate::natsconf::{AllowResponses, Config, ConfigUser, Entry, Node, Value};
use crate::spec::Dur;

/// The longest `expires` a drafted `cannot reply S after D` line waits out (twice it): longer
/// ones are left out, so a contract stays quick.
const LONGEST_EXPIRES: Duration = Duration::from_secs(5);

/// Lines to add to users' identities (by user name), and what was left out.
#[derive(Default)]
pub(super) struct Links {
    pub(super) can: BTreeMap<String, Vec<String>>,
    pub(super) cannot: BTreeMap<String, Vec<String>>,
    pub(super) left: Vec<String>,
}

struct Named {
    name: String,
    account: String,
    who: Who,
    user: ConfigUser,
}

/// Every link the config's responses and imports promise between its named users.
pub(super) fn links(config: &Config) -> Links {
    let users: Vec<Named> = config
        .users()
        .into_iter()
        .filter_map(|u| {
            let name = u.user.clone()?;
            let account = u.account.clone().unwrap_or_else(|| "$G".into());
            Some(Named { name, account, who: from_user(&u), user: u })
        })
        .collect();
    let mut out = Links::default();
    imports(config, &users, &mut out);
    for r in &users {
        responses(r, &users, &mut out);
    }
    out
}

fn may(who: &Who, kind: &str, subject: &str) -> bool {
    decide(who, kind, subject).0
}

/// A requester of `subject` in `account`: may publish it and receive its reply.
fn requester<'a>(users: &'a [Named], account: &str, subject: &str, not: &str) -> Option<&'a Named> {
    users.iter().find(|q| {
        q.name != not && q.account == account && may(&q.who, "publish", subject) && may(&q.who, "subscribe", "_INBOX.x")
    })
}

/// A subject `r` answers, and who asks it: a request already drafted to `r` (through an
/// import), else a user of its account whose publish grant names a subject `r` subscribes to.
fn asked(r: &Named, users: &[Named], out: &Links) -> Option<(String, String)> {
    let prefix = "request ";
    let suffix = format!(" -> {}", r.name);
    for (q, lines) in &out.can {
        if let Some(subject) = lines.iter().find_map(|l| l.strip_prefix(prefix)?.strip_suffix(suffix.as_str())) {
            return Some((subject.to_string(), q.clone()));
        }
    }
    let patterns = r.user.permissions.as_ref().and_then(|p| p.subscribe.as_ref()).and_then(|s| s.allow.clone());
    let patterns: Vec<String> = patterns.unwrap_or_default().into_iter().filter(|p| !p.starts_with("_INBOX")).collect();
    users.iter().filter(|q| q.name != r.name && q.account == r.account).find_map(|q| {
        let grants = q.user.permissions.as_ref().and_then(|p| p.publish.as_ref()).and_then(|p| p.allow.clone());
        let subject = grants.unwrap_or_default().into_iter().map(|g| concrete(&g)).find(|s| {
            patterns.iter().any(|p| crate::contract::subject_within(s, p.split(' ').next().unwrap_or(p)))
                && may(&q.who, "publish", s)
                && may(&q.who, "subscribe", "_INBOX.x")
        })?;
        Some((subject, q.name.clone()))
    })
}

fn responses(r: &Named, users: &[Named], out: &mut Links) {
    let Some(resp) = r.user.permissions.as_ref().and_then(|p| p.allow_responses.as_ref()) else { return };
    let (max, expires) = match resp {
        AllowResponses::Defaults => (1, None),
        AllowResponses::Limits { max, expires } => {
            (max.unwrap_or(1).max(1) as u32, expires.as_deref().and_then(|e| e.parse::<Dur>().ok()))
        }
    };
    let Some((subject, q)) = asked(r, users, out) else {
        out.left.push(format!(
            "user `{}` answers with `allow_responses` ({}), but no user here may request what it subscribes to: state its `reply` lines by hand",
            r.name, r.user.at
        ));
        return;
    };
    let request = format!("request {subject} -> {}", r.name);
    let lines = out.can.entry(q).or_default();
    if !lines.contains(&request) {
        lines.push(request);
    }
    // A `reply` line answers on a plain subscription: a queue-only responder answers through its
    // `queue` line instead, and its limits are left to state by hand.
    if !may(&r.who, "subscribe", &subject) {
        out.left.push(format!(
            "user `{}` ({}) answers `{subject}` only as a queue member: its `allow_responses` limits are left to state by hand",
            r.name, r.user.at
        ));
        return;
    }
    let can = out.can.entry(r.name.clone()).or_default();
    can.push(format!("reply {subject} x{max}"));
    let cannot = out.cannot.entry(r.name.clone()).or_default();
    cannot.push(format!("reply {subject} x{}", max + 1));
    match expires {
        Some(Dur(e)) if e <= LONGEST_EXPIRES => cannot.push(format!("reply {subject} after {}ms", (e * 2).as_millis())),
        Some(Dur(e)) => out.left.push(format!(
            "user `{}`'s responses expire after {e:?}: a `cannot = [\"reply {subject} after ...\"]` line would wait longer than that",
            r.name
        )),
        None => {}
    }
}

/// One import of an account: `service` or `stream`, the exporting account, its subject, and the
/// local subject (`to`, or the stream's `prefix` before it).
struct Import {
    service: bool,
    account: String,
    subject: String,
    local: String,
}

fn imports(config: &Config, users: &[Named], out: &mut Links) {
    let Some(accounts) = crate::contract::explain::accounts(config) else { return };
    for entry in &accounts.entries {
        let Entry::Pair(account) = entry else { continue };
        let Some(list) = account.value.resolved().as_map().and_then(|m| m.get_ci("imports")) else { continue };
        let Value::Array(items) = &list.value.resolved().value else { continue };
        for item in items {
            let Some(import) = read_import(item) else { continue };
            let at = config.location(list.key_at);
            let (ok, what) = if import.service {
                let c = concrete(&import.local);
                let q = requester(users, &account.key, &c, "");
                let r = users
                    .iter()
                    .find(|r| r.account == import.account && may(&r.who, "subscribe", &concrete(&import.subject)));
                match (q, r) {
                    (Some(q), Some(r)) => {
                        out.can.entry(q.name.clone()).or_default().push(format!("request {c} -> {}", r.name));
                        (true, String::new())
                    }
                    _ => (false, format!("the service import of `{}` from `{}`", import.subject, import.account)),
                }
            } else {
                let c = concrete(&import.subject);
                let p = users.iter().find(|p| p.account == import.account && may(&p.who, "publish", &c));
                let local = concrete(&import.local);
                let b = users.iter().find(|b| b.account == account.key && may(&b.who, "subscribe", &local));
                match (p, b) {
                    (Some(p), Some(b)) if local == c => {
                        out.can.entry(p.name.clone()).or_default().push(format!("publish {c} -> {}", b.name));
                        (true, String::new())
                    }
                    _ => (false, format!("the stream import of `{}` from `{}`", import.subject, import.account)),
                }
            };
            if !ok {
                out.left.push(format!(
                    "{what} into account `{}` (at {at}): no pair of users here may send and receive it; state it as a `publish SUBJECT -> IDENTITY` or `request SUBJECT -> IDENTITY` line by hand",
                    account.key
                ));
            }
        }
    }
}

fn read_import(item: &Node) -> Option<Import> {
    let map = item.resolved().as_map()?;
    let (service, inner) = match (map.get_ci("service"), map.get_ci("stream")) {
        (Some(s), _) => (true, s),
        (None, Some(s)) => (false, s),
        _ => return None,
    };
    let inner = inner.value.resolved().as_map()?;
    let account = inner.get_ci("account")?.value.resolved().as_str()?.to_string();
    let subject = inner.get_ci("subject")?.value.resolved().as_str()?.to_string();
    let local = match (map.get_ci("to"), map.get_ci("prefix")) {
        (Some(to), _) => to.value.resolved().as_str()?.to_string(),
        (None, Some(prefix)) => format!("{}.{subject}", prefix.value.resolved().as_str()?),
        _ => subject.clone(),
    };
    Some(Import { service, account, subject, local })
}
