//! Typed errors of the proxy.

use std::io;

/// Everything that can go wrong when starting or steering a [`Proxy`](super::Proxy).
///
/// ```
/// use natsfault::proxy::ProxyError;
///
/// let err = ProxyError::ToxicNotFound { name: "lag".into() };
/// assert_eq!(err.to_string(), "no toxic named `lag`");
/// ```
#[derive(Debug, thiserror::Error)]
pub enum ProxyError {
    /// The listening socket on 127.0.0.1 could not be bound.
    #[error("cannot bind the proxy listener on 127.0.0.1")]
    Bind {
        /// The underlying socket error.
        #[source]
        source: io::Error,
    },
    /// The bound listener did not report its address.
    #[error("cannot read the proxy listener address")]
    ListenAddr {
        /// The underlying socket error.
        #[source]
        source: io::Error,
    },
    /// A toxic with this name is already installed.
    #[error("a toxic named `{name}` already exists")]
    ToxicExists {
        /// The name that is taken.
        name: String,
    },
    /// No toxic with this name is installed.
    #[error("no toxic named `{name}`")]
    ToxicNotFound {
        /// The name that was asked for.
        name: String,
    },
    /// A shaping rule with this name is already installed.
    #[error("a rule named `{name}` already exists")]
    RuleExists {
        /// The name that is taken.
        name: String,
    },
    /// No shaping rule with this name is installed.
    #[error("no rule named `{name}`")]
    RuleNotFound {
        /// The name that was asked for.
        name: String,
    },
    /// A shaping rule can never fire, or an action's parameter is out of range.
    #[error("invalid rule `{name}`: {reason}")]
    InvalidRule {
        /// The rule's name.
        name: String,
        /// Why, in lowercase.
        reason: String,
    },
    /// A toxic description has a parameter out of range.
    #[error("invalid toxic `{name}`: {reason}")]
    InvalidToxic {
        /// The toxic's name.
        name: String,
        /// What is wrong with it, in lowercase.
        reason: String,
    },
}

impl ProxyError {
    /// Builds an [`ProxyError::InvalidToxic`].
    pub(crate) fn invalid(name: &str, reason: impl Into<String>) -> Self {
        ProxyError::InvalidToxic { name: name.to_owned(), reason: reason.into() }
    }
}
