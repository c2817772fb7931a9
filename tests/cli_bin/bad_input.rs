//! The bad-input catalogue for `natsfault diagnose` (`fixtures/bad-input/`): creds files and
//! configs, each refused with exit code 2 and the error text (with its position) written in its
//! `.expected` file, never a panic, never a secret of the file. `NATSFAULT_BLESS=1` rewrites the
//! `.expected` files from what the command says now; review the diff before committing.

use std::path::{Path, PathBuf};

use regex::Regex;

use super::{natsfault, support};

/// Files of `dir` (relative to the root) ending in `.ext`, sorted.
fn files(dir: &str, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(support::root().join(dir))
        .expect("fixture folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .map(|p| support::relative(&p))
        .collect();
    v.sort();
    v
}

/// What must not be shown: seeds, JWT signatures, and every value with `Secret` in it.
fn secrets(text: &str) -> Vec<String> {
    let seed = Regex::new(r"\bS[A-Z][A-Z2-7]{40,}\b").expect("regex");
    let sig = Regex::new(r"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.([A-Za-z0-9_-]{20,})").expect("regex");
    let marked = Regex::new(r"[A-Za-z0-9_-]*Secret[A-Za-z0-9_-]*").expect("regex");
    let mut out: Vec<String> = seed.find_iter(text).map(|m| m.as_str().to_string()).collect();
    out.extend(sig.captures_iter(text).map(|c| c[1].to_string()));
    out.extend(marked.find_iter(text).map(|m| m.as_str().to_string()));
    out
}

/// Runs one case; returns the mismatch, if any.
fn check(fixture: &Path, args: &[&str]) -> Option<String> {
    let out = natsfault(args, &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    // Messages that name a resolved path (an include cycle) name it absolutely.
    let root = format!("{}/", support::root().display());
    let stderr = String::from_utf8_lossy(&out.stderr).replace(&root, "");
    let name = fixture.display();
    if out.status.code() != Some(2) {
        return Some(format!("{name}: exit code {:?}, expected 2\n{stderr}", out.status.code()));
    }
    if stderr.contains("panicked") {
        return Some(format!("{name}: panicked\n{stderr}"));
    }
    // Read as lossy text: one fixture is deliberately not UTF-8.
    let bytes = std::fs::read(support::root().join(fixture)).expect("fixture is readable");
    let text = String::from_utf8_lossy(&bytes);
    for s in secrets(&text) {
        if stdout.contains(&s) || stderr.contains(&s) {
            return Some(format!("{name}: the secret `{s}` is shown\n{stdout}{stderr}"));
        }
    }
    let expected_path = support::root().join(fixture.with_extension("expected"));
    if std::env::var("NATSFAULT_BLESS").is_ok_and(|v| v == "1") {
        std::fs::write(&expected_path, stderr.as_bytes()).expect("write .expected");
        return None;
    }
    let Ok(expected) = std::fs::read_to_string(&expected_path) else {
        return Some(format!(
            "{} is missing; run `NATSFAULT_BLESS=1 cargo test -p natsfault --test cli bad_input`",
            expected_path.display()
        ));
    };
    (stderr != expected).then(|| {
        format!("{name}: stderr differs (NATSFAULT_BLESS=1 to accept)\nexpected: {expected}observed: {stderr}")
    })
}

#[test]
fn bad_creds_files_exit_2_with_their_line() {
    let config = "fixtures/bad-input/creds/nats.conf";
    let fixtures = files("fixtures/bad-input/creds", "creds");
    assert!(fixtures.len() >= 8, "expected at least 8 bad creds files, found {}", fixtures.len());
    let failures: Vec<String> = fixtures
        .iter()
        .filter_map(|f| check(f, &["diagnose", "--config", config, "--creds", f.to_str().expect("utf-8")]))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn bad_configs_exit_2_with_their_position() {
    let fixtures = files("fixtures/bad-input/diagnose", "conf");
    assert!(fixtures.len() >= 8, "expected at least 8 bad configs, found {}", fixtures.len());
    let failures: Vec<String> =
        fixtures.iter().filter_map(|f| check(f, &["diagnose", "--config", f.to_str().expect("utf-8")])).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
