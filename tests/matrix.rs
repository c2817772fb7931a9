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
    // Each version against 2.15.1, older → newer: a changed observation is one row.
    let diff = |file: &str, version: &str| {
        report
            .diffs
            .iter()
            .find(|d| d.file.ends_with(file) && d.older.starts_with(version))
            .unwrap_or_else(|| panic!("{version} differs from 2.15.1 for {file}"))
    };
    let changed = |d: &natsfault::matrix::MatrixDiff, older: &str, newer: &str| {
        d.rows.iter().any(|r| {
            r.older.as_deref().is_some_and(|o| o.contains(older))
                && r.newer.as_deref().is_some_and(|n| n.contains(newer))
        })
    };
    let old = diff("guide-example.toml", "2.10.");
    assert!(
        changed(
            old,
            "Publish Violation - User \"analytics\", Subject",
            "\"$G/user:analytics\" - Publish Violation - Subject"
        ),
        "{old:?}"
    );
    assert!(!report.diffs.iter().any(|d| d.older.starts_with("2.12.") && d.file.ends_with("guide-example.toml")));
    let md = markdown(&report);
    assert!(
        md.contains("| changed | `scenarios/permissions/guide-example.toml` | process | pass | pass | pass | pass |"),
        "{md}"
    );
    assert!(md.contains("2.12.8 → 2.15.1: "), "{md}");
    // The bad signature's debug reason changed in 2.12: one row per client, not a -/+ pair of
    // every step, and told once for both clients.
    let reason = diff("bad-signature.toml", "2.10.");
    let reasons: Vec<_> = reason.rows.iter().filter(|r| r.at.ends_with("auth failure reason")).collect();
    assert!(
        reasons
            .iter()
            .all(|r| r.older.as_deref() == Some("User JWT not valid: claim failed V2 signature verification")),
        "{reason:?}"
    );
    assert!(reasons.iter().all(|r| r.newer.as_deref() == Some("Authentication requires a user JWT")), "{reason:?}");
    assert_eq!(reason.rows.len(), reasons.len(), "{reason:?}");
    assert!(md.contains("the same change in 2 places"), "{md}");
    let callout = diff("operator-mode-callout-unanswered.toml", "2.15.0");
    assert!(
        callout
            .rows
            .iter()
            .any(|r| r.older.as_deref() == Some("Io") && r.newer.as_deref() == Some("AuthorizationViolation")),
        "{callout:?}"
    );
    assert!(
        callout.rows.iter().any(|r| r.newer.as_deref() == Some("'Authorization Violation'") && r.older.is_none()),
        "{callout:?}"
    );
}
