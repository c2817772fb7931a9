//! Checks of `on-disconnect` and `max-connections`: a library client's application behaviour,
//! bounded.

use super::client::{ClientKind, ClientSpec};
use super::on_disconnect::{MAX_CONNECTIONS_LIMIT, OnDisconnect};
use super::problem::Problem;
use super::scenario::Scenario;

/// Every problem of the clients' `on-disconnect` and `max-connections`, `[fix.clients]` included
/// (an override is checked as the client the fixed phase plays, at the keys it writes).
pub fn validate_on_disconnect(s: &Scenario) -> Vec<Problem> {
    let mut out = Vec::new();
    for (name, c) in &s.clients {
        out.extend(problems(s, name, c.get_ref(), c.get_ref()));
    }
    for (name, over) in s.fix.iter().flat_map(|f| f.clients.iter()) {
        let o = over.get_ref();
        let merged = s.clients.get(name).map_or_else(|| o.clone(), |base| base.get_ref().merged(o));
        out.extend(problems(s, name, &merged, o));
    }
    out
}

fn problems(s: &Scenario, name: &str, spec: &ClientSpec, written: &ClientSpec) -> Vec<Problem> {
    let src = s.source.as_str();
    let mut out = Vec::new();
    let storms = spec.on_disconnect.as_ref().is_some_and(|o| *o.get_ref() == OnDisconnect::NewConnection);
    if let Some(o) = written.on_disconnect.as_ref().filter(|_| storms && spec.kind() != ClientKind::Nats) {
        out.push(
            Problem::new(
                src,
                o.span(),
                format!(
                    "expected a nats client to open new connections, found {} client `{name}`",
                    kind_name(spec.kind())
                ),
            )
            .label("only a client library reports `disconnected`")
            .help("remove `on-disconnect`, or make the client a nats client"),
        );
    }
    if let Some(m) = &written.max_connections {
        if !storms {
            out.push(
                Problem::new(
                    src,
                    m.span(),
                    format!("`max-connections` needs `on-disconnect = \"new-connection\"` on client `{name}`"),
                )
                .label("bounds nothing here")
                .help("add `on-disconnect = \"new-connection\"`, or remove `max-connections`"),
            );
        } else if !(2..=MAX_CONNECTIONS_LIMIT).contains(m.get_ref()) {
            out.push(
                Problem::new(
                    src,
                    m.span(),
                    format!("expected `max-connections` from 2 to {MAX_CONNECTIONS_LIMIT}, found {}", m.get_ref()),
                )
                .label("the first connection included"),
            );
        }
    }
    out
}

fn kind_name(kind: ClientKind) -> &'static str {
    match kind {
        ClientKind::Nats => "a nats",
        ClientKind::Raw => "a raw",
        ClientKind::Mqtt => "an MQTT",
    }
}
