//! `natsfault run`: play scenarios in parallel and report.

use std::io::Write;
use std::sync::Arc;
use std::time::Instant;

use futures::StreamExt;

use super::args::{BackendChoice, Format, RunArgs};
use super::discover::{load_all, scenario_files};
use super::exit;
use crate::backend::{Backend, ContainerBackend, ProcessBackend};
use crate::report::{ScenarioReport, Status, human, json, junit};
use crate::spec::{Scenario, Version};

/// Runs `natsfault run`; returns the exit code.
pub async fn run(args: RunArgs) -> i32 {
    let version: Version = match args.server_version.parse() {
        Ok(v) => v,
        Err(e) => {
            eprintln!("natsfault: --server-version: {e}");
            return exit::INVALID_INPUT;
        }
    };
    let files = match scenario_files(&args.paths) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("natsfault: {e}");
            return exit::INVALID_INPUT;
        }
    };
    let scenarios = match load_all(&files) {
        Ok(s) => s,
        Err(errors) => {
            for e in errors {
                eprintln!("{:?}", miette::Report::new(e));
            }
            return exit::INVALID_INPUT;
        }
    };
    let scenarios: Vec<Scenario> = scenarios
        .into_iter()
        .filter(|s| {
            args.filter.as_ref().is_none_or(|f| s.file_name().contains(f.as_str()) || s.name.contains(f.as_str()))
        })
        .collect();
    if scenarios.is_empty() {
        eprintln!("natsfault: no scenario matches");
        return exit::INVALID_INPUT;
    }
    let mut backends: Vec<Arc<dyn Backend>> = Vec::new();
    if matches!(args.backend, BackendChoice::Process | BackendChoice::All) {
        backends.push(Arc::new(ProcessBackend));
    }
    if matches!(args.backend, BackendChoice::Container | BackendChoice::All) {
        match ContainerBackend::connect().await {
            Ok(b) => backends.push(Arc::new(b)),
            Err(e) => {
                eprintln!("natsfault: {e}");
                return exit::ENVIRONMENT;
            }
        }
    }
    let jobs = args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get())).max(1);
    let began = Instant::now();
    let work: Vec<(Arc<dyn Backend>, Scenario)> =
        backends.iter().flat_map(|b| scenarios.iter().map(move |s| (b.clone(), s.clone()))).collect();
    let stream = futures::stream::iter(
        work.into_iter().map(|(b, s)| async move { crate::runner::play(&s, b.as_ref(), version).await }),
    )
    .buffer_unordered(jobs);
    tokio::pin!(stream);
    // One Ctrl-C future for the whole run: a signal that arrives between two scenarios is kept.
    let interrupted = tokio::signal::ctrl_c();
    tokio::pin!(interrupted);
    let mut reports: Vec<ScenarioReport> = Vec::new();
    loop {
        tokio::select! {
            next = stream.next() => match next {
                None => break,
                Some(Ok(r)) => {
                    if args.format == Format::Human {
                        println!("{}", human::line(&r));
                        let _ = std::io::stdout().flush();
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
            for r in reports.iter().filter(|r| r.status == Status::Failed) {
                print!("{}", human::failure_details(r));
            }
            println!("{}", human::summary(&reports, began.elapsed().as_millis() as u64));
        }
        Format::Json => println!("{}", json::render(&reports)),
        Format::Junit => print!("{}", junit::render(&reports)),
    }
    if reports.iter().any(|r| r.status == Status::Failed) { exit::SCENARIO_FAILED } else { exit::OK }
}
