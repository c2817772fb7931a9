//! NATS subject syntax, checked before a scenario runs.

/// Why a subject is not valid for its use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubjectError {
    /// Empty subject or empty token (`a..b`, `.a`).
    #[error("expected a subject of dot-separated tokens, found an empty token in `{0}`")]
    EmptyToken(String),
    /// Whitespace in the subject.
    #[error("expected a subject without whitespace, found `{0}`")]
    Whitespace(String),
    /// A wildcard where a literal subject is required.
    #[error("expected a literal subject to publish to, found the wildcard subject `{0}`")]
    WildcardInPublish(String),
    /// `>` not as the last token, or a wildcard inside a token.
    #[error("expected `*` as a whole token and `>` only as the last token, found `{0}`")]
    BadWildcard(String),
}

/// Checks a subject; `wildcards` says whether `*` and `>` are allowed (subscribe) or not (publish).
///
/// ```
/// use natsfault::spec::check_subject;
/// assert!(check_subject("data.>", true).is_ok());
/// assert!(check_subject("data.>", false).is_err());
/// ```
pub fn check_subject(subject: &str, wildcards: bool) -> Result<(), SubjectError> {
    if subject.chars().any(char::is_whitespace) {
        return Err(SubjectError::Whitespace(subject.into()));
    }
    let tokens: Vec<&str> = subject.split('.').collect();
    for (i, t) in tokens.iter().enumerate() {
        if t.is_empty() {
            return Err(SubjectError::EmptyToken(subject.into()));
        }
        let wild = *t == "*" || *t == ">";
        if wild && !wildcards {
            return Err(SubjectError::WildcardInPublish(subject.into()));
        }
        if (*t == ">" && i + 1 != tokens.len()) || (!wild && (t.contains('*') || t.contains('>'))) {
            return Err(SubjectError::BadWildcard(subject.into()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects() {
        assert!(check_subject("a.b.c", false).is_ok());
        assert!(check_subject("a.*.c", true).is_ok());
        assert_eq!(check_subject("a..b", true), Err(SubjectError::EmptyToken("a..b".into())));
        assert!(matches!(check_subject("a.>.b", true), Err(SubjectError::BadWildcard(_))));
        assert!(matches!(check_subject("a.b*", true), Err(SubjectError::BadWildcard(_))));
        assert!(matches!(check_subject("a b", true), Err(SubjectError::Whitespace(_))));
        assert!(matches!(check_subject("a.*", false), Err(SubjectError::WildcardInPublish(_))));
    }
}
