//! The installed toxics and shaping rules, shared by the proxy handle and every connection.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::sync::watch;

use super::error::ProxyError;
use super::spec::ToxicSpec;

/// What a registry holds: named, checked when installed.
pub(crate) trait Entry: Clone {
    /// The unique name.
    fn name(&self) -> &str;
    /// Checks the description before it is installed.
    fn check(&self) -> Result<(), ProxyError>;
    /// The error for a name already taken.
    fn exists(name: String) -> ProxyError;
    /// The error for a name not installed.
    fn not_found(name: String) -> ProxyError;
}

impl Entry for ToxicSpec {
    fn name(&self) -> &str {
        &self.name
    }
    fn check(&self) -> Result<(), ProxyError> {
        self.build(std::time::Instant::now()).map(|_| ())
    }
    fn exists(name: String) -> ProxyError {
        ProxyError::ToxicExists { name }
    }
    fn not_found(name: String) -> ProxyError {
        ProxyError::ToxicNotFound { name }
    }
}

/// One installed entry. `id` is unique for the proxy's lifetime, so an entry removed and added
/// again under the same name is a new one.
#[derive(Debug, Clone)]
pub(crate) struct Installed<T> {
    pub(crate) id: u64,
    pub(crate) spec: T,
}

/// The installed entries in the order they were added (the order they act in).
#[derive(Debug, Clone)]
pub(crate) struct Set<T> {
    pub(crate) entries: Arc<Vec<Installed<T>>>,
}

impl<T> Default for Set<T> {
    fn default() -> Self {
        Set { entries: Arc::new(Vec::new()) }
    }
}

/// The installed toxics.
pub(crate) type ToxicSet = Set<ToxicSpec>;

/// Adds and removes entries and tells every connection about it.
#[derive(Debug)]
pub(crate) struct Registry<T> {
    set: watch::Sender<Set<T>>,
    next_id: AtomicU64,
}

impl<T: Entry> Registry<T> {
    pub(crate) fn new() -> Self {
        Registry { set: watch::Sender::new(Set::default()), next_id: AtomicU64::new(1) }
    }

    /// Installs `spec` after checking it; names are unique.
    pub(crate) fn add(&self, spec: T) -> Result<(), ProxyError> {
        spec.check()?;
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let mut outcome = Ok(());
        self.set.send_if_modified(|set| {
            if set.entries.iter().any(|e| e.spec.name() == spec.name()) {
                outcome = Err(T::exists(spec.name().to_owned()));
                return false;
            }
            Arc::make_mut(&mut set.entries).push(Installed { id, spec });
            true
        });
        outcome
    }

    /// Removes the entry called `name`.
    pub(crate) fn remove(&self, name: &str) -> Result<(), ProxyError> {
        let mut found = false;
        self.set.send_if_modified(|set| {
            let before = set.entries.len();
            Arc::make_mut(&mut set.entries).retain(|e| e.spec.name() != name);
            found = set.entries.len() != before;
            found
        });
        if found { Ok(()) } else { Err(T::not_found(name.to_owned())) }
    }

    /// The current set.
    pub(crate) fn current(&self) -> Set<T> {
        self.set.borrow().clone()
    }

    /// A receiver that sees every change.
    pub(crate) fn subscribe(&self) -> watch::Receiver<Set<T>> {
        self.set.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::super::spec::{Stream, ToxicKind};
    use super::*;

    fn down(name: &str) -> ToxicSpec {
        ToxicSpec::new(name, Stream::Upstream, ToxicKind::Down)
    }

    #[test]
    fn names_are_unique_and_removal_needs_a_match() {
        let registry = Registry::<ToxicSpec>::new();
        let mut rx = registry.subscribe();
        registry.add(down("a")).expect("first add");
        assert!(matches!(registry.add(down("a")), Err(ProxyError::ToxicExists { .. })));
        assert!(rx.has_changed().expect("sender alive"));
        assert_eq!(rx.borrow_and_update().entries.len(), 1);
        assert!(matches!(registry.remove("b"), Err(ProxyError::ToxicNotFound { .. })));
        assert!(!rx.has_changed().expect("sender alive"));
        registry.remove("a").expect("remove");
        assert!(registry.current().entries.is_empty());
    }

    #[test]
    fn invalid_specs_are_rejected() {
        let registry = Registry::<ToxicSpec>::new();
        assert!(matches!(registry.add(down("")), Err(ProxyError::InvalidToxic { .. })));
        assert!(matches!(registry.add(down("x").with_toxicity(1.5)), Err(ProxyError::InvalidToxic { .. })));
        assert!(matches!(registry.add(down("x").with_toxicity(f32::NAN)), Err(ProxyError::InvalidToxic { .. })));
    }
}
