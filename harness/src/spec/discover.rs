//! Finding scenario files and loading them, reporting every bad one.

use std::path::{Path, PathBuf};

use super::{LoadError, Scenario, load_file};
use crate::input_file::check_regular;

/// The default place for scenarios.
pub const DEFAULT_DIR: &str = "scenarios";

/// Every `*.toml` under `paths` (files are taken as given), sorted; default `scenarios/`. A
/// path that does not exist, is neither a file nor a folder (a FIFO would block the read), or
/// is a folder without any scenario file is an error naming it.
pub fn scenario_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let paths = if paths.is_empty() { vec![PathBuf::from(DEFAULT_DIR)] } else { paths.to_vec() };
    let mut out = Vec::new();
    for p in &paths {
        let meta = std::fs::metadata(p).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => format!("no such scenario file or folder `{}`", p.display()),
            _ => format!("cannot read `{}`: {}", p.display(), e.to_string().to_lowercase()),
        })?;
        if meta.is_dir() {
            let before = out.len();
            walk(p, &mut out).map_err(|e| format!("cannot read `{}`: {e}", p.display()))?;
            if out.len() == before {
                return Err(format!("no scenario files (`*.toml`) in folder `{}`", p.display()));
            }
        } else {
            check_regular(p, "scenario file").map_err(|e| e.to_string())?;
            out.push(p.clone());
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out)?;
        } else if p.extension().is_some_and(|x| x == "toml") {
            out.push(p);
        }
    }
    Ok(())
}

/// Loads every file; returns the scenarios, or every load error.
pub fn load_all(files: &[PathBuf]) -> Result<Vec<Scenario>, Vec<LoadError>> {
    let mut ok = Vec::new();
    let mut bad = Vec::new();
    for f in files {
        match load_file(f) {
            Ok(s) => {
                // What a later release refuses, with its rewrite; the file plays meanwhile.
                for w in &s.warnings {
                    eprintln!("natsfault: warning: {w}");
                }
                ok.push(s);
            }
            Err(e) => bad.push(e),
        }
    }
    if bad.is_empty() { Ok(ok) } else { Err(bad) }
}

/// How a load error is shown on stderr: a file that could not be read in one line, a file with
/// problems as miette diagnostics (every problem with its position).
pub fn render_load_error(e: LoadError) -> String {
    match e {
        LoadError::Read(e) => format!("natsfault: {e}"),
        e @ LoadError::Invalid(_) => format!("{:?}", miette::Report::new(e)),
    }
}
