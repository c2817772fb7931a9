//! Quoting: strings are always written double-quoted with escapes; keys are written bare when
//! nats-server would read them back unchanged, else quoted.

/// A string as a double-quoted nats.conf string.
pub(crate) fn quote_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A key as nats.conf text, or `None` when no form reads back as the same key.
pub(crate) fn quote_key(key: &str) -> Option<String> {
    let bare = key.chars().next().is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '$' | '*' | '>'));
    if bare {
        Some(key.to_string())
    } else if !key.contains('"') {
        Some(format!("\"{key}\""))
    } else if !key.contains('\'') {
        Some(format!("'{key}'"))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::{quote_key, quote_string};

    #[test]
    fn strings() {
        assert_eq!(quote_string("a\"b\\c\nd\u{1}"), "\"a\\\"b\\\\c\\nd\\x01\"");
        assert_eq!(quote_string("$2a$11$x"), "\"$2a$11$x\"");
    }

    #[test]
    fn keys() {
        assert_eq!(quote_key("port").as_deref(), Some("port"));
        assert_eq!(quote_key("ABCD-1.2").as_deref(), Some("ABCD-1.2"));
        assert_eq!(quote_key("a b").as_deref(), Some("\"a b\""));
        assert_eq!(quote_key("#x").as_deref(), Some("\"#x\""));
        assert_eq!(quote_key("a\"b").as_deref(), Some("'a\"b'"));
        assert_eq!(quote_key("a\"'b"), None);
    }
}
