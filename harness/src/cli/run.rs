//! `natsfault run`: play scenarios in parallel and report.

use std::io::Write;
use std::sync::Arc;
use std::time::Instant;

use futures::StreamExt;

use super::args::{Format, RunArgs};
use super::{exit, prepare};
use crate::backend::Backend;
use crate::report::{ScenarioReport, Status, human, json, junit};
use crate::spec::{Library, Scenario, Version};

/// Runs `natsfault run`; returns the exit code.
pub async fn run(args: RunArgs) -> i32 {
    let version: Version = match args.server_version.parse() {
        Ok(v) => v,
        Err(e) => {
            eprintln!("natsfault: --server-version: {e}");
            return exit::INVALID_INPUT;
        }
    };
    let scenarios = match prepare::scenarios(&args.paths, args.filter.as_deref()) {
        Ok(s) => s,
        Err(code) => return code,
    };
    // A pinned release not in the cache is fetched (checksum verified) on first use.
    if crate::backend::pinned_versions().contains(&version)
        && let Err(code) = prepare::binaries(&[version], args.offline)
    {
        return code;
    }
    let scenarios = match args.partition {
        Some(share) => super::partition::share(scenarios, share),
        None => scenarios,
    };
    let backends = match prepare::backends(args.backend).await {
        Ok(b) => b,
        Err(code) => return code,
    };
    let jobs = prepare::jobs(args.jobs);
    let libraries = match super::clients::libraries(&args.clients) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let began = Instant::now();
    let work: Vec<(Arc<dyn Backend>, Scenario, Library)> = backends
        .iter()
        .flat_map(|b| {
            let libraries = &libraries;
            scenarios.iter().flat_map(move |s| {
                s.libraries_to_play(libraries).into_iter().map(move |l| (b.clone(), s.with_library(l), l))
            })
        })
        .collect();
    let stream = futures::stream::iter(work.into_iter().map(|(b, s, l)| async move {
        let asserted = s.asserts_library(l);
        let played = crate::runner::play(&s, b.as_ref(), version).await;
        played.map(|r| (l, if asserted { r } else { r.unasserted() }))
    }))
    .buffer_unordered(jobs);
    tokio::pin!(stream);
    // One Ctrl-C future for the whole run: a signal that arrives between two scenarios is kept.
    let interrupted = tokio::signal::ctrl_c();
    tokio::pin!(interrupted);
    let mut reports: Vec<ScenarioReport> = Vec::new();
    let mut by_library: Vec<(Library, ScenarioReport)> = Vec::new();
    let compare = !args.clients.is_empty();
    loop {
        tokio::select! {
            next = stream.next() => match next {
                None => break,
                Some(Ok((l, r))) => {
                    if args.format == Format::Human {
                        let lib = if compare { format!("{l:<10}  ") } else { String::new() };
                        println!("{lib}{}", human::line(&r));
                        let _ = std::io::stdout().flush();
                    }
                    if compare {
                        by_library.push((l, r.clone()));
                    }
                    reports.push(r);
                }
                Some(Err(e)) => {
                    eprintln!("natsfault: {e}");
                    return if e.is_environment() { exit::ENVIRONMENT } else { exit::SCENARIO_FAILED };
                }
            },
            _ = &mut interrupted => {
                eprintln!("natsfault: interrupted; stopping every server");
                return exit::INTERRUPTED;
            }
        }
    }
    reports.sort_by(|a, b| (&a.file, &a.backend).cmp(&(&b.file, &b.backend)));
    match args.format {
        Format::Human => {
            for r in reports.iter().filter(|r| matches!(r.status, Status::Failed | Status::Differs)) {
                print!("{}", human::failure_details(r));
            }
            println!("{}", human::summary(&reports, began.elapsed().as_millis() as u64));
        }
        Format::Json => println!("{}", json::render(&reports)),
        Format::Junit | Format::Markdown => print!("{}", junit::render(&reports)),
    }
    if compare && !super::clients::report(&by_library, args.format == Format::Human, args.clients_report.as_deref()) {
        return exit::ENVIRONMENT;
    }
    if reports.iter().any(|r| r.status == Status::Failed) { exit::SCENARIO_FAILED } else { exit::OK }
}
