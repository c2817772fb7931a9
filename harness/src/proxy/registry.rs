//! The installed toxics, shared by the proxy handle and every connection.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use tokio::sync::watch;

use super::error::ProxyError;
use super::spec::ToxicSpec;

/// One installed toxic. `id` is unique for the proxy's lifetime, so a toxic
/// removed and added again under the same name is a new toxic.
#[derive(Debug, Clone)]
pub(crate) struct Installed {
    pub(crate) id: u64,
    pub(crate) spec: ToxicSpec,
}

/// The installed toxics in the order they were added (the order they act in).
#[derive(Debug, Clone, Default)]
pub(crate) struct ToxicSet {
    pub(crate) entries: Arc<Vec<Installed>>,
}

/// Adds and removes toxics and tells every connection about it.
#[derive(Debug)]
pub(crate) struct Registry {
    set: watch::Sender<ToxicSet>,
    next_id: AtomicU64,
}

impl Registry {
    pub(crate) fn new() -> Self {
        Registry { set: watch::Sender::new(ToxicSet::default()), next_id: AtomicU64::new(1) }
    }

    /// Installs `spec` after checking it; names are unique.
    pub(crate) fn add(&self, spec: ToxicSpec) -> Result<(), ProxyError> {
        spec.build(Instant::now())?;
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let mut outcome = Ok(());
        self.set.send_if_modified(|set| {
            if set.entries.iter().any(|e| e.spec.name == spec.name) {
                outcome = Err(ProxyError::ToxicExists { name: spec.name });
                return false;
            }
            Arc::make_mut(&mut set.entries).push(Installed { id, spec });
            true
        });
        outcome
    }

    /// Removes the toxic called `name`.
    pub(crate) fn remove(&self, name: &str) -> Result<(), ProxyError> {
        let mut found = false;
        self.set.send_if_modified(|set| {
            let before = set.entries.len();
            Arc::make_mut(&mut set.entries).retain(|e| e.spec.name != name);
            found = set.entries.len() != before;
            found
        });
        if found { Ok(()) } else { Err(ProxyError::ToxicNotFound { name: name.to_owned() }) }
    }

    /// The current set.
    pub(crate) fn current(&self) -> ToxicSet {
        self.set.borrow().clone()
    }

    /// A receiver that sees every change.
    pub(crate) fn subscribe(&self) -> watch::Receiver<ToxicSet> {
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
        let registry = Registry::new();
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
        let registry = Registry::new();
        assert!(matches!(registry.add(down("")), Err(ProxyError::InvalidToxic { .. })));
        assert!(matches!(registry.add(down("x").with_toxicity(1.5)), Err(ProxyError::InvalidToxic { .. })));
        assert!(matches!(registry.add(down("x").with_toxicity(f32::NAN)), Err(ProxyError::InvalidToxic { .. })));
    }
}
