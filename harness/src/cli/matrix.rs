//! `natsfault matrix`: every scenario on several server versions, and what changed; a share of
//! it for one CI job (`--partition K/N --output shard.json`) and the merge of the shares.

use std::io::Write;
use std::path::Path;

use super::args::{Format, MatrixArgs, MatrixCommand, MergeArgs};
use super::{exit, prepare};
use crate::backend::{ServerError, resolve_version, select_versions};
use crate::matrix::{MatrixReport, SHARD_KIND, Shard, human, markdown, merge, play_matrix, summarize};
use crate::report::human as report_human;

/// Runs `natsfault matrix`; returns the exit code.
pub async fn matrix(args: MatrixArgs) -> i32 {
    if let Some(MatrixCommand::Merge(m)) = args.command {
        return merge_shards(m);
    }
    let mut versions = match select_versions(&args.versions) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("natsfault: --versions: {e}");
            return exit::INVALID_INPUT;
        }
    };
    if args.with_debian && crate::backend::debian_binary().is_some() {
        if let Ok(d) = resolve_version(crate::backend::DEBIAN_VERSION) {
            versions.push(d);
        }
        versions.sort();
        versions.dedup();
    }
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
    let mut scenarios = match prepare::scenarios(&args.paths, args.filter.as_deref()) {
        Ok(s) => s,
        Err(code) => return code,
    };
    if let Some(share) = args.partition {
        scenarios = super::partition::share(scenarios, share);
    }
    if let Err(code) = prepare::binaries(&versions, args.offline) {
        return code;
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
    if let (Some(share), Some(path)) = (args.partition, &args.output) {
        let shard = Shard {
            kind: SHARD_KIND.into(),
            versions: versions.iter().map(ToString::to_string).collect(),
            baseline: baseline.to_string(),
            partition: share,
            runs: runs.iter().map(summarize).collect(),
        };
        if let Err(e) = write_new(path, &serde_json::to_string_pretty(&shard).unwrap_or_default()) {
            eprintln!("natsfault: --output: {e}");
            return exit::ENVIRONMENT;
        }
    }
    if args.format == Format::Human {
        for r in runs.iter().filter(|r| r.status == crate::report::Status::Failed) {
            print!("{}", report_human::failure_details(r));
        }
        println!();
    }
    finish(&report, args.format, args.markdown.as_deref())
}

/// Prints the report in `format`, writes the Markdown file; the exit code.
fn finish(report: &MatrixReport, format: Format, markdown_file: Option<&Path>) -> i32 {
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(report).unwrap_or_default()),
        Format::Markdown => print!("{}", markdown(report)),
        Format::Human | Format::Junit => print!("{}", human(report)),
    }
    if let Some(path) = markdown_file
        && let Err(e) = crate::owner_only::write(path, markdown(report))
    {
        eprintln!("natsfault: cannot write `{}`: {e}", path.display());
        return exit::ENVIRONMENT;
    }
    if report.failed() { exit::SCENARIO_FAILED } else { exit::OK }
}

/// A new file (an existing one is not replaced).
fn write_new(path: &Path, text: &str) -> std::io::Result<()> {
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(path).map_err(|e| {
        std::io::Error::new(
            e.kind(),
            format!("cannot create `{}`: {e} (an existing file is not replaced)", path.display()),
        )
    })?;
    f.write_all(text.as_bytes())?;
    f.write_all(b"\n")
}

/// `natsfault matrix merge`.
fn merge_shards(args: MergeArgs) -> i32 {
    let mut shards = Vec::new();
    for path in &args.shards {
        let file = path.display().to_string();
        let text = match crate::input_file::read_text(path, "shard file", 256 * 1024 * 1024) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("natsfault: {e}");
                return exit::INVALID_INPUT;
            }
        };
        match serde_json::from_str::<Shard>(&text) {
            Ok(s) => shards.push((file, s)),
            Err(e) => {
                eprintln!("natsfault: `{file}` is not a matrix shard (`matrix --partition K/N --output FILE`): {e}");
                return exit::INVALID_INPUT;
            }
        }
    }
    match merge(&shards) {
        Ok(report) => finish(&report, args.format, args.markdown.as_deref()),
        Err(e) => {
            eprintln!("natsfault: {e}");
            exit::INVALID_INPUT
        }
    }
}
