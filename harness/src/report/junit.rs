//! JUnit XML for CI systems: a test suite per backend and version, a test case per scenario phase.
//! A case's `classname` is the scenario's folder, dotted (`scenarios.permissions`), so dashboards
//! that group by class (GitLab, Jenkins, GitHub test reporters) group by folder; its name is the
//! file with the phase (`scenarios/permissions/guide-example.toml [broken]`).

use std::collections::BTreeMap;
use std::fmt::Write;

use super::model::{ScenarioReport, Status};

/// The reports as JUnit XML.
pub fn render(reports: &[ScenarioReport]) -> String {
    let mut suites: BTreeMap<(String, String), Vec<&ScenarioReport>> = BTreeMap::new();
    for r in reports {
        suites.entry((r.backend.clone(), r.server_version.clone())).or_default().push(r);
    }
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"natsfault\">\n");
    for ((backend, version), rs) in suites {
        let cases: usize = rs.iter().map(|r| r.phases.len().max(1)).sum();
        let failures: usize = rs.iter().flat_map(|r| &r.phases).filter(|p| p.status == Status::Failed).count();
        let _ = writeln!(
            s,
            "  <testsuite name=\"{}\" tests=\"{cases}\" failures=\"{failures}\">",
            attr(&format!("{backend} {version}"))
        );
        for r in rs {
            if r.phases.is_empty() {
                let _ = writeln!(
                    s,
                    "    <testcase classname=\"{}\" name=\"{}\"><skipped message=\"not for this server version\"/></testcase>",
                    attr(&class_name(&r.file)),
                    attr(&r.file)
                );
            }
            for p in &r.phases {
                let name = format!("{} [{}]", r.file, p.phase.as_str());
                let time = p.duration_ms as f64 / 1000.0;
                let _ = write!(
                    s,
                    "    <testcase classname=\"{}\" name=\"{}\" time=\"{time:.3}\">",
                    attr(&class_name(&r.file)),
                    attr(&name)
                );
                if p.status == Status::Failed {
                    let body: String = p
                        .failures
                        .iter()
                        .map(|f| format!("{}: expected {}, observed {}\n", f.expectation, f.expected, f.observed))
                        .collect();
                    let first =
                        p.failures.first().map_or_else(String::new, |f| format!("{}: {}", f.action, f.expectation));
                    let _ = write!(s, "<failure message=\"{}\">{}</failure>", attr(&first), esc(&body));
                }
                s.push_str("</testcase>\n");
            }
        }
        s.push_str("  </testsuite>\n");
    }
    s.push_str("</testsuites>\n");
    s
}

/// The scenario's folder as a dotted class name: `scenarios/permissions/x.toml` is
/// `scenarios.permissions`; a file without a folder is `scenarios`.
///
/// ```
/// # use natsfault::report::junit::class_name;
/// assert_eq!(class_name("scenarios/permissions/guide-example.toml"), "scenarios.permissions");
/// assert_eq!(class_name("./ci/a b/x.toml"), "ci.a b");
/// assert_eq!(class_name("x.toml"), "scenarios");
/// ```
pub fn class_name(file: &str) -> String {
    let parts: Vec<&str> = file.split('/').filter(|p| !p.is_empty() && *p != ".").collect();
    match parts.split_last() {
        Some((_, folders)) if !folders.is_empty() => folders.join("."),
        _ => "scenarios".into(),
    }
}

/// Whether XML 1.0 allows `c` in a document at all (escaped or not).
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Escapes text for XML content; characters XML 1.0 does not allow (control characters, U+FFFE,
/// U+FFFF) become U+FFFD.
///
/// ```
/// assert_eq!(natsfault::report::junit::esc("a<b & \u{1b}[0m"), "a&lt;b &amp; \u{FFFD}[0m");
/// ```
pub fn esc(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    for c in t.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if allowed(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

/// Escapes text for an XML attribute value: as [`esc`], with tabs and line ends as character
/// references so that the parser does not turn them into spaces.
///
/// ```
/// assert_eq!(natsfault::report::junit::attr("a\tb\n"), "a&#9;b&#10;");
/// ```
pub fn attr(t: &str) -> String {
    esc(t).replace('\t', "&#9;").replace('\n', "&#10;").replace('\r', "&#13;")
}
