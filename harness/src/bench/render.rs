//! The human summary of a [`BenchReport`]: ratios first, against their targets.

use std::fmt::Write;

use super::model::{BenchReport, PhaseOverhead, SUITE_TARGET};

/// Renders the report as text: the floor, each phase's overhead in floors, the container ratio,
/// the suite times and the jobs scaling.
pub fn render(r: &BenchReport) -> String {
    let mut s = String::new();
    let f = r.floor.median_ms;
    let _ = writeln!(
        s,
        "natsfault bench: nats-server {}, {} build, {} cores, {} runs each",
        r.server_version, r.build, r.cores, r.runs
    );
    let _ = writeln!(
        s,
        "floor (bare nats-server, spawn to first PONG): median {f:.1}ms (min {:.1}, max {:.1})",
        r.floor.min_ms, r.floor.max_ms
    );
    if let Some(ready) = &r.process_ready {
        let _ = writeln!(
            s,
            "process backend start (ready_ms): median {:.1}ms = {:.2}x floor; between: {:.1}ms the bare start does not spend (sandbox and config file, `-D` logging, reading the ready line, the probe's round trip)",
            ready.median_ms,
            ready.median_ms / f,
            ready.median_ms - f
        );
    }
    let _ = writeln!(
        s,
        "\noverhead per phase = wall - intended waits (medians; ratio in floors, target <= {:.1}x):",
        r.overhead.target
    );
    let _ = writeln!(
        s,
        "  {:<58} {:>6} {:>8} {:>8} {:>8} {:>6}   {:>5} {:>5} {:>5}",
        "scenario phase", "wall", "intended", "overhead", "ratio", "ok", "start", "steps", "rest"
    );
    for p in &r.phases {
        let name = format!("{} {}", p.file.trim_start_matches("scenarios/"), p.phase);
        let flag = if p.ratio <= r.overhead.target { " " } else { "!" };
        let _ = writeln!(
            s,
            "  {name:<58} {:>6.0} {:>8.0} {:>8.1} {:>7.2}x{flag} {:>2}/{:<2}   {:>5.1} {:>5.1} {:>5.1}",
            p.wall_ms, p.intended_ms, p.overhead_ms, p.ratio, p.passed, p.runs, p.start_ms, p.steps_ms, p.rest_ms
        );
    }
    let o = &r.overhead;
    let _ = writeln!(
        s,
        "  median ratio {:.2}x, max {:.2}x (limit {:.1}x); {}/{} phases within",
        o.median_ratio, o.max_ratio, o.target, o.within_target, o.phases
    );
    if let Some(worst) = r.phases.iter().max_by(|a, b| a.ratio.total_cmp(&b.ratio)) {
        let _ = writeln!(s, "  between: {}", between_phase(worst, f));
    }
    if let Some(c) = &r.contract {
        let _ = writeln!(
            s,
            "\ncontract ({}, {} lines, {} identities), medians of {} runs (target <= {:.1}x):\n  verify {:.1}ms, one start and its connects {:.1}ms: {:.2}x{}",
            c.contract,
            c.lines,
            c.identities,
            c.verify.n,
            c.target,
            c.verify.median_ms,
            c.start_and_connects.median_ms,
            c.ratio,
            if c.broken_runs > 0 { format!(" ({} runs with a broken line)", c.broken_runs) } else { String::new() }
        );
    }
    match (&r.containers, &r.containers_skipped) {
        (Some(c), _) => {
            let _ = writeln!(
                s,
                "\ncontainer start ({}), medians of {} paired runs (target <= {:.2}x):",
                c.image, c.harness.n, c.target
            );
            let _ = writeln!(
                s,
                "  ContainerBackend::start      {:>7.1}ms (its ready_ms {:.1}ms)",
                c.harness.median_ms, c.harness_ready.median_ms
            );
            // The ratio is the median of each pair's ratio: a machine that slows down for a while
            // slows both starts of a pair.
            let _ = writeln!(
                s,
                "  bare `docker run -d` to PONG {:>7.1}ms   ratio {:.2}x (median of pairs; limit {:.2}x{})",
                c.bare_cli.median_ms,
                c.ratio,
                c.target,
                between_ms(
                    c.harness.median_ms - c.bare_cli.median_ms,
                    "the network, the mounted sandbox, attaching to the log, the probe"
                )
            );
            let _ = writeln!(
                s,
                "  bare engine API to PONG      {:>7.1}ms   ratio {:.2}x (median of pairs)",
                c.bare_api.median_ms, c.ratio_api
            );
        }
        (None, Some(why)) => {
            let _ = writeln!(s, "\ncontainer start: skipped ({why})");
        }
        (None, None) => {}
    }
    for t in &r.topology {
        let _ = writeln!(
            s,
            "\n3-node cluster start to ready ({}), medians of {} paired runs (target <= {:.1}x):\n  topology {:>7.1}ms, three bare starts at once {:>7.1}ms   ratio {:.2}x (median of pairs; limit {:.1}x{})",
            t.backend,
            t.harness.n,
            t.target,
            t.harness.median_ms,
            t.bare.median_ms,
            t.ratio,
            t.target,
            between_ms(t.harness.median_ms - t.bare.median_ms, "planning and binding, both routes up and settled")
        );
    }
    let _ = writeln!(s, "\nsuite wall time (`natsfault run`, default --jobs):");
    for t in &r.suites {
        let _ =
            writeln!(s, "  {:<10} {:>7.2}s  ({} passed, {} failed)", t.backend, t.wall_ms / 1000.0, t.passed, t.failed);
        if t.longest_ms > 0.0 {
            let _ = writeln!(
                s,
                "             {:.2}x its longest scenario ({}, {:.2}s; limit {:.1}x{})",
                t.wall_ms / t.longest_ms,
                t.longest_file.trim_start_matches("scenarios/"),
                t.longest_ms / 1000.0,
                SUITE_TARGET,
                between_ms(t.wall_ms - t.longest_ms, "the other scenarios' time not overlapped with it")
            );
        }
    }
    let _ = writeln!(s, "suite on the process backend by --jobs:");
    for j in &r.jobs {
        let _ = writeln!(
            s,
            "  --jobs {}  {:>7.2}s  speedup {:.2}x{}",
            j.jobs,
            j.wall_ms / 1000.0,
            j.speedup,
            if j.failed > 0 { format!("  ({} failed)", j.failed) } else { String::new() }
        );
    }
    s
}

/// `; between: N ms (what)` for a positive difference, nothing otherwise.
fn between_ms(ms: f64, what: &str) -> String {
    if ms > 0.0 { format!("; between: {ms:.1}ms, {what}") } else { String::new() }
}

/// What stands between a phase and the limit: its overhead by part, the largest first.
fn between_phase(p: &PhaseOverhead, floor: f64) -> String {
    let mut parts = [
        ("server start", p.start_ms),
        ("steps beyond their intended waits", p.steps_ms),
        ("the rest (sandbox, taps, stop)", p.rest_ms),
    ];
    parts.sort_by(|a, b| b.1.total_cmp(&a.1));
    let list: Vec<String> = parts.iter().map(|(n, ms)| format!("{n} {ms:.1}ms")).collect();
    format!(
        "{} {} at {:.2}x = {:.1}ms over {:.1}ms floor: {}",
        p.file.trim_start_matches("scenarios/"),
        p.phase,
        p.ratio,
        p.overhead_ms,
        floor,
        list.join(", ")
    )
}
