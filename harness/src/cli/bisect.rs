//! `natsfault bisect SCENARIO --from A --to B`: plays the two releases, and when their
//! observations differ, bisects the releases between them for the first that shows what B shows.

use super::args::{BackendChoice, BisectArgs};
use super::{exit, prepare};
use crate::backend::{pinned_versions, resolve_version};
use crate::matrix::{Compared, Like, bisect, row_line, summarize};

/// Runs `natsfault bisect`; returns the exit code.
pub async fn bisect_command(args: BisectArgs) -> i32 {
    let (from, to) = match (resolve_version(&args.from), resolve_version(&args.to)) {
        (Ok(f), Ok(t)) if f < t => (f, t),
        (Ok(f), Ok(t)) => {
            eprintln!("natsfault: expected --from older than --to, found {f} and {t}");
            return exit::INVALID_INPUT;
        }
        (Err(e), _) => {
            eprintln!("natsfault: --from: {e}");
            return exit::INVALID_INPUT;
        }
        (_, Err(e)) => {
            eprintln!("natsfault: --to: {e}");
            return exit::INVALID_INPUT;
        }
    };
    if args.backend == BackendChoice::All {
        eprintln!("natsfault: --backend: expected `process` or `container`: a bisection plays one backend");
        return exit::INVALID_INPUT;
    }
    let scenario = match prepare::scenarios(std::slice::from_ref(&args.scenario), None) {
        Ok(mut s) if s.len() == 1 => s.remove(0),
        Ok(_) => {
            eprintln!("natsfault: expected one scenario file, found a folder: `{}`", args.scenario.display());
            return exit::INVALID_INPUT;
        }
        Err(code) => return code,
    };
    // Every pinned release from one end to the other (Debian's 2.9.10 only as an end).
    let mut releases: Vec<_> = pinned_versions().into_iter().filter(|v| *v > from && *v < to).collect();
    releases.insert(0, from);
    releases.push(to);
    let backends = match prepare::backends(args.backend).await {
        Ok(b) => b,
        Err(code) => return code,
    };
    let backend = backends[0].clone();
    let offline = args.offline;
    let found = bisect(&releases, |v| {
        let backend = backend.clone();
        let scenario = &scenario;
        async move {
            eprintln!("natsfault: playing {v}");
            prepare::binaries(&[v], offline)?;
            match crate::runner::play(scenario, backend.as_ref(), v).await {
                Ok(r) => Ok(summarize(&r)),
                Err(e) => {
                    eprintln!("natsfault: {v}: {e}");
                    Err(if crate::backend::ServerError::is_environment(&e) {
                        exit::ENVIRONMENT
                    } else {
                        exit::SCENARIO_FAILED
                    })
                }
            }
        }
    })
    .await;
    let b = match found {
        Ok(b) => b,
        Err(code) => return code,
    };
    let by = match b.compared {
        Compared::Status => "status (pass or fail)",
        Compared::Observations => "observations",
    };
    for p in &b.played {
        let like = match p.like {
            Like::Older => format!("like {from}"),
            Like::Newer => format!("like {to}"),
            Like::Neither => format!("like neither {from} nor {to}"),
        };
        println!("played {}: {}, {} observations, {like}", p.version, p.run.status.label(), p.run.fingerprint.len());
    }
    let Some((first, before)) = b.first_changed else {
        println!(
            "no change: {from} and {to} show the same {by} ({} releases between them not played)",
            releases.len() - 2
        );
        return exit::OK;
    };
    println!("first changed: {first}");
    println!("compared by {by}; {} of {} releases played; {before} → {first}:", b.played.len(), releases.len());
    for line in b.diff.iter().filter_map(row_line) {
        println!("  {line}");
    }
    if !b.not_monotonic.is_empty() {
        let list: Vec<String> = b.not_monotonic.iter().map(ToString::to_string).collect();
        println!(
            "not monotonic: {} {} from both {from} and {to}; {first} is where {to}'s observations begin, not the only change",
            list.join(", "),
            if list.len() == 1 { "differs" } else { "differ" }
        );
    }
    exit::OK
}
