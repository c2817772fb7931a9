//! JUnit XML for CI systems: a test suite per backend and version, a test case per scenario phase.

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
            esc(&format!("{backend} {version}"))
        );
        for r in rs {
            if r.phases.is_empty() {
                let _ = writeln!(
                    s,
                    "    <testcase classname=\"{}\" name=\"{}\"><skipped message=\"not for this server version\"/></testcase>",
                    esc(&r.cause),
                    esc(&r.file)
                );
            }
            for p in &r.phases {
                let name = format!("{} [{}]", r.file, p.phase.as_str());
                let time = p.duration_ms as f64 / 1000.0;
                let _ = write!(
                    s,
                    "    <testcase classname=\"{}\" name=\"{}\" time=\"{time:.3}\">",
                    esc(&r.cause),
                    esc(&name)
                );
                if p.status == Status::Failed {
                    let body: String = p
                        .failures
                        .iter()
                        .map(|f| format!("{}: expected {}, observed {}\n", f.expectation, f.expected, f.observed))
                        .collect();
                    let first =
                        p.failures.first().map_or_else(String::new, |f| format!("{}: {}", f.action, f.expectation));
                    let _ = write!(s, "<failure message=\"{}\">{}</failure>", esc(&first), esc(&body));
                }
                s.push_str("</testcase>\n");
            }
        }
        s.push_str("  </testsuite>\n");
    }
    s.push_str("</testsuites>\n");
    s
}

/// Escapes text for XML attributes and content.
pub fn esc(t: &str) -> String {
    t.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&apos;")
}
