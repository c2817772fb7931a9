//! Which of a rule's matches fire: `nth`, `every`, `limit`, counted over every connection of
//! the proxy since the rule was added (the third reconnect's `CONNECT` is the fourth match).

use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

/// The count part of a rule; every field optional, all of them must agree for a match to fire.
///
/// ```
/// use natsfault::proxy::shaping::Count;
/// // Every second match, twice: matches 2 and 4 fire, 6 does not (two firings already).
/// let c = Count { nth: None, every: Some(2), limit: Some(2) };
/// assert!(c.fires(2, 0) && c.fires(4, 1));
/// assert!(!c.fires(3, 1) && !c.fires(6, 2));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Count {
    /// Only the nth match (1-based).
    pub nth: Option<u64>,
    /// Every nth match (n, 2n, 3n, ...).
    pub every: Option<u64>,
    /// At most this many firings.
    pub limit: Option<u64>,
}

impl Count {
    /// Whether match number `n` (1-based) fires when the rule has fired `fired` times before.
    pub fn fires(&self, n: u64, fired: u64) -> bool {
        self.nth.is_none_or(|k| n == k)
            && self.every.is_none_or(|e| e > 0 && n.is_multiple_of(e))
            && self.limit.is_none_or(|l| fired < l)
    }

    /// Why no match could ever fire, if none could.
    pub fn never(&self) -> Option<String> {
        match (self.nth, self.every, self.limit) {
            (Some(0), _, _) => Some("`nth` counts from 1".into()),
            (_, Some(0), _) => Some("`every` counts from 1".into()),
            (_, _, Some(0)) => Some("`limit = 0` never fires".into()),
            (Some(n), Some(e), _) if !n.is_multiple_of(e) => {
                Some(format!("match {n} is not a multiple of {e}, so `nth` and `every` never agree"))
            }
            _ => None,
        }
    }
}

/// The proxy-wide counts of one installed rule.
#[derive(Debug, Default)]
pub(crate) struct RuleCounter {
    matched: AtomicU64,
    fired: AtomicU64,
}

impl RuleCounter {
    /// Counts a match; returns whether it fires.
    pub(crate) fn hit(&self, count: &Count) -> bool {
        let n = self.matched.fetch_add(1, Ordering::SeqCst) + 1;
        if count.nth.is_some_and(|k| n != k) || count.every.is_some_and(|e| e == 0 || !n.is_multiple_of(e)) {
            return false;
        }
        self.fired.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |f| count.fires(n, f).then_some(f + 1)).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nth_every_and_limit() {
        let run = |count: Count| {
            let c = RuleCounter::default();
            (1..=10).filter(|_| c.hit(&count)).count()
        };
        assert_eq!(run(Count::default()), 10);
        assert_eq!(run(Count { nth: Some(3), ..Count::default() }), 1);
        assert_eq!(run(Count { every: Some(3), ..Count::default() }), 3);
        assert_eq!(run(Count { limit: Some(4), ..Count::default() }), 4);
        assert_eq!(run(Count { every: Some(2), limit: Some(2), nth: None }), 2);
        assert!(Count { nth: Some(3), every: Some(2), limit: None }.never().is_some());
        assert!(Count { nth: Some(4), every: Some(2), limit: None }.never().is_none());
    }
}
