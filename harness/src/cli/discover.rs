//! Finding scenario files and loading them, reporting every bad one.

use std::path::{Path, PathBuf};

use crate::spec::{LoadError, Scenario, load_file};

/// The default place for scenarios.
pub const DEFAULT_DIR: &str = "scenarios";

/// Every `*.toml` under `paths` (files are taken as given), sorted; default `scenarios/`.
pub fn scenario_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let paths = if paths.is_empty() { vec![PathBuf::from(DEFAULT_DIR)] } else { paths.to_vec() };
    let mut out = Vec::new();
    for p in &paths {
        if p.is_file() {
            out.push(p.clone());
        } else if p.is_dir() {
            walk(p, &mut out).map_err(|e| format!("cannot read `{}`: {e}", p.display()))?;
        } else {
            return Err(format!("no such scenario file or folder `{}`", p.display()));
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
            Ok(s) => ok.push(s),
            Err(e) => bad.push(e),
        }
    }
    if bad.is_empty() { Ok(ok) } else { Err(bad) }
}
