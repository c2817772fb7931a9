//! Plays the diagnosis on a real nats-server: the customer's config rewritten to run here, the
//! client with the customer's credentials behind a wire tap, then each operation.

use std::path::Path;
use std::time::{Duration, Instant};

use super::input::{Credentials, DiagnoseError, Operation, Prepared, ServerState};
use super::tls;
use crate::backend::{Backend, ConfinePolicy, ProcessBackend, RunningServer, ServerError, ServerSpec, SocketAudit};
use crate::client::driver::{ConnectTarget, DriverError, connect};
use crate::client::{ClientAuth, ClientFailure, ClientTls};
use crate::natsconf::{LineMap, TlsFiles};
use crate::observe::{Timeline, auth_failures};
use crate::pki::Pki;
use crate::proxy::TapTls;
use crate::proxy::{Proxy, TapOp};
use crate::render::Provider;
use crate::spec::ClientSpec;

/// How long to wait for the server's answer to one operation.
const WITHIN: Duration = Duration::from_secs(2);

/// What happened on the server and the client.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    /// The server's message when it refused to start.
    pub refused: Option<String>,
    /// The client's connect failure.
    pub connect_error: Option<ClientFailure>,
    /// The failed operation and the client's or server's error for it.
    pub failed_op: Option<(Operation, String)>,
    /// Every `-ERR` the server sent, in order.
    pub server_errs: Vec<String>,
    /// The debug reason of a refused connection.
    pub reason: Option<String>,
    /// The `authentication error` line of a refused connection.
    pub auth_line: Option<String>,
    /// Log lines that explain what happened (violations, auth errors, warnings).
    pub log: Vec<String>,
    /// Observations that are not failures (e.g. a request nobody answered).
    pub notes: Vec<String>,
    /// What async-nats reported for the JetStream operation the server refused.
    pub js_error: Option<ClientFailure>,
    /// What the sandbox changed.
    pub rewrites: Vec<String>,
    /// The confinement the server ran under (`None` when it did not start).
    pub confinement: Option<String>,
    /// The client library that connected, with its version.
    pub library: Option<String>,
    /// The server's sockets, read from the operating system while it ran.
    pub sockets: Option<SocketAudit>,
    /// Each config file as the server names it in its errors (`nats.conf`,
    /// `include-01-users.conf`), and where its lines came from in the customer's files.
    pub positions: Vec<(String, LineMap)>,
}

impl Outcome {
    /// The customer's `file:line:col` for a position the server names in the rewritten files.
    pub fn source_position(&self, file: &str, line: u32, column: u32) -> Option<String> {
        let (_, lines) = self.positions.iter().find(|(name, _)| name == file)?;
        lines.source(line, column).map(ToString::to_string)
    }
}

fn env(e: impl std::fmt::Display) -> DiagnoseError {
    DiagnoseError::Environment(e.to_string())
}

/// The config through the one door: rewritten for the sandbox (stand-in TLS files when the
/// config has a `tls` block), its includes and copies travelling beside it in the spec; the
/// server confined.
fn server_spec(p: &Prepared, pki: Option<&Pki>) -> Result<(ServerSpec, Outcome), DiagnoseError> {
    let mut options = p.input.door.clone();
    options.tls_files = p.tls.as_ref().zip(pki).map(|(plan, pki)| stand_ins(plan, pki));
    let deployed = crate::door::plan_config(p.config.clone(), &p.input.config, &options)
        .map_err(|e| DiagnoseError::Input(e.to_string()))?;
    let policy = ConfinePolicy::from_env().map_err(DiagnoseError::Input)?;
    let spec = deployed.spec(p.input.version).label("diagnose").confine(policy);
    let rewrites = deployed.rewrites.iter().map(ToString::to_string).collect();
    Ok((spec, Outcome { rewrites, positions: deployed.positions, ..Outcome::default() }))
}

/// The files that stand in for the config's `tls` block: the run's server certificate and key,
/// and the CA client certificates chain to.
fn stand_ins(plan: &tls::TlsPlan, pki: &Pki) -> TlsFiles {
    let host = |placeholder: &str| pki.host_dir.join(pki.value(placeholder).unwrap_or_default());
    TlsFiles {
        cert_file: host(&format!("tls.server.{}.cert", tls::plan::SERVER)),
        key_file: host(&format!("tls.server.{}.key", tls::plan::SERVER)),
        ca_file: pki.ca_path(plan.clients_ca),
    }
}

/// The stand-in PKI of the customer's shape, written owner-only into `dir`.
fn write_pki(plan: &tls::TlsPlan, dir: &Path) -> Result<Pki, DiagnoseError> {
    let issued = crate::pki::issue(&plan.spec).map_err(env)?;
    crate::owner_only::create_dir_all(dir).map_err(env)?;
    Pki::write(issued, dir, &crate::redact::Secrets::new()).map_err(env)
}

/// The client's TLS options and its tap's, from the plan.
fn client_tls(plan: &tls::TlsPlan, pki: &Pki) -> (ClientTls, Option<TapTls>) {
    let spec = ClientSpec {
        tls_ca: Some(plan.client_ca.into()),
        tls_cert: plan.client_cert.map(Into::into),
        tls_first: Some(plan.first),
        ..ClientSpec::default()
    };
    crate::runner::client_tls(Some(pki), &spec)
}

fn client(p: &Prepared) -> (ClientSpec, ClientAuth) {
    // Longer than any `authorization { timeout }` an auth callout waits, so a slow refusal is not
    // mistaken for a server that never answers; a paused server is still noticed.
    let timeout = if p.input.server_state == ServerState::Paused { 2 } else { 6 };
    let mut spec = ClientSpec {
        name: Some("diagnose".into()),
        connection_timeout: Some(crate::spec::Dur(Duration::from_secs(timeout))),
        ..ClientSpec::default()
    };
    let auth = match &p.input.credentials {
        Credentials::None => ClientAuth::None,
        Credentials::CredsFile(path) => ClientAuth::CredsFile(path.clone()),
        Credentials::UserPassword { user, password } => {
            spec.user = Some(user.clone());
            spec.password = Some(password.clone());
            ClientAuth::None
        }
        Credentials::Token(t) => {
            spec.token = Some(t.clone());
            ClientAuth::None
        }
        Credentials::NkeySeedFile(_) => ClientAuth::NkeySeed(p.seed.clone().unwrap_or_default()),
    };
    (spec, auth)
}

/// Another library's connect failure in async-nats' terms, which the classification reads (the
/// library's own words are in [`Outcome::library`]).
fn as_async_nats(f: ClientFailure) -> ClientFailure {
    let m = f.message.to_ascii_lowercase();
    let kind = match f.kind.as_str() {
        "nats.ErrAuthorization" | "nats.ErrAuthExpired" | "nats.ErrAuthRevoked" | "nats.ErrAccountAuthExpired" => {
            "AuthorizationViolation"
        }
        "nats.errors.Error" | "nats.errors.AuthorizationError" if m.contains("authorization violation") => {
            "AuthorizationViolation"
        }
        "builtins.TimeoutError" | "nats.errors.TimeoutError" | "nats.ErrTimeout" => "TimedOut",
        "*net.OpError" if m.contains("timeout") => "TimedOut",
        // Already async-nats' terms (a creds file it could not read, say).
        _ if !f.kind.contains('.') && !f.kind.starts_with('*') => return f,
        _ => "Io",
    };
    ClientFailure { kind: kind.into(), ..f }
}

/// A driver's result: the library's error stays the operation's, a broken driver ends the
/// diagnosis (it says nothing about the customer's case).
fn client_result<T>(r: Result<T, DriverError>) -> Result<Result<T, ClientFailure>, DiagnoseError> {
    match r {
        Ok(v) => Ok(Ok(v)),
        Err(DriverError::Client(f)) => Ok(Err(f)),
        Err(DriverError::Harness(h)) => Err(DiagnoseError::Environment(h)),
    }
}

fn errs_since(tap: &Proxy, since: Instant) -> Vec<String> {
    let mut v: Vec<_> = tap.wire().server_errors().filter(|(_, e)| e.at >= since).map(|(_, e)| e.clone()).collect();
    v.sort_by_key(|e| e.at);
    v.into_iter().map(|e| e.text).collect()
}

fn explains(line: &str) -> bool {
    [
        "Violation",
        "authentication error",
        "[WRN]",
        "[ERR]",
        "Authentication",
        "Account",
        "JWT",
        "Signature",
        "Stale",
        "callout",
    ]
    .iter()
    .any(|k| line.contains(k))
}

/// Waits until the server has processed `op`: a round trip once the tap forwarded it, then a
/// second one. With one alone the `-ERR` for a publish was sometimes recorded only after the
/// barrier's PONG (seen about half the time with 2.15.1); after the second it always was.
async fn settle(tap: &Proxy, op: TapOp, since: Instant) {
    tap.barrier_after(WITHIN, op, since).await;
    tap.barrier(WITHIN).await;
}

/// Starts the server, connects, runs the operations, and records what happened.
pub async fn play(p: &Prepared) -> Result<Outcome, DiagnoseError> {
    let tmp = crate::backend::owned_temp_dir("diagnose").map_err(env)?;
    let pki = p.tls.as_ref().map(|plan| write_pki(plan, &tmp.path().join("tls"))).transpose()?;
    let (spec, mut out) = server_spec(p, pki.as_ref())?;
    let mut server = match ProcessBackend.start(&spec).await {
        Ok(s) => s,
        Err(ServerError::Refused { message, .. }) => {
            out.refused = Some(message);
            return Ok(out);
        }
        Err(e) => return Err(env(e)),
    };
    out.confinement = Some(server.confinement().to_string());
    let result = exercise(p, pki.as_ref(), server.as_mut(), &mut out).await;
    out.sockets = server.audit().and_then(Result::ok);
    let log = server.log();
    let _ = server.shutdown().await;
    result?;
    let lines: Vec<String> = log.all().into_iter().map(|l| l.value).collect();
    out.log = lines.iter().filter(|l| explains(l)).take(20).cloned().collect();
    Ok(out)
}

async fn exercise(
    p: &Prepared,
    pki: Option<&Pki>,
    server: &mut dyn RunningServer,
    out: &mut Outcome,
) -> Result<(), DiagnoseError> {
    let log = server.log();
    let tap = Proxy::start(server.client_addr()).await.map_err(env)?;
    let (tls, tap_tls) = match (p.tls.as_ref(), pki) {
        (Some(plan), Some(pki)) => client_tls(plan, pki),
        _ => (ClientTls::default(), None),
    };
    let direct = p.tls.as_ref().is_some_and(tls::TlsPlan::direct);
    tap.set_tls(tap_tls);
    let dial = match p.input.server_state {
        ServerState::Up if direct => server.client_addr(),
        ServerState::Up => tap.listen_addr(),
        ServerState::Stopped => {
            server.stop().await.map_err(env)?;
            server.client_addr()
        }
        ServerState::Paused => {
            server.pause().await.map_err(env)?;
            server.client_addr()
        }
    };
    let began = Instant::now();
    let events = Timeline::new();
    let (spec, auth) = client(p);
    let library = p.input.library;
    if library.is_external() && p.input.operations.iter().any(|o| matches!(o, Operation::Js(_))) {
        return Err(DiagnoseError::Input(format!(
            "JetStream operations are played with async-nats only, not {library}"
        )));
    }
    let target = ConnectTarget { name: "diagnose", spec: &spec, auth: &auth, tls: &tls, addr: dial, events: &events };
    let conn = match connect(library, target).await {
        Ok(c) => Ok(c),
        Err(DriverError::Client(f)) => Err(f),
        Err(DriverError::Harness(h)) => return Err(DiagnoseError::Environment(h)),
    };
    let mut conn = match conn {
        Ok(c) => c,
        Err(f) => {
            // The server logs the reason before it sends `-ERR`; give the log pipe a moment.
            if f.kind == "AuthorizationViolation" || library.is_external() {
                log.wait_for(0, Duration::from_millis(500), |l| l.contains("authentication error")).await;
            } else if p.tls.is_some() {
                log.wait_for(0, Duration::from_millis(500), |l| l.contains("TLS handshake error")).await;
            }
            if library.is_external() {
                out.library = Some(format!(
                    "{library} (its driver's version once connected), reported `{}: {}`",
                    f.kind, f.message
                ));
            }
            out.connect_error = Some(as_async_nats(f));
            out.server_errs = errs_since(&tap, began);
            if let Some(a) = auth_failures(&log.all(), 0).pop() {
                out.reason = a.reason;
                out.auth_line = Some(a.line);
            }
            if p.input.server_state == ServerState::Paused {
                let _ = server.resume().await;
            }
            return Ok(());
        }
    };
    out.library = Some(format!("{} {}", conn.library(), conn.version()));
    let mut js = crate::client::jetstream::JsState::default();
    for op in &p.input.operations {
        let since = Instant::now();
        let subject = op.subject();
        let res = match op {
            Operation::Publish(s) => {
                let r = client_result(conn.publish(s, "natsfault diagnose").await)?;
                settle(&tap, TapOp::Publish(s.clone()), since).await;
                r
            }
            Operation::Subscribe(s) => {
                let r = client_result(conn.subscribe(s, None).await)?;
                settle(&tap, TapOp::Subscribe(s.clone()), since).await;
                r
            }
            Operation::Request(s) => match client_result(conn.request(s, "natsfault diagnose").await)? {
                Ok(_) => Ok(()),
                Err(f)
                    if f.kind == "NoResponders"
                        || f.kind == "nats.errors.NoRespondersError"
                        || f.kind == "nats.ErrNoResponders" =>
                {
                    out.notes.push(format!("request to `{subject}`: no responder here, but the server allowed it"));
                    Ok(())
                }
                Err(f) => {
                    tap.barrier(WITHIN).await;
                    tap.barrier(WITHIN).await;
                    Err(f)
                }
            },
            Operation::Js(j) => {
                let Some(n) = conn.async_nats() else {
                    return Err(DiagnoseError::Input(format!(
                        "JetStream operations are played with async-nats only, not {library}"
                    )));
                };
                let r = j.run(n.client(), &mut js).await;
                tap.barrier(WITHIN).await;
                tap.barrier(WITHIN).await;
                match r {
                    Err(f) if super::js_op::missing_here(&f) => {
                        out.notes.push(format!(
                            "{} `{subject}`: the server allowed it; {} here (the sandbox's JetStream store is empty)",
                            j.verb(),
                            f.message
                        ));
                        Ok(())
                    }
                    Err(f) => {
                        out.js_error = Some(f.clone());
                        Err(f)
                    }
                    Ok(()) => Ok(()),
                }
            }
        };
        let errs = errs_since(&tap, since);
        out.server_errs.extend(errs.iter().cloned());
        if let Some(e) = errs.iter().find(|e| e.contains("Violation")) {
            out.failed_op = Some((op.clone(), e.clone()));
            break;
        }
        if let Err(f) = res {
            out.failed_op = Some((op.clone(), format!("{}: {}", f.kind, f.message)));
            break;
        }
    }
    drop(conn);
    Ok(())
}
