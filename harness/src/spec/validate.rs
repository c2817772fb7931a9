//! Checks that need the whole scenario: references between parts, subjects, regexes, the fix.

use toml::Spanned;

use super::cause::Cause;
use super::client::ClientKind;
use super::expect::Expect;
use super::problem::Problem;
use super::scenario::Scenario;
use super::step::{Action, Phase, Step};
use super::subject::check_subject;
use super::validate_account_server::validate_account_server;
use super::validate_callout::validate_callout;
use super::validate_evidence::validate_evidence;
use super::validate_identities::validate_identities;
use super::validate_placeholders::validate_placeholders;
use super::validate_toxics::validate_toxics;

/// Client-side error kinds a scenario may expect, as async-nats names them (connect, request,
/// publish, subscribe and flush errors), plus `Io` for a raw client whose connect failed and
/// `InvalidData` for a creds file async-nats refuses to read (an `io::Error` from
/// `ConnectOptions::credentials_file`, before any connection).
pub const ERROR_KINDS: &[&str] = &[
    "AuthorizationViolation",
    "Authentication",
    "TimedOut",
    "Io",
    "InvalidData",
    "MaxReconnects",
    "ServerParse",
    "Dns",
    "Tls",
    "NoResponders",
    "InvalidSubject",
    "MaxPayloadExceeded",
    "Send",
    "SendError",
    "FlushError",
    "Other",
    // MQTT clients (rumqttc): a CONNACK refusal, a SUBACK failure.
    "ConnectionRefused",
    "SubscribeRefused",
];

/// Every problem in a scenario; `complete` says whether every part deserialized (when not, only
/// the checks of single parts run, so one typo does not cascade).
pub fn validate(s: &Scenario, complete: bool) -> Vec<Problem> {
    let src = s.source.as_str();
    let mut out = Vec::new();
    for step in &s.steps {
        check_step(s, step, &mut out);
    }
    if let Some(r) = &s.server.expect_refused {
        check_regex(src, r, "expect-refused", &mut out);
    }
    out.extend(validate_identities(s));
    out.extend(validate_endpoint(s));
    out.extend(super::validate_http::validate_http(s));
    out.extend(super::validate_mqtt::validate_mqtt(s));
    out.extend(super::validate_websocket::validate_websocket(s));
    out.extend(super::validate_on_disconnect::validate_on_disconnect(s));
    out.extend(validate_callout(s));
    out.extend(super::validate_callout_request::validate_callout_request(s));
    out.extend(validate_account_server(s));
    out.extend(validate_placeholders(s));
    out.extend(validate_toxics(s));
    out.extend(super::validate_tls::validate_tls(s));
    out.extend(validate_evidence(s));
    out.extend(super::validate_libraries::validate_libraries(s));
    out.extend(super::validate_topology::validate_topology(s));
    out.extend(super::validate_raw_listener::validate_raw_listener(s));
    out.extend(crate::door::validate_listeners(s));
    match &s.fix {
        None if complete && s.cause != Cause::ServerUnreachable => out.push(
            Problem::new(src, 0..0, format!("missing `[fix]`: a `{}` scenario must show its fix working", s.cause))
                .help("add `[fix]` with a `summary` and a `config`, `replace` or `clients` change"),
        ),
        None => {}
        Some(fix) => {
            for r in &fix.replace {
                if r.from.get_ref().is_empty() {
                    out.push(
                        Problem::new(src, r.from.span(), "expected `replace.from` to be text of the broken config, found an empty one")
                            .label("empty")
                            .help("an empty `from` occurs everywhere; quote the text to change, e.g. `from = 'publish: [\"data.>\"]'`"),
                    );
                } else if !s.servers.iter().any(|n| n.section.config.get_ref().contains(r.from.get_ref().as_str())) {
                    out.push(
                        Problem::new(
                            src,
                            r.from.span(),
                            format!("expected `{}` to occur in `[server] config`", r.from.get_ref()),
                        )
                        .label("not found in the config")
                        .help("`replace.from` is literal text of the broken config"),
                    );
                }
            }
            for (name, c) in &fix.clients {
                if !s.clients.contains_key(name) {
                    out.push(undefined_client(s, name, c.span()));
                }
            }
            if let Some(r) = &fix.expect_refused {
                check_regex(src, r, "expect-refused", &mut out);
            }
            let changes = fix.config.is_some()
                || !fix.replace.is_empty()
                || !fix.clients.is_empty()
                || !fix.accounts.is_empty()
                || !fix.users.is_empty()
                || fix.auth_endpoint.is_some()
                || fix.account_server.is_some();
            if complete && !changes && !s.steps.iter().any(|st| st.only.is_some()) {
                out.push(Problem::new(
                    src,
                    0..0,
                    "expected `[fix]` to change something: `config`, `replace`, `clients`, `accounts`, `users`, `auth-endpoint`, `account-server` or steps with `only`",
                ));
            }
        }
    }
    let refused = s.server.expect_refused.is_some();
    // A library's failure counts: a library comparison may show the broken case in one library.
    let broken_fails = s.steps.iter().filter(|st| st.runs_in(Phase::Broken)).any(|st| {
        st.expect.expects_failure()
            || st.expect.expects_received_err()
            || st.expect.expects_unwanted_success()
            || *st.action.get_ref() == Action::ExpectNoMessage
            || st.expect.by_library.iter().flat_map(|m| m.values()).any(|l| l.expects_failure())
    });
    if complete && !refused && !broken_fails {
        out.push(
            Problem::new(src, 0..0, "expected the broken phase to observe a failure, but no step expects one").help(
                "give a step `expect = { error = ... }`, `server-err`, a failure `event`, `unwanted = \"success\"`, or `server.expect-refused`",
            ),
        );
    }
    out
}

/// The auth endpoint: statuses are HTTP statuses, and `set-endpoint` and the `endpoint-*`
/// expectations need an `[auth-endpoint]`.
fn validate_endpoint(s: &Scenario) -> Vec<Problem> {
    let src = s.source.as_str();
    let mut out = Vec::new();
    let fixed = s.fix.as_ref().and_then(|f| f.auth_endpoint.as_ref());
    let changes = s.steps.iter().filter_map(|st| st.endpoint.as_ref()).map(|c| c.get_ref().status.as_ref());
    let statuses = [s.auth_endpoint.as_ref(), fixed].into_iter().flatten().map(|e| e.status.as_ref()).chain(changes);
    out.extend(statuses.flatten().filter_map(|status| http_status_problem(src, status)));
    if fixed.is_some() && s.auth_endpoint.is_none() {
        out.push(
            Problem::new(src, 0..0, "`[fix.auth-endpoint]` needs an `[auth-endpoint]` to change")
                .help("declare `[auth-endpoint]` (it may be empty)"),
        );
    }
    for step in &s.steps {
        let action = *step.action.get_ref();
        match (&step.endpoint, action) {
            (None, Action::SetEndpoint) => out.push(
                Problem::new(
                    src,
                    step.action.span(),
                    "`set-endpoint` needs `endpoint`, e.g. `endpoint = { status = 500 }`",
                )
                .label("this step"),
            ),
            (Some(e), a) if a != Action::SetEndpoint => out.push(
                Problem::new(src, e.span(), format!("`{}` takes no `endpoint`", a.as_str())).label("remove this"),
            ),
            _ => {}
        }
        if s.auth_endpoint.is_some() {
            continue;
        }
        let needs = action == Action::SetEndpoint
            || [Some(&step.expect), step.expect_fixed.as_ref()]
                .into_iter()
                .flatten()
                .any(|e| e.endpoint_calls.is_some() || e.endpoint_received.is_some());
        if needs {
            out.push(
                Problem::new(src, step.action.span(), "this step needs `[auth-endpoint]`")
                    .label("uses the auth endpoint")
                    .help("declare `[auth-endpoint]` (it may be empty)"),
            );
        }
    }
    out
}

/// A problem when `status` is not an HTTP status.
pub(super) fn http_status_problem(src: &str, status: &Spanned<u16>) -> Option<Problem> {
    (!(100..=599).contains(status.get_ref())).then(|| {
        Problem::new(src, status.span(), format!("expected an HTTP status (100 to 599), found `{}`", status.get_ref()))
            .label("not an HTTP status")
    })
}

/// A problem for account `name`, which the scenario does not declare.
pub(super) fn undefined_account_problem(s: &Scenario, name: &Spanned<String>) -> Problem {
    Problem::new(&s.source, name.span(), format!("undefined account `{}`", name.get_ref()))
        .label("not declared")
        .help(format!("declared accounts: {}", s.identities.account_names().join(", ")))
}

fn undefined_client(s: &Scenario, name: &str, span: std::ops::Range<usize>) -> Problem {
    let known: Vec<&str> = s.clients.keys().map(String::as_str).collect();
    Problem::new(&s.source, span, format!("undefined client `{name}`")).label("not declared").help(
        if known.is_empty() {
            "declare it as `[clients.NAME]`".to_string()
        } else {
            format!("declared clients: {}", known.join(", "))
        },
    )
}

/// The actions that may name a `link` instead of a `client`.
pub(crate) fn is_link_toxic_action(action: Action) -> bool {
    matches!(
        action,
        Action::AddToxic | Action::RemoveToxic | Action::AddRule | Action::RemoveRule | Action::ResetConnections
    )
}

fn check_step(s: &Scenario, step: &Step, out: &mut Vec<Problem>) {
    let src = s.source.as_str();
    let action = *step.action.get_ref();
    let at = step.action.span();
    if action == Action::MoveAddress && step.server.is_none() {
        out.push(
            Problem::new(
                src,
                at.clone(),
                "`move-address` needs `server`, the server the client's address points at next",
            )
            .label("this step")
            .help("e.g. `server = \"b\"` of the scenario's `[servers.NAME]`"),
        );
    }
    match &step.client {
        Some(c) if !s.clients.contains_key(c.get_ref()) => out.push(undefined_client(s, c.get_ref(), c.span())),
        Some(c) if !action.needs_client() && action != Action::Await => out
            .push(Problem::new(src, c.span(), format!("`{}` takes no `client`", action.as_str())).label("remove this")),
        None if action.needs_client()
            && !((step.link.is_some() || step.callout == Some(true)) && is_link_toxic_action(action)) =>
        {
            out.push(
                Problem::new(src, at.clone(), format!("`{}` needs a `client`", action.as_str())).label("this step"),
            )
        }
        _ => {}
    }
    if step.callout == Some(true) {
        if !is_link_toxic_action(action) {
            let message = format!("`callout = true` is for toxic, rule and reset steps, not `{}`", action.as_str());
            out.push(Problem::new(src, at.clone(), message).label("this step"));
        } else if s.auth_endpoint.is_none() {
            let message =
                "`callout = true` acts on the auth callout service's connection, but no `[auth-endpoint]` runs one";
            out.push(Problem::new(src, at.clone(), message).label("this step"));
        }
        if step.client.is_some() || step.link.is_some() {
            let message = "`callout = true` names the connection acted on: remove `client` or `link`";
            out.push(Problem::new(src, at.clone(), message).label("this step"));
        }
    }
    match &step.subject {
        Some(subj) => {
            let wild =
                matches!(action, Action::Subscribe | Action::Respond | Action::ExpectMessage | Action::ExpectNoMessage);
            if !action.needs_subject() {
                out.push(Problem::new(src, subj.span(), format!("`{}` takes no `subject`", action.as_str())));
            } else if let Err(e) = check_subject(subj.get_ref(), wild) {
                out.push(Problem::new(src, subj.span(), e.to_string()).label("invalid subject"));
            }
        }
        None if action.needs_subject() => out
            .push(Problem::new(src, at.clone(), format!("`{}` needs a `subject`", action.as_str())).label("this step")),
        None => {}
    }
    if action == Action::Wait && step.duration.is_none() {
        out.push(Problem::new(src, at.clone(), "`wait` needs a `duration` such as `\"200ms\"`"));
    }
    if action == Action::RawSend {
        if step.send.is_none() {
            out.push(Problem::new(src, at.clone(), "`raw-send` needs `send`, the bytes to write"));
        }
        if let Some(c) = &step.client
            && let Some(spec) = s.clients.get(c.get_ref())
            && spec.get_ref().kind() != ClientKind::Raw
        {
            out.push(
                Problem::new(
                    src,
                    c.span(),
                    format!("`raw-send` needs a raw client, but `{}` is a nats client", c.get_ref()),
                )
                .help("declare the client with `kind = \"raw\"`"),
            );
        }
    }
    if let Some(c) = &step.client
        && s.clients.get(c.get_ref()).is_some_and(|spec| spec.get_ref().is_direct())
    {
        let needs_tap = is_link_toxic_action(action)
            || [&step.expect, step.expect_fixed.as_ref().unwrap_or(&step.expect)]
                .iter()
                .any(|e| e.server_err.is_some() || e.connections.is_some() || e.shaped.is_some());
        if needs_tap {
            out.push(
                Problem::new(
                    src,
                    c.span(),
                    format!(
                        "client `{}` connects directly (`direct = true`), but this step needs its wire tap",
                        c.get_ref()
                    ),
                )
                .help("toxics, rules, `server-err`, `connections` and `shaped` observe the tap; remove `direct` or the expectation"),
            );
        }
    }
    if action == Action::AddToxic && step.toxic_at.is_none() {
        out.push(
            Problem::new(src, at.clone(), "`add-toxic` needs a `toxic`")
                .help("e.g. `toxic = { name = \"lag\", type = \"latency\", attributes = { latency = \"1s\" } }`"),
        );
    }
    if action != Action::AddToxic && step.toxic_at.is_some() {
        out.push(Problem::new(src, at.clone(), format!("`{}` takes no `toxic`", action.as_str())));
    }
    if action == Action::RemoveToxic && step.toxic_name.is_none() {
        out.push(Problem::new(src, at.clone(), "`remove-toxic` needs a `toxic-name`"));
    }
    match (&step.rule, action) {
        (None, Action::AddRule) => out.push(Problem::new(src, at.clone(), "`add-rule` needs a `rule`").help(
            "e.g. `rule = { name = \"lost-pong\", to = \"client\", verb = \"PONG\", nth = 1, action = \"drop\" }`",
        )),
        (Some(r), Action::AddRule) => out.extend(r.get_ref().problems(src)),
        (Some(r), _) => out.push(Problem::new(src, r.span(), format!("`{}` takes no `rule`", action.as_str()))),
        (None, _) => {}
    }
    match (&step.rule_name, action) {
        (None, Action::RemoveRule) => out.push(Problem::new(src, at.clone(), "`remove-rule` needs a `rule-name`")),
        (Some(n), a) if a != Action::RemoveRule => {
            out.push(Problem::new(src, n.span(), format!("`{}` takes no `rule-name`", action.as_str())))
        }
        _ => {}
    }
    if step.config.is_some() && action != Action::ReloadServer {
        out.push(Problem::new(src, at.clone(), format!("`{}` takes no `config`", action.as_str())));
    }
    super::jetstream_action::check_js(src, step, out);
    check_expect(src, &step.expect, out);
    if let Some(e) = &step.expect_fixed {
        check_expect(src, e, out);
    }
}

fn check_expect(src: &str, e: &Expect, out: &mut Vec<Problem>) {
    if let Some(kind) = &e.error
        && !ERROR_KINDS.contains(&kind.get_ref().as_str())
        && !super::jetstream_action::JS_ERROR_KINDS.contains(&kind.get_ref().as_str())
    {
        out.push(
            Problem::new(src, kind.span(), format!("unknown error kind `{}`", kind.get_ref()))
                .label("not an async-nats error kind")
                .help(format!(
                    "expected one of: {}, or for JetStream steps: {}",
                    ERROR_KINDS.join(", "),
                    super::jetstream_action::JS_ERROR_KINDS.join(", ")
                )),
        );
    }
    if let Some(r) = &e.log {
        for p in r.get_ref().iter() {
            check_regex(src, &Spanned::new(r.span(), p.to_string()), "log", out);
        }
    }
    if let Some(c) = &e.log_count {
        check_regex(src, &c.pattern, "log-count", out);
    }
    if let Some(r) = &e.server_err_matches {
        check_regex(src, r, "server-err-matches", out);
    }
    if let Some(ev) = &e.event {
        let kind = ev.get_ref().split(':').next().unwrap_or_default().trim();
        const KINDS: &[&str] = &[
            "connected",
            "disconnected",
            "closed",
            "lame-duck-mode",
            "draining",
            "slow-consumer",
            "server-error",
            "client-error",
        ];
        if !KINDS.contains(&kind) {
            out.push(
                Problem::new(src, ev.span(), format!("unknown event kind `{kind}`"))
                    .label("not an event kind")
                    .help(format!("expected one of: {}", KINDS.join(", "))),
            );
        }
    }
}

pub(super) fn check_regex(src: &str, r: &Spanned<String>, key: &str, out: &mut Vec<Problem>) {
    // Placeholders (`{{nkey.alice.public}}`) are filled with escaped values before matching.
    let mut pattern = r.get_ref().clone();
    for found in crate::render::find_placeholders(r.get_ref()).iter().rev() {
        pattern.replace_range(found.range.clone(), "X");
    }
    if let Err(e) = regex::Regex::new(&pattern) {
        let detail = e.to_string().lines().last().unwrap_or_default().trim().to_lowercase();
        out.push(
            Problem::new(src, r.span(), format!("expected `{key}` to be a regular expression: {detail}"))
                .label("invalid regex")
                .help("escape literal `(`, `[`, `.` and `*` with a backslash, or use a TOML literal string '...'"),
        );
    }
}
