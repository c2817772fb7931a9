//! Summaries of repeated measurements, in milliseconds.

use serde::Serialize;

/// The median and the spread of some samples.
///
/// ```
/// use natsfault::bench::Summary;
/// let s = Summary::of(&[3.0, 1.0, 2.0, 10.0]).unwrap();
/// assert_eq!((s.n, s.median_ms, s.min_ms, s.max_ms), (4, 2.5, 1.0, 10.0));
/// assert!(Summary::of(&[]).is_none());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Summary {
    /// How many samples.
    pub n: usize,
    /// Their median.
    pub median_ms: f64,
    /// The smallest.
    pub min_ms: f64,
    /// The largest.
    pub max_ms: f64,
}

impl Summary {
    /// The summary of `samples`; `None` when there are none.
    pub fn of(samples: &[f64]) -> Option<Summary> {
        if samples.is_empty() {
            return None;
        }
        let min = samples.iter().copied().fold(f64::INFINITY, f64::min);
        let max = samples.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        Some(Summary { n: samples.len(), median_ms: median(samples), min_ms: min, max_ms: max })
    }
}

/// The median (the mean of the two middle values for an even count); 0 for no samples.
pub fn median(samples: &[f64]) -> f64 {
    let mut v: Vec<f64> = samples.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    if v.len() % 2 == 1 { v[mid] } else { (v[mid - 1] + v[mid]) / 2.0 }
}

/// Milliseconds of a duration, with microsecond precision.
pub(crate) fn ms(d: std::time::Duration) -> f64 {
    (d.as_micros() as f64) / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_and_even_counts() {
        assert_eq!(median(&[5.0]), 5.0);
        assert_eq!(median(&[9.0, 1.0, 5.0]), 5.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert_eq!(median(&[]), 0.0);
    }
}
