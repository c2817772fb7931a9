//! Bounds on a count: `"3"`, `"1..3"`, `"..5"`, `"2.."`.

use std::fmt;
use std::str::FromStr;

use super::bounds::parse_bounds;

/// An inclusive range of counts; either end may be open.
///
/// ```
/// use natsfault::spec::CountRange;
/// let r: CountRange = "2..4".parse().unwrap();
/// assert!(r.contains(3) && !r.contains(5));
/// assert!("3".parse::<CountRange>().unwrap().contains(3));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CountRange {
    /// Lower bound.
    pub min: Option<u64>,
    /// Upper bound.
    pub max: Option<u64>,
}

/// Why a count range could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected a count or a range of counts such as `3`, `1..3` or `..5`, found `{0}`")]
pub struct CountRangeParseError(pub String);

impl CountRange {
    /// Whether `n` lies within the bounds.
    pub fn contains(&self, n: u64) -> bool {
        self.min.is_none_or(|m| n >= m) && self.max.is_none_or(|m| n <= m)
    }
}

impl FromStr for CountRange {
    type Err = CountRangeParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (min, max) =
            parse_bounds(s, true, |t| t.parse::<u64>().ok()).ok_or_else(|| CountRangeParseError(s.to_string()))?;
        Ok(CountRange { min, max })
    }
}

impl fmt::Display for CountRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.min, self.max) {
            (Some(a), Some(b)) if a == b => write!(f, "{a}"),
            (a, b) => {
                if let Some(a) = a {
                    write!(f, "{a}")?;
                }
                f.write_str("..")?;
                if let Some(b) = b {
                    write!(f, "{b}")?;
                }
                Ok(())
            }
        }
    }
}

deserialize_from_str!(CountRange);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert!("..5".parse::<CountRange>().unwrap().contains(0));
        assert!(!"2..".parse::<CountRange>().unwrap().contains(1));
        for bad in ["", "..", "a", "3..1", "-1"] {
            assert!(bad.parse::<CountRange>().is_err(), "{bad}");
        }
    }
}
