//! `--partition M/N`: the scenario files of one CI job out of N, as nextest's `count:M/N`.

use crate::spec::Scenario;

/// The scenarios of share `m` of `n`: sorted by file path, the i-th (from 0) belongs to share
/// `i % n + 1`, so shares differ in size by one at most and every file is in exactly one.
///
/// ```
/// # use natsfault::cli::partition::share_of;
/// let files = ["a", "b", "c", "d", "e"];
/// assert_eq!(share_of(&files, (1, 2)), ["a", "c", "e"]);
/// assert_eq!(share_of(&files, (2, 2)), ["b", "d"]);
/// ```
pub fn share(mut scenarios: Vec<Scenario>, (m, n): (usize, usize)) -> Vec<Scenario> {
    scenarios.sort_by(|a, b| a.path.cmp(&b.path));
    scenarios.into_iter().enumerate().filter(|(i, _)| i % n + 1 == m).map(|(_, s)| s).collect()
}

/// [`share`] for any sorted list (what it keeps, in order).
pub fn share_of<T: Clone>(items: &[T], (m, n): (usize, usize)) -> Vec<T> {
    items.iter().enumerate().filter(|(i, _)| i % n + 1 == m).map(|(_, t)| t.clone()).collect()
}
