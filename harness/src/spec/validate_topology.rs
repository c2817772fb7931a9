//! Checks of a topology's names: every `server` a client, step or expectation names is declared,
//! and every link (`links`, `link-up`, `link-down`) joins two declared servers.

use std::ops::Range;

use super::problem::Problem;
use super::scenario::Scenario;

/// Every problem with the servers a scenario names.
pub fn validate_topology(s: &Scenario) -> Vec<Problem> {
    let mut out = Vec::new();
    let src = s.source.as_str();
    let names: Vec<String> = s.servers.iter().map(|n| n.name.clone()).collect();
    let known = |name: &str| names.iter().any(|n| n == name);
    let undefined = |span: Range<usize>, name: &str, place: &str| {
        Problem::new(src, span, format!("undefined server `{name}`{place}"))
            .label("not declared")
            .help(format!("declared servers: {}", names.join(", ")))
    };
    let fixed = s.fix.iter().flat_map(|f| f.clients.iter());
    for (client, c) in s.clients.iter().chain(fixed) {
        if let Some(name) = c.get_ref().server.as_deref()
            && !known(name)
        {
            out.push(undefined(c.span(), name, &format!(" in client `{client}`")));
        }
    }
    let endpoints = s.auth_endpoint.iter().chain(s.fix.iter().filter_map(|f| f.auth_endpoint.as_ref()));
    for name in endpoints.filter_map(|e| e.server.as_ref()) {
        if !known(name.get_ref()) {
            out.push(undefined(name.span(), name.get_ref(), " in `auth-endpoint`"));
        }
    }
    for server in &s.servers {
        for link in &server.section.links {
            let to = link.get_ref();
            if !known(to) {
                out.push(undefined(link.span(), to, &format!(" in the links of `{}`", server.name)));
            } else if to == &server.name {
                out.push(Problem::new(
                    src,
                    link.span(),
                    format!("expected a link to another server, found `{to}` itself"),
                ));
            }
        }
    }
    for server in &s.servers {
        for peer in &server.section.proxy_links {
            let to = peer.get_ref();
            if !known(to) || to == &server.name {
                out.push(undefined(peer.span(), to, &format!(" in the proxy-links of `{}`", server.name)));
            }
        }
    }
    let proxied = |from: &str, to: &str| {
        s.servers.iter().any(|n| n.name == from && n.section.proxy_links.iter().any(|p| p.get_ref() == to))
    };
    for step in &s.steps {
        if let Some(link) = &step.link {
            let action = *step.action.get_ref();
            let text = link.get_ref();
            if !super::validate::is_link_toxic_action(action) {
                out.push(
                    Problem::new(src, link.span(), format!("`{}` takes no `link`", action.as_str()))
                        .help("`add-toxic`, `remove-toxic` and `reset-connections` act on a link's proxy"),
                );
            } else if step.client.is_some() {
                out.push(
                    Problem::new(src, link.span(), "expected a `client` or a `link`, found both")
                        .label("a toxic acts on one proxy"),
                );
            } else if !parse_link(text).is_some_and(|(from, to)| proxied(from, to)) {
                let listed: Vec<String> = s
                    .servers
                    .iter()
                    .flat_map(|n| n.section.proxy_links.iter().map(move |p| format!("{}->{}", n.name, p.get_ref())))
                    .collect();
                let help = if listed.is_empty() {
                    "no link passes through the proxy: list the peer in the dialling server's `proxy-links`".to_string()
                } else {
                    format!("links through the proxy: {}", listed.join(", "))
                };
                out.push(
                    Problem::new(src, link.span(), format!("expected a link through the proxy, found `{text}`"))
                        .label("not in any `proxy-links`")
                        .help(help),
                );
            }
        }
        if let Some(name) = &step.server
            && !known(name.get_ref())
        {
            out.push(undefined(name.span(), name.get_ref(), ""));
        }
        for e in std::iter::once(&step.expect).chain(step.expect_fixed.as_ref()) {
            if let Some(name) = &e.server
                && !known(name.get_ref())
            {
                out.push(undefined(name.span(), name.get_ref(), ""));
            }
            for link in [&e.link_up, &e.link_down].into_iter().flatten() {
                match parse_link(link.get_ref()) {
                    None => out.push(
                        Problem::new(
                            src,
                            link.span(),
                            format!("expected a link `FROM->TO`, found `{}`", link.get_ref()),
                        )
                        .help("name the server that dials first, then the one it dials: `leaf->hub`"),
                    ),
                    Some((from, to)) => {
                        for n in [from, to] {
                            if !known(n) {
                                out.push(undefined(link.span(), n, " in the link"));
                            }
                        }
                    }
                }
            }
        }
    }
    out
}

/// `from->to`, both names non-empty and different.
pub fn parse_link(text: &str) -> Option<(&str, &str)> {
    let (from, to) = text.split_once("->")?;
    let (from, to) = (from.trim(), to.trim());
    (!from.is_empty() && !to.is_empty() && from != to).then_some((from, to))
}
