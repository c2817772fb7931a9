//! A phase's topology (`[servers.NAME]`): every server's config rendered with the others'
//! addresses and bound to the harness's listeners, all started through the phase's backend, the
//! links of `links` awaited, and the lookups steps make by server name.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use regex::Regex;

use super::check::{At, show};
use super::context::PhaseCtx;
use crate::backend::{Backend, RunningServer, ServerError, ServerSpec};
use crate::observe::{ObservationKind, Timeline};
use crate::render::render;
use crate::spec::{Expect, parse_link};
use crate::topology::{
    BindOptions, Bound, LinkEnd, Plan, await_link_up, bind, creds_files, insert_listens, link_between,
};

/// How long the links a server's `links` names may take to come up once every server is ready.
const LINK_READY_LIMIT: Duration = Duration::from_secs(15);
/// How long `link-up` waits by default: a leafnode or route that dialled before its peer listened
/// retries after a second.
pub const LINK_UP_WITHIN: Duration = Duration::from_secs(5);

/// The servers of a phase beyond the first (which stays `PhaseCtx::server`), and their addresses.
pub struct Topology {
    /// Every server's addresses.
    pub plan: Plan,
    /// The first server's name.
    pub primary: String,
    /// The other servers, once started.
    pub peers: BTreeMap<String, Box<dyn RunningServer>>,
    /// Each server's `server_name` and gateway name, as its peers list it.
    pub server_names: BTreeMap<String, (String, Option<String>)>,
    /// The proxies of the links through natsfault's proxy (`proxy-links`).
    pub link_proxies: super::link_proxy::LinkProxies,
}

impl Topology {
    /// The addresses of the scenario's servers on `backend` (a lone `[server]` has them too: its
    /// cluster, leafnode and gateway blocks are bound like a topology's).
    pub fn choose(scenario: &crate::spec::Scenario, backend: &dyn Backend) -> std::io::Result<Topology> {
        let names: Vec<&str> = scenario.servers.iter().map(|s| s.name.as_str()).collect();
        let plan = Plan::choose(&names, backend)?;
        Ok(Topology {
            plan,
            primary: names[0].to_string(),
            peers: BTreeMap::new(),
            server_names: BTreeMap::new(),
            link_proxies: Default::default(),
        })
    }
}

/// The first server's rendered config with its websocket and MQTT listeners bound, and, for a
/// lone server, its cluster, leafnode and gateway listeners too (a topology binds those when it
/// starts), and its monitoring port when a step reads it (`http-get`).
pub fn bind_first(
    config: &str,
    listeners: &super::listeners::Listeners,
    plan: Option<&Plan>,
    scenario: &crate::spec::Scenario,
) -> Result<String, crate::topology::BindError> {
    let (config, _) = insert_listens(config, |k| listeners.listen_for(k))?;
    let options = BindOptions { monitor: scenario.reads_monitoring(), ..BindOptions::LONE };
    match plan.and_then(|p| p.servers.first()) {
        Some(addrs) if !scenario.is_topology() => Ok(bind(&config, addrs, options)?.config),
        _ => Ok(config),
    }
}

/// One server's config as a topology plays it, at its start and at every reload alike: bound to
/// its planned listeners (`first`: the first server, whose websocket and MQTT listeners the
/// phase bound already), with `server_name` and `http`; the peers it dials through the proxies
/// of `proxy-links`; then through the door.
fn topology_config(
    addrs: &crate::topology::ServerAddrs,
    proxies: &super::link_proxy::LinkProxies,
    name: &str,
    first: bool,
    rendered: &str,
    env: &[(String, String)],
) -> Result<Bound, String> {
    let options = if first { BindOptions::TOPOLOGY_FIRST } else { BindOptions::TOPOLOGY };
    let bound = bind(rendered, addrs, options).map_err(|e| e.to_string())?;
    let config = crate::door::scenario_config(&proxies.rewrite(name, bound.config), env);
    Ok(Bound { config, ..bound })
}

/// The config server `name` (else the first) plays for `rendered`, a new config a
/// `reload-server` step wrote with its placeholders filled: the plan the server started with
/// (the first server's listeners, a topology's listeners, names and proxies, the door), so the
/// reload changes only what the scenario changed.
pub fn reload_plan(ctx: &PhaseCtx<'_>, name: Option<&str>, rendered: &str) -> Result<String, String> {
    let scenario = ctx.scenario;
    let topology = ctx.topology.as_ref().filter(|_| scenario.is_topology());
    let primary = match (name, topology) {
        (Some(n), Some(t)) => n == t.primary,
        _ => true,
    };
    let env = match name.and_then(|n| scenario.servers.iter().find(|s| s.name == n)) {
        Some(s) if !primary => s.section.env_values.clone(),
        _ => scenario.server.env_values.clone(),
    };
    let text = if primary && !scenario.config_is_file(ctx.phase) {
        let plan = ctx.topology.as_ref().map(|t| &t.plan);
        bind_first(rendered, &ctx.listeners, plan, scenario).map_err(|e| e.to_string())?
    } else {
        rendered.to_string()
    };
    match topology {
        Some(t) => {
            let name = name.unwrap_or(&t.primary);
            let addrs = t.plan.get(name).ok_or_else(|| format!("no server `{name}` in this scenario"))?;
            Ok(topology_config(addrs, &t.link_proxies, name, primary, &text, &env)?.config)
        }
        None => Ok(crate::door::scenario_config(&text, &env)),
    }
}

/// Starts every server of the topology, `first` being the first server's spec (its config
/// rendered); returns whether the steps should run.
pub async fn start_topology(
    ctx: &mut PhaseCtx<'_>,
    backend: &dyn Backend,
    first: &ServerSpec,
) -> Result<bool, ServerError> {
    let Some(topology) = ctx.topology.as_ref() else { return Ok(false) };
    let scenario = ctx.scenario;
    let proxies = match super::link_proxy::LinkProxies::open(scenario, &topology.plan, backend).await {
        Ok(p) => p,
        Err(e) => {
            ctx.fail(None, "start-proxy", "proxy-links", "a proxy on every link of `proxy-links`", e);
            return Ok(false);
        }
    };
    let mut specs = Vec::new();
    let mut names = BTreeMap::new();
    for (i, server) in scenario.servers.iter().enumerate() {
        let Some(addrs) = topology.plan.get(&server.name) else { continue };
        let raw = scenario.config_of(&server.name, ctx.phase).unwrap_or_default();
        let dials =
            scenario.servers.iter().any(|o| o.name != server.name && raw.contains(&format!("{{{{servers.{}.", o.name)));
        let rendered =
            if i == 0 { Ok(first.config.clone()) } else { render(&raw, &[&*ctx]).map_err(|e| e.to_string()) };
        let env = if i == 0 { first.env.clone() } else { server.section.env_values.clone() };
        let bound = rendered.and_then(|text| topology_config(addrs, &proxies, &server.name, i == 0, &text, &env));
        let Bound { config, server_name, gateway_name } = match bound {
            Ok(b) => b,
            Err(e) => {
                let expected = format!("the config of server `{}` rendered and bound", server.name);
                ctx.fail(None, "start-server", "placeholders", expected, e);
                return Ok(false);
            }
        };
        names.insert(server.name.clone(), (server_name, gateway_name));
        let mut spec = ServerSpec::new(ctx.version, config).label(format!("{}-{}", first.label, server.name));
        spec.files = if i == 0 { first.files.clone() } else { ctx.pki.iter().flat_map(|p| p.server_files()).collect() };
        spec.files.extend(creds_files(&raw, &ctx.keyring));
        spec.published = addrs.published();
        spec.published.extend(proxies.published(&server.name, &topology.plan));
        spec.published.extend(super::peer_listener::dialled_published(scenario, addrs));
        if i == 0 {
            spec.published.extend(first.published.iter().copied());
            spec.published.sort_unstable();
            spec.published.dedup();
        }
        spec.client_port = Some(addrs.client_host_port);
        spec.env = env;
        spec.hostname = Some(addrs.hostname.clone());
        // The first server's spec has them already.
        if i > 0
            && let Err(e) = crate::keyring::ship_zones(&mut spec, ctx.keyring.zones())
        {
            let expected = "every `locale` of a user JWT in the host's zoneinfo";
            ctx.fail(None, "start-server", "time-zones", expected, e.to_string());
            return Ok(false);
        }
        specs.push((server.name.clone(), spec, dials));
    }
    // A server that dials a peer before the peer listens retries only a second later: the servers
    // that dial nobody start first, then the others (all at once when every server dials).
    let listeners_only = specs.iter().any(|(_, _, d)| !d) && specs.iter().any(|(_, _, d)| *d);
    let mut go = true;
    for wave in [false, true] {
        let now: Vec<&(String, ServerSpec, bool)> =
            specs.iter().filter(|(_, _, d)| !listeners_only || *d == wave).collect();
        if !listeners_only && wave {
            break;
        }
        let started = futures::future::join_all(now.iter().map(|(_, s, _)| backend.start(s))).await;
        for ((name, _, _), result) in now.into_iter().zip(started) {
            go &= record_start(ctx, backend, name, result)?;
        }
    }
    if let Some(t) = ctx.topology.as_mut() {
        t.server_names = names;
        t.link_proxies = proxies;
    }
    Ok(go && await_ready_links(ctx).await)
}

/// Records one server's start; `Err` for an environment problem, else whether it went as the
/// scenario says.
fn record_start(
    ctx: &mut PhaseCtx<'_>,
    _backend: &dyn Backend,
    name: &str,
    result: Result<Box<dyn RunningServer>, ServerError>,
) -> Result<bool, ServerError> {
    let expect_refused = ctx.scenario.expect_refused_of(name, ctx.phase, ctx.version).map(str::to_string);
    let action = format!("start-server `{name}`");
    match result {
        Ok(server) => {
            ctx.observe(None, None, ObservationKind::ServerReady { ready_ms: server.ready_ms() });
            let primary = ctx.topology.as_ref().is_some_and(|t| t.primary == name);
            if primary {
                ctx.server = Some(server);
            } else if let Some(t) = ctx.topology.as_mut() {
                t.peers.insert(name.to_string(), server);
            }
            if let Some(re) = expect_refused {
                let expected = format!("server `{name}` to refuse its config (`{re}`)");
                ctx.fail(None, &action, "expect-refused", expected, "the server started");
                return Ok(false);
            }
            Ok(true)
        }
        Err(ServerError::Refused { exit, message }) => {
            ctx.observe(None, None, ObservationKind::ServerRefused { message: message.clone() });
            match expect_refused {
                Some(re) if Regex::new(&re).is_ok_and(|r| r.is_match(&message)) => {}
                Some(re) => ctx.fail(None, &action, "expect-refused", format!("a refusal matching `{re}`"), message),
                None => ctx.fail(
                    None,
                    &action,
                    "start",
                    format!("server `{name}` to start"),
                    format!("refused (exit {exit}): {message}"),
                ),
            }
            Ok(false)
        }
        Err(e) if e.is_environment() => Err(e),
        Err(e) => {
            ctx.fail(None, &action, "start", format!("server `{name}` to start"), e.to_string());
            Ok(false)
        }
    }
}

/// Awaits every link a server's `links` names; records a failure for each that stays down.
async fn await_ready_links(ctx: &mut PhaseCtx<'_>) -> bool {
    let wanted: Vec<(String, String)> = ctx
        .scenario
        .servers
        .iter()
        .flat_map(|s| s.section.links.iter().map(|l| (s.name.clone(), l.get_ref().clone())))
        .collect();
    let mut ok = true;
    let began = Instant::now();
    for (from, to) in wanted {
        let left = LINK_READY_LIMIT.saturating_sub(began.elapsed());
        if let Err(observed) = await_link(ctx, &from, &to, left).await {
            let expected = format!("the link `{from}->{to}` up within {}", show(LINK_READY_LIMIT));
            ctx.fail(None, "start-server", "links", expected, observed);
            ok = false;
        }
    }
    ok
}

/// The two ends of the link `from->to`.
fn ends(ctx: &PhaseCtx<'_>, from: &str, to: &str) -> Result<(LinkEnd, LinkEnd), String> {
    let t = ctx.topology.as_ref().ok_or("no topology")?;
    let end = |name: &str| {
        let monitor_port =
            t.plan.get(name).and_then(|s| s.monitor_port()).ok_or_else(|| format!("no server `{name}`"))?;
        let (server_name, gateway_name) = t.server_names.get(name).cloned().unwrap_or((name.to_string(), None));
        Ok::<_, String>(LinkEnd { monitor_port, server_name, gateway_name })
    };
    Ok((end(from)?, end(to)?))
}

/// After a subscription on server `name` (else the first): until every peer with a route or
/// leafnode from it up lists the subject, so a publish on a peer in the next step is not dropped
/// there while the interest is on its way. A wait, not an expectation: at most [`INTEREST_WITHIN`].
pub async fn await_interest_from(ctx: &PhaseCtx<'_>, name: Option<&str>, subject: &str) {
    let Some(t) = ctx.topology.as_ref() else { return };
    let from = name.unwrap_or(&t.primary);
    let server_name = t.server_names.get(from).map_or_else(|| from.to_string(), |(n, _)| n.clone());
    // A leafnode bound to another account never gets the interest: nothing to wait for there.
    let unreachable = match t.plan.get(from).and_then(|s| s.monitor_port()) {
        Some(port) => crate::topology::unreachable_leafs(port, subject).await,
        None => Vec::new(),
    };
    let name_of = |s: &str| t.server_names.get(s).map_or_else(|| s.to_string(), |(n, _)| n.clone());
    let peers: Vec<(String, u16)> = t
        .plan
        .servers
        .iter()
        .filter(|s| s.name != from && !unreachable.contains(&name_of(&s.name)))
        .filter_map(|s| Some((s.name.clone(), s.monitor_port()?)))
        .collect();
    crate::topology::await_interest(&peers, &server_name, subject, INTEREST_WITHIN).await;
}

/// The longest [`await_interest_from`] waits.
const INTEREST_WITHIN: Duration = Duration::from_secs(1);

/// Whether both ends list the link `from->to` now.
async fn link_up(ctx: &PhaseCtx<'_>, from: &str, to: &str) -> Result<bool, String> {
    let (a, b) = ends(ctx, from, to)?;
    link_between(&a, &b).await.map(|l| l.is_some()).map_err(|e| e.to_string())
}

/// Until the link is up and settled, up to `within`.
async fn await_link(ctx: &PhaseCtx<'_>, from: &str, to: &str, within: Duration) -> Result<Instant, String> {
    let (a, b) = ends(ctx, from, to)?;
    await_link_up(&a, &b, within).await
}

/// `link-up`: awaited up to `within` (default [`LINK_UP_WITHIN`]); returns when it was seen up.
pub async fn check_link_up(ctx: &mut PhaseCtx<'_>, at: At<'_>, expect: &Expect) -> Option<Instant> {
    let within = expect.within.map_or(LINK_UP_WITHIN, |d| d.get());
    let link = expect.link_up.as_ref()?.get_ref().clone();
    let (from, to) = parse_link(&link)?;
    match await_link(ctx, from, to, within).await {
        Ok(when) => {
            ctx.observe_at(when, Some(at.index), None, ObservationKind::LogLine { line: format!("link {link} up") });
            Some(when)
        }
        Err(observed) => {
            at.fail(ctx, "link-up", format!("the link `{link}` up within {}", show(within)), observed);
            None
        }
    }
}

/// `link-down`: after everything awaited, the link is not up.
pub async fn check_link_down(ctx: &mut PhaseCtx<'_>, at: At<'_>, expect: &Expect) {
    let Some(link) = expect.link_down.as_ref().map(|l| l.get_ref().clone()) else { return };
    let Some((from, to)) = parse_link(&link) else { return };
    match link_up(ctx, from, to).await {
        Ok(false) => {}
        Ok(true) => at.fail(ctx, "link-down", format!("the link `{link}` down"), "up on both ends"),
        Err(e) => at.fail(ctx, "link-down", format!("the link `{link}` down"), e),
    }
}

/// The server a step acts on or an expectation reads: `name`, else the first.
pub fn server_mut<'a>(ctx: &'a mut PhaseCtx<'_>, name: Option<&str>) -> Option<&'a mut Box<dyn RunningServer>> {
    match (name, ctx.topology.as_mut()) {
        (Some(n), Some(t)) if n != t.primary => t.peers.get_mut(n),
        _ => ctx.server.as_mut(),
    }
}

/// The log of server `name` (else the first) and the index in it from which a window that began
/// at `started` reads (`first_mark` for the first server, which snapshots keep).
pub fn log_of(
    ctx: &PhaseCtx<'_>,
    name: Option<&str>,
    first_mark: usize,
    started: Instant,
) -> Option<(Timeline<String>, usize)> {
    match (name, ctx.topology.as_ref()) {
        (Some(n), Some(t)) if n != t.primary => {
            let log = t.peers.get(n)?.log();
            let mark = log.all().iter().take_while(|l| l.at < started).count();
            Some((log, mark))
        }
        _ => ctx.server.as_ref().map(|s| (s.log(), first_mark)),
    }
}

/// Where a client of server `name` (else the first) connects.
pub fn client_upstream(ctx: &PhaseCtx<'_>, name: Option<&str>) -> Option<SocketAddr> {
    match (name, ctx.topology.as_ref()) {
        (Some(n), Some(t)) if n != t.primary => t.peers.get(n).map(|s| s.client_addr()),
        _ => ctx.server.as_ref().map(|s| s.client_addr()),
    }
}

/// Shuts every peer down.
pub async fn shutdown_peers(ctx: &mut PhaseCtx<'_>) {
    if let Some(t) = ctx.topology.as_mut() {
        let peers = std::mem::take(&mut t.peers);
        futures::future::join_all(peers.into_values().map(|s| s.shutdown())).await;
    }
}

/// The peers' log lines, each followed by its server's name.
pub fn peer_logs(ctx: &PhaseCtx<'_>) -> Vec<String> {
    let Some(t) = ctx.topology.as_ref() else { return Vec::new() };
    t.peers
        .iter()
        .flat_map(|(n, s)| s.log().all().into_iter().map(move |l| format!("{} (server `{n}`)", l.value)))
        .collect()
}
