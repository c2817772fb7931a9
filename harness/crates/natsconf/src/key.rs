//! How nats-server compares keys: it lowers them with Go's `strings.ToLower` and matches the
//! result against lowercase ASCII names. Go maps each character by its simple Unicode lowercase
//! mapping, so `İ` (U+0130) becomes `i` and the Kelvin sign `K` (U+212A) becomes `k`: `pİd_file`
//! is `pid_file` to the server. Every key comparison of this module goes through here.

use std::borrow::Cow;

/// One character lowered as Go's `unicode.ToLower` does (the simple mapping).
fn go_lower_char(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    // Rust's mapping is the full one; it differs from the simple one only for U+0130, which it
    // maps to `i` and a combining dot.
    if c == '\u{130}' {
        return 'i';
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(one), None) => one,
        _ => c,
    }
}

/// `key` as nats-server lowers it before comparing (Go's `strings.ToLower`).
///
/// ```
/// assert_eq!(natsfault_natsconf::fold_key("monİtor_port"), "monitor_port");
/// ```
pub fn fold(key: &str) -> Cow<'_, str> {
    if key.bytes().all(|b| !b.is_ascii_uppercase() && b.is_ascii()) {
        return Cow::Borrowed(key);
    }
    Cow::Owned(key.chars().map(go_lower_char).collect())
}

/// Whether nats-server reads `key` as `name` (a lowercase name, as in its `switch`).
pub(crate) fn key_is(key: &str, name: &str) -> bool {
    fold(key) == fold(name)
}

/// Whether nats-server reads `key` as one of `names`.
pub(crate) fn key_in(key: &str, names: &[&str]) -> bool {
    let folded = fold(key);
    names.iter().any(|name| folded == fold(name))
}

#[cfg(test)]
mod tests {
    use super::{fold, key_in, key_is};

    #[test]
    fn folds_as_go_strings_to_lower() {
        assert_eq!(fold("pid_file"), "pid_file");
        assert_eq!(fold("PID_File"), "pid_file");
        assert_eq!(fold("p\u{130}d_file"), "pid_file");
        assert_eq!(fold("P\u{130}D_F\u{130}LE"), "pid_file");
        assert_eq!(fold("websoc\u{212a}et"), "websocket");
        assert_eq!(fold("ports_f\u{130}le_d\u{130}r"), "ports_file_dir");
        assert_eq!(fold("mon\u{130}tor_port"), "monitor_port");
        // Non-ASCII letters that do not lower to ASCII stay other keys.
        assert_eq!(fold("\u{17f}ystem"), "\u{17f}ystem");
        assert_eq!(fold("\u{131}nclude"), "\u{131}nclude");
        assert_eq!(fold("ÀÉ"), "àé");
        // Go's simple mapping keeps a final capital sigma as `σ`, not `ς`.
        assert_eq!(fold("ΑΣ"), "ασ");
    }

    #[test]
    fn compares_folded() {
        assert!(key_is("LOG_F\u{130}LE", "log_file"));
        assert!(key_in("Ws", &["websocket", "ws"]));
        assert!(!key_is("pid_file2", "pid_file"));
        assert!(!key_is("p\u{131}d_file", "pid_file"), "dotless i is not i");
        assert!(!key_is("pid_fil\u{212b}", "pid_file"));
    }

    #[test]
    fn only_two_characters_lower_to_ascii() {
        let to_ascii: Vec<u32> = (0x80..0x11_0000u32)
            .filter_map(char::from_u32)
            .filter(|c| fold(&c.to_string()).is_ascii())
            .map(|c| c as u32)
            .collect();
        assert_eq!(to_ascii, [0x130, 0x212a]);
    }
}
