//! Path joining exactly as nats-server does it for includes: Go's `filepath.Join` and
//! `filepath.Dir`, which are lexical and join even absolute paths onto the folder.

/// Go's `filepath.Dir`: everything before the last `/`, cleaned; `.` when there is none.
pub(crate) fn go_dir(path: &str) -> String {
    match path.rfind('/') {
        Some(i) => clean(&path[..=i]),
        None => ".".to_string(),
    }
}

/// Go's `filepath.Join(dir, path)`: `dir/path` cleaned. An absolute `path` is *not* kept
/// absolute: `Join("/etc/nats", "/etc/nats/a.conf")` is `/etc/nats/etc/nats/a.conf`.
pub(crate) fn go_join(dir: &str, path: &str) -> String {
    match (dir.is_empty(), path.is_empty()) {
        (true, true) => String::new(),
        (true, false) => clean(path),
        (false, true) => clean(dir),
        (false, false) => clean(&format!("{dir}/{path}")),
    }
}

/// Whether `path` is inside one of `roots`, both compared canonical (symbolic links resolved,
/// so a link out of a root is outside it); a path that does not exist is compared with `.` and
/// `..` folded away lexically, without touching the disk.
///
/// ```
/// use natsfault_natsconf::within_roots;
/// let tmp = std::env::temp_dir();
/// assert!(within_roots(&tmp.join("a/../b.conf"), &[tmp.clone()]));
/// assert!(!within_roots(&tmp.join("../etc/shadow"), &[tmp.clone()]));
/// ```
pub fn within_roots(path: &std::path::Path, roots: &[std::path::PathBuf]) -> bool {
    let target = canonical(path);
    roots.iter().any(|root| target.starts_with(canonical(root)))
}

fn canonical(path: &std::path::Path) -> std::path::PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| lexical(path))
}

/// `path` made absolute with `.` and `..` folded away, without touching the disk.
pub(crate) fn lexical(path: &std::path::Path) -> std::path::PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = std::path::PathBuf::new();
    for c in abs.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Go's `path.Clean`: drops `.` and empty parts, resolves `..` lexically.
fn clean(path: &str) -> String {
    if path.is_empty() {
        return ".".to_string();
    }
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

#[cfg(test)]
mod tests {
    use super::{clean, go_dir, go_join};

    #[test]
    fn join_keeps_go_semantics() {
        assert_eq!(go_join(".", "a.conf"), "a.conf");
        assert_eq!(go_join("/etc/nats", "./inc/a.conf"), "/etc/nats/inc/a.conf");
        assert_eq!(go_join("/etc/nats", "../a.conf"), "/etc/a.conf");
        assert_eq!(go_join("/etc/nats", "/etc/nats/a.conf"), "/etc/nats/etc/nats/a.conf");
        assert_eq!(go_join(".", "/tmp/a.conf"), "tmp/a.conf");
        assert_eq!(go_join("sub", "../../x"), "../x");
    }

    #[test]
    fn dir_and_clean() {
        assert_eq!(go_dir("nats.conf"), ".");
        assert_eq!(go_dir("/etc/nats/nats.conf"), "/etc/nats");
        assert_eq!(go_dir("/nats.conf"), "/");
        assert_eq!(clean("/../a"), "/a");
        assert_eq!(clean("a/./b/../c"), "a/c");
    }
}
