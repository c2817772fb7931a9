//! A scenario's pasted configs through the door: its servers keep their cluster, leafnode,
//! gateway, websocket and MQTT blocks (the harness binds each listener on 127.0.0.1 or
//! natsfault's network), so instead of removing them the plan refuses, at `check`, every key
//! that would listen, dial, read or write outside the run: the same key table the rewrite of a
//! customer's config uses ([`crate::natsconf::guard`]), keys folded as nats-server folds them,
//! URLs read as Go's `net/url` reads them. A route, remote or gateway URL must name a server
//! of the scenario through its placeholders; a `$NAME` must be defined in the config or passed
//! with `[server] env`; a pasted config includes nothing.

use std::ops::Range;

use super::text::offset;
use crate::natsconf::{Breach, BreachKind, ConfErrorKind, Config, GoUrl, ParseOptions, guard};
use crate::render::{PlaceholderKey, find_placeholders};
use crate::spec::{Problem, Scenario};

/// Where a pasted config is parsed from: a folder that does not exist, so nothing beside it can
/// be included.
const PASTED_AT: &str = "/natsfault-pasted-config/nats.conf";

/// Every problem of the scenario's pasted configs: its servers', its fix's, a `reload-server`
/// step's, and what a `[fix] replace` makes of each server's config.
pub fn validate_listeners(s: &Scenario) -> Vec<Problem> {
    let mut out = Vec::new();
    let names: Vec<&str> = s.servers.iter().map(|n| n.name.as_str()).collect();
    let mut configs: Vec<Range<usize>> =
        s.servers.iter().filter(|n| n.section.config_file.is_none()).map(|n| n.section.config.span()).collect();
    configs.extend(s.fix.iter().filter_map(|f| f.config.as_ref()).map(|c| c.span()));
    configs.extend(s.steps.iter().filter_map(|step| step.config.as_ref()).map(|c| c.span()));
    out.extend(replaced(s, &names));
    let env: Vec<(String, String)> = s
        .servers
        .iter()
        .flat_map(|n| n.section.env.iter())
        .filter_map(|v| v.get_ref().split('=').next().map(|name| (name.to_string(), "x".to_string())))
        .collect();
    let refusal_expected = s.servers.iter().any(|n| n.section.expect_refused.is_some());
    for span in configs {
        let Some(raw) = s.source.get(span.clone()) else { continue };
        let (base, text) = content(raw);
        let at = |offset: usize, len: usize| span.start + base + offset..span.start + base + offset + len;
        let (masked, includes) = without_includes(&mask(text, &names));
        for offset in includes {
            out.push(
                Problem::new(&s.source, at(offset, "include".len()), "expected no `include` in a pasted config")
                    .label("would be read from the server's folder")
                    .help("name the config with `config-file = \"deploy/nats.conf\"`: its includes are read from its own folder"),
            );
        }
        let (parsed, undefined) = parse_collecting_undefined(&masked, env.clone());
        if !refusal_expected {
            for (name, line, column) in undefined {
                let offset = offset(text, line, column).unwrap_or(0);
                out.push(
                    Problem::new(&s.source, at(offset, name.len() + 1), format!("variable `${name}` is not defined in the config"))
                        .label("undefined")
                        .help(format!("define `{name}` earlier in the config, or pass it: `[server] env = [\"{name}=VALUE\"]` (nats-server's own environment is not used)")),
                );
            }
        }
        // A config that does not parse otherwise is refused by nats-server itself.
        let Some(parsed) = parsed else { continue };
        let peer = |url: &GoUrl| allowed(url, &names);
        for b in guard(&parsed, &peer) {
            let (offset, len) = breach_span(text, &b);
            let found = &text[offset..offset + len];
            let problem = match b.kind {
                BreachKind::Url => Problem::new(
                    &s.source,
                    at(offset, len),
                    format!("expected a URL of a server of this scenario, found `{found}`"),
                ),
                BreachKind::Path => Problem::new(
                    &s.source,
                    at(offset, len),
                    format!("expected a path inside the server's folder for `{}`, found `{found}`", b.key),
                ),
                BreachKind::Key => {
                    Problem::new(&s.source, at(offset, len), format!("expected no `{}`: it {}", b.key, b.what))
                }
            };
            out.push(problem.label("here").help(help_for(&b)));
        }
    }
    out
}

/// What `[fix] replace` brings into a server's config that its broken config did not have,
/// reported at the replacement.
fn replaced(s: &Scenario, names: &[&str]) -> Vec<Problem> {
    let Some(fix) = s.fix.as_ref().filter(|f| !f.replace.is_empty()) else { return Vec::new() };
    let Some(first) = fix.replace.first() else { return Vec::new() };
    let peer = |url: &GoUrl| allowed(url, names);
    let breaches = |text: &str| -> Vec<String> {
        let (masked, includes) = without_includes(&mask(text, names));
        let env: Vec<(String, String)> = s.servers.iter().flat_map(|n| n.section.env_values.iter().cloned()).collect();
        let mut found: Vec<String> =
            includes.iter().map(|_| "expected no `include` in a pasted config".to_string()).collect();
        if let (Some(parsed), _) = parse_collecting_undefined(&masked, env) {
            found.extend(guard(&parsed, &peer).into_iter().map(|b| format!("expected no `{}`: it {}", b.key, b.what)));
        }
        found
    };
    let mut out = Vec::new();
    for server in s.servers.iter().filter(|n| n.section.config_file.is_none()) {
        let (Some(broken), Some(fixed)) = (
            s.config_of(&server.name, crate::spec::Phase::Broken),
            s.config_of(&server.name, crate::spec::Phase::Fixed),
        ) else {
            continue;
        };
        let before = breaches(&broken);
        for found in breaches(&fixed).into_iter().filter(|b| !before.contains(b)) {
            out.push(
                Problem::new(&s.source, first.from.span(), format!("the fix's `replace` brings into `{}`: {found}", server.name))
                    .label("this replacement")
                    .help("the fixed config is held to what the broken one is: nothing may listen, dial, read or write outside the run"),
            );
        }
    }
    out
}

/// How many undefined variables of one config are reported.
const MAX_UNDEFINED: usize = 32;

/// Parses a masked pasted config; each undefined variable is recorded (name, line, column), then
/// taken as defined, so the next one is found too.
fn parse_collecting_undefined(
    masked: &str,
    mut env: Vec<(String, String)>,
) -> (Option<Config>, Vec<(String, u32, u32)>) {
    let mut undefined = Vec::new();
    for _ in 0..MAX_UNDEFINED {
        let options = ParseOptions::sandboxed(env.clone(), Vec::new());
        match Config::parse_str(masked, PASTED_AT, &options) {
            Ok(p) => return (Some(p), undefined),
            Err(e) => {
                let ConfErrorKind::UndefinedVariable { name } = &e.kind else { return (None, undefined) };
                undefined.push((name.clone(), e.line, e.column));
                env.push((name.clone(), "x".into()));
            }
        }
    }
    (None, undefined)
}

/// The top-level blocks (keys folded to lowercase, as nats-server folds them, whose value is a
/// map) of a pasted config `text` of a scenario with servers `names`, read with its placeholders
/// masked; `None` when it does not parse.
pub fn config_blocks(text: &str, names: &[&str]) -> Option<Vec<String>> {
    let (parsed, _) = parse_collecting_undefined(&mask(text, names), Vec::new());
    let parsed = parsed?;
    let blocks = parsed.root().entries.iter().filter_map(|entry| match entry {
        crate::natsconf::Entry::Pair(pair) if matches!(pair.value.value, crate::natsconf::Value::Map(_)) => {
            Some(crate::natsconf::fold_key(&pair.key).into_owned())
        }
        _ => None,
    });
    Some(blocks.collect())
}

/// Variables a scenario's pasted configs read from natsfault's environment without naming them in
/// `[server] env`, as nats-server read its inherited environment before the one door: each is
/// passed explicitly to the server that reads it (its value a secret), and a warning gives the
/// rewrite. A variable the environment does not hold either stays a problem.
pub fn adopt_environment(s: &mut Scenario) -> Vec<String> {
    let names: Vec<String> = s.servers.iter().map(|n| n.name.clone()).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let file = s.path.display().to_string();
    let mut warnings = Vec::new();
    let mut adopted: Vec<(usize, String, String)> = Vec::new();
    for (i, server) in s.servers.iter().enumerate() {
        let mut texts = vec![server.section.config.clone()];
        if i == 0 {
            texts.extend(s.fix.iter().filter_map(|f| f.config.clone()));
        }
        for config in texts.iter().filter(|_| server.section.config_file.is_none()) {
            let Some(raw) = s.source.get(config.span()) else { continue };
            let (base, text) = content(raw);
            let (masked, _) = without_includes(&mask(text, &names));
            let env: Vec<(String, String)> = server.section.env_values.clone();
            for (name, line, column) in parse_collecting_undefined(&masked, env).1 {
                let Ok(value) = std::env::var(&name) else { continue };
                if adopted.iter().any(|(j, n, _)| *j == i && *n == name) {
                    continue;
                }
                let start = config.span().start + base + offset(text, line, column).unwrap_or(0);
                let (l, c) = line_col(&s.source, start);
                warnings.push(format!(
                    "{file}:{l}:{c}: `${name}` is read from natsfault's environment; a later release refuses this: write `env = [\"{name}\"]` in the server's table to pass it explicitly"
                ));
                adopted.push((i, name, value));
            }
        }
    }
    for (i, name, value) in adopted {
        if let Some(server) = s.servers.get_mut(i) {
            server.section.env.push(toml::Spanned::new(0..0, name.clone()));
            server.section.env_values.push((name.clone(), value.clone()));
        }
        if i == 0 {
            s.server.env.push(toml::Spanned::new(0..0, name.clone()));
            s.server.env_values.push((name, value));
        }
    }
    warnings
}

/// The 1-based line and column of a byte offset.
fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// `text` with every `include` directive blanked out, and where each was.
fn without_includes(text: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(text.len());
    let mut found = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let indent = body.len() - body.trim_start().len();
        let word: String = body[indent..].chars().take_while(|c| !c.is_whitespace()).collect();
        let followed = body[indent + word.len()..].starts_with([' ', '\t']);
        if crate::natsconf::fold_key(&word) == "include" && followed {
            found.push(at + indent);
            out.push_str(&" ".repeat(body.len()));
            out.push_str(&line[body.len()..]);
        } else {
            out.push_str(line);
        }
        at += line.len();
    }
    (out, found)
}

fn help_for(b: &Breach) -> String {
    match b.kind {
        BreachKind::Url => "name a server of this scenario by its placeholders: `{{servers.hub.leafnode-url}}`, or `nats://user:pass@{{servers.hub.host}}:{{servers.hub.leafnode-port}}`".into(),
        BreachKind::Path => "use the run's own files (`{{tls.server.NAME.cert}}`, `{{user.NAME.creds}}`) or a path relative to the server's folder, without `..`".into(),
        BreachKind::Key => "remove it: natsfault binds every listener on 127.0.0.1 (or its own network), reads the log from standard error and keeps every file in the sandbox".into(),
    }
}

/// Where to point at a breach: the offending value, or the key as written.
fn breach_span(text: &str, b: &Breach) -> (usize, usize) {
    match b.value_at {
        Some(at) => {
            let start = offset(text, at.line, at.column).unwrap_or(0);
            let rest = &text[start..];
            let (value, skip) = match rest.chars().next() {
                Some(q @ ('"' | '\'')) => (rest[1..].split(q).next().unwrap_or_default(), 1),
                _ => (
                    rest.split(|c: char| c.is_whitespace() || c == ',' || c == ']' || c == '}')
                        .next()
                        .unwrap_or_default(),
                    0,
                ),
            };
            (start + skip, value.len().max(1))
        }
        None => {
            let start = offset(text, b.at.line, b.at.column).unwrap_or(0);
            let key = b.key.rsplit('.').next().unwrap_or(&b.key);
            (start, key.len().max(1))
        }
    }
}

/// The text of a TOML string literal and where it starts inside it (`'''` and a first newline
/// skipped); a basic string with escapes is checked as written.
fn content(raw: &str) -> (usize, &str) {
    for quote in ["'''", "\"\"\"", "'", "\""] {
        if let Some(inner) = raw.strip_prefix(quote).and_then(|r| r.strip_suffix(quote)) {
            let skip = if quote.len() == 3 && inner.starts_with('\n') { 1 } else { 0 };
            return (quote.len() + skip, &inner[skip..]);
        }
    }
    (0, raw)
}

/// The host a masked `{{servers.NAME.host}}` reads as: `nfh` and the server's index, padded.
const HOST_TOKEN: &str = "nfh";
/// The host a masked `{{account-server.url}}` reads as.
const ACCOUNT_SERVER_TOKEN: &str = "nfacct";

/// Listener ports a peer may dial, by placeholder field, with the digit that stands for each.
const PORT_FIELDS: &[(&str, char)] = &[
    ("port", '0'),
    ("cluster-port", '1'),
    ("leafnode-port", '2'),
    ("gateway-port", '3'),
    ("url", '0'),
    ("cluster-url", '1'),
    ("leafnode-url", '2'),
    ("gateway-url", '3'),
    ("websocket-port", '4'),
    ("websocket-url", '4'),
];

/// `text` with each placeholder replaced by text of the same length that parses the same way:
/// a server's host, port or URL by tokens that say which server it is (so a URL can be read as
/// Go reads it and its host checked); a placeholder alone on its line (it expands to whole
/// entries, like `{{resolver-preload}}`) by spaces; any other by `x`.
fn mask(text: &str, names: &[&str]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for f in find_placeholders(text) {
        out.push_str(&text[last..f.range.start]);
        last = f.range.end;
        let len = f.range.len();
        let line_start = text[..f.range.start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[f.range.end..].find('\n').map_or(text.len(), |i| f.range.end + i);
        let alone = text[line_start..f.range.start].trim().is_empty() && text[f.range.end..line_end].trim().is_empty();
        let token = match f.key.map(PlaceholderKey::parse) {
            Some(Ok(PlaceholderKey::Server(name, field))) => server_token(names, name, field, len),
            Some(Ok(PlaceholderKey::AccountServerUrl)) => {
                Some(pad_url(format!("http://{ACCOUNT_SERVER_TOKEN}:1"), len))
            }
            _ => None,
        };
        match token {
            Some(t) => out.push_str(&t),
            None if alone => out.push_str(&" ".repeat(len)),
            None => out.push_str(&"x".repeat(len)),
        }
    }
    out.push_str(&text[last..]);
    out
}

fn server_token(names: &[&str], name: &str, field: &str, len: usize) -> Option<String> {
    let index = names.iter().position(|n| *n == name)?;
    let host = format!("{HOST_TOKEN}{index:02}");
    let code = PORT_FIELDS.iter().find(|(f, _)| *f == field).map_or('9', |(_, c)| *c);
    let port = format!("1{index:02}{code}");
    if field == "host" {
        return Some(format!("{host:x<len$}"));
    }
    if field == "port" || field.ends_with("-port") {
        return Some(format!("{port:0<len$}"));
    }
    if field == "url" || field.ends_with("-url") {
        let scheme = if field == "websocket-url" { "ws" } else { "nats" };
        return Some(pad_url(format!("{scheme}://{host}:{port}"), len));
    }
    None
}

/// A URL padded to `len` with a path (which does not change where it dials).
fn pad_url(url: String, len: usize) -> String {
    if url.len() + 1 >= len { url } else { format!("{url}/{}", "x".repeat(len - url.len() - 1)) }
}

/// Whether a masked URL dials a listener of a server of the scenario (host and port of the same
/// server), or natsfault's account server.
fn allowed(url: &GoUrl, names: &[&str]) -> bool {
    if url.host() == ACCOUNT_SERVER_TOKEN {
        return url.port() == Some("1");
    }
    let Some(rest) = url.host().strip_prefix(HOST_TOKEN) else { return false };
    let (digits, pad) = rest.split_at(rest.len().min(2));
    let Ok(index) = digits.parse::<usize>() else { return false };
    if index >= names.len() || !pad.chars().all(|c| c == 'x') {
        return false;
    }
    let Some(port) = url.port() else { return false };
    let expected = format!("1{index:02}");
    port.len() >= 4
        && port.starts_with(&expected)
        && ['0', '1', '2', '3', '4'].contains(&char::from(port.as_bytes()[3]))
        && port[4..].chars().all(|c| c == '0')
}

#[cfg(test)]
mod tests {
    use super::{allowed, mask};
    use crate::natsconf::parse_go_url;

    fn ok(url: &str) -> bool {
        let names = ["hub", "leaf"];
        let masked = mask(url, &names);
        parse_go_url(&masked).is_ok_and(|u| allowed(&u, &names))
    }

    #[test]
    fn remote_urls_must_name_a_server_of_the_scenario() {
        assert!(ok("{{servers.hub.leafnode-url}}"));
        assert!(ok("nats://u:{{password.p}}@{{servers.hub.host}}:{{servers.hub.leafnode-port}}"));
        assert!(!ok("nats://10.0.0.2:7422"));
        assert!(!ok("{{servers.other.leafnode-url}}"));
        assert!(!ok("nats://{{servers.hub.host}}:7422"));
        assert!(!ok("{{servers.hub.host}}"));
        assert!(!ok("nats://{{servers.hub.host}}:{{servers.leaf.leafnode-port}}"));
        assert!(ok("{{servers.hub.websocket-url}}"));
        assert!(ok("wss://u:{{password.p}}@{{servers.hub.host}}:{{servers.hub.websocket-port}}"));
        assert!(!ok("wss://{{servers.hub.host}}:8443"));
    }

    #[test]
    fn go_url_tricks_are_read_as_go_reads_them() {
        for trick in ["#@", "?@", "/@"] {
            let url = format!("nats://127.0.0.2:7422{trick}{{{{servers.hub.host}}}}:{{{{servers.hub.leafnode-port}}}}");
            assert!(!ok(&url), "{url}");
        }
        assert!(ok("nats://127.0.0.2:1@{{servers.hub.host}}:{{servers.hub.leafnode-port}}"));
    }

    #[test]
    fn config_blocks_are_the_top_level_maps_with_keys_folded() {
        let text = "{{resolver-preload}}\nLeafNodes { authorization { user: l, password: \"{{password.l}}\" } }\ncluster: { name: c }\nno_auth_user: guest\n";
        let blocks = super::config_blocks(text, &["server"]).expect("it parses with its placeholders masked");
        assert_eq!(blocks, ["leafnodes", "cluster"]);
        assert_eq!(super::config_blocks("cluster {", &["server"]), None, "a config that does not parse");
    }
}
