//! Fuzzing the creds parser: `natsfault::credentials::parse_creds` on arbitrary text and on
//! mutated creds files never panics; an error names a line inside the text (or the one past its
//! end) and never quotes the seed; a success returns the file's own JWT and seed lines.
//!
//! `cargo test --test fuzz_creds` plays a few cases (`NATSFAULT_FUZZ_CASES`, default 64);
//! `make fuzz` plays it after the loader, for `NATSFAULT_FUZZ_SECONDS`.

mod fuzz_support;
mod support;

use std::sync::atomic::{AtomicU64, Ordering};

use fuzz_support::{drive, mutated, timed};
use natsfault::credentials::{UserClaims, encode, format_creds, keys, parse_creds};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

static PARSED: AtomicU64 = AtomicU64::new(0);
static REFUSED: AtomicU64 = AtomicU64::new(0);

/// Fragments that mean something to a creds file, inserted by mutations.
const SNIPPETS: &[&str] = &[
    "-----BEGIN NATS USER JWT-----\n",
    "------END NATS USER JWT------\n",
    "-----BEGIN USER NKEY SEED-----\n",
    "------END USER NKEY SEED------\n",
    "-----END NATS USER JWT-----\n",
    "************************* IMPORTANT *************************\n",
    "\n",
    "\r\n",
    " ",
    "\t",
    ".",
    "..",
    "SU",
    "SA",
    "eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ",
    "=",
    "-",
    "é",
    "\u{feff}",
    "\u{0}",
];

#[test]
fn creds_parser_never_panics_and_never_quotes_the_seed() {
    let seeds = seeds();
    let (played, seconds) =
        drive(input(seeds.iter().map(|(text, _)| text.clone()).collect()), |text| check(&text, &seeds));
    if timed() {
        eprintln!(
            "fuzz_creds: {played} cases in {seconds:.0}s, no panic: {} parsed, {} refused with a line",
            PARSED.load(Ordering::Relaxed),
            REFUSED.load(Ordering::Relaxed)
        );
    }
}

fn input(seeds: Vec<String>) -> impl Strategy<Value = String> + Clone {
    prop_oneof![
        1 => any::<String>(),
        1 => "[A-Za-z0-9_.=*\\- \\n]{0,400}",
        6 => mutated(seeds, SNIPPETS),
    ]
}

/// The property, given the seeds each mutated text may have started from (text, user seed).
fn check(text: &str, seeds: &[(String, String)]) -> Result<(), TestCaseError> {
    match parse_creds(text) {
        Ok((jwt, seed)) => {
            PARSED.fetch_add(1, Ordering::Relaxed);
            let lines: Vec<&str> = text.lines().collect();
            prop_assert!(lines.contains(&jwt.as_str()), "the jwt `{}` is not a line of the file", jwt);
            prop_assert!(lines.contains(&seed.as_str()), "the seed is not a line of the file");
            prop_assert_eq!(jwt.split('.').count(), 3);
            prop_assert!(seed.starts_with("SU"), "a seed that is not a user seed was accepted");
        }
        Err(e) => {
            REFUSED.fetch_add(1, Ordering::Relaxed);
            let lines = text.lines().count().max(1);
            prop_assert!(e.line >= 1 && e.line <= lines + 1, "line {} of a {}-line text: {}", e.line, lines, e);
            let shown = e.to_string();
            prop_assert!(shown.starts_with(&format!("creds line {}: expected", e.line)), "message: {}", shown);
            for (_, seed) in seeds {
                prop_assert!(!shown.contains(&seed[..20]), "the error quotes a seed: {}", shown);
            }
        }
    }
    Ok(())
}

/// Creds files to mutate: a few generated ones (with their seeds) and the bad-input catalogue.
fn seeds() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for name in ["alice", "bob", "carol"] {
        let (account, user) = (keys::account(), keys::user());
        let mut claims = UserClaims::new(user.public_key(), name);
        let jwt = encode(&mut claims, &account).expect("a user jwt");
        out.push((format_creds(&jwt, user.seed()), user.seed().to_string()));
    }
    let dir = support::root().join("fixtures/bad-input/creds");
    let mut files: Vec<_> = std::fs::read_dir(&dir).expect("the creds catalogue").flatten().map(|e| e.path()).collect();
    files.sort();
    for p in files.into_iter().filter(|p| p.extension().is_some_and(|x| x == "creds")) {
        let text = std::fs::read_to_string(&p).expect("a creds fixture");
        // The catalogue's seeds are damaged on purpose; the property checks the generated ones.
        out.push((text, "S".repeat(58)));
    }
    out
}
