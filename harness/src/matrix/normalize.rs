//! Observations with what changes from run to run (times, pids, ports, ids, keys) taken out, so
//! that two versions can be compared.

use std::sync::LazyLock;

use regex::Regex;

static RULES: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    [
        (r"^\[\d+\] \d{4}/\d\d/\d\d \d\d:\d\d:\d\d\.\d+ ", ""),
        (r"\b\d{1,3}(\.\d{1,3}){3}:\d+", "ADDR"),
        (r"cid:\d+", "cid:N"),
        (r"rid:\d+", "rid:N"),
        (r"lid:\d+", "lid:N"),
        (r"gid:\d+", "gid:N"),
        (r"mid:\d+", "mid:N"),
        (r"_INBOX\.[A-Za-z0-9]+(\.[A-Za-z0-9]+)*", "_INBOX.*"),
        // A JetStream ack subject ends in the delivery's timestamp (ns) and pending count.
        (r"(\$JS\.ACK\.[^ .\x22]+\.[^ .\x22]+\.\d+\.\d+\.\d+)\.\d+\.\d+", "$1.TS.N"),
        (r"\d+(\.\d+)?(ms|µs|s)\b", "T"),
        (r"\b0x[0-9a-f]+\b", "0xADDR"),
        // A run's own certificates: their fingerprints and validity times.
        (r"SHA-256: [0-9a-f]{64}", "SHA-256: FINGERPRINT"),
        (r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "TIME"),
    ]
    .into_iter()
    .map(|(re, to)| (Regex::new(re).expect("valid normalization regex"), to))
    .collect()
});

/// `line` with run-specific values replaced.
///
/// ```
/// use natsfault::matrix::normalize;
/// let l = "[123] 2026/11/28 13:00:00.123456 [ERR] 127.0.0.1:5555 - cid:7 - Publish Violation";
/// assert_eq!(normalize(l), "[ERR] ADDR - cid:N - Publish Violation");
/// ```
pub fn normalize(line: &str) -> String {
    let mut out = mask_keys(line);
    for (re, to) in RULES.iter() {
        out = re.replace_all(&out, *to).into_owned();
    }
    out
}

/// `line` with every nkey (56 base32 characters) and seed (58) replaced by `<key>`.
///
/// ```
/// use natsfault::matrix::mask_keys;
/// let key = "A".repeat(56);
/// assert_eq!(mask_keys(&format!("Nkey \"{key}\"")), "Nkey \"<key>\"");
/// ```
pub fn mask_keys(line: &str) -> String {
    let is_b32 = |c: char| c.is_ascii_uppercase() || ('2'..='7').contains(&c);
    let mut out = String::with_capacity(line.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let key = (word.len() == 56 || word.len() == 58) && word.chars().all(is_b32);
        out.push_str(if key { "<key>" } else { word });
        word.clear();
    };
    for c in line.chars() {
        if is_b32(c) {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// A duration put into a class, so that timing differences show only when they matter: a step
/// that starts waiting out a timeout (seconds) shows, one that takes 90 ms instead of 110 does not.
pub fn timing_class(ms: u64) -> &'static str {
    match ms {
        0..1000 => "<1s",
        1000..10_000 => "<10s",
        _ => ">=10s",
    }
}

#[cfg(test)]
mod ack_subject_tests {
    use super::normalize;

    #[test]
    fn ack_subjects_lose_their_timestamp() {
        let l = r#"Permissions Violation for Publish to "$JS.ACK.ORDERS.worker.1.1.1.1796162995024773228.0""#;
        assert_eq!(normalize(l), r#"Permissions Violation for Publish to "$JS.ACK.ORDERS.worker.1.1.1.TS.N""#);
    }
}
