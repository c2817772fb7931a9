//! `natsfault matrix`: every scenario on several server versions, and what changed.

use std::io::Write;

use super::args::{Format, MatrixArgs};
use super::{exit, prepare};
use crate::backend::{ServerError, provision, resolve_version};
use crate::matrix::{human, markdown, play_matrix};
use crate::report::human as report_human;
use crate::spec::Version;

/// Runs `natsfault matrix`; returns the exit code.
pub async fn matrix(args: MatrixArgs) -> i32 {
    let mut versions: Vec<Version> = Vec::new();
    let mut asked = args.versions.clone();
    if args.with_debian && crate::backend::debian_binary().is_some() {
        asked.push(crate::backend::DEBIAN_VERSION.to_string());
    }
    for v in &asked {
        match resolve_version(v) {
            Ok(v) if !versions.contains(&v) => versions.push(v),
            Ok(_) => {}
            Err(e) => {
                eprintln!("natsfault: --versions: {e}");
                return exit::INVALID_INPUT;
            }
        }
    }
    versions.sort();
    let baseline = match args.baseline.as_deref().map(resolve_version) {
        None => versions.last().copied(),
        Some(Ok(b)) if versions.contains(&b) => Some(b),
        Some(Ok(b)) => {
            eprintln!("natsfault: --baseline {b} is not among --versions");
            return exit::INVALID_INPUT;
        }
        Some(Err(e)) => {
            eprintln!("natsfault: --baseline: {e}");
            return exit::INVALID_INPUT;
        }
    };
    let Some(baseline) = baseline else {
        eprintln!("natsfault: --versions is empty");
        return exit::INVALID_INPUT;
    };
    // Bad scenario files are bad input: found before any binary is installed.
    let scenarios = match prepare::scenarios(&args.paths, args.filter.as_deref()) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let scripts = crate::backend::cache_dir().join("..").join("scripts");
    for v in &versions {
        if let Err(e) = tokio::task::block_in_place(|| provision(*v, &scripts)) {
            eprintln!("natsfault: {e}");
            return exit::ENVIRONMENT;
        }
    }
    let backends = match prepare::backends(args.backend).await {
        Ok(b) => b,
        Err(code) => return code,
    };
    let human_lines = args.format == Format::Human;
    let played = play_matrix(&scenarios, &backends, &versions, baseline, prepare::jobs(args.jobs), |r| {
        if human_lines {
            println!("{}", report_human::line(r));
            let _ = std::io::stdout().flush();
        }
    })
    .await;
    let (report, runs) = match played {
        Ok(x) => x,
        Err(e) => {
            eprintln!("natsfault: {e}");
            return if ServerError::is_environment(&e) { exit::ENVIRONMENT } else { exit::SCENARIO_FAILED };
        }
    };
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&report).unwrap_or_default()),
        Format::Markdown => print!("{}", markdown(&report)),
        Format::Human | Format::Junit => {
            for r in runs.iter().filter(|r| r.status == crate::report::Status::Failed) {
                print!("{}", report_human::failure_details(r));
            }
            println!();
            print!("{}", human(&report));
        }
    }
    if let Some(path) = &args.markdown
        && let Err(e) = crate::owner_only::write(path, markdown(&report))
    {
        eprintln!("natsfault: cannot write `{}`: {e}", path.display());
        return exit::ENVIRONMENT;
    }
    if report.failed() { exit::SCENARIO_FAILED } else { exit::OK }
}
