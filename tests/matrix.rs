//! The upgrade matrix on four versions of a few scenarios, among them four whose steps are gated
//! by version: every cell passes, and the 2.12 log format change, the 2.12 change of the bad
//! signature's debug reason and the 2.15.1 change of the operator-mode callout timeout show in
//! the differences.

mod support;

use std::sync::Arc;

use natsfault::backend::{Backend, ProcessBackend, resolve_version};
use natsfault::matrix::{markdown, play_matrix};
use natsfault::report::Status;
use natsfault::spec::load_file;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_versions_pass_and_the_real_differences_are_reported() {
    let versions: Vec<_> =
        ["2.10", "2.12", "2.15.0", "2.15.1"].iter().map(|v| resolve_version(v).expect("pinned")).collect();
    let files = [
        "scenarios/permissions/guide-example.toml",
        "scenarios/no-credentials/wrong-password.toml",
        "scenarios/permissions/violation-log-format.toml",
        "scenarios/no-credentials/second-info-from-2-12.toml",
        "scenarios/jwt-invalid/bad-signature.toml",
        "scenarios/auth-endpoint/operator-mode-callout-unanswered.toml",
    ];
    let scenarios: Vec<_> = files
        .iter()
        .map(|f| {
            let mut s = load_file(&support::root().join(f)).expect("valid");
            s.path = f.into();
            s
        })
        .collect();
    let backends: Vec<Arc<dyn Backend>> = vec![Arc::new(ProcessBackend)];
    let baseline = *versions.last().expect("versions");
    let (report, _) =
        play_matrix(&scenarios, &backends, &versions, baseline, 2, |_| {}).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.rows.len(), files.len());
    for row in &report.rows {
        assert!(row.cells.iter().all(|c| *c == Status::Passed), "{row:?}");
    }
    let old = report
        .diffs
        .iter()
        .find(|d| d.file.ends_with("guide-example.toml") && d.version.starts_with("2.10."))
        .expect("2.10 differs from 2.15.1 for the guide example");
    assert!(old.only_version.iter().any(|l| l.contains("Publish Violation - User \"analytics\", Subject")), "{old:?}");
    assert!(
        old.only_baseline.iter().any(|l| l.contains("\"$G/user:analytics\" - Publish Violation - Subject")),
        "{old:?}"
    );
    assert!(!report.diffs.iter().any(|d| d.version.starts_with("2.12.") && d.file.ends_with("guide-example.toml")));
    assert!(
        markdown(&report)
            .contains("| `scenarios/permissions/guide-example.toml` | process | pass | pass | pass | pass |")
    );
    let diff = |file: &str, version: &str| {
        report
            .diffs
            .iter()
            .find(|d| d.file.ends_with(file) && d.version.starts_with(version))
            .unwrap_or_else(|| panic!("{version} differs from 2.15.1 for {file}"))
    };
    let reason = diff("bad-signature.toml", "2.10.");
    assert!(reason.only_version.iter().any(|l| l.contains("reason User JWT not valid: claim failed V2")), "{reason:?}");
    assert!(reason.only_baseline.iter().any(|l| l.contains("reason Authentication requires a user JWT")), "{reason:?}");
    let callout = diff("operator-mode-callout-unanswered.toml", "2.15.0");
    assert!(callout.only_version.iter().any(|l| l.ends_with("app: connect error Io")), "{callout:?}");
    assert!(
        callout.only_baseline.iter().any(|l| l.ends_with("app: connect error AuthorizationViolation")),
        "{callout:?}"
    );
    assert!(callout.only_baseline.iter().any(|l| l.ends_with("app: -ERR 'Authorization Violation'")), "{callout:?}");
}
