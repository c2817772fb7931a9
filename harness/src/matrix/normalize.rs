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
        (r"_INBOX\.[A-Za-z0-9]+(\.[A-Za-z0-9]+)*", "_INBOX.*"),
        (r"\b[NOAUCX][A-Z2-7]{55}\b", "<key>"),
        (r"\bS[OAUCX][A-Z2-7]{56}\b", "<seed>"),
        (r"\d+(\.\d+)?(ms|µs|s)\b", "T"),
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
    let mut out = line.to_string();
    for (re, to) in RULES.iter() {
        out = re.replace_all(&out, *to).into_owned();
    }
    out
}

/// A duration put into a class, so that timing differences show only when they matter.
pub fn timing_class(ms: u64) -> &'static str {
    match ms {
        0..100 => "<100ms",
        100..1000 => "<1s",
        1000..5000 => "<5s",
        _ => ">=5s",
    }
}
