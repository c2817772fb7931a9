//! Every file in `fixtures/invalid-scenarios/` is refused with the problems (text and position)
//! written in its `.expected` file, never a panic. `NATSFAULT_BLESS=1` rewrites the `.expected`
//! files from what the loader says now; review the diff before committing.

mod support;

use std::path::{Path, PathBuf};

use natsfault::spec::load_bytes;
use rstest::rstest;

#[rstest]
fn invalid_scenario_is_refused_with_positions(#[files("fixtures/invalid-scenarios/*.toml")] path: PathBuf) {
    // Bytes, not text: a fixture that is not UTF-8 is refused at its first bad byte.
    let bytes = std::fs::read(&path).expect("fixture is readable");
    let name = path.file_name().expect("file name").to_string_lossy().into_owned();
    let err = match load_bytes(Path::new(&name), &bytes) {
        Ok(_) => panic!("{name}: expected the loader to refuse this file, but it loaded"),
        Err(e) => e,
    };
    let got = err.plain();
    let expected_path = path.with_extension("expected");
    if std::env::var("NATSFAULT_BLESS").is_ok_and(|v| v == "1") {
        std::fs::write(&expected_path, &got).expect("write .expected");
        return;
    }
    let expected = std::fs::read_to_string(&expected_path).unwrap_or_else(|_| {
        panic!("{} is missing; run `NATSFAULT_BLESS=1 cargo test --test invalid_scenarios`", expected_path.display())
    });
    assert_eq!(got, expected, "problems for {name} differ (NATSFAULT_BLESS=1 to accept)");
    // Rendering through miette must not panic either.
    let rendered = format!("{:?}", miette::Report::new(err));
    assert!(rendered.contains(&name));
}

#[test]
fn catalogue_has_every_kind_of_mistake() {
    let n = std::fs::read_dir(support::root().join("fixtures/invalid-scenarios"))
        .expect("fixtures folder")
        .filter(|e| e.as_ref().is_ok_and(|e| e.path().extension().is_some_and(|x| x == "toml")))
        .count();
    assert!(n >= 15, "expected at least 15 invalid scenario fixtures, found {n}");
}
