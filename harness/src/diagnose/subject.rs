//! Subject matching as nats-server does it for permissions.

/// Whether `pattern` (with `*` and `>`) matches the literal `subject`.
///
/// ```
/// use natsfault::diagnose::subject::matches;
/// assert!(matches("foo.*", "foo.a"));
/// assert!(!matches("foo.*", "foo.a.b"));
/// assert!(matches("foo.>", "foo.a.b"));
/// assert!(!matches("foo.>", "foo"));
/// ```
pub fn matches(pattern: &str, subject: &str) -> bool {
    let mut p = pattern.split('.');
    let mut s = subject.split('.');
    loop {
        match (p.next(), s.next()) {
            (Some(">"), Some(_)) => return true,
            (Some("*"), Some(_)) => {}
            (Some(a), Some(b)) if a == b => {}
            (None, None) => return true,
            _ => return false,
        }
    }
}

/// Whether subscribing to `wide` (which may have wildcards) is covered by `allow` (`wide` is a
/// subset of it), as nats-server checks a SUB against the allow list.
///
/// ```
/// use natsfault::diagnose::subject::covers;
/// assert!(covers("bar.>", "bar.a.>"));
/// assert!(!covers("bar.>", ">"));
/// assert!(covers("foo.*", "foo.a"));
/// ```
pub fn covers(allow: &str, wide: &str) -> bool {
    let a: Vec<&str> = allow.split('.').collect();
    let w: Vec<&str> = wide.split('.').collect();
    for (i, at) in a.iter().enumerate() {
        if *at == ">" {
            return i < w.len();
        }
        let Some(wt) = w.get(i) else { return false };
        match (*at, *wt) {
            ("*", ">") => return false,
            ("*", _) => {}
            (x, y) if x == y => {}
            _ => return false,
        }
    }
    a.len() == w.len()
}
