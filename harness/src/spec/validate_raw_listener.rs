//! Checks of a client's `listener`: only a raw client dials a route, leafnode or gateway
//! listener (it plays an unauthenticated peer), and the server it dials opens that listener in
//! its pasted config, broken or fixed.

use super::client::{ClientKind, ClientListener, ClientSpec};
use super::problem::Problem;
use super::scenario::Scenario;
use super::step::Phase;

/// Every problem of the clients' `listener` keys, `[fix.clients]` included.
pub fn validate_raw_listener(s: &Scenario) -> Vec<Problem> {
    let mut out = Vec::new();
    for (name, c) in &s.clients {
        if let Some(l) = c.get_ref().listener.as_ref().filter(|l| *l.get_ref() != ClientListener::Client) {
            out.extend(problem(s, name, c.get_ref(), *l.get_ref(), l.span()));
        }
    }
    // A `[fix.clients]` override that sets `listener`, `kind` or `server` is checked as the
    // client the fixed phase plays, at the override.
    for (name, over) in s.fix.iter().flat_map(|f| f.clients.iter()) {
        let o = over.get_ref();
        if o.listener.is_none() && o.kind.is_none() && o.server.is_none() {
            continue;
        }
        let merged = s.clients.get(name).map_or_else(|| o.clone(), |base| base.get_ref().merged(o));
        let at = o.listener.as_ref().map_or_else(|| over.span(), |l| l.span());
        if merged.listener() != ClientListener::Client {
            out.extend(problem(s, name, &merged, merged.listener(), at));
        }
    }
    out
}

fn problem(
    s: &Scenario,
    name: &str,
    spec: &ClientSpec,
    listener: ClientListener,
    at: std::ops::Range<usize>,
) -> Option<Problem> {
    let src = s.source.as_str();
    let l = listener.as_str();
    if spec.kind() != ClientKind::Raw {
        let kind = if spec.kind() == ClientKind::Mqtt { "an MQTT" } else { "a nats" };
        let message = format!("expected a raw client to dial the `{l}` listener, found {kind} client `{name}`");
        return Some(
            Problem::new(src, at, message)
                .label("a listener for servers")
                .help("declare the client with `kind = \"raw\"`: it sends only what its `raw-send` steps write"),
        );
    }
    let server = spec.server.as_deref().or(s.servers.first().map(|n| n.name.as_str()))?;
    let (index, named) = s.servers.iter().enumerate().find(|(_, n)| n.name == server)?;
    let from_file =
        named.section.config_file.is_some() || (index == 0 && s.fix.as_ref().is_some_and(|f| f.config_file.is_some()));
    if from_file {
        let message =
            format!("expected a pasted `config` for server `{server}`, whose `{l}` listener client `{name}` dials");
        return Some(
            Problem::new(src, at, message)
                .label("a `config-file`'s listeners are the sandbox's")
                .help("paste the config as `config = '''...'''`: the harness binds its listeners"),
        );
    }
    let names: Vec<&str> = s.servers.iter().map(|n| n.name.as_str()).collect();
    let opens = [Phase::Broken, Phase::Fixed].into_iter().filter_map(|phase| s.config_of(server, phase)).any(|text| {
        match crate::door::config_blocks(&text, &names) {
            Some(blocks) => blocks.iter().any(|b| listener.blocks().contains(&b.as_str())),
            // A config that does not parse is nats-server's to refuse.
            None => listener.blocks().iter().any(|b| text.contains(b)),
        }
    });
    let block = listener.blocks().first().copied().unwrap_or("cluster");
    (!opens).then(|| {
        Problem::new(
            src,
            at,
            format!("expected a `{block} {{}}` block in the config of server `{server}`, which client `{name}` dials"),
        )
        .label("no such listener")
        .help(format!("add `{block} {{}}` to the config (the harness sets its `listen`)"))
    })
}
