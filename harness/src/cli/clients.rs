//! `--clients`: which libraries a run plays, and the side-by-side report it prints.

use std::path::Path;

use super::exit;
use crate::client::driver::program_for;
use crate::report::ScenarioReport;
use crate::report::clients::{compare, render};
use crate::spec::Library;

/// The libraries to play: async-nats alone without `--clients`; the installed ones of
/// `wanted` otherwise, each missing one a `skipped` line (exit 3 under `CI=true`).
pub fn libraries(wanted: &[Library]) -> Result<Vec<Library>, i32> {
    if wanted.is_empty() {
        return Ok(vec![Library::AsyncNats]);
    }
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    let mut out = Vec::new();
    for l in wanted {
        if out.contains(l) {
            continue;
        }
        match l.is_external().then(|| program_for(*l)) {
            Some(Err(why)) if ci => {
                eprintln!("natsfault: --clients: {why}");
                return Err(exit::ENVIRONMENT);
            }
            Some(Err(why)) => eprintln!("natsfault: skipped {l}: {why} (set CI=true to fail instead)"),
            _ => out.push(*l),
        }
    }
    Ok(out)
}

/// Prints (in human format) and writes the side-by-side report; `false` when the file could
/// not be written.
pub fn report(runs: &[(Library, ScenarioReport)], print: bool, file: Option<&Path>) -> bool {
    let text = render(&compare(runs));
    if print {
        println!("\n{text}");
    }
    match file {
        Some(path) => match std::fs::write(path, &text) {
            Ok(()) => true,
            Err(e) => {
                eprintln!("natsfault: --clients-report `{}`: {e}", path.display());
                false
            }
        },
        None => true,
    }
}
