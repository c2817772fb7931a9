//! The version each driver program said in its `hello`, kept for the run: a client whose
//! connect failed has no driver left to ask, and its report still names the library's version.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use crate::spec::Library;

fn said() -> &'static Mutex<HashMap<Library, String>> {
    static SAID: OnceLock<Mutex<HashMap<Library, String>>> = OnceLock::new();
    SAID.get_or_init(Default::default)
}

/// Keeps the version `library`'s driver said in its `hello`.
pub fn remember(library: Library, version: &str) {
    if version.is_empty() {
        return;
    }
    said().lock().unwrap_or_else(|p| p.into_inner()).insert(library, version.to_string());
}

/// The version `library`'s driver last said in its `hello`, if one did in this run.
///
/// ```
/// use natsfault::client::driver::{known_version, remember_version};
/// use natsfault::spec::Library;
/// remember_version(Library::NatsGo, "1.22.1");
/// assert_eq!(known_version(Library::NatsGo).as_deref(), Some("1.22.1"));
/// ```
pub fn known(library: Library) -> Option<String> {
    said().lock().unwrap_or_else(|p| p.into_inner()).get(&library).cloned()
}
