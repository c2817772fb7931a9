//! Playing one phase: start the server, run the steps, check, clean up.

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Instant;

use regex::Regex;

use super::account_server::RunningAccountServer;
use super::check::{Snapshot, check};
use super::client_state::{ClientState, Conn};
use super::context::PhaseCtx;
use super::endpoint::{EndpointKeys, RunningEndpoint};
use super::exec::execute;
use super::listeners::Listeners;
use super::topology::{Topology, bind_first, client_upstream, peer_logs, shutdown_peers, start_topology};
use crate::backend::{Backend, ServerError, ServerSpec};
use crate::client::ClientAuth;
use crate::client::ClientTls;
use crate::keyring::{Keyring, client_auth};
use crate::observe::{ObservationKind, Timeline};
use crate::pki::Pki;
use crate::proxy::Proxy;
use crate::proxy::{TapIdentity, TapTls};
use crate::render::{Provider, SecretProvider, Secrets, render};
use crate::report::{PhaseReport, Status, StepReport};
use crate::spec::{ClientSpec, DEFAULT_SYSTEM_ACCOUNT, Phase, Scenario, Version};

/// The longest a phase's steps may run: every wait is bounded, and this bounds their sum, so a
/// scenario can never hang a run.
const PHASE_LIMIT: std::time::Duration = std::time::Duration::from_secs(120);
/// How many log lines a failure report quotes at most.
const EXCERPT_LINES: usize = 20;

/// Plays `phase` of `scenario`. `Err` only when the environment is missing something (no binary,
/// no container engine); every scenario-level problem is a failure in the report.
pub async fn play_phase(
    scenario: &Scenario,
    phase: Phase,
    backend: &dyn Backend,
    version: Version,
    secrets: &Secrets,
) -> Result<PhaseReport, ServerError> {
    let identities = scenario.identities_for(phase);
    let mut ctx = PhaseCtx {
        scenario,
        phase,
        version,
        secrets: secrets.clone(),
        identities: identities.clone(),
        keyring: Keyring::default(),
        server: None,
        endpoint: None,
        endpoint_keys: None,
        account_server: None,
        clients: BTreeMap::new(),
        pki: None,
        listeners: Listeners::default(),
        topology: None,
        started: Instant::now(),
        observations: Vec::new(),
        failures: Vec::new(),
    };
    let mut steps = Vec::new();
    // Creds files live here until the phase ends.
    let creds_dir = crate::backend::owned_temp_dir("creds");
    match (Keyring::issue(&identities), creds_dir.as_ref()) {
        (Err(e), _) => ctx.fail(None, "start-server", "credentials", "every JWT issued", e.to_string()),
        (_, Err(e)) => ctx.fail(None, "start-server", "credentials", "a folder for creds files", e.to_string()),
        (Ok(ring), Ok(dir)) => {
            ring.register(secrets);
            let endpoint_keys = ctx.endpoint_keys.insert(EndpointKeys::new(secrets));
            let account_server = start_account_server(scenario, phase, &ring, backend).await;
            let pki = issue_pki(scenario, secrets, dir.path());
            let configs = [scenario.config_for(Phase::Broken), scenario.config_for(Phase::Fixed)];
            let topology = Topology::choose(scenario, backend);
            // A topology's first server listens where `{{servers.NAME.websocket-port}}` says.
            let first = topology.as_ref().ok().filter(|_| scenario.is_topology()).and_then(|t| t.plan.servers.first());
            let listeners = Listeners::choose(&configs, backend, first).map_err(|e| format!("choose a port: {e}"));
            let plan = topology.as_ref().ok().map(|t| &t.plan);
            let prepared = match (&account_server, &pki, &listeners) {
                (Err(e), _, _) => Err(("account-server", "the account server to start", e.clone())),
                (_, Err(e), _) => Err(("tls", "every certificate of `[tls]` issued", e.clone())),
                (_, _, Err(e)) => Err(("listeners", "a free port for every extra listener", e.clone())),
                (Ok(served), Ok(pki), Ok(listeners)) => {
                    let extra = Extra { account_server: served.as_ref(), pki: pki.as_ref(), listeners, plan };
                    prepare(scenario, phase, &ring, endpoint_keys, extra, secrets, dir.path())
                }
            };
            ctx.pki = pki.ok().flatten();
            ctx.listeners = listeners.unwrap_or_default();
            ctx.topology = topology.ok();
            ctx.keyring = ring;
            ctx.account_server = account_server.ok().flatten();
            match prepared {
                Err((expectation, expected, e)) => ctx.fail(None, "start-server", expectation, expected, e),
                Ok((config, clients, auths)) => {
                    // Through the door: the store is the sandbox's, the environment only `env`.
                    let config = crate::door::scenario_config(&config, &scenario.server.env_values);
                    let mut spec = ServerSpec::new(version, config).label(file_stem(scenario));
                    spec.env = scenario.server.env_values.clone();
                    // A `config-file`'s includes and the files it names travel beside it.
                    spec.files = scenario.server_files_for(phase);
                    spec.files.extend(ctx.pki.iter().flat_map(|p| p.server_files()));
                    spec.published = ctx.listeners.published();
                    // The zones of the user JWTs' `locale`, for a server without a zoneinfo database.
                    if let Err(e) = crate::keyring::ship_zones(&mut spec, ctx.keyring.zones()) {
                        let expected = "every `locale` of a user JWT in the host's zoneinfo";
                        ctx.fail(None, "start-server", "time-zones", expected, e.to_string());
                    }
                    // A lone server's monitoring port, which an `http-get` step reads.
                    if scenario.reads_monitoring() && !scenario.is_topology() {
                        let first = ctx.topology.as_ref().and_then(|t| t.plan.servers.first());
                        let monitor = first.and_then(|a| a.listeners.get(&crate::topology::ListenerKind::Monitor));
                        spec.published.extend(monitor.and_then(|l| l.publish));
                    }
                    // A lone server's route, leafnode or gateway listener a raw client dials.
                    if let Some(first) = ctx.topology.as_ref().and_then(|t| t.plan.servers.first())
                        && !scenario.is_topology()
                    {
                        spec.published.extend(super::peer_listener::dialled_published(scenario, first));
                    }
                    // The taps are bound while the server boots; they learn its address once it is up.
                    let (started, taps) = tokio::join!(start_any(&mut ctx, backend, &spec), open_taps(clients.len()));
                    if started? && start_endpoint(&mut ctx).await {
                        match taps.map(|taps| open_clients(&mut ctx, clients, auths, taps)) {
                            Ok(()) => {
                                let limit = PHASE_LIMIT;
                                if tokio::time::timeout(limit, run_steps(&mut ctx, &mut steps)).await.is_err() {
                                    ctx.fail(
                                        None,
                                        "steps",
                                        "phase-limit",
                                        format!("the steps to finish within {}s", limit.as_secs()),
                                        "they were still running; a wait without a bound is a harness bug",
                                    );
                                }
                                super::settle::settle(&mut ctx).await;
                            }
                            Err(e) => ctx.fail(None, "start-proxy", "proxy", "a wire tap for every client", e),
                        }
                    }
                }
            }
        }
    }
    let excerpt = log_excerpt(&ctx);
    let ready_ms = ctx.server.as_ref().map(|s| s.ready_ms());
    // What ran, as every door reports it: read while the clients are still connected.
    let confined = ctx.server.as_ref().map(|s| s.confinement().to_string());
    let sockets = ctx.server.as_ref().and_then(|s| s.audit()).and_then(Result::ok).map(|a| a.to_string());
    // Clients first (their taps close), then the server.
    ctx.clients.clear();
    if let Some(endpoint) = ctx.endpoint.take() {
        endpoint.stop().await;
    }
    if let Some(server) = ctx.server.take() {
        let _ = server.shutdown().await;
    }
    shutdown_peers(&mut ctx).await;
    if let Some(account_server) = ctx.account_server.take() {
        account_server.stop();
    }
    Ok(PhaseReport {
        phase,
        status: if ctx.failures.is_empty() { Status::Passed } else { Status::Failed },
        duration_ms: ctx.started.elapsed().as_millis() as u64,
        ready_ms,
        steps,
        observations: ctx.observations,
        failures: ctx.failures,
        log_excerpt: excerpt,
        confined,
        sockets,
    })
}

/// Starts the server, or every server of a topology; returns whether steps should run.
async fn start_any(ctx: &mut PhaseCtx<'_>, backend: &dyn Backend, spec: &ServerSpec) -> Result<bool, ServerError> {
    if ctx.scenario.is_topology() { start_topology(ctx, backend, spec).await } else { start(ctx, backend, spec).await }
}

/// Starts the server; returns whether steps should run.
async fn start(ctx: &mut PhaseCtx<'_>, backend: &dyn Backend, spec: &ServerSpec) -> Result<bool, ServerError> {
    let expect_refused = ctx.scenario.expect_refused_for(ctx.phase, ctx.version).map(str::to_string);
    match backend.start(spec).await {
        Ok(server) => {
            ctx.observe(None, None, ObservationKind::ServerReady { ready_ms: server.ready_ms() });
            ctx.server = Some(server);
            if let Some(re) = expect_refused {
                ctx.fail(
                    None,
                    "start-server",
                    "expect-refused",
                    format!("the server to refuse its config (`{re}`)"),
                    "the server started",
                );
                return Ok(false);
            }
            Ok(true)
        }
        Err(ServerError::Refused { exit, message }) => {
            ctx.observe(None, None, ObservationKind::ServerRefused { message: message.clone() });
            match expect_refused {
                Some(re) if Regex::new(&re).is_ok_and(|r| r.is_match(&message)) => {}
                Some(re) => {
                    ctx.fail(None, "start-server", "expect-refused", format!("a refusal matching `{re}`"), message)
                }
                None => ctx.fail(
                    None,
                    "start-server",
                    "start",
                    "the server to start",
                    format!("refused (exit {exit}): {message}"),
                ),
            }
            Ok(false)
        }
        Err(e) if e.is_environment() => Err(e),
        Err(e) => {
            ctx.fail(None, "start-server", "start", "the server to start", e.to_string());
            Ok(false)
        }
    }
}

/// Starts the scenario's auth endpoint and bridge once the server is ready; returns whether
/// steps should run.
async fn start_endpoint(ctx: &mut PhaseCtx<'_>) -> bool {
    let Some(mut spec) = ctx.scenario.endpoint_for(ctx.phase) else { return true };
    let Some(keys) = ctx.endpoint_keys.as_ref() else { return true };
    if let Some(token) = spec.token.take() {
        let text = crate::render::render(token.get_ref(), &[&*ctx]).unwrap_or_else(|_| token.get_ref().clone());
        spec.token = Some(toml::Spanned::new(token.span(), text));
    }
    // The first server, or the one of a topology that `server` names.
    let Some(server) = super::topology::client_upstream(ctx, spec.server.as_ref().map(|s| s.get_ref().as_str())) else {
        return true;
    };
    let password = SecretProvider(&ctx.secrets).value(&format!("password.{}", crate::spec::ENDPOINT_AUTH_USER));
    let started = RunningEndpoint::start(&spec, keys, &ctx.keyring, server, password.unwrap_or_default()).await;
    match started {
        Ok(endpoint) => {
            ctx.endpoint = Some(endpoint);
            true
        }
        Err(e) => {
            ctx.fail(None, "start-endpoint", "auth-endpoint", "the auth endpoint and its bridge to start", e);
            false
        }
    }
}

fn render_clients(
    clients: &BTreeMap<String, ClientSpec>,
    providers: &[&dyn Provider],
    secrets: &Secrets,
) -> Result<BTreeMap<String, ClientSpec>, crate::render::RenderError> {
    let mut out = BTreeMap::new();
    for (name, spec) in clients {
        let mut s = spec.clone();
        let cb = s.auth_callback.as_mut();
        let (nkey, jwt, sign) = match cb {
            Some(cb) => (cb.nkey.as_mut(), cb.jwt.as_mut(), cb.sign_with.as_mut()),
            None => (None, None, None),
        };
        for v in [s.user.as_mut(), s.password.as_mut(), s.token.as_mut(), s.name.as_mut(), nkey, jwt, sign]
            .into_iter()
            .flatten()
        {
            *v = render(v, providers)?;
        }
        let upgrade = [s.ws_headers.as_mut(), s.ws_cookies.as_mut()].into_iter().flatten();
        for v in upgrade.flat_map(|m| m.get_mut().values_mut()) {
            *v = render(v, providers)?;
        }
        for secret in s.secrets() {
            secrets.add(secret);
        }
        out.insert(name.clone(), s);
    }
    Ok(out)
}

/// Starts the phase's account server, when the scenario has one, where `backend`'s servers
/// reach it.
async fn start_account_server(
    scenario: &Scenario,
    phase: Phase,
    ring: &Keyring,
    backend: &dyn Backend,
) -> Result<Option<RunningAccountServer>, String> {
    let Some(spec) = scenario.account_server_for(phase) else { return Ok(None) };
    let host = backend.service_host().await.map_err(|e| e.to_string())?;
    let system = scenario.identities.system_account().unwrap_or(DEFAULT_SYSTEM_ACCOUNT);
    RunningAccountServer::start(&spec, ring, system, host).await.map(Some)
}

/// A phase's inputs with every placeholder filled: the server config, the clients, and their
/// credentials (creds files are written into `dir`). On failure: the expectation that failed,
/// what was expected, and the error.
fn prepare(
    scenario: &Scenario,
    phase: Phase,
    ring: &Keyring,
    endpoint_keys: &EndpointKeys,
    extra: Extra<'_>,
    secrets: &Secrets,
    dir: &std::path::Path,
) -> Result<Prepared, (&'static str, &'static str, String)> {
    let secret_provider = SecretProvider(secrets);
    let mut providers: Vec<&dyn Provider> = vec![&secret_provider, ring, endpoint_keys];
    if let Some(a) = extra.account_server {
        providers.push(a);
    }
    if let Some(p) = extra.pki {
        providers.push(p);
    }
    if let Some(p) = extra.plan {
        providers.push(p);
    }
    let placeholders = |e: crate::render::RenderError| ("placeholders", "every placeholder filled", e.to_string());
    let config = render(&scenario.config_for(phase), &providers).map_err(placeholders)?;
    let bound =
        |e: crate::topology::BindError| ("listeners", "every listener bound to the harness's address", e.to_string());
    // A team's `config-file` went through the sandbox rewrite, which sets its listeners already.
    let config = if scenario.config_is_file(phase) {
        config
    } else {
        bind_first(&config, extra.listeners, extra.plan, scenario).map_err(bound)?
    };
    let clients = render_clients(&scenario.clients_for(phase), &providers, secrets).map_err(placeholders)?;
    let ids = scenario.identities_for(phase);
    let auths =
        resolve_auth(ring, &ids, &clients, dir).map_err(|e| ("credentials", "every client's credentials", e))?;
    Ok((config, clients, auths))
}

/// What a phase adds to the placeholders besides identities: the account server, certificates
/// and listeners.
struct Extra<'a> {
    account_server: Option<&'a RunningAccountServer>,
    pki: Option<&'a Pki>,
    listeners: &'a Listeners,
    plan: Option<&'a crate::topology::Plan>,
}

/// The scenario's PKI, issued and written into `dir` (owner-only), when it has `[tls]`.
fn issue_pki(scenario: &Scenario, secrets: &Secrets, dir: &std::path::Path) -> Result<Option<Pki>, String> {
    let Some(spec) = scenario.tls.as_ref() else { return Ok(None) };
    let issued = crate::pki::issue(spec).map_err(|e| e.to_string())?;
    Pki::write(issued, dir, secrets).map(Some).map_err(|e| format!("write the certificates: {e}"))
}

/// The server config, the clients and their credentials.
type Prepared = (String, BTreeMap<String, ClientSpec>, BTreeMap<String, ClientAuth>);

/// Every client's credentials; creds files are written into `dir`. A client with `renew-jwt`
/// gets its user's JWT issued anew from `ids` at every connect.
fn resolve_auth(
    ring: &Keyring,
    ids: &crate::spec::Identities,
    clients: &BTreeMap<String, ClientSpec>,
    dir: &std::path::Path,
) -> Result<BTreeMap<String, ClientAuth>, String> {
    clients
        .iter()
        .map(|(name, spec)| {
            let renewed = spec.renew_jwt.as_ref().is_some_and(|r| *r.get_ref());
            let auth = match &spec.jwt {
                Some(user) if renewed => Ok(ClientAuth::Renewed(crate::keyring::renewer(ring, ids, user.get_ref()))),
                _ => client_auth(ring, name, spec, dir).map_err(|e| e.to_string()),
            };
            auth.map(|a| (name.clone(), a))
        })
        .collect()
}

/// `n` wire taps, forwarding nowhere until [`open_clients`] points them at the server.
async fn open_taps(n: usize) -> Result<Vec<Proxy>, String> {
    let nowhere = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    let mut taps = Vec::with_capacity(n);
    for _ in 0..n {
        taps.push(Proxy::start(nowhere).await.map_err(|e| e.to_string())?);
    }
    Ok(taps)
}

/// Gives each client one of `taps`, pointed at the server.
fn open_clients(
    ctx: &mut PhaseCtx<'_>,
    clients: BTreeMap<String, ClientSpec>,
    mut auths: BTreeMap<String, ClientAuth>,
    taps: Vec<Proxy>,
) {
    for ((name, spec), tap) in clients.into_iter().zip(taps) {
        let Some(upstream) = super::peer_listener::listener_upstream(ctx, spec.server.as_deref(), spec.listener())
            .or_else(|| client_upstream(ctx, spec.server.as_deref()))
        else {
            return;
        };
        tap.set_upstream(upstream);
        let tap = std::sync::Arc::new(tap);
        let auth = auths.remove(&name).unwrap_or_default();
        let spec_library = spec.library_or(crate::spec::Library::AsyncNats);
        let (mut tls, tap_tls) = client_tls(ctx.pki.as_ref(), &spec);
        tls.mqtt_addr = ctx.listeners.get("mqtt").map(|l| SocketAddr::from((Ipv4Addr::LOCALHOST, l.host_port)));
        if spec.websocket == Some(true) {
            let scheme = if spec.tls_ca.is_some() || spec.tls_cert.is_some() { "wss" } else { "ws" };
            tls.websocket_url = ctx.listeners.get("websocket").map(|l| format!("{scheme}://127.0.0.1:{}", l.host_port));
        }
        if spec.kind() == crate::spec::ClientKind::Nats {
            tap.set_tls(tap_tls);
        }
        ctx.clients.insert(
            name.clone(),
            ClientState {
                name,
                spec,
                auth,
                tap,
                tls,
                events: Timeline::new(),
                received: Timeline::new(),
                conn: Conn::None,
                library: spec_library,
                js: Default::default(),
                storm: None,
            },
        );
    }
}

async fn run_steps(ctx: &mut PhaseCtx<'_>, reports: &mut Vec<StepReport>) {
    let scenario = ctx.scenario;
    let mut previous: Option<Snapshot> = None;
    for (i, step) in scenario.steps.iter().enumerate() {
        let expect = step.expect_for(ctx.phase).for_library(step_library(ctx, step), &asserted_libraries(ctx, step));
        // Expectations for other versions: the step does not run here (checking it against
        // empty expectations would demand success).
        let applies = expect.versions.as_ref().is_none_or(|r| r.matches(ctx.version));
        if !step.runs_in(ctx.phase) || !step.runs_on(ctx.version) || !applies {
            continue;
        }
        let index = i + 1;
        let now = Snapshot::take(ctx);
        // An `await` looks back to where the last action began: consecutive awaits share the
        // window of the action they follow, so what it caused is seen whatever the order.
        let marks = match (&previous, step.action.get_ref()) {
            (Some(prev), crate::spec::Action::Await) => prev.marks(step),
            _ => now.marks(step),
        };
        let step_began = std::time::Instant::now();
        if *step.action.get_ref() != crate::spec::Action::Await {
            previous = Some(now);
        }
        let outcome = execute(ctx, index, step).await;
        let ok = check(ctx, index, step, &expect, outcome, marks).await;
        super::check_shaped::record_shaped(ctx, Some(index), step_began);
        let base = step.identity();
        let repeat =
            reports.iter().filter(|r| r.identity == base || r.identity.starts_with(&format!("{base} #"))).count();
        reports.push(StepReport {
            index,
            action: step.action.get_ref().as_str().into(),
            client: step.client_name().map(str::to_string),
            identity: if repeat == 0 { base } else { format!("{base} #{}", repeat + 1) },
            status: if ok { Status::Passed } else { Status::Failed },
            duration_ms: step_began.elapsed().as_millis() as u64,
        });
        if !ok {
            break;
        }
    }
}

/// The library the step's client is played with (async-nats for a step without a client).
fn step_library(ctx: &PhaseCtx<'_>, step: &crate::spec::Step) -> crate::spec::Library {
    step.client_name().and_then(|n| ctx.clients.get(n)).map_or(crate::spec::Library::AsyncNats, |c| c.library)
}

/// The libraries whose observations the step asserts: those `libraries` lists, and the one the
/// step's client is pinned to with `library` (a client written for nats-py is checked as
/// nats-py, whether or not the file lists it).
fn asserted_libraries(ctx: &PhaseCtx<'_>, step: &crate::spec::Step) -> Vec<crate::spec::Library> {
    let mut out = ctx.scenario.asserted_libraries();
    let pinned = step.client_name().and_then(|n| ctx.clients.get(n)).and_then(|c| c.spec.pinned_library());
    out.extend(pinned.filter(|l| !out.contains(l)));
    out
}

/// The log lines that explain a failure: errors, warnings and authentication lines.
fn log_excerpt(ctx: &PhaseCtx<'_>) -> Vec<String> {
    let Some(server) = ctx.server.as_ref() else { return Vec::new() };
    let lines: Vec<String> = server
        .log()
        .all()
        .into_iter()
        .map(|l| l.value)
        .chain(peer_logs(ctx))
        .filter(|l| {
            l.contains("[ERR]")
                || l.contains("[WRN]")
                || l.contains("[FTL]")
                || l.contains("Violation")
                || l.contains("authentication")
                || l.contains("Authorization")
        })
        .collect();
    let skip = lines.len().saturating_sub(EXCERPT_LINES);
    lines.into_iter().skip(skip).map(|l| ctx.secrets.redact(&l)).collect()
}

fn file_stem(s: &Scenario) -> String {
    s.path.file_stem().map_or_else(|| "scenario".into(), |f| f.to_string_lossy().into_owned())
}

/// A client's TLS options (host files of the PKI) and its tap's: the tap presents the client's
/// own certificate to the server, and whichever server certificate the server presented to it.
pub(crate) fn client_tls(pki: Option<&Pki>, spec: &ClientSpec) -> (ClientTls, Option<TapTls>) {
    let Some(pki) = pki else { return (ClientTls::default(), None) };
    // An MQTT client speaks no TLS here.
    let cert = spec.tls_cert.as_deref().and_then(|c| {
        let (cert, _) = pki.client_paths(c)?;
        let (_, key) = pki.client_paths(spec.tls_key.as_deref().unwrap_or(c))?;
        Some((cert, key))
    });
    let tls = ClientTls {
        ca: spec.tls_ca.as_deref().and_then(|c| pki.ca_path(c)),
        cert,
        required: spec.tls_required == Some(true),
        first: spec.tls_first == Some(true),
        websocket_url: None,
        mqtt_addr: None,
    };
    let own = spec.tls_cert.as_deref().and_then(|c| pki.issued.clients.get(c));
    let key = spec.tls_key.as_deref().or(spec.tls_cert.as_deref()).and_then(|c| pki.issued.clients.get(c));
    let tap = TapTls {
        servers: pki
            .issued
            .servers
            .values()
            .map(|i| (i.cert_der.clone(), TapIdentity { cert_pem: i.cert_pem.clone(), key_pem: i.key_pem.clone() }))
            .collect(),
        client: own.zip(key).map(|(c, k)| TapIdentity { cert_pem: c.cert_pem.clone(), key_pem: k.key_pem.clone() }),
        client_unknown: own.is_some_and(|c| !c.known),
        first: tls.first,
        wants: spec.wants_tls(),
    };
    (tls, Some(tap))
}
