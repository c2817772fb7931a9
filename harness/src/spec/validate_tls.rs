//! Checks of the `[tls]` table and what clients name of it: every certificate names a declared
//! CA, every client's `tls-ca`, `tls-cert` and `tls-key` a declared one, and a websocket or MQTT
//! client a listener the config opens.

use super::client::{ClientKind, ClientSpec};
use super::problem::Problem;
use super::scenario::Scenario;

/// Every problem of `[tls]` and of the clients' TLS and listener keys.
pub fn validate_tls(s: &Scenario) -> Vec<Problem> {
    let src = s.source.as_str();
    let mut out = Vec::new();
    if let Some(tls) = &s.tls {
        for (kind, map) in [("server", &tls.server), ("client", &tls.client)] {
            for (name, cert) in map {
                if tls.ca_of(cert).is_none_or(|ca| !tls.ca.contains_key(ca)) {
                    let cas: Vec<String> = tls.ca.keys().cloned().collect();
                    let header = format!("[tls.{kind}.{name}]");
                    let at = src.find(&header).map_or(0..0, |i| i..i + header.len());
                    out.push(
                        Problem::new(src, at, format!("certificate `tls.{kind}.{name}` names no declared CA")).help(
                            if cas.is_empty() {
                                "declare one as `[tls.ca.NAME]`".to_string()
                            } else {
                                format!("set `ca` to one of: {}", cas.join(", "))
                            },
                        ),
                    );
                }
            }
        }
    }
    let fixed = s.fix.iter().flat_map(|f| f.clients.iter());
    for (name, c) in s.clients.iter().chain(fixed) {
        out.extend(client_problems(s, name, c.get_ref(), c.span()));
    }
    out
}

fn client_problems(s: &Scenario, name: &str, c: &ClientSpec, span: std::ops::Range<usize>) -> Vec<Problem> {
    let src = s.source.as_str();
    let mut out = Vec::new();
    let tls = s.tls.as_ref();
    let named = [
        ("tls-ca", c.tls_ca.as_deref(), true),
        ("tls-cert", c.tls_cert.as_deref(), false),
        ("tls-key", c.tls_key.as_deref(), false),
    ];
    for (key, value, is_ca) in named {
        let Some(v) = value.filter(|v| !v.is_empty()) else { continue };
        let known = tls.is_some_and(|t| if is_ca { t.ca.contains_key(v) } else { t.client.contains_key(v) });
        if !known {
            let table = if is_ca { "ca" } else { "client" };
            out.push(
                Problem::new(
                    src,
                    span.clone(),
                    format!("`{key}` of client `{name}` names `{v}`, which is not declared"),
                )
                .label("this client")
                .help(format!("declare it as `[tls.{table}.{v}]`")),
            );
        }
    }
    let configs = [
        s.server.config.get_ref().as_str(),
        s.fix.as_ref().and_then(|f| f.config.as_ref()).map_or("", |c| c.get_ref()),
    ];
    let opens = |block: &str| configs.iter().any(|c| c.contains(block));
    if c.websocket == Some(true) && !opens("websocket") {
        out.push(
            Problem::new(
                src,
                span.clone(),
                format!("client `{name}` connects over websocket, but no config opens one"),
            )
            .help("add `websocket { no_tls: true }` to the config (the harness sets its `listen`)"),
        );
    }
    if c.kind == Some(ClientKind::Mqtt) && !opens("mqtt") {
        out.push(
            Problem::new(src, span, format!("client `{name}` is an MQTT client, but no config opens an MQTT listener"))
                .help("add `mqtt {}` (and JetStream) to the config (the harness sets its `listen`)"),
        );
    }
    out
}
