//! The JUnit report is well-formed XML 1.0 whatever its strings hold: control characters (an
//! ANSI colour in a server log, a NUL a raw client received), markup characters, tabs and line
//! ends in attributes. Parsed by a real XML parser (roxmltree).

use natsfault::observe::{Observation, ObservationKind};
use natsfault::report::{Mismatch, PhaseReport, ScenarioReport, Status, junit};
use natsfault::spec::Phase;

/// Every character XML 1.0 forbids, and the ones it allows only escaped.
fn hostile() -> String {
    let mut s: String = (0u8..0x20).map(char::from).collect();
    s.push_str("\u{7f}\u{fffe}\u{ffff} <tag attr=\"x\" other='y'> & ]]> \u{1b}[31mred\u{1b}[0m");
    s
}

fn report() -> ScenarioReport {
    let h = hostile();
    ScenarioReport {
        file: format!("dir/{h}.toml"),
        name: h.clone(),
        cause: h.clone(),
        backend: "process".into(),
        server_version: format!("2.15.1 {h}"),
        status: Status::Failed,
        duration_ms: 5,
        fix: Some(h.clone()),
        phases: vec![PhaseReport {
            phase: Phase::Broken,
            status: Status::Failed,
            duration_ms: 5,
            ready_ms: Some(1),
            steps: Vec::new(),
            observations: vec![Observation {
                at_ms: 1,
                step: Some(1),
                client: Some(h.clone()),
                kind: ObservationKind::Received { text: h.clone() },
            }],
            failures: vec![Mismatch {
                step: Some(1),
                action: h.clone(),
                expectation: h.clone(),
                expected: h.clone(),
                observed: h.clone(),
            }],
            log_excerpt: vec![h],
            confined: None,
            sockets: None,
        }],
        reason: None,
    }
}

#[test]
fn junit_with_control_characters_is_well_formed_xml() {
    let not_applicable = ScenarioReport { phases: Vec::new(), status: Status::NotApplicable, ..report() };
    let xml = junit::render(&[report(), not_applicable]);
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("not well-formed XML: {e}\n{xml}"));
    let cases: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("testcase")).collect();
    assert_eq!(cases.len(), 2, "{xml}");
    let failure = doc.descendants().find(|n| n.has_tag_name("failure")).expect("a failure element");
    let message = failure.attribute("message").expect("a message");
    assert!(message.contains("<tag attr=\"x\" other='y'> & ]]>"), "markup survives escaped: {message:?}");
    assert!(message.contains('\t') && message.contains('\n'), "tabs and line ends survive in attributes");
    let body = failure.text().expect("a body");
    assert!(body.contains("[31mred"), "the text around a control character stays: {body:?}");
    assert!(
        !xml.contains('\u{1b}') && !xml.contains('\u{0}') && !xml.contains('\u{ffff}'),
        "forbidden characters are gone"
    );
}
