//! The matrix from run summaries: a status per scenario and version, and each version against
//! the baseline, older against newer, as rows of changed observations.

use std::collections::BTreeMap;

use super::model::{DiffRow, MatrixDiff, MatrixReport, MatrixRow, RunSummary};
use crate::report::Status;
use crate::spec::Version;

/// The matrix of `runs` over `versions`, each compared with `baseline`. The same runs give the
/// same report whatever order they come in (a merge of shards is one run's report).
pub fn compare(runs: &[RunSummary], versions: &[Version], baseline: Version) -> MatrixReport {
    let mut by_key: BTreeMap<(&str, &str), BTreeMap<String, &RunSummary>> = BTreeMap::new();
    for r in runs {
        by_key.entry((&r.file, &r.backend)).or_default().insert(r.version.clone(), r);
    }
    let base = baseline.to_string();
    let mut rows = Vec::new();
    let mut diffs = Vec::new();
    for ((file, backend), by_version) in &by_key {
        let cells = versions
            .iter()
            .map(|v| by_version.get(&v.to_string()).map_or(Status::NotApplicable, |r| r.status))
            .collect();
        let before = diffs.len();
        if let Some(base_run) = by_version.get(&base).filter(|r| r.status != Status::NotApplicable) {
            for v in versions.iter().filter(|v| **v != baseline) {
                let Some(run) = by_version.get(&v.to_string()).filter(|r| r.status != Status::NotApplicable) else {
                    continue;
                };
                let (older, newer) = if *v < baseline { (*run, *base_run) } else { (*base_run, *run) };
                let rows = diff_rows(&older.fingerprint, &newer.fingerprint);
                let status = (older.status != newer.status).then_some((older.status, newer.status));
                if !rows.is_empty() || status.is_some() {
                    diffs.push(MatrixDiff {
                        file: file.to_string(),
                        backend: backend.to_string(),
                        older: older.version.clone(),
                        newer: newer.version.clone(),
                        status,
                        rows,
                    });
                }
            }
        }
        rows.push(MatrixRow {
            file: file.to_string(),
            backend: backend.to_string(),
            cells,
            changed: diffs.len() > before,
        });
    }
    MatrixReport { versions: versions.iter().map(ToString::to_string).collect(), baseline: base, rows, diffs }
}

/// A fingerprint line split into where (`broken step `connect app` app`) and what; the kind of
/// observation (`auth failure reason`, `log`, `-ERR`, `took`) stays with where, so that an
/// older and a newer line of the same kind at the same place pair into one row.
fn split(line: &str) -> (String, String) {
    let Some((at, what)) = line.split_once(": ") else { return (line.to_string(), String::new()) };
    const KINDS: [&str; 8] =
        ["auth failure reason ", "log ", "-ERR ", "event ", "refused: ", "took ", "connect error ", "error "];
    for kind in KINDS {
        if let Some(rest) = what.strip_prefix(kind) {
            return (format!("{at}: {}", kind.trim_end()), rest.to_string());
        }
        // `publish error Io`: the operation before the kind belongs to where.
        if let Some(i) = what.find(&format!(" {kind}")) {
            let (op, rest) = what.split_at(i + 1);
            if let Some(rest) = rest.strip_prefix(kind) {
                return (format!("{at}: {op}{}", kind.trim_end()), rest.to_string());
            }
        }
    }
    (at.to_string(), what.to_string())
}

/// The lines only one side has, paired where one older and one newer line share a place.
pub fn diff_rows(older: &[String], newer: &[String]) -> Vec<DiffRow> {
    let only = |a: &[String], b: &[String]| a.iter().filter(|l| !b.contains(l)).cloned().collect::<Vec<_>>();
    let mut at: BTreeMap<String, (Vec<String>, Vec<String>)> = BTreeMap::new();
    for l in only(older, newer) {
        let (k, v) = split(&l);
        at.entry(k).or_default().0.push(v);
    }
    for l in only(newer, older) {
        let (k, v) = split(&l);
        at.entry(k).or_default().1.push(v);
    }
    let mut rows = Vec::new();
    for (k, (o, n)) in at {
        if o.len() == 1 && n.len() == 1 {
            rows.push(DiffRow { at: k, older: Some(o[0].clone()), newer: Some(n[0].clone()) });
            continue;
        }
        rows.extend(o.into_iter().map(|v| DiffRow { at: k.clone(), older: Some(v), newer: None }));
        rows.extend(n.into_iter().map(|v| DiffRow { at: k.clone(), older: None, newer: Some(v) }));
    }
    rows
}
