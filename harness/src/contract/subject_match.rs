//! Whether a subject falls within a permission's subject, as nats-server decides it for a
//! publish (a literal subject) and a subscription (a subject that may have wildcards).

/// Whether every subject that `subject` can stand for is matched by `pattern` (`*` one token,
/// a last `>` one or more).
///
/// ```
/// use natsfault::contract::subject_within;
/// assert!(subject_within("orders.created", "orders.>"));
/// assert!(subject_within("orders.*", "orders.>"));
/// assert!(!subject_within("orders.>", "orders.*"));
/// assert!(!subject_within("billing.x", "orders.>"));
/// ```
pub fn subject_within(subject: &str, pattern: &str) -> bool {
    let s: Vec<&str> = subject.split('.').collect();
    let p: Vec<&str> = pattern.split('.').collect();
    for (i, pt) in p.iter().enumerate() {
        match (*pt, s.get(i)) {
            (">", Some(_)) => return true,
            (_, None) => return false,
            ("*", Some(&st)) if st != ">" => {}
            (lit, Some(&st)) if lit == st => {}
            _ => return false,
        }
    }
    s.len() == p.len()
}

/// Whether the two subjects have a subject in common (a deny that overlaps a wildcard
/// subscription).
pub(crate) fn subjects_overlap(a: &str, b: &str) -> bool {
    let a: Vec<&str> = a.split('.').collect();
    let b: Vec<&str> = b.split('.').collect();
    for i in 0..a.len().max(b.len()) {
        match (a.get(i), b.get(i)) {
            (Some(&">"), Some(_)) | (Some(_), Some(&">")) => return true,
            (Some(&x), Some(&y)) if x == y || x == "*" || y == "*" => {}
            _ => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlap() {
        assert!(subjects_overlap("orders.>", "orders.secret"));
        assert!(subjects_overlap("orders.*", "*.x"));
        assert!(!subjects_overlap("orders.*", "orders"));
        assert!(!subjects_overlap("a.b", "a.c"));
    }
}
