//! Checks of `{{...}}` placeholders at load time: every name is a known shape and names a
//! declared identity, so a typo is reported with its position instead of failing a run.

use std::ops::Range;

use super::client::ClientSpec;
use super::identity::Identities;
use super::problem::Problem;
use super::scenario::Scenario;
use crate::render::{PLACEHOLDER_SHAPES, PlaceholderKey, find_placeholders};

/// Every placeholder problem in the texts that are rendered: server configs, reload configs,
/// `raw-send` text, `log` patterns, `reason`s and client fields.
pub fn validate_placeholders(s: &Scenario) -> Vec<Problem> {
    let mut regions: Vec<Range<usize>> = s.servers.iter().map(|n| n.section.config.span()).collect();
    if let Some(fix) = &s.fix {
        regions.extend(fix.config.as_ref().map(|c| c.span()));
        regions.extend(fix.auth_endpoint.as_ref().and_then(|e| e.token.as_ref()).map(|t| t.span()));
    }
    regions.extend(s.auth_endpoint.as_ref().and_then(|e| e.token.as_ref()).map(|t| t.span()));
    for step in &s.steps {
        regions.extend(step.config.as_ref().map(|c| c.span()));
        regions.extend(step.send.as_ref().map(|c| c.span()));
        for e in std::iter::once(&step.expect).chain(step.expect_fixed.as_ref()) {
            regions.extend(e.log.as_ref().map(|c| c.span()));
            regions.extend(e.endpoint_received.as_ref().map(|c| c.span()));
            regions.extend(e.reason.as_ref().map(|c| c.span()));
            regions.extend(super::validate_callout_request::callout_value_spans(e));
        }
    }
    // A websocket client's upgrade headers and cookies.
    for (_, c) in s.clients.iter().chain(s.fix.iter().flat_map(|f| f.clients.iter())) {
        let c = c.get_ref();
        regions.extend([&c.ws_headers, &c.ws_cookies].into_iter().flatten().map(|m| m.span()));
    }
    let mut out = Vec::new();
    // Spanned strings: the problem points at the placeholder itself.
    for r in regions {
        let Some(text) = s.source.get(r.clone()) else { continue };
        for found in find_placeholders(text) {
            let span = r.start + found.range.start..r.start + found.range.end;
            out.extend(check(s, &s.identities, span, found.key, ""));
        }
    }
    // Client fields: the problem points at the client (a `[clients.NAME]` header or an inline table).
    let fixed = s.fix.iter().flat_map(|f| f.clients.iter());
    for (name, c) in s.clients.iter().chain(fixed) {
        for (field, value) in client_texts(c.get_ref()) {
            for found in find_placeholders(value) {
                out.extend(check(s, &s.identities, c.span(), found.key, &format!(" in `{field}` of client `{name}`")));
            }
        }
    }
    out
}

/// The client fields that take placeholders, by their scenario-file names.
fn client_texts(c: &ClientSpec) -> Vec<(&'static str, &str)> {
    let cb = c.auth_callback.as_ref();
    [
        ("name", c.name.as_deref()),
        ("user", c.user.as_deref()),
        ("password", c.password.as_deref()),
        ("token", c.token.as_deref()),
        ("auth-callback.nkey", cb.and_then(|a| a.nkey.as_deref())),
        ("auth-callback.jwt", cb.and_then(|a| a.jwt.as_deref())),
        ("auth-callback.sign-with", cb.and_then(|a| a.sign_with.as_deref())),
    ]
    .into_iter()
    .filter_map(|(f, v)| v.map(|v| (f, v)))
    .collect()
}

fn check(s: &Scenario, ids: &Identities, span: Range<usize>, key: Option<&str>, place: &str) -> Option<Problem> {
    let src = s.source.as_str();
    let Some(key) = key else {
        return Some(
            Problem::new(src, span, format!("unclosed placeholder{place}: expected `}}}}`")).label("opened here"),
        );
    };
    let parsed = match PlaceholderKey::parse(key) {
        Ok(k) => k,
        Err(_) => {
            return Some(
                Problem::new(src, span, format!("unknown placeholder `{{{{{key}}}}}`{place}"))
                    .label("not a placeholder name")
                    .help(format!("expected one of {PLACEHOLDER_SHAPES}")),
            );
        }
    };
    let undefined = |what: &str, name: &str, known: Vec<String>, declare: &str| {
        let help = if known.is_empty() {
            format!("declare it as `{declare}`")
        } else {
            format!("declared {what}s: {}", known.join(", "))
        };
        Some(
            Problem::new(src, span.clone(), format!("undefined {what} `{name}` in `{{{{{key}}}}}`"))
                .label("not declared")
                .help(help),
        )
    };
    match parsed {
        PlaceholderKey::Password(_) | PlaceholderKey::Token(_) => None,
        PlaceholderKey::Server(name, _) if !s.servers.iter().any(|n| n.name == name) => {
            undefined("server", name, s.servers.iter().map(|n| n.name.clone()).collect(), "[servers.NAME]")
        }
        PlaceholderKey::Server(..) => None,
        PlaceholderKey::UserCreds(name) if !ids.users.contains_key(name) => {
            undefined("user", name, ids.users.keys().cloned().collect(), "[users.NAME]")
        }
        PlaceholderKey::UserCreds(_) => None,
        PlaceholderKey::UserCredsWithSeed(name, seed) => [name, seed]
            .into_iter()
            .find(|n| !ids.users.contains_key(*n))
            .and_then(|n| undefined("user", n, ids.users.keys().cloned().collect(), "[users.NAME]")),
        PlaceholderKey::OperatorJwt
        | PlaceholderKey::OperatorPublic
        | PlaceholderKey::SystemAccount
        | PlaceholderKey::ResolverPreload => ids.operator.is_none().then(|| {
            Problem::new(src, span.clone(), format!("`{{{{{key}}}}}` needs `[operator]`"))
                .label("operator mode only")
                .help("add an `[operator]` table (it may be empty)")
        }),
        PlaceholderKey::EndpointIssuer | PlaceholderKey::EndpointXkey => s.auth_endpoint.is_none().then(|| {
            Problem::new(src, span.clone(), format!("`{{{{{key}}}}}` needs `[auth-endpoint]`"))
                .label("auth endpoint only")
                .help("add an `[auth-endpoint]` table (it may be empty)")
        }),
        PlaceholderKey::AccountServerUrl => s.account_server.is_none().then(|| {
            Problem::new(src, span.clone(), format!("`{{{{{key}}}}}` needs `[account-server]`"))
                .label("account server only")
                .help("add an `[account-server]` table (it may be empty)")
        }),
        PlaceholderKey::Account(name, _) if !ids.has_account(name) => {
            undefined("account", name, ids.account_names(), "[accounts.NAME]")
        }
        PlaceholderKey::User(name, _) if !ids.users.contains_key(name) => {
            undefined("user", name, ids.users.keys().cloned().collect(), "[users.NAME]")
        }
        PlaceholderKey::Nkey(name, _) if !ids.nkeys.contains_key(name) => {
            undefined("nkey", name, ids.nkeys.keys().cloned().collect(), "[nkeys.NAME]")
        }
        PlaceholderKey::Account(..) | PlaceholderKey::User(..) | PlaceholderKey::Nkey(..) => None,
        PlaceholderKey::Tls(kind, name, _) => {
            let Some(tls) = s.tls.as_ref() else {
                return Some(
                    Problem::new(src, span.clone(), format!("`{{{{{key}}}}}` needs `[tls]`"))
                        .label("certificates only")
                        .help(format!("declare it as `[tls.{kind}.{name}]`")),
                );
            };
            let known: Vec<String> = match kind {
                "ca" => tls.ca.keys().cloned().collect(),
                "server" => tls.server.keys().cloned().collect(),
                _ => tls.client.keys().cloned().collect(),
            };
            if known.iter().any(|k| k == name) {
                None
            } else {
                undefined(&format!("{kind} certificate"), name, known, &format!("[tls.{kind}.NAME]"))
            }
        }
    }
}
