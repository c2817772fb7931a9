//! An append-only, timestamped record that readers can await without polling.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::watch;

/// One entry with the time it was recorded.
#[derive(Clone, Debug)]
pub struct Stamped<T> {
    /// When it was recorded.
    pub at: Instant,
    /// What was recorded.
    pub value: T,
}

/// A shared, append-only list; [`Timeline::wait_for`] wakes on each push.
///
/// ```
/// use natsfault::observe::Timeline;
/// let t: Timeline<String> = Timeline::new();
/// t.push("[INF] Server is ready".to_string());
/// assert_eq!(t.len(), 1);
/// ```
#[derive(Debug)]
pub struct Timeline<T> {
    items: Arc<Mutex<Vec<Stamped<T>>>>,
    count: Arc<watch::Sender<usize>>,
}

impl<T> Clone for Timeline<T> {
    fn clone(&self) -> Self {
        Timeline { items: self.items.clone(), count: self.count.clone() }
    }
}

impl<T: Clone> Default for Timeline<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Clone> Timeline<T> {
    /// An empty timeline.
    pub fn new() -> Self {
        Timeline { items: Arc::new(Mutex::new(Vec::new())), count: Arc::new(watch::channel(0).0) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Stamped<T>>> {
        self.items.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Appends a value stamped now.
    pub fn push(&self, value: T) {
        let n = {
            let mut items = self.lock();
            items.push(Stamped { at: Instant::now(), value });
            items.len()
        };
        self.count.send_replace(n);
    }

    /// How many entries there are.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Entries from index `from` on.
    pub fn since(&self, from: usize) -> Vec<Stamped<T>> {
        let items = self.lock();
        items.get(from..).map(<[_]>::to_vec).unwrap_or_default()
    }

    /// Every entry.
    pub fn all(&self) -> Vec<Stamped<T>> {
        self.since(0)
    }

    /// The first entry at index `from` or later that satisfies `pred`, waiting up to `within` for
    /// one to be pushed.
    pub async fn wait_for(
        &self,
        from: usize,
        within: Duration,
        mut pred: impl FnMut(&T) -> bool,
    ) -> Option<Stamped<T>> {
        let deadline = Instant::now() + within;
        let mut rx = self.count.subscribe();
        let mut next = from;
        loop {
            let found = {
                let items = self.lock();
                let hit = items.get(next..).and_then(|s| s.iter().find(|e| pred(&e.value)).cloned());
                next = items.len().max(next);
                hit
            };
            if found.is_some() {
                return found;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            match tokio::time::timeout(left, rx.changed()).await {
                Ok(Ok(())) => {}
                Ok(Err(_)) | Err(_) => {
                    // Sender gone or time is up: one last look.
                    let items = self.lock();
                    return items.get(next..).and_then(|s| s.iter().find(|e| pred(&e.value)).cloned());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn wakes_on_push() {
        let t: Timeline<u32> = Timeline::new();
        let t2 = t.clone();
        let h = tokio::spawn(async move { t2.wait_for(0, Duration::from_secs(5), |v| *v == 3).await });
        for i in 0..5 {
            t.push(i);
            tokio::task::yield_now().await;
        }
        assert_eq!(h.await.unwrap().unwrap().value, 3);
    }

    #[tokio::test]
    async fn gives_up_after_the_window() {
        let t: Timeline<u32> = Timeline::new();
        t.push(1);
        let start = Instant::now();
        assert!(t.wait_for(0, Duration::from_millis(50), |v| *v == 2).await.is_none());
        assert!(start.elapsed() >= Duration::from_millis(50));
        assert!(t.wait_for(1, Duration::ZERO, |v| *v == 1).await.is_none(), "only entries from index 1 on");
    }
}
