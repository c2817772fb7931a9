//! Links between servers (leafnodes, routes) negotiate s2 compression in the `INFO`s they
//! exchange, and once both sides offer it every later byte is compressed: the tap reads no frame
//! of it. This is how the tap knows, from the two `INFO`s, as nats-server decides.

/// The compression mode an `INFO` offers, if it names one.
pub(crate) fn offered(info: &str) -> Option<String> {
    let at = info.find("\"compression\"")?;
    let rest = info[at + "\"compression\"".len()..].trim_start().strip_prefix(':')?.trim_start();
    let rest = rest.strip_prefix('"')?;
    Some(rest[..rest.find('"')?].to_ascii_lowercase())
}

/// Whether a link whose sides offered `a` and `b` compresses: neither is off (or unsupported),
/// and not both merely accept.
pub(crate) fn compresses(a: &str, b: &str) -> bool {
    let on = |m: &str| m != "off" && m != "not supported" && !m.is_empty();
    on(a) && on(b) && !(a == "accept" && b == "accept")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_two_offers_decide() {
        assert_eq!(offered(r#"INFO {"server_id":"x","compression":"s2_auto"}"#).as_deref(), Some("s2_auto"));
        assert_eq!(offered(r#"INFO {"server_id":"x"}"#), None);
        assert!(compresses("s2_auto", "accept"));
        assert!(compresses("s2_fast", "s2_auto"));
        assert!(!compresses("off", "s2_auto"));
        assert!(!compresses("accept", "accept"));
        assert!(!compresses("not supported", "s2_fast"));
    }
}
