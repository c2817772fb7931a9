//! Carrying out a step's action.

use std::time::Duration;

use super::client_state::{ClientState, Conn};
use super::context::PhaseCtx;
use super::storm::{Storm, StormClient};
use crate::client::driver::{ConnectTarget, DriverError};
use crate::client::{ClientFailure, DEFAULT_CONNECTION_TIMEOUT, MqttConn, RawConn, Received, Upgrade};
use crate::keyring::Keyring;
use crate::observe::ObservationKind;
use crate::proxy::TapOp;
use crate::render::{SecretProvider, render};
use crate::spec::{Action, ClientKind, Step};

/// Default window for waiting on a message.
pub const DEFAULT_WITHIN: Duration = Duration::from_secs(2);

/// What an action returned.
pub enum Outcome {
    /// It succeeded; a request or expect-message carries what arrived.
    Ok(Option<Received>),
    /// A client operation failed.
    Client(ClientFailure),
    /// The harness could not carry it out (a server action failed, no connection); always a failure.
    Harness(String),
}

/// Carries out `step`'s action.
pub async fn execute(ctx: &mut PhaseCtx<'_>, index: usize, step: &Step) -> Outcome {
    let action = *step.action.get_ref();
    match action {
        Action::StopServer
        | Action::KillServer
        | Action::PauseServer
        | Action::ResumeServer
        | Action::RestartServer
        | Action::ReloadServer
        | Action::LameDuckServer => server_action(ctx, index, step, action).await,
        Action::Wait => {
            tokio::time::sleep(step.duration.map(|d| d.get()).unwrap_or_default()).await;
            Outcome::Ok(None)
        }
        Action::Await => Outcome::Ok(None),
        Action::SetEndpoint => set_endpoint(ctx, index, step).await,
        Action::HttpGet => super::http_step::http_get(ctx, index, step).await,
        Action::AddToxic | Action::RemoveToxic | Action::AddRule | Action::RemoveRule | Action::ResetConnections
            if step.callout == Some(true) =>
        {
            match ctx.endpoint.as_ref() {
                Some(e) => on_proxy(e.tap(), step, action),
                None => Outcome::Harness("`callout = true` needs a running auth endpoint (`[auth-endpoint]`)".into()),
            }
        }
        Action::AddToxic | Action::RemoveToxic | Action::AddRule | Action::RemoveRule | Action::ResetConnections
            if step.link.is_some() =>
        {
            super::link_proxy::link_toxic(ctx, step, action)
        }
        Action::MoveAddress => move_address(ctx, step),
        Action::DisconnectServer | Action::ReconnectServer => {
            super::link_proxy::partition(ctx, index, step, action).await
        }
        Action::ExpectNoMessage => expect_no_message(ctx, step).await,
        a if crate::spec::is_js_action(a) => super::js_exec::js_step(ctx, step).await,
        _ => {
            let Some(name) = step.client_name() else {
                return Outcome::Harness(format!("`{}` needs a client", action.as_str()));
            };
            let Some(client) = ctx.clients.get_mut(name) else {
                return Outcome::Harness(format!("undefined client `{name}`"));
            };
            let outcome = client_action(client, step, action, &ctx.secrets, &ctx.keyring).await;
            let on = client.spec.server.clone();
            let nats = !matches!(client.conn, Conn::Mqtt(_));
            if nats && matches!(action, Action::Subscribe | Action::Respond) && matches!(outcome, Outcome::Ok(_)) {
                let subject = step.subject_str().unwrap_or_default().to_string();
                super::topology::await_interest_from(ctx, on.as_deref(), &subject).await;
            }
            let Some(client) = ctx.clients.get_mut(name) else {
                return Outcome::Harness(format!("undefined client `{name}`"));
            };
            if action == Action::Connect {
                // A connect that failed leaves no driver: the version its `hello` said is kept.
                let chosen = client.library;
                let library = match client.driver() {
                    Some(d) if matches!(outcome, Outcome::Ok(_)) => Some((d.library(), d.version())),
                    _ if chosen.is_external() => crate::client::driver::known_version(chosen).map(|v| (chosen, v)),
                    _ => None,
                };
                if let Some((library, version)) = library {
                    let kind = ObservationKind::ClientLibrary { library: library.to_string(), version };
                    ctx.observe(Some(index), Some(name), kind);
                }
            }
            outcome
        }
    }
}

async fn client_action(
    c: &mut ClientState,
    step: &Step,
    action: Action,
    secrets: &crate::render::Secrets,
    keyring: &Keyring,
) -> Outcome {
    let subject = step.subject_str().unwrap_or_default();
    let payload = step.payload.as_deref().unwrap_or("");
    let within = step.expect.within.map_or(DEFAULT_WITHIN, |d| d.get());
    let began = std::time::Instant::now();
    let res: Result<Option<Received>, ClientFailure> = match action {
        Action::Connect => return connect(c).await,
        Action::Close => {
            if let Some(d) = c.driver() {
                d.close().await;
            }
            c.conn = Conn::None;
            // The application closes the connections it opened at disconnects too.
            c.storm = None;
            Ok(None)
        }
        Action::AddToxic => match step.toxic.clone().map(|t| c.tap.add_toxic(t)) {
            Some(Ok(())) => Ok(None),
            Some(Err(e)) => return Outcome::Harness(format!("add-toxic: {e}")),
            None => return Outcome::Harness("`add-toxic` needs a `toxic`".into()),
        },
        Action::RemoveToxic => match c.tap.remove_toxic(step.toxic_name_str().unwrap_or_default()) {
            Ok(()) => Ok(None),
            Err(e) => return Outcome::Harness(format!("remove-toxic: {e}")),
        },
        Action::ResetConnections => {
            c.tap.reset_all();
            Ok(None)
        }
        Action::AddRule | Action::RemoveRule => match shape(&c.tap, step) {
            Ok(()) => Ok(None),
            Err(e) => return Outcome::Harness(format!("{}: {e}", action.as_str())),
        },
        Action::RawSend => match &mut c.conn {
            Conn::Raw(r) => match render(
                step.send.as_ref().map_or("", |t| t.get_ref().as_str()),
                &[&SecretProvider(secrets), keyring],
            ) {
                Ok(text) => r.send(&text).await.map(|_| None),
                Err(e) => return Outcome::Harness(format!("send: {e}")),
            },
            _ => return Outcome::Harness(format!("client `{}` has no raw connection", c.name)),
        },
        Action::Subscribe | Action::Publish if matches!(c.conn, Conn::Mqtt(_)) => {
            let Conn::Mqtt(m) = &mut c.conn else { return Outcome::Harness("no MQTT connection".into()) };
            if action == Action::Subscribe {
                m.subscribe(subject, step.qos.as_ref().map_or(0, |q| *q.get_ref()), within).await.map(|_| None)
            } else {
                m.publish(subject, payload).await.map(|_| None)
            }
        }
        _ => {
            let Some(n) = c.driver() else {
                return Outcome::Harness(format!("client `{}` is not connected", c.name));
            };
            let res = match action {
                Action::Publish => n.publish(subject, payload).await.map(|_| None),
                Action::Subscribe => n.subscribe(subject, step.queue.as_deref()).await.map(|_| None),
                Action::Respond => n.respond(subject, step.queue.as_deref(), payload).await.map(|_| None),
                Action::Request => n.request(subject, payload).await.map(Some),
                Action::Flush => n.flush().await.map(|_| None),
                Action::ExpectMessage => {
                    if !n.has_subscription(subject) {
                        return Outcome::Harness(format!("client `{}` has no subscription to `{subject}`", c.name));
                    }
                    match n.next_message(subject, within).await {
                        Some(m) => Ok(Some(m)),
                        None => Err(DriverError::Client(ClientFailure::timed_out(
                            "expect-message",
                            format!("no message on `{subject}` within {within:?}"),
                        ))),
                    }
                }
                other => return Outcome::Harness(format!("`{}` is not a client action", other.as_str())),
            };
            match res {
                Ok(r) => Ok(r),
                Err(DriverError::Client(f)) => Err(f),
                Err(DriverError::Harness(h)) => return Outcome::Harness(h),
            }
        }
    };
    if res.is_ok() {
        // The server has processed what the client sent when the barrier's PONG comes back.
        let op = match action {
            Action::Publish => Some(TapOp::Publish(subject.to_string())),
            Action::Subscribe | Action::Respond => Some(TapOp::Subscribe(subject.to_string())),
            _ => None,
        };
        match op {
            Some(op) => {
                c.tap.barrier_after(within, op, began).await;
            }
            None if action == Action::Flush => {
                c.tap.barrier(within).await;
            }
            None => {}
        }
    }
    match res {
        Ok(r) => Outcome::Ok(r),
        Err(f) => Outcome::Client(f),
    }
}

/// A toxic, rule or reset step on one proxy.
pub(super) fn on_proxy(proxy: &crate::proxy::Proxy, step: &Step, action: Action) -> Outcome {
    let res = match action {
        Action::AddToxic => match step.toxic.clone() {
            Some(t) => proxy.add_toxic(t).map_err(|e| e.to_string()),
            None => Err("`add-toxic` needs a `toxic`".into()),
        },
        Action::RemoveToxic => proxy.remove_toxic(step.toxic_name_str().unwrap_or_default()).map_err(|e| e.to_string()),
        Action::AddRule | Action::RemoveRule => shape(proxy, step),
        _ => {
            proxy.reset_all();
            Ok(())
        }
    };
    match res {
        Ok(()) => Outcome::Ok(None),
        Err(e) => Outcome::Harness(format!("{}: {e}", action.as_str())),
    }
}

/// `add-rule` or `remove-rule` on one proxy.
fn shape(proxy: &crate::proxy::Proxy, step: &Step) -> Result<(), String> {
    if *step.action.get_ref() == Action::RemoveRule {
        let name = step.rule_name.as_ref().map(|n| n.get_ref().as_str()).unwrap_or_default();
        return proxy.remove_rule(name).map_err(|e| e.to_string());
    }
    let rule = step.rule.as_ref().and_then(|r| r.get_ref().to_spec()).ok_or("`add-rule` needs a valid `rule`")?;
    proxy.add_rule(rule).map_err(|e| e.to_string())
}

async fn connect(c: &mut ClientState) -> Outcome {
    let addr = c.dial_addr();
    match c.spec.kind() {
        ClientKind::Nats => {
            let mark = c.events.len();
            let target =
                ConnectTarget { name: &c.name, spec: &c.spec, auth: &c.auth, tls: &c.tls, addr, events: &c.events };
            match crate::client::driver::connect(c.library, target).await {
                Ok(d) => {
                    let in_process = !d.library().is_external();
                    c.conn = Conn::Client(d);
                    // async-nats reports `connected` from a task of its own, after `connect`
                    // returned: wait for it here, so it belongs to this step and no later step
                    // mistakes it for a reconnect. A client that retries its first connect in
                    // the background has not connected yet. A driver program reports it before
                    // it answers.
                    if in_process && c.spec.retry_on_initial_connect != Some(true) {
                        c.events.wait_for(mark, DEFAULT_WITHIN, |e| e == "connected").await;
                    }
                    if let Some(bound) = c.spec.connection_bound() {
                        let client = StormClient {
                            name: c.name.clone(),
                            spec: c.spec.clone(),
                            auth: c.auth.clone(),
                            tls: c.tls.clone(),
                            addr,
                            events: c.events.clone(),
                            library: c.library,
                        };
                        c.storm = Some(Storm::start(client, mark, bound));
                    }
                    Outcome::Ok(None)
                }
                Err(DriverError::Client(f)) => Outcome::Client(f),
                Err(DriverError::Harness(h)) => Outcome::Harness(h),
            }
        }
        ClientKind::Mqtt => {
            let Some(addr) = c.tls.mqtt_addr else {
                return Outcome::Harness(format!(
                    "client `{}` is an MQTT client but the config has no `{{{{mqtt.listen}}}}`",
                    c.name
                ));
            };
            let timeout = c.spec.connection_timeout.map_or(DEFAULT_CONNECTION_TIMEOUT, |d| d.get());
            let id = c.spec.name.clone().unwrap_or_else(|| c.name.clone());
            let credentials = c.spec.user.clone().map(|u| (u, c.spec.password.clone().unwrap_or_default()));
            match MqttConn::connect(addr, &id, credentials, timeout).await {
                Ok(m) => {
                    c.conn = Conn::Mqtt(m);
                    Outcome::Ok(None)
                }
                Err(f) => Outcome::Client(f),
            }
        }
        ClientKind::Raw => {
            let timeout = c.spec.connection_timeout.map_or(DEFAULT_CONNECTION_TIMEOUT, |d| d.get());
            let opened = match &c.tls.websocket_url {
                Some(url) => {
                    let upgrade = Upgrade {
                        url,
                        headers: c.spec.ws_headers.as_ref().map(|h| h.get_ref()),
                        cookies: c.spec.ws_cookies.as_ref().map(|h| h.get_ref()),
                    };
                    RawConn::websocket(upgrade, timeout, c.received.clone()).await
                }
                None => RawConn::connect(addr, timeout, c.received.clone()).await,
            };
            match opened {
                Ok(r) => {
                    c.conn = Conn::Raw(r);
                    Outcome::Ok(None)
                }
                Err(f) => Outcome::Client(f),
            }
        }
    }
}

/// Flushes every connected client, then looks for a message already delivered: the server sends
/// a message before the PONG that answers a later PING, so none can still be on its way.
/// Points the step's client's wire tap at the step's `server`: its next connection goes there.
fn move_address(ctx: &mut PhaseCtx<'_>, step: &Step) -> Outcome {
    let to = step.server.as_ref().map(|s| s.get_ref().as_str());
    let Some(addr) = super::topology::client_upstream(ctx, to) else {
        return Outcome::Harness(format!("server `{}` is not running", to.unwrap_or_default()));
    };
    let Some(c) = step.client_name().and_then(|n| ctx.clients.get_mut(n)) else {
        return Outcome::Harness("`move-address` needs a client".into());
    };
    c.tap.set_upstream(addr);
    Outcome::Ok(None)
}

async fn expect_no_message(ctx: &mut PhaseCtx<'_>, step: &Step) -> Outcome {
    let subject = step.subject_str().unwrap_or_default();
    for c in ctx.clients.values_mut() {
        if let Some(n) = c.driver() {
            // A client whose server is gone cannot flush; that is not this step's concern.
            let _ = n.flush().await;
            c.tap.barrier(DEFAULT_WITHIN).await;
        }
    }
    let Some(c) = step.client_name().and_then(|n| ctx.clients.get_mut(n)) else {
        return Outcome::Harness("`expect-no-message` needs a client".into());
    };
    let Some(n) = c.driver() else {
        return Outcome::Harness(format!("client `{}` is not connected", c.name));
    };
    if !n.has_subscription(subject) {
        return Outcome::Harness(format!("client `{}` has no subscription to `{subject}`", c.name));
    }
    match n.pending_message(subject) {
        None => Outcome::Ok(None),
        // What the client received, not something the harness could not do: a library the file
        // does not assert is compared on it, not failed.
        Some(m) => Outcome::Client(crate::client::ClientFailure {
            op: "expect-no-message",
            kind: "MessageArrived".into(),
            message: format!("a message arrived on `{}`: `{}`", m.subject, m.payload),
            api: None,
        }),
    }
}

async fn set_endpoint(ctx: &mut PhaseCtx<'_>, index: usize, step: &Step) -> Outcome {
    let (Some(endpoint), Some(change)) = (ctx.endpoint.as_mut(), step.endpoint.as_ref()) else {
        return Outcome::Harness("no auth endpoint is running".into());
    };
    let res = endpoint.change(change.get_ref()).await;
    ctx.observe(Some(index), None, ObservationKind::ServerAction { action: Action::SetEndpoint.as_str().into() });
    match res {
        Ok(()) => Outcome::Ok(None),
        Err(e) => Outcome::Harness(e),
    }
}

async fn server_action(ctx: &mut PhaseCtx<'_>, index: usize, step: &Step, action: Action) -> Outcome {
    let new_config = match action {
        Action::ReloadServer => match reload_config(ctx, step) {
            Ok(c) => c,
            Err(e) => return Outcome::Harness(format!("reload config: {e}")),
        },
        _ => None,
    };
    let name = step.server.as_ref().map(|s| s.get_ref().clone());
    let Some(server) = super::topology::server_mut(ctx, name.as_deref()) else {
        return Outcome::Harness("no server is running".into());
    };
    let res = match action {
        Action::StopServer => server.stop().await,
        Action::KillServer => server.kill().await,
        Action::PauseServer => server.pause().await,
        Action::ResumeServer => server.resume().await,
        Action::RestartServer => server.restart().await,
        Action::ReloadServer => server.reload(new_config).await,
        Action::LameDuckServer => server.lame_duck().await,
        _ => Ok(()),
    };
    if res.is_ok() && action == Action::RestartServer {
        let addr = server.client_addr();
        let primary = ctx.topology.as_ref().map(|t| t.primary.clone());
        let of_server = |c: &super::client_state::ClientState| {
            c.spec.server.as_deref().or(primary.as_deref()) == name.as_deref().or(primary.as_deref())
        };
        for c in ctx.clients.values().filter(|c| of_server(c)) {
            c.tap.set_upstream(addr);
        }
    }
    ctx.observe(Some(index), None, ObservationKind::ServerAction { action: action.as_str().into() });
    match res {
        Ok(()) => Outcome::Ok(None),
        Err(e) => Outcome::Harness(e.to_string()),
    }
}

/// The config a `reload-server` step writes: its own `config`, or the phase's config rendered
/// again when the step changes identities (whose JWTs are issued anew first), played through the
/// plan the server started with; `None` to reload the file as it is.
fn reload_config(ctx: &mut PhaseCtx<'_>, step: &Step) -> Result<Option<String>, String> {
    let reissue = !step.accounts.is_empty() || !step.users.is_empty();
    if reissue {
        ctx.identities = ctx.identities.merged(&step.accounts, &step.users);
        ctx.keyring.reissue(&ctx.identities).map_err(|e| e.to_string())?;
        ctx.keyring.register(&ctx.secrets);
        if let Some(a) = &ctx.account_server {
            a.serve(&ctx.keyring);
        }
    }
    let text = match &step.config {
        Some(t) => t.get_ref().clone(),
        None if reissue => ctx.scenario.config_for(ctx.phase),
        None => return Ok(None),
    };
    let rendered = render(&text, &[&*ctx]).map_err(|e| e.to_string())?;
    let name = step.server.as_ref().map(|s| s.get_ref().as_str());
    super::topology::reload_plan(ctx, name, &rendered).map(Some)
}
