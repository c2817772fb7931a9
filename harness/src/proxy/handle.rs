//! [`Proxy`]: the running proxy and the handle to steer it.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::broadcast;
use tokio::task::JoinHandle;

use super::error::ProxyError;
use super::listener::accept_loop;
use super::shared::Shared;
use super::spec::ToxicSpec;
use super::tls::TapTls;
use super::wire::{WireEvent, WireLog};

/// A running TCP proxy on `127.0.0.1:<random port>` in front of a NATS
/// server, with toxics and a wire tap.
///
/// Dropping it stops listening and closes every connection (their tasks are
/// aborted). Needs a Tokio runtime.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use std::time::Duration;
/// use natsfault::proxy::{LatencyParams, Proxy, Stream, ToxicKind, ToxicSpec};
///
/// let upstream = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
/// let proxy = Proxy::start(upstream.local_addr()?).await?;
/// proxy.add_toxic(ToxicSpec::new(
///     "lag",
///     Stream::Downstream,
///     ToxicKind::Latency(LatencyParams { latency: Duration::from_millis(50), jitter: Duration::ZERO }),
/// ))?;
/// let _client = tokio::net::TcpStream::connect(proxy.listen_addr()).await?;
/// proxy.remove_toxic("lag")?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct Proxy {
    listen_addr: SocketAddr,
    shared: Arc<Shared>,
    accept: JoinHandle<()>,
}

impl Proxy {
    /// Binds `127.0.0.1:0` and forwards every accepted connection to `upstream`.
    ///
    /// # Errors
    ///
    /// [`ProxyError::Bind`] or [`ProxyError::ListenAddr`] when the listener
    /// cannot be set up.
    pub async fn start(upstream: SocketAddr) -> Result<Proxy, ProxyError> {
        Proxy::start_on(Ipv4Addr::LOCALHOST.into(), upstream).await
    }

    /// Binds `ip:0` (127.0.0.1, or the gateway of natsfault's own Docker network for a proxy
    /// that containers dial) and forwards every accepted connection to `upstream`.
    ///
    /// # Errors
    ///
    /// As [`Proxy::start`].
    pub async fn start_on(ip: std::net::IpAddr, upstream: SocketAddr) -> Result<Proxy, ProxyError> {
        let listener = TcpListener::bind((ip, 0)).await.map_err(|source| ProxyError::Bind { source })?;
        let listen_addr = listener.local_addr().map_err(|source| ProxyError::ListenAddr { source })?;
        let shared = Arc::new(Shared::new(upstream));
        let accept = tokio::spawn(accept_loop(listener, Arc::clone(&shared)));
        Ok(Proxy { listen_addr, shared, accept })
    }

    /// The address clients connect to.
    pub fn listen_addr(&self) -> SocketAddr {
        self.listen_addr
    }

    /// Where new connections are forwarded.
    pub fn upstream(&self) -> SocketAddr {
        self.shared.upstream()
    }

    /// Terminates and reopens TLS on new connections (see [`TapTls`]); `None` forwards bytes
    /// as they are.
    pub fn set_tls(&self, tls: Option<TapTls>) {
        self.shared.set_tls(tls);
    }

    /// Forwards new connections to `addr` (e.g. a server restarted on another
    /// port); open connections keep their server.
    pub fn set_upstream(&self, addr: SocketAddr) {
        self.shared.set_upstream(addr);
    }

    /// Installs a toxic; it acts on new connections and, from their next
    /// chunk or timer on, on open ones. Toxics act in the order added.
    ///
    /// # Errors
    ///
    /// [`ProxyError::ToxicExists`] when the name is taken,
    /// [`ProxyError::InvalidToxic`] when a parameter is out of range.
    pub fn add_toxic(&self, toxic: ToxicSpec) -> Result<(), ProxyError> {
        self.shared.registry.add(toxic)
    }

    /// Removes the toxic called `name` from new and open connections. Data a
    /// `timeout` toxic held flows again; pieces already scheduled keep their
    /// due time.
    ///
    /// # Errors
    ///
    /// [`ProxyError::ToxicNotFound`] when no toxic has this name.
    pub fn remove_toxic(&self, name: &str) -> Result<(), ProxyError> {
        self.shared.registry.remove(name)
    }

    /// The installed toxics, in the order they act.
    pub fn toxics(&self) -> Vec<ToxicSpec> {
        self.shared.registry.current().entries.iter().map(|e| e.spec.clone()).collect()
    }

    /// Installs a shaping rule; it acts on the next frame of every open and new connection.
    /// Rules act in the order added, before the toxics, and their counts (`nth`, `every`,
    /// `limit`) run over every connection of this proxy from now on.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use natsfault::proxy::{Proxy, Stream};
    /// use natsfault::proxy::shaping::{Count, FrameMatch, RuleAction, RuleSpec, Verb};
    ///
    /// let upstream = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    /// let proxy = Proxy::start(upstream.local_addr()?).await?;
    /// proxy.add_rule(RuleSpec {
    ///     name: "lost-pong".into(),
    ///     matching: FrameMatch { to: Some(Stream::Downstream), verb: Some(Verb::Pong), ..FrameMatch::default() },
    ///     count: Count { nth: Some(1), ..Count::default() },
    ///     action: RuleAction::Drop,
    /// })?;
    /// proxy.remove_rule("lost-pong")?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// [`ProxyError::RuleExists`] when the name is taken, [`ProxyError::InvalidRule`] when the
    /// rule can never fire.
    pub fn add_rule(&self, rule: super::shaping::RuleSpec) -> Result<(), ProxyError> {
        self.shared.rules.add(super::shaping::Rule { spec: rule, counter: Default::default() })
    }

    /// Removes the shaping rule called `name`; frames it delayed keep their time.
    ///
    /// # Errors
    ///
    /// [`ProxyError::RuleNotFound`] when no rule has this name.
    pub fn remove_rule(&self, name: &str) -> Result<(), ProxyError> {
        self.shared.rules.remove(name)
    }

    /// The installed shaping rules, in the order they act.
    pub fn rules(&self) -> Vec<super::shaping::RuleSpec> {
        self.shared.rules.current().entries.iter().map(|e| e.spec.spec.clone()).collect()
    }

    /// A snapshot of what the wire tap recorded.
    pub fn wire(&self) -> WireLog {
        self.shared.recorder.snapshot()
    }

    /// A receiver of wire events from now on: subscribe before causing what
    /// you wait for. A receiver more than 4096 events behind gets
    /// [`broadcast::error::RecvError::Lagged`].
    pub fn events(&self) -> broadcast::Receiver<WireEvent> {
        self.shared.recorder.subscribe()
    }

    /// Closes (FIN) every open connection now, recorded as closed by
    /// [`ClosedBy::Proxy`](super::ClosedBy::Proxy). New connections are accepted as usual.
    pub fn reset_all(&self) {
        self.shared.reset_all();
    }

    /// Waits until the server has processed every byte the client sent on its newest connection
    /// so far: the proxy sends a `PING` of its own behind them and waits for its `PONG`, at most
    /// `within`. Returns whether the round trip completed (false with no open connection or when
    /// the server did not answer in time).
    ///
    /// async-nats' `flush()` only writes the client's buffer to the socket; this is the round
    /// trip a scenario needs before it asserts that no `-ERR` came.
    pub async fn barrier(&self, within: std::time::Duration) -> bool {
        self.wait_barrier(within, None).await
    }

    /// Like [`Proxy::barrier`], but the PING goes out only once `op`, written by the client at
    /// or after `since`, has passed the proxy: bytes a client has written may still be in the
    /// kernel on their way to the proxy when the barrier is asked for.
    pub async fn barrier_after(
        &self,
        within: std::time::Duration,
        op: super::TapOp,
        since: std::time::Instant,
    ) -> bool {
        self.wait_barrier(within, Some((op, since))).await
    }

    async fn wait_barrier(
        &self,
        within: std::time::Duration,
        after: Option<(super::TapOp, std::time::Instant)>,
    ) -> bool {
        match self.shared.barriers.request(after) {
            Some(wait) => matches!(tokio::time::timeout(within, wait).await, Ok(Ok(()))),
            None => false,
        }
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.shared.reset_all();
        self.accept.abort();
    }
}
