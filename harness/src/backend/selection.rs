//! Which releases a `--versions` text names: a list (`2.10.26,2.12`), every patch of a minor
//! (`2.12.x`), a range (`>=2.12.0, <2.15`) or `all`, over the pinned releases (and Debian's
//! 2.9.10 when named).

use super::versions::{DEBIAN_VERSION, pinned_versions, resolve_version};
use crate::spec::{Version, VersionReq};

/// The releases `text` names, oldest first, each once.
///
/// ```
/// use natsfault::backend::select_versions;
/// let v = |t: &str| select_versions(t).unwrap().iter().map(ToString::to_string).collect::<Vec<_>>();
/// assert_eq!(v("2.12.x").len(), 9);
/// assert_eq!(v(">=2.14.5, <2.15.1"), ["2.14.5", "2.14.6", "2.15.0"]);
/// assert_eq!(v("2.15.1,2.10"), ["2.10.26", "2.15.1"]);
/// assert!(v("all").len() >= 30);
/// assert!(select_versions("2.13.x").unwrap_err().contains("no pinned release"));
/// ```
pub fn select_versions(text: &str) -> Result<Vec<Version>, String> {
    let text = text.trim();
    let pinned = pinned_versions();
    let mut out: Vec<Version> = Vec::new();
    if text.starts_with(['>', '<', '=']) {
        let req: VersionReq = text.parse().map_err(|e| format!("{e}"))?;
        out = pinned.iter().copied().filter(|v| req.matches(*v)).collect();
        if out.is_empty() {
            return Err(format!("no pinned release is `{text}`"));
        }
        return Ok(out);
    }
    for item in text.split(',').map(str::trim).filter(|i| !i.is_empty()) {
        let found: Vec<Version> = if item == "all" {
            pinned.clone()
        } else if let Some(minor) = item.strip_suffix(".x") {
            let want: Version = minor.parse().map_err(|e| format!("{e}"))?;
            let all: Vec<Version> =
                pinned.iter().copied().filter(|v| v.major == want.major && v.minor == want.minor).collect();
            if all.is_empty() {
                return Err(format!("no pinned release is `{item}`"));
            }
            all
        } else {
            vec![resolve_version(item)?]
        };
        out.extend(found);
    }
    if out.is_empty() {
        return Err(format!(
            "expected versions (`2.12.8,2.15.1`, `2.12.x`, `>=2.12.0, <2.15`, `all` or {DEBIAN_VERSION}), found `{text}`"
        ));
    }
    out.sort();
    out.dedup();
    Ok(out)
}
