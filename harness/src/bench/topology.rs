//! A three-node cluster's start to ready (every server ready, both routes up on both ends and
//! settled) through the topology, against three bare starts at once of the same image or binary
//! (process: spawn to first `PONG`; container: `docker run -d` to first `PONG`).

use std::time::{Duration, Instant};

use futures::future::join_all;

use super::container::Bare;
use super::error::{BenchError, BenchErrorKind};
use super::floor::bare_process_start;
use super::model::{TOPOLOGY_TARGET, TopologyBench};
use super::stats::{Summary, median, ms};
use crate::backend::{Backend, RunningServer, ServerError, ServerSpec};
use crate::spec::Version;
use crate::topology::{BindOptions, LinkEnd, Plan, await_link_up, bind};

/// The cluster's server names; `b` and `c` route to `a`.
const NAMES: [&str; 3] = ["a", "b", "c"];
/// How long the routes may take once the servers are ready.
const ROUTES_WITHIN: Duration = Duration::from_secs(15);

/// What a bare start is, on one backend.
enum BareStarts<'a> {
    /// Three `nats-server -a 127.0.0.1 -p -1` of this binary.
    Process(&'a std::path::Path),
    /// Three `docker run -d` of the image.
    Container(Bare<'a>),
}

/// The three-node cluster on the process backend, and on containers when `containers`.
///
/// ```no_run
/// # async fn demo() -> Result<(), natsfault::bench::BenchError> {
/// let measured = natsfault::bench::topology_bench("2.15.1".parse().unwrap(), 5, false).await?;
/// println!("{:.2}x", measured[0].ratio);
/// # Ok(()) }
/// ```
pub async fn topology_bench(version: Version, runs: usize, containers: bool) -> Result<Vec<TopologyBench>, BenchError> {
    let fail = |e: ServerError| BenchError::new("topology", BenchErrorKind::from(e));
    let binary = crate::backend::nats_server_binary(version).map_err(fail)?;
    let mut out =
        vec![measure_topology(&crate::backend::ProcessBackend, BareStarts::Process(&binary), version, runs).await?];
    if containers {
        let backend = crate::backend::ContainerBackend::connect().await.map_err(fail)?;
        let docker = super::container::connect_engine().await.map_err(fail)?;
        let image = crate::backend::image_for(version).map_err(fail)?;
        let bare = Bare { docker: &docker, image: &image };
        out.push(measure_topology(&backend, BareStarts::Container(bare), version, runs).await?);
    }
    Ok(out)
}

/// `runs` paired measurements on `backend`, after one unmeasured warm-up of each.
async fn measure_topology(
    backend: &dyn Backend,
    bare: BareStarts<'_>,
    version: Version,
    runs: usize,
) -> Result<TopologyBench, BenchError> {
    let fail = |k: BenchErrorKind| BenchError::new("topology", k);
    cluster_start(backend, version).await.map_err(fail)?;
    bare_starts(&bare, 0).await.map_err(fail)?;
    let (mut harness, mut base) = (Vec::new(), Vec::new());
    for i in 1..=runs {
        harness.push(ms(cluster_start(backend, version).await.map_err(fail)?));
        base.push(ms(bare_starts(&bare, i).await.map_err(fail)?));
    }
    let ratio = median(&harness.iter().zip(&base).map(|(h, b)| h / b).collect::<Vec<_>>());
    let summary = |v: &[f64]| {
        Summary::of(v).ok_or_else(|| {
            fail(BenchErrorKind::Command {
                command: "natsfault bench".into(),
                detail: "expected at least one run".into(),
            })
        })
    };
    Ok(TopologyBench {
        backend: backend.name().to_string(),
        harness: summary(&harness)?,
        bare: summary(&base)?,
        ratio,
        target: TOPOLOGY_TARGET,
    })
}

/// Three bare starts at once, until the last `PONG`.
async fn bare_starts(bare: &BareStarts<'_>, n: usize) -> Result<Duration, BenchErrorKind> {
    let began = Instant::now();
    let results: Vec<Result<Duration, BenchErrorKind>> = match bare {
        BareStarts::Process(binary) => join_all((0..3).map(|_| bare_process_start(binary))).await,
        BareStarts::Container(b) => join_all((0..3).map(|i| b.cli(n * 3 + i))).await,
    };
    for r in results {
        r?;
    }
    Ok(began.elapsed())
}

/// Plans, binds and starts the cluster through `backend`, waits for both routes, then stops it
/// (not timed).
async fn cluster_start(backend: &dyn Backend, version: Version) -> Result<Duration, BenchErrorKind> {
    let began = Instant::now();
    let plan = Plan::choose(&NAMES, backend).map_err(BenchErrorKind::io("choose the cluster's ports"))?;
    let route = plan.servers[0].field("cluster-url").unwrap_or_default();
    let mut specs = Vec::new();
    let mut ends = Vec::new();
    for (i, addrs) in plan.servers.iter().enumerate() {
        let config = if i == 0 {
            "cluster { name: bench }".to_string()
        } else {
            format!("cluster {{ name: bench, routes: [\"{route}\"] }}")
        };
        let bound = bind(&config, addrs, BindOptions::TOPOLOGY)
            .map_err(|e| BenchErrorKind::Command { command: "bind".into(), detail: e.to_string() })?;
        let mut spec = ServerSpec::new(version, bound.config).label(format!("bench-{}", addrs.name));
        spec.client_port = Some(addrs.client_host_port);
        spec.hostname = Some(addrs.hostname.clone());
        spec.published = addrs.published();
        specs.push(spec);
        ends.push(LinkEnd {
            monitor_port: addrs.monitor_port().unwrap_or_default(),
            server_name: bound.server_name,
            gateway_name: None,
        });
    }
    // As a scenario's servers start: the one the others dial first, then the others at once.
    let mut started: Vec<Result<Box<dyn RunningServer>, ServerError>> = vec![backend.start(&specs[0]).await];
    started.extend(join_all(specs[1..].iter().map(|s| backend.start(s))).await);
    let mut servers = Vec::new();
    let mut failed = None;
    for s in started {
        match s {
            Ok(s) => servers.push(s),
            Err(e) => failed = Some(e),
        }
    }
    let routes = match failed {
        None => {
            let (b, c) = tokio::join!(
                await_link_up(&ends[1], &ends[0], ROUTES_WITHIN),
                await_link_up(&ends[2], &ends[0], ROUTES_WITHIN)
            );
            b.and(c).map_err(|detail| BenchErrorKind::Command { command: "the cluster's routes".into(), detail })
        }
        Some(e) => Err(e.into()),
    };
    let took = began.elapsed();
    join_all(servers.into_iter().map(|s| s.shutdown())).await;
    routes.map(|_| took)
}
