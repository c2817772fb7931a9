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
    for step in &s.steps {
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
