//! Fuzzing the scenario loader: `natsfault::spec::load_str` on arbitrary text and on mutated
//! scenario files never panics, and every error it returns names at least one problem, each at a
//! position inside the text (a byte range on character boundaries whose `line:col` is where the
//! range starts). Rendering the error (plain and miette) must not panic either. A byte that is
//! not UTF-8 put into such a text (`load_bytes`) is the one problem, at its line and column.
//!
//! `cargo test --test fuzz_loader` plays a few cases (`NATSFAULT_FUZZ_CASES`, default 64);
//! `make fuzz` plays until `NATSFAULT_FUZZ_SECONDS` (600) have passed. A failure prints the
//! smallest input proptest shrank it to, as a Rust string literal to paste into a fixture.

mod fuzz_support;
mod support;

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use fuzz_support::{drive, mutated, timed};
use natsfault::spec::{ScenarioError, line_col, load_bytes, load_str};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

/// Inputs the loader accepted, and inputs it refused (each with at least one problem).
static LOADED: AtomicU64 = AtomicU64::new(0);
static REFUSED: AtomicU64 = AtomicU64::new(0);

/// Fragments that mean something to TOML or to the scenario schema, inserted by mutations.
const SNIPPETS: &[&str] = &[
    "[[steps]]\n",
    "[server]\n",
    "[fix]\n",
    "[clients.app]\n",
    "do = \"connect\"\n",
    "do = \"wait\"\nduration = \"1x\"\n",
    "do = \"await\"\n",
    "client = \"nobody\"\n",
    "subject = \"a..b\"\n",
    "expect = { elapsed = \"2s..1s\" }\n",
    "expect = { error = \"Nope\", within = \"-1s\" }\n",
    "expect = { connections = \"5..1\" }\n",
    "versions = \">=2.1x\"\n",
    "only = \"both\"\n",
    "config = '''\n",
    "'''\n",
    "\"\"\"\n",
    "password = \"{{password.\"\n",
    "{{token.app}}",
    "replace = [ { from = \"zz\", to = \"y\" } ]\n",
    "replace = [ { from = \"\", to = \"y\" } ]\n",
    "versions = \">=2.12, <2.11\"\n",
    "versions = \"\"\n",
    "do = \"add-toxic\"\ntoxic = { name = \"lag\", type = \"latency\", attributes = { latncy = \"1s\" } }\n",
    "toxic = { name = \"\", type = \"down\", toxicity = 2, attributes = { x = 1 } }\n",
    "toxic = { type = \"slicer\", attributes = 5 }\n",
    "do = \"remove-toxic\"\ntoxic-name = \"lag\"\n",
    "name = \" \"\n",
    "= ",
    "\"",
    "'",
    "[",
    "]",
    "{",
    "}",
    ",",
    ".",
    "#",
    "\n",
    "\r\n",
    "\t",
    "\\u00e9",
    "é",
    "🦀",
    "\u{feff}",
    "\u{0}",
];

#[test]
fn loader_never_panics_and_points_inside_the_text() {
    let seeds = seeds();
    assert!(!seeds.is_empty(), "no scenario files to mutate");
    let (played, seconds) = drive(input(seeds), |text| check(&text));
    if timed() {
        eprintln!(
            "fuzz_loader: {played} cases in {seconds:.0}s, no panic: {} loaded, {} refused with positions",
            LOADED.load(Ordering::Relaxed),
            REFUSED.load(Ordering::Relaxed)
        );
    }
}

#[test]
fn bytes_that_are_not_utf_8_are_refused_at_the_first_one() {
    let seeds = seeds();
    let strategy = (mutated(seeds, SNIPPETS), any::<prop::sample::Index>(), 0x80u8..=0xff);
    let (played, seconds) = drive(strategy, |(text, at, bad)| check_bytes(&text, at, bad));
    if timed() {
        eprintln!("fuzz_loader: {played} byte cases in {seconds:.0}s, no panic");
    }
}

/// The property for bytes: a byte that is not UTF-8 put at a character boundary of a text is
/// the one problem reported, at its line and column.
fn check_bytes(text: &str, at: prop::sample::Index, bad: u8) -> Result<(), TestCaseError> {
    let boundaries: Vec<usize> = (0..=text.len()).filter(|i| text.is_char_boundary(*i)).collect();
    let cut = boundaries[at.index(boundaries.len())];
    let mut bytes = text.as_bytes()[..cut].to_vec();
    bytes.push(bad);
    bytes.extend_from_slice(&text.as_bytes()[cut..]);
    let Err(err) = load_bytes(Path::new("fuzz.toml"), &bytes) else {
        return Err(TestCaseError::fail(format!("byte 0x{bad:02x} at {cut} was accepted")));
    };
    prop_assert_eq!(err.problems.len(), 1, "{}", err.plain());
    let p = &err.problems[0];
    prop_assert_eq!((p.line, p.column), line_col(text, cut), "{}", err.plain());
    prop_assert!(p.message.starts_with("expected UTF-8 text, found the byte"), "{}", p.message);
    render(&err)
}

/// Arbitrary text, TOML-looking text, and mutated scenario files (most of the cases: they get
/// past the syntax and into the schema and the checks).
fn input(seeds: Vec<String>) -> impl Strategy<Value = String> + Clone {
    prop_oneof![
        1 => any::<String>(),
        1 => "[a-z\\[\\]{}=\"',.#:0-9 \\n-]{0,300}",
        6 => mutated(seeds, SNIPPETS),
    ]
}

/// The property: no panic; an error has problems, each inside the text.
fn check(text: &str) -> Result<(), TestCaseError> {
    let Err(err) = load_str(Path::new("fuzz.toml"), text) else {
        LOADED.fetch_add(1, Ordering::Relaxed);
        return Ok(());
    };
    REFUSED.fetch_add(1, Ordering::Relaxed);
    prop_assert!(!err.problems.is_empty(), "an error without a problem: {}", err);
    // Snippets quote the file with its secrets redacted: spans index that text, lines and
    // columns are the file's (redaction keeps every line where it was).
    let shown = err.source_code.inner().as_str();
    for p in &err.problems {
        let (start, len) = (p.span.offset(), p.span.len());
        prop_assert!(
            start + len <= shown.len(),
            "problem `{}` spans {}..{} of a {}-byte text",
            p.message,
            start,
            start + len,
            shown.len()
        );
        prop_assert!(
            shown.is_char_boundary(start) && shown.is_char_boundary(start + len),
            "problem `{}` spans {}..{}, not on character boundaries",
            p.message,
            start,
            start + len
        );
        let (line, column) = line_col(shown, start);
        prop_assert_eq!(p.line, line, "line of `{}`", p.message);
        if shown == text {
            prop_assert_eq!(p.column, column, "column of `{}`", p.message);
        }
        prop_assert!(!p.message.trim().is_empty(), "a problem without a message at {}..{}", start, start + len);
    }
    render(&err)?;
    Ok(())
}

/// Both renderings must work: the plain one names every position, miette's must not panic.
fn render(err: &ScenarioError) -> Result<(), TestCaseError> {
    let plain = err.plain();
    for p in &err.problems {
        let at = format!("fuzz.toml:{}:{}: ", p.line, p.column);
        prop_assert!(plain.contains(&at), "plain rendering lacks `{}`", at);
    }
    let mut shown = String::new();
    let rendered = miette::GraphicalReportHandler::new().render_report(&mut shown, err);
    prop_assert!(rendered.is_ok(), "miette cannot render: {:?}", rendered);
    prop_assert!(shown.contains("fuzz.toml"), "miette rendering lacks the file name");
    Ok(())
}

/// Every scenario file and every invalid-scenario fixture: the mutations start from these.
fn seeds() -> Vec<String> {
    let root = support::root();
    let mut out = Vec::new();
    for dir in ["scenarios", "fixtures/invalid-scenarios"] {
        collect(&root.join(dir), &mut out);
    }
    out.sort();
    out
}

fn collect(dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "toml")
            && let Ok(text) = std::fs::read_to_string(&p)
        {
            out.push(text);
        }
    }
}
