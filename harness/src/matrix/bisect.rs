//! Which release changed a scenario's observations: the two ends are played, and when they
//! differ, the releases between them are bisected for the first whose observations equal the
//! newer end's, playing O(log n) of them. A release that differs from both ends is reported: the
//! change is then not monotonic, and the first release found is only one of the changes.

use std::future::Future;

use super::compare::diff_rows;
use super::model::{DiffRow, RunSummary};
use crate::report::Status;
use crate::spec::Version;

/// How two runs are compared: by status where the ends differ in it (the scenario asserts one
/// side), else by fingerprint (without step timings, which move between runs of one release).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compared {
    /// Pass against fail.
    Status,
    /// The normalised observations.
    Observations,
}

/// One release played, and which end it is like.
#[derive(Clone, Debug)]
pub struct Played {
    /// The release.
    pub version: Version,
    /// What it showed.
    pub run: RunSummary,
    /// Like the older end, the newer end, or neither.
    pub like: Like,
}

/// Which end a release is like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Like {
    /// The older end (`--from`).
    Older,
    /// The newer end (`--to`).
    Newer,
    /// Neither: the change is not monotonic.
    Neither,
}

/// The outcome of a bisection.
#[derive(Clone, Debug)]
pub struct Bisection {
    /// Every release played, in the order played.
    pub played: Vec<Played>,
    /// How runs were compared.
    pub compared: Compared,
    /// The first release like the newer end, and the release before it; `None` when the ends
    /// are alike.
    pub first_changed: Option<(Version, Version)>,
    /// What differs between the release before and the first changed one.
    pub diff: Vec<DiffRow>,
    /// Releases between the ends that were like neither.
    pub not_monotonic: Vec<Version>,
}

fn comparable(run: &RunSummary) -> Vec<&String> {
    run.fingerprint.iter().filter(|l| !l.contains(": took ")).collect()
}

fn same(a: &RunSummary, b: &RunSummary, by: Compared) -> bool {
    match by {
        Compared::Status => a.status == b.status,
        Compared::Observations => a.status == b.status && comparable(a) == comparable(b),
    }
}

/// Bisects `releases` (oldest first; the first and last are the ends) with `play` giving each
/// release's run.
pub async fn bisect<F, Fut, E>(releases: &[Version], mut play: F) -> Result<Bisection, E>
where
    F: FnMut(Version) -> Fut,
    Fut: Future<Output = Result<RunSummary, E>>,
{
    let (Some(&from), Some(&to)) = (releases.first(), releases.last()) else {
        return Ok(Bisection {
            played: Vec::new(),
            compared: Compared::Observations,
            first_changed: None,
            diff: Vec::new(),
            not_monotonic: Vec::new(),
        });
    };
    let older = play(from).await?;
    let newer = play(to).await?;
    let compared = if older.status != newer.status
        && older.status != Status::NotApplicable
        && newer.status != Status::NotApplicable
    {
        Compared::Status
    } else {
        Compared::Observations
    };
    let mut played = vec![
        Played { version: from, run: older.clone(), like: Like::Older },
        Played { version: to, run: newer.clone(), like: Like::Newer },
    ];
    if same(&older, &newer, compared) || releases.len() < 2 {
        played[1].like = Like::Older;
        return Ok(Bisection { played, compared, first_changed: None, diff: Vec::new(), not_monotonic: Vec::new() });
    }
    let (mut lo, mut hi) = (0, releases.len() - 1);
    let (mut lo_run, mut hi_run) = (older.clone(), newer.clone());
    let mut not_monotonic = Vec::new();
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        let run = play(releases[mid]).await?;
        let like = if same(&run, &newer, compared) {
            Like::Newer
        } else if same(&run, &older, compared) {
            Like::Older
        } else {
            Like::Neither
        };
        played.push(Played { version: releases[mid], run: run.clone(), like });
        if like == Like::Newer {
            hi = mid;
            hi_run = run;
        } else {
            if like == Like::Neither {
                not_monotonic.push(releases[mid]);
            }
            lo = mid;
            lo_run = run;
        }
    }
    let diff =
        diff_rows(&lo_run.fingerprint, &hi_run.fingerprint).into_iter().filter(|r| !r.at.ends_with(": took")).collect();
    Ok(Bisection { played, compared, first_changed: Some((releases[hi], releases[lo])), diff, not_monotonic })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(v: Version, marks: &[&String]) -> RunSummary {
        RunSummary {
            file: "s.toml".into(),
            backend: "process".into(),
            version: v.to_string(),
            status: Status::Passed,
            fingerprint: marks.iter().map(|m| m.to_string()).collect(),
        }
    }

    fn releases(n: u32) -> Vec<Version> {
        (0..n).map(|p| Version { major: 2, minor: 12, patch: p }).collect()
    }

    async fn play_with(rel: &[Version], change: impl Fn(u32) -> &'static str) -> (Bisection, usize) {
        let mut count = 0;
        let b = bisect(rel, |v| {
            count += 1;
            let r = run(v, &[&format!("broken step `x`: log {}", change(v.patch))]);
            async move { Ok::<_, ()>(r) }
        })
        .await
        .unwrap();
        (b, count)
    }

    #[tokio::test]
    async fn a_monotonic_change_is_found_in_log_n_plays() {
        let rel = releases(22);
        let (b, count) = play_with(&rel, |p| if p >= 13 { "new" } else { "old" }).await;
        assert_eq!(b.first_changed.map(|(v, _)| v.patch), Some(13));
        assert_eq!(b.first_changed.map(|(_, before)| before.patch), Some(12));
        assert!(count <= 2 + 5, "{count} plays");
        assert!(b.not_monotonic.is_empty());
        assert_eq!(b.diff.len(), 1, "{:?}", b.diff);
        assert_eq!((b.diff[0].older.as_deref(), b.diff[0].newer.as_deref()), (Some("old"), Some("new")));
    }

    #[tokio::test]
    async fn alike_ends_play_two_releases() {
        let (b, count) = play_with(&releases(9), |_| "same").await;
        assert!(b.first_changed.is_none());
        assert_eq!(count, 2);
    }

    #[tokio::test]
    async fn a_release_unlike_either_end_is_reported() {
        // old before 4, a third behaviour on 4 and 5, new from 6.
        let (b, _) = play_with(&releases(9), |p| match p {
            0..4 => "old",
            4 | 5 => "odd",
            _ => "new",
        })
        .await;
        assert_eq!(b.first_changed.map(|(v, _)| v.patch), Some(6));
        assert!(b.not_monotonic.iter().any(|v| v.patch == 4 || v.patch == 5), "{:?}", b.not_monotonic);
    }
}
