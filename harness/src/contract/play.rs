//! Playing a contract: one server for the whole contract, every identity connected at once
//! through its own wire tap, then every subscription, then every publish and request, each
//! identity in parallel; the `-ERR`s on each tap and the messages received decide each line.
//! Each `subscribe` and `queue` line has a connection (and a tap) of its own, and so has an
//! identity's answering side: no line sees another's traffic or takes its refusal.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use futures::future::join_all;
use futures::{FutureExt, StreamExt};

use super::explain::{self, Who};
use super::line::Verb;
use super::model::{Contract, ContractIdentity, ContractLine};
use super::report::{LineResult, Outcome, VerifyReport};
use super::subject_match::subject_within;
use crate::backend::{Backend, RunningServer, ServerError};
use crate::client::{ClientAuth, ClientFailure, NatsConn, configure};
use crate::door::DeployedConfig;
use crate::natsconf::Config;
use crate::observe::Timeline;
use crate::proxy::Proxy;
use crate::redact::Secrets;
use crate::spec::{ClientSpec, Dur, Version};

/// How long a round trip through a tap may take.
const WITHIN: Duration = Duration::from_secs(2);
/// How long a request waits for its reply.
const REQUEST_TIMEOUT: Duration = Duration::from_millis(750);
/// The reply a responder sends.
const REPLY: &str = "natsfault verify reply";

/// What `name`'s responder answers: a request line `-> NAME` checks that its reply came from
/// that identity, not from any other subscriber of the subject.
fn reply_of(name: &str) -> String {
    format!("{REPLY} from {name}")
}

/// Why a contract could not be played.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// The server refused the config (bad input: the message names the position).
    #[error("nats-server refused the config: {0}")]
    Refused(String),
    /// This machine lacks something.
    #[error("{0}")]
    Environment(String),
}

/// What the JetStream lines need of a connected identity.
pub(crate) struct LiveRef<'a> {
    pub(crate) name: &'a str,
    pub(crate) tap: &'a Proxy,
    pub(crate) client: Option<async_nats::Client>,
}

impl LiveRef<'_> {
    /// Every `-ERR` the server sent on this identity's connection so far.
    pub(crate) fn errs(&self) -> Vec<String> {
        self.tap.wire().server_errors().map(|(_, e)| e.text.clone()).collect()
    }
}

struct Live {
    name: String,
    tap: Proxy,
    conn: Option<NatsConn>,
    connect_error: Option<ClientFailure>,
    /// Subscriptions by subject (their messages are read after every publish).
    subs: Vec<(String, Inbox)>,
    /// Background responders, stopped with the identity.
    responders: Vec<tokio::task::JoinHandle<()>>,
    /// The identity's second connection, through its own tap, for the requests it answers: on
    /// the first, a request would also reach its own `subscribe` lines, and the server counts
    /// each delivery against `allow_responses`.
    answering: Option<(Proxy, NatsConn)>,
    /// Each of its own `subscribe` and `queue` lines on a connection of its own, by line index:
    /// a refusal there is that line's, and nothing else the identity does reaches it. A line
    /// whose connection could not be opened (a connection limit, say) subscribes on the first.
    own: HashMap<usize, (Proxy, NatsConn)>,
}

/// Where one subscription's messages are read: the subscription itself, or what a subscription
/// that also answers requests (a service's queue line) passed on.
enum Inbox {
    Direct(async_nats::Subscriber),
    Answering(tokio::sync::mpsc::UnboundedReceiver<String>),
}

impl Inbox {
    /// The next payload, waiting for it.
    async fn next(&mut self) -> Option<String> {
        match self {
            Inbox::Direct(sub) => sub.next().await.map(|m| String::from_utf8_lossy(&m.payload).into_owned()),
            Inbox::Answering(rx) => rx.recv().await,
        }
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        for r in &self.responders {
            r.abort();
        }
    }
}

/// Plays every line of `contract` on one server running `deployed`.
///
/// ```no_run
/// use natsfault::{backend::ProcessBackend, contract, deploy, redact::Secrets};
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// let c = contract::load_contract("nats-contract.toml".as_ref())?;
/// let d = deploy::load_config_file("deploy/nats.conf".as_ref())?;
/// let report = contract::verify(&c, &d, &ProcessBackend, "2.15.1".parse()?, &Secrets::new()).await?;
/// for broken in report.broken() {
///     println!("{}: {}", broken.line.at, broken.because.clone().unwrap_or_default());
/// }
/// # Ok(()) }
/// ```
pub async fn verify(
    contract: &Contract,
    deployed: &DeployedConfig,
    backend: &dyn Backend,
    version: Version,
    secrets: &Secrets,
) -> Result<VerifyReport, VerifyError> {
    secrets.add_all(&deployed.secrets);
    for id in contract.identities.values() {
        secrets.add_all([&id.password, &id.token, &id.nkey_seed].into_iter().flatten());
    }
    let began = Instant::now();
    let spec = deployed.spec(version).label("verify");
    let (server, taps) = tokio::join!(backend.start(&spec), open_taps(contract.identities.len()));
    let server = match server {
        Ok(s) => s,
        Err(ServerError::Refused { message, .. }) => {
            return Err(VerifyError::Refused(secrets.redact(&deployed.team_position(&message))));
        }
        Err(e) => return Err(VerifyError::Environment(secrets.redact(&e.to_string()))),
    };
    let taps = taps.map_err(VerifyError::Environment)?;
    let ready_ms = server.ready_ms();
    let confined = server.confinement().to_string();
    let lines = play_lines(contract, &deployed.config, server.as_ref(), taps).await;
    // Read while the clients are still connected: what the server listened on and dialled.
    let sockets = server.audit().map(|a| a.map_or_else(|e| format!("not read: {e}"), |a| a.to_string()));
    let _ = server.shutdown().await;
    let lines = lines
        .into_iter()
        .map(|mut l| {
            l.observed = secrets.redact(&l.observed);
            l.because = l.because.map(|b| secrets.redact(&b));
            l
        })
        .collect();
    Ok(VerifyReport {
        config: deployed.path.display().to_string(),
        version: version.to_string(),
        backend: backend.name().into(),
        lines,
        ready_ms,
        duration_ms: began.elapsed().as_millis() as u64,
        confined,
        sockets,
    })
}

async fn open_taps(n: usize) -> Result<Vec<Proxy>, String> {
    let nowhere = SocketAddr::from(([127, 0, 0, 1], 0));
    let mut taps = Vec::with_capacity(n);
    for _ in 0..n {
        taps.push(Proxy::start(nowhere).await.map_err(|e| e.to_string())?);
    }
    Ok(taps)
}

async fn connect(id: &ContractIdentity, tap: Proxy, server: SocketAddr) -> Live {
    let (conn, connect_error) = open(id, &tap, server).await;
    Live {
        name: id.name.clone(),
        tap,
        conn,
        connect_error,
        subs: Vec::new(),
        responders: Vec::new(),
        answering: None,
        own: HashMap::new(),
    }
}

/// A connection of `id` through `tap`, or why it was refused.
pub(super) async fn open(
    id: &ContractIdentity,
    tap: &Proxy,
    server: SocketAddr,
) -> (Option<NatsConn>, Option<ClientFailure>) {
    tap.set_upstream(server);
    let spec = ClientSpec {
        name: Some(id.name.clone()),
        user: id.user.clone(),
        password: id.password.clone(),
        token: id.token.clone(),
        connection_timeout: Some(Dur(Duration::from_secs(2))),
        request_timeout: Some(Dur(REQUEST_TIMEOUT)),
        max_reconnects: Some(1),
        ..ClientSpec::default()
    };
    let auth = match (&id.creds_file, &id.nkey_seed) {
        (Some(path), _) => ClientAuth::CredsFile(path.clone()),
        (None, Some(seed)) => ClientAuth::NkeySeed(seed.clone()),
        _ => ClientAuth::None,
    };
    let events = Timeline::new();
    let conn = match auth.apply(configure(auth.base(), &id.name, &spec, &events)).await {
        Ok(opts) => NatsConn::connect(tap.listen_addr(), opts).await,
        Err(f) => Err(f),
    };
    match conn {
        Ok(c) => (Some(c), None),
        Err(f) => (None, Some(f)),
    }
}

/// Another connection of `id`, through a tap of its own; `None` when either cannot be opened.
async fn open_extra(id: &ContractIdentity, server: SocketAddr) -> Option<(Proxy, NatsConn)> {
    let tap = Proxy::start(SocketAddr::from(([127, 0, 0, 1], 0))).await.ok()?;
    let (conn, _) = open(id, &tap, server).await;
    Some((tap, conn?))
}

/// Opens the answering connection of every connected identity that answers requests.
async fn open_answering(contract: &Contract, lives: &mut [Live], server: SocketAddr) {
    let wanted = |live: &Live| live.conn.is_some() && !subscriptions(contract, &live.name).1.is_empty();
    let opened = join_all(lives.iter().filter(|l| wanted(l)).map(|live| async {
        let (tap, conn) = open_extra(&contract.identities[&live.name], server).await?;
        Some((live.name.clone(), tap, conn))
    }))
    .await;
    for (name, tap, conn) in opened.into_iter().flatten() {
        if let Some(live) = lives.iter_mut().find(|l| l.name == name) {
            live.answering = Some((tap, conn));
        }
    }
}

/// Opens a connection of its own for each `subscribe` and `queue` line of every connected
/// identity.
async fn open_own(contract: &Contract, lives: &mut [Live], server: SocketAddr) {
    let wanted: Vec<(usize, usize)> = lives
        .iter()
        .enumerate()
        .filter(|(_, live)| live.conn.is_some())
        .flat_map(|(k, live)| {
            let own = subscriptions(contract, &live.name).0.into_iter().filter_map(|s| s.line);
            own.map(move |i| (k, i)).collect::<Vec<_>>()
        })
        .collect();
    let opened = join_all(wanted.into_iter().map(|(k, i)| {
        let id = &contract.identities[&lives[k].name];
        async move {
            let (tap, conn) = open_extra(id, server).await?;
            Some((k, i, tap, conn))
        }
    }))
    .await;
    for (k, i, tap, conn) in opened.into_iter().flatten() {
        lives[k].own.insert(i, (tap, conn));
    }
}

/// One subscription an identity makes before anything is published.
struct Sub {
    /// The identity's own line, for its `subscribe` and `queue` lines.
    line: Option<usize>,
    subject: String,
    queue: Option<String>,
}

/// What one identity subscribes to before anything is published: its own `subscribe` and
/// `queue` lines (a queue line as a member of its group), the subjects others publish `-> it`
/// that none of those covers, the requests it answers.
fn subscriptions(contract: &Contract, name: &str) -> (Vec<Sub>, Vec<String>) {
    let mut subs = Vec::new();
    let mut seen = HashSet::new();
    let mut responders = Vec::new();
    // Its own `can` subscriptions: a message published `-> it` on a subject they cover arrives
    // there, so no plain subscription is added that its permissions might refuse (a receiver
    // allowed only as a queue member).
    let own: Vec<&str> = contract
        .lines
        .iter()
        .filter(|l| l.identity == name && l.must_work && matches!(l.verb, Verb::Subscribe | Verb::Queue(_)))
        .map(|l| l.subject.as_str())
        .collect();
    for (i, l) in contract.lines.iter().enumerate() {
        match (&l.verb, l.to.as_deref()) {
            (Verb::Subscribe, _) if l.identity == name => {
                subs.push(Sub { line: Some(i), subject: l.subject.clone(), queue: None });
            }
            (Verb::Queue(g), _) if l.identity == name => {
                subs.push(Sub { line: Some(i), subject: l.subject.clone(), queue: Some(g.clone()) });
            }
            (Verb::Publish, Some(to))
                if to == name
                    && !own.iter().any(|p| subject_within(&l.subject, p))
                    && seen.insert(l.subject.clone()) =>
            {
                subs.push(Sub { line: None, subject: l.subject.clone(), queue: None });
            }
            (Verb::Request, Some(to)) if to == name && !responders.contains(&l.subject) => {
                responders.push(l.subject.clone());
            }
            _ => {}
        }
    }
    (subs, responders)
}

/// Every subscription of one identity, then one round trip: the server has them all when it
/// answers (a refused one gets its `-ERR`, read at the end).
async fn subscribe_all(contract: &Contract, live: &mut Live) {
    let (subs, responders) = subscriptions(contract, &live.name);
    let Some(conn) = live.conn.as_ref() else { return };
    let client = conn.client().clone();
    // The requests a `queue` line of its own answers: a service that answers as a queue member
    // (its permissions may allow nothing else) says so with a `queue` line covering the subject,
    // and that one subscription, the group's only member here, answers them.
    let mut answered_by_line: HashSet<String> = HashSet::new();
    for Sub { line, subject, queue } in subs {
        let on = match line.and_then(|i| live.own.get(&i)) {
            Some((_, own)) => own.client().clone(),
            None => client.clone(),
        };
        let answers: Vec<&String> = match (line, &queue) {
            (Some(i), Some(_)) if contract.lines[i].must_work => {
                responders.iter().filter(|r| subject_within(r, &subject)).collect()
            }
            _ => Vec::new(),
        };
        let sub = match queue {
            Some(q) => on.queue_subscribe(subject.clone(), q).await,
            None => on.subscribe(subject.clone()).await,
        };
        let Ok(sub) = sub else { continue };
        if answers.is_empty() {
            live.subs.push((subject, Inbox::Direct(sub)));
            continue;
        }
        answered_by_line.extend(answers.into_iter().cloned());
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        live.responders.push(tokio::spawn(respond(sub, on, reply_of(&live.name), Some(tx))));
        live.subs.push((subject, Inbox::Answering(rx)));
    }
    // Each own connection's round trip: the server has its subscription (or refused it).
    join_all(live.own.values().map(|(tap, conn)| async move {
        let _ = conn.flush().await;
        tap.barrier(WITHIN).await;
    }))
    .await;
    let answering = live.answering.as_ref().map(|(_, c)| c.client().clone()).unwrap_or_else(|| client.clone());
    for subject in responders.into_iter().filter(|r| !answered_by_line.contains(r)) {
        let Ok(sub) = answering.subscribe(subject).await else { continue };
        live.responders.push(tokio::spawn(respond(sub, answering.clone(), reply_of(&live.name), None)));
    }
    let _ = conn.flush().await;
    if let Some((tap, conn)) = &live.answering {
        let _ = conn.flush().await;
        tap.barrier(WITHIN).await;
    }
    // async-nats' flush only writes; the tap's round trip is the one the server has answered.
    live.tap.barrier(WITHIN).await;
}

/// Answers every request `sub` receives with `answer`, passing each payload on to `seen` when given.
async fn respond(
    mut sub: async_nats::Subscriber,
    client: async_nats::Client,
    answer: String,
    seen: Option<tokio::sync::mpsc::UnboundedSender<String>>,
) {
    while let Some(msg) = sub.next().await {
        if let Some(tx) = &seen {
            let _ = tx.send(String::from_utf8_lossy(&msg.payload).into_owned());
        }
        if let Some(reply) = msg.reply {
            let _ = client.publish(reply, answer.clone().into()).await;
            let _ = tokio::time::timeout(WITHIN, client.flush()).await;
        }
    }
}

/// Publishes and requests of one identity; the request outcomes by line index.
async fn send_all(lines: &[(usize, &ContractLine)], live: &Live) -> HashMap<usize, Result<String, ClientFailure>> {
    let mut out = HashMap::new();
    let Some(conn) = live.conn.as_ref() else { return out };
    let client = conn.client().clone();
    for (i, l) in lines.iter().filter(|(_, l)| l.verb == Verb::Publish) {
        let _ = client.publish(l.subject.clone(), payload(*i).into()).await;
    }
    let _ = conn.flush().await;
    let requests = lines.iter().filter(|(_, l)| l.verb == Verb::Request).map(|(i, l)| {
        let client = client.clone();
        async move {
            let r = client.request(l.subject.clone(), payload(*i).into()).await;
            let answer = r.map(|m| String::from_utf8_lossy(&m.payload).into_owned());
            (*i, answer.map_err(|e| ClientFailure::from_nats("request", &e)))
        }
    });
    out.extend(join_all(requests).await);
    live.tap.barrier(WITHIN).await;
    live.tap.barrier(WITHIN).await;
    out
}

fn payload(i: usize) -> String {
    format!("natsfault verify line {i}")
}

/// How long a receiver's client may take to hand on a message the tap has passed to it.
const DELIVERY_GRACE: Duration = Duration::from_millis(300);

/// Every message each identity received, by subject. After a round trip through each receiver's
/// tap the server has sent every message; the client may still be reading them, so a message
/// `expected` and not yet seen is waited for, all of them within one [`DELIVERY_GRACE`].
async fn received(
    lives: &mut [Live],
    expected: &HashSet<(String, String, String)>,
) -> HashMap<(String, String), Vec<String>> {
    join_all(
        lives
            .iter()
            .flat_map(|l| std::iter::once(&l.tap).chain(l.own.values().map(|(tap, _)| tap)))
            .map(|t| t.barrier(WITHIN)),
    )
    .await;
    let deadline = tokio::time::Instant::now() + DELIVERY_GRACE;
    let mut out: HashMap<(String, String), Vec<String>> = HashMap::new();
    for live in lives.iter_mut() {
        for (subject, sub) in &mut live.subs {
            let key = (live.name.clone(), subject.clone());
            let seen = out.entry(key.clone()).or_default();
            while let Some(Some(m)) = sub.next().now_or_never() {
                seen.push(m);
            }
            let missing = |seen: &Vec<String>| {
                expected.iter().any(|(who, s, p)| *who == key.0 && subject_within(s, &key.1) && !seen.contains(p))
            };
            while missing(seen) {
                match tokio::time::timeout_at(deadline, sub.next()).await {
                    Ok(Some(m)) => seen.push(m),
                    _ => break,
                }
            }
        }
    }
    out
}

async fn play_lines(
    contract: &Contract,
    config: &Config,
    server: &dyn RunningServer,
    taps: Vec<Proxy>,
) -> Vec<LineResult> {
    let addr = server.client_addr();
    let mut lives: Vec<Live> =
        join_all(contract.identities.values().zip(taps).map(|(id, tap)| connect(id, tap, addr))).await;
    open_answering(contract, &mut lives, addr).await;
    open_own(contract, &mut lives, addr).await;
    join_all(lives.iter_mut().map(|l| subscribe_all(contract, l))).await;
    let by_identity: BTreeMap<&str, Vec<(usize, &ContractLine)>> =
        contract.lines.iter().enumerate().fold(BTreeMap::new(), |mut m, (i, l)| {
            m.entry(l.identity.as_str()).or_default().push((i, l));
            m
        });
    let empty = Vec::new();
    let requests: HashMap<usize, Result<String, ClientFailure>> =
        join_all(lives.iter().map(|live| send_all(by_identity.get(live.name.as_str()).unwrap_or(&empty), live)))
            .await
            .into_iter()
            .flatten()
            .collect();
    let expected: HashSet<(String, String, String)> = contract
        .lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.must_work && l.verb == Verb::Publish)
        .filter_map(|(i, l)| Some((l.to.clone()?, l.subject.clone(), payload(i))))
        .collect();
    let got = received(&mut lives, &expected).await;
    // Every request has its answer: the responders stop, so that a `reply` line's answer is the
    // only one (through a service import, the first response wins and the rest are dropped).
    for live in &lives {
        for r in &live.responders {
            r.abort();
        }
    }
    let refs: Vec<LiveRef<'_>> = lives
        .iter()
        .map(|l| LiveRef { name: &l.name, tap: &l.tap, client: l.conn.as_ref().map(|c| c.client().clone()) })
        .collect();
    let js = super::js_play::play_js(contract, &refs).await;
    let replies = super::reply_play::play_replies(contract, &refs, addr).await;
    drop(refs);
    let others = lives.iter().flat_map(|l| l.answering.iter().chain(l.own.values()));
    join_all(others.map(|(tap, _)| tap.barrier(WITHIN))).await;
    let errs: HashMap<String, Vec<String>> = lives
        .iter()
        .map(|l| {
            let taps = std::iter::once(&l.tap).chain(l.answering.iter().chain(l.own.values()).map(|(tap, _)| tap));
            let errs =
                taps.flat_map(|t| t.wire().server_errors().map(|(_, e)| e.text.clone()).collect::<Vec<_>>()).collect();
            (l.name.clone(), errs)
        })
        .collect();
    let whos: HashMap<String, Option<Who>> =
        contract.identities.iter().map(|(n, id)| (n.clone(), explain::who(config, id))).collect();
    let judge = Judge {
        contract,
        config,
        lives: &lives,
        errs: &errs,
        got: &got,
        requests: &requests,
        whos: &whos,
        js: &js,
        replies: &replies,
    };
    contract.lines.iter().enumerate().map(|(i, l)| judge.line(i, l)).collect()
}

/// JetStream API errors that are the account's limits answering (not a missing stream or a
/// lost reply): insufficient resources (10023), memory (10028) and storage (10047), the
/// maximum streams (10027) and consumers (10026). JetStream not enabled for the account (10039)
/// is not among them: with JetStream off a line is not checked.
const LIMIT_ERRORS: [u64; 5] = [10023, 10028, 10047, 10027, 10026];

/// What one identity's operation showed, before the line says whether it should have.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Seen {
    /// It worked (delivered, answered, not refused).
    Works,
    /// The server refused it (or the message did not arrive).
    Refused,
    /// Allowed as far as the server said, but nothing answered: not checked where the line
    /// says `can` (only a reply shows it works), broken where it says `cannot`.
    Unanswered,
    /// Nothing was tried (the identity is refused at connect, as its contract says).
    Unchecked,
}

struct Judge<'a> {
    contract: &'a Contract,
    config: &'a Config,
    lives: &'a [Live],
    errs: &'a HashMap<String, Vec<String>>,
    got: &'a HashMap<(String, String), Vec<String>>,
    requests: &'a HashMap<usize, Result<String, ClientFailure>>,
    whos: &'a HashMap<String, Option<Who>>,
    js: &'a HashMap<usize, super::js_play::JsOutcome>,
    replies: &'a HashMap<usize, super::reply_play::ReplyOutcome>,
}

impl Judge<'_> {
    fn err(&self, who: &str, prefix: &str) -> Option<String> {
        self.errs.get(who)?.iter().find(|e| e.starts_with(prefix)).cloned()
    }

    fn line(&self, i: usize, l: &ContractLine) -> LineResult {
        // Explaining reads the config's files: only for a line that does not hold.
        let quick = self.judge(i, l, None);
        if quick.held {
            return quick;
        }
        self.judge(i, l, self.whos.get(&l.identity).and_then(Option::as_ref))
    }

    fn judge(&self, i: usize, l: &ContractLine, who: Option<&Who>) -> LineResult {
        let live = self.lives.iter().find(|x| x.name == l.identity);
        let id = &self.contract.identities[&l.identity];
        // An identity that must be refused at connect says so: `cannot = ["connect"]`.
        let refusal_promised =
            self.contract.lines.iter().any(|x| x.identity == l.identity && x.verb == Verb::Connect && !x.must_work);
        let (seen, observed, because) = match live.and_then(|x| x.connect_error.as_ref()) {
            Some(f) if l.verb == Verb::Connect => {
                let why = explain::connect(self.config, id, who, false);
                (Seen::Refused, format!("connect refused: {}: {}", f.kind, f.message), Some(why))
            }
            Some(_) if refusal_promised => (
                Seen::Unchecked,
                format!("not checked: `{}` is refused at connect, as its contract says", l.identity),
                None,
            ),
            Some(f) => {
                let why = explain::connect(self.config, id, who, false);
                let observed = format!(
                    "connect refused: {}: {} (an identity must connect for its lines to be checked; write `cannot = [\"connect\"]` if it must be refused)",
                    f.kind, f.message
                );
                // Whatever the line says, an identity that cannot connect breaks it.
                let seen = if l.must_work { Seen::Refused } else { Seen::Works };
                (seen, observed, Some(why))
            }
            None if l.verb == Verb::Connect => {
                (Seen::Works, "connected".into(), Some(explain::connect(self.config, id, who, true)))
            }
            None => self.operation(i, l, who),
        };
        let outcome = match (seen, l.must_work) {
            (Seen::Works, true) | (Seen::Refused, false) => Outcome::Holds,
            (Seen::Unchecked, _) | (Seen::Unanswered, true) => Outcome::NotChecked,
            _ => Outcome::Broken,
        };
        let held = outcome == Outcome::Holds;
        let because = if outcome == Outcome::Broken { because } else { None };
        LineResult { line: l.clone(), held, outcome, observed, because }
    }

    fn operation(&self, i: usize, l: &ContractLine, who: Option<&Who>) -> (Seen, String, Option<String>) {
        let s = &l.subject;
        let decide = |kind: &str, subject: &str| who.map(|w| explain::decide(w, kind, subject).1);
        let publish_refused = format!("Permissions Violation for Publish to \"{s}\"");
        match &l.verb {
            Verb::Publish => {
                if let Some(e) = self.err_exact(&l.identity, &publish_refused) {
                    return (Seen::Refused, format!("refused: {e}"), decide("publish", s));
                }
                let Some(to) = &l.to else { return (Seen::Works, "works".into(), decide("publish", s)) };
                if self.delivered(to, s, &payload(i)) {
                    return (Seen::Works, format!("works, delivered to `{to}`"), decide("publish", s));
                }
                (
                    Seen::Refused,
                    format!("not delivered to `{to}`"),
                    Some(self.not_delivered(l, to, who, "Subscription to")),
                )
            }
            Verb::Subscribe | Verb::Queue(_) => {
                // A queue subscription's refusal names its group; a plain one's does not.
                let refused = match &l.verb {
                    Verb::Queue(g) => format!("Permissions Violation for Subscription to \"{s}\" using queue \"{g}\""),
                    _ => format!("Permissions Violation for Subscription to \"{s}\""),
                };
                // On its own connection, only its own refusal counts.
                let own = self.lives.iter().find(|x| x.name == l.identity).and_then(|x| x.own.get(&i));
                let err = match own {
                    Some((tap, _)) => tap.wire().server_errors().map(|(_, e)| e.text.clone()).find(|e| *e == refused),
                    None => self.err_exact(&l.identity, &refused),
                };
                match err {
                    Some(e) => (Seen::Refused, format!("refused: {e}"), decide("subscribe", s)),
                    None => (Seen::Works, "works".into(), decide("subscribe", s)),
                }
            }
            Verb::Request => {
                if let Some(e) = self.err_exact(&l.identity, &publish_refused) {
                    return (Seen::Refused, format!("refused: {e}"), decide("publish", s));
                }
                if let Some(e) = self.err(&l.identity, "Permissions Violation for Subscription to \"_INBOX.") {
                    return (Seen::Refused, format!("refused: {e}"), decide("subscribe", "_INBOX.x"));
                }
                let jetstream = if s.starts_with("$JS.") { " (is JetStream enabled for the account?)" } else { "" };
                match (self.requests.get(&i), &l.to) {
                    (Some(Ok(answer)), Some(to)) if *answer != reply_of(to) => (
                        Seen::Refused,
                        format!("answered, but not by `{to}`: `{answer}`"),
                        Some(self.not_delivered(l, to, who, "Publish to \"_INBOX.")),
                    ),
                    (Some(Ok(_)), Some(to)) => {
                        (Seen::Works, format!("works, answered by `{to}`"), decide("publish", s))
                    }
                    (Some(Ok(_)), None) => (Seen::Works, "works, answered".into(), decide("publish", s)),
                    // The publish was not refused, but nothing answered: only a reply shows that a
                    // request works, and only a refusal that it is refused.
                    (Some(Err(f)), None) if f.kind == "NoResponders" => (
                        Seen::Unanswered,
                        format!("no responder here{jetstream}: the request was not refused, and nothing answered it"),
                        decide("publish", s),
                    ),
                    (Some(Err(f)), None) if f.kind == "TimedOut" => (
                        Seen::Unanswered,
                        "no reply: the request was not refused, and nothing answered it in time".into(),
                        decide("publish", s),
                    ),
                    (Some(Err(f)), Some(to)) => (
                        Seen::Refused,
                        format!("no reply from `{to}`: {}", f.kind),
                        Some(self.not_delivered(l, to, who, "Publish to \"_INBOX.")),
                    ),
                    (Some(Err(f)), None) => (Seen::Refused, format!("{}: {}", f.kind, f.message), decide("publish", s)),
                    (None, _) => (Seen::Unchecked, "not checked: the request was not sent".into(), None),
                }
            }
            Verb::Connect => (Seen::Works, "connected".into(), None),
            Verb::Js(_) => self.jetstream(i, who),
            Verb::Reply { .. } => self.reply(i),
        }
    }

    /// A `reply` line: refused when the server refused a reply; works when every reply arrived.
    fn reply(&self, i: usize) -> (Seen, String, Option<String>) {
        use super::reply_play::ReplyOutcome;
        match self.replies.get(&i) {
            None => (Seen::Unchecked, "not checked: the reply was not played".into(), None),
            Some(ReplyOutcome::NoRequester(why)) => (Seen::Unchecked, format!("not checked: {why}"), None),
            Some(ReplyOutcome::NotDelivered) => {
                (Seen::Unchecked, "not checked: the request did not reach the replying identity".into(), None)
            }
            Some(ReplyOutcome::Sent { arrived, sent, errs }) => {
                match errs.iter().find(|e| e.starts_with("Permissions Violation for Publish to")) {
                    Some(e) => (
                        Seen::Refused,
                        format!("{arrived} of {sent} replies arrived; refused: {e}"),
                        Some(format!("the server refused a reply past what `allow_responses` permits: {e}")),
                    ),
                    None if arrived == sent => (Seen::Works, format!("works, {sent} of {sent} replies arrived"), None),
                    None => (
                        Seen::Refused,
                        format!("{arrived} of {sent} replies arrived"),
                        Some("replies were lost without a refusal".into()),
                    ),
                }
            }
        }
    }

    /// A JetStream line: refused when the server sent a permissions `-ERR` during it; works when
    /// the API answered; otherwise allowed but unanswered (JetStream off, an API error).
    fn jetstream(&self, i: usize, who: Option<&Who>) -> (Seen, String, Option<String>) {
        let Some(o) = self.js.get(&i) else {
            return (Seen::Unchecked, "not checked: the operation was not run".into(), None);
        };
        if let Some(e) = o.errs.iter().find(|e| e.starts_with("Permissions Violation")) {
            // The permission that decides it, for the subject the server names.
            let subject = e.split('"').nth(1).unwrap_or_default();
            let kind = if e.contains("for Subscription") { "subscribe" } else { "publish" };
            let why = who.map(|w| explain::decide(w, kind, subject).1);
            return (
                Seen::Refused,
                format!("refused: {e}"),
                why.or_else(|| Some(format!("the server refused it: {e}"))),
            );
        }
        match &o.result {
            Ok(()) => (Seen::Works, "works, the JetStream API answered".into(), None),
            // The account's JetStream limits (or their absence) refuse it: the API said so.
            Err(f) if f.api.as_ref().is_some_and(|api| LIMIT_ERRORS.contains(&api.err_code)) => {
                let api = f.api.as_ref().map(|a| format!("{} ({})", a.description, a.err_code)).unwrap_or_default();
                let account = who.and_then(|w| w.account.as_deref());
                let because =
                    format!("the JetStream API refused it: {api}; {}", explain::jetstream_limits(self.config, account));
                (Seen::Refused, format!("refused by the JetStream API: {api}"), Some(because))
            }
            Err(f) => {
                let why = match &f.api {
                    Some(api) if api.err_code == 10039 => "JetStream is not enabled for the account".to_string(),
                    Some(api) => {
                        format!("the JetStream API answered {} ({}): {}", api.code, api.err_code, api.description)
                    }
                    None if f.kind == "NoResponders" => "no responder: is JetStream enabled for the account?".into(),
                    None => format!("{}: {}", f.kind, f.message),
                };
                (Seen::Unanswered, format!("not refused, but {why}"), Some(why))
            }
        }
    }

    /// Whether `to` received `payload` on a subscription whose subject covers `subject`.
    fn delivered(&self, to: &str, subject: &str, payload: &str) -> bool {
        self.got.iter().any(|((who, pattern), seen)| {
            who == to && subject_within(subject, pattern) && seen.iter().any(|p| p == payload)
        })
    }

    /// The `-ERR` text of `who` that is exactly `text`.
    fn err_exact(&self, who: &str, text: &str) -> Option<String> {
        self.errs.get(who)?.iter().find(|e| e.as_str() == text).cloned()
    }

    /// Why `to` did not get `l`'s message (or answer its request).
    fn not_delivered(&self, l: &ContractLine, to: &str, who: Option<&Who>, refused_prefix: &str) -> String {
        let to_who = self.whos.get(to).and_then(Option::as_ref);
        if self.lives.iter().find(|x| x.name == to).is_some_and(|x| x.connect_error.is_some()) {
            return format!("`{to}` could not connect");
        }
        let prefix = if refused_prefix.starts_with("Subscription") {
            format!("Permissions Violation for Subscription to \"{}\"", l.subject)
        } else {
            format!("Permissions Violation for {refused_prefix}")
        };
        // A reply through a service import goes to a `_R_.` subject of the importing account,
        // not to the requester's inbox.
        let through_import = (!refused_prefix.starts_with("Subscription"))
            .then(|| self.err(to, "Permissions Violation for Publish to \"_R_."))
            .flatten();
        // A request nobody answered: the receiver's own subscription to the subject was refused.
        let subscription_refused = (!refused_prefix.starts_with("Subscription"))
            .then(|| {
                let refused: Vec<&String> = self
                    .errs
                    .get(to)?
                    .iter()
                    .filter(|e| {
                        e.strip_prefix("Permissions Violation for Subscription to \"")
                            .and_then(|rest| rest.split('"').next())
                            .is_some_and(|pattern| subject_within(&l.subject, pattern))
                    })
                    .collect();
                // The responder's own subscription: a queue member's when it answers as one.
                let queue = refused.iter().find(|e| e.contains("\" using queue \""));
                queue.or(refused.first()).map(|e| (*e).clone())
            })
            .flatten();
        if let Some(e) = subscription_refused {
            let why = to_who.map(|w| explain::decide(w, "subscribe", &l.subject).1).unwrap_or_default();
            return format!("`{to}` was refused: {e}; {why}");
        }
        if let Some(e) = self.err(to, &prefix).or(through_import) {
            // The refused subject is the one the server names (an inbox, or `_R_.` through an import).
            let named = e.split('"').nth(1).unwrap_or("_INBOX.x").to_string();
            let (kind, subject) = if refused_prefix.starts_with("Subscription") {
                ("subscribe", l.subject.as_str())
            } else {
                ("publish", named.as_str())
            };
            let why = to_who.map(|w| explain::decide(w, kind, subject).1).unwrap_or_default();
            return format!("`{to}` was refused: {e}; {why}");
        }
        // The receiver's own subscription covers the subject and was allowed: its permissions
        // still refuse delivering this subject to it.
        if let Some(b) = to_who.filter(|_| refused_prefix.starts_with("Subscription")) {
            let (allowed, why) = explain::decide(b, "subscribe", &l.subject);
            if !allowed {
                return format!("`{to}` may not receive `{}`: {why}", l.subject);
            }
        }
        match (who, to_who) {
            (Some(a), Some(b)) if a.account != b.account => format!(
                "`{}` is {} and `{to}` is {}: different accounts, and no export and import brings `{}` across{}",
                l.identity,
                a.describe,
                b.describe,
                l.subject,
                // A request crosses by the requester's service import, a message by the
                // receiver's stream import.
                match l.verb {
                    Verb::Request => explain::imports_of(self.config, a.account.as_deref(), b.account.as_deref()),
                    _ => explain::imports_of(self.config, b.account.as_deref(), a.account.as_deref()),
                }
            ),
            _ => format!("the message did not reach `{to}`"),
        }
    }
}
