//! A share of a matrix played on one CI machine (`matrix --partition K/N --output shard-K.json`)
//! and the merge of every share into the report one unsharded run writes.

use serde::{Deserialize, Serialize};

use super::compare::compare;
use super::model::{MatrixReport, RunSummary};
use crate::spec::Version;

/// What a shard file says it is.
pub const SHARD_KIND: &str = "natsfault-matrix-shard";

/// One share of a matrix: the versions and baseline of the whole, which share, and its runs.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Shard {
    /// Always [`SHARD_KIND`].
    pub kind: String,
    /// The versions of the whole matrix, oldest first.
    pub versions: Vec<String>,
    /// Its baseline.
    pub baseline: String,
    /// `[K, N]`: share K of N.
    pub partition: (usize, usize),
    /// The runs of this share.
    pub runs: Vec<RunSummary>,
}

/// Why shards do not merge into one matrix.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// No shard given.
    #[error("expected shard files (`matrix --partition K/N --output shard-K.json`), found none")]
    Empty,
    /// A file that is not a shard.
    #[error("`{0}` is not a matrix shard: expected `\"kind\": \"{SHARD_KIND}\"`")]
    NotAShard(String),
    /// Shards of different matrices.
    #[error(
        "`{file}` is a shard of another matrix: expected versions {expected} and baseline {baseline}, found {found}"
    )]
    Mismatch {
        /// The shard.
        file: String,
        /// The first shard's versions.
        expected: String,
        /// The first shard's baseline.
        baseline: String,
        /// This one's.
        found: String,
    },
    /// A share missing or given twice.
    #[error("expected shares 1 to {n} of {n} once each: {problem}")]
    Shares {
        /// How many shares.
        n: usize,
        /// Which are missing or repeated.
        problem: String,
    },
    /// A version that does not read.
    #[error("shard `{0}`: {1}")]
    Version(String, String),
}

/// The matrix of `shards` (each with its file name, for messages): the same report one run of
/// the whole would give.
pub fn merge(shards: &[(String, Shard)]) -> Result<MatrixReport, MergeError> {
    let Some((first_file, first)) = shards.first() else { return Err(MergeError::Empty) };
    let n = first.partition.1;
    let mut seen = vec![0usize; n + 1];
    for (file, s) in shards {
        if s.kind != SHARD_KIND {
            return Err(MergeError::NotAShard(file.clone()));
        }
        if s.versions != first.versions || s.baseline != first.baseline || s.partition.1 != n {
            return Err(MergeError::Mismatch {
                file: file.clone(),
                expected: format!("{} ({first_file}, {n} shares)", first.versions.join(",")),
                baseline: first.baseline.clone(),
                found: format!("{} with baseline {} ({} shares)", s.versions.join(","), s.baseline, s.partition.1),
            });
        }
        match seen.get_mut(s.partition.0) {
            Some(c) if s.partition.0 >= 1 => *c += 1,
            _ => {
                return Err(MergeError::Shares {
                    n,
                    problem: format!("`{file}` says it is share {} of {n}", s.partition.0),
                });
            }
        }
    }
    let missing: Vec<String> = (1..=n).filter(|k| seen[*k] == 0).map(|k| k.to_string()).collect();
    let twice: Vec<String> = (1..=n).filter(|k| seen[*k] > 1).map(|k| k.to_string()).collect();
    if !missing.is_empty() || !twice.is_empty() {
        let mut problem = Vec::new();
        if !missing.is_empty() {
            problem.push(format!("missing {}", missing.join(", ")));
        }
        if !twice.is_empty() {
            problem.push(format!("given more than once {}", twice.join(", ")));
        }
        return Err(MergeError::Shares { n, problem: problem.join("; ") });
    }
    let parse = |v: &String| v.parse::<Version>().map_err(|e| MergeError::Version(first_file.clone(), e.to_string()));
    let versions: Vec<Version> = first.versions.iter().map(parse).collect::<Result<_, _>>()?;
    let baseline = parse(&first.baseline)?;
    let runs: Vec<RunSummary> = shards.iter().flat_map(|(_, s)| s.runs.iter().cloned()).collect();
    Ok(compare(&runs, &versions, baseline))
}
