//! Links through natsfault's proxy (`proxy-links = ["hub"]` on the server that dials): one proxy
//! per listener the peer has for links (cluster, leafnodes, gateway), in front of it, and the
//! dialling server's config pointed at the proxy instead of the peer. Toxics then act on the link
//! (`add-toxic` with `link = "leaf->hub"`), and on the process backend `disconnect-server` takes
//! every proxied link of a server down.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use super::context::PhaseCtx;
use super::exec::Outcome;
use crate::backend::{Backend, ServerError};
use crate::observe::ObservationKind;
use crate::proxy::{Proxy, Stream, ToxicKind, ToxicSpec};
use crate::spec::{Action, Scenario, Step};
use crate::topology::{ListenerKind, Plan};

/// The listeners a link dials.
const LINK_KINDS: [ListenerKind; 3] = [ListenerKind::Cluster, ListenerKind::Leafnode, ListenerKind::Gateway];
/// The name of the toxic `disconnect-server` installs on the process backend.
const PARTITION_TOXIC: &str = "natsfault-partition";

/// One proxy in front of one listener of the peer.
struct LinkProxy {
    /// `peer-host:port` as the dialling server's config names it.
    direct: String,
    /// `proxy-ip:port` it names instead.
    proxied: String,
    proxy: Proxy,
}

/// The proxies of a phase's links, by link (`leaf->hub`).
#[derive(Default)]
pub struct LinkProxies {
    links: BTreeMap<(String, String), Vec<LinkProxy>>,
}

impl LinkProxies {
    /// Opens a proxy for every listener of every peer a server lists in `proxy-links`, listening
    /// where the backend's servers reach the host ([`Backend::service_host`]) and forwarding to the
    /// peer's listener on 127.0.0.1 (published there by containers, see [`LinkProxies::published`]).
    pub async fn open(scenario: &Scenario, plan: &Plan, backend: &dyn Backend) -> Result<LinkProxies, String> {
        let mut out = LinkProxies::default();
        let wanted: Vec<(String, String)> = scenario
            .servers
            .iter()
            .flat_map(|s| s.section.proxy_links.iter().map(|p| (s.name.clone(), p.get_ref().clone())))
            .collect();
        if wanted.is_empty() {
            return Ok(out);
        }
        let ip: IpAddr = backend.service_host().await.map_err(|e| e.to_string())?;
        for (from, to) in wanted {
            let peer = plan.get(&to).ok_or_else(|| format!("no server `{to}`"))?;
            let mut proxies = Vec::new();
            for kind in LINK_KINDS {
                let Some(l) = peer.listeners.get(&kind) else { continue };
                let upstream = SocketAddr::from((Ipv4Addr::LOCALHOST, l.host_port));
                let proxy = Proxy::start_on(ip, upstream).await.map_err(|e| format!("link `{from}->{to}`: {e}"))?;
                let proxied = format!("{ip}:{}", proxy.listen_addr().port());
                proxies.push(LinkProxy { direct: format!("{}:{}", peer.host, l.peer_port), proxied, proxy });
            }
            out.links.insert((from, to), proxies);
        }
        Ok(out)
    }

    /// `config` of server `name` with every address of a peer it dials through a proxy replaced
    /// by the proxy's.
    pub fn rewrite(&self, name: &str, config: String) -> String {
        self.links
            .iter()
            .filter(|((from, _), _)| from == name)
            .flat_map(|(_, proxies)| proxies)
            .fold(config, |text, p| text.replace(&p.direct, &p.proxied))
    }

    /// The link listeners of server `name` a container publishes on 127.0.0.1 for the proxies in
    /// front of it: (inside, host) ports.
    pub fn published(&self, name: &str, plan: &Plan) -> Vec<(u16, u16)> {
        if !self.links.keys().any(|(_, to)| to == name) {
            return Vec::new();
        }
        let Some(addrs) = plan.get(name) else { return Vec::new() };
        LINK_KINDS.iter().filter_map(|k| addrs.listeners.get(k).and_then(|l| l.publish)).collect()
    }

    /// The proxies of the link `from->to`.
    fn of(&self, link: &str) -> Option<&[LinkProxy]> {
        let (from, to) = crate::spec::parse_link(link)?;
        self.links.get(&(from.to_string(), to.to_string())).map(Vec::as_slice)
    }

    /// Every link's proxies, with the link's name (`leaf->hub`).
    pub fn all(&self) -> impl Iterator<Item = (String, &Proxy)> + '_ {
        self.links.iter().flat_map(|((f, t), ps)| ps.iter().map(move |p| (format!("{f}->{t}"), &p.proxy)))
    }

    /// The proxies of every link to or from server `name`.
    fn touching<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a LinkProxy> + 'a {
        self.links.iter().filter(move |((f, t), _)| f == name || t == name).flat_map(|(_, p)| p)
    }
}

/// `add-toxic`, `remove-toxic`, `add-rule`, `remove-rule` or `reset-connections` on a link's
/// proxies.
pub fn link_toxic(ctx: &mut PhaseCtx<'_>, step: &Step, action: Action) -> Outcome {
    let link = step.link.as_ref().map(|l| l.get_ref().as_str()).unwrap_or_default();
    let Some(proxies) = ctx.topology.as_ref().and_then(|t| t.link_proxies.of(link)) else {
        return Outcome::Harness(format!("no proxy on the link `{link}`; list the peer in `proxy-links`"));
    };
    for p in proxies {
        if let Outcome::Harness(e) = super::exec::on_proxy(&p.proxy, step, action) {
            return Outcome::Harness(format!("{e} (on `{link}`)"));
        }
    }
    Outcome::Ok(None)
}

/// `disconnect-server` / `reconnect-server`: every proxied link to or from the server goes down
/// (or up), and the server leaves (or joins) its network where the backend has one (containers).
/// The links go down before the container leaves, so that its peers' connections close while it
/// can still hear it (else it keeps a route it cannot use until its pings time out), and come
/// back once it has joined.
pub async fn partition(ctx: &mut PhaseCtx<'_>, index: usize, step: &Step, action: Action) -> Outcome {
    let name = step.server.as_ref().map(|s| s.get_ref().clone());
    let disconnect = action == Action::DisconnectServer;
    let mut cut = if disconnect { set_partition(ctx, name.as_deref(), true) } else { Ok(0) };
    let Some(server) = super::topology::server_mut(ctx, name.as_deref()) else {
        return Outcome::Harness("no server is running".into());
    };
    let res = match if disconnect { server.disconnect().await } else { server.reconnect().await } {
        Err(ServerError::Unsupported { .. }) => Ok(false),
        Err(e) => Err(e.to_string()),
        Ok(()) => Ok(true),
    };
    if !disconnect {
        cut = set_partition(ctx, name.as_deref(), false);
    }
    let res = match (res, cut) {
        (Err(e), _) | (_, Err(e)) => Err(e),
        (Ok(false), Ok(0)) => {
            let name = name.as_deref().unwrap_or_else(|| ctx.topology.as_ref().map_or("", |t| t.primary.as_str()));
            Err(format!(
                "`{}` of server `{name}` on this backend acts on its links through the proxy, and it has none: \
                 list its peers in `proxy-links` (or run on the container backend)",
                action.as_str()
            ))
        }
        _ => Ok(()),
    };
    ctx.observe(Some(index), None, ObservationKind::ServerAction { action: action.as_str().into() });
    match res {
        Ok(()) => Outcome::Ok(None),
        Err(e) => Outcome::Harness(e),
    }
}

/// Takes every proxied link of server `name` (the first when `None`) down, or brings it back;
/// returns how many proxies it acted on.
fn set_partition(ctx: &PhaseCtx<'_>, name: Option<&str>, down: bool) -> Result<usize, String> {
    let Some(t) = ctx.topology.as_ref() else { return Ok(0) };
    let name = name.unwrap_or(&t.primary);
    let proxies: Vec<&LinkProxy> = t.link_proxies.touching(name).collect();
    for p in &proxies {
        let res = if down {
            p.proxy.add_toxic(ToxicSpec::new(PARTITION_TOXIC, Stream::Downstream, ToxicKind::Down))
        } else {
            p.proxy.remove_toxic(PARTITION_TOXIC)
        };
        res.map_err(|e| format!("the partition of server `{name}`: {e}"))?;
    }
    Ok(proxies.len())
}
