//! Fix suggestions that name this config's values.

use super::decode::{Decoded, JwtInfo, list, rule_text};
use super::subject::{covers, matches};
use crate::natsconf::{ConfigUser, SubjectRule};

/// A permission violation as the server words it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// `true` for a publish, `false` for a subscription.
    pub publish: bool,
    /// The subject.
    pub subject: String,
}

/// Reads `Permissions Violation for Publish to "x"` / `... Subscription to "x"`.
///
/// ```
/// use natsfault::diagnose::fix::parse_violation;
/// let v = parse_violation(r#"Permissions Violation for Subscription to "q.a" using queue "g""#).unwrap();
/// assert_eq!((v.publish, v.subject.as_str()), (false, "q.a"));
/// ```
pub fn parse_violation(err: &str) -> Option<Violation> {
    let rest = err.strip_prefix("Permissions Violation for ")?;
    let (publish, rest) = if let Some(r) = rest.strip_prefix("Publish to \"") {
        (true, r)
    } else {
        (false, rest.strip_prefix("Subscription to \"")?)
    };
    let subject = rest.split('"').next()?.to_string();
    // A request's reply subscription is `_INBOX.<random>.*`: the permission it needs is `_INBOX.>`.
    let subject = if !publish && subject.starts_with("_INBOX.") { "_INBOX.>".to_string() } else { subject };
    Some(Violation { publish, subject })
}

impl Violation {
    /// The `-ERR` text the server sends for this violation.
    ///
    /// ```
    /// use natsfault::diagnose::fix::parse_violation;
    /// let v = parse_violation(r#"Permissions Violation for Subscription to "_INBOX.abc.*""#).unwrap();
    /// assert_eq!(v.err_text(), r#"Permissions Violation for Subscription to "_INBOX.>""#);
    /// ```
    pub fn err_text(&self) -> String {
        format!(
            "Permissions Violation for {} to \"{}\"",
            if self.publish { "Publish" } else { "Subscription" },
            self.subject
        )
    }
}

fn user_name(u: &ConfigUser) -> String {
    u.user.clone().or_else(|| u.nkey.clone()).unwrap_or_else(|| "?".into())
}

/// The narrowest change to a rule that lets `subject` through.
fn rule_fix(rule: Option<&SubjectRule>, v: &Violation, responses_block: bool) -> String {
    let key = if v.publish { "publish" } else { "subscribe" };
    let s = &v.subject;
    let deny: Vec<&String> = rule
        .and_then(|r| r.deny.as_ref())
        .map(|d| d.iter().filter(|p| matches(p, s) || covers(p, s)).collect())
        .unwrap_or_default();
    if !deny.is_empty() {
        let d: Vec<String> = deny.iter().map(|p| format!("`{p}`")).collect();
        return format!(
            "`{s}` matches the {key} deny list entry {} (deny beats allow): remove it, or narrow it so it no longer matches `{s}`",
            d.join(", ")
        );
    }
    if v.publish && responses_block {
        return format!(
            "`allow_responses` without a publish allow list blocks every publish but replies: add `publish: {{ allow: [\"{s}\"] }}`"
        );
    }
    let allow = rule.and_then(|r| r.allow.clone()).unwrap_or_default();
    if !v.publish && s.contains(['*', '>']) && allow.iter().any(|a| covers(s, a)) {
        let inside: Vec<&String> = allow.iter().filter(|a| covers(s, a)).collect();
        return format!(
            "a subscription wider than the allow list is refused: subscribe to {} instead (allowed), or add `{s}` to the subscribe allow list",
            inside.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ")
        );
    }
    let mut new = allow.clone();
    new.push(s.clone());
    format!(
        "add exactly `{s}` (the narrowest permission that allows it) to the {key} allow list: {key} allow {} becomes {}",
        list(&allow),
        list(&new)
    )
}

/// The fix for a permission violation by a config user.
pub fn config_permission_fix(user: Option<&ConfigUser>, v: &Violation) -> String {
    let Some(u) = user else {
        return format!(
            "the permissions that apply to this client do not allow {} `{}`; add `{}` to its {} allow list",
            if v.publish { "publishing to" } else { "subscribing to" },
            v.subject,
            v.subject,
            if v.publish { "publish" } else { "subscribe" }
        );
    };
    let perms = u.permissions.as_ref();
    let rule = perms.and_then(|p| if v.publish { p.publish.as_ref() } else { p.subscribe.as_ref() });
    let block = perms.is_some_and(|p| p.responses_block_publish());
    let at = perms.map_or(u.at.to_string(), |p| p.at.to_string());
    let whose = if u.permissions_are_default { "the default permissions that apply to" } else { "the permissions of" };
    format!(
        "in {whose} user `{}` at {at} ({} {}): {}",
        user_name(u),
        if v.publish { "publish" } else { "subscribe" },
        rule_text(rule),
        rule_fix(rule, v, block)
    )
}

/// The fix for a permission violation by a JWT user.
pub fn jwt_permission_fix(jwt: &JwtInfo, v: &Violation) -> String {
    let [pa, pd, sa, sd] = &jwt.permissions;
    let (allow, deny) = if v.publish { (pa, pd) } else { (sa, sd) };
    let rule = SubjectRule {
        allow: (!allow.is_empty()).then(|| allow.clone()),
        deny: (!deny.is_empty()).then(|| deny.clone()),
    };
    let flag = if v.publish { "--allow-pub" } else { "--allow-sub" };
    format!(
        "the user JWT `{}` ({}) carries the permissions: {}; reissue it: `nsc edit user --name {} {flag} \"{}\"` (and `--rm` any deny entry that matches), then `nsc generate creds --name {}`",
        jwt.name,
        jwt.sub,
        rule_fix(Some(&rule), v, false),
        jwt.name,
        v.subject,
        jwt.name
    )
}

/// The fix for a permission violation, whoever the client is.
pub fn permission_fix(d: &Decoded, v: &Violation) -> String {
    match &d.jwt {
        Some(jwt) => jwt_permission_fix(jwt, v),
        None => config_permission_fix(d.user.as_ref(), v),
    }
}
