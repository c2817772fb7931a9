//! `natsfault list` and `natsfault check`.

use super::args::{CheckArgs, Format, ListArgs};
use super::exit;
use crate::redact::{Secrets, scenario_secrets};
use crate::spec::discover::{load_all, render_load_error, scenario_files};

/// Runs `natsfault list`.
pub fn list(args: ListArgs) -> i32 {
    let scenarios = match scenario_files(&args.paths)
        .map_err(|e| vec![format!("natsfault: {e}")])
        .and_then(|f| load_all(&f).map_err(|errs| errs.into_iter().map(render_load_error).collect()))
    {
        Ok(s) => s,
        Err(errs) => {
            for e in errs {
                eprintln!("{e}");
            }
            return exit::INVALID_INPUT;
        }
    };
    if args.format == Format::Json {
        let items: Vec<serde_json::Value> = scenarios
            .iter()
            .map(|s| {
                let secrets = Secrets::of(scenario_secrets(s));
                let r = |t: &str| secrets.redact(t);
                serde_json::json!({
                    "file": s.file_name(),
                    "name": r(&s.name),
                    "cause": s.cause.as_str(),
                    "summary": r(&s.summary),
                    "guide": s.guide.as_deref().map(r),
                    "versions": s.versions.as_ref().map(|v| v.to_string()),
                    "fix": s.fix.as_ref().map(|f| r(&f.summary)),
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&items).unwrap_or_default());
    } else {
        for s in &scenarios {
            let name = Secrets::of(scenario_secrets(s)).redact(&s.name);
            println!("{:<20} {:<60} {name}", s.cause.as_str(), s.file_name());
        }
    }
    exit::OK
}

/// Runs `natsfault check`: every problem of every file, then exit 2 if any.
pub fn check(args: CheckArgs) -> i32 {
    let files = match scenario_files(&args.paths) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("natsfault: {e}");
            return exit::INVALID_INPUT;
        }
    };
    match load_all(&files) {
        Ok(s) => {
            println!("{} scenario file{} valid", s.len(), if s.len() == 1 { " is" } else { "s are" });
            exit::OK
        }
        Err(errs) => {
            for e in errs {
                eprintln!("{}", render_load_error(e));
            }
            exit::INVALID_INPUT
        }
    }
}
