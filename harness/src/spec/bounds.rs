//! The `LOW..HIGH` syntax shared by time ranges and count ranges.

/// Parses `LOW..HIGH`, `..HIGH`, `LOW..` (and a single `N` when `single` is allowed) with `side`
/// reading one end; `None` when the text is not such a range or LOW > HIGH.
pub(crate) fn parse_bounds<T: PartialOrd + Copy>(
    s: &str,
    single: bool,
    side: impl Fn(&str) -> Option<T>,
) -> Option<(Option<T>, Option<T>)> {
    let end = |t: &str| -> Option<Option<T>> {
        let t = t.trim();
        if t.is_empty() { Some(None) } else { side(t).map(Some) }
    };
    let (min, max) = match s.split_once("..") {
        Some((lo, hi)) => (end(lo)?, end(hi)?),
        None if single => {
            let n = end(s)??;
            (Some(n), Some(n))
        }
        None => return None,
    };
    match (min, max) {
        (None, None) => None,
        (Some(a), Some(b)) if a > b => None,
        _ => Some((min, max)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        let num = |t: &str| t.parse::<u32>().ok();
        assert_eq!(parse_bounds("1..3", false, num), Some((Some(1), Some(3))));
        assert_eq!(parse_bounds("..3", false, num), Some((None, Some(3))));
        assert_eq!(parse_bounds("2", true, num), Some((Some(2), Some(2))));
        assert_eq!(parse_bounds("2", false, num), None);
        assert_eq!(parse_bounds("3..1", false, num), None);
        assert_eq!(parse_bounds("..", false, num), None);
    }
}
