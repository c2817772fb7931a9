//! `natsfault bench`'s topology measurement: a three-node cluster's start to ready against three
//! bare starts at once, on the process backend (and containers when an engine is there), with
//! the ratios printed (`--nocapture`).

mod support;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_three_node_cluster_is_measured_against_three_bare_starts() {
    let runs = std::env::var("NATSFAULT_BENCH_RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(1);
    let containers = std::process::Command::new("docker").arg("info").output().is_ok_and(|o| o.status.success());
    let measured = natsfault::bench::topology_bench(support::version(), runs, containers).await.expect("measured");
    for t in &measured {
        println!(
            "{}: topology {:.1}ms, three bare starts {:.1}ms, ratio {:.2}x (target {:.1}x)",
            t.backend, t.harness.median_ms, t.bare.median_ms, t.ratio, t.target
        );
        assert!(t.harness.median_ms > 0.0 && t.bare.median_ms > 0.0 && t.ratio > 0.0, "{t:?}");
    }
    assert_eq!(measured.len(), if containers { 2 } else { 1 });
}
