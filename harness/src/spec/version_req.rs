//! nats-server versions and the requirements scenarios put on them (`">=2.12"`, `">=2.10, <2.15.1"`).

use std::fmt;
use std::str::FromStr;

/// A nats-server release number such as `2.15.1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    /// Major number.
    pub major: u32,
    /// Minor number.
    pub minor: u32,
    /// Patch number.
    pub patch: u32,
}

/// Why a version or requirement could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VersionParseError {
    /// Not `MAJOR.MINOR[.PATCH]`.
    #[error("expected a version such as `2.15.1` or `2.12`, found `{0}`")]
    Version(String),
    /// Not a list of comparisons.
    #[error(
        "expected a version requirement such as `>=2.12`, `>=2.10, <2.15.1` or `<2.11.16 || >=2.12.0, <2.12.7`, found `{0}`"
    )]
    Requirement(String),
    /// An empty text.
    #[error(
        "expected a version requirement such as `>=2.12` or `>=2.10, <2.15.1`, found an empty one; leave `versions` out to mean every version"
    )]
    Empty,
    /// Comparisons that no version meets together.
    #[error("expected a version requirement some version meets, but no version is `{0}`")]
    Unsatisfiable(String),
}

impl FromStr for Version {
    type Err = VersionParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || VersionParseError::Version(s.to_string());
        let t = s.trim().trim_start_matches('v');
        let parts: Vec<&str> = t.split('.').collect();
        if !(2..=3).contains(&parts.len()) {
            return Err(err());
        }
        let num = |p: &str| p.parse::<u32>().map_err(|_| err());
        Ok(Version {
            major: num(parts[0])?,
            minor: num(parts[1])?,
            patch: if parts.len() == 3 { num(parts[2])? } else { 0 },
        })
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Ge,
    Gt,
    Le,
    Lt,
    Eq,
}

/// Comparisons that must all hold (`,`), or several such sets of which one must (`||`, for a
/// fix backported to two release lines); `*` accepts every version.
///
/// ```
/// use natsfault::spec::{Version, VersionReq};
/// let v = |s: &str| s.parse::<Version>().unwrap();
/// let req: VersionReq = ">=2.10, <2.15.1".parse().unwrap();
/// assert!(req.matches(v("2.15.0")));
/// assert!(!req.matches(v("2.15.1")));
/// // Affected before the fix of each line: 2.11.16 and 2.12.7.
/// let hole: VersionReq = "<2.11.16 || >=2.12.0, <2.12.7".parse().unwrap();
/// assert!(hole.matches(v("2.10.26")) && hole.matches(v("2.12.6")));
/// assert!(!hole.matches(v("2.11.16")) && !hole.matches(v("2.12.8")));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionReq {
    text: String,
    alternatives: Vec<Vec<(Op, Version)>>,
}

impl VersionReq {
    /// Whether `v` satisfies every comparison of one alternative.
    pub fn matches(&self, v: Version) -> bool {
        self.alternatives.iter().any(|terms| {
            terms.iter().all(|(op, w)| match op {
                Op::Ge => v >= *w,
                Op::Gt => v > *w,
                Op::Le => v <= *w,
                Op::Lt => v < *w,
                Op::Eq => v == *w,
            })
        })
    }
}

impl FromStr for VersionReq {
    type Err = VersionParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || VersionParseError::Requirement(s.to_string());
        let text = s.trim().to_string();
        if text.is_empty() {
            return Err(VersionParseError::Empty);
        }
        if text == "*" {
            return Ok(VersionReq { text, alternatives: vec![vec![]] });
        }
        let mut alternatives = Vec::new();
        for alternative in text.split("||") {
            let mut terms = Vec::new();
            for part in alternative.split(',') {
                let p = part.trim();
                let (op, rest) = [(">=", Op::Ge), ("<=", Op::Le), (">", Op::Gt), ("<", Op::Lt), ("=", Op::Eq)]
                    .iter()
                    .find_map(|(tok, op)| p.strip_prefix(tok).map(|r| (*op, r)))
                    .unwrap_or((Op::Eq, p));
                terms.push((op, rest.parse().map_err(|_| err())?));
            }
            // Each alternative must be met by some version: one that is not is a mistake.
            if !satisfiable(&terms) {
                return Err(VersionParseError::Unsatisfiable(alternative.trim().to_string()));
            }
            alternatives.push(terms);
        }
        Ok(VersionReq { text, alternatives })
    }
}

/// Whether some version meets every comparison: the greatest lower bound is at most the least
/// upper one, with `>` and `<` turned into `>=` and `<=` of the next and previous version.
fn satisfiable(terms: &[(Op, Version)]) -> bool {
    const FIRST: Version = Version { major: 0, minor: 0, patch: 0 };
    const LAST: Version = Version { major: u32::MAX, minor: u32::MAX, patch: u32::MAX };
    let (mut low, mut high) = (Some(FIRST), Some(LAST));
    for (op, v) in terms {
        let (lo, hi) = match op {
            Op::Ge => (Some(*v), Some(LAST)),
            Op::Gt => (next(*v), Some(LAST)),
            Op::Le => (Some(FIRST), Some(*v)),
            Op::Lt => (Some(FIRST), previous(*v)),
            Op::Eq => (Some(*v), Some(*v)),
        };
        low = low.zip(lo).map(|(a, b)| a.max(b));
        high = high.zip(hi).map(|(a, b)| a.min(b));
    }
    low.zip(high).is_some_and(|(l, h)| l <= h)
}

/// The version right after `v`, if any.
fn next(v: Version) -> Option<Version> {
    let Version { major, minor, patch } = v;
    match (patch.checked_add(1), minor.checked_add(1), major.checked_add(1)) {
        (Some(patch), ..) => Some(Version { major, minor, patch }),
        (None, Some(minor), _) => Some(Version { major, minor, patch: 0 }),
        (None, None, Some(major)) => Some(Version { major, minor: 0, patch: 0 }),
        (None, None, None) => None,
    }
}

/// The version right before `v`, if any.
fn previous(v: Version) -> Option<Version> {
    let Version { major, minor, patch } = v;
    match (patch.checked_sub(1), minor.checked_sub(1), major.checked_sub(1)) {
        (Some(patch), ..) => Some(Version { major, minor, patch }),
        (None, Some(minor), _) => Some(Version { major, minor, patch: u32::MAX }),
        (None, None, Some(major)) => Some(Version { major, minor: u32::MAX, patch: u32::MAX }),
        (None, None, None) => None,
    }
}

impl fmt::Display for VersionReq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

deserialize_from_str!(VersionReq);

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        s.parse().unwrap()
    }

    #[test]
    fn requirements() {
        let r: VersionReq = ">=2.12".parse().unwrap();
        assert!(r.matches(v("2.12.0")) && r.matches(v("2.15.1")) && !r.matches(v("2.11.11")));
        assert!("*".parse::<VersionReq>().unwrap().matches(v("2.9.10")));
        assert!("2.10.25".parse::<VersionReq>().unwrap().matches(v("2.10.25")));
    }

    #[test]
    fn rejects_what_no_version_meets() {
        for empty in
            [">=2.12, <2.11", ">2.12.0, <2.12.1", "<0.0.0", "=2.10, =2.11", ">=2.15.1, <=2.15.0", "2.10, >2.10"]
        {
            assert_eq!(
                empty.parse::<VersionReq>(),
                Err(VersionParseError::Unsatisfiable(empty.to_string())),
                "{empty}"
            );
        }
        for fine in [">2.12.0, <2.12.2", ">=2.15.1, <=2.15.1", ">2.9.4294967295, <2.11", "<0.0.1"] {
            assert!(fine.parse::<VersionReq>().is_ok(), "{fine}");
        }
        assert_eq!("  ".parse::<VersionReq>(), Err(VersionParseError::Empty));
    }

    #[test]
    fn rejects_garbage() {
        for bad in ["", ">=two", "2", ">=2.1.2.3", ">=2.12,"] {
            assert!(bad.parse::<VersionReq>().is_err(), "{bad}");
        }
    }
}
